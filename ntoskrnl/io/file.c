/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/file.c: the FILE_OBJECTs (ddk layout) of opens from ntos. Made for an
 * IRP_MJ_CREATE request, named by its pointer to ntos (the completion's
 * Cookie, the File of later requests), freed after the IRP_MJ_CLOSE. The
 * runtime keeps them on a list so that a File cookie is checked before it
 * is used: a cookie that names no open file object fails its request.
 */

#include "iop.h"

/* A file object with its list entry and name in one block. */
typedef struct _IOP_FILE {
    LIST_ENTRY Links;
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
    InsertTailList(&IopOpenFiles, &File->Links);
    return FileObject;
}

PFILE_OBJECT IopLookupFileObject(ULONG64 Cookie)
{
    PLIST_ENTRY Entry;

    for (Entry = IopOpenFiles.Flink; Entry != &IopOpenFiles; Entry = Entry->Flink) {
        IOP_FILE *File = CONTAINING_RECORD(Entry, IOP_FILE, Links);

        if ((ULONG64)(ULONG_PTR)&File->FileObject == Cookie)
            return &File->FileObject;
    }
    return NULL;
}

VOID IopDeleteFileObject(PFILE_OBJECT FileObject)
{
    IOP_FILE *File;

    if (FileObject == NULL)
        return;
    File = CONTAINING_RECORD(FileObject, IOP_FILE, FileObject);
    RemoveEntryList(&File->Links);
    IopFree(File);
}

BOOLEAN IopIsOpenFileObject(PVOID Object)
{
    return IopLookupFileObject((ULONG64)(ULONG_PTR)Object) != NULL;
}
