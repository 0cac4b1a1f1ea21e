/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntcmd.exe, the native shell. Three ways to run it:
 *   ntcmd.exe                 interactive: a prompt "<directory>> " and
 *                             edited lines from the input devices
 *   ntcmd.exe /c <line>       run one line ('&' separates commands) and
 *                             exit with the status of the last command; a
 *                             line quoted as a whole loses its quotes
 *   ntcmd.exe /s <file>       run a script: each line of the file (under
 *                             \SystemRoot unless given as a full path) is
 *                             shown after the prompt, as if typed, then run;
 *                             exit with the status of the last command
 *   ntcmd.exe /k <file>       interactive, the file's bytes first taken as
 *                             keys typed on the serial line (line editing,
 *                             escape sequences and all), then the devices
 * The exit status of an interactive session is exit's argument (0).
 */
#include "ntcmd.h"

#define CMD_SCRIPT_MAX 0x10000

/* The command line after the program's own name, narrowed. */
static VOID CmdArguments(PPEB Peb, PCHAR Out, ULONG Size)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = Peb->ProcessParameters;
    CHAR Line[CMD_LINE_MAX];
    PCSTR Read = Line;
    BOOLEAN Quoted = FALSE;

    Line[0] = 0;
    if (Parameters && Parameters->CommandLine.Buffer)
        CmdNarrow(&Parameters->CommandLine, Line, sizeof(Line));
    while (*Read == ' ')
        Read++;
    while (*Read && (Quoted || *Read != ' ')) {
        Quoted ^= *Read == '"';
        Read++;
    }
    while (*Read == ' ')
        Read++;
    _snprintf(Out, Size - 1, "%s", Read);
    Out[Size - 1] = 0;
}

/* The line of /c without the quotes around all of it, as cmd.exe takes
 * it: `ntcmd /c "echo a & exit 3"` runs both commands in the new shell. */
static PCSTR CmdUnquote(PCHAR Line)
{
    SIZE_T Length;

    while (*Line == ' ')
        Line++;
    Length = strlen(Line);
    while (Length && Line[Length - 1] == ' ')
        Line[--Length] = 0;
    if (Length >= 2 && Line[0] == '"' && Line[Length - 1] == '"') {
        Line[Length - 1] = 0;
        return Line + 1;
    }
    return Line;
}

static NTSTATUS CmdReadFile(PCSTR Name, PCHAR *Data, ULONG *Size)
{
    CHAR Path[CMD_PATH_MAX];
    WCHAR Wide[CMD_PATH_MAX];
    UNICODE_STRING String;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Io;
    FILE_STANDARD_INFORMATION Standard;
    HANDLE File;
    NTSTATUS Status;

    _snprintf(Path, sizeof(Path) - 1, "%s%s", Name[0] == '\\' ? "" : "\\SystemRoot\\", Name);
    Path[sizeof(Path) - 1] = 0;
    CmdWiden(Path, Wide, ARRAYSIZE(Wide), &String);
    NtProgObjectAttributes(&Attributes, &String, OBJ_CASE_INSENSITIVE, NULL);
    Status = NtOpenFile(&File, FILE_READ_DATA | SYNCHRONIZE, &Attributes, &Io, FILE_SHARE_READ,
                        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        return Status;
    Status =
        NtQueryInformationFile(File, &Io, &Standard, sizeof(Standard), FileStandardInformation);
    if (NT_SUCCESS(Status) && Standard.EndOfFile.QuadPart >= CMD_SCRIPT_MAX)
        Status = STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(Status)) {
        *Size = (ULONG)Standard.EndOfFile.QuadPart;
        *Data = RtlAllocateHeap(CmdPeb()->ProcessHeap, 0, *Size + 1);
        Status = *Data ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    }
    if (NT_SUCCESS(Status) && *Size) {
        Status = NtReadFile(File, NULL, NULL, NULL, &Io, *Data, *Size, NULL, NULL);
        *Size = NT_SUCCESS(Status) ? (ULONG)Io.Information : 0;
    }
    if (NT_SUCCESS(Status))
        (*Data)[*Size] = 0;
    NtClose(File);
    return Status;
}

static NTSTATUS CmdRunScript(PCSTR Name)
{
    PCHAR Data, Line, End;
    ULONG Size;
    NTSTATUS Status = CmdReadFile(Name, &Data, &Size);

    if (!NT_SUCCESS(Status)) {
        CmdPrintError(Name, Status);
        return Status;
    }
    for (Line = Data; Line < Data + Size && !CmdExitRequested; Line = End + 1) {
        End = Line;
        while (*End && *End != '\n')
            End++;
        *End = 0;
        if (End > Line && End[-1] == '\r')
            End[-1] = 0;
        CmdPrint("%s> %s\n", CmdCurrentDirectory, Line);
        Status = CmdRunLine(Line);
    }
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, Data);
    return Status;
}

/* `make bench`'s boot image (tests/system/system/build.mk) sets
 * NTCMD_BOOT_BENCH: print the TSC when the first prompt is due, which
 * under QEMU's -icount is the guest's instruction count since reset
 * (tools/bench.py: boot_to_prompt_instructions). */
static VOID CmdBootBench(void)
{
    UNICODE_STRING Name = {32, 34, (PWSTR)u"NTCMD_BOOT_BENCH"};
    WCHAR Buffer[8];
    UNICODE_STRING Value = {0, sizeof(Buffer), Buffer};
    ULONG Low, High;

    if (!NT_SUCCESS(RtlQueryEnvironmentVariable_U(NULL, &Name, &Value)))
        return;
    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(Low), "=d"(High)::"memory");
    CmdPrint("BENCH boot_to_prompt_tsc %I64u\nSUITE-END bench\n", ((ULONGLONG)High << 32) | Low);
}

static NTSTATUS CmdInteractive(void)
{
    CHAR Prompt[CMD_PATH_MAX + 4], Line[CMD_LINE_MAX];
    NTSTATUS Status = STATUS_SUCCESS;

    CmdStartInput(); /* before anything is shown: no key typed after it is lost */
    CmdPrint("Nereid native shell. Type help for the commands.\n");
    CmdBootBench();
    while (!CmdExitRequested) {
        _snprintf(Prompt, sizeof(Prompt) - 1, "%s> ", CmdCurrentDirectory);
        Prompt[sizeof(Prompt) - 1] = 0;
        Status = CmdReadLine(Prompt, Line, sizeof(Line));
        if (!NT_SUCCESS(Status)) {
            CmdPrintError("ntcmd: cannot read a line", Status);
            return Status;
        }
        Status = CmdRunLine(Line);
    }
    return Status;
}

/* Interactive, with the file's bytes typed ahead. The buffer stays for
 * the process's life: the keys are taken from it as they are read. */
static NTSTATUS CmdTypeFile(PCSTR Name)
{
    PCHAR Data;
    ULONG Size;
    NTSTATUS Status = CmdReadFile(Name, &Data, &Size);

    if (!NT_SUCCESS(Status)) {
        CmdPrintError(Name, Status);
        return Status;
    }
    CmdTypeAhead((const UCHAR *)Data, Size);
    return CmdInteractive();
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    CHAR Arguments[CMD_LINE_MAX];
    NTSTATUS Status;

    CmdArguments(Peb, Arguments, sizeof(Arguments));
    if (_strnicmp(Arguments, "/c", 2) == 0 && (Arguments[2] == ' ' || Arguments[2] == 0))
        Status = CmdRunLine(CmdUnquote(Arguments + 2));
    else if (_strnicmp(Arguments, "/s ", 3) == 0)
        Status = CmdRunScript(Arguments + 3);
    else if (_strnicmp(Arguments, "/k ", 3) == 0)
        Status = CmdTypeFile(Arguments + 3);
    else if (Arguments[0] == 0)
        Status = CmdInteractive();
    else {
        CmdPrint("usage: ntcmd.exe [/c <command line> | /s <script file> | /k <keys file>]\n");
        Status = STATUS_INVALID_PARAMETER;
    }
    NtTerminateProcess(NtCurrentProcess(), Status);
    return Status;
}
