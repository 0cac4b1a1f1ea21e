/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capability addressing (spec §7.2): the guard/radix walk through a tree of
 * CNodes, the 64-bit capability lookup from a thread's CSpace root, and the
 * index/depth slot addressing used by CNode, Untyped and IRQ operations.
 * Failures are described in current_lookup_fault with the words spec §8
 * sends (bits left, bits found, guard found); the slot-addressing variants
 * also turn them into a FailedLookup / RangeError syscall error. Nothing
 * here changes any state other than those two globals.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <kernel/cspace.h>
#include <object/objecttype.h>
#include <model/statedata.h>

static void setLookupFault(word_t type, word_t bitsLeft, word_t bitsFound, word_t guardFound)
{
    current_lookup_fault.type = type;
    current_lookup_fault.bitsLeft = bitsLeft;
    current_lookup_fault.bitsFound = bitsFound;
    current_lookup_fault.guardFound = guardFound;
}

/*
 * Every CNode level consumes guardSize + radix >= 1 bits (a CNode has
 * radix >= 1: Retype refuses size_bits 0), so the walk ends after at most
 * n_bits levels even when a CNode contains a cap to itself.
 */
resolveAddressBits_ret_t resolveAddressBits(cap_t nodeCap, cptr_t capptr, word_t n_bits)
{
    resolveAddressBits_ret_t ret = {
        .status = EXCEPTION_NONE, .slot = NULL, .bitsRemaining = n_bits};

    if (cap_get_type(nodeCap) != cap_cnode_cap) {
        setLookupFault(lookup_fault_invalid_root, 0, 0, 0);
        ret.status = EXCEPTION_LOOKUP_FAULT;
        return ret;
    }
    for (;;) {
        word_t radix = nodeCap.cnode.radix;
        word_t guardSize = nodeCap.cnode.guardSize;
        word_t levelBits = radix + guardSize;
        word_t capGuard = nodeCap.cnode.guard;
        kassert(levelBits != 0 && n_bits <= 64);

        /* The guard is the top guardSize bits of what is left. A guard
         * longer than what is left is a mismatch, not a depth error; the
         * fault reports the cap's guard (spec §8 "guard found"). */
        word_t guard = 0;
        if (guardSize != 0 && guardSize <= n_bits)
            guard = (capptr >> (n_bits - guardSize)) & MASK(guardSize);
        if (guardSize > n_bits || guard != capGuard) {
            setLookupFault(lookup_fault_guard_mismatch, n_bits, guardSize, capGuard);
            ret.status = EXCEPTION_LOOKUP_FAULT;
            return ret;
        }
        if (levelBits > n_bits) {
            setLookupFault(lookup_fault_depth_mismatch, n_bits, levelBits, 0);
            ret.status = EXCEPTION_LOOKUP_FAULT;
            return ret;
        }
        cte_t *slot = cap_cnode_get_ptr(nodeCap) + ((capptr >> (n_bits - levelBits)) & MASK(radix));
        n_bits -= levelBits;
        ret.slot = slot;
        ret.bitsRemaining = n_bits;
        if (n_bits == 0)
            return ret;
        /* Stop at anything that is not a CNode, even an empty slot: the
         * remaining bits are the caller's business. */
        nodeCap = slot->cap;
        if (cap_get_type(nodeCap) != cap_cnode_cap)
            return ret;
    }
}

lookupSlot_ret_t lookupSlot(tcb_t *thread, cptr_t cPtr)
{
    resolveAddressBits_ret_t r =
        resolveAddressBits(tcb_cte(thread, tcbCTable)->cap, cPtr, seL4_WordBits);
    return (lookupSlot_ret_t){.status = r.status, .slot = r.slot};
}

lookupCapAndSlot_ret_t lookupCapAndSlot(tcb_t *thread, cptr_t cPtr)
{
    lookupSlot_ret_t r = lookupSlot(thread, cPtr);
    if (r.status != EXCEPTION_NONE)
        return (lookupCapAndSlot_ret_t){
            .status = r.status, .cap = cap_null_cap_new(), .slot = NULL};
    return (lookupCapAndSlot_ret_t){.status = EXCEPTION_NONE, .cap = r.slot->cap, .slot = r.slot};
}

lookupCap_ret_t lookupCap(tcb_t *thread, cptr_t cPtr)
{
    lookupCapAndSlot_ret_t r = lookupCapAndSlot(thread, cPtr);
    return (lookupCap_ret_t){.status = r.status, .cap = r.cap};
}

static lookupSlot_ret_t failedLookup(bool isSource)
{
    current_syscall_error.type = seL4_FailedLookup;
    current_syscall_error.failedLookupWasSource = isSource;
    return (lookupSlot_ret_t){.status = EXCEPTION_SYSCALL_ERROR, .slot = NULL};
}

/* Order of the checks (spec §7.2, §12.3): root type, depth range, walk,
 * then exact consumption of the depth. */
lookupSlot_ret_t lookupSlotForCNodeOp(bool isSource, cap_t root, cptr_t capptr, word_t depth)
{
    if (cap_get_type(root) != cap_cnode_cap) {
        setLookupFault(lookup_fault_invalid_root, 0, 0, 0);
        return failedLookup(isSource);
    }
    if (depth < 1 || depth > seL4_WordBits) {
        current_syscall_error.type = seL4_RangeError;
        current_syscall_error.rangeErrorMin = 1;
        current_syscall_error.rangeErrorMax = seL4_WordBits;
        return (lookupSlot_ret_t){.status = EXCEPTION_SYSCALL_ERROR, .slot = NULL};
    }
    resolveAddressBits_ret_t r = resolveAddressBits(root, capptr, depth);
    if (r.status != EXCEPTION_NONE)
        return failedLookup(isSource); /* current_lookup_fault set by the walk */
    if (r.bitsRemaining != 0) {
        /* Stopped early at a non-CNode cap: no bits of this level were
         * found, bitsRemaining were left over. */
        setLookupFault(lookup_fault_depth_mismatch, r.bitsRemaining, 0, 0);
        return failedLookup(isSource);
    }
    return (lookupSlot_ret_t){.status = EXCEPTION_NONE, .slot = r.slot};
}

lookupSlot_ret_t lookupSourceSlot(cap_t root, cptr_t capptr, word_t depth)
{
    return lookupSlotForCNodeOp(true, root, capptr, depth);
}

lookupSlot_ret_t lookupTargetSlot(cap_t root, cptr_t capptr, word_t depth)
{
    return lookupSlotForCNodeOp(false, root, capptr, depth);
}

lookupSlot_ret_t lookupPivotSlot(cap_t root, cptr_t capptr, word_t depth)
{
    return lookupSlotForCNodeOp(true, root, capptr, depth);
}
