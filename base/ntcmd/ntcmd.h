/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntcmd.exe's private interface. The native shell reads lines from the
 * input devices (input.c: \Device\Serial0 bytes through vt100.c,
 * \Device\KeyboardClass0 records through keyboard.c), edits them
 * (lineedit.c), expands %NAME% (parse.c), splits them into commands and
 * words (words.c) and runs each through the command table (commands.c) or
 * as a program (process.c). Output goes to the console through
 * NtDisplayString (console.c). Text is ASCII inside the shell and widened
 * at the services.
 */
#pragma once

#include <ntnative.h>
#include <ntsvc.h>
#include <nt/rtlps.h>
#include <ntprog.h>
#include "cmdcore.h"

#ifndef ARRAYSIZE
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* "Nereid <version>": the release the shell belongs to (issue 4 of the
 * project's plan: I/O, drivers and the shell). */
#define CMD_NEREID_VERSION "0.4"

/* A command's result is an NTSTATUS (a program's: its exit status). A
 * command prints its own errors (CmdPrintError). */
typedef NTSTATUS (*CMD_HANDLER)(CMD_ARGS *Args);

typedef struct _CMD_COMMAND {
    PCSTR Name;
    CMD_HANDLER Handler;
    PCSTR Usage;
    PCSTR Summary;
} CMD_COMMAND;

/* ---- console.c ----------------------------------------------------------------------- */

VOID CmdPrint(PCSTR Format, ...);
VOID CmdWrite(PCSTR Text, SIZE_T Length);
/* Around each command of a line (commands.c): while watched, each line of
 * output first polls for Ctrl-C (CmdPollInterrupt); after one, "^C" is
 * shown and the command's further output dropped. CmdUnwatchOutput says
 * whether that happened. */
VOID CmdWatchOutput(void);
BOOLEAN CmdUnwatchOutput(void);
/* "<What>: <STATUS_NAME> (0x...): <message>" on a line of its own. */
VOID CmdPrintError(PCSTR What, NTSTATUS Status);
/* ASCII widened into Buffer (Chars WCHARs, NUL-terminated, cut to fit). */
VOID CmdWiden(PCSTR Text, PWSTR Buffer, ULONG Chars, PUNICODE_STRING String);
/* A counted string narrowed into Buffer (non-ASCII as '?'), NUL-terminated. */
VOID CmdNarrow(PCUNICODE_STRING String, PCHAR Buffer, ULONG Size);

/* ---- input: keys from the devices ---------------------------------------------------- */

/* input.c: the next key: first the bytes given to CmdTypeAhead (decoded
 * as serial input), then from whichever device has one; waits, and while
 * no device exists says so once and tries again every second. */
NTSTATUS CmdReadKey(CMD_KEY *Key);
/* Bytes to take as typed before the devices are read (ntcmd /k); kept,
 * not copied. */
VOID CmdTypeAhead(const UCHAR *Bytes, ULONG Length);
/* Close the devices (keys already read stay queued): a shell run in the
 * foreground asked for them. CmdAcquireInput opens them again and starts
 * reading at once when the program ends, so that keys typed meanwhile are
 * not lost (only if the shell reads the devices at all: not in /c, /s). */
VOID CmdReleaseInput(void);
VOID CmdAcquireInput(void);
/* Wait until Process ends, reading the devices meanwhile (interactive
 * shells only): Ctrl-C terminates it and what it started with
 * STATUS_CONTROL_C_EXIT (CmdInterruptProgram)
 * (*Interrupted set, "^C" shown), other keys stay queued for the prompt;
 * Handover (an event named CmdHandoverName(the program's id), or NULL)
 * signalled means the program is a shell that wants the devices: they are
 * closed until it ends. The wait's status. */
NTSTATUS CmdWaitForeground(HANDLE Process, HANDLE Handover, BOOLEAN *Interrupted);
/* A Ctrl-C typed while a built-in command prints? Reads that completed
 * are consumed (other keys stay queued) and read again; never waits. */
BOOLEAN CmdPollInterrupt(void);
/* An interactive shell opens its devices and starts reading before its
 * first prompt: the serial driver empties its receive ring at each open,
 * so a key typed after the prompt shows but before the open would be lost. */
VOID CmdStartInput(void);
/* "\BaseNamedObjects\NereidShellInput-<Pid>", widened. */
VOID CmdHandoverName(ULONG_PTR Pid, PWSTR Buffer, ULONG Chars, PUNICODE_STRING Name);

/* lineedit.c: read one edited line (history kept across calls). */
NTSTATUS CmdReadLine(PCSTR Prompt, PCHAR Line, ULONG Size);

/* ---- parse.c ---------------------------------------------------------------------------- */

/* %NAME% replaced from the environment into Out. */
VOID CmdExpand(PCSTR Line, PCHAR Out, ULONG Size);

/* ---- commands.c ---------------------------------------------------------------------- */

/* Run a line: commands separated by '&'; the status of the last one. */
NTSTATUS CmdRunLine(PCSTR Line);
extern const CMD_COMMAND CmdCommands[];
extern BOOLEAN CmdExitRequested;

/* The commands, each in the file of its area. */
NTSTATUS CmdHelp(CMD_ARGS *Args);     /* commands.c */
NTSTATUS CmdEcho(CMD_ARGS *Args);     /* commands.c */
NTSTATUS CmdCls(CMD_ARGS *Args);      /* commands.c */
NTSTATUS CmdColor(CMD_ARGS *Args);    /* commands.c */
NTSTATUS CmdExit(CMD_ARGS *Args);     /* commands.c */
NTSTATUS CmdSet(CMD_ARGS *Args);      /* env.c */
NTSTATUS CmdVer(CMD_ARGS *Args);      /* info.c */
NTSTATUS CmdDate(CMD_ARGS *Args);     /* info.c */
NTSTATUS CmdTime(CMD_ARGS *Args);     /* info.c */
NTSTATUS CmdSysinfo(CMD_ARGS *Args);  /* info.c */
NTSTATUS CmdPs(CMD_ARGS *Args);       /* process.c */
NTSTATUS CmdKill(CMD_ARGS *Args);     /* process.c */
NTSTATUS CmdStart(CMD_ARGS *Args);    /* process.c */
NTSTATUS CmdLm(CMD_ARGS *Args);       /* modules.c */
NTSTATUS CmdCd(CMD_ARGS *Args);       /* namespace.c */
NTSTATUS CmdDir(CMD_ARGS *Args);      /* namespace.c */
NTSTATUS CmdDevtree(CMD_ARGS *Args);  /* devtree.c */
NTSTATUS CmdDriver(CMD_ARGS *Args);   /* device.c */
NTSTATUS CmdBeep(CMD_ARGS *Args);     /* device.c */
NTSTATUS CmdReboot(CMD_ARGS *Args);   /* device.c */
NTSTATUS CmdPoweroff(CMD_ARGS *Args); /* device.c */

/* process.c: run a program, waiting for it (TRUE) or not; NotFound is set
 * when no such program exists (the caller then says "unknown command"). */
NTSTATUS CmdRunProgram(CMD_ARGS *Args, BOOLEAN Wait, BOOLEAN *NotFound);

/* process.c: the process list (SystemProcessInformation) in a heap block
 * (free it with RtlFreeHeap), its records one after another (NULL starts,
 * NULL ends), and the id of the first process of an image name (without
 * case; STATUS_NOT_FOUND). */
NTSTATUS CmdQueryProcesses(PUCHAR *List);
const SYSTEM_PROCESS_INFORMATION *CmdNextProcess(const UCHAR *List,
                                                 const SYSTEM_PROCESS_INFORMATION *Process);
NTSTATUS CmdFindProcess(PCSTR Name, ULONG *Pid);
/* Ctrl-C: end the program behind Process and the processes it started
 * (theirs too; not driver processes) with STATUS_CONTROL_C_EXIT. */
VOID CmdInterruptProgram(HANDLE Process);

/* modules.c: the command line of a process, read from its parameters. */
NTSTATUS CmdReadCommandLine(ULONG Pid, PCHAR Out, ULONG Size);
/* process.c: the driver a driver process runs ("serial.sys"), from its
 * command line "ntoskrnl.exe <image>.sys <service key>"; FALSE for any
 * other process. */
BOOLEAN CmdDriverOfProcess(ULONG Pid, PCHAR Image, ULONG Size);

/* namespace.c: the entries of a directory, one callback each. */
typedef VOID (*CMD_ENTRY_ROUTINE)(PCSTR Directory, PCSTR Name, PCSTR Type, PVOID Context);
NTSTATUS CmdListDirectory(PCSTR Path, CMD_ENTRY_ROUTINE Routine, PVOID Context);
/* The target of the symbolic link at Path. */
NTSTATUS CmdQueryLink(PCSTR Path, PCHAR Target, ULONG Size);

static inline PPEB CmdPeb(void)
{
    return NtCurrentTeb()->ProcessEnvironmentBlock;
}
