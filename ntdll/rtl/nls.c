/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Case mapping and the two single-byte code pages the run-time library
 * knows: ANSI 1252 and OEM 437. The tables come from tools/nlsgen.py
 * (build/ntdll/rtl/nlsdata.h). This file owns the character-level lookups,
 * the N-form buffer conversions and the counted-string conversions between
 * UNICODE_STRING and ANSI/OEM strings.
 * FIXME: switch to the tables of the NLS files the PEB points at
 * (AnsiCodePageData, OemCodePageData, UnicodeCaseTableData) when ntos maps
 * them, so other code pages work.
 */
#include "rtlp.h"
#include "nlsdata.h"

/* One code page: its byte -> WCHAR table and its two-level inverse. */
typedef struct _RTLP_CODE_PAGE {
    const WCHAR *ToUnicode;
    const USHORT *FromIndex;
    const UCHAR (*FromBlocks)[256];
} RTLP_CODE_PAGE;

static const RTLP_CODE_PAGE RtlpAnsiCodePage = {RtlpAnsiToUnicode, RtlpAnsiFromUnicodeIndex,
                                                RtlpAnsiFromUnicodeBlocks};
static const RTLP_CODE_PAGE RtlpOemCodePage = {RtlpOemToUnicode, RtlpOemFromUnicodeIndex,
                                               RtlpOemFromUnicodeBlocks};

WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR Source)
{
    USHORT Delta = RtlpUpcaseBlocks[RtlpUpcaseIndex[Source >> 8]][Source & 0xff];

    return (WCHAR)(Source + Delta);
}

WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR Source)
{
    USHORT Delta = RtlpDowncaseBlocks[RtlpDowncaseIndex[Source >> 8]][Source & 0xff];

    return (WCHAR)(Source + Delta);
}

/* Upcase within the ANSI code page: through Unicode and back, keeping the
 * character when its upper case has no ANSI form. */
CHAR NTAPI RtlUpperChar(CHAR Character)
{
    UCHAR Byte = (UCHAR)Character;
    WCHAR Upper = RtlUpcaseUnicodeChar(RtlpAnsiToUnicode[Byte]);
    UCHAR Back = RtlpAnsiFromUnicodeBlocks[RtlpAnsiFromUnicodeIndex[Upper >> 8]][Upper & 0xff];

    if (RtlpAnsiToUnicode[Back] != Upper)
        return Character;
    return (CHAR)Back;
}

static ULONG RtlpToUnicode(const RTLP_CODE_PAGE *Cp, PWCH Dest, ULONG MaxBytes, const CHAR *Source,
                           ULONG SourceBytes)
{
    ULONG Count = MaxBytes / sizeof(WCHAR) < SourceBytes ? MaxBytes / sizeof(WCHAR) : SourceBytes;
    ULONG i;

    for (i = 0; i < Count; i++)
        Dest[i] = Cp->ToUnicode[(UCHAR)Source[i]];
    return Count * sizeof(WCHAR);
}

static ULONG RtlpFromUnicode(const RTLP_CODE_PAGE *Cp, PCHAR Dest, ULONG MaxBytes, PCWCH Source,
                             ULONG SourceBytes)
{
    ULONG Chars = SourceBytes / sizeof(WCHAR);
    ULONG Count = MaxBytes < Chars ? MaxBytes : Chars;
    ULONG i;

    for (i = 0; i < Count; i++) {
        WCHAR c = Source[i];

        Dest[i] = (CHAR)Cp->FromBlocks[Cp->FromIndex[c >> 8]][c & 0xff];
    }
    return Count;
}

NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
                                      PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                      ULONG BytesInMultiByteString)
{
    ULONG Bytes = RtlpToUnicode(&RtlpAnsiCodePage, UnicodeString, MaxBytesInUnicodeString,
                                MultiByteString, BytesInMultiByteString);

    if (BytesInUnicodeString)
        *BytesInUnicodeString = Bytes;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlOemToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
                                PULONG BytesInUnicodeString, const CHAR *OemString,
                                ULONG BytesInOemString)
{
    ULONG Bytes = RtlpToUnicode(&RtlpOemCodePage, UnicodeString, MaxBytesInUnicodeString, OemString,
                                BytesInOemString);

    if (BytesInUnicodeString)
        *BytesInUnicodeString = Bytes;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                      PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                      ULONG BytesInUnicodeString)
{
    ULONG Bytes = RtlpFromUnicode(&RtlpAnsiCodePage, MultiByteString, MaxBytesInMultiByteString,
                                  UnicodeString, BytesInUnicodeString);

    if (BytesInMultiByteString)
        *BytesInMultiByteString = Bytes;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeToOemN(PCHAR OemString, ULONG MaxBytesInOemString, PULONG BytesInOemString,
                                PCWCH UnicodeString, ULONG BytesInUnicodeString)
{
    ULONG Bytes = RtlpFromUnicode(&RtlpOemCodePage, OemString, MaxBytesInOemString, UnicodeString,
                                  BytesInUnicodeString);

    if (BytesInOemString)
        *BytesInOemString = Bytes;
    return STATUS_SUCCESS;
}

/* Both code pages are single-byte: one WCHAR per byte and back. */
NTSTATUS NTAPI RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                         ULONG BytesInMultiByteString)
{
    (void)MultiByteString;
    *BytesInUnicodeString = BytesInMultiByteString * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                         ULONG BytesInUnicodeString)
{
    (void)UnicodeString;
    *BytesInMultiByteString = BytesInUnicodeString / sizeof(WCHAR);
    return STATUS_SUCCESS;
}

ULONG NTAPI RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString)
{
    return ((ULONG)AnsiString->Length + 1) * sizeof(WCHAR);
}

ULONG NTAPI RtlxOemStringToUnicodeSize(PCOEM_STRING OemString)
{
    return ((ULONG)OemString->Length + 1) * sizeof(WCHAR);
}

ULONG NTAPI RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString)
{
    return UnicodeString->Length / sizeof(WCHAR) + 1;
}

ULONG NTAPI RtlxUnicodeStringToOemSize(PCUNICODE_STRING UnicodeString)
{
    return UnicodeString->Length / sizeof(WCHAR) + 1;
}

/* ANSI/OEM -> Unicode. As on Windows, Dest->Length is set before the room
 * check, so a caller sees the needed length after STATUS_BUFFER_OVERFLOW. */
static NTSTATUS RtlpStringToUnicode(const RTLP_CODE_PAGE *Cp, PUNICODE_STRING Dest, PCSTRING Source,
                                    BOOLEAN Allocate)
{
    ULONG Size = ((ULONG)Source->Length + 1) * sizeof(WCHAR);
    ULONG Bytes;

    if (Size > 0xFFFF)
        return STATUS_INVALID_PARAMETER_2;
    Dest->Length = (USHORT)(Size - sizeof(WCHAR));
    if (Allocate) {
        Dest->Buffer = RtlpAllocateStringMemory(Size);
        if (!Dest->Buffer)
            return STATUS_NO_MEMORY;
        Dest->MaximumLength = (USHORT)Size;
    } else if (Size > Dest->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    Bytes = RtlpToUnicode(Cp, Dest->Buffer, Dest->Length, Source->Buffer, Source->Length);
    Dest->Buffer[Bytes / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

/* Unicode -> ANSI/OEM. Without allocation and room, the ANSI form converts
 * what fits (and terminates) while returning STATUS_BUFFER_OVERFLOW; the OEM
 * form fails without writing. */
static NTSTATUS RtlpUnicodeToString(const RTLP_CODE_PAGE *Cp, PSTRING Dest, PCUNICODE_STRING Source,
                                    BOOLEAN Allocate, BOOLEAN Truncate)
{
    ULONG Size = Source->Length / sizeof(WCHAR) + 1;
    NTSTATUS Status = STATUS_SUCCESS;

    if (Size > 0xFFFF)
        return STATUS_INVALID_PARAMETER_2;
    Dest->Length = (USHORT)(Size - 1);
    if (Allocate) {
        Dest->Buffer = RtlpAllocateStringMemory(Size);
        if (!Dest->Buffer)
            return STATUS_NO_MEMORY;
        Dest->MaximumLength = (USHORT)Size;
    } else if (Size > Dest->MaximumLength) {
        if (!Truncate || Dest->MaximumLength == 0)
            return STATUS_BUFFER_OVERFLOW;
        Status = STATUS_BUFFER_OVERFLOW;
        Dest->Length = (USHORT)(Dest->MaximumLength - 1);
    }
    RtlpFromUnicode(Cp, Dest->Buffer, Dest->Length, Source->Buffer, Source->Length);
    Dest->Buffer[Dest->Length] = 0;
    return Status;
}

NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING Dest, PCANSI_STRING Source,
                                            BOOLEAN AllocateDestinationString)
{
    return RtlpStringToUnicode(&RtlpAnsiCodePage, Dest, Source, AllocateDestinationString);
}

NTSTATUS NTAPI RtlOemStringToUnicodeString(PUNICODE_STRING Dest, PCOEM_STRING Source,
                                           BOOLEAN AllocateDestinationString)
{
    return RtlpStringToUnicode(&RtlpOemCodePage, Dest, Source, AllocateDestinationString);
}

NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING Dest, PCUNICODE_STRING Source,
                                            BOOLEAN AllocateDestinationString)
{
    return RtlpUnicodeToString(&RtlpAnsiCodePage, Dest, Source, AllocateDestinationString, TRUE);
}

NTSTATUS NTAPI RtlUnicodeStringToOemString(POEM_STRING Dest, PCUNICODE_STRING Source,
                                           BOOLEAN AllocateDestinationString)
{
    return RtlpUnicodeToString(&RtlpOemCodePage, Dest, Source, AllocateDestinationString, FALSE);
}
