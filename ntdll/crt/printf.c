/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's formatted output: _vsnprintf and _snprintf with Microsoft's
 * contract (the count written, or -1 when the text does not fit; a NUL only
 * when there is room), as Windows' ntdll exports them and as DbgPrint uses
 * them. Conversions: %c %s %d %i %u %o %x %X %p %%, the wide forms %C %S
 * %lc %ls %wc %ws, and DbgPrint's counted strings %Z (ANSI_STRING *) and
 * %wZ (UNICODE_STRING *); flags - 0 + space #, width and precision (also
 * '*'); sizes hh h l (32-bit, as on Windows) ll I32 I64 I z j t. Wide
 * characters above 0xff print as '?' (FIXME: the ANSI code page).
 * No floating point.
 */
#include <stdarg.h>
#include <stdint.h>
#include "crt.h"

int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Arguments);
int _snprintf(char *Buffer, size_t Count, const char *Format, ...);

typedef struct _CRTP_OUTPUT {
    char *Buffer;
    size_t Count;
    size_t Position; /* characters produced, even past Count */
} CRTP_OUTPUT;

typedef struct _CRTP_SPEC {
    int LeftAlign, ZeroPad, Plus, Space, Alternate;
    int Width, Precision; /* Precision -1: none */
    int Size;             /* bytes of the integer argument: 1, 2, 4, 8 */
    int Wide;             /* %c/%s take WCHARs */
} CRTP_SPEC;

static void CrtpPut(CRTP_OUTPUT *Out, char Char)
{
    if (Out->Position < Out->Count)
        Out->Buffer[Out->Position] = Char;
    Out->Position++;
}

static void CrtpPad(CRTP_OUTPUT *Out, char Char, int Count)
{
    while (Count-- > 0)
        CrtpPut(Out, Char);
}

/* Text of Length units, narrow (Wide 0) or WCHAR, padded to the width. */
static void CrtpPutText(CRTP_OUTPUT *Out, const CRTP_SPEC *Spec, const void *Text, int Length,
                        int Wide)
{
    int i;

    if (!Spec->LeftAlign)
        CrtpPad(Out, ' ', Spec->Width - Length);
    for (i = 0; i < Length; i++) {
        unsigned Char = Wide ? ((const uint16_t *)Text)[i] : ((const unsigned char *)Text)[i];
        CrtpPut(Out, Char > 0xff ? '?' : (char)Char);
    }
    if (Spec->LeftAlign)
        CrtpPad(Out, ' ', Spec->Width - Length);
}

static void CrtpPutString(CRTP_OUTPUT *Out, const CRTP_SPEC *Spec, const void *Text, int Wide)
{
    int Length = 0;

    if (!Text) {
        Text = "(null)";
        Wide = 0;
    }
    while (Spec->Precision < 0 || Length < Spec->Precision) {
        if (Wide ? ((const uint16_t *)Text)[Length] == 0 : ((const char *)Text)[Length] == 0)
            break;
        Length++;
    }
    CrtpPutText(Out, Spec, Text, Length, Wide);
}

/* %Z and %wZ: a counted string; Length is in bytes. */
static void CrtpPutCounted(CRTP_OUTPUT *Out, const CRTP_SPEC *Spec, const void *String, int Wide)
{
    const struct {
        uint16_t Length, MaximumLength;
        const void *Buffer;
    } *Counted = String;
    int Length;

    if (!Counted || !Counted->Buffer) {
        CrtpPutString(Out, Spec, NULL, 0);
        return;
    }
    Length = Wide ? Counted->Length / 2 : Counted->Length;
    if (Spec->Precision >= 0 && Length > Spec->Precision)
        Length = Spec->Precision;
    CrtpPutText(Out, Spec, Counted->Buffer, Length, Wide);
}

static void CrtpPutNumber(CRTP_OUTPUT *Out, const CRTP_SPEC *Spec, uint64_t Value, int Negative,
                          unsigned Base, int Upper)
{
    const char *Digits = Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char Text[24], Prefix[2];
    int Length = 0, PrefixLength = 0, Zeros, Padding, IsZero = Value == 0;

    while (Value) {
        Text[Length++] = Digits[Value % Base];
        Value /= Base;
    }
    if (Length == 0 && Spec->Precision != 0)
        Text[Length++] = '0';
    if (Negative)
        Prefix[PrefixLength++] = '-';
    else if (Spec->Plus)
        Prefix[PrefixLength++] = '+';
    else if (Spec->Space)
        Prefix[PrefixLength++] = ' ';
    if (Spec->Alternate && Base == 16 && !IsZero) {
        Prefix[0] = '0';
        Prefix[1] = Upper ? 'X' : 'x';
        PrefixLength = 2;
    }
    Zeros = Spec->Precision > Length ? Spec->Precision - Length : 0;
    if (Spec->Alternate && Base == 8 && Zeros == 0 && (Length == 0 || Text[Length - 1] != '0'))
        Zeros = 1; /* %#o: the first digit is a 0 */
    Padding = Spec->Width - Length - Zeros - PrefixLength;
    if (Spec->ZeroPad && !Spec->LeftAlign && Spec->Precision < 0) {
        Zeros += Padding > 0 ? Padding : 0;
        Padding = 0;
    }
    if (!Spec->LeftAlign)
        CrtpPad(Out, ' ', Padding);
    for (int i = 0; i < PrefixLength; i++)
        CrtpPut(Out, Prefix[i]);
    CrtpPad(Out, '0', Zeros);
    while (Length)
        CrtpPut(Out, Text[--Length]);
    if (Spec->LeftAlign)
        CrtpPad(Out, ' ', Padding);
}

/* Flags, width, precision and size; returns the conversion character. */
static const char *CrtpParseSpec(const char *Format, CRTP_SPEC *Spec, va_list *Arguments)
{
    for (;; Format++) {
        if (*Format == '-')
            Spec->LeftAlign = 1;
        else if (*Format == '0')
            Spec->ZeroPad = 1;
        else if (*Format == '+')
            Spec->Plus = 1;
        else if (*Format == ' ')
            Spec->Space = 1;
        else if (*Format == '#')
            Spec->Alternate = 1;
        else
            break;
    }
    if (*Format == '*') {
        Spec->Width = va_arg(*Arguments, int);
        if (Spec->Width < 0) {
            Spec->LeftAlign = 1;
            Spec->Width = -Spec->Width;
        }
        Format++;
    }
    while (*Format >= '0' && *Format <= '9')
        Spec->Width = Spec->Width * 10 + (*Format++ - '0');
    if (*Format == '.') {
        Format++;
        Spec->Precision = 0;
        if (*Format == '*') {
            Spec->Precision = va_arg(*Arguments, int);
            Format++;
        }
        while (*Format >= '0' && *Format <= '9')
            Spec->Precision = Spec->Precision * 10 + (*Format++ - '0');
    }
    return Format;
}

static const char *CrtpParseSize(const char *Format, CRTP_SPEC *Spec)
{
    Spec->Size = 4;
    if (Format[0] == 'h' && Format[1] == 'h') {
        Spec->Size = 1;
        return Format + 2;
    }
    if (Format[0] == 'l' && Format[1] == 'l') {
        Spec->Size = 8;
        return Format + 2;
    }
    if (Format[0] == 'I' && Format[1] == '6' && Format[2] == '4') {
        Spec->Size = 8;
        return Format + 3;
    }
    if (Format[0] == 'I' && Format[1] == '3' && Format[2] == '2')
        return Format + 3;
    switch (*Format) {
    case 'h':
        Spec->Size = 2;
        return Format + 1;
    case 'l':
    case 'w':
        Spec->Wide = 1; /* %lc %ls %wc %ws %wZ; %ld stays 32-bit (LLP64) */
        return Format + 1;
    case 'I':
    case 'z':
    case 'j':
    case 't':
        Spec->Size = 8;
        return Format + 1;
    }
    return Format;
}

static uint64_t CrtpFetchUnsigned(const CRTP_SPEC *Spec, va_list *Arguments)
{
    if (Spec->Size == 8)
        return va_arg(*Arguments, uint64_t);
    uint32_t Value = va_arg(*Arguments, uint32_t);
    return Spec->Size == 1 ? (uint8_t)Value : Spec->Size == 2 ? (uint16_t)Value : Value;
}

static int64_t CrtpFetchSigned(const CRTP_SPEC *Spec, va_list *Arguments)
{
    if (Spec->Size == 8)
        return va_arg(*Arguments, int64_t);
    int32_t Value = va_arg(*Arguments, int32_t);
    return Spec->Size == 1 ? (int8_t)Value : Spec->Size == 2 ? (int16_t)Value : Value;
}

static void CrtpConvert(CRTP_OUTPUT *Out, CRTP_SPEC *Spec, char Conversion, va_list *Arguments)
{
    int64_t Signed;
    uint16_t Char;

    switch (Conversion) {
    case 'd':
    case 'i':
        Signed = CrtpFetchSigned(Spec, Arguments);
        CrtpPutNumber(Out, Spec, Signed < 0 ? 0 - (uint64_t)Signed : (uint64_t)Signed, Signed < 0,
                      10, 0);
        break;
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        Spec->Plus = Spec->Space = 0; /* signs belong to signed conversions */
        CrtpPutNumber(Out, Spec, CrtpFetchUnsigned(Spec, Arguments), 0,
                      Conversion == 'u'   ? 10
                      : Conversion == 'o' ? 8
                                          : 16,
                      Conversion == 'X');
        break;
    case 'p':
        Spec->Precision = 16;
        CrtpPutNumber(Out, Spec, (uintptr_t)va_arg(*Arguments, void *), 0, 16, 1);
        break;
    case 'c':
    case 'C':
        Char = (uint16_t)va_arg(*Arguments, int);
        Spec->Precision = -1;
        CrtpPutText(Out, Spec, &Char, 1, 1);
        break;
    case 's':
    case 'S':
        CrtpPutString(Out, Spec, va_arg(*Arguments, const void *), Spec->Wide || Conversion == 'S');
        break;
    case 'Z':
        CrtpPutCounted(Out, Spec, va_arg(*Arguments, const void *), Spec->Wide);
        break;
    default: /* %% and unknown conversions print the character */
        CrtpPut(Out, Conversion);
        break;
    }
}

int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Arguments)
{
    CRTP_OUTPUT Out = {Buffer, Buffer ? Count : 0, 0};
    va_list Copy;

    va_copy(Copy, Arguments);
    while (*Format) {
        CRTP_SPEC Spec = {0};

        if (*Format != '%') {
            CrtpPut(&Out, *Format++);
            continue;
        }
        Spec.Precision = -1;
        Format = CrtpParseSpec(Format + 1, &Spec, &Copy);
        Format = CrtpParseSize(Format, &Spec);
        if (!*Format)
            break;
        CrtpConvert(&Out, &Spec, *Format++, &Copy);
    }
    va_end(Copy);
    if (Out.Position > Out.Count)
        return -1;
    if (Out.Position < Out.Count)
        Out.Buffer[Out.Position] = 0;
    return (int)Out.Position;
}

int _snprintf(char *Buffer, size_t Count, const char *Format, ...)
{
    va_list Arguments;
    int Result;

    va_start(Arguments, Format);
    Result = _vsnprintf(Buffer, Count, Format, Arguments);
    va_end(Arguments);
    return Result;
}
