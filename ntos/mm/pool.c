/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The executive's pool: ExAllocatePoolWithTag / ExFreePoolWithTag. Pool
 * memory is a region of ntos's VSpace at MM_POOL_BASE that only grows: fresh
 * frames are mapped at its end as needed. Blocks up to 2 KiB come from seven
 * power-of-two size classes (32 B .. 2 KiB, header included), carved from
 * whole pages and kept on a free list per class; bigger blocks are runs of
 * pages, reused first-fit after they are freed; freed runs are kept in
 * address order and merged with free neighbours (FIXME: no memory goes
 * back to the untypeds). Every block starts
 * with a 16-byte header that ExFreePoolWithTag checks.
 *
 * Growth may recurse (mapping a page can take a slot, which can grow the
 * CSpace, which allocates from the pool): the range is claimed before any
 * page is mapped, so a nested call grows past it.
 */
#include "mi.h"

#define MI_POOL_MAGIC   0x4c4f4f50u /* 'POOL' */
#define MI_POOL_CLASSES 7
#define MI_POOL_LARGE   0xffu

typedef struct _MI_POOL_HEADER {
    ULONG Magic;
    ULONG Tag;
    ULONG Class; /* size class, or MI_POOL_LARGE */
    ULONG Pages; /* large blocks: pages of the run */
} MI_POOL_HEADER;
_Static_assert(sizeof(MI_POOL_HEADER) == 16, "keeps blocks 16-byte aligned");

typedef struct _MI_POOL_FREE {
    struct _MI_POOL_FREE *Next;
    ULONG_PTR Pages; /* runs only */
} MI_POOL_FREE;

static MI_POOL_FREE *MiPoolClassFree[MI_POOL_CLASSES];
static MI_POOL_FREE *MiPoolRuns;
static ULONG_PTR MiPoolEnd = MM_POOL_BASE;
static SIZE_T MiPoolBlocksInUse, MiPoolBytesInUse; /* the self-tests watch them */

void MiInitializePool(void)
{
    MiPoolEnd = MM_POOL_BASE;
}

/* A run of Pages fresh pages at the end of the pool. */
static void *MiPoolGrow(ULONG_PTR Pages)
{
    ULONG_PTR Start = MiPoolEnd;

    MiPoolEnd += Pages * PAGE_SIZE;
    for (ULONG_PTR i = 0; i < Pages; i++) {
        if (!NT_SUCCESS(MiMapNewNtosPage(Start + i * PAGE_SIZE)))
            return NULL; /* FIXME: the pages mapped so far are lost */
    }
    return (void *)Start;
}

static void MiPoolPutRun(MI_POOL_FREE *Free, ULONG_PTR Pages);

static ULONG_PTR MiPoolRunEnd(const MI_POOL_FREE *Run)
{
    return (ULONG_PTR)Run + Run->Pages * PAGE_SIZE;
}

static void *MiPoolTakeRun(ULONG_PTR Pages)
{
    MI_POOL_FREE **Last = NULL;
    void *Grown;

    for (MI_POOL_FREE **Link = &MiPoolRuns; *Link; Link = &(*Link)->Next) {
        MI_POOL_FREE *Run = *Link;
        Last = Link;
        if (Run->Pages < Pages)
            continue;
        if (Run->Pages == Pages) {
            *Link = Run->Next;
        } else {
            /* Hand out the tail; the head stays on the list, smaller. */
            Run->Pages -= Pages;
            return (char *)Run + Run->Pages * PAGE_SIZE;
        }
        return Run;
    }
    /* A free run at the very end of the pool grows into the block, so that
     * only the missing pages are new. */
    if (Last != NULL && MiPoolRunEnd(*Last) == MiPoolEnd) {
        MI_POOL_FREE *Run = *Last;
        ULONG_PTR Have = Run->Pages;

        *Last = NULL; /* the list is sorted: it was the last run */
        Grown = MiPoolGrow(Pages - Have);
        if (Grown == (char *)Run + Have * PAGE_SIZE)
            return Run;
        MiPoolPutRun(Run, Have); /* a nested growth came between: keep it apart */
        if (Grown != NULL)
            MiPoolPutRun(Grown, Pages - Have);
    }
    return MiPoolGrow(Pages);
}

/* Freed runs are kept sorted by address and merged with their neighbours,
 * so that the pages of blocks of any size serve blocks of any other size
 * once they are all free again (a process's page tables, of two and three
 * pages, would otherwise grow the pool at each process). */
static void MiPoolPutRun(MI_POOL_FREE *Free, ULONG_PTR Pages)
{
    MI_POOL_FREE **Link = &MiPoolRuns, *Prev = NULL;

    while (*Link != NULL && *Link < Free) {
        Prev = *Link;
        Link = &(*Link)->Next;
    }
    Free->Pages = Pages;
    Free->Next = *Link;
    *Link = Free;
    if (Free->Next != NULL && MiPoolRunEnd(Free) == (ULONG_PTR)Free->Next) {
        Free->Pages += Free->Next->Pages;
        Free->Next = Free->Next->Next;
    }
    if (Prev != NULL && MiPoolRunEnd(Prev) == (ULONG_PTR)Free) {
        Prev->Pages += Free->Pages;
        Prev->Next = Free->Next;
    }
}

static ULONG MiPoolClass(SIZE_T Total)
{
    ULONG Class = 0;

    while ((32ull << Class) < Total)
        Class++;
    return Class;
}

static bool MiPoolRefill(ULONG Class)
{
    SIZE_T Block = 32ull << Class;
    char *Page = MiPoolTakeRun(1);

    if (Page == NULL)
        return false;
    for (SIZE_T Offset = 0; Offset + Block <= PAGE_SIZE; Offset += Block) {
        MI_POOL_FREE *Free = (MI_POOL_FREE *)(Page + Offset);
        Free->Next = MiPoolClassFree[Class];
        MiPoolClassFree[Class] = Free;
    }
    return true;
}

/* The bytes a block takes, header included. */
static SIZE_T MiPoolBlockBytes(const MI_POOL_HEADER *Header)
{
    return Header->Class == MI_POOL_LARGE ? Header->Pages * PAGE_SIZE : 32ull << Header->Class;
}

void *ExAllocatePoolWithTag(SIZE_T Size, ULONG Tag)
{
    SIZE_T Total = Size + sizeof(MI_POOL_HEADER);
    MI_POOL_HEADER *Header;

    if (Size == 0 || Total < Size || Total > (1ull << 40))
        return NULL;
    if (Total <= (32ull << (MI_POOL_CLASSES - 1))) {
        ULONG Class = MiPoolClass(Total);
        if (!MiPoolClassFree[Class] && !MiPoolRefill(Class))
            return NULL;
        Header = (MI_POOL_HEADER *)MiPoolClassFree[Class];
        MiPoolClassFree[Class] = MiPoolClassFree[Class]->Next;
        memset(Header, 0, 32ull << Class);
        *Header = (MI_POOL_HEADER){MI_POOL_MAGIC, Tag, Class, 0};
    } else {
        ULONG_PTR Pages = ROUND_TO_PAGES(Total) / PAGE_SIZE;
        Header = MiPoolTakeRun(Pages);
        if (Header == NULL)
            return NULL;
        memset(Header, 0, Pages * PAGE_SIZE);
        *Header = (MI_POOL_HEADER){MI_POOL_MAGIC, Tag, MI_POOL_LARGE, (ULONG)Pages};
    }
    MiPoolBlocksInUse++;
    MiPoolBytesInUse += MiPoolBlockBytes(Header);
    return Header + 1;
}

void ExFreePoolWithTag(void *Pointer, ULONG Tag)
{
    MI_POOL_HEADER *Header = (MI_POOL_HEADER *)Pointer - 1;
    MI_POOL_FREE *Free = (MI_POOL_FREE *)Header;

    if (Pointer == NULL)
        return;
    ASSERT((ULONG_PTR)Header >= MM_POOL_BASE && (ULONG_PTR)Pointer < MiPoolEnd);
    if (Header->Magic != MI_POOL_MAGIC) /* not a pool block, or freed twice */
        KeBugCheck("pool block %p freed but not allocated (or freed twice) from %p", Pointer,
                   __builtin_return_address(0));
    if (Tag != 0 && Tag != Header->Tag)
        KeBugCheck("pool block %p of tag %08x freed with tag %08x from %p", Pointer, Header->Tag,
                   Tag, __builtin_return_address(0));
    Header->Magic = 0;
    MiPoolBlocksInUse--;
    MiPoolBytesInUse -= MiPoolBlockBytes(Header);
    if (Header->Class == MI_POOL_LARGE) {
        MiPoolPutRun(Free, Header->Pages);
    } else {
        ASSERT(Header->Class < MI_POOL_CLASSES);
        ULONG Class = Header->Class;
        Free->Next = MiPoolClassFree[Class];
        MiPoolClassFree[Class] = Free;
    }
}

void MiQueryPoolUsage(SIZE_T *Blocks, SIZE_T *Bytes)
{
    *Blocks = MiPoolBlocksInUse;
    *Bytes = MiPoolBytesInUse;
}
