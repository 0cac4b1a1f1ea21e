/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRP_MJ_READ: reads queue on Ext->ReadQueue and are served in order from
 * the receive ring, by the dispatch routine, the ISR's DPC and the timer
 * DPCs (SerialServiceReads, under Ext->Lock). When a read completes follows
 * Windows' serial driver and SERIAL_TIMEOUTS (RI = ReadIntervalTimeout,
 * RM = ReadTotalTimeoutMultiplier, RC = ReadTotalTimeoutConstant):
 *
 *   - all bytes asked for arrived: STATUS_SUCCESS;
 *   - RI = MAXULONG, RM = RC = 0: at once, with whatever the ring holds
 *     (possibly 0 bytes), STATUS_SUCCESS;
 *   - RI = RM = MAXULONG, 0 < RC < MAXULONG: at once if the ring holds a
 *     byte, else as soon as one arrives; nothing within RC ms gives
 *     STATUS_TIMEOUT with 0 bytes;
 *   - otherwise a total time-out of RM * Length + RC ms (none if both are
 *     0) and, once a byte has arrived, an interval time-out of RI ms
 *     between bytes (none if 0): STATUS_TIMEOUT with the bytes read so far.
 *
 * With the default (all zero) a read waits for its full length. A shell
 * that wants each key as it is typed sets RI = RM = MAXULONG and some RC,
 * or reads one byte at a time.
 *
 * Cancel (IoCancelIrp, NtCancelIoFile, the handle's cleanup) completes a
 * read with STATUS_CANCELLED and the bytes it already holds.
 */
#include "serial.h"

static DRIVER_CANCEL SerialCancelRead;

static BOOLEAN SerialReturnsAtOnce(const SERIAL_TIMEOUTS *T)
{
    return T->ReadIntervalTimeout == MAXULONG && T->ReadTotalTimeoutMultiplier == 0 &&
           T->ReadTotalTimeoutConstant == 0;
}

static BOOLEAN SerialReturnsAtFirstByte(const SERIAL_TIMEOUTS *T)
{
    return T->ReadIntervalTimeout == MAXULONG && T->ReadTotalTimeoutMultiplier == MAXULONG &&
           T->ReadTotalTimeoutConstant != 0 && T->ReadTotalTimeoutConstant != MAXULONG;
}

static VOID SerialSetTimerMs(PKTIMER Timer, PKDPC Dpc, ULONGLONG Milliseconds)
{
    LARGE_INTEGER Due;
    Due.QuadPart = -(LONGLONG)(Milliseconds * 10000);
    KeSetTimer(Timer, Due, Dpc);
}

/* Start the total time-out of the read at the head of the queue. */
static VOID SerialArmTotalTimer(PSERIAL_EXTENSION Ext, ULONG Length)
{
    const SERIAL_TIMEOUTS *T = &Ext->Timeouts;
    ULONGLONG Total;
    if (SerialReturnsAtFirstByte(T))
        Total = T->ReadTotalTimeoutConstant;
    else
        Total = (ULONGLONG)T->ReadTotalTimeoutMultiplier * Length + T->ReadTotalTimeoutConstant;
    if (Total)
        SerialSetTimerMs(&Ext->TotalTimer, &Ext->TotalDpc, Total);
}

/* A timer DPC may already be queued when its read ends: resetting the
 * timers to not-signalled makes it find nothing to do (SerialReadTimedOut
 * acts only on a timer still signalled). */
static VOID SerialStopTimers(PSERIAL_EXTENSION Ext)
{
    KeCancelTimer(&Ext->TotalTimer);
    KeCancelTimer(&Ext->IntervalTimer);
    KeInitializeTimer(&Ext->TotalTimer);
    KeInitializeTimer(&Ext->IntervalTimer);
    Ext->ReadTimersArmed = FALSE;
    Ext->ReadTimedOut = FALSE;
}

/* Does the head read end now? Sets *Status. */
static BOOLEAN SerialReadIsDone(PSERIAL_EXTENSION Ext, PIRP Irp, ULONG Length, NTSTATUS *Status)
{
    ULONG Have = (ULONG)Irp->IoStatus.Information;
    *Status = STATUS_SUCCESS;
    if (Have == Length || SerialReturnsAtOnce(&Ext->Timeouts))
        return TRUE;
    if (Have && SerialReturnsAtFirstByte(&Ext->Timeouts))
        return TRUE;
    if (Ext->ReadTimedOut) {
        *Status = STATUS_TIMEOUT;
        return TRUE;
    }
    return FALSE;
}

/*
 * Serve the head of the queue as far as the ring allows, and the next reads
 * when it completes. Completed IRPs go to Done, to be completed by the
 * caller after it drops the lock. Called with Ext->Lock held.
 */
VOID SerialServiceReads(PSERIAL_EXTENSION Ext, PLIST_ENTRY Done)
{
    while (!IsListEmpty(&Ext->ReadQueue)) {
        PIRP Irp = CONTAINING_RECORD(Ext->ReadQueue.Flink, IRP, Tail.Overlay.ListEntry);
        ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
        ULONG Have = (ULONG)Irp->IoStatus.Information;
        ULONG Got =
            SerialTakeFromRing(Ext, (PUCHAR)Irp->AssociatedIrp.SystemBuffer + Have, Length - Have);
        Irp->IoStatus.Information = Have + Got;
        if (!Ext->ReadTimersArmed) {
            SerialArmTotalTimer(Ext, Length);
            Ext->ReadTimersArmed = TRUE;
        }
        NTSTATUS Status;
        if (!SerialReadIsDone(Ext, Irp, Length, &Status)) {
            ULONG Ri = Ext->Timeouts.ReadIntervalTimeout;
            if (Got && Ri && Ri != MAXULONG)
                SerialSetTimerMs(&Ext->IntervalTimer, &Ext->IntervalDpc, Ri);
            return;
        }
        if (!IoSetCancelRoutine(Irp, NULL))
            return; /* being cancelled: SerialCancelRead removes it and goes on */
        RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
        SerialStopTimers(Ext);
        Irp->IoStatus.Status = Status;
        InsertTailList(Done, &Irp->Tail.Overlay.ListEntry);
    }
}

VOID SerialCompleteList(PLIST_ENTRY Done)
{
    while (!IsListEmpty(Done)) {
        PIRP Irp = CONTAINING_RECORD(RemoveHeadList(Done), IRP, Tail.Overlay.ListEntry);
        IoCompleteRequest(Irp, IO_SERIAL_INCREMENT);
    }
}

static VOID SerialCancelRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSERIAL_EXTENSION Ext = DeviceObject->DeviceExtension;
    LIST_ENTRY Done;
    KIRQL Irql;
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    InitializeListHead(&Done);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    BOOLEAN WasHead = Ext->ReadQueue.Flink == &Irp->Tail.Overlay.ListEntry;
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    if (WasHead) {
        SerialStopTimers(Ext);
        SerialServiceReads(Ext, &Done);
    }
    KeReleaseSpinLock(&Ext->Lock, Irql);
    Irp->IoStatus.Status = STATUS_CANCELLED; /* Information: the bytes it got */
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    SerialCompleteList(&Done);
}

NTSTATUS SerialRead(PSERIAL_EXTENSION Ext, PIRP Irp)
{
    LIST_ENTRY Done;
    KIRQL Irql;
    Irp->IoStatus.Information = 0;
    if (IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length == 0) {
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
    InitializeListHead(&Done);
    IoMarkIrpPending(Irp);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    IoSetCancelRoutine(Irp, SerialCancelRead);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL)) {
        KeReleaseSpinLock(&Ext->Lock, Irql);
        Irp->IoStatus.Status = STATUS_CANCELLED;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_PENDING;
    }
    InsertTailList(&Ext->ReadQueue, &Irp->Tail.Overlay.ListEntry);
    if (Ext->ReadQueue.Flink == &Irp->Tail.Overlay.ListEntry)
        SerialServiceReads(Ext, &Done);
    KeReleaseSpinLock(&Ext->Lock, Irql);
    SerialCompleteList(&Done);
    return STATUS_PENDING;
}

/* IRP_MJ_CLEANUP and IOCTL_SERIAL_PURGE RXABORT: every queued read ends
 * with STATUS_CANCELLED. */
VOID SerialCancelAllReads(PSERIAL_EXTENSION Ext)
{
    LIST_ENTRY Done;
    KIRQL Irql;
    InitializeListHead(&Done);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    PLIST_ENTRY Entry = Ext->ReadQueue.Flink;
    while (Entry != &Ext->ReadQueue) {
        PIRP Irp = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);
        Entry = Entry->Flink;
        if (!IoSetCancelRoutine(Irp, NULL))
            continue; /* its cancel routine is on the way */
        RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
        Irp->IoStatus.Status = STATUS_CANCELLED;
        InsertTailList(&Done, &Irp->Tail.Overlay.ListEntry);
    }
    SerialStopTimers(Ext);
    KeReleaseSpinLock(&Ext->Lock, Irql);
    SerialCompleteList(&Done);
}

/* The ISR's DPC: new bytes or events arrived. */
VOID SerialRxDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PSERIAL_EXTENSION Ext = Context;
    LIST_ENTRY Done;
    InitializeListHead(&Done);
    KeAcquireSpinLockAtDpcLevel(&Ext->Lock);
    SerialServiceReads(Ext, &Done);
    SerialServiceWait(Ext, &Done);
    KeReleaseSpinLockFromDpcLevel(&Ext->Lock);
    SerialCompleteList(&Done);
}

/* A timer of the head read expired. KeSetTimer makes a timer not-signalled
 * again, so a DPC of an expiry that a later byte (interval) or the read's
 * end (SerialStopTimers) overtook does nothing. */
static VOID SerialReadTimedOut(PSERIAL_EXTENSION Ext, PKTIMER Timer)
{
    LIST_ENTRY Done;
    InitializeListHead(&Done);
    KeAcquireSpinLockAtDpcLevel(&Ext->Lock);
    if (KeReadStateTimer(Timer) && !IsListEmpty(&Ext->ReadQueue)) {
        Ext->ReadTimedOut = TRUE;
        SerialServiceReads(Ext, &Done);
    }
    KeReleaseSpinLockFromDpcLevel(&Ext->Lock);
    SerialCompleteList(&Done);
}

VOID SerialTotalTimeoutDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PSERIAL_EXTENSION Ext = Context;
    SerialReadTimedOut(Ext, &Ext->TotalTimer);
}

VOID SerialIntervalTimeoutDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PSERIAL_EXTENSION Ext = Context;
    SerialReadTimedOut(Ext, &Ext->IntervalTimer);
}
