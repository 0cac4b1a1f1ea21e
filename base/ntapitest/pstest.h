/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the process and thread creation tests share (create.c, suspend.c,
 * setinfo.c, userproc.c, rtlprocess.c): Windows' values and records of
 * NtCreateThreadEx / NtCreateUserProcess, and helpers that start a thread
 * and wait for a thread or process to end: NtWaitForSingleObject (10 s at
 * most) when the handle allows it, then the exit status polled with
 * NtYieldExecution, bounded.
 */
#pragma once

#include "ntapitest.h"

#define PROCESS_CREATE_THREAD            0x0002u
#define PROCESS_SET_INFORMATION          0x0200u
#define THREAD_SUSPEND_RESUME            0x0002u
#define THREAD_SET_INFORMATION           0x0020u
#define THREAD_SET_LIMITED_INFORMATION   0x0400u
#define THREAD_QUERY_LIMITED_INFORMATION 0x0800u

#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED   0x01u
#define THREAD_CREATE_FLAGS_SKIP_THREAD_ATTACH 0x02u
#define THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER 0x04u

#define PS_ATTRIBUTE_CLIENT_ID   0x10003u
#define PS_ATTRIBUTE_TEB_ADDRESS 0x10004u
#define PS_ATTRIBUTE_IMAGE_NAME  0x20005u
#define PS_ATTRIBUTE_IMAGE_INFO  0x00006u

typedef struct _NTAPI_PS_ATTRIBUTE {
    ULONG_PTR Attribute;
    SIZE_T Size;
    ULONG_PTR Value;
    SIZE_T *ReturnLength;
} NTAPI_PS_ATTRIBUTE;
_Static_assert(sizeof(NTAPI_PS_ATTRIBUTE) == 32, "PS_ATTRIBUTE");

typedef struct _NTAPI_PS_ATTRIBUTE_LIST {
    SIZE_T TotalLength;
    NTAPI_PS_ATTRIBUTE Attributes[2];
} NTAPI_PS_ATTRIBUTE_LIST;

/* The routine a test thread runs (a PUSER_THREAD_START_ROUTINE). */
typedef NTSTATUS(NTAPI *NTAPI_THREAD_ROUTINE)(PVOID Argument);

/* NtCreateThreadEx in the caller's process with THREAD_ALL_ACCESS. */
NTSTATUS NtapiCreateThread(NTAPI_THREAD_ROUTINE Routine, PVOID Argument, ULONG Flags,
                           HANDLE *Thread);
/* Poll until the thread has ended (bounded); its exit status, or
 * STATUS_PENDING if it still runs after the bound. */
NTSTATUS NtapiWaitThread(HANDLE Thread);
/* The same for a process. */
NTSTATUS NtapiWaitProcess(HANDLE Process);
/* Give other threads the processor Count times. */
VOID NtapiYield(ULONG Count);

/* PS_CREATE_INFO, Windows x64 (the fields the tests read). */
typedef struct _NTAPI_PS_CREATE_INFO {
    SIZE_T Size;
    ULONG State;
    ULONG OutputFlags; /* SuccessState starts at 0x10 */
    ULONG OutputFlagsSuccess;
    HANDLE FileHandle;
    HANDLE SectionHandle;
    ULONGLONG UserProcessParametersNative;
    ULONG UserProcessParametersWow64;
    ULONG CurrentParameterFlags;
    ULONGLONG PebAddressNative;
    ULONG PebAddressWow64;
    ULONGLONG ManifestAddress;
    ULONG ManifestSize;
} NTAPI_PS_CREATE_INFO;
_Static_assert(sizeof(NTAPI_PS_CREATE_INFO) == 0x58, "PS_CREATE_INFO");
#define PsCreateFailOnFileOpen 1
#define PsCreateSuccess        6

#define PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x04u
#define NTAPI_CHILD_IMAGE                    u"\\SystemRoot\\System32\\pschild.exe"

/* Start pschild.exe with CommandLine (after "pschild.exe ") and Environment
 * (NAME=VALUE\0...\0\0, or NULL) through NtCreateUserProcess. */
NTSTATUS NtapiCreateChild(PCWSTR Arguments, PCWSTR Environment, ULONG ProcessFlags,
                          ULONG ThreadFlags, HANDLE *Process, HANDLE *Thread);
