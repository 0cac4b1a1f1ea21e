/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * halt.exe, a case of suite nt-shutdown: the first program of its ntos image
 * calls NtShutdownSystem(ShutdownNoReboot). The call must not return; if it does,
 * the line below tells run.py so.
 */
#include <ntnative.h>

#define ShutdownNoReboot 0

NTSYSAPI NTSTATUS NTAPI NtShutdownSystem(ULONG Action);

NTSTATUS NtProcessStartup(PPEB Peb)
{
    NTSTATUS Status;

    (void)Peb;
    DbgPrint("halt: calling NtShutdownSystem(ShutdownNoReboot)\n");
    Status = NtShutdownSystem(ShutdownNoReboot);
    DbgPrint("halt: NtShutdownSystem returned 0x%08lx\n", (ULONG)Status);
    return Status;
}
