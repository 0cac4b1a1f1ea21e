/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/selftest_misc.c: the self-test (io/selftest.h) of the cancel-safe
 * queues, the share-access rules, the stack limits, IoIsOperationSynchronous
 * and driver reinitialisation.
 */

#include "iop.h"
#include "selftest.h"

/* ---- a cancel-safe queue of the test's own ------------------------------------------------ */

static LIST_ENTRY IopStQueue;
static ULONG IopStLocks, IopStCanceled;
static PIRP IopStLastCanceled;

static VOID NTAPI IopStCsqInsert(PIO_CSQ Csq, PIRP Irp)
{
    InsertTailList(&IopStQueue, &Irp->Tail.Overlay.ListEntry);
}

static NTSTATUS NTAPI IopStCsqInsertEx(PIO_CSQ Csq, PIRP Irp, PVOID InsertContext)
{
    if (InsertContext != NULL)
        return STATUS_DEVICE_BUSY;
    IopStCsqInsert(Csq, Irp);
    return STATUS_SUCCESS;
}

static VOID NTAPI IopStCsqRemove(PIO_CSQ Csq, PIRP Irp)
{
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
}

/* The IRP after Irp (or the first) whose key is PeekContext (any if NULL). */
static PIRP NTAPI IopStCsqPeek(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext)
{
    PLIST_ENTRY Entry = Irp != NULL ? Irp->Tail.Overlay.ListEntry.Flink : IopStQueue.Flink;

    for (; Entry != &IopStQueue; Entry = Entry->Flink) {
        PIRP Next = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);

        if (PeekContext == NULL || IoGetCurrentIrpStackLocation(Next)->Parameters.Read.Key ==
                                       (ULONG)(ULONG_PTR)PeekContext)
            return Next;
    }
    return NULL;
}

static VOID NTAPI IopStCsqAcquire(PIO_CSQ Csq, PKIRQL Irql)
{
    ST_CHECK_EQ(IopStLocks, 0);
    IopStLocks++;
    *Irql = PASSIVE_LEVEL;
}

static VOID NTAPI IopStCsqRelease(PIO_CSQ Csq, KIRQL Irql)
{
    IopStLocks--;
}

static VOID NTAPI IopStCsqCanceled(PIO_CSQ Csq, PIRP Irp)
{
    ST_CHECK_EQ(IopStLocks, 0);
    IopStCanceled++;
    IopStLastCanceled = Irp;
}

/* An IRP as a dispatch routine holds it: on its stack location, key Key. */
static PIRP IopStQueuedIrp(ULONG Key)
{
    PIRP Irp = IoAllocateIrp(1, FALSE);

    if (Irp != NULL) {
        IoSetNextIrpStackLocation(Irp);
        IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Key = Key;
    }
    return Irp;
}

static VOID IopStCsq(VOID)
{
    IO_CSQ Csq;
    IO_CSQ_IRP_CONTEXT ContextA, ContextD;
    PIRP A = IopStQueuedIrp(1), B = IopStQueuedIrp(2), C = IopStQueuedIrp(9), D = IopStQueuedIrp(4);
    PIRP E = IopStQueuedIrp(5);

    if (!ST_CHECK(A && B && C && D && E))
        return;
    InitializeListHead(&IopStQueue);
    ST_CHECK_EQ(IoCsqInitialize(&Csq, IopStCsqInsert, IopStCsqRemove, IopStCsqPeek, IopStCsqAcquire,
                                IopStCsqRelease, IopStCsqCanceled),
                STATUS_SUCCESS);
    IoCsqInsertIrp(&Csq, A, &ContextA);
    IoCsqInsertIrp(&Csq, B, NULL);
    IoCsqInsertIrp(&Csq, C, NULL);
    ST_CHECK(IoGetCurrentIrpStackLocation(A)->Control & SL_PENDING_RETURNED);
    ST_CHECK(A->CancelRoutine != NULL && ContextA.Irp == A && ContextA.Csq == &Csq);
    /* By key first, then in order; a removed one is gone for its context. */
    ST_CHECK(IoCsqRemoveNextIrp(&Csq, (PVOID)9) == C);
    ST_CHECK(IoCsqRemoveNextIrp(&Csq, NULL) == A);
    ST_CHECK(A->CancelRoutine == NULL && ContextA.Irp == NULL);
    ST_CHECK(IoCsqRemoveIrp(&Csq, &ContextA) == NULL);
    /* A cancel takes B off and completes it through the queue. */
    ST_CHECK(IoCancelIrp(B));
    ST_CHECK(IopStCanceled == 1 && IopStLastCanceled == B);
    ST_CHECK(IsListEmpty(&IopStQueue));
    ST_CHECK(IoCsqRemoveNextIrp(&Csq, NULL) == NULL);
    /* By context; and an IRP cancelled before it was queued. */
    IoCsqInsertIrp(&Csq, D, &ContextD);
    ST_CHECK(IoCsqRemoveIrp(&Csq, &ContextD) == D);
    E->Cancel = TRUE;
    IoCsqInsertIrp(&Csq, E, NULL);
    ST_CHECK(IopStCanceled == 2 && IopStLastCanceled == E && IsListEmpty(&IopStQueue));
    /* The Ex queue's insert routine may refuse. */
    ST_CHECK_EQ(IoCsqInitializeEx(&Csq, IopStCsqInsertEx, IopStCsqRemove, IopStCsqPeek,
                                  IopStCsqAcquire, IopStCsqRelease, IopStCsqCanceled),
                STATUS_SUCCESS);
    E->Cancel = FALSE;
    ST_CHECK_EQ(IoCsqInsertIrpEx(&Csq, E, NULL, (PVOID)1), STATUS_DEVICE_BUSY);
    ST_CHECK(IsListEmpty(&IopStQueue) && E->CancelRoutine == NULL);
    ST_CHECK_EQ(IoCsqInsertIrpEx(&Csq, E, NULL, NULL), STATUS_SUCCESS);
    ST_CHECK(IoCsqRemoveNextIrp(&Csq, NULL) == E);
    IoFreeIrp(A), IoFreeIrp(B), IoFreeIrp(C), IoFreeIrp(D), IoFreeIrp(E);
}

static VOID IopStShareAccess(VOID)
{
    FILE_OBJECT F1, F2, F3;
    SHARE_ACCESS Share;

    RtlZeroMemory(&F1, sizeof(F1)), RtlZeroMemory(&F2, sizeof(F2)), RtlZeroMemory(&F3, sizeof(F3));
    IoSetShareAccess(FILE_READ_DATA, FILE_SHARE_READ, &F1, &Share);
    ST_CHECK(Share.OpenCount == 1 && Share.Readers == 1 && Share.SharedRead == 1);
    ST_CHECK(Share.Writers == 0 && Share.SharedWrite == 0);
    /* F1 shares no writing; F2 must share the reading F1 does. */
    ST_CHECK_EQ(
        IoCheckShareAccess(FILE_WRITE_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, &F2, &Share, TRUE),
        STATUS_SHARING_VIOLATION);
    ST_CHECK_EQ(IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_WRITE, &F2, &Share, TRUE),
                STATUS_SHARING_VIOLATION);
    ST_CHECK_EQ(Share.OpenCount, 1);
    ST_CHECK_EQ(IoCheckShareAccess(FILE_READ_DATA, FILE_SHARE_READ, &F2, &Share, TRUE),
                STATUS_SUCCESS);
    ST_CHECK(Share.OpenCount == 2 && Share.Readers == 2 && F2.ReadAccess && F2.SharedRead);
    /* No data access: no conflict, not counted. */
    ST_CHECK_EQ(IoCheckShareAccess(FILE_READ_ATTRIBUTES, 0, &F3, &Share, TRUE), STATUS_SUCCESS);
    ST_CHECK_EQ(Share.OpenCount, 2);
    IoRemoveShareAccess(&F3, &Share);
    IoRemoveShareAccess(&F1, &Share);
    IoRemoveShareAccess(&F2, &Share);
    ST_CHECK(Share.OpenCount == 0 && Share.Readers == 0 && Share.SharedRead == 0);
    ST_CHECK_EQ(IoCheckShareAccess(FILE_WRITE_DATA, 0, &F1, &Share, FALSE), STATUS_SUCCESS);
    ST_CHECK_EQ(Share.OpenCount, 0); /* no update asked */
    IoUpdateShareAccess(&F1, &Share);
    ST_CHECK(Share.OpenCount == 1 && Share.Writers == 1);
}

static VOID IopStThreadAndIrp(VOID)
{
    ULONG_PTR Low, High;
    FILE_OBJECT File;
    PIRP Irp = IoAllocateIrp(1, FALSE);

    IoGetStackLimits(&Low, &High);
    ST_CHECK(Low < (ULONG_PTR)&Low && (ULONG_PTR)&Low < High);
    ST_CHECK(IoGetInitialStack() == (PVOID)High);
    if (!ST_CHECK(Irp != NULL))
        return;
    RtlZeroMemory(&File, sizeof(File));
    IoSetNextIrpStackLocation(Irp);
    IoGetCurrentIrpStackLocation(Irp)->FileObject = &File;
    ST_CHECK(!IoIsOperationSynchronous(Irp));
    File.Flags = FO_SYNCHRONOUS_IO;
    ST_CHECK(IoIsOperationSynchronous(Irp));
    Irp->Flags = IRP_PAGING_IO;
    ST_CHECK(!IoIsOperationSynchronous(Irp));
    Irp->Flags = IRP_SYNCHRONOUS_PAGING_IO | IRP_PAGING_IO;
    ST_CHECK(IoIsOperationSynchronous(Irp));
    File.Flags = 0;
    Irp->Flags = IRP_SYNCHRONOUS_API;
    ST_CHECK(IoIsOperationSynchronous(Irp));
    IoFreeIrp(Irp);
}

static ULONG IopStReinitCalls, IopStReinitCounts[3];

static VOID NTAPI IopStReinit(PDRIVER_OBJECT Driver, PVOID Context, ULONG Count)
{
    if (IopStReinitCalls < 3)
        IopStReinitCounts[IopStReinitCalls] = Count;
    IopStReinitCalls++;
    ST_CHECK(Context == (PVOID)IopStReinit);
    if (Count == 1)
        IoRegisterDriverReinitialization(Driver, IopStReinit, Context); /* once more */
}

static VOID IopStReinitialization(VOID)
{
    PDRIVER_OBJECT Driver;

    if (!ST_CHECK_EQ(IopCreateDriverObject(&Driver), STATUS_SUCCESS))
        return;
    IoRegisterDriverReinitialization(Driver, IopStReinit, (PVOID)IopStReinit);
    IopRunReinitialization(Driver);
    ST_CHECK_EQ(IopStReinitCalls, 2);
    ST_CHECK(IopStReinitCounts[0] == 1 && IopStReinitCounts[1] == 2);
}

VOID IopSelfTestMisc(VOID)
{
    IopStCsq();
    IopStShareAccess();
    IopStThreadAndIrp();
    IopStReinitialization();
}
