/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pnphang.exe, a case of suite nt-shutdown (pnp branch): loads pnptest.sys
 * as service PnpHang (pnphang.sys), which never completes the shutdown
 * power IRP, then calls NtShutdownSystem(ShutdownPowerOff). ntos waits for
 * the IRP a bounded time, says so, and powers off all the same.
 */
#include <ntnative.h>

#define ShutdownPowerOff 2

NTSYSAPI NTSTATUS NTAPI NtShutdownSystem(ULONG Action);
NTSYSAPI NTSTATUS NTAPI NtLoadDriver(PUNICODE_STRING DriverServiceName);

NTSTATUS NtProcessStartup(PPEB Peb)
{
    static WCHAR Key[] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\PnpHang";
    UNICODE_STRING Name = {sizeof(Key) - sizeof(WCHAR), sizeof(Key), Key};
    NTSTATUS Status;

    (void)Peb;
    Status = NtLoadDriver(&Name);
    DbgPrint("pnphang: NtLoadDriver(PnpHang) = 0x%08lx\n", (ULONG)Status);
    Status = NtShutdownSystem(ShutdownPowerOff);
    DbgPrint("pnphang: NtShutdownSystem returned 0x%08lx\n", (ULONG)Status);
    return Status;
}
