/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UTF-8 <-> UTF-16 conversion (RtlUTF8ToUnicodeN, RtlUnicodeToUTF8N). Both
 * directions replace ill-formed input with U+FFFD and then report
 * STATUS_SOME_NOT_MAPPED; a decoding error covers the longest prefix of a
 * valid sequence (the "maximal subpart" of the Unicode standard), so
 * "\xE2\x82" followed by 'A' gives U+FFFD 'A'. Output is cut only at a
 * character boundary (never half a surrogate pair or half a UTF-8 sequence).
 */
#include "rtlp.h"

#define RTLP_REPLACEMENT 0xFFFD

/* Decode one code point at Src[0..Count); returns the bytes consumed and
 * sets *Valid. Rejects overlong forms, surrogates and values > U+10FFFF. */
static ULONG RtlpDecodeUtf8(const UCHAR *Src, ULONG Count, ULONG *CodePoint, BOOLEAN *Valid)
{
    UCHAR Lead = Src[0];
    ULONG Need, Value, Min, i;

    *Valid = FALSE;
    if (Lead < 0x80) {
        *CodePoint = Lead;
        *Valid = TRUE;
        return 1;
    }
    if (Lead >= 0xC2 && Lead <= 0xDF) {
        Need = 1, Value = Lead & 0x1F, Min = 0x80;
    } else if (Lead >= 0xE0 && Lead <= 0xEF) {
        Need = 2, Value = Lead & 0x0F, Min = 0x800;
    } else if (Lead >= 0xF0 && Lead <= 0xF4) {
        Need = 3, Value = Lead & 0x07, Min = 0x10000;
    } else {
        return 1;
    }
    for (i = 1; i <= Need; i++) {
        ULONG Next;

        if (i >= Count || (Src[i] & 0xC0) != 0x80)
            return i;
        Next = (Value << 6) | (Src[i] & 0x3F);
        /* Reject at the second byte what can only become overlong, a
         * surrogate or too large, so the subpart ends there. */
        if (i == 1 && ((Need == 2 && (Next < 0x20 || (Next >= 0x360 && Next < 0x380))) ||
                       (Need == 3 && (Next < 0x10 || Next > 0x10F))))
            return 1;
        Value = Next;
    }
    *CodePoint = Value;
    *Valid = Value >= Min;
    return Need + 1;
}

NTSTATUS NTAPI RtlUTF8ToUnicodeN(PWSTR UnicodeStringDestination, ULONG UnicodeStringMaxByteCount,
                                 PULONG UnicodeStringActualByteCount, const CHAR *UTF8StringSource,
                                 ULONG UTF8StringByteCount)
{
    const UCHAR *Src = (const UCHAR *)UTF8StringSource;
    ULONG Room = UnicodeStringMaxByteCount / sizeof(WCHAR), Out = 0, In = 0;
    BOOLEAN Unmapped = FALSE;

    if (!UTF8StringSource)
        return STATUS_INVALID_PARAMETER_4;
    if (!UnicodeStringActualByteCount)
        return STATUS_INVALID_PARAMETER;
    while (In < UTF8StringByteCount) {
        ULONG CodePoint = RTLP_REPLACEMENT, Units;
        BOOLEAN Valid;
        ULONG Used = RtlpDecodeUtf8(Src + In, UTF8StringByteCount - In, &CodePoint, &Valid);

        if (!Valid) {
            CodePoint = RTLP_REPLACEMENT;
            Unmapped = TRUE;
        }
        Units = CodePoint >= 0x10000 ? 2 : 1;
        if (UnicodeStringDestination) {
            if (Out + Units > Room) {
                *UnicodeStringActualByteCount = Out * sizeof(WCHAR);
                return STATUS_BUFFER_TOO_SMALL;
            }
            if (Units == 2) {
                UnicodeStringDestination[Out] = (WCHAR)(0xD800 + ((CodePoint - 0x10000) >> 10));
                UnicodeStringDestination[Out + 1] = (WCHAR)(0xDC00 + (CodePoint & 0x3FF));
            } else {
                UnicodeStringDestination[Out] = (WCHAR)CodePoint;
            }
        }
        Out += Units;
        In += Used;
    }
    *UnicodeStringActualByteCount = Out * sizeof(WCHAR);
    return Unmapped ? STATUS_SOME_NOT_MAPPED : STATUS_SUCCESS;
}

/* Next code point of UTF-16 Src[0..Count); an unpaired surrogate gives
 * U+FFFD and clears *Valid. Returns the WCHARs consumed. */
static ULONG RtlpDecodeUtf16(PCWCH Src, ULONG Count, ULONG *CodePoint, BOOLEAN *Valid)
{
    WCHAR c = Src[0];

    *Valid = TRUE;
    *CodePoint = c;
    if (c < 0xD800 || c > 0xDFFF)
        return 1;
    if (c <= 0xDBFF && Count > 1 && Src[1] >= 0xDC00 && Src[1] <= 0xDFFF) {
        *CodePoint = 0x10000 + (((ULONG)c - 0xD800) << 10) + (Src[1] - 0xDC00);
        return 2;
    }
    *Valid = FALSE;
    *CodePoint = RTLP_REPLACEMENT;
    return 1;
}

static ULONG RtlpEncodeUtf8(ULONG CodePoint, UCHAR *Bytes)
{
    if (CodePoint < 0x80) {
        Bytes[0] = (UCHAR)CodePoint;
        return 1;
    }
    if (CodePoint < 0x800) {
        Bytes[0] = (UCHAR)(0xC0 | (CodePoint >> 6));
        Bytes[1] = (UCHAR)(0x80 | (CodePoint & 0x3F));
        return 2;
    }
    if (CodePoint < 0x10000) {
        Bytes[0] = (UCHAR)(0xE0 | (CodePoint >> 12));
        Bytes[1] = (UCHAR)(0x80 | ((CodePoint >> 6) & 0x3F));
        Bytes[2] = (UCHAR)(0x80 | (CodePoint & 0x3F));
        return 3;
    }
    Bytes[0] = (UCHAR)(0xF0 | (CodePoint >> 18));
    Bytes[1] = (UCHAR)(0x80 | ((CodePoint >> 12) & 0x3F));
    Bytes[2] = (UCHAR)(0x80 | ((CodePoint >> 6) & 0x3F));
    Bytes[3] = (UCHAR)(0x80 | (CodePoint & 0x3F));
    return 4;
}

NTSTATUS NTAPI RtlUnicodeToUTF8N(PCHAR UTF8StringDestination, ULONG UTF8StringMaxByteCount,
                                 PULONG UTF8StringActualByteCount, PCWCH UnicodeStringSource,
                                 ULONG UnicodeStringByteCount)
{
    ULONG Count = UnicodeStringByteCount / sizeof(WCHAR), In = 0, Out = 0;
    BOOLEAN Unmapped = FALSE;

    if (!UnicodeStringSource)
        return STATUS_INVALID_PARAMETER_4;
    if (!UTF8StringActualByteCount)
        return STATUS_INVALID_PARAMETER;
    while (In < Count) {
        ULONG CodePoint, Size;
        BOOLEAN Valid;
        UCHAR Bytes[4];

        In += RtlpDecodeUtf16(UnicodeStringSource + In, Count - In, &CodePoint, &Valid);
        Unmapped |= !Valid;
        Size = RtlpEncodeUtf8(CodePoint, Bytes);
        if (UTF8StringDestination) {
            if (Out + Size > UTF8StringMaxByteCount) {
                *UTF8StringActualByteCount = Out;
                return STATUS_BUFFER_TOO_SMALL;
            }
            memcpy(UTF8StringDestination + Out, Bytes, Size);
        }
        Out += Size;
    }
    *UTF8StringActualByteCount = Out;
    return Unmapped ? STATUS_SOME_NOT_MAPPED : STATUS_SUCCESS;
}
