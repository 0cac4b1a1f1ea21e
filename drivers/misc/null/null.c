/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * \Device\Null: opens, cleanups and closes succeed; a read finds the end
 * of the file (STATUS_END_OF_FILE, nothing transferred); a write takes
 * everything (Information = Length); FileStandardInformation describes an
 * empty file; anything else is STATUS_INVALID_DEVICE_REQUEST. Built with
 * mingw-w64's stock ddk headers, as any driver writer would.
 */
#include <ntddk.h>

static PDEVICE_OBJECT NullDevice;

static NTSTATUS NullComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS NullQueryInformation(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    PFILE_STANDARD_INFORMATION Standard = Irp->AssociatedIrp.SystemBuffer;

    if (Stack->Parameters.QueryFile.FileInformationClass != FileStandardInformation)
        return NullComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (Stack->Parameters.QueryFile.Length < sizeof(*Standard) || Standard == NULL)
        return NullComplete(Irp, STATUS_INFO_LENGTH_MISMATCH, 0);
    RtlZeroMemory(Standard, sizeof(*Standard)); /* an empty file, no links, no allocation */
    return NullComplete(Irp, STATUS_SUCCESS, sizeof(*Standard));
}

static NTSTATUS NTAPI NullDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    (void)DeviceObject;
    switch (Stack->MajorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
        return NullComplete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_READ:
        return NullComplete(Irp, STATUS_END_OF_FILE, 0);
    case IRP_MJ_WRITE:
        return NullComplete(Irp, STATUS_SUCCESS, Stack->Parameters.Write.Length);
    case IRP_MJ_QUERY_INFORMATION:
        return NullQueryInformation(Irp, Stack);
    default:
        return NullComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID NTAPI NullUnload(PDRIVER_OBJECT DriverObject)
{
    (void)DriverObject;
    IoDeleteDevice(NullDevice);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\Null");
    NTSTATUS Status;

    (void)RegistryPath;
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_NULL, 0, FALSE, &NullDevice);
    if (!NT_SUCCESS(Status))
        return Status;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = NullDispatch;
    DriverObject->DriverUnload = NullUnload;
    return STATUS_SUCCESS;
}
