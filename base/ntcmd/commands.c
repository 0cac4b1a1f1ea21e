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
        Status = CmdRunCommand(Piece);
    }
    return Status;
}
