/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the fuzzer's request pointers point: the scratch area (committed,
 * followed by reserved pages that are not committed), a read-only page
 * that must stay zero, and bad addresses: NULL, tiny, the kernel half,
 * non-canonical, the uncommitted tail, the last bytes of user space. The
 * fuzzer keeps none of its own state in these areas: a late asynchronous
 * completion may write there whenever it likes.
 */
#include "iofuzz.h"

#define IOFUZZ_RESERVE  (IOFUZZ_SCRATCH + 128u * 1024)
#define IOFUZZ_PAGE     4096u
#define IOFUZZ_USER_END 0x00007FFFFFFF0000ull

static PUCHAR IofuzzScratchBase;
static PUCHAR IofuzzReadOnlyPage;

BOOLEAN IofuzzSetUpMemory(VOID)
{
    PVOID Base = NULL;
    SIZE_T Size = IOFUZZ_RESERVE;
    ULONG Old;

    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE,
                                            PAGE_READWRITE)))
        return FALSE;
    IofuzzScratchBase = Base;
    Size = IOFUZZ_SCRATCH;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_COMMIT,
                                            PAGE_READWRITE)))
        return FALSE;
    Base = NULL;
    Size = IOFUZZ_PAGE;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size,
                                            MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)))
        return FALSE;
    IofuzzReadOnlyPage = Base;
    return NT_SUCCESS(
        NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, PAGE_READONLY, &Old));
}

PUCHAR IofuzzScratch(VOID)
{
    return IofuzzScratchBase;
}

PVOID IofuzzReadOnly(VOID)
{
    return IofuzzReadOnlyPage;
}

BOOLEAN IofuzzReadOnlyIntact(VOID)
{
    for (ULONG i = 0; i < IOFUZZ_PAGE; i++)
        if (IofuzzReadOnlyPage[i] != 0)
            return FALSE;
    return TRUE;
}

/* An IO_STATUS_BLOCK: one of the scratch area's first IOFUZZ_IOSBS slots
 * (misaligned at times), else a bad or read-only one. */
PVOID IofuzzIosb(VOID)
{
    ULONG Pick = IofuzzBelow(100);

    if (Pick < 85)
        return IofuzzScratchBase + IofuzzBelow(IOFUZZ_IOSBS) * 16 + (IofuzzChance(10) ? 3 : 0);
    if (Pick < 89)
        return NULL;
    if (Pick < 93)
        return IofuzzReadOnlyPage + IofuzzBelow(IOFUZZ_PAGE / 16) * 16;
    if (Pick < 96)
        return (PVOID)0xFFFF800000001000ull;
    return IofuzzScratchBase + IOFUZZ_SCRATCH - 8; /* runs into the uncommitted tail */
}

/* A length: mostly 0..64 KiB, sometimes edge values and huge ones. */
ULONG IofuzzLength(VOID)
{
    static const ULONG Edges[] = {0,     1,      2,         3,          4,           7,
                                  8,     15,     16,        32,         64,          512,
                                  4095,  4096,   4097,      8192,       65535,       65536,
                                  65537, 0x7FFF, 0x1000000, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu};
    ULONG Pick = IofuzzBelow(100);

    if (Pick < 40)
        return Edges[IofuzzBelow(ARRAYSIZE(Edges))];
    if (Pick < 75)
        return IofuzzBelow(257);
    if (Pick < 97)
        return IofuzzBelow(65537);
    return (ULONG)IofuzzRandom();
}

PVOID IofuzzBuffer(ULONG *Length, BOOLEAN Output, ULONG *Bad)
{
    ULONG Pick = IofuzzBelow(100);
    ULONG Offset;

    *Bad = IOFUZZ_BAD_NONE;
    if (Pick < 70) {
        /* In the scratch area at any offset (unaligned half the time); a
         * length past its end runs into the uncommitted tail. */
        Offset = IofuzzBelow(IOFUZZ_SCRATCH / 2) & (IofuzzChance(50) ? ~0u : ~15u);
        if (Offset < IOFUZZ_IOSBS * 16)
            Offset += IOFUZZ_IOSBS * 16; /* leave the IO_STATUS_BLOCKs alone */
        return IofuzzScratchBase + Offset;
    }
    if (Pick < 76) {
        ULONG Tail = IofuzzBelow(64);
        return IofuzzScratchBase + IOFUZZ_SCRATCH - Tail; /* straddles the end */
    }
    if (Pick < 82) {
        (void)Output; /* read-only: a write must fail, a read may succeed */
        return IofuzzReadOnlyPage + IofuzzBelow(IOFUZZ_PAGE);
    }
    *Bad = *Length != 0 ? IOFUZZ_BAD_UNMAPPED : IOFUZZ_BAD_NONE;
    switch (IofuzzBelow(6)) {
    case 0:
        return NULL;
    case 1:
        return (PVOID)(ULONG_PTR)(1 + IofuzzBelow(0xFFFF));
    case 2:
        *Bad = *Length != 0 ? IOFUZZ_BAD_RANGE : IOFUZZ_BAD_NONE;
        return (PVOID)(0xFFFF800000000000ull + (IofuzzRandom() & 0xFFFFFFF));
    case 3:
        *Bad = *Length != 0 ? IOFUZZ_BAD_RANGE : IOFUZZ_BAD_NONE;
        return (PVOID)(0x8000000000000000ull | IofuzzRandom());
    case 4:
        return IofuzzScratchBase + IOFUZZ_SCRATCH + IofuzzBelow(64 * 1024);
    default:
        *Bad = IOFUZZ_BAD_NONE; /* the last bytes of user space: valid start, may run off */
        return (PVOID)(ULONG_PTR)(IOFUZZ_USER_END - IofuzzBelow(4096));
    }
}
