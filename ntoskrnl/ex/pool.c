/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pool: every pool type comes from the process heap (RtlAllocateHeap);
 * paged and non-paged are the same memory in a driver process. Each block
 * has an EXP_POOL_HEADER before it with a magic value, the tag and the
 * size. ExFreePoolWithTag checks the tag (the protected bit aside) and
 * reports a mismatch with DbgPrint, then frees; freeing something that is
 * not a live pool block is BAD_POOL_CALLER, as on NT.
 */
#include "ntoskrnl.h"

#define EXP_POOL_MAGIC     0x6C6F6F50u /* "Pool" */
#define EXP_POOL_FREED     0x65657246u
#define EXP_PROTECTED_POOL 0x80000000u
#define EXP_TAG_NONE       0x656E6F4Eu /* "None" */
#define EXP_MAX_POOL_BLOCK ((SIZE_T)1 << 40)

typedef struct __attribute__((aligned(16))) _EXP_POOL_HEADER {
    ULONG Magic;
    ULONG Tag;
    SIZE_T Size;
} EXP_POOL_HEADER;

volatile LONG ExpPoolTagMismatches;

static PVOID ExpAllocate(POOL_TYPE PoolType, SIZE_T Size, ULONG Tag, BOOLEAN Raise)
{
    EXP_POOL_HEADER *Header = NULL;

    if (Size < EXP_MAX_POOL_BLOCK)
        Header = RtlAllocateHeap(KiProcessHeap(), 0, sizeof(*Header) + Size);
    if (!Header) {
        if (Raise || (PoolType & POOL_RAISE_IF_ALLOCATION_FAILURE))
            ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
        return NULL;
    }
    Header->Magic = EXP_POOL_MAGIC;
    Header->Tag = Tag;
    Header->Size = Size;
    return Header + 1;
}

static EXP_POOL_HEADER *ExpHeader(PVOID Block)
{
    EXP_POOL_HEADER *Header;

    if (!Block || ((ULONG_PTR)Block & 15))
        return NULL;
    Header = (EXP_POOL_HEADER *)Block - 1;
    return Header->Magic == EXP_POOL_MAGIC ? Header : NULL;
}

static VOID ExpFree(PVOID Block, BOOLEAN CheckTag, ULONG Tag)
{
    EXP_POOL_HEADER *Header = ExpHeader(Block);

    if (!Header) {
        DbgPrint("ntoskrnl: ExFreePool of %p, which is not a pool block\n", Block);
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)Block, 0, 0);
    }
    if (CheckTag && ((Header->Tag ^ Tag) & ~EXP_PROTECTED_POOL)) {
        InterlockedIncrement(&ExpPoolTagMismatches);
        DbgPrint("ntoskrnl: ExFreePoolWithTag(%p, '%.4s'): the block was allocated with tag "
                 "'%.4s'\n",
                 Block, (PCSTR)&Tag, (PCSTR)&Header->Tag);
    }
    Header->Magic = EXP_POOL_FREED;
    RtlFreeHeap(KiProcessHeap(), 0, Header);
}

BOOLEAN ExpQueryPoolBlock(PVOID Block, PULONG Tag, PSIZE_T Size)
{
    EXP_POOL_HEADER *Header = ExpHeader(Block);

    if (!Header)
        return FALSE;
    *Tag = Header->Tag;
    *Size = Header->Size;
    return TRUE;
}

#undef ExAllocatePoolWithTag
#undef ExAllocatePool
#undef ExAllocatePoolWithQuota
#undef ExAllocatePoolWithQuotaTag

NTKRNL_EXPORT PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return ExpAllocate(PoolType, NumberOfBytes, Tag, FALSE);
}

/* Untagged allocations carry NT's default tag "None". */
NTKRNL_EXPORT PVOID NTAPI ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return ExpAllocate(PoolType, NumberOfBytes, EXP_TAG_NONE, FALSE);
}

NTKRNL_EXPORT PVOID NTAPI ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                        ULONG Tag, EX_POOL_PRIORITY Priority)
{
    return ExpAllocate(PoolType, NumberOfBytes, Tag, FALSE);
}

/* Quota allocations raise on failure unless POOL_QUOTA_FAIL_INSTEAD_OF_RAISE. */
NTKRNL_EXPORT PVOID NTAPI ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                     ULONG Tag)
{
    return ExpAllocate(PoolType, NumberOfBytes, Tag,
                       !(PoolType & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE));
}

NTKRNL_EXPORT PVOID NTAPI ExAllocatePoolWithQuota(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return ExAllocatePoolWithQuotaTag(PoolType, NumberOfBytes, EXP_TAG_NONE);
}

/* Windows 10 2004's zeroing allocation (an inline in later ddks). */
NTKRNL_EXPORT PVOID NTAPI ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    PVOID Block = ExpAllocate(PoolType, NumberOfBytes, Tag, FALSE);

    if (Block)
        memset(Block, 0, NumberOfBytes);
    return Block;
}

NTKRNL_EXPORT VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    ExpFree(P, TRUE, Tag);
}

NTKRNL_EXPORT VOID NTAPI ExFreePool(PVOID P)
{
    ExpFree(P, FALSE, 0);
}

NTKRNL_EXPORT SIZE_T NTAPI ExQueryPoolBlockSize(PVOID PoolBlock, PBOOLEAN QuotaCharged)
{
    EXP_POOL_HEADER *Header = ExpHeader(PoolBlock);

    if (QuotaCharged)
        *QuotaCharged = FALSE;
    return Header ? Header->Size : 0;
}
