/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's process and thread creation helpers (ntdll/ps/): process
 * parameters, environment blocks, RtlCreateUserThread and
 * RtlCreateUserProcess, with Windows' signatures. Not included by nt.h:
 * include it where these are used.
 */
#pragma once

#include <nt/types.h>
#include <nt/peb.h>
#include <nt/image.h>

typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length;
    HANDLE ProcessHandle;
    HANDLE ThreadHandle;
    CLIENT_ID ClientId;
    SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION, *PRTL_USER_PROCESS_INFORMATION;
_Static_assert(sizeof(RTL_USER_PROCESS_INFORMATION) == 0x68, "RTL_USER_PROCESS_INFORMATION");

typedef NTSTATUS(NTAPI *PRTL_THREAD_START_ROUTINE)(PVOID Parameter);

/* ---- process parameters (ntdll/ps/params.c) ------------------------------------ */

/* One block (freed with RtlDestroyProcessParameters) holding the strings
 * and a copy of Environment (NULL: the caller's environment). DllPath and
 * CurrentDirectory default to the caller's, CommandLine to ImagePathName,
 * the others to empty strings. The Ex form returns it normalised when
 * Flags has RTL_USER_PROC_PARAMS_NORMALIZED, otherwise with offsets, as
 * the plain form always does. STATUS_INVALID_PARAMETER (no image name),
 * STATUS_NAME_TOO_LONG, NtAllocateVirtualMemory's errors. */
NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParameters(
    PRTL_USER_PROCESS_PARAMETERS *ProcessParameters, PUNICODE_STRING ImagePathName,
    PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
    PVOID Environment, PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
    PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData);
NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParametersEx(
    PRTL_USER_PROCESS_PARAMETERS *ProcessParameters, PUNICODE_STRING ImagePathName,
    PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
    PVOID Environment, PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
    PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData, ULONG Flags);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);
/* String Buffers back to offsets from the block (the inverse of
 * RtlNormalizeProcessParams). Returns Params. */
NTSYSAPI PRTL_USER_PROCESS_PARAMETERS NTAPI
RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params);

/* ---- environment blocks (ntdll/ps/environ.c) ------------------------------------ */

/* Environment NULL (or *Environment NULL for the set form) means the
 * caller's own block, Peb->ProcessParameters->Environment. */
NTSYSAPI NTSTATUS NTAPI RtlCreateEnvironment(BOOLEAN CloneCurrentEnvironment, PVOID *Environment);
NTSYSAPI NTSTATUS NTAPI RtlDestroyEnvironment(PVOID Environment);
/* Value NULL removes Name. Names are compared without case; a name with
 * '=' after its first character is STATUS_INVALID_PARAMETER. */
NTSYSAPI NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name,
                                                  PUNICODE_STRING Value);
/* STATUS_VARIABLE_NOT_FOUND; STATUS_BUFFER_TOO_SMALL with Value->Length =
 * the bytes the value needs. The value is NUL-terminated when there is room. */
NTSYSAPI NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID Environment, PUNICODE_STRING Name,
                                                      PUNICODE_STRING Value);
/* %NAME% replaced by its value (unknown names are kept as written);
 * *ReturnedLength = the bytes of the result with its NUL;
 * STATUS_BUFFER_TOO_SMALL when that does not fit Destination. */
NTSYSAPI NTSTATUS NTAPI RtlExpandEnvironmentStrings_U(PVOID Environment, PUNICODE_STRING Source,
                                                      PUNICODE_STRING Destination,
                                                      PULONG ReturnedLength);

/* ---- threads and processes (ntdll/ps/create.c) ---------------------------------- */

NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor,
                                            BOOLEAN CreateSuspended, ULONG ZeroBits,
                                            SIZE_T MaximumStackSize, SIZE_T CommittedStackSize,
                                            PRTL_THREAD_START_ROUTINE StartAddress, PVOID Parameter,
                                            PHANDLE Thread, PCLIENT_ID ClientId);
/* The process of the image NtImagePathName (an NT path) with its first
 * thread suspended, as on Windows: resume ProcessInformation->ThreadHandle. */
NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                             PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                             PVOID ProcessSecurityDescriptor,
                                             PVOID ThreadSecurityDescriptor, HANDLE ParentProcess,
                                             BOOLEAN InheritHandles, HANDLE DebugPort,
                                             HANDLE TokenHandle,
                                             PRTL_USER_PROCESS_INFORMATION ProcessInformation);
