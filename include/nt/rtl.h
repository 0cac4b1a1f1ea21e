/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Prototypes of the pure run-time library (ntdll/rtl/): counted strings,
 * code-page and UTF-8 conversion, case mapping, number conversion, bitmaps,
 * time and DOS path parsing. The same code is linked into ntdll.dll and,
 * where useful, into ntos; it needs no heap of its own (functions that
 * allocate use the hook of RtlpSetStringAllocator, ntdll/rtl/rtlp.h) and no
 * PEB, except the public path functions, which ask the environment for the
 * current directory. Semantics follow Windows; the deviations are listed in
 * ntdll/README.md.
 */
#pragma once

#include <nt/types.h>

/* ---- counted strings (ntdll/rtl/ustring.c) ------------------------------------ */

/* Point Dest at Source (not copied). A Source longer than the largest
 * counted string is truncated to 0xfffc bytes (0xfffe for ANSI). */
NTSYSAPI VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING Dest, PCWSTR Source);
NTSYSAPI NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING Dest, PCWSTR Source);
NTSYSAPI VOID NTAPI RtlInitAnsiString(PANSI_STRING Dest, PCSTR Source);
NTSYSAPI VOID NTAPI RtlInitString(PSTRING Dest, PCSTR Source);
/* Allocates a NUL-terminated copy of Source; FALSE when allocation fails. */
NTSYSAPI BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING Dest, PCWSTR Source);
/* Copies as much as fits; NUL-terminates when there is room. */
NTSYSAPI VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source);
/* STATUS_BUFFER_TOO_SMALL (Dest unchanged) when the result does not fit. */
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Dest,
                                                       PCUNICODE_STRING Source);
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Dest, PCWSTR Source);
/* <0, 0, >0 like memcmp, in WCHARs; CaseInsensitive compares upcased. */
NTSYSAPI LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                            BOOLEAN CaseInsensitive);
NTSYSAPI BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                             BOOLEAN CaseInsensitive);
/* TRUE when String1 is a prefix of String2. */
NTSYSAPI BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                              BOOLEAN CaseInsensitive);
/* Allocate: a new buffer of Source->Length bytes; else STATUS_BUFFER_OVERFLOW
 * when Source->Length > Dest->MaximumLength. Never NUL-terminates. */
NTSYSAPI NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source,
                                               BOOLEAN AllocateDestinationString);
NTSYSAPI NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source,
                                                 BOOLEAN AllocateDestinationString);
/* Free a Buffer that an Rtl function allocated; zero the string. */
NTSYSAPI VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING String);
NTSYSAPI VOID NTAPI RtlFreeAnsiString(PANSI_STRING String);
NTSYSAPI VOID NTAPI RtlFreeOemString(POEM_STRING String);

/* ---- case mapping and code pages (ntdll/rtl/nls.c) ------------------------------- */

NTSYSAPI WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR Source);
NTSYSAPI WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR Source);
NTSYSAPI CHAR NTAPI RtlUpperChar(CHAR Character);

/* Single-byte conversions: convert min(source, room) characters, report the
 * bytes written, and return STATUS_SUCCESS even when the output was cut. */
NTSYSAPI NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
                                               PULONG BytesInUnicodeString,
                                               const CHAR *MultiByteString,
                                               ULONG BytesInMultiByteString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR MultiByteString,
                                               ULONG MaxBytesInMultiByteString,
                                               PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                               ULONG BytesInUnicodeString);
NTSYSAPI NTSTATUS NTAPI RtlOemToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
                                         PULONG BytesInUnicodeString, const CHAR *OemString,
                                         ULONG BytesInOemString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToOemN(PCHAR OemString, ULONG MaxBytesInOemString,
                                         PULONG BytesInOemString, PCWCH UnicodeString,
                                         ULONG BytesInUnicodeString);
NTSYSAPI NTSTATUS NTAPI RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString,
                                                  const CHAR *MultiByteString,
                                                  ULONG BytesInMultiByteString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString,
                                                  PCWCH UnicodeString, ULONG BytesInUnicodeString);

/* Sizes include the terminating NUL. */
NTSYSAPI ULONG NTAPI RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString);
NTSYSAPI ULONG NTAPI RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString);
NTSYSAPI ULONG NTAPI RtlxOemStringToUnicodeSize(PCOEM_STRING OemString);
NTSYSAPI ULONG NTAPI RtlxUnicodeStringToOemSize(PCUNICODE_STRING UnicodeString);
#define RtlAnsiStringToUnicodeSize(s) RtlxAnsiStringToUnicodeSize(s)
#define RtlUnicodeStringToAnsiSize(s) RtlxUnicodeStringToAnsiSize(s)
#define RtlOemStringToUnicodeSize(s)  RtlxOemStringToUnicodeSize(s)
#define RtlUnicodeStringToOemSize(s)  RtlxUnicodeStringToOemSize(s)

/* Counted-string conversions. Results are NUL-terminated. Errors:
 * STATUS_INVALID_PARAMETER_2 (result longer than a counted string can be),
 * STATUS_NO_MEMORY (allocation), STATUS_BUFFER_OVERFLOW (no room; the
 * Unicode-to-ANSI form still converts what fits). */
NTSYSAPI NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING Dest, PCANSI_STRING Source,
                                                     BOOLEAN AllocateDestinationString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING Dest, PCUNICODE_STRING Source,
                                                     BOOLEAN AllocateDestinationString);
NTSYSAPI NTSTATUS NTAPI RtlOemStringToUnicodeString(PUNICODE_STRING Dest, PCOEM_STRING Source,
                                                    BOOLEAN AllocateDestinationString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToOemString(POEM_STRING Dest, PCUNICODE_STRING Source,
                                                    BOOLEAN AllocateDestinationString);

/* ---- UTF-8 (ntdll/rtl/utf8.c) ------------------------------------------------------ */

/* Destination NULL: only the size is computed. Ill-formed input becomes
 * U+FFFD and the result STATUS_SOME_NOT_MAPPED; STATUS_BUFFER_TOO_SMALL when
 * the output was cut (at a character boundary); STATUS_INVALID_PARAMETER_4
 * for a NULL source, STATUS_INVALID_PARAMETER for a NULL ActualByteCount. */
NTSYSAPI NTSTATUS NTAPI RtlUTF8ToUnicodeN(PWSTR UnicodeStringDestination,
                                          ULONG UnicodeStringMaxByteCount,
                                          PULONG UnicodeStringActualByteCount,
                                          const CHAR *UTF8StringSource, ULONG UTF8StringByteCount);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToUTF8N(PCHAR UTF8StringDestination, ULONG UTF8StringMaxByteCount,
                                          PULONG UTF8StringActualByteCount,
                                          PCWCH UnicodeStringSource, ULONG UnicodeStringByteCount);

/* ---- numbers (ntdll/rtl/convert.c) ---------------------------------------------------- */

/* Base 0 means 10; otherwise 2, 8, 10 or 16 (STATUS_INVALID_PARAMETER).
 * Length 0: no limit, NUL-terminated; STATUS_BUFFER_OVERFLOW when the digits
 * exceed Length; NUL-terminated only when shorter than Length. */
NTSYSAPI NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG Length, PCHAR String);
/* STATUS_BUFFER_OVERFLOW unless the digits and a NUL fit in MaximumLength. */
NTSYSAPI NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String);
/* Leading white space, a sign, and with Base 0 a 0x/0o/0b prefix; stops at
 * the first non-digit; wraps modulo 2^32. STATUS_ACCESS_VIOLATION for a NULL
 * Value. */
NTSYSAPI NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base,
                                                  PULONG Value);

/* ---- bitmaps (ntdll/rtl/bitmap.c) ------------------------------------------------------ */

#define RTL_BITMAP_NOT_FOUND 0xFFFFFFFFU

NTSYSAPI VOID NTAPI RtlInitializeBitMap(PRTL_BITMAP BitMapHeader, PULONG BitMapBuffer,
                                        ULONG SizeOfBitMap);
NTSYSAPI VOID NTAPI RtlSetAllBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI VOID NTAPI RtlClearAllBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI VOID NTAPI RtlSetBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI VOID NTAPI RtlClearBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI BOOLEAN NTAPI RtlTestBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI VOID NTAPI RtlSetBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToSet);
NTSYSAPI VOID NTAPI RtlClearBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex,
                                 ULONG NumberToClear);
/* FALSE for an empty or out-of-range run. */
NTSYSAPI BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length);
NTSYSAPI BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length);
/* First run of NumberToFind bits at or after HintIndex, wrapping around;
 * RTL_BITMAP_NOT_FOUND when there is none. */
NTSYSAPI ULONG NTAPI RtlFindClearBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind,
                                      ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindSetBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP BitMapHeader, ULONG NumberToFind,
                                            ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindSetBitsAndClear(PRTL_BITMAP BitMapHeader, ULONG NumberToFind,
                                            ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlNumberOfSetBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI ULONG NTAPI RtlNumberOfClearBits(PRTL_BITMAP BitMapHeader);
/* Length of the run found (0: none) and its start in *StartingIndex. */
NTSYSAPI ULONG NTAPI RtlFindFirstRunClear(PRTL_BITMAP BitMapHeader, PULONG StartingIndex);
NTSYSAPI ULONG NTAPI RtlFindNextForwardRunClear(PRTL_BITMAP BitMapHeader, ULONG FromIndex,
                                                PULONG StartingRunIndex);
NTSYSAPI ULONG NTAPI RtlFindLongestRunClear(PRTL_BITMAP BitMapHeader, PULONG StartingIndex);
/* Bit number, or -1 for 0. */
NTSYSAPI CHAR NTAPI RtlFindMostSignificantBit(ULONGLONG Set);
NTSYSAPI CHAR NTAPI RtlFindLeastSignificantBit(ULONGLONG Set);

/* ---- time (ntdll/rtl/time.c) --------------------------------------------------------------- */

#define RTL_TICKS_PER_SECOND     10000000LL
#define RTL_SECONDS_1601_TO_1970 11644473600LL
#define RTL_SECONDS_1601_TO_1980 11960006400LL

NTSYSAPI VOID NTAPI RtlTimeToTimeFields(PLARGE_INTEGER Time, PTIME_FIELDS TimeFields);
/* FALSE for a field out of range (Weekday is ignored) or a year before 1601. */
NTSYSAPI BOOLEAN NTAPI RtlTimeFieldsToTime(PTIME_FIELDS TimeFields, PLARGE_INTEGER Time);
/* FALSE when the time is before 1970 or after 2106-02-07 06:28:15. */
NTSYSAPI BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds);
NTSYSAPI VOID NTAPI RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time);
NTSYSAPI BOOLEAN NTAPI RtlTimeToSecondsSince1980(PLARGE_INTEGER Time, PULONG ElapsedSeconds);
NTSYSAPI VOID NTAPI RtlSecondsSince1980ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time);

/* ---- DOS paths (ntdll/rtl/path.c, pathname.c) -------------------------------------------- */

typedef enum _RTL_PATH_TYPE {
    RtlPathTypeUnknown,
    RtlPathTypeUncAbsolute,     /* \\server\share */
    RtlPathTypeDriveAbsolute,   /* C:\ */
    RtlPathTypeDriveRelative,   /* C:foo */
    RtlPathTypeRooted,          /* \foo */
    RtlPathTypeRelative,        /* foo */
    RtlPathTypeLocalDevice,     /* \\.\foo, \\?\foo */
    RtlPathTypeRootLocalDevice, /* \\. or \\? */
} RTL_PATH_TYPE;

typedef struct _RTL_RELATIVE_NAME_U {
    UNICODE_STRING RelativeName;
    HANDLE ContainingDirectory;
    PVOID CurDirRef;
} RTL_RELATIVE_NAME_U, *PRTL_RELATIVE_NAME_U;

NTSYSAPI RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR Path);
/* (byte offset << 16) | byte length of the DOS device name (CON, NUL, AUX,
 * PRN, COM1-9, LPT1-9) that DosFileName refers to, or 0. */
NTSYSAPI ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR DosFileName);
/* Bytes written (without the NUL) when the full path fits in Size bytes,
 * else the bytes needed including the NUL; 0 on error. *FilePart points at
 * the last component in Buffer, or is NULL when the path ends in '\'.
 * Uses the process's current directory (RtlpQueryCurrentDirectory). */
NTSYSAPI ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer,
                                          PWSTR *FilePart);
/* The NT name (\??\C:\..., \??\UNC\server\...) in a newly allocated,
 * NUL-terminated NtName; free it with RtlFreeUnicodeString. */
NTSYSAPI BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName,
                                                    PWSTR *FilePart,
                                                    PRTL_RELATIVE_NAME_U RelativeName);
NTSYSAPI NTSTATUS NTAPI RtlDosPathNameToNtPathName_U_WithStatus(PCWSTR DosName,
                                                                PUNICODE_STRING NtName,
                                                                PWSTR *FilePart,
                                                                PRTL_RELATIVE_NAME_U RelativeName);

/* ---- shell branch: NTSTATUS text (ntdll/rtl/status.c) ----------------------------- */

/* The name ("STATUS_INVALID_CID") and one-sentence message of Status from
 * include/nt/ntstatus.def; FALSE with both NULL for a value not listed.
 * Nereid's own export (no Windows equivalent), for smss and ntcmd. */
NTSYSAPI BOOLEAN NTAPI RtlNereidStatusText(NTSTATUS Status, PCSTR *Name, PCSTR *Message);

/* ---- dirctl branch: file name expressions (ntdll/rtl/expr.c) ------------------------ */

/* TRUE when Name matches Expression: `*` any run of characters, `?` one
 * character, and the DOS forms `<` (DOS_STAR: any run up to the name's last
 * period), `>` (DOS_QM: one character, none at a period or the end) and `"`
 * (DOS_DOT: a period, or nothing at the end), as FsRtlIsNameInExpression.
 * With IgnoreCase, Expression must be upper case already and Name is
 * upcased through UpcaseTable (a 65536-entry table) or, NULL, as
 * RtlUpcaseUnicodeChar. Names longer than RTL_MAX_EXPRESSION_NAME characters
 * never match (no file system has such components). */
#define RTL_MAX_EXPRESSION_NAME 2047
NTSYSAPI BOOLEAN NTAPI RtlIsNameInExpression(PCUNICODE_STRING Expression, PCUNICODE_STRING Name,
                                             BOOLEAN IgnoreCase, PWCH UpcaseTable);
