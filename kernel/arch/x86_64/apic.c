/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The local APIC (xAPIC, memory-mapped through the uncached part of the
 * physical window), the legacy 8259 PICs (remapped and masked: every device
 * interrupt goes through an IOAPIC or MSI), and time: the TSC frequency and
 * the LAPIC timer, both calibrated against PIT channel 2. The timer runs
 * periodic at CONFIG_TIMER_TICK_MS on CPU vector 157 (kernel IRQ 125, spec
 * §16.1).
 */
#include <types.h>
#include <util.h>
#include <model/statedata.h>
#include <arch/machine.h>
#include <arch/interrupt.h>
#include <arch/x86.h>

#define LAPIC_ID         0x20
#define LAPIC_TPR        0x80
#define LAPIC_EOI        0xb0
#define LAPIC_SVR        0xf0
#define LAPIC_IRR        0x200
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_LVT_LINT0  0x350
#define LAPIC_LVT_LINT1  0x360
#define LAPIC_LVT_ERROR  0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0

#define LAPIC_SVR_ENABLE   BIT(8)
#define LVT_MASKED         BIT(16)
#define LVT_TIMER_PERIODIC BIT(17)
#define LVT_NMI            (4u << 8)
#define LAPIC_DIV_16       0x3
#define APIC_BASE_ENABLE   BIT(11)

#define PIT_HZ            1193182u
#define PIT_CALIBRATE_MS  50u
#define PIT_CH2_DATA      0x42
#define PIT_CMD           0x43
#define PIT_CH2_GATE_PORT 0x61 /* bit 0 gate, bit 1 speaker, bit 5 OUT2 */

uint32_t x86KStscMhz;
static uint32_t lapicTicksPerMs;

static volatile uint32_t *lapic_reg(word_t off)
{
    return (volatile uint32_t *)(paddr_to_pptr(x86KSacpi.lapicPaddr) + off);
}

static uint32_t lapic_read(word_t off)
{
    return *lapic_reg(off);
}

static void lapic_write(word_t off, uint32_t v)
{
    *lapic_reg(off) = v;
}

uint32_t lapic_id(void)
{
    return lapic_read(LAPIC_ID) >> 24;
}

/* Remap the PICs off the exception vectors (to 32..47) and mask them. */
BOOT_CODE void pic_disable(void)
{
    out8(0x20, 0x11); /* ICW1: init, ICW4 follows */
    out8(0xa0, 0x11);
    out8(0x21, IRQ_INT_OFFSET);
    out8(0xa1, IRQ_INT_OFFSET + 8);
    out8(0x21, 4); /* slave on IRQ 2 */
    out8(0xa1, 2);
    out8(0x21, 1); /* 8086 mode */
    out8(0xa1, 1);
    out8(0x21, 0xff);
    out8(0xa1, 0xff);
}

BOOT_CODE void lapic_init(void)
{
    paddr_t p = x86KSacpi.lapicPaddr;
    if (p < 0xc0000000ull || p >= 0x100000000ull || !IS_ALIGNED(p, seL4_PageBits))
        kpanic("LAPIC at 0x%lx is outside the uncached 3-4 GiB window", p);
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
}

/* Start PIT channel 2 counting down ms milliseconds (mode 0). */
static void pit_start(uint32_t ms)
{
    uint32_t count = PIT_HZ * ms / 1000;
    uint8_t gate = in8(PIT_CH2_GATE_PORT);
    out8(PIT_CH2_GATE_PORT, (gate & ~0x03) | 0x00); /* gate low, speaker off */
    out8(PIT_CMD, 0xb0);                            /* ch 2, lo/hi, mode 0 */
    out8(PIT_CH2_DATA, count & 0xff);
    out8(PIT_CH2_DATA, (count >> 8) & 0xff);
    out8(PIT_CH2_GATE_PORT, (gate & ~0x03) | 0x01); /* gate high: go */
}

/* Bounded: a broken PIT must not hang the boot forever. */
static bool pit_wait(void)
{
    for (uint64_t i = 0; i < (1ull << 32); i++) {
        if (in8(PIT_CH2_GATE_PORT) & 0x20)
            return true;
    }
    return false;
}

/* Measure the TSC and the LAPIC timer (divide by 16) over one PIT window. */
BOOT_CODE static void calibrate(void)
{
    lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    pit_start(PIT_CALIBRATE_MS);
    lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
    uint64_t t0 = rdtsc();
    if (!pit_wait())
        kpanic("PIT channel 2 never expired: cannot calibrate the timers");
    uint64_t t1 = rdtsc();
    uint32_t lapicElapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
    lapic_write(LAPIC_TIMER_INIT, 0);
    x86KStscMhz = (uint32_t)((t1 - t0) / (PIT_CALIBRATE_MS * 1000));
    lapicTicksPerMs = lapicElapsed / PIT_CALIBRATE_MS;
}

BOOT_CODE uint32_t tsc_measure_mhz(void)
{
    if (!lapicTicksPerMs)
        calibrate();
    return x86KStscMhz;
}

BOOT_CODE void timer_init(void)
{
    if (!lapicTicksPerMs)
        calibrate();
    if (!lapicTicksPerMs)
        kpanic("LAPIC timer did not count during calibration");
    lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VECTOR_TIMER);
    lapic_write(LAPIC_TIMER_INIT, lapicTicksPerMs * CONFIG_TIMER_TICK_MS);
    kprintf("Timer: TSC %u MHz, LAPIC timer %u ticks/ms (/16), tick %u ms\n", x86KStscMhz,
            lapicTicksPerMs, CONFIG_TIMER_TICK_MS);
}

void ackInterrupt(irq_t irq)
{
    lapic_write(LAPIC_EOI, 0);
}

/* Periodic mode: nothing to re-arm. */
void resetTimer(void)
{
}

/* Any device or timer vector (32..157) waiting in the IRR. */
bool isIRQPending(void)
{
    for (word_t v = IRQ_INT_OFFSET; v <= VECTOR_TIMER; v += 32) {
        uint32_t irr = lapic_read(LAPIC_IRR + (v / 32) * 0x10);
        if (v / 32 == VECTOR_TIMER / 32)
            irr &= (uint32_t)MASK(VECTOR_TIMER % 32 + 1);
        if (irr)
            return true;
    }
    return false;
}
