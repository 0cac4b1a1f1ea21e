/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86 object invocations: paging structures, frames, ASIDs (spec §18) and
 * IO ports (§17). kernel/arch/x86_64/object/{vspace,pagetable,frame,asid,
 * ioport}.c. Also the constructors of the x86 caps, shared with the boot
 * code that builds the root task's VSpace.
 */
#pragma once

#include <structures.h>
#include <model/statedata.h>
#include <arch/paging.h>
#include <arch/machine.h>

exception_t decodeX86MMUInvocation(word_t invLabel, word_t length, cptr_t cptr, cte_t *slot,
                                   cap_t cap, bool call, word_t *buffer);
exception_t decodeX86PortControlInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                           word_t *buffer);
exception_t decodeX86PortInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                    bool call, word_t *buffer);
/* Finalisation of the last cap to a paging object / ASID pool / IO port. */
void unmapPage(word_t size, word_t asid, vptr_t vaddr, word_t pptr);
void unmapPageTable(word_t asid, vptr_t vaddr, pt_t *pt);
void unmapPageDirectory(word_t asid, vptr_t vaddr, pd_t *pd);
void unmapPDPT(word_t asid, vptr_t vaddr, pdpt_t *pdpt);
void deleteASIDPool(word_t asid_base, struct asid_pool *pool);
void deleteASID(word_t asid, pml4_t *vspace);
void freeIOPortRange(uint16_t first, uint16_t last);
/* pml4 for an ASID, or NULL. */
pml4_t *findVSpaceForASID(word_t asid);

/* The PML4 setVMRoot loads for a thread whose VTable slot holds cap: the
 * cap's own if it is a valid VTable root (isValidVTableRoot) whose ASID
 * still names it, else NULL (the thread runs on the kernel's). Inline for
 * the IPC fastpath. */
static inline pml4_t *vtableRootOf(cap_t cap)
{
    _Static_assert(BIT(12) >> ASID_POOL_INDEX_BITS <= N_ASID_POOLS,
                   "every 12-bit mappedASID has a pool index");
    if (cap_get_type(cap) != cap_pml4_cap || !cap.pml4.isMapped)
        return NULL;
    word_t asid = cap.pml4.mappedASID;
    asid_pool_t *pool = x86KSASIDTable[asid >> ASID_POOL_INDEX_BITS];
    pml4_t *root = (pml4_t *)cap.pml4.basePtr;
    return pool && pool->array[asid & MASK(ASID_POOL_INDEX_BITS)] == root ? root : NULL;
}

/* Load the PML4 at physical address cr3 unless it is there already (a CR3
 * write flushes the TLB, and under QEMU's TCG costs far more than the
 * check). */
static inline void setCurrentVSpaceRoot(paddr_t cr3)
{
    if ((read_cr3() & PTE_ADDR_MASK) != cr3)
        write_cr3(cr3);
}

/* --- shared by the x86 object files (not for other components) --------- */

/* Highest user address a mapping may reach (spec §18.1). */
#define X86_USER_TOP 0x00007fffffffffffull
#define ASID_INVALID 0 /* ASID 0 is never handed out: "not mapped" (spec §18.5) */

/* Size in bits of a frame of cap .size X86_SmallPage/LargePage/X64_HugePage. */
static inline word_t pageBitsForSize(word_t size)
{
    return size == X86_SmallPage   ? seL4_PageBits
           : size == X86_LargePage ? seL4_LargePageBits
                                   : seL4_HugePageBits;
}

/* The entry that maps vaddr at the level whose entries cover 2^bits bytes
 * (39: PML4, 30: PDPT, 21: PD, 12: PT). Missing intermediate table ⇒
 * EXCEPTION_LOOKUP_FAULT with current_lookup_fault = missing capability,
 * bitsLeft = the level that is missing (39/30/21, spec §18.2). */
typedef struct {
    exception_t status;
    pte_t *slot;
} lookupPTESlot_ret_t;
lookupPTESlot_ret_t lookupPTESlot(pml4_t *pml4, vptr_t vaddr, word_t bits);
/* Check cap is a PML4 with an ASID that still names it (spec §18.2):
 * InvalidCapability(1) / FailedLookup (invalid root) otherwise. */
exception_t lookupMapTarget(cap_t pml4Cap, pml4_t **pml4);
/* Entries for user mappings, from the VM attributes word (spec §18.3). */
pte_t makeUserTableEntry(paddr_t table, word_t attr);
pte_t makeUserFrameEntry(paddr_t frame, word_t attr, word_t vmRights, word_t size);
/* TLB maintenance after changing one entry / removing a whole table. */
void flushPage(pml4_t *pml4, vptr_t vaddr);
void flushVSpace(pml4_t *pml4);
/* PML4 (Retype): copy the kernel half from x64KSKernelPML4. */
void copyGlobalMappings(pml4_t *pml4);
/* The rights a frame keeps when masked by a seL4_CapRights word (§7.1). */
word_t maskVMRights(word_t vmRights, word_t rightsWord);
/* Reply a one-word result to a Call (label 0, length 1, MR0 = value) and
 * leave the thread Running (kernel/README.md "How an invocation runs"). */
void replyOneWord(bool call, word_t value);

exception_t decodeX86FrameInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                     bool call, word_t *buffer);
exception_t decodeX86PageTableInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                         word_t *buffer);
exception_t decodeX86ASIDControlInvocation(word_t invLabel, word_t length, word_t *buffer);
exception_t decodeX86ASIDPoolInvocation(word_t invLabel, cap_t cap);

/* --- cap constructors ----------------------------------------------------- */

static inline cap_t cap_frame_cap_new(word_t size, word_t vmRights, bool isDevice,
                                      word_t mappedASID, vptr_t mappedAddr, pptr_t base)
{
    cap_t c = cap_null_cap_new();
    c.frame.type = cap_frame_cap;
    c.frame.size = size;
    c.frame.vmRights = vmRights;
    c.frame.isDevice = isDevice;
    c.frame.mappedASID = mappedASID;
    c.frame.mappedAddr = mappedAddr >> seL4_PageBits;
    c.frame.basePtr = base;
    return c;
}
static inline vptr_t cap_frame_mapped_vaddr(cap_t c)
{
    return (vptr_t)c.frame.mappedAddr << seL4_PageBits;
}

/* type: cap_page_table_cap, cap_page_directory_cap or cap_pdpt_cap. */
static inline cap_t cap_table_cap_new(cap_tag_t type, bool isMapped, word_t mappedASID,
                                      vptr_t mappedAddr, pptr_t base)
{
    cap_t c = cap_null_cap_new();
    c.table.type = type;
    c.table.isMapped = isMapped;
    c.table.mappedASID = mappedASID;
    c.table.mappedAddr = mappedAddr >> seL4_PageBits;
    c.table.basePtr = base;
    return c;
}
static inline vptr_t cap_table_mapped_vaddr(cap_t c)
{
    return (vptr_t)c.table.mappedAddr << seL4_PageBits;
}

static inline cap_t cap_pml4_cap_new(bool isMapped, word_t mappedASID, pptr_t base)
{
    cap_t c = cap_null_cap_new();
    c.pml4.type = cap_pml4_cap;
    c.pml4.isMapped = isMapped;
    c.pml4.mappedASID = mappedASID;
    c.pml4.basePtr = base;
    return c;
}

static inline cap_t cap_asid_pool_cap_new(word_t asidBase, pptr_t pool)
{
    cap_t c = cap_null_cap_new();
    c.asid_pool.type = cap_asid_pool_cap;
    c.asid_pool.asidBase = asidBase;
    c.asid_pool.ptr = pool;
    return c;
}

static inline cap_t cap_asid_control_cap_new(void)
{
    cap_t c = cap_null_cap_new();
    c.any.type = cap_asid_control_cap;
    return c;
}

static inline cap_t cap_io_port_cap_new(uint16_t first, uint16_t last)
{
    cap_t c = cap_null_cap_new();
    c.io_port.type = cap_io_port_cap;
    c.io_port.firstPort = first;
    c.io_port.lastPort = last;
    return c;
}

static inline cap_t cap_io_port_control_cap_new(void)
{
    cap_t c = cap_null_cap_new();
    c.any.type = cap_io_port_control_cap;
    return c;
}
