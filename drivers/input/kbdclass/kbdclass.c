/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kbdclass.sys: \Device\KeyboardClass0, the keyboard class device programs
 * read. Windows' class driver sits on top of the port driver's stack and
 * gets records through a class-service callback; here the port driver is
 * another process, so a system thread of this driver opens
 * \Device\KeyboardPort0 (retrying every half second until i8042prt has
 * made it, and again if it goes away) and reads records from it with
 * ZwReadFile, queueing them for the class device's readers
 * (drivers/include/kbdqueue.h: whole records, pending until one arrives,
 * cancellable). The keyboard IOCTLs (device type FILE_DEVICE_KEYBOARD) go
 * to the port with ZwDeviceIoControlFile on a second handle, so they never
 * wait behind the thread's pending read; without a port they fail with
 * STATUS_DEVICE_NOT_CONNECTED. Other codes: STATUS_INVALID_DEVICE_REQUEST.
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
    KMUTEX PortLock; /* the two port handles */
    HANDLE ReadHandle, ControlHandle;
    HANDLE Thread;
    volatile LONG Stopping;
} KBDCLASS_EXTENSION, *PKBDCLASS_EXTENSION;

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD KbdClassUnload;
static DRIVER_DISPATCH KbdClassDispatch;
static KSTART_ROUTINE KbdClassReaderThread;

static NTSTATUS KbdClassOpenPort(PHANDLE Handle)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\KeyboardPort0");
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    InitializeObjectAttributes(&Attributes, &Name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL,
                               NULL);
    return ZwCreateFile(Handle, GENERIC_READ | SYNCHRONIZE, &Attributes, &Iosb, NULL, 0,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT,
                        NULL, 0);
}

static VOID KbdClassLockPort(PKBDCLASS_EXTENSION Ext)
{
    KeWaitForSingleObject(&Ext->PortLock, Executive, KernelMode, FALSE, NULL);
}

static VOID KbdClassUnlockPort(PKBDCLASS_EXTENSION Ext)
{
    KeReleaseMutex(&Ext->PortLock, FALSE);
}

/* Close the port handles unless the unload took them already. */
static VOID KbdClassClosePort(PKBDCLASS_EXTENSION Ext)
{
    KbdClassLockPort(Ext);
    HANDLE Read = Ext->ReadHandle, Control = Ext->ControlHandle;
    Ext->ReadHandle = Ext->ControlHandle = NULL;
    KbdClassUnlockPort(Ext);
    if (Read)
        ZwClose(Read);
    if (Control)
        ZwClose(Control);
}

/* Both handles, or neither. */
static NTSTATUS KbdClassConnect(PKBDCLASS_EXTENSION Ext)
{
    HANDLE Read, Control;
    NTSTATUS Status = KbdClassOpenPort(&Read);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KbdClassOpenPort(&Control);
    if (!NT_SUCCESS(Status)) {
        ZwClose(Read);
        return Status;
    }
    KbdClassLockPort(Ext);
    Ext->ReadHandle = Read;
    Ext->ControlHandle = Control;
    KbdClassUnlockPort(Ext);
    return STATUS_SUCCESS;
}

/* Read records from the port until it fails (port gone, handle closed by
 * the unload). */
static VOID KbdClassPump(PKBDCLASS_EXTENSION Ext, HANDLE Port)
{
    KEYBOARD_INPUT_DATA Records[KBDCLASS_READ_RECORDS];
    while (!Ext->Stopping) {
        IO_STATUS_BLOCK Iosb;
        NTSTATUS Status =
            ZwReadFile(Port, NULL, NULL, NULL, &Iosb, Records, sizeof(Records), NULL, NULL);
        if (Status == STATUS_PENDING) { /* a synchronous handle should not, but be sure */
            Status = ZwWaitForSingleObject(Port, FALSE, NULL);
            if (NT_SUCCESS(Status))
                Status = Iosb.Status;
        }
        if (!NT_SUCCESS(Status))
            return;
        ULONG Count = (ULONG)(Iosb.Information / sizeof(KEYBOARD_INPUT_DATA));
        if (Count)
            KbdQueueInsert(&Ext->Queue, Records, Count);
    }
}

static VOID KbdClassReaderThread(PVOID Context)
{
    PKBDCLASS_EXTENSION Ext = Context;
    while (!Ext->Stopping) {
        if (NT_SUCCESS(KbdClassConnect(Ext))) {
            KbdClassPump(Ext, Ext->ReadHandle);
            KbdClassClosePort(Ext);
            continue;
        }
        LARGE_INTEGER Delay;
        Delay.QuadPart = -(LONGLONG)KBDCLASS_RETRY_MS * 10000;
        KeDelayExecutionThread(KernelMode, FALSE, &Delay);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* A keyboard IOCTL goes to the port as it came (METHOD_BUFFERED: the one
 * system buffer holds the input and takes the output). */
static NTSTATUS KbdClassForward(PKBDCLASS_EXTENSION Ext, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    IO_STATUS_BLOCK Iosb = {0};
    NTSTATUS Status = STATUS_DEVICE_NOT_CONNECTED;
    if (DEVICE_TYPE_FROM_CTL_CODE(Code) != FILE_DEVICE_KEYBOARD ||
        METHOD_FROM_CTL_CODE(Code) != METHOD_BUFFERED)
        return STATUS_INVALID_DEVICE_REQUEST;
    KbdClassLockPort(Ext);
    if (Ext->ControlHandle) {
        PVOID Buffer = Irp->AssociatedIrp.SystemBuffer;
        Status = ZwDeviceIoControlFile(Ext->ControlHandle, NULL, NULL, NULL, &Iosb, Code, Buffer,
                                       Stack->Parameters.DeviceIoControl.InputBufferLength, Buffer,
                                       Stack->Parameters.DeviceIoControl.OutputBufferLength);
    }
    KbdClassUnlockPort(Ext);
    Irp->IoStatus.Information = NT_SUCCESS(Status) ? Iosb.Information : 0;
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

/* Stop the reader: closing its handle makes the port cancel its pending
 * read (IRP_MJ_CLEANUP), the thread sees Stopping and ends. */
static VOID KbdClassUnload(PDRIVER_OBJECT DriverObject)
{
    PDEVICE_OBJECT DeviceObject = DriverObject->DeviceObject;
    PKBDCLASS_EXTENSION Ext = DeviceObject->DeviceExtension;
    InterlockedExchange(&Ext->Stopping, 1);
    KbdClassClosePort(Ext);
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
