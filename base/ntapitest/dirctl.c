/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directory control: NtQueryDirectoryFile and NtNotifyChangeDirectoryFile
 * on \SystemRoot (the store's directory of the archive) and on a device
 * (drivers/test/iotest answers IRP_MJ_DIRECTORY_CONTROL). Opens of the
 * directory with and against FILE_DIRECTORY_FILE / FILE_NON_DIRECTORY_FILE;
 * every class's records checked against NtQueryInformationFile of the same
 * file; masks (wildcards, case, nothing matching); ReturnSingleEntry to
 * NO_MORE_FILES; RestartScan; lengths below a class's record
 * (INFO_LENGTH_MISMATCH) and a first entry that does not fit
 * (BUFFER_OVERFLOW with Information = Length, as Windows); classes, handles
 * and buffers refused; the asynchronous forms (event, APC, IO_STATUS_BLOCK);
 * notifications pending until cancelled, closed or (iotest) touched.
 */
#include "ntfile.h"
#include "synch.h"
#include "pstest.h"
#include <ntdirctl.h>
#include "../../drivers/test/iotest/dirctl.h"

#define FILE_WRITE_DATA_ACCESS 0x0002u
#define NTAPI_DIR_BUFFER       8192
#define NTAPI_DIR_COUNT(a)     ((ULONG)(sizeof(a) / sizeof((a)[0])))

#define SERVICES L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

static UCHAR NtapiDirBuffer[NTAPI_DIR_BUFFER] __attribute__((aligned(8)));

static UNICODE_STRING NtapiDirString(PCWSTR s)
{
    UNICODE_STRING u;
    USHORT n = 0;

    while (s[n])
        n++;
    u.Length = u.MaximumLength = n * sizeof(WCHAR);
    u.Buffer = (PWSTR)s;
    return u;
}

static NTSTATUS NtapiOpenPath(PCWSTR Path, ACCESS_MASK Access, ULONG Disposition, ULONG Options,
                              HANDLE *Handle, IO_STATUS_BLOCK *Iosb)
{
    UNICODE_STRING Name = NtapiDirString(Path);
    OBJECT_ATTRIBUTES Attributes;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    *Handle = NULL;
    return NtCreateFile(Handle, Access, &Attributes, Iosb, NULL, 0, FILE_SHARE_READ, Disposition,
                        Options, NULL, 0);
}

/* \SystemRoot as a directory: synchronous or not. */
static HANDLE NtapiOpenRoot(BOOLEAN Synchronous)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    if (!CHECK_STATUS(
            NtapiOpenPath(L"\\SystemRoot", FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_OPEN,
                          FILE_DIRECTORY_FILE | (Synchronous ? FILE_SYNCHRONOUS_IO_NONALERT : 0),
                          &Handle, &Iosb),
            STATUS_SUCCESS))
        return NULL;
    return Handle;
}

static NTSTATUS NtapiQuery(HANDLE Dir, ULONG Class, PVOID Buffer, ULONG Length, BOOLEAN Single,
                           PCWSTR Mask, BOOLEAN Restart, IO_STATUS_BLOCK *Iosb)
{
    UNICODE_STRING Name;

    if (Mask)
        Name = NtapiDirString(Mask);
    return NtQueryDirectoryFile(Dir, NULL, NULL, NULL, Iosb, Buffer, Length, Class, Single,
                                Mask ? &Name : NULL, Restart);
}

/* Where each class keeps its fields, for reading the records generically. */
typedef struct _NTAPI_DIR_CLASS {
    ULONG Class, Size, Name, NameLength, FileId;
    BOOLEAN Full;
} NTAPI_DIR_CLASS;

#define NTAPI_FULL(T, C, Id)                                                                       \
    {                                                                                              \
        C, sizeof(T), __builtin_offsetof(T, FileName), __builtin_offsetof(T, FileNameLength), Id,  \
            TRUE                                                                                   \
    }

static const NTAPI_DIR_CLASS NtapiDirClasses[] = {
    NTAPI_FULL(FILE_DIRECTORY_INFORMATION, FileDirectoryInformation, 0),
    NTAPI_FULL(FILE_FULL_DIR_INFORMATION, FileFullDirectoryInformation, 0),
    NTAPI_FULL(FILE_BOTH_DIR_INFORMATION, FileBothDirectoryInformation, 0),
    NTAPI_FULL(FILE_ID_BOTH_DIR_INFORMATION, FileIdBothDirectoryInformation,
               __builtin_offsetof(FILE_ID_BOTH_DIR_INFORMATION, FileId)),
    NTAPI_FULL(FILE_ID_FULL_DIR_INFORMATION, FileIdFullDirectoryInformation,
               __builtin_offsetof(FILE_ID_FULL_DIR_INFORMATION, FileId)),
    {FileNamesInformation, sizeof(FILE_NAMES_INFORMATION),
     __builtin_offsetof(FILE_NAMES_INFORMATION, FileName),
     __builtin_offsetof(FILE_NAMES_INFORMATION, FileNameLength), 0, FALSE},
};

static ULONG NtapiGet32(const UCHAR *Record, ULONG Offset)
{
    ULONG v;

    memcpy(&v, Record + Offset, sizeof(v));
    return v;
}

static LONGLONG NtapiGet64(const UCHAR *Record, ULONG Offset)
{
    LONGLONG v;

    memcpy(&v, Record + Offset, sizeof(v));
    return v;
}

/* Walk the records of one answer: the chain must be 8-aligned, each link
 * the record's length rounded up, the last 0 and Information its end.
 * Returns the number of records (0 if the chain is broken). */
static ULONG NtapiCheckChain(const NTAPI_DIR_CLASS *Class, const UCHAR *Buffer,
                             ULONG_PTR Information)
{
    ULONG Offset = 0, Count = 0;

    for (;;) {
        ULONG Next = NtapiGet32(Buffer + Offset, 0);
        ULONG End = Class->Name + NtapiGet32(Buffer + Offset, Class->NameLength);

        Count++;
        if (Next == 0)
            return CHECK_EQ(Information, Offset + End) ? Count : 0;
        if (!CHECK_EQ(Next, (End + 7) & ~7u) || !CHECK(Offset + Next < Information))
            return 0;
        Offset += Next;
    }
}

/* The record's name as a \SystemRoot\<name> path in Path. */
static VOID NtapiRecordPath(const NTAPI_DIR_CLASS *Class, const UCHAR *Record, PWSTR Path)
{
    static const WCHAR Prefix[] = L"\\SystemRoot\\";
    ULONG Length = NtapiGet32(Record, Class->NameLength) / sizeof(WCHAR), n = 0;

    for (; Prefix[n]; n++)
        Path[n] = Prefix[n];
    memcpy(Path + n, Record + Class->Name, Length * sizeof(WCHAR));
    Path[n + Length] = 0;
}

static BOOLEAN NtapiNameIs(const NTAPI_DIR_CLASS *Class, const UCHAR *Record, PCWSTR Name)
{
    UNICODE_STRING Want = NtapiDirString(Name);

    return NtapiGet32(Record, Class->NameLength) == Want.Length &&
           memcmp(Record + Class->Name, Want.Buffer, Want.Length) == 0;
}

/* One record's fields against NtQueryInformationFile of the same file. */
static VOID NtapiCheckRecordAgainstFile(const NTAPI_DIR_CLASS *Class, const UCHAR *Record)
{
    FILE_STANDARD_INFORMATION Standard;
    ULONG Basic[10]; /* FILE_BASIC_INFORMATION: four times, then FileAttributes */
    LONGLONG Index;
    IO_STATUS_BLOCK Iosb;
    WCHAR Path[80];
    HANDLE File;

    NtapiRecordPath(Class, Record, Path);
    if (!CHECK_STATUS(NtapiOpenPath(Path, FILE_READ_ATTRIBUTES, FILE_OPEN, 0, &File, &Iosb),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiGet32(Record, 4), 0); /* FileIndex: none, as NTFS */
    if (Class->Full &&
        CHECK_STATUS(NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard),
                                            FileStandardInformation),
                     STATUS_SUCCESS) &&
        CHECK_STATUS(
            NtQueryInformationFile(File, &Iosb, Basic, sizeof(Basic), FileBasicInformation),
            STATUS_SUCCESS)) {
        CHECK_EQ(NtapiGet64(Record, 40), Standard.EndOfFile.QuadPart);
        CHECK_EQ(NtapiGet64(Record, 48), Standard.AllocationSize.QuadPart);
        CHECK_EQ(NtapiGet32(Record, 56), Basic[8]);
        CHECK(memcmp(Record + 8, Basic, 32) == 0); /* the four times */
    }
    if (Class->FileId && CHECK_STATUS(NtQueryInformationFile(File, &Iosb, &Index, sizeof(Index),
                                                             FileInternalInformation),
                                      STATUS_SUCCESS))
        CHECK_EQ(NtapiGet64(Record, Class->FileId), Index);
    NtClose(File);
}

/* ---- opening the directory ------------------------------------------------------------------ */

TEST(dirctl, open_flags)
{
    FILE_STANDARD_INFORMATION Standard;
    ULONG Basic[10];
    IO_STATUS_BLOCK Iosb = {.Status = -1, .Information = 77};
    LARGE_INTEGER Zero = {.QuadPart = 0};
    UCHAR Byte;
    HANDLE Dir;

    if (CHECK_STATUS(NtapiOpenPath(L"\\SystemRoot", FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_OPEN,
                                   FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, &Dir, &Iosb),
                     STATUS_SUCCESS)) {
        CHECK_EQ(Iosb.Information, FILE_OPENED);
        CHECK_STATUS(NtQueryInformationFile(Dir, &Iosb, &Standard, sizeof(Standard),
                                            FileStandardInformation),
                     STATUS_SUCCESS);
        CHECK_EQ(Standard.Directory, TRUE);
        CHECK_STATUS(NtQueryInformationFile(Dir, &Iosb, Basic, sizeof(Basic), FileBasicInformation),
                     STATUS_ACCESS_DENIED); /* no FILE_READ_ATTRIBUTES */
        /* A directory has no data (Windows: STATUS_INVALID_DEVICE_REQUEST). */
        CHECK_STATUS(NtReadFile(Dir, NULL, NULL, NULL, &Iosb, &Byte, 1, &Zero, NULL),
                     STATUS_INVALID_DEVICE_REQUEST);
        NtClose(Dir);
    }
    /* Any open of the directory but one asking for a file works. */
    if (CHECK_STATUS(
            NtapiOpenPath(L"\\SystemRoot\\", FILE_READ_ATTRIBUTES, FILE_OPEN_IF, 0, &Dir, &Iosb),
            STATUS_SUCCESS)) {
        CHECK_STATUS(NtQueryInformationFile(Dir, &Iosb, Basic, sizeof(Basic), FileBasicInformation),
                     STATUS_SUCCESS);
        CHECK_EQ(Basic[8], FILE_ATTRIBUTE_DIRECTORY);
        NtClose(Dir);
    }
    CHECK_STATUS(NtapiOpenPath(L"\\SystemRoot", FILE_LIST_DIRECTORY, FILE_OPEN,
                               FILE_NON_DIRECTORY_FILE, &Dir, &Iosb),
                 STATUS_FILE_IS_A_DIRECTORY);
    CHECK_STATUS(NtapiOpenPath(L"\\SystemRoot\\hello.exe", FILE_LIST_DIRECTORY, FILE_OPEN,
                               FILE_DIRECTORY_FILE, &Dir, &Iosb),
                 STATUS_NOT_A_DIRECTORY);
    CHECK_STATUS(NtapiOpenPath(L"\\SystemRoot", FILE_LIST_DIRECTORY, FILE_CREATE,
                               FILE_DIRECTORY_FILE, &Dir, &Iosb),
                 STATUS_OBJECT_NAME_COLLISION);
    /* FILE_ADD_FILE (= FILE_WRITE_DATA) on a read-only medium. */
    CHECK_STATUS(NtapiOpenPath(L"\\SystemRoot", FILE_WRITE_DATA_ACCESS, FILE_OPEN,
                               FILE_DIRECTORY_FILE, &Dir, &Iosb),
                 STATUS_MEDIA_WRITE_PROTECTED);
}

/* ---- listing \SystemRoot -------------------------------------------------------------------- */

/* Every entry in Class, in one query; the count (0 on failure). */
static ULONG NtapiListAll(HANDLE Dir, const NTAPI_DIR_CLASS *Class, BOOLEAN CheckFiles)
{
    IO_STATUS_BLOCK Iosb = {.Status = -1, .Information = 0};
    ULONG Count, Offset = 0;
    BOOLEAN Hello = FALSE, Ntdll = FALSE;

    if (!CHECK_STATUS(NtapiQuery(Dir, Class->Class, NtapiDirBuffer, sizeof(NtapiDirBuffer), FALSE,
                                 NULL, TRUE, &Iosb),
                      STATUS_SUCCESS) ||
        !CHECK_STATUS(Iosb.Status, STATUS_SUCCESS))
        return 0;
    Count = NtapiCheckChain(Class, NtapiDirBuffer, Iosb.Information);
    for (ULONG i = 0; i < Count; i++) {
        const UCHAR *Record = NtapiDirBuffer + Offset;
        Hello |= NtapiNameIs(Class, Record, L"hello.exe");
        Ntdll |= NtapiNameIs(Class, Record, L"ntdll.dll");
        if (CheckFiles)
            NtapiCheckRecordAgainstFile(Class, Record);
        Offset += NtapiGet32(Record, 0);
    }
    CHECK(Hello && Ntdll);
    /* The archive fits the buffer: the next query finds nothing more. */
    CHECK_STATUS(NtapiQuery(Dir, Class->Class, NtapiDirBuffer, sizeof(NtapiDirBuffer), FALSE, NULL,
                            FALSE, &Iosb),
                 STATUS_NO_MORE_FILES);
    CHECK_STATUS(Iosb.Status, STATUS_NO_MORE_FILES);
    CHECK_EQ(Iosb.Information, 0);
    return Count;
}

TEST(dirctl, every_class_matches_query_information)
{
    HANDLE Dir = NtapiOpenRoot(TRUE);
    ULONG First = 0;

    if (Dir == NULL)
        return;
    for (ULONG i = 0; i < NTAPI_DIR_COUNT(NtapiDirClasses); i++) {
        ULONG Count = NtapiListAll(Dir, &NtapiDirClasses[i], TRUE);
        CHECK(Count > 20); /* the system archive */
        if (i == 0)
            First = Count;
        CHECK_EQ(Count, First);
    }
    NtClose(Dir);
}

/* How many entries a mask finds (records of FileNamesInformation, first
 * query on a fresh handle); *Status: the first query's. */
static ULONG NtapiCountMatches(PCWSTR Mask, PCWSTR Expect, NTSTATUS *Status)
{
    const NTAPI_DIR_CLASS *Class = &NtapiDirClasses[5];
    IO_STATUS_BLOCK Iosb;
    HANDLE Dir = NtapiOpenRoot(TRUE);
    ULONG Count = 0, Offset = 0;

    *Status = STATUS_UNSUCCESSFUL;
    if (Dir == NULL)
        return 0;
    *Status = NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer), FALSE,
                         Mask, FALSE, &Iosb);
    if (NT_SUCCESS(*Status))
        Count = NtapiCheckChain(Class, NtapiDirBuffer, Iosb.Information);
    for (ULONG i = 0; i < Count; i++) {
        const UCHAR *Record = NtapiDirBuffer + Offset;
        if (Expect)
            CHECK(NtapiNameIs(Class, Record, Expect));
        Offset += NtapiGet32(Record, 0);
    }
    NtClose(Dir);
    return Count;
}

TEST(dirctl, masks)
{
    IO_STATUS_BLOCK Iosb = {.Status = -1, .Information = 77};
    NTSTATUS Status;
    HANDLE Dir;
    ULONG Sys;

    Sys = NtapiCountMatches(L"*.sys", NULL, &Status);
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK(Sys >= 5 && Sys < 30);                               /* the drivers, not the programs */
    CHECK_EQ(NtapiCountMatches(L"*.SYS", NULL, &Status), Sys); /* case is ignored */
    CHECK_EQ(NtapiCountMatches(L"n?ll.sys", L"null.sys", &Status), 1);
    CHECK_EQ(NtapiCountMatches(L"NULL.SYS", L"null.sys", &Status), 1);
    CHECK_EQ(NtapiCountMatches(L"nt*.dll", L"ntdll.dll", &Status), 1);
    /* A first query that matches nothing: NO_SUCH_FILE, an error, so even
     * a synchronous file's IO_STATUS_BLOCK is left alone (Windows, as
     * Wine's tests record); later ones say NO_MORE_FILES, a warning that
     * reports, also after a restart. */
    Dir = NtapiOpenRoot(TRUE);
    if (Dir == NULL)
        return;
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                            FALSE, L"nothing*.xyz", FALSE, &Iosb),
                 STATUS_NO_SUCH_FILE);
    CHECK_EQ(Iosb.Status, -1);
    CHECK_EQ(Iosb.Information, 77);
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                            FALSE, NULL, FALSE, &Iosb),
                 STATUS_NO_MORE_FILES);
    CHECK_STATUS(Iosb.Status, STATUS_NO_MORE_FILES);
    Iosb.Status = -1;
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                            FALSE, NULL, TRUE, &Iosb),
                 STATUS_NO_MORE_FILES);
    CHECK_STATUS(Iosb.Status, STATUS_NO_MORE_FILES);
    NtClose(Dir);
}

TEST(dirctl, single_entries_and_restart)
{
    const NTAPI_DIR_CLASS *Class = &NtapiDirClasses[5];
    IO_STATUS_BLOCK Iosb;
    HANDLE Dir = NtapiOpenRoot(TRUE);
    ULONG All, Count = 0;
    NTSTATUS Status;

    if (Dir == NULL)
        return;
    All = NtapiListAll(Dir, Class, FALSE);
    /* One record a query, from the start, to NO_MORE_FILES. */
    for (BOOLEAN Restart = TRUE; Count <= All; Restart = FALSE) {
        Status = NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer), TRUE,
                            NULL, Restart, &Iosb);
        if (Status != STATUS_SUCCESS)
            break;
        CHECK_EQ(NtapiGet32(NtapiDirBuffer, 0), 0);
        CHECK_EQ(Iosb.Information, Class->Name + NtapiGet32(NtapiDirBuffer, Class->NameLength));
        Count++;
    }
    CHECK_STATUS(Status, STATUS_NO_MORE_FILES);
    CHECK_STATUS(Iosb.Status, STATUS_NO_MORE_FILES);
    CHECK_EQ(Count, All);
    /* A later query's mask is ignored; one of a restart is not. */
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer), TRUE,
                            L"null.sys", TRUE, &Iosb),
                 STATUS_SUCCESS);
    CHECK(NtapiNameIs(Class, NtapiDirBuffer, L"null.sys"));
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer), TRUE,
                            L"*", FALSE, &Iosb),
                 STATUS_NO_MORE_FILES);
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer), TRUE,
                            NULL, TRUE, &Iosb),
                 STATUS_SUCCESS);
    CHECK(NtapiNameIs(Class, NtapiDirBuffer, L"null.sys"));
    NtClose(Dir);
}

TEST(dirctl, small_buffers)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Dir = NtapiOpenRoot(TRUE);
    const NTAPI_DIR_CLASS *Names = &NtapiDirClasses[5];
    ULONG First;

    if (Dir == NULL)
        return;
    /* Below each class's record: INFO_LENGTH_MISMATCH, nothing written. */
    for (ULONG i = 0; i < NTAPI_DIR_COUNT(NtapiDirClasses); i++) {
        memset(&Iosb, 0x55, sizeof(Iosb));
        memset(NtapiDirBuffer, 0x55, 8);
        CHECK_STATUS(NtapiQuery(Dir, NtapiDirClasses[i].Class, NtapiDirBuffer,
                                NtapiDirClasses[i].Size - 1, FALSE, NULL, TRUE, &Iosb),
                     STATUS_INFO_LENGTH_MISMATCH);
        CHECK_EQ(Iosb.Information, 0x5555555555555555ull);
        CHECK_EQ(NtapiGet32(NtapiDirBuffer, 0), 0x55555555);
    }
    /* The first entry does not fit: its fixed part and the name's start,
     * BUFFER_OVERFLOW, Information = Length; it stays for the next query. */
    memset(NtapiDirBuffer, 0x55, 64);
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, Names->Size, FALSE,
                            L"hello.exe", TRUE, &Iosb),
                 STATUS_BUFFER_OVERFLOW);
    CHECK_STATUS(Iosb.Status, STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(Iosb.Information, Names->Size);
    CHECK_EQ(NtapiGet32(NtapiDirBuffer, 0), 0);
    CHECK_EQ(NtapiGet32(NtapiDirBuffer, Names->NameLength), 9 * sizeof(WCHAR));
    CHECK_EQ(*(PWCHAR)(NtapiDirBuffer + Names->Name), L'h');
    CHECK_EQ(*(PWCHAR)(NtapiDirBuffer + Names->Name + 4), 0x5555);
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                            FALSE, NULL, FALSE, &Iosb),
                 STATUS_SUCCESS);
    CHECK(NtapiNameIs(Names, NtapiDirBuffer, L"hello.exe"));
    /* Room for one entry and a part of the next: the one, SUCCESS (a
     * restart with a name sets a new mask). */
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer), TRUE,
                            L"*", TRUE, &Iosb),
                 STATUS_SUCCESS);
    First = (ULONG)Iosb.Information;
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, ((First + 7) & ~7u) + 14,
                            FALSE, NULL, TRUE, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, First);
    CHECK_EQ(NtapiGet32(NtapiDirBuffer, 0), 0);
    NtClose(Dir);
}

TEST(dirctl, refused_arguments)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Dir = NtapiOpenRoot(TRUE), File, Event;
    static const ULONG BadClasses[] = {0, 4, 13, 36, 39, 1000};
    /* Object id (29), quota (32) and reparse point (33): the I/O manager
     * checks their records' sizes, the file system refuses the class. */
    static const ULONG FsClasses[3][2] = {{29, 72}, {32, 56}, {33, 16}};

    if (Dir == NULL)
        return;
    /* The class and the length come before the handle. */
    for (ULONG i = 0; i < NTAPI_DIR_COUNT(BadClasses); i++)
        CHECK_STATUS(NtapiQuery(NULL, BadClasses[i], NtapiDirBuffer, sizeof(NtapiDirBuffer), FALSE,
                                NULL, FALSE, &Iosb),
                     STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(
        NtapiQuery(NULL, FileNamesInformation, NtapiDirBuffer, 4, FALSE, NULL, FALSE, &Iosb),
        STATUS_INFO_LENGTH_MISMATCH);
    for (ULONG i = 0; i < 3; i++) {
        CHECK_STATUS(NtapiQuery(NULL, FsClasses[i][0], NtapiDirBuffer, FsClasses[i][1] - 1, FALSE,
                                NULL, FALSE, &Iosb),
                     STATUS_INFO_LENGTH_MISMATCH);
        Iosb.Status = -1;
        CHECK_STATUS(NtapiQuery(Dir, FsClasses[i][0], NtapiDirBuffer, FsClasses[i][1], FALSE, NULL,
                                TRUE, &Iosb),
                     STATUS_INVALID_INFO_CLASS);
        CHECK_EQ(Iosb.Status, -1);
    }
    CHECK_STATUS(NtapiQuery(NULL, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                            FALSE, NULL, FALSE, &Iosb),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(
        NtapiQuery(Dir, FileNamesInformation, NTAPI_BAD_POINTER, 4096, FALSE, NULL, FALSE, &Iosb),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer + 2, 256, FALSE, NULL, FALSE, &Iosb),
        STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NTAPI_READONLY_POINTER, 256, FALSE, NULL,
                            FALSE, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                            FALSE, NULL, FALSE, NTAPI_BAD_POINTER),
                 STATUS_ACCESS_VIOLATION);
    NtClose(Dir);
    /* A file is no directory (Windows' file systems: INVALID_PARAMETER). */
    if (CHECK_STATUS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, 0, &File),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtapiQuery(File, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                                FALSE, NULL, FALSE, &Iosb),
                     STATUS_INVALID_PARAMETER);
        CHECK_STATUS(NtNotifyChangeDirectoryFile(File, NULL, NULL, NULL, &Iosb, NtapiDirBuffer, 256,
                                                 FILE_NOTIFY_CHANGE_FILE_NAME, FALSE),
                     STATUS_INVALID_PARAMETER);
        NtClose(File);
    }
    /* Listing needs FILE_LIST_DIRECTORY; the handle must be a file. */
    if (CHECK_STATUS(NtapiOpenPath(L"\\SystemRoot", FILE_READ_ATTRIBUTES, FILE_OPEN,
                                   FILE_DIRECTORY_FILE, &Dir, &Iosb),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtapiQuery(Dir, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                                FALSE, NULL, FALSE, &Iosb),
                     STATUS_ACCESS_DENIED);
        NtClose(Dir);
    }
    Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    CHECK_STATUS(NtapiQuery(Event, FileNamesInformation, NtapiDirBuffer, sizeof(NtapiDirBuffer),
                            FALSE, NULL, FALSE, &Iosb),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(Event);
}

/* ---- asynchronous forms ---------------------------------------------------------------------- */

static ULONG NtapiDirApcCount;
static PVOID NtapiDirApcContext, NtapiDirApcIosb;

static VOID NTAPI NtapiDirApc(PVOID Context, PVOID IoStatusBlock, PVOID Reserved)
{
    NtapiDirApcCount++;
    NtapiDirApcContext = Context;
    NtapiDirApcIosb = IoStatusBlock;
    (void)Reserved;
}

TEST(dirctl, async_event_apc_iosb)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Zero = {.QuadPart = 0};
    UNICODE_STRING Mask = NtapiDirString(L"null.sys");
    HANDLE Dir = NtapiOpenRoot(FALSE);
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);

    if (Dir == NULL)
        return;
    /* The store answers at once: the event (reset at the start) set, the
     * IO_STATUS_BLOCK written, the APC queued. */
    NtapiDirApcCount = 0;
    memset(&Iosb, 0xcc, sizeof(Iosb));
    CHECK_STATUS(NtQueryDirectoryFile(Dir, Event, (PVOID)NtapiDirApc, (PVOID)0x4321, &Iosb,
                                      NtapiDirBuffer, sizeof(NtapiDirBuffer), FileNamesInformation,
                                      FALSE, &Mask, FALSE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 12 + 8 * sizeof(WCHAR));
    CHECK_EQ(NtapiDirApcCount, 0);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiDirApcCount, 1);
    CHECK(NtapiDirApcContext == (PVOID)0x4321 && NtapiDirApcIosb == &Iosb);
    /* NO_MORE_FILES is a warning: it reports like a success. */
    CHECK_STATUS(NtQueryDirectoryFile(Dir, Event, (PVOID)NtapiDirApc, (PVOID)0x4321, &Iosb,
                                      NtapiDirBuffer, sizeof(NtapiDirBuffer), FileNamesInformation,
                                      FALSE, NULL, FALSE),
                 STATUS_NO_MORE_FILES);
    CHECK_STATUS(Iosb.Status, STATUS_NO_MORE_FILES);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiDirApcCount, 2);
    NtClose(Event);
    NtClose(Dir);
}

/* A handle bound to a completion port: a query with an ApcContext queues
 * {key, ApcContext, status, bytes} there, as every completed request does. */
TEST(dirctl, completion_port_packet)
{
    struct {
        HANDLE Port;
        PVOID Key;
    } Binding;
    IO_STATUS_BLOCK Iosb, Packet;
    LARGE_INTEGER Zero = {.QuadPart = 0};
    ULONG_PTR Key = 0, Context = 0;
    UNICODE_STRING Mask = NtapiDirString(L"hello.exe");
    HANDLE Dir = NtapiOpenRoot(FALSE), Port;

    if (Dir == NULL)
        return;
    if (!CHECK_STATUS(
            NtCreateIoCompletion(&Port, 0x001F0003 /* IO_COMPLETION_ALL_ACCESS */, NULL, 0),
            STATUS_SUCCESS)) {
        NtClose(Dir);
        return;
    }
    Binding.Port = Port;
    Binding.Key = (PVOID)0x77;
    CHECK_STATUS(NtSetInformationFile(Dir, &Iosb, &Binding, sizeof(Binding),
                                      30 /* FileCompletionInformation */),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryDirectoryFile(Dir, NULL, NULL, (PVOID)0x99, &Iosb, NtapiDirBuffer,
                                      sizeof(NtapiDirBuffer), FileNamesInformation, FALSE, &Mask,
                                      FALSE),
                 STATUS_SUCCESS);
    if (CHECK_STATUS(NtRemoveIoCompletion(Port, &Key, &Context, &Packet, &Zero), STATUS_SUCCESS)) {
        CHECK(Key == 0x77 && Context == 0x99);
        CHECK_STATUS(Packet.Status, STATUS_SUCCESS);
        CHECK_EQ(Packet.Information, 12 + 9 * sizeof(WCHAR));
    }
    /* The end of the listing (NO_MORE_FILES, a warning) reports there too. */
    CHECK_STATUS(NtQueryDirectoryFile(Dir, NULL, NULL, (PVOID)0x98, &Iosb, NtapiDirBuffer,
                                      sizeof(NtapiDirBuffer), FileNamesInformation, FALSE, NULL,
                                      FALSE),
                 STATUS_NO_MORE_FILES);
    if (CHECK_STATUS(NtRemoveIoCompletion(Port, &Key, &Context, &Packet, &Zero), STATUS_SUCCESS))
        CHECK_STATUS(Packet.Status, STATUS_NO_MORE_FILES);
    NtClose(Dir);
    NtClose(Port);
}

/* The archive never changes: a notification pends until it is cancelled
 * (CANCELLED) or its handle closes (NOTIFY_CLEANUP). */
TEST(dirctl, notify_store_pends_until_cancel_or_close)
{
    IO_STATUS_BLOCK Iosb, Cancel;
    LARGE_INTEGER Zero = {.QuadPart = 0};
    HANDLE Dir = NtapiOpenRoot(FALSE);
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    if (Dir == NULL)
        return;
    CHECK_STATUS(
        NtNotifyChangeDirectoryFile(Dir, Event, NULL, NULL, &Iosb, NtapiDirBuffer, 256, 0, FALSE),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtNotifyChangeDirectoryFile(Dir, Event, NULL, NULL, &Iosb, NtapiDirBuffer, 256,
                                             0x1000, FALSE),
                 STATUS_INVALID_PARAMETER);
    memset(&Iosb, 0xcc, sizeof(Iosb));
    CHECK_STATUS(NtNotifyChangeDirectoryFile(Dir, Event, NULL, NULL, &Iosb, NtapiDirBuffer, 256,
                                             FILE_NOTIFY_CHANGE_FILE_NAME, TRUE),
                 STATUS_PENDING);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_TIMEOUT);
    CHECK_EQ(Iosb.Status, (NTSTATUS)0xcccccccc);
    CHECK_STATUS(NtCancelIoFile(Dir, &Cancel), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_CANCELLED);
    CHECK_EQ(Iosb.Information, 0);
    memset(&Iosb, 0xcc, sizeof(Iosb));
    CHECK_STATUS(NtNotifyChangeDirectoryFile(Dir, Event, NULL, NULL, &Iosb, NtapiDirBuffer, 256,
                                             FILE_NOTIFY_CHANGE_SIZE, FALSE),
                 STATUS_PENDING);
    NtClose(Dir);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_NOTIFY_CLEANUP);
    NtClose(Event);
}

/* A synchronous handle waits in the service; the waiting thread's end
 * cancels the notification (its IO_STATUS_BLOCK says CANCELLED). */
typedef struct _NTAPI_NOTIFY_WAITER {
    HANDLE Dir;
    IO_STATUS_BLOCK Iosb;
    volatile LONG Started;
} NTAPI_NOTIFY_WAITER;

static NTSTATUS NTAPI NtapiNotifyWaiter(PVOID Argument)
{
    NTAPI_NOTIFY_WAITER *Waiter = Argument;

    Waiter->Started = 1;
    return NtNotifyChangeDirectoryFile(Waiter->Dir, NULL, NULL, NULL, &Waiter->Iosb,
                                       NtapiDirBuffer + 4096, 256, FILE_NOTIFY_CHANGE_FILE_NAME,
                                       FALSE);
}

TEST(dirctl, notify_store_synchronous_waiter_ends)
{
    NTAPI_NOTIFY_WAITER Waiter = {.Dir = NtapiOpenRoot(TRUE)};
    HANDLE Thread;

    if (Waiter.Dir == NULL)
        return;
    memset(&Waiter.Iosb, 0xcc, sizeof(Waiter.Iosb));
    if (CHECK_STATUS(NtapiCreateThread(NtapiNotifyWaiter, &Waiter, 0, &Thread), STATUS_SUCCESS)) {
        for (ULONG i = 0; i < 1000 && !Waiter.Started; i++)
            NtapiYield(1);
        NtapiYield(20);
        CHECK_EQ(Waiter.Iosb.Status, (NTSTATUS)0xcccccccc); /* still waiting */
        CHECK_STATUS(NtTerminateThread(Thread, 0x5a), STATUS_SUCCESS);
        CHECK_STATUS(NtapiWaitThread(Thread), 0x5a);
        CHECK_STATUS(Waiter.Iosb.Status, STATUS_CANCELLED);
        NtClose(Thread);
    }
    NtClose(Waiter.Dir);
}

/* ---- a device: drivers/test/iotest -------------------------------------------------------------
 */

static HANDLE NtapiOpenIoTest(VOID)
{
    UNICODE_STRING Key = NtapiDirString(SERVICES L"IoTest");
    IO_STATUS_BLOCK Iosb;
    NTSTATUS Status = NtLoadDriver(&Key);
    HANDLE Handle;

    if (Status != STATUS_IMAGE_ALREADY_LOADED && !CHECK_STATUS(Status, STATUS_SUCCESS))
        return NULL;
    if (!CHECK_STATUS(NtapiOpenPath(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, FILE_OPEN, 0,
                                    &Handle, &Iosb),
                      STATUS_SUCCESS))
        return NULL;
    return Handle;
}

/* Wait for an asynchronous device request (5 s at most). */
static NTSTATUS NtapiDirWait(HANDLE Event, NTSTATUS Started, IO_STATUS_BLOCK *Iosb)
{
    LARGE_INTEGER Limit = {.QuadPart = -50000000};

    if (Started != STATUS_PENDING)
        return Started;
    if (NtWaitForSingleObject(Event, FALSE, &Limit) != STATUS_SUCCESS)
        return STATUS_IO_TIMEOUT;
    return Iosb->Status;
}

TEST(dirctl, device_query_through_iotest)
{
    static const struct {
        PCWSTR Name;
        LONGLONG Size;
        ULONG Attributes;
    } Entries[IOTEST_DIR_COUNT] = IOTEST_DIR_ENTRIES;
    const NTAPI_DIR_CLASS *Both = &NtapiDirClasses[3]; /* FileIdBothDirectoryInformation */
    IO_STATUS_BLOCK Iosb;
    UNICODE_STRING Mask = NtapiDirString(L"*.SYS");
    HANDLE Device = NtapiOpenIoTest(),
           Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    ULONG Offset = 0, Count;
    NTSTATUS Status;

    if (Device == NULL)
        return;
    Status = NtQueryDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer,
                                  sizeof(NtapiDirBuffer), FileIdBothDirectoryInformation, FALSE,
                                  NULL, TRUE);
    CHECK_STATUS(NtapiDirWait(Event, Status, &Iosb), STATUS_SUCCESS);
    Count = NtapiCheckChain(Both, NtapiDirBuffer, Iosb.Information);
    CHECK_EQ(Count, IOTEST_DIR_COUNT);
    for (ULONG i = 0; i < Count && i < IOTEST_DIR_COUNT; i++) {
        const UCHAR *Record = NtapiDirBuffer + Offset;
        CHECK(NtapiNameIs(Both, Record, Entries[i].Name));
        CHECK_EQ(NtapiGet64(Record, 40), Entries[i].Size);
        CHECK_EQ(NtapiGet64(Record, 48), (Entries[i].Size + 511) & ~511ll);
        CHECK_EQ(NtapiGet32(Record, 56), Entries[i].Attributes);
        CHECK_EQ(NtapiGet64(Record, 8), IOTEST_DIR_TIME + i);
        CHECK_EQ(NtapiGet64(Record, Both->FileId), i + 1);
        Offset += NtapiGet32(Record, 0);
    }
    Status = NtQueryDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer,
                                  sizeof(NtapiDirBuffer), FileNamesInformation, FALSE, NULL, FALSE);
    CHECK_STATUS(NtapiDirWait(Event, Status, &Iosb), STATUS_NO_MORE_FILES);
    NtClose(Device);
    /* The mask reaches the driver (a fresh handle: its first query). */
    Device = NtapiOpenIoTest();
    if (Device == NULL)
        return;
    Status = NtQueryDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer,
                                  sizeof(NtapiDirBuffer), FileNamesInformation, TRUE, &Mask, FALSE);
    CHECK_STATUS(NtapiDirWait(Event, Status, &Iosb), STATUS_SUCCESS);
    CHECK(NtapiNameIs(&NtapiDirClasses[5], NtapiDirBuffer, L"beta.sys"));
    Status = NtQueryDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer,
                                  sizeof(NtapiDirBuffer), FileNamesInformation, TRUE, NULL, FALSE);
    CHECK_STATUS(NtapiDirWait(Event, Status, &Iosb), STATUS_SUCCESS);
    CHECK(NtapiNameIs(&NtapiDirClasses[5], NtapiDirBuffer, L"gamma.sys"));
    Status = NtQueryDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer,
                                  sizeof(NtapiDirBuffer), FileNamesInformation, TRUE, NULL, FALSE);
    CHECK_STATUS(NtapiDirWait(Event, Status, &Iosb), STATUS_NO_MORE_FILES);
    Mask = NtapiDirString(L"nothing");
    Status = NtQueryDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer,
                                  sizeof(NtapiDirBuffer), FileNamesInformation, FALSE, &Mask, TRUE);
    CHECK_STATUS(NtapiDirWait(Event, Status, &Iosb), STATUS_NO_MORE_FILES);
    NtClose(Device);
    /* The driver's NO_SUCH_FILE for a fresh handle's first query. */
    Device = NtapiOpenIoTest();
    if (Device == NULL)
        return;
    CHECK_STATUS(NtQueryDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer,
                                      sizeof(NtapiDirBuffer), FileNamesInformation, FALSE, &Mask,
                                      FALSE),
                 STATUS_NO_SUCH_FILE);
    NtClose(Device);
    NtClose(Event);
}

/* A synchronous device handle waits in the service until the driver
 * completes the notification (another thread's touch). */
static NTSTATUS NTAPI NtapiDeviceNotifyWaiter(PVOID Argument)
{
    NTAPI_NOTIFY_WAITER *Waiter = Argument;

    Waiter->Started = 1;
    return NtNotifyChangeDirectoryFile(Waiter->Dir, NULL, NULL, NULL, &Waiter->Iosb,
                                       NtapiDirBuffer + 4096, 256, FILE_NOTIFY_CHANGE_SIZE, FALSE);
}

TEST(dirctl, device_notify_synchronous_until_touched)
{
    NTAPI_NOTIFY_WAITER Waiter = {0};
    IO_STATUS_BLOCK Iosb;
    FILE_NOTIFY_INFORMATION *Record = (FILE_NOTIFY_INFORMATION *)(NtapiDirBuffer + 4096);
    HANDLE Thread, Other = NtapiOpenIoTest(); /* another handle: a synchronous file's
                                               * requests go one at a time on Windows */
    ULONG_PTR Touched = 0;

    if (Other == NULL)
        return;
    if (!CHECK_STATUS(NtapiOpenPath(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, FILE_OPEN,
                                    FILE_SYNCHRONOUS_IO_NONALERT, &Waiter.Dir, &Iosb),
                      STATUS_SUCCESS)) {
        NtClose(Other);
        return;
    }
    memset(&Waiter.Iosb, 0xcc, sizeof(Waiter.Iosb));
    if (CHECK_STATUS(NtapiCreateThread(NtapiDeviceNotifyWaiter, &Waiter, 0, &Thread),
                     STATUS_SUCCESS)) {
        for (ULONG i = 0; i < 1000 && !Waiter.Started; i++)
            NtapiYield(1);
        /* Touch until the notification was there to complete (it may not
         * have reached the driver yet). */
        for (ULONG i = 0; i < 200 && Touched == 0; i++) {
            NtapiYield(2);
            if (!CHECK_STATUS(NtDeviceIoControlFile(Other, NULL, NULL, NULL, &Iosb,
                                                    IOCTL_IOTEST_TOUCH, NULL, 0, NULL, 0),
                              STATUS_SUCCESS))
                break;
            Touched = Iosb.Information;
        }
        CHECK_EQ(Touched, 1);
        CHECK_STATUS(NtapiWaitThread(Thread), STATUS_SUCCESS);
        CHECK_STATUS(Waiter.Iosb.Status, STATUS_SUCCESS);
        CHECK_EQ(Record->Action, FILE_ACTION_MODIFIED);
        NtClose(Thread);
    }
    NtClose(Waiter.Dir);
    NtClose(Other);
}

TEST(dirctl, device_notify_touch_cancel_close)
{
    IO_STATUS_BLOCK Iosb, Other;
    LARGE_INTEGER Zero = {.QuadPart = 0};
    FILE_NOTIFY_INFORMATION *Record = (FILE_NOTIFY_INFORMATION *)NtapiDirBuffer;
    UNICODE_STRING Touched = NtapiDirString(IOTEST_DIR_TOUCHED);
    HANDLE Device = NtapiOpenIoTest(),
           Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    NTSTATUS Status;

    if (Device == NULL)
        return;
    /* Pending until the driver sees a change (the touch). */
    memset(NtapiDirBuffer, 0, 256);
    CHECK_STATUS(NtNotifyChangeDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer, 256,
                                             FILE_NOTIFY_CHANGE_LAST_WRITE, TRUE),
                 STATUS_PENDING);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_TIMEOUT);
    CHECK_STATUS(NtDeviceIoControlFile(Device, NULL, NULL, NULL, &Other, IOCTL_IOTEST_TOUCH, NULL,
                                       0, NULL, 0),
                 STATUS_SUCCESS);
    CHECK_EQ(Other.Information, 1);
    CHECK_STATUS(NtapiDirWait(Event, STATUS_PENDING, &Iosb), STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 12 + Touched.Length);
    CHECK_EQ(Record->NextEntryOffset, 0);
    CHECK_EQ(Record->Action, FILE_ACTION_MODIFIED);
    CHECK_EQ(Record->FileNameLength, Touched.Length);
    CHECK(memcmp(Record->FileName, Touched.Buffer, Touched.Length) == 0);
    /* No room for the record: NOTIFY_ENUM_DIR. */
    Status = NtNotifyChangeDirectoryFile(Device, Event, NULL, NULL, &Iosb, NULL, 0,
                                         FILE_NOTIFY_CHANGE_FILE_NAME, FALSE);
    CHECK_STATUS(Status, STATUS_PENDING);
    CHECK_STATUS(NtDeviceIoControlFile(Device, NULL, NULL, NULL, &Other, IOCTL_IOTEST_TOUCH, NULL,
                                       0, NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiDirWait(Event, Status, &Iosb), STATUS_NOTIFY_ENUM_DIR);
    /* Cancelled. */
    memset(&Iosb, 0xcc, sizeof(Iosb));
    CHECK_STATUS(NtNotifyChangeDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer, 256,
                                             FILE_NOTIFY_CHANGE_FILE_NAME, FALSE),
                 STATUS_PENDING);
    CHECK_STATUS(NtCancelIoFile(Device, &Other), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_CANCELLED);
    /* The handle's close: the driver's cleanup ends it. */
    memset(&Iosb, 0xcc, sizeof(Iosb));
    CHECK_STATUS(NtNotifyChangeDirectoryFile(Device, Event, NULL, NULL, &Iosb, NtapiDirBuffer, 256,
                                             FILE_NOTIFY_CHANGE_FILE_NAME, FALSE),
                 STATUS_PENDING);
    NtClose(Device);
    CHECK_STATUS(NtapiDirWait(Event, STATUS_PENDING, &Iosb), STATUS_NOTIFY_CLEANUP);
    NtClose(Event);
}
