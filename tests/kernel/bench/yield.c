/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `null_syscall`: the cheapest round trip into the kernel and back, measured
 * as seL4_Yield by the root thread while no other thread is runnable at its
 * priority (main runs it before any helper thread exists), so the scheduler
 * puts the caller back at the head of its queue and returns to it. Ticks per
 * Yield, loop overhead included (a few instructions).
 */
#include "bench.h"

void bench_null_syscall(const bench_params_t *p)
{
    uint64_t start, end;

    for (uint64_t i = 0; i < p->warmup; i++)
        seL4_Yield();
    start = rt_rdtsc();
    for (uint64_t i = 0; i < p->iterations; i++)
        seL4_Yield();
    end = rt_rdtsc();
    bench_report("null_syscall", end - start, p->iterations);
}
