/* SPDX-License-Identifier: BSD-2-Clause */
/* IRQ control and IRQ handler caps (spec §12.4, §16).
 * kernel/object/interrupt.c (generic) + kernel/arch/x86_64/object/interrupt.c. */
#pragma once

#include <structures.h>

exception_t decodeIRQControlInvocation(word_t invLabel, word_t length, cte_t *srcSlot,
                                       word_t *buffer);
exception_t decodeIRQHandlerInvocation(word_t invLabel, irq_t irq);
/* Called when the last IRQ handler cap for irq is deleted. */
void deletingIRQHandler(irq_t irq);
void deletedIRQHandler(irq_t irq);

/* The IOAPIC / MSI variants (labels 51, 52) and anything else that is not
 * the generic Get: kernel/arch/x86_64/object/interrupt.c. */
exception_t Arch_decodeIRQControlInvocation(word_t invLabel, word_t length, cte_t *srcSlot,
                                            word_t *buffer);
/* Give irq a handler cap in destSlot, child of the IRQ control cap in
 * srcSlot; the IRQ becomes IRQSignal (kernel/object/interrupt.c). */
void invokeIRQControl(irq_t irq, cte_t *destSlot, cte_t *srcSlot);
/* The IRQ already has a handler (or is the kernel's own). */
bool isIRQActive(irq_t irq);

static inline cap_t cap_irq_handler_cap_new(irq_t irq)
{
    cap_t c = cap_null_cap_new();
    c.irq_handler.type = cap_irq_handler_cap;
    c.irq_handler.irq = irq;
    return c;
}

static inline cap_t cap_irq_control_cap_new(void)
{
    cap_t c = cap_null_cap_new();
    c.any.type = cap_irq_control_cap;
    return c;
}
