/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of the memory manager: the CSpace bookkeeping (slot
 * records), the untyped chunks behind object allocation, the frame records
 * (MMPFN), mappings in ntos's own VSpace, and the structures of a process
 * address space (VADs and the software page table).
 */
#pragma once

#include <ntos.h>
#include <ke.h>
#include <mm.h>
#include "../rtl/rtl.h"

#define MI_TAG 0x20206d4d /* 'Mm  ' */

/* ---- CSpace (mm/cspace.c) ----------------------------------------------- */

#define MI_L1_BITS       10
#define MI_L2_BITS       12
#define MI_L2_SLOTS      (1u << MI_L2_BITS)
#define MI_L1_GUARD_BITS (64 - MI_L1_BITS - MI_L2_BITS)
#define MI_NO_CHUNK      0xffff

/* What MmFreeObject needs to know about a slot's object. */
typedef struct _MI_SLOT_INFO {
    UCHAR Type;     /* seL4 object type, 0xff: not from MmAllocateObject */
    UCHAR SizeBits; /* for untyped/CNode */
    USHORT Chunk;   /* the chunk it came from, MI_NO_CHUNK: not reclaimable */
} MI_SLOT_INFO;

void MiInitializeCSpace(seL4_BootInfo *BootInfo);
MI_SLOT_INFO *MiSlotInfo(seL4_CPtr Slot);
ULONG MiFreeSlotCount(void);
/* Grow by one level-2 CNode when the reserve runs low (mm/cspace.c). */
void MiReplenishSlots(void);

/* ---- untyped memory (mm/untyped.c) ------------------------------------------ */

void MiInitializeUntypeds(seL4_BootInfo *BootInfo);
seL4_Word MiObjectSizeBits(seL4_Word Type, seL4_Word SizeBits);
/* A Retype destination: the CNode (Root, Index, Depth) (Depth 0: Root
 * itself) and the slot Offset in it. */
typedef struct _MI_DEST {
    seL4_CPtr Root;
    seL4_Word Index, Depth, Offset;
} MI_DEST;
MI_DEST MiSlotDest(seL4_CPtr Slot);
/* Retype one object to Dest; *Chunk names the chunk it came from. */
NTSTATUS MiRetypeInto(seL4_Word Type, seL4_Word SizeBits, const MI_DEST *Dest, USHORT *Chunk);
void MiReleaseChunkObject(USHORT Chunk);
/* The physical address of the 4 KiB frame MmAllocateObject has just put in
 * Slot (no other object since), mostly without asking seL4. */
seL4_Word MiNewFrameAddress(seL4_CPtr Slot);
/* Chunks cut so far (the self-tests watch memory coming back). */
ULONG MiChunkTotal(void);
/* Chunks currently assigned to objects of 2^ObjectBits bytes (tests). */
ULONG MiChunksServing(UCHAR ObjectBits);
/* Objects of all chunks whose caps still exist (tests: nothing left behind). */
ULONG MiLiveObjectCount(void);
/* Highest physical address of RAM (exclusive). */
seL4_Word MiHighestRam(void);

/* ---- ntos's VSpace (mm/ntmap.c) ------------------------------------------------ */

/* Map a frame into ntos's VSpace, creating paging structures (never freed). */
NTSTATUS MiMapNtosPage(seL4_CPtr Frame, ULONG_PTR Va);
/* A fresh (zeroed) frame mapped at Va, used for ntos's own memory. */
NTSTATUS MiMapNewNtosPage(ULONG_PTR Va);

/* ---- frames (mm/pfn.c) ---------------------------------------------------- */

struct _MMPFN {
    seL4_CPtr Frame;  /* the primary cap (mapped in the physmap) */
    ULONG References; /* 0: on the free list */
    ULONG MapCount;   /* user mappings (each has its own cap) */
    struct _MMPFN *NextFree;
    ULONG_PTR Reserved;
};
_Static_assert(sizeof(MMPFN) == 32, "MMPFN entries tile the database pages");

void MiInitializePfnDatabase(void);
ULONG MiFreePageCount(void);
/* hal (mm/contig.c): map the database page holding the entry of Paddr. */
NTSTATUS MiEnsurePfnEntry(seL4_Word Paddr);

/* ---- pool (mm/pool.c) --------------------------------------------------------- */

void MiInitializePool(void);
/* Blocks and bytes (headers included) allocated and not yet freed (tests). */
void MiQueryPoolUsage(SIZE_T *Blocks, SIZE_T *Bytes);

/* ---- address spaces (mm/space.c, mm/vad.c, mm/pte.c) ---------------------------- */

typedef struct _MMVAD {
    ULONG_PTR Start, End; /* [Start, End), page aligned */
    ULONG Protect;
    ULONG Flags;         /* MI_VAD_* */
    struct _MMVAD *Next; /* sorted by Start */
    /* sections (mm/view.c): a view holds a reference on its section; its
     * pages come from the section's segment, starting at FirstPage. */
    struct _SECTION *Section; /* NULL: private memory */
    ULONG_PTR FirstPage;
} MMVAD;

#define MI_VAD_ALLOCATED 0x1 /* made by NtAllocateVirtualMemory: private, no WRITECOPY */
/* neither branch: ntos's own mapping in a process (I/O windows and IRP
 * buffers in a driver, mm/iowindow.c): the process's memory services may
 * not commit, reset, protect or free it (a driver turning a read-only
 * mapping of a caller's page writable). */
#define MI_VAD_SYSTEM 0x4

#define MI_PTE_COMMITTED 0x1 /* demand-zero until Pfn is set */
/* sections: Pfn is the section's page, shared with its other views. With a
 * WRITECOPY protection that is the copy-on-write state: mapped read-only,
 * the first write gives the PTE a private copy (mm/view.c). */
#define MI_PTE_SHARED 0x2

typedef struct _MMPTE {
    PMMPFN Pfn;      /* NULL: not materialised */
    uint32_t MapCap; /* the mapping's frame cap copy, 0: not mapped in seL4 */
    uint16_t Protect;
    uint16_t Flags;
} MMPTE;

#define MI_TABLE_ENTRIES 512
#define MI_TABLE_TAG     0x6274504d /* 'MPtb': software page table nodes */

/* A node of the software page table; Cap is the seL4 paging structure
 * (PDPT, PD or PT) that maps the same span, 0 until first needed. */
typedef struct _MI_TABLE {
    void *Entries[MI_TABLE_ENTRIES]; /* child tables, or for a leaf NULL */
    seL4_CPtr Cap;
    seL4_CPtr Untyped; /* Cap's own 4 KiB untyped (mm/pagingobj.c) */
    ULONG Used;
} MI_TABLE;

typedef struct _MI_LEAF {
    MMPTE Pte[MI_TABLE_ENTRIES];
    seL4_CPtr Cap;     /* the seL4 page table */
    seL4_CPtr Untyped; /* Cap's own 4 KiB untyped (mm/pagingobj.c) */
    ULONG Used;
} MI_LEAF;

struct _MMADDRESS_SPACE {
    seL4_CPtr Pml4;
    seL4_CPtr Pml4Untyped; /* Pml4's own 4 KiB untyped (mm/pagingobj.c) */
    MMVAD *Vads;
    MI_TABLE *Root; /* level 4: entries are level-3 tables */
    /* Counters (mm/counters.c): committed pages, resident (materialised)
     * pages and reserved bytes with their peaks, VM faults taken. */
    SIZE_T CommittedPages, PeakCommittedPages;
    SIZE_T ResidentPages, PeakResidentPages;
    SIZE_T ReservedBytes, PeakReservedBytes;
    ULONG PageFaults;
};

bool MiValidProtection(ULONG Protect);
/* sections: a shared page under WRITECOPY (see MI_PTE_SHARED). */
static inline bool MiIsCopyOnWrite(const MMPTE *Pte)
{
    ULONG Base = Pte->Protect & 0xff;

    return (Pte->Flags & MI_PTE_SHARED) &&
           (Base == PAGE_WRITECOPY || Base == PAGE_EXECUTE_WRITECOPY);
}
bool MiProtectionAllows(ULONG Protect, bool Write);
seL4_CapRights_t MiProtectionRights(ULONG Protect);

MMVAD *MiFindVad(MMADDRESS_SPACE *Space, ULONG_PTR Va);
NTSTATUS MiInsertVad(MMADDRESS_SPACE *Space, ULONG_PTR Start, ULONG_PTR End, ULONG Protect);
NTSTATUS MiFindFreeRange(MMADDRESS_SPACE *Space, SIZE_T Size, ULONG_PTR *Start);
/* A free 64 KiB aligned range of Size bytes ending at or below Highest + 1:
 * the lowest, or with TopDown the highest. STATUS_NO_MEMORY if none. */
NTSTATUS MiFindFreeRangeBelow(MMADDRESS_SPACE *Space, SIZE_T Size, ULONG_PTR Highest, bool TopDown,
                              ULONG_PTR *Start);
/* Cut Vad in two at At (page aligned, strictly inside): Vad keeps
 * [Start, At), a new VAD with the same protection and flags gets the rest. */
NTSTATUS MiSplitVad(MMVAD *Vad, ULONG_PTR At);
void MiRemoveVad(MMADDRESS_SPACE *Space, MMVAD *Vad);

/* The PTE of Va, creating the path when Create; NULL if absent or no memory. */
MMPTE *MiGetPte(MMADDRESS_SPACE *Space, ULONG_PTR Va, bool Create);
/* Map Pte's page into the seL4 VSpace with its protection. */
NTSTATUS MiMapPte(MMADDRESS_SPACE *Space, ULONG_PTR Va, MMPTE *Pte);
/* Drop the page of a PTE (mapping cap and reference); the PTE becomes free. */
void MiClearPte(MMADDRESS_SPACE *Space, MMPTE *Pte);
/* MiClearPte on every PTE of [Start, End) that has a software table. */
void MiClearRange(MMADDRESS_SPACE *Space, ULONG_PTR Start, ULONG_PTR End);
void MiDeletePageTables(MMADDRESS_SPACE *Space);

/* ---- copies between processes (mm/usercopy.c) ------------------------------------------- */

NTSTATUS MiCopyProcessMemory(PEPROCESS From, ULONG_PTR FromVa, PEPROCESS To, ULONG_PTR ToVa,
                             SIZE_T Length, SIZE_T *Copied);

/* ---- counters and the commit charge (mm/counters.c) ------------------------------------- */

/* Adjust a space's counters (and the system's commit) by a signed amount. */
void MiChargeCommit(MMADDRESS_SPACE *Space, LONG_PTR Pages);
void MiChargeResident(MMADDRESS_SPACE *Space, LONG_PTR Pages);
void MiChargeReserve(MMADDRESS_SPACE *Space, LONG_PTR Bytes);
/* Whether Pages more pages fit under the commit limit. */
bool MiCommitFits(SIZE_T Pages);
extern ULONG MiPageFaultTotal; /* VM faults of every process (MmHandleFault) */
/* Pages of RAM ntos was given, and pages of untyped memory not yet used
 * that could still become frames (mm/untyped.c). */
ULONGLONG MiRamPages(void);
ULONGLONG MiUntypedFreePages(void);
/* Paging structures (mm/pagingobj.c): each from a 4 KiB untyped of its
 * own, which freeing rewinds and keeps as a spare for the next one. */
NTSTATUS MiAllocatePagingObject(seL4_Word Type, seL4_CPtr *Cap, seL4_CPtr *Untyped);
void MiFreePagingObject(seL4_CPtr *Cap, seL4_CPtr *Untyped);
ULONG MiSparePagingUntypeds(void);

/* sections: the seL4 rights a PTE maps with (copy-on-write: read-only). */
seL4_CapRights_t MiPteRights(MMPTE *Pte);
/* sections (mm/view.c): materialise a view's page at Va (shared, or a
 * private copy when Write hits copy-on-write); false without memory. */
bool MiMaterializeViewPage(MMADDRESS_SPACE *Space, MMVAD *Vad, ULONG_PTR Va, MMPTE *Pte,
                           bool Write);
/* sections: give a PTE that shows a shared page a private copy of it. */
bool MiMakePtePrivate(MMADDRESS_SPACE *Space, ULONG_PTR Va, MMPTE *Pte);
void MiDeleteView(MMVAD *Vad); /* drop the view's reference on its section */
