/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/debug.c: the driver's debug output. DbgPrint, DbgPrintEx and
 * vDbgPrintEx of the runtime put "<driver>: " before the text (the base
 * name of \Driver\<Name>), so the lines of several drivers on one console
 * say who wrote them, and write it with NtDisplayString as ntdll's do. They
 * are the runtime's own (a driver's import of ntoskrnl.exe!DbgPrint binds
 * here), not forwarders, because of the prefix.
 *
 * FIXME: a line built over several calls gets the prefix on each call;
 * ComponentId and Level filter nothing (ntdll's do not either).
 */

#include <ntoskrnl.h>

#include <stdarg.h>

NTSYSAPI NTSTATUS NTAPI NtDisplayString(PUNICODE_STRING String);
int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Arguments);

#define IOP_DEBUG_BUFFER_SIZE 512

NTKRNL_EXPORT ULONG NTAPI vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format,
                                      va_list Arguments)
{
    CHAR Text[IOP_DEBUG_BUFFER_SIZE];
    WCHAR Wide[IOP_DEBUG_BUFFER_SIZE];
    UNICODE_STRING String;
    ULONG Prefix = 0, Bytes = 0;
    int Length;

    while (IopDriverPrefix[Prefix] && Prefix < sizeof(IopDriverPrefix))
        Prefix++;
    if (Prefix != 0) {
        RtlCopyMemory(Text, IopDriverPrefix, Prefix);
        Text[Prefix++] = ':';
        Text[Prefix++] = ' ';
    }
    Length = _vsnprintf(Text + Prefix, sizeof(Text) - Prefix, Format, Arguments);
    if (Length < 0 || (ULONG)Length >= sizeof(Text) - Prefix) {
        RtlCopyMemory(Text + sizeof(Text) - 5, "...\n", 5);
        Length = (int)(sizeof(Text) - 1 - Prefix);
    }
    RtlMultiByteToUnicodeN(Wide, sizeof(Wide), &Bytes, Text, Prefix + (ULONG)Length);
    String.Buffer = Wide;
    String.Length = (USHORT)Bytes;
    String.MaximumLength = sizeof(Wide);
    return (ULONG)NtDisplayString(&String);
}

NTKRNL_EXPORT ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    va_list Arguments;
    ULONG Status;

    va_start(Arguments, Format);
    Status = vDbgPrintEx(ComponentId, Level, Format, Arguments);
    va_end(Arguments);
    return Status;
}

NTKRNL_EXPORT ULONG __cdecl DbgPrint(PCSTR Format, ...)
{
    va_list Arguments;
    ULONG Status;

    va_start(Arguments, Format);
    Status = vDbgPrintEx(0, 0, Format, Arguments);
    va_end(Arguments);
    return Status;
}
