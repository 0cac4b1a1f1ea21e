/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Keys from \Device\KeyboardClass0: KEYBOARD_INPUT_DATA records carry
 * scan code set 1 make codes (KEY_BREAK on release, KEY_E0 for the
 * extended keys). Shift, Ctrl and Caps Lock are tracked here; letters
 * follow Caps Lock xor Shift, other keys Shift only (a US layout).
 */
#include "cmdcore.h"

/* Set-1 make codes 0x00..0x39 without and with Shift (0: no character). */
static const char CmdScanPlain[0x3a] =
    "\0\0331234567890-=\b\tqwertyuiop[]\r\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char CmdScanShift[0x3a] =
    "\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\r\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

#define CMD_SC_CTRL   0x1d
#define CMD_SC_LSHIFT 0x2a
#define CMD_SC_RSHIFT 0x36
#define CMD_SC_CAPS   0x3a

static BOOLEAN CmdShift, CmdCtrl, CmdCaps;

/* Returns TRUE when the record only changed a modifier. */
static BOOLEAN CmdModifier(USHORT Code, BOOLEAN Released)
{
    switch (Code) {
    case CMD_SC_LSHIFT:
    case CMD_SC_RSHIFT:
        CmdShift = !Released;
        return TRUE;
    case CMD_SC_CTRL:
        CmdCtrl = !Released;
        return TRUE;
    case CMD_SC_CAPS:
        if (!Released)
            CmdCaps = !CmdCaps;
        return TRUE;
    }
    return FALSE;
}

/* The cursor block, and the keypad's keys with Num Lock off. */
static CMD_KEY_KIND CmdNavigation(USHORT Code)
{
    switch (Code) {
    case 0x48:
        return CmdKeyUp;
    case 0x50:
        return CmdKeyDown;
    case 0x4b:
        return CmdKeyLeft;
    case 0x4d:
        return CmdKeyRight;
    case 0x47:
        return CmdKeyHome;
    case 0x4f:
        return CmdKeyEnd;
    case 0x53:
        return CmdKeyDelete;
    case 0x1c:
        return CmdKeyEnter; /* keypad Enter (E0 1C) */
    }
    return CmdKeyNone;
}

static BOOLEAN CmdCharacter(USHORT Code, CMD_KEY *Key)
{
    CHAR c, Plain;

    if (Code >= sizeof(CmdScanPlain) || (Plain = CmdScanPlain[Code]) == 0)
        return FALSE;
    c = CmdShift ? CmdScanShift[Code] : Plain;
    if (Plain >= 'a' && Plain <= 'z' && CmdCaps)
        c = (CHAR)(c ^ 0x20); /* Caps Lock inverts the letter's case */
    Key->Char = 0;
    if (CmdCtrl && (Plain == 'c'))
        Key->Kind = CmdKeyCancel;
    else if (CmdCtrl && Plain == 'a')
        Key->Kind = CmdKeyHome;
    else if (CmdCtrl && Plain == 'e')
        Key->Kind = CmdKeyEnd;
    else if (c == '\r')
        Key->Kind = CmdKeyEnter;
    else if (c == '\b')
        Key->Kind = CmdKeyBackspace;
    else if (c == '\t' || c == 0x1b || CmdCtrl)
        return FALSE;
    else {
        Key->Kind = CmdKeyChar;
        Key->Char = c;
    }
    return TRUE;
}

BOOLEAN CmdKeyboardRecord(const KEYBOARD_INPUT_DATA *Data, CMD_KEY *Key)
{
    USHORT Code = Data->MakeCode & 0x7f;
    BOOLEAN Released = (Data->Flags & KEY_BREAK) != 0;

    if (CmdModifier(Code, Released) || Released)
        return FALSE;
    Key->Char = 0;
    Key->Kind = CmdNavigation(Code);
    if (Data->Flags & KEY_E0)
        return Key->Kind != CmdKeyNone;
    if (Key->Kind != CmdKeyNone && Key->Kind != CmdKeyEnter && Code >= 0x47)
        return TRUE; /* keypad without Num Lock */
    return CmdCharacter(Code, Key);
}
