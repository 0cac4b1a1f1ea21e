/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's heap (RtlCreateHeap and friends) as Windows programs use it: the
 * process heap made at start-up, many sizes and their 16-byte alignment,
 * zeroing, reallocation that grows, shrinks or must stay in place, large
 * blocks with their own reservation, bad and twice-freed pointers and
 * overruns refused without damage, fixed-size heaps that stop growing,
 * memory given back on destruction (seen with NtQueryVirtualMemory), the
 * process's heap list, walking, and thousands of random operations with
 * their contents checked.
 */
#include "ntapitest.h"

NTSYSAPI void *memcpy(void *Destination, const void *Source, size_t Count);

#define HEAPTEST_MEM_COMMIT 0x1000u
#define HEAPTEST_MEM_FREE   0x10000u

typedef struct _HEAPTEST_MBI {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    USHORT PartitionId;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
} HEAPTEST_MBI;
_Static_assert(sizeof(HEAPTEST_MBI) == 0x30, "MEMORY_BASIC_INFORMATION");

/* The state (MEM_COMMIT, MEM_RESERVE, MEM_FREE) of the page at Address. */
static ULONG HeapTestState(PVOID Address)
{
    HEAPTEST_MBI Info;

    if (!NT_SUCCESS(
            NtQueryVirtualMemory(NtCurrentProcess(), Address, 0, &Info, sizeof(Info), NULL)))
        return 0;
    return Info.State;
}

static ULONG HeapTestSeed = 12345;

static ULONG HeapTestRandom(void)
{
    HeapTestSeed = HeapTestSeed * 1103515245u + 12345u;
    return HeapTestSeed >> 8;
}

static VOID HeapTestFill(PVOID Data, SIZE_T Size, ULONG Tag)
{
    PUCHAR Bytes = Data;
    SIZE_T Index;

    for (Index = 0; Index < Size; Index++)
        Bytes[Index] = (UCHAR)(Tag + Index * 7);
}

static BOOLEAN HeapTestIntact(PVOID Data, SIZE_T Size, ULONG Tag)
{
    PUCHAR Bytes = Data;
    SIZE_T Index;

    for (Index = 0; Index < Size; Index++) {
        if (Bytes[Index] != (UCHAR)(Tag + Index * 7))
            return FALSE;
    }
    return TRUE;
}

static BOOLEAN HeapTestAllZero(PVOID Data, SIZE_T Size)
{
    PUCHAR Bytes = Data;
    SIZE_T Index;

    for (Index = 0; Index < Size; Index++) {
        if (Bytes[Index])
            return FALSE;
    }
    return TRUE;
}

static PVOID HeapTestCreate(ULONG Flags)
{
    PVOID Heap = RtlCreateHeap(Flags | HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);

    CHECK(Heap != NULL);
    return Heap;
}

/* ---- the process heap ------------------------------------------------------------------- */

TEST(heap, process_heap_exists)
{
    PPEB Peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    PVOID Heaps[64];
    ULONG Count = RtlGetProcessHeaps(64, Heaps);

    CHECK(Peb->ProcessHeap != NULL);
    CHECK(Count >= 1);
    CHECK_EQ(Count, Peb->NumberOfHeaps);
    CHECK(Peb->ProcessHeaps != NULL);
    CHECK_EQ(Heaps[0], Peb->ProcessHeap);
    CHECK_EQ((ULONG_PTR)Peb->ProcessHeap & 0xffff, 0); /* a reservation's base */
    CHECK_EQ(HeapTestState(Peb->ProcessHeap), HEAPTEST_MEM_COMMIT);
    CHECK(RtlValidateHeap(Peb->ProcessHeap, 0, NULL));
}

TEST(heap, process_heap_cannot_be_destroyed)
{
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap;

    CHECK_EQ(RtlDestroyHeap(Heap), Heap);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
}

TEST(heap, string_functions_use_process_heap)
{
    UNICODE_STRING String;
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap;

    CHECK(RtlCreateUnicodeString(&String, u"heap-made"));
    CHECK_EQ(String.Length, 18);
    CHECK(RtlSizeHeap(Heap, 0, String.Buffer) >= 20);
    RtlFreeUnicodeString(&String);
    CHECK(String.Buffer == NULL);
}

/* ---- creation and destruction ----------------------------------------------------------- */

TEST(heap, create_and_destroy_release_memory)
{
    PVOID Heap = HeapTestCreate(0), Block;

    if (!Heap)
        return;
    CHECK_EQ(HeapTestState(Heap), HEAPTEST_MEM_COMMIT);
    Block = RtlAllocateHeap(Heap, 0, 100);
    CHECK(Block != NULL);
    CHECK_EQ(RtlDestroyHeap(Heap), NULL);
    CHECK_EQ(HeapTestState(Heap), HEAPTEST_MEM_FREE);
    /* The handle is gone: using it fails without touching the memory. */
    CHECK(RtlAllocateHeap(Heap, 0, 10) == NULL);
    CHECK_EQ(RtlDestroyHeap(Heap), Heap);
}

TEST(heap, destroy_releases_segments_and_large_blocks)
{
    PVOID Heap = HeapTestCreate(0), Large, Blocks[40];
    ULONG Index, Segments = 0;

    if (!Heap)
        return;
    Large = RtlAllocateHeap(Heap, 0, 0x200000);
    CHECK(Large != NULL);
    for (Index = 0; Index < 40; Index++) /* 40 x 60 KiB: beyond the first 1 MiB segment */
        Blocks[Index] = RtlAllocateHeap(Heap, 0, 60000);
    for (Index = 0; Index < 40; Index++) {
        CHECK(Blocks[Index] != NULL);
        Segments += (ULONG_PTR)Blocks[Index] - (ULONG_PTR)Heap >= 0x100000;
    }
    CHECK(Segments > 0);
    CHECK_EQ(RtlDestroyHeap(Heap), NULL);
    CHECK_EQ(HeapTestState(Large), HEAPTEST_MEM_FREE);
    for (Index = 0; Index < 40; Index++)
        CHECK_EQ(HeapTestState(Blocks[Index]), HEAPTEST_MEM_FREE);
}

TEST(heap, create_with_caller_memory_refused)
{
    static UCHAR Memory[0x4000] __attribute__((aligned(4096)));

    /* Not implemented in Nereid (heap.h): refused, nothing made. */
    CHECK(RtlCreateHeap(HEAP_GROWABLE, Memory, sizeof(Memory), sizeof(Memory), NULL, NULL) == NULL);
}

TEST(heap, process_heap_list_follows_create_and_destroy)
{
    PVOID Heaps[64], Heap;
    ULONG Before = RtlGetProcessHeaps(0, NULL), Index, Count;
    BOOLEAN Found = FALSE;

    Heap = HeapTestCreate(0);
    if (!Heap)
        return;
    Count = RtlGetProcessHeaps(64, Heaps);
    CHECK_EQ(Count, Before + 1);
    for (Index = 0; Index < Count && Index < 64; Index++)
        Found |= Heaps[Index] == Heap;
    CHECK(Found);
    RtlDestroyHeap(Heap);
    CHECK_EQ(RtlGetProcessHeaps(0, NULL), Before);
}

TEST(heap, many_heaps)
{
    PVOID Heaps[24];
    ULONG Before = RtlGetProcessHeaps(0, NULL), Index;

    for (Index = 0; Index < 24; Index++) {
        Heaps[Index] = RtlCreateHeap(HEAP_GROWABLE, NULL, 0x10000, 0x1000, NULL, NULL);
        CHECK(Heaps[Index] != NULL);
        CHECK(Heaps[Index] && RtlAllocateHeap(Heaps[Index], 0, 32) != NULL);
    }
    CHECK_EQ(RtlGetProcessHeaps(0, NULL), Before + 24);
    for (Index = 0; Index < 24; Index++)
        CHECK_EQ(RtlDestroyHeap(Heaps[Index]), NULL);
    CHECK_EQ(RtlGetProcessHeaps(0, NULL), Before);
}

TEST(heap, fixed_heap_stops_growing)
{
    PVOID Heap = RtlCreateHeap(0, NULL, 0x10000, 0x1000, NULL, NULL), Block;
    SIZE_T Total = 0;
    ULONG Count = 0;

    CHECK(Heap != NULL);
    if (!Heap)
        return;
    CHECK(RtlAllocateHeap(Heap, 0, 0x20000) == NULL); /* larger than the heap */
    while ((Block = RtlAllocateHeap(Heap, 0, 1000)) && Count < 1000) {
        Total += 1000;
        Count++;
    }
    CHECK(Block == NULL);
    CHECK(Total > 0x8000);  /* it did grow inside its reservation */
    CHECK(Total < 0x10000); /* and no further */
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK_EQ(RtlDestroyHeap(Heap), NULL);
}

TEST(heap, no_serialize_heap)
{
    PVOID Heap = HeapTestCreate(HEAP_NO_SERIALIZE), Block;

    if (!Heap)
        return;
    Block = RtlAllocateHeap(Heap, 0, 64);
    CHECK(Block != NULL);
    CHECK(RtlLockHeap(Heap));
    CHECK(RtlUnlockHeap(Heap));
    CHECK(RtlFreeHeap(Heap, 0, Block));
    RtlDestroyHeap(Heap);
}

TEST(heap, lock_and_unlock)
{
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap, Block;

    CHECK(RtlLockHeap(Heap));
    CHECK(RtlLockHeap(Heap));             /* the lock nests for its owner */
    Block = RtlAllocateHeap(Heap, 0, 16); /* and allocation still works while held */
    CHECK(Block != NULL);
    CHECK(RtlFreeHeap(Heap, 0, Block));
    CHECK(RtlUnlockHeap(Heap));
    CHECK(RtlUnlockHeap(Heap));
    CHECK(!RtlLockHeap(NULL));
}

/* ---- allocation ------------------------------------------------------------------------ */

TEST(heap, many_sizes_aligned_and_sized)
{
    static const SIZE_T Sizes[] = {
        0,    1,    2,    3,    7,    8,     15,    16,     17,      31,      32,      33,
        48,   63,   64,   100,  127,  128,   129,   255,    256,     500,     1000,    1023,
        1024, 2000, 4095, 4096, 4097, 10000, 65536, 100000, 0x7efff, 0x7f000, 0x100000};
    PVOID Heap = HeapTestCreate(0), Blocks[sizeof(Sizes) / sizeof(Sizes[0])];
    ULONG Index;

    if (!Heap)
        return;
    for (Index = 0; Index < sizeof(Sizes) / sizeof(Sizes[0]); Index++) {
        Blocks[Index] = RtlAllocateHeap(Heap, 0, Sizes[Index]);
        CHECK(Blocks[Index] != NULL);
        if (!Blocks[Index])
            continue;
        CHECK_EQ((ULONG_PTR)Blocks[Index] & 15, 0);
        CHECK_EQ(RtlSizeHeap(Heap, 0, Blocks[Index]), Sizes[Index]);
        HeapTestFill(Blocks[Index], Sizes[Index], Index);
    }
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    for (Index = 0; Index < sizeof(Sizes) / sizeof(Sizes[0]); Index++) {
        if (!Blocks[Index])
            continue;
        CHECK(HeapTestIntact(Blocks[Index], Sizes[Index], Index));
        CHECK(RtlFreeHeap(Heap, 0, Blocks[Index]));
    }
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    RtlDestroyHeap(Heap);
}

TEST(heap, blocks_do_not_overlap)
{
    PVOID Heap = HeapTestCreate(0);
    PUCHAR Blocks[200];
    SIZE_T Sizes[200];
    ULONG Index, Other;

    if (!Heap)
        return;
    for (Index = 0; Index < 200; Index++) {
        Sizes[Index] = 1 + HeapTestRandom() % 300;
        Blocks[Index] = RtlAllocateHeap(Heap, 0, Sizes[Index]);
        CHECK(Blocks[Index] != NULL);
    }
    for (Index = 0; Index < 200; Index++) {
        for (Other = Index + 1; Other < 200; Other++) {
            if (Blocks[Index] < Blocks[Other] + Sizes[Other] &&
                Blocks[Other] < Blocks[Index] + Sizes[Index]) {
                CHECK(!"two blocks overlap");
                Other = Index = 200;
            }
        }
    }
    RtlDestroyHeap(Heap);
}

TEST(heap, zero_memory)
{
    PVOID Heap = HeapTestCreate(0), Block;

    if (!Heap)
        return;
    Block = RtlAllocateHeap(Heap, 0, 512);
    CHECK(Block != NULL);
    memset(Block, 0xcc, 512);
    RtlFreeHeap(Heap, 0, Block);
    Block = RtlAllocateHeap(Heap, HEAP_ZERO_MEMORY, 512); /* the same memory comes back */
    CHECK(Block != NULL);
    CHECK(Block && HeapTestAllZero(Block, 512));
    Block = RtlAllocateHeap(Heap, HEAP_ZERO_MEMORY, 0x100000); /* and a large block */
    CHECK(Block && HeapTestAllZero(Block, 0x100000));
    RtlDestroyHeap(Heap);
}

TEST(heap, size_zero_is_a_block)
{
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap;
    PVOID First = RtlAllocateHeap(Heap, 0, 0), Second = RtlAllocateHeap(Heap, 0, 0);

    CHECK(First != NULL);
    CHECK(Second != NULL);
    CHECK(First != Second);
    CHECK_EQ(RtlSizeHeap(Heap, 0, First), 0);
    CHECK(RtlFreeHeap(Heap, 0, First));
    CHECK(RtlFreeHeap(Heap, 0, Second));
}

TEST(heap, impossible_sizes_fail)
{
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap;

    CHECK(RtlAllocateHeap(Heap, 0, (SIZE_T)-1) == NULL);
    CHECK(RtlAllocateHeap(Heap, 0, (SIZE_T)-16) == NULL);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
}

TEST(heap, large_block_has_its_own_reservation)
{
    PVOID Heap = HeapTestCreate(0);
    PUCHAR Block, Bigger;

    if (!Heap)
        return;
    Block = RtlAllocateHeap(Heap, 0, 0x180000);
    CHECK(Block != NULL);
    if (!Block)
        goto out;
    CHECK((ULONG_PTR)Block - (ULONG_PTR)Heap >= 0x100000 || (ULONG_PTR)Block < (ULONG_PTR)Heap);
    Block[0] = 1;
    Block[0x17ffff] = 2;
    CHECK_EQ(RtlSizeHeap(Heap, 0, Block), 0x180000);
    Bigger = RtlReAllocateHeap(Heap, 0, Block, 0x300000);
    CHECK(Bigger != NULL);
    if (Bigger) {
        CHECK_EQ(Bigger[0], 1);
        CHECK_EQ(Bigger[0x17ffff], 2);
        CHECK_EQ(RtlSizeHeap(Heap, 0, Bigger), 0x300000);
        CHECK(RtlFreeHeap(Heap, 0, Bigger));
        CHECK_EQ(HeapTestState(Bigger), HEAPTEST_MEM_FREE);
    }
out:
    RtlDestroyHeap(Heap);
}

/* ---- bad pointers, double frees, overruns -------------------------------------------- */

TEST(heap, bad_handles_fail)
{
    static ULONGLONG NotAHeap[64];
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap;
    PVOID Block = RtlAllocateHeap(Heap, 0, 16);

    CHECK(RtlAllocateHeap(NotAHeap, 0, 16) == NULL);
    CHECK(RtlAllocateHeap(NULL, 0, 16) == NULL);
    CHECK(!RtlFreeHeap(NotAHeap, 0, Block));
    CHECK_EQ(RtlSizeHeap(NotAHeap, 0, Block), (SIZE_T)-1);
    CHECK(RtlReAllocateHeap(NotAHeap, 0, Block, 32) == NULL);
    CHECK(!RtlValidateHeap(NotAHeap, 0, NULL));
    CHECK_EQ(RtlDestroyHeap(NotAHeap), NotAHeap);
    CHECK(!RtlLockHeap(NotAHeap));
    CHECK(RtlFreeHeap(Heap, 0, Block));
}

TEST(heap, free_null_succeeds)
{
    CHECK(RtlFreeHeap(NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap, 0, NULL));
}

TEST(heap, free_bad_pointers_refused)
{
    PVOID Heap = HeapTestCreate(0), Other = HeapTestCreate(0);
    UCHAR Local[32];
    PUCHAR Block, Foreign;

    if (!Heap || !Other)
        goto out;
    Block = RtlAllocateHeap(Heap, 0, 64);
    Foreign = RtlAllocateHeap(Other, 0, 64);
    CHECK(Block && Foreign);
    if (!Block || !Foreign)
        goto out;
    HeapTestFill(Block, 64, 3);
    CHECK(!RtlFreeHeap(Heap, 0, Local));
    CHECK(!RtlFreeHeap(Heap, 0, Block + 1));
    CHECK(!RtlFreeHeap(Heap, 0, Block + 16));
    CHECK(!RtlFreeHeap(Heap, 0, Block + 32));
    CHECK(!RtlFreeHeap(Heap, 0, Foreign));
    CHECK(!RtlFreeHeap(Heap, 0, NTAPI_BAD_POINTER));
    CHECK(!RtlFreeHeap(Heap, 0, (PUCHAR)Heap + 0x80000)); /* reserved, never committed */
    CHECK_EQ(RtlSizeHeap(Heap, 0, Block + 16), (SIZE_T)-1);
    CHECK(!RtlValidateHeap(Heap, 0, Block + 16));
    /* Nothing was damaged. */
    CHECK(HeapTestIntact(Block, 64, 3));
    CHECK_EQ(RtlSizeHeap(Heap, 0, Block), 64);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK(RtlValidateHeap(Heap, 0, Block));
    CHECK(RtlFreeHeap(Heap, 0, Block));
    CHECK(RtlFreeHeap(Other, 0, Foreign));
out:
    RtlDestroyHeap(Heap);
    RtlDestroyHeap(Other);
}

TEST(heap, double_free_detected)
{
    PVOID Heap = HeapTestCreate(0), Block, Keep;

    if (!Heap)
        return;
    Keep = RtlAllocateHeap(Heap, 0, 40);
    Block = RtlAllocateHeap(Heap, 0, 40);
    CHECK(RtlFreeHeap(Heap, 0, Block));
    CHECK(!RtlFreeHeap(Heap, 0, Block));
    CHECK_EQ(RtlSizeHeap(Heap, 0, Block), (SIZE_T)-1);
    CHECK(RtlReAllocateHeap(Heap, 0, Block, 80) == NULL);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK(RtlFreeHeap(Heap, 0, Keep));
    CHECK(!RtlFreeHeap(Heap, 0, Keep));
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    RtlDestroyHeap(Heap);
}

TEST(heap, double_free_after_merge_detected)
{
    PVOID Heap = HeapTestCreate(0), A, B, C;

    if (!Heap)
        return;
    A = RtlAllocateHeap(Heap, 0, 100);
    B = RtlAllocateHeap(Heap, 0, 100);
    C = RtlAllocateHeap(Heap, 0, 100);
    CHECK(RtlFreeHeap(Heap, 0, B));
    CHECK(RtlFreeHeap(Heap, 0, A)); /* merges with B */
    CHECK(!RtlFreeHeap(Heap, 0, B));
    CHECK(!RtlFreeHeap(Heap, 0, A));
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK(RtlFreeHeap(Heap, 0, C));
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    RtlDestroyHeap(Heap);
}

TEST(heap, overrun_into_tail_detected)
{
    PVOID Heap = HeapTestCreate(0);
    PUCHAR Block;
    UCHAR Saved;

    if (!Heap)
        return;
    Block = RtlAllocateHeap(Heap, 0, 20); /* 12 unused bytes follow */
    CHECK(Block != NULL);
    if (!Block)
        goto out;
    Saved = Block[21];
    Block[21] = 0x55;
    CHECK(!RtlValidateHeap(Heap, 0, Block));
    CHECK(!RtlValidateHeap(Heap, 0, NULL));
    CHECK(!RtlFreeHeap(Heap, 0, Block));
    Block[21] = Saved; /* repaired, the block frees normally */
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK(RtlFreeHeap(Heap, 0, Block));
out:
    RtlDestroyHeap(Heap);
}

TEST(heap, overrun_into_next_header_detected)
{
    PVOID Heap = HeapTestCreate(0);
    PUCHAR A, B;
    UCHAR Saved[16];

    if (!Heap)
        return;
    A = RtlAllocateHeap(Heap, 0, 32);
    B = RtlAllocateHeap(Heap, 0, 32);
    CHECK(A && B);
    if (!A || !B)
        goto out;
    CHECK_EQ(B - A, 48); /* consecutive in a fresh heap: B's header follows A's data */
    if (B - A != 48)
        goto out;
    memcpy(Saved, A + 32, 16);
    memset(A + 32, 0x41, 16);
    CHECK(!RtlFreeHeap(Heap, 0, A));
    CHECK(!RtlFreeHeap(Heap, 0, B));
    CHECK(!RtlValidateHeap(Heap, 0, NULL));
    memcpy(A + 32, Saved, 16);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK(RtlFreeHeap(Heap, 0, B));
    CHECK(RtlFreeHeap(Heap, 0, A));
out:
    RtlDestroyHeap(Heap);
}

/* ---- reallocation ----------------------------------------------------------------------- */

TEST(heap, realloc_grows_and_keeps_contents)
{
    PVOID Heap = HeapTestCreate(0), Block, Blocker, Grown;

    if (!Heap)
        return;
    Block = RtlAllocateHeap(Heap, 0, 100);
    Blocker = RtlAllocateHeap(Heap, 0, 100); /* so it cannot grow in place */
    HeapTestFill(Block, 100, 9);
    Grown = RtlReAllocateHeap(Heap, 0, Block, 5000);
    CHECK(Grown != NULL);
    CHECK(Grown != Block);
    CHECK(Grown && HeapTestIntact(Grown, 100, 9));
    CHECK_EQ(RtlSizeHeap(Heap, 0, Grown), 5000);
    CHECK(!RtlFreeHeap(Heap, 0, Block)); /* the old block went */
    CHECK(RtlFreeHeap(Heap, 0, Grown));
    CHECK(RtlFreeHeap(Heap, 0, Blocker));
    RtlDestroyHeap(Heap);
}

TEST(heap, realloc_shrinks_in_place)
{
    PVOID Heap = HeapTestCreate(0), Block, Small, Next;

    if (!Heap)
        return;
    Block = RtlAllocateHeap(Heap, 0, 1000);
    HeapTestFill(Block, 1000, 5);
    Small = RtlReAllocateHeap(Heap, 0, Block, 100);
    CHECK_EQ(Small, Block);
    CHECK_EQ(RtlSizeHeap(Heap, 0, Small), 100);
    CHECK(HeapTestIntact(Small, 100, 5));
    Next = RtlAllocateHeap(Heap, 0, 800); /* the freed tail is reused */
    CHECK(Next != NULL);
    CHECK((PUCHAR)Next > (PUCHAR)Small && (PUCHAR)Next < (PUCHAR)Small + 1000);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    RtlDestroyHeap(Heap);
}

TEST(heap, realloc_in_place_only)
{
    PVOID Heap = HeapTestCreate(0), A, B, Result;

    if (!Heap)
        return;
    A = RtlAllocateHeap(Heap, 0, 64);
    B = RtlAllocateHeap(Heap, 0, 64);
    HeapTestFill(A, 64, 1);
    CHECK(RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 256) == NULL);
    CHECK_EQ(RtlSizeHeap(Heap, 0, A), 64);
    CHECK(HeapTestIntact(A, 64, 1));
    CHECK(RtlFreeHeap(Heap, 0, B)); /* now the space after A is free */
    Result = RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 256);
    CHECK_EQ(Result, A);
    CHECK_EQ(RtlSizeHeap(Heap, 0, A), 256);
    CHECK(HeapTestIntact(A, 64, 1));
    Result = RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 32);
    CHECK_EQ(Result, A);
    CHECK_EQ(RtlSizeHeap(Heap, 0, A), 32);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    RtlDestroyHeap(Heap);
}

TEST(heap, realloc_zero_memory_clears_growth)
{
    PVOID Heap = HeapTestCreate(0);
    PUCHAR Block, Grown;

    if (!Heap)
        return;
    Block = RtlAllocateHeap(Heap, 0, 16);
    memset(Block, 0xff, 16);
    Grown = RtlReAllocateHeap(Heap, HEAP_ZERO_MEMORY, Block, 3000);
    CHECK(Grown != NULL);
    if (Grown) {
        CHECK_EQ(Grown[15], 0xff);
        CHECK(HeapTestAllZero(Grown + 16, 3000 - 16));
    }
    RtlDestroyHeap(Heap);
}

TEST(heap, realloc_null_and_bad_pointers)
{
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap;
    UCHAR Local[32];

    CHECK(RtlReAllocateHeap(Heap, 0, NULL, 10) == NULL);
    CHECK(RtlReAllocateHeap(Heap, 0, Local, 10) == NULL);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
}

/* ---- walking and random use ------------------------------------------------------------- */

TEST(heap, walk_sees_every_block)
{
    PVOID Heap = HeapTestCreate(0), Blocks[3];
    RTL_HEAP_WALK_ENTRY Entry;
    ULONG Seen = 0, Segments = 0, Steps = 0, Index;
    NTSTATUS Status;

    if (!Heap)
        return;
    for (Index = 0; Index < 3; Index++)
        Blocks[Index] = RtlAllocateHeap(Heap, 0, 100 * (Index + 1));
    memset(&Entry, 0, sizeof(Entry));
    while ((Status = RtlWalkHeap(Heap, &Entry)) == STATUS_SUCCESS && Steps++ < 1000) {
        if (Steps == 1)
            CHECK(Entry.Flags & RTL_HEAP_SEGMENT);
        Segments += (Entry.Flags & RTL_HEAP_SEGMENT) != 0;
        for (Index = 0; Index < 3; Index++) {
            if (Entry.DataAddress == Blocks[Index]) {
                CHECK(Entry.Flags & RTL_HEAP_BUSY);
                CHECK_EQ(Entry.DataSize, 100 * (Index + 1));
                Seen++;
            }
        }
    }
    CHECK_STATUS(Status, STATUS_NO_MORE_ENTRIES);
    CHECK_EQ(Seen, 3);
    CHECK_EQ(Segments, 1);
    RtlDestroyHeap(Heap);
}

#define HEAPTEST_SLOTS 64

TEST(heap, random_operations_keep_contents)
{
    PVOID Heap = HeapTestCreate(0), Blocks[HEAPTEST_SLOTS] = {0};
    SIZE_T Sizes[HEAPTEST_SLOTS] = {0};
    ULONG Tags[HEAPTEST_SLOTS] = {0}, Round, Slot, Bad = 0;

    if (!Heap)
        return;
    HeapTestSeed = 0x1badb002;
    for (Round = 0; Round < 4000 && !Bad; Round++) {
        ULONG Choice = HeapTestRandom() % 8;
        SIZE_T Size = HeapTestRandom() % 2048;
        PVOID New;

        Slot = HeapTestRandom() % HEAPTEST_SLOTS;
        if (Choice == 7 && Round % 50 == 0)
            Size = 0x80000 + HeapTestRandom() % 0x10000; /* now and then a large one */
        if (Blocks[Slot] && !HeapTestIntact(Blocks[Slot], Sizes[Slot], Tags[Slot]))
            Bad++;
        if (Blocks[Slot] && Choice < 3) {
            Bad += !RtlFreeHeap(Heap, 0, Blocks[Slot]);
            Blocks[Slot] = NULL;
        } else if (Blocks[Slot] && Choice < 5) {
            New = RtlReAllocateHeap(Heap, 0, Blocks[Slot], Size);
            if (!New || !HeapTestIntact(New, Sizes[Slot] < Size ? Sizes[Slot] : Size, Tags[Slot]))
                Bad++;
            Blocks[Slot] = New;
        } else {
            if (Blocks[Slot])
                Bad += !RtlFreeHeap(Heap, 0, Blocks[Slot]);
            Blocks[Slot] = RtlAllocateHeap(Heap, 0, Size);
            Bad += Blocks[Slot] == NULL;
        }
        if (Blocks[Slot]) {
            Sizes[Slot] = Size;
            Tags[Slot] = Round;
            HeapTestFill(Blocks[Slot], Size, Round);
            Bad += RtlSizeHeap(Heap, 0, Blocks[Slot]) != Size;
            Bad += ((ULONG_PTR)Blocks[Slot] & 15) != 0;
        }
        if (Round % 500 == 0)
            Bad += !RtlValidateHeap(Heap, 0, NULL);
    }
    CHECK_EQ(Bad, 0);
    if (Bad)
        DbgPrint("    (round %u)\n", Round);
    for (Slot = 0; Slot < HEAPTEST_SLOTS; Slot++) {
        if (Blocks[Slot]) {
            CHECK(HeapTestIntact(Blocks[Slot], Sizes[Slot], Tags[Slot]));
            CHECK(RtlFreeHeap(Heap, 0, Blocks[Slot]));
        }
    }
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    RtlDestroyHeap(Heap);
}

TEST(heap, everything_freed_merges_back)
{
    PVOID Heap = HeapTestCreate(0), Blocks[100], Big;
    ULONG Index;

    if (!Heap)
        return;
    for (Index = 0; Index < 100; Index++)
        Blocks[Index] = RtlAllocateHeap(Heap, 0, 48 + Index);
    for (Index = 0; Index < 100; Index += 2)
        RtlFreeHeap(Heap, 0, Blocks[Index]);
    for (Index = 1; Index < 100; Index += 2)
        RtlFreeHeap(Heap, 0, Blocks[Index]);
    /* One free block again: a block as big as all of them fits where the first was. */
    Big = RtlAllocateHeap(Heap, 0, 100 * 64);
    CHECK_EQ(Big, Blocks[0]);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    RtlDestroyHeap(Heap);
}

/* ---- HEAP_GENERATE_EXCEPTIONS ------------------------------------------------------------- */

NTSYSAPI PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First, PVOID Handler);
NTSYSAPI ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);

static volatile ULONG HeapTestRaised;
static volatile ULONG_PTR HeapTestRaisedSize;

static LONG NTAPI HeapTestNoMemoryHandler(PEXCEPTION_POINTERS Pointers)
{
    if (Pointers->ExceptionRecord->ExceptionCode != STATUS_NO_MEMORY)
        return 0; /* EXCEPTION_CONTINUE_SEARCH */
    HeapTestRaised++;
    HeapTestRaisedSize = Pointers->ExceptionRecord->NumberParameters
                             ? Pointers->ExceptionRecord->ExceptionInformation[0]
                             : 0;
    return -1; /* EXCEPTION_CONTINUE_EXECUTION */
}

TEST(heap, generate_exceptions_raises_no_memory)
{
    PVOID Heap = RtlCreateHeap(0, NULL, 0x10000, 0x1000, NULL, NULL), Handler, Block;

    if (!CHECK(Heap != NULL))
        return;
    Handler = RtlAddVectoredExceptionHandler(1, (PVOID)HeapTestNoMemoryHandler);
    CHECK(Handler != NULL);
    HeapTestRaised = 0;
    CHECK(RtlAllocateHeap(Heap, HEAP_GENERATE_EXCEPTIONS, 0x40000) == NULL);
    CHECK_EQ(HeapTestRaised, 1);
    CHECK_EQ(HeapTestRaisedSize, 0x40000);
    CHECK(RtlAllocateHeap(Heap, 0, 0x40000) == NULL); /* without the flag: no exception */
    CHECK_EQ(HeapTestRaised, 1);
    Block = RtlAllocateHeap(Heap, HEAP_GENERATE_EXCEPTIONS, 64); /* success: no exception */
    CHECK(Block != NULL);
    CHECK(RtlReAllocateHeap(Heap, HEAP_GENERATE_EXCEPTIONS, Block, 0x40000) == NULL);
    CHECK_EQ(HeapTestRaised, 2);
    CHECK_EQ(RtlSizeHeap(Heap, 0, Block), 64);
    RtlRemoveVectoredExceptionHandler(Handler);
    RtlDestroyHeap(Heap);
}

/* ---- two threads on one heap -------------------------------------------------------------- */

typedef struct _HEAPTEST_WORKER {
    PVOID Heap;
    ULONG Seed;
    volatile ULONG Bad;
} HEAPTEST_WORKER;

/* Allocate, fill, yield now and then (so the other thread meets the heap
 * lock held), check and free; counts what went wrong. */
static VOID HeapTestChurn(HEAPTEST_WORKER *Work)
{
    PVOID Blocks[16] = {0};
    SIZE_T Sizes[16] = {0};
    ULONG Round, Slot;

    for (Round = 0; Round < 1500; Round++) {
        Slot = (Round * 7 + Work->Seed) % 16;
        if (Blocks[Slot]) {
            Work->Bad += !HeapTestIntact(Blocks[Slot], Sizes[Slot], Work->Seed + Slot);
            Work->Bad += !RtlFreeHeap(Work->Heap, 0, Blocks[Slot]);
        }
        Sizes[Slot] = 1 + (Round * 37 + Work->Seed) % 700;
        Blocks[Slot] = RtlAllocateHeap(Work->Heap, 0, Sizes[Slot]);
        if (!Blocks[Slot]) {
            Work->Bad++;
            continue;
        }
        HeapTestFill(Blocks[Slot], Sizes[Slot], Work->Seed + Slot);
        if (Round % 100 == 0)
            NtYieldExecution();
    }
    for (Slot = 0; Slot < 16; Slot++) {
        if (Blocks[Slot])
            Work->Bad += !RtlFreeHeap(Work->Heap, 0, Blocks[Slot]);
    }
}

static NTSTATUS NTAPI HeapTestWorkerThread(PVOID Parameter)
{
    HeapTestChurn(Parameter);
    return STATUS_SUCCESS;
}

TEST(heap, two_threads_share_a_heap)
{
    static HEAPTEST_WORKER Mine, Theirs;
    PVOID Heap = NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap;
    HANDLE Thread = NULL;

    Mine.Heap = Theirs.Heap = Heap;
    Mine.Seed = 3;
    Theirs.Seed = 11;
    Mine.Bad = Theirs.Bad = 0;
    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, 0x001fffff, NULL, NtCurrentProcess(),
                                       (PVOID)HeapTestWorkerThread, &Theirs, 0, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        return;
    HeapTestChurn(&Mine);
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, NULL), STATUS_SUCCESS);
    NtClose(Thread);
    CHECK_EQ(Mine.Bad, 0);
    CHECK_EQ(Theirs.Bad, 0);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
}
