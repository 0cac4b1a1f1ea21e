/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File objects (type "File"): creation for an open of a store file, with
 * NT's share-access rules (IoCheckShareAccess: a file open for reading by
 * one who does not share reading cannot be opened for reading again, and
 * so on), and their deletion, which removes the share access. Also the
 * I/O manager's initialisation.
 */
#include "iop.h"

POBJECT_TYPE IoFileObjectType;

static void IopDeleteFile(PVOID Object)
{
    PFILE_OBJECT FileObject = Object;
    PIOP_STORE_FILE File = FileObject->FsContext;

    if (File != NULL) {
        File->OpenCount--;
        File->Readers -= FileObject->ReadAccess;
        File->Writers -= FileObject->WriteAccess;
        File->Deleters -= FileObject->DeleteAccess;
        File->SharedRead -= FileObject->SharedRead;
        File->SharedWrite -= FileObject->SharedWrite;
        File->SharedDelete -= FileObject->SharedDelete;
    }
    if (FileObject->DeviceObject) {
        IopCloseDeviceFile(FileObject);
        ObDereferenceObject(FileObject->DeviceObject);
    }
    ExFreePoolWithTag(FileObject->FileName.Buffer, IOP_NAME_TAG);
    IopReleaseCompletionContext(FileObject); /* iocomp: the port binding */
    IopDeleteDirectoryScan(FileObject);      /* dirctl */
}

/* One request about the open's end (CLEANUP or CLOSE), sent without
 * waiting: the last reference may go anywhere, even on the loop's stack. */
static void IopSendFileEnd(PFILE_OBJECT FileObject, UCHAR Major)
{
    PDEVICE_OBJECT Device = FileObject->DeviceObject;
    PIOP_IRP Irp;

    if (!FileObject->Opened || Device->DriverObject->Ended)
        return;
    if (!NT_SUCCESS(IopAllocateIrp(Device->DriverObject, Device, NULL, Major, &Irp)))
        return;
    Irp->Request.File = FileObject->DriverCookie;
    IopSendIrp(Irp);
}

/* The file type's close procedure: IRP_MJ_CLEANUP when the last handle
 * goes, as on Windows (requests in flight still hold references, so CLOSE
 * may come much later). */
static void IopCloseFile(PVOID Object, ULONG HandleCount)
{
    PFILE_OBJECT FileObject = Object;

    if (HandleCount == 0 && FileObject->DeviceObject == NULL)
        IopCleanupStoreNotifications(FileObject); /* dirctl */
    if (HandleCount != 0 || FileObject->DeviceObject == NULL || FileObject->CleanupSent)
        return;
    FileObject->CleanupSent = true;
    IopSendFileEnd(FileObject, IRP_MJ_CLEANUP);
}

/* The last reference: CLEANUP if no handle ever closed (ntos's own file
 * objects have none), then CLOSE. */
void IopCloseDeviceFile(PFILE_OBJECT FileObject)
{
    if (!FileObject->CleanupSent)
        IopSendFileEnd(FileObject, IRP_MJ_CLEANUP);
    FileObject->CleanupSent = true;
    IopSendFileEnd(FileObject, IRP_MJ_CLOSE);
}

NTSTATUS IopCreateFileType(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = FILE_ALL_ACCESS,
        .GenericMapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
                           FILE_ALL_ACCESS},
        .PoolTag = IOP_FILE_TAG,
        .DeleteProcedure = IopDeleteFile,
        .CloseProcedure = IopCloseFile,
    };

    return ObCreateObjectType("File", &Init, &IoFileObjectType);
}

ACCESS_MASK IopMapFileAccess(ACCESS_MASK Access)
{
    if (Access & GENERIC_READ)
        Access |= FILE_GENERIC_READ;
    if (Access & GENERIC_WRITE)
        Access |= FILE_GENERIC_WRITE;
    if (Access & GENERIC_EXECUTE)
        Access |= FILE_GENERIC_EXECUTE;
    if (Access & GENERIC_ALL)
        Access |= FILE_ALL_ACCESS;
    /* The most a read-only medium grants: every right but writing. */
    if (Access & MAXIMUM_ALLOWED)
        Access |= FILE_ALL_ACCESS & ~(FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA |
                                      FILE_WRITE_ATTRIBUTES | DELETE | WRITE_DAC | WRITE_OWNER);
    return Access & FILE_ALL_ACCESS;
}

/* NT's share check of a new open against the file's current ones. */
static NTSTATUS IopCheckShareAccess(PIOP_STORE_FILE File, PFILE_OBJECT FileObject)
{
    if (!FileObject->ReadAccess && !FileObject->WriteAccess && !FileObject->DeleteAccess)
        return STATUS_SUCCESS; /* attribute-only opens never conflict */
    if ((FileObject->ReadAccess && File->SharedRead < File->OpenCount) ||
        (FileObject->WriteAccess && File->SharedWrite < File->OpenCount) ||
        (FileObject->DeleteAccess && File->SharedDelete < File->OpenCount) ||
        (File->Readers && !FileObject->SharedRead) || (File->Writers && !FileObject->SharedWrite) ||
        (File->Deleters && !FileObject->SharedDelete))
        return STATUS_SHARING_VIOLATION;
    return STATUS_SUCCESS;
}

static void IopSetShareAccess(PIOP_STORE_FILE File, PFILE_OBJECT FileObject)
{
    File->OpenCount++;
    File->Readers += FileObject->ReadAccess;
    File->Writers += FileObject->WriteAccess;
    File->Deleters += FileObject->DeleteAccess;
    File->SharedRead += FileObject->SharedRead;
    File->SharedWrite += FileObject->SharedWrite;
    File->SharedDelete += FileObject->SharedDelete;
}

static void IopFillFileObject(PFILE_OBJECT FileObject, PIOP_OPEN_PACKET Packet)
{
    ACCESS_MASK Access = Packet->DesiredAccess;
    ULONG Share = Packet->ShareAccess;
    bool Counts =
        Access & (FILE_READ_DATA | FILE_EXECUTE | FILE_WRITE_DATA | FILE_APPEND_DATA | DELETE);

    FileObject->GrantedAccess = Access;
    FileObject->ShareAccess = Share;
    FileObject->ReadAccess = (Access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    FileObject->WriteAccess = (Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    FileObject->DeleteAccess = (Access & DELETE) != 0;
    /* Share bits count only for opens that take data or delete access. */
    FileObject->SharedRead = Counts && (Share & FILE_SHARE_READ);
    FileObject->SharedWrite = Counts && (Share & FILE_SHARE_WRITE);
    FileObject->SharedDelete = Counts && (Share & FILE_SHARE_DELETE);
    FileObject->Mode =
        Packet->Options &
        (FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY | FILE_NO_INTERMEDIATE_BUFFERING |
         FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT | FILE_DELETE_ON_CLOSE);
    if (Packet->Options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))
        FileObject->Flags |= FO_SYNCHRONOUS_IO;
    if (Packet->Options & FILE_SYNCHRONOUS_IO_ALERT)
        FileObject->Flags |= FO_ALERTABLE_IO;
}

NTSTATUS IopCreateFileObject(PIOP_STORE_FILE File, const UNICODE_STRING *Name,
                             PIOP_OPEN_PACKET Packet, PFILE_OBJECT *Result)
{
    PFILE_OBJECT FileObject;
    NTSTATUS Status = ObCreateObject(IoFileObjectType, sizeof(*FileObject), (PVOID *)&FileObject);

    *Result = NULL;
    if (!NT_SUCCESS(Status))
        return Status;
    IopFillFileObject(FileObject, Packet);
    FileObject->FileName.Buffer = ExAllocatePoolWithTag(Name->Length, IOP_NAME_TAG);
    if (FileObject->FileName.Buffer == NULL) {
        ObDereferenceObject(FileObject);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memcpy(FileObject->FileName.Buffer, Name->Buffer, Name->Length);
    FileObject->FileName.Length = FileObject->FileName.MaximumLength = Name->Length;
    Status = IopCheckShareAccess(File, FileObject);
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(FileObject); /* no FsContext yet: nothing to remove */
        return Status;
    }
    IopSetShareAccess(File, FileObject);
    FileObject->FsContext = File;
    *Result = FileObject;
    return STATUS_SUCCESS;
}

/* iocore: a file object on Device for an open of RemainingName below it. */
NTSTATUS IopCreateDeviceFileObject(PDEVICE_OBJECT Device, const UNICODE_STRING *RemainingName,
                                   PIOP_OPEN_PACKET Packet, PFILE_OBJECT *Result)
{
    PFILE_OBJECT FileObject;
    USHORT Length = RemainingName->Length ? RemainingName->Length + sizeof(WCHAR) : 0;
    NTSTATUS Status = ObCreateObject(IoFileObjectType, sizeof(*FileObject), (PVOID *)&FileObject);

    *Result = NULL;
    if (!NT_SUCCESS(Status))
        return Status;
    IopFillFileObject(FileObject, Packet);
    if (Length) {
        /* The name below the device, as the driver gets it: "\" + the rest. */
        FileObject->FileName.Buffer = ExAllocatePoolWithTag(Length, IOP_NAME_TAG);
        if (FileObject->FileName.Buffer == NULL) {
            ObDereferenceObject(FileObject);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        FileObject->FileName.Buffer[0] = '\\';
        memcpy(FileObject->FileName.Buffer + 1, RemainingName->Buffer, RemainingName->Length);
        FileObject->FileName.Length = FileObject->FileName.MaximumLength = Length;
    }
    FileObject->DeviceObject = Device;
    ObReferenceObject(Device);
    *Result = FileObject;
    return STATUS_SUCCESS;
}

NTSTATUS IoGetFileData(PFILE_OBJECT FileObject, const void **Data, SIZE_T *Size)
{
    if (FileObject->FsContext == NULL || FileObject->FsContext->Directory)
        return STATUS_INVALID_FILE_FOR_SECTION;
    *Data = FileObject->FsContext->Data;
    *Size = FileObject->FsContext->Size;
    return STATUS_SUCCESS;
}

NTSTATUS IoInitSystem(void)
{
    static bool Done;
    NTSTATUS Status;

    if (Done)
        return STATUS_SUCCESS;
    Status = IoFileObjectType ? STATUS_SUCCESS : IopCreateFileType();
    if (NT_SUCCESS(Status))
        Status = IopCreateDriverTypes();
    if (NT_SUCCESS(Status) && IopSystemRoot == NULL)
        Status = IopCreateStoreType();
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObInsertPermanentObject(IopSystemRoot, "\\SystemRoot");
    if (NT_SUCCESS(Status))
        Done = true;
    return Status;
}
