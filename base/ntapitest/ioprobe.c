/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What io-fuzz found in the I/O manager (iofuzz branch): a caller's
 * buffers are probed before anything is allocated for the request (a
 * huge length that runs into uncommitted memory is ACCESS_VIOLATION at
 * once, for buffered and direct transfers and control codes), and
 * FileFsDeviceInformation is the I/O manager's answer from the device
 * object. With drivers/misc/null and drivers/test/iotest.
 */
#include "ntfile.h"
#include "../../drivers/test/iotest/iotest.h"
#include <nt/memory.h>

#define IOPROBE_SERVICES        L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"
#define FileFsDeviceInformation 4
#define FILE_DEVICE_NULL        0x15
#define FILE_DEVICE_UNKNOWN     0x22

static UCHAR IoprobePage[4096] __attribute__((aligned(4096)));

static UNICODE_STRING IoprobeString(PCWSTR s)
{
    UNICODE_STRING u;
    USHORT n = 0;

    while (s[n])
        n++;
    u.Length = u.MaximumLength = n * sizeof(WCHAR);
    u.Buffer = (PWSTR)s;
    return u;
}

static BOOLEAN IoprobeOpen(PCWSTR Driver, PCWSTR Path, HANDLE *Handle)
{
    WCHAR Key[128] = IOPROBE_SERVICES;
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    NTSTATUS Status;
    ULONG n = 0, i = 0;

    while (Key[n])
        n++;
    while (Driver[i])
        Key[n++] = Driver[i++];
    Key[n] = 0;
    Name = IoprobeString(Key);
    Status = NtLoadDriver(&Name);
    if (Status != STATUS_IMAGE_ALREADY_LOADED && !CHECK_STATUS(Status, STATUS_SUCCESS))
        return FALSE;
    Name = IoprobeString(Path);
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    return CHECK_STATUS(NtCreateFile(Handle, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, 0,
                                     FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0),
                        STATUS_SUCCESS);
}

/* A reserved, uncommitted page right after a committed one. */
static PUCHAR IoprobeEdge(VOID)
{
    PVOID Base = NULL;
    SIZE_T Size = 2 * 4096;

    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE,
                                              PAGE_READWRITE),
                      STATUS_SUCCESS))
        return NULL;
    Size = 4096;
    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_COMMIT,
                                              PAGE_READWRITE),
                      STATUS_SUCCESS))
        return NULL;
    return Base;
}

static VOID IoprobeFree(PVOID Base)
{
    SIZE_T Size = 0;

    NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
}

TEST(ioprobe, device_information)
{
    struct {
        ULONG DeviceType, Characteristics;
    } Info = {~0u, ~0u};
    IO_STATUS_BLOCK Iosb = {.Status = -1};
    HANDLE File;

    if (!IoprobeOpen(L"Null", L"\\Device\\Null", &File))
        return;
    CHECK_STATUS(
        NtQueryVolumeInformationFile(File, &Iosb, &Info, sizeof(Info), FileFsDeviceInformation),
        STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, sizeof(Info));
    CHECK_EQ(Info.DeviceType, FILE_DEVICE_NULL);
    CHECK_STATUS(NtQueryVolumeInformationFile(File, &Iosb, &Info, 4, FileFsDeviceInformation),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryVolumeInformationFile(File, &Iosb, NTAPI_READONLY_POINTER, sizeof(Info),
                                              FileFsDeviceInformation),
                 STATUS_ACCESS_VIOLATION);
    NtClose(File);
    if (!IoprobeOpen(L"IoTest", L"\\Device\\IoTestBuffered", &File))
        return;
    CHECK_STATUS(
        NtQueryVolumeInformationFile(File, &Iosb, &Info, sizeof(Info), FileFsDeviceInformation),
        STATUS_SUCCESS);
    CHECK_EQ(Info.DeviceType, FILE_DEVICE_UNKNOWN);
    NtClose(File);
}

/* Lengths that run from a committed page into an uncommitted one, up to
 * 2^31: ACCESS_VIOLATION, and the same request with a length that fits
 * works. */
TEST(ioprobe, huge_lengths_fail_at_the_probe)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Zero = {.QuadPart = 0};
    PUCHAR Edge = IoprobeEdge();
    HANDLE Buffered, Direct;

    if (Edge == NULL)
        return;
    if (IoprobeOpen(L"IoTest", L"\\Device\\IoTestBuffered", &Buffered)) {
        CHECK_STATUS(NtReadFile(Buffered, NULL, NULL, NULL, &Iosb, Edge, 0x80000000u, &Zero, NULL),
                     STATUS_ACCESS_VIOLATION);
        CHECK_STATUS(NtReadFile(Buffered, NULL, NULL, NULL, &Iosb, Edge + 4000, 200, &Zero, NULL),
                     STATUS_ACCESS_VIOLATION);
        CHECK_STATUS(NtReadFile(Buffered, NULL, NULL, NULL, &Iosb, Edge, 4096, &Zero, NULL),
                     STATUS_SUCCESS);
        CHECK_EQ(Edge[4095], 0xFF);
        CHECK_STATUS(NtDeviceIoControlFile(Buffered, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO,
                                           Edge, 0xFFFFFFFFu, IoprobePage, 16),
                     STATUS_ACCESS_VIOLATION);
        CHECK_STATUS(NtDeviceIoControlFile(Buffered, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO,
                                           IoprobePage, 16, Edge + 8, 0x7FFFFFFFu),
                     STATUS_ACCESS_VIOLATION);
        CHECK_STATUS(NtDeviceIoControlFile(Buffered, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO,
                                           IoprobePage, 16, Edge + 8, 16),
                     STATUS_SUCCESS);
        NtClose(Buffered);
    }
    if (IoprobeOpen(L"IoTest", L"\\Device\\IoTestDirect", &Direct)) {
        CHECK_STATUS(NtReadFile(Direct, NULL, NULL, NULL, &Iosb, Edge, 0x80000000u, &Zero, NULL),
                     STATUS_ACCESS_VIOLATION);
        CHECK_STATUS(NtDeviceIoControlFile(Direct, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_FILL_OUT,
                                           NULL, 0, Edge + 100, 0x10000),
                     STATUS_ACCESS_VIOLATION);
        /* Read-only memory is no output buffer, also for direct I/O. */
        CHECK_STATUS(NtDeviceIoControlFile(Direct, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_FILL_OUT,
                                           NULL, 0, NTAPI_READONLY_POINTER, 16),
                     STATUS_ACCESS_VIOLATION);
        NtClose(Direct);
    }
    IoprobeFree(Edge);
}
