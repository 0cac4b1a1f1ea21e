/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Frames of 4 KiB, 2 MiB and 1 GiB (spec §18.2): Map, Unmap and GetAddress
 * (labels 39..41) and the removal of a frame's mapping when its cap goes.
 * Each frame cap carries at most one mapping (ASID + vaddr); a second
 * mapping of the same frame needs a copy of the cap. Map of an already
 * mapped cap is a "remap" that may only change rights and attributes.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/object.h>
#include <arch/paging.h>
#include <object/tcb.h>
#include <kernel/thread.h>

/* PT entries for 4 KiB, PD entries for 2 MiB, PDPT entries for 1 GiB. */
static word_t entryBitsForSize(word_t size)
{
    return pageBitsForSize(size);
}

static bool entryMapsFrame(pte_t e, word_t size, paddr_t frame)
{
    if (!(e & PTE_P) || (e & PTE_ADDR_MASK & ~MASK(pageBitsForSize(size))) != frame)
        return false;
    /* In a PT bit 7 is PAT; above it, it tells a page from a table. */
    return size == X86_SmallPage || (e & PTE_PS);
}

void unmapPage(word_t size, word_t asid, vptr_t vaddr, word_t pptr)
{
    pml4_t *pml4 = findVSpaceForASID(asid);
    if (pml4 == NULL)
        return;
    lookupPTESlot_ret_t lu = lookupPTESlot(pml4, vaddr, entryBitsForSize(size));
    if (lu.status != EXCEPTION_NONE)
        return;
    if (!entryMapsFrame(*lu.slot, size, pptr_to_paddr(pptr)))
        return;
    *lu.slot = 0;
    flushPage(pml4, vaddr);
}

static void performX86PageInvocationMap(cap_t cap, cte_t *slot, pte_t *entrySlot, pte_t entry,
                                        pml4_t *pml4)
{
    slot->cap = cap;
    *entrySlot = entry;
    /* A remap or a replaced 4 KiB entry may still be cached. */
    flushPage(pml4, cap_frame_mapped_vaddr(cap));
}

static void performX86PageInvocationUnmap(cap_t cap, cte_t *slot)
{
    if (cap.frame.mappedASID != ASID_INVALID)
        unmapPage(cap.frame.size, cap.frame.mappedASID, cap_frame_mapped_vaddr(cap),
                  cap.frame.basePtr);
    slot->cap.frame.mappedASID = ASID_INVALID;
    slot->cap.frame.mappedAddr = 0;
}

/* Where the frame may go: the entry slot, or an error (spec §18.2). */
static lookupPTESlot_ret_t lookupFrameSlot(pml4_t *pml4, vptr_t vaddr, word_t size)
{
    lookupPTESlot_ret_t lu = lookupPTESlot(pml4, vaddr, entryBitsForSize(size));

    if (lu.status != EXCEPTION_NONE) {
        /* current_lookup_fault holds the missing level (39/30/21). */
        current_syscall_error.type = seL4_FailedLookup;
        current_syscall_error.failedLookupWasSource = false;
        lu.status = EXCEPTION_SYSCALL_ERROR;
        return lu;
    }
    /* 2 MiB over a page table / 1 GiB over a page directory; a 4 KiB
     * entry, or a page of the same size, is silently replaced. */
    if (size != X86_SmallPage && (*lu.slot & PTE_P) && !(*lu.slot & PTE_PS)) {
        current_syscall_error.type = seL4_DeleteFirst;
        lu.status = EXCEPTION_SYSCALL_ERROR;
    }
    return lu;
}

/* The checks on where a frame cap may be mapped, in upstream order. */
static exception_t checkFrameMapTarget(cap_t cap, cap_t pml4Cap, vptr_t vaddr)
{
    if (!isValidVTableRoot(pml4Cap)) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (cap.frame.mappedASID != ASID_INVALID) {
        if (cap.frame.mappedASID != pml4Cap.pml4.mappedASID) {
            current_syscall_error.type = seL4_InvalidCapability;
            current_syscall_error.invalidCapNumber = 1;
            return EXCEPTION_SYSCALL_ERROR;
        }
        if (cap_frame_mapped_vaddr(cap) != vaddr) {
            current_syscall_error.type = seL4_InvalidArgument;
            current_syscall_error.invalidArgumentNumber = 0;
            return EXCEPTION_SYSCALL_ERROR;
        }
        return EXCEPTION_NONE;
    }
    /* vaddr is tested alone first so that vaddr + size cannot wrap. */
    if (vaddr > X86_USER_TOP || vaddr + BIT(pageBitsForSize(cap.frame.size)) > X86_USER_TOP) {
        current_syscall_error.type = seL4_InvalidArgument;
        current_syscall_error.invalidArgumentNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    return EXCEPTION_NONE;
}

static exception_t decodeX86FrameMap(word_t length, cte_t *slot, cap_t cap, word_t *buffer)
{
    if (length < 3 || current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    vptr_t vaddr = getMR(ksCurThread, buffer, 0);
    word_t rightsWord = getMR(ksCurThread, buffer, 1);
    word_t attr = getMR(ksCurThread, buffer, 2);
    cap_t pml4Cap = current_extra_caps.excaprefs[0]->cap;

    exception_t status = checkFrameMapTarget(cap, pml4Cap, vaddr);
    if (status != EXCEPTION_NONE)
        return status;
    pml4_t *pml4;
    status = lookupMapTarget(pml4Cap, &pml4);
    if (status != EXCEPTION_NONE)
        return status;
    word_t vmRights = maskVMRights(cap.frame.vmRights, rightsWord);
    if (!IS_ALIGNED(vaddr, pageBitsForSize(cap.frame.size))) {
        current_syscall_error.type = seL4_AlignmentError;
        return EXCEPTION_SYSCALL_ERROR;
    }
    lookupPTESlot_ret_t lu = lookupFrameSlot(pml4, vaddr, cap.frame.size);
    if (lu.status != EXCEPTION_NONE)
        return lu.status;

    pte_t entry =
        makeUserFrameEntry(pptr_to_paddr(cap.frame.basePtr), attr, vmRights, cap.frame.size);
    cap.frame.mappedASID = pml4Cap.pml4.mappedASID;
    cap.frame.mappedAddr = vaddr >> seL4_PageBits;
    setThreadState(ksCurThread, ThreadState_Restart);
    performX86PageInvocationMap(cap, slot, lu.slot, entry, pml4);
    return EXCEPTION_NONE;
}

exception_t decodeX86FrameInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                     bool call, word_t *buffer)
{
    switch (invLabel) {
    case X86PageMap:
        return decodeX86FrameMap(length, slot, cap, buffer);
    case X86PageUnmap:
        setThreadState(ksCurThread, ThreadState_Restart);
        performX86PageInvocationUnmap(cap, slot);
        return EXCEPTION_NONE;
    case X86PageGetAddress:
        replyOneWord(call, pptr_to_paddr(cap.frame.basePtr));
        return EXCEPTION_NONE;
    default:
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
}
