/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classifying DOS path names: RtlDetermineDosPathNameType_U (which of the
 * seven forms a path has) and RtlIsDosDeviceName_U (whether a name such as
 * "C:\dir\nul.txt" refers to a reserved DOS device). Both work on the
 * NUL-terminated name only and never touch the file system.
 */
#include "rtlp.h"

RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR Path)
{
    if (RtlpIsSeparator(Path[0])) {
        if (!RtlpIsSeparator(Path[1]))
            return RtlPathTypeRooted;
        if ((Path[2] == '.' || Path[2] == '?') && (Path[3] == 0 || RtlpIsSeparator(Path[3])))
            return Path[3] ? RtlPathTypeLocalDevice : RtlPathTypeRootLocalDevice;
        return RtlPathTypeUncAbsolute;
    }
    if (Path[0] && Path[1] == ':')
        return RtlpIsSeparator(Path[2]) ? RtlPathTypeDriveAbsolute : RtlPathTypeDriveRelative;
    return RtlPathTypeRelative;
}

/* Case-insensitive compare of Count WCHARs with an ASCII upper-case name. */
static BOOLEAN RtlpMatchAscii(PCWSTR Text, PCSTR Upper, SIZE_T Count)
{
    SIZE_T i;

    for (i = 0; i < Count; i++) {
        if (RtlUpcaseUnicodeChar(Text[i]) != (WCHAR)Upper[i])
            return FALSE;
    }
    return TRUE;
}

/* Is Text[0..Count) one of the reserved device names? */
static BOOLEAN RtlpIsDeviceName(PCWSTR Text, SIZE_T Count)
{
    static const char Three[][4] = {"AUX", "CON", "NUL", "PRN"};
    SIZE_T i;

    if (Count == 3) {
        for (i = 0; i < sizeof(Three) / sizeof(Three[0]); i++) {
            if (RtlpMatchAscii(Text, Three[i], 3))
                return TRUE;
        }
        return FALSE;
    }
    if (Count == 4 && Text[3] >= '1' && Text[3] <= '9')
        return RtlpMatchAscii(Text, "COM", 3) || RtlpMatchAscii(Text, "LPT", 3);
    return FALSE;
}

ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR DosFileName)
{
    RTL_PATH_TYPE Type = RtlDetermineDosPathNameType_U(DosFileName);
    SIZE_T End = RtlpWideLength(DosFileName), Start, Dot;

    if (Type == RtlPathTypeUncAbsolute || Type == RtlPathTypeRootLocalDevice)
        return 0;
    if (Type == RtlPathTypeLocalDevice) {
        /* Only \\.\CON names a device this way. */
        if (End == 7 && DosFileName[2] == '.' && RtlpMatchAscii(DosFileName + 4, "CON", 3))
            return (4 * sizeof(WCHAR)) << 16 | 3 * sizeof(WCHAR);
        return 0;
    }
    while (End > 0 && DosFileName[End - 1] == ':')
        End--;
    /* The last component starts after a separator or after a ':' that is
     * not followed by '.' (so "NUL:.txt" stays one component). */
    for (Start = End; Start > 0; Start--) {
        WCHAR c = DosFileName[Start - 1];

        if (RtlpIsSeparator(c) || (c == ':' && DosFileName[Start] != '.'))
            break;
    }
    for (Dot = Start; Dot < End && DosFileName[Dot] != '.'; Dot++)
        ;
    End = Dot;
    while (End > Start && (DosFileName[End - 1] == ' ' || DosFileName[End - 1] == ':'))
        End--;
    if (!RtlpIsDeviceName(DosFileName + Start, End - Start))
        return 0;
    return (ULONG)(Start * sizeof(WCHAR)) << 16 | (ULONG)((End - Start) * sizeof(WCHAR));
}
