/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sleeper.exe: a program that runs for a while, for the shell's Ctrl-C
 * (tests/system/system). "sleeper [seconds] [busy]": says
 * "sleeper: running for N s (waiting|busy)", then waits N seconds (60 if
 * not given) in NtDelayExecution, or with "busy" spins on the system time
 * without a service call that waits, then says "sleeper: done" and exits
 * with status 0. A program stopped by Ctrl-C never says "done".
 */
#include <ntnative.h>
#include <ntsvc.h>
#include <ntprog.h>

static VOID SleeperSay(PCSTR Text)
{
    WCHAR Wide[128];
    UNICODE_STRING String;
    ULONG Bytes = 0;

    RtlMultiByteToUnicodeN(Wide, sizeof(Wide), &Bytes, Text, (ULONG)strlen(Text));
    String.Buffer = Wide;
    String.Length = (USHORT)Bytes;
    String.MaximumLength = sizeof(Wide);
    NtDisplayString(&String);
}

/* The words after the program's name, narrowed into Out. */
static VOID SleeperArguments(PPEB Peb, PCHAR Out, ULONG Size)
{
    const UNICODE_STRING *Line =
        Peb->ProcessParameters ? &Peb->ProcessParameters->CommandLine : NULL;
    ULONG n = 0, i = 0, Chars = Line && Line->Buffer ? Line->Length / sizeof(WCHAR) : 0;

    while (i < Chars && Line->Buffer[i] == ' ')
        i++;
    while (i < Chars && Line->Buffer[i] != ' ')
        i++;
    for (; i < Chars && n + 1 < Size; i++)
        Out[n++] = Line->Buffer[i] < 0x80 ? (CHAR)Line->Buffer[i] : '?';
    Out[n] = 0;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    CHAR Arguments[64], Text[80];
    PCHAR At = Arguments;
    ULONG Seconds = 0;
    BOOLEAN Busy;

    SleeperArguments(Peb, Arguments, sizeof(Arguments));
    while (*At == ' ')
        At++;
    while (*At >= '0' && *At <= '9' && Seconds < 100000)
        Seconds = Seconds * 10 + (ULONG)(*At++ - '0');
    if (Seconds == 0)
        Seconds = 60;
    while (*At == ' ')
        At++;
    Busy = strcmp(At, "busy") == 0;
    _snprintf(Text, sizeof(Text) - 1, "sleeper: running for %lu s (%s)\n", Seconds,
              Busy ? "busy" : "waiting");
    Text[sizeof(Text) - 1] = 0;
    SleeperSay(Text);
    if (Busy) {
        LARGE_INTEGER Start, Now;

        NtQuerySystemTime(&Start);
        do
            NtQuerySystemTime(&Now);
        while (Now.QuadPart - Start.QuadPart < (LONGLONG)Seconds * 10000000LL);
    } else {
        LARGE_INTEGER Delay = {.QuadPart = -(LONGLONG)Seconds * 10000000LL};

        NtDelayExecution(FALSE, &Delay);
    }
    SleeperSay("sleeper: done\n");
    NtTerminateProcess(NtCurrentProcess(), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}
