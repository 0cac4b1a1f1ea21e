/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQueryInformationFile and NtSetInformationFile. Each class has Windows'
 * record (exact sizes and offsets below), its minimum length and the
 * access it needs; Windows checks the class and the length before the
 * handle, and so do we. A name that does not fit is cut, with
 * STATUS_BUFFER_OVERFLOW and the full FileNameLength.
 */
#include "iop.h"

#include "ntsvc.h"

#define FileBasicInformation       4
#define FileStandardInformation    5
#define FileInternalInformation    6
#define FileEaInformation          7
#define FileAccessInformation      8
#define FileNameInformation        9
#define FileDispositionInformation 13
#define FilePositionInformation    14
#define FileModeInformation        16
#define FileAlignmentInformation   17
#define FileAllInformation         18
#define FileAllocationInformation  19
#define FileEndOfFileInformation   20
#define FileCompletionInformation  30 /* iocomp.c */

typedef struct _FILE_BASIC_INFORMATION {
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    ULONG FileAttributes;
} FILE_BASIC_INFORMATION;
_Static_assert(sizeof(FILE_BASIC_INFORMATION) == 40, "FILE_BASIC_INFORMATION");

typedef struct _FILE_STANDARD_INFORMATION {
    LARGE_INTEGER AllocationSize, EndOfFile;
    ULONG NumberOfLinks;
    BOOLEAN DeletePending, Directory;
} FILE_STANDARD_INFORMATION;
_Static_assert(sizeof(FILE_STANDARD_INFORMATION) == 24, "FILE_STANDARD_INFORMATION");

/* FILE_ALL_INFORMATION: the classes one after the other (Windows' layout). */
typedef struct _FILE_ALL_INFORMATION {
    FILE_BASIC_INFORMATION Basic;
    FILE_STANDARD_INFORMATION Standard;
    LARGE_INTEGER IndexNumber;       /* Internal */
    ULONG EaSize;                    /* Ea */
    ACCESS_MASK AccessFlags;         /* Access */
    LARGE_INTEGER CurrentByteOffset; /* Position */
    ULONG Mode;
    ULONG AlignmentRequirement;
    ULONG FileNameLength; /* Name */
    WCHAR FileName[1];
} FILE_ALL_INFORMATION;
_Static_assert(offsetof(FILE_ALL_INFORMATION, FileNameLength) == 0x60, "FILE_ALL_INFORMATION.Name");
_Static_assert(sizeof(FILE_ALL_INFORMATION) == 0x68, "FILE_ALL_INFORMATION");

#define IOP_NAME_HEADER 4 /* FILE_NAME_INFORMATION.FileName */
#define IOP_MAX_RECORD  (sizeof(FILE_ALL_INFORMATION) + 2 * (IOP_MAX_NAME + 16))

/* Minimum length and needed access of each class (0 length: not a query class). */
typedef struct _IOP_CLASS {
    ULONG Length;
    ACCESS_MASK Access;
} IOP_CLASS;

static const IOP_CLASS IopQueryClasses[] = {
    [FileBasicInformation] = {40, FILE_READ_ATTRIBUTES},
    [FileStandardInformation] = {24, 0},
    [FileInternalInformation] = {8, 0},
    [FileEaInformation] = {4, 0},
    [FileAccessInformation] = {4, 0},
    [FileNameInformation] = {8, 0},
    [FilePositionInformation] = {8, 0},
    [FileModeInformation] = {4, 0},
    [FileAlignmentInformation] = {4, 0},
    [FileAllInformation] = {sizeof(FILE_ALL_INFORMATION), FILE_READ_ATTRIBUTES},
};

static const IOP_CLASS IopSetClasses[] = {
    [FileBasicInformation] = {40, FILE_WRITE_ATTRIBUTES},
    [FileDispositionInformation] = {1, DELETE},
    [FilePositionInformation] = {8, 0},
    [FileAllocationInformation] = {8, FILE_WRITE_DATA},
    [FileEndOfFileInformation] = {8, FILE_WRITE_DATA},
    [FileCompletionInformation] = {16, 0},
};

static void IopFillBasic(PFILE_OBJECT FileObject, FILE_BASIC_INFORMATION *Basic)
{
    /* FIXME: the archive keeps no times; a file system will give real ones. */
    *Basic = (FILE_BASIC_INFORMATION){.FileAttributes = IopStoreAttributes(FileObject->FsContext)};
}

static void IopFillStandard(PFILE_OBJECT FileObject, FILE_STANDARD_INFORMATION *Standard)
{
    PIOP_STORE_FILE File = FileObject->FsContext;

    /* The archive stores each file in whole pages: its allocation unit. */
    *Standard = (FILE_STANDARD_INFORMATION){.AllocationSize.QuadPart = IopStoreAllocation(File),
                                            .EndOfFile.QuadPart = (LONGLONG)File->Size,
                                            .NumberOfLinks = 1,
                                            .Directory = File->Directory};
}

/* The record of Class in Record; returns its full length (name included). */
static ULONG IopBuildRecord(PFILE_OBJECT FileObject, ACCESS_MASK Granted, ULONG Class,
                            UCHAR *Record)
{
    FILE_ALL_INFORMATION *All = (FILE_ALL_INFORMATION *)Record;
    ULONG NameLength = FileObject->FileName.Length;

    switch (Class) {
    case FileBasicInformation:
        IopFillBasic(FileObject, (FILE_BASIC_INFORMATION *)Record);
        return sizeof(FILE_BASIC_INFORMATION);
    case FileStandardInformation:
        IopFillStandard(FileObject, (FILE_STANDARD_INFORMATION *)Record);
        return sizeof(FILE_STANDARD_INFORMATION);
    case FileInternalInformation:
        memcpy(Record, &FileObject->FsContext->Index, 8);
        return 8;
    case FileEaInformation:
        return 4; /* EaSize 0: the store has no extended attributes */
    case FileAccessInformation:
        memcpy(Record, &Granted, 4);
        return 4;
    case FileNameInformation:
        memcpy(Record, &NameLength, 4);
        memcpy(Record + IOP_NAME_HEADER, FileObject->FileName.Buffer, NameLength);
        return IOP_NAME_HEADER + NameLength;
    case FilePositionInformation:
        memcpy(Record, &FileObject->CurrentByteOffset, 8);
        return 8;
    case FileModeInformation:
        memcpy(Record, &FileObject->Mode, 4);
        return 4;
    case FileAlignmentInformation:
        return 4; /* FILE_BYTE_ALIGNMENT */
    default:
        ASSERT(Class == FileAllInformation);
        IopFillBasic(FileObject, &All->Basic);
        IopFillStandard(FileObject, &All->Standard);
        All->IndexNumber.QuadPart = (LONGLONG)FileObject->FsContext->Index;
        All->AccessFlags = Granted;
        All->CurrentByteOffset = FileObject->CurrentByteOffset;
        All->Mode = FileObject->Mode;
        All->FileNameLength = NameLength;
        memcpy(All->FileName, FileObject->FileName.Buffer, NameLength);
        return offsetof(FILE_ALL_INFORMATION, FileName) + NameLength;
    }
}

/* iocore: the classes the I/O manager answers for a device file itself
 * (what the file object knows); the others go to the driver. */
static bool IopAnsweredByIo(ULONG Class)
{
    return Class == FileAccessInformation || Class == FilePositionInformation ||
           Class == FileModeInformation || Class == FileAlignmentInformation;
}

/* The class's entry, or STATUS_INVALID_INFO_CLASS / INFO_LENGTH_MISMATCH. */
static NTSTATUS IopCheckClass(const IOP_CLASS *Table, ULONG Count, ULONG Class, ULONG Length,
                              const IOP_CLASS **Entry)
{
    if (Class >= Count || Table[Class].Length == 0)
        return STATUS_INVALID_INFO_CLASS;
    if (Length < Table[Class].Length)
        return STATUS_INFO_LENGTH_MISMATCH;
    *Entry = &Table[Class];
    return STATUS_SUCCESS;
}

static NTSTATUS IopReferenceFile(HANDLE FileHandle, ACCESS_MASK Access, PFILE_OBJECT *FileObject,
                                 ACCESS_MASK *Granted)
{
    NTSTATUS Status = IoInitSystem();

    if (!NT_SUCCESS(Status))
        return Status;
    return ObReferenceObjectByHandleInProcess(KeGetCurrentThread()->Process, FileHandle,
                                              IoFileObjectType, Access, (PVOID *)FileObject,
                                              Granted, NULL);
}

NTSTATUS NtQueryInformationFile(HANDLE FileHandle, IO_STATUS_BLOCK *IoStatusBlock,
                                USER_BUFFER FileInformation, ULONG Length,
                                ULONG FileInformationClass)
{
    static UCHAR Record[IOP_MAX_RECORD]; /* never waits: one buffer does */
    const IOP_CLASS *Entry;
    PFILE_OBJECT FileObject;
    ACCESS_MASK Granted;
    ULONG Full, Copy;
    NTSTATUS Status = IopCheckClass(IopQueryClasses, ARRAYSIZE(IopQueryClasses),
                                    FileInformationClass, Length, &Entry);

    if (NT_SUCCESS(Status))
        Status = IopReferenceFile(FileHandle, Entry->Access, &FileObject, &Granted);
    if (!NT_SUCCESS(Status))
        return Status;
    if (FileObject->DeviceObject && !IopAnsweredByIo(FileInformationClass)) {
        Status =
            IopCallDriverForInformation(FileObject, IRP_MJ_QUERY_INFORMATION, FileInformationClass,
                                        FileInformation, Length, false, IoStatusBlock);
        ObDereferenceObject(FileObject);
        return Status;
    }
    memset(Record, 0, sizeof(Record));
    Full = IopBuildRecord(FileObject, Granted, FileInformationClass, Record);
    ASSERT(Full <= sizeof(Record));
    Copy = Full;
    if (Full > Length) {
        Copy = Length & ~1u; /* whole characters of the name */
        Status = STATUS_BUFFER_OVERFLOW;
    }
    NTSTATUS CopyStatus =
        MmCopyToUser(KeGetCurrentThread()->Process, FileInformation.Address, Record, Copy);
    if (!NT_SUCCESS(CopyStatus))
        Status = CopyStatus;
    else
        *IoStatusBlock = (IO_STATUS_BLOCK){.Status = Status, .Information = Copy};
    ObDereferenceObject(FileObject);
    return Status;
}

NTSTATUS NtSetInformationFile(HANDLE FileHandle, IO_STATUS_BLOCK *IoStatusBlock,
                              USER_BUFFER FileInformation, ULONG Length, ULONG FileInformationClass)
{
    const IOP_CLASS *Entry;
    PFILE_OBJECT FileObject;
    ACCESS_MASK Granted;
    LARGE_INTEGER Position;
    NTSTATUS Status = IopCheckClass(IopSetClasses, ARRAYSIZE(IopSetClasses), FileInformationClass,
                                    Length, &Entry);

    if (NT_SUCCESS(Status))
        Status = IopReferenceFile(FileHandle, Entry->Access, &FileObject, &Granted);
    if (!NT_SUCCESS(Status))
        return Status;
    if (FileInformationClass == FileCompletionInformation) {
        Status = IopSetCompletionInformation(FileObject, FileInformation, IoStatusBlock);
        goto out;
    }
    if (FileObject->DeviceObject && FileInformationClass != FilePositionInformation) {
        Status =
            IopCallDriverForInformation(FileObject, IRP_MJ_SET_INFORMATION, FileInformationClass,
                                        FileInformation, Length, true, IoStatusBlock);
        goto out;
    }
    if (FileInformationClass != FilePositionInformation) {
        /* A handle with the right to change this could not have been opened. */
        Status = STATUS_MEDIA_WRITE_PROTECTED;
        goto out;
    }
    Status = MmCopyFromUser(KeGetCurrentThread()->Process, &Position, FileInformation.Address,
                            sizeof(Position));
    if (!NT_SUCCESS(Status))
        goto out;
    if (Position.QuadPart < 0) {
        Status = STATUS_INVALID_PARAMETER;
        goto out;
    }
    FileObject->CurrentByteOffset = Position;
    *IoStatusBlock = (IO_STATUS_BLOCK){.Status = STATUS_SUCCESS, .Information = 0};
out:
    ObDereferenceObject(FileObject);
    return Status;
}
