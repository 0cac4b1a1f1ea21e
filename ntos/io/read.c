/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtReadFile and NtWriteFile. Reads are synchronous: the bytes are copied
 * from the store (the archive) to the caller's buffer before the service
 * returns. The offset is ByteOffset, or the file's current position for a
 * file opened for synchronous I/O (which every read then moves). Writes
 * reach a read-only medium.
 */
#include "iop.h"
#include <ex.h>

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

/*
 * The Event and APC arguments: the event (EVENT_MODIFY_STATE) is reset now
 * and set when the transfer completes, as NT does; *Event is referenced
 * (NULL when none). FIXME: completion APCs come with the APC branch.
 */
static NTSTATUS IopReferenceCompletion(HANDLE Event, USER_ADDRESS ApcRoutine,
                                       DISPATCHER_HEADER **Object)
{
    NTSTATUS Status;

    *Object = NULL;
    if (ApcRoutine.Value != 0)
        return STATUS_NOT_IMPLEMENTED;
    if (Event == NULL)
        return STATUS_SUCCESS;
    Status =
        ObReferenceObjectByHandle(Event, ExEventObjectType, EVENT_MODIFY_STATE, (PVOID *)Object);
    if (NT_SUCCESS(Status))
        KeResetEvent(*Object);
    return Status;
}

NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                    USER_ADDRESS ApcContext, IO_STATUS_BLOCK *IoStatusBlock, USER_BUFFER Buffer,
                    ULONG Length, const LARGE_INTEGER *ByteOffset, USER_ADDRESS Key)
{
    PETHREAD Thread = KeGetCurrentThread();
    PFILE_OBJECT FileObject = NULL;
    DISPATCHER_HEADER *Completion = NULL;
    PIOP_STORE_FILE File;
    LONGLONG Offset;
    SIZE_T Count = 0;
    NTSTATUS Status = IoInitSystem();

    (void)ApcContext, (void)Key;
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(FileHandle, IoFileObjectType, FILE_READ_DATA,
                                           (PVOID *)&FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopReferenceCompletion(Event, ApcRoutine, &Completion);
    if (NT_SUCCESS(Status))
        Status = IopTransferOffset(FileObject, ByteOffset, &Offset);
    if (!NT_SUCCESS(Status))
        goto out;
    File = FileObject->FsContext;
    if (Length != 0 && (ULONGLONG)Offset >= File->Size) {
        Status = STATUS_END_OF_FILE;
    } else if (Length != 0) {
        Count = File->Size - (SIZE_T)Offset < Length ? File->Size - (SIZE_T)Offset : Length;
        Status =
            MmCopyToUser(Thread->Process, Buffer.Address, (const char *)File->Data + Offset, Count);
        if (!NT_SUCCESS(Status))
            goto out;
    }
    if (FileObject->Flags & FO_SYNCHRONOUS_IO)
        FileObject->CurrentByteOffset.QuadPart = Offset + (LONGLONG)Count;
    *IoStatusBlock = (IO_STATUS_BLOCK){.Status = Status, .Information = Count};
    if (Completion)
        KeSetEvent(Completion); /* the transfer is complete */
out:
    if (Completion)
        ObDereferenceObject(Completion);
    ObDereferenceObject(FileObject);
    return Status;
}

NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                     USER_ADDRESS ApcContext, IO_STATUS_BLOCK *IoStatusBlock, USER_BUFFER Buffer,
                     ULONG Length, const LARGE_INTEGER *ByteOffset, USER_ADDRESS Key)
{
    PFILE_OBJECT FileObject;
    ACCESS_MASK Granted = 0;
    NTSTATUS Status = IoInitSystem();

    (void)ApcContext, (void)Key, (void)IoStatusBlock, (void)Buffer, (void)Length;
    (void)ByteOffset;
    /* Writing needs FILE_WRITE_DATA or FILE_APPEND_DATA: the handle is
     * checked for either (NT accepts an append-only handle). */
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandleInProcess(KeGetCurrentThread()->Process, FileHandle,
                                                    IoFileObjectType, 0, (PVOID *)&FileObject,
                                                    &Granted, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Every store file is read-only: no handle gets write rights, and one
     * that had them would still find a write-protected medium. */
    if (!(Granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)))
        Status = STATUS_ACCESS_DENIED;
    else
        Status = STATUS_MEDIA_WRITE_PROTECTED;
    ObDereferenceObject(FileObject);
    return Status;
}
