/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directory control: NtQueryDirectoryFile and NtNotifyChangeDirectoryFile.
 * On a device file both become an IRP_MJ_DIRECTORY_CONTROL (minor
 * IRP_MN_QUERY_DIRECTORY / IRP_MN_NOTIFY_CHANGE_DIRECTORY) with the ddk's
 * stack parameters and a system buffer the driver sees as both
 * AssociatedIrp.SystemBuffer and Irp->UserBuffer (a file system writes
 * UserBuffer; here it is ntos's pages mapped into the driver, copied back
 * at completion). On the \SystemRoot store the directory is the archive:
 * queries are answered here at once, in FILE_*_INFORMATION records whose
 * sizes, attributes, times and ids are what NtQueryInformationFile says of
 * each file; a change notification pends until it is cancelled, its
 * thread ends or the handle closes (the archive never changes).
 */
#include "iop.h"
#include <ex.h>

#include "ntsvc.h"

#define IRP_MN_QUERY_DIRECTORY         0x01
#define IRP_MN_NOTIFY_CHANGE_DIRECTORY 0x02
#define SL_RESTART_SCAN                0x01
#define SL_RETURN_SINGLE_ENTRY         0x02
#define SL_WATCH_TREE                  0x01
#define FILE_LIST_DIRECTORY            0x0001u
#define FILE_NOTIFY_VALID_MASK         0x00000fffu

#define FileDirectoryInformation       1
#define FileFullDirectoryInformation   2
#define FileBothDirectoryInformation   3
#define FileNamesInformation           12
#define FileIdBothDirectoryInformation 37
#define FileIdFullDirectoryInformation 38
#define FileObjectIdInformation        29
#define FileQuotaInformation           32
#define FileReparsePointInformation    33

/*
 * Where each class keeps its fields (Windows' x64 layouts): every class
 * starts {NextEntryOffset, FileIndex}; all but FileNamesInformation go on
 * with the four times, EndOfFile, AllocationSize, FileAttributes and
 * FileNameLength (at 60); EaSize at 64 where present, then the short name
 * (Both: length byte at 68, 12 WCHARs at 70) and FileId (LARGE_INTEGER).
 * Size is sizeof() of the record with FileName[1]: the least Length the
 * class takes (INFO_LENGTH_MISMATCH below it, as Windows). The object id,
 * quota and reparse point classes are the I/O manager's too (their records'
 * sizes are checked) but only special NTFS directories answer them: the
 * store says INVALID_INFO_CLASS, a device's driver decides (NameOffset 0).
 */
typedef struct _IOP_DIRECTORY_CLASS {
    UCHAR Class;
    UCHAR Size;
    UCHAR NameOffset;
    UCHAR NameLengthOffset;
    UCHAR IdOffset; /* 0: none */
    bool Full;      /* times, sizes and attributes */
} IOP_DIRECTORY_CLASS;

static const IOP_DIRECTORY_CLASS IopDirectoryClasses[] = {
    {FileDirectoryInformation, 72, 64, 60, 0, true},
    {FileFullDirectoryInformation, 72, 68, 60, 0, true},
    {FileBothDirectoryInformation, 96, 94, 60, 0, true},
    {FileNamesInformation, 16, 12, 8, 0, false},
    {FileIdBothDirectoryInformation, 112, 104, 60, 96, true},
    {FileIdFullDirectoryInformation, 88, 80, 60, 72, true},
    {FileObjectIdInformation, 72, 0, 0, 0, false},
    {FileQuotaInformation, 56, 0, 0, 0, false},
    {FileReparsePointInformation, 16, 0, 0, 0, false},
};

/* The longest record: the largest fixed part and an archive name. */
#define IOP_DIRECTORY_RECORD (112 + 2 * (IOP_MAX_NAME + 1))

/* A store directory's scan on one file object. */
typedef struct _IOP_DIRECTORY_SCAN {
    ULONG Next;        /* the archive position the next query starts at */
    bool Queried;      /* a query was made: NO_MORE_FILES from now on, not NO_SUCH_FILE */
    USHORT MaskLength; /* bytes; 0: every name */
    WCHAR Mask[];      /* upper case (RtlIsNameInExpression with IgnoreCase) */
} IOP_DIRECTORY_SCAN, *PIOP_DIRECTORY_SCAN;

/* What a query asks of the store. */
typedef struct _IOP_QUERY {
    const IOP_DIRECTORY_CLASS *Class;
    ULONG_PTR Buffer;
    ULONG Length;
    bool Single, Restart;
    const UNICODE_STRING *FileName;
} IOP_QUERY;

static const IOP_DIRECTORY_CLASS *IopFindDirectoryClass(ULONG Class)
{
    for (ULONG i = 0; i < ARRAYSIZE(IopDirectoryClasses); i++)
        if (IopDirectoryClasses[i].Class == Class)
            return &IopDirectoryClasses[i];
    return NULL;
}

void IopDeleteDirectoryScan(PFILE_OBJECT FileObject)
{
    if (FileObject->DirectoryScan)
        ExFreePoolWithTag(FileObject->DirectoryScan, IOP_NAME_TAG);
    FileObject->DirectoryScan = NULL;
}

/* The scan of a store directory, made at its first query; a first query
 * or a RestartScan with a FileName sets the mask (Windows ignores the
 * FileName of later queries). */
static NTSTATUS IopPrepareScan(PFILE_OBJECT FileObject, const IOP_QUERY *Query)
{
    PIOP_DIRECTORY_SCAN Scan = FileObject->DirectoryScan;
    const UNICODE_STRING *Mask = Query->FileName;
    bool NewMask = Scan == NULL || (Query->Restart && Mask && Mask->Length);
    USHORT Length = (NewMask && Mask) ? Mask->Length : 0;

    if (NewMask) {
        PIOP_DIRECTORY_SCAN New = ExAllocatePoolWithTag(sizeof(*New) + Length, IOP_NAME_TAG);
        if (New == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        New->Next = Scan ? Scan->Next : 0;
        New->Queried = Scan ? Scan->Queried : false;
        New->MaskLength = Length;
        for (USHORT i = 0; i < Length / sizeof(WCHAR); i++)
            New->Mask[i] = RtlUpcaseUnicodeChar(Mask->Buffer[i]);
        IopDeleteDirectoryScan(FileObject);
        FileObject->DirectoryScan = Scan = New;
    }
    if (Query->Restart)
        Scan->Next = 0;
    return STATUS_SUCCESS;
}

static bool IopMatchMask(PIOP_DIRECTORY_SCAN Scan, const WCHAR *Name, USHORT Length)
{
    UNICODE_STRING Expression = {Scan->MaskLength, Scan->MaskLength, Scan->Mask};
    UNICODE_STRING String = {Length, Length, (PWSTR)Name};

    return Scan->MaskLength == 0 || RtlIsNameInExpression(&Expression, &String, TRUE, NULL);
}

/* Entry File's record of Class in Record (zeroed by the caller) with the
 * name Name; returns the record's length (name included). */
static ULONG IopBuildDirectoryRecord(const IOP_DIRECTORY_CLASS *Class, PIOP_STORE_FILE File,
                                     const WCHAR *Name, ULONG NameBytes, UCHAR *Record)
{
    LONGLONG EndOfFile = (LONGLONG)File->Size, Allocation = IopStoreAllocation(File);
    ULONG Attributes = IopStoreAttributes(File);
    LONGLONG Id = (LONGLONG)File->Index;

    /* NextEntryOffset and FileIndex stay 0 (FileIndex: none, as NTFS);
     * the four times stay 0, as FileBasicInformation reports them. */
    if (Class->Full) {
        memcpy(Record + 40, &EndOfFile, 8);
        memcpy(Record + 48, &Allocation, 8);
        memcpy(Record + 56, &Attributes, 4);
    }
    if (Class->IdOffset)
        memcpy(Record + Class->IdOffset, &Id, 8);
    memcpy(Record + Class->NameLengthOffset, &NameBytes, 4);
    memcpy(Record + Class->NameOffset, Name, NameBytes);
    return Class->NameOffset + NameBytes;
}

/* The entry's name as UTF-16 (archive names are ASCII). */
static ULONG IopEntryName(PIOP_STORE_FILE File, WCHAR *Name)
{
    ULONG i;

    for (i = 0; File->Name[i] && i < IOP_MAX_NAME; i++)
        Name[i] = (UCHAR)File->Name[i];
    return i * sizeof(WCHAR);
}

/* Link the record at Previous to the one at Offset (NextEntryOffset). */
static NTSTATUS IopLinkRecord(ULONG_PTR Buffer, ULONG Previous, ULONG Offset)
{
    ULONG Next = Offset - Previous;

    return MmCopyToUser(KeGetCurrentThread()->Process, Buffer + Previous, &Next, sizeof(Next));
}

/*
 * Fill the caller's buffer from the scan's position: records 8-aligned,
 * chained by NextEntryOffset, the last one 0; Information ends at the last
 * record's name. An entry that does not fit stays for the next query; if
 * it is the first, its fixed part and as much of the name as fits are
 * written with BUFFER_OVERFLOW and Information = Length (Windows).
 */
static NTSTATUS IopFillDirectory(PIOP_DIRECTORY_SCAN Scan, const IOP_QUERY *Query,
                                 ULONG_PTR *Information)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;
    ULONG Position = Scan->Next, Offset = 0, Previous = 0, Written = 0;
    UCHAR Record[IOP_DIRECTORY_RECORD];
    WCHAR Name[IOP_MAX_NAME + 1];
    NTSTATUS Status = STATUS_SUCCESS;
    PIOP_STORE_FILE File;

    for (;; Position++) {
        ULONG NameBytes, Size;

        File = NULL;
        Status = IopStoreDirectoryEntry(Position, &File);
        if (Status == STATUS_NO_MORE_FILES)
            Status = STATUS_SUCCESS; /* the end of the archive */
        if (!NT_SUCCESS(Status) || File == NULL)
            break;
        NameBytes = IopEntryName(File, Name);
        if (!IopMatchMask(Scan, Name, (USHORT)NameBytes))
            continue;
        memset(Record, 0, sizeof(Record));
        Size = IopBuildDirectoryRecord(Query->Class, File, Name, NameBytes, Record);
        if (Written && Offset + Size > Query->Length)
            break; /* for the next query */
        if (!Written && Size > Query->Length) {
            Status = MmCopyToUser(Process, Query->Buffer, Record, Query->Length);
            if (NT_SUCCESS(Status))
                Status = STATUS_BUFFER_OVERFLOW, *Information = Query->Length;
            return Status; /* the entry stays for the next query */
        }
        Status = MmCopyToUser(Process, Query->Buffer + Offset, Record, Size);
        if (NT_SUCCESS(Status) && Written)
            Status = IopLinkRecord(Query->Buffer, Previous, Offset);
        if (!NT_SUCCESS(Status))
            return Status;
        Written++;
        Previous = Offset;
        *Information = Offset + Size;
        Offset = (Offset + Size + 7) & ~7u;
        Scan->Next = Position + 1;
        if (Query->Single || Offset >= Query->Length)
            break;
    }
    if (!NT_SUCCESS(Status))
        return Status;
    if (Written)
        return STATUS_SUCCESS;
    return Scan->Queried ? STATUS_NO_MORE_FILES : STATUS_NO_SUCH_FILE;
}

/* The completion of a query the store answered at once, as Windows
 * completes one a file system did not leave pending: an error
 * (NO_SUCH_FILE, INVALID_INFO_CLASS, ...) reports through the return value
 * only, even on a synchronous file (Windows leaves that IO_STATUS_BLOCK
 * alone, as Wine's tests record); anything else (NO_MORE_FILES and
 * BUFFER_OVERFLOW included) through the IO_STATUS_BLOCK, the Event, then
 * the APC or the completion port. */
static void IopCompleteStoreRequest(PFILE_OBJECT FileObject, NTSTATUS Status, ULONG_PTR Information,
                                    USER_ADDRESS IoStatusBlock, DISPATCHER_HEADER *Event,
                                    USER_ADDRESS ApcRoutine, USER_ADDRESS ApcContext)
{
    PETHREAD Thread = KeGetCurrentThread();
    IO_STATUS_BLOCK Iosb = {.Status = Status, .Information = Information};

    if (NT_ERROR(Status))
        return;
    MmCopyToUser(Thread->Process, IoStatusBlock.Value, &Iosb, sizeof(Iosb));
    if (Event)
        KeSetEvent(Event);
    if (ApcRoutine.Value != 0)
        KeInsertUserApc(Thread, ApcRoutine.Value, ApcContext.Value, IoStatusBlock.Value, 0);
    else
        IopCompleteToPort(FileObject, ApcContext.Value, Status, Information);
}

/* ---- the device path ------------------------------------------------------------------ */

/* Query: the mask goes to the driver as a UNICODE_STRING and its
 * characters in one read-only mapping; FileName in the stack location
 * points at it. */
static NTSTATUS IopMapMask(PIOP_IRP Irp, const UNICODE_STRING *FileName)
{
    ULONG Length = 16 + FileName->Length;
    UCHAR *Data = ExAllocatePoolWithTag(Length, IOP_NAME_TAG);
    ULONG64 Header[2];
    NTSTATUS Status;

    if (Data == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Data + 16, FileName->Buffer, FileName->Length);
    Status = IopMapKernelData(Irp, Data, Length);
    ExFreePoolWithTag(Data, IOP_NAME_TAG);
    if (!NT_SUCCESS(Status))
        return Status;
    /* {Length, MaximumLength, pad, Buffer} in the driver's view; the pages
     * are ntos's own, so they can be written after being mapped. */
    Header[0] = (ULONG64)FileName->Length | (ULONG64)FileName->Length << 16;
    Header[1] = Irp->Name.DriverVa + 16;
    memcpy(MmPageAddress(Irp->Name.Pages[0]), Header, sizeof(Header));
    Irp->Request.Parameters[1] = Irp->Name.DriverVa;
    return STATUS_SUCCESS;
}

/* A directory-control IRP of Minor on a device file with a system buffer
 * of Length for the driver's output. */
static MAY_WAIT NTSTATUS IopDirectoryControlDevice(
    PFILE_OBJECT FileObject, UCHAR Minor, UCHAR StackFlags, const ULONG64 Parameters[4],
    const UNICODE_STRING *FileName, USER_ADDRESS IoStatusBlock, DISPATCHER_HEADER *Event,
    USER_ADDRESS ApcRoutine, USER_ADDRESS ApcContext, ULONG_PTR Buffer)
{
    PDEVICE_OBJECT Device = FileObject->DeviceObject;
    ULONG Length = (ULONG)Parameters[0];
    PIOP_IRP Irp;
    NTSTATUS Status =
        IopAllocateIrp(Device->DriverObject, Device, FileObject, IRP_MJ_DIRECTORY_CONTROL, &Irp);

    if (!NT_SUCCESS(Status))
        return Status;
    IopSetUserCompletion(Irp, IoStatusBlock, Event, ApcRoutine, ApcContext);
    Irp->Request.MinorFunction = Minor;
    Irp->Request.StackFlags = StackFlags;
    memcpy(Irp->Request.Parameters, Parameters, sizeof(Irp->Request.Parameters));
    Status = IopMapSystemBuffer(Irp, Buffer, 0, Length);
    Irp->CopyOut = Buffer;
    Irp->CopyOutLength = Length;
    Irp->Request.IrpFlags |= IRP_INPUT_OPERATION;
    Irp->Request.UserBuffer = Irp->Request.SystemBuffer; /* the runtime sets Irp->UserBuffer */
    if (NT_SUCCESS(Status) && FileName && FileName->Length)
        Status = IopMapMask(Irp, FileName);
    if (NT_SUCCESS(Status))
        Status = IopCallDriver(Irp, (FileObject->Flags & FO_SYNCHRONOUS_IO) != 0);
    IopDereferenceIrp(Irp);
    return Status;
}

/* ---- the services ----------------------------------------------------------------------- */

/* What both services check before the handle: the IO_STATUS_BLOCK
 * (8-aligned, writable) and the output buffer (ULONG-aligned, writable). */
static NTSTATUS IopProbeDirectoryArguments(USER_ADDRESS IoStatusBlock, USER_ADDRESS Buffer,
                                           ULONG Length)
{
    NTSTATUS Status =
        KiProbeUser(KeGetCurrentThread()->Process, IoStatusBlock.Value, sizeof(IO_STATUS_BLOCK), 8,
                    FALSE, STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE);

    if (NT_SUCCESS(Status))
        Status =
            KiProbeClassBuffer((USER_BUFFER){Buffer.Value, Length}, sizeof(ULONG), KI_PROBE_WRITE);
    if (NT_SUCCESS(Status))
        Status = IoInitSystem();
    return Status;
}

/* The file (FILE_LIST_DIRECTORY), its completion checks and the Event. */
static NTSTATUS IopReferenceDirectory(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                                      PFILE_OBJECT *FileObject, DISPATCHER_HEADER **Completion)
{
    NTSTATUS Status = ObReferenceObjectByHandle(FileHandle, IoFileObjectType, FILE_LIST_DIRECTORY,
                                                (PVOID *)FileObject);

    *Completion = NULL;
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopCheckCompletionApc(*FileObject, ApcRoutine); /* iocomp */
    if (NT_SUCCESS(Status))
        Status = IopReferenceEvent(Event, Completion);
    if (!NT_SUCCESS(Status))
        ObDereferenceObject(*FileObject);
    return Status;
}

/* A query of the store: a directory answers at once, a file is no
 * directory (INVALID_PARAMETER, as Windows' file systems say). */
static NTSTATUS IopQueryStoreDirectory(PFILE_OBJECT FileObject, const IOP_QUERY *Query,
                                       ULONG_PTR *Information)
{
    NTSTATUS Status;

    if (!FileObject->FsContext->Directory)
        return STATUS_INVALID_PARAMETER;
    if (Query->Class->NameOffset == 0)
        return STATUS_INVALID_INFO_CLASS; /* no object ids, quotas or reparse points */
    Status = IopPrepareScan(FileObject, Query);
    if (NT_SUCCESS(Status))
        Status = IopFillDirectory(FileObject->DirectoryScan, Query, Information);
    if (Status != STATUS_ACCESS_VIOLATION && FileObject->DirectoryScan)
        FileObject->DirectoryScan->Queried = true;
    return Status;
}

NTSTATUS NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                              USER_ADDRESS ApcContext, USER_ADDRESS IoStatusBlock,
                              USER_ADDRESS FileInformation, ULONG Length,
                              ULONG FileInformationClass, BOOLEAN ReturnSingleEntry,
                              const UNICODE_STRING *FileName, BOOLEAN RestartScan)
{
    IOP_QUERY Query = {IopFindDirectoryClass(FileInformationClass),
                       FileInformation.Value,
                       Length,
                       ReturnSingleEntry != 0,
                       RestartScan != 0,
                       FileName};
    DISPATCHER_HEADER *Completion;
    PFILE_OBJECT FileObject;
    ULONG_PTR Information = 0;
    NTSTATUS Status;

    if (Query.Class == NULL)
        return STATUS_INVALID_INFO_CLASS;
    if (Length < Query.Class->Size)
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = IopProbeDirectoryArguments(IoStatusBlock, FileInformation, Length);
    if (NT_SUCCESS(Status))
        Status = IopReferenceDirectory(FileHandle, Event, ApcRoutine, &FileObject, &Completion);
    if (!NT_SUCCESS(Status))
        return Status;
    if (FileObject->DeviceObject) {
        ULONG64 Parameters[4] = {Length, 0, FileInformationClass, 0};
        UCHAR Flags =
            (RestartScan ? SL_RESTART_SCAN : 0) | (ReturnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0);
        Status = IopDirectoryControlDevice(FileObject, IRP_MN_QUERY_DIRECTORY, Flags, Parameters,
                                           FileName, IoStatusBlock, Completion, ApcRoutine,
                                           ApcContext, FileInformation.Value);
    } else {
        Status = IopQueryStoreDirectory(FileObject, &Query, &Information);
        IopCompleteStoreRequest(FileObject, Status, Information, IoStatusBlock, Completion,
                                ApcRoutine, ApcContext);
    }
    if (Completion)
        ObDereferenceObject(Completion);
    ObDereferenceObject(FileObject);
    return Status;
}

/* ---- change notification on the store ------------------------------------------------- */

/* A notification pending on a store directory: nothing in the archive
 * changes, so it ends only by cancel (CANCELLED), its thread's end
 * (CANCELLED) or the last handle's close (NOTIFY_CLEANUP). */
typedef struct _IOP_STORE_NOTIFY {
    LONG RefCount;            /* the list while pending + a synchronous waiter */
    PETHREAD Thread;          /* referenced */
    PFILE_OBJECT FileObject;  /* referenced */
    DISPATCHER_HEADER *Event; /* referenced, or NULL */
    USER_ADDRESS IoStatusBlock, ApcRoutine, ApcContext;
    NTSTATUS Status;
    DISPATCHER_HEADER Done;
    struct _IOP_STORE_NOTIFY *Next;
} IOP_STORE_NOTIFY, *PIOP_STORE_NOTIFY;

static PIOP_STORE_NOTIFY IopStoreNotifications;

static void IopDereferenceNotify(PIOP_STORE_NOTIFY Notify)
{
    if (--Notify->RefCount != 0)
        return;
    if (Notify->Event)
        ObDereferenceObject(Notify->Event);
    ObDereferenceObject(Notify->FileObject);
    ObDereferenceObject(Notify->Thread);
    ExFreePoolWithTag(Notify, IOP_NAME_TAG);
}

/* Complete Notify with Status in its thread's process (as complete.c does
 * for a pended IRP: the IO_STATUS_BLOCK, the Event, the APC or packet). */
static void IopCompleteNotify(PIOP_STORE_NOTIFY Notify, NTSTATUS Status)
{
    PETHREAD Thread = Notify->Thread;
    IO_STATUS_BLOCK Iosb = {.Status = Status, .Information = 0};

    Notify->Status = Status;
    if (Thread->Process->AddressSpace != NULL)
        MmCopyToUser(Thread->Process, Notify->IoStatusBlock.Value, &Iosb, sizeof(Iosb));
    if (Notify->Event)
        KeSetEvent(Notify->Event);
    if (Notify->ApcRoutine.Value != 0)
        KeInsertUserApc(Thread, Notify->ApcRoutine.Value, Notify->ApcContext.Value,
                        Notify->IoStatusBlock.Value, 0);
    else
        IopCompleteToPort(Notify->FileObject, Notify->ApcContext.Value, Status, 0);
    KeSignalObject(&Notify->Done, 1);
    IopDereferenceNotify(Notify); /* the list's */
}

/* Complete every pending notification Match accepts. */
static void IopEndStoreNotifications(PETHREAD Thread, PFILE_OBJECT FileObject, NTSTATUS Status)
{
    PIOP_STORE_NOTIFY *Link = &IopStoreNotifications;

    while (*Link) {
        PIOP_STORE_NOTIFY Notify = *Link;
        if ((Thread && Notify->Thread != Thread) ||
            (FileObject && Notify->FileObject != FileObject)) {
            Link = &Notify->Next;
            continue;
        }
        *Link = Notify->Next;
        IopCompleteNotify(Notify, Status);
    }
}

void IopCancelStoreNotifications(PETHREAD Thread, PFILE_OBJECT FileObject)
{
    IopEndStoreNotifications(Thread, FileObject, STATUS_CANCELLED);
}

void IopCleanupStoreNotifications(PFILE_OBJECT FileObject)
{
    IopEndStoreNotifications(NULL, FileObject, STATUS_NOTIFY_CLEANUP);
}

/* Pend a notification on a store directory: an asynchronous file gets
 * STATUS_PENDING, a synchronous one waits for the end. */
static MAY_WAIT NTSTATUS IopPendStoreNotify(PFILE_OBJECT FileObject, DISPATCHER_HEADER *Event,
                                            USER_ADDRESS IoStatusBlock, USER_ADDRESS ApcRoutine,
                                            USER_ADDRESS ApcContext)
{
    PIOP_STORE_NOTIFY Notify;
    DISPATCHER_HEADER *Done;
    NTSTATUS Status;

    if (!FileObject->FsContext->Directory)
        return STATUS_INVALID_PARAMETER;
    Notify = ExAllocatePoolWithTag(sizeof(*Notify), IOP_NAME_TAG);
    if (Notify == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Notify = (IOP_STORE_NOTIFY){.RefCount = 1,
                                 .Thread = KeGetCurrentThread(),
                                 .FileObject = FileObject,
                                 .Event = Event,
                                 .IoStatusBlock = IoStatusBlock,
                                 .ApcRoutine = ApcRoutine,
                                 .ApcContext = ApcContext,
                                 .Status = STATUS_PENDING,
                                 .Next = IopStoreNotifications};
    ObReferenceObject(Notify->Thread);
    ObReferenceObject(FileObject);
    if (Event)
        ObReferenceObject(Event);
    KeInitializeDispatcherHeader(&Notify->Done, KiNotificationObject, 0);
    IopStoreNotifications = Notify;
    if (!(FileObject->Flags & FO_SYNCHRONOUS_IO))
        return STATUS_PENDING;
    Notify->RefCount++;
    Done = &Notify->Done;
    Status = KeWaitForMultipleObjects(1, &Done, false, false, NULL);
    if (Status == STATUS_WAIT_0)
        Status = Notify->Status;
    IopDereferenceNotify(Notify);
    return Status; /* a thread that ends: its notification is cancelled (IoThreadEnded) */
}

NTSTATUS NtNotifyChangeDirectoryFile(HANDLE FileHandle, HANDLE Event, USER_ADDRESS ApcRoutine,
                                     USER_ADDRESS ApcContext, USER_ADDRESS IoStatusBlock,
                                     USER_ADDRESS Buffer, ULONG Length, ULONG CompletionFilter,
                                     BOOLEAN WatchTree)
{
    DISPATCHER_HEADER *Completion;
    PFILE_OBJECT FileObject;
    NTSTATUS Status;

    if (CompletionFilter == 0 || (CompletionFilter & ~FILE_NOTIFY_VALID_MASK))
        return STATUS_INVALID_PARAMETER;
    Status = IopProbeDirectoryArguments(IoStatusBlock, Buffer, Length);
    if (NT_SUCCESS(Status))
        Status = IopReferenceDirectory(FileHandle, Event, ApcRoutine, &FileObject, &Completion);
    if (!NT_SUCCESS(Status))
        return Status;
    if (FileObject->DeviceObject) {
        ULONG64 Parameters[4] = {Length, CompletionFilter, 0, 0};
        Status = IopDirectoryControlDevice(
            FileObject, IRP_MN_NOTIFY_CHANGE_DIRECTORY, WatchTree ? SL_WATCH_TREE : 0, Parameters,
            NULL, IoStatusBlock, Completion, ApcRoutine, ApcContext, Buffer.Value);
    } else {
        Status = IopPendStoreNotify(FileObject, Completion, IoStatusBlock, ApcRoutine, ApcContext);
    }
    if (Completion)
        ObDereferenceObject(Completion);
    ObDereferenceObject(FileObject);
    return Status;
}
