/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Changing and describing committed memory: protection changes (the seL4
 * mapping follows: remapped with the new rights, or unmapped while the page
 * is inaccessible), decommit, and the description of a region that
 * NtQueryVirtualMemory reports. A range must lie inside one reservation,
 * as on NT.
 */
#include "mi.h"

/* The reservation holding all of [Start, End), or NULL. */
static MMVAD *MiVadOfRange(MMADDRESS_SPACE *Space, ULONG_PTR Start, ULONG_PTR End)
{
    MMVAD *Vad = MiFindVad(Space, Start);

    return Vad && End > Start && End <= Vad->End ? Vad : NULL;
}

static NTSTATUS MiPageRange(ULONG_PTR Base, SIZE_T Size, ULONG_PTR *Start, ULONG_PTR *End)
{
    if (Size == 0 || Base > MM_USER_TOP || Size > MM_USER_TOP - Base + 1)
        return STATUS_INVALID_PARAMETER;
    *Start = PAGE_ALIGN_DOWN(Base);
    *End = ROUND_TO_PAGES(Base + Size);
    return STATUS_SUCCESS;
}

/* Apply a new protection to one committed PTE and its seL4 mapping. */
static NTSTATUS MiReprotectPte(MMADDRESS_SPACE *Space, ULONG_PTR Va, MMPTE *Pte, ULONG Protect)
{
    Pte->Protect = (uint16_t)Protect;
    if (Pte->Pfn == NULL)
        return STATUS_SUCCESS; /* demand-zero: mapped with it when touched */
    if (!MiProtectionAllows(Protect, false)) {
        if (Pte->MapCap != 0)
            seL4_X86_Page_Unmap(Pte->MapCap); /* the cap stays for a later remap */
        return STATUS_SUCCESS;
    }
    return MiMapPte(Space, Va, Pte); /* a remap of the same cap updates the rights */
}

NTSTATUS MmProtectRange(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size, ULONG Protect,
                        ULONG *OldProtect)
{
    ULONG_PTR Start, End;
    NTSTATUS Status = MiPageRange(Base, Size, &Start, &End);

    if (!NT_SUCCESS(Status))
        return Status;
    if (!MiValidProtection(Protect))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (MiVadOfRange(Space, Start, End) == NULL)
        return MiFindVad(Space, Start) ? STATUS_CONFLICTING_ADDRESSES : STATUS_MEMORY_NOT_ALLOCATED;
    for (ULONG_PTR Va = Start; Va < End; Va += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Space, Va, false);
        if (Pte == NULL || !(Pte->Flags & MI_PTE_COMMITTED))
            return STATUS_NOT_COMMITTED; /* nothing changed yet */
    }
    *OldProtect = MiGetPte(Space, Start, false)->Protect;
    for (ULONG_PTR Va = Start; Va < End && NT_SUCCESS(Status); Va += PAGE_SIZE)
        Status = MiReprotectPte(Space, Va, MiGetPte(Space, Va, false), Protect);
    return Status;
}

NTSTATUS MmDecommitRange(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size)
{
    ULONG_PTR Start, End;
    NTSTATUS Status = MiPageRange(Base, Size, &Start, &End);

    if (!NT_SUCCESS(Status))
        return Status;
    if (MiVadOfRange(Space, Start, End) == NULL)
        return STATUS_MEMORY_NOT_ALLOCATED;
    for (ULONG_PTR Va = Start; Va < End; Va += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Space, Va, false);
        if (Pte)
            MiClearPte(Space, Pte);
    }
    return STATUS_SUCCESS;
}

/* State and protection of one page, for grouping pages into regions. */
static void MiPageState(MMADDRESS_SPACE *Space, ULONG_PTR Va, ULONG *State, ULONG *Protect)
{
    MMPTE *Pte = MiGetPte(Space, Va, false);

    if (Pte && (Pte->Flags & MI_PTE_COMMITTED)) {
        *State = MM_STATE_COMMIT;
        *Protect = Pte->Protect;
    } else {
        *State = MM_STATE_RESERVE;
        *Protect = 0;
    }
}

NTSTATUS MmQueryRange(MMADDRESS_SPACE *Space, ULONG_PTR Va, MM_REGION_INFO *Info)
{
    MMVAD *Vad;
    ULONG State, Protect, NextState, NextProtect;
    ULONG_PTR End;

    if (Va > MM_USER_TOP)
        return STATUS_INVALID_PARAMETER;
    Va = PAGE_ALIGN_DOWN(Va);
    *Info = (MM_REGION_INFO){.BaseAddress = Va, .State = MM_STATE_FREE, .Protect = PAGE_NOACCESS};
    Vad = MiFindVad(Space, Va);
    if (Vad == NULL) {
        /* Free up to the next reservation or the end of user space. */
        End = MM_USER_TOP + 1;
        for (MMVAD *Next = Space->Vads; Next; Next = Next->Next)
            if (Next->Start > Va) {
                End = Next->Start;
                break;
            }
        Info->RegionSize = End - Va;
        return STATUS_SUCCESS;
    }
    Info->AllocationBase = Vad->Start;
    Info->AllocationProtect = Vad->Protect;
    MiPageState(Space, Va, &State, &Protect);
    for (End = Va + PAGE_SIZE; End < Vad->End; End += PAGE_SIZE) {
        MiPageState(Space, End, &NextState, &NextProtect);
        if (NextState != State || NextProtect != Protect)
            break;
    }
    Info->RegionSize = End - Va;
    Info->State = State;
    Info->Protect = Protect;
    return STATUS_SUCCESS;
}
