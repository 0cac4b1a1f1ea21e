/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * I/O windows (neither branch): a range reserved once in a driver process
 * where the I/O manager maps the pages of IRP buffers for each request's
 * life (direct and neither I/O: the caller's own pages; buffered I/O:
 * ntos's system buffer). What a fresh reservation per IRP cost and this
 * avoids: finding, inserting and removing a VAD, and a frame cap copied
 * and deleted for every page. The window keeps its VAD, its software and
 * seL4 page tables, and a small cache of frame cap copies that are no
 * longer mapped anywhere (seL4 wants a cap of its own for each mapping),
 * keyed by the frame: mapping a frame seen recently is one seL4_X86_Page_Map,
 * unmapping it one seL4_X86_Page_Unmap. Every page is unmapped when its
 * request ends, so the driver never sees a page after its IRP; only caps
 * and tables are kept. A cached cap holds no page reference (frames are
 * never deleted, only recycled, so the cap stays a valid cap of the same
 * frame and is mapped again only for that frame).
 *
 * The window's VAD (and every reservation io makes for a buffer that does
 * not fit, MmReserveIoRange) is MI_VAD_SYSTEM: the driver's memory
 * services leave it alone, so it cannot make a read-only mapping of a
 * caller's page writable. Every map still checks that the PTEs are as the
 * window left them and fails otherwise (the caller falls back to a
 * reservation of its own), and an unmap takes only what the PTE still
 * holds.
 */
#include "mi.h"

#define MI_IO_WINDOW_TAG   0x77496d4d /* 'MmIw' */
#define MI_IO_WINDOW_WORDS (MM_IO_WINDOW_PAGES / 64)
#define MI_IO_CAP_CACHE    64 /* a power of two */

typedef struct _MI_CACHED_CAP {
    PMMPFN Pfn;    /* NULL: the bucket is empty */
    seL4_CPtr Cap; /* an unmapped copy of Pfn->Frame */
} MI_CACHED_CAP;

struct _MM_IO_WINDOW {
    MMADDRESS_SPACE *Space;
    ULONG_PTR Base;                   /* MM_IO_WINDOW_PAGES pages */
    ULONG64 Used[MI_IO_WINDOW_WORDS]; /* pages handed out */
    MI_CACHED_CAP Caps[MI_IO_CAP_CACHE];
};

NTSTATUS MmReserveIoRange(MMADDRESS_SPACE *Space, ULONG_PTR *Base, SIZE_T Size)
{
    NTSTATUS Status = MmReserveRange(Space, Base, Size, PAGE_READWRITE, false);

    if (NT_SUCCESS(Status))
        MiFindVad(Space, *Base)->Flags |= MI_VAD_SYSTEM;
    return Status;
}

NTSTATUS MmCreateIoWindow(MMADDRESS_SPACE *Space, MM_IO_WINDOW **Result)
{
    MM_IO_WINDOW *Window = ExAllocatePoolWithTag(sizeof(*Window), MI_IO_WINDOW_TAG);
    NTSTATUS Status;

    *Result = NULL;
    if (Window == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Window->Space = Space;
    Status = MmReserveIoRange(Space, &Window->Base, (SIZE_T)MM_IO_WINDOW_PAGES * PAGE_SIZE);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Window, MI_IO_WINDOW_TAG);
        return Status;
    }
    *Result = Window;
    return STATUS_SUCCESS;
}

/* Whether the window's reservation is still the one it made. */
static bool MiWindowIntact(MM_IO_WINDOW *Window)
{
    MMVAD *Vad = MiFindVad(Window->Space, Window->Base);

    return Vad != NULL && Vad->Start == Window->Base &&
           Vad->End == Window->Base + (ULONG_PTR)MM_IO_WINDOW_PAGES * PAGE_SIZE &&
           Vad->Section == NULL && (Vad->Flags & MI_VAD_SYSTEM);
}

static void MiDeleteCap(seL4_CPtr Cap)
{
    seL4_CNode_Delete(MmRootCNode, Cap, MM_CPTR_DEPTH);
    MmFreeSlot(Cap);
}

void MmDeleteIoWindow(MM_IO_WINDOW *Window, bool SpaceGone)
{
    for (ULONG i = 0; i < MI_IO_CAP_CACHE; i++)
        if (Window->Caps[i].Pfn != NULL)
            MiDeleteCap(Window->Caps[i].Cap);
    /* Pages still mapped go with the range (their caps and references). */
    if (!SpaceGone && MiWindowIntact(Window))
        MmReleaseRange(Window->Space, Window->Base);
    ExFreePoolWithTag(Window, MI_IO_WINDOW_TAG);
}

static MI_CACHED_CAP *MiCapBucket(MM_IO_WINDOW *Window, PMMPFN Pfn)
{
    return &Window->Caps[((ULONG_PTR)Pfn / sizeof(MMPFN)) & (MI_IO_CAP_CACHE - 1)];
}

/* A cap of Pfn's frame mapped nowhere: the cached one, or a new copy. */
static seL4_CPtr MiTakeCap(MM_IO_WINDOW *Window, PMMPFN Pfn)
{
    MI_CACHED_CAP *Bucket = MiCapBucket(Window, Pfn);
    seL4_CPtr Cap;

    if (Bucket->Pfn == Pfn) {
        Bucket->Pfn = NULL;
        return Bucket->Cap;
    }
    Cap = MmAllocateSlot();
    if (Cap == seL4_CapNull)
        return seL4_CapNull;
    if (seL4_CNode_Copy(MmRootCNode, Cap, MM_CPTR_DEPTH, MmRootCNode, Pfn->Frame, MM_CPTR_DEPTH,
                        seL4_AllRights) != seL4_NoError)
        KeBugCheck("mm: cannot copy frame cap %lx", (unsigned long)Pfn->Frame);
    return Cap;
}

/* Keep an unmapped cap for the frame's next mapping (evicting another). */
static void MiKeepCap(MM_IO_WINDOW *Window, PMMPFN Pfn, seL4_CPtr Cap)
{
    MI_CACHED_CAP *Bucket = MiCapBucket(Window, Pfn);

    if (Bucket->Pfn != NULL)
        MiDeleteCap(Bucket->Cap);
    Bucket->Pfn = Pfn;
    Bucket->Cap = Cap;
}

/* First fit of Count free pages; -1 if none. */
static LONG MiFindWindowPages(MM_IO_WINDOW *Window, ULONG Count)
{
    ULONG Run = 0;

    for (ULONG i = 0; i < MM_IO_WINDOW_PAGES; i++) {
        if (Window->Used[i / 64] == ~0ull && (i % 64) == 0) {
            Run = 0;
            i += 63;
            continue;
        }
        Run = (Window->Used[i / 64] >> (i % 64)) & 1 ? 0 : Run + 1;
        if (Run == Count)
            return (LONG)(i + 1 - Count);
    }
    return -1;
}

static void MiMarkWindowPages(MM_IO_WINDOW *Window, ULONG First, ULONG Count, bool Used)
{
    for (ULONG i = First; i < First + Count; i++) {
        if (Used)
            Window->Used[i / 64] |= 1ull << (i % 64);
        else
            Window->Used[i / 64] &= ~(1ull << (i % 64));
    }
}

/* Map one page at Va, whose PTE must be untouched. */
static NTSTATUS MiMapWindowPage(MM_IO_WINDOW *Window, ULONG_PTR Va, PMMPFN Pfn, ULONG Protect)
{
    MMADDRESS_SPACE *Space = Window->Space;
    MMPTE *Pte = MiGetPte(Space, Va, true);
    seL4_CPtr Cap;
    NTSTATUS Status;

    if (Pte == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (Pte->Pfn != NULL || Pte->MapCap != 0 || Pte->Flags != 0)
        return STATUS_CONFLICTING_ADDRESSES; /* the driver committed memory there */
    Cap = MiTakeCap(Window, Pfn);
    if (Cap == seL4_CapNull)
        return STATUS_INSUFFICIENT_RESOURCES;
    MmReferencePage(Pfn);
    Pfn->MapCount++;
    MiChargeCommit(Space, 1);
    MiChargeResident(Space, 1);
    *Pte = (MMPTE){.Pfn = Pfn,
                   .MapCap = (uint32_t)Cap,
                   .Protect = (uint16_t)Protect,
                   .Flags = MI_PTE_COMMITTED};
    Status = MiMapPte(Space, Va, Pte);
    if (!NT_SUCCESS(Status))
        MiClearPte(Space, Pte); /* MiMapPte deleted the cap already */
    return Status;
}

/* Unmap the page at Va (whatever its PTE holds now), keeping its cap. */
static void MiUnmapWindowPage(MM_IO_WINDOW *Window, ULONG_PTR Va)
{
    MMADDRESS_SPACE *Space = Window->Space;
    MMPTE *Pte = MiGetPte(Space, Va, false);
    PMMPFN Pfn;
    seL4_CPtr Cap;

    if (Pte == NULL)
        return;
    if (Pte->Pfn == NULL || Pte->MapCap == 0) {
        MiClearPte(Space, Pte); /* whatever the driver made of it */
        return;
    }
    Pfn = Pte->Pfn;
    Cap = Pte->MapCap;
    seL4_X86_Page_Unmap(Cap);
    Pte->MapCap = 0;
    Pfn->MapCount--;
    MiClearPte(Space, Pte); /* the charges and the page reference */
    MiKeepCap(Window, Pfn, Cap);
}

NTSTATUS MmMapIoPages(MM_IO_WINDOW *Window, PMMPFN *Pages, ULONG Count, ULONG Protect,
                      ULONG_PTR *Va)
{
    ULONG_PTR Base;
    LONG First;
    ULONG Done;
    NTSTATUS Status = STATUS_SUCCESS;

    /* The VAD is MI_VAD_SYSTEM: the process cannot have changed it. */
    if (Count == 0 || Count > MM_IO_WINDOW_PAGES)
        return STATUS_NO_MEMORY;
    First = MiFindWindowPages(Window, Count);
    if (First < 0)
        return STATUS_NO_MEMORY;
    Base = Window->Base + (ULONG_PTR)First * PAGE_SIZE;
    for (Done = 0; Done < Count && NT_SUCCESS(Status); Done++)
        Status = MiMapWindowPage(Window, Base + (ULONG_PTR)Done * PAGE_SIZE, Pages[Done], Protect);
    if (!NT_SUCCESS(Status)) {
        for (ULONG i = 0; i + 1 < Done; i++)
            MiUnmapWindowPage(Window, Base + (ULONG_PTR)i * PAGE_SIZE);
        return Status;
    }
    MiMarkWindowPages(Window, (ULONG)First, Count, true);
    *Va = Base; /* only on success */
    return STATUS_SUCCESS;
}

void MmUnmapIoPages(MM_IO_WINDOW *Window, ULONG_PTR Va, ULONG Count)
{
    ULONG First = (ULONG)((Va - Window->Base) / PAGE_SIZE);

    ASSERT(Va >= Window->Base && First + Count <= MM_IO_WINDOW_PAGES); /* ours */
    for (ULONG i = 0; i < Count; i++)
        MiUnmapWindowPage(Window, Va + (ULONG_PTR)i * PAGE_SIZE);
    MiMarkWindowPages(Window, First, Count, false);
}
