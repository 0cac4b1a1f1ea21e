/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VGA text mode: the screen is the cell grid itself at 0xB8000 (character,
 * attribute), so a cell is one 16-bit store and a scroll one move of video
 * memory; the hardware cursor is the CRT controller's cursor location
 * (index 0x0E high, 0x0F low, through ports 0x3D4/0x3D5). The glyphs are
 * the VGA card's own font (code page 437 above 0x7F, not Latin-1).
 */
#include "console.h"

#define CRTC_INDEX        ((PUCHAR)0x3D4)
#define CRTC_DATA         ((PUCHAR)0x3D5)
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_HIGH  0x0E
#define CRTC_CURSOR_LOW   0x0F

static volatile USHORT *ConVram(PCON_EXTENSION Ext)
{
    return (volatile USHORT *)Ext->Screen;
}

static VOID ConVgaDrawCell(PCON_EXTENSION Ext, ULONG Row, ULONG Column)
{
    ULONG i = Row * Ext->Columns + Column;
    ConVram(Ext)[i] = Ext->Cells[i];
}

static VOID ConVgaScrollUp(PCON_EXTENSION Ext)
{
    ULONG Cells = Ext->Rows * Ext->Columns;
    volatile USHORT *Vram = ConVram(Ext);
    for (ULONG i = 0; i < Cells; i++)
        Vram[i] = Ext->Cells[i];
}

static VOID ConVgaShowCursor(PCON_EXTENSION Ext)
{
    ULONG Column = Ext->Column >= Ext->Columns ? Ext->Columns - 1 : Ext->Column;
    USHORT Position = (USHORT)(Ext->Row * Ext->Columns + Column);
    WRITE_PORT_UCHAR(CRTC_INDEX, CRTC_CURSOR_HIGH);
    WRITE_PORT_UCHAR(CRTC_DATA, Position >> 8);
    WRITE_PORT_UCHAR(CRTC_INDEX, CRTC_CURSOR_LOW);
    WRITE_PORT_UCHAR(CRTC_DATA, Position & 0xFF);
}

static USHORT ConVgaReadCell(PCON_EXTENSION Ext, ULONG Row, ULONG Column)
{
    return ConVram(Ext)[Row * Ext->Columns + Column];
}

const CON_BACKEND ConVgaTextBackend = {ConVgaDrawCell, ConVgaScrollUp, ConVgaShowCursor,
                                       ConVgaReadCell};
