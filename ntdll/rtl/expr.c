/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File name expressions: RtlIsNameInExpression, the matcher behind
 * NtQueryDirectoryFile's FileName mask (ntos's \SystemRoot directory, and
 * FsRtlIsNameInExpression of the driver runtime, which forwards here).
 * Compiled into ntdll and into ntos (ntos/build.mk).
 *
 * The match runs over the set of name positions the expression read so
 * far can end at (a bit set, no recursion and no allocation), so any
 * expression takes time proportional to its length times the name's.
 */
#include "rtlp.h"

#define RTLP_DOS_STAR  L'<'
#define RTLP_DOS_QM    L'>'
#define RTLP_DOS_DOT   L'"'
#define RTLP_SET_WORDS ((RTL_MAX_EXPRESSION_NAME + 1 + 63) / 64)

typedef struct _RTLP_POSITIONS {
    ULONG64 Bits[RTLP_SET_WORDS];
} RTLP_POSITIONS;

static BOOLEAN RtlpHas(const RTLP_POSITIONS *Set, ULONG i)
{
    return (Set->Bits[i / 64] >> (i % 64)) & 1;
}

static VOID RtlpAdd(RTLP_POSITIONS *Set, ULONG i)
{
    Set->Bits[i / 64] |= 1ull << (i % 64);
}

static WCHAR RtlpNameChar(PCUNICODE_STRING Name, ULONG i, BOOLEAN IgnoreCase, PWCH UpcaseTable)
{
    WCHAR c = Name->Buffer[i];

    if (!IgnoreCase)
        return c;
    return UpcaseTable ? UpcaseTable[c] : RtlUpcaseUnicodeChar(c);
}

/* Positions From may be followed by after one element E of the expression.
 * Length: the name's characters; LastDot: index of its last period, or
 * Length when it has none. */
static VOID RtlpStep(WCHAR E, const RTLP_POSITIONS *From, RTLP_POSITIONS *To, PCUNICODE_STRING Name,
                     ULONG Length, ULONG LastDot, BOOLEAN IgnoreCase, PWCH UpcaseTable)
{
    ULONG i, j;

    memset(To, 0, sizeof(*To));
    for (i = 0; i <= Length; i++) {
        WCHAR c;

        if (!RtlpHas(From, i))
            continue;
        c = i < Length ? Name->Buffer[i] : 0;
        switch (E) {
        case L'*': /* everything from here on */
            for (j = i; j <= Length; j++)
                RtlpAdd(To, j);
            return;
        case RTLP_DOS_STAR: /* up to, not over, the last period */
            for (j = i; j <= (i <= LastDot && LastDot < Length ? LastDot : Length); j++)
                RtlpAdd(To, j);
            break;
        case L'?':
            if (i < Length)
                RtlpAdd(To, i + 1);
            break;
        case RTLP_DOS_QM: /* a character; nothing at a period or the end */
            RtlpAdd(To, (i < Length && c != L'.') ? i + 1 : i);
            break;
        case RTLP_DOS_DOT: /* a period; nothing at the end */
            if (i == Length)
                RtlpAdd(To, i);
            else if (c == L'.')
                RtlpAdd(To, i + 1);
            break;
        default:
            if (i < Length && RtlpNameChar(Name, i, IgnoreCase, UpcaseTable) == E)
                RtlpAdd(To, i + 1);
            break;
        }
    }
}

BOOLEAN NTAPI RtlIsNameInExpression(PCUNICODE_STRING Expression, PCUNICODE_STRING Name,
                                    BOOLEAN IgnoreCase, PWCH UpcaseTable)
{
    ULONG Length = Name->Length / sizeof(WCHAR), LastDot = Length;
    ULONG Count = Expression->Length / sizeof(WCHAR);
    RTLP_POSITIONS Sets[2];
    ULONG Current = 0, k;

    if (Length > RTL_MAX_EXPRESSION_NAME)
        return FALSE;
    for (k = 0; k < Length; k++)
        if (Name->Buffer[k] == L'.')
            LastDot = k;
    memset(&Sets[0], 0, sizeof(Sets[0]));
    RtlpAdd(&Sets[0], 0);
    for (k = 0; k < Count; k++) {
        WCHAR E = Expression->Buffer[k];

        if (E == L'*' && k + 1 < Count && Expression->Buffer[k + 1] == L'*')
            continue; /* a run of stars is one star */
        RtlpStep(E, &Sets[Current], &Sets[1 - Current], Name, Length, LastDot, IgnoreCase,
                 UpcaseTable);
        Current = 1 - Current;
    }
    return RtlpHas(&Sets[Current], Length);
}
