/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notifications (spec §13.5) and bound notifications (§13.6): the word that
 * signals OR into, the FIFO of waiting threads, the link between a
 * notification and the one TCB bound to it, and the cancellation of waits.
 * A notification is Idle (word meaningless), Waiting (queue non-empty) or
 * Active (word pending, nobody waiting).
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/thread.h>
#include <object/notification.h>
#include <object/endpoint.h>
#include <object/objecttype.h>
#include <object/tcb.h>

static tcb_queue_t ntfn_queue(const notification_t *n)
{
    return (tcb_queue_t){.head = ntfn_head(n), .end = n->queueTail};
}

static void ntfn_set_queue(notification_t *n, tcb_queue_t q)
{
    ntfn_set(n, q.head, q.end, q.head ? NtfnState_Waiting : NtfnState_Idle);
}

static void ntfn_activate(notification_t *n, word_t word)
{
    ntfn_set(n, NULL, NULL, NtfnState_Active);
    n->msgIdentifier = word;
}

/* Wake t with the signal word in its badge register; nothing else of its
 * registers changes (spec §13.1). */
static void wakeWithBadge(tcb_t *t, word_t badge)
{
    setThreadState(t, ThreadState_Running);
    setRegister(t, badgeRegister, badge);
    possibleSwitchTo(t);
}

/*
 * spec §13.5: the head waiter gets the badge; with no waiter, a bound
 * thread waiting on an endpoint is pulled out of that receive. A bound
 * thread blocked in a Call (BlockedOnSend or BlockedOnReply) is not woken:
 * the badge accumulates.
 */
void sendSignal(notification_t *ntfnPtr, word_t badge)
{
    switch (ntfn_state(ntfnPtr)) {
    case NtfnState_Idle: {
        tcb_t *tcb = ntfnPtr->boundTCB;
        if (tcb && tcb->state.type == ThreadState_BlockedOnReceive) {
            cancelIPC(tcb);
            wakeWithBadge(tcb, badge);
        } else {
            ntfn_activate(ntfnPtr, badge);
        }
        break;
    }
    case NtfnState_Waiting: {
        tcb_t *dest = ntfn_head(ntfnPtr);
        kassert(dest != NULL);
        ntfn_set_queue(ntfnPtr, tcbEPDequeue(dest, ntfn_queue(ntfnPtr)));
        wakeWithBadge(dest, badge);
        break;
    }
    case NtfnState_Active:
        ntfnPtr->msgIdentifier |= badge;
        break;
    default:
        kassert(!"notification in an unknown state");
    }
}

/* Recv/NBRecv on a notification; handleRecv has checked the rights and
 * the binding. */
void receiveSignal(tcb_t *thread, cap_t cap, bool isBlocking)
{
    notification_t *ntfn = cap_notification_get_ptr(cap);

    if (ntfn_state(ntfn) == NtfnState_Active) {
        completeSignal(ntfn, thread);
        return;
    }
    if (!isBlocking) {
        doNBRecvFailedTransfer(thread);
        return;
    }
    thread->state.blockingObject = (word_t)ntfn;
    setThreadState(thread, ThreadState_BlockedOnNotification);
    ntfn_set_queue(ntfn, tcbEPAppend(thread, ntfn_queue(ntfn)));
}

/* The notification is going away: every waiter re-executes its Recv. */
void cancelAllSignals(notification_t *ntfnPtr)
{
    if (ntfn_state(ntfnPtr) != NtfnState_Waiting)
        return;
    tcb_t *t = ntfn_head(ntfnPtr);
    ntfn_set_queue(ntfnPtr, (tcb_queue_t){NULL, NULL});
    while (t) {
        tcb_t *next = t->epNext;
        t->epNext = t->epPrev = NULL;
        setThreadState(t, ThreadState_Restart);
        tcbSchedEnqueue(t);
        t = next;
    }
    rescheduleRequired();
}

void cancelSignal(tcb_t *threadPtr, notification_t *ntfnPtr)
{
    kassert(ntfn_state(ntfnPtr) == NtfnState_Waiting);
    ntfn_set_queue(ntfnPtr, tcbEPDequeue(threadPtr, ntfn_queue(ntfnPtr)));
    setThreadState(threadPtr, ThreadState_Inactive);
}

void completeSignal(notification_t *ntfnPtr, tcb_t *tcb)
{
    kassert(tcb != NULL && ntfn_state(ntfnPtr) == NtfnState_Active);
    setRegister(tcb, badgeRegister, ntfnPtr->msgIdentifier);
    ntfn_set(ntfnPtr, NULL, NULL, NtfnState_Idle);
    ntfnPtr->msgIdentifier = 0;
}

/* TCB_BindNotification has checked that both sides are free (§12.2). */
void bindNotification(tcb_t *tcb, notification_t *ntfnPtr)
{
    kassert(tcb->boundNotification == NULL && ntfnPtr->boundTCB == NULL);
    ntfnPtr->boundTCB = tcb;
    tcb->boundNotification = ntfnPtr;
}

void unbindNotification(tcb_t *tcb)
{
    notification_t *ntfn = tcb->boundNotification;

    if (ntfn) {
        ntfn->boundTCB = NULL;
        tcb->boundNotification = NULL;
    }
}

void unbindMaybeNotification(notification_t *ntfnPtr)
{
    tcb_t *tcb = ntfnPtr->boundTCB;

    if (tcb) {
        ntfnPtr->boundTCB = NULL;
        tcb->boundNotification = NULL;
    }
}
