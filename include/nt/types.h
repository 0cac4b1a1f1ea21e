/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The NT base types, defined once for both of Nereid's ABIs: ntos is an ELF
 * built by host gcc (SysV, LP64: `long` is 64-bit, `wchar_t` 32-bit) and the
 * PE images are built by mingw-w64 (Microsoft x64, LLP64: `long` 32-bit,
 * `wchar_t` 16-bit). So nothing here uses `long` or `wchar_t`: every integer
 * is a fixed-width type, WCHAR is uint16_t (write literals as u"..."), and
 * pointers and handles are 64-bit in both. The structures that ntos builds
 * for user space (TEB, PEB, process parameters, ...) keep real pointer types
 * in their pointer fields: the size and alignment are the same under both
 * ABIs, and ntos stores *user* addresses there by casting and never
 * dereferences them. Every size and offset is _Static_asserted against
 * spec/nt-abi.md; tests/host/nt-layout compares them with mingw-w64's own
 * headers.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

_Static_assert(sizeof(void *) == 8, "Nereid is x86_64 only: pointers are 64-bit");

/* Calling-convention markers. On x64 there is one convention per ABI. */
#ifndef NTAPI
#define NTAPI
#endif
#ifndef NTSYSAPI
#define NTSYSAPI
#endif

/* ---- scalar types ---------------------------------------------------------- */

typedef void VOID, *PVOID;
typedef const void *PCVOID;
typedef uint8_t UCHAR, *PUCHAR, BYTE, *PBYTE;
typedef char CHAR, *PCHAR, *PSTR, *LPSTR;
typedef const char *PCSTR, *PCSZ;
typedef uint16_t USHORT, *PUSHORT, WORD, *PWORD;
typedef int16_t SHORT, *PSHORT, CSHORT;
typedef uint16_t WCHAR, *PWCHAR, *PWCH, *PWSTR, *LPWSTR;
typedef const uint16_t *PCWSTR, *PCWCH, *LPCWSTR;
typedef int32_t LONG, *PLONG, INT, *PINT;
typedef uint32_t ULONG, *PULONG, DWORD, *PDWORD, UINT, *PUINT;
typedef int64_t LONGLONG, *PLONGLONG, LONG64, *PLONG64;
typedef uint64_t ULONGLONG, *PULONGLONG, ULONG64, *PULONG64, DWORD64, *PDWORD64;
typedef int64_t LONG_PTR, *PLONG_PTR, SSIZE_T;
typedef uint64_t ULONG_PTR, *PULONG_PTR, SIZE_T, *PSIZE_T, KAFFINITY;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef int32_t BOOL;
typedef void *HANDLE, **PHANDLE;
typedef ULONG ACCESS_MASK, *PACCESS_MASK;
typedef ULONG LOGICAL;
typedef uint16_t RTL_ATOM;

#ifndef TRUE
#define TRUE  1
#define FALSE 0
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif

/* ---- NTSTATUS -------------------------------------------------------------- */

/* Bits 31-30 severity (0 success, 1 informational, 2 warning, 3 error),
 * bit 29 customer, bits 27-16 facility, 15-0 code. Values: <nt/ntstatus.h>. */
typedef int32_t NTSTATUS, *PNTSTATUS;

#define NT_SUCCESS(s)     ((NTSTATUS)(s) >= 0)
#define NT_INFORMATION(s) ((((ULONG)(s)) >> 30) == 1)
#define NT_WARNING(s)     ((((ULONG)(s)) >> 30) == 2)
#define NT_ERROR(s)       ((((ULONG)(s)) >> 30) == 3)

/* ---- large integers, lists, GUIDs ------------------------------------------ */

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID, *PGUID;

_Static_assert(sizeof(LARGE_INTEGER) == 8, "LARGE_INTEGER");
_Static_assert(sizeof(LIST_ENTRY) == 16, "LIST_ENTRY");
_Static_assert(offsetof(LIST_ENTRY, Blink) == 8, "LIST_ENTRY.Blink");
_Static_assert(sizeof(GUID) == 16, "GUID");
_Static_assert(offsetof(GUID, Data4) == 8, "GUID.Data4");

/* ---- counted strings ------------------------------------------------------- */

/* Length and MaximumLength are in bytes; Buffer need not be NUL-terminated. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCANSI_STRING, *PCOEM_STRING, *PCSTRING;

_Static_assert(sizeof(UNICODE_STRING) == 16, "UNICODE_STRING");
_Static_assert(offsetof(UNICODE_STRING, MaximumLength) == 2, "UNICODE_STRING.MaximumLength");
_Static_assert(offsetof(UNICODE_STRING, Buffer) == 8, "UNICODE_STRING.Buffer");
_Static_assert(sizeof(ANSI_STRING) == 16, "ANSI_STRING");
_Static_assert(offsetof(ANSI_STRING, Buffer) == 8, "ANSI_STRING.Buffer");

/* Largest byte length a counted string can describe (and stay WCHAR-aligned). */
#define UNICODE_STRING_MAX_BYTES ((USHORT)65534)
#define UNICODE_STRING_MAX_CHARS 32767

/* ---- object attributes, client id, I/O status ------------------------------ */

typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

#define OBJ_PROTECT_CLOSE      0x00000001
#define OBJ_INHERIT            0x00000002
#define OBJ_AUDIT_OBJECT_CLOSE 0x00000004
#define OBJ_PERMANENT          0x00000010
#define OBJ_EXCLUSIVE          0x00000020
#define OBJ_CASE_INSENSITIVE   0x00000040
#define OBJ_OPENIF             0x00000080
#define OBJ_OPENLINK           0x00000100
#define OBJ_KERNEL_HANDLE      0x00000200
#define OBJ_FORCE_ACCESS_CHECK 0x00000400
#define OBJ_DONT_REPARSE       0x00001000
#define OBJ_VALID_ATTRIBUTES   0x00001FF2

_Static_assert(sizeof(OBJECT_ATTRIBUTES) == 0x30, "OBJECT_ATTRIBUTES");
_Static_assert(offsetof(OBJECT_ATTRIBUTES, RootDirectory) == 0x08, "OA.RootDirectory");
_Static_assert(offsetof(OBJECT_ATTRIBUTES, ObjectName) == 0x10, "OA.ObjectName");
_Static_assert(offsetof(OBJECT_ATTRIBUTES, Attributes) == 0x18, "OA.Attributes");
_Static_assert(offsetof(OBJECT_ATTRIBUTES, SecurityDescriptor) == 0x20, "OA.SD");
_Static_assert(offsetof(OBJECT_ATTRIBUTES, SecurityQualityOfService) == 0x28, "OA.SQOS");

typedef struct _CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;

_Static_assert(sizeof(CLIENT_ID) == 16, "CLIENT_ID");
_Static_assert(offsetof(CLIENT_ID, UniqueThread) == 8, "CLIENT_ID.UniqueThread");

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

_Static_assert(sizeof(IO_STATUS_BLOCK) == 16, "IO_STATUS_BLOCK");
_Static_assert(offsetof(IO_STATUS_BLOCK, Information) == 8, "IO_STATUS_BLOCK.Information");

/* ---- bitmaps ----------------------------------------------------------------- */

/* SizeOfBitMap counts bits; Buffer holds them, bit n in Buffer[n / 32]. */
typedef struct _RTL_BITMAP {
    ULONG SizeOfBitMap;
    PULONG Buffer;
} RTL_BITMAP, *PRTL_BITMAP;

typedef struct _RTL_BITMAP_RUN {
    ULONG StartingIndex;
    ULONG NumberOfBits;
} RTL_BITMAP_RUN, *PRTL_BITMAP_RUN;

_Static_assert(sizeof(RTL_BITMAP) == 16, "RTL_BITMAP");
_Static_assert(offsetof(RTL_BITMAP, Buffer) == 8, "RTL_BITMAP.Buffer");
_Static_assert(sizeof(RTL_BITMAP_RUN) == 8, "RTL_BITMAP_RUN");

/* ---- time --------------------------------------------------------------------- */

/* Broken-down time; Weekday 0 = Sunday. */
typedef struct _TIME_FIELDS {
    CSHORT Year;
    CSHORT Month;
    CSHORT Day;
    CSHORT Hour;
    CSHORT Minute;
    CSHORT Second;
    CSHORT Milliseconds;
    CSHORT Weekday;
} TIME_FIELDS, *PTIME_FIELDS;

_Static_assert(sizeof(TIME_FIELDS) == 16, "TIME_FIELDS");

/* 100 ns since 1601-01-01 UTC, written High2Time, LowPart, High1Time. */
typedef struct _KSYSTEM_TIME {
    ULONG LowPart;
    LONG High1Time;
    LONG High2Time;
} KSYSTEM_TIME, *PKSYSTEM_TIME;

_Static_assert(sizeof(KSYSTEM_TIME) == 12, "KSYSTEM_TIME");
