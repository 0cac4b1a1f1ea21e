/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RtlValidateHeap and RtlWalkHeap: both go over every segment block by
 * block (and the large blocks), checking each header, the chain of sizes
 * (each block's PreviousSize is its predecessor's Size, the last block ends
 * at the committed end) and, for busy blocks, the tail pattern.
 */
#include "heapp.h"

static BOOLEAN RtlpHeapValidateSegment(PHEAP Heap, PHEAP_SEGMENT Segment)
{
    PHEAP_BLOCK Block = Segment->FirstBlock, Next;
    PUCHAR End = Segment->Base + Segment->Committed;
    ULONG PreviousSize = 0;

    for (;;) {
        if ((PUCHAR)(Block + 1) > End || !RtlpHeapBlockValid(Heap, Block) ||
            Block->PreviousSize != PreviousSize || Block->Size < HEAP_MIN_BLOCK ||
            (PUCHAR)Block + (SIZE_T)Block->Size * HEAP_GRANULE > End)
            goto bad;
        if ((Block->Flags & HEAP_BLOCK_BUSY) && !RtlpHeapTailIntact(Block))
            goto bad;
        Next = RtlpHeapNextBlock(Block);
        if (!Next)
            break;
        PreviousSize = Block->Size;
        Block = Next;
    }
    if ((PUCHAR)Block + (SIZE_T)Block->Size * HEAP_GRANULE != End)
        goto bad;
    return TRUE;
bad:
    DbgPrint("HEAP: %p: block %p of segment %p is corrupt\n", Heap, Block, Segment->Base);
    return FALSE;
}

static BOOLEAN RtlpHeapValidateAll(PHEAP Heap)
{
    PLIST_ENTRY Link;

    for (Link = Heap->Segments.Flink; Link != &Heap->Segments; Link = Link->Flink) {
        if (!RtlpHeapValidateSegment(Heap, (PHEAP_SEGMENT)Link))
            return FALSE;
    }
    for (Link = Heap->LargeBlocks.Flink; Link != &Heap->LargeBlocks; Link = Link->Flink) {
        if (!RtlpHeapBlockValid(Heap, &((PHEAP_LARGE_BLOCK)Link)->Block))
            return FALSE;
    }
    return TRUE;
}

BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID Block)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);
    BOOLEAN Valid;
    PHEAP_BLOCK Found;

    if (!Heap)
        return FALSE;
    RtlpHeapLock(Heap, Flags);
    if (Block) {
        Found = RtlpHeapFindBusy(Heap, Block, "RtlValidateHeap");
        Valid = Found && ((Found->Flags & HEAP_BLOCK_LARGE) || RtlpHeapTailIntact(Found));
    } else {
        Valid = RtlpHeapValidateAll(Heap);
    }
    RtlpHeapUnlock(Heap, Flags);
    return Valid;
}

/* ---- RtlWalkHeap ------------------------------------------------------------------------ */

static VOID RtlpWalkSegmentEntry(PRTL_HEAP_WALK_ENTRY Entry, PHEAP_SEGMENT Segment, UCHAR Index)
{
    memset(Entry, 0, sizeof(*Entry));
    Entry->DataAddress = Segment->Base;
    Entry->DataSize = Segment->Reserved;
    Entry->SegmentIndex = Index;
    Entry->Flags = RTL_HEAP_SEGMENT;
    Entry->Segment.CommittedSize = (ULONG)Segment->Committed;
    Entry->Segment.UnCommittedSize = (ULONG)(Segment->Reserved - Segment->Committed);
    Entry->Segment.FirstEntry = Segment->FirstBlock;
    Entry->Segment.LastEntry = Segment->Base + Segment->Committed;
}

static VOID RtlpWalkBlockEntry(PRTL_HEAP_WALK_ENTRY Entry, PHEAP_BLOCK Block, UCHAR Index)
{
    SIZE_T Gross = (SIZE_T)Block->Size * HEAP_GRANULE - sizeof(HEAP_BLOCK);

    memset(Entry, 0, sizeof(*Entry));
    Entry->DataAddress = Block + 1;
    Entry->SegmentIndex = Index;
    if (Block->Flags & HEAP_BLOCK_BUSY) {
        Entry->Flags = RTL_HEAP_BUSY;
        Entry->DataSize = Gross - Block->Unused;
        Entry->OverheadBytes = (UCHAR)(sizeof(HEAP_BLOCK) + Block->Unused);
    } else {
        Entry->DataSize = Gross;
        Entry->OverheadBytes = sizeof(HEAP_BLOCK);
    }
}

static VOID RtlpWalkLargeEntry(PRTL_HEAP_WALK_ENTRY Entry, PHEAP_LARGE_BLOCK Large)
{
    memset(Entry, 0, sizeof(*Entry));
    Entry->DataAddress = &Large->Block + 1;
    Entry->DataSize = Large->Requested;
    Entry->OverheadBytes = sizeof(HEAP_LARGE_BLOCK);
    Entry->Flags = RTL_HEAP_BUSY | RTL_HEAP_LARGE_ALLOC;
}

/* The entry after the segment at Link (and its index), or the first large
 * block, or STATUS_NO_MORE_ENTRIES. */
static NTSTATUS RtlpWalkAfterSegment(PHEAP Heap, PLIST_ENTRY Link, UCHAR Index,
                                     PRTL_HEAP_WALK_ENTRY Entry)
{
    if (Link->Flink != &Heap->Segments) {
        RtlpWalkSegmentEntry(Entry, (PHEAP_SEGMENT)Link->Flink, (UCHAR)(Index + 1));
        return STATUS_SUCCESS;
    }
    if (Heap->LargeBlocks.Flink == &Heap->LargeBlocks)
        return STATUS_NO_MORE_ENTRIES;
    RtlpWalkLargeEntry(Entry, (PHEAP_LARGE_BLOCK)Heap->LargeBlocks.Flink);
    return STATUS_SUCCESS;
}

static NTSTATUS RtlpWalkNext(PHEAP Heap, PRTL_HEAP_WALK_ENTRY Entry)
{
    PLIST_ENTRY Link = Heap->Segments.Flink;
    PHEAP_SEGMENT Segment;
    PHEAP_BLOCK Block, Next;
    UCHAR Index = 0;

    if (!Entry->DataAddress) {
        RtlpWalkSegmentEntry(Entry, &Heap->Segment, 0);
        return STATUS_SUCCESS;
    }
    if (Entry->Flags & RTL_HEAP_LARGE_ALLOC) {
        PHEAP_LARGE_BLOCK Large = RtlpHeapFindLarge(Heap, Entry->DataAddress);
        if (!Large)
            return STATUS_INVALID_PARAMETER;
        if (Large->Links.Flink == &Heap->LargeBlocks)
            return STATUS_NO_MORE_ENTRIES;
        RtlpWalkLargeEntry(Entry, (PHEAP_LARGE_BLOCK)Large->Links.Flink);
        return STATUS_SUCCESS;
    }
    for (; Link != &Heap->Segments; Link = Link->Flink, Index++) {
        Segment = (PHEAP_SEGMENT)Link;
        if (Entry->Flags & RTL_HEAP_SEGMENT) {
            if (Entry->DataAddress != Segment->Base)
                continue;
            RtlpWalkBlockEntry(Entry, Segment->FirstBlock, Index);
            return STATUS_SUCCESS;
        }
        if (Entry->Flags & RTL_HEAP_UNCOMMITTED_RANGE) {
            if (Entry->DataAddress != Segment->Base + Segment->Committed)
                continue;
            return RtlpWalkAfterSegment(Heap, Link, Index, Entry);
        }
        Block = (PHEAP_BLOCK)Entry->DataAddress - 1;
        if (RtlpHeapFindSegment(Heap, Block) != Segment)
            continue;
        if (!RtlpHeapBlockValid(Heap, Block))
            return STATUS_INVALID_PARAMETER;
        Next = RtlpHeapNextBlock(Block);
        if (Next) {
            RtlpWalkBlockEntry(Entry, Next, Index);
            return STATUS_SUCCESS;
        }
        if (Segment->Committed < Segment->Reserved) {
            memset(Entry, 0, sizeof(*Entry));
            Entry->DataAddress = Segment->Base + Segment->Committed;
            Entry->DataSize = Segment->Reserved - Segment->Committed;
            Entry->SegmentIndex = Index;
            Entry->Flags = RTL_HEAP_UNCOMMITTED_RANGE;
            return STATUS_SUCCESS;
        }
        return RtlpWalkAfterSegment(Heap, Link, Index, Entry);
    }
    return STATUS_INVALID_PARAMETER;
}

NTSTATUS NTAPI RtlWalkHeap(PVOID HeapHandle, PRTL_HEAP_WALK_ENTRY Entry)
{
    PHEAP Heap = RtlpHeapFromHandle(HeapHandle);
    NTSTATUS Status;

    if (!Heap || !Entry)
        return STATUS_INVALID_PARAMETER;
    RtlpHeapLock(Heap, 0);
    Status = RtlpWalkNext(Heap, Entry);
    RtlpHeapUnlock(Heap, 0);
    return Status;
}
