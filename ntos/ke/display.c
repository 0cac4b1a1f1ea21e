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

/* io/ is not linked into every image (the host tests of the service
 * table): test the weak reference before calling it. */
#pragma weak IoDisplayOnConsole

static void KiDisplayChunk(const char *Chunk, SIZE_T Fill)
{
    KeDisplayString(Chunk, Fill);
    if (IoDisplayOnConsole)
        IoDisplayOnConsole(Chunk, (ULONG)Fill);
}

NTSTATUS NtDisplayString(const UNICODE_STRING *String)
{
    char Chunk[KI_DISPLAY_CHUNK];
    SIZE_T Chars = String->Length / sizeof(WCHAR), Index, Fill = 0;

    for (Index = 0; Index < Chars; Index++) {
        WCHAR Char = String->Buffer[Index];
        Chunk[Fill++] = Char < 0x80 ? (char)Char : '?';
        if (Fill == sizeof(Chunk)) {
            KiDisplayChunk(Chunk, Fill);
            Fill = 0;
        }
    }
    if (Fill != 0)
        KiDisplayChunk(Chunk, Fill);
    return STATUS_SUCCESS;
}
