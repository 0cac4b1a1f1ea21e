/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/csq.c: cancel-safe IRP queues (IoCsq*). The driver keeps the queue
 * and its lock (the IO_CSQ callbacks); the routines here pair the queue
 * with the IRP's cancel routine so that an IRP leaves it exactly once:
 * removed by the driver (IoCsqRemoveIrp / IoCsqRemoveNextIrp) or by a
 * cancel (the queue's CsqCompleteCanceledIrp then completes it). Whoever
 * clears the cancel routine first owns the IRP. The IRP's
 * Tail.Overlay.DriverContext[3] names the queue, or the IO_CSQ_IRP_CONTEXT
 * the driver gave (whose Irp field says whether the IRP is still queued).
 */

#include "iop.h"

static PIO_CSQ_IRP_CONTEXT IopCsqContext(PIRP Irp)
{
    PIO_CSQ_IRP_CONTEXT Context = Irp->Tail.Overlay.DriverContext[3];

    return Context != NULL && Context->Type == IO_TYPE_CSQ_IRP_CONTEXT ? Context : NULL;
}

static PIO_CSQ IopCsqOf(PIRP Irp)
{
    PIO_CSQ_IRP_CONTEXT Context = IopCsqContext(Irp);

    return Context != NULL ? Context->Csq : (PIO_CSQ)Irp->Tail.Overlay.DriverContext[3];
}

/* Take Irp off its queue (the caller owns it now: its cancel routine is
 * cleared or ran). Under the queue's lock. */
static VOID IopCsqUnlink(PIO_CSQ Csq, PIRP Irp)
{
    PIO_CSQ_IRP_CONTEXT Context = IopCsqContext(Irp);

    Csq->CsqRemoveIrp(Csq, Irp);
    if (Context != NULL)
        Context->Irp = NULL;
    Irp->Tail.Overlay.DriverContext[3] = NULL;
}

static VOID NTAPI IopCsqCancel(PDEVICE_OBJECT Device, PIRP Irp)
{
    PIO_CSQ Csq = IopCsqOf(Irp);
    KIRQL Irql;

    IoReleaseCancelSpinLock(Irp->CancelIrql);
    Csq->CsqAcquireLock(Csq, &Irql);
    IopCsqUnlink(Csq, Irp);
    Csq->CsqReleaseLock(Csq, Irql);
    Csq->CsqCompleteCanceledIrp(Csq, Irp);
}

static NTSTATUS IopCsqInitialize(PIO_CSQ Csq, ULONG Type, PVOID Insert, PIO_CSQ_REMOVE_IRP Remove,
                                 PIO_CSQ_PEEK_NEXT_IRP Peek, PIO_CSQ_ACQUIRE_LOCK Acquire,
                                 PIO_CSQ_RELEASE_LOCK Release,
                                 PIO_CSQ_COMPLETE_CANCELED_IRP CompleteCanceled)
{
    Csq->Type = Type;
    Csq->CsqInsertIrp = (PIO_CSQ_INSERT_IRP)Insert;
    Csq->CsqRemoveIrp = Remove;
    Csq->CsqPeekNextIrp = Peek;
    Csq->CsqAcquireLock = Acquire;
    Csq->CsqReleaseLock = Release;
    Csq->CsqCompleteCanceledIrp = CompleteCanceled;
    Csq->ReservePointer = NULL;
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI IoCsqInitialize(PIO_CSQ Csq, PIO_CSQ_INSERT_IRP CsqInsertIrp,
                                             PIO_CSQ_REMOVE_IRP CsqRemoveIrp,
                                             PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                                             PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock,
                                             PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                             PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
{
    return IopCsqInitialize(Csq, IO_TYPE_CSQ, (PVOID)CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp,
                            CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp);
}

NTKRNL_EXPORT NTSTATUS NTAPI IoCsqInitializeEx(PIO_CSQ Csq, PIO_CSQ_INSERT_IRP_EX CsqInsertIrp,
                                               PIO_CSQ_REMOVE_IRP CsqRemoveIrp,
                                               PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                                               PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock,
                                               PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                               PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
{
    return IopCsqInitialize(Csq, IO_TYPE_CSQ_EX, (PVOID)CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp,
                            CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp);
}

/*
 * Queue Irp (marked pending) with the queue's cancel routine. An IRP
 * already cancelled comes straight back off and is completed as
 * cancelled. The driver's CsqInsertIrpEx may refuse it: then it is not
 * queued and its status is returned.
 */
NTKRNL_EXPORT NTSTATUS NTAPI IoCsqInsertIrpEx(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context,
                                              PVOID InsertContext)
{
    NTSTATUS Status = STATUS_SUCCESS;
    KIRQL Irql;

    Csq->CsqAcquireLock(Csq, &Irql);
    if (Csq->Type == IO_TYPE_CSQ_EX)
        Status = ((PIO_CSQ_INSERT_IRP_EX)(ULONG_PTR)Csq->CsqInsertIrp)(Csq, Irp, InsertContext);
    else
        Csq->CsqInsertIrp(Csq, Irp);
    if (!NT_SUCCESS(Status)) {
        Csq->CsqReleaseLock(Csq, Irql);
        return Status;
    }
    if (Context != NULL) {
        Context->Type = IO_TYPE_CSQ_IRP_CONTEXT;
        Context->Irp = Irp;
        Context->Csq = Csq;
        Irp->Tail.Overlay.DriverContext[3] = Context;
    } else {
        Irp->Tail.Overlay.DriverContext[3] = Csq;
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, IopCsqCancel);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
        IopCsqUnlink(Csq, Irp);
        Csq->CsqReleaseLock(Csq, Irql);
        Csq->CsqCompleteCanceledIrp(Csq, Irp);
        return Status;
    }
    Csq->CsqReleaseLock(Csq, Irql);
    return Status;
}

NTKRNL_EXPORT VOID NTAPI IoCsqInsertIrp(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context)
{
    IoCsqInsertIrpEx(Csq, Irp, Context, NULL);
}

/* The first queued IRP the driver's peek routine offers (for PeekContext)
 * that is not being cancelled, off the queue; NULL if none. */
NTKRNL_EXPORT PIRP NTAPI IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext)
{
    PIRP Irp;
    KIRQL Irql;

    Csq->CsqAcquireLock(Csq, &Irql);
    for (Irp = Csq->CsqPeekNextIrp(Csq, NULL, PeekContext); Irp != NULL;
         Irp = Csq->CsqPeekNextIrp(Csq, Irp, PeekContext)) {
        if (IoSetCancelRoutine(Irp, NULL) != NULL) {
            IopCsqUnlink(Csq, Irp);
            break;
        }
    }
    Csq->CsqReleaseLock(Csq, Irql);
    return Irp;
}

/* The IRP Context names, off the queue; NULL if it was cancelled (or
 * removed) already. */
NTKRNL_EXPORT PIRP NTAPI IoCsqRemoveIrp(PIO_CSQ Csq, PIO_CSQ_IRP_CONTEXT Context)
{
    PIRP Irp;
    KIRQL Irql;

    Csq->CsqAcquireLock(Csq, &Irql);
    Irp = Context->Irp;
    if (Irp != NULL && IoSetCancelRoutine(Irp, NULL) != NULL)
        IopCsqUnlink(Csq, Irp);
    else
        Irp = NULL;
    Csq->CsqReleaseLock(Csq, Irql);
    return Irp;
}
