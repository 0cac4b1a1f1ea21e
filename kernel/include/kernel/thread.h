/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread states, IPC transfer and the scheduler (spec §13, §12.2).
 * kernel/kernel/thread.c. */
#pragma once

#include <structures.h>
#include <model/statedata.h>

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
void doIPCTransfer(tcb_t *sender, endpoint_t *endpoint, word_t badge, bool grant, tcb_t *receiver);
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

/* --- helpers shared by the IPC files (endpoint.c, notification.c, syscall.c,
 * faults.c, fastpath.c); implemented in kernel/kernel/thread.c ------------ */

/* Word index of caps_or_badges[0] in the IPC buffer (spec §5.3). */
#define IPCBUF_CAPS_OR_BADGES (seL4_MsgMaxLength + 2)

/* A MessageInfo word as the kernel reads it: length above 120 is 120
 * (spec §5.1); the other fields unchanged. */
static inline word_t msginfo_clamped(word_t w)
{
    return (w & 0x7f) > seL4_MsgMaxLength ? (w & ~0x7full) | seL4_MsgMaxLength : w;
}

/* Look up the extraCaps CPtrs of a message in thread's CSpace (none if
 * buffer is NULL) into caps. On failure current_fault holds a CapFault for
 * the CPtr (not in receive phase), current_lookup_fault the details. */
exception_t lookupExtraCaps(tcb_t *thread, word_t *buffer, word_t info, extra_caps_t *caps);
/* A failed non-blocking receive: badge register 0, nothing else written. */
void doNBRecvFailedTransfer(tcb_t *thread);
/* After a Call (or fault) message from sender reached receiver: reply cap
 * for the receiver (sender BlockedOnReply) if the sender's cap had Grant or
 * GrantReply, else the sender becomes Inactive (spec §13.4). */
void completeCall(tcb_t *sender, tcb_t *receiver, bool canGrant, bool canGrantReply,
                  bool replyCanGrant);
