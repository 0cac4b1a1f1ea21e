/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/devqueue.c: device queues (KDEVICE_QUEUE) and the StartIo packet
 * routines built on them: IoStartPacket queues an IRP to the device or,
 * when it is idle, hands it to DriverStartIo; IoStartNextPacket takes the
 * next one when the driver finished the current. The Ke* queue routines
 * live here rather than in ke/ because only the packet routines and
 * drivers that queue IRPs use them. Everything runs at DISPATCH_LEVEL under
 * the queue's owner (one IRP thread), so the queue's spin lock is unused.
 *
 * FIXME: Windows defers a StartIo call made from inside StartIo
 * (IoSetStartIoAttributes, DOE_SIO_*); here IoStartNextPacket from
 * StartIo recurses.
 */

#include "iop.h"

#define IOP_DEVICE_QUEUE_OBJECT 20 /* KOBJECTS DeviceQueueObject */

NTKRNL_EXPORT VOID NTAPI KeInitializeDeviceQueue(PKDEVICE_QUEUE DeviceQueue)
{
    DeviceQueue->Type = IOP_DEVICE_QUEUE_OBJECT;
    DeviceQueue->Size = sizeof(KDEVICE_QUEUE);
    InitializeListHead(&DeviceQueue->DeviceListHead);
    DeviceQueue->Lock = 0;
    DeviceQueue->Busy = FALSE;
}

/* FALSE: the queue was idle, it is busy now and the caller goes ahead
 * with the entry itself; TRUE: queued. */
NTKRNL_EXPORT BOOLEAN NTAPI KeInsertDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                PKDEVICE_QUEUE_ENTRY DeviceQueueEntry)
{
    if (!DeviceQueue->Busy) {
        DeviceQueue->Busy = TRUE;
        DeviceQueueEntry->Inserted = FALSE;
        return FALSE;
    }
    InsertTailList(&DeviceQueue->DeviceListHead, &DeviceQueueEntry->DeviceListEntry);
    DeviceQueueEntry->Inserted = TRUE;
    return TRUE;
}

/* As KeInsertDeviceQueue, kept sorted by SortKey (after equal keys). */
NTKRNL_EXPORT BOOLEAN NTAPI KeInsertByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                     PKDEVICE_QUEUE_ENTRY DeviceQueueEntry,
                                                     ULONG SortKey)
{
    PLIST_ENTRY Entry;

    DeviceQueueEntry->SortKey = SortKey;
    if (!DeviceQueue->Busy) {
        DeviceQueue->Busy = TRUE;
        DeviceQueueEntry->Inserted = FALSE;
        return FALSE;
    }
    for (Entry = DeviceQueue->DeviceListHead.Flink; Entry != &DeviceQueue->DeviceListHead;
         Entry = Entry->Flink)
        if (CONTAINING_RECORD(Entry, KDEVICE_QUEUE_ENTRY, DeviceListEntry)->SortKey > SortKey)
            break;
    InsertTailList(Entry, &DeviceQueueEntry->DeviceListEntry);
    DeviceQueueEntry->Inserted = TRUE;
    return TRUE;
}

static PKDEVICE_QUEUE_ENTRY IopTakeQueueEntry(PKDEVICE_QUEUE DeviceQueue, PLIST_ENTRY Entry)
{
    PKDEVICE_QUEUE_ENTRY QueueEntry =
        CONTAINING_RECORD(Entry, KDEVICE_QUEUE_ENTRY, DeviceListEntry);

    RemoveEntryList(Entry);
    QueueEntry->Inserted = FALSE;
    return QueueEntry;
}

/* The head entry, or NULL when the queue is empty: it goes idle then. */
NTKRNL_EXPORT PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveDeviceQueue(PKDEVICE_QUEUE DeviceQueue)
{
    if (IsListEmpty(&DeviceQueue->DeviceListHead)) {
        DeviceQueue->Busy = FALSE;
        return NULL;
    }
    return IopTakeQueueEntry(DeviceQueue, DeviceQueue->DeviceListHead.Flink);
}

/* The first entry whose key is at least SortKey, else the head. */
NTKRNL_EXPORT PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                                  ULONG SortKey)
{
    PLIST_ENTRY Entry;

    if (IsListEmpty(&DeviceQueue->DeviceListHead)) {
        DeviceQueue->Busy = FALSE;
        return NULL;
    }
    for (Entry = DeviceQueue->DeviceListHead.Flink; Entry != &DeviceQueue->DeviceListHead;
         Entry = Entry->Flink)
        if (CONTAINING_RECORD(Entry, KDEVICE_QUEUE_ENTRY, DeviceListEntry)->SortKey >= SortKey)
            return IopTakeQueueEntry(DeviceQueue, Entry);
    return IopTakeQueueEntry(DeviceQueue, DeviceQueue->DeviceListHead.Flink);
}

NTKRNL_EXPORT BOOLEAN NTAPI KeRemoveEntryDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                     PKDEVICE_QUEUE_ENTRY DeviceQueueEntry)
{
    if (!DeviceQueueEntry->Inserted)
        return FALSE;
    IopTakeQueueEntry(DeviceQueue, &DeviceQueueEntry->DeviceListEntry);
    return TRUE;
}

/* The IRP becomes the device's CurrentIrp and goes to DriverStartIo. */
static VOID IopStartIo(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    DeviceObject->CurrentIrp = Irp;
    DeviceObject->DriverObject->DriverStartIo(DeviceObject, Irp);
}

NTKRNL_EXPORT VOID NTAPI IoStartPacket(PDEVICE_OBJECT DeviceObject, PIRP Irp, PULONG Key,
                                       PDRIVER_CANCEL CancelFunction)
{
    PKDEVICE_QUEUE_ENTRY Entry = &Irp->Tail.Overlay.DeviceQueueEntry;
    KIRQL Irql = IopRaiseIrqlToDispatch(), CancelIrql = PASSIVE_LEVEL;
    BOOLEAN Queued;

    if (CancelFunction != NULL) {
        IoAcquireCancelSpinLock(&CancelIrql);
        Irp->CancelRoutine = CancelFunction;
    }
    Queued = Key != NULL ? KeInsertByKeyDeviceQueue(&DeviceObject->DeviceQueue, Entry, *Key)
                         : KeInsertDeviceQueue(&DeviceObject->DeviceQueue, Entry);
    if (!Queued) {
        if (CancelFunction != NULL)
            IoReleaseCancelSpinLock(CancelIrql);
        IopStartIo(DeviceObject, Irp);
    } else if (CancelFunction != NULL && Irp->Cancel) {
        /* Cancelled while it was being queued: its routine takes it off. */
        Irp->CancelIrql = CancelIrql;
        Irp->CancelRoutine = NULL;
        CancelFunction(DeviceObject, Irp);
    } else if (CancelFunction != NULL) {
        IoReleaseCancelSpinLock(CancelIrql);
    }
    IopLowerIrql(Irql);
}

/* Take the next queued IRP (by Key when ByKey) and start it, or leave the
 * device idle. A cancelable queue is manipulated under the cancel lock. */
static VOID IopStartNextPacket(PDEVICE_OBJECT DeviceObject, BOOLEAN Cancelable, BOOLEAN ByKey,
                               ULONG Key)
{
    PKDEVICE_QUEUE_ENTRY Entry;
    KIRQL CancelIrql = PASSIVE_LEVEL;

    if (Cancelable)
        IoAcquireCancelSpinLock(&CancelIrql);
    DeviceObject->CurrentIrp = NULL;
    Entry = ByKey ? KeRemoveByKeyDeviceQueue(&DeviceObject->DeviceQueue, Key)
                  : KeRemoveDeviceQueue(&DeviceObject->DeviceQueue);
    if (Cancelable)
        IoReleaseCancelSpinLock(CancelIrql);
    if (Entry != NULL)
        IopStartIo(DeviceObject, CONTAINING_RECORD(Entry, IRP, Tail.Overlay.DeviceQueueEntry));
}

NTKRNL_EXPORT VOID NTAPI IoStartNextPacket(PDEVICE_OBJECT DeviceObject, BOOLEAN Cancelable)
{
    IopStartNextPacket(DeviceObject, Cancelable, FALSE, 0);
}

NTKRNL_EXPORT VOID NTAPI IoStartNextPacketByKey(PDEVICE_OBJECT DeviceObject, BOOLEAN Cancelable,
                                                ULONG Key)
{
    IopStartNextPacket(DeviceObject, Cancelable, TRUE, Key);
}
