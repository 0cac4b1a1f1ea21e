/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell's output: ASCII text widened and handed to NtDisplayString
 * (the serial line today; ntos forwards it to the console device once
 * that exists), and the one format of every error message:
 * "<what>: STATUS_NAME (0x...): <message>", the name and message from
 * ntdll's status table.
 */
#include "ntcmd.h"

#define CMD_CHUNK 256

VOID CmdWiden(PCSTR Text, PWSTR Buffer, ULONG Chars, PUNICODE_STRING String)
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

VOID CmdNarrow(PCUNICODE_STRING String, PCHAR Buffer, ULONG Size)
{
    ULONG Chars = String->Length / sizeof(WCHAR), i;

    for (i = 0; i < Chars && i + 1 < Size; i++) {
        WCHAR c = String->Buffer[i];
        Buffer[i] = c >= 0x20 && c < 0x7f ? (CHAR)c : '?';
    }
    if (Size)
        Buffer[i] = 0;
}

static BOOLEAN CmdWatching, CmdCancelled;

VOID CmdWatchOutput(void)
{
    CmdWatching = TRUE;
    CmdCancelled = FALSE;
}

BOOLEAN CmdUnwatchOutput(void)
{
    BOOLEAN Cancelled = CmdCancelled;

    CmdWatching = CmdCancelled = FALSE;
    return Cancelled;
}

static VOID CmdDisplay(PCSTR Text, SIZE_T Length);

static BOOLEAN CmdEndsALine(PCSTR Text, SIZE_T Length)
{
    for (SIZE_T i = 0; i < Length; i++)
        if (Text[i] == '\n')
            return TRUE;
    return FALSE;
}

VOID CmdWrite(PCSTR Text, SIZE_T Length)
{
    if (CmdCancelled)
        return;
    if (CmdWatching && CmdEndsALine(Text, Length) && CmdPollInterrupt()) {
        CmdCancelled = TRUE;
        CmdDisplay("^C\n", 3);
        return;
    }
    CmdDisplay(Text, Length);
}

static VOID CmdDisplay(PCSTR Text, SIZE_T Length)
{
    WCHAR Wide[CMD_CHUNK];
    UNICODE_STRING String;

    while (Length) {
        SIZE_T n = Length < CMD_CHUNK ? Length : CMD_CHUNK, i;

        for (i = 0; i < n; i++)
            Wide[i] = (WCHAR)(UCHAR)Text[i];
        String.Buffer = Wide;
        String.Length = String.MaximumLength = (USHORT)(n * sizeof(WCHAR));
        NtDisplayString(&String);
        Text += n;
        Length -= n;
    }
}

VOID CmdPrint(PCSTR Format, ...)
{
    CHAR Line[1024];
    va_list Arguments;
    int Length;

    va_start(Arguments, Format);
    Length = _vsnprintf(Line, sizeof(Line), Format, Arguments);
    va_end(Arguments);
    if (Length < 0 || Length > (int)sizeof(Line))
        Length = sizeof(Line); /* cut: _vsnprintf does not terminate then */
    CmdWrite(Line, (SIZE_T)Length);
}

VOID CmdPrintError(PCSTR What, NTSTATUS Status)
{
    PCSTR Name, Message;
    CHAR Plain[160];
    SIZE_T Length;

    if (!RtlNereidStatusText(Status, &Name, &Message)) {
        CmdPrint("%s: status 0x%08lX\n", What, (ULONG)Status);
        return;
    }
    /* The table's sentence as a clause: lower-case start, no full stop. */
    _snprintf(Plain, sizeof(Plain) - 1, "%s", Message);
    Plain[sizeof(Plain) - 1] = 0;
    Length = strlen(Plain);
    if (Length && Plain[Length - 1] == '.')
        Plain[Length - 1] = 0;
    if (Plain[0] >= 'A' && Plain[0] <= 'Z' && !(Plain[1] >= 'A' && Plain[1] <= 'Z'))
        Plain[0] = (CHAR)(Plain[0] - 'A' + 'a');
    CmdPrint("%s: %s (0x%08lX): %s\n", What, Name, (ULONG)Status, Plain);
}
