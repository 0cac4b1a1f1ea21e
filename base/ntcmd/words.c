/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Words, commands, numbers and paths: a line is cut into commands at each
 * '&' outside double quotes, a command into words (double quotes group
 * words and go), and object-namespace paths are resolved against the
 * current directory (the shell's own: "\\" at start, changed by cd).
 * Pure code (cmdcore.h): the host test runs it too.
 */
#include "cmdcore.h"

CHAR CmdCurrentDirectory[CMD_PATH_MAX] = "\\";

static BOOLEAN CmdIsBlank(CHAR c)
{
    return c == ' ' || c == '\t';
}

VOID CmdSplit(PCSTR Text, CMD_ARGS *Args)
{
    PCSTR Read = Text;
    PCHAR Write = Args->Words, Limit = Args->Words + sizeof(Args->Words) - 1;

    Args->Argc = 0;
    Args->Rest = "";
    while (*Read && Args->Argc < CMD_ARGS_MAX - 1) {
        BOOLEAN Quoted = FALSE;

        while (CmdIsBlank(*Read))
            Read++;
        if (*Read == 0)
            break;
        if (Args->Argc == 1)
            Args->Rest = Read;
        Args->Argv[Args->Argc++] = Write;
        while (*Read && (Quoted || !CmdIsBlank(*Read))) {
            if (*Read == '"')
                Quoted = !Quoted;
            else if (Write < Limit)
                *Write++ = *Read;
            Read++;
        }
        *Write = 0;
        if (Write < Limit)
            Write++;
    }
    Args->Argv[Args->Argc] = NULL;
}

PCSTR CmdNextCommand(PCSTR Line, PCHAR Piece, ULONG Size)
{
    BOOLEAN Quoted = FALSE;
    ULONG Length = 0;

    while (*Line && (Quoted || *Line != '&')) {
        Quoted ^= *Line == '"';
        if (Length + 1 < Size)
            Piece[Length++] = *Line;
        Line++;
    }
    if (Size)
        Piece[Length] = 0;
    return *Line == '&' ? Line + 1 : Line;
}

/* Append one component to Out (Length chars used), handling "." and "..". */
static BOOLEAN CmdPushComponent(PCHAR Out, ULONG Size, PCSTR Component, ULONG Length)
{
    ULONG Used = (ULONG)strlen(Out);

    if (Length == 0 || (Length == 1 && Component[0] == '.'))
        return TRUE;
    if (Length == 2 && Component[0] == '.' && Component[1] == '.') {
        while (Used > 1 && Out[Used - 1] != '\\')
            Used--;
        if (Used > 1)
            Used--; /* the separator, unless it is the root */
        Out[Used] = 0;
        return TRUE;
    }
    if (Used + (Used > 1) + Length + 1 > Size)
        return FALSE;
    if (Used > 1)
        Out[Used++] = '\\';
    memcpy(Out + Used, Component, Length);
    Out[Used + Length] = 0;
    return TRUE;
}

BOOLEAN CmdResolvePath(PCSTR Path, PCHAR Out, ULONG Size)
{
    PCSTR Start;

    if (Size < 2)
        return FALSE;
    if (*Path == '\\') {
        Out[0] = '\\';
        Out[1] = 0;
    } else {
        if (strlen(CmdCurrentDirectory) + 1 > Size)
            return FALSE;
        memcpy(Out, CmdCurrentDirectory, strlen(CmdCurrentDirectory) + 1);
    }
    while (*Path) {
        while (*Path == '\\')
            Path++;
        Start = Path;
        while (*Path && *Path != '\\')
            Path++;
        if (!CmdPushComponent(Out, Size, Start, (ULONG)(Path - Start)))
            return FALSE;
    }
    return TRUE;
}

BOOLEAN CmdNumber(PCSTR Text, ULONG *Value)
{
    char *End;

    if (Text == NULL || *Text < '0' || *Text > '9')
        return FALSE;
    *Value = (ULONG)strtoul(Text, &End, 0);
    return *End == 0;
}
