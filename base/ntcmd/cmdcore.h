/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pure part of ntcmd: keys (CMD_KEY) and their decoders from serial
 * bytes (vt100.c) and keyboard records (keyboard.c), and the word, number
 * and path rules (words.c). These files call no service and no ntdll
 * routine beyond the C string functions, so the host test
 * (tests/host/ntcmd/) compiles them with the build machine's compiler.
 */
#pragma once

#include <nt/types.h>

#ifdef __MINGW32__
#include <ntprog.h> /* the C routines ntdll exports */
#else
#include <stdlib.h>
#include <string.h>
#endif

#define CMD_LINE_MAX 512
#define CMD_ARGS_MAX 32
#define CMD_PATH_MAX 260

/* ---- keys ------------------------------------------------------------------------------ */

typedef enum _CMD_KEY_KIND {
    CmdKeyNone,
    CmdKeyChar,
    CmdKeyEnter,
    CmdKeyBackspace,
    CmdKeyDelete,
    CmdKeyLeft,
    CmdKeyRight,
    CmdKeyHome,
    CmdKeyEnd,
    CmdKeyUp,
    CmdKeyDown,
    CmdKeyCancel, /* Ctrl-C: drop the line */
    CmdKeyRedraw, /* not a key: input came back after a message; show the line again */
} CMD_KEY_KIND;

typedef struct _CMD_KEY {
    CMD_KEY_KIND Kind;
    CHAR Char; /* CmdKeyChar */
} CMD_KEY;

/* \Device\KeyboardClass0's records (Windows' layout). */
#define KEY_MAKE  0
#define KEY_BREAK 1
#define KEY_E0    2
#define KEY_E1    4

typedef struct _KEYBOARD_INPUT_DATA {
    USHORT UnitId;
    USHORT MakeCode;
    USHORT Flags;
    USHORT Reserved;
    ULONG ExtraInformation;
} KEYBOARD_INPUT_DATA;
_Static_assert(sizeof(KEYBOARD_INPUT_DATA) == 12, "KEYBOARD_INPUT_DATA");

/* vt100.c: one byte from the serial line; TRUE when it completes a key. */
BOOLEAN CmdSerialByte(UCHAR Byte, CMD_KEY *Key);
/* keyboard.c: one keyboard record (set-1 make code); TRUE when it is a key
 * press (shift, ctrl and caps lock are tracked here). */
BOOLEAN CmdKeyboardRecord(const KEYBOARD_INPUT_DATA *Data, CMD_KEY *Key);

/* ---- words.c ----------------------------------------------------------------------------- */

/* One command of a line: its words (quotes removed) and the raw text
 * after the command's name (echo, set and programs take it as written). */
typedef struct _CMD_ARGS {
    int Argc;
    char *Argv[CMD_ARGS_MAX];
    PCSTR Rest;
    CHAR Words[CMD_LINE_MAX]; /* the words' text, NUL-separated */
} CMD_ARGS;

/* Split Text into words (copied into Args->Words); Args->Rest points into
 * Text, at the first character of the second word. */
VOID CmdSplit(PCSTR Text, CMD_ARGS *Args);
/* The next command of a line into Piece (Size bytes): up to an '&' outside
 * double quotes; returns where the one after it starts. */
PCSTR CmdNextCommand(PCSTR Line, PCHAR Piece, ULONG Size);
/* An object-namespace path resolved against the current directory
 * ("..", ".", relative names) into Out; FALSE when it does not fit. */
BOOLEAN CmdResolvePath(PCSTR Path, PCHAR Out, ULONG Size);
/* A decimal or 0x-hexadecimal number; FALSE when Text is not one. */
BOOLEAN CmdNumber(PCSTR Text, ULONG *Value);

extern CHAR CmdCurrentDirectory[CMD_PATH_MAX];
