/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Variables: %NAME% in a line replaced by its value from the shell's
 * environment (RtlQueryEnvironmentVariable_U); an unknown name stays as
 * written, as cmd.exe does.
 */
#include "ntcmd.h"

VOID CmdExpand(PCSTR Line, PCHAR Out, ULONG Size)
{
    ULONG Used = 0;

    while (*Line && Used + 1 < Size) {
        PCSTR End = *Line == '%' ? strchr(Line + 1, '%') : NULL;
        CHAR Name[128];
        WCHAR NameWide[128], ValueWide[CMD_LINE_MAX];
        UNICODE_STRING NameString, Value = {0, sizeof(ValueWide), ValueWide};

        if (End && End > Line + 1 && End - Line - 1 < (LONG_PTR)sizeof(Name)) {
            memcpy(Name, Line + 1, End - Line - 1);
            Name[End - Line - 1] = 0;
            CmdWiden(Name, NameWide, ARRAYSIZE(NameWide), &NameString);
            if (NT_SUCCESS(RtlQueryEnvironmentVariable_U(NULL, &NameString, &Value))) {
                CHAR Text[CMD_LINE_MAX];

                CmdNarrow(&Value, Text, sizeof(Text));
                for (PCSTR t = Text; *t && Used + 1 < Size; t++)
                    Out[Used++] = *t;
                Line = End + 1;
                continue;
            }
        }
        Out[Used++] = *Line++;
    }
    Out[Used] = 0;
}
