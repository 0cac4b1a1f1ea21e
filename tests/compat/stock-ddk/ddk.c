/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stock-ddk.exe: a native program written against the DDK headers as
 * mingw-w64 installs them (<ddk/ntddk.h>, with the ddk folder on the
 * include path as driver builds have it), linked with mingw-w64's own
 * libntdll.a. It checks ntdll's run-time library the way Windows behaves:
 * the counted strings (init, compare, prefix, copy, append, case), number
 * conversions both ways, time fields and the 1970 epoch, and the user-mode
 * view of KUSER_SHARED_DATA. Services the DDK headers declare only as Zw*
 * or not at all are declared below with their Windows prototypes.
 */
#include <ntddk.h>

#include "../lib/compat.h"

const char CompatProgram[] = "ddk";

NTSYSAPI NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER SystemTime);
NTSYSAPI BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds);
NTSYSAPI VOID NTAPI RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time);
NTSYSAPI NTSTATUS NTAPI ZwCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                   POBJECT_ATTRIBUTES ObjectAttributes,
                                                   PUNICODE_STRING LinkTarget);
NTSYSAPI NTSTATUS NTAPI ZwOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                              POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG Length, PCHAR String);

/* A winnt.h value the DDK headers lack. */
#ifndef IMAGE_FILE_MACHINE_AMD64
#define IMAGE_FILE_MACHINE_AMD64 0x8664
#endif

/* KUSER_SHARED_DATA as user mode sees it (wdm.h's SharedUserData is the
 * kernel-mode address). */
#define COMPAT_SHARED_DATA ((const volatile KUSER_SHARED_DATA *)(ULONG_PTR)0x7FFE0000)

/* 2020-01-01 00:00 UTC: 100 ns units since 1601, and seconds since 1970. */
#define COMPAT_2020_TIME    132223104000000000ll
#define COMPAT_2020_SECONDS 1577836800u
#define COMPAT_1970_TIME    116444736000000000ll
#define COMPAT_SECOND       10000000ll

static VOID StringInit(VOID)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, L"Nereid");
    CHECK_EQ(String.Length, 12);
    CHECK_EQ(String.MaximumLength, 14);
    CHECK(String.Buffer != NULL && String.Buffer[0] == L'N');
    RtlInitUnicodeString(&String, NULL);
    CHECK_EQ(String.Length, 0);
    CHECK_EQ(String.MaximumLength, 0);
    CHECK(String.Buffer == NULL);
}

static VOID StringCompare(VOID)
{
    UNICODE_STRING Lower, Upper, Abd, Ab, Root, Prefix;

    RtlInitUnicodeString(&Lower, L"abc");
    RtlInitUnicodeString(&Upper, L"ABC");
    RtlInitUnicodeString(&Abd, L"abd");
    RtlInitUnicodeString(&Ab, L"ab");
    CHECK(RtlEqualUnicodeString(&Lower, &Upper, TRUE));
    CHECK(!RtlEqualUnicodeString(&Lower, &Upper, FALSE));
    CHECK(RtlCompareUnicodeString(&Lower, &Abd, FALSE) < 0);
    CHECK(RtlCompareUnicodeString(&Abd, &Lower, FALSE) > 0);
    CHECK(RtlCompareUnicodeString(&Lower, &Ab, FALSE) > 0);
    CHECK_EQ(RtlCompareUnicodeString(&Lower, &Upper, TRUE), 0);
    RtlInitUnicodeString(&Root, L"\\SystemRoot\\system32");
    RtlInitUnicodeString(&Prefix, L"\\SYSTEMROOT");
    CHECK(RtlPrefixUnicodeString(&Prefix, &Root, TRUE));
    CHECK(!RtlPrefixUnicodeString(&Prefix, &Root, FALSE));
    CHECK(!RtlPrefixUnicodeString(&Root, &Prefix, TRUE));
}

static VOID StringCopyAppend(VOID)
{
    WCHAR Small[3], Room[16];
    UNICODE_STRING Source, Dest;

    RtlInitUnicodeString(&Source, L"Nereid");
    /* Copy truncates to the destination's room. */
    Dest.Buffer = Small, Dest.Length = 0, Dest.MaximumLength = sizeof(Small);
    RtlCopyUnicodeString(&Dest, &Source);
    CHECK_EQ(Dest.Length, sizeof(Small));
    CHECK(Small[0] == L'N' && Small[1] == L'e' && Small[2] == L'r');
    /* Append: all or nothing. */
    Dest.Buffer = Room, Dest.Length = 0, Dest.MaximumLength = sizeof(Room);
    CHECK_STATUS(RtlAppendUnicodeToString(&Dest, L"ab"), STATUS_SUCCESS);
    CHECK_STATUS(RtlAppendUnicodeToString(&Dest, L"cd"), STATUS_SUCCESS);
    CHECK_EQ(Dest.Length, 8);
    CHECK(Room[0] == L'a' && Room[3] == L'd');
    Dest.MaximumLength = 10;
    CHECK_STATUS(RtlAppendUnicodeToString(&Dest, L"efgh"), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(Dest.Length, 8);
    CHECK_EQ(RtlUpcaseUnicodeChar(L'q'), L'Q');
    CHECK_EQ(RtlUpcaseUnicodeChar(L'7'), L'7');
    CHECK_EQ(RtlDowncaseUnicodeChar(L'Q'), L'q');
}

static VOID StringAnsi(VOID)
{
    WCHAR Wide[8];
    CHAR Narrow[8];
    ANSI_STRING Ansi, Back;
    UNICODE_STRING Unicode;

    RtlInitAnsiString(&Ansi, "hi!");
    CHECK_EQ(Ansi.Length, 3);
    Unicode.Buffer = Wide, Unicode.Length = 0, Unicode.MaximumLength = sizeof(Wide);
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&Unicode, &Ansi, FALSE), STATUS_SUCCESS);
    CHECK_EQ(Unicode.Length, 6);
    CHECK(Wide[0] == L'h' && Wide[2] == L'!');
    Back.Buffer = Narrow, Back.Length = 0, Back.MaximumLength = sizeof(Narrow);
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&Back, &Unicode, FALSE), STATUS_SUCCESS);
    CHECK_EQ(Back.Length, 3);
    CHECK(Narrow[0] == 'h' && Narrow[2] == '!' && Narrow[3] == 0);
}

static VOID NumberFromString(VOID)
{
    UNICODE_STRING String;
    ULONG Value = 0;

    RtlInitUnicodeString(&String, L"1234");
    CHECK_STATUS(RtlUnicodeStringToInteger(&String, 10, &Value), STATUS_SUCCESS);
    CHECK_EQ(Value, 1234);
    RtlInitUnicodeString(&String, L"0x1F");
    CHECK_STATUS(RtlUnicodeStringToInteger(&String, 0, &Value), STATUS_SUCCESS);
    CHECK_EQ(Value, 31);
    RtlInitUnicodeString(&String, L"  -42");
    CHECK_STATUS(RtlUnicodeStringToInteger(&String, 10, &Value), STATUS_SUCCESS);
    CHECK_EQ(Value, (ULONG)-42);
    RtlInitUnicodeString(&String, L"12");
    CHECK_STATUS(RtlUnicodeStringToInteger(&String, 3, &Value), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlCharToInteger("0b101", 0, &Value), STATUS_SUCCESS);
    CHECK_EQ(Value, 5);
    CHECK_STATUS(RtlCharToInteger("0o17", 0, &Value), STATUS_SUCCESS);
    CHECK_EQ(Value, 15);
}

static VOID NumberToString(VOID)
{
    WCHAR Wide[8];
    CHAR Narrow[8] = {0};
    UNICODE_STRING String = {0, sizeof(Wide), Wide};

    CHECK_STATUS(RtlIntegerToUnicodeString(255, 16, &String), STATUS_SUCCESS);
    CHECK_EQ(String.Length, 4);
    CHECK(Wide[0] == L'F' && Wide[1] == L'F');
    CHECK_STATUS(RtlIntegerToChar(1234, 10, sizeof(Narrow), Narrow), STATUS_SUCCESS);
    CHECK(memcmp(Narrow, "1234", 5) == 0);
    CHECK_STATUS(RtlIntegerToChar(1234, 10, 3, Narrow), STATUS_BUFFER_OVERFLOW);
}

static BOOLEAN CompatFieldsAre(const TIME_FIELDS *F, CSHORT Year, CSHORT Month, CSHORT Day,
                               CSHORT Hour, CSHORT Minute, CSHORT Second, CSHORT Ms, CSHORT Weekday)
{
    return F->Year == Year && F->Month == Month && F->Day == Day && F->Hour == Hour &&
           F->Minute == Minute && F->Second == Second && F->Milliseconds == Ms &&
           F->Weekday == Weekday;
}

static VOID TimeFields(VOID)
{
    TIME_FIELDS Fields;
    LARGE_INTEGER Time;

    Time.QuadPart = 0;
    RtlTimeToTimeFields(&Time, &Fields);
    CHECK(CompatFieldsAre(&Fields, 1601, 1, 1, 0, 0, 0, 0, 1)); /* a Monday */
    Time.QuadPart = COMPAT_2020_TIME;
    RtlTimeToTimeFields(&Time, &Fields);
    CHECK(CompatFieldsAre(&Fields, 2020, 1, 1, 0, 0, 0, 0, 3)); /* a Wednesday */
    Fields = (TIME_FIELDS){2024, 2, 29, 12, 34, 56, 789, 0};
    CHECK(RtlTimeFieldsToTime(&Fields, &Time));
    RtlTimeToTimeFields(&Time, &Fields);
    CHECK(CompatFieldsAre(&Fields, 2024, 2, 29, 12, 34, 56, 789, 4)); /* a Thursday */
    Fields = (TIME_FIELDS){2023, 2, 29, 0, 0, 0, 0, 0};               /* not a leap year */
    CHECK(!RtlTimeFieldsToTime(&Fields, &Time));
}

static VOID TimeSince1970(VOID)
{
    LARGE_INTEGER Time;
    ULONG Seconds = 0;

    Time.QuadPart = COMPAT_2020_TIME;
    CHECK(RtlTimeToSecondsSince1970(&Time, &Seconds));
    CHECK_EQ(Seconds, COMPAT_2020_SECONDS);
    RtlSecondsSince1970ToTime(0, &Time);
    CHECK_EQ(Time.QuadPart, COMPAT_1970_TIME);
    Time.QuadPart = COMPAT_1970_TIME - 1; /* before 1970 */
    CHECK(!RtlTimeToSecondsSince1970(&Time, &Seconds));
}

static VOID SharedData(VOID)
{
    const volatile KUSER_SHARED_DATA *Shared = COMPAT_SHARED_DATA;
    LARGE_INTEGER Now;
    LONGLONG SharedTime;

    CHECK_EQ(Shared->NtMajorVersion, 10);
    CHECK_EQ(Shared->ImageNumberLow, IMAGE_FILE_MACHINE_AMD64);
    CHECK_EQ(Shared->ImageNumberHigh, IMAGE_FILE_MACHINE_AMD64);
    CHECK_STATUS(NtQuerySystemTime(&Now), STATUS_SUCCESS);
    SharedTime = ((LONGLONG)Shared->SystemTime.High1Time << 32) | Shared->SystemTime.LowPart;
    CHECK(Now.QuadPart - SharedTime < 60 * COMPAT_SECOND &&
          SharedTime - Now.QuadPart < 60 * COMPAT_SECOND);
}

/* The object namespace as a driver reaches it (the Zw names of wdm.h): a
 * directory under \BaseNamedObjects, a symbolic link in it found by a
 * name relative to the directory handle, its target read back, and the
 * names gone with the last handles (both are temporary). */
static VOID Namespace(VOID)
{
    UNICODE_STRING DirectoryName, LinkName, Target, Read;
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Directory = NULL, Link = NULL, Opened = NULL;
    WCHAR Buffer[64];
    ULONG Length = 0;

    RtlInitUnicodeString(&DirectoryName, L"\\BaseNamedObjects\\compat-ddk-directory");
    InitializeObjectAttributes(&Attributes, &DirectoryName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (!CHECK_STATUS(ZwCreateDirectoryObject(&Directory, DIRECTORY_ALL_ACCESS, &Attributes),
                      STATUS_SUCCESS))
        return;
    RtlInitUnicodeString(&LinkName, L"link");
    RtlInitUnicodeString(&Target, L"\\BaseNamedObjects");
    InitializeObjectAttributes(&Attributes, &LinkName, OBJ_CASE_INSENSITIVE, Directory, NULL);
    if (CHECK_STATUS(
            ZwCreateSymbolicLinkObject(&Link, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &Target),
            STATUS_SUCCESS)) {
        CHECK_STATUS(ZwOpenSymbolicLinkObject(&Opened, SYMBOLIC_LINK_ALL_ACCESS, &Attributes),
                     STATUS_SUCCESS);
        Read.Buffer = Buffer, Read.Length = 0, Read.MaximumLength = sizeof(Buffer);
        CHECK_STATUS(ZwQuerySymbolicLinkObject(Opened, &Read, &Length), STATUS_SUCCESS);
        CHECK(RtlEqualUnicodeString(&Read, &Target, FALSE));
        CHECK(Length >= Target.Length);
        ZwClose(Opened);
        ZwClose(Link);
    }
    CHECK_STATUS(ZwOpenSymbolicLinkObject(&Opened, SYMBOLIC_LINK_ALL_ACCESS, &Attributes),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(ZwClose(Directory), STATUS_SUCCESS);
    InitializeObjectAttributes(&Attributes, &DirectoryName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(ZwOpenDirectoryObject(&Directory, DIRECTORY_ALL_ACCESS, &Attributes),
                 STATUS_OBJECT_NAME_NOT_FOUND);
}

NTSTATUS NTAPI NtProcessStartup(PVOID Peb)
{
    (void)Peb;
    CompatRun("string_init", StringInit);
    CompatRun("string_compare", StringCompare);
    CompatRun("string_copy_append_case", StringCopyAppend);
    CompatRun("string_ansi", StringAnsi);
    CompatRun("number_from_string", NumberFromString);
    CompatRun("number_to_string", NumberToString);
    CompatRun("time_fields", TimeFields);
    CompatRun("time_since_1970", TimeSince1970);
    CompatRun("shared_data", SharedData);
    CompatRun("namespace", Namespace);
    CompatFinish();
}
