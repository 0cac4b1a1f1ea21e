/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtSuspendThread and NtResumeThread: the previous counts both report, the
 * limit (MAXIMUM_SUSPEND_COUNT 127, then STATUS_SUSPEND_COUNT_EXCEEDED), a
 * suspended thread that does not run (running user code, or suspending
 * itself inside its own call), resuming one that is not suspended, ended
 * threads (STATUS_THREAD_IS_TERMINATING), ending a suspended thread, and
 * bad handles and access; ending a running thread from another.
 */
#include "pstest.h"

static volatile LONG NtapiSpinCount;
static volatile LONG NtapiStop;
static volatile LONG NtapiAfterSelfSuspend;

static NTSTATUS NTAPI NtapiSpin(PVOID Argument)
{
    (void)Argument;
    while (!NtapiStop)
        __sync_fetch_and_add(&NtapiSpinCount, 1);
    return 0x51;
}

static NTSTATUS NTAPI NtapiSuspendSelf(PVOID Argument)
{
    (void)Argument;
    NtSuspendThread(NtCurrentThread(), NULL);
    NtapiAfterSelfSuspend = 1;
    return 0x52;
}

static NTSTATUS NTAPI NtapiQuick(PVOID Argument)
{
    return (NTSTATUS)(ULONG_PTR)Argument;
}

TEST(suspend, counts)
{
    HANDLE Thread;
    ULONG Previous = 99;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiQuick, (PVOID)0x31,
                                        THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtSuspendThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_STATUS(NtSuspendThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 2);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 3);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 2);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_EQ(NtapiWaitThread(Thread), 0x31);
    NtClose(Thread);
}

TEST(suspend, still_suspended_at_one)
{
    HANDLE Thread;
    ULONG Previous;
    THREAD_BASIC_INFORMATION Info;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiQuick, (PVOID)0x32,
                                        THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Thread),
                      STATUS_SUCCESS))
        return;
    NtSuspendThread(Thread, NULL);
    NtResumeThread(Thread, &Previous);
    CHECK_EQ(Previous, 2);
    NtapiYield(30);
    NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL);
    CHECK_EQ(Info.ExitStatus, STATUS_PENDING);
    NtResumeThread(Thread, NULL);
    CHECK_EQ(NtapiWaitThread(Thread), 0x32);
    NtClose(Thread);
}

TEST(suspend, limit)
{
    HANDLE Thread;
    ULONG Previous = 0, i;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiQuick, (PVOID)0x33,
                                        THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Thread),
                      STATUS_SUCCESS))
        return;
    for (i = 1; i < 127; i++) {
        if (!CHECK_STATUS(NtSuspendThread(Thread, &Previous), STATUS_SUCCESS))
            break;
    }
    CHECK_EQ(Previous, 126);
    Previous = 0x99;
    CHECK_STATUS(NtSuspendThread(Thread, &Previous), STATUS_SUSPEND_COUNT_EXCEEDED);
    CHECK_EQ(Previous, 0x99);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 127);
    while (Previous > 1 && NT_SUCCESS(NtResumeThread(Thread, &Previous)))
        ;
    CHECK_EQ(NtapiWaitThread(Thread), 0x33);
    NtClose(Thread);
}

TEST(suspend, resume_not_suspended)
{
    HANDLE Thread;
    ULONG Previous = 99;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiQuick, (PVOID)0x34, 0, &Thread), STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_EQ(NtapiWaitThread(Thread), 0x34);
    CHECK_STATUS(NtResumeThread(Thread, NULL), STATUS_SUCCESS);
    NtClose(Thread);
}

/* A thread running user code stops where it is and goes on after. */
TEST(suspend, running_thread)
{
    HANDLE Thread;
    LONG Seen;

    NtapiStop = 0;
    NtapiSpinCount = 0;
    if (!CHECK_STATUS(NtapiCreateThread(NtapiSpin, NULL, 0, &Thread), STATUS_SUCCESS))
        return;
    for (ULONG i = 0; i < 1000 && NtapiSpinCount == 0; i++)
        NtYieldExecution();
    CHECK_STATUS(NtSuspendThread(Thread, NULL), STATUS_SUCCESS);
    Seen = NtapiSpinCount;
    CHECK(Seen != 0);
    NtapiYield(50);
    CHECK_EQ(NtapiSpinCount, Seen);
    CHECK_STATUS(NtResumeThread(Thread, NULL), STATUS_SUCCESS);
    for (ULONG i = 0; i < 1000 && NtapiSpinCount == Seen; i++)
        NtYieldExecution();
    CHECK(NtapiSpinCount != Seen);
    NtapiStop = 1;
    CHECK_EQ(NtapiWaitThread(Thread), 0x51);
    NtClose(Thread);
}

/* Suspended inside its own call: the call does not return until resumed. */
TEST(suspend, self_inside_call)
{
    HANDLE Thread;
    ULONG Previous = 99;

    NtapiAfterSelfSuspend = 0;
    if (!CHECK_STATUS(NtapiCreateThread(NtapiSuspendSelf, NULL, 0, &Thread), STATUS_SUCCESS))
        return;
    NtapiYield(50);
    CHECK_EQ(NtapiAfterSelfSuspend, 0);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_EQ(NtapiWaitThread(Thread), 0x52);
    CHECK_EQ(NtapiAfterSelfSuspend, 1);
    NtClose(Thread);
}

TEST(suspend, ended_thread)
{
    HANDLE Thread;
    ULONG Previous = 99;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiQuick, (PVOID)0x35, 0, &Thread), STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitThread(Thread), 0x35);
    CHECK_STATUS(NtSuspendThread(Thread, &Previous), STATUS_THREAD_IS_TERMINATING);
    CHECK_EQ(Previous, 99);
    NtClose(Thread);
}

TEST(suspend, terminate_suspended)
{
    HANDLE Thread;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiQuick, (PVOID)0x36,
                                        THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtTerminateThread(Thread, 0x4321), STATUS_SUCCESS);
    CHECK_EQ(NtapiWaitThread(Thread), 0x4321);
    NtClose(Thread);
}

TEST(suspend, bad_handles)
{
    HANDLE Query = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);

    CHECK_STATUS(NtSuspendThread((HANDLE)(ULONG_PTR)0x7ffc, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtResumeThread((HANDLE)(ULONG_PTR)0x7ffc, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtSuspendThread(NtCurrentProcess(), NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtResumeThread(NtCurrentProcess(), NULL), STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK(Query != NULL)) {
        CHECK_STATUS(NtSuspendThread(Query, NULL), STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtResumeThread(Query, NULL), STATUS_ACCESS_DENIED);
        NtClose(Query);
    }
}

TEST(suspend, bad_count_pointer)
{
    HANDLE Thread;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiQuick, (PVOID)0x37,
                                        THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtSuspendThread(Thread, (ULONG *)NTAPI_READONLY_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtResumeThread(Thread, (ULONG *)NTAPI_BAD_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtResumeThread(Thread, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiWaitThread(Thread), 0x37);
    NtClose(Thread);
}

/* Another thread of the process ended while it runs user code. */
TEST(suspend, terminate_running)
{
    HANDLE Thread;

    NtapiStop = 0;
    NtapiSpinCount = 0;
    if (!CHECK_STATUS(NtapiCreateThread(NtapiSpin, NULL, 0, &Thread), STATUS_SUCCESS))
        return;
    for (ULONG i = 0; i < 1000 && NtapiSpinCount == 0; i++)
        NtYieldExecution();
    CHECK(NtapiSpinCount != 0);
    CHECK_STATUS(NtTerminateThread(Thread, 0x7654), STATUS_SUCCESS);
    CHECK_EQ(NtapiWaitThread(Thread), 0x7654);
    NtClose(Thread);
}
