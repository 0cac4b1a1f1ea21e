/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of console.sys's terminal (drivers/video/console/
 * terminal.c), compiled with the ddk names of fake/ntddk.h under
 * ASan/UBSan: bytes in, cells and cursor out, through a test backend that
 * keeps its own copy of the screen. Text, CR/LF/BS/TAB, wrapping,
 * scrolling, every ESC [ sequence the driver documents, attributes, and
 * random bytes (the cursor stays on the screen, nothing overruns). Suite
 * "drivers" (drivers_test.c runs it).
 */
#include <stdio.h>
#include <stdlib.h>

#include "drvtest.h"

#include "console.h"

#define ROWS 25
#define COLS 80

static USHORT Screen[ROWS * COLS];
static USHORT Cells[ROWS * COLS];
static ULONG Draws, Scrolls, Cursors;
static CON_EXTENSION Ext;

static VOID TestDrawCell(PCON_EXTENSION E, ULONG Row, ULONG Column)
{
    if (Row >= E->Rows || Column >= E->Columns)
        abort(); /* a drawing outside the grid is a terminal bug */
    Screen[Row * E->Columns + Column] = E->Cells[Row * E->Columns + Column];
    Draws++;
}

static VOID TestScrollUp(PCON_EXTENSION E)
{
    memcpy(Screen, E->Cells, sizeof(Screen));
    Scrolls++;
}

static VOID TestShowCursor(PCON_EXTENSION E)
{
    if (E->Row >= E->Rows || E->Column > E->Columns)
        abort();
    Cursors++;
}

static USHORT TestReadCell(PCON_EXTENSION E, ULONG Row, ULONG Column)
{
    return Screen[Row * E->Columns + Column];
}

static const CON_BACKEND TestBackend = {TestDrawCell, TestScrollUp, TestShowCursor, TestReadCell};

static void Setup(void)
{
    memset(&Ext, 0, sizeof(Ext));
    memset(Screen, 0xAA, sizeof(Screen));
    Ext.Backend = &TestBackend;
    Ext.Rows = ROWS;
    Ext.Columns = COLS;
    Ext.Cells = Cells;
    ConReset(&Ext);
    Scrolls = 0;
}

static void Put(const char *Text)
{
    ConWrite(&Ext, (const UCHAR *)Text, (ULONG)strlen(Text));
}

/* The screen shows Text at Row, Column (characters only). */
static int Shows(ULONG Row, ULONG Column, const char *Text)
{
    for (ULONG i = 0; Text[i]; i++)
        if ((Screen[Row * COLS + Column + i] & 0xFF) != (UCHAR)Text[i])
            return 0;
    return 1;
}

static UCHAR AttrAt(ULONG Row, ULONG Column)
{
    return Screen[Row * COLS + Column] >> 8;
}

static void TestResetClears(void)
{
    EXPECT(Shows(0, 0, "          "));
    EXPECT(AttrAt(ROWS - 1, COLS - 1) == CON_DEFAULT_ATTR);
    EXPECT(Ext.Row == 0 && Ext.Column == 0);
}

static void TestTextAndControls(void)
{
    Put("hello\r\nab\tc\bX\x07");
    EXPECT(Shows(0, 0, "hello"));
    EXPECT(Shows(1, 0, "ab      X"));
    EXPECT(Ext.Row == 1 && Ext.Column == 9);
    Put("\n");
    EXPECT(Ext.Row == 2 && Ext.Column == 0); /* LF returns the carriage too */
    Put("\b\b");
    EXPECT(Ext.Column == 0); /* BS stops at the margin */
}

static void TestWrapAndScroll(void)
{
    char Line[COLS + 2];
    memset(Line, 'w', COLS);
    Line[COLS] = 'Z';
    Line[COLS + 1] = 0;
    Put(Line);
    EXPECT(Ext.Row == 1 && Ext.Column == 1);
    EXPECT(Shows(1, 0, "Z"));
    Setup();
    Put("top");
    for (int i = 0; i < ROWS; i++)
        Put("\n");
    EXPECT(Scrolls == 1);
    EXPECT(Ext.Row == ROWS - 1);
    EXPECT(!Shows(0, 0, "top"));
    EXPECT(Shows(ROWS - 1, 0, "   "));
}

static void TestCursorSequences(void)
{
    Put("\x1b[3;5HA\x1b[HB\x1b[10;200HC\x1b[2;2f");
    EXPECT(Shows(2, 4, "A"));
    EXPECT(Shows(0, 0, "B"));
    EXPECT(Shows(9, COLS - 1, "C")); /* column clamped to the last */
    EXPECT(Ext.Row == 1 && Ext.Column == 1);
    Put("\x1b[5B\x1b[3C\x1b[2A\x1b[1D");
    EXPECT(Ext.Row == 4 && Ext.Column == 3);
    Put("\x1b[99A\x1b[99D");
    EXPECT(Ext.Row == 0 && Ext.Column == 0);
    Put("\x1b[999999999999B");
    EXPECT(Ext.Row == ROWS - 1);
}

static void TestErase(void)
{
    Put("abcdef\r\nghijkl\r\nmnopqr\x1b[2;4H");
    Put("\x1b[K");
    EXPECT(Shows(1, 0, "ghi   "));
    Put("\x1b[1;3H\x1b[1K");
    EXPECT(Shows(0, 0, "   def"));
    Put("\x1b[3;2H\x1b[2K");
    EXPECT(Shows(2, 0, "      "));
    Put("\x1b[1;1Hxyz\x1b[1;2H\x1b[J");
    EXPECT(Shows(0, 0, "x  "));
    Put("\x1b[2J");
    EXPECT(Shows(0, 0, "   "));
}

static void TestAttributes(void)
{
    Put("a\x1b[1mb\x1b[7mc\x1b[0md\x1b[31;44me\x1b[39mf\x1b[49;22;27mg\x1b[mh");
    EXPECT(AttrAt(0, 0) == 0x07);
    EXPECT(AttrAt(0, 1) == 0x0F); /* bold: bright */
    EXPECT(AttrAt(0, 2) == 0xF0); /* bold + reverse */
    EXPECT(AttrAt(0, 3) == 0x07);
    EXPECT(AttrAt(0, 4) == 0x14); /* red (VGA 4) on blue (VGA 1) */
    EXPECT(AttrAt(0, 5) == 0x17);
    EXPECT(AttrAt(0, 6) == 0x07);
    EXPECT(AttrAt(0, 7) == 0x07);
    Put("\x1b[7m\x1b[2J");
    EXPECT(AttrAt(5, 5) == 0x70); /* erasing uses the current colours */
}

static void TestIgnoredSequences(void)
{
    Put("\x1b[?25lA\x1b[sB\x1b"
        "cC\x1b[12;34;56;78;90;12;34;56;78;90mD");
    EXPECT(Shows(0, 0, "ABCD")); /* ESC c (reset) is dropped with its letter */
    EXPECT(Ext.Row == 0 && Ext.Column == 4);
}

static void TestRandomBytes(void)
{
    srand(4);
    for (int Round = 0; Round < 200; Round++) {
        UCHAR Bytes[512];
        for (size_t i = 0; i < sizeof(Bytes); i++) {
            int r = rand() % 10;
            Bytes[i] = r < 2 ? 0x1B : r < 4 ? "[;0123456789HJKmABCD?"[rand() % 21] : (UCHAR)rand();
        }
        ConWrite(&Ext, Bytes, sizeof(Bytes));
        EXPECT(Ext.Row < ROWS && Ext.Column <= COLS);
    }
    EXPECT(memcmp(Screen, Cells, sizeof(Screen)) == 0); /* the backend saw every change */
}

static const DRV_TEST Tests[] = {
    {"console_reset_clears", TestResetClears},
    {"console_text_and_controls", TestTextAndControls},
    {"console_wrap_and_scroll", TestWrapAndScroll},
    {"console_cursor_sequences", TestCursorSequences},
    {"console_erase", TestErase},
    {"console_attributes", TestAttributes},
    {"console_ignored_sequences", TestIgnoredSequences},
    {"console_random_bytes", TestRandomBytes},
};

const DRV_TEST_FILE ConsoleTestFile = {Setup, NULL, Tests, sizeof(Tests) / sizeof(Tests[0])};
