/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address spaces: a PML4 with an ASID, its VADs and its software page
 * table. ASIDs come from the root task's pool first; when every known pool
 * is full a new one is made from a 4 KiB untyped (at most 8 pools of 512,
 * sel4-abi.md §18.5). Deleting an address space unmaps and releases every
 * page, frees the paging structures bottom-up and the PML4 last, which
 * returns its ASID.
 */
#include "mi.h"

#define MI_SPACE_TAG      0x7053614d /* 'MaSp' */
#define MI_MAX_ASID_POOLS 8

static seL4_CPtr MiAsidPools[MI_MAX_ASID_POOLS] = {seL4_CapInitThreadASIDPool};
static ULONG MiAsidPoolCount = 1;

static NTSTATUS MiMakeAsidPool(void)
{
    seL4_CPtr Untyped, Pool;
    NTSTATUS Status;

    if (MiAsidPoolCount == MI_MAX_ASID_POOLS)
        return STATUS_INSUFFICIENT_RESOURCES;
    Pool = MmAllocateSlot();
    if (Pool == seL4_CapNull)
        return STATUS_INSUFFICIENT_RESOURCES;
    /* The untyped becomes the pool: its cap (and chunk share) stays for good. */
    Status = MmAllocateObject(seL4_UntypedObject, seL4_PageBits, &Untyped);
    if (!NT_SUCCESS(Status)) {
        MmFreeSlot(Pool);
        return Status;
    }
    if (seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, Untyped, MmRootCNode, Pool,
                                      MM_CPTR_DEPTH) != seL4_NoError) {
        MmFreeObject(Untyped);
        MmFreeSlot(Pool);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    MiAsidPools[MiAsidPoolCount++] = Pool;
    return STATUS_SUCCESS;
}

static NTSTATUS MiAssignAsid(seL4_CPtr Pml4)
{
    for (;;) {
        for (ULONG i = 0; i < MiAsidPoolCount; i++)
            if (seL4_X86_ASIDPool_Assign(MiAsidPools[i], Pml4) == seL4_NoError)
                return STATUS_SUCCESS;
        NTSTATUS Status = MiMakeAsidPool();
        if (!NT_SUCCESS(Status))
            return Status;
    }
}

NTSTATUS MmCreateAddressSpace(MMADDRESS_SPACE **Result)
{
    MMADDRESS_SPACE *Space = ExAllocatePoolWithTag(sizeof(*Space), MI_SPACE_TAG);
    NTSTATUS Status = STATUS_INSUFFICIENT_RESOURCES;

    *Result = NULL;
    if (Space == NULL)
        return Status;
    Space->Root = ExAllocatePoolWithTag(sizeof(MI_TABLE), MI_TABLE_TAG);
    if (Space->Root == NULL)
        goto out;
    Status = MiAllocatePagingObject(seL4_X64_PML4Object, &Space->Pml4, &Space->Pml4Untyped);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = MiAssignAsid(Space->Pml4);
out:
    if (!NT_SUCCESS(Status)) {
        MiFreePagingObject(&Space->Pml4, &Space->Pml4Untyped);
        ExFreePoolWithTag(Space->Root, MI_TABLE_TAG);
        ExFreePoolWithTag(Space, MI_SPACE_TAG);
        return Status;
    }
    *Result = Space;
    return STATUS_SUCCESS;
}

void MmDeleteAddressSpace(MMADDRESS_SPACE *Space)
{
    if (Space == NULL)
        return;
    /* Pages first (their unmaps need the tables), then the tables, then the
     * PML4, whose deletion frees the ASID. */
    MiDeletePageTables(Space);
    while (Space->Vads)
        MiRemoveVad(Space, Space->Vads);
    MiFreePagingObject(&Space->Pml4, &Space->Pml4Untyped);
    ExFreePoolWithTag(Space, MI_SPACE_TAG);
}

seL4_CPtr MmAddressSpaceRoot(MMADDRESS_SPACE *Space)
{
    return Space->Pml4;
}

/* Whether committing [Base, Base+Size) stays under the commit limit. The
 * pages already committed there are at most the space's own, which bounds
 * the count before it is made page by page. */
static bool MiCommitChargeFits(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size)
{
    SIZE_T Pages = Size >> PAGE_SHIFT, New = 0;

    if (Pages > Space->CommittedPages && !MiCommitFits(Pages - Space->CommittedPages))
        return false;
    for (ULONG_PTR Va = Base; Va < Base + Size; Va += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Space, Va, false);
        New += Pte == NULL || !(Pte->Flags & MI_PTE_COMMITTED);
    }
    return MiCommitFits(New);
}

/* Mark [Base, Base+Size) committed with Protect; stops at the first failure.
 * STATUS_COMMITMENT_LIMIT (nothing done) when the pages do not fit. */
static NTSTATUS MiCommitPages(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size, ULONG Protect)
{
    if (!MiCommitChargeFits(Space, Base, Size))
        return STATUS_COMMITMENT_LIMIT;
    for (ULONG_PTR Va = Base; Va < Base + Size; Va += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Space, Va, true);
        if (Pte == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        if (Pte->Flags & MI_PTE_COMMITTED)
            continue; /* already committed: NT keeps its contents and protection */
        Pte->Flags |= MI_PTE_COMMITTED;
        Pte->Protect = (uint16_t)Protect;
        MiChargeCommit(Space, 1);
    }
    return STATUS_SUCCESS;
}

NTSTATUS MmReserveRange(MMADDRESS_SPACE *Space, ULONG_PTR *Base, SIZE_T Size, ULONG Protect,
                        bool Commit)
{
    ULONG_PTR Start;
    NTSTATUS Status;

    if (Size == 0 || Size > MM_USER_TOP || !MiValidProtection(Protect))
        return Size == 0 ? STATUS_INVALID_PARAMETER : STATUS_INVALID_PAGE_PROTECTION;
    Size = ROUND_TO_PAGES(Size);
    if (*Base == 0) {
        Status = MiFindFreeRange(Space, Size, &Start);
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        Start = PAGE_ALIGN_DOWN(*Base);
        if (Start > MM_USER_TOP || Size > MM_USER_TOP - Start)
            return STATUS_INVALID_PARAMETER;
    }
    Status = MiInsertVad(Space, Start, Start + Size, Protect);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Commit) {
        Status = MiCommitPages(Space, Start, Size, Protect);
        if (!NT_SUCCESS(Status)) {
            MmReleaseRange(Space, Start);
            return Status;
        }
    }
    *Base = Start;
    return STATUS_SUCCESS;
}

NTSTATUS MmCommitRange(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size, ULONG Protect)
{
    ULONG_PTR Start = PAGE_ALIGN_DOWN(Base), End;
    MMVAD *Vad;

    if (Size == 0 || Base + Size < Base || !MiValidProtection(Protect))
        return Size == 0 || Base + Size < Base ? STATUS_INVALID_PARAMETER
                                               : STATUS_INVALID_PAGE_PROTECTION;
    End = ROUND_TO_PAGES(Base + Size);
    Vad = MiFindVad(Space, Start);
    if (Vad == NULL)
        return STATUS_INVALID_ADDRESS;
    if (End > Vad->End || End < Start)
        return STATUS_CONFLICTING_ADDRESSES;
    return MiCommitPages(Space, Start, End - Start, Protect);
}

NTSTATUS MmReleaseRange(MMADDRESS_SPACE *Space, ULONG_PTR Base)
{
    MMVAD *Vad = MiFindVad(Space, Base);

    if (Vad == NULL || Vad->Start != Base)
        return STATUS_INVALID_ADDRESS;
    MiClearRange(Space, Vad->Start,
                 Vad->End); /* FIXME: empty software tables stay until the space goes */
    MiRemoveVad(Space, Vad);
    return STATUS_SUCCESS;
}

NTSTATUS MmMapPage(MMADDRESS_SPACE *Space, ULONG_PTR Va, PMMPFN Pfn, ULONG Protect)
{
    MMPTE *Pte;
    NTSTATUS Status;

    if ((Va & (PAGE_SIZE - 1)) || !MiValidProtection(Protect))
        return (Va & (PAGE_SIZE - 1)) ? STATUS_INVALID_PARAMETER : STATUS_INVALID_PAGE_PROTECTION;
    if (MiFindVad(Space, Va) == NULL) {
        Status = MiInsertVad(Space, Va, Va + PAGE_SIZE, Protect);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Pte = MiGetPte(Space, Va, true);
    if (Pte == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (Pte->Pfn != NULL)
        return STATUS_CONFLICTING_ADDRESSES;
    MmReferencePage(Pfn);
    if (!(Pte->Flags & MI_PTE_COMMITTED))
        MiChargeCommit(Space, 1);
    MiChargeResident(Space, 1);
    *Pte = (MMPTE){.Pfn = Pfn, .Protect = (uint16_t)Protect, .Flags = MI_PTE_COMMITTED};
    Status = MiMapPte(Space, Va, Pte);
    if (!NT_SUCCESS(Status))
        MiClearPte(Space, Pte);
    return Status;
}

PMMPFN MmLookupUserPage(MMADDRESS_SPACE *Space, ULONG_PTR Va, bool Write)
{
    MMPTE *Pte;
    PMMPFN Pfn;

    if (Va > MM_USER_TOP)
        return NULL;
    Va = PAGE_ALIGN_DOWN(Va);
    Pte = MiGetPte(Space, Va, false);
    if (Pte == NULL || !(Pte->Flags & MI_PTE_COMMITTED) || !MiProtectionAllows(Pte->Protect, Write))
        return NULL;
    /* sections: a write to a copy-on-write page gets a private copy. */
    if (Pte->Pfn != NULL && Write && MiIsCopyOnWrite(Pte))
        return MiMakePtePrivate(Space, Va, Pte) ? Pte->Pfn : NULL;
    if (Pte->Pfn != NULL)
        return Pte->Pfn;
    /* sections: a view's page comes from its section. */
    MMVAD *Vad = MiFindVad(Space, Va);
    if (Vad && Vad->Section)
        return MiMaterializeViewPage(Space, Vad, Va, Pte, Write) ? Pte->Pfn : NULL;
    /* Demand-zero: materialise the page and map it for the process too. */
    if (!NT_SUCCESS(MmAllocatePhysicalPage(&Pfn)))
        return NULL;
    Pte->Pfn = Pfn;
    if (!NT_SUCCESS(MiMapPte(Space, Va, Pte))) {
        MmDereferencePage(Pfn);
        Pte->Pfn = NULL;
        return NULL;
    }
    MiChargeResident(Space, 1);
    return Pfn;
}
