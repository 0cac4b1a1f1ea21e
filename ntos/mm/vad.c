/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Virtual address descriptors: the reserved ranges of an address space, a
 * list sorted by start address (FIXME: a balanced tree once processes hold
 * many views). Ranges never overlap and lie in [MM_USER_LOWEST, user top).
 * Also the meaning of NT page protections on this kernel: execute implies
 * read (no NX, sel4-abi.md §18.2), write implies read.
 */
#include "mi.h"

#define MI_VAD_TAG     0x6461564d                    /* 'MVad' */
#define MM_USER_LOWEST 0x10000ull                    /* the first 64 KiB stay unmapped, as on NT */
#define MM_USER_END    (MM_USER_TOP + 1 - PAGE_SIZE) /* exclusive; top page unused */

bool MiValidProtection(ULONG Protect)
{
    ULONG Base = Protect & 0xff;

    if (Protect & ~0x7ffu)
        return false;
    /* Exactly one base protection. */
    return Base != 0 && (Base & (Base - 1)) == 0;
}

bool MiProtectionAllows(ULONG Protect, bool Write)
{
    ULONG Base = Protect & 0xff;

    if (Protect & PAGE_GUARD)
        return false; /* a thread's touch fires it first (MmHandleFault); ntos's copies refuse it */
    if (Write)
        return Base &
               (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY);
    return Base != PAGE_NOACCESS;
}

seL4_CapRights_t MiProtectionRights(ULONG Protect)
{
    if (MiProtectionAllows(Protect, true))
        return seL4_ReadWrite;
    return seL4_CanRead;
}

seL4_CapRights_t MiPteRights(MMPTE *Pte)
{
    /* Copy-on-write: the shared page stays read-only until the first write. */
    if (MiIsCopyOnWrite(Pte))
        return seL4_CanRead;
    return MiProtectionRights(Pte->Protect);
}

MMVAD *MiFindVad(MMADDRESS_SPACE *Space, ULONG_PTR Va)
{
    for (MMVAD *Vad = Space->Vads; Vad && Vad->Start <= Va; Vad = Vad->Next)
        if (Va < Vad->End)
            return Vad;
    return NULL;
}

NTSTATUS MiInsertVad(MMADDRESS_SPACE *Space, ULONG_PTR Start, ULONG_PTR End, ULONG Protect)
{
    MMVAD **Link = &Space->Vads, *Vad;

    if (Start < MM_USER_LOWEST || End > MM_USER_END || Start >= End)
        return STATUS_INVALID_PARAMETER;
    while (*Link && (*Link)->End <= Start)
        Link = &(*Link)->Next;
    if (*Link && (*Link)->Start < End)
        return STATUS_CONFLICTING_ADDRESSES;
    Vad = ExAllocatePoolWithTag(sizeof(*Vad), MI_VAD_TAG);
    if (Vad == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Vad = (MMVAD){.Start = Start, .End = End, .Protect = Protect, .Next = *Link};
    *Link = Vad;
    MiChargeReserve(Space, (LONG_PTR)(End - Start));
    return STATUS_SUCCESS;
}

void MiRemoveVad(MMADDRESS_SPACE *Space, MMVAD *Vad)
{
    for (MMVAD **Link = &Space->Vads; *Link; Link = &(*Link)->Next) {
        if (*Link == Vad) {
            *Link = Vad->Next;
            MiChargeReserve(Space, -(LONG_PTR)(Vad->End - Vad->Start));
            if (Vad->Section)
                MiDeleteView(Vad);
            ExFreePoolWithTag(Vad, MI_VAD_TAG);
            return;
        }
    }
    ASSERT(!"VAD not in its address space");
}

/* The lowest free range of Size bytes, 64 KiB aligned (NT's granularity). */
NTSTATUS MiFindFreeRange(MMADDRESS_SPACE *Space, SIZE_T Size, ULONG_PTR *Start)
{
    return MiFindFreeRangeBelow(Space, Size, MM_USER_END - 1, false, Start);
}

/* Walk the gaps between reservations in address order; bottom-up stops at
 * the first that fits, top-down keeps the last (the highest). */
NTSTATUS MiFindFreeRangeBelow(MMADDRESS_SPACE *Space, SIZE_T Size, ULONG_PTR Highest, bool TopDown,
                              ULONG_PTR *Start)
{
    const ULONG_PTR Granularity = 0x10000;
    ULONG_PTR GapStart = MM_USER_LOWEST;
    bool Found = false;

    if (Highest > MM_USER_END - 1)
        Highest = MM_USER_END - 1;
    for (MMVAD *Vad = Space->Vads;; Vad = Vad->Next) {
        ULONG_PTR GapEnd = Vad && Vad->Start <= Highest ? Vad->Start : Highest + 1;
        ULONG_PTR Low = (GapStart + Granularity - 1) & ~(Granularity - 1);
        if (GapEnd > Low && GapEnd - Low >= Size) {
            *Start = TopDown ? (GapEnd - Size) & ~(Granularity - 1) : Low;
            Found = true;
            if (!TopDown)
                break;
        }
        if (Vad == NULL || Vad->Start > Highest)
            break;
        if (Vad->End > GapStart)
            GapStart = Vad->End;
    }
    return Found ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

NTSTATUS MiSplitVad(MMVAD *Vad, ULONG_PTR At)
{
    MMVAD *Upper;

    ASSERT(At > Vad->Start && At < Vad->End); /* callers split strictly inside */
    Upper = ExAllocatePoolWithTag(sizeof(*Upper), MI_VAD_TAG);
    if (Upper == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Upper = (MMVAD){.Start = At,
                     .End = Vad->End,
                     .Protect = Vad->Protect,
                     .Flags = Vad->Flags,
                     .Next = Vad->Next};
    Vad->End = At;
    Vad->Next = Upper;
    return STATUS_SUCCESS;
}
