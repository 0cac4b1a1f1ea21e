/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command table and what runs a line: '&' separates commands (outside
 * double quotes), %NAME% is expanded first, a name that is no command is
 * taken as a program under \SystemRoot. Also the smallest commands: help,
 * echo, cls and exit.
 */
#include "ntcmd.h"

BOOLEAN CmdExitRequested;

const CMD_COMMAND CmdCommands[] = {
    {"help", CmdHelp, "help [command]", "list the commands, or show one's usage"},
    {"echo", CmdEcho, "echo [text]", "print the text"},
    {"set", CmdSet, "set [name[=[value]]]", "show or change the environment"},
    {"cls", CmdCls, "cls", "clear the screen"},
    {"color", CmdColor, "color [bf]",
     "console colours: background 0-7, foreground 0-f (VGA numbers)"},
    {"ver", CmdVer, "ver", "show the Nereid and NT versions"},
    {"date", CmdDate, "date", "show today's date (UTC)"},
    {"time", CmdTime, "time", "show the time of day (UTC)"},
    {"sysinfo", CmdSysinfo, "sysinfo", "memory, processes and uptime"},
    {"ps", CmdPs, "ps", "list the processes"},
    {"kill", CmdKill, "kill <pid>", "end a process"},
    {"start", CmdStart, "start <program> [args]", "start a program without waiting for it"},
    {"cd", CmdCd, "cd [path]", "show or change the current namespace directory"},
    {"dir", CmdDir, "dir [path]", "list a namespace directory (links show their targets)"},
    {"devtree", CmdDevtree, "devtree", "the drivers and their devices"},
    {"lm", CmdLm, "lm [pid | name]", "the modules loaded in a process (default: this shell)"},
    {"driver", CmdDriver, "driver load|unload <name>", "load or unload a driver"},
    {"beep", CmdBeep, "beep [hz] [ms]", "sound the PC speaker (800 Hz, 200 ms)"},
    {"reboot", CmdReboot, "reboot", "restart the machine"},
    {"poweroff", CmdPoweroff, "poweroff", "turn the machine off"},
    {"exit", CmdExit, "exit [status]", "leave the shell"},
    {NULL, NULL, NULL, NULL},
};

NTSTATUS CmdHelp(CMD_ARGS *Args)
{
    const CMD_COMMAND *Command;

    for (Command = CmdCommands; Command->Name; Command++) {
        if (Args->Argc > 1 && _stricmp(Args->Argv[1], Command->Name) != 0)
            continue;
        CmdPrint("  %-26s %s\n", Command->Usage, Command->Summary);
        if (Args->Argc > 1)
            return STATUS_SUCCESS;
    }
    if (Args->Argc > 1) {
        CmdPrint("help: no command '%s'\n", Args->Argv[1]);
        return STATUS_INVALID_PARAMETER;
    }
    CmdPrint("  %-26s %s\n", "<program> [args]",
             "run \\SystemRoot\\System32\\<program>.exe and wait for it");
    return STATUS_SUCCESS;
}

NTSTATUS CmdEcho(CMD_ARGS *Args)
{
    SIZE_T Length = strlen(Args->Rest);

    while (Length && (Args->Rest[Length - 1] == ' ' || Args->Rest[Length - 1] == '\t'))
        Length--;
    CmdWrite(Args->Rest, Length);
    CmdWrite("\n", 1);
    return STATUS_SUCCESS;
}

NTSTATUS CmdCls(CMD_ARGS *Args)
{
    (void)Args;
    CmdWrite("\x1b[2J\x1b[H", 7);
    return STATUS_SUCCESS;
}

/* color bf, as cmd.exe's: two hex digits of the VGA colours (background,
 * foreground; 0 black, 1 blue, 2 green, 3 cyan, 4 red, 5 magenta, 6 brown,
 * 7 grey, 8-f their bright forms). The console takes ANSI's order (red
 * first) and has no bright backgrounds; no argument: grey on black. */
NTSTATUS CmdColor(CMD_ARGS *Args)
{
    static const UCHAR VgaToAnsi[8] = {0, 4, 2, 6, 1, 5, 3, 7};
    ULONG Value = 0x07;
    PCSTR Digits = Args->Argc > 1 ? Args->Argv[1] : "07";
    CHAR Sequence[32];
    int n;

    if (Args->Argc > 2 || strlen(Digits) != 2 ||
        !((Digits[0] >= '0' && Digits[0] <= '7') &&
          ((Digits[1] >= '0' && Digits[1] <= '9') || (Digits[1] >= 'a' && Digits[1] <= 'f') ||
           (Digits[1] >= 'A' && Digits[1] <= 'F')))) {
        CmdPrint("usage: color [bf] (b: background 0-7, f: foreground 0-f)\n");
        return STATUS_INVALID_PARAMETER;
    }
    Value = (ULONG)(Digits[0] - '0') << 4 |
            (ULONG)(Digits[1] <= '9' ? Digits[1] - '0' : (Digits[1] | 0x20) - 'a' + 10);
    n = _snprintf(Sequence, sizeof(Sequence), "\x1b[0;%s%u;%um", Value & 8 ? "1;" : "",
                  30 + VgaToAnsi[Value & 7], 40 + VgaToAnsi[(Value >> 4) & 7]);
    CmdWrite(Sequence, (SIZE_T)n);
    return STATUS_SUCCESS;
}

NTSTATUS CmdExit(CMD_ARGS *Args)
{
    ULONG Status = STATUS_SUCCESS;

    if (Args->Argc > 1 && !CmdNumber(Args->Argv[1], &Status)) {
        CmdPrint("exit: '%s' is not a number\n", Args->Argv[1]);
        return STATUS_INVALID_PARAMETER;
    }
    CmdExitRequested = TRUE;
    return (NTSTATUS)Status;
}

static NTSTATUS CmdRunCommand(PCSTR Text)
{
    static CMD_ARGS Args; /* one command at a time; keeps the words off the stack */
    const CMD_COMMAND *Command;
    BOOLEAN NotFound = FALSE;
    NTSTATUS Status;

    CmdSplit(Text, &Args);
    if (Args.Argc == 0)
        return STATUS_SUCCESS;
    for (Command = CmdCommands; Command->Name; Command++) {
        if (_stricmp(Args.Argv[0], Command->Name) == 0)
            return Command->Handler(&Args);
    }
    Status = CmdRunProgram(&Args, TRUE, &NotFound);
    if (NotFound)
        CmdPrint("%s: not a command, nor a program under \\SystemRoot (try help)\n", Args.Argv[0]);
    return Status;
}

NTSTATUS CmdRunLine(PCSTR Line)
{
    CHAR Expanded[CMD_LINE_MAX], Piece[CMD_LINE_MAX];
    NTSTATUS Status = STATUS_SUCCESS;
    PCSTR Read;

    CmdExpand(Line, Expanded, sizeof(Expanded));
    for (Read = Expanded; *Read && !CmdExitRequested;) {
        Read = CmdNextCommand(Read, Piece, sizeof(Piece));
        CmdWatchOutput();
        Status = CmdRunCommand(Piece);
        if (CmdUnwatchOutput()) {
            Status = STATUS_CONTROL_C_EXIT; /* Ctrl-C ends the whole line, as in cmd.exe */
            break;
        }
    }
    return Status;
}
