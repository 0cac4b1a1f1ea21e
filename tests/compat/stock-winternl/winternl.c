/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stock-winternl.exe: a native program written as anyone would write one
 * against the Windows SDK's user-mode headers, <windows.h> and
 * <winternl.h> as mingw-w64 installs them, linked with mingw-w64's own
 * libntdll.a. It checks, with the values Windows gives: NtDisplayString,
 * handles (duplicate, query, close), NtQueryInformationProcess,
 * NtQuerySystemInformation, the system time and performance counter, and
 * the TEB and PEB reached through NtCurrentTeb(). The few services the SDK
 * headers do not declare are declared below with their Windows prototypes.
 */
#include <windows.h>
#include <winternl.h>

#include "../lib/compat.h"

const char CompatProgram[] = "winternl";

/* ntdll exports the SDK headers lack (Windows prototypes). */
NTSYSAPI NTSTATUS NTAPI NtDisplayString(PUNICODE_STRING String);
NTSYSAPI NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                          HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                          ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                          ULONG Options);
NTSYSAPI NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER PerformanceCounter,
                                                  PLARGE_INTEGER PerformanceFrequency);
NTSYSAPI PPEB NTAPI RtlGetCurrentPeb(VOID);

/* What ntdef.h / wdm.h define and winternl.h does not. */
#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif
#ifndef NtCurrentThread
#define NtCurrentThread() ((HANDLE)(LONG_PTR)-2)
#endif

/* Windows' THREAD_BASIC_INFORMATION (class 0), which winternl.h lacks. */
typedef struct _COMPAT_THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} COMPAT_THREAD_BASIC_INFORMATION;

#ifndef STATUS_INVALID_HANDLE
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008L)
#endif
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004L)
#define STATUS_INVALID_INFO_CLASS   ((NTSTATUS)0xC0000003L)
#define STATUS_SUCCESS              ((NTSTATUS)0x00000000L)

/* 2020-01-01 00:00 UTC in 100 ns units since 1601. */
#define COMPAT_YEAR_2020 132223104000000000ll

static PPEB CompatStartPeb;

/* The client id sits after the NT_TIB and the environment pointer (TEB+0x40). */
static CLIENT_ID *CompatTebClientId(VOID)
{
    return (CLIENT_ID *)((PUCHAR)NtCurrentTeb() + 0x40);
}

static VOID DisplayString(VOID)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, L"compat: a line from a stock winternl.h program\n");
    CHECK_EQ(String.Length, 47 * sizeof(WCHAR));
    CHECK_STATUS(NtDisplayString(&String), STATUS_SUCCESS);
}

static VOID HandleDuplicateQueryClose(VOID)
{
    PUBLIC_OBJECT_BASIC_INFORMATION Info;
    PROCESS_BASIC_INFORMATION ByHandle, ByPseudo;
    HANDLE Copy = NULL;
    ULONG Length = 0;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(),
                                   &Copy, 0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    if (!CHECK(Copy != NULL))
        return;
    /* A real handle: a multiple of 4, not a pseudo-handle. */
    CHECK_EQ((ULONG_PTR)Copy & 3, 0);
    memset(&Info, 0xcc, sizeof(Info));
    CHECK_STATUS(NtQueryObject(Copy, ObjectBasicInformation, &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.GrantedAccess, PROCESS_ALL_ACCESS);
    CHECK(Info.HandleCount >= 1);
    CHECK(Info.PointerCount >= Info.HandleCount);
    CHECK_STATUS(
        NtQueryInformationProcess(Copy, ProcessBasicInformation, &ByHandle, sizeof(ByHandle), NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &ByPseudo,
                                           sizeof(ByPseudo), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(ByHandle.UniqueProcessId, ByPseudo.UniqueProcessId);
    CHECK_STATUS(NtClose(Copy), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Copy), STATUS_INVALID_HANDLE);
}

static VOID HandleInvalid(VOID)
{
    CHECK_STATUS(NtClose((HANDLE)(ULONG_PTR)0x7ff0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtClose(NULL), STATUS_INVALID_HANDLE);
}

static VOID ProcessBasic(VOID)
{
    PROCESS_BASIC_INFORMATION Info;
    ULONG Length = 0;

    memset(&Info, 0xcc, sizeof(Info));
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &Info,
                                           sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.ExitStatus, STATUS_PENDING);
    CHECK(Info.PebBaseAddress == NtCurrentTeb()->ProcessEnvironmentBlock);
    CHECK_EQ(Info.UniqueProcessId, (ULONG_PTR)CompatTebClientId()->UniqueProcess);
    CHECK(Info.AffinityMask != 0);
}

static VOID ProcessQueryRefusals(VOID)
{
    PROCESS_BASIC_INFORMATION Info;
    ULONG_PTR Wow64 = 1;
    ULONG Length = 0;

    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &Info,
                                           sizeof(Info) - 1, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, 0); /* a fixed-size class: Windows leaves ReturnLength alone */
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), (PROCESSINFOCLASS)1000, &Info,
                                           sizeof(Info), NULL),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessWow64Information, &Wow64,
                                           sizeof(Wow64), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Wow64, 0); /* a 64-bit process */
}

static VOID ThreadBasic(VOID)
{
    COMPAT_THREAD_BASIC_INFORMATION Info;
    ULONG Length = 0, Last = 0;

    memset(&Info, 0xcc, sizeof(Info));
    CHECK_STATUS(NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation, &Info,
                                          sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.ExitStatus, STATUS_PENDING);
    CHECK(Info.TebBaseAddress == (PVOID)NtCurrentTeb());
    CHECK(Info.ClientId.UniqueThread == CompatTebClientId()->UniqueThread);
    CHECK(Info.ClientId.UniqueProcess == CompatTebClientId()->UniqueProcess);
    CHECK_STATUS(
        NtQueryInformationThread(NtCurrentThread(), ThreadAmILastThread, &Last, sizeof(Last), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Last, 1);
}

static VOID SystemBasic(VOID)
{
    SYSTEM_BASIC_INFORMATION Info;
    ULONG Length = 0;

    memset(&Info, 0xcc, sizeof(Info));
    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.PhysicalPageSize, 0x1000);
    CHECK_EQ(Info.AllocationGranularity, 0x10000);
    CHECK_EQ(Info.LowestUserAddress, 0x10000);
    CHECK_EQ(Info.HighestUserAddress, 0x7ffffffeffffull);
    CHECK(Info.NumberOfProcessors >= 1);
    CHECK(Info.ActiveProcessors != 0);
    CHECK(Info.NumberOfPhysicalPages > 0);
    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, &Info, sizeof(Info) - 4, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}

static VOID TimeAndCounter(VOID)
{
    LARGE_INTEGER Time = {0}, Later = {0}, Counter = {0}, Counter2 = {0}, Frequency = {0};

    CHECK_STATUS(NtQuerySystemTime(&Time), STATUS_SUCCESS);
    CHECK(Time.QuadPart > COMPAT_YEAR_2020);
    CHECK_STATUS(NtQueryPerformanceCounter(&Counter, &Frequency), STATUS_SUCCESS);
    CHECK(Frequency.QuadPart > 0);
    CHECK_STATUS(NtQueryPerformanceCounter(&Counter2, NULL), STATUS_SUCCESS);
    CHECK(Counter2.QuadPart >= Counter.QuadPart);
    CHECK_STATUS(NtQuerySystemTime(&Later), STATUS_SUCCESS);
    CHECK(Later.QuadPart >= Time.QuadPart);
}

static VOID TebFields(VOID)
{
    PNT_TIB Tib = (PNT_TIB)NtCurrentTeb();
    ULONG_PTR Here = (ULONG_PTR)&Tib;

    CHECK(Tib->Self == Tib);
    CHECK((ULONG_PTR)Tib->StackLimit < Here && Here < (ULONG_PTR)Tib->StackBase);
    CHECK(NtCurrentTeb()->ProcessEnvironmentBlock == CompatStartPeb);
    CHECK(RtlGetCurrentPeb() == CompatStartPeb);
    CHECK(CompatTebClientId()->UniqueThread != NULL);
}

/* TRUE if Name ends with Tail (case-insensitive, ASCII). */
static BOOLEAN CompatEndsWith(PCUNICODE_STRING Name, PCWSTR Tail)
{
    USHORT Count = 0, Index;

    while (Tail[Count])
        Count++;
    if (Name->Buffer == NULL || Name->Length / sizeof(WCHAR) < Count)
        return FALSE;
    for (Index = 0; Index < Count; Index++) {
        WCHAR a = Name->Buffer[Name->Length / sizeof(WCHAR) - Count + Index], b = Tail[Index];
        if ((a | 0x20) != (b | 0x20))
            return FALSE;
    }
    return TRUE;
}

static VOID PebFields(VOID)
{
    PPEB Peb = CompatStartPeb;
    PLIST_ENTRY Head, First;
    PLDR_DATA_TABLE_ENTRY Module;

    CHECK_EQ(Peb->BeingDebugged, 0);
    /* ImageBaseAddress: the third pointer of the PEB (SDK name Reserved3[1]). */
    CHECK_EQ((ULONG_PTR)Peb->Reserved3[1], 0x140000000ull);
    if (!CHECK(Peb->ProcessParameters != NULL) || !CHECK(Peb->Ldr != NULL))
        return;
    CHECK(CompatEndsWith(&Peb->ProcessParameters->ImagePathName, L"stock-winternl.exe"));
    CHECK(Peb->ProcessParameters->CommandLine.Length > 0);
    /* The first module in memory order is the program, then ntdll. */
    Head = &Peb->Ldr->InMemoryOrderModuleList;
    First = Head->Flink;
    if (!CHECK(First != Head))
        return;
    Module = CONTAINING_RECORD(First, LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks);
    CHECK_EQ((ULONG_PTR)Module->DllBase, 0x140000000ull);
    if (!CHECK(First->Flink != Head))
        return;
    Module = CONTAINING_RECORD(First->Flink, LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks);
    CHECK(CompatEndsWith(&Module->FullDllName, L"ntdll.dll"));
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    CompatStartPeb = Peb;
    CompatRun("display_string", DisplayString);
    CompatRun("handle_duplicate_query_close", HandleDuplicateQueryClose);
    CompatRun("handle_invalid", HandleInvalid);
    CompatRun("process_basic", ProcessBasic);
    CompatRun("process_query_refusals", ProcessQueryRefusals);
    CompatRun("thread_basic", ThreadBasic);
    CompatRun("system_basic", SystemBasic);
    CompatRun("time_and_counter", TimeAndCounter);
    CompatRun("teb_fields", TebFields);
    CompatRun("peb_fields", PebFields);
    CompatFinish();
}
