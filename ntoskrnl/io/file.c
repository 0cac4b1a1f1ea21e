/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/file.c: FILE_OBJECTs (ddk layout). An open from ntos gets one at its
 * IRP_MJ_CREATE request; ntos names it by its pointer (the completion's
 * Cookie, the File of later requests) until its IRP_MJ_CLOSE. The runtime
 * keeps the open ones on a list so that a File cookie is checked before
 * use: a cookie that names no open file object fails its request. A local
 * open (IoGetDeviceObjectPointer) is one the runtime made itself: its
 * IRP_MJ_CREATE, and at its last ObDereferenceObject its IRP_MJ_CLEANUP and
 * IRP_MJ_CLOSE, are local IRPs.
 *
 * A file object is an Ob object of krnlrt's (ObpFileType): the open holds
 * the creation's reference (dropped at the close), a driver may hold more
 * and the memory stays until the last one. The runtime's part (IOP_FILE)
 * and the name follow the FILE_OBJECT in the same block.
 */

#include "iop.h"

typedef struct _IOP_FILE {
    LIST_ENTRY Links; /* in IopOpenFiles while open */
    BOOLEAN Open;     /* on the list: ntos (or the local opener) may still use it */
    BOOLEAN Local;    /* opened here (IoGetDeviceObjectPointer), not by ntos */
    BOOLEAN Proxy;    /* xcall: an open of another process's device (io/proxy.c) */
    /* the name's characters follow */
} IOP_FILE;

static LIST_ENTRY IopOpenFiles = {&IopOpenFiles, &IopOpenFiles};

static IOP_FILE *IopFile(PFILE_OBJECT FileObject)
{
    return (IOP_FILE *)(FileObject + 1);
}

/* A non-signalled event of the ddk layout, as KeInitializeEvent makes it. */
static VOID IopInitializeEvent(PKEVENT Event, EVENT_TYPE Type)
{
    RtlZeroMemory(Event, sizeof(*Event));
    Event->Header.Type = (UCHAR)Type;
    Event->Header.Size = sizeof(KEVENT) / sizeof(ULONG);
    InitializeListHead(&Event->Header.WaitListHead);
}

/* Off the open list (once); TRUE if it was on it. */
static BOOLEAN IopUnlistFile(IOP_FILE *File)
{
    BOOLEAN WasOpen;

    IopAcquireHostLock();
    WasOpen = File->Open;
    if (WasOpen)
        RemoveEntryList(&File->Links);
    File->Open = FALSE;
    IopReleaseHostLock();
    return WasOpen;
}

static NTSTATUS IopSendLocalFileIrp(PFILE_OBJECT FileObject, PDEVICE_OBJECT Device, UCHAR Major);

/* ObpFileType's delete routine: the last reference of a local open that
 * was never closed sends its cleanup and close. */
static VOID IopDeleteFileBody(PVOID Body)
{
    PFILE_OBJECT FileObject = Body;
    PDEVICE_OBJECT Top;

    if (IopFile(FileObject)->Proxy) {
        IopCloseProxyFile(FileObject);
        return;
    }
    if (!IopUnlistFile(IopFile(FileObject)) || !IopFile(FileObject)->Local)
        return;
    Top = IoGetAttachedDevice(FileObject->DeviceObject);
    IopSendLocalFileIrp(FileObject, Top, IRP_MJ_CLEANUP);
    IopSendLocalFileIrp(FileObject, Top, IRP_MJ_CLOSE);
}

PFILE_OBJECT IopCreateFileObject(PDEVICE_OBJECT Device, PCWSTR Name, USHORT Length)
{
    PFILE_OBJECT FileObject;
    IOP_FILE *File;

    ObpFileType.Delete = IopDeleteFileBody;
    if (!NT_SUCCESS(ObpCreateObject(&ObpFileType,
                                    sizeof(FILE_OBJECT) + sizeof(IOP_FILE) + Length + sizeof(WCHAR),
                                    (PVOID *)&FileObject)))
        return NULL;
    File = IopFile(FileObject);
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
    File->Open = TRUE;
    IopReleaseHostLock();
    return FileObject;
}

PFILE_OBJECT IopLookupFileObject(ULONG64 Cookie)
{
    PFILE_OBJECT Found = NULL;
    PLIST_ENTRY Entry;

    IopAcquireHostLock();
    for (Entry = IopOpenFiles.Flink; Entry != &IopOpenFiles; Entry = Entry->Flink) {
        PFILE_OBJECT FileObject = (PFILE_OBJECT)CONTAINING_RECORD(Entry, IOP_FILE, Links) - 1;

        if ((ULONG64)(ULONG_PTR)FileObject == Cookie) {
            Found = FileObject;
            break;
        }
    }
    IopReleaseHostLock();
    return Found;
}

/* The open ends (its close, or a failed create): off the list, and the
 * open's reference goes. */
VOID IopDeleteFileObject(PFILE_OBJECT FileObject)
{
    if (FileObject == NULL)
        return;
    IopUnlistFile(IopFile(FileObject));
    ObDereferenceObject(FileObject);
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
    Status = IopSendLocalFileIrp(File, Top, IRP_MJ_CREATE);
    if (Status == STATUS_PENDING)
        return Status;
    if (!NT_SUCCESS(Status)) {
        IopDeleteFileObject(File);
        return Status;
    }
    IopFile(File)->Local = TRUE;
    *FileObject = File;
    return STATUS_SUCCESS;
}

/* xcall: the file object of a file proxy, on no open list (ntos's cookies
 * never name it); it holds the proxy's reference. */
PFILE_OBJECT IopCreateProxyFileObject(PDEVICE_OBJECT Proxy)
{
    PFILE_OBJECT FileObject = IopCreateFileObject(Proxy, L"", 0);

    if (FileObject == NULL)
        return NULL;
    IopUnlistFile(IopFile(FileObject));
    IopFile(FileObject)->Proxy = TRUE;
    return FileObject;
}
