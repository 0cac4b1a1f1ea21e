/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Views of sections: a view is a VAD that holds a reference on its section
 * and names its first page in the section's segment. Its PTEs are
 * committed with the view's protection and materialised on first touch:
 * the segment's page itself (MI_PTE_SHARED: every view sees the others'
 * writes), or, for a write under WRITECOPY, a private copy (copy-on-write;
 * the page's protection becomes READWRITE then, as on NT). The services
 * are in mapview.c.
 */
#include "misect.h"

#define MI_USER_LOWEST 0x10000ull
#define MI_USER_END    (MM_USER_TOP + 1 - PAGE_SIZE)

/* ---- pages of views -------------------------------------------------------------------- */

/* What a copy-on-write protection becomes once the page is private. */
static uint16_t MiCopiedProtection(uint16_t Protect)
{
    ULONG Base = Protect & 0xff;

    if (Base == PAGE_WRITECOPY)
        return (uint16_t)((Protect & ~0xffu) | PAGE_READWRITE);
    if (Base == PAGE_EXECUTE_WRITECOPY)
        return (uint16_t)((Protect & ~0xffu) | PAGE_EXECUTE_READWRITE);
    return Protect;
}

bool MiMakePtePrivate(MMADDRESS_SPACE *Space, ULONG_PTR Va, MMPTE *Pte)
{
    PMMPFN Old = Pte->Pfn, New;

    ASSERT(Old != NULL);
    if (!NT_SUCCESS(MmAllocatePhysicalPage(&New)))
        return false;
    memcpy(MmPageAddress(New), MmPageAddress(Old), PAGE_SIZE);
    if (Pte->MapCap != 0) {
        seL4_CNode_Delete(MmRootCNode, Pte->MapCap, MM_CPTR_DEPTH); /* unmaps the shared page */
        MmFreeSlot(Pte->MapCap);
        Pte->MapCap = 0;
        Old->MapCount--;
    }
    MmDereferencePage(Old);
    Pte->Pfn = New;
    Pte->Flags &= ~MI_PTE_SHARED;
    Pte->Protect = MiCopiedProtection(Pte->Protect);
    return NT_SUCCESS(MiMapPte(Space, Va, Pte));
}

bool MiMaterializeViewPage(MMADDRESS_SPACE *Space, MMVAD *Vad, ULONG_PTR Va, MMPTE *Pte, bool Write)
{
    MI_SEGMENT *Segment = Vad->Section->Segment;
    ULONG_PTR Index = Vad->FirstPage + (Va - Vad->Start) / PAGE_SIZE;
    PMMPFN Shared;

    ASSERT(Pte->Pfn == NULL);
    if (Index >= Segment->PageCount || !NT_SUCCESS(MiSegmentPage(Segment, Index, &Shared)))
        return false;
    MmReferencePage(Shared);
    Pte->Pfn = Shared;
    Pte->Flags |= MI_PTE_SHARED;
    MiChargeResident(Space, 1); /* vm: counted as long as the PTE has a page */
    if (Write && MiIsCopyOnWrite(Pte))
        return MiMakePtePrivate(Space, Va, Pte);
    if (!NT_SUCCESS(MiMapPte(Space, Va, Pte))) {
        MmDereferencePage(Shared);
        Pte->Pfn = NULL;
        Pte->Flags &= ~MI_PTE_SHARED;
        MiChargeResident(Space, -1);
        return false;
    }
    return true;
}

void MiDeleteView(MMVAD *Vad)
{
    ObDereferenceObject(Vad->Section);
    Vad->Section = NULL;
}

/* ---- placing views ----------------------------------------------------------------------- */

const MI_VIEW_PLACE MiViewAnywhere = {MI_USER_END - 1, false},
                    MiViewTopDown = {MI_USER_END - 1, true};

NTSTATUS MiInsertView(MMADDRESS_SPACE *Space, PSECTION Section, ULONG_PTR FirstPage,
                      ULONG_PTR PageCount, ULONG_PTR *Base, const MI_VIEW_PLACE *Place,
                      MMVAD **Result)
{
    SIZE_T Size = PageCount * PAGE_SIZE;
    ULONG_PTR Start = *Base;
    MMVAD *Vad;
    NTSTATUS Status = STATUS_SUCCESS;

    if (Start == 0)
        Status = MiFindFreeRangeBelow(Space, Size, Place->Highest, Place->TopDown, &Start);
    else if (Start < MI_USER_LOWEST || Start > MI_USER_END || Size > MI_USER_END - Start)
        Status = STATUS_INVALID_PARAMETER_3;
    if (NT_SUCCESS(Status))
        Status = MiInsertVad(Space, Start, Start + Size, Section->Protect);
    if (!NT_SUCCESS(Status))
        return Status;
    Vad = MiFindVad(Space, Start);
    ObReferenceObject(Section);
    Vad->Section = Section;
    Vad->FirstPage = FirstPage;
    *Base = Start;
    *Result = Vad;
    return STATUS_SUCCESS;
}

/* Commit page Va of a view with Protect (its page comes at first touch). */
NTSTATUS MiCommitViewPage(MMADDRESS_SPACE *Space, ULONG_PTR Va, ULONG Protect)
{
    MMPTE *Pte = MiGetPte(Space, Va, true);

    if (Pte == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (!(Pte->Flags & MI_PTE_COMMITTED))
        MiChargeCommit(Space, 1); /* vm: MiClearPte returns it */
    Pte->Flags |= MI_PTE_COMMITTED;
    Pte->Protect = (uint16_t)Protect;
    return STATUS_SUCCESS;
}

/* Unmap the view Vad: its pages (private copies go), then the VAD and
 * with it the view's reference on the section. */
static void MiUnmapView(MMADDRESS_SPACE *Space, MMVAD *Vad)
{
    for (ULONG_PTR Va = Vad->Start; Va < Vad->End; Va += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Space, Va, false);
        if (Pte)
            MiClearPte(Space, Pte);
    }
    MiRemoveVad(Space, Vad);
}

NTSTATUS MmUnmapViewOfSection(MMADDRESS_SPACE *Space, ULONG_PTR Va)
{
    MMVAD *Vad = MiFindVad(Space, Va);

    if (Vad == NULL || Vad->Section == NULL)
        return STATUS_NOT_MAPPED_VIEW;
    MiUnmapView(Space, Vad);
    return STATUS_SUCCESS;
}

bool MmQueryView(MMADDRESS_SPACE *Space, ULONG_PTR Va, bool *Image)
{
    MMVAD *Vad = MiFindVad(Space, Va);

    if (Vad == NULL || Vad->Section == NULL)
        return false;
    *Image = Vad->Section->Segment->Kind == MiSegmentImage;
    return true;
}
