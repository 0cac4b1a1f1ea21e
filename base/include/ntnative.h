/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a native program (base/<program>/) sees of NT: the shared NT types
 * of include/nt/, and the ntdll exports it may call, all declared
 * dllimport so calls go straight through the import address table.
 * Programs link with -nostdlib against build/ntdll/libntdll.a and start at
 * NtProcessStartup(PPEB) (base/README.md); they never see seL4.
 */
#pragma once

#define NTSYSAPI __declspec(dllimport)
#include <stdarg.h>
#include <nt/nt.h>

#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread()  ((HANDLE)(LONG_PTR)-2)

/* ---- system services ----------------------------------------------------------- */

NTSYSAPI NTSTATUS NTAPI NtDisplayString(PUNICODE_STRING String);
NTSYSAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);

/* ---- environment ----------------------------------------------------------------- */

NTSYSAPI PTEB NTAPI NtCurrentTeb(void);
NTSYSAPI PPEB NTAPI RtlGetCurrentPeb(void);

/* ---- loader ------------------------------------------------------------------------ */

NTSYSAPI NTSTATUS NTAPI LdrGetDllHandle(PWSTR DllPath, PULONG DllCharacteristics,
                                        PUNICODE_STRING DllName, PVOID *DllHandle);
NTSYSAPI NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal,
                                               PVOID *ProcedureAddress);

/* ---- debug output and the C routines ntdll exports ------------------------------- */

NTSYSAPI ULONG DbgPrint(PCSTR Format, ...);
NTSYSAPI int _snprintf(char *Buffer, size_t Count, const char *Format, ...);
NTSYSAPI int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Arguments);
NTSYSAPI size_t strlen(const char *String);
