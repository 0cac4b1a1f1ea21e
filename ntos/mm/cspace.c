/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntos's CSpace and its slot allocator. At boot the 4096-slot root CNode
 * is replaced as CSpace root by a two-level CSpace: a level-1 CNode of 2^10
 * slots (guard 42 bits, value 0) whose slot 0 holds the original root CNode
 * (radix 12, no guard), so every boot cap keeps its number. Level-2 CNodes
 * of 2^12 slots are added in the free level-1 slots on demand; a cptr is
 * (l1 << 12) | l2 and is always resolved with depth 64 from MmRootCNode.
 *
 * Each level-2 CNode has a record: a bitmap of used slots and, per slot,
 * what MmFreeObject needs to know (MI_SLOT_INFO). A reserve of free slots
 * is kept so that growing (which allocates a CNode and pool memory, both of
 * which take slots) never runs dry in the middle.
 */
#include "mi.h"

#define MI_SLOT_RESERVE 128

typedef struct _MI_CNODE {
    ULONG FreeCount;
    ULONG Hint;
    uint64_t Used[MI_L2_SLOTS / 64];
    MI_SLOT_INFO Info[MI_L2_SLOTS];
} MI_CNODE;

seL4_CPtr MmRootCNode;
static MI_CNODE MiBootCNode; /* level-1 slot 0: the original root CNode */
static MI_CNODE *MiCNodes[1u << MI_L1_BITS];
static ULONG MiTotalFree;
static ULONG MiCNodeHint;
static bool MiGrowing;

static void MiMarkSlot(MI_CNODE *Node, ULONG Index, bool Used)
{
    uint64_t Bit = 1ull << (Index % 64);

    if (Used) {
        ASSERT(!(Node->Used[Index / 64] & Bit));
        Node->Used[Index / 64] |= Bit;
        Node->FreeCount--;
        MiTotalFree--;
    } else {
        ASSERT(Node->Used[Index / 64] & Bit); /* double free of a slot */
        Node->Used[Index / 64] &= ~Bit;
        Node->FreeCount++;
        MiTotalFree++;
    }
}

static void MiRecordCNode(ULONG L1, MI_CNODE *Node, seL4_CPtr FirstFree, seL4_CPtr EndFree)
{
    memset(Node->Used, 0xff, sizeof(Node->Used));
    for (ULONG i = 0; i < MI_L2_SLOTS; i++)
        Node->Info[i] = (MI_SLOT_INFO){.Type = 0xff, .Chunk = MI_NO_CHUNK};
    Node->FreeCount = 0;
    MiCNodes[L1] = Node;
    for (seL4_CPtr s = FirstFree; s < EndFree; s++) {
        Node->Used[s / 64] &= ~(1ull << (s % 64));
        Node->FreeCount++;
        MiTotalFree++;
    }
    Node->Hint = (ULONG)FirstFree;
}

static void MiBootFail(const char *What, seL4_Error Error)
{
    KeBugCheck("mm: building the CSpace: %s failed (seL4 error %d)", What, (int)Error);
}

/*
 * Build the level-1 CNode in two boot slots, put the root CNode (guard
 * removed) in its slot 0, and make it the CSpace root of ntos's thread.
 */
void MiInitializeCSpace(seL4_BootInfo *BootInfo)
{
    seL4_CPtr L1 = BootInfo->empty.start, L1Guarded = L1 + 1;
    seL4_CNode_CapData_t Guard = seL4_CNode_CapData_new(0, MI_L1_GUARD_BITS);
    USHORT Chunk;
    seL4_Error Error;

    MmRootCNode = seL4_CapInitThreadCNode; /* until the switch below */
    MiRecordCNode(0, &MiBootCNode, BootInfo->empty.start + 2, BootInfo->empty.end);
    MI_DEST Dest = {.Root = seL4_CapInitThreadCNode, .Offset = L1};

    if (!NT_SUCCESS(MiRetypeInto(seL4_CapTableObject, MI_L1_BITS, &Dest, &Chunk)))
        MiBootFail("retype of the level-1 CNode", seL4_NotEnoughMemory);
    Error = seL4_CNode_Mint(L1, 0, MI_L1_BITS, seL4_CapInitThreadCNode, seL4_CapInitThreadCNode,
                            seL4_WordBits, seL4_AllRights, 0);
    if (Error != seL4_NoError)
        MiBootFail("mint of the root CNode into level 1", Error);
    Error =
        seL4_CNode_Mint(seL4_CapInitThreadCNode, L1Guarded, seL4_WordBits, seL4_CapInitThreadCNode,
                        L1, seL4_WordBits, seL4_AllRights, Guard.words[0]);
    if (Error != seL4_NoError)
        MiBootFail("mint of the guarded level-1 cap", Error);
    Error = seL4_TCB_SetSpace(seL4_CapInitThreadTCB, 0, L1Guarded, 0, seL4_CapInitThreadVSpace, 0);
    if (Error != seL4_NoError)
        MiBootFail("TCB_SetSpace", Error);
    MmRootCNode = L1Guarded;
}

MI_SLOT_INFO *MiSlotInfo(seL4_CPtr Slot)
{
    MI_CNODE *Node =
        (Slot >> MI_L2_BITS) < ARRAYSIZE(MiCNodes) ? MiCNodes[Slot >> MI_L2_BITS] : NULL;

    ASSERT(Node != NULL);
    return &Node->Info[Slot & (MI_L2_SLOTS - 1)];
}

ULONG MiFreeSlotCount(void)
{
    return MiTotalFree;
}

static seL4_CPtr MiTakeSlot(ULONG L1, MI_CNODE *Node)
{
    for (ULONG n = 0; n < MI_L2_SLOTS / 64; n++) {
        ULONG Word = (Node->Hint / 64 + n) % (MI_L2_SLOTS / 64);
        uint64_t Free = ~Node->Used[Word];
        if (Free == 0)
            continue;
        ULONG Index = Word * 64 + (ULONG)__builtin_ctzll(Free);
        MiMarkSlot(Node, Index, true);
        Node->Hint = Index;
        Node->Info[Index] = (MI_SLOT_INFO){.Type = 0xff, .Chunk = MI_NO_CHUNK};
        return ((seL4_CPtr)L1 << MI_L2_BITS) | Index;
    }
    KeBugCheck("mm: level-2 CNode %u claims %u free slots but has none", L1, Node->FreeCount);
}

seL4_CPtr MmAllocateSlot(void)
{
    if (MiTotalFree < MI_SLOT_RESERVE && !MiGrowing)
        MiReplenishSlots();
    for (ULONG n = 0; n < ARRAYSIZE(MiCNodes); n++) {
        ULONG L1 = (MiCNodeHint + n) % ARRAYSIZE(MiCNodes);
        if (MiCNodes[L1] && MiCNodes[L1]->FreeCount > 0) {
            MiCNodeHint = L1;
            return MiTakeSlot(L1, MiCNodes[L1]);
        }
    }
    return seL4_CapNull;
}

void MmFreeSlot(seL4_CPtr Slot)
{
    ULONG L1 = (ULONG)(Slot >> MI_L2_BITS);

    if (Slot == seL4_CapNull)
        return;
    ASSERT(L1 < ARRAYSIZE(MiCNodes) && MiCNodes[L1] != NULL);
    MiMarkSlot(MiCNodes[L1], (ULONG)(Slot & (MI_L2_SLOTS - 1)), false);
}

/* Add one level-2 CNode in the first free level-1 slot. */
void MiReplenishSlots(void)
{
    MI_CNODE *Node;
    USHORT Chunk;
    ULONG L1;

    for (L1 = 1; L1 < ARRAYSIZE(MiCNodes) && MiCNodes[L1]; L1++)
        ;
    if (L1 == ARRAYSIZE(MiCNodes))
        return; /* the CSpace is full: allocations fail once the reserve is gone */
    MiGrowing = true;
    Node = ExAllocatePoolWithTag(sizeof(*Node), MI_TAG);
    MI_DEST Dest = {.Root = MmRootCNode, .Offset = L1};

    if (Node && !NT_SUCCESS(MiRetypeInto(seL4_CapTableObject, MI_L2_BITS, &Dest, &Chunk))) {
        ExFreePoolWithTag(Node, MI_TAG);
        Node = NULL;
    }
    if (Node)
        MiRecordCNode(L1, Node, 0, MI_L2_SLOTS);
    MiGrowing = false;
}
