/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtSetInformationProcess / NtSetInformationThread: each class ntos
 * serves with its exact length, the values Windows refuses, the order of
 * the checks (class, length, handle), the access they need, and what the
 * matching query classes then report. Settings are made on a suspended
 * thread of our own or restored afterwards.
 */
#include "pstest.h"

#define ProcessBasePriority    5
#define ProcessRaisePriority   9
#define ProcessAffinityMask    21
#define ThreadPriority         2
#define ThreadBasePriority     3
#define ThreadAffinityMask     4
#define ThreadZeroTlsCell      10
#define ThreadHideFromDebugger 17

typedef struct _NTAPI_PRIORITY_CLASS {
    BOOLEAN Foreground;
    UCHAR PriorityClass;
} NTAPI_PRIORITY_CLASS;

static NTSTATUS NTAPI NtapiIdle(PVOID Argument)
{
    return (NTSTATUS)(ULONG_PTR)Argument;
}

static HANDLE NtapiSuspendedThread(VOID)
{
    HANDLE Thread = NULL;

    NtapiCreateThread(NtapiIdle, (PVOID)0x11, THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Thread);
    return Thread;
}

/* Back to the normal priority (a thread below ours would never run while
 * we poll), then let it run to its end. */
static VOID NtapiEndThread(HANDLE Thread)
{
    LONG Normal = 8;

    NtSetInformationThread(Thread, ThreadPriority, &Normal, sizeof(Normal));
    NtResumeThread(Thread, NULL);
    NtapiWaitThread(Thread);
    NtClose(Thread);
}

static LONG NtapiThreadPriority(HANDLE Thread)
{
    THREAD_BASIC_INFORMATION Info;

    Info.Priority = -1;
    NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL);
    return Info.Priority;
}

TEST(setinfo, thread_priority)
{
    HANDLE Thread = NtapiSuspendedThread();
    LONG Priority = 12;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadPriority, &Priority, sizeof(Priority)),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiThreadPriority(Thread), 12);
    Priority = 0;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadPriority, &Priority, sizeof(Priority)),
                 STATUS_INVALID_PARAMETER);
    Priority = 32;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadPriority, &Priority, sizeof(Priority)),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadPriority, &Priority, sizeof(Priority) + 1),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(NtapiThreadPriority(Thread), 12);
    NtapiEndThread(Thread);
}

TEST(setinfo, thread_base_priority)
{
    HANDLE Thread = NtapiSuspendedThread();
    LONG Increment = 2;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadBasePriority, &Increment, sizeof(Increment)),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiThreadPriority(Thread), 10); /* normal class base 8 + 2 */
    Increment = -2;
    NtSetInformationThread(Thread, ThreadBasePriority, &Increment, sizeof(Increment));
    CHECK_EQ(NtapiThreadPriority(Thread), 6);
    Increment = 16; /* THREAD_BASE_PRIORITY_LOWRT + 1: saturation */
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadBasePriority, &Increment, sizeof(Increment)),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiThreadPriority(Thread), 15);
    Increment = -16;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadBasePriority, &Increment, sizeof(Increment)),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiThreadPriority(Thread), 1);
    Increment = 3;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadBasePriority, &Increment, sizeof(Increment)),
                 STATUS_INVALID_PARAMETER);
    NtapiEndThread(Thread);
}

TEST(setinfo, thread_affinity)
{
    HANDLE Thread = NtapiSuspendedThread();
    ULONG_PTR Mask = 1;
    THREAD_BASIC_INFORMATION Info;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadAffinityMask, &Mask, sizeof(Mask)),
                 STATUS_SUCCESS);
    NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL);
    CHECK_EQ(Info.AffinityMask, 1);
    Mask = 0;
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadAffinityMask, &Mask, sizeof(Mask)),
                 STATUS_INVALID_PARAMETER);
    Mask = 2; /* a processor the process may not use */
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadAffinityMask, &Mask, sizeof(Mask)),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadAffinityMask, &Mask, 4),
                 STATUS_INFO_LENGTH_MISMATCH);
    NtapiEndThread(Thread);
}

TEST(setinfo, thread_hide_and_start_address)
{
    HANDLE Thread = NtapiSuspendedThread();
    BOOLEAN Hidden = FALSE;
    PVOID Start = (PVOID)0x12345000, Read = NULL;
    ULONG Dummy = 0;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(
        NtQueryInformationThread(Thread, ThreadHideFromDebugger, &Hidden, sizeof(Hidden), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Hidden, FALSE);
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadHideFromDebugger, &Dummy, sizeof(Dummy)),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtSetInformationThread(Thread, ThreadHideFromDebugger, NULL, 0), STATUS_SUCCESS);
    NtQueryInformationThread(Thread, ThreadHideFromDebugger, &Hidden, sizeof(Hidden), NULL);
    CHECK_EQ(Hidden, TRUE);
    CHECK_STATUS(
        NtSetInformationThread(Thread, ThreadQuerySetWin32StartAddress, &Start, sizeof(Start)),
        STATUS_SUCCESS);
    NtQueryInformationThread(Thread, ThreadQuerySetWin32StartAddress, &Read, sizeof(Read), NULL);
    CHECK_EQ(Read, Start);
    NtapiEndThread(Thread);
}

TEST(setinfo, thread_errors)
{
    HANDLE Query = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);
    LONG Priority = 8;

    CHECK_STATUS(NtSetInformationThread(NtCurrentThread(), 0x7777, &Priority, sizeof(Priority)),
                 STATUS_INVALID_INFO_CLASS);
    /* The length before the handle. */
    CHECK_STATUS(NtSetInformationThread((HANDLE)(ULONG_PTR)0x7ffc, ThreadPriority, &Priority, 2),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtSetInformationThread((HANDLE)(ULONG_PTR)0x7ffc, ThreadPriority, &Priority,
                                        sizeof(Priority)),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(
        NtSetInformationThread(NtCurrentProcess(), ThreadPriority, &Priority, sizeof(Priority)),
        STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtSetInformationThread(NtCurrentThread(), ThreadPriority, NTAPI_BAD_POINTER,
                                        sizeof(Priority)),
                 STATUS_ACCESS_VIOLATION);
    if (CHECK(Query != NULL)) {
        CHECK_STATUS(NtSetInformationThread(Query, ThreadPriority, &Priority, sizeof(Priority)),
                     STATUS_ACCESS_DENIED);
        NtClose(Query);
    }
}

TEST(setinfo, thread_zero_tls_cell_not_implemented)
{
    ULONG Cell = 0;

    CHECK_STATUS(NtSetInformationThread(NtCurrentThread(), ThreadZeroTlsCell, &Cell, sizeof(Cell)),
                 STATUS_NOT_IMPLEMENTED);
}

TEST(setinfo, process_priority_class)
{
    NTAPI_PRIORITY_CLASS Class = {FALSE, 6};
    /* Windows probes the 2-byte record's buffer for ULONG alignment. */
    NTAPI_PRIORITY_CLASS Read __attribute__((aligned(sizeof(ULONG)))) = {0, 0};
    HANDLE Thread = NtapiSuspendedThread();
    PROCESS_BASIC_INFORMATION Basic;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessPriorityClass, &Class, sizeof(Class)),
        STATUS_SUCCESS);
    NtQueryInformationProcess(NtCurrentProcess(), ProcessPriorityClass, &Read, sizeof(Read), NULL);
    CHECK_EQ(Read.PriorityClass, 6);
    NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &Basic, sizeof(Basic),
                              NULL);
    CHECK_EQ(Basic.BasePriority, 10); /* ABOVE_NORMAL */
    CHECK_EQ(NtapiThreadPriority(Thread), 10);
    Class.PriorityClass = 7;
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessPriorityClass, &Class, sizeof(Class)),
        STATUS_INVALID_PARAMETER);
    Class.PriorityClass = 2; /* back to normal */
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessPriorityClass, &Class, sizeof(Class)),
        STATUS_SUCCESS);
    CHECK_EQ(NtapiThreadPriority(Thread), 8);
    CHECK_STATUS(NtSetInformationProcess(NtCurrentProcess(), ProcessPriorityClass, &Class, 4),
                 STATUS_INFO_LENGTH_MISMATCH);
    NtapiEndThread(Thread);
}

TEST(setinfo, process_base_and_raise_priority)
{
    HANDLE Thread = NtapiSuspendedThread();
    LONG Base = 9;
    ULONG Raise = 3;
    NTAPI_PRIORITY_CLASS Normal = {FALSE, 2};

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessBasePriority, &Base, sizeof(Base)),
        STATUS_SUCCESS);
    CHECK_EQ(NtapiThreadPriority(Thread), 9);
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessRaisePriority, &Raise, sizeof(Raise)),
        STATUS_SUCCESS);
    CHECK_EQ(NtapiThreadPriority(Thread), 12);
    Base = 0;
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessBasePriority, &Base, sizeof(Base)),
        STATUS_INVALID_PARAMETER);
    NtSetInformationProcess(NtCurrentProcess(), ProcessPriorityClass, &Normal, sizeof(Normal));
    CHECK_EQ(NtapiThreadPriority(Thread), 8);
    NtapiEndThread(Thread);
}

TEST(setinfo, process_affinity_error_mode_execute)
{
    ULONG_PTR Mask = 1;
    ULONG Mode = 0, Read = 99, Flags = 0x2;

    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessAffinityMask, &Mask, sizeof(Mask)),
        STATUS_SUCCESS);
    Mask = 6;
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessAffinityMask, &Mask, sizeof(Mask)),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtSetInformationProcess(NtCurrentProcess(), ProcessDefaultHardErrorMode, &Mode,
                                         sizeof(Mode)),
                 STATUS_SUCCESS);
    NtQueryInformationProcess(NtCurrentProcess(), ProcessDefaultHardErrorMode, &Read, sizeof(Read),
                              NULL);
    CHECK_EQ(Read, 0);
    Mode = 1;
    NtSetInformationProcess(NtCurrentProcess(), ProcessDefaultHardErrorMode, &Mode, sizeof(Mode));
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessExecuteFlags, &Flags, sizeof(Flags)),
        STATUS_SUCCESS);
    Flags = 0x40;
    CHECK_STATUS(
        NtSetInformationProcess(NtCurrentProcess(), ProcessExecuteFlags, &Flags, sizeof(Flags)),
        STATUS_INVALID_PARAMETER);
}

TEST(setinfo, process_errors)
{
    HANDLE Query = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    ULONG Mode = 1;

    CHECK_STATUS(NtSetInformationProcess(NtCurrentProcess(), 0x7777, &Mode, sizeof(Mode)),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(
        NtSetInformationProcess((HANDLE)(ULONG_PTR)0x7ffc, ProcessDefaultHardErrorMode, &Mode, 8),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtSetInformationProcess((HANDLE)(ULONG_PTR)0x7ffc, ProcessDefaultHardErrorMode,
                                         &Mode, sizeof(Mode)),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtSetInformationProcess(NtCurrentThread(), ProcessDefaultHardErrorMode, &Mode,
                                         sizeof(Mode)),
                 STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK(Query != NULL)) {
        CHECK_STATUS(
            NtSetInformationProcess(Query, ProcessDefaultHardErrorMode, &Mode, sizeof(Mode)),
            STATUS_ACCESS_DENIED);
        /* ProcessExecuteFlags: the caller's own pseudo-handle only. */
        NtClose(Query);
    }
}
