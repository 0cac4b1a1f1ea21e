/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The random source of io-fuzz: xorshift64* from the seed, so a seed
 * repeats a run (the batches run one at a time; only the drivers'
 * timing differs between runs).
 */
#include "iofuzz.h"

static ULONG64 IofuzzStateWord;

VOID IofuzzSeed(ULONG64 Seed)
{
    IofuzzStateWord = Seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (IofuzzStateWord == 0)
        IofuzzStateWord = 1;
}

ULONG64 IofuzzRandom(VOID)
{
    IofuzzStateWord ^= IofuzzStateWord >> 12;
    IofuzzStateWord ^= IofuzzStateWord << 25;
    IofuzzStateWord ^= IofuzzStateWord >> 27;
    return IofuzzStateWord * 0x2545F4914F6CDD1Dull;
}

ULONG IofuzzBelow(ULONG Limit)
{
    return Limit ? (ULONG)((IofuzzRandom() >> 16) % Limit) : 0;
}

BOOLEAN IofuzzChance(ULONG Percent)
{
    return IofuzzBelow(100) < Percent;
}
