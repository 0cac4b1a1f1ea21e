/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KeBugCheckEx (ke/bugcheck.c) ends the process that calls it, so the test
 * starts ntoskrnltest.exe again as a child with `-bugcheck` (main.c) and
 * looks at how it ended: the bug-check code is its exit status.
 */
#include "ktest.h"

typedef struct _KTEST_PROCESS_INFORMATION { /* RTL_USER_PROCESS_INFORMATION */
    ULONG Length;
    HANDLE ProcessHandle;
    HANDLE ThreadHandle;
    CLIENT_ID ClientId;
    UCHAR ImageInformation[0x40];
} KTEST_PROCESS_INFORMATION;
_Static_assert(sizeof(KTEST_PROCESS_INFORMATION) == 0x68, "RTL_USER_PROCESS_INFORMATION");

typedef struct _KTEST_PROCESS_BASIC { /* PROCESS_BASIC_INFORMATION */
    NTSTATUS ExitStatus;
    PVOID PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} KTEST_PROCESS_BASIC;

NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParameters(
    PVOID *Parameters, PUNICODE_STRING Image, PUNICODE_STRING DllPath,
    PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine, PVOID Environment,
    PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
    PUNICODE_STRING RuntimeData);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(PVOID Parameters);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING Image, ULONG Attributes,
                                             PVOID Parameters, PVOID ProcessSecurity,
                                             PVOID ThreadSecurity, HANDLE Parent,
                                             BOOLEAN InheritHandles, HANDLE DebugPort, HANDLE Token,
                                             KTEST_PROCESS_INFORMATION *Info);
NTSYSAPI NTSTATUS NTAPI NtResumeThread(HANDLE Thread, PULONG SuspendCount);

TEST(ke, bugcheck_ends_the_process_with_its_code)
{
    UNICODE_STRING Image = RTL_CONSTANT_STRING(L"\\SystemRoot\\System32\\ntoskrnltest.exe");
    UNICODE_STRING Command = RTL_CONSTANT_STRING(L"ntoskrnltest.exe -bugcheck");
    KTEST_PROCESS_INFORMATION Info = {0};
    KTEST_PROCESS_BASIC Basic = {0};
    LARGE_INTEGER Wait = KTestMs(30000);
    PVOID Parameters = NULL;

    if (!CHECK_STATUS(RtlCreateProcessParameters(&Parameters, &Image, NULL, NULL, &Command, NULL,
                                                 NULL, NULL, NULL, NULL),
                      STATUS_SUCCESS))
        return;
    if (!CHECK_STATUS(
            RtlCreateUserProcess(&Image, 0, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL, &Info),
            STATUS_SUCCESS))
        goto out;
    NtResumeThread(Info.ThreadHandle, NULL);
    CHECK_STATUS(NtWaitForSingleObject(Info.ProcessHandle, FALSE, &Wait), STATUS_WAIT_0);
    CHECK_STATUS(NtQueryInformationProcess(Info.ProcessHandle, ProcessBasicInformation, &Basic,
                                           sizeof(Basic), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ((ULONG)Basic.ExitStatus, KTEST_BUGCHECK_CODE);
    NtClose(Info.ThreadHandle);
    NtClose(Info.ProcessHandle);
out:
    RtlDestroyProcessParameters(Parameters);
}
