/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timers of the executive. Time is the TSC, counted in 100 ns units since
 * boot (KeQueryInterruptTime). Pending timers form a list sorted by due
 * time; the PIT (channel 0, one-shot mode 0, IRQ 0 = IOAPIC pin 2) is
 * programmed for the earliest, at most ~55 ms ahead, and re-armed from its
 * interrupt. The interrupt arrives as a signal of a notification bound to
 * ntos's thread, so the service loop receives it like a message with badge
 * KI_BADGE_NOTIFY | KI_NOTIFY_TIMER and calls KiTimerInterrupt, which runs
 * the routines of the expired timers on the loop's stack: they must not
 * wait (waking a request with KeWakeRequest is what they are for).
 *
 * Without the PIT or its interrupt (no I/O ports, no IOAPIC) KeSetTimer
 * still queues, but nothing fires; KeDelayExecution then fails with
 * STATUS_NOT_SUPPORTED instead of waiting forever.
 */
#include "kep.h"

#include <limits.h>

#define KI_PIT_HZ         1193182ull
#define KI_PIT_FIRST      0x40
#define KI_PIT_LAST       0x43
#define KI_PIT_COMMAND    0x43
#define KI_PIT_MODE0      0x30 /* channel 0, lobyte/hibyte, mode 0, binary */
#define KI_PIT_IOAPIC_PIN 2
#define KI_PIT_VECTOR     0 /* user vector offset: kernel IRQ 16 */

static KTIMER *KiTimers;
static seL4_CPtr KiPitPorts, KiPitIrq, KiTimerNotification;
static ULONGLONG KiTimerTscMhz;
static bool KiTimerReady;

static ULONGLONG KiReadTimeStamp(void)
{
    uint32_t Low, High;

    __asm__ volatile("lfence; rdtsc" : "=a"(Low), "=d"(High)::"memory");
    return ((ULONGLONG)High << 32) | Low;
}

ULONGLONG KeQueryInterruptTime(void)
{
    if (KiTimerTscMhz == 0)
        return 0;
    /* ticks / MHz = microseconds; * 10 = 100 ns units, split to avoid overflow. */
    ULONGLONG Tsc = KiReadTimeStamp();
    return Tsc / KiTimerTscMhz * 10 + (Tsc % KiTimerTscMhz) * 10 / KiTimerTscMhz;
}

static void KiProgramPit(ULONGLONG Delta)
{
    ULONGLONG Count = (Delta * KI_PIT_HZ + 9999999) / 10000000;

    if (Count == 0)
        Count = 1;
    if (Count > 0xffff)
        Count = 0xffff; /* re-armed from the interrupt */
    seL4_X86_IOPort_Out8(KiPitPorts, KI_PIT_COMMAND, KI_PIT_MODE0);
    seL4_X86_IOPort_Out8(KiPitPorts, KI_PIT_FIRST, Count & 0xff);
    seL4_X86_IOPort_Out8(KiPitPorts, KI_PIT_FIRST, Count >> 8);
}

static void KiArmTimer(void)
{
    ULONGLONG Now = KeQueryInterruptTime();

    if (!KiTimerReady || KiTimers == NULL)
        return;
    KiProgramPit(KiTimers->DueTime > Now ? KiTimers->DueTime - Now : 0);
}

/* Ports, IRQ handler and a notification bound to ntos's thread. */
static NTSTATUS KiConnectPit(void)
{
    seL4_CPtr Badged = MmAllocateSlot();
    NTSTATUS Status;

    KiPitIrq = MmAllocateSlot();
    if (!Badged || !KiPitIrq)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (!NT_SUCCESS(KeGetIoPortCap(KI_PIT_FIRST, KI_PIT_LAST - KI_PIT_FIRST + 1, &KiPitPorts)))
        return STATUS_NOT_SUPPORTED;
    /* Mode 0 without a count: the counter stops, so no interrupt of the
     * firmware's periodic mode arrives once the pin is unmasked. */
    seL4_X86_IOPort_Out8(KiPitPorts, KI_PIT_COMMAND, KI_PIT_MODE0);
    Status = MmAllocateObject(seL4_NotificationObject, 0, &KiTimerNotification);
    if (!NT_SUCCESS(Status))
        return Status;
    if (seL4_CNode_Mint(MmRootCNode, Badged, MM_CPTR_DEPTH, MmRootCNode, KiTimerNotification,
                        MM_CPTR_DEPTH, seL4_AllRights, KI_BADGE_NOTIFY | KI_NOTIFY_TIMER) ||
        seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, MmRootCNode, KiPitIrq, MM_CPTR_DEPTH, 0,
                                  KI_PIT_IOAPIC_PIN, 0, 0, KI_PIT_VECTOR) ||
        seL4_IRQHandler_SetNotification(KiPitIrq, Badged) ||
        seL4_TCB_BindNotification(seL4_CapInitThreadTCB, KiTimerNotification) ||
        seL4_IRQHandler_Ack(KiPitIrq))
        return STATUS_NOT_SUPPORTED;
    return STATUS_SUCCESS;
}

seL4_CPtr KeGetBoundNotification(void)
{
    return KiTimerReady ? KiTimerNotification : 0;
}

void KiInitializeTimers(seL4_BootInfo *BootInfo)
{
    const seL4_BootInfoHeader *Chunk =
        seL4_BootInfo_FindChunk(BootInfo, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    NTSTATUS Status;

    if (Chunk)
        KiTimerTscMhz = ((const seL4_X86_BootInfo_TSCFreq *)Chunk)->freq_mhz;
    if (KiTimerTscMhz == 0) {
        KePrint("ke: no TSC frequency in the bootinfo; timers are off\n");
        return;
    }
    Status = KiConnectPit();
    if (!NT_SUCCESS(Status)) {
        KePrint("ke: cannot connect the PIT (0x%08x); timers are off\n", (unsigned)Status);
        return;
    }
    KiTimerReady = true;
}

bool KeCancelTimer(KTIMER *Timer)
{
    for (KTIMER **Link = &KiTimers; *Link; Link = &(*Link)->Next) {
        if (*Link == Timer) {
            *Link = Timer->Next;
            Timer->Queued = false;
            return true;
        }
    }
    return false;
}

void KeSetTimer(KTIMER *Timer, ULONGLONG DueTime, KTIMER_ROUTINE Routine, void *Context)
{
    KTIMER **Link = &KiTimers;

    KeCancelTimer(Timer);
    Timer->DueTime = DueTime;
    Timer->Routine = Routine;
    Timer->Context = Context;
    while (*Link && (*Link)->DueTime <= DueTime)
        Link = &(*Link)->Next;
    Timer->Next = *Link;
    *Link = Timer;
    Timer->Queued = true;
    if (KiTimers == Timer)
        KiArmTimer();
}

void KiTimerInterrupt(void)
{
    ULONGLONG Now = KeQueryInterruptTime();

    seL4_IRQHandler_Ack(KiPitIrq);
    while (KiTimers && KiTimers->DueTime <= Now) {
        KTIMER *Timer = KiTimers;
        KiTimers = Timer->Next;
        Timer->Queued = false;
        Timer->Routine(Timer, Timer->Context);
    }
    KiArmTimer();
}

/* A dispatcher wait on nothing with a time-out, so that an alert or the
 * end of the thread (KeThreadEnded) ends it too. */
NTSTATUS KeDelayExecution(ULONGLONG Interval)
{
    LARGE_INTEGER Timeout;
    NTSTATUS Status;

    ASSERT(KeGetCurrentThread() != NULL); /* only a request may wait */
    if (!KiTimerReady)
        return STATUS_NOT_SUPPORTED;
    Timeout.QuadPart = Interval > (ULONGLONG)LLONG_MAX ? LLONG_MIN + 1 : -(LONGLONG)Interval;
    Status = KeWaitForMultipleObjects(0, NULL, false, false, &Timeout);
    return Status == STATUS_TIMEOUT ? STATUS_SUCCESS : Status;
}

bool KeTimersAvailable(void)
{
    return KiTimerReady;
}

/* Timers are one-shot PIT counts, so they are as fine as one count (838 ns,
 * 9 units of 100 ns rounded up); the longest count (65535) is the coarsest
 * step before the interrupt re-arms the PIT. */
ULONG KeQueryTimerResolution(ULONG *Coarsest)
{
    *Coarsest = (ULONG)((0xffffull * 10000000ull + KI_PIT_HZ - 1) / KI_PIT_HZ);
    return (ULONG)((10000000ull + KI_PIT_HZ - 1) / KI_PIT_HZ);
}
