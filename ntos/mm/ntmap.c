/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mappings in ntos's own VSpace: the physmap, the pool and the frame
 * database are all made of 4 KiB frames mapped here. Missing PDPTs, page
 * directories and page tables are created on demand from untyped memory and
 * stay for ntos's lifetime (they are few: one page table per 2 MiB used).
 */
#include "mi.h"

/* After a failed frame map, seL4 reports in MR2 the bits left unresolved:
 * 39 = no PDPT, 30 = no page directory, 21 = no page table (§18.2). */
static NTSTATUS MiMapNtosTable(ULONG_PTR Va)
{
    seL4_Word Bits = seL4_GetMR(2);
    seL4_Word Type = Bits == 39   ? seL4_X86_PDPTObject
                     : Bits == 30 ? seL4_X86_PageDirectoryObject
                                  : seL4_X86_PageTableObject;
    seL4_CPtr Table;
    seL4_Error Error;
    NTSTATUS Status = MmAllocateObject(Type, 0, &Table);

    if (!NT_SUCCESS(Status))
        return Status;
    if (Type == seL4_X86_PDPTObject)
        Error =
            seL4_X86_PDPT_Map(Table, seL4_CapInitThreadVSpace, Va, seL4_X86_Default_VMAttributes);
    else if (Type == seL4_X86_PageDirectoryObject)
        Error = seL4_X86_PageDirectory_Map(Table, seL4_CapInitThreadVSpace, Va,
                                           seL4_X86_Default_VMAttributes);
    else
        Error = seL4_X86_PageTable_Map(Table, seL4_CapInitThreadVSpace, Va,
                                       seL4_X86_Default_VMAttributes);
    if (Error != seL4_NoError)
        KeBugCheck("mm: mapping a paging structure at %p failed (%d)", (void *)Va, (int)Error);
    return STATUS_SUCCESS;
}

NTSTATUS MiMapNtosPage(seL4_CPtr Frame, ULONG_PTR Va)
{
    /* At most three levels can be missing below the PML4. */
    for (int Try = 0; Try < 4; Try++) {
        seL4_Error Error = seL4_X86_Page_Map(Frame, seL4_CapInitThreadVSpace, Va, seL4_ReadWrite,
                                             seL4_X86_Default_VMAttributes);
        if (Error == seL4_NoError)
            return STATUS_SUCCESS;
        if (Error != seL4_FailedLookup)
            KeBugCheck("mm: mapping ntos page %p failed (%d)", (void *)Va, (int)Error);
        NTSTATUS Status = MiMapNtosTable(Va);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    KeBugCheck("mm: paging structures for %p do not stick", (void *)Va);
}

NTSTATUS MiMapNewNtosPage(ULONG_PTR Va)
{
    seL4_CPtr Frame;
    NTSTATUS Status = MmAllocateObject(seL4_X86_4K, 0, &Frame);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiMapNtosPage(Frame, Va);
    if (!NT_SUCCESS(Status))
        MmFreeObject(Frame);
    return Status;
}

/* Kernel stacks are carved upwards from MM_KERNEL_STACKS; each starts with a
 * page left unmapped, the guard. */
static ULONG_PTR MiNextStack = MM_KERNEL_STACKS;

void *MmCreateKernelStack(SIZE_T Size)
{
    ULONG_PTR Pages = ROUND_TO_PAGES(Size) / PAGE_SIZE, Base;

    if (Size == 0 || Pages > 256)
        return NULL;
    Base = MiNextStack + PAGE_SIZE;
    MiNextStack = Base + Pages * PAGE_SIZE; /* claimed before mapping (it may recurse) */
    for (ULONG_PTR i = 0; i < Pages; i++)
        if (!NT_SUCCESS(MiMapNewNtosPage(Base + i * PAGE_SIZE)))
            return NULL; /* FIXME: the pages mapped so far are lost */
    return (void *)Base;
}
