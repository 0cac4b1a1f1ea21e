/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/build.c: IRPs a driver builds to call a lower device
 * (IoBuildDeviceIoControlRequest, IoBuildSynchronousFsdRequest,
 * IoBuildAsynchronousFsdRequest). They are IopIrpBuilt IRPs: when no
 * completion routine keeps them, IofCompleteRequest copies a buffered
 * result back, fills UserIosb, sets UserEvent and frees them (irp.c).
 */

#include "iop.h"

/* The data the IRP's buffering needs: a system buffer (copied in for a
 * write, out at completion for a read), an MDL over the caller's buffer,
 * or the caller's address as it is. */
static NTSTATUS IopBufferBuiltIrp(PIRP Irp, PDEVICE_OBJECT Device, BOOLEAN Read, PVOID Buffer,
                                  ULONG Length)
{
    IOP_IRP_HEADER *Header = IopIrpHeader(Irp);

    if (Buffer == NULL || Length == 0)
        return STATUS_SUCCESS;
    if (Device->Flags & DO_BUFFERED_IO) {
        Irp->AssociatedIrp.SystemBuffer = IopAllocate(Length);
        if (Irp->AssociatedIrp.SystemBuffer == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        Header->FreeSystemBuffer = TRUE;
        Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
        if (Read) {
            Irp->Flags |= IRP_INPUT_OPERATION;
            Header->OutputBuffer = Buffer;
            Header->OutputLength = Length;
        } else {
            RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, Buffer, Length);
        }
    } else if (Device->Flags & DO_DIRECT_IO) {
        Irp->MdlAddress = IopBuildMdl(Buffer, Length);
        if (Irp->MdlAddress == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        Header->FreeMdl = TRUE;
    } else {
        Irp->UserBuffer = Buffer;
    }
    return STATUS_SUCCESS;
}

static PIRP IopBuildFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                               ULONG Length, PLARGE_INTEGER StartingOffset,
                               PIO_STATUS_BLOCK IoStatusBlock)
{
    PIO_STACK_LOCATION Stack;
    PIRP Irp;

    Irp = IopAllocateIrp(DeviceObject->StackSize, IopIrpBuilt);
    if (Irp == NULL)
        return NULL;
    Irp->RequestorMode = KernelMode;
    Irp->UserIosb = IoStatusBlock;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = (UCHAR)MajorFunction;
    if (MajorFunction == IRP_MJ_READ || MajorFunction == IRP_MJ_WRITE) {
        if (!NT_SUCCESS(IopBufferBuiltIrp(Irp, DeviceObject, MajorFunction == IRP_MJ_READ, Buffer,
                                          Length))) {
            IopFreeBuiltIrp(Irp);
            return NULL;
        }
        Stack->Parameters.Read.Length = Length;
        if (StartingOffset != NULL)
            Stack->Parameters.Read.ByteOffset = *StartingOffset;
    }
    return Irp;
}

NTKRNL_EXPORT PIRP NTAPI IoBuildAsynchronousFsdRequest(ULONG MajorFunction,
                                                       PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                                       ULONG Length, PLARGE_INTEGER StartingOffset,
                                                       PIO_STATUS_BLOCK IoStatusBlock)
{
    return IopBuildFsdRequest(MajorFunction, DeviceObject, Buffer, Length, StartingOffset,
                              IoStatusBlock);
}

NTKRNL_EXPORT PIRP NTAPI IoBuildSynchronousFsdRequest(ULONG MajorFunction,
                                                      PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                                      ULONG Length, PLARGE_INTEGER StartingOffset,
                                                      PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    PIRP Irp = IopBuildFsdRequest(MajorFunction, DeviceObject, Buffer, Length, StartingOffset,
                                  IoStatusBlock);

    if (Irp != NULL) {
        Irp->UserEvent = Event;
        Irp->Flags |= IRP_SYNCHRONOUS_API;
    }
    return Irp;
}

/* The buffers by the control code's method: METHOD_BUFFERED one system
 * buffer for input and output; the direct methods the input in a system
 * buffer and an MDL over the output; METHOD_NEITHER the caller's
 * addresses. */
static NTSTATUS IopBufferIoControl(PIRP Irp, ULONG IoControlCode, PVOID InputBuffer,
                                   ULONG InputLength, PVOID OutputBuffer, ULONG OutputLength)
{
    IOP_IRP_HEADER *Header = IopIrpHeader(Irp);
    ULONG Method = IoControlCode & 3, SystemLength = InputLength;

    if (Method == METHOD_NEITHER) {
        IoGetNextIrpStackLocation(Irp)->Parameters.DeviceIoControl.Type3InputBuffer = InputBuffer;
        Irp->UserBuffer = OutputBuffer;
        return STATUS_SUCCESS;
    }
    if (Method == METHOD_BUFFERED && OutputLength > SystemLength)
        SystemLength = OutputLength;
    if (SystemLength != 0) {
        Irp->AssociatedIrp.SystemBuffer = IopAllocate(SystemLength);
        if (Irp->AssociatedIrp.SystemBuffer == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        Header->FreeSystemBuffer = TRUE;
        Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
        if (InputBuffer != NULL)
            RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, InputBuffer, InputLength);
    }
    if (Method == METHOD_BUFFERED) {
        if (OutputBuffer != NULL && OutputLength != 0) {
            Irp->Flags |= IRP_INPUT_OPERATION;
            Header->OutputBuffer = OutputBuffer;
            Header->OutputLength = OutputLength;
        }
        Irp->UserBuffer = OutputBuffer;
    } else if (OutputBuffer != NULL && OutputLength != 0) {
        Irp->MdlAddress = IopBuildMdl(OutputBuffer, OutputLength);
        if (Irp->MdlAddress == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        Header->FreeMdl = TRUE;
    }
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT PIRP NTAPI IoBuildDeviceIoControlRequest(
    ULONG IoControlCode, PDEVICE_OBJECT DeviceObject, PVOID InputBuffer, ULONG InputBufferLength,
    PVOID OutputBuffer, ULONG OutputBufferLength, BOOLEAN InternalDeviceIoControl, PKEVENT Event,
    PIO_STATUS_BLOCK IoStatusBlock)
{
    PIO_STACK_LOCATION Stack;
    PIRP Irp;

    Irp = IopAllocateIrp(DeviceObject->StackSize, IopIrpBuilt);
    if (Irp == NULL)
        return NULL;
    Irp->RequestorMode = KernelMode;
    Irp->UserIosb = IoStatusBlock;
    Irp->UserEvent = Event;
    Irp->Flags |= IRP_SYNCHRONOUS_API;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction =
        InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
    Stack->Parameters.DeviceIoControl.IoControlCode = IoControlCode;
    Stack->Parameters.DeviceIoControl.InputBufferLength = InputBufferLength;
    Stack->Parameters.DeviceIoControl.OutputBufferLength = OutputBufferLength;
    if (!NT_SUCCESS(IopBufferIoControl(Irp, IoControlCode, InputBuffer, InputBufferLength,
                                       OutputBuffer, OutputBufferLength))) {
        IopFreeBuiltIrp(Irp);
        return NULL;
    }
    return Irp;
}
