/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Preemption points of long kernel operations (spec §8, last paragraph):
 * Retype's reset of an untyped, Revoke, and deletion through zombies. Each
 * step of such an operation is one work unit; every
 * CONFIG_MAX_NUM_WORK_UNITS_PER_PREEMPTION units the kernel looks at the
 * LAPIC IRR (isIRQPending) and, if an interrupt waits, the operation stops
 * with EXCEPTION_PREEMPTED. It must have recorded its progress in kernel
 * objects before (the untyped's watermark, the zombie, the MDB), so that the
 * thread, left in Restart, re-executes the same syscall and continues.
 */
#pragma once

#include <types.h>
#include <model/statedata.h>
#include <arch/interrupt.h>

/* Upstream's default: the IRR read is an MMIO access (a VM exit under
 * virtualisation), so it is not done on every unit. */
#define CONFIG_MAX_NUM_WORK_UNITS_PER_PREEMPTION 100

/*
 * Count one unit of work done; EXCEPTION_PREEMPTED if the caller must stop
 * now (an interrupt is pending), else EXCEPTION_NONE. The count persists
 * across invocations, so a restarted operation always makes progress: the
 * check comes after the unit, never before it.
 */
static inline exception_t preemptionPoint(void)
{
    if (++ksWorkUnitsCompleted < CONFIG_MAX_NUM_WORK_UNITS_PER_PREEMPTION)
        return EXCEPTION_NONE;
    ksWorkUnitsCompleted = 0;
    return isIRQPending() ? EXCEPTION_PREEMPTED : EXCEPTION_NONE;
}
