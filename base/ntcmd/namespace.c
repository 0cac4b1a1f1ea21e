/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object namespace as the shell's file system until disks exist: cd
 * (the shell's current directory, checked by opening it with
 * NtOpenDirectoryObject), dir (NtQueryDirectoryObject: each entry's name
 * and type; a symbolic link shows its target, NtQuerySymbolicLinkObject).
 * devtree is devtree.c's.
 */
#include "ntcmd.h"

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
