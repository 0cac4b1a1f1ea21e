/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRPs between driver processes (ntos/io/xcall.c, ntoskrnl/io/xcall.c and
 * proxy.c): drivers/test/iofilter opens iotest's devices with
 * IoGetDeviceObjectPointer, builds IRPs of its own to them and waits, and
 * attaches filter devices over them, whose completion routine counts and
 * marks what comes back (iofilter.h). Through the filter: buffered and
 * direct reads and writes, the three transfer methods of control codes,
 * pending + cancel and release, the lower driver crashing while a
 * forwarded IRP pends, and the lower stack working again once the filter
 * is detached or unloaded. Plus what the services say to a process that
 * is no driver.
 */
#include "ntfile.h"
#include "ntdriver.h"
#include "synch.h"
#include "pstest.h"
#include "../../drivers/test/iotest/iotest.h"
#include "../../drivers/test/iofilter/iofilter.h"
#include "../../drivers/test/xcallbad/xcallbad.h"

#define SERVICES             L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"
#define XCALL_SYNC           FILE_SYNCHRONOUS_IO_NONALERT
#define XCALL_DO_BUFFERED_IO 0x4
#define XCALL_GENERIC_RW     (FILE_GENERIC_READ | 0x00120116u)
#define XCALL_MS(Ms)         (-10000LL * (Ms)) /* a relative time-out for NtapiWait */

static UCHAR XcallPage[2 * 4096] __attribute__((aligned(4096)));

static NTSTATUS XcallLoad(PCWSTR Name)
{
    UNICODE_STRING Key = NtapiUnicode(Name);

    return NtLoadDriver(&Key);
}

static BOOLEAN XcallEnsure(PCWSTR Name)
{
    NTSTATUS Status = XcallLoad(Name);

    return Status == STATUS_IMAGE_ALREADY_LOADED || CHECK_STATUS(Status, STATUS_SUCCESS);
}

/* A control code to Device. */
static NTSTATUS XcallControlAt(PCWSTR Device, ULONG Code, PVOID In, ULONG InLength, PVOID Out,
                               ULONG OutLength)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Control;
    NTSTATUS Status = NtapiOpenDeviceEx(Device, FILE_GENERIC_READ, 0, XCALL_SYNC, &Control);

    if (!NT_SUCCESS(Status))
        return Status;
    Status =
        NtDeviceIoControlFile(Control, NULL, NULL, NULL, &Iosb, Code, In, InLength, Out, OutLength);
    NtClose(Control);
    return Status;
}

/* A control code to \Device\IoFilterCtl. */
static NTSTATUS XcallControl(ULONG Code, PVOID In, ULONG InLength, PVOID Out, ULONG OutLength)
{
    return XcallControlAt(L"\\Device\\IoFilterCtl", Code, In, InLength, Out, OutLength);
}

static NTSTATUS XcallAttach(ULONG Which)
{
    return XcallControl(IOCTL_IOFILTER_ATTACH, &Which, sizeof(Which), NULL, 0);
}

static NTSTATUS XcallDetach(ULONG Which)
{
    return XcallControl(IOCTL_IOFILTER_DETACH, &Which, sizeof(Which), NULL, 0);
}

static IOFILTER_COUNTS XcallCounts(VOID)
{
    IOFILTER_COUNTS Counts;

    memset(&Counts, 0, sizeof(Counts));
    CHECK_STATUS(XcallControl(IOCTL_IOFILTER_COUNTS, NULL, 0, &Counts, sizeof(Counts)),
                 STATUS_SUCCESS);
    return Counts;
}

/* Both drivers loaded, and the filter over Which attached. */
static BOOLEAN XcallSetUp(ULONG Which)
{
    if (!XcallEnsure(SERVICES L"IoTest") || !XcallEnsure(SERVICES L"IoFilter"))
        return FALSE;
    return CHECK_STATUS(XcallAttach(Which), STATUS_SUCCESS);
}

static BOOLEAN XcallCheckPattern(const UCHAR *Buffer, ULONG Length, ULONG Offset)
{
    for (ULONG i = 0; i < Length; i++)
        if (Buffer[i] != (UCHAR)(Offset + i))
            return CHECK_EQ(Buffer[i], (UCHAR)(Offset + i));
    return TRUE;
}

/* The counts of IRP_MJ_CLEANUP and IRP_MJ_CLOSE iotest saw. */
static VOID XcallFileEnds(ULONG Ends[2])
{
    IO_STATUS_BLOCK Iosb;
    HANDLE File;

    Ends[0] = Ends[1] = 0;
    if (!CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestDirect", FILE_GENERIC_READ, 0, XCALL_SYNC, &File),
            STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_FILE_ENDS, NULL,
                                       0, Ends, 2 * sizeof(ULONG)),
                 STATUS_SUCCESS);
    NtClose(File);
}

/* Wait (1 s at most) until iotest saw Cleanups and Closes more than Before:
 * the ends of a file opened through the filter come to it from another
 * process, a moment after NtClose returned. */
static BOOLEAN XcallWaitFileEnds(const ULONG Before[2], ULONG Cleanups, ULONG Closes)
{
    LARGE_INTEGER Pause = {.QuadPart = XCALL_MS(10)};
    ULONG Now[2], Try;

    /* Each look opens a file of its own, which the next look counts. */
    for (Try = 0; Try < 100; Try++) {
        XcallFileEnds(Now);
        if (Now[0] - Before[0] - Try >= Cleanups && Now[1] - Before[1] - Try >= Closes)
            break;
        NtDelayExecution(FALSE, &Pause);
    }
    CHECK_EQ(Now[0] - Before[0] - Try, Cleanups);
    return CHECK_EQ(Now[1] - Before[1] - Try, Closes);
}

/* ---- a driver's own IRPs to another process's device ------------------------------------ */

TEST(xcall, open_and_build_irps)
{
    static const UCHAR In[16] = "cross-process!!";
    IOFILTER_BUILT Built;
    ULONG Before[2], After[2];

    if (!XcallEnsure(SERVICES L"IoTest") || !XcallEnsure(SERVICES L"IoFilter"))
        return;
    XcallFileEnds(Before);
    memset(&Built, 0, sizeof(Built));
    if (!CHECK_STATUS(
            XcallControl(IOCTL_IOFILTER_BUILD, (PVOID)In, sizeof(In), &Built, sizeof(Built)),
            STATUS_SUCCESS))
        return;
    /* The proxy shows what ntos knows of \Device\IoTestBuffered. */
    CHECK_EQ(Built.DeviceType, 0x22);
    CHECK(Built.DeviceFlags & XCALL_DO_BUFFERED_IO);
    CHECK_EQ(Built.StackSize, 1);
    CHECK_STATUS(Built.EchoStatus, STATUS_SUCCESS);
    CHECK_EQ(Built.EchoInformation, 16);
    CHECK(memcmp(Built.Echo, In, sizeof(In)) == 0);
    CHECK_STATUS(Built.ReadStatus, STATUS_SUCCESS);
    CHECK_EQ(Built.ReadInformation, 16);
    XcallCheckPattern(Built.Read, 16, 5);
    /* Dropping the file object closed the open: its own open of the
     * counter adds one cleanup and one close, the driver's one each. */
    XcallFileEnds(After);
    CHECK_EQ(After[0] - Before[0], 2);
    CHECK_EQ(After[1] - Before[1], 2);
}

/* ---- through a filter in another process ------------------------------------------------- */

TEST(xcall, filter_buffered_read_write)
{
    IOFILTER_COUNTS Before, After;
    LARGE_INTEGER Offset = {.QuadPart = 7};
    IO_STATUS_BLOCK Iosb;
    ULONG Ends[2];
    HANDLE File;

    if (!XcallSetUp(0))
        return;
    XcallFileEnds(Ends);
    Before = XcallCounts();
    if (CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", XCALL_GENERIC_RW, 0, XCALL_SYNC, &File),
            STATUS_SUCCESS)) {
        memset(XcallPage, 0, sizeof(XcallPage));
        CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, XcallPage, 100, &Offset, NULL),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 100);
        CHECK_EQ(XcallPage[0], IOFILTER_MARK); /* the filter's completion routine ran */
        XcallCheckPattern(XcallPage + 1, 99, 8);
        CHECK_EQ(XcallPage[100], 0);
        /* A write reaches iotest with its data (it checks the pattern). */
        for (ULONG i = 0; i < 300; i++)
            XcallPage[i] = (UCHAR)(7 + i);
        CHECK_STATUS(NtWriteFile(File, NULL, NULL, NULL, &Iosb, XcallPage, 300, &Offset, NULL),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 300);
        XcallPage[200] ^= 1;
        CHECK_STATUS(NtWriteFile(File, NULL, NULL, NULL, &Iosb, XcallPage, 300, &Offset, NULL),
                     STATUS_DATA_ERROR);
        /* create, read, write, write went down and came back */
        After = XcallCounts();
        CHECK_EQ(After.Forwarded - Before.Forwarded, 4);
        CHECK_EQ(After.Completed - Before.Completed, 4);
        CHECK_STATUS(After.LastStatus, STATUS_DATA_ERROR);
        NtClose(File);
        /* The filter passed the open's cleanup and close down too (and
         * the counter's own open adds one of each). */
        XcallWaitFileEnds(Ends, 2, 2);
    }
    CHECK_STATUS(XcallDetach(0), STATUS_SUCCESS);
}

TEST(xcall, filter_direct_read_write)
{
    LARGE_INTEGER Offset = {.QuadPart = 0x10};
    IO_STATUS_BLOCK Iosb;
    HANDLE File;

    if (!XcallSetUp(1))
        return;
    if (CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestDirect", XCALL_GENERIC_RW, 0, XCALL_SYNC, &File),
            STATUS_SUCCESS)) {
        memset(XcallPage, 0, sizeof(XcallPage));
        /* Straddling a page boundary: the caller's pages are mapped into
         * the filter, and from there into iotest. */
        CHECK_STATUS(
            NtReadFile(File, NULL, NULL, NULL, &Iosb, XcallPage + 100, 4096, &Offset, NULL),
            STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 4096);
        CHECK_EQ(XcallPage[100], IOFILTER_MARK);
        XcallCheckPattern(XcallPage + 101, 4095, 0x11);
        CHECK_EQ(XcallPage[99], 0);
        CHECK_EQ(XcallPage[100 + 4096], 0);
        for (ULONG i = 0; i < 5000; i++)
            XcallPage[i] = (UCHAR)(0x10 + i);
        CHECK_STATUS(NtWriteFile(File, NULL, NULL, NULL, &Iosb, XcallPage, 5000, &Offset, NULL),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 5000);
        NtClose(File);
    }
    CHECK_STATUS(XcallDetach(1), STATUS_SUCCESS);
}

TEST(xcall, filter_ioctl_methods)
{
    IO_STATUS_BLOCK Iosb;
    char In[6] = "hello", Out[16];
    UCHAR Data[64];
    ULONG Sum = 0;
    HANDLE File;

    if (!XcallSetUp(0))
        return;
    if (CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, XCALL_SYNC, &File),
            STATUS_SUCCESS)) {
        /* METHOD_BUFFERED: the filter marks the first byte of the echo. */
        memset(Out, 0, sizeof(Out));
        CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO, In, 6,
                                           Out, sizeof(Out)),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 6);
        CHECK_EQ((UCHAR)Out[0], IOFILTER_MARK);
        CHECK(memcmp(Out + 1, "ello", 5) == 0);
        /* METHOD_OUT_DIRECT: iotest fills the caller's pages. */
        memset(XcallPage, 0, sizeof(XcallPage));
        CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_FILL_OUT,
                                           NULL, 0, XcallPage + 4000, 200),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 200);
        CHECK_EQ(XcallPage[4000], 0x5a);
        CHECK_EQ(XcallPage[4199], 0x5a);
        CHECK_EQ(XcallPage[4200], 0);
        /* METHOD_IN_DIRECT: iotest reads them. */
        for (ULONG i = 0; i < sizeof(Data); i++)
            Sum += Data[i] = (UCHAR)(3 * i + 1);
        CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_SUM_IN, NULL,
                                           0, Data, sizeof(Data)),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, Sum);
        /* METHOD_NEITHER with buffers cannot cross: refused at the filter's call. */
        CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEITHER,
                                           NULL, 0, NULL, 0),
                     STATUS_SUCCESS);
        CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOTEST_CTL(0x8ff, 0, 0),
                                           NULL, 0, NULL, 0),
                     STATUS_INVALID_DEVICE_REQUEST);
        CHECK_EQ(XcallCounts().LastStatus, STATUS_INVALID_DEVICE_REQUEST);
        NtClose(File);
    }
    CHECK_STATUS(XcallDetach(0), STATUS_SUCCESS);
}

TEST(xcall, filter_pending_cancel_and_release)
{
    IO_STATUS_BLOCK First, Second, Iosb;
    HANDLE File, Other, Events[2];
    IOFILTER_COUNTS Before;

    if (!XcallSetUp(0))
        return;
    Before = XcallCounts();
    Events[0] = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    Events[1] = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    if (CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, 0, &File),
                     STATUS_SUCCESS)) {
        First.Status = Second.Status = -1;
        CHECK_STATUS(NtDeviceIoControlFile(File, Events[0], NULL, NULL, &First, IOCTL_IOTEST_PEND,
                                           NULL, 0, NULL, 0),
                     STATUS_PENDING);
        CHECK_STATUS(NtapiWait(Events[0], XCALL_MS(200)), STATUS_TIMEOUT);
        /* The cancel goes to the filter, and from it to iotest. */
        CHECK_STATUS(NtCancelIoFile(File, &Iosb), STATUS_SUCCESS);
        CHECK_STATUS(NtapiWait(Events[0], XCALL_MS(5000)), STATUS_SUCCESS);
        CHECK_STATUS(First.Status, STATUS_CANCELLED);
        /* Pending, then released from another handle (also through the filter). */
        CHECK_STATUS(NtDeviceIoControlFile(File, Events[1], NULL, NULL, &Second, IOCTL_IOTEST_PEND,
                                           NULL, 0, NULL, 0),
                     STATUS_PENDING);
        if (CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0,
                                           XCALL_SYNC, &Other),
                         STATUS_SUCCESS)) {
            CHECK_STATUS(NtDeviceIoControlFile(Other, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_RELEASE,
                                               NULL, 0, NULL, 0),
                         STATUS_SUCCESS);
            CHECK_EQ(Iosb.Information, 1);
            NtClose(Other);
        }
        CHECK_STATUS(NtapiWait(Events[1], XCALL_MS(5000)), STATUS_SUCCESS);
        CHECK_STATUS(Second.Status, STATUS_SUCCESS);
        NtClose(File);
    }
    /* Both pended IRPs came back through the completion routine pending. */
    CHECK(XcallCounts().PendingSeen - Before.PendingSeen >= 2);
    NtClose(Events[0]);
    NtClose(Events[1]);
    CHECK_STATUS(XcallDetach(0), STATUS_SUCCESS);
}

TEST(xcall, filter_lower_crash)
{
    IO_STATUS_BLOCK Pending, Iosb;
    HANDLE File, Sync, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    if (!XcallSetUp(0))
        return;
    if (CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, 0, &File),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, XCALL_SYNC, &Sync),
            STATUS_SUCCESS);
        CHECK_STATUS(NtDeviceIoControlFile(File, Event, NULL, NULL, &Pending, IOCTL_IOTEST_PEND,
                                           NULL, 0, NULL, 0),
                     STATUS_PENDING);
        /* iotest faults on a request the filter forwarded: both forwarded
         * IRPs come back to the filter failed, and from it to us. */
        CHECK_STATUS(NtDeviceIoControlFile(Sync, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_CRASH, NULL,
                                           0, NULL, 0),
                     STATUS_DRIVER_PROCESS_TERMINATED);
        CHECK_STATUS(NtapiWait(Event, XCALL_MS(5000)), STATUS_SUCCESS);
        CHECK_STATUS(Pending.Status, STATUS_DRIVER_PROCESS_TERMINATED);
        /* The filter is alive; what is below it is gone. */
        CHECK_STATUS(NtReadFile(Sync, NULL, NULL, NULL, &Iosb, XcallPage, 16, NULL, NULL),
                     STATUS_NO_SUCH_DEVICE);
        NtClose(Sync);
        NtClose(File);
    }
    NtClose(Event);
    CHECK_STATUS(XcallDetach(0), STATUS_SUCCESS);
    CHECK_STATUS(XcallLoad(SERVICES L"IoTest"), STATUS_SUCCESS);
    /* Attached to the new iotest, the filter works again. */
    if (CHECK_STATUS(XcallAttach(0), STATUS_SUCCESS)) {
        if (CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0,
                                           XCALL_SYNC, &File),
                         STATUS_SUCCESS)) {
            CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, XcallPage, 16, NULL, NULL),
                         STATUS_SUCCESS);
            CHECK_EQ(XcallPage[0], IOFILTER_MARK);
            NtClose(File);
        }
        CHECK_STATUS(XcallDetach(0), STATUS_SUCCESS);
    }
}

static VOID XcallReadPlain(PCWSTR Device, ULONG Offset)
{
    LARGE_INTEGER At = {.QuadPart = Offset};
    IO_STATUS_BLOCK Iosb;
    HANDLE File;

    if (!CHECK_STATUS(NtapiOpenDeviceEx(Device, FILE_GENERIC_READ, 0, XCALL_SYNC, &File),
                      STATUS_SUCCESS))
        return;
    memset(XcallPage, 0, 32);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, XcallPage, 32, &At, NULL),
                 STATUS_SUCCESS);
    XcallCheckPattern(XcallPage, 32, Offset); /* no mark: no filter */
    NtClose(File);
}

TEST(xcall, filter_detach_and_unload)
{
    IOFILTER_COUNTS Before, After;
    UNICODE_STRING Key = NtapiUnicode(SERVICES L"IoFilter");

    if (!XcallSetUp(0))
        return;
    CHECK_STATUS(XcallAttach(0), STATUS_DEVICE_ALREADY_ATTACHED);
    CHECK_STATUS(XcallDetach(0), STATUS_SUCCESS);
    CHECK_STATUS(XcallDetach(0), STATUS_INVALID_DEVICE_STATE);
    Before = XcallCounts();
    XcallReadPlain(L"\\Device\\IoTestBuffered", 3);
    After = XcallCounts();
    CHECK_EQ(After.Forwarded, Before.Forwarded); /* nothing went through the filter */
    /* Unloaded while attached: its DriverUnload detaches. */
    CHECK_STATUS(XcallAttach(1), STATUS_SUCCESS);
    CHECK_STATUS(NtUnloadDriver(&Key), STATUS_SUCCESS);
    XcallReadPlain(L"\\Device\\IoTestDirect", 9);
    CHECK_STATUS(
        NtapiOpenDeviceEx(L"\\Device\\IoFilterCtl", FILE_GENERIC_READ, 0, XCALL_SYNC, &(HANDLE){0}),
        STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(XcallLoad(SERVICES L"IoFilter"), STATUS_SUCCESS);
}

TEST(xcall, filter_crash_cancels_forwarded)
{
    IO_STATUS_BLOCK Pending, Iosb;
    HANDLE File, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    ULONG Ends[2];

    if (!XcallSetUp(0))
        return;
    XcallFileEnds(Ends);
    if (CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, 0, &File),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtDeviceIoControlFile(File, Event, NULL, NULL, &Pending, IOCTL_IOTEST_PEND,
                                           NULL, 0, NULL, 0),
                     STATUS_PENDING);
        /* The filter dies with the IRP it forwarded pending in iotest. */
        CHECK_STATUS(XcallControl(IOCTL_IOFILTER_CRASH, NULL, 0, NULL, 0),
                     STATUS_DRIVER_PROCESS_TERMINATED);
        CHECK_STATUS(NtapiWait(Event, XCALL_MS(5000)), STATUS_SUCCESS);
        CHECK_STATUS(Pending.Status, STATUS_DRIVER_PROCESS_TERMINATED);
        NtClose(File);
    }
    NtClose(Event);
    /* ntos cancelled the forwarded IRP (nothing is left for RELEASE) and
     * closed the file the filter had opened below it. */
    XcallWaitFileEnds(Ends, 2, 2);
    if (CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, XCALL_SYNC, &File),
            STATUS_SUCCESS)) {
        CHECK_STATUS(NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_RELEASE,
                                           NULL, 0, NULL, 0),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 0);
        NtClose(File);
    }
    XcallReadPlain(L"\\Device\\IoTestBuffered", 1);
    CHECK_STATUS(XcallLoad(SERVICES L"IoFilter"), STATUS_SUCCESS);
}

/* An open a driver holds on another driver's device whose driver went:
 * its requests fail NO_SUCH_DEVICE (as Windows' I/O manager says of a
 * deleted device), also once the driver is back (a new device). */
TEST(xcall, held_open_of_a_device_that_went)
{
    UNICODE_STRING IoTest = NtapiUnicode(SERVICES L"IoTest");

    if (!XcallEnsure(SERVICES L"IoTest") || !XcallEnsure(SERVICES L"IoFilter") ||
        !CHECK_STATUS(XcallControl(IOCTL_IOFILTER_HOLD, NULL, 0, NULL, 0), STATUS_SUCCESS))
        return;
    CHECK_STATUS(XcallControl(IOCTL_IOFILTER_READ_HELD, NULL, 0, NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtUnloadDriver(&IoTest), STATUS_SUCCESS);
    CHECK_STATUS(XcallControl(IOCTL_IOFILTER_READ_HELD, NULL, 0, NULL, 0), STATUS_NO_SUCH_DEVICE);
    CHECK_STATUS(XcallLoad(SERVICES L"IoTest"), STATUS_SUCCESS);
    CHECK_STATUS(XcallControl(IOCTL_IOFILTER_READ_HELD, NULL, 0, NULL, 0), STATUS_NO_SUCH_DEVICE);
    CHECK_STATUS(XcallControl(IOCTL_IOFILTER_DROP, NULL, 0, NULL, 0), STATUS_SUCCESS);
    /* A new open reaches the new device. */
    if (CHECK_STATUS(XcallControl(IOCTL_IOFILTER_HOLD, NULL, 0, NULL, 0), STATUS_SUCCESS)) {
        CHECK_STATUS(XcallControl(IOCTL_IOFILTER_READ_HELD, NULL, 0, NULL, 0), STATUS_SUCCESS);
        CHECK_STATUS(XcallControl(IOCTL_IOFILTER_DROP, NULL, 0, NULL, 0), STATUS_SUCCESS);
    }
}

static NTSTATUS NTAPI XcallPendThread(PVOID File)
{
    IO_STATUS_BLOCK Iosb;

    /* The filter over IoTestDirect waits in its dispatch routine for
     * iotest, so this call does not return while the IRP pends. */
    return NtDeviceIoControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_PEND, NULL, 0, NULL,
                                 0);
}

/* A filter's dispatch routine waits for the lower driver in another
 * process (IoForwardIrpSynchronously) when the requesting thread ends:
 * the cancel reaches the filter although its IRP thread is blocked, goes
 * down to iotest, and the dispatch routine returns. */
TEST(xcall, cancel_reaches_a_blocked_filter)
{
    LARGE_INTEGER Pause = {.QuadPart = XCALL_MS(200)};
    IOFILTER_COUNTS Before;
    IO_STATUS_BLOCK Iosb;
    HANDLE File, Sync, Thread;

    if (!XcallSetUp(1))
        return;
    Before = XcallCounts();
    if (CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestDirect", FILE_GENERIC_READ, 0, 0, &File),
                     STATUS_SUCCESS) &&
        CHECK_STATUS(NtapiCreateThread(XcallPendThread, File, 0, &Thread), STATUS_SUCCESS)) {
        NtDelayExecution(FALSE, &Pause);
        CHECK_STATUS(NtapiWait(Thread, 0), STATUS_TIMEOUT); /* still in the service */
        CHECK_STATUS(NtTerminateThread(Thread, STATUS_CANCELLED), STATUS_SUCCESS);
        CHECK_STATUS(NtapiWait(Thread, XCALL_MS(5000)), STATUS_SUCCESS);
        NtClose(Thread);
        /* iotest has nothing pending any more (RELEASE completes none), and
         * the filter completed the cancelled request. */
        if (CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestDirect", FILE_GENERIC_READ, 0,
                                           XCALL_SYNC, &Sync),
                         STATUS_SUCCESS)) {
            CHECK_STATUS(NtDeviceIoControlFile(Sync, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_RELEASE,
                                               NULL, 0, NULL, 0),
                         STATUS_SUCCESS);
            CHECK_EQ(Iosb.Information, 0);
            NtClose(Sync);
        }
        CHECK_STATUS(XcallCounts().LastStatus, STATUS_SUCCESS); /* the release */
        CHECK(XcallCounts().Completed - Before.Completed >= 4);
        NtClose(File);
    }
    CHECK_STATUS(XcallDetach(1), STATUS_SUCCESS);
}

/* ---- refusals --------------------------------------------------------------------------- */

TEST(xcall, services_refuse_other_processes)
{
    UCHAR Buffer[512];

    memset(Buffer, 0, sizeof(Buffer));
    CHECK_STATUS(NtDriverCallDriver(NtCurrentProcess(), Buffer), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtDriverCallDriver(NULL, NTAPI_BAD_POINTER), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtDriverQueryDevice(NULL, Buffer, sizeof(Buffer)), STATUS_ACCESS_DENIED);
}

/* A driver that calls the services itself with bad arguments
 * (drivers/test/xcallbad): each fails with a status, ntos stays up, and
 * the lower driver still works. */
TEST(xcall, hostile_driver_calls)
{
    static const NTSTATUS Expected[XCALLBAD_CASES] = {
        STATUS_ACCESS_VIOLATION,       /* no request */
        STATUS_ACCESS_VIOLATION,       /* a kernel address */
        STATUS_INVALID_PARAMETER,      /* an unknown operation */
        STATUS_INVALID_PARAMETER,      /* IRP name 0 */
        STATUS_INVALID_HANDLE,         /* a handle it does not have */
        STATUS_OBJECT_TYPE_MISMATCH,   /* a process handle */
        STATUS_INVALID_DEVICE_REQUEST, /* IRP_MJ_PNP */
        STATUS_INVALID_DEVICE_REQUEST, /* major 0xff */
        STATUS_INVALID_DEVICE_REQUEST, /* IRP_MJ_CREATE on an open */
        STATUS_ACCESS_VIOLATION,       /* a buffer nobody mapped */
        STATUS_ACCESS_VIOLATION,       /* a length past its memory */
        STATUS_INVALID_PARAMETER,      /* an MDL shorter than the read */
        STATUS_INVALID_DEVICE_REQUEST, /* METHOD_NEITHER with a buffer */
        STATUS_INVALID_PARAMETER,      /* OUT_DIRECT without an MDL */
        STATUS_ACCESS_VIOLATION,       /* a read into read-only memory */
        STATUS_INVALID_PARAMETER,      /* a cancel of nothing */
        STATUS_INFO_LENGTH_MISMATCH,   /* query: short */
        STATUS_ACCESS_VIOLATION,       /* query: a bad buffer */
        STATUS_SUCCESS,                /* query */
        STATUS_PENDING,                /* a good read */
    };
    NTSTATUS Results[XCALLBAD_CASES];

    if (!XcallEnsure(SERVICES L"IoTest") || !XcallEnsure(SERVICES L"XcallBad"))
        return;
    memset(Results, 0, sizeof(Results));
    if (!CHECK_STATUS(XcallControlAt(L"\\Device\\XcallBad", IOCTL_XCALLBAD_RUN, NULL, 0, Results,
                                     sizeof(Results)),
                      STATUS_SUCCESS))
        return;
    for (ULONG i = 0; i < XCALLBAD_CASES; i++)
        if (!CHECK_STATUS(Results[i], Expected[i]))
            CHECK_EQ(i, 1000); /* names the case */
    XcallReadPlain(L"\\Device\\IoTestBuffered", 11);
}
