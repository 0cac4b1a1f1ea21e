/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCreateProcessEx: a process from an image section of pschild.exe with
 * no thread; the test writes its process parameters (RtlCreateProcess-
 * Parameters' offset form, placed with NtAllocateVirtualMemory /
 * NtWriteVirtualMemory and hung on its PEB) and starts its first thread
 * with NtCreateThreadEx at the image's entry, then reads its exit code.
 * Also handle inheritance, a process ended or closed before it had a
 * thread, and the argument errors.
 */
#include "ntfile.h"
#include "pstest.h"

#include <nt/rtlps.h>

#define PROCESS_CREATE_PROCESS   0x0080u
#define SectionImageInformation  1
#define NTAPI_PEB_PARAMETERS     0x20 /* offsetof(PEB, ProcessParameters) on x64 */
#define NTAPI_MEM_COMMIT_RESERVE 0x3000u

NTSTATUS NtapiOpenSystemFile(PCWSTR Name, ACCESS_MASK Access, ULONG Options, HANDLE *Handle);

static NTSTATUS NtapiImageSection(HANDLE *Section)
{
    HANDLE File;
    NTSTATUS Status;

    *Section = NULL;
    Status = NtapiOpenSystemFile(L"pschild.exe", FILE_GENERIC_READ | FILE_EXECUTE, 0, &File);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE_READ, SEC_IMAGE,
                             File);
    NtClose(File);
    return Status;
}

static NTSTATUS NtapiCreateFromSection(HANDLE Section, ULONG Flags, HANDLE *Process)
{
    *Process = NULL;
    return NtCreateProcessEx(Process, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), Flags, Section,
                             NULL, NULL, 0);
}

/* Parameters for "pschild.exe <Arguments>" in Process, hung on its PEB. */
static NTSTATUS NtapiGiveParameters(HANDLE Process, PCWSTR CommandLine)
{
    UNICODE_STRING Image = {0, 0, (PWSTR)L"\\SystemRoot\\pschild.exe"}, Command;
    PROCESS_BASIC_INFORMATION Basic;
    PRTL_USER_PROCESS_PARAMETERS P = NULL;
    PVOID Remote = NULL;
    SIZE_T Size;
    NTSTATUS Status;

    Image.Length = (USHORT)(strlen("\\SystemRoot\\pschild.exe") * sizeof(WCHAR));
    Image.MaximumLength = Image.Length + sizeof(WCHAR);
    Command.Buffer = (PWSTR)CommandLine;
    Command.Length = 0;
    while (CommandLine[Command.Length / sizeof(WCHAR)])
        Command.Length += sizeof(WCHAR);
    Command.MaximumLength = Command.Length + sizeof(WCHAR);
    Status =
        RtlCreateProcessParameters(&P, &Image, NULL, NULL, &Command, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Size = P->Length;
    Status = NtAllocateVirtualMemory(Process, &Remote, 0, &Size, NTAPI_MEM_COMMIT_RESERVE,
                                     PAGE_READWRITE);
    /* Offsets travel as they are; the environment is a pointer into the block. */
    if (NT_SUCCESS(Status) && P->Environment)
        P->Environment = (PWSTR)((PUCHAR)Remote + ((PUCHAR)P->Environment - (PUCHAR)P));
    if (NT_SUCCESS(Status))
        Status = NtWriteVirtualMemory(Process, Remote, P, P->Length, NULL);
    if (NT_SUCCESS(Status))
        Status = NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic),
                                           NULL);
    if (NT_SUCCESS(Status))
        Status = NtWriteVirtualMemory(Process, (PUCHAR)Basic.PebBaseAddress + NTAPI_PEB_PARAMETERS,
                                      &Remote, sizeof(Remote), NULL);
    RtlDestroyProcessParameters(P);
    return Status;
}

/* The first thread at the image's entry with the PEB as its argument. */
static NTSTATUS NtapiStartChild(HANDLE Process, HANDLE Section, HANDLE *Thread)
{
    SECTION_IMAGE_INFORMATION Image;
    PROCESS_BASIC_INFORMATION Basic;
    NTSTATUS Status;

    *Thread = NULL;
    Status = NtQuerySection(Section, SectionImageInformation, &Image, sizeof(Image), NULL);
    if (NT_SUCCESS(Status))
        Status = NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic),
                                           NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    return NtCreateThreadEx(Thread, THREAD_ALL_ACCESS, NULL, Process, Image.TransferAddress,
                            Basic.PebBaseAddress, 0, 0, 0, 0, NULL);
}

TEST(procex, child_from_section)
{
    PROCESS_BASIC_INFORMATION Basic;
    HANDLE Section, Process, Thread;

    if (!CHECK_STATUS(NtapiImageSection(&Section), STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtapiCreateFromSection(Section, 0, &Process), STATUS_SUCCESS)) {
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
        CHECK_EQ(Basic.ExitStatus, STATUS_PENDING);
        CHECK_EQ(Basic.InheritedFromUniqueProcessId,
                 (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
        CHECK(Basic.PebBaseAddress != NULL);
        /* No parameters given: pschild says so (base/pschild). */
        if (CHECK_STATUS(NtapiStartChild(Process, Section, &Thread), STATUS_SUCCESS)) {
            CHECK_EQ(NtapiWaitProcess(Process), 0x600d);
            NtClose(Thread);
        }
        NtClose(Process);
    }
    NtClose(Section);
}

TEST(procex, child_with_parameters)
{
    HANDLE Section, Process, Thread;

    if (!CHECK_STATUS(NtapiImageSection(&Section), STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtapiCreateFromSection(Section, 0, &Process), STATUS_SUCCESS)) {
        CHECK_STATUS(NtapiGiveParameters(Process, L"pschild.exe exit 0x5150"), STATUS_SUCCESS);
        if (CHECK_STATUS(NtapiStartChild(Process, Section, &Thread), STATUS_SUCCESS)) {
            CHECK_EQ(NtapiWaitProcess(Process), 0x5150);
            NtClose(Thread);
        }
        NtClose(Process);
    }
    NtClose(Section);
}

TEST(procex, inherit_handles)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NtCurrentTeb()->ClientId.UniqueProcess, NULL};
    HANDLE Section, Process, Thread, Inheritable = NULL;
    WCHAR Command[48] = L"pschild.exe handle ";
    ULONG_PTR Value;
    SIZE_T n = 19;
    WCHAR Digits[20];
    SIZE_T d = 0;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.Attributes = OBJ_INHERIT;
    if (!CHECK_STATUS(NtOpenProcess(&Inheritable, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                      STATUS_SUCCESS))
        return;
    Value = (ULONG_PTR)Inheritable;
    do {
        Digits[d++] = (WCHAR)('0' + Value % 10);
        Value /= 10;
    } while (Value);
    while (d)
        Command[n++] = Digits[--d];
    Command[n] = 0;
    if (CHECK_STATUS(NtapiImageSection(&Section), STATUS_SUCCESS)) {
        if (CHECK_STATUS(
                NtapiCreateFromSection(Section, PROCESS_CREATE_FLAGS_INHERIT_HANDLES, &Process),
                STATUS_SUCCESS)) {
            NtapiGiveParameters(Process, Command);
            if (CHECK_STATUS(NtapiStartChild(Process, Section, &Thread), STATUS_SUCCESS)) {
                CHECK_EQ(NtapiWaitProcess(Process), STATUS_SUCCESS);
                NtClose(Thread);
            }
            NtClose(Process);
        }
        NtClose(Section);
    }
    NtClose(Inheritable);
}

/* Ended before it had a thread: its exit status, and no thread may start. */
TEST(procex, terminate_without_thread)
{
    HANDLE Section, Process, Thread = NULL;

    if (!CHECK_STATUS(NtapiImageSection(&Section), STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtapiCreateFromSection(Section, 0, &Process), STATUS_SUCCESS)) {
        CHECK_STATUS(NtTerminateProcess(Process, 0x33), STATUS_SUCCESS);
        CHECK_EQ(NtapiWaitProcess(Process), 0x33);
        CHECK_STATUS(NtapiStartChild(Process, Section, &Thread), STATUS_PROCESS_IS_TERMINATING);
        CHECK(Thread == NULL);
        NtClose(Process);
    }
    NtClose(Section);
}

/* Its last handle closed before it had a thread: the process is gone. */
TEST(procex, closed_without_thread)
{
    OBJECT_ATTRIBUTES Attributes;
    PROCESS_BASIC_INFORMATION Basic;
    CLIENT_ID Id = {0};
    HANDLE Section, Process, Again = NULL;

    if (!CHECK_STATUS(NtapiImageSection(&Section), STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtapiCreateFromSection(Section, 0, &Process), STATUS_SUCCESS)) {
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
        Id.UniqueProcess = (HANDLE)Basic.UniqueProcessId;
        NtapiInitializeObjectAttributes(&Attributes);
        CHECK_STATUS(NtOpenProcess(&Again, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                     STATUS_SUCCESS);
        NtClose(Again);
        NtClose(Process);
        CHECK_STATUS(NtOpenProcess(&Again, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                     STATUS_INVALID_CID);
    }
    NtClose(Section);
}

TEST(procex, argument_errors)
{
    HANDLE Section = NULL, Data = NULL, Process = NULL, Query;
    LARGE_INTEGER Size = {.QuadPart = 0x1000};

    NtapiImageSection(&Section);
    NtCreateSection(&Data, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE, SEC_COMMIT, NULL);
    CHECK_STATUS(NtapiCreateFromSection(Section, 0x100, &Process), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(
        NtCreateProcessEx(&Process, PROCESS_ALL_ACCESS, NULL, NULL, 0, Section, NULL, NULL, 0),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiCreateFromSection(Data, 0, &Process), STATUS_SECTION_NOT_IMAGE);
    CHECK_STATUS(NtapiCreateFromSection((HANDLE)(ULONG_PTR)0x7ffc, 0, &Process),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiCreateFromSection(NtCurrentThread(), 0, &Process),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtapiCreateFromSection(NULL, 0, &Process), STATUS_NOT_IMPLEMENTED);
    Query = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    if (CHECK(Query != NULL)) {
        CHECK_STATUS(
            NtCreateProcessEx(&Process, PROCESS_ALL_ACCESS, NULL, Query, 0, Section, NULL, NULL, 0),
            STATUS_ACCESS_DENIED);
        NtClose(Query);
    }
    CHECK(Process == NULL);
    NtClose(Data);
    NtClose(Section);
}
