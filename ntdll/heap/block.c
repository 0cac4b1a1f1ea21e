/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Blocks inside a heap segment (heapp.h): their headers and check words,
 * neighbours, the free lists, carving a busy block out of a free one and
 * merging a freed block with its free neighbours. Callers hold the heap
 * lock and have validated the blocks they pass in.
 */
#include "heapp.h"

ULONG RtlpHeapCheckWord(PHEAP Heap, PHEAP_BLOCK Block)
{
    ULONG_PTR Address = (ULONG_PTR)Block;
    ULONG Word = Block->Size * 0x9e3779b1u;

    Word ^= Block->PreviousSize * 0x85ebca6bu;
    Word ^= ((ULONG)Block->Flags << 16 | Block->Unused) * 0xc2b2ae35u;
    Word ^= (ULONG)(Address >> 4) ^ (ULONG)(Address >> 36);
    return Word ^ Heap->Key;
}

VOID RtlpHeapSetBlock(PHEAP Heap, PHEAP_BLOCK Block, ULONG Size, ULONG PreviousSize, USHORT Flags,
                      USHORT Unused)
{
    Block->Size = Size;
    Block->PreviousSize = PreviousSize;
    Block->Flags = Flags;
    Block->Unused = Unused;
    Block->Check = RtlpHeapCheckWord(Heap, Block);
}

BOOLEAN RtlpHeapBlockValid(PHEAP Heap, PHEAP_BLOCK Block)
{
    return Block->Check == RtlpHeapCheckWord(Heap, Block);
}

PHEAP_BLOCK RtlpHeapNextBlock(PHEAP_BLOCK Block)
{
    if (Block->Flags & (HEAP_BLOCK_LAST | HEAP_BLOCK_LARGE))
        return NULL;
    return (PHEAP_BLOCK)((PUCHAR)Block + (SIZE_T)Block->Size * HEAP_GRANULE);
}

PHEAP_BLOCK RtlpHeapPreviousBlock(PHEAP_BLOCK Block)
{
    if (!Block->PreviousSize)
        return NULL;
    return (PHEAP_BLOCK)((PUCHAR)Block - (SIZE_T)Block->PreviousSize * HEAP_GRANULE);
}

VOID RtlpHeapLinkNext(PHEAP Heap, PHEAP_BLOCK Block)
{
    PHEAP_BLOCK Next = RtlpHeapNextBlock(Block);

    if (Next)
        RtlpHeapSetBlock(Heap, Next, Next->Size, Block->Size, Next->Flags, Next->Unused);
}

static PLIST_ENTRY RtlpHeapFreeList(PHEAP Heap, ULONG Granules)
{
    return &Heap->FreeLists[Granules < HEAP_FREE_LISTS ? Granules : 0];
}

VOID RtlpHeapInsertFree(PHEAP Heap, PHEAP_BLOCK Block)
{
    PLIST_ENTRY Head = RtlpHeapFreeList(Heap, Block->Size);
    PLIST_ENTRY Links = &((PHEAP_FREE_BLOCK)Block)->Links;

    Links->Flink = Head->Flink;
    Links->Blink = Head;
    Head->Flink->Blink = Links;
    Head->Flink = Links;
}

BOOLEAN RtlpHeapRemoveFree(PHEAP Heap, PHEAP_BLOCK Block)
{
    PLIST_ENTRY Links = &((PHEAP_FREE_BLOCK)Block)->Links;

    (void)Heap;
    if (Links->Flink->Blink != Links || Links->Blink->Flink != Links) {
        DbgPrint("HEAP: %p: free list links of block %p are corrupt\n", Heap, Block);
        return FALSE;
    }
    Links->Blink->Flink = Links->Flink;
    Links->Flink->Blink = Links->Blink;
    return TRUE;
}

/* First fit: the exact lists from Granules up, then the list of big
 * blocks. A block whose header or links fail their checks is skipped. */
PHEAP_BLOCK RtlpHeapTakeFree(PHEAP Heap, ULONG Granules)
{
    PLIST_ENTRY Head, Link;
    ULONG Index;

    for (Index = Granules < HEAP_FREE_LISTS ? Granules : HEAP_FREE_LISTS; Index <= HEAP_FREE_LISTS;
         Index++) {
        Head = &Heap->FreeLists[Index == HEAP_FREE_LISTS ? 0 : Index];
        for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
            PHEAP_BLOCK Block = (PHEAP_BLOCK)((PUCHAR)Link - sizeof(HEAP_BLOCK));
            if (!RtlpHeapBlockValid(Heap, Block) || (Block->Flags & HEAP_BLOCK_BUSY)) {
                DbgPrint("HEAP: %p: free block %p has a bad header\n", Heap, Block);
                return NULL; /* the list is corrupt past here */
            }
            if (Block->Size >= Granules)
                return RtlpHeapRemoveFree(Heap, Block) ? Block : NULL;
        }
    }
    return NULL;
}

VOID RtlpHeapReleaseBlock(PHEAP Heap, PHEAP_BLOCK Block)
{
    PHEAP_BLOCK Next = RtlpHeapNextBlock(Block), Previous = RtlpHeapPreviousBlock(Block);
    USHORT Last = Block->Flags & HEAP_BLOCK_LAST;
    ULONG Size = Block->Size;

    if (!(Heap->Flags & HEAP_DISABLE_COALESCE_ON_FREE)) {
        if (Next && RtlpHeapBlockValid(Heap, Next) && !(Next->Flags & HEAP_BLOCK_BUSY) &&
            RtlpHeapRemoveFree(Heap, Next)) {
            Size += Next->Size;
            Last = Next->Flags & HEAP_BLOCK_LAST;
        }
        if (Previous && RtlpHeapBlockValid(Heap, Previous) &&
            !(Previous->Flags & HEAP_BLOCK_BUSY) && RtlpHeapRemoveFree(Heap, Previous)) {
            Size += Previous->Size;
            RtlpHeapSetBlock(Heap, Block, Block->Size, Block->PreviousSize, 0, 0); /* stale: free */
            Block = Previous;
        }
    }
    RtlpHeapSetBlock(Heap, Block, Size, Block->PreviousSize, Last, 0);
    RtlpHeapLinkNext(Heap, Block);
    RtlpHeapInsertFree(Heap, Block);
}

VOID RtlpHeapFillTail(PHEAP_BLOCK Block)
{
    PUCHAR End = (PUCHAR)Block + (SIZE_T)Block->Size * HEAP_GRANULE;

    memset(End - Block->Unused, HEAP_TAIL_FILL, Block->Unused);
}

BOOLEAN RtlpHeapTailIntact(PHEAP_BLOCK Block)
{
    PUCHAR End = (PUCHAR)Block + (SIZE_T)Block->Size * HEAP_GRANULE;
    USHORT Index;

    for (Index = 1; Index <= Block->Unused; Index++) {
        if (End[-(LONG)Index] != HEAP_TAIL_FILL)
            return FALSE;
    }
    return TRUE;
}

VOID RtlpHeapCarve(PHEAP Heap, PHEAP_BLOCK Block, ULONG Granules, SIZE_T Requested)
{
    USHORT Last = Block->Flags & HEAP_BLOCK_LAST;
    ULONG Rest = Block->Size - Granules;

    if (Rest >= HEAP_MIN_BLOCK) {
        PHEAP_BLOCK Remainder = (PHEAP_BLOCK)((PUCHAR)Block + (SIZE_T)Granules * HEAP_GRANULE);
        RtlpHeapSetBlock(Heap, Block, Granules, Block->PreviousSize, HEAP_BLOCK_BUSY, 0);
        RtlpHeapSetBlock(Heap, Remainder, Rest, Granules, Last, 0);
        RtlpHeapLinkNext(Heap, Remainder);
        /* A remainder may meet a free block after it (a shrinking realloc). */
        RtlpHeapReleaseBlock(Heap, Remainder);
    } else {
        Granules = Block->Size;
        RtlpHeapSetBlock(Heap, Block, Granules, Block->PreviousSize, HEAP_BLOCK_BUSY | Last, 0);
    }
    RtlpHeapSetBlock(Heap, Block, Block->Size, Block->PreviousSize, Block->Flags,
                     (USHORT)((SIZE_T)Granules * HEAP_GRANULE - sizeof(HEAP_BLOCK) - Requested));
    RtlpHeapFillTail(Block);
}
