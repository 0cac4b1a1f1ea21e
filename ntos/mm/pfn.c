/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical pages: the frame database and the physmap. Every frame handed
 * out by MmAllocatePhysicalPage is a 4 KiB frame retyped from untyped memory,
 * mapped into ntos at MM_PHYSMAP_BASE + its physical address (so ntos
 * reaches it by address), and described by an MMPFN in the array at
 * MM_PFN_DATABASE indexed by frame number. The database's pages are mapped
 * as frames of that range first come into use. A page whose last reference
 * goes is kept (cap, physmap mapping and all) on a free list and handed out
 * again, zeroed, before any new frame is retyped.
 */
#include "mi.h"

#define MI_MAX_PHYSICAL (64ull << 30) /* frames above this are not used */
#define MI_PFN_PER_PAGE (PAGE_SIZE / sizeof(MMPFN))
#define MI_PFN_PAGES    (MI_MAX_PHYSICAL / PAGE_SIZE / MI_PFN_PER_PAGE)

static uint64_t MiPfnPageMapped[MI_PFN_PAGES / 64];
static PMMPFN MiFreePages;
static ULONG MiFreePageTotal;

void MiInitializePfnDatabase(void)
{
    MiFreePages = NULL;
    MiFreePageTotal = 0;
}

ULONG MiFreePageCount(void)
{
    return MiFreePageTotal;
}

static PMMPFN MiPfnEntry(seL4_Word Paddr)
{
    return (PMMPFN)MM_PFN_DATABASE + (Paddr >> PAGE_SHIFT);
}

/* Map the database page holding the entry of Paddr if it is not yet. */
NTSTATUS MiEnsurePfnEntry(seL4_Word Paddr)
{
    ULONG_PTR Page = (Paddr >> PAGE_SHIFT) / MI_PFN_PER_PAGE;
    NTSTATUS Status;

    if (MiPfnPageMapped[Page / 64] & (1ull << (Page % 64)))
        return STATUS_SUCCESS;
    Status = MiMapNewNtosPage(MM_PFN_DATABASE + Page * PAGE_SIZE);
    if (NT_SUCCESS(Status))
        MiPfnPageMapped[Page / 64] |= 1ull << (Page % 64);
    return Status;
}

static NTSTATUS MiNewPhysicalPage(PMMPFN *Result)
{
    seL4_CPtr Frame;
    seL4_Word Paddr;
    NTSTATUS Status = MmAllocateObject(seL4_X86_4K, 0, &Frame);

    if (!NT_SUCCESS(Status))
        return Status;
    Paddr = MiNewFrameAddress(Frame);
    if (Paddr >= MI_MAX_PHYSICAL) {
        /* FIXME: such frames stay allocated and unused. */
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    Status = MiEnsurePfnEntry(Paddr);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = MiMapNtosPage(Frame, MM_PHYSMAP_BASE + Paddr);
    if (!NT_SUCCESS(Status))
        goto out;
    *Result = MiPfnEntry(Paddr);
    **Result = (MMPFN){.Frame = Frame};
out:
    if (!NT_SUCCESS(Status))
        MmFreeObject(Frame);
    return Status;
}

NTSTATUS MmAllocatePhysicalPage(PMMPFN *Pfn)
{
    PMMPFN Page = MiFreePages;
    NTSTATUS Status;

    *Pfn = NULL;
    if (Page != NULL) {
        MiFreePages = Page->NextFree;
        MiFreePageTotal--;
        memset(MmPageAddress(Page), 0, PAGE_SIZE);
    } else {
        Status = MiNewPhysicalPage(&Page);
        if (!NT_SUCCESS(Status))
            return Status; /* a fresh frame is zero: seL4 clears retyped memory */
    }
    Page->NextFree = NULL;
    Page->References = 1;
    Page->MapCount = 0;
    *Pfn = Page;
    return STATUS_SUCCESS;
}

void MmReferencePage(PMMPFN Pfn)
{
    ASSERT(Pfn->References > 0);
    Pfn->References++;
}

void MmDereferencePage(PMMPFN Pfn)
{
    ASSERT(Pfn->References > 0);
    if (--Pfn->References > 0)
        return;
    ASSERT(Pfn->MapCount == 0); /* every mapping holds a reference */
    Pfn->NextFree = MiFreePages;
    MiFreePages = Pfn;
    MiFreePageTotal++;
}

seL4_Word MmPagePhysical(PMMPFN Pfn)
{
    return (seL4_Word)(Pfn - (PMMPFN)MM_PFN_DATABASE) << PAGE_SHIFT;
}

void *MmPageAddress(PMMPFN Pfn)
{
    return (void *)(MM_PHYSMAP_BASE + MmPagePhysical(Pfn));
}
