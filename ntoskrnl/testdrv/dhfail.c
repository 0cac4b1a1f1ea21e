/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhfail.sys: a driver whose DriverEntry fails (with a status no other
 * path gives), so a test sees that status come back from NtLoadDriver and
 * the driver process end.
 */

#include <ntddk.h>

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT Driver, PUNICODE_STRING RegistryPath)
{
    DbgPrint("DriverEntry fails on purpose\n");
    return STATUS_DEVICE_CONFIGURATION_ERROR;
}
