/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Keys from the serial line: a terminal sends printable bytes as they
 * are, Enter as CR (or CR LF, or LF), Backspace as DEL or BS, and the
 * cursor keys as VT100/xterm escape sequences: ESC [ A..D (ESC O A..D in
 * application mode), Home ESC [ H / ESC O H / ESC [ 1 ~ / ESC [ 7 ~, End
 * ESC [ F / ESC O F / ESC [ 4 ~ / ESC [ 8 ~, Delete ESC [ 3 ~. Ctrl-A and
 * Ctrl-E move to the start and end, Ctrl-C drops the line. Anything else
 * is ignored.
 */
#include "cmdcore.h"

typedef enum { CmdVtGround, CmdVtEscape, CmdVtCsi, CmdVtSs3 } CMD_VT_STATE;

static CMD_VT_STATE CmdVtState;
static ULONG CmdVtParameter;
static BOOLEAN CmdVtAfterCr;

static BOOLEAN CmdVtKey(CMD_KEY *Key, CMD_KEY_KIND Kind)
{
    Key->Kind = Kind;
    Key->Char = 0;
    CmdVtState = CmdVtGround;
    return Kind != CmdKeyNone;
}

/* The final byte of ESC [ ... or ESC O ... */
static BOOLEAN CmdVtFinal(UCHAR Byte, CMD_KEY *Key)
{
    switch (Byte) {
    case 'A':
        return CmdVtKey(Key, CmdKeyUp);
    case 'B':
        return CmdVtKey(Key, CmdKeyDown);
    case 'C':
        return CmdVtKey(Key, CmdKeyRight);
    case 'D':
        return CmdVtKey(Key, CmdKeyLeft);
    case 'H':
        return CmdVtKey(Key, CmdKeyHome);
    case 'F':
        return CmdVtKey(Key, CmdKeyEnd);
    case '~':
        switch (CmdVtParameter) {
        case 1:
        case 7:
            return CmdVtKey(Key, CmdKeyHome);
        case 4:
        case 8:
            return CmdVtKey(Key, CmdKeyEnd);
        case 3:
            return CmdVtKey(Key, CmdKeyDelete);
        }
        break;
    }
    return CmdVtKey(Key, CmdKeyNone);
}

static BOOLEAN CmdVtGroundByte(UCHAR Byte, CMD_KEY *Key)
{
    BOOLEAN AfterCr = CmdVtAfterCr;

    CmdVtAfterCr = Byte == '\r';
    switch (Byte) {
    case 0x1b:
        CmdVtState = CmdVtEscape;
        return FALSE;
    case '\r':
        return CmdVtKey(Key, CmdKeyEnter);
    case '\n':
        return AfterCr ? FALSE : CmdVtKey(Key, CmdKeyEnter);
    case 0x7f:
    case 0x08:
        return CmdVtKey(Key, CmdKeyBackspace);
    case 0x01:
        return CmdVtKey(Key, CmdKeyHome);
    case 0x05:
        return CmdVtKey(Key, CmdKeyEnd);
    case 0x03:
        return CmdVtKey(Key, CmdKeyCancel);
    }
    if (Byte < 0x20 || Byte > 0x7e)
        return FALSE;
    Key->Kind = CmdKeyChar;
    Key->Char = (CHAR)Byte;
    return TRUE;
}

BOOLEAN CmdSerialByte(UCHAR Byte, CMD_KEY *Key)
{
    switch (CmdVtState) {
    case CmdVtGround:
        return CmdVtGroundByte(Byte, Key);
    case CmdVtEscape:
        CmdVtParameter = 0;
        CmdVtState = Byte == '[' ? CmdVtCsi : Byte == 'O' ? CmdVtSs3 : CmdVtGround;
        return FALSE;
    case CmdVtCsi:
        if (Byte >= '0' && Byte <= '9') {
            CmdVtParameter = CmdVtParameter * 10 + (Byte - '0');
            return FALSE;
        }
        if (Byte == ';')
            return FALSE;
        return CmdVtFinal(Byte, Key);
    case CmdVtSs3:
        return CmdVtFinal(Byte, Key);
    }
    return FALSE;
}
