/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * \SystemRoot\smss.cfg: read the whole file, then act on its statements
 * one line at a time, in order (README.md has the format). A statement
 * that is not understood is reported with its line number and skipped:
 * a typo must not keep the machine from reaching the shell.
 */
#include "smss.h"

#define SMSS_CONFIG_MAX 0x10000

static NTSTATUS SmpReadFile(PCWSTR Path, PCHAR *Data, ULONG *Size)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Io;
    FILE_STANDARD_INFORMATION Standard;
    HANDLE File = NULL;
    PCHAR Buffer = NULL;
    NTSTATUS Status;

    RtlInitUnicodeString(&Name, Path);
    NtProgObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL);
    Status = NtOpenFile(&File, FILE_READ_DATA | SYNCHRONIZE, &Attributes, &Io, FILE_SHARE_READ,
                        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        return Status;
    Status =
        NtQueryInformationFile(File, &Io, &Standard, sizeof(Standard), FileStandardInformation);
    if (NT_SUCCESS(Status) && Standard.EndOfFile.QuadPart >= SMSS_CONFIG_MAX)
        Status = STATUS_INSUFFICIENT_RESOURCES;
    if (!NT_SUCCESS(Status))
        goto out;
    *Size = (ULONG)Standard.EndOfFile.QuadPart;
    Buffer = RtlAllocateHeap(NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap, 0, *Size + 1);
    if (Buffer == NULL) {
        Status = STATUS_NO_MEMORY;
        goto out;
    }
    Status =
        *Size ? NtReadFile(File, NULL, NULL, NULL, &Io, Buffer, *Size, NULL, NULL) : STATUS_SUCCESS;
    if (NT_SUCCESS(Status)) {
        *Size = *Size ? (ULONG)Io.Information : 0;
        Buffer[*Size] = 0;
        *Data = Buffer;
        Buffer = NULL;
    }
out:
    if (Buffer)
        RtlFreeHeap(NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap, 0, Buffer);
    NtClose(File);
    return Status;
}

static BOOLEAN SmpIsBlank(CHAR c)
{
    return c == ' ' || c == '\t';
}

/* Cut the next word off *Line (NUL-terminates it in place). */
static PCHAR SmpWord(PCHAR *Line)
{
    PCHAR Start = *Line, End;

    while (SmpIsBlank(*Start))
        Start++;
    End = Start;
    while (*End && !SmpIsBlank(*End))
        End++;
    if (*End)
        *End++ = 0;
    *Line = End;
    return Start;
}

static PCHAR SmpRest(PCHAR Line)
{
    while (SmpIsBlank(*Line))
        Line++;
    return Line;
}

static ULONG SmpNumber(PCSTR Text, ULONG Default)
{
    ULONG Value = 0;

    if (*Text < '0' || *Text > '9')
        return Default;
    while (*Text >= '0' && *Text <= '9')
        Value = Value * 10 + (ULONG)(*Text++ - '0');
    return Value;
}

/* "set NAME=VALUE": into the shell's environment. */
static VOID SmpSetVariable(SMSS_SHELL *Shell, PCHAR Assignment, ULONG LineNumber)
{
    WCHAR NameBuffer[SMSS_LINE_MAX], ValueBuffer[SMSS_LINE_MAX];
    UNICODE_STRING Name, Value;
    PCHAR Equals = Assignment;
    NTSTATUS Status;

    while (*Equals && *Equals != '=')
        Equals++;
    if (*Equals != '=' || Equals == Assignment) {
        SmpPrint("smss: smss.cfg line %lu: set needs NAME=VALUE\n", LineNumber);
        return;
    }
    *Equals = 0;
    SmpWiden(Assignment, NameBuffer, ARRAYSIZE(NameBuffer), &Name);
    SmpWiden(Equals + 1, ValueBuffer, ARRAYSIZE(ValueBuffer), &Value);
    Status = RtlSetEnvironmentVariable(&Shell->Environment, &Name, &Value);
    if (!NT_SUCCESS(Status))
        SmpPrintStatus("set", Status);
}

static VOID SmpStatement(SMSS_SHELL *Shell, PCHAR Line, ULONG LineNumber)
{
    PCHAR Keyword = SmpWord(&Line);

    if (*Keyword == 0 || *Keyword == '#')
        return;
    if (strcmp(Keyword, "driver") == 0) {
        SmpLoadDriver(SmpWord(&Line));
    } else if (strcmp(Keyword, "link") == 0) {
        PCHAR Name = SmpWord(&Line);
        SmpCreateLink(Name, SmpWord(&Line));
    } else if (strcmp(Keyword, "set") == 0) {
        SmpSetVariable(Shell, SmpRest(Line), LineNumber);
    } else if (strcmp(Keyword, "shell") == 0) {
        _snprintf(Shell->CommandLine, sizeof(Shell->CommandLine) - 1, "%s", SmpRest(Line));
    } else if (strcmp(Keyword, "restart") == 0) {
        Shell->QuickExitLimit = SmpNumber(SmpWord(&Line), Shell->QuickExitLimit);
        Shell->QuickExitSeconds = SmpNumber(SmpWord(&Line), Shell->QuickExitSeconds);
    } else {
        SmpPrint("smss: smss.cfg line %lu: unknown statement '%s' skipped\n", LineNumber, Keyword);
    }
}

NTSTATUS SmpProcessConfiguration(SMSS_SHELL *Shell)
{
    PCHAR Data, Line, End;
    ULONG Size, LineNumber = 0;
    NTSTATUS Status = SmpReadFile(SMSS_CONFIG_PATH, &Data, &Size);

    if (!NT_SUCCESS(Status))
        return Status;
    for (Line = Data; Line < Data + Size; Line = End + 1) {
        End = Line;
        while (*End && *End != '\n')
            End++;
        *End = 0;
        if (End > Line && End[-1] == '\r')
            End[-1] = 0;
        LineNumber++;
        SmpStatement(Shell, Line, LineNumber);
    }
    RtlFreeHeap(NtCurrentTeb()->ProcessEnvironmentBlock->ProcessHeap, 0, Data);
    return STATUS_SUCCESS;
}
