/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes: ps (the SystemProcessInformation list: id, parent, threads,
 * name, and the driver a driver process runs, from its command line),
 * kill (NtOpenProcess + NtTerminateProcess), start (a program without
 * waiting) and running a program by name, waiting for it and showing its
 * exit status. Programs are images under \SystemRoot (System32\<name>,
 * ".exe" added when the name has no dot) or a full object path; they get
 * the rest of the line as their command line and inherit the shell's
 * environment.
 */
#include "ntcmd.h"

NTSTATUS CmdQueryProcesses(PUCHAR *List)
{
    ULONG Length = 0x4000, Needed = 0;
    NTSTATUS Status;

    /* The list may grow between the two calls: ask again with room to spare. */
    for (;;) {
        *List = RtlAllocateHeap(CmdPeb()->ProcessHeap, 0, Length);
        if (*List == NULL)
            return STATUS_NO_MEMORY;
        Status = NtQuerySystemInformation(SystemProcessInformation, *List, Length, &Needed);
        if (NT_SUCCESS(Status))
            return Status;
        RtlFreeHeap(CmdPeb()->ProcessHeap, 0, *List);
        *List = NULL;
        if (Status != STATUS_INFO_LENGTH_MISMATCH)
            return Status;
        Length = Needed + 0x1000;
    }
}

const SYSTEM_PROCESS_INFORMATION *CmdNextProcess(const UCHAR *List,
                                                 const SYSTEM_PROCESS_INFORMATION *Process)
{
    if (Process == NULL)
        return (const SYSTEM_PROCESS_INFORMATION *)List;
    if (Process->NextEntryOffset == 0)
        return NULL;
    return (const SYSTEM_PROCESS_INFORMATION *)((const UCHAR *)Process + Process->NextEntryOffset);
}

NTSTATUS CmdFindProcess(PCSTR Name, ULONG *Pid)
{
    const SYSTEM_PROCESS_INFORMATION *Process = NULL;
    PUCHAR List;
    NTSTATUS Status = CmdQueryProcesses(&List);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = STATUS_NOT_FOUND;
    while ((Process = CmdNextProcess(List, Process)) != NULL) {
        CHAR Image[64];

        CmdNarrow(&Process->ImageName, Image, sizeof(Image));
        if (_stricmp(Image, Name) == 0) {
            *Pid = (ULONG)Process->UniqueProcessId;
            Status = STATUS_SUCCESS;
            break;
        }
    }
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, List);
    return Status;
}

BOOLEAN CmdDriverOfProcess(ULONG Pid, PCHAR Image, ULONG Size)
{
    static CMD_ARGS Words;
    CHAR Line[CMD_LINE_MAX];

    if (!NT_SUCCESS(CmdReadCommandLine(Pid, Line, sizeof(Line))))
        return FALSE;
    CmdSplit(Line, &Words);
    if (Words.Argc < 2 || _stricmp(Words.Argv[0], "ntoskrnl.exe") != 0)
        return FALSE;
    _snprintf(Image, Size - 1, "%s", Words.Argv[1]);
    Image[Size - 1] = 0;
    return TRUE;
}

NTSTATUS CmdPs(CMD_ARGS *Args)
{
    const SYSTEM_PROCESS_INFORMATION *Process = NULL;
    PUCHAR List;
    NTSTATUS Status = CmdQueryProcesses(&List);

    (void)Args;
    if (!NT_SUCCESS(Status)) {
        CmdPrintError("ps", Status);
        return Status;
    }
    CmdPrint("  PID  PPID  THREADS  NAME\n");
    while ((Process = CmdNextProcess(List, Process)) != NULL) {
        CHAR Name[64], Driver[64];
        ULONG Pid = (ULONG)Process->UniqueProcessId;

        CmdNarrow(&Process->ImageName, Name, sizeof(Name));
        CmdPrint("%5lu %5lu  %7lu  %s", Pid, (ULONG)Process->InheritedFromUniqueProcessId,
                 Process->NumberOfThreads, Name[0] ? Name : "(system)");
        /* A driver process runs the runtime: name the driver too. */
        if (_stricmp(Name, "ntoskrnl.exe") == 0 && CmdDriverOfProcess(Pid, Driver, sizeof(Driver)))
            CmdPrint(" [%s]", Driver);
        CmdPrint("\n");
    }
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, List);
    return STATUS_SUCCESS;
}

NTSTATUS CmdKill(CMD_ARGS *Args)
{
    CLIENT_ID Id = {0};
    OBJECT_ATTRIBUTES Attributes;
    CHAR What[64];
    HANDLE Process;
    ULONG Pid;
    NTSTATUS Status;

    if (Args->Argc != 2 || !CmdNumber(Args->Argv[1], &Pid)) {
        CmdPrint("usage: kill <pid>\n");
        return STATUS_INVALID_PARAMETER;
    }
    _snprintf(What, sizeof(What) - 1, "kill %lu", Pid);
    What[sizeof(What) - 1] = 0;
    Id.UniqueProcess = (HANDLE)(ULONG_PTR)Pid;
    NtProgObjectAttributes(&Attributes, NULL, 0, NULL);
    Status = NtOpenProcess(&Process, PROCESS_TERMINATE, &Attributes, &Id);
    if (NT_SUCCESS(Status)) {
        Status = NtTerminateProcess(Process, 1);
        NtClose(Process);
    }
    if (NT_SUCCESS(Status))
        CmdPrint("%s: terminated\n", What);
    else
        CmdPrintError(What, Status);
    return Status;
}

/* The processes Root started, and theirs (by parent id, made after Root:
 * an id may be reused), driver processes excepted: Ctrl-C reaches the
 * program's whole tree, as a console's Ctrl-C reaches every process on it.
 * Up to Size ids in Ids; how many. */
static ULONG CmdDescendants(const UCHAR *List, ULONG_PTR Root, ULONG_PTR *Ids, ULONG Size)
{
    const SYSTEM_PROCESS_INFORMATION *Process = NULL;
    LONGLONG Born = 0;
    ULONG Count = 0, Before;

    while ((Process = CmdNextProcess(List, Process)) != NULL)
        if (Process->UniqueProcessId == Root)
            Born = Process->CreateTime.QuadPart;
    do {
        Before = Count;
        while ((Process = CmdNextProcess(List, Process)) != NULL && Count < Size) {
            CHAR Image[64];
            BOOLEAN Known = Process->UniqueProcessId == Root, Child = FALSE;

            for (ULONG i = 0; i < Count; i++) {
                Known |= Ids[i] == Process->UniqueProcessId;
                Child |= Ids[i] == Process->InheritedFromUniqueProcessId;
            }
            Child |= Process->InheritedFromUniqueProcessId == Root;
            CmdNarrow(&Process->ImageName, Image, sizeof(Image));
            if (!Known && Child && Process->CreateTime.QuadPart >= Born &&
                _stricmp(Image, "ntoskrnl.exe") != 0)
                Ids[Count++] = Process->UniqueProcessId;
        }
    } while (Count != Before);
    return Count;
}

VOID CmdInterruptProgram(HANDLE Process)
{
    PROCESS_BASIC_INFORMATION Basic;
    ULONG_PTR Ids[64];
    ULONG Count = 0;
    PUCHAR List;

    if (NT_SUCCESS(NtQueryInformationProcess(Process, ProcessBasicInformation, &Basic,
                                             sizeof(Basic), NULL)) &&
        NT_SUCCESS(CmdQueryProcesses(&List))) {
        Count = CmdDescendants(List, Basic.UniqueProcessId, Ids, ARRAYSIZE(Ids));
        RtlFreeHeap(CmdPeb()->ProcessHeap, 0, List);
    }
    NtTerminateProcess(Process, STATUS_CONTROL_C_EXIT);
    for (ULONG i = 0; i < Count; i++) {
        OBJECT_ATTRIBUTES Attributes;
        CLIENT_ID Id = {.UniqueProcess = (HANDLE)Ids[i]};
        HANDLE Other;

        NtProgObjectAttributes(&Attributes, NULL, 0, NULL);
        if (NT_SUCCESS(NtOpenProcess(&Other, PROCESS_TERMINATE, &Attributes, &Id))) {
            NtTerminateProcess(Other, STATUS_CONTROL_C_EXIT);
            NtClose(Other);
        }
    }
}

/* \SystemRoot\System32\<name>[.exe], or the name itself when it is a path. */
static VOID CmdProgramPath(PCSTR Name, PCHAR Path, ULONG Size)
{
    BOOLEAN Dot = strchr(Name, '.') != NULL;

    if (Name[0] == '\\')
        _snprintf(Path, Size - 1, "%s", Name);
    else
        _snprintf(Path, Size - 1, "\\SystemRoot\\System32\\%s%s", Name, Dot ? "" : ".exe");
    Path[Size - 1] = 0;
}

static NTSTATUS CmdCreateProcess(CMD_ARGS *Args, PCSTR Path, RTL_USER_PROCESS_INFORMATION *Info)
{
    WCHAR ImageWide[CMD_PATH_MAX], LineWide[CMD_LINE_MAX];
    CHAR Line[CMD_LINE_MAX];
    UNICODE_STRING Image, CommandLine;
    PRTL_USER_PROCESS_PARAMETERS Parameters = NULL;
    NTSTATUS Status;

    /* argv[0] as typed, then the arguments as written. */
    _snprintf(Line, sizeof(Line) - 1, "%s%s%s", Args->Argv[0], Args->Rest[0] ? " " : "",
              Args->Rest);
    Line[sizeof(Line) - 1] = 0;
    CmdWiden(Path, ImageWide, ARRAYSIZE(ImageWide), &Image);
    CmdWiden(Line, LineWide, ARRAYSIZE(LineWide), &CommandLine);
    Status = RtlCreateProcessParameters(&Parameters, &Image, NULL, NULL, &CommandLine, NULL, NULL,
                                        NULL, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, 0, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL, Info);
    RtlDestroyProcessParameters(Parameters);
    return Status;
}

/* The event a shell run in the foreground signals to have the input
 * devices (input.c), named after the program before it runs. */
static HANDLE CmdCreateHandover(const RTL_USER_PROCESS_INFORMATION *Info)
{
    WCHAR Buffer[64];
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Event;

    CmdHandoverName((ULONG_PTR)Info->ClientId.UniqueProcess, Buffer, ARRAYSIZE(Buffer), &Name);
    NtProgObjectAttributes(&Attributes, &Name, 0, NULL);
    if (!NT_SUCCESS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE)))
        return NULL; /* such a program then finds the devices taken */
    return Event;
}

/* "<name> exited with status 0x...", and for an error or warning its name
 * and message ("(STATUS_CONTROL_C_EXIT: the application was ended by Ctrl+C)"). */
static VOID CmdPrintExit(PCSTR Name, NTSTATUS ExitStatus)
{
    PCSTR StatusName, Message;

    CmdPrint("%s exited with status 0x%08lX", Name, (ULONG)ExitStatus);
    if ((ULONG)ExitStatus >= 0x80000000u && RtlNereidStatusText(ExitStatus, &StatusName, &Message))
        CmdPrint(" (%s: %s)", StatusName, Message);
    CmdPrint("\n");
}

static NTSTATUS CmdWaitProgram(PCSTR Name, const RTL_USER_PROCESS_INFORMATION *Info,
                               HANDLE Handover)
{
    PROCESS_BASIC_INFORMATION Basic;
    BOOLEAN Interrupted;
    NTSTATUS Status = CmdWaitForeground(Info->ProcessHandle, Handover, &Interrupted);

    CmdAcquireInput(); /* the devices are the shell's again: read on at once */

    if (NT_SUCCESS(Status))
        Status = NtQueryInformationProcess(Info->ProcessHandle, ProcessBasicInformation, &Basic,
                                           sizeof(Basic), NULL);
    if (!NT_SUCCESS(Status)) {
        CmdPrintError(Name, Status);
        return Status;
    }
    CmdPrintExit(Name, Basic.ExitStatus);
    return Basic.ExitStatus;
}

NTSTATUS CmdRunProgram(CMD_ARGS *Args, BOOLEAN Wait, BOOLEAN *NotFound)
{
    RTL_USER_PROCESS_INFORMATION Info;
    CHAR Path[CMD_PATH_MAX];
    HANDLE Handover = NULL;
    NTSTATUS Status;

    CmdProgramPath(Args->Argv[0], Path, sizeof(Path));
    Status = CmdCreateProcess(Args, Path, &Info);
    if (NT_SUCCESS(Status) && Wait)
        Handover = CmdCreateHandover(&Info);
    if (NT_SUCCESS(Status)) {
        Status = NtResumeThread(Info.ThreadHandle, NULL);
        if (!NT_SUCCESS(Status)) {
            NtTerminateProcess(Info.ProcessHandle, Status);
            NtClose(Info.ThreadHandle);
            NtClose(Info.ProcessHandle);
        }
    }
    *NotFound = Status == STATUS_OBJECT_NAME_NOT_FOUND || Status == STATUS_OBJECT_PATH_NOT_FOUND ||
                Status == STATUS_OBJECT_NAME_INVALID;
    if (!NT_SUCCESS(Status)) {
        if (!*NotFound)
            CmdPrintError(Path, Status);
        if (Handover)
            NtClose(Handover);
        return Status;
    }
    if (Wait) {
        Status = CmdWaitProgram(Args->Argv[0], &Info, Handover);
        if (Handover)
            NtClose(Handover);
    } else {
        CmdPrint("started %s (process %lu)\n", Args->Argv[0],
                 (ULONG)(ULONG_PTR)Info.ClientId.UniqueProcess);
    }
    NtClose(Info.ThreadHandle);
    NtClose(Info.ProcessHandle);
    return Status;
}

NTSTATUS CmdStart(CMD_ARGS *Args)
{
    static CMD_ARGS Program;
    BOOLEAN NotFound = FALSE;
    NTSTATUS Status;

    if (Args->Argc < 2) {
        CmdPrint("usage: start <program> [args]\n");
        return STATUS_INVALID_PARAMETER;
    }
    /* The program's own words: the line after "start". */
    CmdSplit(Args->Rest, &Program);
    Status = CmdRunProgram(&Program, FALSE, &NotFound);
    if (NotFound)
        CmdPrint("start: no program %s under \\SystemRoot\n", Program.Argv[0]);
    return Status;
}
