/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vsnprintf/snprintf for ntos: one formatter writing into a bounded buffer;
 * the console (ke/print.c) formats into a stack buffer and sends that. The
 * conversions are listed in rtl.h; anything else is printed literally.
 */
#include "rtl.h"
#include <stdint.h>
#include <stdbool.h>

typedef struct _FMT_OUT {
    char *Buffer;
    size_t Size;
    size_t Length; /* characters produced, including those that did not fit */
} FMT_OUT;

typedef struct _FMT_SPEC {
    int Width;
    int Precision; /* -1: none */
    int Length;    /* 0 int, 1 long, 2 long long, 3 size_t */
    bool Zero, Left;
} FMT_SPEC;

static void FmtPut(FMT_OUT *Out, char c)
{
    if (Out->Size > 0 && Out->Length < Out->Size - 1)
        Out->Buffer[Out->Length] = c;
    Out->Length++;
}

static void FmtPadded(FMT_OUT *Out, const FMT_SPEC *Spec, const char *Text, int Count, char Sign)
{
    int Body = Count + (Sign ? 1 : 0);
    int Pad = Spec->Width > Body ? Spec->Width - Body : 0;

    if (!Spec->Left && !Spec->Zero)
        for (; Pad > 0; Pad--)
            FmtPut(Out, ' ');
    if (Sign)
        FmtPut(Out, Sign);
    if (!Spec->Left && Spec->Zero)
        for (; Pad > 0; Pad--)
            FmtPut(Out, '0');
    while (Count-- > 0)
        FmtPut(Out, *Text++);
    for (; Pad > 0; Pad--)
        FmtPut(Out, ' ');
}

static void FmtNumber(FMT_OUT *Out, const FMT_SPEC *Spec, uint64_t Value, unsigned Base, bool Upper,
                      char Sign)
{
    const char *Digits = Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char Tmp[24];
    int n = sizeof(Tmp);

    do {
        Tmp[--n] = Digits[Value % Base];
        Value /= Base;
    } while (Value != 0);
    FmtPadded(Out, Spec, Tmp + n, (int)sizeof(Tmp) - n, Sign);
}

static uint64_t FmtUnsigned(const FMT_SPEC *Spec, va_list *Args)
{
    switch (Spec->Length) {
    case 0:
        return va_arg(*Args, unsigned int);
    case 1:
        return va_arg(*Args, unsigned long);
    case 2:
        return va_arg(*Args, unsigned long long);
    default:
        return va_arg(*Args, size_t);
    }
}

static int64_t FmtSigned(const FMT_SPEC *Spec, va_list *Args)
{
    switch (Spec->Length) {
    case 0:
        return va_arg(*Args, int);
    case 1:
        return va_arg(*Args, long);
    case 2:
        return va_arg(*Args, long long);
    default:
        return (int64_t)va_arg(*Args, size_t);
    }
}

static const char *FmtParse(const char *f, FMT_SPEC *Spec)
{
    *Spec = (FMT_SPEC){.Precision = -1};
    for (;; f++) {
        if (*f == '0')
            Spec->Zero = true;
        else if (*f == '-')
            Spec->Left = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        Spec->Width = Spec->Width * 10 + (*f++ - '0');
    if (*f == '.') {
        Spec->Precision = 0;
        for (f++; *f >= '0' && *f <= '9'; f++)
            Spec->Precision = Spec->Precision * 10 + (*f - '0');
    }
    if (*f == 'z') {
        Spec->Length = 3;
        f++;
    }
    while (*f == 'l' && Spec->Length < 2) {
        Spec->Length++;
        f++;
    }
    return f;
}

static void FmtString(FMT_OUT *Out, FMT_SPEC *Spec, const char *s)
{
    int n = 0;

    if (s == NULL)
        s = "(null)";
    while (s[n] && (Spec->Precision < 0 || n < Spec->Precision))
        n++;
    Spec->Zero = false;
    FmtPadded(Out, Spec, s, n, 0);
}

static void FmtConvert(FMT_OUT *Out, FMT_SPEC *Spec, char Conv, va_list *Args)
{
    switch (Conv) {
    case 'd':
    case 'i': {
        int64_t v = FmtSigned(Spec, Args);
        FmtNumber(Out, Spec, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, false,
                  v < 0 ? '-' : 0);
        break;
    }
    case 'u':
        FmtNumber(Out, Spec, FmtUnsigned(Spec, Args), 10, false, 0);
        break;
    case 'x':
    case 'X':
        FmtNumber(Out, Spec, FmtUnsigned(Spec, Args), 16, Conv == 'X', 0);
        break;
    case 'o':
        FmtNumber(Out, Spec, FmtUnsigned(Spec, Args), 8, false, 0);
        break;
    case 'p':
        FmtPut(Out, '0');
        FmtPut(Out, 'x');
        FmtNumber(Out, Spec, (uintptr_t)va_arg(*Args, void *), 16, false, 0);
        break;
    case 'c': {
        char c = (char)va_arg(*Args, int);
        Spec->Zero = false;
        FmtPadded(Out, Spec, &c, 1, 0);
        break;
    }
    case 's':
        FmtString(Out, Spec, va_arg(*Args, const char *));
        break;
    default:
        FmtPut(Out, '%');
        if (Conv)
            FmtPut(Out, Conv);
        break;
    }
}

int vsnprintf(char *Buffer, size_t Size, const char *Format, va_list Args)
{
    FMT_OUT Out = {.Buffer = Buffer, .Size = Size};
    FMT_SPEC Spec;
    va_list Cur;

    va_copy(Cur, Args);
    while (*Format) {
        if (*Format != '%') {
            FmtPut(&Out, *Format++);
            continue;
        }
        Format = FmtParse(Format + 1, &Spec);
        FmtConvert(&Out, &Spec, *Format, &Cur);
        if (*Format)
            Format++;
    }
    va_end(Cur);
    if (Size > 0)
        Buffer[Out.Length < Size ? Out.Length : Size - 1] = '\0';
    return (int)Out.Length;
}

int snprintf(char *Buffer, size_t Size, const char *Format, ...)
{
    va_list Args;
    int n;

    va_start(Args, Format);
    n = vsnprintf(Buffer, Size, Format, Args);
    va_end(Args);
    return n;
}
