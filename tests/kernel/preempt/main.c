/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Root task of the preemption suite: the RTC-driven ticker thread, the
 * measurement windows, the choice of the large untyped, and main. The
 * contract of the suite is in preempt.h.
 */
#include "preempt.h"

#define RTC_INDEX   0x70
#define RTC_DATA    0x71
#define RTC_NMI_OFF 0x80 /* index bit 7: keep NMIs off while selecting */
#define RTC_REG_A   0x0a
#define RTC_REG_B   0x0b
#define RTC_REG_C   0x0c
#define RTC_RATE    5    /* 32768 >> (5 - 1) = 2048 Hz */
#define RTC_PIE     0x40 /* register B: periodic interrupt enable */
#define RTC_IRQ_PIN 8    /* ISA IRQ 8, identity-mapped on IOAPIC 0 */
#define RTC_VECTOR  8    /* user vector offset (spec §16.2) */

#define TICKER_PRIO     200
#define ROOT_PRIO       100
#define CALIBRATE_WAKES 64
#define SPIN_RESUME_US  100
#define SLICE_US        10000 /* 5 ticks of 2 ms (spec §1.1) */

bool preemptReady;
seL4_CPtr preemptBigUntyped;
seL4_Word preemptBigBits;
uint64_t preemptPeriodTsc;

static seL4_CPtr rtcPorts;
static rt_thread_t tickerThread, spinnerThread;
static bool useSpinner;
const char *preemptSource = "none";

/* Shared with the ticker; it runs only while the root task does not. */
static volatile uint64_t tickerWakes;
static volatile bool winOpen;
static volatile uint64_t winStart, winLast, winWakes, winMaxGap;

#define BARRIER() __asm__ volatile("" ::: "memory")

static uint8_t rtcRead(uint8_t reg)
{
    seL4_X86_IOPort_Out8(rtcPorts, RTC_INDEX, RTC_NMI_OFF | reg);
    return seL4_X86_IOPort_In8(rtcPorts, RTC_DATA).result;
}

static void rtcWrite(uint8_t reg, uint8_t value)
{
    seL4_X86_IOPort_Out8(rtcPorts, RTC_INDEX, RTC_NMI_OFF | reg);
    seL4_X86_IOPort_Out8(rtcPorts, RTC_DATA, value);
}

/* The measuring thread ran at TSC `now`; a gap over minGap is a wake-up. */
static void noteRun(uint64_t now, uint64_t minGap)
{
    if (!winOpen || now < winLast)
        return; /* a stamp taken before the window opened */
    uint64_t gap = now - winLast;
    if (gap > winMaxGap)
        winMaxGap = gap;
    if (gap > minGap)
        winWakes++;
    winLast = now;
}

/*
 * Unmask first, then read register C: the RTC keeps its line high until C
 * is read, and an edge that arrives while the IOAPIC pin is masked is lost,
 * so the other order could stop the interrupts for good.
 */
static void ticker(seL4_Word ntfn, seL4_Word irq)
{
    for (;;) {
        seL4_Wait(ntfn, NULL);
        seL4_IRQHandler_Ack(irq);
        rtcRead(RTC_REG_C);
        tickerWakes++;
        noteRun(rt_rdtsc(), 0);
    }
}

/* The fallback: a thread at the root task's own priority that can only run
 * when a timer tick ends the root task's time slice (spec §12.2: 5 ticks of
 * 2 ms). A gap longer than SPIN_RESUME_US between two of its loop
 * iterations is a time it was resumed. */
static void spinner(seL4_Word a, seL4_Word b)
{
    uint64_t resumeGap = (uint64_t)SPIN_RESUME_US * rt_tsc_mhz();
    for (;;)
        noteRun(rt_rdtsc(), resumeGap);
}

void preemptWindowOpen(void)
{
    if (useSpinner)
        seL4_TCB_Resume(spinnerThread.tcb);
    winWakes = 0;
    winMaxGap = 0;
    winLast = winStart = rt_rdtsc();
    BARRIER();
    winOpen = true;
    BARRIER();
}

void preemptWindowClose(preempt_window_t *w)
{
    /* Close first, then read the clock: a higher-priority ticker that runs
     * in between stamps winLast no later than now, so now - winLast never
     * wraps. */
    BARRIER();
    winOpen = false;
    BARRIER();
    uint64_t now = rt_rdtsc();
    w->end = now;
    w->wakes = winWakes;
    w->maxGap = winMaxGap > now - winLast ? winMaxGap : now - winLast;
    w->start = winStart;
    if (useSpinner)
        seL4_TCB_Suspend(spinnerThread.tcb);
}

uint64_t preemptTscToUs(uint64_t ticks)
{
    uint32_t mhz = rt_tsc_mhz();
    return mhz ? ticks / mhz : 0;
}

bool preemptCheckWindow(const char *what, const preempt_window_t *w)
{
    uint64_t len = w->end - w->start;

    printf("# %s: %llu us; %s thread ran %llu times, longest wait %llu us (period %llu us)\n", what,
           (unsigned long long)preemptTscToUs(len), preemptSource, (unsigned long long)w->wakes,
           (unsigned long long)preemptTscToUs(w->maxGap),
           (unsigned long long)preemptTscToUs(preemptPeriodTsc));
    if (preemptPeriodTsc == 0 || len < 6 * preemptPeriodTsc) {
        printf("#   (shorter than 6 periods: too short to judge preemption)\n");
        return true;
    }
    bool ok = CHECK(w->wakes >= 2);
    return CHECK(w->maxGap < len / 2) && ok;
}

/* Busy-wait (at low priority) for n more ticker wake-ups, at most 1 s. */
static bool waitWakes(uint64_t n)
{
    uint64_t target = tickerWakes + n, t0 = rt_rdtsc();
    while (tickerWakes < target)
        if (rt_rdtsc() - t0 > 1000000ull * rt_tsc_mhz())
            return false;
    return true;
}

static bool setupFailed(const char *step)
{
    printf("# preempt: setup failed at %s\n", step);
    return false;
}

static bool startRtc(void)
{
    seL4_CPtr ntfn, irq = rt_slot_alloc();

    rtcPorts = rt_slot_alloc();
    if (seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, RTC_INDEX, RTC_DATA,
                                     seL4_CapInitThreadCNode, rtcPorts, 64) != seL4_NoError)
        return setupFailed("IOPortControl_Issue");
    if (rt_alloc_object(seL4_NotificationObject, 0, &ntfn) != seL4_NoError)
        return setupFailed("notification");
    if (seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, irq, 64, 0,
                                  RTC_IRQ_PIN, 0, 0, RTC_VECTOR) != seL4_NoError)
        return setupFailed("IRQControl_GetIOAPIC");
    if (seL4_IRQHandler_SetNotification(irq, ntfn) != seL4_NoError)
        return setupFailed("IRQHandler_SetNotification");
    if (rt_thread_start(&tickerThread, ticker, ntfn, irq, TICKER_PRIO) != seL4_NoError)
        return setupFailed("ticker thread");
    seL4_IRQHandler_Ack(irq);
    rtcWrite(RTC_REG_A, (rtcRead(RTC_REG_A) & 0xf0) | RTC_RATE);
    rtcWrite(RTC_REG_B, rtcRead(RTC_REG_B) | RTC_PIE);
    rtcRead(RTC_REG_C);
    if (!waitWakes(4))
        return setupFailed("no RTC interrupt");
    uint64_t t0 = rt_rdtsc();
    if (!waitWakes(CALIBRATE_WAKES))
        return setupFailed("RTC interrupts stopped");
    preemptPeriodTsc = (rt_rdtsc() - t0) / CALIBRATE_WAKES;
    return true;
}

/* The largest RAM untyped; among equals the last, which the runtime's
 * first-fit allocator is least likely to have touched. */
static void findBigUntyped(seL4_BootInfo *bi)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *ud = &bi->untypedList[i];
        if (!ud->isDevice && ud->sizeBits >= preemptBigBits) {
            preemptBigBits = ud->sizeBits;
            preemptBigUntyped = bi->untyped.start + i;
        }
    }
}

/* Without RTC interrupts, fall back to round robin at the root's priority:
 * coarser (a time slice instead of an RTC period) but still observable. */
static bool startSpinner(void)
{
    if (rt_thread_start(&spinnerThread, spinner, 0, 0, ROOT_PRIO) != seL4_NoError ||
        seL4_TCB_Suspend(spinnerThread.tcb) != seL4_NoError)
        return setupFailed("spinner thread");
    useSpinner = true;
    preemptSource = "round-robin";
    preemptPeriodTsc = (uint64_t)SLICE_US * rt_tsc_mhz();
    return true;
}

int main(seL4_BootInfo *bi)
{
    bool ok = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO) ==
              seL4_NoError;
    findBigUntyped(bi);
    ok = ok && preemptBigBits >= 22 && rt_tsc_mhz() != 0;
    if (ok && startRtc())
        preemptSource = "RTC interrupt";
    else
        ok = ok && startSpinner();
    printf("# preempt: measuring with the %s thread, period %llu us, TSC %u MHz, "
           "big untyped 2^%lu\n",
           preemptSource, (unsigned long long)preemptTscToUs(preemptPeriodTsc), rt_tsc_mhz(),
           (unsigned long)preemptBigBits);
    preemptReady = ok;
    return rt_run_tests("kernel-preempt", NULL) ? 1 : 0;
}
