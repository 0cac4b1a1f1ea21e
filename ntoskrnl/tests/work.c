/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Work items (ex/work.c): ExQueueWorkItem and the Io work items run on
 * worker threads at PASSIVE_LEVEL; an item waiting for a later one does
 * not stall the queue.
 */
#include "ktest.h"

typedef struct _KTEST_WORK {
    WORK_QUEUE_ITEM Item;
    KEVENT Done;
    KEVENT *WaitFor;
    KIRQL Irql;
    PKTHREAD Thread;
    PVOID Device, Context;
} KTEST_WORK;

static VOID NTAPI KTestWorkRoutine(PVOID Parameter)
{
    KTEST_WORK *W = Parameter;
    LARGE_INTEGER Wait = KTestMs(10000);

    W->Irql = KiReadIrql();
    W->Thread = KeGetCurrentThread();
    if (W->WaitFor)
        KeWaitForSingleObject(W->WaitFor, Executive, KernelMode, FALSE, &Wait);
    KeSetEvent(&W->Done, 0, FALSE);
}

static VOID KTestInitWork(KTEST_WORK *W)
{
    memset(W, 0, sizeof(*W));
    W->Irql = 0xFF;
    KeInitializeEvent(&W->Done, NotificationEvent, FALSE);
    ExInitializeWorkItem(&W->Item, KTestWorkRoutine, W);
}

TEST(work, item_runs_on_worker_at_passive)
{
    LARGE_INTEGER Wait = KTestMs(5000);
    KTEST_WORK W;

    KTestInitWork(&W);
    ExQueueWorkItem(&W.Item, DelayedWorkQueue);
    CHECK_STATUS(KeWaitForSingleObject(&W.Done, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK_EQ(W.Irql, PASSIVE_LEVEL);
    CHECK(W.Thread != NULL && W.Thread != KeGetCurrentThread());
    CHECK(W.Thread && W.Thread->SystemThread);
}

TEST(work, waiting_item_does_not_stall_the_queue)
{
    LARGE_INTEGER Wait = KTestMs(10000);
    KTEST_WORK First, Second;

    KTestInitWork(&First);
    KTestInitWork(&Second);
    First.WaitFor = &Second.Done; /* First ends only after Second ran */
    ExQueueWorkItem(&First.Item, CriticalWorkQueue);
    ExQueueWorkItem(&Second.Item, CriticalWorkQueue);
    CHECK_STATUS(KeWaitForSingleObject(&First.Done, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&Second.Done), 1);
    CHECK(First.Thread != Second.Thread);
}

static VOID NTAPI KTestIoWorkRoutine(PDEVICE_OBJECT Device, PVOID Context)
{
    KTEST_WORK *W = Context;

    W->Device = Device;
    W->Irql = KiReadIrql();
    W->Thread = KeGetCurrentThread();
    KeSetEvent(&W->Done, 0, FALSE);
}

static VOID NTAPI KTestIoWorkRoutineEx(PVOID IoObject, PVOID Context, PIO_WORKITEM Item)
{
    KTEST_WORK *W = Context;

    W->Device = IoObject;
    W->Context = Item;
    KeSetEvent(&W->Done, 0, FALSE);
}

TEST(work, io_work_items)
{
    LARGE_INTEGER Wait = KTestMs(5000);
    DEVICE_OBJECT *Device = ExAllocatePoolZero(NonPagedPool, sizeof(DEVICE_OBJECT), 0x76654454);
    PIO_WORKITEM Item = IoAllocateWorkItem(Device);
    KTEST_WORK W;

    if (!CHECK(Device && Item))
        return;
    KTestInitWork(&W);
    IoQueueWorkItem(Item, KTestIoWorkRoutine, DelayedWorkQueue, &W);
    CHECK_STATUS(KeWaitForSingleObject(&W.Done, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK(W.Device == Device);
    CHECK_EQ(W.Irql, PASSIVE_LEVEL);
    KTestInitWork(&W);
    IoQueueWorkItemEx(Item, KTestIoWorkRoutineEx, DelayedWorkQueue, &W);
    CHECK_STATUS(KeWaitForSingleObject(&W.Done, Executive, KernelMode, FALSE, &Wait),
                 STATUS_WAIT_0);
    CHECK(W.Device == Device);
    CHECK(W.Context == Item);
    KTestSleep(20); /* the worker drops its device reference after the routine */
    IoFreeWorkItem(Item);
    ExFreePool(Device);
}
