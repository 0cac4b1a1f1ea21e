/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll-wide private interface: the current TEB and PEB, the pseudo
 * handles, and the prototypes of the few system services and exports that
 * ntdll's own code calls (the loader ends a process with NtTerminateProcess,
 * DbgPrint writes with NtDisplayString). The service stubs themselves come
 * from B's generated build/ntdll/ntsvc_stubs.c; these declarations must
 * match Windows' signatures, which is what the generator implements.
 * Component-private prototypes live in <area>/<area>p.h (ldr/ldrp.h, ...).
 */
#pragma once

#include <stdarg.h>
#include <nt/nt.h>
#include "crt/crt.h"

/* ---- current thread and process (peb.c) ------------------------------------- */

/* The TEB of the calling thread: its NtTib.Self, read through GS. */
static inline PTEB NtdllpCurrentTeb(void)
{
    PTEB Teb;

    __asm__ volatile("movq %%gs:0x30, %0" : "=r"(Teb));
    return Teb;
}

static inline PPEB NtdllpCurrentPeb(void)
{
    return NtdllpCurrentTeb()->ProcessEnvironmentBlock;
}

/* The exported forms of the two above (Windows names). */
PTEB NTAPI NtCurrentTeb(void);
PPEB NTAPI RtlGetCurrentPeb(void);

/* Turn the offsets of unnormalised process parameters into pointers (once;
 * RTL_USER_PROC_PARAMS_NORMALIZED tells). Returns Params. */
PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params);

#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread()  ((HANDLE)(LONG_PTR)-2)

/* ---- system services ntdll itself calls (stubs: build/ntdll/ntsvc_stubs.c) -- */

NTSTATUS NTAPI NtDisplayString(PUNICODE_STRING String);
NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, SIZE_T *RegionSize,
                                      ULONG NewProtect, ULONG *OldProtect);

/* ---- debug output (dbg/print.c) --------------------------------------------- */

ULONG DbgPrint(PCSTR Format, ...);
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
ULONG NTAPI vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, va_list Arguments);

/* ---- C runtime (crt/printf.c) ----------------------------------------------- */

/* Microsoft semantics: the length written, or -1 when the output (without
 * the NUL) does not fit in Count; a NUL is added only when there is room. */
int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Arguments);
int _snprintf(char *Buffer, size_t Count, const char *Format, ...);
