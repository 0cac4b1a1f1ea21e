/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A queue of KEYBOARD_INPUT_DATA records with the reads waiting for them,
 * shared by i8042prt.sys (\Device\KeyboardPort0) and kbdclass.sys
 * (\Device\KeyboardClass0): both serve IRP_MJ_READ of whole records the way
 * Windows' keyboard class driver does. Length 0 succeeds at once; a length
 * that is not a multiple of the record gives STATUS_BUFFER_TOO_SMALL; else
 * the read pends until records are queued and completes with as many whole
 * records as fit (at least one). Reads are served in order and are
 * cancellable (STATUS_CANCELLED).
 *
 * Header-only (static inline functions): each driver includes it from one file.
 * The KBD_QUEUE must be the first member of the device extension, because
 * the cancel routine finds it from the device object.
 */
#pragma once

#include <ntddk.h>
#include <ntddkbd.h>

typedef struct _KBD_QUEUE {
    KSPIN_LOCK Lock;
    KEYBOARD_INPUT_DATA *Records; /* a ring of Size records */
    ULONG Size, Head, Count;
    ULONG Dropped; /* records lost because the ring was full */
    LIST_ENTRY Reads;
} KBD_QUEUE, *PKBD_QUEUE;

static inline VOID KbdQueueInitialize(PKBD_QUEUE Queue, KEYBOARD_INPUT_DATA *Storage, ULONG Size)
{
    KeInitializeSpinLock(&Queue->Lock);
    Queue->Records = Storage;
    Queue->Size = Size;
    Queue->Head = Queue->Count = Queue->Dropped = 0;
    InitializeListHead(&Queue->Reads);
}

static inline VOID KbdQueueCompleteList(PLIST_ENTRY Done)
{
    while (!IsListEmpty(Done)) {
        PIRP Irp = CONTAINING_RECORD(RemoveHeadList(Done), IRP, Tail.Overlay.ListEntry);
        IoCompleteRequest(Irp, IO_KEYBOARD_INCREMENT);
    }
}

/* Give queued records to waiting reads; Lock held. */
static inline VOID KbdQueueServe(PKBD_QUEUE Queue, PLIST_ENTRY Done)
{
    while (Queue->Count && !IsListEmpty(&Queue->Reads)) {
        PIRP Irp = CONTAINING_RECORD(Queue->Reads.Flink, IRP, Tail.Overlay.ListEntry);
        if (!IoSetCancelRoutine(Irp, NULL))
            return; /* its cancel routine is on the way and will go on */
        RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
        ULONG Room =
            IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length / sizeof(KEYBOARD_INPUT_DATA);
        KEYBOARD_INPUT_DATA *Out = Irp->AssociatedIrp.SystemBuffer;
        ULONG n = 0;
        for (; n < Room && Queue->Count; n++) {
            Out[n] = Queue->Records[Queue->Head];
            Queue->Head = (Queue->Head + 1) % Queue->Size;
            Queue->Count--;
        }
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Irp->IoStatus.Information = n * sizeof(KEYBOARD_INPUT_DATA);
        InsertTailList(Done, &Irp->Tail.Overlay.ListEntry);
    }
}

/* Queue Count records (at or below DISPATCH_LEVEL) and serve the reads.
 * A full ring drops the newest records, as Windows' drivers do. */
static inline VOID KbdQueueInsert(PKBD_QUEUE Queue, const KEYBOARD_INPUT_DATA *Records, ULONG Count)
{
    LIST_ENTRY Done;
    KIRQL Irql;
    InitializeListHead(&Done);
    KeAcquireSpinLock(&Queue->Lock, &Irql);
    for (ULONG i = 0; i < Count; i++) {
        if (Queue->Count == Queue->Size) {
            Queue->Dropped += Count - i;
            break;
        }
        Queue->Records[(Queue->Head + Queue->Count) % Queue->Size] = Records[i];
        Queue->Count++;
    }
    KbdQueueServe(Queue, &Done);
    KeReleaseSpinLock(&Queue->Lock, Irql);
    KbdQueueCompleteList(&Done);
}

static inline VOID KbdQueueCancelRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PKBD_QUEUE Queue = DeviceObject->DeviceExtension; /* its first member */
    LIST_ENTRY Done;
    KIRQL Irql;
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    InitializeListHead(&Done);
    KeAcquireSpinLock(&Queue->Lock, &Irql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    KbdQueueServe(Queue, &Done); /* a read behind it may have been held up */
    KeReleaseSpinLock(&Queue->Lock, Irql);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    KbdQueueCompleteList(&Done);
}

/* IRP_MJ_READ: completes Irp or leaves it pending; returns the status the
 * dispatch routine returns. */
static inline NTSTATUS KbdQueueRead(PKBD_QUEUE Queue, PIRP Irp)
{
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    LIST_ENTRY Done;
    KIRQL Irql;
    NTSTATUS Status = STATUS_PENDING;
    Irp->IoStatus.Information = 0;
    if (Length == 0)
        Status = STATUS_SUCCESS;
    else if (Length % sizeof(KEYBOARD_INPUT_DATA))
        Status = STATUS_BUFFER_TOO_SMALL;
    if (Status != STATUS_PENDING) {
        Irp->IoStatus.Status = Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return Status;
    }
    InitializeListHead(&Done);
    IoMarkIrpPending(Irp);
    KeAcquireSpinLock(&Queue->Lock, &Irql);
    IoSetCancelRoutine(Irp, KbdQueueCancelRead);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL)) {
        Irp->IoStatus.Status = STATUS_CANCELLED;
        InsertTailList(&Done, &Irp->Tail.Overlay.ListEntry);
    } else {
        InsertTailList(&Queue->Reads, &Irp->Tail.Overlay.ListEntry);
        KbdQueueServe(Queue, &Done);
    }
    KeReleaseSpinLock(&Queue->Lock, Irql);
    KbdQueueCompleteList(&Done);
    return STATUS_PENDING;
}

/* IRP_MJ_CLEANUP of FileObject (NULL: any): its waiting reads end with
 * STATUS_CANCELLED; other handles' reads stay. */
static inline VOID KbdQueueCancelFile(PKBD_QUEUE Queue, PFILE_OBJECT FileObject)
{
    LIST_ENTRY Done;
    KIRQL Irql;
    InitializeListHead(&Done);
    KeAcquireSpinLock(&Queue->Lock, &Irql);
    PLIST_ENTRY Entry = Queue->Reads.Flink;
    while (Entry != &Queue->Reads) {
        PIRP Irp = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);
        Entry = Entry->Flink;
        if (FileObject && IoGetCurrentIrpStackLocation(Irp)->FileObject != FileObject)
            continue;
        if (!IoSetCancelRoutine(Irp, NULL))
            continue;
        RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
        Irp->IoStatus.Status = STATUS_CANCELLED;
        Irp->IoStatus.Information = 0;
        InsertTailList(&Done, &Irp->Tail.Overlay.ListEntry);
    }
    KeReleaseSpinLock(&Queue->Lock, Irql);
    KbdQueueCompleteList(&Done);
}
