/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * \Device\Console's one IOCTL of its own (console.sys), Nereid's, not
 * Windows': what the screen shows, for tests and tools.
 *
 * IOCTL_CONSOLE_QUERY_SCREEN (METHOD_BUFFERED, any access): output a
 * CONSOLE_SCREEN_INFO followed by Rows * Columns cells, row by row, each
 * USHORT = character | attribute << 8, read back from video memory in VGA
 * text mode (from the driver's cell grid on a framebuffer). An output
 * buffer shorter than the header gives STATUS_BUFFER_TOO_SMALL; one too
 * short for every cell gets the header and the cells that fit, with
 * STATUS_BUFFER_OVERFLOW.
 */
#pragma once

#ifndef FILE_DEVICE_CONSOLE
#define FILE_DEVICE_CONSOLE 0x00000050
#endif

#define IOCTL_CONSOLE_QUERY_SCREEN                                                                 \
    CTL_CODE(FILE_DEVICE_CONSOLE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _CONSOLE_SCREEN_INFO {
    ULONG Kind; /* NR_DISPLAY_VGA_TEXT or NR_DISPLAY_FRAMEBUFFER */
    ULONG Columns, Rows;
    ULONG CursorColumn, CursorRow;
    ULONG Reserved;
    /* USHORT Cells[Rows * Columns] follow */
} CONSOLE_SCREEN_INFO, *PCONSOLE_SCREEN_INFO;
