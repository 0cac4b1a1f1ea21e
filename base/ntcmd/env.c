/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * set: the shell's environment (its process's block, which programs it
 * starts inherit). "set" lists it, "set NAME" shows the variables whose
 * name is NAME, "set NAME=VALUE" sets one and "set NAME=" removes
 * it (RtlSetEnvironmentVariable / RtlQueryEnvironmentVariable_U).
 */
#include "ntcmd.h"

/* Each "NAME=VALUE" of the block. */
static VOID CmdListVariables(void)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = CmdPeb()->ProcessParameters;
    PCWSTR Entry = Parameters ? (PCWSTR)Parameters->Environment : NULL;

    while (Entry && *Entry) {
        UNICODE_STRING String = {0, 0, (PWSTR)Entry};
        CHAR Text[CMD_LINE_MAX];

        while (Entry[String.Length / sizeof(WCHAR)])
            String.Length += sizeof(WCHAR);
        Entry += String.Length / sizeof(WCHAR) + 1;
        CmdNarrow(&String, Text, sizeof(Text));
        /* Names that start with '=' are the hidden per-drive directories. */
        if (Text[0] != '=')
            CmdPrint("%s\n", Text);
    }
}

static NTSTATUS CmdShowVariable(PCSTR Name)
{
    WCHAR NameWide[CMD_LINE_MAX], ValueWide[CMD_LINE_MAX];
    UNICODE_STRING NameString, Value = {0, sizeof(ValueWide) - sizeof(WCHAR), ValueWide};
    CHAR Text[CMD_LINE_MAX];
    NTSTATUS Status;

    CmdWiden(Name, NameWide, ARRAYSIZE(NameWide), &NameString);
    Status = RtlQueryEnvironmentVariable_U(NULL, &NameString, &Value);
    if (!NT_SUCCESS(Status)) {
        _snprintf(Text, sizeof(Text) - 1, "set %s", Name);
        Text[sizeof(Text) - 1] = 0;
        CmdPrintError(Text, Status);
        return Status;
    }
    CmdNarrow(&Value, Text, sizeof(Text));
    CmdPrint("%s=%s\n", Name, Text);
    return STATUS_SUCCESS;
}

static NTSTATUS CmdAssign(PCSTR Assignment)
{
    CHAR Name[CMD_LINE_MAX];
    WCHAR NameWide[CMD_LINE_MAX], ValueWide[CMD_LINE_MAX];
    UNICODE_STRING NameString, ValueString;
    PCSTR Equals = strchr(Assignment, '=');
    ULONG Length = (ULONG)(Equals - Assignment);
    NTSTATUS Status;

    memcpy(Name, Assignment, Length);
    Name[Length] = 0;
    CmdWiden(Name, NameWide, ARRAYSIZE(NameWide), &NameString);
    CmdWiden(Equals + 1, ValueWide, ARRAYSIZE(ValueWide), &ValueString);
    Status = RtlSetEnvironmentVariable(NULL, &NameString, Equals[1] ? &ValueString : NULL);
    if (!NT_SUCCESS(Status))
        CmdPrintError("set", Status);
    return Status;
}

NTSTATUS CmdSet(CMD_ARGS *Args)
{
    CHAR Text[CMD_LINE_MAX];
    SIZE_T Length = strlen(Args->Rest);

    /* The raw text: a value may hold blanks. Trailing blanks go. */
    while (Length && (Args->Rest[Length - 1] == ' ' || Args->Rest[Length - 1] == '\t'))
        Length--;
    if (Length >= sizeof(Text))
        Length = sizeof(Text) - 1;
    memcpy(Text, Args->Rest, Length);
    Text[Length] = 0;
    if (Text[0] == '=') {
        CmdPrint("set: a name cannot start with '='\n");
        return STATUS_INVALID_PARAMETER;
    }
    if (strchr(Text, '='))
        return CmdAssign(Text);
    if (Text[0])
        return CmdShowVariable(Text);
    CmdListVariables();
    return STATUS_SUCCESS;
}
