/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wait mask (IOCTL_SERIAL_SET_WAIT_MASK, GET_WAIT_MASK, WAIT_ON_MASK):
 * the ISR records SERIAL_EV_* events in Ext->History; a WAIT_ON_MASK
 * completes with the events of the mask seen since the mask was set or the
 * last wait returned, at once if some are already there. Setting a new mask
 * completes a pending wait with 0 and forgets the history, as Windows does.
 * One wait at a time (a second gets STATUS_INVALID_PARAMETER); cancel
 * completes it with STATUS_CANCELLED.
 */
#include "serial.h"

static DRIVER_CANCEL SerialCancelWaitIrp;

typedef struct _SERIAL_SYNC_EVENTS {
    PSERIAL_EXTENSION Ext;
    ULONG Events;
} SERIAL_SYNC_EVENTS;

static BOOLEAN SerialAddEventsSync(PVOID Context)
{
    SERIAL_SYNC_EVENTS *Sync = Context;
    Sync->Ext->History |= Sync->Events;
    return TRUE;
}

VOID SerialAddEvents(PSERIAL_EXTENSION Ext, ULONG Events)
{
    SERIAL_SYNC_EVENTS Sync = {Ext, Events};
    SerialSynchronize(Ext, SerialAddEventsSync, &Sync);
}

static BOOLEAN SerialTakeEventsSync(PVOID Context)
{
    SERIAL_SYNC_EVENTS *Sync = Context;
    Sync->Events &= Sync->Ext->History;
    Sync->Ext->History &= ~Sync->Events;
    return TRUE;
}

/* The events of Mask that happened; they are forgotten. */
static ULONG SerialTakeEvents(PSERIAL_EXTENSION Ext, ULONG Mask)
{
    SERIAL_SYNC_EVENTS Sync = {Ext, Mask};
    SerialSynchronize(Ext, SerialTakeEventsSync, &Sync);
    return Sync.Events;
}

static BOOLEAN SerialResetHistorySync(PVOID Context)
{
    PSERIAL_EXTENSION Ext = Context;
    Ext->History = 0;
    Ext->IsrWaitMask = Ext->WaitMask;
    return TRUE;
}

/* Hand the pending wait to Done with Events; Lock held. */
static VOID SerialFinishWait(PSERIAL_EXTENSION Ext, ULONG Events, PLIST_ENTRY Done)
{
    PIRP Irp = Ext->WaitIrp;
    if (!IoSetCancelRoutine(Irp, NULL))
        return; /* SerialCancelWaitIrp owns it now */
    Ext->WaitIrp = NULL;
    *(PULONG)Irp->AssociatedIrp.SystemBuffer = Events;
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = sizeof(ULONG);
    InsertTailList(Done, &Irp->Tail.Overlay.ListEntry);
}

NTSTATUS SerialSetWaitMask(PSERIAL_EXTENSION Ext, ULONG Mask)
{
    LIST_ENTRY Done;
    KIRQL Irql;
    if (Mask & ~SERIAL_EV_ALL)
        return STATUS_INVALID_PARAMETER;
    InitializeListHead(&Done);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    if (Ext->WaitIrp)
        SerialFinishWait(Ext, 0, &Done);
    Ext->WaitMask = Mask;
    SerialSynchronize(Ext, SerialResetHistorySync, Ext);
    KeReleaseSpinLock(&Ext->Lock, Irql);
    SerialCompleteList(&Done);
    return STATUS_SUCCESS;
}

/* Complete the pending wait if its events happened; Lock held. */
VOID SerialServiceWait(PSERIAL_EXTENSION Ext, PLIST_ENTRY Done)
{
    if (!Ext->WaitIrp)
        return;
    ULONG Events = SerialTakeEvents(Ext, Ext->WaitMask);
    if (Events)
        SerialFinishWait(Ext, Events, Done);
}

static VOID SerialCancelWaitIrp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSERIAL_EXTENSION Ext = DeviceObject->DeviceExtension;
    KIRQL Irql;
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    if (Ext->WaitIrp == Irp)
        Ext->WaitIrp = NULL;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

/* IOCTL_SERIAL_WAIT_ON_MASK (output buffer already checked). */
NTSTATUS SerialWaitOnMask(PSERIAL_EXTENSION Ext, PIRP Irp)
{
    KIRQL Irql;
    NTSTATUS Status = STATUS_PENDING;
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    if (Ext->WaitMask == 0 || Ext->WaitIrp) {
        Status = STATUS_INVALID_PARAMETER;
        goto out;
    }
    ULONG Events = SerialTakeEvents(Ext, Ext->WaitMask);
    if (Events) {
        *(PULONG)Irp->AssociatedIrp.SystemBuffer = Events;
        Irp->IoStatus.Information = sizeof(ULONG);
        Status = STATUS_SUCCESS;
        goto out;
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, SerialCancelWaitIrp);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL)) {
        Irp->IoStatus.Status = STATUS_CANCELLED;
        Irp->IoStatus.Information = 0;
        KeReleaseSpinLock(&Ext->Lock, Irql);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_PENDING;
    }
    Ext->WaitIrp = Irp;
out:
    KeReleaseSpinLock(&Ext->Lock, Irql);
    if (Status != STATUS_PENDING) {
        Irp->IoStatus.Status = Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
    return Status;
}

/* IRP_MJ_CLEANUP: the pending wait ends with STATUS_CANCELLED. */
VOID SerialCancelWait(PSERIAL_EXTENSION Ext)
{
    KIRQL Irql;
    PIRP Irp = NULL;
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    if (Ext->WaitIrp && IoSetCancelRoutine(Ext->WaitIrp, NULL)) {
        Irp = Ext->WaitIrp;
        Ext->WaitIrp = NULL;
    }
    KeReleaseSpinLock(&Ext->Lock, Irql);
    if (Irp) {
        Irp->IoStatus.Status = STATUS_CANCELLED;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
