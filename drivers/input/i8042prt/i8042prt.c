/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * i8042prt.sys's entry: set up the controller, create
 * \Device\KeyboardPort0, connect ISA IRQ 1, put the keyboard's typematic
 * rate and LEDs in a known state, and route the major functions: create,
 * cleanup and close succeed (several handles may be open: kbdclass keeps
 * one for reads and one for IOCTLs), read (kbdqueue.h), device control
 * (ioctl.c). A legacy driver: no PnP, COM-style fixed resources.
 */
#include "i8042prt.h"

/* Hidden by mingw's ntddk.h once wdm.h is in; libhal.a exports it. */
NTHALAPI ULONG NTAPI HalGetInterruptVector(INTERFACE_TYPE InterfaceType, ULONG BusNumber,
                                           ULONG BusInterruptLevel, ULONG BusInterruptVector,
                                           PKIRQL Irql, PKAFFINITY Affinity);

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD I8042Unload;
static DRIVER_DISPATCH I8042Dispatch;

static NTSTATUS I8042Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PI8042_EXTENSION Ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;
    switch (Stack->MajorFunction) {
    case IRP_MJ_READ:
        return KbdQueueRead(&Ext->Queue, Irp);
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        return I8042DeviceControl(Ext, Irp);
    case IRP_MJ_CLEANUP:
        KbdQueueCancelFile(&Ext->Queue, Stack->FileObject);
        Status = STATUS_SUCCESS;
        break;
    case IRP_MJ_CREATE:
    case IRP_MJ_CLOSE:
    case IRP_MJ_FLUSH_BUFFERS:
        Status = STATUS_SUCCESS;
        break;
    default:
        Status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static VOID I8042Destroy(PDRIVER_OBJECT DriverObject)
{
    PDEVICE_OBJECT DeviceObject = DriverObject->DeviceObject;
    if (!DeviceObject)
        return;
    PI8042_EXTENSION Ext = DeviceObject->DeviceExtension;
    if (Ext->Interrupt)
        IoDisconnectInterrupt(Ext->Interrupt);
    IoDeleteDevice(DeviceObject);
}

static VOID I8042Unload(PDRIVER_OBJECT DriverObject)
{
    I8042Destroy(DriverObject);
}

static NTSTATUS I8042Connect(PI8042_EXTENSION Ext)
{
    KIRQL Irql;
    KAFFINITY Affinity;
    ULONG Vector = HalGetInterruptVector(Isa, 0, I8042_ISA_IRQ, I8042_ISA_IRQ, &Irql, &Affinity);
    if (!Vector && !Affinity)
        return STATUS_INSUFFICIENT_RESOURCES;
    return IoConnectInterrupt(&Ext->Interrupt, I8042Isr, Ext, &Ext->InterruptLock, Vector, Irql,
                              Irql, Latched, FALSE, Affinity, FALSE);
}

/* i8042prt's defaults: 30 characters a second after 250 ms, LEDs off. A
 * keyboard that does not answer is reported, not fatal: it may be plugged
 * in later. */
static VOID I8042DefaultKeyboardState(PI8042_EXTENSION Ext)
{
    KEYBOARD_TYPEMATIC_PARAMETERS Typematic = {0, 30, 250};
    Ext->Typematic = Typematic;
    NTSTATUS Status = I8042SendToKeyboard(Ext, KBD_SET_TYPEMATIC,
                                          I8042TypematicByte(Typematic.Rate, Typematic.Delay));
    if (NT_SUCCESS(Status))
        Status = I8042SendToKeyboard(Ext, KBD_SET_LEDS, 0);
    if (!NT_SUCCESS(Status))
        DbgPrint("i8042prt: the keyboard does not answer (status 0x%lx)\n", Status);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\KeyboardPort0");
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS Status = I8042InitializeController();
    if (!NT_SUCCESS(Status)) {
        DbgPrint("i8042prt: no PS/2 controller (status 0x%lx)\n", Status);
        return Status;
    }
    Status = IoCreateDevice(DriverObject, sizeof(I8042_EXTENSION), &Name, FILE_DEVICE_8042_PORT,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &DeviceObject);
    if (!NT_SUCCESS(Status))
        return Status;
    PI8042_EXTENSION Ext = DeviceObject->DeviceExtension;
    RtlZeroMemory(Ext, sizeof(*Ext));
    KbdQueueInitialize(&Ext->Queue, Ext->QueueStorage, I8042_QUEUE_RECORDS);
    KeInitializeSpinLock(&Ext->InterruptLock);
    KeInitializeDpc(&Ext->Dpc, I8042Dpc, Ext);
    Status = I8042Connect(Ext);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("i8042prt: IRQ %d: status 0x%lx\n", I8042_ISA_IRQ, Status);
        I8042Destroy(DriverObject);
        return Status;
    }
    I8042DefaultKeyboardState(Ext);
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = I8042Dispatch;
    DriverObject->DriverUnload = I8042Unload;
    DeviceObject->Flags |= DO_BUFFERED_IO;
    DeviceObject->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
