/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notification benchmarks. No message words travel: a signal only wakes.
 *
 * notify: the root thread and a partner thread, both at priority 255, play
 * ping-pong over two notifications. Root: Signal(ping); Wait(pong). Partner:
 * Wait(ping); Signal(pong). A Signal to a same-priority waiter does not
 * switch (the waiter is queued behind the signaller), so each half of a
 * round is one signal→wake→wait-again cycle: a Signal that makes the waiter
 * runnable, the signaller's own Wait that blocks, the switch to the woken
 * thread and its return from Wait. Reported: ticks per half round, i.e. per
 * Signal (rounds × 2 in the divisor), loop overhead included.
 *
 * notify_lo_to_hi (reference): the root thread drops to priority 254 and
 * signals a waiter at 255, which preempts it at once and waits again. Ticks
 * per Signal = the Signal, the switch, the waiter's return from Wait and its
 * next Wait, and the switch back.
 *
 * Both partners count their wake-ups, so a signal that woke nobody (or a
 * Wait that did not block) shows up as a failure instead of a figure.
 */
#include "bench.h"

static volatile uint64_t partner_wakeups;

static void ping_partner(seL4_Word ping, seL4_Word pong)
{
    for (;;) {
        seL4_Wait(ping, NULL);
        partner_wakeups++;
        seL4_Signal(pong);
    }
}

static void high_waiter(seL4_Word ntfn, seL4_Word unused)
{
    for (;;) {
        seL4_Wait(ntfn, NULL);
        partner_wakeups++;
    }
}

static void ping_pong(seL4_CPtr ping, seL4_CPtr pong, uint64_t rounds)
{
    for (uint64_t i = 0; i < rounds; i++) {
        seL4_Signal(ping);
        seL4_Wait(pong, NULL);
    }
}

static void signal_loop(seL4_CPtr ntfn, uint64_t count)
{
    for (uint64_t i = 0; i < count; i++)
        seL4_Signal(ntfn);
}

static void bench_ping_pong(const bench_params_t *p)
{
    static rt_thread_t partner;
    seL4_CPtr ping, pong;
    uint64_t start, end;
    seL4_Error err = rt_alloc_object(seL4_NotificationObject, 0, &ping);

    if (err == seL4_NoError)
        err = rt_alloc_object(seL4_NotificationObject, 0, &pong);
    if (err == seL4_NoError)
        err = rt_thread_start(&partner, ping_partner, ping, pong, BENCH_PRIO);
    if (err != seL4_NoError) {
        bench_fail("notify", "setting up failed", err);
        return;
    }
    partner_wakeups = 0;
    ping_pong(ping, pong, p->warmup);
    start = rt_rdtsc();
    ping_pong(ping, pong, p->iterations);
    end = rt_rdtsc();
    if (partner_wakeups != p->warmup + p->iterations)
        bench_fail("notify", "partner wake-ups differ from signals", partner_wakeups);
    else
        bench_report("notify", end - start, 2 * p->iterations);
}

static void bench_lo_to_hi(const bench_params_t *p)
{
    static rt_thread_t waiter;
    seL4_CPtr ntfn;
    uint64_t start, end;
    seL4_Error err = rt_alloc_object(seL4_NotificationObject, 0, &ntfn);

    if (err == seL4_NoError)
        err = rt_thread_start(&waiter, high_waiter, ntfn, 0, BENCH_PRIO);
    /* Below the waiter: it runs (and blocks in Wait) before this returns. */
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, BENCH_PRIO - 1);
    if (err != seL4_NoError) {
        bench_fail("notify_lo_to_hi", "setting up failed", err);
        return;
    }
    partner_wakeups = 0;
    signal_loop(ntfn, p->warmup);
    start = rt_rdtsc();
    signal_loop(ntfn, p->iterations);
    end = rt_rdtsc();
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, BENCH_PRIO);
    if (partner_wakeups != p->warmup + p->iterations)
        bench_fail("notify_lo_to_hi", "waiter wake-ups differ from signals", partner_wakeups);
    else
        bench_report("notify_lo_to_hi", end - start, p->iterations);
}

void bench_notify(const bench_params_t *p)
{
    bench_ping_pong(p);
    bench_lo_to_hi(p);
}
