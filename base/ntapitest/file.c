/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The \SystemRoot file store and the file services: NtCreateFile and
 * NtOpenFile on good, missing, badly formed and nested names, dispositions
 * and accesses a read-only medium refuses (STATUS_MEDIA_WRITE_PROTECTED),
 * the argument checks Windows makes first, share access; NtReadFile at
 * offsets, at and past the end, at the current position of a synchronous
 * file; NtWriteFile; NtQueryInformationFile / NtSetInformationFile classes
 * and lengths with the IO_STATUS_BLOCK Windows fills.
 */
#include "ntfile.h"

static SIZE_T NtapiWideLength(PCWSTR s)
{
    SIZE_T n = 0;

    while (s[n])
        n++;
    return n;
}

static NTSTATUS NtapiCreate(PCWSTR Path, ACCESS_MASK Access, ULONG Share, ULONG Disposition,
                            ULONG Options, HANDLE *Handle, IO_STATUS_BLOCK *Iosb)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;

    Name.Length = Name.MaximumLength = (USHORT)(NtapiWideLength(Path) * sizeof(WCHAR));
    Name.Buffer = (PWSTR)Path;
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    *Handle = NULL;
    return NtCreateFile(Handle, Access, &Attributes, Iosb, NULL, 0, Share, Disposition, Options,
                        NULL, 0);
}

NTSTATUS NtapiOpenSystemFile(PCWSTR Name, ACCESS_MASK Access, ULONG Options, HANDLE *Handle)
{
    WCHAR Path[64] = L"\\SystemRoot\\";
    IO_STATUS_BLOCK Iosb;
    SIZE_T n = NtapiWideLength(Path), i;

    for (i = 0; Name[i] && n + i + 1 < 64; i++)
        Path[n + i] = Name[i];
    Path[n + i] = 0;
    return NtapiCreate(Path, Access, FILE_SHARE_READ, FILE_OPEN, Options, Handle, &Iosb);
}

static HANDLE NtapiOpenHello(ULONG Options)
{
    HANDLE Handle;

    if (!NT_SUCCESS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, Options, &Handle)))
        return NULL;
    return Handle;
}

static LONGLONG NtapiFileSize(HANDLE File)
{
    FILE_STANDARD_INFORMATION Info;
    IO_STATUS_BLOCK Iosb;

    if (!NT_SUCCESS(
            NtQueryInformationFile(File, &Iosb, &Info, sizeof(Info), FileStandardInformation)))
        return -1;
    return Info.EndOfFile.QuadPart;
}

/* ---- opening ------------------------------------------------------------------------------ */

TEST(file, open_good)
{
    IO_STATUS_BLOCK Iosb = {.Status = -1, .Information = 77};
    HANDLE Handle;

    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_GENERIC_READ, FILE_SHARE_READ,
                             FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, &Handle, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, FILE_OPENED);
    CHECK(Handle != NULL);
    CHECK_STATUS(NtClose(Handle), STATUS_SUCCESS);
}

TEST(file, open_any_case_and_system32)
{
    HANDLE A, B;

    CHECK_STATUS(NtapiOpenSystemFile(L"NTDLL.Dll", FILE_GENERIC_READ, 0, &A), STATUS_SUCCESS);
    CHECK_STATUS(NtapiOpenSystemFile(L"System32\\ntdll.dll", FILE_GENERIC_READ, 0, &B),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiFileSize(A), NtapiFileSize(B));
    NtClose(A);
    NtClose(B);
}

TEST(file, open_with_nt_open_file)
{
    UNICODE_STRING Name = {28, 28, (PWSTR)L"\\SystemRoot\\hello.exe"};
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle = NULL;

    Name.Length = Name.MaximumLength = 21 * sizeof(WCHAR);
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    CHECK_STATUS(NtOpenFile(&Handle, FILE_GENERIC_READ, &Attributes, &Iosb, FILE_SHARE_READ, 0),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, FILE_OPENED);
    NtClose(Handle);
}

TEST(file, open_missing)
{
    HANDLE Handle;

    CHECK_STATUS(NtapiOpenSystemFile(L"nosuch.exe", FILE_GENERIC_READ, 0, &Handle),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK(Handle == NULL);
}

TEST(file, open_bad_names)
{
    HANDLE Handle;

    CHECK_STATUS(NtapiOpenSystemFile(L"hel*o.exe", FILE_GENERIC_READ, 0, &Handle),
                 STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(NtapiOpenSystemFile(L"a\"b", FILE_GENERIC_READ, 0, &Handle),
                 STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(NtapiOpenSystemFile(L"nosuchdir\\hello.exe", FILE_GENERIC_READ, 0, &Handle),
                 STATUS_OBJECT_PATH_NOT_FOUND);
}

TEST(file, open_for_write_is_refused)
{
    HANDLE Handle;

    CHECK_STATUS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ | FILE_WRITE_DATA, 0, &Handle),
                 STATUS_MEDIA_WRITE_PROTECTED);
    CHECK(Handle == NULL);
}

TEST(file, create_dispositions)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_GENERIC_READ, 0, FILE_CREATE, 0,
                             &Handle, &Iosb),
                 STATUS_OBJECT_NAME_COLLISION);
    CHECK_STATUS(
        NtapiCreate(L"\\SystemRoot\\new.txt", FILE_GENERIC_READ, 0, FILE_CREATE, 0, &Handle, &Iosb),
        STATUS_MEDIA_WRITE_PROTECTED);
    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_GENERIC_READ, FILE_SHARE_READ,
                             FILE_OPEN_IF, 0, &Handle, &Iosb),
                 STATUS_SUCCESS);
    NtClose(Handle);
}

TEST(file, create_argument_checks)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    CHECK_STATUS(
        NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_GENERIC_READ, 0, 6, 0, &Handle, &Iosb),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(
        NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_GENERIC_READ, 8, FILE_OPEN, 0, &Handle, &Iosb),
        STATUS_INVALID_PARAMETER);
    /* Synchronous I/O needs SYNCHRONIZE. */
    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_READ_DATA, 0, FILE_OPEN,
                             FILE_SYNCHRONOUS_IO_NONALERT, &Handle, &Iosb),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_GENERIC_READ, 0, FILE_OPEN,
                             FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE, &Handle, &Iosb),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\hello.exe", FILE_GENERIC_READ, 0, FILE_OPEN,
                             FILE_DIRECTORY_FILE, &Handle, &Iosb),
                 STATUS_NOT_A_DIRECTORY);
}

TEST(file, share_violation)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE First, Second;

    if (!CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\ntfuzz.exe", FILE_GENERIC_READ, 0, FILE_OPEN, 0,
                                  &First, &Iosb),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\ntfuzz.exe", FILE_GENERIC_READ, FILE_SHARE_READ,
                             FILE_OPEN, 0, &Second, &Iosb),
                 STATUS_SHARING_VIOLATION);
    /* Attributes only: no conflict. */
    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\ntfuzz.exe", FILE_READ_ATTRIBUTES, 0, FILE_OPEN, 0,
                             &Second, &Iosb),
                 STATUS_SUCCESS);
    NtClose(Second);
    NtClose(First);
    CHECK_STATUS(NtapiCreate(L"\\SystemRoot\\ntfuzz.exe", FILE_GENERIC_READ, FILE_SHARE_READ,
                             FILE_OPEN, 0, &Second, &Iosb),
                 STATUS_SUCCESS);
    NtClose(Second);
}

/* ---- reading ------------------------------------------------------------------------------ */

TEST(file, read_at_offset)
{
    HANDLE File = NtapiOpenHello(0);
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0};
    UCHAR Buffer[16];
    ULONG Lfanew;

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 2, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 2);
    CHECK(Buffer[0] == 'M' && Buffer[1] == 'Z');
    Offset.QuadPart = 0x3c;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, &Lfanew, 4, &Offset, NULL),
                 STATUS_SUCCESS);
    Offset.QuadPart = Lfanew;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 4, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK(Buffer[0] == 'P' && Buffer[1] == 'E' && Buffer[2] == 0);
    NtClose(File);
}

TEST(file, read_at_and_past_end)
{
    HANDLE File = NtapiOpenHello(0);
    IO_STATUS_BLOCK Iosb = {.Information = 99};
    LARGE_INTEGER Offset;
    UCHAR Buffer[16];
    LONGLONG Size;

    if (!CHECK(File != NULL))
        return;
    Size = NtapiFileSize(File);
    CHECK(Size > 0x400);
    Offset.QuadPart = Size - 3;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 16, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 3); /* a short read at the end */
    Offset.QuadPart = Size;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 16, &Offset, NULL),
                 STATUS_END_OF_FILE);
    CHECK_EQ(Iosb.Status, STATUS_END_OF_FILE);
    CHECK_EQ(Iosb.Information, 0);
    Offset.QuadPart = Size + 0x10000;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 16, &Offset, NULL),
                 STATUS_END_OF_FILE);
    Offset.QuadPart = -5;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 16, &Offset, NULL),
                 STATUS_INVALID_PARAMETER);
    NtClose(File);
}

TEST(file, read_current_position)
{
    HANDLE File = NtapiOpenHello(FILE_SYNCHRONOUS_IO_NONALERT);
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Position;
    UCHAR Buffer[4];

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 1, NULL, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer + 1, 1, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK(Buffer[0] == 'M' && Buffer[1] == 'Z');
    CHECK_STATUS(
        NtQueryInformationFile(File, &Iosb, &Position, sizeof(Position), FilePositionInformation),
        STATUS_SUCCESS);
    CHECK_EQ(Position.QuadPart, 2);
    CHECK_EQ(Iosb.Information, sizeof(Position));
    NtClose(File);
}

TEST(file, read_without_offset_needs_synchronous_file)
{
    HANDLE File = NtapiOpenHello(0);
    IO_STATUS_BLOCK Iosb;
    UCHAR Buffer[4];

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 1, NULL, NULL),
                 STATUS_INVALID_PARAMETER);
    NtClose(File);
}

TEST(file, read_handle_checks)
{
    HANDLE File, Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0};
    UCHAR Buffer[4];

    CHECK_STATUS(NtReadFile(NULL, NULL, NULL, NULL, &Iosb, Buffer, 1, &Offset, NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtReadFile(Process, NULL, NULL, NULL, &Iosb, Buffer, 1, &Offset, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK_STATUS(NtapiOpenSystemFile(L"hello.exe", FILE_READ_ATTRIBUTES, 0, &File),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 1, &Offset, NULL),
                     STATUS_ACCESS_DENIED);
        NtClose(File);
    }
    NtClose(Process);
}

TEST(file, write_is_refused)
{
    HANDLE File = NtapiOpenHello(0);
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0};
    UCHAR Buffer[4] = {0};

    if (!CHECK(File != NULL))
        return;
    /* A read-only handle (the only kind the medium gives) may not write. */
    CHECK_STATUS(NtWriteFile(File, NULL, NULL, NULL, &Iosb, Buffer, 1, &Offset, NULL),
                 STATUS_ACCESS_DENIED);
    NtClose(File);
}

/* ---- information -------------------------------------------------------------------------- */

TEST(file, query_standard_and_internal)
{
    HANDLE A = NtapiOpenHello(0), B = NULL, C = NULL;
    FILE_STANDARD_INFORMATION Standard;
    LARGE_INTEGER Index[3];
    IO_STATUS_BLOCK Iosb;

    NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, 0, &B);
    NtapiOpenSystemFile(L"ntdll.dll", FILE_GENERIC_READ, 0, &C);
    if (!CHECK(A && B && C))
        goto out;
    CHECK_STATUS(
        NtQueryInformationFile(A, &Iosb, &Standard, sizeof(Standard), FileStandardInformation),
        STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 24);
    CHECK_EQ(Standard.NumberOfLinks, 1);
    CHECK(!Standard.Directory && !Standard.DeletePending);
    CHECK(Standard.AllocationSize.QuadPart >= Standard.EndOfFile.QuadPart);
    CHECK_STATUS(NtQueryInformationFile(A, &Iosb, &Index[0], 8, FileInternalInformation),
                 STATUS_SUCCESS);
    NtQueryInformationFile(B, &Iosb, &Index[1], 8, FileInternalInformation);
    NtQueryInformationFile(C, &Iosb, &Index[2], 8, FileInternalInformation);
    CHECK_EQ(Index[0].QuadPart, Index[1].QuadPart); /* one file */
    CHECK(Index[0].QuadPart != Index[2].QuadPart);
out:
    NtClose(A);
    NtClose(B);
    NtClose(C);
}

TEST(file, query_name)
{
    HANDLE File = NtapiOpenHello(0);
    IO_STATUS_BLOCK Iosb;
    struct {
        ULONG FileNameLength;
        WCHAR FileName[32];
    } Name;

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, &Name, sizeof(Name), FileNameInformation),
                 STATUS_SUCCESS);
    CHECK_EQ(Name.FileNameLength, 20);
    CHECK(memcmp(Name.FileName, L"\\hello.exe", 20) == 0);
    CHECK_EQ(Iosb.Information, 4 + 20);
    /* Too short for the name: what fits, and the full length. */
    memset(&Name, 0, sizeof(Name));
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, &Name, 10, FileNameInformation),
                 STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(Name.FileNameLength, 20);
    CHECK_EQ(Iosb.Status, STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(Iosb.Information, 10);
    CHECK(Name.FileName[0] == '\\' && Name.FileName[2] == 'e' && Name.FileName[3] == 0);
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, &Name, 7, FileNameInformation),
                 STATUS_INFO_LENGTH_MISMATCH);
    NtClose(File);
}

TEST(file, query_all)
{
    HANDLE File = NtapiOpenHello(FILE_SYNCHRONOUS_IO_NONALERT);
    IO_STATUS_BLOCK Iosb;
    UCHAR All[0x68 + 40];
    ULONG Value;

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, All, 0x67, FileAllInformation),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, All, sizeof(All), FileAllInformation),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0x64 + 20);
    memcpy(&Value, All + 0x4c, 4);
    CHECK_EQ(Value, FILE_GENERIC_READ); /* AccessFlags */
    memcpy(&Value, All + 0x58, 4);
    CHECK_EQ(Value, FILE_SYNCHRONOUS_IO_NONALERT); /* Mode */
    memcpy(&Value, All + 0x60, 4);
    CHECK_EQ(Value, 20);                                      /* FileNameLength */
    CHECK_EQ(*(LONGLONG *)(All + 0x30), NtapiFileSize(File)); /* Standard.EndOfFile */
    NtClose(File);
}

TEST(file, query_classes_and_handles)
{
    HANDLE File = NtapiOpenHello(0);
    IO_STATUS_BLOCK Iosb;
    UCHAR Buffer[64];

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, Buffer, sizeof(Buffer), 0),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, Buffer, sizeof(Buffer), 1000),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, Buffer, 39, FileBasicInformation),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationFile(File, &Iosb, Buffer, 40, FileBasicInformation),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryInformationFile(NULL, &Iosb, Buffer, 40, FileBasicInformation),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(
        NtQueryInformationFile(NtCurrentProcess(), &Iosb, Buffer, 40, FileBasicInformation),
        STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(File);
}

TEST(file, set_position)
{
    HANDLE File = NtapiOpenHello(FILE_SYNCHRONOUS_IO_NONALERT);
    IO_STATUS_BLOCK Iosb = {.Information = 5};
    LARGE_INTEGER Position = {.QuadPart = 0x3c};
    ULONG Lfanew = 0;

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtSetInformationFile(File, &Iosb, &Position, 8, FilePositionInformation),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, &Lfanew, 4, NULL, NULL), STATUS_SUCCESS);
    CHECK(Lfanew >= 0x40 && Lfanew < 0x400);
    Position.QuadPart = -1;
    CHECK_STATUS(NtSetInformationFile(File, &Iosb, &Position, 8, FilePositionInformation),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtSetInformationFile(File, &Iosb, &Position, 7, FilePositionInformation),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtSetInformationFile(File, &Iosb, &Position, 8, FileStandardInformation),
                 STATUS_INVALID_INFO_CLASS);
    /* Changing the times needs FILE_WRITE_ATTRIBUTES, which no handle has. */
    CHECK_STATUS(NtSetInformationFile(File, &Iosb, &Position, 40, FileBasicInformation),
                 STATUS_ACCESS_DENIED);
    NtClose(File);
}

/* ---- completion event ------------------------------------------------------------------------ */

#define NTAPI_NOTIFICATION_EVENT 0
#define NTAPI_EVENT_ALL_ACCESS   0x1F0003u

TEST(file, read_sets_event)
{
    HANDLE File = NtapiOpenHello(0), Event = NULL;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0}, Zero = {.QuadPart = 0};
    UCHAR Buffer[4];

    if (!CHECK(File != NULL))
        return;
    if (CHECK_STATUS(
            NtCreateEvent(&Event, NTAPI_EVENT_ALL_ACCESS, NULL, NTAPI_NOTIFICATION_EVENT, FALSE),
            STATUS_SUCCESS)) {
        CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_TIMEOUT);
        CHECK_STATUS(NtReadFile(File, Event, NULL, NULL, &Iosb, Buffer, 2, &Offset, NULL),
                     STATUS_SUCCESS);
        CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_SUCCESS);
        NtClose(Event);
    }
    /* The event must be an event. */
    CHECK_STATUS(NtReadFile(File, File, NULL, NULL, &Iosb, Buffer, 2, &Offset, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(File);
}

/* ---- bad pointers ---------------------------------------------------------------------------- */

static ULONG NtapiHandleCount(VOID)
{
    ULONG Count = 0;

    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &Count, sizeof(Count), NULL);
    return Count;
}

TEST(file, bad_pointers)
{
    UNICODE_STRING Name = {0, 0, (PWSTR)L"\\SystemRoot\\hello.exe"};
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb[2];
    LARGE_INTEGER Offset = {.QuadPart = 0};
    HANDLE File = NtapiOpenHello(0), Handle;
    ULONG Before = NtapiHandleCount();
    UCHAR Buffer[16];

    Name.Length = Name.MaximumLength = 21 * sizeof(WCHAR);
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    /* A handle that cannot be written back is never made. */
    CHECK_STATUS(NtOpenFile((PHANDLE)NTAPI_READONLY_POINTER, FILE_GENERIC_READ, &Attributes, Iosb,
                            FILE_SHARE_READ, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtOpenFile(&Handle, FILE_GENERIC_READ, &Attributes, NULL, FILE_SHARE_READ, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtOpenFile(&Handle, FILE_GENERIC_READ, NULL, Iosb, FILE_SHARE_READ, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiHandleCount(), Before);
    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, Iosb, NTAPI_KERNEL_POINTER, 4, &Offset, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, Iosb, NTAPI_BAD_POINTER, 4, &Offset, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, (PIO_STATUS_BLOCK)((UCHAR *)Iosb + 4), Buffer,
                            4, &Offset, NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(
        NtQueryInformationFile(File, Iosb, NTAPI_KERNEL_POINTER, 24, FileStandardInformation),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQueryInformationFile(File, NULL, Buffer, 8, FilePositionInformation),
                 STATUS_ACCESS_VIOLATION);
    NtClose(File);
}

/* ---- completion APC -------------------------------------------------------------------------- */

static PVOID NtapiApcContext, NtapiApcIosb;
static ULONG NtapiApcCalls;
static IO_STATUS_BLOCK NtapiApcSeen;

static VOID NTAPI NtapiReadApc(PVOID Context, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved)
{
    (void)Reserved;
    NtapiApcCalls++;
    NtapiApcContext = Context;
    NtapiApcIosb = IoStatusBlock;
    NtapiApcSeen = *IoStatusBlock;
}

TEST(file, read_queues_completion_apc)
{
    HANDLE File = NtapiOpenHello(0);
    IO_STATUS_BLOCK Iosb = {0};
    LARGE_INTEGER Offset = {.QuadPart = 0};
    UCHAR Buffer[4];

    if (!CHECK(File != NULL))
        return;
    NtapiApcCalls = 0;
    CHECK_STATUS(
        NtReadFile(File, NULL, (PVOID)NtapiReadApc, (PVOID)0x1234, &Iosb, Buffer, 3, &Offset, NULL),
        STATUS_SUCCESS);
    CHECK_EQ(NtapiApcCalls, 0); /* it waits for an alertable point */
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApcCalls, 1);
    CHECK(NtapiApcContext == (PVOID)0x1234);
    CHECK(NtapiApcIosb == &Iosb);
    CHECK_EQ(NtapiApcSeen.Status, STATUS_SUCCESS);
    CHECK_EQ(NtapiApcSeen.Information, 3);
    /* No APC for a read that did not happen. */
    CHECK_STATUS(NtReadFile(File, NULL, (PVOID)NtapiReadApc, NULL, &Iosb, NTAPI_KERNEL_POINTER, 3,
                            &Offset, NULL),
                 STATUS_ACCESS_VIOLATION);
    NtTestAlert();
    CHECK_EQ(NtapiApcCalls, 1);
    NtClose(File);
}
