/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smss.exe, the session manager: the first program ntos starts. It
 * processes \SystemRoot\smss.cfg (boot drivers, \?? links, the shell's
 * environment and command line), then keeps the shell running. When it
 * gives up on the shell it asks for a power-off; if that is refused
 * (NtShutdownSystem not there yet) it idles, so the console stays readable.
 * This file also owns smss's console output.
 */
#include "smss.h"

VOID SmpWiden(PCSTR Text, PWSTR Buffer, ULONG Chars, PUNICODE_STRING String)
{
    ULONG Length = 0;

    while (Text[Length] && Length + 1 < Chars) {
        Buffer[Length] = (WCHAR)(UCHAR)Text[Length];
        Length++;
    }
    Buffer[Length] = 0;
    String->Buffer = Buffer;
    String->Length = (USHORT)(Length * sizeof(WCHAR));
    String->MaximumLength = (USHORT)((Length + 1) * sizeof(WCHAR));
}

VOID SmpPrint(PCSTR Format, ...)
{
    CHAR Line[512];
    WCHAR Wide[512];
    UNICODE_STRING String;
    va_list Arguments;

    va_start(Arguments, Format);
    _vsnprintf(Line, sizeof(Line) - 1, Format, Arguments);
    va_end(Arguments);
    Line[sizeof(Line) - 1] = 0;
    SmpWiden(Line, Wide, ARRAYSIZE(Wide), &String);
    NtDisplayString(&String);
}

VOID SmpPrintStatus(PCSTR What, NTSTATUS Status)
{
    PCSTR Name, Message;

    if (RtlNereidStatusText(Status, &Name, &Message))
        SmpPrint("smss: %s: %s (0x%08lX): %s\n", What, Name, (ULONG)Status, Message);
    else
        SmpPrint("smss: %s: status 0x%08lX\n", What, (ULONG)Status);
}

/* Nothing more to do: sleep for good (an hour at a time). */
static VOID SmpIdle(void)
{
    LARGE_INTEGER Hour = {.QuadPart = -36000000000LL};

    for (;;)
        NtDelayExecution(FALSE, &Hour);
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    SMSS_SHELL Shell = {.QuickExitLimit = 5, .QuickExitSeconds = 5};
    NTSTATUS Status;

    (void)Peb;
    SmpPrint("smss: Nereid session manager starting\n");
    Status = RtlCreateEnvironment(TRUE, &Shell.Environment);
    if (!NT_SUCCESS(Status)) {
        SmpPrintStatus("cannot create the shell's environment", Status);
        Shell.Environment = NULL;
    }
    Status = SmpProcessConfiguration(&Shell);
    if (!NT_SUCCESS(Status))
        SmpPrintStatus("cannot read \\SystemRoot\\smss.cfg", Status);
    if (Shell.CommandLine[0] == 0) {
        SmpPrint("smss: no shell configured; idle\n");
        SmpIdle();
    }
    SmpRunShell(&Shell);
    SmpPrint("smss: powering off\n");
    Status = NtShutdownSystem(2 /* ShutdownPowerOff */);
    SmpPrintStatus("cannot power off", Status);
    SmpIdle();
    return STATUS_SUCCESS;
}
