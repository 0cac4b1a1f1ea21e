/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CNodes and the capability derivation tree (MDB). The MDB is one doubly
 * linked list of slots in preorder: a cap's descendants follow it, and
 * isMDBParentOf decides where a subtree ends. This file owns every change
 * to that list (insert, move, swap, delete, revoke), the deletion of a
 * slot's cap with finalisation of its object through zombies, and the CNode
 * invocations of spec §12.3. It also finds a receiver's cap-receive slot
 * (spec §13.7) and makes a TCB's master reply cap (§13.4).
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <model/preemption.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/endpoint.h>
#include <object/interrupt.h>
#include <object/tcb.h>
#include <arch/object.h>

static const mdb_node_t nullMDBNode = {.words = {0, 0}};

/* --- the derivation tree ---------------------------------------------- */

static void mdbLinkAfter(cte_t *prev, cte_t *slot)
{
    cte_t *next = prev ? mdb_next(prev) : NULL;

    mdb_set_prev(slot, prev);
    mdb_set_next(slot, next);
    if (prev)
        mdb_set_next(prev, slot);
    if (next)
        mdb_set_prev(next, slot);
}

/* Copying an untyped cap whole makes the source unusable for Retype:
 * otherwise both caps could hand out the same memory. */
static void setUntypedCapAsFull(cap_t srcCap, cap_t newCap, cte_t *srcSlot)
{
    if (cap_get_type(srcCap) == cap_untyped_cap && cap_get_type(newCap) == cap_untyped_cap &&
        srcCap.untyped.ptr == newCap.untyped.ptr &&
        srcCap.untyped.blockSize == newCap.untyped.blockSize)
        srcSlot->cap.untyped.freeIndex = BIT(srcCap.untyped.blockSize - seL4_MinUntypedBits);
}

void cteInsert(cap_t newCap, cte_t *srcSlot, cte_t *destSlot)
{
    bool revocable = isCapRevocable(newCap, srcSlot->cap);

    kassert(cap_is_null(destSlot->cap));
    kassert(mdb_prev(destSlot) == NULL && mdb_next(destSlot) == NULL);
    setUntypedCapAsFull(srcSlot->cap, newCap, srcSlot);
    destSlot->cap = newCap;
    destSlot->mdb = nullMDBNode;
    destSlot->mdb.f.revocable = revocable;
    destSlot->mdb.f.firstBadged = revocable;
    mdbLinkAfter(srcSlot, destSlot);
}

/* Children of Retype, IRQ control, ASID control: always revocable. */
void insertNewCap(cte_t *parent, cte_t *slot, cap_t cap)
{
    kassert(cap_is_null(slot->cap));
    slot->cap = cap;
    slot->mdb = nullMDBNode;
    slot->mdb.f.revocable = true;
    slot->mdb.f.firstBadged = true;
    mdbLinkAfter(parent, slot);
}

void cteMove(cap_t newCap, cte_t *srcSlot, cte_t *destSlot)
{
    mdb_node_t mdb = srcSlot->mdb;

    kassert(cap_is_null(destSlot->cap));
    kassert(mdb_prev(destSlot) == NULL && mdb_next(destSlot) == NULL);
    destSlot->cap = newCap;
    destSlot->mdb = mdb;
    srcSlot->cap = cap_null_cap_new();
    srcSlot->mdb = nullMDBNode;
    if (mdb_prev(destSlot))
        mdb_set_next(mdb_prev(destSlot), destSlot);
    if (mdb_next(destSlot))
        mdb_set_prev(mdb_next(destSlot), destSlot);
}

/*
 * Exchange two slots' caps and tree positions. The neighbours of slot1 are
 * repointed before slot2's node is read, so two adjacent slots (one the
 * other's neighbour) come out right as well.
 */
void cteSwap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2)
{
    mdb_node_t mdb1, mdb2;

    slot1->cap = cap2;
    slot2->cap = cap1;
    mdb1 = slot1->mdb;
    if (mdb_prev(slot1))
        mdb_set_next(mdb_prev(slot1), slot2);
    if (mdb_next(slot1))
        mdb_set_prev(mdb_next(slot1), slot2);
    mdb2 = slot2->mdb;
    slot1->mdb = mdb2;
    slot2->mdb = mdb1;
    if (mdb_prev(slot1))
        mdb_set_next(mdb_prev(slot1), slot1);
    if (mdb_next(slot1))
        mdb_set_prev(mdb_next(slot1), slot1);
}

/* b is a's child: same region, a revocable, and for badged endpoint and
 * notification caps, b carries a's badge without starting its own subtree
 * (spec §7.4). */
bool isMDBParentOf(cte_t *a, cte_t *b)
{
    word_t badge;

    if (!a->mdb.f.revocable || !sameRegionAs(a->cap, b->cap))
        return false;
    switch (cap_get_type(a->cap)) {
    case cap_endpoint_cap:
        badge = a->cap.endpoint.badge;
        return badge == 0 || (badge == b->cap.endpoint.badge && !b->mdb.f.firstBadged);
    case cap_notification_cap:
        badge = a->cap.notification.badge;
        return badge == 0 || (badge == b->cap.notification.badge && !b->mdb.f.firstBadged);
    default:
        return true;
    }
}

exception_t ensureNoChildren(cte_t *slot)
{
    if (mdb_next(slot) && isMDBParentOf(slot, mdb_next(slot))) {
        current_syscall_error.type = seL4_RevokeFirst;
        return EXCEPTION_SYSCALL_ERROR;
    }
    return EXCEPTION_NONE;
}

exception_t ensureEmptySlot(cte_t *slot)
{
    if (!cap_is_null(slot->cap)) {
        current_syscall_error.type = seL4_DeleteFirst;
        return EXCEPTION_SYSCALL_ERROR;
    }
    return EXCEPTION_NONE;
}

/* Caps to one object are adjacent in the list, so checking both
 * neighbours is enough. */
bool isFinalCapability(cte_t *cte)
{
    if (mdb_prev(cte) && sameObjectAs(mdb_prev(cte)->cap, cte->cap))
        return false;
    return !mdb_next(cte) || !sameObjectAs(cte->cap, mdb_next(cte)->cap);
}

bool slotCapLongRunningDelete(cte_t *slot)
{
    if (cap_is_null(slot->cap) || !isFinalCapability(slot))
        return false;
    switch (cap_get_type(slot->cap)) {
    case cap_thread_cap:
    case cap_zombie_cap:
    case cap_cnode_cap:
        return true;
    default:
        return false;
    }
}

void setupReplyMaster(tcb_t *thread)
{
    cte_t *slot = tcb_cte(thread, tcbReply);

    if (!cap_is_null(slot->cap))
        return;
    slot->cap = cap_reply_cap_new(true, true, thread);
    slot->mdb = nullMDBNode;
    /* The master heads the tree of this thread's one-shot reply caps. */
    slot->mdb.f.revocable = true;
    slot->mdb.f.firstBadged = true;
}

/* --- deletion ------------------------------------------------------------ */

/* What a finalisation left to do once the slot is empty. */
static void postCapDeletion(cap_t cleanupInfo)
{
    switch (cap_get_type(cleanupInfo)) {
    case cap_irq_handler_cap:
        deletedIRQHandler(cleanupInfo.irq_handler.irq);
        break;
    case cap_io_port_cap:
        freeIOPortRange(cleanupInfo.io_port.firstPort, cleanupInfo.io_port.lastPort);
        break;
    default:
        break;
    }
}

/* Unlink; the next cap inherits firstBadged so a badged subtree keeps its
 * head when its first cap goes. */
static void emptySlot(cte_t *slot, cap_t cleanupInfo)
{
    if (cap_is_null(slot->cap))
        return;
    cte_t *prev = mdb_prev(slot), *next = mdb_next(slot);
    if (prev)
        mdb_set_next(prev, next);
    if (next) {
        mdb_set_prev(next, prev);
        next->mdb.f.firstBadged = next->mdb.f.firstBadged || slot->mdb.f.firstBadged;
    }
    slot->cap = cap_null_cap_new();
    slot->mdb = nullMDBNode;
    postCapDeletion(cleanupInfo);
}

static bool capRemovable(cap_t cap, cte_t *slot)
{
    switch (cap_get_type(cap)) {
    case cap_null_cap:
        return true;
    case cap_zombie_cap:
        return cap.zombie.number == 0 ||
               (cap.zombie.number == 1 && (cte_t *)cap.zombie.ptr == slot);
    default:
        kpanic("finaliseCap left a cap that is neither null nor a zombie");
    }
}

static bool capCyclicZombie(cap_t cap, cte_t *slot)
{
    return cap_get_type(cap) == cap_zombie_cap && (cte_t *)cap.zombie.ptr == slot;
}

typedef struct {
    exception_t status;
    bool success;
    cap_t cleanupInfo;
} finaliseSlot_ret_t;

static exception_t reduceZombie(cte_t *slot, bool immediate);

/*
 * Finalise slot's cap until it can be removed. With immediate set the
 * zombie is cleared slot by slot (reduceZombie); without it, as soon as the
 * zombie is in its own first slot ("cyclic"), the job is left for whoever
 * later deletes that slot: this bounds the recursion to two levels. Each
 * round is a work unit; on EXCEPTION_PREEMPTED the zombie left in the slot
 * records how far it got, and deleting the slot again continues from there.
 */
static finaliseSlot_ret_t finaliseSlot(cte_t *slot, bool immediate)
{
    while (!cap_is_null(slot->cap)) {
        bool final = isFinalCapability(slot);
        finaliseCap_ret_t fc = finaliseCap(slot->cap, final, false);

        if (capRemovable(fc.remainder, slot))
            return (finaliseSlot_ret_t){EXCEPTION_NONE, true, fc.cleanupInfo};
        slot->cap = fc.remainder;
        if (!immediate && capCyclicZombie(fc.remainder, slot))
            return (finaliseSlot_ret_t){EXCEPTION_NONE, false, fc.cleanupInfo};
        exception_t status = reduceZombie(slot, immediate);
        if (status == EXCEPTION_NONE)
            status = preemptionPoint();
        if (status != EXCEPTION_NONE)
            return (finaliseSlot_ret_t){status, false, cap_null_cap_new()};
    }
    return (finaliseSlot_ret_t){EXCEPTION_NONE, true, cap_null_cap_new()};
}

/* immediate: delete the zombie's last slot (one level of recursion, which
 * itself runs non-immediate). Otherwise move the zombie into its object's
 * first slot, taking that slot's cap in exchange, to be finalised next. */
static exception_t reduceZombie(cte_t *slot, bool immediate)
{
    cap_t z = slot->cap;
    cte_t *ptr = (cte_t *)z.zombie.ptr;
    word_t n = z.zombie.number;

    kassert(cap_get_type(z) == cap_zombie_cap && n > 0);
    if (!immediate) {
        kassert(ptr != slot);
        if (ptr != slot)
            cteSwap(ptr->cap, ptr, slot->cap, slot);
        return EXCEPTION_NONE;
    }
    cte_t *endSlot = &ptr[n - 1];
    exception_t status = cteDelete(endSlot, false);
    if (status != EXCEPTION_NONE)
        return status;
    cap_t now = slot->cap;
    if (cap_get_type(now) == cap_zombie_cap && (cte_t *)now.zombie.ptr == ptr &&
        now.zombie.number == n && now.zombie.zombieType == z.zombie.zombieType) {
        kassert(cap_is_null(endSlot->cap));
        slot->cap.zombie.number = n - 1;
    } else {
        /* Deleting endSlot swapped another object's zombie in here. */
        kassert(cap_is_null(now) ||
                (cap_get_type(now) == cap_zombie_cap && (cte_t *)now.zombie.ptr == slot));
    }
    return EXCEPTION_NONE;
}

exception_t cteDelete(cte_t *slot, bool exposed)
{
    finaliseSlot_ret_t r = finaliseSlot(slot, exposed);

    if (r.status != EXCEPTION_NONE)
        return r.status;
    if (exposed || r.success)
        emptySlot(slot, r.cleanupInfo);
    return EXCEPTION_NONE;
}

void cteDeleteOne(cte_t *slot)
{
    if (cap_is_null(slot->cap))
        return;
    finaliseCap_ret_t fc = finaliseCap(slot->cap, isFinalCapability(slot), true);
    kassert(capRemovable(fc.remainder, slot) && cap_is_null(fc.cleanupInfo));
    emptySlot(slot, cap_null_cap_new());
}

/* Children follow their parent in the list: delete the next cap while it
 * is a child. Each deleted child is a work unit; after a preemption the
 * children still in the list are what a restarted Revoke deletes. */
exception_t cteRevoke(cte_t *slot)
{
    for (cte_t *next = mdb_next(slot); next && isMDBParentOf(slot, next); next = mdb_next(slot)) {
        exception_t status = cteDelete(next, true);
        if (status == EXCEPTION_NONE)
            status = preemptionPoint();
        if (status != EXCEPTION_NONE)
            return status;
    }
    return EXCEPTION_NONE;
}

/* --- cap transfer ----------------------------------------------------------- */

/* IPC buffer words of the receive slot (spec §5.3). */
#define IPCBUF_RECEIVE_CNODE 125
#define IPCBUF_RECEIVE_INDEX 126
#define IPCBUF_RECEIVE_DEPTH 127

cte_t *getReceiveSlots(tcb_t *thread, word_t *buffer)
{
    if (!buffer)
        return NULL;
    lookupCap_ret_t root = lookupCap(thread, buffer[IPCBUF_RECEIVE_CNODE]);
    if (root.status != EXCEPTION_NONE)
        return NULL;
    lookupSlot_ret_t r =
        lookupTargetSlot(root.cap, buffer[IPCBUF_RECEIVE_INDEX], buffer[IPCBUF_RECEIVE_DEPTH]);
    if (r.status != EXCEPTION_NONE || !cap_is_null(r.slot->cap))
        return NULL;
    return r.slot;
}

/* --- invocations (spec §12.3) ----------------------------------------------- */

static exception_t syscallError(word_t type)
{
    current_syscall_error.type = type;
    return EXCEPTION_SYSCALL_ERROR;
}

/* An empty source (or pivot) slot: FailedLookup, missing capability with
 * the whole depth left. */
static exception_t emptySlotLookupError(bool isSource, word_t depth)
{
    current_syscall_error.type = seL4_FailedLookup;
    current_syscall_error.failedLookupWasSource = isSource;
    current_lookup_fault.type = lookup_fault_missing_capability;
    current_lookup_fault.bitsLeft = depth;
    current_lookup_fault.bitsFound = 0;
    current_lookup_fault.guardFound = 0;
    return EXCEPTION_SYSCALL_ERROR;
}

static word_t arg(word_t *buffer, word_t i)
{
    return getMR(ksCurThread, buffer, i);
}

static exception_t invokeCNodeRevoke(cte_t *destSlot)
{
    return cteRevoke(destSlot);
}

static exception_t invokeCNodeDelete(cte_t *destSlot)
{
    return cteDelete(destSlot, true);
}

static exception_t invokeCNodeCancelBadgedSends(cap_t cap)
{
    if (cap.endpoint.badge != 0) /* spec §12.3: badge 0 is a no-op */
        cancelBadgedSends(cap_endpoint_get_ptr(cap), cap.endpoint.badge);
    return EXCEPTION_NONE;
}

static exception_t invokeCNodeInsert(cap_t cap, cte_t *srcSlot, cte_t *destSlot)
{
    cteInsert(cap, srcSlot, destSlot);
    return EXCEPTION_NONE;
}

static exception_t invokeCNodeMove(cap_t cap, cte_t *srcSlot, cte_t *destSlot)
{
    cteMove(cap, srcSlot, destSlot);
    return EXCEPTION_NONE;
}

/* pivot → dest, src → pivot; dest == src makes it a swap. */
static exception_t invokeCNodeRotate(cap_t newSrcCap, cap_t newPivotCap, cte_t *srcSlot,
                                     cte_t *pivotSlot, cte_t *destSlot)
{
    if (srcSlot == destSlot) {
        cteSwap(newSrcCap, srcSlot, newPivotCap, pivotSlot);
    } else {
        cteMove(newPivotCap, pivotSlot, destSlot);
        cteMove(newSrcCap, srcSlot, pivotSlot);
    }
    return EXCEPTION_NONE;
}

/* Only a one-shot reply cap moves; a missing one is not an error. */
static exception_t invokeCNodeSaveCaller(cte_t *destSlot)
{
    cte_t *srcSlot = tcb_cte(ksCurThread, tcbCaller);
    cap_t cap = srcSlot->cap;

    kassert(cap_is_null(cap) || cap_get_type(cap) == cap_reply_cap);
    if (cap_get_type(cap) == cap_reply_cap && !cap.reply.isMaster)
        cteMove(cap, srcSlot, destSlot);
    return EXCEPTION_NONE;
}

/* The new cap for Copy/Mint/Move/Mutate, or an error; MR4/MR5 are read
 * only by the operations that have them, after their own length check. */
static deriveCap_ret_t newCapForCopyOrMove(word_t invLabel, word_t length, cte_t *srcSlot,
                                           word_t *buffer)
{
    deriveCap_ret_t r = {.status = EXCEPTION_NONE, .cap = srcSlot->cap};
    word_t minLength = invLabel == CNodeMint ? 6 : invLabel == CNodeMove ? 4 : 5;

    if (length < minLength) {
        r.status = syscallError(seL4_TruncatedMessage);
        return r;
    }
    switch (invLabel) {
    case CNodeCopy:
        return deriveCap(srcSlot, maskCapRights(arg(buffer, 4), srcSlot->cap));
    case CNodeMint:
        return deriveCap(srcSlot, updateCapData(false, arg(buffer, 5),
                                                maskCapRights(arg(buffer, 4), srcSlot->cap)));
    case CNodeMutate:
        r.cap = updateCapData(true, arg(buffer, 4), srcSlot->cap);
        return r;
    default: /* CNodeMove */
        return r;
    }
}

/* Copy, Mint, Move, Mutate: MR2/MR3 name the source in the tree of cap0. */
static exception_t decodeCNodeCopyOrMove(word_t invLabel, word_t length, cte_t *destSlot,
                                         word_t *buffer)
{
    cte_t *srcRootSlot = current_extra_caps.excaprefs[0];

    if (length < 4 || srcRootSlot == NULL)
        return syscallError(seL4_TruncatedMessage);
    word_t srcIndex = arg(buffer, 2), srcDepth = arg(buffer, 3);
    exception_t status = ensureEmptySlot(destSlot);
    if (status != EXCEPTION_NONE)
        return status;
    lookupSlot_ret_t src = lookupSourceSlot(srcRootSlot->cap, srcIndex, srcDepth);
    if (src.status != EXCEPTION_NONE)
        return src.status;
    if (cap_is_null(src.slot->cap))
        return emptySlotLookupError(true, srcDepth);

    deriveCap_ret_t nc = newCapForCopyOrMove(invLabel, length, src.slot, buffer);
    if (nc.status != EXCEPTION_NONE)
        return nc.status;
    if (cap_is_null(nc.cap))
        return syscallError(seL4_IllegalOperation);

    setThreadState(ksCurThread, ThreadState_Restart);
    if (invLabel == CNodeMove || invLabel == CNodeMutate)
        return invokeCNodeMove(nc.cap, src.slot, destSlot);
    return invokeCNodeInsert(nc.cap, src.slot, destSlot);
}

/* Rotate: MR2 dest data, MR3/4 pivot, MR5 pivot's new data... see §12.3. */
static exception_t decodeCNodeRotate(word_t length, cte_t *destSlot, word_t *buffer)
{
    cte_t *pivotRootSlot = current_extra_caps.excaprefs[0];
    cte_t *srcRootSlot = current_extra_caps.excaprefs[1];

    if (length < 8 || pivotRootSlot == NULL || srcRootSlot == NULL)
        return syscallError(seL4_TruncatedMessage);
    /* MR2 goes with the pivot cap (it lands in dest), MR5 with the source
     * cap (it lands in the pivot slot). */
    word_t pivotNewData = arg(buffer, 2), pivotIndex = arg(buffer, 3), pivotDepth = arg(buffer, 4);
    word_t srcNewData = arg(buffer, 5), srcIndex = arg(buffer, 6), srcDepth = arg(buffer, 7);

    lookupSlot_ret_t src = lookupSourceSlot(srcRootSlot->cap, srcIndex, srcDepth);
    if (src.status != EXCEPTION_NONE)
        return src.status;
    lookupSlot_ret_t pivot = lookupPivotSlot(pivotRootSlot->cap, pivotIndex, pivotDepth);
    if (pivot.status != EXCEPTION_NONE)
        return pivot.status;
    if (pivot.slot == src.slot || pivot.slot == destSlot)
        return syscallError(seL4_IllegalOperation);
    if (src.slot != destSlot && ensureEmptySlot(destSlot) != EXCEPTION_NONE)
        return EXCEPTION_SYSCALL_ERROR;
    if (cap_is_null(src.slot->cap))
        return emptySlotLookupError(true, srcDepth);
    if (cap_is_null(pivot.slot->cap))
        return emptySlotLookupError(false, pivotDepth);

    cap_t newSrcCap = updateCapData(true, srcNewData, src.slot->cap);
    cap_t newPivotCap = updateCapData(true, pivotNewData, pivot.slot->cap);
    if (cap_is_null(newSrcCap) || cap_is_null(newPivotCap))
        return syscallError(seL4_IllegalOperation);

    setThreadState(ksCurThread, ThreadState_Restart);
    return invokeCNodeRotate(newSrcCap, newPivotCap, src.slot, pivot.slot, destSlot);
}

/* cap is the CNode invoked: the root for MR0/MR1 (destination / target). */
exception_t decodeCNodeInvocation(word_t invLabel, word_t length, cap_t cap, word_t *buffer)
{
    if (invLabel < CNodeRevoke || invLabel > CNodeSaveCaller)
        return syscallError(seL4_IllegalOperation);
    if (length < 2)
        return syscallError(seL4_TruncatedMessage);
    lookupSlot_ret_t dest = lookupTargetSlot(cap, arg(buffer, 0), arg(buffer, 1));
    if (dest.status != EXCEPTION_NONE)
        return dest.status;

    switch (invLabel) {
    case CNodeCopy:
    case CNodeMint:
    case CNodeMove:
    case CNodeMutate:
        return decodeCNodeCopyOrMove(invLabel, length, dest.slot, buffer);
    case CNodeRotate:
        return decodeCNodeRotate(length, dest.slot, buffer);
    case CNodeRevoke:
        setThreadState(ksCurThread, ThreadState_Restart);
        return invokeCNodeRevoke(dest.slot);
    case CNodeDelete:
        setThreadState(ksCurThread, ThreadState_Restart);
        return invokeCNodeDelete(dest.slot);
    case CNodeSaveCaller:
        if (ensureEmptySlot(dest.slot) != EXCEPTION_NONE)
            return EXCEPTION_SYSCALL_ERROR;
        setThreadState(ksCurThread, ThreadState_Restart);
        return invokeCNodeSaveCaller(dest.slot);
    default: /* CNodeCancelBadgedSends */
        if (!hasCancelSendRights(dest.slot->cap))
            return syscallError(seL4_IllegalOperation);
        setThreadState(ksCurThread, ThreadState_Restart);
        return invokeCNodeCancelBadgedSends(dest.slot->cap);
    }
}
