/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's global state, one definition per name declared in
 * model/statedata.h: the scheduler (current and idle thread, ready queues
 * and their bitmap, the pending scheduler action), the per-invocation
 * scratch state that decode functions fill on failure, the IRQ tables and
 * the x86 ASID and IO port tables. Everything starts zeroed (.bss) except
 * where a zero would mean something wrong. The kernel stack is not here: it
 * belongs to the arch entry code (kernel_stack_top, arch/x86.h).
 */
#include <types.h>
#include <structures.h>
#include <model/statedata.h>

/* --- scheduler --------------------------------------------------------------- */

tcb_t *ksCurThread;
tcb_t *ksIdleThread;
tcb_t *ksSchedulerAction; /* SchedulerAction_ResumeCurrentThread == NULL */
tcb_queue_t ksReadyQueues[CONFIG_NUM_PRIORITIES];
word_t ksReadyQueuesL1Bitmap;
word_t ksReadyQueuesL2Bitmap[L2_BITMAP_SIZE];
word_t ksCurDomain;
word_t ksDomainTime;
tcb_t *ksDebugTCBs;
word_t ksWorkUnitsCompleted;

/* The entry code saves user registers through this pointer, so it must
 * always name the current thread's context (set by the arch switch code). */
word_t *ksCurContextTop;

/* --- per-invocation scratch ---------------------------------------------------- */

syscall_error_t current_syscall_error;
lookup_fault_t current_lookup_fault;
seL4_fault_t current_fault;
extra_caps_t current_extra_caps;

/* --- interrupts ------------------------------------------------------------------ */

uint8_t intStateIRQTable[MAX_IRQ + 1];
cte_t intStateIRQNode[MAX_IRQ + 1];
irq_t ksActiveIRQ = (irq_t)-1; /* none pending: see statedata.h */

/* --- x86 ------------------------------------------------------------------------------ */

asid_pool_t *x86KSASIDTable[N_ASID_POOLS];
word_t x86KSAllocatedIOPorts[65536 / 64];
