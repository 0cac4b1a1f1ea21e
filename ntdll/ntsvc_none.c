/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stand-ins for the system services ntdll's own code calls, linked only
 * while the generated stubs (build/ntdll/ntsvc_stubs.c from
 * ntos/services.def) or their transport (ntdll/ntsvc.c) are missing, so
 * that the DLL builds on its own. They do not reach ntos: both fail with
 * STATUS_NOT_IMPLEMENTED, and a process that cannot end itself faults.
 */
#include "ntdllp.h"

NTSTATUS NTAPI NtDisplayString(PUNICODE_STRING String)
{
    (void)String;
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus)
{
    (void)ProcessHandle;
    (void)ExitStatus;
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus)
{
    (void)ThreadHandle;
    (void)ExitStatus;
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, SIZE_T *RegionSize,
                                      ULONG NewProtect, ULONG *OldProtect)
{
    (void)ProcessHandle;
    (void)BaseAddress;
    (void)RegionSize;
    (void)NewProtect;
    (void)OldProtect;
    return STATUS_NOT_IMPLEMENTED;
}
