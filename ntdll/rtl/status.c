/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NTSTATUS names and messages for the shell and debug output: a binary
 * search of the table that tools/ntstatusgen.py generates from
 * include/nt/ntstatus.def (build/include/nt/ntstatus_table.h).
 */
#include "rtlp.h"
#include <nt/ntstatus_table.h>

BOOLEAN RtlpNtStatusText(NTSTATUS Status, const char **Name, const char **Message)
{
    ULONG Key = (ULONG)Status, Low = 0;
    ULONG High = sizeof(NtStatusTextTable) / sizeof(NtStatusTextTable[0]);

    while (Low < High) {
        ULONG Mid = Low + (High - Low) / 2;

        if (NtStatusTextTable[Mid].Status == Key) {
            *Name = NtStatusTextTable[Mid].Name;
            *Message = NtStatusTextTable[Mid].Message;
            return TRUE;
        }
        if (NtStatusTextTable[Mid].Status < Key)
            Low = Mid + 1;
        else
            High = Mid;
    }
    *Name = *Message = NULL;
    return FALSE;
}

/* shell branch: the same lookup exported for native programs (smss.exe,
 * ntcmd.exe print "<name> (0x...): <message>"). Nereid's own export:
 * Windows keeps these texts in a message-table resource instead. */
BOOLEAN NTAPI RtlNereidStatusText(NTSTATUS Status, PCSTR *Name, PCSTR *Message)
{
    return RtlpNtStatusText(Status, Name, Message);
}
