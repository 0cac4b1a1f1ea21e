/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kbdclass.sys: \Device\KeyboardClass0, the keyboard class device programs
 * read. Windows' class driver sits on top of the port driver's stack and
 * gets records through a class-service callback; here the port driver is
 * another process, so a system thread of this driver opens
 * \Device\KeyboardPort0 with IoGetDeviceObjectPointer (retrying every half
 * second until i8042prt has made it, and again if it goes away) and sends
 * it IRP_MJ_READs of its own (IoAllocateIrp, reused; IoCallDriver goes
 * through ntos to the other process), queueing the records for the class
 * device's readers (drivers/include/kbdqueue.h: whole records, pending
 * until one arrives, cancellable). The keyboard IOCTLs (device type
 * FILE_DEVICE_KEYBOARD) go to the port as IRPs of their own (on the
 * request's system buffer, waited for), next to the thread's pending read; without a port they fail
 * with STATUS_DEVICE_NOT_CONNECTED. Other codes: STATUS_INVALID_DEVICE_REQUEST.
 *
 * Windows lets one trusted reader (the window manager, holding
 * SeTcbPrivilege) read the class device; Nereid has no privileges yet, so
 * any number of handles may read and records go to the reads in order.
 */
#include <ntifs.h> /* ZwWaitForSingleObject */
#include <kbdqueue.h>

#define KBDCLASS_QUEUE_RECORDS 100 /* Windows' KeyboardDataQueueSize default */
#define KBDCLASS_READ_RECORDS  16  /* records one read from the port may bring */
#define KBDCLASS_RETRY_MS      500

typedef struct _KBDCLASS_EXTENSION {
    KBD_QUEUE Queue; /* first: kbdqueue.h's cancel routine finds it there */
    KEYBOARD_INPUT_DATA QueueStorage[KBDCLASS_QUEUE_RECORDS];
    KMUTEX PortLock;       /* the port and the read in flight */
    PFILE_OBJECT PortFile; /* the open of the port (IoGetDeviceObjectPointer), or NULL */
    PDEVICE_OBJECT PortDevice;
    PIRP PortRead; /* the thread's read while it is at the port */
    KEYBOARD_INPUT_DATA Records[KBDCLASS_READ_RECORDS]; /* what it reads into */
    KEVENT ReadDone;
    HANDLE Thread;
    volatile LONG Stopping;
} KBDCLASS_EXTENSION, *PKBDCLASS_EXTENSION;

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD KbdClassUnload;
static DRIVER_DISPATCH KbdClassDispatch;
static KSTART_ROUTINE KbdClassReaderThread;

static VOID KbdClassLockPort(PKBDCLASS_EXTENSION Ext)
{
    KeWaitForSingleObject(&Ext->PortLock, Executive, KernelMode, FALSE, NULL);
}

static VOID KbdClassUnlockPort(PKBDCLASS_EXTENSION Ext)
{
    KeReleaseMutex(&Ext->PortLock, FALSE);
}

/* The port's file object, referenced for the caller, or NULL. */
static PFILE_OBJECT KbdClassReferencePort(PKBDCLASS_EXTENSION Ext, PDEVICE_OBJECT *Device)
{
    PFILE_OBJECT File;

    KbdClassLockPort(Ext);
    File = Ext->PortFile;
    *Device = Ext->PortDevice;
    if (File)
        ObReferenceObject(File);
    KbdClassUnlockPort(Ext);
    return File;
}

/* Forget the port; its open closes with the last reference. */
static VOID KbdClassClosePort(PKBDCLASS_EXTENSION Ext)
{
    PFILE_OBJECT File;

    KbdClassLockPort(Ext);
    File = Ext->PortFile;
    Ext->PortFile = NULL;
    Ext->PortDevice = NULL;
    KbdClassUnlockPort(Ext);
    if (File)
        ObDereferenceObject(File);
}

static NTSTATUS KbdClassConnect(PKBDCLASS_EXTENSION Ext)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\KeyboardPort0");
    PDEVICE_OBJECT Device;
    PFILE_OBJECT File;
    NTSTATUS Status = IoGetDeviceObjectPointer(&Name, FILE_READ_DATA, &File, &Device);

    if (!NT_SUCCESS(Status))
        return Status;
    KbdClassLockPort(Ext);
    Ext->PortFile = File;
    Ext->PortDevice = Device;
    KbdClassUnlockPort(Ext);
    return STATUS_SUCCESS;
}

/* The thread's read keeps its IRP (the unload may cancel it at any time
 * until the thread took it back). */
static NTSTATUS KbdClassReadDone(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PKBDCLASS_EXTENSION Ext = Context;

    KeSetEvent(&Ext->ReadDone, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* One read of up to KBDCLASS_READ_RECORDS records from the port. */
static NTSTATUS KbdClassReadPort(PKBDCLASS_EXTENSION Ext, PIRP Irp, PFILE_OBJECT File,
                                 PDEVICE_OBJECT Device, ULONG *Count)
{
    PIO_STACK_LOCATION Stack;

    IoReuseIrp(Irp, STATUS_SUCCESS);
    Irp->AssociatedIrp.SystemBuffer = Ext->Records; /* the port is DO_BUFFERED_IO */
    Irp->Flags = IRP_BUFFERED_IO | IRP_INPUT_OPERATION;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = IRP_MJ_READ;
    Stack->Parameters.Read.Length = sizeof(Ext->Records);
    Stack->FileObject = File;
    IoSetCompletionRoutine(Irp, KbdClassReadDone, Ext, TRUE, TRUE, TRUE);
    KeClearEvent(&Ext->ReadDone);
    KbdClassLockPort(Ext);
    if (Ext->Stopping) {
        KbdClassUnlockPort(Ext);
        return STATUS_CANCELLED;
    }
    Ext->PortRead = Irp;
    KbdClassUnlockPort(Ext);
    IoCallDriver(Device, Irp);
    KeWaitForSingleObject(&Ext->ReadDone, Executive, KernelMode, FALSE, NULL);
    KbdClassLockPort(Ext);
    Ext->PortRead = NULL;
    KbdClassUnlockPort(Ext);
    *Count = (ULONG)(Irp->IoStatus.Information / sizeof(KEYBOARD_INPUT_DATA));
    return Irp->IoStatus.Status;
}

/* Read records from the port until a read fails (the port went, or the
 * unload cancelled it). */
static VOID KbdClassPump(PKBDCLASS_EXTENSION Ext)
{
    PDEVICE_OBJECT Device;
    PFILE_OBJECT File = KbdClassReferencePort(Ext, &Device);
    PIRP Irp = File ? IoAllocateIrp(Device->StackSize, FALSE) : NULL;
    ULONG Count;

    while (Irp != NULL && !Ext->Stopping) {
        if (!NT_SUCCESS(KbdClassReadPort(Ext, Irp, File, Device, &Count)))
            break;
        if (Count)
            KbdQueueInsert(&Ext->Queue, Ext->Records, Count);
    }
    if (Irp)
        IoFreeIrp(Irp);
    if (File)
        ObDereferenceObject(File);
}

static VOID KbdClassReaderThread(PVOID Context)
{
    PKBDCLASS_EXTENSION Ext = Context;
    while (!Ext->Stopping) {
        if (NT_SUCCESS(KbdClassConnect(Ext))) {
            KbdClassPump(Ext);
            KbdClassClosePort(Ext);
            continue;
        }
        LARGE_INTEGER Delay;
        Delay.QuadPart = -(LONGLONG)KBDCLASS_RETRY_MS * 10000;
        KeDelayExecutionThread(KernelMode, FALSE, &Delay);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* The port's answer to a forwarded IOCTL: the IRP stays ours. */
static NTSTATUS KbdClassIoctlDone(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* A keyboard IOCTL goes to the port as it came, as an IRP of its own
 * waited for here, with the request's own system buffer (METHOD_BUFFERED:
 * it holds the input and takes the output), so nothing is allocated for
 * its lengths. */
static NTSTATUS KbdClassForward(PKBDCLASS_EXTENSION Ext, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp), Next;
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    PDEVICE_OBJECT Device;
    PFILE_OBJECT File;
    KEVENT Done;
    PIRP Own;
    NTSTATUS Status;

    if (DEVICE_TYPE_FROM_CTL_CODE(Code) != FILE_DEVICE_KEYBOARD ||
        METHOD_FROM_CTL_CODE(Code) != METHOD_BUFFERED)
        return STATUS_INVALID_DEVICE_REQUEST;
    File = KbdClassReferencePort(Ext, &Device);
    if (File == NULL)
        return STATUS_DEVICE_NOT_CONNECTED;
    Own = IoAllocateIrp(Device->StackSize, FALSE);
    if (Own == NULL) {
        ObDereferenceObject(File);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    Own->AssociatedIrp.SystemBuffer = Irp->AssociatedIrp.SystemBuffer;
    Own->Flags = IRP_BUFFERED_IO;
    Next = IoGetNextIrpStackLocation(Own);
    Next->MajorFunction = IRP_MJ_DEVICE_CONTROL;
    Next->Parameters.DeviceIoControl = Stack->Parameters.DeviceIoControl;
    Next->FileObject = File;
    IoSetCompletionRoutine(Own, KbdClassIoctlDone, &Done, TRUE, TRUE, TRUE);
    IoCallDriver(Device, Own);
    KeWaitForSingleObject(&Done, Executive, KernelMode, FALSE, NULL);
    Status = Own->IoStatus.Status;
    Irp->IoStatus.Information = NT_SUCCESS(Status) ? Own->IoStatus.Information : 0;
    IoFreeIrp(Own);
    ObDereferenceObject(File);
    return Status;
}

static NTSTATUS KbdClassDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PKBDCLASS_EXTENSION Ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;
    Irp->IoStatus.Information = 0;
    switch (Stack->MajorFunction) {
    case IRP_MJ_READ:
        return KbdQueueRead(&Ext->Queue, Irp);
    case IRP_MJ_DEVICE_CONTROL:
        Status = KbdClassForward(Ext, Irp);
        break;
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
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* Stop the reader: its read at the port is cancelled (through ntos), the
 * thread sees Stopping and ends, and the port's open closes. */
static VOID KbdClassUnload(PDRIVER_OBJECT DriverObject)
{
    PDEVICE_OBJECT DeviceObject = DriverObject->DeviceObject;
    PKBDCLASS_EXTENSION Ext = DeviceObject->DeviceExtension;
    KbdClassLockPort(Ext);
    InterlockedExchange(&Ext->Stopping, 1);
    if (Ext->PortRead)
        IoCancelIrp(Ext->PortRead);
    KbdClassUnlockPort(Ext);
    if (Ext->Thread) {
        LARGE_INTEGER Timeout;
        Timeout.QuadPart = -2000 * 10000LL;
        if (ZwWaitForSingleObject(Ext->Thread, FALSE, &Timeout) == STATUS_TIMEOUT)
            DbgPrint("kbdclass: the reader thread did not stop\n");
        ZwClose(Ext->Thread);
    }
    KbdQueueCancelFile(&Ext->Queue, NULL);
    IoDeleteDevice(DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\KeyboardClass0");
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS Status =
        IoCreateDevice(DriverObject, sizeof(KBDCLASS_EXTENSION), &Name, FILE_DEVICE_KEYBOARD,
                       FILE_DEVICE_SECURE_OPEN, FALSE, &DeviceObject);
    if (!NT_SUCCESS(Status))
        return Status;
    PKBDCLASS_EXTENSION Ext = DeviceObject->DeviceExtension;
    RtlZeroMemory(Ext, sizeof(*Ext));
    KbdQueueInitialize(&Ext->Queue, Ext->QueueStorage, KBDCLASS_QUEUE_RECORDS);
    KeInitializeMutex(&Ext->PortLock, 0);
    KeInitializeEvent(&Ext->ReadDone, NotificationEvent, FALSE);
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = KbdClassDispatch;
    DriverObject->DriverUnload = KbdClassUnload;
    DeviceObject->Flags |= DO_BUFFERED_IO;
    DeviceObject->Flags &= ~DO_DEVICE_INITIALIZING;
    Status = PsCreateSystemThread(&Ext->Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                  KbdClassReaderThread, Ext);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(DeviceObject);
        return Status;
    }
    return STATUS_SUCCESS;
}
