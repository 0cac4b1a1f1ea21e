/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Debug output: DbgPrint, DbgPrintEx and vDbgPrintEx format into a buffer
 * on the stack (_vsnprintf, so DbgPrint's %Z and %wZ work) and write the
 * text to the boot console with NtDisplayString, widened from the ANSI code
 * page. Windows sends this to an attached kernel debugger instead; Nereid
 * has none, and the console is where its tests look. Output longer than
 * DBGP_BUFFER_SIZE is cut (and ends in "...\n"). The return value is the
 * status of the write, as Windows returns an NTSTATUS in a ULONG.
 * FIXME: DbgPrintEx ignores ComponentId and Level (no filter mask yet).
 */
#include "../ntdllp.h"

#define DBGP_BUFFER_SIZE 512

ULONG NTAPI vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, va_list Arguments)
{
    CHAR Text[DBGP_BUFFER_SIZE];
    WCHAR Wide[DBGP_BUFFER_SIZE];
    UNICODE_STRING String;
    ULONG Bytes = 0;
    int Length;

    (void)ComponentId;
    (void)Level;
    Length = _vsnprintf(Text, sizeof(Text), Format, Arguments);
    if (Length < 0 || Length >= (int)sizeof(Text)) {
        memcpy(Text + sizeof(Text) - 5, "...\n", 5);
        Length = sizeof(Text) - 1;
    }
    RtlMultiByteToUnicodeN(Wide, sizeof(Wide), &Bytes, Text, (ULONG)Length);
    String.Buffer = Wide;
    String.Length = (USHORT)Bytes;
    String.MaximumLength = sizeof(Wide);
    return (ULONG)NtDisplayString(&String);
}

ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    va_list Arguments;
    ULONG Status;

    va_start(Arguments, Format);
    Status = vDbgPrintEx(ComponentId, Level, Format, Arguments);
    va_end(Arguments);
    return Status;
}

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list Arguments;
    ULONG Status;

    va_start(Arguments, Format);
    Status = vDbgPrintEx(0, 0, Format, Arguments);
    va_end(Arguments);
    return Status;
}
