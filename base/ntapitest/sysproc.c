/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQuerySystemInformation's process classes: SystemProcessInformation
 * (the NextEntryOffset chain, this process with its image name, ids,
 * handle count and threads, suspended threads and their state, a child
 * with its parent id, the size query), SystemProcessorInformation and
 * SystemTimeOfDayInformation with their length rules.
 */
#include "pstest.h"

#define SystemProcessorInformation 1
#define SystemTimeOfDayInformation 3
#define SystemProcessInformation   5

typedef struct _NTAPI_SYSTEM_PROCESS {
    ULONG NextEntryOffset;
    ULONG NumberOfThreads;
    UCHAR Reserved1[0x30];
    UNICODE_STRING ImageName;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
    ULONG HandleCount;
    ULONG SessionId;
    UCHAR Reserved2[0x98];
} NTAPI_SYSTEM_PROCESS;
_Static_assert(sizeof(NTAPI_SYSTEM_PROCESS) == 0x100, "SYSTEM_PROCESS_INFORMATION");

typedef struct _NTAPI_SYSTEM_THREAD {
    LARGE_INTEGER KernelTime, UserTime, CreateTime;
    ULONG WaitTime;
    PVOID StartAddress;
    CLIENT_ID ClientId;
    LONG Priority;
    LONG BasePriority;
    ULONG ContextSwitches;
    ULONG ThreadState;
    ULONG WaitReason;
} NTAPI_SYSTEM_THREAD;
_Static_assert(sizeof(NTAPI_SYSTEM_THREAD) == 0x50, "SYSTEM_THREAD_INFORMATION");

typedef struct _NTAPI_PROCESSOR {
    USHORT ProcessorArchitecture;
    USHORT ProcessorLevel;
    USHORT ProcessorRevision;
    USHORT MaximumProcessors;
    ULONG ProcessorFeatureBits;
} NTAPI_PROCESSOR;

typedef struct _NTAPI_TIME_OF_DAY {
    LARGE_INTEGER BootTime, CurrentTime, TimeZoneBias;
    ULONG TimeZoneId, Reserved;
    ULONGLONG BootTimeBias, SleepTimeBias;
} NTAPI_TIME_OF_DAY;

static UCHAR NtapiList[0x10000] __attribute__((aligned(16)));

/* The list in NtapiList, or NULL. */
static NTAPI_SYSTEM_PROCESS *NtapiQueryList(VOID)
{
    ULONG Length = 0;

    if (!NT_SUCCESS(NtQuerySystemInformation(SystemProcessInformation, NtapiList, sizeof(NtapiList),
                                             &Length)))
        return NULL;
    return (NTAPI_SYSTEM_PROCESS *)NtapiList;
}

static NTAPI_SYSTEM_PROCESS *NtapiFindProcess(NTAPI_SYSTEM_PROCESS *P, ULONG_PTR Id)
{
    for (; P; P = P->NextEntryOffset ? (NTAPI_SYSTEM_PROCESS *)((UCHAR *)P + P->NextEntryOffset)
                                     : NULL) {
        if (P->UniqueProcessId == Id)
            return P;
    }
    return NULL;
}

static NTAPI_SYSTEM_THREAD *NtapiFindThread(NTAPI_SYSTEM_PROCESS *P, HANDLE Id)
{
    NTAPI_SYSTEM_THREAD *T = (NTAPI_SYSTEM_THREAD *)(P + 1);

    for (ULONG i = 0; i < P->NumberOfThreads; i++) {
        if (T[i].ClientId.UniqueThread == Id)
            return &T[i];
    }
    return NULL;
}

static BOOLEAN NtapiNameIs(const UNICODE_STRING *Name, PCSTR Ascii)
{
    SIZE_T n = strlen(Ascii);

    if (Name->Length != n * sizeof(WCHAR) || Name->Buffer == NULL)
        return FALSE;
    for (SIZE_T i = 0; i < n; i++) {
        if (Name->Buffer[i] != (WCHAR)Ascii[i])
            return FALSE;
    }
    return TRUE;
}

TEST(sysproc, size_query)
{
    ULONG Length = 0;
    UCHAR Small[16];

    CHECK_STATUS(NtQuerySystemInformation(SystemProcessInformation, Small, sizeof(Small), &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK(Length >= sizeof(NTAPI_SYSTEM_PROCESS) + sizeof(NTAPI_SYSTEM_THREAD));
    CHECK(Length < sizeof(NtapiList));
}

TEST(sysproc, self_in_list)
{
    NTAPI_SYSTEM_PROCESS *Self;
    NTAPI_SYSTEM_THREAD *Me;
    ULONG Handles = 0;

    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &Handles, sizeof(Handles),
                              NULL);
    Self = NtapiFindProcess(NtapiQueryList(), (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
    if (!CHECK(Self != NULL))
        return;
    CHECK(NtapiNameIs(&Self->ImageName, "ntapitest.exe"));
    CHECK((UCHAR *)Self->ImageName.Buffer > (UCHAR *)Self);
    CHECK_EQ(Self->NumberOfThreads, 1);
    CHECK_EQ(Self->HandleCount, Handles);
    CHECK_EQ(Self->BasePriority, 8);
    Me = NtapiFindThread(Self, NtCurrentTeb()->ClientId.UniqueThread);
    if (!CHECK(Me != NULL))
        return;
    CHECK_EQ(Me->ThreadState, 2); /* Running */
    CHECK_EQ(Me->ClientId.UniqueProcess, NtCurrentTeb()->ClientId.UniqueProcess);
}

static NTSTATUS NTAPI NtapiListed(PVOID Argument)
{
    return (NTSTATUS)(ULONG_PTR)Argument;
}

TEST(sysproc, suspended_threads_listed)
{
    HANDLE Threads[3];
    THREAD_BASIC_INFORMATION Info;
    NTAPI_SYSTEM_PROCESS *Self;
    ULONG i, n = 0;

    for (i = 0; i < 3; i++) {
        if (!CHECK_STATUS(NtapiCreateThread(NtapiListed, (PVOID)(ULONG_PTR)(0x60 + i),
                                            THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Threads[n]),
                          STATUS_SUCCESS))
            break;
        n++;
    }
    Self = NtapiFindProcess(NtapiQueryList(), (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
    if (CHECK(Self != NULL)) {
        CHECK_EQ(Self->NumberOfThreads, 1 + n);
        for (i = 0; i < n; i++) {
            NTAPI_SYSTEM_THREAD *T;

            NtQueryInformationThread(Threads[i], ThreadBasicInformation, &Info, sizeof(Info), NULL);
            T = NtapiFindThread(Self, Info.ClientId.UniqueThread);
            if (!CHECK(T != NULL))
                continue;
            CHECK_EQ(T->ThreadState, 5); /* Waiting */
            CHECK_EQ(T->WaitReason, 5);  /* Suspended */
            CHECK_EQ(T->StartAddress, (PVOID)NtapiListed);
        }
    }
    for (i = 0; i < n; i++) {
        NtResumeThread(Threads[i], NULL);
        CHECK_EQ(NtapiWaitThread(Threads[i]), 0x60 + i);
        NtClose(Threads[i]);
    }
}

TEST(sysproc, child_listed)
{
    PROCESS_BASIC_INFORMATION Basic;
    NTAPI_SYSTEM_PROCESS *Child;
    HANDLE Process, Thread;

    if (!CHECK_STATUS(NtapiCreateChild(u"exit 4", NULL, 0, THREAD_CREATE_FLAGS_CREATE_SUSPENDED,
                                       &Process, &Thread),
                      STATUS_SUCCESS))
        return;
    NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    Child = NtapiFindProcess(NtapiQueryList(), Basic.UniqueProcessId);
    if (CHECK(Child != NULL)) {
        CHECK(NtapiNameIs(&Child->ImageName, "pschild.exe"));
        CHECK_EQ(Child->InheritedFromUniqueProcessId,
                 (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
        CHECK_EQ(Child->NumberOfThreads, 1);
    }
    NtResumeThread(Thread, NULL);
    CHECK_EQ(NtapiWaitProcess(Process), 4);
    /* Gone from the list once it has ended. */
    CHECK(NtapiFindProcess(NtapiQueryList(), Basic.UniqueProcessId) == NULL);
    NtClose(Thread);
    NtClose(Process);
}

TEST(sysproc, processor_information)
{
    NTAPI_PROCESSOR Info;
    ULONG Length = 0;

    memset(&Info, 0xcc, sizeof(Info));
    CHECK_STATUS(NtQuerySystemInformation(SystemProcessorInformation, &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, 12);
    CHECK_EQ(Info.ProcessorArchitecture, 9); /* PROCESSOR_ARCHITECTURE_AMD64 */
    CHECK_EQ(Info.MaximumProcessors, 1);
    CHECK(Info.ProcessorLevel >= 6);
    CHECK(Info.ProcessorFeatureBits & 0x2);     /* KF_RDTSC */
    CHECK(Info.ProcessorFeatureBits & 0x10000); /* KF_XMMI64: SSE2 on every x64 */
    CHECK_STATUS(NtQuerySystemInformation(SystemProcessorInformation, &Info, 16, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(sysproc, time_of_day)
{
    NTAPI_TIME_OF_DAY Info;
    LARGE_INTEGER Now;
    ULONG Length = 0;

    if (!NT_SUCCESS(NtQuerySystemTime(&Now)))
        return; /* no clock: the class needs one */
    CHECK_STATUS(NtQuerySystemInformation(SystemTimeOfDayInformation, &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK(Info.CurrentTime.QuadPart >= Now.QuadPart);
    CHECK(Info.CurrentTime.QuadPart - Now.QuadPart < 50000000); /* 5 s */
    CHECK(Info.BootTime.QuadPart < Info.CurrentTime.QuadPart);
    CHECK(Info.BootTime.QuadPart > Info.CurrentTime.QuadPart - 36000000000ll); /* an hour */
    CHECK_EQ(Info.TimeZoneBias.QuadPart, 0);
    /* A shorter buffer gets the first bytes; a longer one is refused. */
    CHECK_STATUS(NtQuerySystemInformation(SystemTimeOfDayInformation, &Info, 8, &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, 8);
    CHECK_STATUS(
        NtQuerySystemInformation(SystemTimeOfDayInformation, &Info, sizeof(Info) + 1, &Length),
        STATUS_INFO_LENGTH_MISMATCH);
}
