/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoints (spec §13.1–§13.4): the rendezvous of a sender and a receiver,
 * the FIFO queue of whichever side is waiting, the cancellation of a
 * blocked IPC (Suspend, Resume, deletion of the endpoint or of a reply cap,
 * CancelBadgedSends), and the replies the kernel itself gives to a Call on
 * a kernel object (spec §8). The message transfer is thread.c's; the queue
 * links are object/tcb.c's.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/thread.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/tcb.h>

static tcb_queue_t ep_queue(const endpoint_t *ep)
{
    return (tcb_queue_t){.head = ep_head(ep), .end = ep->queueTail};
}

/* Store a queue back; an empty queue makes the endpoint idle. */
static void ep_set_queue(endpoint_t *ep, tcb_queue_t q, endpoint_state_t busyState)
{
    ep_set(ep, q.head, q.end, q.head ? busyState : EPState_Idle);
}

static void blockOnSend(tcb_t *thread, endpoint_t *ep, word_t badge, bool canGrant,
                        bool canGrantReply, bool isCall)
{
    thread->state.blockingObject = (word_t)ep;
    thread->state.blockingIPCBadge = badge;
    thread->state.blockingIPCCanGrant = canGrant;
    thread->state.blockingIPCCanGrantReply = canGrantReply;
    thread->state.blockingIPCIsCall = isCall;
    setThreadState(thread, ThreadState_BlockedOnSend);
    ep_set_queue(ep, tcbEPAppend(thread, ep_queue(ep)), EPState_Send);
}

/*
 * spec §13.2, §13.3: deliver to the head receiver if there is one, else
 * queue (blocking) or drop (NBSend). A thread with an outstanding fault
 * sends as a Call whatever do_call says.
 */
void sendIPC(bool blocking, bool do_call, word_t badge, bool canGrant, bool canGrantReply,
             tcb_t *thread, endpoint_t *epptr)
{
    if (ep_state(epptr) != EPState_Recv) {
        if (blocking)
            blockOnSend(thread, epptr, badge, canGrant, canGrantReply, do_call);
        return;
    }

    tcb_t *dest = ep_head(epptr);
    kassert(dest != NULL);
    ep_set_queue(epptr, tcbEPDequeue(dest, ep_queue(epptr)), EPState_Recv);

    doIPCTransfer(thread, epptr, badge, canGrant, dest);
    bool replyCanGrant = dest->state.receiveCanGrant;
    setThreadState(dest, ThreadState_Running);
    possibleSwitchTo(dest);

    if (do_call || thread->fault.type != seL4_Fault_NullFault)
        completeCall(thread, dest, canGrant, canGrantReply, replyCanGrant);
}

static void blockOnReceive(tcb_t *thread, endpoint_t *ep, cap_t cap)
{
    thread->state.blockingObject = (word_t)ep;
    thread->state.receiveCanGrant = cap.endpoint.canGrant;
    setThreadState(thread, ThreadState_BlockedOnReceive);
    ep_set_queue(ep, tcbEPAppend(thread, ep_queue(ep)), EPState_Recv);
}

/* Take the message of the head sender (spec §13.3). */
static void receiveFromSender(tcb_t *thread, endpoint_t *ep, cap_t cap)
{
    tcb_t *sender = ep_head(ep);
    kassert(sender != NULL);
    ep_set_queue(ep, tcbEPDequeue(sender, ep_queue(ep)), EPState_Send);

    thread_state_t st = sender->state;
    doIPCTransfer(sender, ep, st.blockingIPCBadge, st.blockingIPCCanGrant, thread);

    if (st.blockingIPCIsCall || sender->fault.type != seL4_Fault_NullFault) {
        completeCall(sender, thread, st.blockingIPCCanGrant, st.blockingIPCCanGrantReply,
                     cap.endpoint.canGrant);
    } else {
        setThreadState(sender, ThreadState_Running);
        possibleSwitchTo(sender);
    }
}

/* spec §13.6: a pending signal on the bound notification wins over any
 * message. The caller (handleRecv) has already dropped a pending reply cap. */
void receiveIPC(tcb_t *thread, cap_t cap, bool isBlocking)
{
    endpoint_t *ep = cap_endpoint_get_ptr(cap);
    notification_t *ntfn = thread->boundNotification;

    if (ntfn && ntfn_state(ntfn) == NtfnState_Active) {
        completeSignal(ntfn, thread);
        return;
    }
    if (ep_state(ep) == EPState_Send) {
        receiveFromSender(thread, ep, cap);
    } else if (isBlocking) {
        blockOnReceive(thread, ep, cap);
    } else {
        doNBRecvFailedTransfer(thread);
    }
}

/* A thread waiting for a reply: dropping the reply cap that names it
 * (wherever it is: caller slot or saved) ends the wait. The reply cap is
 * the MDB child of the thread's master reply cap (setupCallerCap). */
static void cancelReplyWait(tcb_t *tptr)
{
    tptr->fault.type = seL4_Fault_NullFault;
    cte_t *master = tcb_cte(tptr, tcbReply);
    cte_t *child = mdb_next(master);
    if (child && cap_get_type(child->cap) == cap_reply_cap && !child->cap.reply.isMaster &&
        cap_reply_get_tcb(child->cap) == tptr)
        cteDeleteOne(child);
}

void cancelIPC(tcb_t *tptr)
{
    switch (tptr->state.type) {
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReceive: {
        endpoint_t *ep = (endpoint_t *)tptr->state.blockingObject;
        endpoint_state_t st = ep_state(ep);
        kassert(st != EPState_Idle);
        ep_set_queue(ep, tcbEPDequeue(tptr, ep_queue(ep)), st);
        setThreadState(tptr, ThreadState_Inactive);
        break;
    }
    case ThreadState_BlockedOnNotification:
        cancelSignal(tptr, (notification_t *)tptr->state.blockingObject);
        break;
    case ThreadState_BlockedOnReply:
        cancelReplyWait(tptr);
        break;
    default:
        break;
    }
}

/* The endpoint is going away: every waiter re-executes its system call
 * (and will find the cap gone). */
void cancelAllIPC(endpoint_t *epptr)
{
    if (ep_state(epptr) == EPState_Idle)
        return;
    tcb_t *t = ep_head(epptr);
    ep_set(epptr, NULL, NULL, EPState_Idle);
    while (t) {
        tcb_t *next = t->epNext;
        t->epNext = t->epPrev = NULL;
        setThreadState(t, ThreadState_Restart);
        tcbSchedEnqueue(t);
        t = next;
    }
    rescheduleRequired();
}

/* spec §12.3 CancelBadgedSends: only queued senders with this badge retry. */
void cancelBadgedSends(endpoint_t *epptr, word_t badge)
{
    if (ep_state(epptr) != EPState_Send)
        return;
    tcb_queue_t q = ep_queue(epptr);
    for (tcb_t *t = q.head; t;) {
        tcb_t *next = t->epNext;
        if (t->state.blockingIPCBadge == badge) {
            q = tcbEPDequeue(t, q);
            setThreadState(t, ThreadState_Restart);
            tcbSchedEnqueue(t);
        }
        t = next;
    }
    ep_set_queue(epptr, q, EPState_Send);
    rescheduleRequired();
}

/* spec §8: label = error code, detail words in the MRs, badge 0. */
void replyFromKernel_error(tcb_t *thread)
{
    word_t *buffer = lookupIPCBuffer(true, thread);
    word_t len = setMRs_syscall_error(thread, buffer);

    setRegister(thread, badgeRegister, 0);
    setRegister(thread, msgInfoRegister, msginfo_new(current_syscall_error.type, 0, 0, len));
}

void replyFromKernel_success_empty(tcb_t *thread)
{
    setRegister(thread, badgeRegister, 0);
    setRegister(thread, msgInfoRegister, msginfo_new(0, 0, 0, 0));
}
