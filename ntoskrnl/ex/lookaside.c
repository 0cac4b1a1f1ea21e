/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lookaside lists: a cache of fixed-size blocks on an SLIST (ex/slist.c),
 * refilled from and returned to the list's Allocate/Free routines (pool by
 * default). The ddk inlines ExAllocateFromNPagedLookasideList and
 * ExFreeToNPagedLookasideList over the list's fields; the paged forms are
 * functions on amd64. The depth is fixed (NT tunes it; Depth is reserved).
 */
/* The ddk (amd64) also has static inline forms of the paged routines:
 * keep them out of the way of the exported ones. */
#define ExAllocateFromPagedLookasideList ExpDdkAllocateFromPagedLookasideList
#define ExFreeToPagedLookasideList       ExpDdkFreeToPagedLookasideList
#include "ntoskrnl.h"
#undef ExAllocateFromPagedLookasideList
#undef ExFreeToPagedLookasideList

#define EXP_LOOKASIDE_DEPTH 32

static PVOID NTAPI ExpDefaultAllocate(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}

static VOID NTAPI ExpDefaultFree(PVOID Buffer)
{
    ExFreePool(Buffer);
}

static VOID ExpInitializeLookaside(PGENERAL_LOOKASIDE L, PALLOCATE_FUNCTION Allocate,
                                   PFREE_FUNCTION Free, POOL_TYPE Type, ULONG Flags, SIZE_T Size,
                                   ULONG Tag)
{
    memset(L, 0, sizeof(*L));
    InitializeSListHead(&L->ListHead);
    L->Depth = EXP_LOOKASIDE_DEPTH;
    L->MaximumDepth = 256;
    L->Type = Type | Flags;
    L->Tag = Tag;
    L->Size = (ULONG)(Size < sizeof(SLIST_ENTRY) ? sizeof(SLIST_ENTRY) : Size);
    L->Allocate = Allocate ? Allocate : ExpDefaultAllocate;
    L->Free = Free ? Free : ExpDefaultFree;
    InitializeListHead(&L->ListEntry);
}

static VOID ExpDeleteLookaside(PGENERAL_LOOKASIDE L)
{
    PVOID Entry;

    while ((Entry = ExpInterlockedPopEntrySList(&L->ListHead)) != NULL)
        L->Free(Entry);
}

NTKRNL_EXPORT VOID NTAPI ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                                         PALLOCATE_FUNCTION Allocate,
                                                         PFREE_FUNCTION Free, ULONG Flags,
                                                         SIZE_T Size, ULONG Tag, USHORT Depth)
{
    ExpInitializeLookaside(&Lookaside->L, Allocate, Free, NonPagedPool, Flags, Size, Tag);
}

NTKRNL_EXPORT VOID NTAPI ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                                        PALLOCATE_FUNCTION Allocate,
                                                        PFREE_FUNCTION Free, ULONG Flags,
                                                        SIZE_T Size, ULONG Tag, USHORT Depth)
{
    ExpInitializeLookaside(&Lookaside->L, Allocate, Free, PagedPool, Flags, Size, Tag);
}

NTKRNL_EXPORT VOID NTAPI ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    ExpDeleteLookaside(&Lookaside->L);
}

NTKRNL_EXPORT VOID NTAPI ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    ExpDeleteLookaside(&Lookaside->L);
}

NTKRNL_EXPORT PVOID NTAPI ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    PVOID Entry;

    Lookaside->L.TotalAllocates++;
    Entry = ExpInterlockedPopEntrySList(&Lookaside->L.ListHead);
    if (!Entry) {
        Lookaside->L.AllocateMisses++;
        Entry = Lookaside->L.Allocate(Lookaside->L.Type, Lookaside->L.Size, Lookaside->L.Tag);
    }
    return Entry;
}

NTKRNL_EXPORT VOID NTAPI ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    Lookaside->L.TotalFrees++;
    if (ExQueryDepthSList(&Lookaside->L.ListHead) >= Lookaside->L.Depth) {
        Lookaside->L.FreeMisses++;
        Lookaside->L.Free(Entry);
    } else {
        ExpInterlockedPushEntrySList(&Lookaside->L.ListHead, Entry);
    }
}
