/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhdll.sys: a driver that imports ntdll.dll!NtYieldExecution directly
 * (import library from ntdllimp.def): the loader binds it through
 * LdrLoadDll and LdrGetProcedureAddress; DriverEntry returns what the
 * call returns.
 */

#include <ntddk.h>

__declspec(dllimport) NTSTATUS NTAPI NtYieldExecution(VOID);

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT Driver, PUNICODE_STRING RegistryPath)
{
    NTSTATUS Status = NtYieldExecution();

    return Status == STATUS_NO_YIELD_PERFORMED ? STATUS_SUCCESS : Status;
}
