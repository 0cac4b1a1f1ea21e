/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VSpace core shared by every x86 paging object: walking a PML4 down to
 * the entry of a given level, building user entries from VM rights and
 * attributes (spec §18.2, §18.3), TLB maintenance, choosing the page tables
 * a thread runs on (setVMRoot), the checks TCB code makes on VSpace roots and
 * IPC buffers, and the dispatch of MMU invocations to the per-object files
 * (pagetable.c, frame.c, asid.c). Without PCIDs a CR3 load flushes every user
 * translation (user pages are never global), so only the VSpace that is in
 * CR3 right now ever needs explicit invalidation.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/machine.h>
#include <arch/object.h>
#include <arch/paging.h>
#include <object/tcb.h>
#include <kernel/thread.h>

#define PAGING_INDEX_BITS 9
#define PML4_ENTRY_BITS   39 /* bytes covered by a PML4 entry: 2^39 */

lookupPTESlot_ret_t lookupPTESlot(pml4_t *pml4, vptr_t vaddr, word_t bits)
{
    lookupPTESlot_ret_t ret = {EXCEPTION_NONE, NULL};
    pte_t *table = pml4->e;
    word_t shift = PML4_ENTRY_BITS;

    kassert(bits >= seL4_PageBits && bits <= PML4_ENTRY_BITS);
    for (;;) {
        pte_t *slot = &table[(vaddr >> shift) & MASK(PAGING_INDEX_BITS)];
        if (shift == bits) {
            ret.slot = slot;
            return ret;
        }
        /* A large/huge page where a table should be is "no table" too. */
        if (!(*slot & PTE_P) || (*slot & PTE_PS)) {
            current_lookup_fault =
                (lookup_fault_t){.type = lookup_fault_missing_capability, .bitsLeft = shift};
            ret.status = EXCEPTION_LOOKUP_FAULT;
            return ret;
        }
        table = (pte_t *)paddr_to_pptr(*slot & PTE_ADDR_MASK);
        shift -= PAGING_INDEX_BITS;
    }
}

exception_t lookupMapTarget(cap_t pml4Cap, pml4_t **pml4)
{
    if (!isValidVTableRoot(pml4Cap)) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    pml4_t *found = findVSpaceForASID(pml4Cap.pml4.mappedASID);
    if (found == NULL) {
        current_lookup_fault = (lookup_fault_t){.type = lookup_fault_invalid_root};
        current_syscall_error.type = seL4_FailedLookup;
        current_syscall_error.failedLookupWasSource = false;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (found != (pml4_t *)pml4Cap.pml4.basePtr) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    *pml4 = found;
    return EXCEPTION_NONE;
}

/* VM attribute bits (spec §18.3): 0 = PWT, 1 = PCD, 2 = PAT. */
#define ATTR_PWT BIT(0)
#define ATTR_PCD BIT(1)
#define ATTR_PAT BIT(2)

static pte_t cacheBits(word_t attr)
{
    return ((attr & ATTR_PWT) ? PTE_PWT : 0) | ((attr & ATTR_PCD) ? PTE_PCD : 0);
}

pte_t makeUserTableEntry(paddr_t table, word_t attr)
{
    /* Tables never restrict: the leaf entry decides rights. */
    return (table & PTE_ADDR_MASK) | PTE_P | PTE_RW | PTE_US | cacheBits(attr);
}

pte_t makeUserFrameEntry(paddr_t frame, word_t attr, word_t vmRights, word_t size)
{
    pte_t e = (frame & PTE_ADDR_MASK) | PTE_P | cacheBits(attr);

    /* spec §18.2: no-read frames become supervisor pages; never NX. */
    if (vmRights != VMReadOnly)
        e |= PTE_RW;
    if (vmRights != VMKernelOnly)
        e |= PTE_US;
    if (size == X86_SmallPage) {
        if (attr & ATTR_PAT)
            e |= PTE_PAT_4K;
    } else {
        e |= PTE_PS;
        if (attr & ATTR_PAT)
            e |= PTE_PAT_LARGE;
    }
    return e;
}

word_t maskVMRights(word_t vmRights, word_t rightsWord)
{
    bool canRead = rightsWord & seL4_CapRightsWord_Read;
    bool canWrite = rightsWord & seL4_CapRightsWord_Write;

    if (vmRights == VMReadOnly && canRead)
        return VMReadOnly;
    if (vmRights == VMReadWrite && canRead)
        return canWrite ? VMReadWrite : VMReadOnly;
    /* Write-only is not expressible (spec §18.2): it ends as kernel-only. */
    return VMKernelOnly;
}

static bool isCurrentVSpace(pml4_t *pml4)
{
    return (read_cr3() & PTE_ADDR_MASK) == addr_to_paddr(pml4);
}

void flushPage(pml4_t *pml4, vptr_t vaddr)
{
    if (isCurrentVSpace(pml4))
        invlpg(vaddr);
}

void flushVSpace(pml4_t *pml4)
{
    /* Reloading CR3 drops every non-global translation and the paging
     * structure caches: what removing a whole table needs. */
    if (isCurrentVSpace(pml4))
        write_cr3(read_cr3());
}

void copyGlobalMappings(pml4_t *pml4)
{
    for (word_t i = PML4_KERNEL_FIRST; i < ARRAY_SIZE(pml4->e); i++)
        pml4->e[i] = x64KSKernelPML4.e[i];
}

/* --- thread roots and IPC buffers ---------------------------------------- */

bool isValidVTableRoot(cap_t cap)
{
    return cap_get_type(cap) == cap_pml4_cap && cap.pml4.isMapped;
}

void setVMRoot(tcb_t *tcb)
{
    /* A root whose ASID was deleted or reassigned no longer counts. */
    pml4_t *root = vtableRootOf(tcb_cte(tcb, tcbVTable)->cap);

    setCurrentVSpaceRoot(addr_to_paddr(root ? root : &x64KSKernelPML4));
}

exception_t checkValidIPCBuffer(vptr_t vptr, cap_t cap)
{
    if (cap_get_type(cap) != cap_frame_cap || cap.frame.isDevice) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (!IS_ALIGNED(vptr, seL4_IPCBufferSizeBits)) {
        current_syscall_error.type = seL4_AlignmentError;
        return EXCEPTION_SYSCALL_ERROR;
    }
    return EXCEPTION_NONE;
}

void replyOneWord(bool call, word_t value)
{
    if (call) {
        setRegister(ksCurThread, badgeRegister, 0);
        word_t length = setMR(ksCurThread, NULL, 0, value);
        setRegister(ksCurThread, msgInfoRegister, msginfo_new(0, 0, 0, length));
    }
    setThreadState(ksCurThread, ThreadState_Running);
}

/* --- dispatch ------------------------------------------------------------ */

exception_t decodeX86MMUInvocation(word_t invLabel, word_t length, cptr_t cptr, cte_t *slot,
                                   cap_t cap, bool call, word_t *buffer)
{
    switch (cap_get_type(cap)) {
    case cap_frame_cap:
        return decodeX86FrameInvocation(invLabel, length, slot, cap, call, buffer);
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
        return decodeX86PageTableInvocation(invLabel, length, slot, cap, buffer);
    case cap_asid_control_cap:
        return decodeX86ASIDControlInvocation(invLabel, length, buffer);
    case cap_asid_pool_cap:
        return decodeX86ASIDPoolInvocation(invLabel, cap);
    case cap_pml4_cap:
    default:
        /* A PML4 has no invocations of its own (spec §12.5). */
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
}
