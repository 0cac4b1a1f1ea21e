/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RTL_BITMAP: bit n lives in Buffer[n / 32], bit n % 32. This file owns
 * setting, clearing, testing, counting and run searches. The searches walk
 * bit by bit, skipping whole words where they can; that is plenty for the
 * TLS, FLS and handle bitmaps they serve.
 * Searches with a hint look from the hint to the end, then from the start;
 * a run never wraps around the end. NumberToFind 0 returns the hint (0 when
 * the hint is outside the map) [uncertain: Windows' choice is undocumented].
 */
#include "rtlp.h"

#define RTLP_BIT(n)   (1U << ((n)&31))
#define RTLP_WORDS(n) (((n) + 31) / 32)

VOID NTAPI RtlInitializeBitMap(PRTL_BITMAP BitMapHeader, PULONG BitMapBuffer, ULONG SizeOfBitMap)
{
    BitMapHeader->SizeOfBitMap = SizeOfBitMap;
    BitMapHeader->Buffer = BitMapBuffer;
}

VOID NTAPI RtlSetAllBits(PRTL_BITMAP BitMapHeader)
{
    memset(BitMapHeader->Buffer, 0xff, RTLP_WORDS(BitMapHeader->SizeOfBitMap) * sizeof(ULONG));
}

VOID NTAPI RtlClearAllBits(PRTL_BITMAP BitMapHeader)
{
    memset(BitMapHeader->Buffer, 0, RTLP_WORDS(BitMapHeader->SizeOfBitMap) * sizeof(ULONG));
}

VOID NTAPI RtlSetBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    if (BitNumber < BitMapHeader->SizeOfBitMap)
        BitMapHeader->Buffer[BitNumber / 32] |= RTLP_BIT(BitNumber);
}

VOID NTAPI RtlClearBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    if (BitNumber < BitMapHeader->SizeOfBitMap)
        BitMapHeader->Buffer[BitNumber / 32] &= ~RTLP_BIT(BitNumber);
}

BOOLEAN NTAPI RtlTestBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    if (BitNumber >= BitMapHeader->SizeOfBitMap)
        return FALSE;
    return (BitMapHeader->Buffer[BitNumber / 32] & RTLP_BIT(BitNumber)) != 0;
}

/* Is [Start, Start + Length) a valid, non-empty range of the map? */
static BOOLEAN RtlpRangeValid(PRTL_BITMAP BitMapHeader, ULONG Start, ULONG Length)
{
    return Length != 0 && Start < BitMapHeader->SizeOfBitMap &&
           Length <= BitMapHeader->SizeOfBitMap - Start;
}

VOID NTAPI RtlSetBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToSet)
{
    ULONG i;

    if (!RtlpRangeValid(BitMapHeader, StartingIndex, NumberToSet))
        return;
    for (i = StartingIndex; i < StartingIndex + NumberToSet; i++)
        BitMapHeader->Buffer[i / 32] |= RTLP_BIT(i);
}

VOID NTAPI RtlClearBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToClear)
{
    ULONG i;

    if (!RtlpRangeValid(BitMapHeader, StartingIndex, NumberToClear))
        return;
    for (i = StartingIndex; i < StartingIndex + NumberToClear; i++)
        BitMapHeader->Buffer[i / 32] &= ~RTLP_BIT(i);
}

/* Length of the run of bits equal to Value starting at Index, at most Limit. */
static ULONG RtlpRunLength(PRTL_BITMAP BitMapHeader, ULONG Index, BOOLEAN Value, ULONG Limit)
{
    ULONG Skip = Value ? 0xFFFFFFFFU : 0, Count = 0;

    while (Count < Limit && Index < BitMapHeader->SizeOfBitMap) {
        if ((Index & 31) == 0 && Limit - Count >= 32 && BitMapHeader->SizeOfBitMap - Index >= 32 &&
            BitMapHeader->Buffer[Index / 32] == Skip) {
            Count += 32, Index += 32;
            continue;
        }
        if (RtlTestBit(BitMapHeader, Index) != Value)
            break;
        Count++, Index++;
    }
    return Count;
}

BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length)
{
    if (!RtlpRangeValid(BitMapHeader, StartingIndex, Length))
        return FALSE;
    return RtlpRunLength(BitMapHeader, StartingIndex, TRUE, Length) == Length;
}

BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length)
{
    if (!RtlpRangeValid(BitMapHeader, StartingIndex, Length))
        return FALSE;
    return RtlpRunLength(BitMapHeader, StartingIndex, FALSE, Length) == Length;
}

/* First index in [From, To) where Count bits equal to Value start. */
static ULONG RtlpFindRun(PRTL_BITMAP BitMapHeader, ULONG Count, BOOLEAN Value, ULONG From, ULONG To)
{
    ULONG Index = From;

    while (Index < To && BitMapHeader->SizeOfBitMap - Index >= Count) {
        ULONG Run = RtlpRunLength(BitMapHeader, Index, Value, Count);

        if (Run == Count)
            return Index;
        Index += Run + 1; /* the bit after the run differs: skip it too */
    }
    return RTL_BITMAP_NOT_FOUND;
}

static ULONG RtlpFindBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex,
                          BOOLEAN Value)
{
    ULONG Size = BitMapHeader->SizeOfBitMap, Found;

    if (HintIndex >= Size)
        HintIndex = 0;
    if (NumberToFind == 0)
        return HintIndex;
    if (NumberToFind > Size)
        return RTL_BITMAP_NOT_FOUND;
    Found = RtlpFindRun(BitMapHeader, NumberToFind, Value, HintIndex, Size);
    if (Found == RTL_BITMAP_NOT_FOUND && HintIndex != 0)
        Found = RtlpFindRun(BitMapHeader, NumberToFind, Value, 0, HintIndex);
    return Found;
}

ULONG NTAPI RtlFindClearBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    return RtlpFindBits(BitMapHeader, NumberToFind, HintIndex, FALSE);
}

ULONG NTAPI RtlFindSetBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    return RtlpFindBits(BitMapHeader, NumberToFind, HintIndex, TRUE);
}

ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    ULONG Index = RtlFindClearBits(BitMapHeader, NumberToFind, HintIndex);

    if (Index != RTL_BITMAP_NOT_FOUND)
        RtlSetBits(BitMapHeader, Index, NumberToFind);
    return Index;
}

ULONG NTAPI RtlFindSetBitsAndClear(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    ULONG Index = RtlFindSetBits(BitMapHeader, NumberToFind, HintIndex);

    if (Index != RTL_BITMAP_NOT_FOUND)
        RtlClearBits(BitMapHeader, Index, NumberToFind);
    return Index;
}

static ULONG RtlpPopCount(ULONG Word)
{
    ULONG Count = 0;

    for (; Word; Word &= Word - 1)
        Count++;
    return Count;
}

ULONG NTAPI RtlNumberOfSetBits(PRTL_BITMAP BitMapHeader)
{
    ULONG Size = BitMapHeader->SizeOfBitMap, Count = 0, i;

    for (i = 0; i < Size / 32; i++)
        Count += RtlpPopCount(BitMapHeader->Buffer[i]);
    if (Size & 31)
        Count += RtlpPopCount(BitMapHeader->Buffer[i] & (RTLP_BIT(Size) - 1));
    return Count;
}

ULONG NTAPI RtlNumberOfClearBits(PRTL_BITMAP BitMapHeader)
{
    return BitMapHeader->SizeOfBitMap - RtlNumberOfSetBits(BitMapHeader);
}

ULONG NTAPI RtlFindNextForwardRunClear(PRTL_BITMAP BitMapHeader, ULONG FromIndex,
                                       PULONG StartingRunIndex)
{
    ULONG Size = BitMapHeader->SizeOfBitMap;
    ULONG Start = FromIndex + RtlpRunLength(BitMapHeader, FromIndex, TRUE, 0xFFFFFFFFU);

    *StartingRunIndex = Start;
    if (FromIndex >= Size || Start >= Size)
        return 0;
    return RtlpRunLength(BitMapHeader, Start, FALSE, 0xFFFFFFFFU);
}

ULONG NTAPI RtlFindFirstRunClear(PRTL_BITMAP BitMapHeader, PULONG StartingIndex)
{
    return RtlFindNextForwardRunClear(BitMapHeader, 0, StartingIndex);
}

ULONG NTAPI RtlFindLongestRunClear(PRTL_BITMAP BitMapHeader, PULONG StartingIndex)
{
    ULONG Index = 0, Best = 0, Start, Length;

    *StartingIndex = 0;
    while ((Length = RtlFindNextForwardRunClear(BitMapHeader, Index, &Start)) != 0) {
        if (Length > Best) {
            Best = Length;
            *StartingIndex = Start;
        }
        Index = Start + Length;
    }
    return Best;
}

CHAR NTAPI RtlFindMostSignificantBit(ULONGLONG Set)
{
    CHAR Bit = -1;

    while (Set) {
        Set >>= 1;
        Bit++;
    }
    return Bit;
}

CHAR NTAPI RtlFindLeastSignificantBit(ULONGLONG Set)
{
    CHAR Bit = 0;

    if (!Set)
        return -1;
    while (!(Set & 1)) {
        Set >>= 1;
        Bit++;
    }
    return Bit;
}
