/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry of the kernel micro-benchmark root task (`make bench`, protocol in
 * docs/testing.md): prints the TSC frequency, runs every benchmark in a fixed
 * order and ends with `SUITE-END bench`. The null syscall runs first, while
 * the root thread is still the only thread in the system, so seL4_Yield
 * finds nobody else to switch to.
 */
#include "bench.h"

int main(seL4_BootInfo *bi)
{
    bench_params_t p;

    bench_params_init(&p);
    printf("BENCH tsc_mhz %u\n", (unsigned)rt_tsc_mhz());
    printf("bench: %llu iterations after %llu warm-up, averages in TSC ticks\n",
           (unsigned long long)p.iterations, (unsigned long long)p.warmup);

    bench_null_syscall(&p);
    bench_ipc(&p);
    bench_notify(&p);
    bench_fault(&p);

    printf("SUITE-END bench\n");
    return 0;
}
