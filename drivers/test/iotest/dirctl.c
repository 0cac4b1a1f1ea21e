/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * iotest's directory control (IRP_MJ_DIRECTORY_CONTROL), as a file
 * system answers it: IRP_MN_QUERY_DIRECTORY lists a small directory of
 * its own (dirctl.h) in the six FILE_*_INFORMATION classes NtQueryDirectoryFile
 * passes, with the mask of the first query (or of a restart) matched by
 * FsRtlIsNameInExpression, SL_RESTART_SCAN and SL_RETURN_SINGLE_ENTRY
 * honoured, the output written to Irp->UserBuffer; IRP_MN_NOTIFY_CHANGE_DIRECTORY
 * pends (cancelable) until IOCTL_IOTEST_TOUCH or the handle's cleanup
 * completes it. A scan's state hangs off FILE_OBJECT.FsContext2.
 */
#include <ntifs.h>
#include "dirctl.h"

#define IOTEST_DIR_TAG 0x72446f49 /* 'IoDr' */

typedef struct _IOTEST_SCAN {
    ULONG Next;
    BOOLEAN Queried;
    UNICODE_STRING Mask; /* upper case; Length 0: every name */
    WCHAR Buffer[];
} IOTEST_SCAN;

typedef struct _IOTEST_ENTRY {
    PCWSTR Name;
    LONGLONG Size;
    ULONG Attributes;
} IOTEST_ENTRY;

static const IOTEST_ENTRY Entries[IOTEST_DIR_COUNT] = IOTEST_DIR_ENTRIES;
static LIST_ENTRY Notifications = {&Notifications, &Notifications};

static NTSTATUS Finish(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* Where each class keeps the fields after FileIndex (ddk records). */
typedef struct _IOTEST_CLASS {
    FILE_INFORMATION_CLASS Class;
    ULONG Size, Name, NameLength, EaSize, FileId;
    BOOLEAN Full;
} IOTEST_CLASS;

#define IOTEST_FULL(T, C, Ea, Id)                                                                  \
    {                                                                                              \
        C, sizeof(T), FIELD_OFFSET(T, FileName), FIELD_OFFSET(T, FileNameLength), Ea, Id, TRUE     \
    }

static const IOTEST_CLASS Classes[] = {
    IOTEST_FULL(FILE_DIRECTORY_INFORMATION, FileDirectoryInformation, 0, 0),
    IOTEST_FULL(FILE_FULL_DIR_INFORMATION, FileFullDirectoryInformation,
                FIELD_OFFSET(FILE_FULL_DIR_INFORMATION, EaSize), 0),
    IOTEST_FULL(FILE_BOTH_DIR_INFORMATION, FileBothDirectoryInformation,
                FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, EaSize), 0),
    IOTEST_FULL(FILE_ID_BOTH_DIR_INFORMATION, FileIdBothDirectoryInformation,
                FIELD_OFFSET(FILE_ID_BOTH_DIR_INFORMATION, EaSize),
                FIELD_OFFSET(FILE_ID_BOTH_DIR_INFORMATION, FileId)),
    IOTEST_FULL(FILE_ID_FULL_DIR_INFORMATION, FileIdFullDirectoryInformation,
                FIELD_OFFSET(FILE_ID_FULL_DIR_INFORMATION, EaSize),
                FIELD_OFFSET(FILE_ID_FULL_DIR_INFORMATION, FileId)),
    {FileNamesInformation, sizeof(FILE_NAMES_INFORMATION),
     FIELD_OFFSET(FILE_NAMES_INFORMATION, FileName),
     FIELD_OFFSET(FILE_NAMES_INFORMATION, FileNameLength), 0, 0, FALSE},
};

static const IOTEST_CLASS *FindClass(FILE_INFORMATION_CLASS Class)
{
    for (ULONG i = 0; i < ARRAYSIZE(Classes); i++)
        if (Classes[i].Class == Class)
            return &Classes[i];
    return NULL;
}

/* The scan of FileObject; a first query or a restart with a name sets
 * the mask (upper case: FsRtlIsNameInExpression ignores case so). */
static NTSTATUS PrepareScan(PFILE_OBJECT FileObject, PUNICODE_STRING FileName, BOOLEAN Restart)
{
    IOTEST_SCAN *Scan = FileObject->FsContext2, *New;
    USHORT Length = FileName ? FileName->Length : 0;

    if (Scan != NULL && !(Restart && Length)) {
        if (Restart)
            Scan->Next = 0;
        return STATUS_SUCCESS;
    }
    New = ExAllocatePoolWithTag(NonPagedPool, sizeof(*New) + Length, IOTEST_DIR_TAG);
    if (New == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    New->Next = 0;
    New->Queried = Scan ? Scan->Queried : FALSE;
    New->Mask.Buffer = New->Buffer;
    New->Mask.Length = New->Mask.MaximumLength = Length;
    for (USHORT i = 0; i < Length / sizeof(WCHAR); i++)
        New->Buffer[i] = RtlUpcaseUnicodeChar(FileName->Buffer[i]);
    if (Scan)
        ExFreePoolWithTag(Scan, IOTEST_DIR_TAG);
    FileObject->FsContext2 = New;
    return STATUS_SUCCESS;
}

/* Entry Index's record of Class at Record (Room bytes there); returns
 * its full length, writing only what fits. */
static ULONG BuildRecord(const IOTEST_CLASS *Class, ULONG Index, PUCHAR Record, ULONG Room)
{
    UCHAR Fixed[sizeof(FILE_ID_BOTH_DIR_INFORMATION)] = {0};
    const IOTEST_ENTRY *Entry = &Entries[Index];
    UNICODE_STRING Name;
    LARGE_INTEGER Time = {.QuadPart = IOTEST_DIR_TIME + Index};
    LONGLONG Allocation = (Entry->Size + 511) & ~511ll, Id = Index + 1;

    RtlInitUnicodeString(&Name, Entry->Name);
    if (Class->Full) {
        FILE_DIRECTORY_INFORMATION *Common = (FILE_DIRECTORY_INFORMATION *)Fixed;
        Common->CreationTime = Common->LastAccessTime = Time;
        Common->LastWriteTime = Common->ChangeTime = Time;
        Common->EndOfFile.QuadPart = Entry->Size;
        Common->AllocationSize.QuadPart = Allocation;
        Common->FileAttributes = Entry->Attributes;
    }
    if (Class->FileId)
        RtlCopyMemory(Fixed + Class->FileId, &Id, sizeof(Id));
    *(PULONG)(Fixed + Class->NameLength) = Name.Length;
    RtlCopyMemory(Record, Fixed, min(Room, Class->Name));
    if (Room > Class->Name)
        RtlCopyMemory(Record + Class->Name, Name.Buffer, min(Room - Class->Name, Name.Length));
    return Class->Name + Name.Length;
}

static NTSTATUS QueryDirectory(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    const IOTEST_CLASS *Class = FindClass(Stack->Parameters.QueryDirectory.FileInformationClass);
    ULONG Length = Stack->Parameters.QueryDirectory.Length, Offset = 0, Previous = 0;
    PUCHAR Buffer = Irp->UserBuffer;
    ULONG_PTR Information = 0;
    BOOLEAN Written = FALSE;
    IOTEST_SCAN *Scan;
    NTSTATUS Status;

    if (Class == NULL)
        return Finish(Irp, STATUS_INVALID_INFO_CLASS, 0);
    if (Length < Class->Size || Buffer == NULL)
        return Finish(Irp, STATUS_INFO_LENGTH_MISMATCH, 0);
    Status = PrepareScan(Stack->FileObject, Stack->Parameters.QueryDirectory.FileName,
                         (Stack->Flags & SL_RESTART_SCAN) != 0);
    if (!NT_SUCCESS(Status))
        return Finish(Irp, Status, 0);
    Scan = Stack->FileObject->FsContext2;
    for (ULONG i = Scan->Next; i < IOTEST_DIR_COUNT; i++) {
        UNICODE_STRING Name;
        ULONG Size;

        RtlInitUnicodeString(&Name, Entries[i].Name);
        if (Scan->Mask.Length && !FsRtlIsNameInExpression(&Scan->Mask, &Name, TRUE, NULL))
            continue;
        Size = Class->Name + Name.Length;
        if (Written && Offset + Size > Length)
            break;
        if (!Written && Size > Length) {
            BuildRecord(Class, i, Buffer, Length);
            Scan->Queried = TRUE;
            return Finish(Irp, STATUS_BUFFER_OVERFLOW, Length);
        }
        BuildRecord(Class, i, Buffer + Offset, Size);
        if (Written)
            *(PULONG)(Buffer + Previous) = Offset - Previous;
        Written = TRUE;
        Previous = Offset;
        Information = Offset + Size;
        Offset = (Offset + Size + 7) & ~7u;
        Scan->Next = i + 1;
        if ((Stack->Flags & SL_RETURN_SINGLE_ENTRY) || Offset >= Length)
            break;
    }
    Status = Written ? STATUS_SUCCESS : Scan->Queried ? STATUS_NO_MORE_FILES : STATUS_NO_SUCH_FILE;
    Scan->Queried = TRUE;
    return Finish(Irp, Status, Information);
}

static VOID NTAPI CancelNotify(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    (void)DeviceObject;
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    Finish(Irp, STATUS_CANCELLED, 0);
}

static NTSTATUS NotifyChange(PIRP Irp)
{
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    if (Irp->Cancel) {
        IoReleaseCancelSpinLock(Irql);
        return Finish(Irp, STATUS_CANCELLED, 0);
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, CancelNotify);
    InsertTailList(&Notifications, &Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irql);
    return STATUS_PENDING;
}

/* Take the first pending notification (of FileObject, or any); NULL when none. */
static PIRP TakeNotification(PFILE_OBJECT FileObject)
{
    PIRP Found = NULL;
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    for (PLIST_ENTRY Entry = Notifications.Flink; Entry != &Notifications; Entry = Entry->Flink) {
        PIRP Irp = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);
        if (FileObject && IoGetCurrentIrpStackLocation(Irp)->FileObject != FileObject)
            continue;
        RemoveEntryList(Entry);
        IoSetCancelRoutine(Irp, NULL);
        Found = Irp;
        break;
    }
    IoReleaseCancelSpinLock(Irql);
    return Found;
}

/* One FILE_NOTIFY_INFORMATION for the touched entry into Irp's buffer. */
static VOID CompleteTouched(PIRP Irp)
{
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.NotifyDirectory.Length;
    PFILE_NOTIFY_INFORMATION Record = Irp->UserBuffer;
    UNICODE_STRING Name;
    ULONG Size;

    RtlInitUnicodeString(&Name, IOTEST_DIR_TOUCHED);
    Size = FIELD_OFFSET(FILE_NOTIFY_INFORMATION, FileName) + Name.Length;
    if (Record == NULL || Length < Size) {
        Finish(Irp, STATUS_NOTIFY_ENUM_DIR, 0);
        return;
    }
    Record->NextEntryOffset = 0;
    Record->Action = FILE_ACTION_MODIFIED;
    Record->FileNameLength = Name.Length;
    RtlCopyMemory(Record->FileName, Name.Buffer, Name.Length);
    Finish(Irp, STATUS_SUCCESS, Size);
}

NTSTATUS IoTestTouch(PIRP Irp)
{
    ULONG Count = 0;

    for (PIRP Waiting; (Waiting = TakeNotification(NULL)) != NULL; Count++)
        CompleteTouched(Waiting);
    return Finish(Irp, STATUS_SUCCESS, Count);
}

VOID IoTestDirectoryCleanup(PFILE_OBJECT FileObject)
{
    for (PIRP Waiting; FileObject && (Waiting = TakeNotification(FileObject)) != NULL;)
        Finish(Waiting, STATUS_NOTIFY_CLEANUP, 0);
}

VOID IoTestDirectoryClose(PFILE_OBJECT FileObject)
{
    if (FileObject && FileObject->FsContext2) {
        ExFreePoolWithTag(FileObject->FsContext2, IOTEST_DIR_TAG);
        FileObject->FsContext2 = NULL;
    }
}

NTSTATUS IoTestDirectoryControl(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    if (Stack->FileObject == NULL)
        return Finish(Irp, STATUS_INVALID_PARAMETER, 0);
    switch (Stack->MinorFunction) {
    case IRP_MN_QUERY_DIRECTORY:
        return QueryDirectory(Irp, Stack);
    case IRP_MN_NOTIFY_CHANGE_DIRECTORY:
        return NotifyChange(Irp);
    default:
        return Finish(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}
