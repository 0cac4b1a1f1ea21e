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
