/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtDisplayString: a program's text on the boot console. The captured
 * UTF-16 string is narrowed to ASCII (anything else prints as '?', the way
 * an OEM code page without the character would) and handed to
 * KeDisplayString in chunks, and to the console device when there is one
 * (IoDisplayOnConsole, io/console.c).
 */

#include <ntsvc.h>
#include <ke.h>
#include <io.h>

#define KI_DISPLAY_CHUNK 128

NTSTATUS NtDisplayString(const UNICODE_STRING *String)
{
    char Chunk[KI_DISPLAY_CHUNK];
    SIZE_T Chars = String->Length / sizeof(WCHAR), Index, Fill = 0;

    for (Index = 0; Index < Chars; Index++) {
        WCHAR Char = String->Buffer[Index];
        Chunk[Fill++] = Char < 0x80 ? (char)Char : '?';
        if (Fill == sizeof(Chunk)) {
            KeDisplayString(Chunk, Fill);
            IoDisplayOnConsole(Chunk, (ULONG)Fill);
            Fill = 0;
        }
    }
    if (Fill != 0) {
        KeDisplayString(Chunk, Fill);
        IoDisplayOnConsole(Chunk, (ULONG)Fill);
    }
    return STATUS_SUCCESS;
}
