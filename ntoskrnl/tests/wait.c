/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dispatcher objects and waits (ke/wait.c, event.c, mutex.c,
 * semaphore.c): every kind of object, wait-any and wait-all, time-outs,
 * waits ended by other threads, and waits on threads.
 */
#include "ktest.h"

typedef struct _KTEST_WAITER {
    PVOID Objects[4];
    ULONG Count;
    WAIT_TYPE Type;
    LONG TimeoutMs;
    volatile NTSTATUS Status;
    volatile LONG *Woken;
} KTEST_WAITER;

static VOID NTAPI KTestWaiter(PVOID Context)
{
    KTEST_WAITER *Waiter = Context;
    LARGE_INTEGER Timeout = KTestMs(Waiter->TimeoutMs);
    KWAIT_BLOCK Blocks[4];

    Waiter->Status = KeWaitForMultipleObjects(Waiter->Count, Waiter->Objects, Waiter->Type,
                                              Executive, KernelMode, FALSE, &Timeout, Blocks);
    if (Waiter->Woken && Waiter->Status == STATUS_WAIT_0)
        InterlockedIncrement(Waiter->Woken);
}

static KTEST_WAITER KTestOneWaiter(PVOID Object, LONG Ms, volatile LONG *Woken)
{
    KTEST_WAITER Waiter = {{Object}, 1, WaitAny, Ms, STATUS_PENDING, Woken};
    return Waiter;
}

TEST(wait, event_states)
{
    KEVENT Event;

    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    CHECK_EQ(KeReadStateEvent(&Event), 0);
    CHECK_EQ(KeSetEvent(&Event, 0, FALSE), 0);
    CHECK_EQ(KeSetEvent(&Event, 0, FALSE), 1);
    CHECK_EQ(KeReadStateEvent(&Event), 1);
    CHECK_EQ(KeResetEvent(&Event), 1);
    CHECK_EQ(KeResetEvent(&Event), 0);
    KeSetEvent(&Event, 0, FALSE);
    KeClearEvent(&Event);
    CHECK_EQ(KeReadStateEvent(&Event), 0);
    KeInitializeEvent(&Event, SynchronizationEvent, TRUE);
    CHECK_EQ(KeReadStateEvent(&Event), 1);
}

TEST(wait, timeouts)
{
    LARGE_INTEGER Zero = {.QuadPart = 0}, Short = KTestMs(50);
    LONGLONG Start;
    KEVENT Event;

    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Start = KTestNow();
    CHECK_STATUS(KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, &Zero),
                 STATUS_TIMEOUT);
    CHECK(KTestNow() - Start < 500000);
    Start = KTestNow();
    CHECK_STATUS(KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, &Short),
                 STATUS_TIMEOUT);
    CHECK(KTestNow() - Start >= 500000);
    KeSetEvent(&Event, 0, FALSE);
    CHECK_STATUS(KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, &Zero), STATUS_WAIT_0);
    /* A notification event stays signalled. */
    CHECK_STATUS(KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL), STATUS_WAIT_0);
}

TEST(wait, delay_execution)
{
    LARGE_INTEGER Interval = KTestMs(30);
    LONGLONG Start = KTestNow();

    CHECK_STATUS(KeDelayExecutionThread(KernelMode, FALSE, &Interval), STATUS_SUCCESS);
    CHECK(KTestNow() - Start >= 300000);
}

TEST(wait, notification_event_releases_every_waiter)
{
    volatile LONG Woken = 0;
    KEVENT Event;
    KTEST_WAITER A, B;
    PKTHREAD Ta, Tb;

    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    A = KTestOneWaiter(&Event, 5000, &Woken);
    B = KTestOneWaiter(&Event, 5000, &Woken);
    Ta = KTestStart(KTestWaiter, &A);
    Tb = KTestStart(KTestWaiter, &B);
    KTestSleep(50);
    CHECK_EQ(Woken, 0);
    KeSetEvent(&Event, 0, FALSE);
    CHECK(KTestJoin(Ta, 5000));
    CHECK(KTestJoin(Tb, 5000));
    CHECK_EQ(Woken, 2);
    CHECK_EQ(KeReadStateEvent(&Event), 1);
}

TEST(wait, synchronization_event_releases_one_waiter)
{
    volatile LONG Woken = 0;
    KEVENT Event;
    KTEST_WAITER A, B;
    PKTHREAD Ta, Tb;

    KeInitializeEvent(&Event, SynchronizationEvent, FALSE);
    A = KTestOneWaiter(&Event, 5000, &Woken);
    B = KTestOneWaiter(&Event, 5000, &Woken);
    Ta = KTestStart(KTestWaiter, &A);
    Tb = KTestStart(KTestWaiter, &B);
    KTestSleep(50);
    KeSetEvent(&Event, 0, FALSE);
    KTestSleep(100);
    CHECK_EQ(Woken, 1);
    CHECK_EQ(KeReadStateEvent(&Event), 0); /* taken by the waiter it released */
    KeSetEvent(&Event, 0, FALSE);
    CHECK(KTestJoin(Ta, 5000));
    CHECK(KTestJoin(Tb, 5000));
    CHECK_EQ(Woken, 2);
    CHECK_EQ(KeReadStateEvent(&Event), 0);
}

TEST(wait, pulse_event)
{
    volatile LONG Woken = 0;
    KEVENT Event;
    KTEST_WAITER A;
    PKTHREAD Ta;

    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    CHECK_EQ(KePulseEvent(&Event, 0, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&Event), 0); /* nobody waited: nothing stays */
    A = KTestOneWaiter(&Event, 5000, &Woken);
    Ta = KTestStart(KTestWaiter, &A);
    KTestSleep(50);
    KePulseEvent(&Event, 0, FALSE);
    CHECK(KTestJoin(Ta, 5000));
    CHECK_EQ(Woken, 1);
    CHECK_EQ(KeReadStateEvent(&Event), 0);
}

TEST(wait, wait_any_index_and_consumption)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    KEVENT E0, E1, E2;
    PVOID Objects[3] = {&E0, &E1, &E2};

    KeInitializeEvent(&E0, SynchronizationEvent, FALSE);
    KeInitializeEvent(&E1, SynchronizationEvent, TRUE);
    KeInitializeEvent(&E2, NotificationEvent, TRUE);
    CHECK_STATUS(
        KeWaitForMultipleObjects(3, Objects, WaitAny, Executive, KernelMode, FALSE, &Zero, NULL),
        STATUS_WAIT_1);
    CHECK_EQ(KeReadStateEvent(&E1), 0);
    CHECK_STATUS(
        KeWaitForMultipleObjects(3, Objects, WaitAny, Executive, KernelMode, FALSE, &Zero, NULL),
        STATUS_WAIT_2);
    CHECK_EQ(KeReadStateEvent(&E2), 1);
}

TEST(wait, wait_all_is_all_or_nothing)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    KEVENT E0, E1;
    PVOID Objects[2] = {&E0, &E1};

    KeInitializeEvent(&E0, SynchronizationEvent, TRUE);
    KeInitializeEvent(&E1, SynchronizationEvent, FALSE);
    CHECK_STATUS(
        KeWaitForMultipleObjects(2, Objects, WaitAll, Executive, KernelMode, FALSE, &Zero, NULL),
        STATUS_TIMEOUT);
    CHECK_EQ(KeReadStateEvent(&E0), 1); /* nothing taken */
    KeSetEvent(&E1, 0, FALSE);
    CHECK_STATUS(
        KeWaitForMultipleObjects(2, Objects, WaitAll, Executive, KernelMode, FALSE, &Zero, NULL),
        STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&E0), 0);
    CHECK_EQ(KeReadStateEvent(&E1), 0);
}

TEST(wait, wait_all_completed_by_other_thread)
{
    volatile LONG Woken = 0;
    KEVENT E0, E1;
    KTEST_WAITER W = {{&E0, &E1}, 2, WaitAll, 5000, STATUS_PENDING, &Woken};
    PKTHREAD Thread;

    KeInitializeEvent(&E0, SynchronizationEvent, FALSE);
    KeInitializeEvent(&E1, SynchronizationEvent, FALSE);
    Thread = KTestStart(KTestWaiter, &W);
    KTestSleep(30);
    KeSetEvent(&E0, 0, FALSE);
    KTestSleep(50);
    CHECK_EQ(Woken, 0);
    CHECK_EQ(KeReadStateEvent(&E0), 1); /* a partial wait-all takes nothing */
    KeSetEvent(&E1, 0, FALSE);
    CHECK(KTestJoin(Thread, 5000));
    CHECK_STATUS(W.Status, STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&E0), 0);
    CHECK_EQ(KeReadStateEvent(&E1), 0);
}

TEST(wait, wait_block_array_rules)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    KEVENT Events[5];
    PVOID Objects[5];
    KWAIT_BLOCK Blocks[5];

    for (int i = 0; i < 5; i++) {
        KeInitializeEvent(&Events[i], NotificationEvent, i == 4);
        Objects[i] = &Events[i];
    }
    /* More than THREAD_WAIT_OBJECTS need the caller's blocks (NT bugchecks
     * without them; the runtime refuses the wait). */
    CHECK_STATUS(
        KeWaitForMultipleObjects(5, Objects, WaitAny, Executive, KernelMode, FALSE, &Zero, NULL),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(
        KeWaitForMultipleObjects(5, Objects, WaitAny, Executive, KernelMode, FALSE, &Zero, Blocks),
        STATUS_WAIT_0 + 4);
}

TEST(wait, mutex_recursion_and_ownership)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    volatile LONG Woken = 0;
    KTEST_WAITER W;
    PKTHREAD Thread;
    KMUTEX Mutex;

    KeInitializeMutex(&Mutex, 0);
    CHECK_EQ(KeReadStateMutex(&Mutex), 1);
    CHECK_STATUS(KeWaitForSingleObject(&Mutex, Executive, KernelMode, FALSE, NULL), STATUS_WAIT_0);
    CHECK_STATUS(KeWaitForMutexObject(&Mutex, Executive, KernelMode, FALSE, &Zero), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateMutex(&Mutex), -1);
    CHECK(Mutex.OwnerThread == KeGetCurrentThread());
    /* Another thread cannot take it... */
    W = KTestOneWaiter(&Mutex, 0, &Woken);
    W.TimeoutMs = 0;
    Thread = KTestStart(KTestWaiter, &W);
    CHECK(KTestJoin(Thread, 5000));
    CHECK_STATUS(W.Status, STATUS_TIMEOUT);
    /* ...until both acquisitions are released; then it is handed over. */
    W = KTestOneWaiter(&Mutex, 5000, &Woken);
    Thread = KTestStart(KTestWaiter, &W);
    KTestSleep(30);
    CHECK_EQ(KeReleaseMutex(&Mutex, FALSE), -1);
    KTestSleep(30);
    CHECK_EQ(Woken, 0);
    CHECK_EQ(KeReleaseMutex(&Mutex, FALSE), 0);
    CHECK(KTestJoin(Thread, 5000));
    CHECK_STATUS(W.Status, STATUS_WAIT_0);
    CHECK_EQ(KeReadStateMutex(&Mutex), 0); /* the waiter owns it (and ended) */
    CHECK(Mutex.OwnerThread != KeGetCurrentThread() && Mutex.OwnerThread != NULL);
}

TEST(wait, semaphore_counts)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    volatile LONG Woken = 0;
    KTEST_WAITER A, B;
    PKTHREAD Ta, Tb;
    KSEMAPHORE Semaphore;

    KeInitializeSemaphore(&Semaphore, 2, 3);
    CHECK_EQ(KeReadStateSemaphore(&Semaphore), 2);
    CHECK_STATUS(KeWaitForSingleObject(&Semaphore, Executive, KernelMode, FALSE, &Zero),
                 STATUS_WAIT_0);
    CHECK_STATUS(KeWaitForSingleObject(&Semaphore, Executive, KernelMode, FALSE, &Zero),
                 STATUS_WAIT_0);
    CHECK_STATUS(KeWaitForSingleObject(&Semaphore, Executive, KernelMode, FALSE, &Zero),
                 STATUS_TIMEOUT);
    A = KTestOneWaiter(&Semaphore, 5000, &Woken);
    B = KTestOneWaiter(&Semaphore, 5000, &Woken);
    Ta = KTestStart(KTestWaiter, &A);
    Tb = KTestStart(KTestWaiter, &B);
    KTestSleep(50);
    CHECK_EQ(KeReleaseSemaphore(&Semaphore, 0, 1, FALSE), 0);
    KTestSleep(100);
    CHECK_EQ(Woken, 1);
    CHECK_EQ(KeReleaseSemaphore(&Semaphore, 0, 3, FALSE), 0);
    CHECK(KTestJoin(Ta, 5000));
    CHECK(KTestJoin(Tb, 5000));
    CHECK_EQ(Woken, 2);
    CHECK_EQ(KeReadStateSemaphore(&Semaphore), 2);
}

static VOID KTestOverRelease(PVOID Semaphore)
{
    KeReleaseSemaphore(Semaphore, 0, 2, FALSE);
}

TEST(wait, semaphore_limit_raises)
{
    KSEMAPHORE Semaphore;

    KeInitializeSemaphore(&Semaphore, 2, 3);
    CHECK_STATUS(KTestCatch(KTestOverRelease, &Semaphore), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(KeReadStateSemaphore(&Semaphore), 2);
}

static VOID NTAPI KTestEndWith(PVOID Context)
{
    KTestSleep(30);
    PsTerminateSystemThread((NTSTATUS)(ULONG_PTR)Context);
}

TEST(wait, thread_object_signalled_at_exit)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    PKTHREAD Thread = KTestStart(KTestEndWith, (PVOID)(ULONG_PTR)0x1234);

    if (!CHECK(Thread != NULL))
        return;
    ObReferenceObject(Thread);
    CHECK_STATUS(KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, &Zero),
                 STATUS_TIMEOUT);
    CHECK(!PsIsThreadTerminating((PETHREAD)Thread));
    CHECK(KTestJoin(Thread, 5000));
    CHECK_EQ(Thread->ExitStatus, 0x1234);
    CHECK(PsIsThreadTerminating((PETHREAD)Thread));
    CHECK(PsIsSystemThread((PETHREAD)Thread));
    ObDereferenceObject(Thread);
}

typedef struct _KTEST_QUEUE_ITEM {
    LIST_ENTRY Entry;
    LONG Value;
} KTEST_QUEUE_ITEM;

typedef struct _KTEST_CONSUMER {
    PRKQUEUE Queue;
    volatile LONG Sum, Count;
} KTEST_CONSUMER;

static VOID NTAPI KTestConsume(PVOID Context)
{
    KTEST_CONSUMER *C = Context;
    LARGE_INTEGER Wait = KTestMs(5000);

    for (;;) {
        PLIST_ENTRY Entry = KeRemoveQueue(C->Queue, KernelMode, &Wait);
        KTEST_QUEUE_ITEM *Item;

        if (Entry == (PLIST_ENTRY)(ULONG_PTR)STATUS_TIMEOUT)
            return;
        Item = CONTAINING_RECORD(Entry, KTEST_QUEUE_ITEM, Entry);
        if (Item->Value < 0)
            return; /* the end marker */
        InterlockedAdd(&C->Sum, Item->Value);
        InterlockedIncrement(&C->Count);
    }
}

TEST(wait, queue_entries_reach_waiters)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    KTEST_QUEUE_ITEM Items[10], End[2] = {{.Value = -1}, {.Value = -1}};
    KQUEUE Queue;
    KTEST_CONSUMER C = {&Queue, 0, 0};
    PKTHREAD A, B;

    KeInitializeQueue(&Queue, 0);
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == (PLIST_ENTRY)(ULONG_PTR)STATUS_TIMEOUT);
    CHECK_EQ(KeInsertQueue(&Queue, &Items[0].Entry), 0);
    CHECK_EQ(KeInsertHeadQueue(&Queue, &Items[1].Entry), 1);
    CHECK_EQ(KeReadStateQueue(&Queue), 2);
    CHECK(KeRemoveQueue(&Queue, KernelMode, &Zero) == &Items[1].Entry); /* the head one */
    CHECK(KeRundownQueue(&Queue) == &Items[0].Entry);
    CHECK_EQ(KeReadStateQueue(&Queue), 0);
    /* Two consumers share ten entries, each entry taken once. */
    A = KTestStart(KTestConsume, &C);
    B = KTestStart(KTestConsume, &C);
    KTestSleep(30);
    for (int i = 0; i < 10; i++) {
        Items[i].Value = i + 1;
        KeInsertQueue(&Queue, &Items[i].Entry);
    }
    KeInsertQueue(&Queue, &End[0].Entry);
    KeInsertQueue(&Queue, &End[1].Entry);
    CHECK(KTestJoin(A, 5000));
    CHECK(KTestJoin(B, 5000));
    CHECK_EQ(C.Count, 10);
    CHECK_EQ(C.Sum, 55);
    CHECK_EQ(KeReadStateQueue(&Queue), 0);
}
