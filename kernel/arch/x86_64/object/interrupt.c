/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The x86 IRQControl invocations (spec §16.2): GetIOAPIC (label 51) routes
 * an IOAPIC pin to a user vector and GetMSI (label 52) reserves a vector for
 * a PCI device's MSI; both hand out an IRQHandler cap for kernel IRQ
 * vector + 16. The generic Get (label 26) is refused in this IOAPIC build
 * by kernel/object/interrupt.c; this file decodes everything else.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/interrupt.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/interrupt.h>
#include <object/tcb.h>

#define PCI_BUS_MAX  255
#define PCI_DEV_MAX  31
#define PCI_FUNC_MAX 7

static exception_t rangeError(word_t min, word_t max)
{
    current_syscall_error.type = seL4_RangeError;
    current_syscall_error.rangeErrorMin = min;
    current_syscall_error.rangeErrorMax = max;
    return EXCEPTION_SYSCALL_ERROR;
}

/* Upstream checks the IOAPIC arguments after the destination slot. */
static exception_t checkIOAPICPin(word_t ioapic, word_t pin, word_t level, word_t polarity)
{
    if (ioapic_count() == 0) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (ioapic >= ioapic_count())
        return rangeError(0, ioapic_count() - 1);
    if (pin >= ioapic_num_pins(ioapic))
        return rangeError(0, ioapic_num_pins(ioapic) - 1);
    if (level > 1 || polarity > 1)
        return rangeError(0, 1);
    return EXCEPTION_NONE;
}

static exception_t decodeIssueIRQHandlerIOAPIC(irq_t irq, cte_t *destSlot, cte_t *srcSlot,
                                               word_t *buffer)
{
    word_t ioapic = getMR(ksCurThread, buffer, 2);
    word_t pin = getMR(ksCurThread, buffer, 3);
    word_t level = getMR(ksCurThread, buffer, 4);
    word_t polarity = getMR(ksCurThread, buffer, 5);

    exception_t status = checkIOAPICPin(ioapic, pin, level, polarity);
    if (status != EXCEPTION_NONE)
        return status;

    setThreadState(ksCurThread, ThreadState_Restart);
    /* The pin stays masked until the first IRQHandler_Ack (spec §16.2). */
    ioapic_map_pin_to_vector(ioapic, pin, level, polarity, irq + IRQ_INT_OFFSET);
    irq_set_msi(irq, false);
    invokeIRQControl(irq, destSlot, srcSlot);
    return EXCEPTION_NONE;
}

static exception_t decodeIssueIRQHandlerMSI(irq_t irq, cte_t *destSlot, cte_t *srcSlot,
                                            word_t *buffer)
{
    /* The handle (MR5) is opaque to this kernel: nothing to program. */
    if (getMR(ksCurThread, buffer, 2) > PCI_BUS_MAX)
        return rangeError(0, PCI_BUS_MAX);
    if (getMR(ksCurThread, buffer, 3) > PCI_DEV_MAX)
        return rangeError(0, PCI_DEV_MAX);
    if (getMR(ksCurThread, buffer, 4) > PCI_FUNC_MAX)
        return rangeError(0, PCI_FUNC_MAX);

    setThreadState(ksCurThread, ThreadState_Restart);
    irq_set_msi(irq, true);
    invokeIRQControl(irq, destSlot, srcSlot);
    return EXCEPTION_NONE;
}

exception_t Arch_decodeIRQControlInvocation(word_t invLabel, word_t length, cte_t *srcSlot,
                                            word_t *buffer)
{
    if (invLabel != X86IRQIssueIRQHandlerIOAPIC && invLabel != X86IRQIssueIRQHandlerMSI) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (length < 7 || current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t index = getMR(ksCurThread, buffer, 0);
    word_t depth = getMR(ksCurThread, buffer, 1);
    cap_t root = current_extra_caps.excaprefs[0]->cap;
    word_t vector = getMR(ksCurThread, buffer, 6);

    if (vector > IRQ_USER_VECTOR_MAX)
        return rangeError(0, IRQ_USER_VECTOR_MAX);
    irq_t irq = vector + IRQ_USER_MIN;
    if (isIRQActive(irq)) {
        current_syscall_error.type = seL4_RevokeFirst;
        return EXCEPTION_SYSCALL_ERROR;
    }
    lookupSlot_ret_t lu = lookupTargetSlot(root, index, depth);
    if (lu.status != EXCEPTION_NONE)
        return lu.status;
    exception_t status = ensureEmptySlot(lu.slot);
    if (status != EXCEPTION_NONE)
        return status;

    if (invLabel == X86IRQIssueIRQHandlerIOAPIC)
        return decodeIssueIRQHandlerIOAPIC(irq, lu.slot, srcSlot, buffer);
    return decodeIssueIRQHandlerMSI(irq, lu.slot, srcSlot, buffer);
}
