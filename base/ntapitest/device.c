/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device I/O: NtLoadDriver / NtUnloadDriver (missing, loaded twice,
 * unloaded and loaded again), opens of \Device\Null directly and through a
 * \?? link, synchronous reads and writes, queries, the I/O control codes
 * of drivers/test/iotest (buffered and direct 4 KiB reads, echo, access
 * bits, METHOD_NEITHER, bad buffers), asynchronous requests with event,
 * APC and IO_STATUS_BLOCK, NtCancelIoFile on a pending request, a driver
 * that crashes (its pending IRP fails, its devices go, it loads again),
 * and what the driver services say to a process that is no driver.
 */
#include "ntfile.h"
#include "synch.h"
#include "../../drivers/test/iotest/iotest.h"

#define FILE_WRITE_DATA_ACCESS   0x0002u
#define FILE_GENERIC_WRITE       0x00120116u
#define SYMBOLIC_LINK_ALL_ACCESS 0x000F0001u
#define FileFsDeviceInformation  4

#define SERVICES L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

static UNICODE_STRING NtapiDevString(PCWSTR s)
{
    UNICODE_STRING u;
    USHORT n = 0;

    while (s[n])
        n++;
    u.Length = u.MaximumLength = n * sizeof(WCHAR);
    u.Buffer = (PWSTR)s;
    return u;
}

static NTSTATUS NtapiLoad(PCWSTR Key)
{
    UNICODE_STRING Name = NtapiDevString(Key);

    return NtLoadDriver(&Name);
}

static NTSTATUS NtapiUnload(PCWSTR Key)
{
    UNICODE_STRING Name = NtapiDevString(Key);

    return NtUnloadDriver(&Name);
}

/* Load a driver this test needs; one already loaded will do. */
static BOOLEAN NtapiEnsureDriver(PCWSTR Key)
{
    NTSTATUS Status = NtapiLoad(Key);

    return Status == STATUS_IMAGE_ALREADY_LOADED || CHECK_STATUS(Status, STATUS_SUCCESS);
}

static NTSTATUS NtapiOpenDevice(PCWSTR Path, ACCESS_MASK Access, ULONG Options, HANDLE *Handle)
{
    UNICODE_STRING Name = NtapiDevString(Path);
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    *Handle = NULL;
    return NtCreateFile(Handle, Access, &Attributes, &Iosb, NULL, 0, 0, FILE_OPEN, Options, NULL,
                        0);
}

#define SYNC_OPTIONS FILE_SYNCHRONOUS_IO_NONALERT

/* ---- what works without a driver runtime ------------------------------------------------ */

TEST(device, load_missing_driver)
{
    CHECK_STATUS(NtapiLoad(SERVICES L"NoSuchDriver"), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtapiUnload(SERVICES L"NoSuchDriver"), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtLoadDriver(NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtLoadDriver(NTAPI_BAD_POINTER), STATUS_ACCESS_VIOLATION);
}

TEST(device, open_missing_device)
{
    HANDLE Handle;

    CHECK_STATUS(
        NtapiOpenDevice(L"\\Device\\NoSuchDevice", FILE_GENERIC_READ, SYNC_OPTIONS, &Handle),
        STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(device, driver_services_refuse_other_processes)
{
    UCHAR Info[1024];
    UNICODE_STRING Name = NtapiDevString(L"\\Device\\NtapiNotADriver");
    HANDLE Handle;

    CHECK_STATUS(NtDriverInitialize(Info, sizeof(Info)), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtDriverCreateDevice(&Name, 0x22, 0, 0, 1, &Handle), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtDriverDeleteDevice(NtCurrentProcess()), STATUS_ACCESS_DENIED);
}

/* The store (\SystemRoot) is no device: control codes, flushes and
 * cancels there. */
TEST(device, store_file_requests)
{
    IO_STATUS_BLOCK Iosb = {.Status = -1};
    HANDLE File;
    UCHAR Out[16];

    if (!CHECK_STATUS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, SYNC_OPTIONS, &File),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO, NULL, 0,
                                       Out, sizeof(Out)),
                 STATUS_INVALID_DEVICE_REQUEST);
    CHECK_STATUS(NtDeviceIoControlFile((HANDLE)0x1230, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO,
                                       NULL, 0, NULL, 0),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, NTAPI_BAD_POINTER, IOCTL_IOTEST_ECHO,
                                       NULL, 0, NULL, 0),
                 STATUS_ACCESS_VIOLATION);
    /* Flushing needs write access, which no store handle has. */
    CHECK_STATUS(NtFlushBuffersFile(File, &Iosb), STATUS_ACCESS_DENIED);
    Iosb.Status = -1;
    CHECK_STATUS(NtCancelIoFile(File, &Iosb), STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_SUCCESS);
    CHECK_STATUS(NtCancelIoFile((HANDLE)0x1230, &Iosb), STATUS_INVALID_HANDLE);
    NtClose(File);
}

/* ---- \Device\Null ---------------------------------------------------------------------- */

TEST(device, null_load_twice)
{
    if (!NtapiEnsureDriver(SERVICES L"Null"))
        return;
    CHECK_STATUS(NtapiLoad(SERVICES L"Null"), STATUS_IMAGE_ALREADY_LOADED);
    CHECK_STATUS(NtapiLoad(SERVICES L"NULL"), STATUS_IMAGE_ALREADY_LOADED);
}

TEST(device, null_read_write_query)
{
    IO_STATUS_BLOCK Iosb;
    FILE_STANDARD_INFORMATION Standard;
    UCHAR Buffer[64];
    HANDLE Null;

    if (!NtapiEnsureDriver(SERVICES L"Null") ||
        !CHECK_STATUS(NtapiOpenDevice(L"\\Device\\Null", FILE_GENERIC_READ | FILE_GENERIC_WRITE,
                                      SYNC_OPTIONS, &Null),
                      STATUS_SUCCESS))
        return;
    memset(&Iosb, 0xcc, sizeof(Iosb));
    CHECK_STATUS(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, Buffer, 10, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 10);
    memset(&Iosb, 0xcc, sizeof(Iosb));
    CHECK_STATUS(NtReadFile(Null, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer), NULL, NULL),
                 STATUS_END_OF_FILE);
    CHECK_EQ(Iosb.Information, 0);
    /* A zero-byte read: the round trip the benchmark measures. */
    CHECK_STATUS(NtReadFile(Null, NULL, NULL, NULL, &Iosb, Buffer, 0, NULL, NULL),
                 STATUS_END_OF_FILE);
    memset(&Standard, 0xcc, sizeof(Standard));
    CHECK_STATUS(
        NtQueryInformationFile(Null, &Iosb, &Standard, sizeof(Standard), FileStandardInformation),
        STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, sizeof(Standard));
    CHECK_EQ(Standard.EndOfFile.QuadPart, 0);
    /* The I/O manager's own classes; the rest is the driver's answer. */
    CHECK_STATUS(NtQueryInformationFile(Null, &Iosb, Buffer, 8, FilePositionInformation),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryInformationFile(Null, &Iosb, Buffer, 40, FileBasicInformation),
                 STATUS_INVALID_DEVICE_REQUEST);
    CHECK_STATUS(
        NtDeviceIoControlFile(Null, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO, NULL, 0, NULL, 0),
        STATUS_INVALID_DEVICE_REQUEST);
    /* The buffer is probed whatever the device's I/O method, as Windows does. */
    CHECK_STATUS(NtReadFile(Null, NULL, NULL, NULL, &Iosb, NTAPI_BAD_POINTER, 16, NULL, NULL),
                 STATUS_ACCESS_VIOLATION);
    NtClose(Null);
}

TEST(device, null_through_link)
{
    UNICODE_STRING LinkName = NtapiDevString(L"\\??\\NtapiNul"),
                   Target = NtapiDevString(L"\\Device\\Null");
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Link, Null;

    if (!NtapiEnsureDriver(SERVICES L"Null"))
        return;
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &LinkName;
    if (!CHECK_STATUS(
            NtCreateSymbolicLinkObject(&Link, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &Target),
            STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiOpenDevice(L"\\??\\NtapiNul", FILE_GENERIC_READ, SYNC_OPTIONS, &Null),
                 STATUS_SUCCESS);
    NtClose(Null);
    NtClose(Link);
}

TEST(device, null_unload_and_reload)
{
    HANDLE Null;

    if (!NtapiEnsureDriver(SERVICES L"Null"))
        return;
    CHECK_STATUS(NtapiUnload(SERVICES L"Null"), STATUS_SUCCESS);
    CHECK_STATUS(NtapiOpenDevice(L"\\Device\\Null", FILE_GENERIC_READ, SYNC_OPTIONS, &Null),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtapiUnload(SERVICES L"Null"), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtapiLoad(SERVICES L"Null"), STATUS_SUCCESS);
    if (CHECK_STATUS(NtapiOpenDevice(L"\\Device\\Null", FILE_GENERIC_READ, SYNC_OPTIONS, &Null),
                     STATUS_SUCCESS))
        NtClose(Null);
}

/* ---- drivers/test/iotest ------------------------------------------------------------------ */

static BOOLEAN NtapiCheckPattern(const UCHAR *Buffer, ULONG Length, ULONG Offset)
{
    for (ULONG i = 0; i < Length; i++)
        if (Buffer[i] != (UCHAR)(Offset + i))
            return CHECK_EQ(Buffer[i], (UCHAR)(Offset + i));
    return TRUE;
}

static UCHAR NtapiPage[2 * 4096] __attribute__((aligned(4096)));

static void NtapiRead4k(PCWSTR Device)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0x10};
    HANDLE File;

    if (!NtapiEnsureDriver(SERVICES L"IoTest") ||
        !CHECK_STATUS(NtapiOpenDevice(Device, FILE_GENERIC_READ, SYNC_OPTIONS, &File),
                      STATUS_SUCCESS))
        return;
    memset(NtapiPage, 0, sizeof(NtapiPage));
    /* Straddling a page boundary, at an offset. */
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, NtapiPage + 100, 4096, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 4096);
    NtapiCheckPattern(NtapiPage + 100, 4096, 0x10);
    CHECK_EQ(NtapiPage[99], 0);
    CHECK_EQ(NtapiPage[100 + 4096], 0);
    CHECK_STATUS(
        NtReadFile(File, NULL, NULL, NULL, &Iosb, NTAPI_READONLY_POINTER, 16, &Offset, NULL),
        STATUS_ACCESS_VIOLATION);
    NtClose(File);
}

TEST(device, read4k_buffered)
{
    NtapiRead4k(L"\\Device\\IoTestBuffered");
}

TEST(device, read4k_direct)
{
    NtapiRead4k(L"\\Device\\IoTestDirect");
}

TEST(device, ioctl_methods_and_access)
{
    IO_STATUS_BLOCK Iosb;
    char In[6] = "hello", Out[16];
    HANDLE Reader, Writer;

    if (!NtapiEnsureDriver(SERVICES L"IoTest") ||
        !CHECK_STATUS(
            NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, SYNC_OPTIONS, &Reader),
            STATUS_SUCCESS))
        return;
    memset(Out, 0, sizeof(Out));
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO, In, 6,
                                       Out, sizeof(Out)),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 6);
    CHECK(memcmp(Out, "hello", 6) == 0);
    /* FILE_READ_ACCESS / FILE_WRITE_ACCESS in the code against the handle. */
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEED_READ,
                                       NULL, 0, NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEED_WRITE,
                                       NULL, 0, NULL, 0),
                 STATUS_ACCESS_DENIED);
    if (CHECK_STATUS(
            NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_WRITE, SYNC_OPTIONS, &Writer),
            STATUS_SUCCESS)) {
        CHECK_STATUS(NtDeviceIoControlFile(Writer, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEED_WRITE,
                                           NULL, 0, NULL, 0),
                     STATUS_SUCCESS);
        CHECK_STATUS(NtDeviceIoControlFile(Writer, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEED_READ,
                                           NULL, 0, NULL, 0),
                     STATUS_ACCESS_DENIED);
        NtClose(Writer);
    }
    /* OUT_DIRECT: the caller's own pages. */
    memset(NtapiPage, 0, sizeof(NtapiPage));
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_FILL_OUT, NULL,
                                       0, NtapiPage + 4000, 200),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 200);
    CHECK(NtapiPage[4000] == 0x5a && NtapiPage[4199] == 0x5a && NtapiPage[4200] == 0);
    /* METHOD_NEITHER (its buffers mapped into the driver: neither.c); bad
     * buffers; a code the driver does not know. */
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEITHER, In, 6,
                                       NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEITHER, NULL,
                                       0, NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO, In, 6,
                                       NTAPI_READONLY_POINTER, 16),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO,
                                       NTAPI_BAD_POINTER, 6, Out, 16),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtDeviceIoControlFile(Reader, NULL, NULL, NULL, &Iosb, IOTEST_CTL(0x8ff, 0, 0),
                                       NULL, 0, NULL, 0),
                 STATUS_INVALID_DEVICE_REQUEST);
    NtClose(Reader);
    /* The rest of a name below a device goes to the driver's create. */
    if (CHECK_STATUS(NtapiOpenDevice(L"\\Device\\IoTestBuffered\\Below\\It", FILE_GENERIC_READ,
                                     SYNC_OPTIONS, &Reader),
                     STATUS_SUCCESS))
        NtClose(Reader);
}

static ULONG NtapiApcCount;
static PVOID NtapiApcContext, NtapiApcIosb;

static VOID NTAPI NtapiIoApc(PVOID Context, PVOID IoStatusBlock, PVOID Reserved)
{
    NtapiApcCount++;
    NtapiApcContext = Context;
    NtapiApcIosb = IoStatusBlock;
    (void)Reserved;
}

TEST(device, async_read_event_apc)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0}, Zero = {.QuadPart = 0};
    HANDLE File, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);

    if (!NtapiEnsureDriver(SERVICES L"IoTest") ||
        !CHECK_STATUS(NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, &File),
                      STATUS_SUCCESS))
        return;
    NtapiApcCount = 0;
    memset(&Iosb, 0xcc, sizeof(Iosb));
    /* The driver completes at once: the final status, the event set, the
     * IO_STATUS_BLOCK written, the APC queued for the next alertable point. */
    CHECK_STATUS(NtReadFile(File, Event, (PVOID)NtapiIoApc, (PVOID)0x1234, &Iosb, NtapiPage, 512,
                            &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 512);
    NtapiCheckPattern(NtapiPage, 512, 0);
    CHECK_EQ(NtapiApcCount, 0);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApcCount, 1);
    CHECK(NtapiApcContext == (PVOID)0x1234 && NtapiApcIosb == &Iosb);
    NtClose(Event);
    NtClose(File);
}

TEST(device, pending_cancel_and_release)
{
    IO_STATUS_BLOCK First, Second, Third, Iosb;
    LARGE_INTEGER Zero = {.QuadPart = 0}, Limit = {.QuadPart = -50000000};
    HANDLE File, Events[3];

    if (!NtapiEnsureDriver(SERVICES L"IoTest") ||
        !CHECK_STATUS(NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, &File),
                      STATUS_SUCCESS))
        return;
    for (ULONG i = 0; i < 3; i++)
        Events[i] = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    memset(&First, 0xcc, sizeof(First));
    CHECK_STATUS(NtDeviceIoControlFile(File, Events[0], NULL, NULL, &First, IOCTL_IOTEST_PEND, NULL,
                                       0, NULL, 0),
                 STATUS_PENDING);
    CHECK_STATUS(NtWaitForSingleObject(Events[0], FALSE, &Zero), STATUS_TIMEOUT);
    CHECK_EQ(First.Status, (NTSTATUS)0xcccccccc); /* untouched while pending */
    CHECK_STATUS(NtCancelIoFile(File, &Iosb), STATUS_SUCCESS);
    /* NtCancelIoFile returns once the cancelled request completed (Windows
     * waits for it): its event is set and its IO_STATUS_BLOCK written. */
    CHECK_STATUS(NtWaitForSingleObject(Events[0], FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(First.Status, STATUS_CANCELLED);
    /* Two pending requests completed by a third. */
    CHECK_STATUS(NtDeviceIoControlFile(File, Events[1], NULL, NULL, &Second, IOCTL_IOTEST_PEND,
                                       NULL, 0, NULL, 0),
                 STATUS_PENDING);
    CHECK_STATUS(NtDeviceIoControlFile(File, Events[2], NULL, NULL, &Third, IOCTL_IOTEST_PEND, NULL,
                                       0, NULL, 0),
                 STATUS_PENDING);
    CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_RELEASE, NULL, 0,
                                       NULL, 0),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 2);
    CHECK_STATUS(NtWaitForSingleObject(Events[1], FALSE, &Limit), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Events[2], FALSE, &Limit), STATUS_SUCCESS);
    CHECK_STATUS(Second.Status, STATUS_SUCCESS);
    CHECK_STATUS(Third.Status, STATUS_SUCCESS);
    for (ULONG i = 0; i < 3; i++)
        NtClose(Events[i]);
    NtClose(File);
}

/* iotest's count of the IRP_MJ_CLEANUP (Ends[0]) and IRP_MJ_CLOSE (Ends[1])
 * requests it has seen. */
static BOOLEAN NtapiFileEnds(HANDLE File, ULONG Ends[2])
{
    IO_STATUS_BLOCK Iosb;

    return CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_FILE_ENDS,
                                              NULL, 0, Ends, 2 * sizeof(ULONG)),
                        STATUS_SUCCESS);
}

/* IRP_MJ_CLEANUP goes when the file's last handle closes; IRP_MJ_CLOSE
 * when its last reference goes, here once a request that held it ends. */
TEST(device, cleanup_at_last_handle_close_at_last_reference)
{
    LARGE_INTEGER Limit = {.QuadPart = -50000000};
    ULONG Before[2] = {0}, OneLeft[2] = {0}, NoneLeft[2] = {0}, Released[2] = {0};
    IO_STATUS_BLOCK Pending, Iosb;
    HANDLE Watch, File, Copy = NULL, Event;

    if (!NtapiEnsureDriver(SERVICES L"IoTest") ||
        !CHECK_STATUS(NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, &Watch),
                      STATUS_SUCCESS))
        return;
    if (!CHECK_STATUS(NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, &File),
                      STATUS_SUCCESS)) {
        NtClose(Watch);
        return;
    }
    Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), File, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDeviceIoControlFile(File, Event, NULL, NULL, &Pending, IOCTL_IOTEST_PEND, NULL,
                                       0, NULL, 0),
                 STATUS_PENDING);
    NtapiFileEnds(Watch, Before);
    NtClose(File);
    NtapiFileEnds(Watch, OneLeft);
    CHECK_EQ(OneLeft[0], Before[0]); /* a handle is left */
    NtClose(Copy);
    NtapiFileEnds(Watch, NoneLeft);
    CHECK_EQ(NoneLeft[0], Before[0] + 1); /* the last handle: CLEANUP */
    CHECK_EQ(NoneLeft[1], Before[1]);     /* the pending request still holds the file */
    CHECK_STATUS(NtDeviceIoControlFile(Watch, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_RELEASE, NULL,
                                       0, NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Limit), STATUS_SUCCESS);
    NtapiFileEnds(Watch, Released);
    CHECK_EQ(Released[0], Before[0] + 1);
    CHECK_EQ(Released[1], Before[1] + 1); /* the last reference: CLOSE */
    NtClose(Event);
    NtClose(Watch);
}

TEST(device, crash_fails_irps_and_reloads)
{
    IO_STATUS_BLOCK Pending, Iosb;
    LARGE_INTEGER Limit = {.QuadPart = -50000000};
    HANDLE File, Sync, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    if (!NtapiEnsureDriver(SERVICES L"IoTest") ||
        !CHECK_STATUS(NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, &File),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiOpenDevice(L"\\Device\\IoTestDirect", FILE_GENERIC_READ, SYNC_OPTIONS, &Sync),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDeviceIoControlFile(File, Event, NULL, NULL, &Pending, IOCTL_IOTEST_PEND, NULL,
                                       0, NULL, 0),
                 STATUS_PENDING);
    CHECK_STATUS(
        NtDeviceIoControlFile(Sync, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_CRASH, NULL, 0, NULL, 0),
        STATUS_DRIVER_PROCESS_TERMINATED);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Limit), STATUS_SUCCESS);
    CHECK_STATUS(Pending.Status, STATUS_DRIVER_PROCESS_TERMINATED);
    /* Its devices are gone; handles still open fail their requests. */
    CHECK_STATUS(NtReadFile(Sync, NULL, NULL, NULL, &Iosb, NtapiPage, 16, NULL, NULL),
                 STATUS_DRIVER_PROCESS_TERMINATED);
    NtClose(Sync);
    NtClose(File);
    CHECK_STATUS(
        NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, SYNC_OPTIONS, &File),
        STATUS_OBJECT_NAME_NOT_FOUND);
    /* It loads again and works. */
    CHECK_STATUS(NtapiLoad(SERVICES L"IoTest"), STATUS_SUCCESS);
    if (CHECK_STATUS(
            NtapiOpenDevice(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, SYNC_OPTIONS, &File),
            STATUS_SUCCESS)) {
        CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, NtapiPage, 16, NULL, NULL),
                     STATUS_SUCCESS);
        NtClose(File);
    }
    NtClose(Event);
}
