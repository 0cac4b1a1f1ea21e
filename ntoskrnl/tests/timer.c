/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timers and DPCs (ke/timer.c, ke/dpc.c): relative, absolute and periodic
 * timers, cancel, timer DPCs on the DPC thread at DISPATCH_LEVEL, queueing
 * rules and order of DPCs.
 */
#include "ktest.h"

typedef struct _KTEST_DPC_LOG {
    volatile LONG Runs;
    KIRQL Irql;
    PKTHREAD Thread;
    PVOID Context, Argument1, Argument2;
    KEVENT Done;
    volatile LONG Order[4];
    volatile LONG OrderCount;
} KTEST_DPC_LOG;

static VOID NTAPI KTestDpcRoutine(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    KTEST_DPC_LOG *Log = Context;

    Log->Irql = KiReadIrql();
    Log->Thread = KeGetCurrentThread();
    Log->Context = Context;
    Log->Argument1 = Argument1;
    Log->Argument2 = Argument2;
    InterlockedIncrement(&Log->Runs);
    KeSetEvent(&Log->Done, 0, FALSE);
}

TEST(timer, relative_due_time)
{
    LARGE_INTEGER Due = KTestMs(40), Wait = KTestMs(5000);
    LONGLONG Start = KTestNow();
    KTIMER Timer;

    KeInitializeTimer(&Timer);
    CHECK(!KeReadStateTimer(&Timer));
    CHECK(!KeSetTimer(&Timer, Due, NULL));
    CHECK_STATUS(KeWaitForSingleObject(&Timer, Executive, KernelMode, FALSE, &Wait), STATUS_WAIT_0);
    CHECK(KTestNow() - Start >= 400000);
    CHECK(KeReadStateTimer(&Timer)); /* a notification timer stays signalled */
    CHECK(!KeCancelTimer(&Timer));   /* it is no longer armed */
}

TEST(timer, absolute_due_time)
{
    LARGE_INTEGER Due, Wait = KTestMs(5000);
    KTIMER Timer;

    KeInitializeTimerEx(&Timer, SynchronizationTimer);
    KeQuerySystemTimePrecise(&Due);
    Due.QuadPart += 300000; /* 30 ms from now */
    KeSetTimer(&Timer, Due, NULL);
    CHECK_STATUS(KeWaitForSingleObject(&Timer, Executive, KernelMode, FALSE, &Wait), STATUS_WAIT_0);
    CHECK(!KeReadStateTimer(&Timer)); /* a synchronization timer resets for its waiter */
}

TEST(timer, cancel_and_rearm)
{
    LARGE_INTEGER Long = KTestMs(10000), Short = KTestMs(50);
    KTIMER Timer;

    KeInitializeTimer(&Timer);
    CHECK(!KeSetTimer(&Timer, Long, NULL));
    CHECK(KeSetTimer(&Timer, Long, NULL)); /* was armed */
    CHECK(KeCancelTimer(&Timer));
    CHECK(!KeCancelTimer(&Timer));
    CHECK_STATUS(KeWaitForSingleObject(&Timer, Executive, KernelMode, FALSE, &Short),
                 STATUS_TIMEOUT);
}

TEST(timer, dpc_runs_at_dispatch_level_on_dpc_thread)
{
    LARGE_INTEGER Due = KTestMs(20), Wait = KTestMs(5000);
    KTEST_DPC_LOG Log = {0};
    KTIMER Timer;
    KDPC Dpc;

    KeInitializeEvent(&Log.Done, NotificationEvent, FALSE);
    KeInitializeDpc(&Dpc, KTestDpcRoutine, &Log);
    KeInitializeTimer(&Timer);
    KeSetTimer(&Timer, Due, &Dpc);
    CHECK_STATUS(KeWaitForSingleObject(&Log.Done, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK_EQ(Log.Runs, 1);
    CHECK_EQ(Log.Irql, DISPATCH_LEVEL);
    CHECK(Log.Thread != NULL && Log.Thread != KeGetCurrentThread());
    CHECK(Log.Thread && Log.Thread->DpcThread);
    CHECK(Log.Context == &Log);
    CHECK(KeReadStateTimer(&Timer));
}

TEST(timer, periodic_with_dpc)
{
    LARGE_INTEGER Due = KTestMs(10);
    KTEST_DPC_LOG Log = {0};
    KTIMER Timer;
    KDPC Dpc;
    LONG Runs;

    KeInitializeEvent(&Log.Done, NotificationEvent, FALSE);
    KeInitializeDpc(&Dpc, KTestDpcRoutine, &Log);
    KeInitializeTimer(&Timer);
    KeSetTimerEx(&Timer, Due, 20, &Dpc);
    KTestSleep(300);
    CHECK(KeCancelTimer(&Timer)); /* still armed: periodic */
    KeFlushQueuedDpcs();
    Runs = Log.Runs;
    CHECK(Runs >= 3);
    CHECK(Runs <= 16);
    KTestSleep(100);
    CHECK_EQ(Log.Runs, Runs); /* nothing after the cancel */
}

/* A DPC that holds the DPC thread until told to go on. */
static volatile LONG KTestBlockerRunning, KTestBlockerRelease;

static VOID NTAPI KTestBlockerRoutine(PKDPC Dpc, PVOID Context, PVOID A1, PVOID A2)
{
    InterlockedExchange(&KTestBlockerRunning, 1);
    while (!KTestBlockerRelease)
        NtYieldExecution();
}

static VOID NTAPI KTestOrderRoutine(PKDPC Dpc, PVOID Context, PVOID A1, PVOID A2)
{
    KTEST_DPC_LOG *Log = A1;
    LONG Slot = InterlockedIncrement(&Log->OrderCount) - 1;

    if (Slot < 4)
        Log->Order[Slot] = (LONG)(ULONG_PTR)Context;
}

static BOOLEAN KTestHoldDpcThread(PKDPC Blocker)
{
    LONGLONG Start = KTestNow();

    KTestBlockerRunning = KTestBlockerRelease = 0;
    KeInitializeDpc(Blocker, KTestBlockerRoutine, NULL);
    KeInsertQueueDpc(Blocker, NULL, NULL);
    while (!KTestBlockerRunning && KTestNow() - Start < 50000000)
        NtYieldExecution();
    return KTestBlockerRunning != 0;
}

TEST(timer, dpc_queue_rules_and_arguments)
{
    KTEST_DPC_LOG Log = {0};
    KDPC Blocker, Dpc;

    KeInitializeEvent(&Log.Done, NotificationEvent, FALSE);
    KeInitializeDpc(&Dpc, KTestDpcRoutine, &Log);
    if (!CHECK(KTestHoldDpcThread(&Blocker)))
        return;
    CHECK(KeInsertQueueDpc(&Dpc, (PVOID)1, (PVOID)2));
    CHECK(!KeInsertQueueDpc(&Dpc, (PVOID)3, (PVOID)4)); /* already queued */
    CHECK(KeRemoveQueueDpc(&Dpc));
    CHECK(!KeRemoveQueueDpc(&Dpc));
    CHECK(KeInsertQueueDpc(&Dpc, (PVOID)5, (PVOID)6));
    KTestBlockerRelease = 1;
    KeFlushQueuedDpcs();
    CHECK_EQ(Log.Runs, 1);
    CHECK_EQ(Log.Argument1, 5);
    CHECK_EQ(Log.Argument2, 6);
    CHECK_EQ(Log.Irql, DISPATCH_LEVEL);
}

TEST(timer, dpc_importance_orders_the_queue)
{
    KTEST_DPC_LOG Log = {0};
    KDPC Blocker, Low, High, Medium;

    KeInitializeDpc(&Low, KTestOrderRoutine, (PVOID)1);
    KeInitializeDpc(&Medium, KTestOrderRoutine, (PVOID)2);
    KeInitializeDpc(&High, KTestOrderRoutine, (PVOID)3);
    KeSetImportanceDpc(&Low, LowImportance);
    KeSetImportanceDpc(&High, HighImportance);
    if (!CHECK(KTestHoldDpcThread(&Blocker)))
        return;
    KeInsertQueueDpc(&Low, &Log, NULL);
    KeInsertQueueDpc(&Medium, &Log, NULL);
    KeInsertQueueDpc(&High, &Log, NULL);
    KTestBlockerRelease = 1;
    KeFlushQueuedDpcs();
    CHECK_EQ(Log.OrderCount, 3);
    CHECK_EQ(Log.Order[0], 3);
    CHECK_EQ(Log.Order[1], 1);
    CHECK_EQ(Log.Order[2], 2);
}

TEST(timer, time_sources)
{
    LARGE_INTEGER System, Frequency, Counter1, Counter2;
    LONGLONG Interrupt1, Interrupt2;

    KeQuerySystemTimePrecise(&System);
    CHECK(System.QuadPart > 116444736000000000ll); /* after 1970 */
    CHECK_EQ(KeQueryTimeIncrement(), 156250);
    Counter1 = KeQueryPerformanceCounter(&Frequency);
    Interrupt1 = KeQueryInterruptTimePrecise(NULL);
    KTestSleep(20);
    Counter2 = KeQueryPerformanceCounter(NULL);
    Interrupt2 = KeQueryUnbiasedInterruptTime();
    CHECK(Frequency.QuadPart > 0);
    CHECK(Counter2.QuadPart - Counter1.QuadPart >= Frequency.QuadPart / 50);
    CHECK(Interrupt2 - Interrupt1 >= 200000);
}
