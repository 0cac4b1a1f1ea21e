/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The helpers of the driver tests (ntdriver.h): load a driver, open its
 * device, and I/O that waits for its completion with a bound so a driver
 * that never answers fails a test instead of hanging the suite.
 */
#include "ntdriver.h"

#define NTAPI_IO_WAIT_MS 10000

static SIZE_T NtapiDriverWideLength(PCWSTR s)
{
    SIZE_T n = 0;
    while (s[n])
        n++;
    return n;
}

static VOID NtapiDriverString(UNICODE_STRING *String, PCWSTR Text)
{
    String->Length = String->MaximumLength = (USHORT)(NtapiDriverWideLength(Text) * sizeof(WCHAR));
    String->Buffer = (PWSTR)Text;
}

NTSTATUS NtapiLoadDriver(PCWSTR Name)
{
    WCHAR Path[128] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";
    SIZE_T n = NtapiDriverWideLength(Path), i;
    UNICODE_STRING Key;
    for (i = 0; Name[i] && n + i + 1 < 128; i++)
        Path[n + i] = Name[i];
    Path[n + i] = 0;
    NtapiDriverString(&Key, Path);
    NTSTATUS Status = NtLoadDriver(&Key);
    return Status == STATUS_IMAGE_ALREADY_LOADED ? STATUS_SUCCESS : Status;
}

UNICODE_STRING NtapiUnicode(PCWSTR Text)
{
    UNICODE_STRING String;

    NtapiDriverString(&String, Text);
    return String;
}

NTSTATUS NtapiOpenDeviceEx(PCWSTR Path, ACCESS_MASK Access, ULONG ShareAccess, ULONG Options,
                           HANDLE *Handle)
{
    UNICODE_STRING Name = NtapiUnicode(Path);
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    *Handle = NULL;
    return NtCreateFile(Handle, Access, &Attributes, &Iosb, NULL, 0, ShareAccess, 1 /* FILE_OPEN */,
                        Options, NULL, 0);
}

NTSTATUS NtapiOpenDevice(PCWSTR Path, ACCESS_MASK Access, HANDLE *Handle)
{
    return NtapiOpenDeviceEx(Path, Access, 0x3 /* share read, write */, 0, Handle);
}

HANDLE NtapiLoadAndOpen(PCWSTR Driver, PCWSTR Device)
{
    HANDLE Handle = NULL;
    if (!CHECK_STATUS(NtapiLoadDriver(Driver), STATUS_SUCCESS))
        return NULL;
    if (!CHECK_STATUS(NtapiOpenDevice(Device, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &Handle),
                      STATUS_SUCCESS))
        return NULL;
    return Handle;
}

HANDLE NtapiCreateIoEvent(VOID)
{
    HANDLE Event = NULL;
    if (!NT_SUCCESS(NtCreateEvent(&Event, 0x1F0003 /* EVENT_ALL_ACCESS */, NULL,
                                  0 /* NotificationEvent */, FALSE)))
        return NULL;
    return Event;
}

/* Wait for an I/O started with Event; cancel it after Milliseconds. */
NTSTATUS NtapiFinishIo(HANDLE Handle, HANDLE Event, NTSTATUS Started, IO_STATUS_BLOCK *Iosb,
                       ULONG Milliseconds)
{
    LARGE_INTEGER Timeout;
    IO_STATUS_BLOCK CancelIosb;
    if (Started != STATUS_PENDING)
        return Started;
    Timeout.QuadPart = -(LONGLONG)Milliseconds * 10000;
    if (NtWaitForSingleObject(Event, FALSE, &Timeout) == STATUS_SUCCESS)
        return Iosb->Status;
    NtCancelIoFile(Handle, &CancelIosb);
    Timeout.QuadPart = -(LONGLONG)NTAPI_IO_WAIT_MS * 10000;
    NtWaitForSingleObject(Event, FALSE, &Timeout);
    return STATUS_IO_TIMEOUT;
}

NTSTATUS NtapiStartRead(HANDLE Handle, HANDLE Event, IO_STATUS_BLOCK *Iosb, PVOID Buffer,
                        ULONG Length)
{
    LARGE_INTEGER Offset = {0};
    Iosb->Status = -1;
    Iosb->Information = 0;
    return NtReadFile(Handle, Event, NULL, NULL, Iosb, Buffer, Length, &Offset, NULL);
}

NTSTATUS NtapiDeviceIoControl(HANDLE Handle, ULONG Code, PVOID In, ULONG InLength, PVOID Out,
                              ULONG OutLength, ULONG_PTR *Information)
{
    IO_STATUS_BLOCK Iosb = {0};
    HANDLE Event = NtapiCreateIoEvent();
    NTSTATUS Status =
        NtDeviceIoControlFile(Handle, Event, NULL, NULL, &Iosb, Code, In, InLength, Out, OutLength);
    Status = NtapiFinishIo(Handle, Event, Status, &Iosb, NTAPI_IO_WAIT_MS);
    if (Information)
        *Information = NT_ERROR(Status) ? 0 : Iosb.Information;
    if (Event)
        NtClose(Event);
    return Status;
}

NTSTATUS NtapiDeviceRead(HANDLE Handle, PVOID Buffer, ULONG Length, ULONG_PTR *Information)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Event = NtapiCreateIoEvent();
    NTSTATUS Status = NtapiStartRead(Handle, Event, &Iosb, Buffer, Length);
    Status = NtapiFinishIo(Handle, Event, Status, &Iosb, NTAPI_IO_WAIT_MS);
    if (Information)
        *Information = NT_ERROR(Status) ? 0 : Iosb.Information;
    if (Event)
        NtClose(Event);
    return Status;
}

NTSTATUS NtapiDeviceWrite(HANDLE Handle, const VOID *Buffer, ULONG Length, ULONG_PTR *Information)
{
    IO_STATUS_BLOCK Iosb = {0};
    LARGE_INTEGER Offset = {0};
    HANDLE Event = NtapiCreateIoEvent();
    NTSTATUS Status =
        NtWriteFile(Handle, Event, NULL, NULL, &Iosb, (PVOID)Buffer, Length, &Offset, NULL);
    Status = NtapiFinishIo(Handle, Event, Status, &Iosb, NTAPI_IO_WAIT_MS);
    if (Information)
        *Information = NT_ERROR(Status) ? 0 : Iosb.Information;
    if (Event)
        NtClose(Event);
    return Status;
}
