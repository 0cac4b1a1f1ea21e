/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poweroff.exe, a case of suite nt-shutdown: the first program of its ntos image
 * calls NtShutdownSystem(ShutdownPowerOff). The call must not return; if it does,
 * the line below tells run.py so.
 */
#include <ntnative.h>

#define ShutdownPowerOff 2

NTSYSAPI NTSTATUS NTAPI NtShutdownSystem(ULONG Action);

NTSTATUS NtProcessStartup(PPEB Peb)
{
    NTSTATUS Status;

    (void)Peb;
    DbgPrint("poweroff: calling NtShutdownSystem(ShutdownPowerOff)\n");
    Status = NtShutdownSystem(ShutdownPowerOff);
    DbgPrint("poweroff: NtShutdownSystem returned 0x%08lx\n", (ULONG)Status);
    return Status;
}
