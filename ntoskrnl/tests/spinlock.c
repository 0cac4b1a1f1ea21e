/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Spin locks (ke/spinlock.c) and the ExInterlocked lists (ex/misc.c):
 * IRQL raised and restored, real exclusion between threads.
 */
#include "ktest.h"

TEST(spinlock, raise_and_restore)
{
    KSPIN_LOCK Lock;
    KLOCK_QUEUE_HANDLE Handle;
    KIRQL Old;

    KeInitializeSpinLock(&Lock);
    Old = KeAcquireSpinLockRaiseToDpc(&Lock);
    CHECK_EQ(Old, PASSIVE_LEVEL);
    CHECK_EQ(KiReadIrql(), DISPATCH_LEVEL);
    CHECK(Lock != 0);
    CHECK(!KeTestSpinLock(&Lock));
    KeReleaseSpinLock(&Lock, Old);
    CHECK_EQ(KiReadIrql(), PASSIVE_LEVEL);
    CHECK_EQ(Lock, 0);
    KeAcquireInStackQueuedSpinLock(&Lock, &Handle);
    CHECK_EQ(KiReadIrql(), DISPATCH_LEVEL);
    CHECK(Handle.LockQueue.Lock == &Lock);
    KeReleaseInStackQueuedSpinLock(&Handle);
    CHECK_EQ(KiReadIrql(), PASSIVE_LEVEL);
    CHECK_EQ(Lock, 0);
    Old = KfRaiseIrql(DISPATCH_LEVEL);
    KeAcquireSpinLockAtDpcLevel(&Lock);
    CHECK_EQ(KiReadIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLockFromDpcLevel(&Lock);
    KeLowerIrql(Old);
    CHECK(KeTestSpinLock(&Lock));
}

typedef struct _KTEST_CONTENDER {
    KSPIN_LOCK *Lock;
    volatile LONG *Inside;
    volatile LONG *Counter;
    volatile LONG *Overlaps;
    BOOLEAN Queued;
} KTEST_CONTENDER;

#define KTEST_ROUNDS 300

static VOID NTAPI KTestContend(PVOID Context)
{
    KTEST_CONTENDER *C = Context;

    for (int i = 0; i < KTEST_ROUNDS; i++) {
        KLOCK_QUEUE_HANDLE Handle;
        KIRQL Old = 0;
        LONG Value;

        if (C->Queued)
            KeAcquireInStackQueuedSpinLock(C->Lock, &Handle);
        else
            Old = KeAcquireSpinLockRaiseToDpc(C->Lock);
        if (InterlockedIncrement(C->Inside) != 1)
            InterlockedIncrement(C->Overlaps);
        Value = *C->Counter;
        if (i % 8 == 0)
            NtYieldExecution(); /* give the other thread every chance to break in */
        *C->Counter = Value + 1;
        InterlockedDecrement(C->Inside);
        if (C->Queued)
            KeReleaseInStackQueuedSpinLock(&Handle);
        else
            KeReleaseSpinLock(C->Lock, Old);
    }
}

static VOID KTestExclusion(BOOLEAN Queued)
{
    KSPIN_LOCK Lock = 0;
    volatile LONG Inside = 0, Counter = 0, Overlaps = 0;
    KTEST_CONTENDER C = {&Lock, &Inside, &Counter, &Overlaps, Queued};
    PKTHREAD A = KTestStart(KTestContend, &C), B = KTestStart(KTestContend, &C);

    CHECK(KTestJoin(A, 30000));
    CHECK(KTestJoin(B, 30000));
    CHECK_EQ(Overlaps, 0);
    CHECK_EQ(Counter, 2 * KTEST_ROUNDS);
    CHECK_EQ(Lock, 0);
}

TEST(spinlock, exclusion_between_threads)
{
    KTestExclusion(FALSE);
}

TEST(spinlock, queued_exclusion_between_threads)
{
    KTestExclusion(TRUE);
}

static VOID NTAPI KTestTryHeld(PVOID Context)
{
    PKSPIN_LOCK Lock = Context;

    /* Held by the test's thread: the try fails. */
    Lock[1] = KeTryToAcquireSpinLockAtDpcLevel(&Lock[0]) ? 1 : 2;
}

TEST(spinlock, try_to_acquire)
{
    KSPIN_LOCK Lock[2] = {0, 0};

    /* Held without raising the IRQL: this thread waits for the other below. */
    KeAcquireSpinLockAtDpcLevel(&Lock[0]);
    CHECK(KTestJoin(KTestStart(KTestTryHeld, Lock), 5000));
    CHECK_EQ(Lock[1], 2);
    KeReleaseSpinLockFromDpcLevel(&Lock[0]);
    CHECK(KeTryToAcquireSpinLockAtDpcLevel(&Lock[0]));
    KeReleaseSpinLockFromDpcLevel(&Lock[0]);
}

TEST(spinlock, interlocked_lists)
{
    KSPIN_LOCK Lock = 0;
    LIST_ENTRY Head, A, B;
    SINGLE_LIST_ENTRY SHead = {NULL}, S1, S2;
    ULONG Value = 5;

    InitializeListHead(&Head);
    CHECK(ExInterlockedInsertHeadList(&Head, &A, &Lock) == NULL);
    CHECK(ExInterlockedInsertTailList(&Head, &B, &Lock) == &A);
    CHECK(ExInterlockedRemoveHeadList(&Head, &Lock) == &A);
    CHECK(ExInterlockedRemoveHeadList(&Head, &Lock) == &B);
    CHECK(ExInterlockedRemoveHeadList(&Head, &Lock) == NULL);
    CHECK(ExInterlockedPushEntryList(&SHead, &S1, &Lock) == NULL);
    CHECK(ExInterlockedPushEntryList(&SHead, &S2, &Lock) == &S1);
    CHECK(ExInterlockedPopEntryList(&SHead, &Lock) == &S2);
    CHECK_EQ(ExInterlockedAddUlong(&Value, 3, &Lock), 5);
    CHECK_EQ(Value, 8);
    CHECK_EQ(Lock, 0);
    CHECK_EQ(KiReadIrql(), PASSIVE_LEVEL);
}
