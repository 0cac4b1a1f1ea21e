/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parameters and output of the benchmark root task: the iteration counts
 * from the in-image configuration block, and the `BENCH` lines of the
 * protocol in docs/testing.md. The runtime's printf has no floating point,
 * so averages are printed in fixed point with two decimals.
 */
#include "bench.h"

void bench_params_init(bench_params_t *p)
{
    p->iterations = rt_config_u64("iterations", BENCH_DEFAULT_ITERATIONS);
    p->warmup = rt_config_u64("warmup", BENCH_DEFAULT_WARMUP);
    if (p->iterations == 0)
        p->iterations = 1;
}

void bench_report(const char *name, uint64_t ticks, uint64_t ops)
{
    /* Hundredths of a tick, rounded to nearest; ticks stay far below 2^57. */
    uint64_t centi = (ticks * 100 + ops / 2) / ops;

    printf("BENCH %s_tsc %llu.%02llu\n", name, (unsigned long long)(centi / 100),
           (unsigned long long)(centi % 100));
}

void bench_fail(const char *name, const char *why, seL4_Word detail)
{
    printf("bench: %s: %s (%lu)\n", name, why, (unsigned long)detail);
}
