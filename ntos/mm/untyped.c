/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel objects from untyped memory. The RAM untypeds of the bootinfo are
 * cut, on demand, into chunks: untyped children of 2^20 bytes (a smaller
 * boot untyped is a chunk by itself). A chunk serves objects of a single
 * size, so its objects are packed without padding and the count of objects
 * retyped from it says exactly how full it is. Each object's slot records
 * its chunk; MmFreeObject revokes and deletes the cap and decrements the
 * chunk's live count. A chunk whose objects are all gone has no children,
 * and seL4 then restarts its watermark at 0 (sel4-abi.md §10 rule 9): the
 * memory comes back whole. Objects larger than a chunk come straight from
 * the boot untypeds and are never reclaimed (FIXME: fine for ntos's own
 * large objects, the only ones today). Holes in a chunk whose other objects
 * live on are not reused: memory returns a chunk at a time.
 */
#include "mi.h"

#define MI_CHUNK_BITS   20
#define MI_MAX_UNTYPEDS 256
#define MI_MAX_CHUNKS   4096 /* 4 GiB of RAM in 1 MiB chunks */

typedef struct _MI_UNTYPED {
    seL4_CPtr Cap;
    seL4_Word Paddr;
    seL4_Word Used; /* bytes retyped from it (alignment padding not counted) */
    UCHAR SizeBits;
    bool Exhausted; /* no chunk-sized room left */
} MI_UNTYPED;

typedef struct _MI_CHUNK {
    seL4_CPtr Cap;
    UCHAR SizeBits;
    UCHAR ObjectBits; /* size of the objects it serves; 0 = unassigned */
    ULONG Retyped;    /* objects since the watermark last restarted */
    ULONG Live;       /* objects whose caps still exist */
    bool PaddrKnown;  /* Paddr learnt from a frame retyped from it */
    seL4_Word Paddr;  /* where its memory starts */
} MI_CHUNK;

static MI_UNTYPED MiUntypeds[MI_MAX_UNTYPEDS];
static ULONG MiUntypedCount;
static MI_CHUNK MiChunks[MI_MAX_CHUNKS];
static ULONG MiChunkCount;
static MI_CHUNK *MiLastChunk[MI_CHUNK_BITS + 1]; /* by object size: where the last one came from */
static seL4_Word MiRamEnd;
static ULONGLONG MiRamBytes;

void MiInitializeUntypeds(seL4_BootInfo *BootInfo)
{
    seL4_Word Count = BootInfo->untyped.end - BootInfo->untyped.start;

    for (seL4_Word i = 0; i < Count && MiUntypedCount < MI_MAX_UNTYPEDS; i++) {
        const seL4_UntypedDesc *Desc = &BootInfo->untypedList[i];
        seL4_Word End = Desc->paddr + (1ull << Desc->sizeBits);
        if (Desc->isDevice)
            continue; /* FIXME: device memory for drivers (io/) */
        MiRamBytes += 1ull << Desc->sizeBits;
        if (Desc->sizeBits <= MI_CHUNK_BITS && MiChunkCount < MI_MAX_CHUNKS) {
            MiChunks[MiChunkCount++] =
                (MI_CHUNK){.Cap = BootInfo->untyped.start + i, .SizeBits = Desc->sizeBits};
        } else {
            MiUntypeds[MiUntypedCount++] = (MI_UNTYPED){
                .Cap = BootInfo->untyped.start + i,
                .Paddr = Desc->paddr,
                .SizeBits = Desc->sizeBits,
            };
        }
        if (End > MiRamEnd)
            MiRamEnd = End;
    }
}

seL4_Word MiHighestRam(void)
{
    return MiRamEnd;
}

seL4_Word MiObjectSizeBits(seL4_Word Type, seL4_Word SizeBits)
{
    switch (Type) {
    case seL4_UntypedObject:
        return SizeBits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return SizeBits + seL4_SlotBits;
    case seL4_X86_4K:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_PageTableObject:
        return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject:
        return seL4_PageDirBits;
    case seL4_X86_PDPTObject:
        return seL4_PDPTBits;
    case seL4_X64_PML4Object:
        return seL4_PML4Bits;
    default:
        return 0;
    }
}

/* Retype from a boot untyped straight into (Node, Offset); no chunk. */
static NTSTATUS MiRetypeFromBoot(seL4_Word Type, seL4_Word SizeBits, const MI_DEST *Dest)
{
    seL4_Word Need = MiObjectSizeBits(Type, SizeBits);

    for (ULONG i = 0; i < MiUntypedCount; i++) {
        MI_UNTYPED *Ut = &MiUntypeds[i];
        if (Ut->Exhausted || Ut->SizeBits < Need)
            continue;
        seL4_Error Error = seL4_Untyped_Retype(Ut->Cap, Type, SizeBits, Dest->Root, Dest->Index,
                                               Dest->Depth, Dest->Offset, 1);
        if (Error == seL4_NoError) {
            Ut->Used += 1ull << Need;
            return STATUS_SUCCESS;
        }
        if (Error != seL4_NotEnoughMemory)
            return STATUS_INVALID_PARAMETER;
        if (seL4_GetMR(0) < (1ull << MI_CHUNK_BITS))
            Ut->Exhausted = true;
    }
    return STATUS_INSUFFICIENT_RESOURCES;
}

/* A new chunk cut from the boot untypeds, or NULL. */
static MI_CHUNK *MiNewChunk(void)
{
    seL4_CPtr Slot;
    MI_CHUNK *Chunk;

    if (MiChunkCount == MI_MAX_CHUNKS || (Slot = MmAllocateSlot()) == seL4_CapNull)
        return NULL;
    MI_DEST Dest = MiSlotDest(Slot);

    if (!NT_SUCCESS(MiRetypeFromBoot(seL4_UntypedObject, MI_CHUNK_BITS, &Dest))) {
        MmFreeSlot(Slot);
        return NULL;
    }
    Chunk = &MiChunks[MiChunkCount++];
    *Chunk = (MI_CHUNK){.Cap = Slot, .SizeBits = MI_CHUNK_BITS};
    return Chunk;
}

static bool MiChunkHasRoom(MI_CHUNK *Chunk, seL4_Word Need)
{
    if (Chunk->SizeBits < Need)
        return false;
    if (Chunk->Live == 0) {
        /* No children: the next retype restarts the watermark. */
        Chunk->Retyped = 0;
        Chunk->ObjectBits = (UCHAR)Need;
        return true;
    }
    return Chunk->ObjectBits == Need &&
           ((seL4_Word)Chunk->Retyped + 1) << Need <= (1ull << Chunk->SizeBits);
}

static MI_CHUNK *MiFindChunk(seL4_Word Need)
{
    MI_CHUNK *Last = MiLastChunk[Need];

    /* The chunk of the last object of this size usually has room still;
     * otherwise prefer a chunk already serving this size, then an empty one. */
    if (Last != NULL && Last->Live > 0 && MiChunkHasRoom(Last, Need))
        return Last;
    for (ULONG i = 0; i < MiChunkCount; i++)
        if (MiChunks[i].Live > 0 && MiChunkHasRoom(&MiChunks[i], Need))
            return &MiChunks[i];
    for (ULONG i = 0; i < MiChunkCount; i++)
        if (MiChunks[i].Live == 0 && MiChunkHasRoom(&MiChunks[i], Need))
            return &MiChunks[i];
    return Need <= MI_CHUNK_BITS ? MiNewChunk() : NULL;
}

NTSTATUS MiRetypeInto(seL4_Word Type, seL4_Word SizeBits, const MI_DEST *Dest, USHORT *ChunkIndex)
{
    seL4_Word Need = MiObjectSizeBits(Type, SizeBits);
    MI_CHUNK *Chunk;
    seL4_Error Error;

    *ChunkIndex = MI_NO_CHUNK;
    if (Need == 0 || Need > 47)
        return STATUS_INVALID_PARAMETER;
    if (Need > MI_CHUNK_BITS)
        return MiRetypeFromBoot(Type, SizeBits, Dest);
    Chunk = MiFindChunk(Need);
    if (Chunk == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (Chunk->Live == 0)
        Chunk->ObjectBits = (UCHAR)Need;
    Error = seL4_Untyped_Retype(Chunk->Cap, Type, SizeBits, Dest->Root, Dest->Index, Dest->Depth,
                                Dest->Offset, 1);
    if (Error != seL4_NoError)
        return Error == seL4_NotEnoughMemory ? STATUS_INSUFFICIENT_RESOURCES
                                             : STATUS_INVALID_PARAMETER;
    Chunk->Retyped++;
    Chunk->Live++;
    MiLastChunk[Need] = Chunk;
    *ChunkIndex = (USHORT)(Chunk - MiChunks);
    return STATUS_SUCCESS;
}

/* A chunk packs its objects from its start in the order they are retyped
 * (one size, no padding), so the newest frame lies at Paddr + (Retyped - 1)
 * pages: only a chunk's first frame costs a GetAddress call. */
seL4_Word MiNewFrameAddress(seL4_CPtr Slot)
{
    USHORT Index = MiSlotInfo(Slot)->Chunk;
    MI_CHUNK *Chunk = Index == MI_NO_CHUNK ? NULL : &MiChunks[Index];
    seL4_Word Offset = Chunk ? (seL4_Word)(Chunk->Retyped - 1) << seL4_PageBits : 0;
    seL4_X86_Page_GetAddress_t Address;

    ASSERT(Chunk == NULL || (Chunk->ObjectBits == seL4_PageBits && Chunk->Retyped > 0));
    if (Chunk && Chunk->PaddrKnown)
        return Chunk->Paddr + Offset;
    Address = seL4_X86_Page_GetAddress(Slot);
    ASSERT(Address.error == seL4_NoError);
    if (Chunk) {
        Chunk->Paddr = Address.paddr - Offset;
        Chunk->PaddrKnown = true;
    }
    return Address.paddr;
}

void MiReleaseChunkObject(USHORT ChunkIndex)
{
    if (ChunkIndex == MI_NO_CHUNK)
        return;
    ASSERT(ChunkIndex < MiChunkCount && MiChunks[ChunkIndex].Live > 0);
    MiChunks[ChunkIndex].Live--;
}

NTSTATUS MmAllocateObject(seL4_Word Type, seL4_Word SizeBits, seL4_CPtr *Slot)
{
    seL4_CPtr Dest = MmAllocateSlot();
    MI_SLOT_INFO *Info;
    USHORT Chunk;
    NTSTATUS Status;

    *Slot = seL4_CapNull;
    if (Dest == seL4_CapNull)
        return STATUS_INSUFFICIENT_RESOURCES;
    MI_DEST Where = MiSlotDest(Dest);

    Status = MiRetypeInto(Type, SizeBits, &Where, &Chunk);
    if (!NT_SUCCESS(Status)) {
        MmFreeSlot(Dest);
        return Status;
    }
    Info = MiSlotInfo(Dest);
    *Info = (MI_SLOT_INFO){.Type = (UCHAR)Type, .SizeBits = (UCHAR)SizeBits, .Chunk = Chunk};
    *Slot = Dest;
    return STATUS_SUCCESS;
}

/* Where Retype puts a cap for ntos slot Slot: the level-2 CNode, found
 * from the level-1 root with depth 52 (guard 42 + 10 index bits). */
MI_DEST MiSlotDest(seL4_CPtr Slot)
{
    if (MmRootCNode == seL4_CapInitThreadCNode) /* still the one-level boot CSpace */
        return (MI_DEST){.Root = MmRootCNode, .Offset = Slot};
    return (MI_DEST){
        .Root = MmRootCNode,
        .Index = Slot >> MI_L2_BITS,
        .Depth = MI_L1_GUARD_BITS + MI_L1_BITS,
        .Offset = Slot & (MI_L2_SLOTS - 1),
    };
}

void MmFreeObject(seL4_CPtr Slot)
{
    MI_SLOT_INFO *Info;

    if (Slot == seL4_CapNull)
        return;
    Info = MiSlotInfo(Slot);
    ASSERT(Info->Type != 0xff); /* not an object of MmAllocateObject */
    /* Derived caps (badged endpoints, mapping copies) go first, then the
     * object itself: its chunk loses a child. */
    seL4_CNode_Revoke(MmRootCNode, Slot, MM_CPTR_DEPTH);
    seL4_CNode_Delete(MmRootCNode, Slot, MM_CPTR_DEPTH);
    MiReleaseChunkObject(Info->Chunk);
    MmFreeSlot(Slot);
}

ULONG MiChunkTotal(void)
{
    return MiChunkCount;
}

ULONG MiChunksServing(UCHAR ObjectBits)
{
    ULONG n = 0;
    for (ULONG i = 0; i < MiChunkCount; i++)
        n += MiChunks[i].ObjectBits == ObjectBits;
    return n;
}

ULONG MiLiveObjectCount(void)
{
    ULONG n = 0;
    for (ULONG i = 0; i < MiChunkCount; i++)
        n += MiChunks[i].Live;
    return n;
}

ULONGLONG MiRamPages(void)
{
    return MiRamBytes >> PAGE_SHIFT;
}

/* Room for new frames: empty chunks, the rest of chunks serving pages,
 * what the boot untypeds still hold and the spare untypeds of paging
 * structures. */
ULONGLONG MiUntypedFreePages(void)
{
    ULONGLONG Bytes = (ULONGLONG)MiSparePagingUntypeds() << seL4_PageBits;

    for (ULONG i = 0; i < MiChunkCount; i++) {
        const MI_CHUNK *Chunk = &MiChunks[i];
        if (Chunk->Live == 0)
            Bytes += 1ull << Chunk->SizeBits;
        else if (Chunk->ObjectBits == seL4_PageBits)
            Bytes += (1ull << Chunk->SizeBits) - ((ULONGLONG)Chunk->Retyped << seL4_PageBits);
    }
    for (ULONG i = 0; i < MiUntypedCount; i++) {
        const MI_UNTYPED *Ut = &MiUntypeds[i];
        if (!Ut->Exhausted && Ut->Used < (1ull << Ut->SizeBits))
            Bytes += (1ull << Ut->SizeBits) - Ut->Used;
    }
    return Bytes >> PAGE_SHIFT;
}
