/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A filter driver for the tests of IRPs between driver processes
 * (base/ntapitest/xcall.c), built with the stock ddk headers like any
 * filter: its devices sit on the stacks of iotest.sys's devices, which
 * live in another driver process, so every IRP it passes down goes
 * through ntos. \Device\IoFilterCtl takes the tests' control codes
 * (iofilter.h): attach a filter over \Device\IoTestBuffered
 * (IoGetDeviceObjectPointer, then IoAttachDeviceToDeviceStack onto the
 * proxy it returns) or \Device\IoTestDirect (IoAttachDevice), detach it, read
 * the counts of its completion routine, or build IRPs of its own to
 * iotest (IoBuildDeviceIoControlRequest, IoBuildSynchronousFsdRequest) and
 * wait for them on an event in the dispatch routine.
 *
 * The filter forwards every IRP with a completion routine that counts it
 * and writes IOFILTER_MARK over the first byte a successful read or
 * IOCTL_IOTEST_ECHO returns, so a test sees that it ran; opens (and the
 * control codes sent to \Device\IoTestDirect) it forwards with
 * IoForwardIrpSynchronously and completes itself.
 */
#include <ntddk.h>
#include "iofilter.h"
#include "../iotest/iotest.h"

typedef struct _FILTER_EXTENSION {
    PDEVICE_OBJECT Lower; /* what IoAttachDeviceToDeviceStack returned */
} FILTER_EXTENSION;

static PDEVICE_OBJECT Control;
static volatile ULONG *volatile CrashAddress = (volatile ULONG *)0x10; /* never mapped */
static PDEVICE_OBJECT Filters[2];
static volatile LONG Counts[3]; /* Forwarded, Completed, PendingSeen */
static volatile LONG LastStatus;

static const PCWSTR Lowers[2] = {L"\\Device\\IoTestBuffered", L"\\Device\\IoTestDirect"};

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* ---- the filter ------------------------------------------------------------------------- */

/* The first byte the request returns, or NULL. */
static PUCHAR ReturnedData(PDEVICE_OBJECT DeviceObject, PIRP Irp, UCHAR Major, ULONG Code)
{
    if (Major == IRP_MJ_DEVICE_CONTROL && Code != IOCTL_IOTEST_ECHO)
        return NULL;
    if (Major != IRP_MJ_READ && Major != IRP_MJ_DEVICE_CONTROL)
        return NULL;
    if (Major == IRP_MJ_READ && (DeviceObject->Flags & DO_DIRECT_IO))
        return Irp->MdlAddress ? MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority)
                               : NULL;
    return Irp->AssociatedIrp.SystemBuffer;
}

static NTSTATUS NTAPI FilterCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    PUCHAR Data;

    (void)Context;
    InterlockedIncrement(&Counts[1]);
    if (Irp->PendingReturned) {
        InterlockedIncrement(&Counts[2]);
        IoMarkIrpPending(Irp);
    }
    InterlockedExchange(&LastStatus, Irp->IoStatus.Status);
    if (NT_SUCCESS(Irp->IoStatus.Status) && Irp->IoStatus.Information != 0) {
        Data = ReturnedData(DeviceObject, Irp, Stack->MajorFunction, Code);
        if (Data != NULL)
            Data[0] = IOFILTER_MARK;
    }
    return STATUS_CONTINUE_COMPLETION;
}

/* Opens, and the control codes of the filter over \Device\IoTestDirect, go
 * down synchronously (IoForwardIrpSynchronously: the dispatch routine
 * waits for the other process's completion) and are completed here, as
 * filters that must see the result first do. */
static NTSTATUS ForwardSynchronously(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FILTER_EXTENSION *Extension = DeviceObject->DeviceExtension;
    NTSTATUS Status;

    InterlockedIncrement(&Counts[0]);
    if (!IoForwardIrpSynchronously(Extension->Lower, Irp))
        return Complete(Irp, STATUS_INVALID_DEVICE_STATE, 0);
    InterlockedIncrement(&Counts[1]);
    Status = Irp->IoStatus.Status;
    InterlockedExchange(&LastStatus, Status);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS Forward(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FILTER_EXTENSION *Extension = DeviceObject->DeviceExtension;

    UCHAR Major = IoGetCurrentIrpStackLocation(Irp)->MajorFunction;

    if (Major == IRP_MJ_CREATE || (Major == IRP_MJ_DEVICE_CONTROL && DeviceObject == Filters[1]))
        return ForwardSynchronously(DeviceObject, Irp);
    InterlockedIncrement(&Counts[0]);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, FilterCompletion, NULL, TRUE, TRUE, TRUE);
    return IoCallDriver(Extension->Lower, Irp);
}

/* ---- attaching ------------------------------------------------------------------------ */

/* The filter over \Device\IoTestBuffered comes from IoGetDeviceObjectPointer
 * and IoAttachDeviceToDeviceStack, the one over \Device\IoTestDirect from
 * IoAttachDevice (by name). */
static NTSTATUS Attach(ULONG Which)
{
    UNICODE_STRING Name;
    PFILE_OBJECT File = NULL;
    PDEVICE_OBJECT Top = NULL, Filter, Lower = NULL;
    NTSTATUS Status;

    if (Which > 1)
        return STATUS_INVALID_PARAMETER;
    if (Filters[Which] != NULL)
        return STATUS_DEVICE_ALREADY_ATTACHED;
    RtlInitUnicodeString(&Name, Lowers[Which]);
    if (Which == 0) {
        Status = IoGetDeviceObjectPointer(&Name, FILE_READ_DATA, &File, &Top);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = IoCreateDevice(Control->DriverObject, sizeof(FILTER_EXTENSION), NULL,
                            FILE_DEVICE_UNKNOWN, 0, FALSE, &Filter);
    if (NT_SUCCESS(Status)) {
        if (Which == 0) {
            Lower = IoAttachDeviceToDeviceStack(Filter, Top);
            Status = Lower != NULL ? STATUS_SUCCESS : STATUS_NO_SUCH_DEVICE;
        } else {
            Status = IoAttachDevice(Filter, &Name, &Lower);
        }
        if (!NT_SUCCESS(Status)) {
            IoDeleteDevice(Filter);
        } else {
            /* A filter takes the buffering of what is below it (the
             * type was given at IoCreateDevice: iotest's is the same). */
            Filter->Flags |= Lower->Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
            ((FILTER_EXTENSION *)Filter->DeviceExtension)->Lower = Lower;
            Filter->Flags &= ~DO_DEVICE_INITIALIZING;
            Filters[Which] = Filter;
        }
    }
    /* The attachment outlives the open, as in Windows filters. */
    if (File != NULL)
        ObDereferenceObject(File);
    return Status;
}

static NTSTATUS Detach(ULONG Which)
{
    PDEVICE_OBJECT Filter;

    if (Which > 1)
        return STATUS_INVALID_PARAMETER;
    Filter = Filters[Which];
    if (Filter == NULL)
        return STATUS_INVALID_DEVICE_STATE;
    Filters[Which] = NULL;
    IoDetachDevice(((FILTER_EXTENSION *)Filter->DeviceExtension)->Lower);
    IoDeleteDevice(Filter);
    return STATUS_SUCCESS;
}

/* ---- IRPs of its own ---------------------------------------------------------------------- */

static NTSTATUS SendAndWait(PDEVICE_OBJECT Device, PIRP Irp, PKEVENT Event, PIO_STATUS_BLOCK Iosb)
{
    NTSTATUS Status = IoCallDriver(Device, Irp);

    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(Event, Executive, KernelMode, FALSE, NULL);
        Status = Iosb->Status;
    }
    return Status;
}

static NTSTATUS Build(const UCHAR *In, ULONG InLength, IOFILTER_BUILT *Built)
{
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    PFILE_OBJECT File;
    PDEVICE_OBJECT Device;
    KEVENT Event;
    NTSTATUS Status;
    PIRP Irp;

    RtlZeroMemory(Built, sizeof(*Built));
    RtlInitUnicodeString(&Name, Lowers[0]);
    Status = IoGetDeviceObjectPointer(&Name, FILE_READ_DATA, &File, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Built->DeviceType = Device->DeviceType;
    Built->DeviceFlags = Device->Flags;
    Built->StackSize = Device->StackSize;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Irp = IoBuildDeviceIoControlRequest(IOCTL_IOTEST_ECHO, Device, (PVOID)In, InLength, Built->Echo,
                                        sizeof(Built->Echo), FALSE, &Event, &Iosb);
    Status = STATUS_INSUFFICIENT_RESOURCES;
    if (Irp != NULL) {
        IoGetNextIrpStackLocation(Irp)->FileObject = File;
        Status = SendAndWait(Device, Irp, &Event, &Iosb);
        Built->EchoInformation = (ULONG)Iosb.Information;
    }
    Built->EchoStatus = Status;
    KeClearEvent(&Event);
    Offset.QuadPart = 5;
    Irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, Device, Built->Read, sizeof(Built->Read),
                                       &Offset, &Event, &Iosb);
    Status = STATUS_INSUFFICIENT_RESOURCES;
    if (Irp != NULL) {
        IoGetNextIrpStackLocation(Irp)->FileObject = File;
        Status = SendAndWait(Device, Irp, &Event, &Iosb);
        Built->ReadInformation = (ULONG)Iosb.Information;
    }
    Built->ReadStatus = Status;
    ObDereferenceObject(File);
    return STATUS_SUCCESS;
}

/* ---- a held open ------------------------------------------------------------------------- */

static PFILE_OBJECT HeldFile;
static PDEVICE_OBJECT HeldDevice;

static NTSTATUS Hold(VOID)
{
    UNICODE_STRING Name;

    if (HeldFile != NULL)
        return STATUS_DEVICE_BUSY;
    RtlInitUnicodeString(&Name, Lowers[1]);
    return IoGetDeviceObjectPointer(&Name, FILE_READ_DATA, &HeldFile, &HeldDevice);
}

static NTSTATUS ReadHeld(VOID)
{
    UCHAR Data[16];
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0};
    KEVENT Event;
    PIRP Irp;

    if (HeldFile == NULL)
        return STATUS_INVALID_DEVICE_STATE;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, HeldDevice, Data, sizeof(Data), &Offset, &Event,
                                       &Iosb);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    IoGetNextIrpStackLocation(Irp)->FileObject = HeldFile;
    return SendAndWait(HeldDevice, Irp, &Event, &Iosb);
}

static NTSTATUS Drop(VOID)
{
    if (HeldFile == NULL)
        return STATUS_INVALID_DEVICE_STATE;
    ObDereferenceObject(HeldFile);
    HeldFile = NULL;
    HeldDevice = NULL;
    return STATUS_SUCCESS;
}

/* ---- the control device ---------------------------------------------------------------- */

static NTSTATUS ControlRequest(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID Buffer = Irp->AssociatedIrp.SystemBuffer;
    UCHAR Input[16];

    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_IOFILTER_ATTACH:
    case IOCTL_IOFILTER_DETACH:
        if (In < sizeof(ULONG))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        return Complete(Irp,
                        Stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_IOFILTER_ATTACH
                            ? Attach(*(PULONG)Buffer)
                            : Detach(*(PULONG)Buffer),
                        0);
    case IOCTL_IOFILTER_COUNTS: {
        IOFILTER_COUNTS *Result = Buffer;
        if (Out < sizeof(*Result))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        Result->Forwarded = Counts[0];
        Result->Completed = Counts[1];
        Result->PendingSeen = Counts[2];
        Result->LastStatus = LastStatus;
        return Complete(Irp, STATUS_SUCCESS, sizeof(*Result));
    }
    case IOCTL_IOFILTER_BUILD:
        if (In != sizeof(Input) || Out < sizeof(IOFILTER_BUILT))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlCopyMemory(Input, Buffer, sizeof(Input)); /* the same buffer takes the output */
        return Complete(Irp, Build(Input, sizeof(Input), Buffer), sizeof(IOFILTER_BUILT));
    case IOCTL_IOFILTER_HOLD:
        return Complete(Irp, Hold(), 0);
    case IOCTL_IOFILTER_READ_HELD:
        return Complete(Irp, ReadHeld(), 0);
    case IOCTL_IOFILTER_DROP:
        return Complete(Irp, Drop(), 0);
    case IOCTL_IOFILTER_CRASH:
        *CrashAddress = 0xdead;
        return Complete(Irp, STATUS_UNSUCCESSFUL, 0);
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS NTAPI Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    if (DeviceObject != Control)
        return Forward(DeviceObject, Irp);
    if (Stack->MajorFunction == IRP_MJ_DEVICE_CONTROL)
        return ControlRequest(Irp, Stack);
    return Complete(Irp, STATUS_SUCCESS, 0); /* create, cleanup, close */
}

static VOID NTAPI Unload(PDRIVER_OBJECT DriverObject)
{
    (void)DriverObject;
    for (ULONG i = 0; i < 2; i++)
        if (Filters[i] != NULL)
            Detach(i);
    if (HeldFile != NULL)
        Drop();
    IoDeleteDevice(Control);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name;
    NTSTATUS Status;

    (void)RegistryPath;
    RtlInitUnicodeString(&Name, L"\\Device\\IoFilterCtl");
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Control);
    if (!NT_SUCCESS(Status))
        return Status;
    Control->Flags |= DO_BUFFERED_IO;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = Dispatch;
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
