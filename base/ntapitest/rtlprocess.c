/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's process helpers: RtlCreateUserThread, RtlCreateProcessParameters
 * (Ex) / RtlDestroyProcessParameters, RtlCreateUserProcess (first thread
 * left suspended, client id and image information reported, environment
 * and inheritance passed on), and the environment routines (create, set,
 * replace without case, remove, query with a short buffer, expand).
 */
#include "pstest.h"

#include <nt/rtlps.h>

#define NTAPI_STRING(s)                                                                            \
    {                                                                                              \
        sizeof(s) - sizeof(WCHAR), sizeof(s), (PWSTR)(s)                                           \
    }

static NTSTATUS NTAPI NtapiRtlThread(PVOID Argument)
{
    return (NTSTATUS)(ULONG_PTR)Argument + 1;
}

static BOOLEAN NtapiEqual(PCUNICODE_STRING String, PCWSTR Text)
{
    SIZE_T n = 0;

    while (Text[n])
        n++;
    return String->Length == n * sizeof(WCHAR) && memcmp(String->Buffer, Text, String->Length) == 0;
}

TEST(rtlprocess, create_user_thread)
{
    HANDLE Thread = NULL;
    CLIENT_ID Id = {0};
    THREAD_BASIC_INFORMATION Info;

    if (!CHECK_STATUS(RtlCreateUserThread(NtCurrentProcess(), NULL, TRUE, 0, 0, 0, NtapiRtlThread,
                                          (PVOID)0x40, &Thread, &Id),
                      STATUS_SUCCESS))
        return;
    NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL);
    CHECK_EQ(Id.UniqueThread, Info.ClientId.UniqueThread);
    CHECK_EQ(Id.UniqueProcess, NtCurrentTeb()->ClientId.UniqueProcess);
    CHECK_EQ(Info.ExitStatus, STATUS_PENDING);
    NtResumeThread(Thread, NULL);
    CHECK_EQ(NtapiWaitThread(Thread), 0x41);
    NtClose(Thread);
    CHECK_STATUS(RtlCreateUserThread((HANDLE)(ULONG_PTR)0x7ffc, NULL, FALSE, 0, 0, 0,
                                     NtapiRtlThread, NULL, &Thread, NULL),
                 STATUS_INVALID_HANDLE);
}

TEST(rtlprocess, process_parameters)
{
    UNICODE_STRING Image = NTAPI_STRING(u"\\SystemRoot\\pschild.exe");
    UNICODE_STRING Command = NTAPI_STRING(u"pschild.exe exit 1");
    static const WCHAR Env[] = u"X=1\0";
    PRTL_USER_PROCESS_PARAMETERS P = NULL;
    PUCHAR Base;

    if (!CHECK_STATUS(RtlCreateProcessParameters(&P, &Image, NULL, NULL, &Command, (PVOID)Env, NULL,
                                                 NULL, NULL, NULL),
                      STATUS_SUCCESS))
        return;
    /* The plain form gives offsets; the environment is copied and stays a pointer. */
    CHECK_EQ(P->Flags & RTL_USER_PROC_PARAMS_NORMALIZED, 0);
    CHECK((ULONG_PTR)P->ImagePathName.Buffer < P->Length);
    CHECK(P->Environment != Env && P->EnvironmentSize == sizeof(Env));
    CHECK_EQ(memcmp(P->Environment, Env, sizeof(Env)), 0);
    Base = (PUCHAR)P;
    CHECK_EQ(memcmp(Base + (ULONG_PTR)P->CommandLine.Buffer, Command.Buffer, Command.Length), 0);
    CHECK_EQ(P->CommandLine.Length, Command.Length);
    CHECK_EQ(P->MaximumLength, P->Length);
    CHECK_STATUS(RtlDestroyProcessParameters(P), STATUS_SUCCESS);
    /* The Ex form with RTL_USER_PROC_PARAMS_NORMALIZED; the command line defaults to the image. */
    P = NULL;
    if (!CHECK_STATUS(RtlCreateProcessParametersEx(&P, &Image, NULL, NULL, NULL, (PVOID)Env, NULL,
                                                   NULL, NULL, NULL,
                                                   RTL_USER_PROC_PARAMS_NORMALIZED),
                      STATUS_SUCCESS))
        return;
    CHECK(P->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
    CHECK(NtapiEqual(&P->ImagePathName, u"\\SystemRoot\\pschild.exe"));
    CHECK(NtapiEqual(&P->CommandLine, u"\\SystemRoot\\pschild.exe"));
    CHECK_EQ(P->WindowTitle.Length, 0);
    CHECK(P->CurrentDirectory.DosPath.MaximumLength >= 260 * sizeof(WCHAR));
    RtlDestroyProcessParameters(P);
    CHECK_STATUS(
        RtlCreateProcessParameters(&P, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        STATUS_INVALID_PARAMETER);
}

/* pschild.exe through RtlCreateProcessParameters and RtlCreateUserProcess. */
static NTSTATUS NtapiRtlChild(PCWSTR CommandLine, PVOID Environment, BOOLEAN Inherit,
                              RTL_USER_PROCESS_INFORMATION *Info)
{
    UNICODE_STRING Image = NTAPI_STRING(u"\\SystemRoot\\System32\\pschild.exe");
    UNICODE_STRING Command;
    PRTL_USER_PROCESS_PARAMETERS P = NULL;
    NTSTATUS Status;

    Command.Buffer = (PWSTR)CommandLine;
    Command.Length = 0;
    while (CommandLine[Command.Length / sizeof(WCHAR)])
        Command.Length += sizeof(WCHAR);
    Command.MaximumLength = Command.Length + sizeof(WCHAR);
    Status = RtlCreateProcessParameters(&P, &Image, NULL, NULL, &Command, Environment, NULL, NULL,
                                        NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, 0, P, NULL, NULL, NULL, Inherit, NULL, NULL, Info);
    RtlDestroyProcessParameters(P);
    return Status;
}

TEST(rtlprocess, create_user_process)
{
    RTL_USER_PROCESS_INFORMATION Info;
    PROCESS_BASIC_INFORMATION Basic;

    if (!CHECK_STATUS(NtapiRtlChild(u"pschild.exe exit 0x99", NULL, FALSE, &Info), STATUS_SUCCESS))
        return;
    CHECK_EQ(Info.Length, sizeof(Info));
    NtQueryInformationProcess(Info.ProcessHandle, ProcessBasicInformation, &Basic, sizeof(Basic),
                              NULL);
    CHECK_EQ((ULONG_PTR)Info.ClientId.UniqueProcess, Basic.UniqueProcessId);
    CHECK(Info.ClientId.UniqueThread != NULL);
    CHECK_EQ(Info.ImageInformation.Machine, 0x8664);
    CHECK_EQ(Info.ImageInformation.SubSystemType, 1); /* IMAGE_SUBSYSTEM_NATIVE */
    CHECK(Info.ImageInformation.TransferAddress != NULL);
    /* The first thread waits to be resumed, as on Windows. */
    NtapiYield(30);
    NtQueryInformationProcess(Info.ProcessHandle, ProcessBasicInformation, &Basic, sizeof(Basic),
                              NULL);
    CHECK_EQ(Basic.ExitStatus, STATUS_PENDING);
    NtResumeThread(Info.ThreadHandle, NULL);
    CHECK_EQ(NtapiWaitProcess(Info.ProcessHandle), 0x99);
    NtClose(Info.ThreadHandle);
    NtClose(Info.ProcessHandle);
}

TEST(rtlprocess, child_environment)
{
    UNICODE_STRING Name = NTAPI_STRING(u"NEREID_CHILD"), Value = NTAPI_STRING(u"55");
    RTL_USER_PROCESS_INFORMATION Info;
    PVOID Env = NULL;

    if (!CHECK_STATUS(RtlCreateEnvironment(FALSE, &Env), STATUS_SUCCESS))
        return;
    CHECK_STATUS(RtlSetEnvironmentVariable(&Env, &Name, &Value), STATUS_SUCCESS);
    if (CHECK_STATUS(NtapiRtlChild(u"pschild.exe env 55", Env, FALSE, &Info), STATUS_SUCCESS)) {
        NtResumeThread(Info.ThreadHandle, NULL);
        CHECK_EQ(NtapiWaitProcess(Info.ProcessHandle), 55);
        NtClose(Info.ThreadHandle);
        NtClose(Info.ProcessHandle);
    }
    RtlDestroyEnvironment(Env);
}

TEST(rtlprocess, environment_set_query)
{
    UNICODE_STRING A = NTAPI_STRING(u"Alpha"), LowerA = NTAPI_STRING(u"ALPHA");
    UNICODE_STRING B = NTAPI_STRING(u"Beta"), Bad = NTAPI_STRING(u"Be=ta");
    UNICODE_STRING One = NTAPI_STRING(u"1"), Three = NTAPI_STRING(u"three");
    WCHAR Buffer[16];
    UNICODE_STRING Out = {0, sizeof(Buffer), Buffer};
    PVOID Env = NULL;
    PCWSTR Walk;

    if (!CHECK_STATUS(RtlCreateEnvironment(FALSE, &Env), STATUS_SUCCESS))
        return;
    CHECK_STATUS(RtlSetEnvironmentVariable(&Env, &B, &One), STATUS_SUCCESS);
    CHECK_STATUS(RtlSetEnvironmentVariable(&Env, &A, &One), STATUS_SUCCESS);
    CHECK_STATUS(RtlSetEnvironmentVariable(&Env, &LowerA, &Three), STATUS_SUCCESS);
    CHECK_STATUS(RtlSetEnvironmentVariable(&Env, &Bad, &One), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlQueryEnvironmentVariable_U(Env, &A, &Out), STATUS_SUCCESS);
    CHECK(NtapiEqual(&Out, u"three"));
    CHECK_EQ(Buffer[5], 0);
    /* Sorted by name: ALPHA (replaced, with the new spelling) before Beta. */
    Walk = Env;
    CHECK_EQ(memcmp(Walk, u"ALPHA=three", 12 * sizeof(WCHAR)), 0);
    /* Too small: the needed length is reported. */
    Out.MaximumLength = 4;
    CHECK_STATUS(RtlQueryEnvironmentVariable_U(Env, &A, &Out), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(Out.Length, 10);
    Out.MaximumLength = sizeof(Buffer);
    CHECK_STATUS(RtlSetEnvironmentVariable(&Env, &B, NULL), STATUS_SUCCESS);
    CHECK_STATUS(RtlQueryEnvironmentVariable_U(Env, &B, &Out), STATUS_VARIABLE_NOT_FOUND);
    RtlDestroyEnvironment(Env);
}

TEST(rtlprocess, expand_environment_strings)
{
    UNICODE_STRING A = NTAPI_STRING(u"Dir"), Value = NTAPI_STRING(u"C:\\x");
    UNICODE_STRING Source = NTAPI_STRING(u"%dir%\\%NOPE%!");
    WCHAR Buffer[32];
    UNICODE_STRING Out = {0, sizeof(Buffer), Buffer};
    ULONG Length = 0;
    PVOID Env = NULL;

    if (!CHECK_STATUS(RtlCreateEnvironment(FALSE, &Env), STATUS_SUCCESS))
        return;
    RtlSetEnvironmentVariable(&Env, &A, &Value);
    CHECK_STATUS(RtlExpandEnvironmentStrings_U(Env, &Source, &Out, &Length), STATUS_SUCCESS);
    CHECK(NtapiEqual(&Out, u"C:\\x\\%NOPE%!"));
    CHECK_EQ(Length, Out.Length + sizeof(WCHAR));
    Out.MaximumLength = 8;
    CHECK_STATUS(RtlExpandEnvironmentStrings_U(Env, &Source, &Out, &Length),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(Length, 13 * sizeof(WCHAR));
    RtlDestroyEnvironment(Env);
}

/* A NULL environment is the caller's own block. */
TEST(rtlprocess, own_environment)
{
    UNICODE_STRING Name = NTAPI_STRING(u"NereidOwn"), Value = NTAPI_STRING(u"yes");
    WCHAR Buffer[8];
    UNICODE_STRING Out = {0, sizeof(Buffer), Buffer};
    PVOID Clone = NULL;

    CHECK_STATUS(RtlSetEnvironmentVariable(NULL, &Name, &Value), STATUS_SUCCESS);
    CHECK_STATUS(RtlQueryEnvironmentVariable_U(NULL, &Name, &Out), STATUS_SUCCESS);
    CHECK(NtapiEqual(&Out, u"yes"));
    if (CHECK_STATUS(RtlCreateEnvironment(TRUE, &Clone), STATUS_SUCCESS)) {
        CHECK_STATUS(RtlQueryEnvironmentVariable_U(Clone, &Name, &Out), STATUS_SUCCESS);
        RtlDestroyEnvironment(Clone);
    }
    CHECK_STATUS(RtlSetEnvironmentVariable(NULL, &Name, NULL), STATUS_SUCCESS);
    CHECK_STATUS(RtlQueryEnvironmentVariable_U(NULL, &Name, &Out), STATUS_VARIABLE_NOT_FOUND);
}
