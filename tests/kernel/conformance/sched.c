/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Scheduling (spec §12.2 priorities, §13.2 wake-ups, §13.8 Yield, §1.1 time
 * slice): a thread made runnable at a higher priority runs at once (start,
 * SetPriority of another thread, the caller lowering its own priority, an IPC
 * wake-up), one at a lower priority waits, an equal-priority wake-up waits
 * for Yield, and equal-priority threads that never block share the CPU
 * through the timer (round robin). The root task lowers its own priority in
 * some of these; the environment restores it afterwards.
 */
#include "conf.h"

static volatile seL4_Word s_flag, s_count[2];

static void set_flag(seL4_Word v, seL4_Word unused)
{
    s_flag = v;
}

static void wait_then_flag(seL4_Word n, seL4_Word v)
{
    seL4_Word w;
    seL4_Wait(n, &w);
    s_flag = v;
}

static void count(seL4_Word i, seL4_Word unused)
{
    for (;;)
        s_count[i]++;
}

CTEST(sched_higher_priority_runs_at_once)
{
    cthread_t t;

    s_flag = 0;
    CHECK_ERR(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 100), seL4_NoError);
    if (!c_spawn(&t, 200, 0, set_flag, 1, 0))
        return;
    CHECK_EQ(s_flag, 1);
}

CTEST(sched_lower_priority_waits)
{
    cthread_t t;

    s_flag = 0;
    if (!c_spawn(&t, 100, 0, set_flag, 2, 0))
        return;
    for (int i = 0; i < 50; i++)
        seL4_Yield();
    CHECK_EQ(s_flag, 0);
    /* Dropping below it lets it run before SetPriority returns. */
    CHECK_ERR(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 50), seL4_NoError);
    CHECK_EQ(s_flag, 2);
}

CTEST(sched_set_priority_of_other_preempts)
{
    cthread_t t;

    s_flag = 0;
    CHECK_ERR(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 100), seL4_NoError);
    if (!c_spawn(&t, 50, 0, set_flag, 3, 0))
        return;
    CHECK_EQ(s_flag, 0);
    CHECK_ERR(seL4_TCB_SetPriority(t.tcb, ROOT_TCB, 150), seL4_NoError);
    CHECK_EQ(s_flag, 3);
}

CTEST(sched_ipc_wakes_higher_priority)
{
    seL4_CPtr n = c_ntfn();
    cthread_t t;

    s_flag = 0;
    if (!c_spawn(&t, 200, 0, wait_then_flag, n, 4))
        return;
    /* Let it reach its Wait by going below it, then back above it. */
    CHECK_ERR(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 100), seL4_NoError);
    CHECK_EQ(s_flag, 0);
    seL4_Signal(n);
    CHECK_EQ(s_flag, 4);
}

CTEST(sched_equal_priority_wakeup_waits_for_yield)
{
    seL4_CPtr n = c_ntfn();
    cthread_t t;

    s_flag = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, wait_then_flag, n, 5))
        return;
    seL4_Yield();
    CHECK_EQ(s_flag, 0);
    seL4_Signal(n);
    CHECK_EQ(s_flag, 0);
    seL4_Yield();
    CHECK_EQ(s_flag, 5);
}

CTEST(sched_yield_alone_returns)
{
    for (int i = 0; i < 100; i++)
        seL4_Yield();
    CHECK(true);
}

/* Neither the root task nor the two helpers yield: only the timer can switch. */
CTEST(sched_round_robin_time_slice)
{
    cthread_t a, b;
    uint64_t start, limit = c_ms(1000);
    seL4_Word base0, base1;

    s_count[0] = s_count[1] = 0;
    if (!c_spawn(&a, 100, 0, count, 0, 0) || !c_spawn(&b, 100, 0, count, 1, 0))
        return;
    CHECK_ERR(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 100), seL4_NoError);
    start = rt_rdtsc();
    while ((s_count[0] == 0 || s_count[1] == 0) && rt_rdtsc() - start < limit)
        ;
    CHECK(s_count[0] != 0);
    CHECK(s_count[1] != 0);
    /* And again: the root task keeps getting the CPU back, so do they. */
    base0 = s_count[0];
    base1 = s_count[1];
    start = rt_rdtsc();
    while ((s_count[0] == base0 || s_count[1] == base1) && rt_rdtsc() - start < limit)
        ;
    CHECK(s_count[0] != base0 && s_count[1] != base1);
    seL4_TCB_Suspend(a.tcb);
    seL4_TCB_Suspend(b.tcb);
}

/* Resume of a suspended higher-priority thread switches to it at once. */
CTEST(sched_resume_higher_priority_preempts)
{
    cthread_t t;

    s_flag = 0;
    if (!c_thread_new(&t, 200, 0, true))
        return;
    CHECK_ERR(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 100), seL4_NoError);
    /* Written but not resumed: it does not run. */
    seL4_UserContext r;
    c_thread_regs(&t, &r, set_flag, 6, 0);
    CHECK_ERR(seL4_TCB_WriteRegisters(t.tcb, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(s_flag, 0);
    CHECK_ERR(seL4_TCB_Resume(t.tcb), seL4_NoError);
    CHECK_EQ(s_flag, 6);
}
