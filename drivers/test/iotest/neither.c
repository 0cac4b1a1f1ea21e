/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * iotest's neither I/O (base/ntapitest/neither.c): METHOD_NEITHER control
 * codes that use Type3InputBuffer and Irp->UserBuffer as a Windows driver
 * does (the caller's own memory; on Nereid ntos maps it into this process
 * for the IRP's life), a request left pending that touches its buffers
 * only when another request finishes it, and \Device\IoTestNeither, a
 * device with neither DO_BUFFERED_IO nor DO_DIRECT_IO whose reads fill
 * Irp->UserBuffer (byte i = (Offset + i) & 0xff) and whose writes are
 * summed. iotest.c calls in from its dispatch routine, DriverEntry and
 * unload.
 */
#include <ntddk.h>
#include "iotest.h"
#include "neither.h"

static PDEVICE_OBJECT NeitherDevice;
static LIST_ENTRY NeitherPended;
static IOTEST_NEITHER_WRITE LastWrite;
static PVOID LastOutput; /* NEITHER_FILL's or NEITHER_PEND's Irp->UserBuffer */

static NTSTATUS NeitherComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* min(in, out) bytes from Type3InputBuffer to UserBuffer. */
static ULONG NeitherEcho(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG Count = In < Out ? In : Out;

    if (Count)
        RtlMoveMemory(Irp->UserBuffer, Stack->Parameters.DeviceIoControl.Type3InputBuffer, Count);
    return Count;
}

static NTSTATUS NeitherDescribe(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    const UCHAR *Input = Stack->Parameters.DeviceIoControl.Type3InputBuffer;
    IOTEST_NEITHER_VIEW View = {
        .Input = (ULONG_PTR)Input,
        .Output = (ULONG_PTR)Irp->UserBuffer,
        .InputLength = Stack->Parameters.DeviceIoControl.InputBufferLength,
        .OutputLength = Stack->Parameters.DeviceIoControl.OutputBufferLength,
    };

    if (View.OutputLength < sizeof(View))
        return NeitherComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    for (ULONG i = 0; i < View.InputLength; i++)
        View.InputSum += Input[i];
    RtlCopyMemory(Irp->UserBuffer, &View, sizeof(View));
    return NeitherComplete(Irp, STATUS_SUCCESS, sizeof(View));
}

static VOID NTAPI NeitherCancel(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    (void)DeviceObject;
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    NeitherComplete(Irp, STATUS_CANCELLED, 0);
}

static NTSTATUS NeitherPend(PIRP Irp)
{
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    if (Irp->Cancel) {
        IoReleaseCancelSpinLock(Irql);
        return NeitherComplete(Irp, STATUS_CANCELLED, 0);
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, NeitherCancel);
    InsertTailList(&NeitherPended, &Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irql);
    return STATUS_PENDING;
}

/* The pended requests echo now, long after their callers started waiting. */
static NTSTATUS NeitherFinish(PIRP Irp)
{
    ULONG Count = 0;
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    while (!IsListEmpty(&NeitherPended)) {
        PIRP Waiting =
            CONTAINING_RECORD(RemoveHeadList(&NeitherPended), IRP, Tail.Overlay.ListEntry);
        IoSetCancelRoutine(Waiting, NULL);
        IoReleaseCancelSpinLock(Irql);
        NeitherComplete(Waiting, STATUS_SUCCESS,
                        NeitherEcho(Waiting, IoGetCurrentIrpStackLocation(Waiting)));
        Count++;
        IoAcquireCancelSpinLock(&Irql);
    }
    IoReleaseCancelSpinLock(Irql);
    return NeitherComplete(Irp, STATUS_SUCCESS, Count);
}

/* The caller's buffer locked and mapped through an MDL of the driver's
 * own. */
static NTSTATUS NeitherFillThroughMdl(PIRP Irp, ULONG Out)
{
    PMDL Mdl;
    PUCHAR Bytes;

    if (Out == 0)
        return NeitherComplete(Irp, STATUS_SUCCESS, 0);
    Mdl = IoAllocateMdl(Irp->UserBuffer, Out, FALSE, FALSE, NULL);
    if (Mdl == NULL)
        return NeitherComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    MmProbeAndLockPages(Mdl, UserMode, IoWriteAccess); /* ntos probed it: it holds */
    Bytes = MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority);
    if (Bytes != NULL)
        for (ULONG i = 0; i < Out; i++)
            Bytes[i] = (UCHAR)(0x3c ^ i);
    MmUnlockPages(Mdl);
    IoFreeMdl(Mdl);
    return NeitherComplete(Irp, Bytes ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES,
                           Bytes ? Out : 0);
}

NTSTATUS IoTestNeitherControl(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    PUCHAR Output = Irp->UserBuffer;

    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_IOTEST_NEITHER_ECHO:
        return NeitherComplete(Irp, STATUS_SUCCESS, NeitherEcho(Irp, Stack));
    case IOCTL_IOTEST_NEITHER_FILL:
        LastOutput = Output;
        for (ULONG i = 0; i < Out; i++)
            Output[i] = (UCHAR)(0xa5 ^ i);
        return NeitherComplete(Irp, STATUS_SUCCESS, Out);
    case IOCTL_IOTEST_NEITHER_FILL_MDL:
        return NeitherFillThroughMdl(Irp, Out);
    case IOCTL_IOTEST_NEITHER_DESCRIBE:
        return NeitherDescribe(Irp, Stack);
    case IOCTL_IOTEST_NEITHER_PEND:
        LastOutput = Output;
        return NeitherPend(Irp);
    case IOCTL_IOTEST_NEITHER_STALE:
        return NeitherComplete(Irp, STATUS_SUCCESS,
                               LastOutput != NULL && MmIsAddressValid(LastOutput));
    case IOCTL_IOTEST_NEITHER_FINISH:
        return NeitherFinish(Irp);
    case IOCTL_IOTEST_NEITHER_LAST_WRITE:
        if (Out < sizeof(LastWrite))
            return NeitherComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, &LastWrite, sizeof(LastWrite));
        return NeitherComplete(Irp, STATUS_SUCCESS, sizeof(LastWrite));
    default:
        return NeitherComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

BOOLEAN IoTestIsNeitherDevice(PDEVICE_OBJECT DeviceObject)
{
    return DeviceObject != NULL && DeviceObject == NeitherDevice;
}

/* Byte i of a read at Offset is (Offset + i) & 0xff, written eight bytes
 * at a time: the benchmarks' 4 KiB reads (base/ntbench) measure the I/O
 * path, which a byte loop of 20,000 instructions hid. Each byte of the
 * word grows by 8 without carrying into the next (the low seven bits
 * added, the top bit flipped by their carry). */
VOID IoTestFillPattern(PUCHAR Buffer, ULONG Length, ULONG Offset)
{
    typedef ULONG64 __attribute__((may_alias)) IOTEST_WORD;
    const ULONG64 Low = 0x7f7f7f7f7f7f7f7full, High = 0x8080808080808080ull;
    ULONG64 Word = 0;
    ULONG i = 0;

    for (; i < Length && ((ULONG_PTR)(Buffer + i) & 7); i++)
        Buffer[i] = (UCHAR)(Offset + i);
    for (ULONG k = 0; k < 8; k++)
        Word |= (ULONG64)(UCHAR)(Offset + i + k) << (8 * k);
    for (; Length - i >= 8; i += 8) {
        *(IOTEST_WORD *)(Buffer + i) = Word;
        Word = ((Word & Low) + 0x0808080808080808ull) ^ (Word & High);
    }
    for (; i < Length; i++)
        Buffer[i] = (UCHAR)(Offset + i);
}

/* A read fills Irp->UserBuffer; a write is summed where it lies. */
NTSTATUS IoTestNeitherTransfer(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    PUCHAR Buffer = Irp->UserBuffer;
    ULONG Length = Stack->Parameters.Read.Length;
    ULONG Offset = (ULONG)Stack->Parameters.Read.ByteOffset.QuadPart;

    if (Stack->MajorFunction == IRP_MJ_READ) {
        IoTestFillPattern(Buffer, Length, Offset);
        return NeitherComplete(Irp, STATUS_SUCCESS, Length);
    }
    /* A write's buffer reaches a neither driver unprobed (ntos maps it whole
     * or, when the caller's pages fail the probe, not at all): what a
     * Windows driver's probe under its exception handler would say. */
    if (Stack->Parameters.Write.Length != 0 && !MmIsAddressValid(Buffer))
        return NeitherComplete(Irp, STATUS_ACCESS_VIOLATION, 0);
    LastWrite.Address = (ULONG_PTR)Buffer;
    LastWrite.Length = Stack->Parameters.Write.Length;
    LastWrite.Sum = 0;
    for (ULONG i = 0; i < LastWrite.Length; i++)
        LastWrite.Sum += Buffer[i];
    LastWrite.Writes++;
    return NeitherComplete(Irp, STATUS_SUCCESS, LastWrite.Length);
}

NTSTATUS IoTestNeitherCreateDevice(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING Name;
    NTSTATUS Status;

    InitializeListHead(&NeitherPended);
    RtlInitUnicodeString(&Name, IOTEST_NEITHER_DEVICE);
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &NeitherDevice);
    if (NT_SUCCESS(Status))
        NeitherDevice->Flags &= ~DO_DEVICE_INITIALIZING; /* neither I/O: no flag */
    return Status;
}

VOID IoTestNeitherDeleteDevice(VOID)
{
    if (NeitherDevice)
        IoDeleteDevice(NeitherDevice);
    NeitherDevice = NULL;
}
