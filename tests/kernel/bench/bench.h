/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared declarations of the kernel micro-benchmark root task (bench.elf,
 * `make bench`). Each benchmark file owns one family of measurements and
 * prints `BENCH <name>_tsc <ticks>` through bench_report; main.c runs them in
 * a fixed order. Everything is written against the seL4 ABI alone (spec
 * sel4-abi.md), so the image runs unchanged on upstream seL4 16.0.0.
 *
 * Threads: the root thread runs at priority 255 (its initial priority and
 * MCP) and is the measuring side of every benchmark; helper threads it
 * starts stay blocked in the kernel once their benchmark is over, so that
 * later benchmarks (and seL4_Yield in particular) see no other runnable
 * thread at priority 255.
 */
#ifndef NEREID_BENCH_H
#define NEREID_BENCH_H

#include "roottask.h"

/* Priority of the root thread and of every helper unless stated otherwise. */
#define BENCH_PRIO 255

/* Timed and untimed (warm-up) iterations: `iterations=` / `warmup=` in the
 * in-image configuration block (tools/rtconfig.py), else these defaults. */
#define BENCH_DEFAULT_ITERATIONS 10000
#define BENCH_DEFAULT_WARMUP     1000

typedef struct bench_params {
    uint64_t iterations; /* timed operations per benchmark (>= 1) */
    uint64_t warmup;     /* untimed operations before them */
} bench_params_t;

/* ---- report.c ------------------------------------------------------------------ */

/* Read the iteration counts from the configuration block. */
void bench_params_init(bench_params_t *p);

/* Print `BENCH <name>_tsc <ticks / ops, 2 decimals>` (rounded). ops > 0. */
void bench_report(const char *name, uint64_t ticks, uint64_t ops);

/* Print `bench: <name>: <why>` in place of a figure; the run goes on. */
void bench_fail(const char *name, const char *why, seL4_Word detail);

/* ---- vspace.c: a second address space for the cross-AS IPC server ---------------- */

/*
 * A VSpace of its own (PML4 assigned to the root ASID pool) holding copies of
 * the root image's frame caps mapped at the same addresses (read-write), so
 * code and read-only data behave as in the root task; plus, per thread, a
 * stack and an IPC buffer on frames of its own that the root VSpace never
 * maps. The image's writable data is shared with the root task (same frames).
 */
typedef struct bench_vspace {
    seL4_CPtr pml4;
    seL4_Word next_private; /* next free vaddr for private stacks/buffers */
} bench_vspace_t;

seL4_Error bench_vspace_create(bench_vspace_t *vs);

/*
 * Start a thread running fn(arg0, arg1) in `vs`, with the root CSpace, no
 * fault endpoint, priority `prio`, and a private stack, TLS block and IPC
 * buffer. *tcb receives its TCB cap. If fn returns, the thread suspends.
 */
seL4_Error bench_vspace_thread_start(bench_vspace_t *vs, rt_thread_fn fn, seL4_Word arg0,
                                     seL4_Word arg1, seL4_Word prio, seL4_CPtr *tcb);

/* ---- the benchmarks (each prints its own BENCH lines) -------------------------- */

void bench_null_syscall(const bench_params_t *p);
void bench_ipc(const bench_params_t *p);
void bench_notify(const bench_params_t *p);
void bench_fault(const bench_params_t *p);

#endif /* NEREID_BENCH_H */
