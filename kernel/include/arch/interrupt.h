/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt controller and timer (LAPIC, IOAPIC, PIT calibration).
 * kernel/arch/x86_64/apic.c, ioapic.c, timer.c. Kernel IRQ number =
 * CPU vector - 32 (spec §16.1).
 */
#pragma once

#include <types.h>

#define IRQ_INT_OFFSET      32 /* CPU vector of kernel IRQ 0 */
#define IRQ_USER_MIN        16 /* user vectors 0..107 are kernel IRQs 16..123 */
#define IRQ_USER_VECTOR_MAX 107
#define IRQ_TIMER           125 /* CPU vector 157 */
#define IRQ_INVALID         ((irq_t)-1)

/* Mask or unmask a kernel IRQ at its source (IOAPIC pin; MSI is a no-op). */
void maskInterrupt(bool disable, irq_t irq);
/* Signal end of interrupt to the LAPIC. */
void ackInterrupt(irq_t irq);
/* Re-arm the LAPIC timer for the next tick (if periodic mode is not used). */
void resetTimer(void);
/* True if an interrupt is pending (used at preemption points). */
bool isIRQPending(void);

/* Number of IOAPICs found in the MADT; pins of IOAPIC i. */
word_t ioapic_count(void);
word_t ioapic_num_pins(word_t ioapic);
/* Route pin to CPU vector (user vector + 48), masked, with trigger/polarity. */
void ioapic_map_pin_to_vector(word_t ioapic, word_t pin, word_t level, word_t polarity,
                              word_t cpuVector);
/* Remember that an IRQ is an MSI (masking is up to the device). */
void irq_set_msi(irq_t irq, bool isMSI);
