/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stock-process.exe: process creation from a program built with the SDK's
 * <windows.h> and <winternl.h> as mingw-w64 installs them, linked with
 * mingw-w64's own libntdll.a, the way native tools start programs:
 * RtlCreateProcessParametersEx, RtlCreateUserProcess (the first thread
 * left suspended, as on Windows), NtResumeThread, a wait on the process,
 * its exit status. The child is stock-hello.exe (tests/compat/stock-hello/,
 * which ends with 0x4321). The routines the SDK's user-mode headers do not
 * declare, and RTL_USER_PROCESS_INFORMATION, are declared below as Windows
 * has them.
 */
#include <windows.h>
#include <winternl.h>

#include "../lib/compat.h"

const char CompatProgram[] = "process";

typedef struct _COMPAT_SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress;
    ULONG ZeroBits;
    SIZE_T MaximumStackSize;
    SIZE_T CommittedStackSize;
    ULONG SubSystemType;
    USHORT SubSystemMinorVersion, SubSystemMajorVersion;
    USHORT MajorOperatingSystemVersion, MinorOperatingSystemVersion;
    USHORT ImageCharacteristics, DllCharacteristics;
    USHORT Machine;
    BOOLEAN ImageContainsCode;
    UCHAR ImageFlags;
    ULONG LoaderFlags, ImageFileSize, CheckSum;
} COMPAT_SECTION_IMAGE_INFORMATION;
_Static_assert(sizeof(COMPAT_SECTION_IMAGE_INFORMATION) == 0x40, "SECTION_IMAGE_INFORMATION");

typedef struct _COMPAT_RTL_USER_PROCESS_INFORMATION {
    ULONG Length;
    HANDLE ProcessHandle;
    HANDLE ThreadHandle;
    CLIENT_ID ClientId;
    COMPAT_SECTION_IMAGE_INFORMATION ImageInformation;
} COMPAT_RTL_USER_PROCESS_INFORMATION;
_Static_assert(sizeof(COMPAT_RTL_USER_PROCESS_INFORMATION) == 0x68, "RTL_USER_PROCESS_INFORMATION");

NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParametersEx(
    PRTL_USER_PROCESS_PARAMETERS *ProcessParameters, PUNICODE_STRING ImagePathName,
    PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
    PVOID Environment, PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
    PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData, ULONG Flags);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS Parameters);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(
    PUNICODE_STRING NtImagePathName, ULONG Attributes,
    PRTL_USER_PROCESS_PARAMETERS ProcessParameters, PVOID ProcessSecurityDescriptor,
    PVOID ThreadSecurityDescriptor, HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort,
    HANDLE ExceptionPort, COMPAT_RTL_USER_PROCESS_INFORMATION *ProcessInformation);
NTSYSAPI NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount);

#define STATUS_SUCCESS                  ((NTSTATUS)0x00000000L)
#define STATUS_OBJECT_NAME_NOT_FOUND    ((NTSTATUS)0xC0000034L)
#define RTL_USER_PROC_PARAMS_NORMALIZED 0x01
#define COMPAT_HELLO_EXIT               0x4321
#define IMAGE_SUBSYSTEM_NATIVE_VALUE    1

static LARGE_INTEGER CompatWaitLimit = {.QuadPart = -100000000ll}; /* 10 s */
static LARGE_INTEGER CompatNoWait;

static VOID CompatString(PUNICODE_STRING String, PCWSTR Text)
{
    RtlInitUnicodeString(String, Text);
}

static VOID CreateRunWait(VOID)
{
    UNICODE_STRING NtPath, DosPath, CommandLine;
    PRTL_USER_PROCESS_PARAMETERS Parameters = NULL;
    COMPAT_RTL_USER_PROCESS_INFORMATION Info;
    PROCESS_BASIC_INFORMATION Basic;
    ULONG Previous = 0;

    CompatString(&NtPath, L"\\??\\C:\\Windows\\System32\\stock-hello.exe");
    CompatString(&DosPath, L"C:\\Windows\\System32\\stock-hello.exe");
    CompatString(&CommandLine, L"stock-hello.exe from stock-process");
    if (!CHECK_STATUS(RtlCreateProcessParametersEx(&Parameters, &DosPath, NULL, NULL, &CommandLine,
                                                   NULL, NULL, NULL, NULL, NULL,
                                                   RTL_USER_PROC_PARAMS_NORMALIZED),
                      STATUS_SUCCESS))
        return;
    memset(&Info, 0, sizeof(Info));
    Info.Length = sizeof(Info);
    if (CHECK_STATUS(RtlCreateUserProcess(&NtPath, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL,
                                          NULL, FALSE, NULL, NULL, &Info),
                     STATUS_SUCCESS)) {
        CHECK(Info.ProcessHandle != NULL && Info.ThreadHandle != NULL);
        CHECK_EQ(Info.ImageInformation.SubSystemType, IMAGE_SUBSYSTEM_NATIVE_VALUE);
        CHECK_EQ(Info.ImageInformation.Machine, IMAGE_FILE_MACHINE_AMD64);
        /* Suspended until resumed. */
        CHECK_STATUS(NtWaitForSingleObject(Info.ProcessHandle, FALSE, &CompatNoWait),
                     STATUS_TIMEOUT);
        CHECK_STATUS(NtResumeThread(Info.ThreadHandle, &Previous), STATUS_SUCCESS);
        CHECK_EQ(Previous, 1);
        CHECK_STATUS(NtWaitForSingleObject(Info.ProcessHandle, FALSE, &CompatWaitLimit),
                     STATUS_SUCCESS);
        CHECK_STATUS(NtQueryInformationProcess(Info.ProcessHandle, ProcessBasicInformation, &Basic,
                                               sizeof(Basic), NULL),
                     STATUS_SUCCESS);
        CHECK_EQ(Basic.ExitStatus, COMPAT_HELLO_EXIT);
        CHECK_EQ(Basic.UniqueProcessId, (ULONG_PTR)Info.ClientId.UniqueProcess);
        NtClose(Info.ThreadHandle);
        NtClose(Info.ProcessHandle);
    }
    RtlDestroyProcessParameters(Parameters);
}

static VOID MissingImage(VOID)
{
    UNICODE_STRING NtPath, DosPath;
    PRTL_USER_PROCESS_PARAMETERS Parameters = NULL;
    COMPAT_RTL_USER_PROCESS_INFORMATION Info;

    CompatString(&NtPath, L"\\??\\C:\\Windows\\System32\\no-such-program.exe");
    CompatString(&DosPath, L"C:\\Windows\\System32\\no-such-program.exe");
    if (!CHECK_STATUS(RtlCreateProcessParametersEx(&Parameters, &DosPath, NULL, NULL, &DosPath,
                                                   NULL, NULL, NULL, NULL, NULL,
                                                   RTL_USER_PROC_PARAMS_NORMALIZED),
                      STATUS_SUCCESS))
        return;
    memset(&Info, 0, sizeof(Info));
    Info.Length = sizeof(Info);
    CHECK_STATUS(RtlCreateUserProcess(&NtPath, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL,
                                      FALSE, NULL, NULL, &Info),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK(Info.ProcessHandle == NULL);
    RtlDestroyProcessParameters(Parameters);
}

NTSTATUS NTAPI NtProcessStartup(PVOID Peb)
{
    (void)Peb;
    CompatRun("create_run_wait", CreateRunWait);
    CompatRun("missing_image", MissingImage);
    CompatFinish();
}
