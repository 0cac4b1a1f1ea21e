/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ntdll's heap (ntdll/heap/). A heap is a list of
 * segments, each one reservation made with NtAllocateVirtualMemory and
 * committed from its start as it fills, plus a list of large blocks that
 * have a reservation each. The HEAP record itself opens the first
 * segment. A segment is tiled by blocks from FirstBlock to the end of its
 * committed part: each block starts with a 16-byte HEAP_BLOCK header
 * (sizes in 16-byte granules, so every block's data is 16-aligned), the
 * last one carries HEAP_BLOCK_LAST. Free blocks sit on a free list by
 * size (exact lists below HEAP_FREE_LISTS granules, one list for the rest)
 * and are merged with free neighbours when freed. Every header carries a
 * check word over its fields, its address and a per-heap key, so a
 * pointer that is not a block, a block freed twice or a header overwritten
 * by an overrun is refused instead of corrupting the heap; the unused tail
 * bytes of a block hold a pattern that is checked when it is freed.
 */
#pragma once

#include "../ntdllp.h"
#include <ntsvc.h>
#include <nt/memory.h>

#define HEAP_GRANULE         16
#define HEAP_SIGNATURE       0x70616548u /* "Heap" */
#define HEAP_FREE_LISTS      128
#define HEAP_MIN_BLOCK       2 /* granules: header + free-list links */
#define HEAP_TAIL_FILL       0xab
#define HEAP_LARGE_THRESHOLD 0x7f000 /* bytes: larger blocks get their own reservation */
#define HEAP_SEGMENT_ALIGN   0x10000 /* reservations are made in 64 KiB units */
#define HEAP_PAGE            0x1000
#define HEAP_MAX_SEGMENT     0x10000000 /* granule counts must fit a ULONG */

#define HEAP_BLOCK_BUSY  0x0001
#define HEAP_BLOCK_LAST  0x0002 /* ends at its segment's committed end */
#define HEAP_BLOCK_LARGE 0x0004 /* inside a HEAP_LARGE_BLOCK */

/* The flags a heap keeps from RtlCreateHeap and applies to every call. */
#define HEAP_CREATE_VALID                                                                          \
    (HEAP_NO_SERIALIZE | HEAP_GROWABLE | HEAP_GENERATE_EXCEPTIONS | HEAP_ZERO_MEMORY |             \
     HEAP_REALLOC_IN_PLACE_ONLY | HEAP_TAIL_CHECKING_ENABLED | HEAP_FREE_CHECKING_ENABLED |        \
     HEAP_DISABLE_COALESCE_ON_FREE | HEAP_CREATE_ALIGN_16 | HEAP_CREATE_ENABLE_TRACING |           \
     HEAP_CREATE_ENABLE_EXECUTE)
#define HEAP_STICKY_FLAGS (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS)

typedef struct _HEAP_BLOCK {
    ULONG Size;         /* granules, this header included; 0 for a large block */
    ULONG PreviousSize; /* granules of the block before it in the segment; 0: first */
    USHORT Flags;       /* HEAP_BLOCK_* */
    USHORT Unused;      /* bytes at the end of the data the caller did not ask for */
    ULONG Check;        /* RtlpHeapCheckWord of the above */
} HEAP_BLOCK, *PHEAP_BLOCK;
_Static_assert(sizeof(HEAP_BLOCK) == HEAP_GRANULE, "HEAP_BLOCK");

typedef struct _HEAP_FREE_BLOCK {
    HEAP_BLOCK Header;
    LIST_ENTRY Links; /* on a free list */
} HEAP_FREE_BLOCK, *PHEAP_FREE_BLOCK;

typedef struct __attribute__((aligned(16))) _HEAP_SEGMENT {
    LIST_ENTRY Links; /* Heap->Segments */
    PUCHAR Base;      /* the reservation (this record) */
    SIZE_T Reserved;  /* bytes reserved */
    SIZE_T Committed; /* bytes committed from Base */
    PHEAP_BLOCK FirstBlock;
} HEAP_SEGMENT, *PHEAP_SEGMENT;

typedef struct __attribute__((aligned(16))) _HEAP_LARGE_BLOCK {
    LIST_ENTRY Links; /* Heap->LargeBlocks */
    SIZE_T Reserved;  /* bytes of the reservation (all committed) */
    SIZE_T Requested; /* bytes the caller asked for */
    HEAP_BLOCK Block; /* the data follows */
} HEAP_LARGE_BLOCK, *PHEAP_LARGE_BLOCK;
_Static_assert(sizeof(HEAP_LARGE_BLOCK) % HEAP_GRANULE == 0, "HEAP_LARGE_BLOCK");

typedef struct __attribute__((aligned(16))) _HEAP {
    ULONG Signature;
    ULONG Flags; /* creation flags */
    ULONG Key;   /* mixed into every check word */
    ULONG SegmentCount;
    PRTL_CRITICAL_SECTION Lock; /* &LockStorage or the caller's */
    RTL_CRITICAL_SECTION LockStorage;
    LIST_ENTRY Segments;
    LIST_ENTRY LargeBlocks;
    SIZE_T SegmentReserve;
    SIZE_T SegmentCommit;
    SIZE_T LargeThreshold;                 /* bytes; blocks this big go to their own reservation */
    LIST_ENTRY FreeLists[HEAP_FREE_LISTS]; /* [n]: n granules; [0]: HEAP_FREE_LISTS or more */
    HEAP_SEGMENT Segment;                  /* the first segment: this reservation */
} HEAP, *PHEAP;

/* ---- blocks (block.c) ------------------------------------------------------------- */

ULONG RtlpHeapCheckWord(PHEAP Heap, PHEAP_BLOCK Block);
/* Rewrite Block's fields and check word. */
VOID RtlpHeapSetBlock(PHEAP Heap, PHEAP_BLOCK Block, ULONG Size, ULONG PreviousSize, USHORT Flags,
                      USHORT Unused);
BOOLEAN RtlpHeapBlockValid(PHEAP Heap, PHEAP_BLOCK Block);
/* The block after Block in its segment, NULL when Block is the last. */
PHEAP_BLOCK RtlpHeapNextBlock(PHEAP_BLOCK Block);
PHEAP_BLOCK RtlpHeapPreviousBlock(PHEAP_BLOCK Block);
/* Set the PreviousSize of the block after Block (if any) to Block's size. */
VOID RtlpHeapLinkNext(PHEAP Heap, PHEAP_BLOCK Block);
VOID RtlpHeapInsertFree(PHEAP Heap, PHEAP_BLOCK Block);
/* FALSE when the links are corrupt (then the block is left alone). */
BOOLEAN RtlpHeapRemoveFree(PHEAP Heap, PHEAP_BLOCK Block);
/* A free block of at least Granules, taken off its list; NULL when none. */
PHEAP_BLOCK RtlpHeapTakeFree(PHEAP Heap, ULONG Granules);
/* Free Block (not busy, off every list), merging it with free neighbours,
 * and put the result on its free list. */
VOID RtlpHeapReleaseBlock(PHEAP Heap, PHEAP_BLOCK Block);
/* Make Block (not on a list) busy with Granules, returning any remainder
 * of at least HEAP_MIN_BLOCK granules to the free lists, and record
 * Requested bytes (the tail is filled). */
VOID RtlpHeapCarve(PHEAP Heap, PHEAP_BLOCK Block, ULONG Granules, SIZE_T Requested);
VOID RtlpHeapFillTail(PHEAP_BLOCK Block);
BOOLEAN RtlpHeapTailIntact(PHEAP_BLOCK Block);

/* ---- heaps and segments (heap.c) --------------------------------------------------- */

/* The heap behind a handle, or NULL when it is not one of the process's. */
PHEAP RtlpHeapFromHandle(PVOID HeapHandle);
VOID RtlpHeapLock(PHEAP Heap, ULONG Flags);
VOID RtlpHeapUnlock(PHEAP Heap, ULONG Flags);
/* The segment whose committed blocks hold Address, or NULL. */
PHEAP_SEGMENT RtlpHeapFindSegment(PHEAP Heap, PVOID Address);
/* Commit or add room for a free block of Granules; FALSE when the heap
 * cannot grow. The new space is put on the free lists. */
BOOLEAN RtlpHeapGrow(PHEAP Heap, ULONG Granules);
PHEAP_LARGE_BLOCK RtlpHeapFindLarge(PHEAP Heap, PVOID Data);
PVOID RtlpHeapAllocateLarge(PHEAP Heap, SIZE_T Size);
VOID RtlpHeapFreeLarge(PHEAP Heap, PHEAP_LARGE_BLOCK Large);
/* The busy block whose data is Address (normal or large), or NULL, with a
 * diagnostic naming Caller when Address is not one. */
PHEAP_BLOCK RtlpHeapFindBusy(PHEAP Heap, PVOID Address, PCSTR Caller);

/* ---- the process's heap list and the string allocator (heap.c) -------------------- */

/* Create the process heap (LdrInitializeThunk); STATUS_NO_MEMORY when the
 * address space cannot give it memory. */
NTSTATUS RtlpInitializeProcessHeap(PPEB Peb);
