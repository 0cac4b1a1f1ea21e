/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The configuration statements that act at once: loading a boot driver
 * (NtLoadDriver on its service key) and making a permanent symbolic link
 * (\??\NUL -> \Device\Null). A failure is printed and the boot goes on:
 * a missing driver costs its device, not the shell.
 */
#include "smss.h"

#define SMSS_SERVICES_KEY "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

VOID SmpLoadDriver(PCSTR Name)
{
    CHAR Key[SMSS_LINE_MAX];
    WCHAR Wide[SMSS_LINE_MAX];
    UNICODE_STRING String;
    NTSTATUS Status;

    if (*Name == 0) {
        SmpPrint("smss: driver statement without a name skipped\n");
        return;
    }
    _snprintf(Key, sizeof(Key) - 1, SMSS_SERVICES_KEY "%s", Name);
    Key[sizeof(Key) - 1] = 0;
    SmpWiden(Key, Wide, ARRAYSIZE(Wide), &String);
    Status = NtLoadDriver(&String);
    if (NT_SUCCESS(Status)) {
        SmpPrint("smss: loaded driver %s\n", Name);
    } else {
        _snprintf(Key, sizeof(Key) - 1, "driver %s not loaded", Name);
        SmpPrintStatus(Key, Status);
    }
}

VOID SmpCreateLink(PCSTR Name, PCSTR Target)
{
    WCHAR NameBuffer[SMSS_LINE_MAX], TargetBuffer[SMSS_LINE_MAX];
    UNICODE_STRING NameString, TargetString;
    OBJECT_ATTRIBUTES Attributes;
    CHAR What[SMSS_LINE_MAX];
    HANDLE Link;
    NTSTATUS Status;

    if (*Name == 0 || *Target == 0) {
        SmpPrint("smss: link statement needs a name and a target\n");
        return;
    }
    SmpWiden(Name, NameBuffer, ARRAYSIZE(NameBuffer), &NameString);
    SmpWiden(Target, TargetBuffer, ARRAYSIZE(TargetBuffer), &TargetString);
    /* Permanent: the name outlives smss's handle, as Windows' \?? links do. */
    NtProgObjectAttributes(&Attributes, &NameString, OBJ_CASE_INSENSITIVE | OBJ_PERMANENT, NULL);
    Status =
        NtCreateSymbolicLinkObject(&Link, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &TargetString);
    if (NT_SUCCESS(Status)) {
        SmpPrint("smss: link %s -> %s\n", Name, Target);
        NtClose(Link);
    } else {
        _snprintf(What, sizeof(What) - 1, "link %s not created", Name);
        What[sizeof(What) - 1] = 0;
        SmpPrintStatus(What, Status);
    }
}
