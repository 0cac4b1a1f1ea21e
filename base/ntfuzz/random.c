/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fuzzer's random source and its plain numbers: one xorshift64* stream
 * from the seed, so a seed and a call count name one run exactly; values
 * biased to the edges (0, 1, all ones, sign bits, small info classes) and
 * lengths from 0 to the whole address space.
 */
#include "ntfuzz.h"

static ULONG64 NtfuzzState = 1;
BOOLEAN NtfuzzGentle;

VOID NtfuzzSeed(ULONG64 Seed)
{
    /* xorshift never leaves 0; mix so seeds 1, 2, 3 start far apart. */
    NtfuzzState = (Seed ^ 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;
    if (NtfuzzState == 0)
        NtfuzzState = 1;
}

ULONG64 NtfuzzRandom(VOID)
{
    ULONG64 X = NtfuzzState;

    X ^= X >> 12;
    X ^= X << 25;
    X ^= X >> 27;
    NtfuzzState = X;
    return X * 0x2545F4914F6CDD1Dull;
}

BOOLEAN NtfuzzHostile(VOID)
{
    return !NtfuzzGentle || NtfuzzChance(8);
}

/* A value of Size bytes (0: a full word), mostly edge cases. */
ULONG_PTR NtfuzzValue(ULONG Size)
{
    static const ULONG_PTR Edges[] = {
        0,
        1,
        2,
        3,
        4,
        0x7f,
        0x80,
        0xff,
        0x1000,
        0x1fffff,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0x100000000ull,
        0x7fffffffffffffffull,
        0x8000000000000000ull,
        ~0ull,
        ~0ull - 1,
        0x1000 | 0x2000,
        0x8000,
        0x4000,
        0x04,
        0x40,
        0x02,
        0x1f0fff,
    };
    ULONG_PTR Value;

    if (!NtfuzzHostile()) {
        /* Small classes and flags, whole access masks. */
        static const ULONG_PTR Gentle[] = {0, 0, 0, 1, 2, 3, 4, 5, 0x1fffff, 0x10000000, 0x1000};
        return Gentle[NtfuzzBelow(sizeof(Gentle) / sizeof(Gentle[0]))];
    }
    switch (NtfuzzBelow(4)) {
    case 0:
        Value = Edges[NtfuzzBelow(sizeof(Edges) / sizeof(Edges[0]))];
        break;
    case 1:
        Value = NtfuzzBelow(64); /* information classes, flags, booleans */
        break;
    case 2:
        Value = 1ull << NtfuzzBelow(64);
        break;
    default:
        Value = NtfuzzRandom();
        break;
    }
    if (Size && Size < 8 && NtfuzzChance(80))
        Value &= (1ull << (Size * 8)) - 1;
    return Value;
}

/* A buffer length: 0, small, odd, structure sizes, page sizes, huge. */
ULONG_PTR NtfuzzLength(VOID)
{
    static const ULONG_PTR Lengths[] = {
        0,
        1,
        2,
        3,
        4,
        7,
        8,
        12,
        15,
        16,
        24,
        31,
        32,
        40,
        44,
        47,
        48,
        64,
        0x30,
        0x40,
        0xfff,
        0x1000,
        0x1001,
        0x2000,
        0xffff,
        0x10000,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0x100000000ull,
        0x7fffffffffffffffull,
        ~0ull,
        ~0ull - 0xfff,
    };

    if (NtfuzzChance(70))
        return Lengths[NtfuzzBelow(sizeof(Lengths) / sizeof(Lengths[0]))];
    if (NtfuzzChance(50))
        return NtfuzzBelow(0x200);
    return NtfuzzRandom() >> NtfuzzBelow(64);
}
