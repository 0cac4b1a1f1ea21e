/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Work items: ExQueueWorkItem puts a WORK_QUEUE_ITEM on the one work
 * queue and the worker threads (runtime threads at PASSIVE_LEVEL) run its
 * routine. Workers start on demand: when an item is queued and no worker
 * is idle (idle workers are spoken for when an item is queued), another
 * starts, up to EXP_MAX_WORKERS, so that an item waiting for a later one
 * does not stall the queue (NT has several workers per
 * queue type too; the types share the pool here). The queue and the
 * counts are under ExpWorkLock; ExpWorkCount (a KSEMAPHORE) counts items.
 *
 * IoAllocateWorkItem / IoQueueWorkItem(Ex) / IoFreeWorkItem wrap a
 * WORK_QUEUE_ITEM with the device object, referenced while the item is
 * queued or running (so the device cannot go while its routine runs).
 */
#include "ntoskrnl.h"

#define EXP_MAX_WORKERS 8
#define EXP_WORK_TAG    0x6B726F57u /* "Work" */

static LIST_ENTRY ExpWorkQueue = {&ExpWorkQueue, &ExpWorkQueue};
static KSPIN_LOCK ExpWorkLock;
static KSEMAPHORE ExpWorkCount;
static volatile LONG ExpWorkInitialized;
static LONG ExpWorkers, ExpIdleWorkers;

static VOID NTAPI ExpWorkerThread(PVOID Context)
{
    for (;;) {
        PWORK_QUEUE_ITEM Item;
        KIRQL Irql;

        KeWaitForSingleObject(&ExpWorkCount, Executive, KernelMode, FALSE, NULL);
        Irql = KeAcquireSpinLockRaiseToDpc(&ExpWorkLock);
        Item = CONTAINING_RECORD(RemoveHeadList(&ExpWorkQueue), WORK_QUEUE_ITEM, List);
        KeReleaseSpinLock(&ExpWorkLock, Irql);
        Item->List.Flink = NULL;
        Item->WorkerRoutine(Item->Parameter);
        if (KiReadIrql() != PASSIVE_LEVEL) {
            DbgPrint("ntoskrnl: work routine %p returned at IRQL %u\n", Item->WorkerRoutine,
                     KiReadIrql());
            KiWriteIrql(PASSIVE_LEVEL);
        }
        Irql = KeAcquireSpinLockRaiseToDpc(&ExpWorkLock);
        ExpIdleWorkers++;
        KeReleaseSpinLock(&ExpWorkLock, Irql);
    }
}

static VOID ExpInitializeWorkQueue(VOID)
{
    if (ExpWorkInitialized == 2)
        return;
    if (InterlockedCompareExchange(&ExpWorkInitialized, 1, 0) == 0) {
        KeInitializeSemaphore(&ExpWorkCount, 0, MAXLONG);
        InterlockedExchange(&ExpWorkInitialized, 2);
    }
    while (ExpWorkInitialized != 2)
        NtYieldExecution();
}

NTKRNL_EXPORT VOID NTAPI ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType)
{
    BOOLEAN StartWorker = FALSE;
    KIRQL Irql;

    ExpInitializeWorkQueue();
    Irql = KeAcquireSpinLockRaiseToDpc(&ExpWorkLock);
    InsertTailList(&ExpWorkQueue, &WorkItem->List);
    /* An idle worker is taken for this item now, not when it wakes, so
     * that the next item does not count on the same worker. */
    if (ExpIdleWorkers > 0) {
        ExpIdleWorkers--;
    } else if (ExpWorkers < EXP_MAX_WORKERS) {
        ExpWorkers++;
        StartWorker = TRUE;
    }
    KeReleaseSpinLock(&ExpWorkLock, Irql);
    if (StartWorker && !NT_SUCCESS(KiCreateThread(ExpWorkerThread, NULL, NULL, NULL, NULL))) {
        Irql = KeAcquireSpinLockRaiseToDpc(&ExpWorkLock);
        ExpWorkers--;
        KeReleaseSpinLock(&ExpWorkLock, Irql);
        if (ExpWorkers == 0)
            KeBugCheckEx(NO_MORE_SYSTEM_PTES, 3, 0, 0, 0);
    }
    KeReleaseSemaphore(&ExpWorkCount, 0, 1, FALSE);
}

/* ---- Io work items ------------------------------------------------------------------- */

typedef struct _IO_WORKITEM {
    WORK_QUEUE_ITEM Item;
    PVOID IoObject; /* the device (or driver) object */
    PIO_WORKITEM_ROUTINE Routine;
    PIO_WORKITEM_ROUTINE_EX RoutineEx;
    PVOID Context;
} IO_WORKITEM;

static VOID NTAPI ExpRunIoWorkItem(PVOID Parameter)
{
    PIO_WORKITEM WorkItem = Parameter;
    PVOID IoObject = WorkItem->IoObject;

    /* The routine may free the item: nothing of it is read afterwards. */
    if (WorkItem->RoutineEx)
        WorkItem->RoutineEx(IoObject, WorkItem->Context, WorkItem);
    else
        WorkItem->Routine(IoObject, WorkItem->Context);
    ObDereferenceObject(IoObject);
}

NTKRNL_EXPORT PIO_WORKITEM NTAPI IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject)
{
    PIO_WORKITEM WorkItem = ExAllocatePoolWithTag(NonPagedPool, sizeof(*WorkItem), EXP_WORK_TAG);

    if (WorkItem) {
        memset(WorkItem, 0, sizeof(*WorkItem));
        WorkItem->IoObject = DeviceObject;
    }
    return WorkItem;
}

NTKRNL_EXPORT VOID NTAPI IoFreeWorkItem(PIO_WORKITEM IoWorkItem)
{
    ExFreePoolWithTag(IoWorkItem, EXP_WORK_TAG);
}

NTKRNL_EXPORT VOID NTAPI IoQueueWorkItem(PIO_WORKITEM IoWorkItem,
                                         PIO_WORKITEM_ROUTINE WorkerRoutine,
                                         WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    IoWorkItem->Routine = WorkerRoutine;
    IoWorkItem->RoutineEx = NULL;
    IoWorkItem->Context = Context;
    ObReferenceObject(IoWorkItem->IoObject);
    IoWorkItem->Item.WorkerRoutine = ExpRunIoWorkItem;
    IoWorkItem->Item.Parameter = IoWorkItem;
    ExQueueWorkItem(&IoWorkItem->Item, QueueType);
}

NTKRNL_EXPORT VOID NTAPI IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem,
                                           PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
                                           WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    IoWorkItem->Routine = NULL;
    IoWorkItem->RoutineEx = WorkerRoutine;
    IoWorkItem->Context = Context;
    ObReferenceObject(IoWorkItem->IoObject);
    IoWorkItem->Item.WorkerRoutine = ExpRunIoWorkItem;
    IoWorkItem->Item.Parameter = IoWorkItem;
    ExQueueWorkItem(&IoWorkItem->Item, QueueType);
}

NTKRNL_EXPORT ULONG NTAPI IoSizeofWorkItem(VOID)
{
    return sizeof(IO_WORKITEM);
}

NTKRNL_EXPORT VOID NTAPI IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem)
{
    memset(IoWorkItem, 0, sizeof(*IoWorkItem));
    IoWorkItem->IoObject = IoObject;
}

NTKRNL_EXPORT VOID NTAPI IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem)
{
}
