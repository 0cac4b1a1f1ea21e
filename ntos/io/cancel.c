/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCancelIoFile: every IRP the calling thread has outstanding on the file
 * is cancelled (host.c: one still queued completes CANCELLED at once, one
 * the driver holds gets IO_HOST_OP_CANCEL; it then completes as the driver
 * says, normally STATUS_CANCELLED). A thread that ends has all its IRPs
 * cancelled the same way (IoThreadEnded). Then, as Windows does, it
 * waits for the cancelled IRPs to complete, 10 ms at a time, so that their
 * IO_STATUS_BLOCKs are written when it returns. FIXME: Windows waits up to
 * minutes for a driver that ignores the cancel; this waits IOP_CANCEL_WAITS
 * times 10 ms (five seconds) and returns, the IRP still pending.
 */
#include "iop.h"

#include "ntsvc.h"

#define IOP_CANCEL_WAITS 500

/* Wait until none of Thread's IRPs on FileObject is outstanding, or the
 * wait limit passed, or the thread is ending. */
static MAY_WAIT void IopWaitForCancelledIrps(PETHREAD Thread, PFILE_OBJECT FileObject)
{
    LARGE_INTEGER Timeout = {.QuadPart = -100000}; /* 10 ms, relative */

    for (ULONG Waits = 0; Waits < IOP_CANCEL_WAITS; Waits++) {
        PIOP_IRP Irp = IopFindIrp(Thread, FileObject);
        DISPATCHER_HEADER *Done;
        NTSTATUS Status;

        if (Irp == NULL)
            return;
        Done = &Irp->Done;
        Status = KeWaitForMultipleObjects(1, &Done, false, false, &Timeout);
        IopDereferenceIrp(Irp);
        if (Status != STATUS_SUCCESS && Status != STATUS_TIMEOUT)
            return; /* the thread ends, or no timers */
    }
}

NTSTATUS NtCancelIoFile(HANDLE FileHandle, IO_STATUS_BLOCK *IoStatusBlock)
{
    PFILE_OBJECT FileObject;
    NTSTATUS Status = IoInitSystem();

    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(FileHandle, IoFileObjectType, 0, (PVOID *)&FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    IopCancelIrps(KeGetCurrentThread(), FileObject);
    IopWaitForCancelledIrps(KeGetCurrentThread(), FileObject);
    *IoStatusBlock = (IO_STATUS_BLOCK){.Status = STATUS_SUCCESS, .Information = 0};
    ObDereferenceObject(FileObject);
    return STATUS_SUCCESS;
}
