/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRQ control and IRQ handler caps, the generic half (spec §12.4, §16):
 * the state of each kernel IRQ (intStateIRQTable), the notification cap
 * each IRQ signals (kept in intStateIRQNode[irq], a slot owned by the
 * kernel), the handler invocations Ack / SetNotification / Clear, and the
 * release of an IRQ when its last handler cap is deleted. The x86 ways of
 * obtaining a handler (IOAPIC pin, MSI) live in
 * kernel/arch/x86_64/object/interrupt.c; delivery is handleInterrupt in
 * kernel/api/syscall.c.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/interrupt.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/interrupt.h>
#include <object/tcb.h>

bool isIRQActive(irq_t irq)
{
    kassert(irq <= MAX_IRQ);
    return intStateIRQTable[irq] != IRQInactive;
}

void invokeIRQControl(irq_t irq, cte_t *destSlot, cte_t *srcSlot)
{
    kassert(irq <= MAX_IRQ && irq != IRQ_TIMER);
    intStateIRQTable[irq] = IRQSignal;
    cteInsert(cap_irq_handler_cap_new(irq), srcSlot, destSlot);
}

exception_t decodeIRQControlInvocation(word_t invLabel, word_t length, cte_t *srcSlot,
                                       word_t *buffer)
{
    if (invLabel != IRQIssueIRQHandler)
        return Arch_decodeIRQControlInvocation(invLabel, length, srcSlot, buffer);

    /* Upstream reports a short message before refusing the call. */
    if (length < 3 || current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    /* Only the PIC build hands out IRQs by number (spec §16.2). */
    current_syscall_error.type = seL4_IllegalOperation;
    return EXCEPTION_SYSCALL_ERROR;
}

static void invokeIRQHandler_SetIRQHandler(irq_t irq, cap_t ntfnCap, cte_t *ntfnSlot)
{
    cte_t *irqSlot = &intStateIRQNode[irq];

    cteDeleteOne(irqSlot);
    cteInsert(ntfnCap, ntfnSlot, irqSlot);
}

static void invokeIRQHandler_ClearIRQHandler(irq_t irq)
{
    cteDeleteOne(&intStateIRQNode[irq]);
}

static exception_t decodeSetIRQHandler(irq_t irq)
{
    if (current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    cte_t *ntfnSlot = current_extra_caps.excaprefs[0];
    cap_t ntfnCap = ntfnSlot->cap;

    if (cap_get_type(ntfnCap) != cap_notification_cap || !ntfnCap.notification.canSend) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    invokeIRQHandler_SetIRQHandler(irq, ntfnCap, ntfnSlot);
    return EXCEPTION_NONE;
}

exception_t decodeIRQHandlerInvocation(word_t invLabel, irq_t irq)
{
    kassert(irq <= MAX_IRQ);
    switch (invLabel) {
    case IRQAckIRQ:
        setThreadState(ksCurThread, ThreadState_Restart);
        maskInterrupt(false, irq);
        return EXCEPTION_NONE;
    case IRQSetIRQHandler:
        return decodeSetIRQHandler(irq);
    case IRQClearIRQHandler:
        setThreadState(ksCurThread, ThreadState_Restart);
        invokeIRQHandler_ClearIRQHandler(irq);
        return EXCEPTION_NONE;
    default:
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
}

void deletingIRQHandler(irq_t irq)
{
    kassert(irq <= MAX_IRQ);
    /* Drop the notification before the IRQ can be handed out again. */
    cteDeleteOne(&intStateIRQNode[irq]);
}

void deletedIRQHandler(irq_t irq)
{
    kassert(irq <= MAX_IRQ && irq != IRQ_TIMER);
    intStateIRQTable[irq] = IRQInactive;
    maskInterrupt(true, irq);
}
