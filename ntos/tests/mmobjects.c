/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of ntos's CSpace and kernel objects: the two-level CSpace,
 * slot allocation and reuse, growth past a level-2 CNode, objects of each
 * type, freeing and the return of a chunk's memory, the pool.
 */
#include "ktest.h"

KTEST(cspace_boot_caps_still_resolve)
{
    /* Boot caps keep their numbers under the new level-1 root. */
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadTCB), seL4_CapType_TCB);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadVSpace), seL4_CapType_PML4);
    CHECK_EQ(seL4_DebugCapIdentify(MmRootCNode), seL4_CapType_CNode);
    CHECK(MmRootCNode != seL4_CapInitThreadCNode);
}

KTEST(slot_allocate_free_reuse)
{
    seL4_CPtr a = MmAllocateSlot(), b = MmAllocateSlot();
    ULONG Free = MiFreeSlotCount();

    CHECK(a != seL4_CapNull && b != seL4_CapNull && a != b);
    CHECK_EQ(seL4_DebugCapIdentify(a), seL4_CapType_Null);
    MmFreeSlot(a);
    CHECK_EQ(MiFreeSlotCount(), Free + 1);
    MmFreeSlot(b);
    CHECK_EQ(MiFreeSlotCount(), Free + 2);
}

KTEST(slot_growth_beyond_one_cnode)
{
    static seL4_CPtr Slots[6000];
    bool HighSeen = false, Ok = true;
    seL4_CPtr Ep;

    for (ULONG i = 0; i < ARRAYSIZE(Slots); i++) {
        Slots[i] = MmAllocateSlot();
        Ok &= Slots[i] != seL4_CapNull;
        HighSeen |= (Slots[i] >> MI_L2_BITS) != 0;
    }
    CHECK(Ok);
    CHECK(HighSeen);
    /* An object in a level-2 CNode of our own is reachable at depth 64. */
    CHECK(NT_SUCCESS(MmAllocateObject(seL4_EndpointObject, 0, &Ep)));
    CHECK_EQ(seL4_DebugCapIdentify(Ep), seL4_CapType_Endpoint);
    MmFreeObject(Ep);
    for (ULONG i = 0; i < ARRAYSIZE(Slots); i++)
        MmFreeSlot(Slots[i]);
}

KTEST(object_types_allocate)
{
    static const struct {
        seL4_Word Type, Bits, Tag;
    } Cases[] = {
        {seL4_EndpointObject, 0, seL4_CapType_Endpoint},
        {seL4_NotificationObject, 0, seL4_CapType_Notification},
        {seL4_TCBObject, 0, seL4_CapType_TCB},
        {seL4_CapTableObject, 4, seL4_CapType_CNode},
        {seL4_X86_4K, 0, seL4_CapType_Frame},
        {seL4_X86_PageTableObject, 0, seL4_CapType_PageTable},
        {seL4_X64_PML4Object, 0, seL4_CapType_PML4},
        {seL4_UntypedObject, 12, seL4_CapType_Untyped},
    };

    for (ULONG i = 0; i < ARRAYSIZE(Cases); i++) {
        seL4_CPtr Slot;
        NTSTATUS Status = MmAllocateObject(Cases[i].Type, Cases[i].Bits, &Slot);
        if (!CHECK(NT_SUCCESS(Status)))
            continue;
        CHECK_EQ(seL4_DebugCapIdentify(Slot), Cases[i].Tag);
        MmFreeObject(Slot);
        CHECK_EQ(seL4_DebugCapIdentify(Slot), seL4_CapType_Null);
    }
}

KTEST(object_bad_type_is_refused)
{
    seL4_CPtr Slot = 1;
    ULONG Free = MiFreeSlotCount();

    CHECK(!NT_SUCCESS(MmAllocateObject(99, 0, &Slot)));
    CHECK_EQ(Slot, seL4_CapNull);
    CHECK(!NT_SUCCESS(MmAllocateObject(seL4_UntypedObject, 60, &Slot)));
    CHECK_EQ(MiFreeSlotCount(), Free); /* no slot leaked */
}

static void MiTestFramesRound(seL4_CPtr *Frames, ULONG Count, bool Free)
{
    for (ULONG i = 0; i < Count; i++)
        CHECK(NT_SUCCESS(MmAllocateObject(seL4_X86_4K, 0, &Frames[i])));
    for (ULONG i = 0; Free && i < Count; i++)
        MmFreeObject(Frames[i]);
}

KTEST(object_memory_comes_back)
{
    static seL4_CPtr Frames[600];
    ULONG Chunks;

    /* 600 frames fill more than two 1 MiB chunks; freed, the same chunks
     * serve the next 600 without cutting new ones. The first round may
     * start in a chunk that other live frames keep (its holes are not
     * reused, untyped.c), so the rounds compared are the second and third.
     * Only frame chunks are counted: the slot allocator may cut a chunk for
     * a new CNode meanwhile. */
    MiTestFramesRound(Frames, ARRAYSIZE(Frames), true);
    MiTestFramesRound(Frames, ARRAYSIZE(Frames), false);
    Chunks = MiChunksServing(seL4_PageBits);
    for (ULONG i = 0; i < ARRAYSIZE(Frames); i++)
        MmFreeObject(Frames[i]);
    MiTestFramesRound(Frames, ARRAYSIZE(Frames), false);
    CHECK_EQ(MiChunksServing(seL4_PageBits), Chunks);
    for (ULONG i = 0; i < ARRAYSIZE(Frames); i++)
        MmFreeObject(Frames[i]);
}

KTEST(object_free_revokes_derived_caps)
{
    seL4_CPtr Ep, Badged = MmAllocateSlot();

    CHECK(NT_SUCCESS(MmAllocateObject(seL4_EndpointObject, 0, &Ep)));
    CHECK_EQ(seL4_CNode_Mint(MmRootCNode, Badged, MM_CPTR_DEPTH, MmRootCNode, Ep, MM_CPTR_DEPTH,
                             seL4_AllRights, 42),
             seL4_NoError);
    MmFreeObject(Ep);
    CHECK_EQ(seL4_DebugCapIdentify(Badged), seL4_CapType_Null);
    MmFreeSlot(Badged);
}

KTEST(pool_sizes_and_reuse)
{
    static const SIZE_T Sizes[] = {1, 16, 17, 100, 1000, 2032, 2033, 4096, 5000, 70000};
    void *Blocks[ARRAYSIZE(Sizes)];

    for (ULONG i = 0; i < ARRAYSIZE(Sizes); i++) {
        Blocks[i] = ExAllocatePoolWithTag(Sizes[i], MI_TAG);
        if (!CHECK(Blocks[i] != NULL))
            return;
        CHECK_EQ((ULONG_PTR)Blocks[i] & 15, 0);
        bool Zero = true;
        for (SIZE_T b = 0; b < Sizes[i]; b++)
            Zero &= ((UCHAR *)Blocks[i])[b] == 0;
        CHECK(Zero);
        memset(Blocks[i], 0xa5, Sizes[i]);
    }
    for (ULONG i = 0; i < ARRAYSIZE(Sizes); i++)
        ExFreePoolWithTag(Blocks[i], MI_TAG);
    /* A freed block of a class comes back first. */
    void *Again = ExAllocatePoolWithTag(1000, MI_TAG);
    CHECK(Again == Blocks[4]);
    CHECK_EQ(((UCHAR *)Again)[10], 0);
    ExFreePool(Again);
    CHECK(ExAllocatePoolWithTag(0, MI_TAG) == NULL);
    CHECK(ExAllocatePoolWithTag((SIZE_T)-8, MI_TAG) == NULL);
}
