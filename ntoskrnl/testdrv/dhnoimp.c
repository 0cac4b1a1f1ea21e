/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhnoimp.sys: a driver that imports ntoskrnl.exe!NereidMissingRoutine,
 * which no kernel exports (its import library is made from missing.def),
 * so its load fails with STATUS_DRIVER_ENTRYPOINT_NOT_FOUND before
 * DriverEntry runs.
 */

#include <ntddk.h>

__declspec(dllimport) NTSTATUS NTAPI NereidMissingRoutine(PDRIVER_OBJECT Driver);

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT Driver, PUNICODE_STRING RegistryPath)
{
    return NereidMissingRoutine(Driver);
}
