/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/xcall.c: IoCallDriver to a device of another driver process
 * (include/nt/iohost.h, "calls between driver processes"). A proxy's
 * dispatch routine describes the IRP (its current stack location, which
 * the caller filled as its next one, and the buffers as this process sees
 * them) in an IO_HOST_CALL, marks the IRP pending and hands it to ntos
 * (NtDriverCallDriver), which returns at once. The other process's
 * completion comes back as an IO_HOST_OP_CALL_DONE request: the IRP gets
 * its IoStatus and IoCompleteRequest runs the callers' completion routines,
 * as a lower driver's completion would on Windows.
 *
 * That completion must come while the IRP thread is blocked (a dispatch
 * routine that forwards and waits on an event, IoForwardIrpSynchronously),
 * so once a proxy exists the ring is drained by a call thread: it handles
 * CALL_DONE itself and queues every other request for the IRP thread,
 * which then waits on the queue instead of the ring's notification.
 * Drivers without proxies keep the one thread.
 */

#include "iop.h"

#include <sel4/sel4.h>

NTSYSAPI NTSTATUS NTAPI NtDriverCallDriver(HANDLE DeviceHandle, PVOID Request);

/* A call in flight: the caller's IRP, known to ntos by Id. */
typedef struct _IOP_CALL {
    LIST_ENTRY Links; /* in IopCalls, under the host lock */
    ULONG64 Id;       /* IO_HOST_CALL.Irp */
    PIRP Irp;
    HANDLE Handle;        /* what the call went through (ntos's cancel needs only Id) */
    BOOLEAN CancelWanted; /* IoCancelIrp came; ntos may not know the call yet */
} IOP_CALL;

static LIST_ENTRY IopCalls = {&IopCalls, &IopCalls};
static ULONG64 IopLastCallId;

/* The requests the call thread took off the ring for the IRP thread. */
typedef struct _IOP_QUEUED {
    LIST_ENTRY Links;
    IO_HOST_REQUEST Request;
} IOP_QUEUED;

static LIST_ENTRY IopQueued = {&IopQueued, &IopQueued};
static KEVENT IopQueueEvent;
static volatile LONG IopCallThreadClaimed, IopCallThreadStarted;
static volatile LONG IopIrpThreadOnRing; /* the IRP thread may block on the notification */

/* ---- the proxy's dispatch routine ------------------------------------------------------- */

static IOP_CALL *IopFindCall(PIRP Irp, ULONG64 Id)
{
    PLIST_ENTRY Entry;

    for (Entry = IopCalls.Flink; Entry != &IopCalls; Entry = Entry->Flink) {
        IOP_CALL *Call = CONTAINING_RECORD(Entry, IOP_CALL, Links);

        if ((Irp != NULL && Call->Irp == Irp) || (Irp == NULL && Call->Id == Id))
            return Call;
    }
    return NULL;
}

static NTSTATUS IopSendCancelCall(HANDLE Handle, ULONG64 Id)
{
    IO_HOST_CALL Call;

    RtlZeroMemory(&Call, sizeof(Call));
    Call.Operation = IO_HOST_CALL_CANCEL;
    Call.Irp = Id;
    return NtDriverCallDriver(Handle, &Call);
}

/* The handle ntos knows the proxy's target by (iohost.h). */
static HANDLE IopProxyHandle(PDEVICE_OBJECT Proxy)
{
    IOP_PROXY *Private = IopProxy(Proxy);

    return Private->Source != NULL ? IopDevice(Private->Source)->Handle : Private->Handle;
}

/* The IRP's cancel routine while it is in the other process: ntos cancels
 * the forwarded IRP; its CALL_DONE completes this one. */
static VOID NTAPI IopCancelCall(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    HANDLE Handle = NULL;
    ULONG64 Id = 0;
    IOP_CALL *Call;

    /* The IRP may complete (and go) once the lock is released: only its
     * address is used after, as a key. */
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    IopAcquireHostLock();
    Call = IopFindCall(Irp, 0);
    if (Call != NULL) {
        Call->CancelWanted = TRUE;
        Id = Call->Id;
        Handle = Call->Handle;
    }
    IopReleaseHostLock();
    if (Id != 0)
        IopSendCancelCall(Handle, Id);
}

/* The cancel routine is taken back under the cancel spin lock, so one that
 * IoCancelIrp started has let go of the IRP before it completes. */
static VOID IopTakeBackCancel(PIRP Irp)
{
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    IoSetCancelRoutine(Irp, NULL);
    IoReleaseCancelSpinLock(Irql);
}

static VOID IopDescribeIrp(PDEVICE_OBJECT Proxy, PIRP Irp, IO_HOST_CALL *Call)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    RtlZeroMemory(Call, sizeof(*Call));
    Call->Operation = IO_HOST_CALL_IRP;
    Call->MajorFunction = Stack->MajorFunction;
    Call->MinorFunction = Stack->MinorFunction;
    Call->StackFlags = Stack->Flags;
    Call->IrpFlags = Irp->Flags;
    C_ASSERT(sizeof(Stack->Parameters) == sizeof(Call->Parameters));
    RtlCopyMemory(Call->Parameters, &Stack->Parameters, sizeof(Call->Parameters));
    Call->SystemBuffer = (ULONG64)(ULONG_PTR)Irp->AssociatedIrp.SystemBuffer;
    Call->UserBuffer = (ULONG64)(ULONG_PTR)Irp->UserBuffer;
    if (Irp->MdlAddress != NULL) {
        Call->MdlVa =
            (ULONG64)(ULONG_PTR)MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        Call->MdlLength = MmGetMdlByteCount(Irp->MdlAddress);
    }
    /* A lower proxy's IRPs carry their own file (iohost.h); a file proxy's
     * go on its open. */
    if (IopProxy(Proxy)->Source != NULL && Stack->FileObject != NULL) {
        Call->File = (ULONG64)(ULONG_PTR)Stack->FileObject;
        if (Stack->MajorFunction == IRP_MJ_CREATE) {
            Call->FileName = (ULONG64)(ULONG_PTR)Stack->FileObject->FileName.Buffer;
            Call->FileNameLength = Stack->FileObject->FileName.Length;
        }
    }
}

/*
 * IoCallDriver(Proxy, Irp) lands here with the proxy's stack location
 * current. The IRP is marked pending before ntos hears of it: its
 * completion may arrive on the call thread before NtDriverCallDriver
 * returns. If ntos refuses it, nothing was sent: the mark is taken back and
 * the IRP completes with ntos's status, which IoCallDriver returns.
 */
NTSTATUS NTAPI IopProxyDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    IO_HOST_CALL Description;
    IOP_CALL *Call = IopAllocate(sizeof(*Call));
    HANDLE Handle = IopProxyHandle(DeviceObject);
    NTSTATUS Status;
    ULONG64 Id;

    if (Call == NULL) {
        Irp->IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    IopDescribeIrp(DeviceObject, Irp, &Description);
    IopAcquireHostLock();
    Id = Call->Id = ++IopLastCallId;
    Call->Irp = Irp;
    Call->Handle = Handle;
    InsertTailList(&IopCalls, &Call->Links);
    IopReleaseHostLock();
    Description.Irp = Id;
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, IopCancelCall);
    /* Cancelled before it got here: it goes nowhere (the usual check of
     * a driver that queues an IRP). */
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL)
        Status = STATUS_CANCELLED;
    else
        Status = NtDriverCallDriver(Handle, &Description);
    IopAcquireHostLock();
    Call = IopFindCall(NULL, Id);
    if (Status != STATUS_PENDING) {
        /* Not sent, so no CALL_DONE: the call is still listed. */
        RemoveEntryList(&Call->Links);
        IopReleaseHostLock();
        IopFree(Call);
        IopTakeBackCancel(Irp);
        IoGetCurrentIrpStackLocation(Irp)->Control &= ~SL_PENDING_RETURNED;
        Irp->IoStatus.Status = Status;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return Status;
    }
    /* A cancel that came before ntos knew the call (it found nothing). */
    if (Call != NULL && Call->CancelWanted)
        IopSendCancelCall(Handle, Id);
    IopReleaseHostLock();
    return STATUS_PENDING;
}

/* IO_HOST_OP_CALL_DONE (iohost.h): a call unknown here (ntos never sends
 * one; a stray record) is ignored. */
VOID IopCallDone(const IO_HOST_REQUEST *Request)
{
    NTSTATUS Status = (NTSTATUS)(ULONG)Request->Parameters[1];
    IOP_CALL *Call;
    PIRP Irp;

    IopAcquireHostLock();
    Call = IopFindCall(NULL, Request->Parameters[0]);
    if (Call != NULL)
        RemoveEntryList(&Call->Links);
    IopReleaseHostLock();
    if (Call == NULL) {
        DbgPrint("completion of an unknown call 0x%llx ignored\n", Request->Parameters[0]);
        return;
    }
    Irp = Call->Irp;
    IopFree(Call);
    IopTakeBackCancel(Irp);
    if (Status == STATUS_PENDING)
        Status = STATUS_UNSUCCESSFUL; /* a final status cannot be PENDING */
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = (ULONG_PTR)Request->Parameters[2];
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

/* ---- the call thread -------------------------------------------------------------------- */

/* The next request for the IRP thread: what the call thread queued first,
 * then the ring (under the host lock, so the two keep the ring's order). */
BOOLEAN IopNextRequest(IO_HOST_REQUEST *Request)
{
    BOOLEAN Found = FALSE;

    IopAcquireHostLock();
    if (!IsListEmpty(&IopQueued)) {
        IOP_QUEUED *Entry = CONTAINING_RECORD(RemoveHeadList(&IopQueued), IOP_QUEUED, Links);

        *Request = Entry->Request;
        IopFree(Entry);
        Found = TRUE;
    } else {
        Found = IopTakeRequest(Request);
    }
    IopReleaseHostLock();
    return Found;
}

/* Take everything off the ring: CALL_DONE handled here, and a cancel of an
 * IRP already dispatched (the IRP thread may be blocked in a dispatch
 * routine waiting for that very IRP's lower driver); the rest queued. */
static VOID IopRouteRequests(VOID)
{
    IO_HOST_REQUEST Request;
    BOOLEAN Queued = FALSE;

    for (;;) {
        IopAcquireHostLock();
        if (!IopTakeRequest(&Request)) {
            IopReleaseHostLock();
            break;
        }
        if (Request.Operation == IO_HOST_OP_CANCEL && IopCancelRequest(&Request)) {
            IopReleaseHostLock();
            continue;
        }
        if (Request.Operation != IO_HOST_OP_CALL_DONE) {
            IOP_QUEUED *Entry = IopAllocate(sizeof(*Entry));

            if (Entry != NULL) {
                Entry->Request = Request;
                InsertTailList(&IopQueued, &Entry->Links);
                Queued = TRUE;
            } else if (Request.Operation == IO_HOST_OP_IRP) {
                IopPostCompletion(Request.Id, STATUS_INSUFFICIENT_RESOURCES, 0, 0);
            }
            IopReleaseHostLock();
            continue;
        }
        IopReleaseHostLock();
        IopCallDone(&Request);
    }
    if (!Queued)
        return;
    KeSetEvent(&IopQueueEvent, IO_NO_INCREMENT, FALSE);
    /* The IRP thread may still be on the notification (it went there just
     * before this thread started): wake it, it looks at the queue next. */
    if (IopIrpThreadOnRing)
        seL4_Signal((seL4_CPtr)IopHostInfo.RequestNotification);
}

static VOID NTAPI IopCallThread(PVOID Context)
{
    seL4_Word Badge;

    if (IopIrpThreadOnRing)
        seL4_Signal((seL4_CPtr)IopHostInfo.RequestNotification);
    for (;;) {
        IopRouteRequests();
        seL4_Wait((seL4_CPtr)IopHostInfo.RequestNotification, &Badge);
    }
}

VOID IopStartCallThread(VOID)
{
    if (IopHostless || InterlockedCompareExchange(&IopCallThreadClaimed, 1, 0) != 0)
        return;
    KeInitializeEvent(&IopQueueEvent, SynchronizationEvent, FALSE);
    InterlockedExchange(&IopCallThreadStarted, 1);
    if (!NT_SUCCESS(KiCreateThread(IopCallThread, NULL, NULL, NULL, NULL))) {
        /* FIXME: no call thread: completions wait until the IRP thread
         * drains the ring, so a dispatch routine that waits for one hangs. */
        DbgPrint("no call thread for calls to other driver processes\n");
        InterlockedExchange(&IopCallThreadStarted, 0);
        KeSetEvent(&IopQueueEvent, IO_NO_INCREMENT, FALSE); /* back to the ring */
    }
}

/* The IRP thread's wait for requests (ring.c's IopWaitForRequests). The
 * flag and the started state are written and read in opposite orders by
 * the two threads, so one of them sees the other. */
VOID IopWaitForQueuedRequests(VOID)
{
    seL4_Word Badge;

    if (IopCallThreadStarted) {
        KeWaitForSingleObject(&IopQueueEvent, Executive, KernelMode, FALSE, NULL);
        return;
    }
    InterlockedExchange(&IopIrpThreadOnRing, 1);
    if (!IopCallThreadStarted)
        seL4_Wait((seL4_CPtr)IopHostInfo.RequestNotification, &Badge);
    InterlockedExchange(&IopIrpThreadOnRing, 0);
}

/* ---- IoForwardIrpSynchronously ---------------------------------------------------------- */

static NTSTATUS NTAPI IopForwardedSynchronously(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                                PVOID Context)
{
    KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED; /* the caller goes on with the IRP */
}

/* Send Irp, its current stack location copied to the next, to
 * DeviceObject and wait until it completed there; the caller then
 * completes it. FALSE (nothing sent) when no stack location is left. A
 * device of another driver process is waited for like a local one: its
 * completion comes on the call thread. */
NTKRNL_EXPORT BOOLEAN NTAPI IoForwardIrpSynchronously(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KEVENT Done;

    if (Irp->CurrentLocation <= 1)
        return FALSE;
    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, IopForwardedSynchronously, &Done, TRUE, TRUE, TRUE);
    if (IoCallDriver(DeviceObject, Irp) == STATUS_PENDING)
        KeWaitForSingleObject(&Done, Executive, KernelMode, FALSE, NULL);
    return TRUE;
}
