/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of ke's timers: interrupt time, a timer firing through the
 * PIT interrupt and the service loop, ordering, cancellation.
 */
#include "ktest.h"

#define KT_MS 10000ull /* 100 ns units */

static ULONGLONG KtFiredAt[4];
static int KtFiredOrder[4], KtFiredCount;

static void KtTimerRoutine(KTIMER *Timer, void *Context)
{
    int Index = (int)(ULONG_PTR)Context;

    KtFiredAt[Index] = KeQueryInterruptTime();
    KtFiredOrder[KtFiredCount++] = Index;
}

static int KtWanted;

static bool KtEnoughFired(void)
{
    return KtFiredCount >= KtWanted;
}

/* Serve loop events until Count timers fired. */
static void KtRunUntilFired(int Count)
{
    KtWanted = Count;
    KiRunServiceLoop(KtEnoughFired);
}

KTEST(timer_interrupt_time_advances)
{
    ULONGLONG a = KeQueryInterruptTime(), b;

    for (volatile int i = 0; i < 100000; i++)
        ;
    b = KeQueryInterruptTime();
    CHECK(a != 0);
    CHECK(b > a);
}

KTEST(timer_fires_after_due_time)
{
    static KTIMER Timer;
    ULONGLONG Due = KeQueryInterruptTime() + 20 * KT_MS;

    KtFiredCount = 0;
    KeSetTimer(&Timer, Due, KtTimerRoutine, (void *)0);
    CHECK(Timer.Queued);
    KtRunUntilFired(1);
    CHECK_EQ(KtFiredCount, 1);
    CHECK(KtFiredAt[0] >= Due);
    CHECK(KtFiredAt[0] < Due + 2000 * KT_MS);
    CHECK(!Timer.Queued);
}

KTEST(timer_order_and_cancel)
{
    static KTIMER Timers[4];
    ULONGLONG Now = KeQueryInterruptTime();

    KtFiredCount = 0;
    KeSetTimer(&Timers[0], Now + 30 * KT_MS, KtTimerRoutine, (void *)0);
    KeSetTimer(&Timers[1], Now + 10 * KT_MS, KtTimerRoutine, (void *)1);
    KeSetTimer(&Timers[2], Now + 20 * KT_MS, KtTimerRoutine, (void *)2);
    KeSetTimer(&Timers[3], Now + 15 * KT_MS, KtTimerRoutine, (void *)3);
    CHECK(KeCancelTimer(&Timers[3]));
    CHECK(!KeCancelTimer(&Timers[3]));
    /* Re-setting a queued timer moves it. */
    KeSetTimer(&Timers[0], Now + 5 * KT_MS, KtTimerRoutine, (void *)0);
    KtRunUntilFired(3);
    CHECK_EQ(KtFiredCount, 3);
    CHECK_EQ(KtFiredOrder[0], 0);
    CHECK_EQ(KtFiredOrder[1], 1);
    CHECK_EQ(KtFiredOrder[2], 2);
}

KTEST(timer_long_delay_rearms)
{
    static KTIMER Timer;
    ULONGLONG Due = KeQueryInterruptTime() + 130 * KT_MS; /* beyond one PIT period */

    KtFiredCount = 0;
    KeSetTimer(&Timer, Due, KtTimerRoutine, (void *)0);
    KtRunUntilFired(1);
    CHECK_EQ(KtFiredCount, 1);
    CHECK(KtFiredAt[0] >= Due);
}
