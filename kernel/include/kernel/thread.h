/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread states, IPC transfer and the scheduler (spec §13, §12.2).
 * kernel/kernel/thread.c. */
#pragma once

#include <structures.h>

static inline bool isRunnable(const tcb_t *t)
{
    return t->state.type == ThreadState_Running || t->state.type == ThreadState_Restart;
}
static inline bool isBlocked(const tcb_t *t)
{
    switch (t->state.type) {
    case ThreadState_BlockedOnReceive:
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReply:
    case ThreadState_BlockedOnNotification:
        return true;
    default:
        return false;
    }
}

void setThreadState(tcb_t *tptr, word_t ts);
void scheduleTCB(tcb_t *tptr);
void suspend(tcb_t *target);
void restart(tcb_t *target);
void doIPCTransfer(tcb_t *sender, endpoint_t *endpoint, word_t badge, bool grant,
                   tcb_t *receiver);
void doReplyTransfer(tcb_t *sender, tcb_t *receiver, cte_t *slot, bool grant);
void possibleSwitchTo(tcb_t *tptr);
void rescheduleRequired(void);
void setPriority(tcb_t *tptr, prio_t prio);
void setMCPriority(tcb_t *tptr, prio_t mcp);
void setDomain(tcb_t *tptr, dom_t dom);
/* Pick the next thread as ksSchedulerAction says; then activate it. */
void schedule(void);
void activateThread(void);
void switchToThread(tcb_t *thread);
void switchToIdleThread(void);
void timerTick(void);
/* Initialise a freshly retyped TCB (state inactive, RFLAGS 0x202, selectors). */
void initTCB(tcb_t *tcb);
