/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The memory manager (mm/): capability slots, physical frames with ntos's
 * physmap, kernel object allocation from untyped, per-process address
 * spaces, safe access to user memory and page faults.
 */
#pragma once

#include <ntos.h>
#include <nt/memory.h>

#define MM_PHYSMAP_BASE      0x0000100000000000ull
#define MM_USER_TOP          0x00007ffffffeffffull
#define MM_KUSER_SHARED_DATA 0x7ffe0000ull
#define MM_POOL_BASE         0x0000200000000000ull /* ntos's pool (mm/pool.c) */
#define MM_PFN_DATABASE      0x0000300000000000ull /* MMPFN array, by frame number */
#define MM_KERNEL_STACKS     0x0000400000000000ull /* fiber stacks with guard pages */

/* ntos's CSpace root for CNode invocations: every ntos cptr is addressed as
 * (MmRootCNode, cptr, MM_CPTR_DEPTH). */
extern seL4_CPtr MmRootCNode;
#define MM_CPTR_DEPTH seL4_WordBits

/* The executive's pool (mm/pool.c): zero-filled memory, any size; NULL when
 * memory runs out. Tag names the owner (4 characters, as on NT). */
void *ExAllocatePoolWithTag(SIZE_T Size, ULONG Tag);
void ExFreePoolWithTag(void *Pointer, ULONG Tag);
#define ExFreePool(p) ExFreePoolWithTag((p), 0)

/* Boot: take the untypeds, build the two-level CSpace and the physmap. */
void MmInitSystem(seL4_BootInfo *BootInfo);

/* A stack for ntos's own use (request fibers): Size bytes (rounded up to
 * pages) of fresh memory with an unmapped guard page below, so an overflow
 * faults instead of corrupting. Returns its lowest address, NULL without
 * memory. Stacks are never freed: their users keep them in free lists. */
void *MmCreateKernelStack(SIZE_T Size);

/* Slots of ntos's CSpace (depth 64 cptrs). 0 = none left. */
seL4_CPtr MmAllocateSlot(void);
void MmFreeSlot(seL4_CPtr Slot);

/* A kernel object of seL4 type Type (size_bits for untyped/CNode) in a new
 * slot; the object is deleted (and its memory reused) by MmFreeObject. */
NTSTATUS MmAllocateObject(seL4_Word Type, seL4_Word SizeBits, seL4_CPtr *Slot);
void MmFreeObject(seL4_CPtr Slot);

/* Physical pages (zeroed), reachable by ntos at MmPageAddress(). */
typedef struct _MMPFN MMPFN, *PMMPFN;
NTSTATUS MmAllocatePhysicalPage(PMMPFN *Pfn);
void MmReferencePage(PMMPFN Pfn);
void MmDereferencePage(PMMPFN Pfn); /* freed when the last reference goes */
void *MmPageAddress(PMMPFN Pfn);    /* ntos pointer to the page's bytes */
seL4_Word MmPagePhysical(PMMPFN Pfn);

/* Protections are NT PAGE_* values (include/nt/). */
typedef struct _MMADDRESS_SPACE MMADDRESS_SPACE;
NTSTATUS MmCreateAddressSpace(MMADDRESS_SPACE **Space);
void MmDeleteAddressSpace(MMADDRESS_SPACE *Space);
seL4_CPtr MmAddressSpaceRoot(MMADDRESS_SPACE *Space); /* its PML4 cap */

/* Reserve (and optionally commit) [*Base, *Base+Size); *Base = 0: choose.
 * Committed pages are demand-zero: the first touch maps a zeroed page. */
NTSTATUS MmReserveRange(MMADDRESS_SPACE *Space, ULONG_PTR *Base, SIZE_T Size, ULONG Protect,
                        bool Commit);
/* Commit pages of a reserved range (demand-zero); STATUS_CONFLICTING_ADDRESSES
 * or STATUS_INVALID_ADDRESS when [Base, Base+Size) is not reserved. */
NTSTATUS MmCommitRange(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size, ULONG Protect);
/* Release the reservation that starts at Base (all its pages and mappings). */
NTSTATUS MmReleaseRange(MMADDRESS_SPACE *Space, ULONG_PTR Base);
/* Change the protection of committed pages inside one reservation;
 * *OldProtect = the first page's. STATUS_NOT_COMMITTED (nothing changed),
 * STATUS_CONFLICTING_ADDRESSES (crosses reservations),
 * STATUS_MEMORY_NOT_ALLOCATED, STATUS_INVALID_PAGE_PROTECTION. */
NTSTATUS MmProtectRange(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size, ULONG Protect,
                        ULONG *OldProtect);
/* Decommit pages inside one reservation (their contents are gone). */
NTSTATUS MmDecommitRange(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size);

/* What NtQueryVirtualMemory reports of the region around Va: a run of
 * pages with the same state and protection (State: MEM_* values). */
#define MM_STATE_COMMIT  0x1000
#define MM_STATE_RESERVE 0x2000
#define MM_STATE_FREE    0x10000
typedef struct _MM_REGION_INFO {
    ULONG_PTR BaseAddress, AllocationBase;
    ULONG AllocationProtect;
    SIZE_T RegionSize;
    ULONG State, Protect;
} MM_REGION_INFO;
NTSTATUS MmQueryRange(MMADDRESS_SPACE *Space, ULONG_PTR Va, MM_REGION_INFO *Info);

/* Map an existing page at Va (a reference is taken). A Va outside every
 * reservation gets a one-page reservation of its own. */
NTSTATUS MmMapPage(MMADDRESS_SPACE *Space, ULONG_PTR Va, PMMPFN Pfn, ULONG Protect);
/* The page mapped (or committed and now materialised) at Va, or NULL. */
PMMPFN MmLookupUserPage(MMADDRESS_SPACE *Space, ULONG_PTR Va, bool Write);

/* Copy to/from a process's memory through the physmap. A range that is not
 * committed or not accessible gives STATUS_ACCESS_VIOLATION. */
NTSTATUS MmCopyFromUser(PEPROCESS Process, void *Dst, ULONG_PTR UserSrc, SIZE_T Len);
NTSTATUS MmCopyToUser(PEPROCESS Process, ULONG_PTR UserDst, const void *Src, SIZE_T Len);

/* ntos is about to write [Va, Va + Size) of Thread's own stack for it (an
 * exception or APC frame): fire the stack's guard page there as the
 * thread's own touch would, so the stack grows. STATUS_STACK_OVERFLOW when
 * it cannot; pages that are no guard are left as they are. */
NTSTATUS MmGrowUserStack(PETHREAD Thread, ULONG_PTR Va, SIZE_T Size);

/* A VM fault of a thread (ke/ calls it). STATUS_SUCCESS: the page is now
 * mapped, restart the thread; otherwise the status to raise
 * (STATUS_GUARD_PAGE_VIOLATION once per guard page off the thread's own
 * stack, STATUS_STACK_OVERFLOW when that stack cannot grow further). */
NTSTATUS MmHandleFault(PETHREAD Thread, ULONG_PTR Address, bool Write, bool Execute);

/* ---- memory counters (vm: mm/counters.c) --------------------------------------------------- */

/* A process's memory use (ProcessVmCounters): bytes reserved, bytes
 * resident (the working set: pages materialised), private bytes committed
 * (the commit charge), each with its peak, and VM faults taken. */
typedef struct _MM_PROCESS_COUNTERS {
    SIZE_T VirtualSize, PeakVirtualSize;
    SIZE_T WorkingSetSize, PeakWorkingSetSize;
    SIZE_T PrivateBytes, PeakPrivateBytes;
    ULONG PageFaultCount;
} MM_PROCESS_COUNTERS;
void MmQueryProcessCounters(PEPROCESS Process, MM_PROCESS_COUNTERS *Counters);

/* The system's (SystemPerformanceInformation), in pages: frames that can
 * still be handed out, the commit charge of all processes, its limit (the
 * RAM, no page file) and its peak; and the VM faults taken. */
typedef struct _MM_SYSTEM_COUNTERS {
    ULONGLONG AvailablePages, CommittedPages, CommitLimit, PeakCommitment;
    ULONG PageFaultCount; /* VM faults of all processes */
} MM_SYSTEM_COUNTERS;
void MmQuerySystemCounters(MM_SYSTEM_COUNTERS *Counters);

/* ---- sections (mm/section.c, view.c, mapview.c, image.c; the sections branch) ---- */

/* Whether Va lies in a view of a section; *Image: an image view. For
 * NtQueryVirtualMemory: Type MEM_IMAGE (0x1000000) or MEM_MAPPED (0x40000),
 * else MEM_PRIVATE. */
bool MmQueryView(MMADDRESS_SPACE *Space, ULONG_PTR Va, bool *Image);
/* Unmap the view holding Va (STATUS_NOT_MAPPED_VIEW if none). */
NTSTATUS MmUnmapViewOfSection(MMADDRESS_SPACE *Space, ULONG_PTR Va);
/* Map the PE File as an image view (process start): archive files share
 * one cached image segment, so their read-only pages are shared by every
 * process and their writable pages are copy-on-write. *Info receives the
 * image's description (ps's PSP_IMAGE_INFO). STATUS_IMAGE_NOT_AT_BASE
 * (success) when relocated; the PE reader's errors. */
struct _PSP_IMAGE_INFO;
NTSTATUS MmMapImageFile(MMADDRESS_SPACE *Space, const void *File, SIZE_T FileSize, ULONG_PTR *Base,
                        struct _PSP_IMAGE_INFO *Info);

/* ---- hardware access for drivers (hal: io/halmem.c) ----------------------------------
 * MmRetypeUntyped: one object of Type retyped from Untyped (a cap of
 * ntos's CSpace that is not one of mm's: the boot device untypeds and
 * their children) into a new slot; freed with seL4_CNode_Delete and
 * MmFreeSlot, never MmFreeObject.
 * MmRegisterDevicePage: give a frame of device memory (Frame, at Paddr,
 * outside RAM) an MMPFN and a physmap mapping, so MmMapPage can map it
 * into processes and mm's user copies reach it like RAM; the MMPFN starts
 * with one reference, its caller's, which must never be dropped (the
 * frame is no RAM to hand out). STATUS_INVALID_PARAMETER above the PFN
 * database's reach.
 * MmAllocateContiguousPages: Pages physically contiguous zeroed frames of
 * RAM, none above Highest; *First is the MMPFN of the lowest, the others
 * follow it (First + i), each with one reference (the caller's; dropped
 * one by one they join the free list as ordinary pages). STATUS_NO_MEMORY
 * when the block mm can take lies above Highest,
 * STATUS_INSUFFICIENT_RESOURCES without memory. */
NTSTATUS MmRetypeUntyped(seL4_CPtr Untyped, seL4_Word Type, seL4_Word SizeBits, seL4_CPtr *Slot);
NTSTATUS MmRegisterDevicePage(seL4_CPtr Frame, seL4_Word Paddr, PMMPFN *Pfn);
NTSTATUS MmAllocateContiguousPages(ULONG Pages, seL4_Word Highest, PMMPFN *First);
PMMPFN MmContiguousPage(PMMPFN First, ULONG Index); /* First + Index */

/* ---- I/O windows (neither branch: mm/iowindow.c) -------------------------------------
 * A range of MM_IO_WINDOW_PAGES pages reserved once in a driver process
 * where io maps IRP buffers for a request's life, cheaper than a
 * reservation per request (its VAD, page tables and unmapped frame cap
 * copies are kept; the pages never are). MmMapIoPages maps Count pages
 * (each referenced while mapped) at *Va with Protect; STATUS_NO_MEMORY
 * when they do not fit (or the driver changed the window's reservation):
 * the caller then maps a reservation of its own. MmUnmapIoPages unmaps
 * what MmMapIoPages mapped. MmDeleteIoWindow releases the range and
 * everything still mapped in it (SpaceGone: the space was deleted, which
 * took them) and the cached caps. */
#define MM_IO_WINDOW_PAGES 512
/* A reservation for ntos's own mappings in a process (MmReserveRange,
 * PAGE_READWRITE, not committed) that the process's NtAllocate / Free /
 * ProtectVirtualMemory refuse to touch. */
NTSTATUS MmReserveIoRange(MMADDRESS_SPACE *Space, ULONG_PTR *Base, SIZE_T Size);
typedef struct _MM_IO_WINDOW MM_IO_WINDOW;
NTSTATUS MmCreateIoWindow(MMADDRESS_SPACE *Space, MM_IO_WINDOW **Window);
void MmDeleteIoWindow(MM_IO_WINDOW *Window, bool SpaceGone);
NTSTATUS MmMapIoPages(MM_IO_WINDOW *Window, PMMPFN *Pages, ULONG Count, ULONG Protect,
                      ULONG_PTR *Va);
void MmUnmapIoPages(MM_IO_WINDOW *Window, ULONG_PTR Va, ULONG Count);
