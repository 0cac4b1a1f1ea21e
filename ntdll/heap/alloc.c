/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RtlAllocateHeap, RtlFreeHeap, RtlReAllocateHeap and RtlSizeHeap. Sizes
 * become granules with the header included; a request of the heap's large
 * threshold or more gets a reservation of its own (growable heaps only).
 * Every pointer handed back is checked (RtlpHeapFindBusy) before it is
 * trusted, and a freed block's tail pattern and its successor's header are
 * checked too, so an overrun is reported rather than spread.
 * With HEAP_GENERATE_EXCEPTIONS (of the heap or the call) a failed
 * allocation raises STATUS_NO_MEMORY (continuable, the requested size as
 * its parameter); a handler that continues gets NULL returned.
 */
#include "heapp.h"

VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord);

/* NULL, after raising STATUS_NO_MEMORY when the caller asked for that. */
static PVOID RtlpHeapFailed(PHEAP Heap, ULONG Flags, SIZE_T Size)
{
    EXCEPTION_RECORD Record;

    if ((Flags | (Heap ? Heap->Flags : 0)) & HEAP_GENERATE_EXCEPTIONS) {
        memset(&Record, 0, sizeof(Record));
        Record.ExceptionCode = STATUS_NO_MEMORY;
        Record.ExceptionAddress = (PVOID)RtlpHeapFailed;
        Record.NumberParameters = 1;
        Record.ExceptionInformation[0] = Size;
        RtlRaiseException(&Record);
    }
    return NULL;
}

/* Requests above this fail at once (Windows' limit is similar: no heap
 * block may come near the address space's size). */
#define HEAP_MAX_REQUEST 0x7fffffff00000000ull

static ULONG RtlpHeapGranules(SIZE_T Size)
{
    SIZE_T Granules = (Size + sizeof(HEAP_BLOCK) + HEAP_GRANULE - 1) / HEAP_GRANULE;

    return (ULONG)(Granules < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : Granules);
}

static PVOID RtlpHeapAllocateLocked(PHEAP Heap, SIZE_T Size)
{
    ULONG Granules;
    PHEAP_BLOCK Block;

    if (Size >= Heap->LargeThreshold && (Heap->Flags & HEAP_GROWABLE))
        return RtlpHeapAllocateLarge(Heap, Size);
    if (Size >= HEAP_MAX_SEGMENT)
        return NULL;
    Granules = RtlpHeapGranules(Size);
    Block = RtlpHeapTakeFree(Heap, Granules);
    if (!Block && RtlpHeapGrow(Heap, Granules))
        Block = RtlpHeapTakeFree(Heap, Granules);
    if (!Block)
        return NULL;
    RtlpHeapCarve(Heap, Block, Granules, Size);
    return Block + 1;
}

PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);
    PVOID Data;

    if (!Heap || Size >= HEAP_MAX_REQUEST)
        return RtlpHeapFailed(Heap, Flags, Size);
    RtlpHeapLock(Heap, Flags);
    Data = RtlpHeapAllocateLocked(Heap, Size);
    RtlpHeapUnlock(Heap, Flags);
    if (!Data)
        return RtlpHeapFailed(Heap, Flags, Size);
    if (Data && ((Flags | Heap->Flags) & HEAP_ZERO_MEMORY))
        memset(Data, 0, Size);
    return Data;
}

/* Free a validated busy block. FALSE (nothing changed) when its tail or
 * its successor's header shows an overrun. */
static BOOLEAN RtlpHeapFreeLocked(PHEAP Heap, PHEAP_BLOCK Block)
{
    PHEAP_BLOCK Next;

    if (Block->Flags & HEAP_BLOCK_LARGE) {
        RtlpHeapFreeLarge(Heap,
                          (PHEAP_LARGE_BLOCK)((PUCHAR)(Block + 1) - sizeof(HEAP_LARGE_BLOCK)));
        return TRUE;
    }
    Next = RtlpHeapNextBlock(Block);
    if (!RtlpHeapTailIntact(Block) || (Next && !RtlpHeapBlockValid(Heap, Next))) {
        DbgPrint("HEAP: %p: block %p was written past its end\n", Heap, Block + 1);
        return FALSE;
    }
    RtlpHeapSetBlock(Heap, Block, Block->Size, Block->PreviousSize, Block->Flags & HEAP_BLOCK_LAST,
                     0);
    RtlpHeapReleaseBlock(Heap, Block);
    return TRUE;
}

BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP Heap;
    PHEAP_BLOCK Block;
    BOOLEAN Freed = FALSE;

    if (!BaseAddress)
        return TRUE;
    Heap = RtlpHeapFromHandle(HeapHandle);
    if (!Heap)
        return FALSE;
    RtlpHeapLock(Heap, Flags);
    Block = RtlpHeapFindBusy(Heap, BaseAddress, "RtlFreeHeap");
    if (Block)
        Freed = RtlpHeapFreeLocked(Heap, Block);
    RtlpHeapUnlock(Heap, Flags);
    return Freed;
}

static SIZE_T RtlpHeapBlockDataSize(PHEAP_BLOCK Block)
{
    if (Block->Flags & HEAP_BLOCK_LARGE)
        return ((PHEAP_LARGE_BLOCK)((PUCHAR)(Block + 1) - sizeof(HEAP_LARGE_BLOCK)))->Requested;
    return (SIZE_T)Block->Size * HEAP_GRANULE - sizeof(HEAP_BLOCK) - Block->Unused;
}

SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);
    PHEAP_BLOCK Block;
    SIZE_T Size = (SIZE_T)-1;

    if (!Heap || !BaseAddress)
        return Size;
    RtlpHeapLock(Heap, Flags);
    Block = RtlpHeapFindBusy(Heap, BaseAddress, "RtlSizeHeap");
    if (Block)
        Size = RtlpHeapBlockDataSize(Block);
    RtlpHeapUnlock(Heap, Flags);
    return Size;
}

/* Resize Block where it is: shrink (returning the rest), or grow into a
 * free successor. FALSE when it cannot. */
static BOOLEAN RtlpHeapResizeInPlace(PHEAP Heap, PHEAP_BLOCK Block, SIZE_T Size)
{
    ULONG Granules;
    PHEAP_BLOCK Next;

    if (Block->Flags & HEAP_BLOCK_LARGE) {
        PHEAP_LARGE_BLOCK Large =
            (PHEAP_LARGE_BLOCK)((PUCHAR)(Block + 1) - sizeof(HEAP_LARGE_BLOCK));
        if (Size > Large->Reserved - sizeof(HEAP_LARGE_BLOCK))
            return FALSE;
        Large->Requested = Size;
        return TRUE;
    }
    if (Size >= HEAP_MAX_SEGMENT)
        return FALSE;
    Granules = RtlpHeapGranules(Size);
    if (Granules > Block->Size) {
        Next = RtlpHeapNextBlock(Block);
        if (!Next || !RtlpHeapBlockValid(Heap, Next) || (Next->Flags & HEAP_BLOCK_BUSY) ||
            Block->Size + Next->Size < Granules || !RtlpHeapRemoveFree(Heap, Next))
            return FALSE;
        RtlpHeapSetBlock(Heap, Block, Block->Size + Next->Size, Block->PreviousSize,
                         HEAP_BLOCK_BUSY | (Next->Flags & HEAP_BLOCK_LAST), 0);
        RtlpHeapLinkNext(Heap, Block);
    }
    RtlpHeapCarve(Heap, Block, Granules, Size);
    return TRUE;
}

/* The locked part of RtlReAllocateHeap; *Old is the old data size. */
static PVOID RtlpHeapReAllocateLocked(PHEAP Heap, ULONG Flags, PHEAP_BLOCK Block, SIZE_T Size,
                                      SIZE_T *Old)
{
    PVOID Data = Block + 1, New;

    *Old = RtlpHeapBlockDataSize(Block);
    if (!RtlpHeapTailIntact(Block)) {
        DbgPrint("HEAP: %p: block %p was written past its end\n", Heap, Data);
        return NULL;
    }
    if (RtlpHeapResizeInPlace(Heap, Block, Size))
        return Data;
    if (Flags & HEAP_REALLOC_IN_PLACE_ONLY)
        return NULL;
    New = RtlpHeapAllocateLocked(Heap, Size);
    if (!New)
        return NULL;
    memcpy(New, Data, *Old < Size ? *Old : Size);
    RtlpHeapFreeLocked(Heap, Block);
    return New;
}

PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);
    PHEAP_BLOCK Block;
    PVOID Data = NULL;
    SIZE_T Old = 0;

    if (!Heap || !BaseAddress || Size >= HEAP_MAX_REQUEST)
        return Heap && BaseAddress ? RtlpHeapFailed(Heap, Flags, Size) : NULL;
    Flags |= Heap->Flags & HEAP_STICKY_FLAGS;
    RtlpHeapLock(Heap, Flags);
    Block = RtlpHeapFindBusy(Heap, BaseAddress, "RtlReAllocateHeap");
    if (Block)
        Data = RtlpHeapReAllocateLocked(Heap, Flags, Block, Size, &Old);
    RtlpHeapUnlock(Heap, Flags);
    if (Data && Size > Old && (Flags & HEAP_ZERO_MEMORY))
        memset((PUCHAR)Data + Old, 0, Size - Old);
    if (!Data && Block && !(Flags & HEAP_REALLOC_IN_PLACE_ONLY))
        return RtlpHeapFailed(Heap, Flags, Size);
    return Data;
}
