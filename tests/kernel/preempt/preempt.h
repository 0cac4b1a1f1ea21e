/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The preemption suite (suite `kernel-preempt`): long kernel operations
 * (Retype's reset of a large untyped, Revoke of many caps, deletion of a
 * big CNode, Revoke of an untyped full of nested CNodes and TCBs) must let a
 * higher-priority thread that waits for a device interrupt run while they
 * are in progress, and must still complete with the right result (spec §8,
 * last paragraph; §10). The interrupt source is the CMOS RTC's periodic
 * interrupt (ISA IRQ 8 on IOAPIC 0 pin 8, spec §16.2), so the suite uses
 * nothing but the seL4 ABI and runs unchanged on upstream seL4.
 *
 * The root task lowers itself below the "ticker" thread. The ticker stamps
 * each wake-up with the TSC; while a measurement window is open (the root
 * task is inside one system call) it records how many times it ran and the
 * longest stretch in which it could not run. With preemption that stretch
 * is about one RTC period plus the interrupt latency, without it the whole
 * operation.
 */
#ifndef NEREID_PREEMPT_H
#define NEREID_PREEMPT_H

#include "roottask.h"
#include "test.h"

/* What the ticker saw during one window. */
typedef struct preempt_window {
    uint64_t start, end; /* TSC at open / close */
    uint64_t wakes;      /* ticker wake-ups inside the window */
    uint64_t maxGap;     /* longest TSC stretch without a wake-up */
} preempt_window_t;

/* Set up by main before the tests run. */
extern bool preemptReady;           /* ticker running, big untyped found */
extern seL4_CPtr preemptBigUntyped; /* the largest RAM untyped of bootinfo */
extern seL4_Word preemptBigBits;
extern uint64_t preemptPeriodTsc; /* RTC period or time slice, in TSC ticks */
extern const char *preemptSource; /* which thread measures */

void preemptWindowOpen(void);
void preemptWindowClose(preempt_window_t *w);
/* Print the figures of a window and check that the ticker ran during it
 * (only when the window is long enough for that to mean something). */
bool preemptCheckWindow(const char *what, const preempt_window_t *w);

/* Microseconds of a TSC interval (0 when the TSC rate is unknown). */
uint64_t preemptTscToUs(uint64_t ticks);

#endif /* NEREID_PREEMPT_H */
