/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Full DOS path names and their NT names: RtlGetFullPathName_U and
 * RtlDosPathNameToNtPathName_U, in internal forms that take the current
 * directory as a parameter. A path is built as a prefix ("", "\\" or
 * "\\.\") and a stack of components that point into the inputs; the first
 * Locked components (drive "C:", UNC server and share, device name) are the
 * root and ".." cannot pop them. Normalisation follows Windows: '/' is a
 * separator, repeated separators collapse, "." and ".." components go, a
 * component ending in one '.' loses it, and the last component loses all
 * trailing dots and spaces. "\\?\" names are taken verbatim.
 * FIXME: "C:foo" on another drive than the current one uses that drive's
 * root instead of the "=C:" environment variable.
 */
#include "rtlp.h"

/* Components kept at once; deeper paths are refused (FIXME: grow). */
#define RTLP_MAX_COMPONENTS 512
#define RTLP_MAX_PATH_CHARS (UNICODE_STRING_MAX_CHARS - 1)

typedef struct _RTLP_COMPONENT {
    PCWSTR Text;
    SIZE_T Length;
} RTLP_COMPONENT;

typedef struct _RTLP_PATH {
    PCWSTR Prefix;     /* literal put before the first component */
    ULONG Count;       /* components on the stack */
    ULONG Locked;      /* of which the root */
    BOOLEAN Trailing;  /* output ends in a separator */
    BOOLEAN DriveRoot; /* the root is "X:", which always keeps its '\' */
    BOOLEAN Overflow;  /* more than RTLP_MAX_COMPONENTS */
    RTLP_COMPONENT Components[RTLP_MAX_COMPONENTS];
} RTLP_PATH;

static VOID RtlpPush(RTLP_PATH *Path, PCWSTR Text, SIZE_T Length)
{
    if (Path->Count == RTLP_MAX_COMPONENTS) {
        Path->Overflow = TRUE;
        return;
    }
    Path->Components[Path->Count].Text = Text;
    Path->Components[Path->Count].Length = Length;
    Path->Count++;
}

/* One component of the input; Last: nothing but the end follows it. */
static VOID RtlpAddComponent(RTLP_PATH *Path, PCWSTR Text, SIZE_T Length, BOOLEAN Last)
{
    if (Length == 1 && Text[0] == '.')
        return;
    if (Length == 2 && Text[0] == '.' && Text[1] == '.') {
        if (Path->Count > Path->Locked)
            Path->Count--;
        return;
    }
    if (Last) {
        while (Length > 0 && (Text[Length - 1] == '.' || Text[Length - 1] == ' '))
            Length--;
    } else if (Length > 1 && Text[Length - 1] == '.' && Text[Length - 2] != '.') {
        Length--;
    }
    if (Length > 0)
        RtlpPush(Path, Text, Length);
}

/* Split Text[0..Length) at separators. IsLast: this text ends the input. */
static VOID RtlpAddText(RTLP_PATH *Path, PCWSTR Text, SIZE_T Length, BOOLEAN IsLast)
{
    SIZE_T Start = 0, End;

    while (Start < Length) {
        for (End = Start; End < Length && !RtlpIsSeparator(Text[End]); End++)
            ;
        if (End > Start)
            RtlpAddComponent(Path, Text + Start, End - Start, IsLast && End == Length);
        Start = End + 1;
    }
    if (IsLast)
        Path->Trailing = Length > 0 && RtlpIsSeparator(Text[Length - 1]);
}

/* Push the root of an absolute Text ("C:\..." or "\\server\share\...") and
 * return how many characters it used. */
static SIZE_T RtlpAddRoot(RTLP_PATH *Path, PCWSTR Text, SIZE_T Length)
{
    SIZE_T Pos = 2, Part, Start;

    if (Length >= 2 && Text[1] == ':') {
        Path->Prefix = u"";
        RtlpPush(Path, Text, 2);
        Path->Locked = 1;
        Path->DriveRoot = TRUE;
        return Length > 2 ? 3 : 2;
    }
    Path->Prefix = u"\\\\";
    for (Part = 0; Part < 2 && Pos < Length; Part++) {
        for (Start = Pos; Pos < Length && !RtlpIsSeparator(Text[Pos]); Pos++)
            ;
        RtlpPush(Path, Text + Start, Pos - Start);
        if (Pos < Length)
            Pos++;
    }
    Path->Locked = Path->Count;
    return Pos;
}

static BOOLEAN RtlpSameDrive(PCWSTR Name, PCUNICODE_STRING CurDir)
{
    return CurDir->Length >= 2 * sizeof(WCHAR) && CurDir->Buffer[1] == ':' &&
           RtlUpcaseUnicodeChar(CurDir->Buffer[0]) == RtlUpcaseUnicodeChar(Name[0]);
}

/* Build Path from Name (not a device name, not \\?\) and the current dir. */
static VOID RtlpBuildPath(RTLP_PATH *Path, PCWSTR Name, PCUNICODE_STRING CurDir)
{
    SIZE_T Length = RtlpWideLength(Name), CurLength = CurDir->Length / sizeof(WCHAR), Used;

    switch (RtlDetermineDosPathNameType_U(Name)) {
    case RtlPathTypeUncAbsolute:
    case RtlPathTypeDriveAbsolute:
        Used = RtlpAddRoot(Path, Name, Length);
        RtlpAddText(Path, Name + Used, Length - Used, TRUE);
        break;
    case RtlPathTypeLocalDevice:
        Path->Prefix = u"\\\\.\\";
        RtlpAddText(Path, Name + 4, Length - 4, TRUE);
        Path->Locked = Path->Count ? 1 : 0;
        break;
    case RtlPathTypeRootLocalDevice:
        Path->Prefix = u"\\\\.\\";
        break;
    case RtlPathTypeDriveRelative:
        if (!RtlpSameDrive(Name, CurDir)) {
            RtlpAddRoot(Path, Name, 2);
            RtlpAddText(Path, Name + 2, Length - 2, TRUE);
            break;
        }
        Used = RtlpAddRoot(Path, CurDir->Buffer, CurLength);
        RtlpAddText(Path, CurDir->Buffer + Used, CurLength - Used, FALSE);
        RtlpAddText(Path, Name + 2, Length - 2, TRUE);
        break;
    case RtlPathTypeRooted:
        RtlpAddRoot(Path, CurDir->Buffer, CurLength);
        RtlpAddText(Path, Name + 1, Length - 1, TRUE);
        break;
    default:
        Used = RtlpAddRoot(Path, CurDir->Buffer, CurLength);
        RtlpAddText(Path, CurDir->Buffer + Used, CurLength - Used, FALSE);
        RtlpAddText(Path, Name, Length, TRUE);
        break;
    }
}

/* Write Path to Out (when not NULL) and return its length in WCHARs. A bare
 * drive root keeps its '\'; *LastStart gets the offset of the last
 * component, or ~0 when the path ends in a separator. */
static SIZE_T RtlpEmitPath(const RTLP_PATH *Path, PWSTR Out, SIZE_T *LastStart)
{
    SIZE_T Pos = RtlpWideLength(Path->Prefix), i;
    BOOLEAN Trailing = Path->Trailing || (Path->DriveRoot && Path->Count <= Path->Locked);

    if (Out)
        memcpy(Out, Path->Prefix, Pos * sizeof(WCHAR));
    *LastStart = ~(SIZE_T)0;
    for (i = 0; i < Path->Count; i++) {
        if (i > 0 && Out)
            Out[Pos] = '\\';
        Pos += i > 0;
        *LastStart = Pos;
        if (Out)
            memcpy(Out + Pos, Path->Components[i].Text, Path->Components[i].Length * sizeof(WCHAR));
        Pos += Path->Components[i].Length;
    }
    if (Trailing && Path->Count > 0) {
        if (Out)
            Out[Pos] = '\\';
        Pos++;
        *LastStart = ~(SIZE_T)0;
    }
    return Pos;
}

/* "\\.\" and the device name that RtlIsDosDeviceName_U found. */
static ULONG RtlpDeviceFullPath(PCWSTR Name, ULONG Device, ULONG Size, PWSTR Buffer,
                                PWSTR *FilePart)
{
    SIZE_T Offset = (Device >> 16) / sizeof(WCHAR), Count = (Device & 0xFFFF) / sizeof(WCHAR);
    ULONG Bytes = (ULONG)((4 + Count) * sizeof(WCHAR));

    if (FilePart)
        *FilePart = NULL;
    if (Bytes + sizeof(WCHAR) > Size)
        return Bytes + sizeof(WCHAR);
    memcpy(Buffer, u"\\\\.\\", 4 * sizeof(WCHAR));
    memcpy(Buffer + 4, Name + Offset, Count * sizeof(WCHAR));
    Buffer[4 + Count] = 0;
    return Bytes;
}

ULONG RtlpGetFullPathName(PCWSTR FileName, PCUNICODE_STRING CurrentDirectory, ULONG Size,
                          PWSTR Buffer, PWSTR *FilePart)
{
    RTLP_PATH Path;
    SIZE_T Length, Last;
    ULONG Device;

    memset(&Path, 0, offsetof(RTLP_PATH, Components));
    if (FilePart)
        *FilePart = NULL;
    if (!FileName || !FileName[0])
        return 0;
    Device = RtlIsDosDeviceName_U(FileName);
    if (Device)
        return RtlpDeviceFullPath(FileName, Device, Size, Buffer, FilePart);
    if (FileName[0] == '\\' && FileName[1] == '\\' && FileName[2] == '?' && FileName[3] == '\\') {
        Path.Prefix = FileName; /* verbatim: the whole name is the prefix */
    } else {
        RtlpBuildPath(&Path, FileName, CurrentDirectory);
    }
    if (Path.Overflow)
        return 0;
    Length = RtlpEmitPath(&Path, NULL, &Last);
    if (Length > RTLP_MAX_PATH_CHARS)
        return 0;
    if ((Length + 1) * sizeof(WCHAR) > Size)
        return (ULONG)((Length + 1) * sizeof(WCHAR));
    RtlpEmitPath(&Path, Buffer, &Last);
    Buffer[Length] = 0;
    if (FilePart && Last != ~(SIZE_T)0 && Path.Count > 0)
        *FilePart = Buffer + Last;
    return (ULONG)(Length * sizeof(WCHAR));
}

ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer, PWSTR *FilePart)
{
    UNICODE_STRING CurrentDirectory;

    RtlpQueryCurrentDirectory(&CurrentDirectory);
    return RtlpGetFullPathName(FileName, &CurrentDirectory, Size, Buffer, FilePart);
}

/* The NT prefix for a full DOS path and how many of its characters it
 * replaces: C:\x -> \??\C:\x, \\srv\x -> \??\UNC\srv\x, \\.\x -> \??\x. */
static PCWSTR RtlpNtPrefix(PCWSTR Full, SIZE_T *Skip)
{
    if (Full[0] == '\\' && Full[1] == '\\') {
        if ((Full[2] == '.' || Full[2] == '?') && Full[3] == '\\') {
            *Skip = 4;
            return u"\\??\\";
        }
        *Skip = 2;
        return u"\\??\\UNC\\";
    }
    *Skip = 0;
    return u"\\??\\";
}

NTSTATUS RtlpDosPathNameToNtPathName(PCWSTR DosName, PCUNICODE_STRING CurrentDirectory,
                                     PUNICODE_STRING NtName, PWSTR *FilePart,
                                     PRTL_RELATIVE_NAME_U RelativeName)
{
    const SIZE_T Room = 8; /* WCHARs reserved in front for the longest prefix */
    ULONG Needed, Bytes;
    PWSTR Buffer, Part = NULL;
    PCWSTR Prefix;
    SIZE_T Skip, PrefixLength, Chars;

    if (RelativeName)
        memset(RelativeName, 0, sizeof(*RelativeName));
    Needed = RtlpGetFullPathName(DosName, CurrentDirectory, 0, NULL, NULL);
    if (Needed == 0)
        return STATUS_OBJECT_NAME_INVALID;
    if (Needed + Room * sizeof(WCHAR) > UNICODE_STRING_MAX_BYTES)
        return STATUS_NAME_TOO_LONG;
    Buffer = RtlpAllocateStringMemory(Needed + Room * sizeof(WCHAR));
    if (!Buffer)
        return STATUS_NO_MEMORY;
    Bytes = RtlpGetFullPathName(DosName, CurrentDirectory, Needed, Buffer + Room, &Part);
    Prefix = RtlpNtPrefix(Buffer + Room, &Skip);
    PrefixLength = RtlpWideLength(Prefix);
    Chars = Bytes / sizeof(WCHAR) - Skip;
    memmove(Buffer + PrefixLength, Buffer + Room + Skip, (Chars + 1) * sizeof(WCHAR));
    memcpy(Buffer, Prefix, PrefixLength * sizeof(WCHAR));
    NtName->Buffer = Buffer;
    NtName->Length = (USHORT)((PrefixLength + Chars) * sizeof(WCHAR));
    NtName->MaximumLength = (USHORT)(NtName->Length + sizeof(WCHAR));
    if (FilePart)
        *FilePart = Part ? Buffer + PrefixLength + (Part - (Buffer + Room) - Skip) : NULL;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDosPathNameToNtPathName_U_WithStatus(PCWSTR DosName, PUNICODE_STRING NtName,
                                                       PWSTR *FilePart,
                                                       PRTL_RELATIVE_NAME_U RelativeName)
{
    UNICODE_STRING CurrentDirectory;

    RtlpQueryCurrentDirectory(&CurrentDirectory);
    return RtlpDosPathNameToNtPathName(DosName, &CurrentDirectory, NtName, FilePart, RelativeName);
}

BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName, PWSTR *FilePart,
                                           PRTL_RELATIVE_NAME_U RelativeName)
{
    return NT_SUCCESS(
        RtlDosPathNameToNtPathName_U_WithStatus(DosName, NtName, FilePart, RelativeName));
}
