/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smss.exe's private interface: the session manager reads
 * \SystemRoot\smss.cfg (config.c), loads the boot drivers and makes the
 * \?? links it names (setup.c), then runs the shell and starts it again
 * when it ends (shell.c). Output goes to the console through
 * NtDisplayString (smss.c). The configuration format is in README.md.
 */
#pragma once

#include <ntnative.h>
#include <ntsvc.h>
#include <nt/rtlps.h>
#include <ntprog.h>

#ifndef ARRAYSIZE
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define SMSS_CONFIG_PATH u"\\SystemRoot\\smss.cfg"
#define SMSS_LINE_MAX    256

/* What smss.cfg says about the shell (the other statements act at once). */
typedef struct _SMSS_SHELL {
    CHAR CommandLine[SMSS_LINE_MAX]; /* "ntcmd.exe" and its arguments */
    ULONG QuickExitLimit;            /* give up after this many quick exits in a row */
    ULONG QuickExitSeconds;          /* a run shorter than this is a quick exit */
    PVOID Environment;               /* the shell's environment (set statements) */
} SMSS_SHELL;

/* smss.c: printf-style output on the console; "<name> (0x...): <message>". */
VOID SmpPrint(PCSTR Format, ...);
VOID SmpPrintStatus(PCSTR What, NTSTATUS Status);
/* A NUL-terminated ASCII string widened into Buffer (Chars WCHARs), as a
 * counted string; cut to fit. */
VOID SmpWiden(PCSTR Text, PWSTR Buffer, ULONG Chars, PUNICODE_STRING String);

/* config.c: read the configuration and act on each statement in order;
 * the shell's settings land in Shell. Errors of one statement are printed
 * and skipped; only an unreadable file fails. */
NTSTATUS SmpProcessConfiguration(SMSS_SHELL *Shell);

/* setup.c: the statements that act at once. */
VOID SmpLoadDriver(PCSTR Name);
VOID SmpCreateLink(PCSTR Name, PCSTR Target);

/* shell.c: start the shell, wait for it, start it again; returns only
 * when it gave up (too many quick exits). */
VOID SmpRunShell(const SMSS_SHELL *Shell);
