/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A driver for the device I/O tests (base/ntapitest/device.c), built with
 * the stock ddk headers. \Device\IoTestBuffered (DO_BUFFERED_IO) and
 * \Device\IoTestDirect (DO_DIRECT_IO) serve reads: byte i of a read at
 * Offset is (Offset + i) & 0xff. IOCTL_IOTEST_PEND leaves its IRP pending
 * until it is cancelled or IOCTL_IOTEST_RELEASE completes it; ECHO returns
 * its input; FILL_OUT fills a direct output buffer; CRASH faults, so the
 * driver process dies. neither.c: METHOD_NEITHER codes (also as file
 * system controls) and \Device\IoTestNeither.
 */
#include <ntddk.h>
#include "iotest.h"
#include "dirctl.h"  /* dirctl: directory control (dirctl.c) */
#include "neither.h" /* neither branch */

static PDEVICE_OBJECT Devices[2];
static volatile ULONG *volatile CrashAddress = (volatile ULONG *)0x10; /* never mapped */
static LIST_ENTRY Pended;

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static VOID NTAPI CancelPended(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    (void)DeviceObject;
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    Complete(Irp, STATUS_CANCELLED, 0);
}

static NTSTATUS Pend(PIRP Irp)
{
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    if (Irp->Cancel) {
        IoReleaseCancelSpinLock(Irql);
        return Complete(Irp, STATUS_CANCELLED, 0);
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, CancelPended);
    InsertTailList(&Pended, &Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irql);
    return STATUS_PENDING;
}

static NTSTATUS Release(PIRP Irp)
{
    ULONG Count = 0;
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    while (!IsListEmpty(&Pended)) {
        PIRP Waiting = CONTAINING_RECORD(RemoveHeadList(&Pended), IRP, Tail.Overlay.ListEntry);
        IoSetCancelRoutine(Waiting, NULL);
        IoReleaseCancelSpinLock(Irql);
        Complete(Waiting, STATUS_SUCCESS, 0);
        Count++;
        IoAcquireCancelSpinLock(&Irql);
    }
    IoReleaseCancelSpinLock(Irql);
    return Complete(Irp, STATUS_SUCCESS, Count);
}

/* The IRP_MJ_CLEANUP and IRP_MJ_CLOSE requests seen (IOCTL_IOTEST_FILE_ENDS). */
static volatile LONG FileEnds[2];

static NTSTATUS Control(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    PUCHAR Buffer;

    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_IOTEST_PEND:
        return Pend(Irp);
    case IOCTL_IOTEST_RELEASE:
        return Release(Irp);
    case IOCTL_IOTEST_CRASH:
        *CrashAddress = 0xdead;
        return Complete(Irp, STATUS_UNSUCCESSFUL, 0);
    case IOCTL_IOTEST_ECHO:
        return Complete(Irp, STATUS_SUCCESS, In < Out ? In : Out); /* same system buffer */
    case IOCTL_IOTEST_FILL_OUT:
        if (Irp->MdlAddress == NULL)
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        Buffer = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        if (Buffer == NULL)
            return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        RtlFillMemory(Buffer, Out, 0x5a);
        return Complete(Irp, STATUS_SUCCESS, Out);
    case IOCTL_IOTEST_SUM_IN: { /* xcall */
        ULONG_PTR Sum = 0;
        if (Irp->MdlAddress == NULL)
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        Buffer = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        for (ULONG i = 0; Buffer != NULL && i < Out; i++)
            Sum += Buffer[i];
        return Complete(Irp, Buffer ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES, Sum);
    }
    case IOCTL_IOTEST_FILE_ENDS:
        if (Out < sizeof(FileEnds))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, (const void *)FileEnds, sizeof(FileEnds));
        return Complete(Irp, STATUS_SUCCESS, sizeof(FileEnds));
    case IOCTL_IOTEST_TOUCH: /* dirctl */
        return IoTestTouch(Irp);
    case IOCTL_IOTEST_NEED_READ:
    case IOCTL_IOTEST_NEED_WRITE:
    case IOCTL_IOTEST_NEITHER:
        return Complete(Irp, STATUS_SUCCESS, 0);
    default:
        return IoTestNeitherControl(Irp, Stack); /* neither branch: neither.c's codes */
    }
}

static NTSTATUS Read(PDEVICE_OBJECT DeviceObject, PIRP Irp, PIO_STACK_LOCATION Stack)
{
    ULONG Length = Stack->Parameters.Read.Length;
    ULONG Offset = (ULONG)Stack->Parameters.Read.ByteOffset.QuadPart;
    PUCHAR Buffer;

    if (Length == 0)
        return Complete(Irp, STATUS_SUCCESS, 0);
    if (DeviceObject->Flags & DO_DIRECT_IO)
        Buffer = Irp->MdlAddress ? MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority)
                                 : NULL;
    else
        Buffer = Irp->AssociatedIrp.SystemBuffer;
    if (Buffer == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    IoTestFillPattern(Buffer, Length, Offset); /* neither branch: neither.c */
    return Complete(Irp, STATUS_SUCCESS, Length);
}

/* xcall: a write succeeds if it carries the read pattern at its offset
 * (so a test sees the data arrived); otherwise DATA_ERROR, Information =
 * the first wrong byte's index. */
static NTSTATUS Write(PDEVICE_OBJECT DeviceObject, PIRP Irp, PIO_STACK_LOCATION Stack)
{
    ULONG Length = Stack->Parameters.Write.Length;
    ULONG Offset = (ULONG)Stack->Parameters.Write.ByteOffset.QuadPart;
    PUCHAR Buffer;

    if (Length == 0)
        return Complete(Irp, STATUS_SUCCESS, 0);
    if (DeviceObject->Flags & DO_DIRECT_IO)
        Buffer = Irp->MdlAddress ? MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority)
                                 : NULL;
    else
        Buffer = Irp->AssociatedIrp.SystemBuffer;
    if (Buffer == NULL)
        return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    for (ULONG i = 0; i < Length; i++)
        if (Buffer[i] != (UCHAR)(Offset + i))
            return Complete(Irp, STATUS_DATA_ERROR, i);
    return Complete(Irp, STATUS_SUCCESS, Length);
}

static NTSTATUS NTAPI Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    switch (Stack->MajorFunction) {
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
        InterlockedIncrement(&FileEnds[Stack->MajorFunction == IRP_MJ_CLOSE]);
        if (Stack->MajorFunction == IRP_MJ_CLEANUP) /* dirctl */
            IoTestDirectoryCleanup(Stack->FileObject);
        else
            IoTestDirectoryClose(Stack->FileObject);
        return Complete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_CREATE:
        return Complete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        if (IoTestIsNeitherDevice(DeviceObject)) /* neither branch */
            return IoTestNeitherTransfer(Irp, Stack);
        if (Stack->MajorFunction == IRP_MJ_WRITE) /* xcall */
            return Write(DeviceObject, Irp, Stack);
        return Read(DeviceObject, Irp, Stack);
    case IRP_MJ_FILE_SYSTEM_CONTROL: /* neither branch: NtFsControlFile's METHOD_NEITHER */
        return IoTestNeitherControl(Irp, Stack);
    case IRP_MJ_DEVICE_CONTROL:
        return Control(Irp, Stack);
    case IRP_MJ_DIRECTORY_CONTROL: /* dirctl */
        return IoTestDirectoryControl(Irp, Stack);
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID NTAPI Unload(PDRIVER_OBJECT DriverObject)
{
    (void)DriverObject;
    for (ULONG i = 0; i < 2; i++)
        if (Devices[i])
            IoDeleteDevice(Devices[i]);
    IoTestNeitherDeleteDevice(); /* neither branch */
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    static const PCWSTR Names[2] = {L"\\Device\\IoTestBuffered", L"\\Device\\IoTestDirect"};
    static const ULONG Flags[2] = {DO_BUFFERED_IO, DO_DIRECT_IO};
    UNICODE_STRING Name;
    NTSTATUS Status;

    (void)RegistryPath;
    InitializeListHead(&Pended);
    for (ULONG i = 0; i < 2; i++) {
        RtlInitUnicodeString(&Name, Names[i]);
        Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Devices[i]);
        if (!NT_SUCCESS(Status)) {
            Unload(DriverObject);
            return Status;
        }
        Devices[i]->Flags |= Flags[i];
        Devices[i]->Flags &= ~DO_DEVICE_INITIALIZING;
    }
    Status = IoTestNeitherCreateDevice(DriverObject); /* neither branch */
    if (!NT_SUCCESS(Status)) {
        Unload(DriverObject);
        return Status;
    }
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = Dispatch;
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
