/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhnodll.sys: a driver that imports from nereidnosuch.dll, which does
 * not exist (import library from nodll.def): the load fails with the DLL
 * loader's status before DriverEntry runs.
 */

#include <ntddk.h>

__declspec(dllimport) NTSTATUS NTAPI NereidNoDllRoutine(VOID);

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT Driver, PUNICODE_STRING RegistryPath)
{
    return NereidNoDllRoutine();
}
