/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The terminal: bytes written to \Device\Console become cells. Understood:
 * printable Latin-1, CR, LF (which also returns the carriage, as a tty
 * with onlcr: programs print "\n"), BS (moves left, erases nothing), TAB
 * (to the next multiple of 8), BEL (ignored), and these ESC [ sequences:
 * H and f (cursor to row;column, 1-based, default 1;1), A B C D (up, down,
 * right, left by n, default 1), J (erase below 0, above 1, all 2), K
 * (erase to the end 0, from the start 1, the whole line 2), m (0 reset,
 * 1 bold, 22 not bold, 7 reverse, 27 not reverse, 30-37 / 40-47 colours,
 * 39 / 49 default colours). ESC [ ? ... sequences and any other final byte
 * are consumed and ignored. Writing past the last column wraps; past the
 * last line scrolls.
 */
#include "console.h"

/* ANSI colour numbers (red = 1, green = 2, blue = 4) in VGA's order (blue = 1, red = 4). */
static const UCHAR ConAnsiToVga[8] = {0, 4, 2, 6, 1, 5, 3, 7};

static VOID ConUpdateAttr(PCON_EXTENSION Ext)
{
    UCHAR Fg = Ext->Foreground | (Ext->Bold ? 8 : 0), Bg = Ext->Background;
    Ext->Attr = Ext->Reverse ? (UCHAR)(Fg << 4 | Bg) : (UCHAR)(Bg << 4 | Fg);
}

static VOID ConFill(PCON_EXTENSION Ext, ULONG From, ULONG To) /* cell indices, To exclusive */
{
    USHORT Blank = CON_CELL(' ', Ext->Attr);
    for (ULONG i = From; i < To; i++) {
        Ext->Cells[i] = Blank;
        Ext->Backend->DrawCell(Ext, i / Ext->Columns, i % Ext->Columns);
    }
}

VOID ConReset(PCON_EXTENSION Ext)
{
    Ext->Row = Ext->Column = 0;
    Ext->Foreground = 7;
    Ext->Background = 0;
    Ext->Bold = Ext->Reverse = FALSE;
    Ext->State = ConNormal;
    ConUpdateAttr(Ext);
    ConFill(Ext, 0, Ext->Rows * Ext->Columns);
}

static VOID ConLineFeed(PCON_EXTENSION Ext)
{
    if (Ext->Row + 1 < Ext->Rows) {
        Ext->Row++;
        return;
    }
    ULONG Cols = Ext->Columns, Last = (Ext->Rows - 1) * Cols;
    RtlMoveMemory(Ext->Cells, Ext->Cells + Cols, Last * sizeof(USHORT));
    USHORT Blank = CON_CELL(' ', Ext->Attr);
    for (ULONG i = 0; i < Cols; i++)
        Ext->Cells[Last + i] = Blank;
    Ext->Backend->ScrollUp(Ext);
}

static VOID ConPutChar(PCON_EXTENSION Ext, UCHAR Char)
{
    if (Ext->Column >= Ext->Columns) {
        Ext->Column = 0;
        ConLineFeed(Ext);
    }
    Ext->Cells[Ext->Row * Ext->Columns + Ext->Column] = CON_CELL(Char, Ext->Attr);
    Ext->Backend->DrawCell(Ext, Ext->Row, Ext->Column);
    Ext->Column++;
}

static VOID ConControl(PCON_EXTENSION Ext, UCHAR Char)
{
    switch (Char) {
    case '\r':
        Ext->Column = 0;
        break;
    case '\n':
        Ext->Column = 0;
        ConLineFeed(Ext);
        break;
    case '\b':
        if (Ext->Column >= Ext->Columns)
            Ext->Column = Ext->Columns - 1;
        if (Ext->Column)
            Ext->Column--;
        break;
    case '\t':
        do
            ConPutChar(Ext, ' ');
        while (Ext->Column % 8 && Ext->Column < Ext->Columns);
        break;
    case 0x1B:
        Ext->State = ConEscape;
        break;
    default: /* BEL and the other control characters: nothing to show */
        break;
    }
}

static ULONG ConParam(PCON_EXTENSION Ext, ULONG Index, ULONG Default)
{
    return Index < Ext->ParamCount && Ext->Params[Index] ? Ext->Params[Index] : Default;
}

static VOID ConMoveTo(PCON_EXTENSION Ext, LONG Row, LONG Column)
{
    Ext->Row = Row < 0 ? 0 : (ULONG)Row >= Ext->Rows ? Ext->Rows - 1 : (ULONG)Row;
    Ext->Column = Column < 0 ? 0 : (ULONG)Column >= Ext->Columns ? Ext->Columns - 1 : (ULONG)Column;
}

static VOID ConSelectGraphics(PCON_EXTENSION Ext)
{
    for (ULONG i = 0; i < (Ext->ParamCount ? Ext->ParamCount : 1); i++) {
        ULONG P = i < Ext->ParamCount ? Ext->Params[i] : 0;
        if (P == 0) {
            Ext->Foreground = 7;
            Ext->Background = 0;
            Ext->Bold = Ext->Reverse = FALSE;
        } else if (P == 1 || P == 22) {
            Ext->Bold = P == 1;
        } else if (P == 7 || P == 27) {
            Ext->Reverse = P == 7;
        } else if (P >= 30 && P <= 37) {
            Ext->Foreground = ConAnsiToVga[P - 30];
        } else if (P == 39) {
            Ext->Foreground = 7;
        } else if (P >= 40 && P <= 47) {
            Ext->Background = ConAnsiToVga[P - 40];
        } else if (P == 49) {
            Ext->Background = 0;
        }
    }
    ConUpdateAttr(Ext);
}

/* J and K: Mode 0 from the cursor on, 1 up to it, 2 all (of the screen or line). */
static VOID ConErase(PCON_EXTENSION Ext, BOOLEAN WholeScreen, ULONG Mode)
{
    ULONG Column = Ext->Column >= Ext->Columns ? Ext->Columns - 1 : Ext->Column;
    ULONG Here = Ext->Row * Ext->Columns + Column;
    ULONG Start = WholeScreen ? 0 : Ext->Row * Ext->Columns;
    ULONG End = WholeScreen ? Ext->Rows * Ext->Columns : Start + Ext->Columns;
    if (Mode == 0)
        ConFill(Ext, Here, End);
    else if (Mode == 1)
        ConFill(Ext, Start, Here + 1);
    else if (Mode == 2)
        ConFill(Ext, Start, End);
}

static VOID ConCsiFinal(PCON_EXTENSION Ext, UCHAR Final)
{
    LONG Row = Ext->Row, Column = Ext->Column >= Ext->Columns ? Ext->Columns - 1 : Ext->Column;
    LONG N = (LONG)ConParam(Ext, 0, 1);
    if (Ext->Private)
        return;
    switch (Final) {
    case 'H':
    case 'f':
        ConMoveTo(Ext, (LONG)ConParam(Ext, 0, 1) - 1, (LONG)ConParam(Ext, 1, 1) - 1);
        break;
    case 'A':
        ConMoveTo(Ext, Row - N, Column);
        break;
    case 'B':
        ConMoveTo(Ext, Row + N, Column);
        break;
    case 'C':
        ConMoveTo(Ext, Row, Column + N);
        break;
    case 'D':
        ConMoveTo(Ext, Row, Column - N);
        break;
    case 'J':
    case 'K':
        ConErase(Ext, Final == 'J', Ext->ParamCount ? Ext->Params[0] : 0);
        break;
    case 'm':
        ConSelectGraphics(Ext);
        break;
    default:
        break;
    }
}

/* One byte of an ESC [ sequence: parameters, then the final byte. */
static VOID ConCsiByte(PCON_EXTENSION Ext, UCHAR Char)
{
    if (Char >= '0' && Char <= '9') {
        if (Ext->ParamCount == 0)
            Ext->ParamCount = 1;
        ULONG *P = &Ext->Params[Ext->ParamCount - 1];
        if (*P < 10000)
            *P = *P * 10 + (Char - '0');
    } else if (Char == ';') {
        if (Ext->ParamCount == 0)
            Ext->ParamCount = 1;
        if (Ext->ParamCount < CON_MAX_PARAMS)
            Ext->Params[Ext->ParamCount++] = 0;
    } else if (Char == '?' || Char == '>' || Char == '=') {
        Ext->Private = TRUE;
    } else if (Char >= 0x40 && Char <= 0x7E) {
        ConCsiFinal(Ext, Char);
        Ext->State = ConNormal;
    } else if (Char == 0x18 || Char == 0x1A) {
        Ext->State = ConNormal; /* CAN, SUB: abandon the sequence */
    }
}

static VOID ConByte(PCON_EXTENSION Ext, UCHAR Char)
{
    switch (Ext->State) {
    case ConEscape:
        if (Char == '[') {
            Ext->State = ConCsi;
            Ext->ParamCount = 0;
            Ext->Private = FALSE;
            RtlZeroMemory(Ext->Params, sizeof(Ext->Params));
        } else {
            Ext->State = ConNormal; /* ESC c, ESC 7 ...: not supported, dropped */
        }
        return;
    case ConCsi:
        ConCsiByte(Ext, Char);
        return;
    case ConNormal:
        break;
    }
    if (Char < 0x20 || Char == 0x7F)
        ConControl(Ext, Char);
    else
        ConPutChar(Ext, Char);
}

VOID ConWrite(PCON_EXTENSION Ext, const UCHAR *Bytes, ULONG Length)
{
    for (ULONG i = 0; i < Length; i++)
        ConByte(Ext, Bytes[i]);
    Ext->Backend->ShowCursor(Ext);
}
