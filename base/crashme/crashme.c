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
 *
 * With -t on its command line it first starts CRASHME_THREADS more
 * threads, which sleep (a driver process has that many: IRP, DPC, worker
 * threads), so that the teardown of a multi-threaded process is covered;
 * with -x as well it ends by NtTerminateProcess(CRASHME_EXITED) instead of
 * the crash.
 */
#include <ntnative.h>
#include <ntsvc.h>

#define CRASHME_SURVIVED      0x0c0ffee0
#define CRASHME_EXITED        0x0e0e0e0e
#define CRASHME_THREADS       6
#define CRASHME_THREAD_ACCESS 0x1fffff /* THREAD_ALL_ACCESS */

/* Read at run time, so the compiler cannot see (or drop) the bad write. */
static volatile ULONG *volatile CrashmeTarget = (volatile ULONG *)(ULONG_PTR)0x10;

static BOOLEAN CrashmeHasOption(PPEB Peb, WCHAR Letter)
{
    const UNICODE_STRING *Line;

    if (Peb->ProcessParameters == NULL)
        return FALSE;
    Line = &Peb->ProcessParameters->CommandLine;
    for (ULONG i = 0; i + 1 < Line->Length / sizeof(WCHAR); i++)
        if (Line->Buffer[i] == L'-' && Line->Buffer[i + 1] == Letter)
            return TRUE;
    return FALSE;
}

static NTSTATUS NTAPI CrashmeSleeper(PVOID Argument)
{
    LARGE_INTEGER Interval = {.QuadPart = -36000000000ll}; /* an hour */

    (void)Argument;
    for (;;)
        NtDelayExecution(FALSE, &Interval);
    return STATUS_SUCCESS;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    if (CrashmeHasOption(Peb, L't')) {
        for (ULONG i = 0; i < CRASHME_THREADS; i++) {
            HANDLE Thread;
            if (NT_SUCCESS(NtCreateThreadEx(&Thread, CRASHME_THREAD_ACCESS, NULL,
                                            NtCurrentProcess(), (PVOID)CrashmeSleeper, NULL, 0, 0,
                                            0, 0, NULL)))
                NtClose(Thread);
        }
        if (CrashmeHasOption(Peb, L'x'))
            NtTerminateProcess(NtCurrentProcess(), CRASHME_EXITED);
    }
    *CrashmeTarget = 0xdead;
    NtTerminateProcess(NtCurrentProcess(), CRASHME_SURVIVED);
    return CRASHME_SURVIVED;
}
