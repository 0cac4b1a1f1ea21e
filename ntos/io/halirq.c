/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt lines of driver processes (docs/io.md "Interrupts"):
 * NtDriverConnectInterrupt, NtDriverDisconnectInterrupt, and the lines a
 * driver process still holds when it ends.
 *
 * A line is an IOAPIC input (GSI) of the first IOAPIC; an ISA IRQ is the
 * pin of the same number, except IRQ 0, which the firmware routes to pin
 * 2 and which is ntos's timer (ke/timer.c). For a line ntos takes the IRQ
 * handler cap from seL4_CapIRQControl (user vector = the pin, so no two
 * lines share a kernel IRQ; the PIT has vector 0) and a new notification
 * that the handler signals (badge HALP_IRQ_BADGE), and copies both into the
 * CSpace of the calling thread, in two free slots of its CNode above the
 * ring's (HALP_FIRST_SLOT, from 5 on; ps.h, iohost.h): the notification with the read
 * right only (the thread waits on it), the handler cap whole (the thread
 * acknowledges the line with it). Each thread has a CSpace of its own, so
 * the runtime calls this service from the interrupt thread that will wait.
 * The pin is acknowledged once here so it is unmasked.
 *
 * One process per line (STATUS_DEVICE_ALREADY_ATTACHED otherwise). The
 * notification's badge says why it woke: HALP_IRQ_BADGE the line fired,
 * HALP_STOP_BADGE another thread of the driver asked to give the line
 * back (STATUS_PENDING to it): the holder thread then disconnects itself.
 * Giving a line back revokes ntos's caps, which removes the copies from the
 * driver's CNode with them (they are their children), then frees the IRQ:
 * a thread that ended meanwhile (its CNode gone) needs nothing more.
 */
#include "halp.h"

#include <ob.h>
#include <ps.h>
#include <string.h>

#include "ntsvc.h"

#define HALP_MAX_LINE   23 /* the first IOAPIC's 24 pins */
#define HALP_PIT_PIN    2  /* IRQ 0's pin: ntos's timer */
#define HALP_IRQ_BADGE  1  /* the line fired */
#define HALP_STOP_BADGE 2  /* another thread of the driver gives the line back */
/* The first slot for interrupt caps in a driver thread's CNode: ps's come
 * first, then the ring's notifications (iohost.h). */
#define HALP_FIRST_SLOT (IO_HOST_NTOS_SLOT + 1)
_Static_assert(HALP_FIRST_SLOT >= PS_THREAD_FIRST_FREE_SLOT &&
                   IO_HOST_REQUEST_SLOT >= PS_THREAD_FIRST_FREE_SLOT,
               "the ring's slots are above ps's");

typedef struct _HALP_LINE {
    PEPROCESS Process;                             /* NULL: free */
    PETHREAD Thread;                               /* referenced: the CSpace holding the copies */
    seL4_CPtr Handler, Notification, Badged, Stop; /* ntos's caps */
    UCHAR HandlerSlot, NotificationSlot;           /* in the thread's CNode */
} HALP_LINE;

static HALP_LINE HalpLines[HALP_MAX_LINE + 1];

PETHREAD HalpDriverThread(void)
{
    PETHREAD Thread = KeGetCurrentThread();

    if (Thread == NULL || Thread->Process == NULL || !Thread->Process->DriverHost)
        return NULL;
    return Thread;
}

/* Two free slots of Thread's CNode (not holding the caps of another line). */
static bool HalpFindSlots(PETHREAD Thread, UCHAR Slots[2])
{
    ULONG Found = 0;

    for (ULONG Slot = HALP_FIRST_SLOT; Slot < (1u << PS_THREAD_CNODE_BITS); Slot++) {
        bool Used = false;
        for (ULONG i = 0; i <= HALP_MAX_LINE; i++)
            Used |= HalpLines[i].Thread == Thread &&
                    (HalpLines[i].HandlerSlot == Slot || HalpLines[i].NotificationSlot == Slot);
        if (!Used)
            Slots[Found++] = (UCHAR)Slot;
        if (Found == 2)
            return true;
    }
    return false;
}

static void HalpFreeLine(HALP_LINE *Line)
{
    if (Line->Handler != seL4_CapNull) {
        seL4_IRQHandler_Clear(Line->Handler);
        /* The driver's copy is a child of ours: revoking removes it. */
        seL4_CNode_Revoke(MmRootCNode, Line->Handler, MM_CPTR_DEPTH);
        seL4_CNode_Delete(MmRootCNode, Line->Handler, MM_CPTR_DEPTH);
        MmFreeSlot(Line->Handler);
    }
    if (Line->Notification != seL4_CapNull)
        MmFreeObject(Line->Notification); /* revokes the badged cap and the driver's copy */
    if (Line->Badged != seL4_CapNull)
        MmFreeSlot(Line->Badged);
    if (Line->Stop != seL4_CapNull)
        MmFreeSlot(Line->Stop);
    if (Line->Thread != NULL)
        ObDereferenceObject(Line->Thread);
    memset(Line, 0, sizeof(*Line));
}

/* ntos's side of a line: the handler cap, the notification it signals. */
static NTSTATUS HalpCreateLine(HALP_LINE *Line, ULONG Pin, bool Level, bool ActiveLow)
{
    NTSTATUS Status;

    Line->Handler = MmAllocateSlot();
    Line->Badged = MmAllocateSlot();
    Line->Stop = MmAllocateSlot();
    if (Line->Handler == seL4_CapNull || Line->Badged == seL4_CapNull || Line->Stop == seL4_CapNull)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, MmRootCNode, Line->Handler, MM_CPTR_DEPTH, 0,
                                  Pin, Level, ActiveLow, Pin) != seL4_NoError) {
        MmFreeSlot(Line->Handler);
        Line->Handler = seL4_CapNull; /* nothing to revoke */
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Status = MmAllocateObject(seL4_NotificationObject, 0, &Line->Notification);
    if (!NT_SUCCESS(Status))
        return Status;
    if (seL4_CNode_Mint(MmRootCNode, Line->Badged, MM_CPTR_DEPTH, MmRootCNode, Line->Notification,
                        MM_CPTR_DEPTH, seL4_AllRights, HALP_IRQ_BADGE) != seL4_NoError ||
        seL4_CNode_Mint(MmRootCNode, Line->Stop, MM_CPTR_DEPTH, MmRootCNode, Line->Notification,
                        MM_CPTR_DEPTH, seL4_AllRights, HALP_STOP_BADGE) != seL4_NoError ||
        seL4_IRQHandler_SetNotification(Line->Handler, Line->Badged) != seL4_NoError)
        return STATUS_INSUFFICIENT_RESOURCES;
    return STATUS_SUCCESS;
}

/* Copies of the line's caps in the thread's CNode (depth: its radix). */
static NTSTATUS HalpGiveLine(HALP_LINE *Line, PETHREAD Thread)
{
    seL4_CPtr CNode = PsGetThreadCNode(Thread);
    seL4_CapRights_t WaitOnly = seL4_CapRights_new(0, 0, 1, 0);
    UCHAR Slots[2];

    if (CNode == seL4_CapNull || !HalpFindSlots(Thread, Slots))
        return STATUS_INSUFFICIENT_RESOURCES;
    if (seL4_CNode_Copy(CNode, Slots[0], PS_THREAD_CNODE_BITS, MmRootCNode, Line->Notification,
                        MM_CPTR_DEPTH, WaitOnly) != seL4_NoError)
        return STATUS_INSUFFICIENT_RESOURCES;
    Line->NotificationSlot = Slots[0];
    if (seL4_CNode_Copy(CNode, Slots[1], PS_THREAD_CNODE_BITS, MmRootCNode, Line->Handler,
                        MM_CPTR_DEPTH, seL4_AllRights) != seL4_NoError)
        return STATUS_INSUFFICIENT_RESOURCES;
    Line->HandlerSlot = Slots[1];
    return STATUS_SUCCESS;
}

NTSTATUS NtDriverConnectInterrupt(ULONG Vector, BOOLEAN LevelSensitive, BOOLEAN ActiveLow,
                                  ULONG_PTR *NotificationCap, ULONG_PTR *HandlerCap)
{
    PETHREAD Thread = HalpDriverThread();
    HALP_LINE *Line;
    NTSTATUS Status;

    if (Thread == NULL)
        return STATUS_ACCESS_DENIED;
    if (Vector > HALP_MAX_LINE || Vector == HALP_PIT_PIN)
        return STATUS_INVALID_PARAMETER; /* IRQ 2 is the PICs' cascade: no device has it */
    if (Vector == 0)
        return STATUS_DEVICE_ALREADY_ATTACHED; /* the PIT: ntos's timer */
    Line = &HalpLines[Vector];
    if (Line->Process != NULL)
        return STATUS_DEVICE_ALREADY_ATTACHED;
    ObReferenceObject(Thread);
    Line->Thread = Thread;
    Line->Process = Thread->Process;
    Status = HalpCreateLine(Line, Vector, LevelSensitive != 0, ActiveLow != 0);
    if (NT_SUCCESS(Status))
        Status = HalpGiveLine(Line, Thread);
    if (!NT_SUCCESS(Status)) {
        HalpFreeLine(Line);
        return Status;
    }
    seL4_IRQHandler_Ack(Line->Handler); /* IOAPIC pins start masked */
    *NotificationCap = Line->NotificationSlot;
    *HandlerCap = Line->HandlerSlot;
    return STATUS_SUCCESS;
}

NTSTATUS NtDriverDisconnectInterrupt(ULONG Vector)
{
    PETHREAD Thread = HalpDriverThread();
    HALP_LINE *Line;

    if (Thread == NULL)
        return STATUS_ACCESS_DENIED;
    if (Vector > HALP_MAX_LINE || HalpLines[Vector].Process != Thread->Process)
        return STATUS_INVALID_PARAMETER;
    Line = &HalpLines[Vector];
    /* Another thread: the holder may be blocked on the notification, and
     * revoking it now would restart its wait on an empty slot (a cap
     * fault). It is woken with the stop badge and gives the line back
     * itself. */
    if (Thread != Line->Thread && !Line->Thread->Terminated) {
        seL4_Signal(Line->Stop);
        return STATUS_PENDING;
    }
    HalpFreeLine(Line);
    return STATUS_SUCCESS;
}

void HalpReleaseInterrupts(PEPROCESS Process)
{
    for (ULONG i = 0; i <= HALP_MAX_LINE; i++)
        if (HalpLines[i].Process == Process)
            HalpFreeLine(&HalpLines[i]);
}

void IoHalProcessEnded(PEPROCESS Process)
{
    HalpReleaseInterrupts(Process);
    HalpReleaseMemory(Process);
}

/* Self-tests (ntos/tests/halirq.c): ntos's own caps of a connected line. */
bool HalpQueryLine(ULONG Vector, PETHREAD *Thread, seL4_CPtr *Notification, seL4_CPtr *Handler)
{
    if (Vector > HALP_MAX_LINE)
        return false;
    *Thread = HalpLines[Vector].Thread;
    *Notification = HalpLines[Vector].Notification;
    *Handler = HalpLines[Vector].Handler;
    return HalpLines[Vector].Process != NULL;
}
