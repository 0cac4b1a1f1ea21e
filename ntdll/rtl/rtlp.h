/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of the run-time library (ntdll/rtl/): the string
 * allocator hook, the current-directory query the path code needs, the
 * internal path functions that take the current directory as a parameter
 * (so they can be tested without a PEB), the NTSTATUS text lookup, and small
 * inline helpers shared by the rtl files.
 */
#pragma once

#include <nt/nt.h>
#include "../crt/crt.h"

/* ---- allocation (ntdll/rtl/memory.c) ---------------------------------------------- */

/* How Rtl functions that return new strings get and free memory. Until a
 * hook is set, allocation fails (STATUS_NO_MEMORY) and nothing is freed.
 * ntdll sets the process heap once it exists; ntos sets its pool. */
typedef PVOID (*RTLP_ALLOCATE_ROUTINE)(SIZE_T Size);
typedef VOID (*RTLP_FREE_ROUTINE)(PVOID Pointer);

VOID RtlpSetStringAllocator(RTLP_ALLOCATE_ROUTINE Allocate, RTLP_FREE_ROUTINE Free);
PVOID RtlpAllocateStringMemory(SIZE_T Size);
VOID RtlpFreeStringMemory(PVOID Pointer);

/* ---- paths (ntdll/rtl/pathname.c) ------------------------------------------------ */

/* Provided by whoever links the rtl: ntdll reads
 * Peb->ProcessParameters->CurrentDirectory.DosPath under the PEB lock; the
 * host test returns a fixture. The string ends in '\'. */
VOID RtlpQueryCurrentDirectory(PUNICODE_STRING CurrentDirectory);

/* RtlGetFullPathName_U with an explicit current directory (must end in
 * '\', e.g. "C:\dir\" or "\\server\share\dir\"). */
ULONG RtlpGetFullPathName(PCWSTR FileName, PCUNICODE_STRING CurrentDirectory, ULONG Size,
                          PWSTR Buffer, PWSTR *FilePart);
/* RtlDosPathNameToNtPathName_U_WithStatus with an explicit current
 * directory. STATUS_OBJECT_NAME_INVALID for an empty or unusable name,
 * STATUS_NAME_TOO_LONG, STATUS_NO_MEMORY. */
NTSTATUS RtlpDosPathNameToNtPathName(PCWSTR DosName, PCUNICODE_STRING CurrentDirectory,
                                     PUNICODE_STRING NtName, PWSTR *FilePart,
                                     PRTL_RELATIVE_NAME_U RelativeName);

/* ---- status text (ntdll/rtl/status.c) ------------------------------------------------ */

/* Name ("STATUS_ACCESS_DENIED") and message of a known status; FALSE and
 * both NULL for an unknown one. */
BOOLEAN RtlpNtStatusText(NTSTATUS Status, const char **Name, const char **Message);

/* ---- helpers ---------------------------------------------------------------------- */

static inline SIZE_T RtlpWideLength(PCWSTR String)
{
    SIZE_T Length = 0;

    while (String[Length])
        Length++;
    return Length;
}

static inline BOOLEAN RtlpIsSeparator(WCHAR Char)
{
    return Char == '\\' || Char == '/';
}
