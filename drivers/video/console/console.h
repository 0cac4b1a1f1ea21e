/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * console.sys: \Device\Console, text on the screen the boot loader left:
 * VGA text mode (vgatext.c) or a linear framebuffer drawn with an 8x16
 * font (framebuffer.c). terminal.c interprets the bytes written (ASCII and
 * a VT100 subset) on a shadow grid of cells; the backends show the cells
 * and the cursor. console.c is the entry, the dispatch and the screen
 * query IOCTL the tests use.
 *
 * All of it runs in the driver's IRP thread (dispatch routines only, no
 * DPC or other thread touches the screen), so nothing here is locked.
 */
#pragma once

#include <ntddk.h>
#include <nrdisplay.h>

#define CON_TAG 0x6E6F4321 /* "!Con" in a pool dump */

/* A cell: the character (Latin-1) in the low byte, the VGA attribute
 * (background << 4 | foreground, 16 colours) in the high byte. */
#define CON_CELL(Char, Attr) ((USHORT)((UCHAR)(Char) | ((USHORT)(Attr) << 8)))
#define CON_DEFAULT_ATTR     0x07 /* light grey on black */

typedef struct _CON_EXTENSION CON_EXTENSION, *PCON_EXTENSION;

typedef struct _CON_BACKEND {
    VOID (*DrawCell)(PCON_EXTENSION Ext, ULONG Row, ULONG Column);   /* from Ext->Cells */
    VOID (*ScrollUp)(PCON_EXTENSION Ext);                            /* the cells moved already */
    VOID (*ShowCursor)(PCON_EXTENSION Ext);                          /* at Ext->Row/Column */
    USHORT (*ReadCell)(PCON_EXTENSION Ext, ULONG Row, ULONG Column); /* what the screen shows */
} CON_BACKEND;

typedef enum _CON_PARSE_STATE { ConNormal, ConEscape, ConCsi } CON_PARSE_STATE;

#define CON_MAX_PARAMS 8

struct _CON_EXTENSION {
    NR_DISPLAY_INFO Display;
    const CON_BACKEND *Backend;
    PUCHAR Screen; /* the mapped video memory */
    SIZE_T ScreenSize;
    ULONG Rows, Columns;
    PUSHORT Cells; /* Rows * Columns */

    ULONG Row, Column; /* the cursor; Column == Columns: wrap before the next character */
    UCHAR Foreground, Background; /* VGA colours 0-7 */
    BOOLEAN Bold, Reverse;
    UCHAR Attr; /* what new characters get */

    CON_PARSE_STATE State;
    ULONG Params[CON_MAX_PARAMS];
    ULONG ParamCount;
    BOOLEAN Private; /* ESC [ ? ...: recognised and ignored */

    /* framebuffer.c */
    ULONG CursorRow, CursorColumn; /* where the drawn cursor is */
    BOOLEAN CursorDrawn;
};

/* terminal.c */
VOID ConReset(PCON_EXTENSION Ext);
VOID ConWrite(PCON_EXTENSION Ext, const UCHAR *Bytes, ULONG Length);

/* vgatext.c, framebuffer.c */
extern const CON_BACKEND ConVgaTextBackend;
extern const CON_BACKEND ConFramebufferBackend;
NTSTATUS ConFramebufferCheck(const NR_DISPLAY_INFO *Display);
