/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-test of interrupt lines for driver processes (io/halirq.c):
 * halprobe.exe irq checks the refusals of NtDriverConnectInterrupt and
 * NtDriverDisconnectInterrupt, connects IRQ 8 and sleeps. The test then
 * programs the RTC's periodic interrupt (register B's PIE, ports
 * 0x70/0x71 through ke/ioport.c) and sees the interrupts signalled on the
 * line's notification (the driver's copy is the same object) with the
 * line's badge, acknowledging each; checks that the caps sit in the
 * driver thread's CNode; ends the process and checks that the line is
 * free again (the IRQ can be taken anew).
 */
#include "ktest.h"

#include <io.h>
#include <ob.h>
#include <ps.h>

#include "../io/halp.h"

#define KT_RTC_LINE     8
#define KT_RTC_STATUS_A 0x0a
#define KT_RTC_STATUS_B 0x0b
#define KT_RTC_STATUS_C 0x0c
#define KT_RTC_PIE      0x40
#define KT_RTC_1024HZ   0x26
#define KT_INTERRUPTS   3

static PEPROCESS KtIrqProcess;

static bool KtIrqConnectedOrEnded(void)
{
    PETHREAD Holder;
    seL4_CPtr Notification, Handler;

    return KtIrqProcess->ActiveThreads == 0 ||
           HalpQueryLine(KT_RTC_LINE, &Holder, &Notification, &Handler);
}

static bool KtIrqEnded(void)
{
    return KtIrqProcess->ActiveThreads == 0;
}

static UCHAR KtRtc(seL4_CPtr Ports, UCHAR Register, int Value)
{
    seL4_X86_IOPort_Out8(Ports, 0x70, Register);
    if (Value >= 0)
        seL4_X86_IOPort_Out8(Ports, 0x71, (UCHAR)Value);
    return seL4_X86_IOPort_In8(Ports, 0x71).result;
}

/* Poll Notification for up to a second; the badge it carried, 0: none. */
static seL4_Word KtWaitSignal(seL4_CPtr Notification)
{
    ULONGLONG Deadline = KeQueryInterruptTime() + 10000000;
    seL4_Word Badge = 0;

    while (Badge == 0 && KeQueryInterruptTime() < Deadline)
        seL4_Poll(Notification, &Badge);
    return Badge;
}

/* Both caps are in the thread's CNode: a copy of each succeeds. */
static void KtCheckDriverSlots(PETHREAD Thread)
{
    seL4_CPtr CNode = PsGetThreadCNode(Thread), Temp = MmAllocateSlot();
    ULONG Found = 0;

    for (ULONG Slot = PS_THREAD_FIRST_FREE_SLOT; Slot < 16; Slot++) {
        if (seL4_CNode_Copy(MmRootCNode, Temp, MM_CPTR_DEPTH, CNode, Slot, PS_THREAD_CNODE_BITS,
                            seL4_AllRights) == seL4_NoError) {
            Found++;
            seL4_CNode_Delete(MmRootCNode, Temp, MM_CPTR_DEPTH);
        }
    }
    MmFreeSlot(Temp);
    CHECK_EQ(Found, 2);
}

static void KtTakeInterrupts(seL4_CPtr Notification, seL4_CPtr Handler)
{
    seL4_CPtr Ports;
    UCHAR StatusB;

    if (!CHECK_EQ(KeGetIoPortCap(0x70, 2, &Ports), STATUS_SUCCESS))
        return;
    KtRtc(Ports, KT_RTC_STATUS_A, KT_RTC_1024HZ);
    StatusB = KtRtc(Ports, KT_RTC_STATUS_B, -1);
    KtRtc(Ports, KT_RTC_STATUS_C, -1); /* nothing pending */
    KtRtc(Ports, KT_RTC_STATUS_B, StatusB | KT_RTC_PIE);
    for (ULONG i = 0; i < KT_INTERRUPTS; i++) {
        CHECK_EQ(KtWaitSignal(Notification), 1);
        KtRtc(Ports, KT_RTC_STATUS_C, -1); /* the RTC raises the next one only then */
        CHECK_EQ(seL4_IRQHandler_Ack(Handler), seL4_NoError);
    }
    KtRtc(Ports, KT_RTC_STATUS_B, StatusB & ~KT_RTC_PIE);
    KtRtc(Ports, KT_RTC_STATUS_C, -1);
}

/* The line is free: seL4 issues its handler again. */
static void KtCheckLineFree(void)
{
    PETHREAD Holder;
    seL4_CPtr Notification, Handler, Slot = MmAllocateSlot();

    CHECK(!HalpQueryLine(KT_RTC_LINE, &Holder, &Notification, &Handler));
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, MmRootCNode, Slot, MM_CPTR_DEPTH, 0,
                                       KT_RTC_LINE, 0, 0, KT_RTC_LINE),
             seL4_NoError);
    seL4_CNode_Delete(MmRootCNode, Slot, MM_CPTR_DEPTH);
    MmFreeSlot(Slot);
}

KTEST(hal_irq_rtc_line)
{
    PEPROCESS Process = NULL;
    PETHREAD Holder = NULL;
    seL4_CPtr Notification, Handler;

    if (!CHECK_EQ(PsCreateProcessFromArchive("halprobe.exe", u"halprobe.exe irq", &Process),
                  STATUS_SUCCESS))
        return;
    Process->DriverHost = true;
    ObReferenceObject(Process);
    KtIrqProcess = Process;
    KiRunServiceLoop(KtIrqConnectedOrEnded);
    if (CHECK(HalpQueryLine(KT_RTC_LINE, &Holder, &Notification, &Handler)) &&
        CHECK(Holder->Process == Process)) {
        KtCheckDriverSlots(Holder);
        KtTakeInterrupts(Notification, Handler);
    } else {
        KePrint("halprobe irq ended with 0x%08x\n", (unsigned)Process->ExitStatus);
    }
    PsTerminateProcess(Process, STATUS_SUCCESS);
    if (!KtIrqEnded()) /* the loop waits for a message before it asks */
        KiRunServiceLoop(KtIrqEnded);
    KtCheckLineFree();
    ObDereferenceObject(Process);
}
