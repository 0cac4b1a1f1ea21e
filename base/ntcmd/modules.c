/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lm: the modules loaded in a process, read from its PEB's loader list
 * (PEB.Ldr -> PEB_LDR_DATA.InLoadOrderModuleList -> LDR_DATA_TABLE_ENTRY)
 * with NtReadVirtualMemory, so the same code reads the shell itself
 * (NtCurrentProcess()) and any other process, named by its id or its
 * image name (NtOpenProcess with PROCESS_VM_READ |
 * PROCESS_QUERY_INFORMATION). A list that changes while
 * it is read may be cut short: the walk stops at CMD_LM_MAX entries or at
 * the first unreadable link.
 */
#include "ntcmd.h"

#define CMD_LM_MAX 256

static NTSTATUS CmdRead(HANDLE Process, PVOID Address, PVOID Buffer, SIZE_T Size)
{
    return NtReadVirtualMemory(Process, Address, Buffer, Size, NULL);
}

static VOID CmdPrintModule(HANDLE Process, const LDR_DATA_TABLE_ENTRY *Entry)
{
    WCHAR Wide[CMD_PATH_MAX];
    UNICODE_STRING Name = Entry->BaseDllName;
    CHAR Text[CMD_PATH_MAX];

    if (Name.Length > sizeof(Wide))
        Name.Length = sizeof(Wide);
    if (!NT_SUCCESS(CmdRead(Process, Name.Buffer, Wide, Name.Length)))
        Name.Length = 0;
    Name.Buffer = Wide;
    CmdNarrow(&Name, Text, sizeof(Text));
    CmdPrint("  %016llx  %08lx  %s\n", (ULONGLONG)(ULONG_PTR)Entry->DllBase, Entry->SizeOfImage,
             Text[0] ? Text : "?");
}

static NTSTATUS CmdWalkModules(HANDLE Process)
{
    PROCESS_BASIC_INFORMATION Basic;
    PPEB_LDR_DATA Ldr;
    PLIST_ENTRY Head, Link;
    LDR_DATA_TABLE_ENTRY Entry;
    NTSTATUS Status;

    Status =
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (NT_SUCCESS(Status))
        Status = CmdRead(Process, &Basic.PebBaseAddress->Ldr, &Ldr, sizeof(Ldr));
    if (NT_SUCCESS(Status) && Ldr == NULL)
        Status = STATUS_UNSUCCESSFUL; /* the loader has not run in it yet */
    if (!NT_SUCCESS(Status))
        return Status;
    Head = &Ldr->InLoadOrderModuleList;
    Status = CmdRead(Process, &Head->Flink, &Link, sizeof(Link));
    CmdPrint("  base              size      name\n");
    for (ULONG n = 0; NT_SUCCESS(Status) && Link != Head && n < CMD_LM_MAX; n++) {
        /* InLoadOrderLinks is the entry's first field. */
        Status = CmdRead(Process, Link, &Entry, sizeof(Entry));
        if (!NT_SUCCESS(Status))
            break;
        CmdPrintModule(Process, &Entry);
        Link = Entry.InLoadOrderLinks.Flink;
    }
    return Status;
}

/* The command line of process Pid, from its process parameters (an offset
 * from the block while they are not normalised yet). */
NTSTATUS CmdReadCommandLine(ULONG Pid, PCHAR Out, ULONG Size)
{
    CLIENT_ID Id = {(HANDLE)(ULONG_PTR)Pid, NULL};
    OBJECT_ATTRIBUTES Attributes;
    PROCESS_BASIC_INFORMATION Basic;
    RTL_USER_PROCESS_PARAMETERS Parameters;
    PRTL_USER_PROCESS_PARAMETERS Remote = NULL;
    WCHAR Wide[CMD_LINE_MAX];
    UNICODE_STRING Line;
    HANDLE Process;
    NTSTATUS Status;

    NtProgObjectAttributes(&Attributes, NULL, 0, NULL);
    Status = NtOpenProcess(&Process, PROCESS_VM_READ | PROCESS_QUERY_INFORMATION, &Attributes, &Id);
    if (!NT_SUCCESS(Status))
        return Status;
    Status =
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (NT_SUCCESS(Status))
        Status =
            CmdRead(Process, &Basic.PebBaseAddress->ProcessParameters, &Remote, sizeof(Remote));
    if (NT_SUCCESS(Status))
        /* Only up to the command line: the block may end soon after. */
        Status = Remote ? CmdRead(Process, Remote, &Parameters,
                                  offsetof(RTL_USER_PROCESS_PARAMETERS, CommandLine) +
                                      sizeof(UNICODE_STRING))
                        : STATUS_UNSUCCESSFUL;
    if (NT_SUCCESS(Status)) {
        Line = Parameters.CommandLine;
        if (!(Parameters.Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
            Line.Buffer = (PWSTR)((ULONG_PTR)Remote + (ULONG_PTR)Line.Buffer);
        if (Line.Length > sizeof(Wide))
            Line.Length = sizeof(Wide);
        Status = CmdRead(Process, Line.Buffer, Wide, Line.Length);
        Line.Buffer = Wide;
    }
    if (NT_SUCCESS(Status))
        CmdNarrow(&Line, Out, Size);
    NtClose(Process);
    return Status;
}

NTSTATUS CmdLm(CMD_ARGS *Args)
{
    HANDLE Process = NtCurrentProcess();
    CLIENT_ID Id = {0};
    OBJECT_ATTRIBUTES Attributes;
    CHAR What[80] = "lm";
    ULONG Pid = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    if (Args->Argc > 2) {
        CmdPrint("usage: lm [pid | image name]\n");
        return STATUS_INVALID_PARAMETER;
    }
    if (Args->Argc == 2) {
        _snprintf(What, sizeof(What) - 1, "lm %s", Args->Argv[1]);
        What[sizeof(What) - 1] = 0;
        if (!CmdNumber(Args->Argv[1], &Pid))
            Status = CmdFindProcess(Args->Argv[1], &Pid);
        Id.UniqueProcess = (HANDLE)(ULONG_PTR)Pid;
        NtProgObjectAttributes(&Attributes, NULL, 0, NULL);
        if (NT_SUCCESS(Status))
            Status = NtOpenProcess(&Process, PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
                                   &Attributes, &Id);
        if (!NT_SUCCESS(Status))
            Process = NtCurrentProcess();
    }
    if (NT_SUCCESS(Status))
        Status = CmdWalkModules(Process);
    if (!NT_SUCCESS(Status))
        CmdPrintError(What, Status);
    if (Process != NtCurrentProcess())
        NtClose(Process);
    return Status;
}
