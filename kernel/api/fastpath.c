/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC fastpath (spec §13.9): a Call that finds its receiver waiting,
 * and a ReplyRecv that replies to a caller and then waits on an endpoint
 * with no sender queued, each with at most four message registers and no
 * caps. Each function checks every condition under which the slow path
 * (syscall.c, endpoint.c, thread.c) could do anything other than "transfer
 * the registers, block the current thread, switch straight to the other
 * one", and returns untouched if one fails. What it does then is the slow
 * path's effect step by step, without the general machinery: the same
 * thread states, queue and reply-cap (MDB) changes, registers and
 * scheduler outcome. Contract with the entry code: api/fastpath.h.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <api/fastpath.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/objecttype.h>
#include <object/tcb.h>
#include <arch/hardware.h>
#include <arch/paging.h>

/* MessageInfo bits that must be zero: extraCaps, and length above 4. The
 * fast case also clears capsUnwrapped, as the slow path's transfer
 * recomputes it (spec §5.1, §13.7). */
#define FP_MI_CAPS_LEN_MASK  MASK(seL4_MsgLengthBits + seL4_MsgExtraCapBits)
#define FP_MI_UNWRAPPED_MASK (MASK(3) << 9)

static FORCE_INLINE bool fpMessageOk(word_t info)
{
    return (info & FP_MI_CAPS_LEN_MASK) <= seL4_FastMessageRegisters;
}

/* Only the `length` MRs travel; the receiver's other registers keep their
 * values, as copyMRs leaves them (spec §5.2). */
static FORCE_INLINE void fpCopyMRs(tcb_t *src, tcb_t *dst, word_t length)
{
    for (word_t i = 0; i < length; i++)
        setRegister(dst, msgRegisters[i], getRegister(src, msgRegisters[i]));
}

static FORCE_INLINE bool fpVSpaceOk(tcb_t *t)
{
    return isValidVTableRoot(tcb_cte(t, tcbVTable)->cap);
}

/* switchToThread without the queue work: next was blocked, so it is in no
 * ready queue, and the action stays "resume current" as schedule() leaves
 * it. */
static FORCE_INLINE NORETURN void fpSwitchTo(tcb_t *next)
{
    Arch_switchToThread(next);
    ksCurThread = next;
    restore_user_context();
}

/* The reply cap setupCallerCap would make: a non-revocable child of the
 * caller's master reply cap, in the receiver's caller slot. */
static FORCE_INLINE void fpInsertReplyCap(tcb_t *caller, tcb_t *receiver, bool canGrant)
{
    cte_t *master = tcb_cte(caller, tcbReply);
    cte_t *slot = tcb_cte(receiver, tcbCaller);
    cte_t *next = mdb_next(master);

    slot->cap = cap_reply_cap_new(canGrant, false, caller);
    slot->mdb.words[0] = 0;
    mdb_set_prev(slot, master);
    mdb_set_next(slot, next);
    mdb_set_next(master, slot);
    if (next)
        mdb_set_prev(next, slot);
}

/* cteDeleteOne of a reply cap: finalising it does nothing, so only the
 * unlink (with the firstBadged hand-over emptySlot does) remains. */
static FORCE_INLINE void fpDeleteReplyCap(cte_t *slot)
{
    cte_t *prev = mdb_prev(slot), *next = mdb_next(slot);

    if (prev)
        mdb_set_next(prev, next);
    if (next) {
        mdb_set_prev(next, prev);
        next->mdb.f.firstBadged |= slot->mdb.f.firstBadged;
    }
    slot->cap = cap_null_cap_new();
    slot->mdb.words[0] = slot->mdb.words[1] = 0;
}

/* Remove the head of an endpoint queue (tcbEPDequeue of the head). */
static FORCE_INLINE void fpDequeueHead(endpoint_t *ep, tcb_t *head, endpoint_state_t st)
{
    tcb_t *next = head->epNext;

    if (next) {
        next->epPrev = NULL;
        ep_set(ep, next, ep->queueTail, st);
    } else {
        ep_set(ep, NULL, NULL, EPState_Idle);
    }
    head->epNext = head->epPrev = NULL;
}

/* Append to an endpoint queue that is idle or holds receivers. */
static FORCE_INLINE void fpAppendReceiver(endpoint_t *ep, tcb_t *t)
{
    tcb_t *tail = ep->queueTail;

    t->epNext = NULL;
    t->epPrev = tail;
    if (tail) {
        tail->epNext = t;
        ep_set(ep, ep_head(ep), t, EPState_Recv);
    } else {
        ep_set(ep, t, t, EPState_Recv);
    }
}

/*
 * Call on an endpoint with a receiver waiting (slow path: handleInvocation
 * -> sendIPC -> doIPCTransfer, setupCallerCap; schedule picks the receiver
 * because the caller is blocked and the receiver is at least as important
 * or the most important ready thread, spec §13.2).
 */
void fastpath_call(word_t cptr, word_t msgInfo)
{
    tcb_t *cur = ksCurThread;

    if (!fpMessageOk(msgInfo))
        return;
    lookupCap_ret_t lu = lookupCap(cur, cptr);
    cap_t ep_cap = lu.cap;
    if (lu.status != EXCEPTION_NONE || cap_get_type(ep_cap) != cap_endpoint_cap ||
        !ep_cap.endpoint.canSend || !(ep_cap.endpoint.canGrant || ep_cap.endpoint.canGrantReply))
        return;
    endpoint_t *ep = cap_endpoint_get_ptr(ep_cap);
    if (ep_state(ep) != EPState_Recv)
        return;
    tcb_t *dest = ep_head(ep);
    if (!fpVSpaceOk(dest) || dest->domain != ksCurDomain ||
        (dest->priority < cur->priority && !isHighestPrio(dest->priority)) ||
        !cap_is_null(tcb_cte(dest, tcbCaller)->cap) ||
        ksSchedulerAction != SchedulerAction_ResumeCurrentThread)
        return;

    /* Past this point the fastpath cannot fail. */
    fpDequeueHead(ep, dest, EPState_Recv);
    cur->state.type = ThreadState_BlockedOnReply;
    fpInsertReplyCap(cur, dest, dest->state.receiveCanGrant);

    word_t length = msgInfo & MASK(seL4_MsgLengthBits);
    fpCopyMRs(cur, dest, length);
    setRegister(dest, badgeRegister, ep_cap.endpoint.badge);
    setRegister(dest, msgInfoRegister, msgInfo & ~FP_MI_UNWRAPPED_MASK);
    dest->state.type = ThreadState_Running;
    fpSwitchTo(dest);
}

/*
 * ReplyRecv with a caller waiting for an ordinary (non-fault) reply and no
 * sender or pending signal on the receive side (slow path: handleReply ->
 * doReplyTransfer, then handleRecv -> receiveIPC blocks; schedule picks the
 * caller when it is the most important ready thread).
 */
void fastpath_reply_recv(word_t cptr, word_t msgInfo)
{
    tcb_t *cur = ksCurThread;

    if (!fpMessageOk(msgInfo))
        return;
    lookupCap_ret_t lu = lookupCap(cur, cptr);
    cap_t ep_cap = lu.cap;
    if (lu.status != EXCEPTION_NONE || cap_get_type(ep_cap) != cap_endpoint_cap ||
        !ep_cap.endpoint.canReceive)
        return;
    notification_t *ntfn = cur->boundNotification;
    if (ntfn && ntfn_state(ntfn) == NtfnState_Active)
        return;
    endpoint_t *ep = cap_endpoint_get_ptr(ep_cap);
    if (ep_state(ep) == EPState_Send)
        return;
    cte_t *callerSlot = tcb_cte(cur, tcbCaller);
    cap_t callerCap = callerSlot->cap;
    if (cap_get_type(callerCap) != cap_reply_cap || callerCap.reply.isMaster)
        return;
    tcb_t *caller = cap_reply_get_tcb(callerCap);
    if (caller->fault.type != seL4_Fault_NullFault || !fpVSpaceOk(caller) ||
        caller->domain != ksCurDomain || !isHighestPrio(caller->priority) ||
        ksSchedulerAction != SchedulerAction_ResumeCurrentThread)
        return;
    kassert(caller->state.type == ThreadState_BlockedOnReply);

    /* Past this point the fastpath cannot fail. */
    cur->state.blockingObject = (word_t)ep;
    cur->state.receiveCanGrant = ep_cap.endpoint.canGrant;
    cur->state.type = ThreadState_BlockedOnReceive;
    fpAppendReceiver(ep, cur);

    word_t length = msgInfo & MASK(seL4_MsgLengthBits);
    fpCopyMRs(cur, caller, length);
    setRegister(caller, badgeRegister, 0);
    setRegister(caller, msgInfoRegister, msgInfo & ~FP_MI_UNWRAPPED_MASK);
    fpDeleteReplyCap(callerSlot);
    caller->state.type = ThreadState_Running;
    fpSwitchTo(caller);
}
