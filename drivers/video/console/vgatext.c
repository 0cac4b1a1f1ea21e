/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VGA text mode: the screen is the cell grid itself at 0xB8000 (character,
 * attribute), so a cell is one 16-bit store and a scroll one move of video
 * memory; the hardware cursor is the CRT controller's cursor location
 * (index 0x0E high, 0x0F low, through ports 0x3D4/0x3D5). The glyphs are
 * the VGA card's own font (code page 437 above 0x7F, not Latin-1).
 */
#include "console.h"

#define CRTC_INDEX       ((PUSHORT)0x3D4)
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW  0x0F

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

/* A 16-bit write to the CRTC index port sets the index (low byte) and
 * writes its data port (high byte): two emulated instructions, not four. */
static VOID ConVgaShowCursor(PCON_EXTENSION Ext)
{
    ULONG Column = Ext->Column >= Ext->Columns ? Ext->Columns - 1 : Ext->Column;
    USHORT Position = (USHORT)(Ext->Row * Ext->Columns + Column);
    WRITE_PORT_USHORT(CRTC_INDEX, (USHORT)((Position & 0xFF00) | CRTC_CURSOR_HIGH));
    WRITE_PORT_USHORT(CRTC_INDEX, (USHORT)((Position & 0x00FF) << 8 | CRTC_CURSOR_LOW));
}

static USHORT ConVgaReadCell(PCON_EXTENSION Ext, ULONG Row, ULONG Column)
{
    return ConVram(Ext)[Row * Ext->Columns + Column];
}

const CON_BACKEND ConVgaTextBackend = {ConVgaDrawCell, ConVgaScrollUp, ConVgaShowCursor,
                                       ConVgaReadCell};
