/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pool (ex/pool.c), SLISTs and lookaside lists (ex/slist.c,
 * ex/lookaside.c): tags kept and checked at free, sizes, alignment,
 * failure, the ddk's inline lookaside routines over the runtime's SLISTs.
 */
#include "ktest.h"

#define KTEST_TAG   0x74736554u /* "Test" */
#define KTEST_OTHER 0x72687441u /* "Athr" */

TEST(pool, tag_size_and_alignment)
{
    PVOID Block = ExAllocatePoolWithTag(NonPagedPool, 100, KTEST_TAG);
    LONG Mismatches = ExpPoolTagMismatches;
    ULONG Tag = 0;
    SIZE_T Size = 0;

    if (!CHECK(Block != NULL))
        return;
    CHECK_EQ((ULONG_PTR)Block & 15, 0);
    CHECK(ExpQueryPoolBlock(Block, &Tag, &Size));
    CHECK_EQ(Tag, KTEST_TAG);
    CHECK_EQ(Size, 100);
    CHECK_EQ(ExQueryPoolBlockSize(Block, NULL), 100);
    memset(Block, 0xAB, 100);
    ExFreePoolWithTag(Block, KTEST_TAG);
    CHECK_EQ(ExpPoolTagMismatches, Mismatches);
}

TEST(pool, tag_mismatch_is_reported)
{
    PVOID Block = ExAllocatePoolWithTag(PagedPool, 16, KTEST_TAG);
    LONG Mismatches = ExpPoolTagMismatches;

    if (!CHECK(Block != NULL))
        return;
    ExFreePoolWithTag(Block, KTEST_OTHER);
    CHECK_EQ(ExpPoolTagMismatches, Mismatches + 1);
    /* The protected-pool bit is not part of the tag. */
    Block = ExAllocatePoolWithTag(NonPagedPool, 16, KTEST_TAG | 0x80000000u);
    ExFreePoolWithTag(Block, KTEST_TAG);
    CHECK_EQ(ExpPoolTagMismatches, Mismatches + 1);
}

TEST(pool, untagged_zeroed_and_failing)
{
    PUCHAR Block = ExAllocatePool(NonPagedPool, 64);
    ULONG Tag = 0;
    SIZE_T Size;
    BOOLEAN Zero = TRUE;

    CHECK(Block && ExpQueryPoolBlock(Block, &Tag, &Size));
    CHECK_EQ(Tag, 0x656E6F4E); /* "None" */
    ExFreePool(Block);
    Block = ExAllocatePoolZero(NonPagedPool, 4096, KTEST_TAG);
    for (int i = 0; Block && i < 4096; i++)
        Zero &= Block[i] == 0;
    CHECK(Block && Zero);
    ExFreePoolWithTag(Block, KTEST_TAG);
    CHECK(ExAllocatePoolWithTag(NonPagedPool, (SIZE_T)1 << 41, KTEST_TAG) == NULL);
}

TEST(pool, slist_push_pop_depth)
{
    SLIST_HEADER Head __attribute__((aligned(16)));
    SLIST_ENTRY E1 __attribute__((aligned(16))), E2 __attribute__((aligned(16)));

    InitializeSListHead(&Head);
    CHECK_EQ(ExQueryDepthSList(&Head), 0);
    CHECK(InterlockedPushEntrySList(&Head, &E1) == NULL);
    CHECK(InterlockedPushEntrySList(&Head, &E2) == &E1);
    CHECK_EQ(ExQueryDepthSList(&Head), 2);
    CHECK(InterlockedPopEntrySList(&Head) == &E2);
    CHECK_EQ(ExQueryDepthSList(&Head), 1);
    InterlockedPushEntrySList(&Head, &E2);
    CHECK(InterlockedFlushSList(&Head) == &E2);
    CHECK_EQ(ExQueryDepthSList(&Head), 0);
    CHECK(InterlockedPopEntrySList(&Head) == NULL);
}

static volatile LONG KTestAllocations, KTestFrees;

static PVOID NTAPI KTestAllocate(POOL_TYPE Type, SIZE_T Size, ULONG Tag)
{
    InterlockedIncrement(&KTestAllocations);
    return ExAllocatePoolWithTag(Type, Size, Tag);
}

static VOID NTAPI KTestFree(PVOID Buffer)
{
    InterlockedIncrement(&KTestFrees);
    ExFreePool(Buffer);
}

TEST(pool, nonpaged_lookaside)
{
    NPAGED_LOOKASIDE_LIST List __attribute__((aligned(16)));
    PVOID Blocks[3], Again;
    ULONG Tag = 0;
    SIZE_T Size = 0;

    KTestAllocations = KTestFrees = 0;
    ExInitializeNPagedLookasideList(&List, KTestAllocate, KTestFree, 0, 48, KTEST_TAG, 0);
    for (int i = 0; i < 3; i++)
        Blocks[i] = ExAllocateFromNPagedLookasideList(&List);
    CHECK_EQ(KTestAllocations, 3);
    CHECK(Blocks[0] && ExpQueryPoolBlock(Blocks[0], &Tag, &Size));
    CHECK_EQ(Tag, KTEST_TAG);
    CHECK_EQ(Size, 48);
    for (int i = 0; i < 3; i++)
        ExFreeToNPagedLookasideList(&List, Blocks[i]);
    CHECK_EQ(KTestFrees, 0); /* kept on the list */
    Again = ExAllocateFromNPagedLookasideList(&List);
    CHECK(Again == Blocks[2]); /* the last one freed, without a new allocation */
    CHECK_EQ(KTestAllocations, 3);
    CHECK_EQ(List.L.TotalAllocates, 4);
    CHECK_EQ(List.L.AllocateMisses, 3);
    ExFreeToNPagedLookasideList(&List, Again);
    ExDeleteNPagedLookasideList(&List);
    CHECK_EQ(KTestFrees, 3);
}

TEST(pool, paged_lookaside_default_routines)
{
    PAGED_LOOKASIDE_LIST List __attribute__((aligned(16)));
    PVOID Block;
    ULONG Tag = 0;
    SIZE_T Size = 0;

    ExInitializePagedLookasideList(&List, NULL, NULL, 0, 8, KTEST_TAG, 0);
    Block = ExAllocateFromPagedLookasideList(&List);
    CHECK(Block && ExpQueryPoolBlock(Block, &Tag, &Size));
    CHECK_EQ(Tag, KTEST_TAG);
    CHECK_EQ(Size, sizeof(SLIST_ENTRY)); /* at least an SLIST entry */
    ExFreeToPagedLookasideList(&List, Block);
    CHECK(ExAllocateFromPagedLookasideList(&List) == Block);
    ExFreeToPagedLookasideList(&List, Block);
    ExDeletePagedLookasideList(&List);
}
