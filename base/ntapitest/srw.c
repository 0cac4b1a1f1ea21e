/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Slim reader/writer locks, condition variables and one-time
 * initialisation from one thread: what may and may not be acquired
 * together (try-acquire tells without waiting), that a released lock is
 * free again, wakes with nobody asleep, sleeps that time out (these wait
 * on the system's keyed event), and RtlRunOnce*'s states and results.
 */
#include "ntapitest.h"

TEST(srw, initialize_is_zero)
{
    RTL_SRWLOCK Lock = {(PVOID)(ULONG_PTR)0x1234};

    RtlInitializeSRWLock(&Lock);
    CHECK(Lock.Ptr == NULL);
}

TEST(srw, exclusive_excludes_everyone)
{
    RTL_SRWLOCK Lock = RTL_SRWLOCK_INIT;

    RtlAcquireSRWLockExclusive(&Lock);
    CHECK(Lock.Ptr != NULL);
    CHECK(!RtlTryAcquireSRWLockExclusive(&Lock)); /* not recursive */
    CHECK(!RtlTryAcquireSRWLockShared(&Lock));
    RtlReleaseSRWLockExclusive(&Lock);
    CHECK(Lock.Ptr == NULL);
    CHECK(RtlTryAcquireSRWLockExclusive(&Lock));
    RtlReleaseSRWLockExclusive(&Lock);
    CHECK(Lock.Ptr == NULL);
}

TEST(srw, shared_admits_readers_only)
{
    RTL_SRWLOCK Lock = RTL_SRWLOCK_INIT;

    RtlAcquireSRWLockShared(&Lock);
    CHECK(RtlTryAcquireSRWLockShared(&Lock));
    RtlAcquireSRWLockShared(&Lock);
    CHECK(!RtlTryAcquireSRWLockExclusive(&Lock));
    RtlReleaseSRWLockShared(&Lock);
    RtlReleaseSRWLockShared(&Lock);
    CHECK(!RtlTryAcquireSRWLockExclusive(&Lock)); /* one reader left */
    RtlReleaseSRWLockShared(&Lock);
    CHECK(Lock.Ptr == NULL);
    CHECK(RtlTryAcquireSRWLockExclusive(&Lock));
    RtlReleaseSRWLockExclusive(&Lock);
}

TEST(srw, try_acquire_on_free_lock)
{
    RTL_SRWLOCK Lock = RTL_SRWLOCK_INIT;

    CHECK(RtlTryAcquireSRWLockShared(&Lock));
    RtlReleaseSRWLockShared(&Lock);
    CHECK(RtlTryAcquireSRWLockExclusive(&Lock));
    RtlReleaseSRWLockExclusive(&Lock);
    CHECK(Lock.Ptr == NULL);
}

TEST(srw, many_readers)
{
    RTL_SRWLOCK Lock = RTL_SRWLOCK_INIT;
    ULONG Index;

    for (Index = 0; Index < 1000; Index++)
        CHECK(RtlTryAcquireSRWLockShared(&Lock));
    CHECK(!RtlTryAcquireSRWLockExclusive(&Lock));
    for (Index = 0; Index < 1000; Index++)
        RtlReleaseSRWLockShared(&Lock);
    CHECK(Lock.Ptr == NULL);
}

/* ---- condition variables ------------------------------------------------------------- */

TEST(condvar, initialize_and_wake_nobody)
{
    RTL_CONDITION_VARIABLE Cv = {(PVOID)(ULONG_PTR)7};

    RtlInitializeConditionVariable(&Cv);
    CHECK(Cv.Ptr == NULL);
    RtlWakeConditionVariable(&Cv);
    RtlWakeAllConditionVariable(&Cv);
    CHECK(Cv.Ptr == NULL); /* nothing to wake, nothing remembered */
}

TEST(condvar, sleep_cs_times_out)
{
    RTL_CONDITION_VARIABLE Cv = RTL_CONDITION_VARIABLE_INIT;
    RTL_CRITICAL_SECTION Cs;
    LARGE_INTEGER Timeout;

    Timeout.QuadPart = -10000; /* 1 ms */
    RtlInitializeCriticalSection(&Cs);
    RtlEnterCriticalSection(&Cs);
    CHECK_STATUS(RtlSleepConditionVariableCS(&Cv, &Cs, &Timeout), STATUS_TIMEOUT);
    CHECK_EQ(Cs.OwningThread, NtCurrentTeb()->ClientId.UniqueThread); /* held again */
    CHECK_EQ(Cs.RecursionCount, 1);
    CHECK(Cv.Ptr == NULL);
    RtlLeaveCriticalSection(&Cs);
    RtlDeleteCriticalSection(&Cs);
}

TEST(condvar, sleep_srw_times_out)
{
    RTL_CONDITION_VARIABLE Cv = RTL_CONDITION_VARIABLE_INIT;
    RTL_SRWLOCK Lock = RTL_SRWLOCK_INIT;
    LARGE_INTEGER Timeout;

    Timeout.QuadPart = 0;
    RtlAcquireSRWLockShared(&Lock);
    CHECK_STATUS(
        RtlSleepConditionVariableSRW(&Cv, &Lock, &Timeout, RTL_CONDITION_VARIABLE_LOCKMODE_SHARED),
        STATUS_TIMEOUT);
    CHECK(!RtlTryAcquireSRWLockExclusive(&Lock)); /* shared again */
    RtlReleaseSRWLockShared(&Lock);
    RtlAcquireSRWLockExclusive(&Lock);
    CHECK_STATUS(RtlSleepConditionVariableSRW(&Cv, &Lock, &Timeout, 0), STATUS_TIMEOUT);
    CHECK(!RtlTryAcquireSRWLockShared(&Lock)); /* exclusive again */
    RtlReleaseSRWLockExclusive(&Lock);
    CHECK(Lock.Ptr == NULL);
    CHECK(Cv.Ptr == NULL);
}

TEST(condvar, sleep_srw_bad_flags)
{
    RTL_CONDITION_VARIABLE Cv = RTL_CONDITION_VARIABLE_INIT;
    RTL_SRWLOCK Lock = RTL_SRWLOCK_INIT;
    LARGE_INTEGER Timeout;

    Timeout.QuadPart = 0;
    RtlAcquireSRWLockExclusive(&Lock);
    CHECK_STATUS(RtlSleepConditionVariableSRW(&Cv, &Lock, &Timeout, 2), STATUS_INVALID_PARAMETER_4);
    CHECK(!RtlTryAcquireSRWLockShared(&Lock)); /* still held, untouched */
    CHECK(Cv.Ptr == NULL);
    RtlReleaseSRWLockExclusive(&Lock);
}

/* ---- run once ----------------------------------------------------------------------------- */

static ULONG RunOnceCalls;

static ULONG NTAPI RunOnceInit(PRTL_RUN_ONCE RunOnce, PVOID Parameter, PVOID *Context)
{
    (void)RunOnce;
    RunOnceCalls++;
    *Context = Parameter;
    return Parameter != NULL; /* NULL: fail */
}

TEST(runonce, execute_once_calls_once)
{
    RTL_RUN_ONCE Once = RTL_RUN_ONCE_INIT;
    PVOID Context = NULL;

    RunOnceCalls = 0;
    CHECK_STATUS(RtlRunOnceExecuteOnce(&Once, RunOnceInit, (PVOID)(ULONG_PTR)0x1230, &Context),
                 STATUS_SUCCESS);
    CHECK_EQ(Context, (PVOID)(ULONG_PTR)0x1230);
    Context = NULL;
    CHECK_STATUS(RtlRunOnceExecuteOnce(&Once, RunOnceInit, (PVOID)(ULONG_PTR)0x4560, &Context),
                 STATUS_SUCCESS);
    CHECK_EQ(Context, (PVOID)(ULONG_PTR)0x1230);
    CHECK_EQ(RunOnceCalls, 1);
}

TEST(runonce, failure_lets_the_next_caller_try)
{
    RTL_RUN_ONCE Once = RTL_RUN_ONCE_INIT;
    PVOID Context = NULL;

    RunOnceCalls = 0;
    CHECK_STATUS(RtlRunOnceExecuteOnce(&Once, RunOnceInit, NULL, &Context), STATUS_UNSUCCESSFUL);
    CHECK(Once.Ptr == NULL);
    CHECK_STATUS(RtlRunOnceExecuteOnce(&Once, RunOnceInit, (PVOID)(ULONG_PTR)0x80, &Context),
                 STATUS_SUCCESS);
    CHECK_EQ(Context, (PVOID)(ULONG_PTR)0x80);
    CHECK_EQ(RunOnceCalls, 2);
}

TEST(runonce, begin_and_complete)
{
    RTL_RUN_ONCE Once;
    PVOID Context = NULL;

    RtlRunOnceInitialize(&Once);
    CHECK(Once.Ptr == NULL);
    CHECK_STATUS(RtlRunOnceBeginInitialize(&Once, RTL_RUN_ONCE_CHECK_ONLY, &Context),
                 STATUS_UNSUCCESSFUL);
    CHECK_STATUS(RtlRunOnceComplete(&Once, 0, NULL), STATUS_UNSUCCESSFUL); /* not begun */
    CHECK_STATUS(RtlRunOnceBeginInitialize(&Once, 0, &Context), STATUS_PENDING);
    CHECK_STATUS(RtlRunOnceComplete(&Once, 0, (PVOID)(ULONG_PTR)0x13),
                 STATUS_INVALID_PARAMETER_3); /* low bits are reserved */
    CHECK_STATUS(RtlRunOnceComplete(&Once, 0, (PVOID)(ULONG_PTR)0x40), STATUS_SUCCESS);
    CHECK_STATUS(RtlRunOnceBeginInitialize(&Once, RTL_RUN_ONCE_CHECK_ONLY, &Context),
                 STATUS_SUCCESS);
    CHECK_EQ(Context, (PVOID)(ULONG_PTR)0x40);
    CHECK_STATUS(RtlRunOnceComplete(&Once, 0, NULL), STATUS_UNSUCCESSFUL); /* already done */
    CHECK_STATUS(RtlRunOnceBeginInitialize(&Once, 0x80, &Context), STATUS_INVALID_PARAMETER_2);
}

/* ---- with a second thread ------------------------------------------------------------------ */

typedef struct _SRWTEST_SHARED {
    RTL_SRWLOCK Lock;
    RTL_CONDITION_VARIABLE Ready;
    volatile LONG Counter;
    volatile LONG Done;
} SRWTEST_SHARED;

static NTSTATUS NTAPI SrwTestWorker(PVOID Parameter)
{
    SRWTEST_SHARED *Shared = Parameter;
    ULONG Index;

    for (Index = 0; Index < 500; Index++) {
        RtlAcquireSRWLockExclusive(&Shared->Lock);
        Shared->Counter++;
        if (Index % 50 == 0)
            NtYieldExecution(); /* meet the other thread while holding it */
        RtlReleaseSRWLockExclusive(&Shared->Lock);
    }
    RtlAcquireSRWLockExclusive(&Shared->Lock);
    Shared->Done = 1;
    RtlReleaseSRWLockExclusive(&Shared->Lock);
    RtlWakeAllConditionVariable(&Shared->Ready);
    return STATUS_SUCCESS;
}

TEST(srw, contention_and_wake_with_a_thread)
{
    static SRWTEST_SHARED Shared;
    HANDLE Thread = NULL;
    ULONG Index;

    memset(&Shared, 0, sizeof(Shared));
    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, 0x001fffff, NULL, NtCurrentProcess(),
                                       (PVOID)SrwTestWorker, &Shared, 0, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        return;
    for (Index = 0; Index < 500; Index++) {
        RtlAcquireSRWLockShared(&Shared.Lock);
        RtlReleaseSRWLockShared(&Shared.Lock);
        RtlAcquireSRWLockExclusive(&Shared.Lock);
        Shared.Counter++;
        RtlReleaseSRWLockExclusive(&Shared.Lock);
    }
    RtlAcquireSRWLockExclusive(&Shared.Lock);
    while (!Shared.Done)
        CHECK_STATUS(RtlSleepConditionVariableSRW(&Shared.Ready, &Shared.Lock, NULL, 0),
                     STATUS_SUCCESS);
    CHECK_EQ(Shared.Counter, 1000);
    RtlReleaseSRWLockExclusive(&Shared.Lock);
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, NULL), STATUS_SUCCESS);
    CHECK(Shared.Lock.Ptr == NULL);
    CHECK(Shared.Ready.Ptr == NULL);
    NtClose(Thread);
}
