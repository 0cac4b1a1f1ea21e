/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * crashme.exe: a native program that dies of an access violation. It
 * writes to an address no process has mapped (below the lowest user
 * address the executive hands out), takes no exception handler, and so
 * ends with STATUS_ACCESS_VIOLATION. The crash teardown self-test of
 * ntos-core (ntos/tests/ps_crash.c) starts it many times and checks that
 * every page, slot, pool block and object of the dead processes comes
 * back. If the write ever succeeded, the program ends with CRASHME_SURVIVED
 * instead, which that test reports.
 */
#include <ntnative.h>

#define CRASHME_SURVIVED 0x0c0ffee0

/* Read at run time, so the compiler cannot see (or drop) the bad write. */
static volatile ULONG *volatile CrashmeTarget = (volatile ULONG *)(ULONG_PTR)0x10;

NTSTATUS NtProcessStartup(PPEB Peb)
{
    (void)Peb;
    *CrashmeTarget = 0xdead;
    NtTerminateProcess(NtCurrentProcess(), CRASHME_SURVIVED);
    return CRASHME_SURVIVED;
}
