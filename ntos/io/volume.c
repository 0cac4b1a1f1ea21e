/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQueryVolumeInformationFile and NtFlushBuffersFile, and the request
 * every information service of a device file sends: IRP_MJ_QUERY_* /
 * SET_* with a system buffer, waited for whatever the file's mode (Windows
 * completes these synchronously for the caller). The store (\SystemRoot)
 * is no device: it answers no volume class (FIXME: with a file system).
 */
#include "iop.h"

#include "ntsvc.h"

#define FileFsVolumeInformation  1
#define FileFsDeviceInformation  4
#define FileFsMaximumInformation 15

MAY_WAIT NTSTATUS IopCallDriverForInformation(PFILE_OBJECT FileObject, UCHAR Major, ULONG Class,
                                              USER_BUFFER Buffer, ULONG Length, bool Input,
                                              IO_STATUS_BLOCK *IoStatusBlock)
{
    PDEVICE_OBJECT Device = FileObject->DeviceObject;
    PIOP_IRP Irp;
    NTSTATUS Status = IopAllocateIrp(Device->DriverObject, Device, FileObject, Major, &Irp);

    if (!NT_SUCCESS(Status))
        return Status;
    IopSetCaller(Irp);
    Irp->Request.Parameters[0] = Length;
    Irp->Request.Parameters[1] = Class;
    Status = Input ? STATUS_SUCCESS : IopProbeCallerBuffer(Buffer.Address, Length, true);
    if (NT_SUCCESS(Status))
        Status = IopMapSystemBuffer(Irp, Buffer.Address, Input ? Length : 0, Length);
    if (!Input) {
        Irp->CopyOut = Buffer.Address;
        Irp->CopyOutLength = Length;
    }
    if (NT_SUCCESS(Status))
        Status = IopCallDriver(Irp, true);
    if (Irp->Completed && !NT_ERROR(Status))
        *IoStatusBlock = (IO_STATUS_BLOCK){.Status = Status, .Information = Irp->Information};
    IopDereferenceIrp(Irp);
    return Status;
}

/* FileFsDeviceInformation is the I/O manager's, as on Windows: the
 * device's type and characteristics, no request to the driver (iofuzz). */
static NTSTATUS IopQueryDeviceInformation(PFILE_OBJECT FileObject, USER_BUFFER Buffer, ULONG Length,
                                          IO_STATUS_BLOCK *IoStatusBlock)
{
    ULONG Record[2] = {FileObject->DeviceObject->DeviceType,
                       FileObject->DeviceObject->Characteristics};
    NTSTATUS Status;

    if (Length < sizeof(Record))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address, Record, sizeof(Record));
    if (NT_SUCCESS(Status))
        *IoStatusBlock = (IO_STATUS_BLOCK){.Status = STATUS_SUCCESS, .Information = sizeof(Record)};
    return Status;
}

NTSTATUS NtQueryVolumeInformationFile(HANDLE FileHandle, IO_STATUS_BLOCK *IoStatusBlock,
                                      USER_BUFFER FsInformation, ULONG Length,
                                      ULONG FsInformationClass)
{
    PFILE_OBJECT FileObject;
    NTSTATUS Status;

    if (FsInformationClass < FileFsVolumeInformation ||
        FsInformationClass >= FileFsMaximumInformation)
        return STATUS_INVALID_INFO_CLASS;
    Status = IoInitSystem();
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(FileHandle, IoFileObjectType, 0, (PVOID *)&FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    if (FileObject->DeviceObject == NULL)
        Status = STATUS_INVALID_DEVICE_REQUEST; /* FIXME: the store has no volume yet */
    else if (FsInformationClass == FileFsDeviceInformation)
        Status = IopQueryDeviceInformation(FileObject, FsInformation, Length, IoStatusBlock);
    else
        Status = IopCallDriverForInformation(FileObject, IRP_MJ_QUERY_VOLUME_INFORMATION,
                                             FsInformationClass, FsInformation, Length, false,
                                             IoStatusBlock);
    ObDereferenceObject(FileObject);
    return Status;
}

NTSTATUS NtFlushBuffersFile(HANDLE FileHandle, IO_STATUS_BLOCK *IoStatusBlock)
{
    PFILE_OBJECT FileObject;
    ACCESS_MASK Granted;
    NTSTATUS Status = IoInitSystem();

    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandleInProcess(KeGetCurrentThread()->Process, FileHandle,
                                                    IoFileObjectType, 0, (PVOID *)&FileObject,
                                                    &Granted, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Windows: flushing needs write or append access. */
    if (!(Granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)))
        Status = STATUS_ACCESS_DENIED;
    else if (FileObject->DeviceObject == NULL)
        Status = STATUS_INVALID_DEVICE_REQUEST; /* no handle of the store can write */
    else
        Status = IopCallDriverForInformation(FileObject, IRP_MJ_FLUSH_BUFFERS, 0,
                                             (USER_BUFFER){0, 0}, 0, true, IoStatusBlock);
    ObDereferenceObject(FileObject);
    return Status;
}
