/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Untyped memory and Retype (spec §10). An untyped cap owns a naturally
 * aligned block and a watermark (freeIndex, in 16-byte units): memory below
 * it may be in use by objects, memory above it is free and zero (unless the
 * untyped is device memory). Retype places new objects at the watermark,
 * each aligned to its own size, and inserts their caps as children of the
 * untyped. When the untyped has no children left, the next Retype first
 * resets it: clears what was used and moves the watermark back to 0 — boot
 * untypeds start "full", so their first Retype clears them.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <model/preemption.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/untyped.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/tcb.h>

#define RESET_CHUNK_BITS 8 /* spec §10: reset clears 256-byte steps */

static word_t freeIndexToOffset(word_t freeIndex)
{
    return freeIndex << seL4_MinUntypedBits;
}
static word_t offsetToFreeIndex(word_t offset)
{
    return offset >> seL4_MinUntypedBits;
}

/*
 * Clear what the untyped ever handed out and restart its watermark. Memory
 * above the watermark is already zero, so only [0, offset) needs clearing,
 * rounded to whole chunks. A large untyped is cleared from the top down, one
 * chunk per work unit, lowering the watermark after each chunk: memory above
 * it stays zero at every preemption point, and a restarted Retype (the
 * untyped still has no children) resumes at the chunk where this one
 * stopped.
 */
static exception_t resetUntypedCap(cte_t *slot)
{
    cap_t cap = slot->cap;
    word_t offset = freeIndexToOffset(cap.untyped.freeIndex);

    if (offset == 0)
        return EXCEPTION_NONE;
    if (cap.untyped.isDevice || cap.untyped.blockSize < RESET_CHUNK_BITS) {
        if (!cap.untyped.isDevice)
            memset((void *)cap.untyped.ptr, 0, BIT(cap.untyped.blockSize));
        slot->cap.untyped.freeIndex = 0;
        return EXCEPTION_NONE;
    }
    for (word_t chunk = ROUND_UP(offset, RESET_CHUNK_BITS); chunk != 0;) {
        chunk -= BIT(RESET_CHUNK_BITS);
        memset((void *)(cap.untyped.ptr + chunk), 0, BIT(RESET_CHUNK_BITS));
        slot->cap.untyped.freeIndex = offsetToFreeIndex(chunk);
        exception_t status = preemptionPoint();
        if (status != EXCEPTION_NONE)
            return status;
    }
    return EXCEPTION_NONE;
}

/* May be preempted only while resetting, before any object exists. */
static exception_t invokeUntypedRetype(cte_t *srcSlot, bool reset, word_t retypeBase,
                                       word_t newType, word_t userSize, cte_t *destCNode,
                                       word_t destOffset, word_t destLength, bool deviceMemory)
{
    word_t objectSize = getObjectSize(newType, userSize);

    if (reset) {
        exception_t status = resetUntypedCap(srcSlot);
        if (status != EXCEPTION_NONE)
            return status;
    }
    word_t freeRef = retypeBase + (destLength << objectSize);
    srcSlot->cap.untyped.freeIndex = offsetToFreeIndex(freeRef - srcSlot->cap.untyped.ptr);
    createNewObjects(newType, srcSlot, destCNode, destOffset, destLength, (void *)retypeBase,
                     userSize, deviceMemory);
    return EXCEPTION_NONE;
}

static exception_t syscallError(word_t type)
{
    current_syscall_error.type = type;
    return EXCEPTION_SYSCALL_ERROR;
}

static exception_t invalidArgument(word_t n)
{
    current_syscall_error.invalidArgumentNumber = n;
    return syscallError(seL4_InvalidArgument);
}

static exception_t rangeError(word_t min, word_t max)
{
    current_syscall_error.rangeErrorMin = min;
    current_syscall_error.rangeErrorMax = max;
    return syscallError(seL4_RangeError);
}

/* Checks 2-4 of spec §10: the type and its size. */
static exception_t checkObjectType(word_t newType, word_t userSize)
{
    if (newType >= seL4_ObjectTypeCount)
        return invalidArgument(0);
    word_t objectSize = getObjectSize(newType, userSize);
    if (userSize >= seL4_WordBits || objectSize > seL4_MaxUntypedBits)
        return rangeError(0, seL4_MaxUntypedBits);
    if (newType == seL4_CapTableObject && userSize == 0)
        return invalidArgument(1);
    if (newType == seL4_UntypedObject && userSize < seL4_MinUntypedBits)
        return invalidArgument(1);
    return EXCEPTION_NONE;
}

typedef struct {
    exception_t status;
    cte_t *slots; /* first slot of the destination CNode */
} destCNode_ret_t;

/* Checks 5-8: the destination CNode, the window in it and its emptiness. */
static destCNode_ret_t lookupDestination(cte_t *rootSlot, word_t nodeIndex, word_t nodeDepth,
                                         word_t nodeOffset, word_t nodeWindow)
{
    destCNode_ret_t ret = {.status = EXCEPTION_SYSCALL_ERROR, .slots = NULL};
    cap_t nodeCap = rootSlot->cap;

    if (nodeDepth != 0) { /* depth 0: cap0 itself (spec §7.2) */
        lookupSlot_ret_t lu = lookupTargetSlot(rootSlot->cap, nodeIndex, nodeDepth);
        if (lu.status != EXCEPTION_NONE)
            return ret;
        nodeCap = lu.slot->cap;
    }
    if (cap_get_type(nodeCap) != cap_cnode_cap) {
        current_syscall_error.type = seL4_FailedLookup;
        current_syscall_error.failedLookupWasSource = false;
        current_lookup_fault =
            (lookup_fault_t){.type = lookup_fault_missing_capability, .bitsLeft = nodeDepth};
        return ret;
    }
    word_t nodeSize = BIT(nodeCap.cnode.radix);
    if (nodeOffset > nodeSize - 1) {
        ret.status = rangeError(0, nodeSize - 1);
        return ret;
    }
    if (nodeWindow < 1 || nodeWindow > CONFIG_RETYPE_FAN_OUT_LIMIT) {
        ret.status = rangeError(1, CONFIG_RETYPE_FAN_OUT_LIMIT);
        return ret;
    }
    if (nodeWindow > nodeSize - nodeOffset) {
        ret.status = rangeError(1, nodeSize - nodeOffset);
        return ret;
    }
    cte_t *slots = cap_cnode_get_ptr(nodeCap);
    for (word_t i = nodeOffset; i < nodeOffset + nodeWindow; i++)
        if (ensureEmptySlot(&slots[i]) != EXCEPTION_NONE)
            return ret;
    return (destCNode_ret_t){.status = EXCEPTION_NONE, .slots = slots};
}

/* spec §10, checks 1-12 in order; MR0..5 = type, size_bits, node_index,
 * node_depth, node_offset, num_objects; cap0 = root CNode. */
exception_t decodeUntypedInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                    bool call, word_t *buffer)
{
    if (invLabel != UntypedRetype)
        return syscallError(seL4_IllegalOperation);
    cte_t *rootSlot = current_extra_caps.excaprefs[0];
    if (length < 6 || rootSlot == NULL)
        return syscallError(seL4_TruncatedMessage);
    word_t newType = getMR(ksCurThread, buffer, 0), userSize = getMR(ksCurThread, buffer, 1);
    word_t nodeIndex = getMR(ksCurThread, buffer, 2), nodeDepth = getMR(ksCurThread, buffer, 3);
    word_t nodeOffset = getMR(ksCurThread, buffer, 4), nodeWindow = getMR(ksCurThread, buffer, 5);

    if (checkObjectType(newType, userSize) != EXCEPTION_NONE)
        return EXCEPTION_SYSCALL_ERROR;
    destCNode_ret_t dest =
        lookupDestination(rootSlot, nodeIndex, nodeDepth, nodeOffset, nodeWindow);
    if (dest.status != EXCEPTION_NONE)
        return dest.status;

    /* Check 9: without children the untyped is reset before use. */
    bool reset = ensureNoChildren(slot) == EXCEPTION_NONE;
    word_t freeIndex = reset ? 0 : slot->cap.untyped.freeIndex;
    word_t objectSize = getObjectSize(newType, userSize);
    word_t freeBytes = BIT(cap.untyped.blockSize) - freeIndexToOffset(freeIndex);
    if ((freeBytes >> objectSize) < nodeWindow) {
        current_syscall_error.memoryLeft = freeBytes;
        return syscallError(seL4_NotEnoughMemory);
    }
    bool deviceMemory = cap.untyped.isDevice;
    if (deviceMemory && !Arch_isFrameType(newType) && newType != seL4_UntypedObject)
        return invalidArgument(1);

    /* Check 12: objects are aligned to their own size. Padding fits: the
     * block is aligned to its size, which is at least the object's. */
    word_t retypeBase = ROUND_UP(cap.untyped.ptr + freeIndexToOffset(freeIndex), objectSize);
    setThreadState(ksCurThread, ThreadState_Restart);
    return invokeUntypedRetype(slot, reset, retypeBase, newType, userSize, dest.slots, nodeOffset,
                               nodeWindow, deviceMemory);
}
