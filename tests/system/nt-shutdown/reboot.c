/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reboot.exe, a case of suite nt-shutdown: the first program of its ntos image
 * calls NtShutdownSystem(ShutdownReboot). The call must not return; if it does,
 * the line below tells run.py so.
 */
#include <ntnative.h>

#define ShutdownReboot 1

NTSYSAPI NTSTATUS NTAPI NtShutdownSystem(ULONG Action);

NTSTATUS NtProcessStartup(PPEB Peb)
{
    NTSTATUS Status;

    (void)Peb;
    DbgPrint("reboot: calling NtShutdownSystem(ShutdownReboot)\n");
    Status = NtShutdownSystem(ShutdownReboot);
    DbgPrint("reboot: NtShutdownSystem returned 0x%08lx\n", (ULONG)Status);
    return Status;
}
