/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtDeviceIoControlFile and NtFsControlFile: an IRP_MJ_DEVICE_CONTROL /
 * IRP_MJ_FILE_SYSTEM_CONTROL with the code's transfer method (its low two
 * bits) and required access (bits 14-15: FILE_READ_ACCESS needs
 * FILE_READ_DATA on the handle, FILE_WRITE_ACCESS FILE_WRITE_DATA, as
 * Windows checks). METHOD_BUFFERED: one system buffer of the larger
 * length, the input copied in, Information bytes copied out.
 * METHOD_IN_DIRECT / OUT_DIRECT: the input buffered, the output buffer's
 * pages mapped into the driver (read-only for IN_DIRECT). METHOD_NEITHER
 * (neither branch): Windows' I/O manager passes the caller's addresses
 * unprobed and the driver probes them (ProbeForRead / ProbeForWrite in a
 * try block); here the caller's pages are mapped into the driver for the
 * IRP's life, the input read-only as Type3InputBuffer, the output
 * writable as Irp->UserBuffer, each at the same offset in its page. ntos
 * makes the probe such a driver makes before it maps: a buffer not wholly
 * readable (input) or writable (output) is ACCESS_VIOLATION, what the
 * driver's exception handler would return (a driver that never touches
 * its buffers would have succeeded on Windows: the one difference).
 */
#include "iop.h"

#include "ntsvc.h"

#define METHOD_BUFFERED   0
#define METHOD_IN_DIRECT  1
#define METHOD_OUT_DIRECT 2
#define METHOD_NEITHER    3
#define FILE_READ_ACCESS  1
#define FILE_WRITE_ACCESS 2

typedef struct _IOP_CONTROL {
    UCHAR Major;
    ULONG Code;
    USER_ADDRESS IoStatusBlock, ApcRoutine, ApcContext;
    ULONG_PTR Input, Output;
    ULONG InputLength, OutputLength;
} IOP_CONTROL;

/* The buffers' ranges, as Windows probes them before the IRP is built. */
static NTSTATUS IopProbeControlBuffers(const IOP_CONTROL *Control)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;
    ULONG Method = Control->Code & 3;
    NTSTATUS Status = STATUS_SUCCESS;

    if (Method == METHOD_NEITHER)
        return STATUS_SUCCESS; /* the driver's probes: IopMapNeitherBuffer */
    if (Control->InputLength)
        Status = KiProbeUser(Process, Control->Input, Control->InputLength, 1, FALSE,
                             STATUS_ACCESS_VIOLATION, KI_PROBE_READ);
    if (NT_SUCCESS(Status) && Control->OutputLength)
        Status = KiProbeUser(Process, Control->Output, Control->OutputLength, 1, FALSE,
                             STATUS_ACCESS_VIOLATION,
                             Method == METHOD_IN_DIRECT ? KI_PROBE_READ : KI_PROBE_WRITE);
    return Status;
}

static MAY_WAIT NTSTATUS IopControlDevice(PFILE_OBJECT FileObject, DISPATCHER_HEADER *Event,
                                          const IOP_CONTROL *Control)
{
    PDEVICE_OBJECT Device = FileObject->DeviceObject;
    ULONG Method = Control->Code & 3;
    PIOP_IRP Irp;
    NTSTATUS Status =
        IopAllocateIrp(Device->DriverObject, Device, FileObject, Control->Major, &Irp);

    if (!NT_SUCCESS(Status))
        return Status;
    IopSetUserCompletion(Irp, Control->IoStatusBlock, Event, Control->ApcRoutine,
                         Control->ApcContext);
    Irp->Request.Parameters[0] = Control->OutputLength;
    Irp->Request.Parameters[1] = Control->InputLength;
    Irp->Request.Parameters[2] = Control->Code;
    if (Method == METHOD_BUFFERED) {
        ULONG Length = Control->InputLength > Control->OutputLength ? Control->InputLength
                                                                    : Control->OutputLength;
        Status = IopProbeCallerBuffer(Control->Input, Control->InputLength, false);
        if (NT_SUCCESS(Status))
            Status = IopProbeCallerBuffer(Control->Output, Control->OutputLength, true);
        if (NT_SUCCESS(Status))
            Status = IopMapSystemBuffer(Irp, Control->Input, Control->InputLength, Length);
        Irp->CopyOut = Control->Output;
        Irp->CopyOutLength = Control->OutputLength;
        if (Control->OutputLength)
            Irp->Request.IrpFlags |= IRP_INPUT_OPERATION;
    } else if (Method == METHOD_NEITHER) {
        Status = IopMapNeitherBuffer(Irp, &Irp->Type3, Control->Input, Control->InputLength, false,
                                     false, &Irp->Request.Parameters[3]);
        if (NT_SUCCESS(Status))
            Status = IopMapNeitherBuffer(Irp, &Irp->User, Control->Output, Control->OutputLength,
                                         true, false, &Irp->Request.UserBuffer);
    } else {
        Status =
            IopMapSystemBuffer(Irp, Control->Input, Control->InputLength, Control->InputLength);
        if (NT_SUCCESS(Status))
            Status = IopMapCallerPages(Irp, Control->Output, Control->OutputLength,
                                       Method == METHOD_OUT_DIRECT);
    }
    if (NT_SUCCESS(Status))
        Status = IopCallDriver(Irp, (FileObject->Flags & FO_SYNCHRONOUS_IO) != 0);
    IopDereferenceIrp(Irp);
    return Status;
}

static MAY_WAIT NTSTATUS IopControlFile(HANDLE FileHandle, HANDLE Event, IOP_CONTROL *Control)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;
    ULONG Access = (Control->Code >> 14) & 3;
    DISPATCHER_HEADER *Completion = NULL;
    PFILE_OBJECT FileObject;
    ACCESS_MASK Granted;
    NTSTATUS Status = KiProbeUser(Process, Control->IoStatusBlock.Value, sizeof(IO_STATUS_BLOCK), 8,
                                  FALSE, STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE);

    if (NT_SUCCESS(Status))
        Status = IoInitSystem();
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandleInProcess(Process, FileHandle, IoFileObjectType, 0,
                                                    (PVOID *)&FileObject, &Granted, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (((Access & FILE_READ_ACCESS) && !(Granted & FILE_READ_DATA)) ||
        ((Access & FILE_WRITE_ACCESS) && !(Granted & FILE_WRITE_DATA)))
        Status = STATUS_ACCESS_DENIED;
    else if (FileObject->DeviceObject == NULL)
        Status = STATUS_INVALID_DEVICE_REQUEST; /* the store answers no control codes */
    if (NT_SUCCESS(Status))
        Status = IopCheckCompletionApc(FileObject, Control->ApcRoutine); /* iocomp */
    if (NT_SUCCESS(Status))
        Status = IopReferenceEvent(Event, &Completion);
    if (NT_SUCCESS(Status))
        Status = IopProbeControlBuffers(Control);
    if (NT_SUCCESS(Status))
        Status = IopControlDevice(FileObject, Completion, Control);
    if (Completion)
        ObDereferenceObject(Completion);
    ObDereferenceObject(FileObject);
    return Status;
}

NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                               USER_ADDRESS ApcContext, USER_ADDRESS IoStatusBlock,
                               ULONG IoControlCode, USER_ADDRESS InputBuffer,
                               ULONG InputBufferLength, USER_ADDRESS OutputBuffer,
                               ULONG OutputBufferLength)
{
    IOP_CONTROL Control = {
        IRP_MJ_DEVICE_CONTROL, IoControlCode,      IoStatusBlock,     ApcRoutine,        ApcContext,
        InputBuffer.Value,     OutputBuffer.Value, InputBufferLength, OutputBufferLength};

    return IopControlFile(FileHandle, Event, &Control);
}

NTSTATUS NtFsControlFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                         USER_ADDRESS ApcContext, USER_ADDRESS IoStatusBlock, ULONG FsControlCode,
                         USER_ADDRESS InputBuffer, ULONG InputBufferLength,
                         USER_ADDRESS OutputBuffer, ULONG OutputBufferLength)
{
    IOP_CONTROL Control = {IRP_MJ_FILE_SYSTEM_CONTROL,
                           FsControlCode,
                           IoStatusBlock,
                           ApcRoutine,
                           ApcContext,
                           InputBuffer.Value,
                           OutputBuffer.Value,
                           InputBufferLength,
                           OutputBufferLength};

    return IopControlFile(FileHandle, Event, &Control);
}
