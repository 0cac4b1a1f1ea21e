/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A linear framebuffer: each cell is an 8x16 glyph (font8x16.h, generated
 * at build time from a PSF console font by tools/psffont.py) in one of the
 * 16 VGA colours, converted to the framebuffer's pixel layout (16, 24 or 32
 * bits a pixel, channel positions from the boot loader). Scrolling moves
 * the pixels up one text line (RtlMoveMemory) and clears the last one. The
 * cursor is its cell drawn in reverse colours.
 */
#include "console.h"
#include "font8x16.h"

#define CON_GLYPH_WIDTH  8
#define CON_GLYPH_HEIGHT CONFONT_HEIGHT

/* The 16 VGA text colours as 8-bit red, green, blue. */
static const UCHAR ConPalette[16][3] = {
    {0x00, 0x00, 0x00}, {0x00, 0x00, 0xAA}, {0x00, 0xAA, 0x00}, {0x00, 0xAA, 0xAA},
    {0xAA, 0x00, 0x00}, {0xAA, 0x00, 0xAA}, {0xAA, 0x55, 0x00}, {0xAA, 0xAA, 0xAA},
    {0x55, 0x55, 0x55}, {0x55, 0x55, 0xFF}, {0x55, 0xFF, 0x55}, {0x55, 0xFF, 0xFF},
    {0xFF, 0x55, 0x55}, {0xFF, 0x55, 0xFF}, {0xFF, 0xFF, 0x55}, {0xFF, 0xFF, 0xFF},
};

static ULONG ConChannel(UCHAR Value, UCHAR Shift, UCHAR Size)
{
    return Size ? ((ULONG)Value >> (8 - (Size > 8 ? 8 : Size))) << Shift : 0;
}

static ULONG ConPixel(PCON_EXTENSION Ext, UCHAR Colour)
{
    const NR_DISPLAY_INFO *D = &Ext->Display;
    const UCHAR *Rgb = ConPalette[Colour & 15];
    return ConChannel(Rgb[0], D->RedShift, D->RedSize) |
           ConChannel(Rgb[1], D->GreenShift, D->GreenSize) |
           ConChannel(Rgb[2], D->BlueShift, D->BlueSize);
}

static VOID ConPutPixel(PUCHAR At, ULONG Bytes, ULONG Pixel)
{
    if (Bytes == 4)
        *(volatile ULONG *)At = Pixel;
    else if (Bytes == 2)
        *(volatile USHORT *)At = (USHORT)Pixel;
    else
        for (ULONG b = 0; b < Bytes; b++)
            ((volatile UCHAR *)At)[b] = (UCHAR)(Pixel >> (8 * b));
}

static VOID ConDrawGlyph(PCON_EXTENSION Ext, ULONG Row, ULONG Column, USHORT Cell)
{
    ULONG Bytes = Ext->Display.BitsPerPixel / 8, Pitch = Ext->Display.Pitch;
    ULONG Fg = ConPixel(Ext, Cell >> 8), Bg = ConPixel(Ext, Cell >> 12);
    const UCHAR *Glyph = ConFont[Cell & 0xFF];
    PUCHAR Line = Ext->Screen + Row * CON_GLYPH_HEIGHT * Pitch + Column * CON_GLYPH_WIDTH * Bytes;
    for (ULONG y = 0; y < CON_GLYPH_HEIGHT; y++, Line += Pitch)
        for (ULONG x = 0; x < CON_GLYPH_WIDTH; x++)
            ConPutPixel(Line + x * Bytes, Bytes, (Glyph[y] & (0x80 >> x)) ? Fg : Bg);
}

static USHORT ConReversed(USHORT Cell)
{
    UCHAR Attr = Cell >> 8;
    return CON_CELL(Cell & 0xFF, (UCHAR)((Attr & 0x0F) << 4 | Attr >> 4));
}

static VOID ConFbDrawCell(PCON_EXTENSION Ext, ULONG Row, ULONG Column)
{
    USHORT Cell = Ext->Cells[Row * Ext->Columns + Column];
    if (Ext->CursorDrawn && Row == Ext->CursorRow && Column == Ext->CursorColumn)
        Ext->CursorDrawn = FALSE; /* overwritten: ShowCursor draws it again */
    ConDrawGlyph(Ext, Row, Column, Cell);
}

static VOID ConFbScrollUp(PCON_EXTENSION Ext)
{
    ULONG Pitch = Ext->Display.Pitch, Line = CON_GLYPH_HEIGHT * Pitch;
    RtlMoveMemory(Ext->Screen, Ext->Screen + Line, (Ext->Rows - 1) * Line);
    if (Ext->CursorDrawn && Ext->CursorRow > 0)
        Ext->CursorRow--; /* the reversed cell moved up with the pixels */
    else
        Ext->CursorDrawn = FALSE;
    for (ULONG c = 0; c < Ext->Columns; c++)
        ConFbDrawCell(Ext, Ext->Rows - 1, c);
}

static VOID ConFbShowCursor(PCON_EXTENSION Ext)
{
    ULONG Column = Ext->Column >= Ext->Columns ? Ext->Columns - 1 : Ext->Column;
    if (Ext->CursorDrawn)
        ConDrawGlyph(Ext, Ext->CursorRow, Ext->CursorColumn,
                     Ext->Cells[Ext->CursorRow * Ext->Columns + Ext->CursorColumn]);
    ConDrawGlyph(Ext, Ext->Row, Column, ConReversed(Ext->Cells[Ext->Row * Ext->Columns + Column]));
    Ext->CursorRow = Ext->Row;
    Ext->CursorColumn = Column;
    Ext->CursorDrawn = TRUE;
}

/* The framebuffer keeps no characters: the screen's cells are the shadow. */
static USHORT ConFbReadCell(PCON_EXTENSION Ext, ULONG Row, ULONG Column)
{
    return Ext->Cells[Row * Ext->Columns + Column];
}

/* What the drawing code can handle. */
NTSTATUS ConFramebufferCheck(const NR_DISPLAY_INFO *D)
{
    ULONG Bpp = D->BitsPerPixel;
    if (Bpp != 16 && Bpp != 24 && Bpp != 32)
        return STATUS_NOT_SUPPORTED;
    if (D->Width < CON_GLYPH_WIDTH || D->Height < CON_GLYPH_HEIGHT ||
        (ULONGLONG)D->Pitch < (ULONGLONG)D->Width * (Bpp / 8) ||
        (ULONGLONG)D->Pitch * D->Height > D->Size)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

const CON_BACKEND ConFramebufferBackend = {ConFbDrawCell, ConFbScrollUp, ConFbShowCursor,
                                           ConFbReadCell};
