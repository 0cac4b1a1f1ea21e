/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-test of an unhandled exception in a real process: unhandled.exe
 * (base/unhandled/) faults, or raises a status, with no handler; ntdll's
 * dispatcher gives it back to ntos as a second chance and the process
 * ends with the exception code as its exit status. The service loop runs
 * until the process has ended.
 */
#include "ktest.h"

#include <ob.h>

static PEPROCESS KtUnhandledProcess;

static bool KtUnhandledEnded(void)
{
    return KtUnhandledProcess->ActiveThreads == 0;
}

static void KtRunUnhandled(const WCHAR *CommandLine, NTSTATUS Expected)
{
    PEPROCESS Process = NULL;

    if (!CHECK_EQ(PsCreateProcessFromArchive("unhandled.exe", CommandLine, &Process),
                  STATUS_SUCCESS))
        return;
    ObReferenceObject(Process); /* keep it past its end */
    KtUnhandledProcess = Process;
    KiRunServiceLoop(KtUnhandledEnded);
    CHECK_EQ(Process->ActiveThreads, 0);
    CHECK_EQ(Process->ExitStatus, Expected);
    ObDereferenceObject(Process);
}

KTEST(exception_unhandled_fault_ends_process)
{
    KtRunUnhandled(u"unhandled.exe", STATUS_ACCESS_VIOLATION);
}

KTEST(exception_unhandled_raise_ends_process)
{
    KtRunUnhandled(u"unhandled.exe raise", (NTSTATUS)0xE0001234);
}
