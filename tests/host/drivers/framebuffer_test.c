/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * console.sys's framebuffer backend (drivers/video/console/framebuffer.c)
 * on memory: glyphs drawn pixel for pixel from the font in the colours of
 * the VGA palette at 32, 24 and 16 bits a pixel, with the channel
 * positions the display reports (RGB and BGR), lines padded past the
 * visible width (the pitch), nothing drawn outside the cell, the scroll
 * and the cursor, and the check of the display's description.
 */
#include <stdlib.h>
#include <string.h>
#include "console.h"
#include "font8x16.h"
#include "drvtest.h"

#define FB_WIDTH  40 /* pixels: five cells */
#define FB_HEIGHT 48 /* three rows */
#define FB_PAD    12 /* bytes past each visible line */
#define FB_MARKER 0x5C

static UCHAR Memory[FB_HEIGHT * (FB_WIDTH * 4 + FB_PAD)];
static USHORT Cells[3 * 5];
static CON_EXTENSION Ext;

/* The 16 VGA colours, as the backend must show them. */
static const UCHAR Rgb[16][3] = {
    {0x00, 0x00, 0x00}, {0x00, 0x00, 0xAA}, {0x00, 0xAA, 0x00}, {0x00, 0xAA, 0xAA},
    {0xAA, 0x00, 0x00}, {0xAA, 0x00, 0xAA}, {0xAA, 0x55, 0x00}, {0xAA, 0xAA, 0xAA},
    {0x55, 0x55, 0x55}, {0x55, 0x55, 0xFF}, {0x55, 0xFF, 0x55}, {0x55, 0xFF, 0xFF},
    {0xFF, 0x55, 0x55}, {0xFF, 0x55, 0xFF}, {0xFF, 0xFF, 0x55}, {0xFF, 0xFF, 0xFF},
};

static void Setup(void)
{
    memset(&Ext, 0, sizeof(Ext));
    memset(Memory, FB_MARKER, sizeof(Memory));
    memset(Cells, 0, sizeof(Cells));
}

/* A display of Bpp bits a pixel with red, green, blue at the shifts given
 * (sizes 8, or 5/6/5 at 16 bits). */
static void Display(ULONG Bpp, UCHAR RedShift, UCHAR GreenShift, UCHAR BlueShift)
{
    NR_DISPLAY_INFO *D = &Ext.Display;

    D->Kind = NR_DISPLAY_FRAMEBUFFER;
    D->Width = FB_WIDTH;
    D->Height = FB_HEIGHT;
    D->BitsPerPixel = Bpp;
    D->Pitch = FB_WIDTH * (Bpp / 8) + FB_PAD;
    D->Size = (ULONGLONG)D->Pitch * FB_HEIGHT;
    D->RedShift = RedShift, D->GreenShift = GreenShift, D->BlueShift = BlueShift;
    D->RedSize = D->BlueSize = Bpp == 16 ? 5 : 8;
    D->GreenSize = Bpp == 16 ? 6 : 8;
    Ext.Backend = &ConFramebufferBackend;
    Ext.Screen = Memory;
    Ext.ScreenSize = D->Size;
    Ext.Columns = FB_WIDTH / 8;
    Ext.Rows = FB_HEIGHT / 16;
    Ext.Cells = Cells;
}

/* The pixel value colour c must have on this display. */
static ULONG Expected(UCHAR Colour)
{
    const NR_DISPLAY_INFO *D = &Ext.Display;
    const UCHAR *c = Rgb[Colour & 15];

    return (ULONG)(c[0] >> (8 - D->RedSize)) << D->RedShift |
           (ULONG)(c[1] >> (8 - D->GreenSize)) << D->GreenShift |
           (ULONG)(c[2] >> (8 - D->BlueSize)) << D->BlueShift;
}

static ULONG PixelAt(ULONG x, ULONG y)
{
    ULONG Bytes = Ext.Display.BitsPerPixel / 8, Value = 0;
    const UCHAR *At = Memory + y * Ext.Display.Pitch + x * Bytes;

    for (ULONG b = 0; b < Bytes; b++)
        Value |= (ULONG)At[b] << (8 * b);
    return Value;
}

/* Every pixel of the cell at Row, Column shows Char in Attr's colours. */
static int CellShows(ULONG Row, ULONG Column, UCHAR Char, UCHAR Attr)
{
    for (ULONG y = 0; y < 16; y++)
        for (ULONG x = 0; x < 8; x++) {
            UCHAR Colour = (ConFont[Char][y] & (0x80 >> x)) ? Attr & 15 : Attr >> 4;

            if (PixelAt(Column * 8 + x, Row * 16 + y) != Expected(Colour))
                return 0;
        }
    return 1;
}

/* Nothing written past each line's visible pixels (the pitch's padding). */
static int PaddingUntouched(void)
{
    ULONG Visible = FB_WIDTH * (Ext.Display.BitsPerPixel / 8);

    for (ULONG y = 0; y < FB_HEIGHT; y++)
        for (ULONG b = Visible; b < Ext.Display.Pitch; b++)
            if (Memory[y * Ext.Display.Pitch + b] != FB_MARKER)
                return 0;
    return 1;
}

static void Draw(ULONG Row, ULONG Column, UCHAR Char, UCHAR Attr)
{
    Cells[Row * Ext.Columns + Column] = CON_CELL(Char, Attr);
    Ext.Backend->DrawCell(&Ext, Row, Column);
}

/* One glyph at a depth and layout: its cell right, its neighbours and the
 * padding untouched. */
static void DrawOne(ULONG Bpp, UCHAR R, UCHAR G, UCHAR B)
{
    Display(Bpp, R, G, B);
    Draw(1, 2, 'A', 0x1E); /* yellow on blue: every channel differs */
    EXPECT(CellShows(1, 2, 'A', 0x1E));
    EXPECT(Memory[16 * Ext.Display.Pitch + 0] == FB_MARKER); /* the cell to its left */
    EXPECT(Memory[15 * Ext.Display.Pitch + 2 * 8 * (Bpp / 8)] == FB_MARKER); /* the line above */
    EXPECT(PaddingUntouched());
}

static void TestPixels32(void)
{
    DrawOne(32, 16, 8, 0);
}

static void TestPixels32Bgr(void)
{
    DrawOne(32, 0, 8, 16);
}

static void TestPixels24(void)
{
    DrawOne(24, 16, 8, 0);
}

static void TestPixels16(void)
{
    DrawOne(16, 11, 5, 0);
}

/* Every colour as foreground and background, each depth. */
static void TestPalette(void)
{
    static const ULONG Depths[] = {16, 24, 32};

    for (ULONG d = 0; d < 3; d++) {
        Setup();
        Display(Depths[d], Depths[d] == 16 ? 11 : 16, Depths[d] == 16 ? 5 : 8, 0);
        for (ULONG c = 0; c < 16; c++) {
            UCHAR Attr = (UCHAR)((15 - c) << 4 | c);

            Draw(0, c % 5, '#', Attr);
            EXPECT(CellShows(0, c % 5, '#', Attr));
        }
    }
}

/* The scroll moves every line up one text row (pitch and all) and draws
 * the last row from the cells. */
static void TestScroll(void)
{
    Display(24, 16, 8, 0);
    Draw(1, 0, 'b', 0x07);
    Draw(2, 4, 'c', 0x4F);
    memmove(Cells, Cells + Ext.Columns, 2 * Ext.Columns * sizeof(USHORT)); /* as terminal.c */
    memset(Cells + 2 * Ext.Columns, 0, Ext.Columns * sizeof(USHORT));
    for (ULONG c = 0; c < Ext.Columns; c++)
        Cells[2 * Ext.Columns + c] = CON_CELL(' ', 0x07);
    Ext.Backend->ScrollUp(&Ext);
    EXPECT(CellShows(0, 0, 'b', 0x07));
    EXPECT(CellShows(1, 4, 'c', 0x4F));
    EXPECT(CellShows(2, 4, ' ', 0x07));
    EXPECT(PaddingUntouched());
}

/* The cursor is its cell reversed, and moves without leaving a trace. */
static void TestCursor(void)
{
    Display(32, 16, 8, 0);
    Draw(0, 0, 'x', 0x07);
    Draw(0, 1, 'y', 0x07);
    Ext.Row = 0, Ext.Column = 0;
    Ext.Backend->ShowCursor(&Ext);
    EXPECT(CellShows(0, 0, 'x', 0x70));
    Ext.Column = 1;
    Ext.Backend->ShowCursor(&Ext);
    EXPECT(CellShows(0, 0, 'x', 0x07));
    EXPECT(CellShows(0, 1, 'y', 0x70));
}

static void TestCheck(void)
{
    NR_DISPLAY_INFO D = {.Kind = NR_DISPLAY_FRAMEBUFFER,
                         .Width = 1024,
                         .Height = 768,
                         .BitsPerPixel = 32,
                         .Pitch = 4096,
                         .Size = 4096 * 768};

    EXPECT(ConFramebufferCheck(&D) == STATUS_SUCCESS);
    D.BitsPerPixel = 8;
    EXPECT(ConFramebufferCheck(&D) == STATUS_NOT_SUPPORTED);
    D.BitsPerPixel = 32, D.Pitch = 4095; /* a line shorter than its pixels */
    EXPECT(ConFramebufferCheck(&D) == STATUS_INVALID_PARAMETER);
    D.Pitch = 4096, D.Size = 4096 * 767; /* memory shorter than the lines */
    EXPECT(ConFramebufferCheck(&D) == STATUS_INVALID_PARAMETER);
    D.Size = 4096 * 768, D.Height = 15; /* not one text row */
    EXPECT(ConFramebufferCheck(&D) == STATUS_INVALID_PARAMETER);
}

static const DRV_TEST Tests[] = {
    {"framebuffer_pixels_32bpp", TestPixels32}, {"framebuffer_pixels_32bpp_bgr", TestPixels32Bgr},
    {"framebuffer_pixels_24bpp", TestPixels24}, {"framebuffer_pixels_16bpp", TestPixels16},
    {"framebuffer_palette", TestPalette},       {"framebuffer_scroll", TestScroll},
    {"framebuffer_cursor", TestCursor},         {"framebuffer_check", TestCheck},
};

const DRV_TEST_FILE FramebufferTestFile = {Setup, NULL, Tests, sizeof(Tests) / sizeof(Tests[0])};
