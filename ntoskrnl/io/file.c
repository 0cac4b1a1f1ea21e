/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/file.c: the FILE_OBJECTs (ddk layout) of opens from ntos. Made for an
 * IRP_MJ_CREATE request, named by its pointer to ntos (the completion's
 * Cookie, the File of later requests), freed after the IRP_MJ_CLOSE. The
 * runtime keeps them on a list so that a File cookie is checked before it
 * is used: a cookie that names no open file object fails its request.
 * A local open (IoGetDeviceObjectPointer) is a file object the runtime
 * made itself: its IRP_MJ_CREATE, and at the last ObDereferenceObject its
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE, are local IRPs.
 */

#include "iop.h"

/* A file object with its list entry and name in one block. */
typedef struct _IOP_FILE {
    LIST_ENTRY Links;
    BOOLEAN Local;   /* opened here (IoGetDeviceObjectPointer), not by ntos */
    LONG References; /* Local: ObReferenceObject's count; 0 sends the close */
    FILE_OBJECT FileObject;
    /* the name's characters follow */
} IOP_FILE;

static LIST_ENTRY IopOpenFiles = {&IopOpenFiles, &IopOpenFiles};

/* A non-signalled event of the ddk layout, as KeInitializeEvent makes it
 * (done here so that file objects do not depend on ke/ being linked). */
static VOID IopInitializeEvent(PKEVENT Event, EVENT_TYPE Type)
{
    RtlZeroMemory(Event, sizeof(*Event));
    Event->Header.Type = (UCHAR)Type;
    Event->Header.Size = sizeof(KEVENT) / sizeof(ULONG);
    InitializeListHead(&Event->Header.WaitListHead);
}

PFILE_OBJECT IopCreateFileObject(PDEVICE_OBJECT Device, PCWSTR Name, USHORT Length)
{
    IOP_FILE *File = IopAllocate(sizeof(IOP_FILE) + Length + sizeof(WCHAR));
    PFILE_OBJECT FileObject;

    if (File == NULL)
        return NULL;
    FileObject = &File->FileObject;
    FileObject->Type = IO_TYPE_FILE;
    FileObject->Size = sizeof(FILE_OBJECT);
    FileObject->DeviceObject = Device;
    FileObject->FileName.Buffer = (PWCH)(File + 1);
    FileObject->FileName.Length = Length;
    FileObject->FileName.MaximumLength = Length + sizeof(WCHAR);
    RtlCopyMemory(FileObject->FileName.Buffer, Name, Length);
    IopInitializeEvent(&FileObject->Lock, SynchronizationEvent);
    IopInitializeEvent(&FileObject->Event, NotificationEvent);
    InitializeListHead(&FileObject->IrpList);
    IopAcquireHostLock();
    InsertTailList(&IopOpenFiles, &File->Links);
    IopReleaseHostLock();
    return FileObject;
}

PFILE_OBJECT IopLookupFileObject(ULONG64 Cookie)
{
    PFILE_OBJECT Found = NULL;
    PLIST_ENTRY Entry;

    IopAcquireHostLock();
    for (Entry = IopOpenFiles.Flink; Entry != &IopOpenFiles; Entry = Entry->Flink) {
        IOP_FILE *File = CONTAINING_RECORD(Entry, IOP_FILE, Links);

        if ((ULONG64)(ULONG_PTR)&File->FileObject == Cookie) {
            Found = &File->FileObject;
            break;
        }
    }
    IopReleaseHostLock();
    return Found;
}

VOID IopDeleteFileObject(PFILE_OBJECT FileObject)
{
    IOP_FILE *File;

    if (FileObject == NULL)
        return;
    File = CONTAINING_RECORD(FileObject, IOP_FILE, FileObject);
    IopAcquireHostLock();
    RemoveEntryList(&File->Links);
    IopReleaseHostLock();
    IopFree(File);
}

BOOLEAN IopIsOpenFileObject(PVOID Object)
{
    return IopLookupFileObject((ULONG64)(ULONG_PTR)Object) != NULL;
}

/* One synchronous local IRP of MajorFunction on FileObject to Device; the
 * driver's status. FIXME: an IRP the driver leaves pending is not waited
 * for (STATUS_PENDING is returned; on a create its file object stays). */
static NTSTATUS IopSendLocalFileIrp(PFILE_OBJECT FileObject, PDEVICE_OBJECT Device, UCHAR Major)
{
    static IO_SECURITY_CONTEXT Security = {NULL, NULL, FILE_ALL_ACCESS, 0};
    IO_STATUS_BLOCK Iosb = {{STATUS_PENDING}, 0};
    PIO_STACK_LOCATION Stack;
    PIRP Irp;

    Irp = IopAllocateIrp(Device->StackSize, IopIrpBuilt);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->RequestorMode = KernelMode;
    Irp->UserIosb = &Iosb;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->Tail.Overlay.OriginalFileObject = FileObject;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = Major;
    Stack->FileObject = FileObject;
    if (Major == IRP_MJ_CREATE)
        Stack->Parameters.Create.SecurityContext = &Security;
    IoCallDriver(Device, Irp);
    return Iosb.Status;
}

NTSTATUS IopOpenLocalFile(PDEVICE_OBJECT Device, PFILE_OBJECT *FileObject)
{
    PDEVICE_OBJECT Top = IoGetAttachedDevice(Device);
    PFILE_OBJECT File = IopCreateFileObject(Device, L"", 0);
    NTSTATUS Status;

    *FileObject = NULL;
    if (File == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    CONTAINING_RECORD(File, IOP_FILE, FileObject)->Local = TRUE;
    CONTAINING_RECORD(File, IOP_FILE, FileObject)->References = 1;
    Status = IopSendLocalFileIrp(File, Top, IRP_MJ_CREATE);
    if (Status == STATUS_PENDING)
        return Status;
    if (!NT_SUCCESS(Status)) {
        IopDeleteFileObject(File);
        return Status;
    }
    *FileObject = File;
    return STATUS_SUCCESS;
}

BOOLEAN IopReferenceFileObject(PFILE_OBJECT FileObject, LONG Delta)
{
    IOP_FILE *File = CONTAINING_RECORD(FileObject, IOP_FILE, FileObject);
    PDEVICE_OBJECT Top;

    if (!File->Local)
        return TRUE; /* ntos's open: it lives until its IRP_MJ_CLOSE */
    File->References += Delta;
    ASSERT(File->References >= 0);
    if (File->References == 0) {
        Top = IoGetAttachedDevice(FileObject->DeviceObject);
        IopSendLocalFileIrp(FileObject, Top, IRP_MJ_CLEANUP);
        IopSendLocalFileIrp(FileObject, Top, IRP_MJ_CLOSE);
        IopDeleteFileObject(FileObject);
    }
    return TRUE;
}
