/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fast mutexes (ex/fastmutex.c) and ERESOURCEs (ex/resource.c): IRQL and
 * ownership, exclusion under contention, shared holders together,
 * exclusive holders alone, hand-off to waiters.
 */
#include "ktest.h"

static VOID NTAPI KTestTryFastMutex(PVOID Context)
{
    PFAST_MUTEX Mutex = Context;

    if (ExTryToAcquireFastMutex(Mutex)) {
        Mutex->Contention = 1000; /* a marker the test looks for */
        ExReleaseFastMutex(Mutex);
    }
}

TEST(sync, fast_mutex_irql_and_owner)
{
    FAST_MUTEX Mutex;

    ExInitializeFastMutex(&Mutex);
    ExAcquireFastMutex(&Mutex);
    CHECK_EQ(KiReadIrql(), APC_LEVEL);
    CHECK(Mutex.Owner == KeGetCurrentThread());
    CHECK(KTestJoin(KTestStart(KTestTryFastMutex, &Mutex), 5000));
    CHECK(Mutex.Contention != 1000); /* the other thread could not take it */
    ExReleaseFastMutex(&Mutex);
    CHECK_EQ(KiReadIrql(), PASSIVE_LEVEL);
    CHECK(Mutex.Owner == NULL);
    CHECK(KTestJoin(KTestStart(KTestTryFastMutex, &Mutex), 5000));
    CHECK_EQ(Mutex.Contention, 1000);
    ExAcquireFastMutexUnsafe(&Mutex);
    CHECK_EQ(KiReadIrql(), PASSIVE_LEVEL);
    ExReleaseFastMutexUnsafe(&Mutex);
    CHECK_EQ(Mutex.Count, FM_LOCK_BIT);
}

typedef struct _KTEST_FM {
    FAST_MUTEX Mutex;
    volatile LONG Inside, Counter, Overlaps;
} KTEST_FM;

static VOID NTAPI KTestFastMutexContend(PVOID Context)
{
    KTEST_FM *T = Context;

    for (int i = 0; i < 200; i++) {
        LONG Value;

        ExAcquireFastMutex(&T->Mutex);
        if (InterlockedIncrement(&T->Inside) != 1)
            InterlockedIncrement(&T->Overlaps);
        Value = T->Counter;
        if (i % 4 == 0)
            KTestSleep(1); /* sleep holding it: the other thread must wait on the event */
        T->Counter = Value + 1;
        InterlockedDecrement(&T->Inside);
        ExReleaseFastMutex(&T->Mutex);
    }
}

TEST(sync, fast_mutex_exclusion_between_threads)
{
    KTEST_FM T = {0};
    PKTHREAD A, B;

    ExInitializeFastMutex(&T.Mutex);
    A = KTestStart(KTestFastMutexContend, &T);
    B = KTestStart(KTestFastMutexContend, &T);
    CHECK(KTestJoin(A, 60000));
    CHECK(KTestJoin(B, 60000));
    CHECK_EQ(T.Overlaps, 0);
    CHECK_EQ(T.Counter, 400);
    CHECK(T.Mutex.Contention > 0);
    CHECK_EQ(T.Mutex.Count, FM_LOCK_BIT);
}

typedef struct _KTEST_RES {
    ERESOURCE Resource;
    KEVENT Go, Holding;
    volatile LONG Result, Acquired;
    BOOLEAN Exclusive, Wait;
} KTEST_RES;

/* Acquire (as told), report, hold until Go, release. */
static VOID NTAPI KTestResourceUser(PVOID Context)
{
    KTEST_RES *T = Context;
    LARGE_INTEGER Wait = KTestMs(10000);
    BOOLEAN Got = T->Exclusive ? ExAcquireResourceExclusiveLite(&T->Resource, T->Wait)
                               : ExAcquireResourceSharedLite(&T->Resource, T->Wait);

    T->Result = Got ? 1 : 2;
    if (!Got)
        return;
    InterlockedIncrement(&T->Acquired);
    KeSetEvent(&T->Holding, 0, FALSE);
    KeWaitForSingleObject(&T->Go, Executive, KernelMode, FALSE, &Wait);
    ExReleaseResourceLite(&T->Resource);
}

static VOID KTestResourceInit(KTEST_RES *T)
{
    memset(T, 0, sizeof(*T));
    ExInitializeResourceLite(&T->Resource);
    KeInitializeEvent(&T->Go, NotificationEvent, FALSE);
    KeInitializeEvent(&T->Holding, NotificationEvent, FALSE);
}

TEST(sync, resource_shared_holders_together)
{
    LARGE_INTEGER Wait = KTestMs(5000);
    KTEST_RES T;
    PKTHREAD Thread;

    KTestResourceInit(&T);
    T.Wait = TRUE;
    Thread = KTestStart(KTestResourceUser, &T);
    CHECK_STATUS(KeWaitForSingleObject(&T.Holding, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK(ExAcquireResourceSharedLite(&T.Resource, FALSE));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&T.Resource), 1);
    CHECK(!ExIsResourceAcquiredExclusiveLite(&T.Resource));
    CHECK(!ExAcquireResourceExclusiveLite(&T.Resource, FALSE));
    ExReleaseResourceLite(&T.Resource);
    KeSetEvent(&T.Go, 0, FALSE);
    CHECK(KTestJoin(Thread, 5000));
    CHECK(ExAcquireResourceExclusiveLite(&T.Resource, FALSE)); /* free again */
    ExReleaseResourceLite(&T.Resource);
    ExDeleteResourceLite(&T.Resource);
}

TEST(sync, resource_exclusive_recursion_and_exclusion)
{
    KTEST_RES T;

    KTestResourceInit(&T);
    CHECK(ExAcquireResourceExclusiveLite(&T.Resource, TRUE));
    CHECK(ExAcquireResourceExclusiveLite(&T.Resource, FALSE));
    CHECK(ExAcquireResourceSharedLite(&T.Resource, FALSE)); /* the owner, shared too */
    CHECK(ExIsResourceAcquiredExclusiveLite(&T.Resource));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&T.Resource), 3);
    T.Wait = FALSE;
    CHECK(KTestJoin(KTestStart(KTestResourceUser, &T), 5000));
    CHECK_EQ(T.Result, 2); /* shared, no wait: refused */
    T.Exclusive = TRUE;
    CHECK(KTestJoin(KTestStart(KTestResourceUser, &T), 5000));
    CHECK_EQ(T.Result, 2);
    for (int i = 0; i < 3; i++)
        ExReleaseResourceLite(&T.Resource);
    CHECK(!ExIsResourceAcquiredExclusiveLite(&T.Resource));
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&T.Resource), 0);
    ExDeleteResourceLite(&T.Resource);
}

TEST(sync, resource_handed_to_exclusive_waiter)
{
    LARGE_INTEGER Wait = KTestMs(5000);
    KTEST_RES T;
    PKTHREAD Thread;

    KTestResourceInit(&T);
    CHECK(ExAcquireResourceExclusiveLite(&T.Resource, TRUE));
    T.Exclusive = TRUE;
    T.Wait = TRUE;
    Thread = KTestStart(KTestResourceUser, &T);
    KTestSleep(50);
    CHECK_EQ(T.Acquired, 0);
    CHECK_EQ(ExGetExclusiveWaiterCount(&T.Resource), 1);
    ExReleaseResourceLite(&T.Resource);
    CHECK_STATUS(KeWaitForSingleObject(&T.Holding, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK_EQ(T.Acquired, 1);
    CHECK(!ExAcquireResourceSharedLite(&T.Resource, FALSE));
    KeSetEvent(&T.Go, 0, FALSE);
    CHECK(KTestJoin(Thread, 5000));
    ExDeleteResourceLite(&T.Resource);
}

TEST(sync, resource_shared_waiters_woken_together)
{
    LARGE_INTEGER Wait = KTestMs(5000);
    KTEST_RES T;
    PKTHREAD A, B;

    KTestResourceInit(&T);
    CHECK(ExAcquireResourceExclusiveLite(&T.Resource, TRUE));
    T.Wait = TRUE;
    A = KTestStart(KTestResourceUser, &T);
    B = KTestStart(KTestResourceUser, &T);
    KTestSleep(50);
    CHECK_EQ(ExGetSharedWaiterCount(&T.Resource), 2);
    ExConvertExclusiveToSharedLite(&T.Resource); /* lets the shared waiters in */
    KTestSleep(100);
    CHECK_EQ(T.Acquired, 2);
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&T.Resource), 1);
    CHECK(!ExIsResourceAcquiredExclusiveLite(&T.Resource));
    ExReleaseResourceLite(&T.Resource);
    KeSetEvent(&T.Go, 0, FALSE);
    CHECK(KTestJoin(A, 5000));
    CHECK(KTestJoin(B, 5000));
    CHECK_STATUS(KeWaitForSingleObject(&T.Holding, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK(ExAcquireResourceExclusiveLite(&T.Resource, FALSE));
    ExReleaseResourceLite(&T.Resource);
    ExDeleteResourceLite(&T.Resource);
}

static VOID NTAPI KTestTryGuarded(PVOID Context)
{
    PKGUARDED_MUTEX Mutex = Context;

    if (KeTryToAcquireGuardedMutex(Mutex)) {
        Mutex->Contention = 1000;
        KeReleaseGuardedMutex(Mutex);
    }
}

TEST(sync, guarded_mutex)
{
    KGUARDED_MUTEX Mutex;

    KeInitializeGuardedMutex(&Mutex);
    KeAcquireGuardedMutex(&Mutex);
    CHECK(Mutex.Owner == KeGetCurrentThread());
    CHECK(KeAreApcsDisabled());
    CHECK(KTestJoin(KTestStart(KTestTryGuarded, &Mutex), 5000));
    CHECK(Mutex.Contention != 1000);
    KeReleaseGuardedMutex(&Mutex);
    CHECK(!KeAreApcsDisabled());
    CHECK(KTestJoin(KTestStart(KTestTryGuarded, &Mutex), 5000));
    CHECK_EQ(Mutex.Contention, 1000);
    CHECK_EQ(Mutex.Count, FM_LOCK_BIT);
}

typedef struct _KTEST_RUNDOWN {
    EX_RUNDOWN_REF Ref;
    volatile LONG Waited;
} KTEST_RUNDOWN;

static VOID NTAPI KTestRundownWaiter(PVOID Context)
{
    KTEST_RUNDOWN *T = Context;

    ExWaitForRundownProtectionRelease(&T->Ref);
    InterlockedExchange(&T->Waited, 1);
}

TEST(sync, rundown_protection)
{
    KTEST_RUNDOWN T;
    PKTHREAD Waiter;

    ExInitializeRundownProtection(&T.Ref);
    T.Waited = 0;
    CHECK(ExAcquireRundownProtection(&T.Ref));
    CHECK(ExAcquireRundownProtectionEx(&T.Ref, 2));
    Waiter = KTestStart(KTestRundownWaiter, &T);
    KTestSleep(50);
    CHECK(!ExAcquireRundownProtection(&T.Ref)); /* run-down has begun */
    ExReleaseRundownProtectionEx(&T.Ref, 2);
    KTestSleep(30);
    CHECK_EQ(T.Waited, 0); /* one holder left */
    ExReleaseRundownProtection(&T.Ref);
    CHECK(KTestJoin(Waiter, 5000));
    CHECK_EQ(T.Waited, 1);
    ExRundownCompleted(&T.Ref);
    CHECK(!ExAcquireRundownProtection(&T.Ref));
    ExReInitializeRundownProtection(&T.Ref);
    CHECK(ExAcquireRundownProtection(&T.Ref));
    ExReleaseRundownProtection(&T.Ref);
}
