/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counted strings: initialising, copying, appending, comparing and freeing
 * UNICODE_STRING and ANSI_STRING. Lengths are in bytes; a Buffer is
 * NUL-terminated only where Windows does it (the Init functions point at a
 * terminated source, copies and appends terminate when room is left).
 */
#include "rtlp.h"

/* Largest Length the Init functions produce: MaximumLength must still fit. */
#define RTLP_MAX_INIT_UNICODE (UNICODE_STRING_MAX_BYTES - sizeof(WCHAR))
#define RTLP_MAX_INIT_ANSI    (0xFFFF - sizeof(CHAR))

VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING Dest, PCWSTR Source)
{
    SIZE_T Size = 0;

    if (Source) {
        Size = RtlpWideLength(Source) * sizeof(WCHAR);
        if (Size > RTLP_MAX_INIT_UNICODE)
            Size = RTLP_MAX_INIT_UNICODE;
        Dest->Length = (USHORT)Size;
        Dest->MaximumLength = (USHORT)(Size + sizeof(WCHAR));
    } else {
        Dest->Length = Dest->MaximumLength = 0;
    }
    Dest->Buffer = (PWSTR)Source;
}

NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING Dest, PCWSTR Source)
{
    if (Source && RtlpWideLength(Source) * sizeof(WCHAR) > RTLP_MAX_INIT_UNICODE)
        return STATUS_NAME_TOO_LONG;
    RtlInitUnicodeString(Dest, Source);
    return STATUS_SUCCESS;
}

VOID NTAPI RtlInitAnsiString(PANSI_STRING Dest, PCSTR Source)
{
    SIZE_T Size = 0;

    if (Source) {
        Size = strlen(Source);
        if (Size > RTLP_MAX_INIT_ANSI)
            Size = RTLP_MAX_INIT_ANSI;
        Dest->Length = (USHORT)Size;
        Dest->MaximumLength = (USHORT)(Size + 1);
    } else {
        Dest->Length = Dest->MaximumLength = 0;
    }
    Dest->Buffer = (PCHAR)Source;
}

VOID NTAPI RtlInitString(PSTRING Dest, PCSTR Source)
{
    RtlInitAnsiString(Dest, Source);
}

BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING Dest, PCWSTR Source)
{
    SIZE_T Size = (RtlpWideLength(Source) + 1) * sizeof(WCHAR);

    if (Size > UNICODE_STRING_MAX_BYTES)
        return FALSE;
    Dest->Buffer = RtlpAllocateStringMemory(Size);
    if (!Dest->Buffer)
        return FALSE;
    memcpy(Dest->Buffer, Source, Size);
    Dest->MaximumLength = (USHORT)Size;
    Dest->Length = (USHORT)(Size - sizeof(WCHAR));
    return TRUE;
}

/* NUL-terminate String when a whole WCHAR still fits after Length. */
static VOID RtlpTerminateUnicode(PUNICODE_STRING String)
{
    if ((ULONG)String->Length + sizeof(WCHAR) <= String->MaximumLength)
        String->Buffer[String->Length / sizeof(WCHAR)] = 0;
}

VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source)
{
    USHORT Size;

    if (!Source) {
        Dest->Length = 0;
        return;
    }
    Size = Source->Length < Dest->MaximumLength ? Source->Length : Dest->MaximumLength;
    Size &= (USHORT)~1;
    memmove(Dest->Buffer, Source->Buffer, Size);
    Dest->Length = Size;
    RtlpTerminateUnicode(Dest);
}

/* Append Size bytes at Source (both in WCHARs) if they fit. */
static NTSTATUS RtlpAppendUnicode(PUNICODE_STRING Dest, PCWSTR Source, SIZE_T Size)
{
    if (Size == 0)
        return STATUS_SUCCESS;
    if ((SIZE_T)Dest->Length + Size > Dest->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    memmove((PUCHAR)Dest->Buffer + Dest->Length, Source, Size);
    Dest->Length = (USHORT)(Dest->Length + Size);
    RtlpTerminateUnicode(Dest);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Dest, PCUNICODE_STRING Source)
{
    return RtlpAppendUnicode(Dest, Source->Buffer, Source->Length);
}

NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Dest, PCWSTR Source)
{
    if (!Source)
        return STATUS_SUCCESS;
    return RtlpAppendUnicode(Dest, Source, RtlpWideLength(Source) * sizeof(WCHAR));
}

LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                   BOOLEAN CaseInsensitive)
{
    SIZE_T Count1 = String1->Length / sizeof(WCHAR), Count2 = String2->Length / sizeof(WCHAR);
    SIZE_T Count = Count1 < Count2 ? Count1 : Count2;
    SIZE_T i;

    for (i = 0; i < Count; i++) {
        WCHAR c1 = String1->Buffer[i], c2 = String2->Buffer[i];

        if (CaseInsensitive) {
            c1 = RtlUpcaseUnicodeChar(c1);
            c2 = RtlUpcaseUnicodeChar(c2);
        }
        if (c1 != c2)
            return (LONG)c1 - (LONG)c2;
    }
    return (LONG)Count1 - (LONG)Count2;
}

BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                    BOOLEAN CaseInsensitive)
{
    if (String1->Length != String2->Length)
        return FALSE;
    return RtlCompareUnicodeString(String1, String2, CaseInsensitive) == 0;
}

BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                     BOOLEAN CaseInsensitive)
{
    UNICODE_STRING Head;

    if (String1->Length > String2->Length)
        return FALSE;
    Head.Buffer = String2->Buffer;
    Head.Length = Head.MaximumLength = String1->Length;
    return RtlCompareUnicodeString(String1, &Head, CaseInsensitive) == 0;
}

/* Shared by the upcase and downcase forms: map each WCHAR through Map. */
static NTSTATUS RtlpMapUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source,
                                     BOOLEAN Allocate, WCHAR (*Map)(WCHAR))
{
    SIZE_T i;

    if (Allocate) {
        Dest->Buffer = RtlpAllocateStringMemory(Source->Length);
        if (!Dest->Buffer)
            return STATUS_NO_MEMORY;
        Dest->MaximumLength = Source->Length;
    } else if (Source->Length > Dest->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    for (i = 0; i < Source->Length / sizeof(WCHAR); i++)
        Dest->Buffer[i] = Map(Source->Buffer[i]);
    Dest->Length = Source->Length;
    return STATUS_SUCCESS;
}

static WCHAR RtlpUpcase(WCHAR c)
{
    return RtlUpcaseUnicodeChar(c);
}

static WCHAR RtlpDowncase(WCHAR c)
{
    return RtlDowncaseUnicodeChar(c);
}

NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source,
                                      BOOLEAN AllocateDestinationString)
{
    return RtlpMapUnicodeString(Dest, Source, AllocateDestinationString, RtlpUpcase);
}

NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source,
                                        BOOLEAN AllocateDestinationString)
{
    return RtlpMapUnicodeString(Dest, Source, AllocateDestinationString, RtlpDowncase);
}

VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING String)
{
    if (String->Buffer) {
        RtlpFreeStringMemory(String->Buffer);
        memset(String, 0, sizeof(*String));
    }
}

VOID NTAPI RtlFreeAnsiString(PANSI_STRING String)
{
    if (String->Buffer) {
        RtlpFreeStringMemory(String->Buffer);
        memset(String, 0, sizeof(*String));
    }
}

VOID NTAPI RtlFreeOemString(POEM_STRING String)
{
    RtlFreeAnsiString(String);
}
