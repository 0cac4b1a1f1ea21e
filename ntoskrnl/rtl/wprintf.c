/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wide printf family of the kernel's C library (ntdll exports only the
 * narrow one): _vsnwprintf and the routines over it, which ntstrsafe.h's
 * RtlStringCbPrintfW & co. call. Microsoft's semantics: a count-limited
 * routine writes at most Count characters, adds the terminating NUL only
 * if there is room, and returns the length written, or -1 when the text
 * did not fit. Conversions: d i u o x X c C s S Z p n-less %%, flags
 * - 0 + space #, width and precision (numbers or *), sizes h l ll w z I I32
 * I64; in the wide routines %s and %ls/%ws are wide strings, %S and %hs
 * narrow ones, %wZ a PUNICODE_STRING and %Z a PANSI_STRING.
 */
#include "ntoskrnl.h"

#include <stdarg.h>

typedef struct _RTLP_SINK {
    PWCHAR Buffer;
    SIZE_T Count;  /* room, in characters */
    SIZE_T Length; /* characters produced so far (written or not) */
} RTLP_SINK;

typedef struct _RTLP_SPEC {
    BOOLEAN Left, Zero, Plus, Space, Alt;
    LONG Width, Precision; /* -1: none */
    UCHAR Size;            /* 0, 'h', 'l' (wide), 'L' (64-bit) */
} RTLP_SPEC;

static VOID RtlpPut(RTLP_SINK *Sink, WCHAR c)
{
    if (Sink->Length < Sink->Count)
        Sink->Buffer[Sink->Length] = c;
    Sink->Length++;
}

static VOID RtlpPad(RTLP_SINK *Sink, LONG Count, WCHAR c)
{
    while (Count-- > 0)
        RtlpPut(Sink, c);
}

/* A string of Length characters (narrow if Narrow), padded to the width. */
static VOID RtlpPutString(RTLP_SINK *Sink, const RTLP_SPEC *Spec, const VOID *Text, SIZE_T Length,
                          BOOLEAN Narrow)
{
    if (Spec->Precision >= 0 && Length > (SIZE_T)Spec->Precision)
        Length = Spec->Precision;
    if (!Spec->Left)
        RtlpPad(Sink, Spec->Width - (LONG)Length, L' ');
    for (SIZE_T i = 0; i < Length; i++)
        RtlpPut(Sink, Narrow ? (WCHAR)((const UCHAR *)Text)[i] : ((const WCHAR *)Text)[i]);
    if (Spec->Left)
        RtlpPad(Sink, Spec->Width - (LONG)Length, L' ');
}

/* Value in Base, after Prefix (a sign or 0x), padded to the width and precision. */
static VOID RtlpPutNumber(RTLP_SINK *Sink, const RTLP_SPEC *Spec, ULONGLONG Value, ULONG Base,
                          BOOLEAN Upper, PCSTR Prefix)
{
    WCHAR Digits[24];
    LONG Count = 0, Zeros, PrefixLength = 0, Total;
    PCSTR Letters = Upper ? "0123456789ABCDEF" : "0123456789abcdef";

    do {
        Digits[Count++] = Letters[Value % Base];
        Value /= Base;
    } while (Value);
    if (Spec->Precision == 0 && Count == 1 && Digits[0] == L'0')
        Count = 0;
    while (Prefix && Prefix[PrefixLength])
        PrefixLength++;
    Zeros = Spec->Precision > Count ? Spec->Precision - Count : 0;
    Total = Count + Zeros + PrefixLength;
    if (Spec->Zero && !Spec->Left && Spec->Precision < 0 && Spec->Width > Total) {
        Zeros += Spec->Width - Total;
        Total = Spec->Width;
    }
    if (!Spec->Left)
        RtlpPad(Sink, Spec->Width - Total, L' ');
    for (LONG i = 0; i < PrefixLength; i++)
        RtlpPut(Sink, (WCHAR)Prefix[i]);
    RtlpPad(Sink, Zeros, L'0');
    while (Count)
        RtlpPut(Sink, Digits[--Count]);
    if (Spec->Left)
        RtlpPad(Sink, Spec->Width - Total, L' ');
}

/* Flags, width, precision and size of the conversion at *Format. */
static PCWSTR RtlpParseSpec(PCWSTR Format, RTLP_SPEC *Spec, va_list *Args)
{
    memset(Spec, 0, sizeof(*Spec));
    Spec->Width = Spec->Precision = -1;
    for (;; Format++) {
        if (*Format == L'-')
            Spec->Left = TRUE;
        else if (*Format == L'0')
            Spec->Zero = TRUE;
        else if (*Format == L'+')
            Spec->Plus = TRUE;
        else if (*Format == L' ')
            Spec->Space = TRUE;
        else if (*Format == L'#')
            Spec->Alt = TRUE;
        else
            break;
    }
    if (*Format == L'*') {
        Spec->Width = va_arg(*Args, int);
        if (Spec->Width < 0) {
            Spec->Left = TRUE;
            Spec->Width = -Spec->Width;
        }
        Format++;
    } else {
        for (Spec->Width = 0; *Format >= L'0' && *Format <= L'9'; Format++)
            Spec->Width = Spec->Width * 10 + (*Format - L'0');
    }
    if (*Format == L'.') {
        Format++;
        if (*Format == L'*') {
            Spec->Precision = va_arg(*Args, int);
            Format++;
        } else {
            for (Spec->Precision = 0; *Format >= L'0' && *Format <= L'9'; Format++)
                Spec->Precision = Spec->Precision * 10 + (*Format - L'0');
        }
    }
    if (Format[0] == L'I' && Format[1] == L'6' && Format[2] == L'4') {
        Spec->Size = 'L';
        Format += 3;
    } else if (Format[0] == L'I' && Format[1] == L'3' && Format[2] == L'2') {
        Format += 3;
    } else if (Format[0] == L'l' && Format[1] == L'l') {
        Spec->Size = 'L';
        Format += 2;
    } else if (*Format == L'I' || *Format == L'z' || *Format == L'j' || *Format == L't') {
        Spec->Size = 'L'; /* pointer-sized on amd64 */
        Format++;
    } else if (*Format == L'h' || *Format == L'l' || *Format == L'w') {
        Spec->Size = *Format == L'h' ? 'h' : 'l';
        Format++;
    }
    return Format;
}

static VOID RtlpPutCounted(RTLP_SINK *Sink, const RTLP_SPEC *Spec, PVOID String, BOOLEAN Wide)
{
    if (!String)
        RtlpPutString(Sink, Spec, "(null)", 6, TRUE);
    else if (Wide)
        RtlpPutString(Sink, Spec, ((PUNICODE_STRING)String)->Buffer,
                      ((PUNICODE_STRING)String)->Length / sizeof(WCHAR), FALSE);
    else
        RtlpPutString(Sink, Spec, ((PANSI_STRING)String)->Buffer, ((PANSI_STRING)String)->Length,
                      TRUE);
}

static VOID RtlpPutText(RTLP_SINK *Sink, const RTLP_SPEC *Spec, PVOID Text, BOOLEAN Narrow)
{
    SIZE_T Length = 0;

    if (!Text) {
        RtlpPutString(Sink, Spec, "(null)", 6, TRUE);
        return;
    }
    if (Narrow)
        while (((PUCHAR)Text)[Length] && (Spec->Precision < 0 || Length < (SIZE_T)Spec->Precision))
            Length++;
    else
        while (((PWCHAR)Text)[Length] && (Spec->Precision < 0 || Length < (SIZE_T)Spec->Precision))
            Length++;
    RtlpPutString(Sink, Spec, Text, Length, Narrow);
}

static ULONG RtlpBase(WCHAR Kind)
{
    return Kind == L'u' ? 10 : Kind == L'o' ? 8 : 16;
}

/* What `#` puts before a non-zero number. */
static PCSTR RtlpAltPrefix(WCHAR Kind)
{
    if (Kind == L'o')
        return "0";
    if (Kind == L'x')
        return "0x";
    return Kind == L'X' ? "0X" : NULL;
}

static VOID RtlpConvert(RTLP_SINK *Sink, WCHAR Kind, RTLP_SPEC *Spec, va_list *Args)
{
    LONGLONG Signed;
    ULONGLONG Unsigned;
    WCHAR c;

    switch (Kind) {
    case L'd':
    case L'i':
        Signed = Spec->Size == 'L' ? va_arg(*Args, LONGLONG) : va_arg(*Args, int);
        if (Spec->Size == 'h')
            Signed = (SHORT)Signed;
        Unsigned = Signed < 0 ? 0 - (ULONGLONG)Signed : (ULONGLONG)Signed;
        RtlpPutNumber(Sink, Spec, Unsigned, 10, FALSE,
                      Signed < 0    ? "-"
                      : Spec->Plus  ? "+"
                      : Spec->Space ? " "
                                    : NULL);
        break;
    case L'u':
    case L'x':
    case L'X':
    case L'o':
        Unsigned = Spec->Size == 'L' ? va_arg(*Args, ULONGLONG) : va_arg(*Args, unsigned int);
        if (Spec->Size == 'h')
            Unsigned = (USHORT)Unsigned;
        RtlpPutNumber(Sink, Spec, Unsigned, RtlpBase(Kind), Kind == L'X',
                      Spec->Alt && Unsigned ? RtlpAltPrefix(Kind) : NULL);
        break;
    case L'p':
        Spec->Precision = 16;
        RtlpPutNumber(Sink, Spec, (ULONG_PTR)va_arg(*Args, PVOID), 16, TRUE, NULL);
        break;
    case L'c':
    case L'C':
        c = (WCHAR)va_arg(*Args, int);
        if ((Kind == L'C' && Spec->Size != 'l') || Spec->Size == 'h')
            c = (UCHAR)c;
        RtlpPutString(Sink, Spec, &c, 1, FALSE);
        break;
    case L's':
    case L'S':
        RtlpPutText(Sink, Spec, va_arg(*Args, PVOID),
                    Spec->Size == 'h' || (Kind == L'S' && Spec->Size != 'l'));
        break;
    case L'Z':
        RtlpPutCounted(Sink, Spec, va_arg(*Args, PVOID), Spec->Size == 'l');
        break;
    default: /* %% and anything unknown: the character itself */
        RtlpPut(Sink, Kind);
        break;
    }
}

static SIZE_T RtlpFormat(RTLP_SINK *Sink, PCWSTR Format, va_list Args)
{
    va_list Copy;
    RTLP_SPEC Spec;

    va_copy(Copy, Args);
    while (*Format) {
        if (*Format != L'%') {
            RtlpPut(Sink, *Format++);
            continue;
        }
        Format = RtlpParseSpec(Format + 1, &Spec, &Copy);
        if (!*Format)
            break;
        RtlpConvert(Sink, *Format++, &Spec, &Copy);
    }
    va_end(Copy);
    return Sink->Length;
}

NTKRNL_EXPORT int __cdecl _vsnwprintf(wchar_t *Buffer, size_t Count, const wchar_t *Format,
                                      va_list Args)
{
    RTLP_SINK Sink = {Buffer, Count, 0};
    SIZE_T Length = RtlpFormat(&Sink, Format, Args);

    if (Length < Count) {
        Buffer[Length] = 0;
        return (int)Length;
    }
    return Length == Count ? (int)Length : -1;
}

NTKRNL_EXPORT int __cdecl _snwprintf(wchar_t *Buffer, size_t Count, const wchar_t *Format, ...)
{
    va_list Args;
    int Result;

    va_start(Args, Format);
    Result = _vsnwprintf(Buffer, Count, Format, Args);
    va_end(Args);
    return Result;
}

/* The unbounded forms of Microsoft's kernel C library (no count). */
NTKRNL_EXPORT int __cdecl _vswprintf(wchar_t *Buffer, const wchar_t *Format, va_list Args)
{
    return _vsnwprintf(Buffer, (size_t)MAXLONG, Format, Args);
}

NTKRNL_EXPORT int __cdecl _swprintf(wchar_t *Buffer, const wchar_t *Format, ...)
{
    va_list Args;
    int Result;

    va_start(Args, Format);
    Result = _vswprintf(Buffer, Format, Args);
    va_end(Args);
    return Result;
}

NTKRNL_EXPORT int __cdecl swprintf(wchar_t *Buffer, const wchar_t *Format, ...) __asm__("swprintf");
NTKRNL_EXPORT int __cdecl swprintf(wchar_t *Buffer, const wchar_t *Format, ...)
{
    va_list Args;
    int Result;

    va_start(Args, Format);
    Result = _vswprintf(Buffer, Format, Args);
    va_end(Args);
    return Result;
}

/* The secure form: on overflow the buffer becomes empty and the result -1. */
NTKRNL_EXPORT int __cdecl swprintf_s(wchar_t *Buffer, size_t Count, const wchar_t *Format, ...)
{
    va_list Args;
    int Result;

    if (!Buffer || !Format || Count == 0)
        return -1;
    va_start(Args, Format);
    Result = _vsnwprintf(Buffer, Count, Format, Args);
    va_end(Args);
    if (Result < 0 || (size_t)Result >= Count) {
        Buffer[0] = 0;
        return -1;
    }
    return Result;
}
