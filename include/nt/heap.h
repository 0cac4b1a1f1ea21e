/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's heap (ntdll/heap/): the Rtl*Heap functions with Windows' flags
 * and results. A heap is a handle (its base address); blocks are 16-byte
 * aligned. Errors follow Windows: NULL from the allocators (after raising
 * STATUS_NO_MEMORY with HEAP_GENERATE_EXCEPTIONS), FALSE from RtlFreeHeap,
 * (SIZE_T)-1 from RtlSizeHeap.
 * Component: ntdllrt.
 */
#pragma once

#include <nt/types.h>

#define HEAP_NO_SERIALIZE             0x00000001u
#define HEAP_GROWABLE                 0x00000002u
#define HEAP_GENERATE_EXCEPTIONS      0x00000004u
#define HEAP_ZERO_MEMORY              0x00000008u
#define HEAP_REALLOC_IN_PLACE_ONLY    0x00000010u
#define HEAP_TAIL_CHECKING_ENABLED    0x00000020u
#define HEAP_FREE_CHECKING_ENABLED    0x00000040u
#define HEAP_DISABLE_COALESCE_ON_FREE 0x00000080u
#define HEAP_CREATE_ALIGN_16          0x00010000u
#define HEAP_CREATE_ENABLE_TRACING    0x00020000u
#define HEAP_CREATE_ENABLE_EXECUTE    0x00040000u

typedef NTSTATUS(NTAPI *PRTL_HEAP_COMMIT_ROUTINE)(PVOID Base, PVOID *CommitAddress,
                                                  PSIZE_T CommitSize);

typedef struct _RTL_HEAP_PARAMETERS {
    ULONG Length;
    SIZE_T SegmentReserve;
    SIZE_T SegmentCommit;
    SIZE_T DeCommitFreeBlockThreshold;
    SIZE_T DeCommitTotalFreeThreshold;
    SIZE_T MaximumAllocationSize;
    SIZE_T VirtualMemoryThreshold;
    SIZE_T InitialCommit;
    SIZE_T InitialReserve;
    PRTL_HEAP_COMMIT_ROUTINE CommitRoutine;
    SIZE_T Reserved[2];
} RTL_HEAP_PARAMETERS, *PRTL_HEAP_PARAMETERS;
_Static_assert(sizeof(RTL_HEAP_PARAMETERS) == 0x60, "RTL_HEAP_PARAMETERS");

/* RtlWalkHeap's record (Windows' layout). */
#define RTL_HEAP_BUSY              0x0001u
#define RTL_HEAP_SEGMENT           0x0002u
#define RTL_HEAP_UNCOMMITTED_RANGE 0x0100u
#define RTL_HEAP_LARGE_ALLOC       0x0200u /* Nereid: a block with its own allocation */

typedef struct _RTL_HEAP_WALK_ENTRY {
    PVOID DataAddress;
    SIZE_T DataSize;
    UCHAR OverheadBytes;
    UCHAR SegmentIndex;
    USHORT Flags;
    union {
        struct {
            SIZE_T Settable;
            USHORT TagIndex;
            USHORT AllocatorBackTraceIndex;
            ULONG Reserved[2];
        } Block;
        struct {
            ULONG CommittedSize;
            ULONG UnCommittedSize;
            PVOID FirstEntry;
            PVOID LastEntry;
        } Segment;
    };
} RTL_HEAP_WALK_ENTRY, *PRTL_HEAP_WALK_ENTRY;
_Static_assert(sizeof(RTL_HEAP_WALK_ENTRY) == 0x30, "RTL_HEAP_WALK_ENTRY");

/* HeapBase must be NULL (caller-provided memory is not supported:
 * NULL), Lock NULL or an initialised RTL_CRITICAL_SECTION the heap then
 * uses. ReserveSize 0: the PEB's HeapSegmentReserve; CommitSize 0: its
 * HeapSegmentCommit. Without HEAP_GROWABLE the heap never grows past
 * ReserveSize. */
NTSYSAPI PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize,
                                   SIZE_T CommitSize, PVOID Lock, PRTL_HEAP_PARAMETERS Parameters);
/* Releases every segment and large block; NULL on success, the heap when
 * it cannot be destroyed (the process heap, a bad handle). */
NTSYSAPI PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle);
NTSYSAPI PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size);
/* TRUE for NULL; FALSE for a pointer that is not a busy block of the heap
 * (double free, a bad pointer, a block whose header was overwritten). */
NTSYSAPI BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
NTSYSAPI PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress,
                                       SIZE_T Size);
NTSYSAPI SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
/* Block NULL: the whole heap. */
NTSYSAPI BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID Block);
/* The number of heaps of the process; the first min(count, Count) handles
 * are stored. */
NTSYSAPI ULONG NTAPI RtlGetProcessHeaps(ULONG Count, PVOID *Heaps);
NTSYSAPI BOOLEAN NTAPI RtlLockHeap(PVOID HeapHandle);
NTSYSAPI BOOLEAN NTAPI RtlUnlockHeap(PVOID HeapHandle);
/* Entry->DataAddress NULL starts the walk; STATUS_NO_MORE_ENTRIES at the
 * end; STATUS_INVALID_PARAMETER for a bad heap or entry. */
NTSYSAPI NTSTATUS NTAPI RtlWalkHeap(PVOID HeapHandle, PRTL_HEAP_WALK_ENTRY Entry);
