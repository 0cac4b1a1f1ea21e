/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Global kernel state. Defined in kernel/model/statedata.c. Single core, so
 * plain globals; the kernel runs with interrupts disabled.
 */
#pragma once

#include <types.h>
#include <structures.h>

#define CONFIG_NUM_PRIORITIES                256
#define CONFIG_NUM_DOMAINS                   1
#define CONFIG_TIME_SLICE                    5 /* ticks (spec §1.1) */
#define CONFIG_TIMER_TICK_MS                 2
#define CONFIG_RETYPE_FAN_OUT_LIMIT          256
#define CONFIG_ROOT_CNODE_SIZE_BITS          12
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#define CONFIG_NUM_DOMAIN_SCHEDULES          2
#define L2_BITMAP_SIZE                       ((CONFIG_NUM_PRIORITIES + 63) / 64)

/* Scheduler action: resume the current thread, choose a new thread, or
 * switch to the candidate stored here (a tcb_t pointer). */
#define SchedulerAction_ResumeCurrentThread ((tcb_t *)0)
#define SchedulerAction_ChooseNewThread     ((tcb_t *)1)

typedef struct tcb_queue {
    tcb_t *head, *end;
} tcb_queue_t;

extern tcb_t *ksCurThread;
extern tcb_t *ksIdleThread;
extern tcb_t *ksSchedulerAction;
extern tcb_queue_t ksReadyQueues[CONFIG_NUM_PRIORITIES];
extern word_t ksReadyQueuesL1Bitmap;
extern word_t ksReadyQueuesL2Bitmap[L2_BITMAP_SIZE];
extern word_t ksCurDomain;
extern word_t ksDomainTime;
extern tcb_t *ksDebugTCBs;          /* list of every TCB, for DebugDumpScheduler */
extern word_t ksWorkUnitsCompleted; /* for preemption points */

/*
 * Ready-queue bitmap, shared by the queue code (object/tcb.c sets and clears
 * bits as queues become non-empty / empty) and chooseThread (thread.c).
 * Priority p is bit (p % 64) of ksReadyQueuesL2Bitmap[p / 64]; bit i of
 * ksReadyQueuesL1Bitmap is set iff ksReadyQueuesL2Bitmap[i] != 0. Use these
 * helpers rather than touching the words directly.
 */
static inline void addToBitmap(prio_t prio)
{
    ksReadyQueuesL1Bitmap |= BIT(prio >> 6);
    ksReadyQueuesL2Bitmap[prio >> 6] |= BIT(prio & 63);
}
static inline void removeFromBitmap(prio_t prio)
{
    ksReadyQueuesL2Bitmap[prio >> 6] &= ~BIT(prio & 63);
    if (ksReadyQueuesL2Bitmap[prio >> 6] == 0)
        ksReadyQueuesL1Bitmap &= ~BIT(prio >> 6);
}
/* Highest priority with a non-empty ready queue; only if L1 != 0. */
static inline prio_t getHighestPrio(void)
{
    word_t l1 = 63 - __builtin_clzll(ksReadyQueuesL1Bitmap);
    return (l1 << 6) | (63 - __builtin_clzll(ksReadyQueuesL2Bitmap[l1]));
}
static inline bool isHighestPrio(prio_t prio)
{
    return ksReadyQueuesL1Bitmap == 0 || prio >= getHighestPrio();
}

/* The hardware IRQ being delivered: c_handle_interrupt stores the kernel IRQ
 * number (vector - 32) here and calls handleInterruptEntry, which consumes it
 * (sets it back to IRQ_INVALID, i.e. (irq_t)-1). Calling handleInterrupt(irq)
 * directly is equivalent. */
extern irq_t ksActiveIRQ;

/* Filled in by decode functions before returning a failure (types.h). */
extern syscall_error_t current_syscall_error;
extern lookup_fault_t current_lookup_fault;
extern seL4_fault_t current_fault;

/* The extra caps of the invocation being decoded (spec §5.3, §12), looked up
 * by handleInvocation before decode: excaprefs[i] is the slot of cap[i], or
 * NULL when the message carries fewer caps (decode then reports
 * TruncatedMessage). */
typedef struct extra_caps {
    cte_t *excaprefs[seL4_MsgMaxExtraCaps];
} extra_caps_t;
extern extra_caps_t current_extra_caps;

/* The register array the entry code saves into (the current thread's):
 * &ksCurThread->ctx.regs[REG_HW_END], kept in sync by arch_switch_to. */
extern word_t *ksCurContextTop;

/* The root task's IRQ state table: which kernel IRQs have handler caps. */
#define MAX_IRQ 125
typedef enum { IRQInactive = 0, IRQSignal, IRQTimer, IRQReserved } irq_state_t;
extern uint8_t intStateIRQTable[MAX_IRQ + 1];
extern cte_t intStateIRQNode[MAX_IRQ + 1]; /* slot holding each IRQ's notification cap */

/* ASID table: 8 pools of 512 ASIDs (spec §18.5). */
#define N_ASID_POOLS         8
#define ASID_POOL_INDEX_BITS 9
typedef struct asid_pool {
    struct pml4 *array[BIT(ASID_POOL_INDEX_BITS)];
} asid_pool_t;
extern asid_pool_t *x86KSASIDTable[N_ASID_POOLS];

/* IO ports issued so far (spec §17): one bit per port. */
extern word_t x86KSAllocatedIOPorts[65536 / 64];
