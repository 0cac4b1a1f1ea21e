/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * serial.sys's entry: DriverEntry finds the UART at COM1, creates
 * \Device\Serial0 (exclusive, buffered I/O) and the \??\COM1 link, connects
 * ISA IRQ 4, and routes the major functions; open, cleanup and close; the
 * file information requests; unload.
 *
 * A legacy driver: no PnP, the resources are COM1's fixed ones. As Windows'
 * serial driver the port interrupts only while a handle is open, and a
 * second open fails with STATUS_ACCESS_DENIED (the device is exclusive).
 */
#include "serial.h"

/* mingw's ntddk.h declares the legacy HAL routines only without wdm.h's
 * PnP world; libhal.a exports it, so a legacy driver declares it itself. */
NTHALAPI ULONG NTAPI HalGetInterruptVector(INTERFACE_TYPE InterfaceType, ULONG BusNumber,
                                           ULONG BusInterruptLevel, ULONG BusInterruptVector,
                                           PKIRQL Irql, PKAFFINITY Affinity);

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD SerialUnload;
static DRIVER_DISPATCH SerialDispatch;

static NTSTATUS SerialCreate(PSERIAL_EXTENSION Ext, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    KIRQL Irql;
    if (Stack->Parameters.Create.Options & FILE_DIRECTORY_FILE)
        return STATUS_NOT_A_DIRECTORY;
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    BOOLEAN Busy = Ext->Open;
    Ext->Open = TRUE;
    Ext->WaitMask = 0;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    if (Busy)
        return STATUS_ACCESS_DENIED;
    SerialEnableInterrupts(Ext);
    SerialSetMcr(
        Ext,
        ((Ext->HandFlow.ControlHandShake & SERIAL_DTR_MASK) == SERIAL_DTR_CONTROL ? MCR_DTR : 0) |
            ((Ext->HandFlow.FlowReplace & SERIAL_RTS_MASK) == SERIAL_RTS_CONTROL ? MCR_RTS : 0),
        MCR_DTR | MCR_RTS);
    return STATUS_SUCCESS;
}

/* The last handle's close: quiet the port and drop DTR and RTS, as
 * Windows does (a modem hangs up). */
static NTSTATUS SerialClose(PSERIAL_EXTENSION Ext)
{
    KIRQL Irql;
    SerialDisableInterrupts(Ext);
    SerialSetMcr(Ext, 0, MCR_DTR | MCR_RTS);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    Ext->Open = FALSE;
    Ext->WaitMask = 0;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    return STATUS_SUCCESS;
}

/* FileStandardInformation and FilePositionInformation read as zeros; end
 * of file and allocation "succeed": what serial.sys answers. */
static NTSTATUS SerialFileInformation(PIRP Irp, BOOLEAN Set)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    if (Set) {
        FILE_INFORMATION_CLASS Class = Stack->Parameters.SetFile.FileInformationClass;
        return Class == FileEndOfFileInformation || Class == FileAllocationInformation
                   ? STATUS_SUCCESS
                   : STATUS_INVALID_PARAMETER;
    }
    ULONG Length = Stack->Parameters.QueryFile.Length;
    ULONG Size;
    switch (Stack->Parameters.QueryFile.FileInformationClass) {
    case FileStandardInformation:
        Size = sizeof(FILE_STANDARD_INFORMATION);
        break;
    case FilePositionInformation:
        Size = sizeof(FILE_POSITION_INFORMATION);
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    if (Length < Size)
        return STATUS_BUFFER_TOO_SMALL;
    RtlZeroMemory(Irp->AssociatedIrp.SystemBuffer, Size);
    Irp->IoStatus.Information = Size;
    return STATUS_SUCCESS;
}

static NTSTATUS SerialDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSERIAL_EXTENSION Ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;
    Irp->IoStatus.Information = 0;
    switch (Stack->MajorFunction) {
    case IRP_MJ_READ:
        return SerialRead(Ext, Irp);
    case IRP_MJ_WRITE:
        return SerialWrite(Ext, Irp);
    case IRP_MJ_DEVICE_CONTROL:
        return SerialDeviceControl(Ext, Irp);
    case IRP_MJ_CREATE:
        Status = SerialCreate(Ext, Irp);
        break;
    case IRP_MJ_CLEANUP:
        SerialCancelAllReads(Ext);
        SerialCancelWait(Ext);
        Status = STATUS_SUCCESS;
        break;
    case IRP_MJ_CLOSE:
        Status = SerialClose(Ext);
        break;
    case IRP_MJ_QUERY_INFORMATION:
    case IRP_MJ_SET_INFORMATION:
        Status = SerialFileInformation(Irp, Stack->MajorFunction == IRP_MJ_SET_INFORMATION);
        break;
    case IRP_MJ_FLUSH_BUFFERS:
        Status = STATUS_SUCCESS; /* writes complete only once sent */
        break;
    default:
        Status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static VOID SerialInitializeExtension(PSERIAL_EXTENSION Ext, PDEVICE_OBJECT DeviceObject)
{
    Ext->DeviceObject = DeviceObject;
    Ext->Base = (PUCHAR)SERIAL_PORT_BASE;
    KeInitializeSpinLock(&Ext->Lock);
    KeInitializeSpinLock(&Ext->InterruptLock);
    InitializeListHead(&Ext->ReadQueue);
    KeInitializeDpc(&Ext->RxDpc, SerialRxDpc, Ext);
    KeInitializeDpc(&Ext->TotalDpc, SerialTotalTimeoutDpc, Ext);
    KeInitializeDpc(&Ext->IntervalDpc, SerialIntervalTimeoutDpc, Ext);
    KeInitializeTimer(&Ext->TotalTimer);
    KeInitializeTimer(&Ext->IntervalTimer);
    /* serial.sys's defaults: DTR and RTS on, no flow control, XON/XOFF
     * characters DC1/DC3, limits at 1/2 and 1/8 of the buffer. */
    Ext->HandFlow.ControlHandShake = SERIAL_DTR_CONTROL;
    Ext->HandFlow.FlowReplace = SERIAL_RTS_CONTROL;
    Ext->HandFlow.XonLimit = SERIAL_DEFAULT_BUFFER >> 1;
    Ext->HandFlow.XoffLimit = SERIAL_DEFAULT_BUFFER >> 3;
    Ext->Chars.XonChar = 0x11;
    Ext->Chars.XoffChar = 0x13;
}

static NTSTATUS SerialConnectInterrupt(PSERIAL_EXTENSION Ext)
{
    KIRQL Irql;
    KAFFINITY Affinity;
    ULONG Vector = HalGetInterruptVector(Isa, 0, SERIAL_ISA_IRQ, SERIAL_ISA_IRQ, &Irql, &Affinity);
    if (!Vector && !Affinity)
        return STATUS_INSUFFICIENT_RESOURCES;
    return IoConnectInterrupt(&Ext->Interrupt, SerialIsr, Ext, &Ext->InterruptLock, Vector, Irql,
                              Irql, Latched, FALSE, Affinity, FALSE);
}

static VOID SerialDestroy(PDRIVER_OBJECT DriverObject)
{
    PDEVICE_OBJECT DeviceObject = DriverObject->DeviceObject;
    if (!DeviceObject)
        return;
    PSERIAL_EXTENSION Ext = DeviceObject->DeviceExtension;
    if (Ext->Interrupt) {
        SerialDisableInterrupts(Ext);
        IoDisconnectInterrupt(Ext->Interrupt);
        Ext->Interrupt = NULL;
    }
    KeCancelTimer(&Ext->TotalTimer);
    KeCancelTimer(&Ext->IntervalTimer);
    if (Ext->SymbolicLink) {
        UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\COM1");
        IoDeleteSymbolicLink(&Link);
    }
    if (Ext->RxBuffer)
        ExFreePoolWithTag(Ext->RxBuffer, SERIAL_TAG);
    IoDeleteDevice(DeviceObject);
}

static VOID SerialUnload(PDRIVER_OBJECT DriverObject)
{
    SerialDestroy(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\Serial0");
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\COM1");
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS Status =
        IoCreateDevice(DriverObject, sizeof(SERIAL_EXTENSION), &Name, FILE_DEVICE_SERIAL_PORT,
                       FILE_DEVICE_SECURE_OPEN, TRUE, &DeviceObject);
    if (!NT_SUCCESS(Status))
        return Status;
    PSERIAL_EXTENSION Ext = DeviceObject->DeviceExtension;
    RtlZeroMemory(Ext, sizeof(*Ext));
    SerialInitializeExtension(Ext, DeviceObject);
    if (!SerialProbe(Ext)) {
        DbgPrint("serial: no 16550 at I/O 0x%x\n", SERIAL_PORT_BASE);
        Status = STATUS_NO_SUCH_DEVICE;
        goto out;
    }
    Ext->RxBuffer = ExAllocatePoolWithTag(NonPagedPool, SERIAL_DEFAULT_BUFFER, SERIAL_TAG);
    Ext->RxSize = SERIAL_DEFAULT_BUFFER;
    if (!Ext->RxBuffer) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    SerialReadInitialSettings(Ext);
    SerialDisableInterrupts(Ext);
    Status = SerialConnectInterrupt(Ext);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("serial: IRQ %d: status 0x%lx\n", SERIAL_ISA_IRQ, Status);
        goto out;
    }
    /* smss may have made the link already: the device still works. */
    NTSTATUS LinkStatus = IoCreateSymbolicLink(&Link, &Name);
    Ext->SymbolicLink = NT_SUCCESS(LinkStatus);
    if (!Ext->SymbolicLink)
        DbgPrint("serial: \\??\\COM1: status 0x%lx\n", LinkStatus);
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = SerialDispatch;
    DriverObject->DriverUnload = SerialUnload;
    DeviceObject->Flags |= DO_BUFFERED_IO;
    DeviceObject->Flags &= ~DO_DEVICE_INITIALIZING;
out:
    if (!NT_SUCCESS(Status))
        SerialDestroy(DriverObject);
    return Status;
}
