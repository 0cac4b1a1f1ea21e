/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ASIDs (spec §18.5): the table of 8 pools of 512 ASIDs (x86KSASIDTable),
 * ASIDControl_MakePool (label 42) which turns a 4 KiB untyped into a pool,
 * ASIDPool_Assign (label 43) which gives a PML4 the lowest free ASID of a
 * pool, and the removal of pools and ASIDs when their caps go. An ASID is
 * what makes a PML4 usable: maps and setVMRoot go through the table, so
 * clearing an entry is enough to cut every thread off that VSpace (they
 * fall back to the kernel PML4 at their next setVMRoot). ASID 0 is never
 * handed out; it marks "no ASID" in caps.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/object.h>
#include <arch/paging.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/tcb.h>

#define ASID_LOW_MASK MASK(ASID_POOL_INDEX_BITS)

_Static_assert(sizeof(asid_pool_t) == BIT(seL4_ASIDPoolBits), "a pool fills its 4 KiB untyped");

pml4_t *findVSpaceForASID(word_t asid)
{
    word_t pool = asid >> ASID_POOL_INDEX_BITS;

    if (pool >= N_ASID_POOLS || x86KSASIDTable[pool] == NULL)
        return NULL;
    return x86KSASIDTable[pool]->array[asid & ASID_LOW_MASK];
}

void deleteASIDPool(word_t asid_base, asid_pool_t *pool)
{
    word_t index = asid_base >> ASID_POOL_INDEX_BITS;

    kassert(IS_ALIGNED(asid_base, ASID_POOL_INDEX_BITS));
    kassert(index < N_ASID_POOLS);
    if (x86KSASIDTable[index] == pool) {
        x86KSASIDTable[index] = NULL;
        /* The current thread may have been running on one of its ASIDs. */
        setVMRoot(ksCurThread);
    }
}

void deleteASID(word_t asid, pml4_t *vspace)
{
    asid_pool_t *pool = x86KSASIDTable[(asid >> ASID_POOL_INDEX_BITS) % N_ASID_POOLS];

    if (pool != NULL && pool->array[asid & ASID_LOW_MASK] == vspace) {
        pool->array[asid & ASID_LOW_MASK] = NULL;
        setVMRoot(ksCurThread);
    }
}

static void performASIDControlInvocation(asid_pool_t *pool, cte_t *destSlot, cte_t *parentSlot,
                                         word_t asid_base)
{
    memset(pool, 0, sizeof(*pool));
    /* The whole untyped is used up by the pool. */
    parentSlot->cap.untyped.freeIndex = BIT(seL4_ASIDPoolBits - seL4_MinUntypedBits);
    cteInsert(cap_asid_pool_cap_new(asid_base, (pptr_t)pool), parentSlot, destSlot);
    x86KSASIDTable[asid_base >> ASID_POOL_INDEX_BITS] = pool;
}

exception_t decodeX86ASIDControlInvocation(word_t invLabel, word_t length, word_t *buffer)
{
    if (invLabel != X86ASIDControlMakePool) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (length < 2 || current_extra_caps.excaprefs[0] == NULL ||
        current_extra_caps.excaprefs[1] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t index = getMR(ksCurThread, buffer, 0);
    word_t depth = getMR(ksCurThread, buffer, 1);
    cte_t *parentSlot = current_extra_caps.excaprefs[0];
    cap_t untyped = parentSlot->cap;
    cap_t root = current_extra_caps.excaprefs[1]->cap;

    word_t i;
    for (i = 0; i < N_ASID_POOLS && x86KSASIDTable[i] != NULL; i++)
        ;
    if (i == N_ASID_POOLS) {
        current_syscall_error.type = seL4_DeleteFirst;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (cap_get_type(untyped) != cap_untyped_cap ||
        untyped.untyped.blockSize != seL4_ASIDPoolBits || untyped.untyped.isDevice) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    /* Upstream reports an untyped with children as RevokeFirst (through
     * ensureNoChildren), although spec §18.5 groups it with the above. */
    exception_t status = ensureNoChildren(parentSlot);
    if (status != EXCEPTION_NONE)
        return status;
    lookupSlot_ret_t lu = lookupTargetSlot(root, index, depth);
    if (lu.status != EXCEPTION_NONE)
        return lu.status;
    status = ensureEmptySlot(lu.slot);
    if (status != EXCEPTION_NONE)
        return status;

    setThreadState(ksCurThread, ThreadState_Restart);
    performASIDControlInvocation((asid_pool_t *)untyped.untyped.ptr, lu.slot, parentSlot,
                                 i << ASID_POOL_INDEX_BITS);
    return EXCEPTION_NONE;
}

static void performASIDPoolInvocation(word_t asid, asid_pool_t *pool, cte_t *pml4Slot)
{
    pml4Slot->cap.pml4.isMapped = 1;
    pml4Slot->cap.pml4.mappedASID = asid;
    pool->array[asid & ASID_LOW_MASK] = (pml4_t *)pml4Slot->cap.pml4.basePtr;
}

exception_t decodeX86ASIDPoolInvocation(word_t invLabel, cap_t cap)
{
    if (invLabel != X86ASIDPoolAssign) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    cte_t *pml4Slot = current_extra_caps.excaprefs[0];
    if (cap_get_type(pml4Slot->cap) != cap_pml4_cap || pml4Slot->cap.pml4.isMapped) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t base = cap.asid_pool.asidBase;
    asid_pool_t *pool = x86KSASIDTable[base >> ASID_POOL_INDEX_BITS];
    if (pool == NULL) {
        current_lookup_fault = (lookup_fault_t){.type = lookup_fault_invalid_root};
        current_syscall_error.type = seL4_FailedLookup;
        current_syscall_error.failedLookupWasSource = false;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (pool != (asid_pool_t *)cap.asid_pool.ptr) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t i;
    for (i = 0; i < BIT(ASID_POOL_INDEX_BITS); i++)
        if (base + i != ASID_INVALID && pool->array[i] == NULL)
            break;
    if (i == BIT(ASID_POOL_INDEX_BITS)) {
        current_syscall_error.type = seL4_DeleteFirst;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    performASIDPoolInvocation(base + i, pool, pml4Slot);
    return EXCEPTION_NONE;
}
