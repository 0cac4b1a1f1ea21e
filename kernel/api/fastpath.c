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
#include <arch/object.h>
#include <arch/x86.h>

_Static_assert(FASTPATH_SYSCALL_CALL == seL4_SysCall &&
                   FASTPATH_SYSCALL_REPLYRECV == seL4_SysReplyRecv,
               "entry.S dispatches on these numbers");

/* MessageInfo bits that must be zero: extraCaps, and length above 4. The
 * fast case also clears capsUnwrapped, as the slow path's transfer
 * recomputes it (spec §5.1, §13.7). */
#define FP_MI_CAPS_LEN_MASK  MASK(seL4_MsgLengthBits + seL4_MsgExtraCapBits)
#define FP_MI_UNWRAPPED_MASK (MASK(3) << 9)

static FORCE_INLINE bool fpMessageOk(word_t info)
{
    return (info & FP_MI_CAPS_LEN_MASK) <= seL4_FastMessageRegisters;
}

/* lookupCap(t, cptr) as an endpoint cap, or a null cap for any failure
 * (the slow path then reports it). The usual CSpace, a root CNode whose
 * guard and radix consume all 64 bits, is resolved inline with the
 * checks of resolveAddressBits for that case: the guard is the top
 * guardSize = 64 - radix bits, the index the low radix bits. */
static FORCE_INLINE cap_t fpLookupCap(tcb_t *t, word_t cptr)
{
    cap_t root = tcb_cte(t, tcbCTable)->cap;
    word_t radix = root.cnode.radix;

    if (likely(cap_get_type(root) == cap_cnode_cap &&
               radix + root.cnode.guardSize == seL4_WordBits)) {
        if ((cptr >> radix) != root.cnode.guard)
            return cap_null_cap_new();
        return cap_cnode_get_ptr(root)[cptr & MASK(radix)].cap;
    }
    lookupCap_ret_t lu = lookupCap(t, cptr);
    return lu.status == EXCEPTION_NONE ? lu.cap : cap_null_cap_new();
}

/* Only the `length` MRs travel; the receiver's other registers keep their
 * values, as copyMRs leaves them (spec §5.2). */
static FORCE_INLINE void fpCopyMRs(tcb_t *src, tcb_t *dst, word_t length)
{
    switch (length) {
    case 4:
        setRegister(dst, msgRegisters[3], getRegister(src, msgRegisters[3]));
        /* fallthrough */
    case 3:
        setRegister(dst, msgRegisters[2], getRegister(src, msgRegisters[2]));
        /* fallthrough */
    case 2:
        setRegister(dst, msgRegisters[1], getRegister(src, msgRegisters[1]));
        /* fallthrough */
    case 1:
        setRegister(dst, msgRegisters[0], getRegister(src, msgRegisters[0]));
    }
}

/* The PML4 t would run on, when that is its own (a valid VTable root whose
 * ASID still names it); NULL leaves the other cases to the slow path. */
static FORCE_INLINE pml4_t *fpVSpaceRoot(tcb_t *t)
{
    return vtableRootOf(tcb_cte(t, tcbVTable)->cap);
}

/* switchToThread without the queue work: next was blocked, so it is in no
 * ready queue, and the action stays "resume current" as schedule() leaves
 * it. Arch_switchToThread's steps, with the VSpace root already found. */
static FORCE_INLINE NORETURN void fpSwitchTo(tcb_t *next, pml4_t *root)
{
    setCurrentVSpaceRoot(pptr_to_paddr((pptr_t)root)); /* roots are objects */
    ksCurContextTop = &next->ctx.regs[REG_HW_END];
    tss_set_ist1((word_t)ksCurContextTop);
    ksCurThread = next;
    restore_user_context_fast();
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
    cap_t ep_cap = fpLookupCap(cur, cptr);
    if (cap_get_type(ep_cap) != cap_endpoint_cap || !ep_cap.endpoint.canSend ||
        !(ep_cap.endpoint.canGrant || ep_cap.endpoint.canGrantReply))
        return;
    endpoint_t *ep = cap_endpoint_get_ptr(ep_cap);
    if (ep_state(ep) != EPState_Recv)
        return;
    tcb_t *dest = ep_head(ep);
    pml4_t *root = fpVSpaceRoot(dest);
    if (!root || dest->domain != ksCurDomain ||
        (dest->priority < cur->priority && !isHighestPrio(dest->priority)) ||
        !cap_is_null(tcb_cte(dest, tcbCaller)->cap) ||
        ksSchedulerAction != SchedulerAction_ResumeCurrentThread)
        return;

    /* Past this point the fastpath cannot fail. */
    fpDequeueHead(ep, dest, EPState_Recv);
    cur->state.type = ThreadState_BlockedOnReply;
    fpInsertReplyCap(cur, dest, dest->state.receiveCanGrant);

    word_t length = msgInfo & FP_MI_CAPS_LEN_MASK; /* extraCaps = 0 */
    fpCopyMRs(cur, dest, length);
    setRegister(dest, badgeRegister, ep_cap.endpoint.badge);
    setRegister(dest, msgInfoRegister, msgInfo & ~FP_MI_UNWRAPPED_MASK);
    dest->state.type = ThreadState_Running;
    fpSwitchTo(dest, root);
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
    cap_t ep_cap = fpLookupCap(cur, cptr);
    if (cap_get_type(ep_cap) != cap_endpoint_cap || !ep_cap.endpoint.canReceive)
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
    pml4_t *root = fpVSpaceRoot(caller);
    if (caller->fault.type != seL4_Fault_NullFault || !root || caller->domain != ksCurDomain ||
        !isHighestPrio(caller->priority) ||
        ksSchedulerAction != SchedulerAction_ResumeCurrentThread)
        return;
    kassert(caller->state.type == ThreadState_BlockedOnReply);

    /* Past this point the fastpath cannot fail. */
    cur->state.blockingObject = (word_t)ep;
    cur->state.receiveCanGrant = ep_cap.endpoint.canGrant;
    cur->state.type = ThreadState_BlockedOnReceive;
    fpAppendReceiver(ep, cur);

    word_t length = msgInfo & FP_MI_CAPS_LEN_MASK; /* extraCaps = 0 */
    fpCopyMRs(cur, caller, length);
    setRegister(caller, badgeRegister, 0);
    setRegister(caller, msgInfoRegister, msgInfo & ~FP_MI_UNWRAPPED_MASK);
    fpDeleteReplyCap(callerSlot);
    caller->state.type = ThreadState_Running;
    fpSwitchTo(caller, root);
}
