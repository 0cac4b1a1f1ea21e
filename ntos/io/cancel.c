/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCancelIoFile: every IRP the calling thread has outstanding on the file
 * is cancelled (host.c: one still queued completes CANCELLED at once, one
 * the driver holds gets IO_HOST_OP_CANCEL; it then completes as the driver
 * says, normally STATUS_CANCELLED). A thread that ends has all its IRPs
 * cancelled the same way (IoThreadEnded). FIXME: Windows also waits a
 * while for the cancelled IRPs to complete; NtCancelIoFile returns at
 * once and the caller sees them complete through their event, APC or
 * IO_STATUS_BLOCK.
 */
#include "iop.h"

#include "ntsvc.h"

NTSTATUS NtCancelIoFile(HANDLE FileHandle, IO_STATUS_BLOCK *IoStatusBlock)
{
    PFILE_OBJECT FileObject;
    NTSTATUS Status = IoInitSystem();

    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(FileHandle, IoFileObjectType, 0, (PVOID *)&FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    IopCancelIrps(KeGetCurrentThread(), FileObject);
    *IoStatusBlock = (IO_STATUS_BLOCK){.Status = STATUS_SUCCESS, .Information = 0};
    ObDereferenceObject(FileObject);
    return STATUS_SUCCESS;
}
