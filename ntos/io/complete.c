/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Completion of an IRP (the driver's final completion record, a cancel of
 * a request still queued, or its driver's end): buffered output copied
 * back, a synchronous file's position moved, the buffers unmapped, then
 * what the caller asked for: the IO_STATUS_BLOCK written, the Event set,
 * ApcRoutine(ApcContext, IoStatusBlock, 0) queued as a user APC or, on a
 * file bound to a completion port, a packet queued there. As on Windows, a
 * request that fails (NT_ERROR) without having been left pending reports
 * through its return value only: no IO_STATUS_BLOCK, APC or packet (the
 * Event is set; a synchronous file's IO_STATUS_BLOCK is written, as the
 * store's reads do).
 */
#include "iop.h"
#include <ex.h>

static void IopNotifyCaller(PIOP_IRP Irp)
{
    PETHREAD Thread = Irp->Thread;
    PFILE_OBJECT FileObject = Irp->FileObject;
    bool Reported = !NT_ERROR(Irp->Status) || Irp->PendingReturned;
    bool Synchronous = FileObject && (FileObject->Flags & FO_SYNCHRONOUS_IO);
    IO_STATUS_BLOCK Iosb = {.Status = Irp->Status, .Information = Irp->Information};

    if ((Reported || Synchronous) && Thread->Process->AddressSpace != NULL)
        MmCopyToUser(Thread->Process, Irp->IoStatusBlock.Value, &Iosb, sizeof(Iosb));
    if (Irp->Event)
        KeSetEvent(Irp->Event);
    if (!Reported)
        return;
    if (Irp->ApcRoutine != 0)
        KeInsertUserApc(Thread, Irp->ApcRoutine, Irp->ApcContext, Irp->IoStatusBlock.Value, 0);
    else if (FileObject)
        IopCompleteToPort(FileObject, Irp->ApcContext, Irp->Status, Irp->Information);
}

void IopMarkPending(PIOP_IRP Irp)
{
    if (Irp->PendingReturned || Irp->Completed)
        return;
    Irp->PendingReturned = true;
    KeSignalObject(&Irp->Returned, 1);
}

void IopCompleteIrp(PIOP_IRP Irp, NTSTATUS Status, ULONG_PTR Information, ULONG64 Cookie)
{
    PFILE_OBJECT FileObject = Irp->FileObject;
    UCHAR Major = Irp->Request.MajorFunction;

    ASSERT(!Irp->Completed);
    Irp->Completed = true;
    Irp->Status = Status;
    Irp->Information = Information;
    Irp->Cookie = Cookie;
    if (Irp->Thread && !NT_ERROR(Status)) {
        /* A buffered transfer's output; a driver cannot report more than
         * the caller's buffer holds. */
        if (Irp->Information > Irp->CopyOutLength && Irp->CopyOut)
            Irp->Information = Irp->CopyOutLength;
        if (Irp->CopyOut && !NT_SUCCESS(IopCopyOut(Irp, (ULONG)Irp->Information)))
            Irp->Status = STATUS_ACCESS_VIOLATION; /* the caller's buffer went */
        if (Irp->UserCompletion && FileObject && (FileObject->Flags & FO_SYNCHRONOUS_IO) &&
            (Major == IRP_MJ_READ || Major == IRP_MJ_WRITE))
            FileObject->CurrentByteOffset.QuadPart = Irp->Offset + (LONGLONG)Irp->Information;
    }
    IopReleaseBuffers(Irp);
    if (Irp->UserCompletion)
        IopNotifyCaller(Irp);
    KeSignalObject(&Irp->Done, 1);
    KeSignalObject(&Irp->Returned, 1);
    if (Irp->Xcall) /* xcall: the caller is another driver process */
        IopXcallCompleted(Irp);
    IopDereferenceIrp(Irp); /* the driver's reference */
}
