/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Rtl memory and counted-string routines drivers import from
 * ntoskrnl.exe that ntdll does not export (the rest are forwarded to ntdll:
 * rtl/forwards.txt), RtlAssert, and a few C routines of the kernel's
 * C library missing from ntdll (sprintf goes through ntdll's _vsnprintf).
 */
#include "ntoskrnl.h"

#include <stdarg.h>

NTSYSAPI int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);

#undef RtlCopyMemory
#undef RtlMoveMemory
#undef RtlZeroMemory
#undef RtlFillMemory
#undef RtlEqualMemory

NTKRNL_EXPORT SIZE_T NTAPI RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length)
{
    const UCHAR *a = Source1, *b = Source2;
    SIZE_T i = 0;

    while (i < Length && a[i] == b[i])
        i++;
    return i;
}

/* Bytes from the start of Source that are whole ULONGs equal to Pattern. */
NTKRNL_EXPORT SIZE_T NTAPI RtlCompareMemoryUlong(PVOID Source, SIZE_T Length, ULONG Pattern)
{
    PULONG p = Source;
    SIZE_T i = 0, Count = Length / sizeof(ULONG);

    while (i < Count && p[i] == Pattern)
        i++;
    return i * sizeof(ULONG);
}

NTKRNL_EXPORT VOID NTAPI RtlCopyMemory(PVOID Destination, const VOID *Source, SIZE_T Length)
{
    memmove(Destination, Source, Length);
}

NTKRNL_EXPORT VOID NTAPI RtlCopyMemoryNonTemporal(PVOID Destination, const VOID *Source,
                                                  SIZE_T Length)
{
    memmove(Destination, Source, Length);
}

NTKRNL_EXPORT VOID NTAPI RtlMoveMemory(PVOID Destination, const VOID *Source, SIZE_T Length)
{
    memmove(Destination, Source, Length);
}

NTKRNL_EXPORT VOID NTAPI RtlZeroMemory(PVOID Destination, SIZE_T Length)
{
    memset(Destination, 0, Length);
}

NTKRNL_EXPORT VOID NTAPI RtlFillMemory(PVOID Destination, SIZE_T Length, UCHAR Fill)
{
    memset(Destination, Fill, Length);
}

NTKRNL_EXPORT VOID NTAPI RtlAssert(PVOID FailedAssertion, PVOID FileName, ULONG LineNumber,
                                   PSTR Message)
{
    DbgPrint("ntoskrnl: assertion failed: %s%s%s at %s:%lu\n", (PCSTR)FailedAssertion,
             Message ? ": " : "", Message ? Message : "", (PCSTR)FileName, LineNumber);
    /* What the ddk's NT_ASSERT does (int 2c): an exception no one handles
     * ends the driver process with this status. */
    ExRaiseStatus(STATUS_ASSERTION_FAILURE);
}

/* ---- counted ANSI strings ------------------------------------------------------------ */

NTKRNL_EXPORT VOID NTAPI RtlCopyString(PSTRING DestinationString, const PSTRING SourceString)
{
    USHORT Length;

    if (!SourceString) {
        DestinationString->Length = 0;
        return;
    }
    Length = SourceString->Length < DestinationString->MaximumLength
                 ? SourceString->Length
                 : DestinationString->MaximumLength;
    memmove(DestinationString->Buffer, SourceString->Buffer, Length);
    DestinationString->Length = Length;
}

static CHAR RtlpUpper(CHAR c)
{
    return c >= 'a' && c <= 'z' ? (CHAR)(c - 'a' + 'A') : c;
}

NTKRNL_EXPORT LONG NTAPI RtlCompareString(const PSTRING String1, const PSTRING String2,
                                          BOOLEAN CaseInSensitive)
{
    USHORT Length = String1->Length < String2->Length ? String1->Length : String2->Length;

    for (USHORT i = 0; i < Length; i++) {
        CHAR a = String1->Buffer[i], b = String2->Buffer[i];
        if (CaseInSensitive) {
            a = RtlpUpper(a);
            b = RtlpUpper(b);
        }
        if (a != b)
            return (LONG)(UCHAR)a - (LONG)(UCHAR)b;
    }
    return (LONG)String1->Length - (LONG)String2->Length;
}

NTKRNL_EXPORT BOOLEAN NTAPI RtlEqualString(const PSTRING String1, const PSTRING String2,
                                           BOOLEAN CaseInSensitive)
{
    return String1->Length == String2->Length &&
           RtlCompareString(String1, String2, CaseInSensitive) == 0;
}

NTKRNL_EXPORT VOID NTAPI RtlUpperString(PSTRING DestinationString, const PSTRING SourceString)
{
    USHORT Length = SourceString->Length < DestinationString->MaximumLength
                        ? SourceString->Length
                        : DestinationString->MaximumLength;

    for (USHORT i = 0; i < Length; i++)
        DestinationString->Buffer[i] = RtlpUpper(SourceString->Buffer[i]);
    DestinationString->Length = Length;
}

NTKRNL_EXPORT NTSTATUS NTAPI RtlAppendStringToString(PSTRING Destination, const STRING *Source)
{
    if (Source->Length > Destination->MaximumLength - Destination->Length)
        return STATUS_BUFFER_TOO_SMALL;
    memmove(Destination->Buffer + Destination->Length, Source->Buffer, Source->Length);
    Destination->Length += Source->Length;
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI RtlAppendAsciizToString(PSTRING Destination, PCSZ Source)
{
    SIZE_T Length;

    if (!Source)
        return STATUS_SUCCESS;
    Length = strlen(Source);
    if (Length > (SIZE_T)(Destination->MaximumLength - Destination->Length))
        return STATUS_BUFFER_TOO_SMALL;
    memmove(Destination->Buffer + Destination->Length, Source, Length);
    Destination->Length += (USHORT)Length;
    return STATUS_SUCCESS;
}

/* ---- C routines ------------------------------------------------------------------------ */

NTKRNL_EXPORT int __cdecl sprintf(char *Buffer, const char *Format, ...)
{
    va_list Args;
    int Count;

    va_start(Args, Format);
    Count = _vsnprintf(Buffer, (size_t)MAXLONG, Format, Args);
    va_end(Args);
    return Count;
}

NTKRNL_EXPORT char *__cdecl strncat(char *Destination, const char *Source, size_t Count)
{
    char *End = Destination + strlen(Destination);

    while (Count-- && *Source)
        *End++ = *Source++;
    *End = 0;
    return Destination;
}

NTKRNL_EXPORT wchar_t *__cdecl wcsncpy(wchar_t *Destination, const wchar_t *Source, size_t Count)
{
    size_t i = 0;

    for (; i < Count && Source[i]; i++)
        Destination[i] = Source[i];
    for (; i < Count; i++)
        Destination[i] = 0;
    return Destination;
}

NTKRNL_EXPORT wchar_t *__cdecl wcsncat(wchar_t *Destination, const wchar_t *Source, size_t Count)
{
    wchar_t *End = Destination + wcslen(Destination);

    while (Count-- && *Source)
        *End++ = *Source++;
    *End = 0;
    return Destination;
}
