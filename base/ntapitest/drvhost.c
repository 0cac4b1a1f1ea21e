/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver runtime (ntoskrnl/, branch drvhost): `ntoskrnl.exe -selftest`
 * run as an ordinary process, which loads the test drivers of
 * ntoskrnl/testdrv/ (good, truncated, wrong machine, missing import),
 * drives dhtest.sys through a request ring of its own and checks the IRP
 * routines on device stacks; its exit status is the number of failed checks,
 * each named on the debug output (ntoskrnl/io/selftest.h).
 */
#include "ntfile.h"
#include "pstest.h"

#include <nt/rtlps.h>

#define NTAPI_STRING(s)                                                                            \
    {                                                                                              \
        sizeof(s) - sizeof(WCHAR), sizeof(s), (PWSTR)(s)                                           \
    }

/* ntoskrnl.exe with CommandLine, started and waited for: its exit status. */
static NTSTATUS NtapiRunRuntime(PCWSTR CommandLine)
{
    UNICODE_STRING Image = NTAPI_STRING(u"\\SystemRoot\\System32\\ntoskrnl.exe");
    UNICODE_STRING Command;
    PRTL_USER_PROCESS_PARAMETERS P = NULL;
    RTL_USER_PROCESS_INFORMATION Info;
    NTSTATUS Status;

    RtlInitUnicodeString(&Command, CommandLine);
    Status =
        RtlCreateProcessParameters(&P, &Image, NULL, NULL, &Command, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, 0, P, NULL, NULL, NULL, FALSE, NULL, NULL, &Info);
    RtlDestroyProcessParameters(P);
    if (!NT_SUCCESS(Status))
        return Status;
    NtResumeThread(Info.ThreadHandle, NULL);
    Status = NtapiWaitProcess(Info.ProcessHandle);
    NtClose(Info.ThreadHandle);
    NtClose(Info.ProcessHandle);
    return Status;
}

TEST(drvhost, runtime_selftest)
{
    /* 0 failed checks. */
    CHECK_STATUS(NtapiRunRuntime(u"ntoskrnl.exe -selftest"), STATUS_SUCCESS);
}

TEST(drvhost, runtime_bad_command_line)
{
    /* Neither a driver to host nor the self-test: the runtime refuses. */
    CHECK_STATUS(NtapiRunRuntime(u"ntoskrnl.exe"), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiRunRuntime(u"ntoskrnl.exe dhtest.sys"), STATUS_INVALID_PARAMETER);
}

/* ---- driver processes (NtLoadDriver) ---------------------------------------------------- */

#define DRVHOST_SERVICES L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

#define DRVHOST_FILE_GENERIC_WRITE 0x00120116u
/* ntoskrnl/testdrv/dhtest.c: CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800/0x803, METHOD_BUFFERED, ANY) */
#define DHTEST_IOCTL_REVERSE 0x00222000u
#define DHTEST_IOCTL_SUM     0x0022200Cu

static NTSTATUS NtapiDriver(BOOLEAN Load, PCWSTR Key)
{
    UNICODE_STRING Name;

    RtlInitUnicodeString(&Name, Key);
    return Load ? NtLoadDriver(&Name) : NtUnloadDriver(&Name);
}

static NTSTATUS NtapiOpenDh(PCWSTR Path, HANDLE *Handle)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;

    RtlInitUnicodeString(&Name, Path);
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    *Handle = NULL;
    return NtCreateFile(Handle, FILE_GENERIC_READ | DRVHOST_FILE_GENERIC_WRITE, &Attributes, &Iosb,
                        NULL, 0, 0, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

/* The runtime cannot bind an import: the load fails with Windows' status
 * for it, the driver process ends, and the driver can be tried again. */
TEST(drvhost, load_missing_import)
{
    CHECK_STATUS(NtapiDriver(TRUE, DRVHOST_SERVICES L"dhnoimp"),
                 STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
    CHECK_STATUS(NtapiDriver(TRUE, DRVHOST_SERVICES L"dhnoimp"),
                 STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
}

/* DriverEntry's failure status is NtLoadDriver's. */
TEST(drvhost, load_failing_driver_entry)
{
    CHECK_STATUS(NtapiDriver(TRUE, DRVHOST_SERVICES L"dhfail"), STATUS_DEVICE_CONFIGURATION_ERROR);
    CHECK_STATUS(NtapiDriver(TRUE, DRVHOST_SERVICES L"dhfail"), STATUS_DEVICE_CONFIGURATION_ERROR);
    CHECK_STATUS(NtapiDriver(FALSE, DRVHOST_SERVICES L"dhfail"), STATUS_OBJECT_NAME_NOT_FOUND);
}

/* dhtest.sys (ntoskrnl/testdrv/) in its own process: buffered reads and
 * writes with their byte counts, METHOD_BUFFERED controls, its \?? link;
 * after the unload neither the device nor the link is left. */
TEST(drvhost, dhtest_device_io)
{
    UCHAR Buffer[16], Text[4] = {'a', 'b', 'c', 'd'}, Bytes[3] = {1, 2, 3};
    LARGE_INTEGER Offset = {.QuadPart = 5};
    IO_STATUS_BLOCK Iosb;
    HANDLE Device, Link;
    ULONG Sum = 0;

    if (!CHECK_STATUS(NtapiDriver(TRUE, DRVHOST_SERVICES L"dhtest"), STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtapiOpenDh(L"\\Device\\DhTest", &Device), STATUS_SUCCESS)) {
        CHECK_STATUS(
            NtReadFile(Device, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer), &Offset, NULL),
            STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, sizeof(Buffer));
        CHECK(Buffer[0] == 5 && Buffer[15] == 20);
        CHECK_STATUS(
            NtWriteFile(Device, NULL, NULL, NULL, &Iosb, Bytes, sizeof(Bytes), &Offset, NULL),
            STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, sizeof(Bytes));
        CHECK_STATUS(NtDeviceIoControlFile(Device, NULL, NULL, NULL, &Iosb, DHTEST_IOCTL_SUM, NULL,
                                           0, &Sum, sizeof(Sum)),
                     STATUS_SUCCESS);
        CHECK_EQ(Sum, 6);
        CHECK_STATUS(NtDeviceIoControlFile(Device, NULL, NULL, NULL, &Iosb, DHTEST_IOCTL_REVERSE,
                                           Text, sizeof(Text), Text, sizeof(Text)),
                     STATUS_SUCCESS);
        CHECK(Text[0] == 'd' && Text[3] == 'a');
        CHECK_STATUS(NtDeviceIoControlFile(Device, NULL, NULL, NULL, &Iosb, DHTEST_IOCTL_REVERSE,
                                           Text, sizeof(Text), Text, 2),
                     STATUS_BUFFER_TOO_SMALL);
        NtClose(Device);
    }
    if (CHECK_STATUS(NtapiOpenDh(L"\\??\\DhTest", &Link), STATUS_SUCCESS))
        NtClose(Link);
    CHECK_STATUS(NtapiDriver(TRUE, DRVHOST_SERVICES L"dhtest"), STATUS_IMAGE_ALREADY_LOADED);
    CHECK_STATUS(NtapiDriver(FALSE, DRVHOST_SERVICES L"dhtest"), STATUS_SUCCESS);
    CHECK_STATUS(NtapiOpenDh(L"\\Device\\DhTest", &Device), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtapiOpenDh(L"\\??\\DhTest", &Link), STATUS_OBJECT_NAME_NOT_FOUND);
}
