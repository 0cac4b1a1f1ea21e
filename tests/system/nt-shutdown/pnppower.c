/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pnppower.exe, a case of suite nt-shutdown (pnp branch): loads the WDM
 * test driver pnptest.sys (drivers/test/pnptest), whose root PDO stack is
 * started, then calls NtShutdownSystem(ShutdownPowerOff). ntos must send
 * the stack IRP_MN_SET_POWER (SystemPowerState, PowerSystemShutdown 6,
 * ShutdownType PowerActionShutdownOff 6) before powering off; the driver
 * says so on the debug output ("PnpTest: set power: ...").
 */
#include <ntnative.h>

#define ShutdownPowerOff 2

NTSYSAPI NTSTATUS NTAPI NtShutdownSystem(ULONG Action);
NTSYSAPI NTSTATUS NTAPI NtLoadDriver(PUNICODE_STRING DriverServiceName);

NTSTATUS NtProcessStartup(PPEB Peb)
{
    static WCHAR Key[] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\PnpTest";
    UNICODE_STRING Name = {sizeof(Key) - sizeof(WCHAR), sizeof(Key), Key};
    NTSTATUS Status;

    (void)Peb;
    Status = NtLoadDriver(&Name);
    DbgPrint("pnppower: NtLoadDriver(PnpTest) = 0x%08lx\n", (ULONG)Status);
    Status = NtShutdownSystem(ShutdownPowerOff);
    DbgPrint("pnppower: NtShutdownSystem returned 0x%08lx\n", (ULONG)Status);
    return Status;
}
