/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhtest.sys: the driver the runtime's self-test (io/selftest.c) loads and
 * drives through the request ring. Built like every driver (stock ddk
 * headers, mingw-w64's libntoskrnl.a), it makes \Device\DhTest with a
 * \??\DhTest link and answers:
 *   create/close  counts opens; FsContext = the name's length
 *   read          the bytes ByteOffset+0, +1, ... (buffered I/O)
 *   write         adds the bytes to a sum that DHTEST_IOCTL_SUM returns
 *   ioctl         DHTEST_IOCTL_REVERSE: the input reversed (METHOD_BUFFERED);
 *                 DHTEST_IOCTL_HOLD: left pending with a cancel routine;
 *                 DHTEST_IOCTL_RELEASE: completes the held IRP with success;
 *                 DHTEST_IOCTL_MODE: ExGetPreviousMode and Irp->RequestorMode
 * Its Unload deletes the link and the device.
 */

#include <ntddk.h>

#define DHTEST_IOCTL_REVERSE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_HOLD    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_RELEASE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_SUM     CTL_CODE(FILE_DEVICE_UNKNOWN, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_MODE    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _DHTEST_EXTENSION {
    ULONG Opens;
    ULONG Sum;
    PIRP Held;
} DHTEST_EXTENSION;

/* Constant strings rather than RtlInitUnicodeString: the driver imports
 * only routines of the runtime's Io part, which the self-test covers. */
static UNICODE_STRING DhDeviceName = RTL_CONSTANT_STRING(L"\\Device\\DhTest");
static UNICODE_STRING DhLinkName = RTL_CONSTANT_STRING(L"\\??\\DhTest");

static NTSTATUS DhComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS NTAPI DhCreateClose(PDEVICE_OBJECT Device, PIRP Irp)
{
    DHTEST_EXTENSION *Extension = Device->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    if (Stack->MajorFunction == IRP_MJ_CREATE) {
        Extension->Opens++;
        Stack->FileObject->FsContext = (PVOID)(ULONG_PTR)Stack->FileObject->FileName.Length;
    } else {
        Extension->Opens--;
    }
    return DhComplete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI DhRead(PDEVICE_OBJECT Device, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PUCHAR Buffer = Irp->AssociatedIrp.SystemBuffer;
    ULONG Index, Length = Stack->Parameters.Read.Length;

    for (Index = 0; Index < Length; Index++)
        Buffer[Index] = (UCHAR)(Stack->Parameters.Read.ByteOffset.LowPart + Index);
    return DhComplete(Irp, STATUS_SUCCESS, Length);
}

static NTSTATUS NTAPI DhWrite(PDEVICE_OBJECT Device, PIRP Irp)
{
    DHTEST_EXTENSION *Extension = Device->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PUCHAR Buffer = Irp->AssociatedIrp.SystemBuffer;
    ULONG Index, Length = Stack->Parameters.Write.Length;

    for (Index = 0; Index < Length; Index++)
        Extension->Sum += Buffer[Index];
    return DhComplete(Irp, STATUS_SUCCESS, Length);
}

static VOID NTAPI DhCancel(PDEVICE_OBJECT Device, PIRP Irp)
{
    DHTEST_EXTENSION *Extension = Device->DeviceExtension;

    IoReleaseCancelSpinLock(Irp->CancelIrql);
    Extension->Held = NULL;
    DhComplete(Irp, STATUS_CANCELLED, 0);
}

static NTSTATUS DhHold(DHTEST_EXTENSION *Extension, PIRP Irp)
{
    KIRQL Irql;

    if (Extension->Held != NULL)
        return DhComplete(Irp, STATUS_DEVICE_BUSY, 0);
    IoAcquireCancelSpinLock(&Irql);
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, DhCancel);
    Extension->Held = Irp;
    IoReleaseCancelSpinLock(Irql);
    return STATUS_PENDING;
}

static NTSTATUS DhRelease(DHTEST_EXTENSION *Extension, PIRP Irp)
{
    PIRP Held = Extension->Held;
    KIRQL Irql;

    if (Held == NULL)
        return DhComplete(Irp, STATUS_NOT_FOUND, 0);
    IoAcquireCancelSpinLock(&Irql);
    IoSetCancelRoutine(Held, NULL);
    Extension->Held = NULL;
    IoReleaseCancelSpinLock(Irql);
    DhComplete(Held, STATUS_SUCCESS, 7);
    return DhComplete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI DhDeviceControl(PDEVICE_OBJECT Device, PIRP Irp)
{
    DHTEST_EXTENSION *Extension = Device->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    PUCHAR Buffer = Irp->AssociatedIrp.SystemBuffer;
    ULONG Index;
    UCHAR Byte;

    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case DHTEST_IOCTL_REVERSE:
        if (Out < In)
            return DhComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        for (Index = 0; Index < In / 2; Index++) {
            Byte = Buffer[Index];
            Buffer[Index] = Buffer[In - 1 - Index];
            Buffer[In - 1 - Index] = Byte;
        }
        return DhComplete(Irp, STATUS_SUCCESS, In);
    case DHTEST_IOCTL_HOLD:
        return DhHold(Extension, Irp);
    case DHTEST_IOCTL_RELEASE:
        return DhRelease(Extension, Irp);
    case DHTEST_IOCTL_MODE:
        if (Out < 2 * sizeof(ULONG))
            return DhComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        ((PULONG)Buffer)[0] = ExGetPreviousMode();
        ((PULONG)Buffer)[1] = Irp->RequestorMode;
        return DhComplete(Irp, STATUS_SUCCESS, 2 * sizeof(ULONG));
    case DHTEST_IOCTL_SUM:
        if (Out < sizeof(ULONG))
            return DhComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        *(PULONG)Buffer = Extension->Sum;
        return DhComplete(Irp, STATUS_SUCCESS, sizeof(ULONG));
    default:
        return DhComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID NTAPI DhUnload(PDRIVER_OBJECT Driver)
{
    IoDeleteSymbolicLink(&DhLinkName);
    while (Driver->DeviceObject != NULL)
        IoDeleteDevice(Driver->DeviceObject);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT Driver, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    NTSTATUS Status;

    DbgPrint("DriverEntry(%wZ)\n", RegistryPath);
    Status = IoCreateDevice(Driver, sizeof(DHTEST_EXTENSION), &DhDeviceName, FILE_DEVICE_UNKNOWN, 0,
                            FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Device->Flags |= DO_BUFFERED_IO;
    Status = IoCreateSymbolicLink(&DhLinkName, &DhDeviceName);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(Device);
        return Status;
    }
    Driver->MajorFunction[IRP_MJ_CREATE] = DhCreateClose;
    Driver->MajorFunction[IRP_MJ_CLOSE] = DhCreateClose;
    Driver->MajorFunction[IRP_MJ_READ] = DhRead;
    Driver->MajorFunction[IRP_MJ_WRITE] = DhWrite;
    Driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = DhDeviceControl;
    Driver->DriverUnload = DhUnload;
    return STATUS_SUCCESS;
}
