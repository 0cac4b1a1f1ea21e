/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCreateUserProcess with pschild.exe (base/pschild/) as the child: its
 * exit code read back, PS_CREATE_INFO's success output, the parent id, the
 * environment and process parameters copied (normalised or not), a first
 * thread created suspended, handle inheritance, the handles' access, and
 * the errors (image names, create info, flags, parameters). Also
 * NtCreateThreadEx in a process that is ending.
 */
#include "pstest.h"

#define NTAPI_MAX_ARGS 128

typedef struct _NTAPI_CHILD {
    RTL_USER_PROCESS_PARAMETERS Params;
    WCHAR CommandLine[NTAPI_MAX_ARGS];
    WCHAR ImagePath[64];
    NTAPI_PS_CREATE_INFO Info;
    NTAPI_PS_ATTRIBUTE_LIST Attributes;
} NTAPI_CHILD;

static SIZE_T NtapiWideLength(PCWSTR s)
{
    SIZE_T n = 0;

    while (s[n])
        n++;
    return n;
}

static VOID NtapiSetString(UNICODE_STRING *String, PWSTR Buffer)
{
    String->Buffer = Buffer;
    String->Length = (USHORT)(NtapiWideLength(Buffer) * sizeof(WCHAR));
    String->MaximumLength = String->Length + sizeof(WCHAR);
}

/* Normalised parameters for "pschild.exe <Arguments>" and the image name attribute. */
static VOID NtapiPrepareChild(NTAPI_CHILD *C, PCWSTR Arguments, PCWSTR Environment, PCWSTR Image)
{
    static const WCHAR Prefix[] = u"pschild.exe ";
    SIZE_T n = 0;

    memset(C, 0, sizeof(*C));
    for (SIZE_T i = 0; Prefix[i]; i++)
        C->CommandLine[n++] = Prefix[i];
    for (SIZE_T i = 0; Arguments[i] && n + 1 < NTAPI_MAX_ARGS; i++)
        C->CommandLine[n++] = Arguments[i];
    for (SIZE_T i = 0; Image[i] && i + 1 < 64; i++)
        C->ImagePath[i] = Image[i];
    C->Params.MaximumLength = C->Params.Length = sizeof(C->Params);
    C->Params.Flags = 1; /* RTL_USER_PROC_PARAMS_NORMALIZED */
    NtapiSetString(&C->Params.CommandLine, C->CommandLine);
    NtapiSetString(&C->Params.ImagePathName, C->ImagePath);
    C->Params.Environment = (PWSTR)Environment;
    C->Info.Size = sizeof(C->Info);
    C->Attributes.TotalLength = 8 + sizeof(NTAPI_PS_ATTRIBUTE);
    C->Attributes.Attributes[0] =
        (NTAPI_PS_ATTRIBUTE){PS_ATTRIBUTE_IMAGE_NAME, NtapiWideLength(C->ImagePath) * sizeof(WCHAR),
                             (ULONG_PTR)C->ImagePath, NULL};
}

static NTSTATUS NtapiCreateFrom(NTAPI_CHILD *C, ULONG ProcessFlags, ULONG ThreadFlags,
                                HANDLE *Process, HANDLE *Thread)
{
    *Process = *Thread = NULL;
    return NtCreateUserProcess(Process, Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL, NULL,
                               ProcessFlags, ThreadFlags, &C->Params, &C->Info, &C->Attributes);
}

NTSTATUS NtapiCreateChild(PCWSTR Arguments, PCWSTR Environment, ULONG ProcessFlags,
                          ULONG ThreadFlags, HANDLE *Process, HANDLE *Thread)
{
    static NTAPI_CHILD Child;

    NtapiPrepareChild(&Child, Arguments, Environment, NTAPI_CHILD_IMAGE);
    return NtapiCreateFrom(&Child, ProcessFlags, ThreadFlags, Process, Thread);
}

static VOID NtapiCloseChild(HANDLE Process, HANDLE Thread)
{
    NtClose(Thread);
    NtClose(Process);
}

TEST(userproc, child_exit_code)
{
    HANDLE Process, Thread;

    if (!CHECK_STATUS(NtapiCreateChild(u"exit 0x4242", NULL, 0, 0, &Process, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitProcess(Process), 0x4242);
    CHECK_EQ(NtapiWaitThread(Thread), 0x4242);
    NtapiCloseChild(Process, Thread);
}

TEST(userproc, create_info_output)
{
    static NTAPI_CHILD C;
    PROCESS_BASIC_INFORMATION Basic;
    HANDLE Process, Thread;

    NtapiPrepareChild(&C, u"exit 3", NULL, NTAPI_CHILD_IMAGE);
    C.Info.State = 0x55;
    if (!CHECK_STATUS(
            NtapiCreateFrom(&C, 0, THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Process, &Thread),
            STATUS_SUCCESS))
        return;
    CHECK_EQ(C.Info.State, PsCreateSuccess);
    CHECK_STATUS(
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(C.Info.PebAddressNative, (ULONG_PTR)Basic.PebBaseAddress);
    CHECK(C.Info.UserProcessParametersNative != 0);
    CHECK(C.Info.CurrentParameterFlags & 1);
    CHECK_EQ(Basic.ExitStatus, STATUS_PENDING);
    CHECK(Basic.UniqueProcessId != (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
    NtResumeThread(Thread, NULL);
    CHECK_EQ(NtapiWaitProcess(Process), 3);
    NtapiCloseChild(Process, Thread);
}

TEST(userproc, parent_id)
{
    PROCESS_BASIC_INFORMATION Basic;
    HANDLE Process, Thread;
    ULONG_PTR Self = (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;

    if (!CHECK_STATUS(NtapiCreateChild(u"parent 0", NULL, 0, 0, &Process, &Thread), STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitProcess(Process), Self);
    NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    CHECK_EQ(Basic.InheritedFromUniqueProcessId, Self);
    NtapiCloseChild(Process, Thread);
}

TEST(userproc, environment_copied)
{
    static const WCHAR Environment[] = u"A=B\0NEREID_CHILD=77\0Z=\0";
    HANDLE Process, Thread;

    if (!CHECK_STATUS(NtapiCreateChild(u"env 77", Environment, 0, 0, &Process, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitProcess(Process), 77);
    NtapiCloseChild(Process, Thread);
    if (!CHECK_STATUS(NtapiCreateChild(u"env 78", Environment, 0, 0, &Process, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitProcess(Process), STATUS_VARIABLE_NOT_FOUND);
    NtapiCloseChild(Process, Thread);
}

/* Parameters whose string Buffers are offsets from the block. */
TEST(userproc, parameters_not_normalized)
{
    static NTAPI_CHILD C;
    HANDLE Process, Thread;

    NtapiPrepareChild(&C, u"exit 0x616", NULL, NTAPI_CHILD_IMAGE);
    C.Params.Flags = 0;
    C.Params.MaximumLength = C.Params.Length = (ULONG)((ULONG_PTR)&C.ImagePath[64] - (ULONG_PTR)&C);
    C.Params.CommandLine.Buffer = (PWSTR)((ULONG_PTR)C.CommandLine - (ULONG_PTR)&C.Params);
    C.Params.ImagePathName.Buffer = (PWSTR)((ULONG_PTR)C.ImagePath - (ULONG_PTR)&C.Params);
    if (!CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitProcess(Process), 0x616);
    NtapiCloseChild(Process, Thread);
}

TEST(userproc, suspended_first_thread)
{
    PROCESS_BASIC_INFORMATION Basic;
    HANDLE Process, Thread;
    ULONG Previous = 0;

    if (!CHECK_STATUS(NtapiCreateChild(u"exit 9", NULL, 0, THREAD_CREATE_FLAGS_CREATE_SUSPENDED,
                                       &Process, &Thread),
                      STATUS_SUCCESS))
        return;
    NtapiYield(50);
    NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    CHECK_EQ(Basic.ExitStatus, STATUS_PENDING);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_EQ(NtapiWaitProcess(Process), 9);
    NtapiCloseChild(Process, Thread);
}

/* "handle <value>" in the child: STATUS_SUCCESS when it has that handle. */
static NTSTATUS NtapiChildSeesHandle(HANDLE Handle, ULONG ProcessFlags)
{
    WCHAR Arguments[32] = u"handle ";
    ULONG_PTR Value = (ULONG_PTR)Handle;
    WCHAR Digits[20];
    SIZE_T n = 0, At = 7;
    HANDLE Process, Thread;
    NTSTATUS Status;

    do {
        Digits[n++] = (WCHAR)('0' + Value % 10);
        Value /= 10;
    } while (Value);
    while (n)
        Arguments[At++] = Digits[--n];
    Arguments[At] = 0;
    Status = NtapiCreateChild(Arguments, NULL, ProcessFlags, 0, &Process, &Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtapiWaitProcess(Process);
    NtapiCloseChild(Process, Thread);
    return Status;
}

TEST(userproc, inherit_handles)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NtCurrentTeb()->ClientId.UniqueProcess, NULL};
    HANDLE Inheritable = NULL, Private;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.Attributes = OBJ_INHERIT;
    if (!CHECK_STATUS(NtOpenProcess(&Inheritable, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                      STATUS_SUCCESS))
        return;
    Private = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    CHECK_STATUS(NtapiChildSeesHandle(Inheritable, PROCESS_CREATE_FLAGS_INHERIT_HANDLES),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiChildSeesHandle(Inheritable, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiChildSeesHandle(Private, PROCESS_CREATE_FLAGS_INHERIT_HANDLES),
                 STATUS_INVALID_HANDLE);
    NtClose(Private);
    NtClose(Inheritable);
}

TEST(userproc, handle_access)
{
    static NTAPI_CHILD C;
    OBJECT_BASIC_INFORMATION Info;
    HANDLE Process, Thread;

    NtapiPrepareChild(&C, u"exit 1", NULL, NTAPI_CHILD_IMAGE);
    if (!CHECK_STATUS(NtCreateUserProcess(&Process, &Thread, PROCESS_QUERY_INFORMATION,
                                          THREAD_ALL_ACCESS, NULL, NULL, 0, 0, &C.Params, &C.Info,
                                          &C.Attributes),
                      STATUS_SUCCESS))
        return;
    NtQueryObject(Process, ObjectBasicInformation, &Info, sizeof(Info), NULL);
    CHECK_EQ(Info.GrantedAccess, PROCESS_QUERY_INFORMATION);
    CHECK_STATUS(NtTerminateProcess(Process, 1), STATUS_ACCESS_DENIED);
    CHECK_EQ(NtapiWaitProcess(Process), 1);
    NtapiCloseChild(Process, Thread);
}

TEST(userproc, image_name_errors)
{
    static NTAPI_CHILD C;
    HANDLE Process, Thread;

    NtapiPrepareChild(&C, u"exit 1", NULL, u"\\SystemRoot\\nosuch.exe");
    CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(C.Info.State, PsCreateFailOnFileOpen);
    NtapiPrepareChild(&C, u"exit 1", NULL, u"\\Device\\pschild.exe");
    CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_OBJECT_PATH_NOT_FOUND);
    NtapiPrepareChild(&C, u"exit 1", NULL, u"pschild.exe");
    CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_OBJECT_NAME_INVALID);
    NtapiPrepareChild(&C, u"exit 1", NULL, u"\\SystemRoot\\System32\\ntdll.dll");
    CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_INVALID_IMAGE_FORMAT);
    NtapiPrepareChild(&C, u"exit 1", NULL, NTAPI_CHILD_IMAGE);
    C.Attributes.TotalLength = 8;
    CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_INVALID_PARAMETER);
    CHECK(Process == NULL);
}

/* \SystemRoot\<name> names the same file as \SystemRoot\System32\<name>. */
TEST(userproc, system_root_name)
{
    static NTAPI_CHILD C;
    HANDLE Process, Thread;

    NtapiPrepareChild(&C, u"exit 0x55", NULL, u"\\SystemRoot\\PSCHILD.EXE");
    if (!CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitProcess(Process), 0x55);
    NtapiCloseChild(Process, Thread);
}

TEST(userproc, argument_errors)
{
    static NTAPI_CHILD C;
    HANDLE Process, Thread;

    NtapiPrepareChild(&C, u"exit 1", NULL, NTAPI_CHILD_IMAGE);
    C.Info.Size = sizeof(C.Info) - 8;
    CHECK_STATUS(NtapiCreateFrom(&C, 0, 0, &Process, &Thread), STATUS_INVALID_PARAMETER);
    C.Info.Size = sizeof(C.Info);
    CHECK_STATUS(NtapiCreateFrom(&C, 0x1000, 0, &Process, &Thread), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiCreateFrom(&C, 0, 0x8, &Process, &Thread), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtCreateUserProcess(&Process, &Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL,
                                     NULL, 0, 0, NULL, &C.Info, &C.Attributes),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtCreateUserProcess(&Process, &Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL,
                                     NULL, 0, 0, &C.Params, NULL, &C.Attributes),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCreateUserProcess(&Process, &Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL,
                                     NULL, 0, 0, NTAPI_BAD_POINTER, &C.Info, &C.Attributes),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCreateUserProcess(NULL, &Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL,
                                     NULL, 0, 0, &C.Params, &C.Info, &C.Attributes),
                 STATUS_ACCESS_VIOLATION);
}

static NTSTATUS NTAPI NtapiNothing(PVOID Argument)
{
    (void)Argument;
    return 0;
}

TEST(userproc, thread_in_ending_process)
{
    HANDLE Process, Thread, Extra = NULL;

    if (!CHECK_STATUS(NtapiCreateChild(u"exit 1", NULL, 0, THREAD_CREATE_FLAGS_CREATE_SUSPENDED,
                                       &Process, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtTerminateProcess(Process, 0x1717), STATUS_SUCCESS);
    CHECK_EQ(NtapiWaitProcess(Process), 0x1717);
    CHECK_STATUS(NtCreateThreadEx(&Extra, THREAD_ALL_ACCESS, NULL, Process, (PVOID)NtapiNothing,
                                  NULL, 0, 0, 0, 0, NULL),
                 STATUS_PROCESS_IS_TERMINATING);
    CHECK(Extra == NULL);
    NtapiCloseChild(Process, Thread);
}
