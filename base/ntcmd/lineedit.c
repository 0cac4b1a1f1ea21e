/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The line editor: insert at the cursor, Backspace and Delete, Left and
 * Right, Home and End, Up and Down through the history of the last
 * CMD_HISTORY lines, Ctrl-C to drop the line. The screen is kept in step
 * with VT100 sequences: appending echoes the character, any other change
 * redraws the line from its start (CR, prompt, text, erase to the end of
 * the line, cursor moved back).
 */
#include "ntcmd.h"

#define CMD_HISTORY 32

static CHAR CmdHistory[CMD_HISTORY][CMD_LINE_MAX];
static ULONG CmdHistoryCount; /* lines ever added; the last CMD_HISTORY are kept */

typedef struct _CMD_EDIT {
    PCSTR Prompt;
    PCHAR Line;
    ULONG Size;
    ULONG Length;
    ULONG Cursor;
    ULONG Browse; /* history position: CmdHistoryCount = the line being typed */
} CMD_EDIT;

static VOID CmdRedraw(const CMD_EDIT *Edit)
{
    CmdPrint("\r%s", Edit->Prompt);
    CmdWrite(Edit->Line, Edit->Length);
    CmdWrite("\x1b[K", 3);
    if (Edit->Length > Edit->Cursor)
        CmdPrint("\x1b[%luD", Edit->Length - Edit->Cursor);
}

static VOID CmdInsert(CMD_EDIT *Edit, CHAR c)
{
    if (Edit->Length + 1 >= Edit->Size)
        return;
    memmove(Edit->Line + Edit->Cursor + 1, Edit->Line + Edit->Cursor, Edit->Length - Edit->Cursor);
    Edit->Line[Edit->Cursor++] = c;
    Edit->Length++;
    if (Edit->Cursor == Edit->Length)
        CmdWrite(&c, 1);
    else
        CmdRedraw(Edit);
}

/* Remove the character at At (the cursor for Delete, before it for Backspace). */
static VOID CmdRemove(CMD_EDIT *Edit, ULONG At)
{
    memmove(Edit->Line + At, Edit->Line + At + 1, Edit->Length - At - 1);
    Edit->Length--;
    Edit->Cursor = At;
    CmdRedraw(Edit);
}

static VOID CmdRecall(CMD_EDIT *Edit, ULONG Position)
{
    ULONG Oldest = CmdHistoryCount > CMD_HISTORY ? CmdHistoryCount - CMD_HISTORY : 0;

    if (Position < Oldest || Position > CmdHistoryCount)
        return;
    Edit->Browse = Position;
    if (Position == CmdHistoryCount)
        Edit->Length = 0;
    else {
        PCSTR Text = CmdHistory[Position % CMD_HISTORY];

        Edit->Length = (ULONG)strlen(Text);
        if (Edit->Length >= Edit->Size)
            Edit->Length = Edit->Size - 1;
        memcpy(Edit->Line, Text, Edit->Length);
    }
    Edit->Cursor = Edit->Length;
    CmdRedraw(Edit);
}

static VOID CmdRemember(PCSTR Line)
{
    if (Line[0] == 0)
        return;
    if (CmdHistoryCount && strcmp(CmdHistory[(CmdHistoryCount - 1) % CMD_HISTORY], Line) == 0)
        return;
    _snprintf(CmdHistory[CmdHistoryCount % CMD_HISTORY], CMD_LINE_MAX - 1, "%s", Line);
    CmdHistory[CmdHistoryCount % CMD_HISTORY][CMD_LINE_MAX - 1] = 0;
    CmdHistoryCount++;
}

/* The keys that only move the cursor. */
static VOID CmdMove(CMD_EDIT *Edit, CMD_KEY_KIND Kind)
{
    if (Kind == CmdKeyLeft && Edit->Cursor) {
        Edit->Cursor--;
        CmdWrite("\x1b[D", 3);
    } else if (Kind == CmdKeyRight && Edit->Cursor < Edit->Length) {
        Edit->Cursor++;
        CmdWrite("\x1b[C", 3);
    } else if (Kind == CmdKeyHome || Kind == CmdKeyEnd) {
        Edit->Cursor = Kind == CmdKeyHome ? 0 : Edit->Length;
        CmdRedraw(Edit);
    }
}

/* Apply one key; TRUE when the line is complete. */
static BOOLEAN CmdEditKey(CMD_EDIT *Edit, const CMD_KEY *Key)
{
    switch (Key->Kind) {
    case CmdKeyChar:
        CmdInsert(Edit, Key->Char);
        break;
    case CmdKeyBackspace:
        if (Edit->Cursor)
            CmdRemove(Edit, Edit->Cursor - 1);
        break;
    case CmdKeyDelete:
        if (Edit->Cursor < Edit->Length)
            CmdRemove(Edit, Edit->Cursor);
        break;
    case CmdKeyLeft:
    case CmdKeyRight:
    case CmdKeyHome:
    case CmdKeyEnd:
        CmdMove(Edit, Key->Kind);
        break;
    case CmdKeyUp:
        if (Edit->Browse)
            CmdRecall(Edit, Edit->Browse - 1);
        break;
    case CmdKeyDown:
        CmdRecall(Edit, Edit->Browse + 1);
        break;
    case CmdKeyRedraw:
        CmdRedraw(Edit);
        break;
    case CmdKeyCancel:
        CmdWrite("^C\n", 3);
        Edit->Length = Edit->Cursor = 0;
        return TRUE;
    case CmdKeyEnter:
        CmdWrite("\n", 1);
        return TRUE;
    case CmdKeyNone:
        break;
    }
    return FALSE;
}

NTSTATUS CmdReadLine(PCSTR Prompt, PCHAR Line, ULONG Size)
{
    CMD_EDIT Edit = {Prompt, Line, Size, 0, 0, CmdHistoryCount};
    CMD_KEY Key;
    NTSTATUS Status;

    CmdPrint("%s", Prompt);
    do {
        Status = CmdReadKey(&Key);
        if (!NT_SUCCESS(Status))
            return Status;
    } while (!CmdEditKey(&Edit, &Key));
    Line[Edit.Length] = 0;
    CmdRemember(Line);
    return STATUS_SUCCESS;
}
