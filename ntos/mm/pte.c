/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The software page table of an address space and its seL4 mirror. ntos
 * never reads hardware page tables: a four-level radix tree in the pool
 * (like x86's, 512 entries a level) records each user page's MMPFN, its
 * protection, whether it is committed, and the frame cap copy that maps it.
 * Each node also holds the cap of the seL4 paging structure (PDPT, PD, PT)
 * that covers the same span; these are created when a page below is first
 * mapped and belong to the address space, which frees them when it goes.
 */
#include "mi.h"

static ULONG MiIndex(ULONG_PTR Va, int Shift)
{
    return (ULONG)(Va >> Shift) & (MI_TABLE_ENTRIES - 1);
}

/* The nodes on the path to Va: [0] level 3, [1] level 2, [2] the leaf. */
static bool MiWalk(MMADDRESS_SPACE *Space, ULONG_PTR Va, bool Create, void *Nodes[3])
{
    static const int Shifts[3] = {39, 30, 21};
    MI_TABLE *Table = Space->Root;

    for (int Level = 0; Level < 3; Level++) {
        void **Slot = &Table->Entries[MiIndex(Va, Shifts[Level])];
        if (*Slot == NULL) {
            if (!Create)
                return false;
            *Slot = ExAllocatePoolWithTag(Level == 2 ? sizeof(MI_LEAF) : sizeof(MI_TABLE),
                                          MI_TABLE_TAG);
            if (*Slot == NULL)
                return false;
            Table->Used++;
        }
        Nodes[Level] = *Slot;
        Table = *Slot;
    }
    return true;
}

MMPTE *MiGetPte(MMADDRESS_SPACE *Space, ULONG_PTR Va, bool Create)
{
    void *Nodes[3];

    if (!MiWalk(Space, Va, Create, Nodes))
        return NULL;
    return &((MI_LEAF *)Nodes[2])->Pte[MiIndex(Va, 12)];
}

/* Create the seL4 structure that the failed map reported missing (MR2). */
static NTSTATUS MiMapUserTable(MMADDRESS_SPACE *Space, ULONG_PTR Va, void *Nodes[3])
{
    seL4_Word Bits = seL4_GetMR(2);
    int Level = Bits == 39 ? 0 : Bits == 30 ? 1 : 2;
    static const seL4_Word Types[3] = {seL4_X86_PDPTObject, seL4_X86_PageDirectoryObject,
                                       seL4_X86_PageTableObject};
    seL4_CPtr *Cap = Level == 2 ? &((MI_LEAF *)Nodes[2])->Cap : &((MI_TABLE *)Nodes[Level])->Cap;
    seL4_CPtr *Untyped =
        Level == 2 ? &((MI_LEAF *)Nodes[2])->Untyped : &((MI_TABLE *)Nodes[Level])->Untyped;
    seL4_Error Error;
    NTSTATUS Status;

    ASSERT(*Cap == seL4_CapNull); /* seL4 and the software tree disagree */
    Status = MiAllocatePagingObject(Types[Level], Cap, Untyped);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Level == 0)
        Error = seL4_X86_PDPT_Map(*Cap, Space->Pml4, Va, seL4_X86_Default_VMAttributes);
    else if (Level == 1)
        Error = seL4_X86_PageDirectory_Map(*Cap, Space->Pml4, Va, seL4_X86_Default_VMAttributes);
    else
        Error = seL4_X86_PageTable_Map(*Cap, Space->Pml4, Va, seL4_X86_Default_VMAttributes);
    ASSERT(Error == seL4_NoError);
    return STATUS_SUCCESS;
}

/* hal: PAGE_NOCACHE / PAGE_WRITECOMBINE as the mapping's memory type
 * (device memory a driver maps with MmNonCached / MmWriteCombined). */
static seL4_X86_VMAttributes MiPteAttributes(const MMPTE *Pte)
{
    if (Pte->Protect & PAGE_NOCACHE)
        return seL4_X86_CacheDisabled;
    if (Pte->Protect & PAGE_WRITECOMBINE)
        return seL4_X86_WriteCombining;
    return seL4_X86_Default_VMAttributes;
}

static NTSTATUS MiMapFrame(MMADDRESS_SPACE *Space, ULONG_PTR Va, MMPTE *Pte, void *Nodes[3])
{
    for (int Try = 0; Try < 4; Try++) {
        seL4_Error Error =
            seL4_X86_Page_Map(Pte->MapCap, Space->Pml4, Va, MiPteRights(Pte), MiPteAttributes(Pte));
        if (Error == seL4_NoError)
            return STATUS_SUCCESS;
        ASSERT(Error == seL4_FailedLookup);
        NTSTATUS Status = MiMapUserTable(Space, Va, Nodes);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    KeBugCheck("mm: user paging structures for %p do not stick", (void *)Va);
}

NTSTATUS MiMapPte(MMADDRESS_SPACE *Space, ULONG_PTR Va, MMPTE *Pte)
{
    void *Nodes[3];
    seL4_CPtr Copy;
    NTSTATUS Status;

    ASSERT(Pte->Pfn != NULL);
    if (!MiProtectionAllows(Pte->Protect, false))
        return STATUS_SUCCESS; /* inaccessible: recorded, not mapped */
    if (!MiWalk(Space, Va, false, Nodes))
        KeBugCheck("mm: no software table for a PTE at %p", (void *)Va);
    if (Pte->MapCap == 0) {
        Copy = MmAllocateSlot();
        if (Copy == seL4_CapNull)
            return STATUS_INSUFFICIENT_RESOURCES;
        if (seL4_CNode_Copy(MmRootCNode, Copy, MM_CPTR_DEPTH, MmRootCNode, Pte->Pfn->Frame,
                            MM_CPTR_DEPTH, seL4_AllRights) != seL4_NoError)
            KeBugCheck("mm: cannot copy frame cap %lx", (unsigned long)Pte->Pfn->Frame);
        Pte->MapCap = (uint32_t)Copy;
        Pte->Pfn->MapCount++;
    }
    Status = MiMapFrame(Space, Va, Pte, Nodes);
    if (!NT_SUCCESS(Status)) {
        seL4_CNode_Delete(MmRootCNode, Pte->MapCap, MM_CPTR_DEPTH);
        MmFreeSlot(Pte->MapCap);
        Pte->MapCap = 0;
        Pte->Pfn->MapCount--;
    }
    return Status;
}

void MiClearPte(MMADDRESS_SPACE *Space, MMPTE *Pte)
{
    if (Pte->Flags & MI_PTE_COMMITTED)
        MiChargeCommit(Space, -1);
    if (Pte->Pfn != NULL)
        MiChargeResident(Space, -1);
    if (Pte->MapCap != 0) {
        /* Deleting the mapping's cap unmaps the page. */
        seL4_CNode_Delete(MmRootCNode, Pte->MapCap, MM_CPTR_DEPTH);
        MmFreeSlot(Pte->MapCap);
        Pte->Pfn->MapCount--;
    }
    if (Pte->Pfn != NULL)
        MmDereferencePage(Pte->Pfn);
    *Pte = (MMPTE){0};
}

/* One walk per 2 MiB rather than per page: a released stack reservation is
 * hundreds of pages, most of them never had a table. */
void MiClearRange(MMADDRESS_SPACE *Space, ULONG_PTR Start, ULONG_PTR End)
{
    const ULONG_PTR LeafSpan = (ULONG_PTR)MI_TABLE_ENTRIES << PAGE_SHIFT;
    void *Nodes[3];

    for (ULONG_PTR Va = Start; Va < End;) {
        ULONG_PTR Next = (Va | (LeafSpan - 1)) + 1;
        if (Next > End || Next == 0)
            Next = End;
        if (MiWalk(Space, Va, false, Nodes)) {
            MI_LEAF *Leaf = Nodes[2];
            for (ULONG_PTR Page = Va; Page < Next; Page += PAGE_SIZE)
                MiClearPte(Space, &Leaf->Pte[MiIndex(Page, 12)]);
        }
        Va = Next;
    }
}

static void MiFreeLeaf(MMADDRESS_SPACE *Space, MI_LEAF *Leaf)
{
    for (ULONG i = 0; i < MI_TABLE_ENTRIES; i++)
        MiClearPte(Space, &Leaf->Pte[i]);
    MiFreePagingObject(&Leaf->Cap, &Leaf->Untyped); /* unmaps the page table; no-op for 0 */
    ExFreePoolWithTag(Leaf, MI_TABLE_TAG);
}

/* Free a level-3 (Level 0) or level-2 (Level 1) node with everything below. */
static void MiFreeTable(MMADDRESS_SPACE *Space, MI_TABLE *Table, int Level)
{
    for (ULONG i = 0; i < MI_TABLE_ENTRIES; i++) {
        if (Table->Entries[i] == NULL)
            continue;
        if (Level == 1)
            MiFreeLeaf(Space, Table->Entries[i]);
        else
            MiFreeTable(Space, Table->Entries[i], Level + 1);
    }
    MiFreePagingObject(&Table->Cap, &Table->Untyped);
    ExFreePoolWithTag(Table, MI_TABLE_TAG);
}

void MiDeletePageTables(MMADDRESS_SPACE *Space)
{
    for (ULONG i = 0; i < MI_TABLE_ENTRIES; i++)
        if (Space->Root->Entries[i] != NULL)
            MiFreeTable(Space, Space->Root->Entries[i], 0);
    ExFreePoolWithTag(Space->Root, MI_TABLE_TAG);
    Space->Root = NULL;
}
