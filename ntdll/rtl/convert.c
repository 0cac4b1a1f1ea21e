/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Integer <-> text: RtlIntegerToChar, RtlIntegerToUnicodeString,
 * RtlCharToInteger and RtlUnicodeStringToInteger. Digits above 9 are
 * upper-case on output and either case on input. Parsing accepts leading
 * characters up to ' ' as white space, one sign, and (base 0 only) the
 * prefixes 0x, 0o and 0b; it stops at the first character that is not a
 * digit of the base and, like Windows, does not report overflow.
 */
#include "rtlp.h"

static BOOLEAN RtlpValidBase(ULONG Base)
{
    return Base == 2 || Base == 8 || Base == 10 || Base == 16;
}

/* Digits of Value in Base into the end of Digits[32]; returns the first. */
static CHAR *RtlpFormatUnsigned(ULONG Value, ULONG Base, CHAR Digits[33])
{
    CHAR *Pos = &Digits[32];

    *Pos = 0;
    do {
        ULONG Digit = Value % Base;

        *--Pos = (CHAR)(Digit < 10 ? '0' + Digit : 'A' + Digit - 10);
        Value /= Base;
    } while (Value);
    return Pos;
}

NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG Length, PCHAR String)
{
    CHAR Digits[33], *Pos;
    LONG Count;

    if (Base == 0)
        Base = 10;
    if (!RtlpValidBase(Base))
        return STATUS_INVALID_PARAMETER;
    Pos = RtlpFormatUnsigned(Value, Base, Digits);
    Count = (LONG)(&Digits[32] - Pos);
    if (Length != 0 && Count > Length)
        return STATUS_BUFFER_OVERFLOW;
    if (!String)
        return STATUS_ACCESS_VIOLATION;
    /* The NUL goes along only when there is room for it. */
    memcpy(String, Pos, (SIZE_T)Count + (Length == 0 || Count < Length ? 1 : 0));
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String)
{
    CHAR Digits[33], *Pos;
    ULONG i, Count;

    if (Base == 0)
        Base = 10;
    if (!RtlpValidBase(Base))
        return STATUS_INVALID_PARAMETER;
    Pos = RtlpFormatUnsigned(Value, Base, Digits);
    Count = (ULONG)(&Digits[32] - Pos);
    String->Length = (USHORT)(Count * sizeof(WCHAR));
    if (String->Length >= String->MaximumLength)
        return STATUS_BUFFER_OVERFLOW;
    for (i = 0; i <= Count; i++)
        String->Buffer[i] = (WCHAR)Pos[i];
    return STATUS_SUCCESS;
}

/* Value of a digit character, or 99 for a non-digit. */
static ULONG RtlpDigitValue(ULONG Char)
{
    if (Char >= '0' && Char <= '9')
        return Char - '0';
    if (Char >= 'a' && Char <= 'z')
        return Char - 'a' + 10;
    if (Char >= 'A' && Char <= 'Z')
        return Char - 'A' + 10;
    return 99;
}

/* The common parser over a WCHAR or CHAR sequence, abstracted as Get(i),
 * which returns 0 past the end. Returns STATUS_INVALID_PARAMETER for a bad
 * base (after white space and sign, as Windows checks it). */
typedef struct _RTLP_DIGITS {
    const void *Text;
    ULONG Count; /* characters available; ~0 for NUL-terminated CHARs */
    BOOLEAN Wide;
} RTLP_DIGITS;

static ULONG RtlpGetChar(const RTLP_DIGITS *d, ULONG i)
{
    if (i >= d->Count)
        return 0;
    return d->Wide ? ((PCWSTR)d->Text)[i] : (UCHAR)((PCSTR)d->Text)[i];
}

static NTSTATUS RtlpParseInteger(const RTLP_DIGITS *d, ULONG Base, PULONG Value)
{
    ULONG i = 0, Result = 0, Digit, c;
    BOOLEAN Negative = FALSE;

    while ((c = RtlpGetChar(d, i)) != 0 && c <= ' ')
        i++;
    if (c == '+' || c == '-') {
        Negative = c == '-';
        i++;
    }
    if (Base == 0) {
        Base = 10;
        if (RtlpGetChar(d, i) == '0') {
            c = RtlpGetChar(d, i + 1);
            Base = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 10;
            if (Base != 10)
                i += 2;
        }
    } else if (!RtlpValidBase(Base)) {
        return STATUS_INVALID_PARAMETER;
    }
    if (!Value)
        return STATUS_ACCESS_VIOLATION;
    while ((Digit = RtlpDigitValue(RtlpGetChar(d, i))) < Base) {
        Result = Result * Base + Digit;
        i++;
    }
    *Value = Negative ? 0U - Result : Result;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value)
{
    RTLP_DIGITS d = {String, 0xFFFFFFFFU, FALSE};

    return RtlpParseInteger(&d, Base, Value);
}

NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value)
{
    RTLP_DIGITS d = {String->Buffer, String->Length / sizeof(WCHAR), TRUE};

    return RtlpParseInteger(&d, Base, Value);
}
