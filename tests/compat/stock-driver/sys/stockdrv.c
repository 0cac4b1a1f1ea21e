/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stockdrv.sys: a WDM driver built only with stock mingw-w64 (the ddk
 * headers, libntoskrnl.a, libhal.a, the command lines of spec/nt-abi.md
 * §1.1), driven by ../driver.c (compat.driver_*). It uses a broad slice
 * of the WDM API: IoCreateDevice with a device extension,
 * IoCreateSymbolicLink, dispatch routines for create, cleanup, close,
 * read, write and device control (METHOD_BUFFERED, IN_DIRECT, OUT_DIRECT),
 * an IRP queue with a cancel routine under a spin lock, a KTIMER whose
 * KDPC sets a KEVENT, ExAllocatePoolWithTag, a work item that completes a
 * pended IRP, a system thread that completes IRPs handed to it, MDLs
 * mapped with MmGetSystemAddressForMdlSafe, and DriverUnload undoing all.
 */
#include <ntddk.h>

#include "../stockdrv.h"

#define STOCKDRV_TAG ((ULONG)'S' | (ULONG)'t' << 8 | (ULONG)'D' << 16 | (ULONG)'v' << 24)

typedef struct _STOCKDRV_EXTENSION {
    ULONG Magic;
    KSPIN_LOCK Lock; /* the queues, the data, the counters */
    LIST_ENTRY Pended, ThreadQueue;
    KTIMER Timer;
    KDPC Dpc;
    KEVENT TimerDone, ThreadWake;
    PVOID Thread; /* the system thread's object, referenced */
    BOOLEAN Stop;
    STOCKDRV_STATS Stats;
    ULONG DataLength;
    UCHAR Data[STOCKDRV_DATA_MAX];
} STOCKDRV_EXTENSION, *PSTOCKDRV_EXTENSION;

static PDEVICE_OBJECT StockDevice;
static UNICODE_STRING StockLinkName;

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static PSTOCKDRV_EXTENSION Extension(PDEVICE_OBJECT DeviceObject)
{
    return (PSTOCKDRV_EXTENSION)DeviceObject->DeviceExtension;
}

/* ---- the pended queue and its cancel routine --------------------------------------------- */

static VOID NTAPI CancelPended(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSTOCKDRV_EXTENSION Ext = Extension(DeviceObject);
    KIRQL Irql;

    IoReleaseCancelSpinLock(Irp->CancelIrql);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    Ext->Stats.Cancelled++;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    Complete(Irp, STATUS_CANCELLED, 0);
}

static NTSTATUS Pend(PSTOCKDRV_EXTENSION Ext, PIRP Irp)
{
    KIRQL Irql;

    KeAcquireSpinLock(&Ext->Lock, &Irql);
    IoSetCancelRoutine(Irp, CancelPended);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
        KeReleaseSpinLock(&Ext->Lock, Irql);
        return Complete(Irp, STATUS_CANCELLED, 0);
    }
    IoMarkIrpPending(Irp);
    InsertTailList(&Ext->Pended, &Irp->Tail.Overlay.ListEntry);
    Ext->Stats.Queued++;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    return STATUS_PENDING;
}

/* Complete every queued IRP whose cancel routine we take back; the count
 * is the release's Information. */
static NTSTATUS Release(PSTOCKDRV_EXTENSION Ext, PIRP Irp)
{
    LIST_ENTRY Done;
    ULONG Count = 0;
    KIRQL Irql;

    InitializeListHead(&Done);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    while (!IsListEmpty(&Ext->Pended)) {
        PLIST_ENTRY Entry = RemoveHeadList(&Ext->Pended);
        PIRP Waiting = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);

        if (IoSetCancelRoutine(Waiting, NULL) == NULL) {
            InitializeListHead(Entry); /* its cancel routine runs and unlinks nothing */
            continue;
        }
        InsertTailList(&Done, Entry);
    }
    KeReleaseSpinLock(&Ext->Lock, Irql);
    while (!IsListEmpty(&Done)) {
        Complete(CONTAINING_RECORD(RemoveHeadList(&Done), IRP, Tail.Overlay.ListEntry),
                 STATUS_SUCCESS, 0);
        Count++;
    }
    return Complete(Irp, STATUS_SUCCESS, Count);
}

/* ---- timer, DPC, work item, system thread ------------------------------------------------ */

static VOID NTAPI TimerDpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    PSTOCKDRV_EXTENSION Ext = Context;

    (void)Dpc;
    (void)Argument1;
    (void)Argument2;
    KeAcquireSpinLockAtDpcLevel(&Ext->Lock);
    Ext->Stats.DpcRuns++;
    KeReleaseSpinLockFromDpcLevel(&Ext->Lock);
    KeSetEvent(&Ext->TimerDone, IO_NO_INCREMENT, FALSE);
}

/* Arm a 20 ms timer whose DPC sets TimerDone, and wait for it here. */
static NTSTATUS RunTimer(PSTOCKDRV_EXTENSION Ext, PIRP Irp)
{
    LARGE_INTEGER Due = {.QuadPart = -200000}, Limit = {.QuadPart = -50000000};
    NTSTATUS Status;

    KeClearEvent(&Ext->TimerDone);
    if (KeSetTimer(&Ext->Timer, Due, &Ext->Dpc))
        return Complete(Irp, STATUS_DEVICE_BUSY, 0); /* it was already set */
    Status = KeWaitForSingleObject(&Ext->TimerDone, Executive, KernelMode, FALSE, &Limit);
    if (Status != STATUS_SUCCESS) {
        KeCancelTimer(&Ext->Timer);
        return Complete(Irp, STATUS_IO_TIMEOUT, 0);
    }
    return Complete(Irp, STATUS_SUCCESS, Ext->Stats.DpcRuns);
}

static VOID NTAPI WorkRoutine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    PIRP Irp = Context;
    PIO_WORKITEM Item = Irp->Tail.Overlay.DriverContext[0];
    PSTOCKDRV_EXTENSION Ext = Extension(DeviceObject);
    KIRQL Irql;

    KeAcquireSpinLock(&Ext->Lock, &Irql);
    Ext->Stats.WorkItems++;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    IoFreeWorkItem(Item);
    Complete(Irp, STATUS_SUCCESS, STOCKDRV_WORK_VALUE);
}

static NTSTATUS QueueWork(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_WORKITEM Item = IoAllocateWorkItem(DeviceObject);

    if (Item == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    Irp->Tail.Overlay.DriverContext[0] = Item;
    IoMarkIrpPending(Irp);
    IoQueueWorkItem(Item, WorkRoutine, DelayedWorkQueue, Irp);
    return STATUS_PENDING;
}

/* The system thread: completes the IRPs handed to it with twice their
 * input ULONG, until the driver unloads. */
static VOID NTAPI ThreadRoutine(PVOID Context)
{
    PSTOCKDRV_EXTENSION Ext = Context;
    KIRQL Irql;

    for (;;) {
        KeWaitForSingleObject(&Ext->ThreadWake, Executive, KernelMode, FALSE, NULL);
        KeAcquireSpinLock(&Ext->Lock, &Irql);
        while (!IsListEmpty(&Ext->ThreadQueue)) {
            PIRP Irp =
                CONTAINING_RECORD(RemoveHeadList(&Ext->ThreadQueue), IRP, Tail.Overlay.ListEntry);
            ULONG Value = *(PULONG)Irp->AssociatedIrp.SystemBuffer;

            Ext->Stats.ThreadRequests++;
            KeReleaseSpinLock(&Ext->Lock, Irql);
            *(PULONG)Irp->AssociatedIrp.SystemBuffer = Value * 2;
            Complete(Irp, STATUS_SUCCESS, sizeof(ULONG));
            KeAcquireSpinLock(&Ext->Lock, &Irql);
        }
        if (Ext->Stop) {
            KeReleaseSpinLock(&Ext->Lock, Irql);
            break;
        }
        KeReleaseSpinLock(&Ext->Lock, Irql);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static NTSTATUS HandToThread(PSTOCKDRV_EXTENSION Ext, PIRP Irp, ULONG In, ULONG Out)
{
    KIRQL Irql;

    if (In < sizeof(ULONG) || Out < sizeof(ULONG))
        return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    IoMarkIrpPending(Irp);
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    InsertTailList(&Ext->ThreadQueue, &Irp->Tail.Overlay.ListEntry);
    KeReleaseSpinLock(&Ext->Lock, Irql);
    KeSetEvent(&Ext->ThreadWake, IO_NO_INCREMENT, FALSE);
    return STATUS_PENDING;
}

/* ---- direct I/O and pool ------------------------------------------------------------------ */

static NTSTATUS SumInDirect(PIRP Irp, ULONG Out)
{
    PUCHAR Bytes;
    ULONG Sum = 0;

    if (Irp->MdlAddress == NULL)
        return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
    Bytes = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    if (Bytes == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    if (MmGetMdlByteCount(Irp->MdlAddress) != Out)
        return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
    for (ULONG i = 0; i < Out; i++)
        Sum += Bytes[i];
    return Complete(Irp, STATUS_SUCCESS, Sum);
}

static NTSTATUS FillOutDirect(PIRP Irp, ULONG In, ULONG Out)
{
    UCHAR Seed = In ? *(PUCHAR)Irp->AssociatedIrp.SystemBuffer : 0;
    PUCHAR Bytes;

    if (Irp->MdlAddress == NULL)
        return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
    Bytes = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    if (Bytes == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    for (ULONG i = 0; i < Out; i++)
        Bytes[i] = (UCHAR)(Seed + i);
    return Complete(Irp, STATUS_SUCCESS, Out);
}

static NTSTATUS PoolRoundTrip(PIRP Irp, ULONG In)
{
    ULONG Size;
    PUCHAR Block;

    if (In < sizeof(ULONG))
        return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    Size = *(PULONG)Irp->AssociatedIrp.SystemBuffer;
    Block = ExAllocatePoolWithTag(NonPagedPool, Size, STOCKDRV_TAG);
    if (Block == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    for (ULONG i = 0; i < Size; i++)
        Block[i] = (UCHAR)(i * 13);
    for (ULONG i = 0; i < Size; i++)
        if (Block[i] != (UCHAR)(i * 13)) {
            ExFreePoolWithTag(Block, STOCKDRV_TAG);
            return Complete(Irp, STATUS_DATA_ERROR, i);
        }
    ExFreePoolWithTag(Block, STOCKDRV_TAG);
    return Complete(Irp, STATUS_SUCCESS, Size);
}

/* ---- dispatch ----------------------------------------------------------------------------- */

static NTSTATUS Control(PDEVICE_OBJECT DeviceObject, PIRP Irp, PIO_STACK_LOCATION Stack)
{
    PSTOCKDRV_EXTENSION Ext = Extension(DeviceObject);
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    KIRQL Irql;

    KeAcquireSpinLock(&Ext->Lock, &Irql);
    Ext->Stats.Controls++;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_STOCKDRV_STATS:
        if (Out < sizeof(STOCKDRV_STATS))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        KeAcquireSpinLock(&Ext->Lock, &Irql);
        RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, &Ext->Stats, sizeof(Ext->Stats));
        KeReleaseSpinLock(&Ext->Lock, Irql);
        return Complete(Irp, STATUS_SUCCESS, sizeof(STOCKDRV_STATS));
    case IOCTL_STOCKDRV_SUM_IN:
        return SumInDirect(Irp, Out);
    case IOCTL_STOCKDRV_FILL_OUT:
        return FillOutDirect(Irp, In, Out);
    case IOCTL_STOCKDRV_PEND:
        return Pend(Ext, Irp);
    case IOCTL_STOCKDRV_RELEASE:
        return Release(Ext, Irp);
    case IOCTL_STOCKDRV_TIMER:
        return RunTimer(Ext, Irp);
    case IOCTL_STOCKDRV_WORK_ITEM:
        return QueueWork(DeviceObject, Irp);
    case IOCTL_STOCKDRV_THREAD:
        return HandToThread(Ext, Irp, In, Out);
    case IOCTL_STOCKDRV_POOL:
        return PoolRoundTrip(Irp, In);
    case IOCTL_STOCKDRV_EXTENSION:
        if (Out < sizeof(ULONG))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        *(PULONG)Irp->AssociatedIrp.SystemBuffer = Ext->Magic;
        return Complete(Irp, STATUS_SUCCESS, sizeof(ULONG));
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS ReadWrite(PSTOCKDRV_EXTENSION Ext, PIRP Irp, PIO_STACK_LOCATION Stack)
{
    PUCHAR Buffer = Irp->AssociatedIrp.SystemBuffer;
    ULONG Length;
    KIRQL Irql;

    KeAcquireSpinLock(&Ext->Lock, &Irql);
    if (Stack->MajorFunction == IRP_MJ_WRITE) {
        Length = Stack->Parameters.Write.Length;
        Length = Length < STOCKDRV_DATA_MAX ? Length : STOCKDRV_DATA_MAX;
        RtlCopyMemory(Ext->Data, Buffer, Length);
        Ext->DataLength = Length;
        Ext->Stats.Writes++;
    } else {
        Length = Stack->Parameters.Read.Length;
        Length = Length < Ext->DataLength ? Length : Ext->DataLength;
        RtlCopyMemory(Buffer, Ext->Data, Length);
        Ext->Stats.Reads++;
    }
    KeReleaseSpinLock(&Ext->Lock, Irql);
    if (Stack->MajorFunction == IRP_MJ_READ && Length == 0 && Stack->Parameters.Read.Length)
        return Complete(Irp, STATUS_END_OF_FILE, 0);
    return Complete(Irp, STATUS_SUCCESS, Length);
}

static NTSTATUS NTAPI Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PSTOCKDRV_EXTENSION Ext = Extension(DeviceObject);
    KIRQL Irql;

    switch (Stack->MajorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLOSE:
        KeAcquireSpinLock(&Ext->Lock, &Irql);
        if (Stack->MajorFunction == IRP_MJ_CREATE)
            Ext->Stats.Creates++;
        else
            Ext->Stats.Closes++;
        KeReleaseSpinLock(&Ext->Lock, Irql);
        return Complete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_CLEANUP:
        return Complete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        return ReadWrite(Ext, Irp, Stack);
    case IRP_MJ_DEVICE_CONTROL:
        return Control(DeviceObject, Irp, Stack);
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

/* ---- load and unload ---------------------------------------------------------------------- */

static VOID StopThread(PSTOCKDRV_EXTENSION Ext)
{
    KIRQL Irql;

    if (Ext->Thread == NULL)
        return;
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    Ext->Stop = TRUE;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    KeSetEvent(&Ext->ThreadWake, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(Ext->Thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(Ext->Thread);
    Ext->Thread = NULL;
}

static VOID NTAPI Unload(PDRIVER_OBJECT DriverObject)
{
    (void)DriverObject;
    IoDeleteSymbolicLink(&StockLinkName);
    if (StockDevice) {
        KeCancelTimer(&Extension(StockDevice)->Timer);
        StopThread(Extension(StockDevice));
        IoDeleteDevice(StockDevice);
        StockDevice = NULL;
    }
}

static NTSTATUS StartThread(PSTOCKDRV_EXTENSION Ext)
{
    HANDLE Handle;
    NTSTATUS Status =
        PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, ThreadRoutine, Ext);

    if (!NT_SUCCESS(Status))
        return Status;
    Status =
        ObReferenceObjectByHandle(Handle, THREAD_ALL_ACCESS, NULL, KernelMode, &Ext->Thread, NULL);
    ZwClose(Handle);
    return Status;
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name;
    PSTOCKDRV_EXTENSION Ext;
    NTSTATUS Status;

    (void)RegistryPath;
    RtlInitUnicodeString(&Name, L"\\Device\\StockDrv");
    RtlInitUnicodeString(&StockLinkName, L"\\??\\StockDrv");
    Status = IoCreateDevice(DriverObject, sizeof(STOCKDRV_EXTENSION), &Name, FILE_DEVICE_UNKNOWN, 0,
                            FALSE, &StockDevice);
    if (!NT_SUCCESS(Status))
        return Status;
    Ext = Extension(StockDevice);
    RtlZeroMemory(Ext, sizeof(*Ext));
    Ext->Magic = STOCKDRV_MAGIC;
    KeInitializeSpinLock(&Ext->Lock);
    InitializeListHead(&Ext->Pended);
    InitializeListHead(&Ext->ThreadQueue);
    KeInitializeTimer(&Ext->Timer);
    KeInitializeDpc(&Ext->Dpc, TimerDpc, Ext);
    KeInitializeEvent(&Ext->TimerDone, NotificationEvent, FALSE);
    KeInitializeEvent(&Ext->ThreadWake, SynchronizationEvent, FALSE);
    Status = IoCreateSymbolicLink(&StockLinkName, &Name);
    if (NT_SUCCESS(Status))
        Status = StartThread(Ext);
    if (!NT_SUCCESS(Status)) {
        Unload(DriverObject);
        return Status;
    }
    StockDevice->Flags |= DO_BUFFERED_IO;
    StockDevice->Flags &= ~DO_DEVICE_INITIALIZING;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = Dispatch;
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
