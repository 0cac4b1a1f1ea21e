/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IOAPICs found in the MADT: all pins are masked at boot; IRQControl
 * (spec §16.2) routes a pin to a CPU vector with ioapic_map_pin_to_vector,
 * leaving it masked until the handler's first Ack. The kernel remembers
 * which pin (or MSI) each kernel IRQ came from so maskInterrupt can act at
 * the source.
 */
#include <types.h>
#include <util.h>
#include <model/statedata.h>
#include <arch/interrupt.h>
#include <arch/x86.h>

#define IOREGSEL          0x00
#define IOWIN             0x10
#define IOAPIC_VERSION    0x01
#define IOAPIC_REDIR(pin) (0x10 + 2 * (pin))
#define REDIR_MASKED      BIT(16)
#define REDIR_LEVEL       BIT(15)
#define REDIR_ACTIVE_LOW  BIT(13)

/* Source of each kernel IRQ: IOAPIC index and pin, or none. */
typedef struct irq_source {
    uint8_t valid, isMSI, ioapic;
    uint8_t pin;
} irq_source_t;
static irq_source_t irqSource[MAX_IRQ + 1];

static volatile uint32_t *ioapic_base(word_t i)
{
    return (volatile uint32_t *)paddr_to_pptr(x86KSacpi.ioapic[i].paddr);
}

static uint32_t ioapic_read(word_t i, uint32_t reg)
{
    volatile uint32_t *b = ioapic_base(i);
    b[IOREGSEL / 4] = reg;
    return b[IOWIN / 4];
}

static void ioapic_write(word_t i, uint32_t reg, uint32_t v)
{
    volatile uint32_t *b = ioapic_base(i);
    b[IOREGSEL / 4] = reg;
    b[IOWIN / 4] = v;
}

BOOT_CODE void ioapic_init(void)
{
    for (word_t i = 0; i < x86KSacpi.numIOAPICs; i++) {
        paddr_t p = x86KSacpi.ioapic[i].paddr;
        if (p < 0xc0000000ull || p >= 0x100000000ull || !IS_ALIGNED(p, 10))
            kpanic("IOAPIC %lu at 0x%lx is outside the uncached 3-4 GiB window", i, p);
        uint32_t pins = ((ioapic_read(i, IOAPIC_VERSION) >> 16) & 0xff) + 1;
        x86KSacpi.ioapic[i].pins = pins;
        for (uint32_t pin = 0; pin < pins; pin++) {
            ioapic_write(i, IOAPIC_REDIR(pin) + 1, 0);
            ioapic_write(i, IOAPIC_REDIR(pin), REDIR_MASKED);
        }
        kprintf("IOAPIC %lu: 0x%lx, GSI base %u, %u pins\n", i, p, x86KSacpi.ioapic[i].gsiBase,
                pins);
    }
}

word_t ioapic_count(void)
{
    return x86KSacpi.numIOAPICs;
}

word_t ioapic_num_pins(word_t ioapic)
{
    return ioapic < x86KSacpi.numIOAPICs ? x86KSacpi.ioapic[ioapic].pins : 0;
}

void ioapic_map_pin_to_vector(word_t ioapic, word_t pin, word_t level, word_t polarity,
                              word_t cpuVector)
{
    kassert(ioapic < x86KSacpi.numIOAPICs && pin < x86KSacpi.ioapic[ioapic].pins);
    kassert(cpuVector >= IRQ_INT_OFFSET && cpuVector - IRQ_INT_OFFSET <= MAX_IRQ);
    uint32_t low = (uint32_t)cpuVector | REDIR_MASKED | (level ? REDIR_LEVEL : 0) |
                   (polarity ? REDIR_ACTIVE_LOW : 0);
    ioapic_write(ioapic, IOAPIC_REDIR(pin) + 1, lapic_id() << 24);
    ioapic_write(ioapic, IOAPIC_REDIR(pin), low);
    irqSource[cpuVector - IRQ_INT_OFFSET] =
        (irq_source_t){.valid = 1, .ioapic = (uint8_t)ioapic, .pin = (uint8_t)pin};
}

/* An MSI has no pin to mask; clearing the mark keeps a pin routed by
 * ioapic_map_pin_to_vector, which the IOAPIC path calls first. */
void irq_set_msi(irq_t irq, bool isMSI)
{
    if (irq > MAX_IRQ)
        return;
    if (isMSI)
        irqSource[irq] = (irq_source_t){.valid = 1, .isMSI = 1};
    else
        irqSource[irq].isMSI = 0;
}

void maskInterrupt(bool disable, irq_t irq)
{
    if (irq > MAX_IRQ || !irqSource[irq].valid || irqSource[irq].isMSI)
        return;
    irq_source_t s = irqSource[irq];
    uint32_t low = ioapic_read(s.ioapic, IOAPIC_REDIR(s.pin));
    low = disable ? low | REDIR_MASKED : low & ~REDIR_MASKED;
    ioapic_write(s.ioapic, IOAPIC_REDIR(s.pin), low);
}
