/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver runtime (ntoskrnl/, branch drvhost): `ntoskrnl.exe -selftest`
 * run as an ordinary process, which loads the test drivers of
 * ntoskrnl/testdrv/ (good, truncated, wrong machine, missing import),
 * drives dhtest.sys through a request ring of its own and checks the IRP
 * routines on device stacks; its exit status is the number of failed checks,
 * each named on the debug output (ntoskrnl/io/selftest.h).
 */
#include "pstest.h"

#include <nt/rtlps.h>

#define NTAPI_STRING(s)                                                                            \
    {                                                                                              \
        sizeof(s) - sizeof(WCHAR), sizeof(s), (PWSTR)(s)                                           \
    }

/* ntoskrnl.exe with CommandLine, started and waited for: its exit status. */
static NTSTATUS NtapiRunRuntime(PCWSTR CommandLine)
{
    UNICODE_STRING Image = NTAPI_STRING(u"\\SystemRoot\\System32\\ntoskrnl.exe");
    UNICODE_STRING Command;
    PRTL_USER_PROCESS_PARAMETERS P = NULL;
    RTL_USER_PROCESS_INFORMATION Info;
    NTSTATUS Status;

    RtlInitUnicodeString(&Command, CommandLine);
    Status =
        RtlCreateProcessParameters(&P, &Image, NULL, NULL, &Command, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, 0, P, NULL, NULL, NULL, FALSE, NULL, NULL, &Info);
    RtlDestroyProcessParameters(P);
    if (!NT_SUCCESS(Status))
        return Status;
    NtResumeThread(Info.ThreadHandle, NULL);
    Status = NtapiWaitProcess(Info.ProcessHandle);
    NtClose(Info.ThreadHandle);
    NtClose(Info.ProcessHandle);
    return Status;
}

TEST(drvhost, runtime_selftest)
{
    /* 0 failed checks. */
    CHECK_STATUS(NtapiRunRuntime(u"ntoskrnl.exe -selftest"), STATUS_SUCCESS);
}

TEST(drvhost, runtime_bad_command_line)
{
    /* Neither a driver to host nor the self-test: the runtime refuses. */
    CHECK_STATUS(NtapiRunRuntime(u"ntoskrnl.exe"), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiRunRuntime(u"ntoskrnl.exe dhtest.sys"), STATUS_INVALID_PARAMETER);
}
