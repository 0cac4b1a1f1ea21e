/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Heaps and their memory: RtlCreateHeap / RtlDestroyHeap, the process's
 * list of heaps (Peb->ProcessHeaps, RtlGetProcessHeaps), the heap lock
 * (RtlLockHeap / RtlUnlockHeap), segments (reserved with
 * NtAllocateVirtualMemory, committed from their start in HeapSegmentCommit
 * steps as the heap fills), large blocks with a reservation of their own,
 * and the process heap made at process start-up, which also becomes the
 * allocator of the Rtl string functions. A handle is accepted only when
 * it is on the process's list, so a bad handle fails without being read.
 */
#include "heapp.h"
#include "../rtl/rtlp.h"

#define HEAP_STATIC_LIST 16

static PVOID RtlpHeapStaticList[HEAP_STATIC_LIST];
static RTL_CRITICAL_SECTION RtlpHeapListLock;
static BOOLEAN RtlpHeapListReady;

static SIZE_T RtlpRoundUp(SIZE_T Value, SIZE_T Unit)
{
    return (Value + Unit - 1) & ~(Unit - 1);
}

static VOID RtlpHeapInitializeListHead(PLIST_ENTRY Head)
{
    Head->Flink = Head->Blink = Head;
}

static VOID RtlpHeapInsertTail(PLIST_ENTRY Head, PLIST_ENTRY Entry)
{
    Entry->Flink = Head;
    Entry->Blink = Head->Blink;
    Head->Blink->Flink = Entry;
    Head->Blink = Entry;
}

static VOID RtlpHeapUnlink(PLIST_ENTRY Entry)
{
    Entry->Blink->Flink = Entry->Flink;
    Entry->Flink->Blink = Entry->Blink;
}

/* ---- the process's list of heaps ----------------------------------------------------- */

static VOID RtlpHeapListInitialize(PPEB Peb)
{
    if (RtlpHeapListReady)
        return;
    RtlInitializeCriticalSection(&RtlpHeapListLock);
    Peb->ProcessHeaps = RtlpHeapStaticList;
    Peb->MaximumNumberOfHeaps = HEAP_STATIC_LIST;
    Peb->NumberOfHeaps = 0;
    RtlpHeapListReady = TRUE;
}

/* Add Heap to the list, growing it from the process heap when full. */
static BOOLEAN RtlpHeapListAdd(PHEAP Heap)
{
    PPEB Peb = NtdllpCurrentPeb();
    BOOLEAN Added = FALSE;
    PVOID *Bigger;

    RtlpHeapListInitialize(Peb);
    RtlEnterCriticalSection(&RtlpHeapListLock);
    if (Peb->NumberOfHeaps == Peb->MaximumNumberOfHeaps && Peb->ProcessHeap) {
        Bigger =
            RtlAllocateHeap(Peb->ProcessHeap, 0, 2 * Peb->MaximumNumberOfHeaps * sizeof(PVOID));
        if (Bigger) {
            memcpy(Bigger, Peb->ProcessHeaps, Peb->NumberOfHeaps * sizeof(PVOID));
            if (Peb->ProcessHeaps != RtlpHeapStaticList)
                RtlFreeHeap(Peb->ProcessHeap, 0, Peb->ProcessHeaps);
            Peb->ProcessHeaps = Bigger;
            Peb->MaximumNumberOfHeaps *= 2;
        }
    }
    if (Peb->NumberOfHeaps < Peb->MaximumNumberOfHeaps) {
        Peb->ProcessHeaps[Peb->NumberOfHeaps++] = Heap;
        Added = TRUE;
    }
    RtlLeaveCriticalSection(&RtlpHeapListLock);
    return Added;
}

static VOID RtlpHeapListRemove(PHEAP Heap)
{
    PPEB Peb = NtdllpCurrentPeb();
    ULONG Index;

    RtlEnterCriticalSection(&RtlpHeapListLock);
    for (Index = 0; Index < Peb->NumberOfHeaps; Index++) {
        if (Peb->ProcessHeaps[Index] == Heap) {
            Peb->ProcessHeaps[Index] = Peb->ProcessHeaps[--Peb->NumberOfHeaps];
            Peb->ProcessHeaps[Peb->NumberOfHeaps] = NULL;
            break;
        }
    }
    RtlLeaveCriticalSection(&RtlpHeapListLock);
}

PHEAP RtlpHeapFromHandle(PVOID HeapHandle)
{
    PPEB Peb = NtdllpCurrentPeb();
    PHEAP Heap = NULL;
    ULONG Index;

    if (!HeapHandle || !RtlpHeapListReady)
        return NULL;
    RtlEnterCriticalSection(&RtlpHeapListLock);
    for (Index = 0; Index < Peb->NumberOfHeaps; Index++) {
        if (Peb->ProcessHeaps[Index] == HeapHandle) {
            Heap = HeapHandle;
            break;
        }
    }
    RtlLeaveCriticalSection(&RtlpHeapListLock);
    return Heap && Heap->Signature == HEAP_SIGNATURE ? Heap : NULL;
}

ULONG NTAPI RtlGetProcessHeaps(ULONG Count, PVOID *Heaps)
{
    PPEB Peb = NtdllpCurrentPeb();
    ULONG Total, Index;

    if (!RtlpHeapListReady)
        return 0;
    RtlEnterCriticalSection(&RtlpHeapListLock);
    Total = Peb->NumberOfHeaps;
    for (Index = 0; Heaps && Index < Total && Index < Count; Index++)
        Heaps[Index] = Peb->ProcessHeaps[Index];
    RtlLeaveCriticalSection(&RtlpHeapListLock);
    return Total;
}

/* ---- locking -------------------------------------------------------------------------- */

VOID RtlpHeapLock(PHEAP Heap, ULONG Flags)
{
    if (!((Flags | Heap->Flags) & HEAP_NO_SERIALIZE))
        RtlEnterCriticalSection(Heap->Lock);
}

VOID RtlpHeapUnlock(PHEAP Heap, ULONG Flags)
{
    if (!((Flags | Heap->Flags) & HEAP_NO_SERIALIZE))
        RtlLeaveCriticalSection(Heap->Lock);
}

BOOLEAN NTAPI RtlLockHeap(PVOID HeapHandle)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);

    if (!Heap)
        return FALSE;
    RtlpHeapLock(Heap, 0);
    return TRUE;
}

BOOLEAN NTAPI RtlUnlockHeap(PVOID HeapHandle)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);

    if (!Heap)
        return FALSE;
    if (!(Heap->Flags & HEAP_NO_SERIALIZE) && !RtlIsCriticalSectionLockedByThread(Heap->Lock))
        return FALSE;
    RtlpHeapUnlock(Heap, 0);
    return TRUE;
}

/* ---- memory ---------------------------------------------------------------------------- */

static ULONG RtlpHeapProtection(PHEAP Heap)
{
    return (Heap->Flags & HEAP_CREATE_ENABLE_EXECUTE) ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
}

static NTSTATUS RtlpHeapReserve(SIZE_T Size, PVOID *Base)
{
    SIZE_T Region = Size;

    *Base = NULL;
    return NtAllocateVirtualMemory(NtCurrentProcess(), Base, 0, &Region, MEM_RESERVE,
                                   PAGE_READWRITE);
}

static NTSTATUS RtlpHeapCommit(PVOID Address, SIZE_T Size, ULONG Protect)
{
    PVOID Base = Address;
    SIZE_T Region = Size;

    return NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Region, MEM_COMMIT, Protect);
}

static VOID RtlpHeapRelease(PVOID Base)
{
    SIZE_T Region = 0;

    NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Region, MEM_RELEASE);
}

/* Segment memory from Start (committed up to Segment->Committed) becomes
 * one free block that is the segment's last. */
static VOID RtlpHeapAddFreeSpace(PHEAP Heap, PHEAP_SEGMENT Segment, PUCHAR Start,
                                 ULONG PreviousSize)
{
    PHEAP_BLOCK Block = (PHEAP_BLOCK)Start;
    SIZE_T Granules = (Segment->Base + Segment->Committed - Start) / HEAP_GRANULE;

    RtlpHeapSetBlock(Heap, Block, (ULONG)Granules, PreviousSize, HEAP_BLOCK_LAST, 0);
    RtlpHeapReleaseBlock(Heap, Block);
}

/* The segment's last block (the one flagged LAST), by walking it. */
static PHEAP_BLOCK RtlpHeapLastBlock(PHEAP_SEGMENT Segment)
{
    PHEAP_BLOCK Block = Segment->FirstBlock, Next;

    while ((Next = RtlpHeapNextBlock(Block)))
        Block = Next;
    return Block;
}

/* Commit more of Segment so that a free block of Granules fits at its end. */
static BOOLEAN RtlpHeapExtendSegment(PHEAP Heap, PHEAP_SEGMENT Segment, ULONG Granules)
{
    PHEAP_BLOCK Last = RtlpHeapLastBlock(Segment);
    SIZE_T Have = (Last->Flags & HEAP_BLOCK_BUSY) ? 0 : (SIZE_T)Last->Size * HEAP_GRANULE;
    SIZE_T Need = (SIZE_T)Granules * HEAP_GRANULE - Have, Old = Segment->Committed;

    Need = RtlpRoundUp(Need, HEAP_PAGE);
    if (Need < Heap->SegmentCommit)
        Need = Heap->SegmentCommit;
    if (Need > Segment->Reserved - Old)
        Need = Segment->Reserved - Old;
    if (Have + Need < (SIZE_T)Granules * HEAP_GRANULE)
        return FALSE;
    if (!NT_SUCCESS(RtlpHeapCommit(Segment->Base + Old, Need, RtlpHeapProtection(Heap))))
        return FALSE;
    Segment->Committed += Need;
    if (Have) {
        if (!RtlpHeapRemoveFree(Heap, Last))
            return FALSE;
        RtlpHeapAddFreeSpace(Heap, Segment, (PUCHAR)Last, Last->PreviousSize);
    } else {
        RtlpHeapSetBlock(Heap, Last, Last->Size, Last->PreviousSize, Last->Flags & ~HEAP_BLOCK_LAST,
                         Last->Unused);
        RtlpHeapAddFreeSpace(Heap, Segment, Segment->Base + Old, Last->Size);
    }
    return TRUE;
}

/* Lay out Segment, the record of the reservation at Base: Reserved bytes,
 * Committed of them committed, blocks from Base + Header on. */
static VOID RtlpHeapInitializeSegment(PHEAP Heap, PHEAP_SEGMENT Segment, PVOID Base, SIZE_T Header,
                                      SIZE_T Reserved, SIZE_T Committed)
{
    Segment->Base = Base;
    Segment->Reserved = Reserved;
    Segment->Committed = Committed;
    Segment->FirstBlock = (PHEAP_BLOCK)(Segment->Base + RtlpRoundUp(Header, HEAP_GRANULE));
    RtlpHeapInsertTail(&Heap->Segments, &Segment->Links);
    Heap->SegmentCount++;
    RtlpHeapAddFreeSpace(Heap, Segment, (PUCHAR)Segment->FirstBlock, 0);
}

static BOOLEAN RtlpHeapAddSegment(PHEAP Heap, ULONG Granules)
{
    SIZE_T Header = RtlpRoundUp(sizeof(HEAP_SEGMENT), HEAP_GRANULE);
    SIZE_T Need = Header + (SIZE_T)Granules * HEAP_GRANULE;
    SIZE_T Reserve =
        RtlpRoundUp(Need > Heap->SegmentReserve ? Need : Heap->SegmentReserve, HEAP_SEGMENT_ALIGN);
    SIZE_T Commit = RtlpRoundUp(Need > Heap->SegmentCommit ? Need : Heap->SegmentCommit, HEAP_PAGE);
    PVOID Base;

    if (Reserve > HEAP_MAX_SEGMENT || !NT_SUCCESS(RtlpHeapReserve(Reserve, &Base)))
        return FALSE;
    if (!NT_SUCCESS(RtlpHeapCommit(Base, Commit, RtlpHeapProtection(Heap)))) {
        RtlpHeapRelease(Base);
        return FALSE;
    }
    RtlpHeapInitializeSegment(Heap, (PHEAP_SEGMENT)Base, Base, Header, Reserve, Commit);
    return TRUE;
}

BOOLEAN RtlpHeapGrow(PHEAP Heap, ULONG Granules)
{
    PLIST_ENTRY Link;

    for (Link = Heap->Segments.Flink; Link != &Heap->Segments; Link = Link->Flink) {
        PHEAP_SEGMENT Segment = (PHEAP_SEGMENT)Link;
        if (Segment->Committed < Segment->Reserved &&
            RtlpHeapExtendSegment(Heap, Segment, Granules))
            return TRUE;
    }
    return (Heap->Flags & HEAP_GROWABLE) && RtlpHeapAddSegment(Heap, Granules);
}

PHEAP_SEGMENT RtlpHeapFindSegment(PHEAP Heap, PVOID Address)
{
    PLIST_ENTRY Link;

    for (Link = Heap->Segments.Flink; Link != &Heap->Segments; Link = Link->Flink) {
        PHEAP_SEGMENT Segment = (PHEAP_SEGMENT)Link;
        if ((PUCHAR)Address >= (PUCHAR)Segment->FirstBlock &&
            (PUCHAR)Address < Segment->Base + Segment->Committed)
            return Segment;
    }
    return NULL;
}

/* ---- large blocks ----------------------------------------------------------------------- */

PHEAP_LARGE_BLOCK RtlpHeapFindLarge(PHEAP Heap, PVOID Data)
{
    PLIST_ENTRY Link;

    for (Link = Heap->LargeBlocks.Flink; Link != &Heap->LargeBlocks; Link = Link->Flink) {
        PHEAP_LARGE_BLOCK Large = (PHEAP_LARGE_BLOCK)Link;
        if ((PVOID)(&Large->Block + 1) == Data)
            return Large;
    }
    return NULL;
}

PVOID RtlpHeapAllocateLarge(PHEAP Heap, SIZE_T Size)
{
    SIZE_T Reserve = RtlpRoundUp(sizeof(HEAP_LARGE_BLOCK) + Size, HEAP_PAGE);
    PHEAP_LARGE_BLOCK Large;
    PVOID Base;

    if (Reserve < Size || !NT_SUCCESS(RtlpHeapReserve(Reserve, &Base)))
        return NULL;
    if (!NT_SUCCESS(RtlpHeapCommit(Base, Reserve, RtlpHeapProtection(Heap)))) {
        RtlpHeapRelease(Base);
        return NULL;
    }
    Large = Base;
    Large->Reserved = Reserve;
    Large->Requested = Size;
    RtlpHeapSetBlock(Heap, &Large->Block, 0, 0, HEAP_BLOCK_BUSY | HEAP_BLOCK_LARGE, 0);
    RtlpHeapInsertTail(&Heap->LargeBlocks, &Large->Links);
    return &Large->Block + 1;
}

VOID RtlpHeapFreeLarge(PHEAP Heap, PHEAP_LARGE_BLOCK Large)
{
    RtlpHeapUnlink(&Large->Links);
    RtlpHeapSetBlock(Heap, &Large->Block, 0, 0, HEAP_BLOCK_LARGE, 0);
    RtlpHeapRelease(Large);
}

PHEAP_BLOCK RtlpHeapFindBusy(PHEAP Heap, PVOID Address, PCSTR Caller)
{
    PHEAP_LARGE_BLOCK Large;
    PHEAP_BLOCK Block = (PHEAP_BLOCK)Address - 1;

    if ((ULONG_PTR)Address % HEAP_GRANULE)
        goto bad;
    Large = RtlpHeapFindLarge(Heap, Address);
    if (Large)
        return RtlpHeapBlockValid(Heap, &Large->Block) ? &Large->Block : NULL;
    if (!RtlpHeapFindSegment(Heap, Block) || !RtlpHeapBlockValid(Heap, Block))
        goto bad;
    if (!(Block->Flags & HEAP_BLOCK_BUSY)) {
        DbgPrint("HEAP: %s(%p, %p): the block is not allocated (freed twice?)\n", Caller, Heap,
                 Address);
        return NULL;
    }
    return Block;
bad:
    DbgPrint("HEAP: %s(%p, %p): not a block of this heap\n", Caller, Heap, Address);
    return NULL;
}

/* ---- creation and destruction ------------------------------------------------------------ */

static VOID RtlpHeapDefaults(PHEAP_SEGMENT Sizes, PRTL_HEAP_PARAMETERS Parameters, SIZE_T *Reserve,
                             SIZE_T *Commit, SIZE_T *Threshold)
{
    PPEB Peb = NtdllpCurrentPeb();

    Sizes->Reserved = Peb->HeapSegmentReserve ? Peb->HeapSegmentReserve : 0x100000;
    Sizes->Committed = Peb->HeapSegmentCommit ? Peb->HeapSegmentCommit : 0x2000;
    *Threshold = HEAP_LARGE_THRESHOLD;
    if (Parameters && Parameters->Length == sizeof(*Parameters)) {
        if (Parameters->SegmentReserve)
            Sizes->Reserved = Parameters->SegmentReserve;
        if (Parameters->SegmentCommit)
            Sizes->Committed = Parameters->SegmentCommit;
        if (Parameters->VirtualMemoryThreshold &&
            Parameters->VirtualMemoryThreshold < HEAP_LARGE_THRESHOLD)
            *Threshold = Parameters->VirtualMemoryThreshold;
    }
    if (!*Reserve)
        *Reserve = Sizes->Reserved;
    if (!*Commit)
        *Commit = Sizes->Committed;
    if (*Commit > *Reserve)
        *Reserve = *Commit;
    *Reserve = RtlpRoundUp(*Reserve, HEAP_SEGMENT_ALIGN);
    *Commit = RtlpRoundUp(*Commit, HEAP_PAGE);
    if (*Commit < RtlpRoundUp(sizeof(HEAP) + 64 * HEAP_GRANULE, HEAP_PAGE))
        *Commit = RtlpRoundUp(sizeof(HEAP) + 64 * HEAP_GRANULE, HEAP_PAGE);
    if (*Commit > *Reserve)
        *Reserve = RtlpRoundUp(*Commit, HEAP_SEGMENT_ALIGN);
}

static ULONG RtlpHeapNewKey(PVOID Base)
{
    ULONG Low, High;

    __asm__ volatile("rdtsc" : "=a"(Low), "=d"(High));
    return (Low * 0x9e3779b1u) ^ High ^ (ULONG)((ULONG_PTR)Base >> 16) ^ 0x5a5a0f0fu;
}

PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize, SIZE_T CommitSize,
                          PVOID Lock, PRTL_HEAP_PARAMETERS Parameters)
{
    HEAP_SEGMENT Sizes;
    SIZE_T Threshold;
    PHEAP Heap;
    PVOID Base;
    ULONG Index;

    if (HeapBase ||
        (Parameters && Parameters->Length == sizeof(*Parameters) && Parameters->CommitRoutine)) {
        /* FIXME: heaps in memory the caller provides. */
        DbgPrint("HEAP: RtlCreateHeap with caller memory is not implemented\n");
        return NULL;
    }
    if (Lock && (Flags & HEAP_NO_SERIALIZE))
        return NULL;
    if (ReserveSize > HEAP_MAX_SEGMENT || CommitSize > HEAP_MAX_SEGMENT)
        return NULL;
    RtlpHeapDefaults(&Sizes, Parameters, &ReserveSize, &CommitSize, &Threshold);
    if (!NT_SUCCESS(RtlpHeapReserve(ReserveSize, &Base)))
        return NULL;
    if (!NT_SUCCESS(RtlpHeapCommit(Base, CommitSize,
                                   (Flags & HEAP_CREATE_ENABLE_EXECUTE) ? PAGE_EXECUTE_READWRITE
                                                                        : PAGE_READWRITE))) {
        RtlpHeapRelease(Base);
        return NULL;
    }
    Heap = Base;
    Heap->Signature = HEAP_SIGNATURE;
    Heap->Flags = Flags & HEAP_CREATE_VALID;
    Heap->Key = RtlpHeapNewKey(Base);
    Heap->Lock = Lock ? (PRTL_CRITICAL_SECTION)Lock : &Heap->LockStorage;
    if (!Lock)
        RtlInitializeCriticalSection(&Heap->LockStorage);
    RtlpHeapInitializeListHead(&Heap->Segments);
    RtlpHeapInitializeListHead(&Heap->LargeBlocks);
    for (Index = 0; Index < HEAP_FREE_LISTS; Index++)
        RtlpHeapInitializeListHead(&Heap->FreeLists[Index]);
    Heap->SegmentReserve = Sizes.Reserved;
    Heap->SegmentCommit = Sizes.Committed;
    Heap->LargeThreshold = Threshold;
    RtlpHeapInitializeSegment(Heap, &Heap->Segment, Heap, sizeof(HEAP), ReserveSize, CommitSize);
    if (!RtlpHeapListAdd(Heap)) {
        RtlpHeapRelease(Base);
        return NULL;
    }
    return Heap;
}

PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);
    PLIST_ENTRY Link;

    if (!Heap || Heap == NtdllpCurrentPeb()->ProcessHeap)
        return HeapHandle;
    RtlpHeapListRemove(Heap);
    while ((Link = Heap->LargeBlocks.Flink) != &Heap->LargeBlocks)
        RtlpHeapFreeLarge(Heap, (PHEAP_LARGE_BLOCK)Link);
    while ((Link = Heap->Segments.Blink) != &Heap->Segment.Links) {
        RtlpHeapUnlink(Link);
        RtlpHeapRelease(((PHEAP_SEGMENT)Link)->Base);
    }
    if (Heap->Lock == &Heap->LockStorage)
        RtlDeleteCriticalSection(&Heap->LockStorage);
    Heap->Signature = 0;
    RtlpHeapRelease(Heap);
    return NULL;
}

/* ---- the process heap ---------------------------------------------------------------------- */

static PVOID RtlpStringAllocate(SIZE_T Size)
{
    return RtlAllocateHeap(NtdllpCurrentPeb()->ProcessHeap, 0, Size);
}

static VOID RtlpStringFree(PVOID Pointer)
{
    RtlFreeHeap(NtdllpCurrentPeb()->ProcessHeap, 0, Pointer);
}

NTSTATUS RtlpInitializeProcessHeap(PPEB Peb)
{
    PVOID Heap;

    RtlpHeapListInitialize(Peb);
    Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, Peb->HeapSegmentReserve, Peb->HeapSegmentCommit, NULL,
                         NULL);
    if (!Heap)
        return STATUS_NO_MEMORY;
    Peb->ProcessHeap = Heap;
    RtlpSetStringAllocator(RtlpStringAllocate, RtlpStringFree);
    return STATUS_SUCCESS;
}
