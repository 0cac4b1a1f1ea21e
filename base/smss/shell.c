/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell's life: start it (RtlCreateUserProcess on
 * \SystemRoot\System32\<image>, the rest of the configured line as its
 * arguments, the environment of the set statements), wait for it to end,
 * say how it ended, and start it again. A shell that ends within
 * QuickExitSeconds of its start QuickExitLimit times in a row (a crash at
 * start, a broken image) is not started again: SmpRunShell returns.
 */
#include "smss.h"

/* The image path of the command line's first word, ".exe" added when it has no dot. */
static VOID SmpImagePath(PCSTR CommandLine, PWSTR Buffer, ULONG Chars, PUNICODE_STRING Path)
{
    CHAR Text[SMSS_LINE_MAX];
    ULONG Length = 0, Dot = 0;
    PCSTR Word = CommandLine;

    while (*Word == ' ')
        Word++;
    while (Word[Length] && Word[Length] != ' ' && Length < 64) {
        Dot |= Word[Length] == '.';
        Length++;
    }
    _snprintf(Text, sizeof(Text) - 1, "\\SystemRoot\\System32\\%.*s%s", (int)Length, Word,
              Dot ? "" : ".exe");
    Text[sizeof(Text) - 1] = 0;
    SmpWiden(Text, Buffer, Chars, Path);
}

static NTSTATUS SmpStartShell(const SMSS_SHELL *Shell, RTL_USER_PROCESS_INFORMATION *Info)
{
    WCHAR ImageBuffer[SMSS_LINE_MAX], LineBuffer[SMSS_LINE_MAX];
    UNICODE_STRING Image, CommandLine;
    PRTL_USER_PROCESS_PARAMETERS Parameters = NULL;
    NTSTATUS Status;

    SmpImagePath(Shell->CommandLine, ImageBuffer, ARRAYSIZE(ImageBuffer), &Image);
    SmpWiden(Shell->CommandLine, LineBuffer, ARRAYSIZE(LineBuffer), &CommandLine);
    Status = RtlCreateProcessParameters(&Parameters, &Image, NULL, NULL, &CommandLine,
                                        Shell->Environment, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, 0, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL, Info);
    RtlDestroyProcessParameters(Parameters);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Said before the shell runs, so its first output never interleaves. */
    SmpPrint("smss: started %s (process %lu)\n", Shell->CommandLine,
             (ULONG)(ULONG_PTR)Info->ClientId.UniqueProcess);
    /* The first thread waits to be resumed, as on Windows. */
    Status = NtResumeThread(Info->ThreadHandle, NULL);
    if (!NT_SUCCESS(Status)) {
        NtTerminateProcess(Info->ProcessHandle, Status);
        NtClose(Info->ThreadHandle);
        NtClose(Info->ProcessHandle);
    }
    return Status;
}

/* Run the shell once: its exit status, or why it could not start. */
static NTSTATUS SmpRunShellOnce(const SMSS_SHELL *Shell, NTSTATUS *ExitStatus)
{
    RTL_USER_PROCESS_INFORMATION Info;
    PROCESS_BASIC_INFORMATION Basic;
    NTSTATUS Status = SmpStartShell(Shell, &Info);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtWaitForSingleObject(Info.ProcessHandle, FALSE, NULL);
    if (NT_SUCCESS(Status))
        Status = NtQueryInformationProcess(Info.ProcessHandle, ProcessBasicInformation, &Basic,
                                           sizeof(Basic), NULL);
    if (NT_SUCCESS(Status))
        *ExitStatus = Basic.ExitStatus;
    NtClose(Info.ThreadHandle);
    NtClose(Info.ProcessHandle);
    return Status;
}

static LONGLONG SmpNow(void)
{
    LARGE_INTEGER Now = {.QuadPart = 0};

    NtQuerySystemTime(&Now);
    return Now.QuadPart;
}

VOID SmpRunShell(const SMSS_SHELL *Shell)
{
    ULONG QuickExits = 0;
    LONGLONG Start, Ran;
    NTSTATUS Status, ExitStatus = STATUS_SUCCESS;

    for (;;) {
        Start = SmpNow();
        Status = SmpRunShellOnce(Shell, &ExitStatus);
        Ran = SmpNow() - Start;
        if (!NT_SUCCESS(Status))
            SmpPrintStatus("cannot run the shell", Status);
        else
            SmpPrint("smss: the shell exited with status 0x%08lX\n", (ULONG)ExitStatus);
        QuickExits = Ran < (LONGLONG)Shell->QuickExitSeconds * 10000000LL ? QuickExits + 1 : 0;
        if (QuickExits >= Shell->QuickExitLimit) {
            SmpPrint("smss: the shell ended %lu time(s) in a row within %lu s of its start; "
                     "not starting it again\n",
                     QuickExits, Shell->QuickExitSeconds);
            return;
        }
        SmpPrint("smss: starting the shell again\n");
    }
}
