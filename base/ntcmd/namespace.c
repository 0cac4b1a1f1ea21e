/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object namespace as the shell's file system until disks exist: cd
 * (the shell's current directory, checked by opening it with
 * NtOpenDirectoryObject), dir (NtQueryDirectoryObject: each entry's name
 * and type; a symbolic link shows its target, NtQuerySymbolicLinkObject).
 * devtree is devtree.c's. dirctl branch: a path that names a directory
 * file (\SystemRoot) instead of an object directory is listed with
 * NtQueryDirectoryFile (names, sizes, a mask in the last component:
 * dir \SystemRoot\*.sys), and cd accepts it.
 */
#include "ntcmd.h"
#include <ntdirctl.h>

#define CMD_DIR_BUFFER 0x1000

static NTSTATUS CmdOpen(PCSTR Path, ULONG Kind, ACCESS_MASK Access, PHANDLE Handle)
{
    WCHAR Wide[CMD_PATH_MAX];
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;

    CmdWiden(Path, Wide, ARRAYSIZE(Wide), &Name);
    NtProgObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL);
    return Kind ? NtOpenSymbolicLinkObject(Handle, Access, &Attributes)
                : NtOpenDirectoryObject(Handle, Access, &Attributes);
}

NTSTATUS CmdQueryLink(PCSTR Path, PCHAR Target, ULONG Size)
{
    WCHAR Wide[CMD_PATH_MAX];
    UNICODE_STRING String = {0, sizeof(Wide), Wide};
    HANDLE Link;
    NTSTATUS Status = CmdOpen(Path, 1, SYMBOLIC_LINK_QUERY, &Link);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtQuerySymbolicLinkObject(Link, &String, NULL);
    NtClose(Link);
    if (NT_SUCCESS(Status))
        CmdNarrow(&String, Target, Size);
    return Status;
}

/* One batch of entries from Buffer (zero-record terminated). */
static VOID CmdEntries(PCSTR Path, const OBJECT_DIRECTORY_INFORMATION *Entry,
                       CMD_ENTRY_ROUTINE Routine, PVOID Context)
{
    for (; Entry->Name.Buffer; Entry++) {
        CHAR Name[CMD_PATH_MAX], Type[64];

        CmdNarrow(&Entry->Name, Name, sizeof(Name));
        CmdNarrow(&Entry->TypeName, Type, sizeof(Type));
        Routine(Path, Name, Type, Context);
    }
}

NTSTATUS CmdListDirectory(PCSTR Path, CMD_ENTRY_ROUTINE Routine, PVOID Context)
{
    PVOID Buffer = RtlAllocateHeap(CmdPeb()->ProcessHeap, 0, CMD_DIR_BUFFER);
    ULONG Index = 0, Returned;
    BOOLEAN Restart = TRUE;
    HANDLE Directory = NULL;
    NTSTATUS Status;

    if (Buffer == NULL)
        return STATUS_NO_MEMORY;
    Status = CmdOpen(Path, 0, DIRECTORY_QUERY | DIRECTORY_TRAVERSE, &Directory);
    while (NT_SUCCESS(Status)) {
        Status = NtQueryDirectoryObject(Directory, Buffer, CMD_DIR_BUFFER, FALSE, Restart, &Index,
                                        &Returned);
        Restart = FALSE;
        if (!NT_SUCCESS(Status))
            break;
        CmdEntries(Path, Buffer, Routine, Context);
        if (Status != STATUS_MORE_ENTRIES)
            break;
    }
    if (Status == STATUS_NO_MORE_ENTRIES)
        Status = STATUS_SUCCESS;
    if (Directory)
        NtClose(Directory);
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, Buffer);
    return Status;
}

/* "<directory>\<name>" into Out. */
static VOID CmdJoin(PCSTR Directory, PCSTR Name, PCHAR Out, ULONG Size)
{
    BOOLEAN Root = Directory[0] == '\\' && Directory[1] == 0;

    _snprintf(Out, Size - 1, "%s%s%s", Directory, Root ? "" : "\\", Name);
    Out[Size - 1] = 0;
}

/* ---- dirctl branch: directory files ------------------------------------------------------ */

#define CMD_FILE_BUFFER 0x2000

/* Open Path as a directory file (FILE_LIST_DIRECTORY, synchronous). */
static NTSTATUS CmdOpenFileDirectory(PCSTR Path, PHANDLE Handle)
{
    WCHAR Wide[CMD_PATH_MAX];
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;

    CmdWiden(Path, Wide, ARRAYSIZE(Wide), &Name);
    NtProgObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL);
    return NtOpenFile(Handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, &Attributes, &Iosb,
                      FILE_SHARE_READ | FILE_SHARE_WRITE,
                      FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
}

/* Print one answer's records; adds to *Count and *Bytes. */
static VOID CmdFileEntries(const UCHAR *Buffer, ULONG *Count, ULONGLONG *Bytes)
{
    for (;;) {
        const FILE_DIRECTORY_INFORMATION *Entry = (const FILE_DIRECTORY_INFORMATION *)Buffer;
        UNICODE_STRING Name = {(USHORT)Entry->FileNameLength, (USHORT)Entry->FileNameLength,
                               (PWSTR)Entry->FileName};
        CHAR Text[CMD_PATH_MAX];

        CmdNarrow(&Name, Text, sizeof(Text));
        if (Entry->FileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            CmdPrint("  %-24s %12s\n", Text, "<DIR>");
        else
            CmdPrint("  %-24s %12llu\n", Text, (ULONGLONG)Entry->EndOfFile.QuadPart);
        (*Count)++;
        *Bytes += (ULONGLONG)Entry->EndOfFile.QuadPart;
        if (Entry->NextEntryOffset == 0)
            return;
        Buffer += Entry->NextEntryOffset;
    }
}

/* List a directory file with NtQueryDirectoryFile; Mask (or NULL) as the
 * first query's FileName. */
static NTSTATUS CmdListFiles(HANDLE Directory, PCSTR Mask)
{
    PUCHAR Buffer = RtlAllocateHeap(CmdPeb()->ProcessHeap, 0, CMD_FILE_BUFFER);
    WCHAR Wide[CMD_PATH_MAX];
    UNICODE_STRING MaskString;
    IO_STATUS_BLOCK Iosb;
    ULONGLONG Bytes = 0;
    ULONG Count = 0;
    NTSTATUS Status;

    if (Buffer == NULL)
        return STATUS_NO_MEMORY;
    if (Mask)
        CmdWiden(Mask, Wide, ARRAYSIZE(Wide), &MaskString);
    for (BOOLEAN First = TRUE;; First = FALSE) {
        Status = NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, Buffer, CMD_FILE_BUFFER,
                                      FileDirectoryInformation, FALSE,
                                      (First && Mask) ? &MaskString : NULL, First);
        if (Status != STATUS_SUCCESS)
            break;
        CmdFileEntries(Buffer, &Count, &Bytes);
    }
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, Buffer);
    if (Status == STATUS_NO_SUCH_FILE && Mask)
        Status = STATUS_NO_MORE_FILES; /* nothing matched: zero files */
    if (Status != STATUS_NO_MORE_FILES)
        return Status;
    CmdPrint("  %lu file(s), %llu bytes\n", Count, Bytes);
    return STATUS_SUCCESS;
}

/* Split Path into its directory (into Directory) and last component. */
static PCSTR CmdSplitLast(PCSTR Path, PCHAR Directory)
{
    PCSTR Last = Path;
    ULONG Length;

    for (PCSTR c = Path; *c; c++)
        if (*c == '\\')
            Last = c + 1;
    Length = (ULONG)(Last - Path);
    if (Length > 1)
        Length--; /* the separator, unless it is the root's */
    memcpy(Directory, Path, Length);
    Directory[Length] = 0;
    return Last;
}

/* dir of a path that is no object directory: a directory file, one with a
 * mask as its last component, or a file (its directory's entry for it). */
static NTSTATUS CmdDirFiles(PCSTR Path)
{
    CHAR Directory[CMD_PATH_MAX];
    PCSTR Mask = NULL, Last = CmdSplitLast(Path, Directory);
    HANDLE Handle;
    NTSTATUS Status;

    if (strchr(Last, '*') || strchr(Last, '?')) {
        Mask = Last;
        Path = Directory;
    }
    Status = CmdOpenFileDirectory(Path, &Handle);
    if (Status == STATUS_NOT_A_DIRECTORY && Mask == NULL && *Last) {
        Mask = Last;
        Status = CmdOpenFileDirectory(Directory, &Handle);
    }
    if (!NT_SUCCESS(Status))
        return Status;
    Status = CmdListFiles(Handle, Mask);
    NtClose(Handle);
    return Status;
}

static VOID CmdDirEntry(PCSTR Directory, PCSTR Name, PCSTR Type, PVOID Context)
{
    CHAR Path[CMD_PATH_MAX], Target[CMD_PATH_MAX];

    (*(ULONG *)Context)++;
    if (strcmp(Type, "SymbolicLink") != 0) {
        CmdPrint("  %-24s %s\n", Name, Type);
        return;
    }
    CmdJoin(Directory, Name, Path, sizeof(Path));
    if (NT_SUCCESS(CmdQueryLink(Path, Target, sizeof(Target))))
        CmdPrint("  %-24s %s -> %s\n", Name, Type, Target);
    else
        CmdPrint("  %-24s %s -> ?\n", Name, Type);
}

NTSTATUS CmdDir(CMD_ARGS *Args)
{
    CHAR Path[CMD_PATH_MAX], What[CMD_PATH_MAX + 8];
    ULONG Count = 0;
    NTSTATUS Status;

    if (!CmdResolvePath(Args->Argc > 1 ? Args->Argv[1] : ".", Path, sizeof(Path))) {
        CmdPrint("dir: path too long\n");
        return STATUS_NAME_TOO_LONG;
    }
    CmdPrint(" Directory of %s\n", Path);
    Status = CmdListDirectory(Path, CmdDirEntry, &Count);
    if (Status == STATUS_OBJECT_TYPE_MISMATCH || Status == STATUS_OBJECT_NAME_INVALID ||
        Status == STATUS_OBJECT_NAME_NOT_FOUND) {
        /* dirctl: not an object directory; a directory file? */
        NTSTATUS FileStatus = CmdDirFiles(Path);
        if (NT_SUCCESS(FileStatus))
            return FileStatus;
        if (Status == STATUS_OBJECT_TYPE_MISMATCH)
            Status = FileStatus;
    }
    if (NT_SUCCESS(Status)) {
        CmdPrint("  %lu entries\n", Count);
    } else {
        _snprintf(What, sizeof(What) - 1, "dir %s", Path);
        What[sizeof(What) - 1] = 0;
        CmdPrintError(What, Status);
    }
    return Status;
}

NTSTATUS CmdCd(CMD_ARGS *Args)
{
    CHAR Path[CMD_PATH_MAX], What[CMD_PATH_MAX + 8];
    HANDLE Directory;
    NTSTATUS Status;

    if (Args->Argc < 2) {
        CmdPrint("%s\n", CmdCurrentDirectory);
        return STATUS_SUCCESS;
    }
    if (!CmdResolvePath(Args->Argv[1], Path, sizeof(Path))) {
        CmdPrint("cd: path too long\n");
        return STATUS_NAME_TOO_LONG;
    }
    Status = CmdOpen(Path, 0, DIRECTORY_TRAVERSE, &Directory);
    if (Status == STATUS_OBJECT_TYPE_MISMATCH)
        Status = CmdOpenFileDirectory(Path, &Directory); /* dirctl: a directory file */
    if (!NT_SUCCESS(Status)) {
        _snprintf(What, sizeof(What) - 1, "cd %s", Path);
        What[sizeof(What) - 1] = 0;
        CmdPrintError(What, Status);
        return Status;
    }
    NtClose(Directory);
    memcpy(CmdCurrentDirectory, Path, strlen(Path) + 1);
    return STATUS_SUCCESS;
}
