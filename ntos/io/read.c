/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtReadFile and NtWriteFile. Reads are synchronous: the bytes are copied
 * from the store (the archive) to the caller's buffer before the service
 * returns, and the completion (IO_STATUS_BLOCK, event, APC) happens then. The offset is ByteOffset,
 * or the file's current position for a file opened for synchronous I/O (which every read then
 * moves). Writes reach a read-only medium.
 */
#include "iop.h"
#include <ex.h>
#include <ke.h>

#include "ntsvc.h"

#define FILE_USE_FILE_POINTER_POSITION 0xfffffffe
#define FILE_WRITE_TO_END_OF_FILE      0xffffffff

/* The offset of a transfer: ByteOffset, or the current position. */
static NTSTATUS IopTransferOffset(PFILE_OBJECT FileObject, const LARGE_INTEGER *ByteOffset,
                                  LONGLONG *Offset)
{
    bool UsePosition =
        ByteOffset == NULL ||
        (ByteOffset->HighPart == -1 && ByteOffset->LowPart == FILE_USE_FILE_POINTER_POSITION);

    if (UsePosition) {
        if (!(FileObject->Flags & FO_SYNCHRONOUS_IO))
            return STATUS_INVALID_PARAMETER; /* an asynchronous file needs an offset */
        *Offset = FileObject->CurrentByteOffset.QuadPart;
        return STATUS_SUCCESS;
    }
    if (ByteOffset->QuadPart < 0)
        return STATUS_INVALID_PARAMETER;
    *Offset = ByteOffset->QuadPart;
    return STATUS_SUCCESS;
}

/* The Event argument: an event (EVENT_MODIFY_STATE), reset now and set when
 * the transfer completes, as NT does; *Object referenced, NULL for none. */
NTSTATUS IopReferenceEvent(HANDLE Event, DISPATCHER_HEADER **Object)
{
    NTSTATUS Status;

    *Object = NULL;
    if (Event == NULL)
        return STATUS_SUCCESS;
    Status =
        ObReferenceObjectByHandle(Event, ExEventObjectType, EVENT_MODIFY_STATE, (PVOID *)Object);
    if (NT_SUCCESS(Status))
        KeResetEvent(*Object);
    return Status;
}

/* What a completed transfer does: the IO_STATUS_BLOCK, the event, the APC
 * ApcRoutine(ApcContext, IoStatusBlock, 0) for the caller's next alertable
 * point. */
static NTSTATUS IopCompleteTransfer(NTSTATUS Status, SIZE_T Count, USER_ADDRESS IoStatusBlock,
                                    DISPATCHER_HEADER *Event, USER_ADDRESS ApcRoutine,
                                    USER_ADDRESS ApcContext)
{
    PETHREAD Thread = KeGetCurrentThread();
    IO_STATUS_BLOCK Iosb = {.Status = Status, .Information = Count};
    NTSTATUS Result = MmCopyToUser(Thread->Process, IoStatusBlock.Value, &Iosb, sizeof(Iosb));

    if (!NT_SUCCESS(Result))
        return Result;
    if (Event)
        KeSetEvent(Event);
    if (ApcRoutine.Value != 0)
        Result =
            KeInsertUserApc(Thread, ApcRoutine.Value, ApcContext.Value, IoStatusBlock.Value, 0);
    return NT_SUCCESS(Result) ? Status : Result;
}

/* The bytes at Offset: END_OF_FILE at or past the end, else up to Length. */
static NTSTATUS IopReadStoreFile(PFILE_OBJECT FileObject, LONGLONG Offset, USER_BUFFER Buffer,
                                 ULONG Length, SIZE_T *Count)
{
    PIOP_STORE_FILE File = FileObject->FsContext;

    *Count = 0;
    if (Length == 0)
        return STATUS_SUCCESS;
    if ((ULONGLONG)Offset >= File->Size)
        return STATUS_END_OF_FILE;
    *Count = File->Size - (SIZE_T)Offset < Length ? File->Size - (SIZE_T)Offset : Length;
    return MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address,
                        (const char *)File->Data + Offset, *Count);
}

/*
 * iocore: a read or write of a device file becomes an IRP. The buffer as
 * the device wants it: buffered (DO_BUFFERED_IO: a system buffer, copied
 * in before a write, out after a read), direct (DO_DIRECT_IO: the caller's
 * pages mapped into the driver, the MDL built over them) or neither
 * (neither branch: the same mapping, given as Irp->UserBuffer). A read's
 * buffer must be writable throughout (Windows' NtReadFile probes it for
 * writing whatever the device); a write's only lies in user space
 * (Windows' ProbeForRead), so a neither device that never touches it
 * takes one from anywhere there. Asynchronous files get STATUS_PENDING
 * when the driver leaves the IRP pending.
 */
static MAY_WAIT NTSTATUS IopTransferDevice(PFILE_OBJECT FileObject, UCHAR Major,
                                           DISPATCHER_HEADER *Event, USER_ADDRESS ApcRoutine,
                                           USER_ADDRESS ApcContext, USER_ADDRESS IoStatusBlock,
                                           USER_BUFFER Buffer, ULONG Length, LONGLONG Offset,
                                           ULONG Key)
{
    PDEVICE_OBJECT Device = FileObject->DeviceObject;
    ULONG Flags = IopDeviceFlags(Device);
    bool Read = Major == IRP_MJ_READ;
    PIOP_IRP Irp;
    NTSTATUS Status = IopAllocateIrp(Device->DriverObject, Device, FileObject, Major, &Irp);

    if (!NT_SUCCESS(Status))
        return Status;
    IopSetUserCompletion(Irp, IoStatusBlock, Event, ApcRoutine, ApcContext);
    Irp->Offset = Offset;
    Irp->Request.Parameters[0] = Length;
    Irp->Request.Parameters[1] = Key;
    Irp->Request.Parameters[2] = (ULONG64)Offset;
    if (Flags & DO_BUFFERED_IO) {
        Status = Read ? IopProbeCallerBuffer(Buffer.Address, Length, true) : STATUS_SUCCESS;
        if (NT_SUCCESS(Status))
            Status = IopMapSystemBuffer(Irp, Buffer.Address, Read ? 0 : Length, Length);
        if (Read) {
            Irp->CopyOut = Buffer.Address;
            Irp->CopyOutLength = Length;
            Irp->Request.IrpFlags |= IRP_INPUT_OPERATION;
        }
    } else if (Flags & DO_DIRECT_IO) {
        Status = IopMapCallerPages(Irp, Buffer.Address, Length, Read);
    } else {
        Status = IopMapNeitherBuffer(Irp, &Irp->User, Buffer.Address, Length, Read, !Read,
                                     &Irp->Request.UserBuffer);
    }
    if (NT_SUCCESS(Status))
        Status = IopCallDriver(Irp, (FileObject->Flags & FO_SYNCHRONOUS_IO) != 0);
    IopDereferenceIrp(Irp);
    return Status;
}

/* The offset of a device transfer: ByteOffset, the current position of a
 * synchronous file, or 0 (a device has no position of its own). */
static NTSTATUS IopDeviceOffset(PFILE_OBJECT FileObject, const LARGE_INTEGER *ByteOffset,
                                LONGLONG *Offset)
{
    if (ByteOffset == NULL && !(FileObject->Flags & FO_SYNCHRONOUS_IO)) {
        *Offset = 0;
        return STATUS_SUCCESS;
    }
    return IopTransferOffset(FileObject, ByteOffset, Offset);
}

NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                    USER_ADDRESS ApcContext, USER_ADDRESS IoStatusBlock, USER_BUFFER Buffer,
                    ULONG Length, const LARGE_INTEGER *ByteOffset, USER_ADDRESS Key)
{
    PFILE_OBJECT FileObject = NULL;
    DISPATCHER_HEADER *Completion = NULL;
    LONGLONG Offset;
    SIZE_T Count;
    NTSTATUS Status =
        KiProbeUser(KeGetCurrentThread()->Process, IoStatusBlock.Value, sizeof(IO_STATUS_BLOCK), 8,
                    FALSE, STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE);

    (void)Key;
    if (NT_SUCCESS(Status))
        Status = IoInitSystem();
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(FileHandle, IoFileObjectType, FILE_READ_DATA,
                                           (PVOID *)&FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopCheckCompletionApc(FileObject, ApcRoutine); /* iocomp */
    if (NT_SUCCESS(Status))
        Status = IopReferenceEvent(Event, &Completion);
    if (NT_SUCCESS(Status))
        Status = FileObject->DeviceObject ? IopDeviceOffset(FileObject, ByteOffset, &Offset)
                                          : IopTransferOffset(FileObject, ByteOffset, &Offset);
    if (!NT_SUCCESS(Status))
        goto out;
    if (FileObject->DeviceObject) {
        Status = IopTransferDevice(FileObject, IRP_MJ_READ, Completion, ApcRoutine, ApcContext,
                                   IoStatusBlock, Buffer, Length, Offset, (ULONG)Key.Value);
        goto out;
    }
    if (FileObject->FsContext->Directory) {
        Status = STATUS_INVALID_DEVICE_REQUEST; /* dirctl: a directory has no data (Windows) */
        goto out;
    }
    Status = IopReadStoreFile(FileObject, Offset, Buffer, Length, &Count);
    if (Status == STATUS_ACCESS_VIOLATION)
        goto out; /* the buffer: nothing completes */
    if (FileObject->Flags & FO_SYNCHRONOUS_IO)
        FileObject->CurrentByteOffset.QuadPart = Offset + (LONGLONG)Count;
    IopCompleteToPort(FileObject, ApcContext.Value, Status, Count); /* iocomp: bound files */
    Status = IopCompleteTransfer(Status, Count, IoStatusBlock, Completion, ApcRoutine, ApcContext);
out:
    if (Completion)
        ObDereferenceObject(Completion);
    ObDereferenceObject(FileObject);
    return Status;
}

NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                     USER_ADDRESS ApcContext, USER_ADDRESS IoStatusBlock, USER_BUFFER Buffer,
                     ULONG Length, const LARGE_INTEGER *ByteOffset, USER_ADDRESS Key)
{
    PFILE_OBJECT FileObject;
    DISPATCHER_HEADER *Completion = NULL;
    ACCESS_MASK Granted = 0;
    LONGLONG Offset;
    NTSTATUS Status =
        KiProbeUser(KeGetCurrentThread()->Process, IoStatusBlock.Value, sizeof(IO_STATUS_BLOCK), 8,
                    FALSE, STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE);

    /* Writing needs FILE_WRITE_DATA or FILE_APPEND_DATA: the handle is
     * checked for either (NT accepts an append-only handle). */
    if (NT_SUCCESS(Status))
        Status = IoInitSystem();
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandleInProcess(KeGetCurrentThread()->Process, FileHandle,
                                                    IoFileObjectType, 0, (PVOID *)&FileObject,
                                                    &Granted, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!(Granted & (FILE_WRITE_DATA | FILE_APPEND_DATA))) {
        Status = STATUS_ACCESS_DENIED;
    } else if (FileObject->DeviceObject == NULL) {
        /* Every store file is read-only: no handle gets write rights, and
         * one that had them would still find a write-protected medium. */
        Status = STATUS_MEDIA_WRITE_PROTECTED;
    } else {
        Status = IopCheckCompletionApc(FileObject, ApcRoutine); /* iocomp */
        if (NT_SUCCESS(Status))
            Status = IopReferenceEvent(Event, &Completion);
        if (NT_SUCCESS(Status))
            Status = IopDeviceOffset(FileObject, ByteOffset, &Offset);
        if (NT_SUCCESS(Status))
            Status = IopTransferDevice(FileObject, IRP_MJ_WRITE, Completion, ApcRoutine, ApcContext,
                                       IoStatusBlock, Buffer, Length, Offset, (ULONG)Key.Value);
        if (Completion)
            ObDereferenceObject(Completion);
    }
    ObDereferenceObject(FileObject);
    return Status;
}
