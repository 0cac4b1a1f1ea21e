/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The \SystemRoot file store: until a disk file system exists, the files
 * of the system archive (ke/archive.c) are served read-only under
 * \SystemRoot, a permanent object whose type's parse method opens
 * \SystemRoot\<name> as a new file object. The archive is flat; names are
 * matched without regard to case, and System32\<name> names the same file
 * (the loader asks for \SystemRoot\System32\ntdll.dll). A read-only medium:
 * creating, overwriting and opening for write fail with
 * STATUS_MEDIA_WRITE_PROTECTED.
 */
#include "iop.h"

PVOID IopSystemRoot;
static POBJECT_TYPE IopStoreType;
static PIOP_STORE_FILE IopStoreFiles;
static ULONGLONG IopNextIndex = 1;

#define IOP_WRITE_ACCESS                                                                           \
    (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES | DELETE)

NTSTATUS IopCreateStoreType(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = STANDARD_RIGHTS_ALL,
        .GenericMapping = {READ_CONTROL, READ_CONTROL, READ_CONTROL, STANDARD_RIGHTS_ALL},
        .PoolTag = IOP_STORE_TAG,
        .ParseProcedure = IopParseSystemRoot,
    };
    NTSTATUS Status =
        IopStoreType ? STATUS_SUCCESS : ObCreateObjectType("FileStore", &Init, &IopStoreType);

    if (NT_SUCCESS(Status))
        Status = ObCreateObject(IopStoreType, sizeof(ULONG_PTR), &IopSystemRoot);
    return Status;
}

/* Characters no file name may hold (the NTFS/FAT rules). */
static bool IopBadNameChar(WCHAR c)
{
    return c < 0x20 || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|' ||
           c == ':' || c == '/';
}

static bool IopPrefixIs(const WCHAR *Name, SIZE_T Length, const char *Prefix)
{
    SIZE_T i;

    for (i = 0; Prefix[i]; i++) {
        WCHAR c = i < Length ? Name[i] : 0;
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != (WCHAR)Prefix[i])
            return false;
    }
    return true;
}

/*
 * The archive name of RemainingName ("ntdll.dll", "System32\ntdll.dll"):
 * OBJECT_NAME_INVALID for characters no file may have, OBJECT_PATH_NOT_FOUND
 * for a directory the store lacks, OBJECT_NAME_NOT_FOUND for one too long.
 */
static NTSTATUS IopArchiveName(const UNICODE_STRING *RemainingName, char *Name)
{
    const WCHAR *Chars = RemainingName->Buffer;
    SIZE_T Length = RemainingName->Length / sizeof(WCHAR), i;

    if (Length >= 9 && IopPrefixIs(Chars, Length, "system32\\"))
        Chars += 9, Length -= 9;
    if (Length == 0)
        return STATUS_OBJECT_NAME_INVALID;
    for (i = 0; i < Length; i++) {
        if (IopBadNameChar(Chars[i]))
            return STATUS_OBJECT_NAME_INVALID;
        if (Chars[i] == '\\')
            return i + 1 == Length ? STATUS_OBJECT_NAME_INVALID : STATUS_OBJECT_PATH_NOT_FOUND;
    }
    if (Length > IOP_MAX_NAME)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    for (i = 0; i < Length; i++)
        Name[i] = Chars[i] < 0x80 ? (char)Chars[i] : '?'; /* the archive's names are ASCII */
    Name[Length] = '\0';
    return STATUS_SUCCESS;
}

/* The store's record of archive file Name, made at its first open. */
static NTSTATUS IopLookupStoreFile(const char *Name, PIOP_STORE_FILE *Result)
{
    const void *Data;
    SIZE_T Size;
    PIOP_STORE_FILE File;

    for (const char *c = Name; *c; c++)
        if (*c == '?')
            return STATUS_OBJECT_NAME_NOT_FOUND; /* a character no archive name has */
    if (!KeFindArchiveFile(Name, &Data, &Size))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    for (File = IopStoreFiles; File; File = File->Next)
        if (File->Data == Data) {
            *Result = File;
            return STATUS_SUCCESS;
        }
    File = ExAllocatePoolWithTag(sizeof(*File), IOP_STORE_TAG);
    if (File == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(File->Name, Name, strlen(Name) + 1);
    File->Data = Data;
    File->Size = Size;
    File->Index = IopNextIndex++;
    File->Next = IopStoreFiles;
    IopStoreFiles = File;
    *Result = File;
    return STATUS_SUCCESS;
}

/* What a read-only medium says to the disposition and access of an open
 * of a file or (Directory) of the store's directory. */
static NTSTATUS IopCheckDisposition(PIOP_OPEN_PACKET Packet, NTSTATUS Lookup, bool Directory)
{
    if (Lookup == STATUS_OBJECT_NAME_NOT_FOUND) {
        if (Packet->Disposition == FILE_OPEN || Packet->Disposition == FILE_OVERWRITE)
            return Lookup;
        return STATUS_MEDIA_WRITE_PROTECTED; /* it would have to be created */
    }
    if (!NT_SUCCESS(Lookup))
        return Lookup;
    if (Packet->Disposition == FILE_CREATE)
        return STATUS_OBJECT_NAME_COLLISION;
    if (Packet->Disposition != FILE_OPEN && Packet->Disposition != FILE_OPEN_IF)
        return STATUS_MEDIA_WRITE_PROTECTED; /* supersede / overwrite */
    if (!Directory && (Packet->Options & FILE_DIRECTORY_FILE))
        return STATUS_NOT_A_DIRECTORY;
    if (Directory && (Packet->Options & FILE_NON_DIRECTORY_FILE))
        return STATUS_FILE_IS_A_DIRECTORY;
    if ((Packet->DesiredAccess & IOP_WRITE_ACCESS) || (Packet->Options & FILE_DELETE_ON_CLOSE))
        return STATUS_MEDIA_WRITE_PROTECTED;
    return STATUS_SUCCESS;
}

/* ---- dirctl: the store's directory ------------------------------------------------------
 * \SystemRoot (and \SystemRoot\: ob hands both over with nothing left)
 * opens as the directory of the archive's files: a store record of its own
 * (Directory, no bytes), so share access and FileInternalInformation work
 * as for files. FILE_NON_DIRECTORY_FILE gives FILE_IS_A_DIRECTORY. */
static IOP_STORE_FILE IopStoreRoot = {.Directory = true};

static NTSTATUS IopOpenStoreDirectory(PIOP_OPEN_PACKET Packet, PFILE_OBJECT *Result)
{
    static const WCHAR Root[] = {'\\', 0};
    UNICODE_STRING FileName = {sizeof(WCHAR), sizeof(WCHAR), (PWSTR)Root};
    NTSTATUS Status = IopCheckDisposition(Packet, STATUS_SUCCESS, true);

    if (!NT_SUCCESS(Status))
        return Status;
    if (IopStoreRoot.Index == 0)
        IopStoreRoot.Index = IopNextIndex++;
    Status = IopCreateFileObject(&IopStoreRoot, &FileName, Packet, Result);
    if (NT_SUCCESS(Status))
        Packet->Information = FILE_OPENED;
    return Status;
}

ULONG IopStoreAttributes(PIOP_STORE_FILE File)
{
    return File->Directory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_READONLY;
}

LONGLONG IopStoreAllocation(PIOP_STORE_FILE File)
{
    return (LONGLONG)ROUND_TO_PAGES(File->Size);
}

NTSTATUS IopStoreDirectoryEntry(ULONG Position, PIOP_STORE_FILE *File)
{
    char Name[IOP_MAX_NAME + 1];
    const void *Data;
    SIZE_T Size;

    if (!KeArchiveFileAt(Position, Name, sizeof(Name), &Data, &Size))
        return STATUS_NO_MORE_FILES;
    return IopLookupStoreFile(Name, File);
}

NTSTATUS IopParseSystemRoot(PVOID Object, const UNICODE_STRING *RemainingName, ULONG Attributes,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PVOID *Result)
{
    PIOP_OPEN_PACKET Packet = ParseContext;
    char Name[IOP_MAX_NAME + 1];
    PIOP_STORE_FILE File = NULL;
    UNICODE_STRING FileName;
    WCHAR Buffer[IOP_MAX_NAME + 16];
    NTSTATUS Status;

    (void)Object, (void)Attributes, (void)DesiredAccess;
    *Result = NULL;
    if (Packet == NULL)
        return STATUS_OBJECT_TYPE_MISMATCH; /* not an open of a file */
    if (RemainingName->Length == 0)
        return IopOpenStoreDirectory(Packet, (PFILE_OBJECT *)Result);
    Status = IopArchiveName(RemainingName, Name);
    if (NT_SUCCESS(Status) || Status == STATUS_OBJECT_NAME_NOT_FOUND)
        Status = IopCheckDisposition(
            Packet, NT_SUCCESS(Status) ? IopLookupStoreFile(Name, &File) : Status, false);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The name below the volume root, as opened: "\" + RemainingName. */
    if (RemainingName->Length / sizeof(WCHAR) + 1 > ARRAYSIZE(Buffer))
        return STATUS_OBJECT_NAME_INVALID;
    Buffer[0] = '\\';
    memcpy(Buffer + 1, RemainingName->Buffer, RemainingName->Length);
    FileName = (UNICODE_STRING){RemainingName->Length + sizeof(WCHAR),
                                RemainingName->Length + sizeof(WCHAR), Buffer};
    Status = IopCreateFileObject(File, &FileName, Packet, (PFILE_OBJECT *)Result);
    if (NT_SUCCESS(Status))
        Packet->Information = FILE_OPENED;
    return Status;
}
