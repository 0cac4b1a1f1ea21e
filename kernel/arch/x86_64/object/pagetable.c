/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Page tables, page directories and PDPTs (spec §18.4): their Map and Unmap
 * invocations (labels 33..38) and their removal from a VSpace when the last
 * cap goes. The three differ only in the level they hang from, so one
 * description per level drives the same code. A table cap remembers where
 * it is mapped (ASID + vaddr); the entry is only cleared if it still points
 * at this very table, so stale caps are harmless.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/object.h>
#include <arch/paging.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/tcb.h>
#include <kernel/thread.h>

typedef struct table_level {
    word_t mapLabel, unmapLabel;
    word_t entryBits; /* bytes covered by one table: the parent entry's level */
} table_level_t;

static const table_level_t *levelOf(cap_tag_t type)
{
    static const table_level_t pdpt = {X86PDPTMap, X86PDPTUnmap, 39};
    static const table_level_t pd = {X86PageDirectoryMap, X86PageDirectoryUnmap, 30};
    static const table_level_t pt = {X86PageTableMap, X86PageTableUnmap, 21};

    switch (type) {
    case cap_pdpt_cap:
        return &pdpt;
    case cap_page_directory_cap:
        return &pd;
    default:
        kassert(type == cap_page_table_cap);
        return &pt;
    }
}

/* Remove the entry at level entryBits for vaddr if it still maps table. */
static void unmapTable(word_t asid, vptr_t vaddr, void *table, word_t entryBits)
{
    pml4_t *pml4 = findVSpaceForASID(asid);
    if (pml4 == NULL)
        return;
    lookupPTESlot_ret_t lu = lookupPTESlot(pml4, vaddr, entryBits);
    if (lu.status != EXCEPTION_NONE)
        return;
    pte_t e = *lu.slot;
    if (!(e & PTE_P) || (e & PTE_PS) || (e & PTE_ADDR_MASK) != addr_to_paddr(table))
        return;
    *lu.slot = 0;
    flushVSpace(pml4);
}

void unmapPageTable(word_t asid, vptr_t vaddr, pt_t *pt)
{
    unmapTable(asid, vaddr, pt, 21);
}

void unmapPageDirectory(word_t asid, vptr_t vaddr, pd_t *pd)
{
    unmapTable(asid, vaddr, pd, 30);
}

void unmapPDPT(word_t asid, vptr_t vaddr, pdpt_t *pdpt)
{
    unmapTable(asid, vaddr, pdpt, 39);
}

static void performX86PageTableInvocationUnmap(cap_t cap, cte_t *slot)
{
    if (cap.table.isMapped) {
        void *table = (void *)cap.table.basePtr;
        unmapTable(cap.table.mappedASID, cap_table_mapped_vaddr(cap), table,
                   levelOf(cap_get_type(cap))->entryBits);
        /* The table comes back empty: its old entries must not reappear
         * when it is mapped again. */
        memset(table, 0, BIT(seL4_PageTableBits));
    }
    slot->cap.table.isMapped = 0;
}

static void performX86PageTableInvocationMap(cap_t cap, cte_t *slot, pte_t entry, pte_t *ptSlot)
{
    slot->cap = cap;
    /* The entry was not present: nothing can be cached for it. */
    *ptSlot = entry;
}

static exception_t decodeX86PageTableMap(const table_level_t *level, word_t length, cte_t *slot,
                                         cap_t cap, word_t *buffer)
{
    if (length < 2 || current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (cap.table.isMapped) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    vptr_t vaddr = ROUND_DOWN(getMR(ksCurThread, buffer, 0), level->entryBits);
    word_t attr = getMR(ksCurThread, buffer, 1);
    cap_t pml4Cap = current_extra_caps.excaprefs[0]->cap;

    if (!isValidVTableRoot(pml4Cap)) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (vaddr > X86_USER_TOP) {
        current_syscall_error.type = seL4_InvalidArgument;
        current_syscall_error.invalidArgumentNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    pml4_t *pml4;
    exception_t status = lookupMapTarget(pml4Cap, &pml4);
    if (status != EXCEPTION_NONE)
        return status;

    lookupPTESlot_ret_t lu = lookupPTESlot(pml4, vaddr, level->entryBits);
    if (lu.status != EXCEPTION_NONE) {
        current_syscall_error.type = seL4_FailedLookup;
        current_syscall_error.failedLookupWasSource = false;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (*lu.slot & PTE_P) { /* a table or a large/huge page is there */
        current_syscall_error.type = seL4_DeleteFirst;
        return EXCEPTION_SYSCALL_ERROR;
    }
    pte_t entry = makeUserTableEntry(addr_to_paddr((void *)cap.table.basePtr), attr);
    cap = cap_table_cap_new(cap_get_type(cap), true, pml4Cap.pml4.mappedASID, vaddr,
                            cap.table.basePtr);
    setThreadState(ksCurThread, ThreadState_Restart);
    performX86PageTableInvocationMap(cap, slot, entry, lu.slot);
    return EXCEPTION_NONE;
}

exception_t decodeX86PageTableInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                         word_t *buffer)
{
    const table_level_t *level = levelOf(cap_get_type(cap));

    if (invLabel == level->unmapLabel) {
        /* Unmapping zeroes the table, which every cap to it would see. */
        if (!isFinalCapability(slot)) {
            current_syscall_error.type = seL4_RevokeFirst;
            return EXCEPTION_SYSCALL_ERROR;
        }
        setThreadState(ksCurThread, ThreadState_Restart);
        performX86PageTableInvocationUnmap(cap, slot);
        return EXCEPTION_NONE;
    }
    if (invLabel != level->mapLabel) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    return decodeX86PageTableMap(level, length, slot, cap, buffer);
}
