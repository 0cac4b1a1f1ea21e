/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Frames for hardware access (hal: io/halmem.c): device memory given an
 * MMPFN like RAM, so the ordinary mapping and copy paths serve it, and
 * physically contiguous runs of RAM for DMA. A contiguous run is one
 * untyped object of mm's retyped into frames in order, so their addresses
 * follow each other; they are ordinary frames from then on (when their
 * last reference goes they join the free list), and the untyped they
 * came from stays (FIXME: its memory comes back as single pages only).
 */
#include "mi.h"

#define MI_MAX_PHYSICAL   (64ull << 30) /* as pfn.c */
#define MI_MAX_CONTIGUOUS 1024          /* pages: 4 MiB */

NTSTATUS MmRetypeUntyped(seL4_CPtr Untyped, seL4_Word Type, seL4_Word SizeBits, seL4_CPtr *Slot)
{
    seL4_CPtr Dest = MmAllocateSlot();

    *Slot = seL4_CapNull;
    if (Dest == seL4_CapNull)
        return STATUS_INSUFFICIENT_RESOURCES;
    MI_DEST Where = MiSlotDest(Dest);

    if (seL4_Untyped_Retype(Untyped, Type, SizeBits, Where.Root, Where.Index, Where.Depth,
                            Where.Offset, 1) != seL4_NoError) {
        MmFreeSlot(Dest);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *MiSlotInfo(Dest) = (MI_SLOT_INFO){.Type = 0xff, .Chunk = MI_NO_CHUNK};
    *Slot = Dest;
    return STATUS_SUCCESS;
}

/* The MMPFN of Paddr, with its database page and physmap mapping. */
static NTSTATUS MiRegisterFrame(seL4_CPtr Frame, seL4_Word Paddr, PMMPFN *Pfn)
{
    PMMPFN Entry = (PMMPFN)MM_PFN_DATABASE + (Paddr >> PAGE_SHIFT);
    NTSTATUS Status;

    if (Paddr >= MI_MAX_PHYSICAL || (Paddr & (PAGE_SIZE - 1)))
        return STATUS_INVALID_PARAMETER;
    Status = MiEnsurePfnEntry(Paddr);
    if (NT_SUCCESS(Status))
        Status = MiMapNtosPage(Frame, MM_PHYSMAP_BASE + Paddr);
    if (!NT_SUCCESS(Status))
        return Status;
    *Entry = (MMPFN){.Frame = Frame, .References = 1};
    *Pfn = Entry;
    return STATUS_SUCCESS;
}

NTSTATUS MmRegisterDevicePage(seL4_CPtr Frame, seL4_Word Paddr, PMMPFN *Pfn)
{
    return MiRegisterFrame(Frame, Paddr, Pfn);
}

/* Undo the first Made frames of a run (their physmap mappings go with
 * the caps). */
static void MiDeleteRun(seL4_CPtr *Frames, ULONG Made)
{
    for (ULONG i = 0; i < Made; i++) {
        seL4_CNode_Delete(MmRootCNode, Frames[i], MM_CPTR_DEPTH);
        MmFreeSlot(Frames[i]);
    }
}

/* Retype Pages frames from Untyped in order; *Paddr is the first's. */
static NTSTATUS MiRetypeRun(seL4_CPtr Untyped, ULONG Pages, seL4_CPtr *Frames, seL4_Word *Paddr)
{
    for (ULONG i = 0; i < Pages; i++) {
        NTSTATUS Status = MmRetypeUntyped(Untyped, seL4_X86_4K, 0, &Frames[i]);
        if (!NT_SUCCESS(Status)) {
            MiDeleteRun(Frames, i);
            return Status;
        }
    }
    seL4_X86_Page_GetAddress_t Address = seL4_X86_Page_GetAddress(Frames[0]);
    ASSERT(Address.error == seL4_NoError); /* a frame cap of ours */
    *Paddr = Address.paddr;
    return STATUS_SUCCESS;
}

NTSTATUS MmAllocateContiguousPages(ULONG Pages, seL4_Word Highest, PMMPFN *First)
{
    static seL4_CPtr Frames[MI_MAX_CONTIGUOUS]; /* never waits: one scratch array */
    seL4_Word Bits = PAGE_SHIFT, Paddr;
    seL4_CPtr Untyped;
    PMMPFN Pfn;
    NTSTATUS Status;

    if (Pages == 0 || Pages > MI_MAX_CONTIGUOUS)
        return STATUS_INVALID_PARAMETER;
    while ((1ull << Bits) < (ULONGLONG)Pages * PAGE_SIZE)
        Bits++;
    Status = MmAllocateObject(seL4_UntypedObject, Bits, &Untyped);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiRetypeRun(Untyped, Pages, Frames, &Paddr);
    if (!NT_SUCCESS(Status))
        goto out;
    if (Paddr + (ULONGLONG)Pages * PAGE_SIZE - 1 > Highest) {
        MiDeleteRun(Frames, Pages);
        Status = STATUS_NO_MEMORY;
        goto out;
    }
    for (ULONG i = 0; i < Pages; i++) {
        Status = MiRegisterFrame(Frames[i], Paddr + (seL4_Word)i * PAGE_SIZE, &Pfn);
        if (!NT_SUCCESS(Status)) { /* entries made so far are unreferenced: overwritten later */
            MiDeleteRun(Frames, Pages);
            goto out;
        }
    }
    *First = (PMMPFN)MM_PFN_DATABASE + (Paddr >> PAGE_SHIFT);
out:
    if (!NT_SUCCESS(Status))
        MmFreeObject(Untyped); /* no frames left in it */
    return Status;
}

PMMPFN MmContiguousPage(PMMPFN First, ULONG Index)
{
    return First + Index;
}
