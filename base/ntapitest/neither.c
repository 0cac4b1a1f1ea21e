/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Neither I/O (neither branch), with drivers/test/iotest's neither.c:
 * METHOD_NEITHER control codes (NtDeviceIoControlFile and NtFsControlFile)
 * whose Type3InputBuffer and Irp->UserBuffer are the caller's own pages
 * mapped into the driver process: data both ways, the offsets in the page
 * the driver sees, buffers crossing pages, large buffers (256 KiB, and
 * larger than ntos's I/O window), zero lengths, bad buffers (uncommitted,
 * read-only output, kernel addresses: ACCESS_VIOLATION, what a Windows
 * driver's probe under its exception handler returns), a pending request
 * that reads the caller's input only when released (no copy: it sees what
 * the caller wrote meanwhile), cancelled, or lost with its crashing
 * driver; reads and writes of \Device\IoTestNeither (no DO_BUFFERED_IO nor
 * DO_DIRECT_IO), and \Device\Null's neither writes from uncommitted user
 * memory, as on Windows.
 */
#include "ntfile.h"
#include "ntdriver.h"
#include "synch.h"
#include "pstest.h"
#include "../../drivers/test/iotest/iotest.h"
#include <nt/memory.h>

#define NEITHER_GENERIC_WRITE 0x00120116u

static UCHAR NeitherIn[3 * 4096] __attribute__((aligned(4096)));
static UCHAR NeitherOut[3 * 4096] __attribute__((aligned(4096)));

static BOOLEAN NeitherLoad(PCWSTR Driver)
{
    return CHECK_STATUS(NtapiLoadDriver(Driver), STATUS_SUCCESS);
}

/* A synchronous handle of \Device\IoTestBuffered, iotest loaded. */
static BOOLEAN NeitherOpenIoTest(HANDLE *Handle)
{
    return NeitherLoad(L"IoTest") &&
           CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0,
                                          FILE_SYNCHRONOUS_IO_NONALERT, Handle),
                        STATUS_SUCCESS);
}

static NTSTATUS NeitherControl(HANDLE File, ULONG Code, PVOID In, ULONG InLength, PVOID Out,
                               ULONG OutLength, IO_STATUS_BLOCK *Iosb)
{
    return NtDeviceIoControlFile(File, NULL, NULL, NULL, Iosb, Code, In, InLength, Out, OutLength);
}

static VOID NeitherFill(PUCHAR Buffer, ULONG Length, ULONG Seed)
{
    for (ULONG i = 0; i < Length; i++)
        Buffer[i] = (UCHAR)(Seed + i * 7 + (i >> 8));
}

static BOOLEAN NeitherSame(const UCHAR *A, const UCHAR *B, ULONG Length)
{
    for (ULONG i = 0; i < Length; i++)
        if (A[i] != B[i])
            return CHECK_EQ(A[i], B[i]);
    return TRUE;
}

static PUCHAR NeitherAllocate(SIZE_T Size, ULONG Type)
{
    PVOID Base = NULL;

    if (!CHECK_STATUS(
            NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, Type, PAGE_READWRITE),
            STATUS_SUCCESS))
        return NULL;
    return Base;
}

static VOID NeitherFree(PVOID Base)
{
    SIZE_T Size = 0;

    NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
}

TEST(neither, data_both_ways)
{
    static const char Text[] = "neither here nor there";
    IO_STATUS_BLOCK Iosb = {.Status = -1};
    HANDLE File;

    if (!NeitherOpenIoTest(&File))
        return;
    memcpy(NeitherIn, Text, sizeof(Text));
    memset(NeitherOut, 0xee, 64);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NeitherIn, sizeof(Text),
                                NeitherOut, 64, &Iosb),
                 STATUS_SUCCESS);
    CHECK_STATUS(Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, sizeof(Text));
    CHECK(NeitherSame(NeitherOut, (const UCHAR *)Text, sizeof(Text)));
    CHECK_EQ(NeitherOut[sizeof(Text)], 0xee); /* nothing past what the driver wrote */
    /* The driver writes the caller's pages: no copy back to check. */
    memset(NeitherOut, 0xee, 400);
    CHECK_STATUS(
        NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, NeitherOut + 10, 300, &Iosb),
        STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 300);
    CHECK_EQ(NeitherOut[10], 0xa5);
    CHECK_EQ(NeitherOut[10 + 299], (UCHAR)(0xa5 ^ 299));
    CHECK_EQ(NeitherOut[9], 0xee);
    CHECK_EQ(NeitherOut[310], 0xee);
    /* Through an MDL the driver builds over Irp->UserBuffer. */
    memset(NeitherOut, 0, 5000);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL_MDL, NULL, 0, NeitherOut + 3000,
                                1500, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 1500);
    CHECK_EQ(NeitherOut[3000], 0x3c);
    CHECK_EQ(NeitherOut[4499], (UCHAR)(0x3c ^ 1499));
    CHECK_EQ(NeitherOut[4500], 0);
    /* The same through NtFsControlFile. */
    memset(NeitherOut, 0, 64);
    CHECK_STATUS(NtFsControlFile(File, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_NEITHER_ECHO,
                                 NeitherIn, 8, NeitherOut, 8),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 8);
    CHECK(NeitherSame(NeitherOut, (const UCHAR *)Text, 8));
    NtClose(File);
}

/* The driver gets its own addresses of the caller's bytes, at the same
 * offset in their page, with the lengths; input read there. */
TEST(neither, addresses_the_driver_sees)
{
    IOTEST_NEITHER_VIEW *View = (IOTEST_NEITHER_VIEW *)(NeitherOut + 4000);
    ULONGLONG Sum = 0;
    IO_STATUS_BLOCK Iosb;
    HANDLE File;

    if (!NeitherOpenIoTest(&File))
        return;
    NeitherFill(NeitherIn, sizeof(NeitherIn), 3);
    for (ULONG i = 0; i < 5000; i++)
        Sum += NeitherIn[4090 + i];
    memset(NeitherOut, 0, sizeof(NeitherOut));
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_DESCRIBE, NeitherIn + 4090, 5000, View,
                                sizeof(*View) + 8, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, sizeof(*View));
    CHECK_EQ(View->InputLength, 5000);
    CHECK_EQ(View->OutputLength, sizeof(*View) + 8);
    CHECK_EQ(View->Input & 0xfff, 4090);
    CHECK_EQ(View->Output & 0xfff, 4000);
    CHECK(View->Input != 0 && View->Output != 0);
    CHECK_EQ(View->InputSum, Sum);
    /* A zero-length buffer is passed as the caller's value, unmapped. */
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_DESCRIBE, (PVOID)0x12345, 0, View,
                                sizeof(*View), &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(View->Input, 0x12345);
    CHECK_EQ(View->InputLength, 0);
    CHECK_STATUS(
        NeitherControl(File, IOCTL_IOTEST_NEITHER_DESCRIBE, NULL, 0, View, sizeof(*View), &Iosb),
        STATUS_SUCCESS);
    CHECK_EQ(View->Input, 0);
    CHECK_EQ(View->InputSum, 0);
    /* The driver's own answer to a short output. */
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_DESCRIBE, NULL, 0, View, 8, &Iosb),
                 STATUS_BUFFER_TOO_SMALL);
    NtClose(File);
}

/* Unaligned buffers that cross page boundaries, input and output in the
 * same pages, and a read-only input. */
TEST(neither, unaligned_buffers_crossing_pages)
{
    IO_STATUS_BLOCK Iosb;
    UCHAR Expected[700];
    HANDLE File;

    if (!NeitherOpenIoTest(&File))
        return;
    NeitherFill(NeitherIn, sizeof(NeitherIn), 11);
    memset(NeitherOut, 0, sizeof(NeitherOut));
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NeitherIn + 4095, 4098,
                                NeitherOut + 1, 8191, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 4098);
    CHECK(NeitherSame(NeitherOut + 1, NeitherIn + 4095, 4098));
    CHECK_EQ(NeitherOut[0], 0);
    CHECK_EQ(NeitherOut[4099], 0);
    /* Overlapping input and output in one buffer: two mappings of the same
     * pages, so the driver's move sees its own writes as the caller would. */
    memcpy(Expected, NeitherIn + 100, sizeof(Expected));
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NeitherIn + 100, sizeof(Expected),
                                NeitherIn + 4000, sizeof(Expected), &Iosb),
                 STATUS_SUCCESS);
    CHECK(NeitherSame(NeitherIn + 4000, Expected, sizeof(Expected)));
    /* A read-only input is fine: the driver only reads it. */
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NTAPI_READONLY_POINTER, 16,
                                NeitherOut, 16, &Iosb),
                 STATUS_SUCCESS);
    CHECK(NeitherSame(NeitherOut, (const UCHAR *)NTAPI_READONLY_POINTER, 16));
    NtClose(File);
}

/* 256 KiB both ways, then buffers larger than ntos's I/O window (2 MiB):
 * those get a mapping of their own. */
TEST(neither, large_buffers)
{
    const ULONG Large = 256 * 1024, Huge = 3 * 1024 * 1024;
    PUCHAR In = NeitherAllocate(Huge, MEM_RESERVE | MEM_COMMIT);
    PUCHAR Out = NeitherAllocate(Huge, MEM_RESERVE | MEM_COMMIT);
    IO_STATUS_BLOCK Iosb;
    HANDLE File;

    if (In == NULL || Out == NULL || !NeitherOpenIoTest(&File))
        goto out;
    NeitherFill(In, Huge, 5);
    CHECK_STATUS(
        NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, In + 3, Large, Out + 5, Large, &Iosb),
        STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, Large);
    CHECK(NeitherSame(Out + 5, In + 3, Large));
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, In, Huge, Out, Huge, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, Huge);
    CHECK(NeitherSame(Out, In, Huge));
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, Out + 1, Huge - 1, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Out[1 + 0x12345], (UCHAR)(0xa5 ^ 0x12345));
    CHECK_EQ(Out[Huge - 1], (UCHAR)(0xa5 ^ (Huge - 2)));
    NtClose(File);
out:
    if (In)
        NeitherFree(In);
    if (Out)
        NeitherFree(Out);
}

TEST(neither, zero_lengths)
{
    IO_STATUS_BLOCK Iosb = {.Status = -1};
    HANDLE File;

    if (!NeitherOpenIoTest(&File))
        return;
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NULL, 0, NULL, 0, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0);
    /* Nothing to reach, nothing probed (Windows passes them unprobed). */
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NTAPI_KERNEL_POINTER, 0,
                                NTAPI_BAD_POINTER, 0, &Iosb),
                 STATUS_SUCCESS);
    CHECK_STATUS(
        NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NeitherIn, 16, NeitherOut, 0, &Iosb),
        STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, NULL, 0, &Iosb),
                 STATUS_SUCCESS);
    NtClose(File);
}

/* Bad buffers fail with ACCESS_VIOLATION before the driver sees them;
 * good ones work afterwards. */
TEST(neither, bad_buffers)
{
    PUCHAR Edge = NeitherAllocate(2 * 4096, MEM_RESERVE);
    IO_STATUS_BLOCK Iosb;
    HANDLE File;

    if (Edge == NULL || !NeitherOpenIoTest(&File))
        goto out;
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NTAPI_BAD_POINTER, 16, NeitherOut,
                                16, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NULL, 16, NeitherOut, 16, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NeitherIn, 16,
                                NTAPI_READONLY_POINTER, 16, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NTAPI_KERNEL_POINTER, 16,
                                NeitherOut, 16, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, NTAPI_KERNEL_POINTER, 16, &Iosb),
        STATUS_ACCESS_VIOLATION);
    /* Reserved, not committed; and a buffer running into such a page. */
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, Edge, 16, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, NeitherOut + 8000,
                                0x7fffffff, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NeitherIn, 0xffffffffu, NeitherOut,
                                16, &Iosb),
                 STATUS_ACCESS_VIOLATION);
    memset(NeitherOut, 0, 16);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, NeitherOut, 16, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(NeitherOut[15], 0xa5 ^ 15);
    NtClose(File);
out:
    if (Edge)
        NeitherFree(Edge);
}

/* A request left pending keeps its mapping while the caller waits and
 * works on: the driver reads the input when released, and sees what the
 * caller wrote there meanwhile (the same pages, no copy). */
TEST(neither, pending_request_reads_later)
{
    LARGE_INTEGER Zero = {.QuadPart = 0}, Limit = {.QuadPart = -50000000};
    IO_STATUS_BLOCK Pending, Iosb;
    HANDLE File, Async, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    if (!NeitherOpenIoTest(&File))
        return;
    if (!CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, 0, &Async),
            STATUS_SUCCESS)) {
        NtClose(File);
        return;
    }
    memset(NeitherIn, 'a', 100);
    memset(NeitherOut, 0, 200);
    memset(&Pending, 0xcc, sizeof(Pending));
    CHECK_STATUS(NtDeviceIoControlFile(Async, Event, NULL, NULL, &Pending,
                                       IOCTL_IOTEST_NEITHER_PEND, NeitherIn + 4050, 100,
                                       NeitherOut + 4050, 100),
                 STATUS_PENDING);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_TIMEOUT);
    memset(NeitherIn + 4050, 'b', 100);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FINISH, NULL, 0, NULL, 0, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 1);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Limit), STATUS_SUCCESS);
    CHECK_STATUS(Pending.Status, STATUS_SUCCESS);
    CHECK_EQ(Pending.Information, 100);
    CHECK_EQ(NeitherOut[4050], 'b');
    CHECK_EQ(NeitherOut[4149], 'b');
    CHECK_EQ(NeitherOut[4150], 0);
    NtClose(Event);
    NtClose(Async);
    NtClose(File);
}

/* Another thread changes the pending request's input, then releases it. */
static NTSTATUS NTAPI NeitherFinishLater(PVOID File)
{
    LARGE_INTEGER Delay = {.QuadPart = -20 * 10000};
    IO_STATUS_BLOCK Iosb;

    NtDelayExecution(FALSE, &Delay);
    memset(NeitherIn + 100, 'q', 50);
    return NeitherControl(File, IOCTL_IOTEST_NEITHER_FINISH, NULL, 0, NULL, 0, &Iosb);
}

/* A synchronous caller's thread waits inside the service while its
 * buffers stay mapped; another thread finishes the request. */
TEST(neither, synchronous_caller_waits)
{
    IO_STATUS_BLOCK Iosb = {.Status = -1};
    HANDLE File, Other, Thread;

    if (!NeitherOpenIoTest(&File))
        return;
    if (!NeitherOpenIoTest(&Other)) {
        NtClose(File);
        return;
    }
    memset(NeitherIn + 100, 'p', 50);
    memset(NeitherOut + 100, 0, 60);
    if (CHECK_STATUS(NtapiCreateThread(NeitherFinishLater, Other, 0, &Thread), STATUS_SUCCESS)) {
        CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_PEND, NeitherIn + 100, 50,
                                    NeitherOut + 100, 50, &Iosb),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 50);
        CHECK_EQ(NeitherOut[100], 'q');
        CHECK_EQ(NeitherOut[149], 'q');
        CHECK_EQ(NeitherOut[150], 0);
        CHECK_STATUS(NtapiWait(Thread, -5000 * NTAPI_MS), STATUS_SUCCESS);
        CHECK_STATUS(NtapiWaitThread(Thread), STATUS_SUCCESS);
        NtClose(Thread);
    }
    NtClose(Other);
    NtClose(File);
}

/* The driver's view of a buffer is there while its request is and gone
 * once it completed. */
TEST(neither, unmapped_at_completion)
{
    LARGE_INTEGER Limit = {.QuadPart = -50000000};
    IO_STATUS_BLOCK Pending, Iosb;
    HANDLE File, Async, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    if (!NeitherOpenIoTest(&File))
        return;
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FILL, NULL, 0, NeitherOut, 64, &Iosb),
                 STATUS_SUCCESS);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_STALE, NULL, 0, NULL, 0, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0);
    if (CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, 0, &Async),
            STATUS_SUCCESS)) {
        CHECK_STATUS(NtDeviceIoControlFile(Async, Event, NULL, NULL, &Pending,
                                           IOCTL_IOTEST_NEITHER_PEND, NeitherIn, 64, NeitherOut + 8,
                                           64),
                     STATUS_PENDING);
        CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_STALE, NULL, 0, NULL, 0, &Iosb),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 1); /* still the request's */
        CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_FINISH, NULL, 0, NULL, 0, &Iosb),
                     STATUS_SUCCESS);
        CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Limit), STATUS_SUCCESS);
        CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_STALE, NULL, 0, NULL, 0, &Iosb),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, 0);
        NtClose(Async);
    }
    NtClose(Event);
    NtClose(File);
}

TEST(neither, pending_request_cancelled)
{
    LARGE_INTEGER Zero = {.QuadPart = 0};
    IO_STATUS_BLOCK Pending, Iosb;
    HANDLE Async, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    if (!NeitherLoad(L"IoTest") || !CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered",
                                                                   FILE_GENERIC_READ, 0, 0, &Async),
                                                 STATUS_SUCCESS))
        return;
    memset(NeitherOut, 0x77, 64);
    CHECK_STATUS(NtDeviceIoControlFile(Async, Event, NULL, NULL, &Pending,
                                       IOCTL_IOTEST_NEITHER_PEND, NeitherIn, 64, NeitherOut, 64),
                 STATUS_PENDING);
    CHECK_STATUS(NtCancelIoFile(Async, &Iosb), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(Pending.Status, STATUS_CANCELLED);
    CHECK_EQ(Pending.Information, 0);
    CHECK_EQ(NeitherOut[0], 0x77); /* the driver never wrote */
    NtClose(Event);
    NtClose(Async);
}

/* The driver dies holding a neither request: it fails, the caller's
 * buffers are its own as before, and the driver loads and works again. */
TEST(neither, driver_crash_while_pending)
{
    LARGE_INTEGER Limit = {.QuadPart = -50000000};
    IO_STATUS_BLOCK Pending, Iosb;
    HANDLE File, Async, Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    if (!NeitherOpenIoTest(&File))
        return;
    if (!CHECK_STATUS(
            NtapiOpenDeviceEx(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ, 0, 0, &Async),
            STATUS_SUCCESS)) {
        NtClose(File);
        return;
    }
    memset(NeitherOut, 0x33, 8192);
    CHECK_STATUS(NtDeviceIoControlFile(Async, Event, NULL, NULL, &Pending,
                                       IOCTL_IOTEST_NEITHER_PEND, NeitherIn, 8192, NeitherOut,
                                       8192),
                 STATUS_PENDING);
    CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_CRASH, NULL, 0, NULL, 0, &Iosb),
                 STATUS_DRIVER_PROCESS_TERMINATED);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Limit), STATUS_SUCCESS);
    CHECK_STATUS(Pending.Status, STATUS_DRIVER_PROCESS_TERMINATED);
    CHECK_EQ(NeitherOut[8191], 0x33);
    NeitherOut[8191] = 1; /* still the caller's, writable */
    NtClose(Async);
    NtClose(File);
    if (!NeitherOpenIoTest(&File))
        goto out;
    memset(NeitherIn, 'z', 32);
    CHECK_STATUS(
        NeitherControl(File, IOCTL_IOTEST_NEITHER_ECHO, NeitherIn, 32, NeitherOut, 32, &Iosb),
        STATUS_SUCCESS);
    CHECK_EQ(NeitherOut[31], 'z');
    NtClose(File);
out:
    NtClose(Event);
}

/* \Device\IoTestNeither: reads fill Irp->UserBuffer, writes are read where
 * they lie; a read's buffer is probed for writing (Windows' NtReadFile). */
TEST(neither, device_reads_and_writes)
{
    LARGE_INTEGER Offset = {.QuadPart = 5};
    PUCHAR Reserved = NeitherAllocate(0x10000, MEM_RESERVE);
    IOTEST_NEITHER_WRITE Last;
    IO_STATUS_BLOCK Iosb;
    ULONGLONG Sum = 0;
    HANDLE File;

    if (!NeitherLoad(L"IoTest") ||
        !CHECK_STATUS(NtapiOpenDeviceEx(IOTEST_NEITHER_DEVICE,
                                        FILE_GENERIC_READ | NEITHER_GENERIC_WRITE, 0,
                                        FILE_SYNCHRONOUS_IO_NONALERT, &File),
                      STATUS_SUCCESS))
        goto out;
    memset(NeitherOut, 0, sizeof(NeitherOut));
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, NeitherOut + 4000, 5000, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 5000);
    CHECK_EQ(NeitherOut[4000], 5);
    CHECK_EQ(NeitherOut[8999], (UCHAR)(5 + 4999));
    CHECK_EQ(NeitherOut[9000], 0);
    CHECK_STATUS(
        NtReadFile(File, NULL, NULL, NULL, &Iosb, NTAPI_READONLY_POINTER, 16, &Offset, NULL),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, NTAPI_BAD_POINTER, 16, &Offset, NULL),
                 STATUS_ACCESS_VIOLATION);
    NeitherFill(NeitherIn, 6000, 9);
    for (ULONG i = 0; i < 6000; i++)
        Sum += NeitherIn[4000 + i];
    CHECK_STATUS(NtWriteFile(File, NULL, NULL, NULL, &Iosb, NeitherIn + 4000, 6000, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 6000);
    if (CHECK_STATUS(NeitherControl(File, IOCTL_IOTEST_NEITHER_LAST_WRITE, NULL, 0, &Last,
                                    sizeof(Last), &Iosb),
                     STATUS_SUCCESS)) {
        CHECK_EQ(Last.Length, 6000);
        CHECK_EQ(Last.Sum, Sum);
        CHECK_EQ(Last.Address & 0xfff, 4000 & 0xfff);
    }
    /* A read-only buffer is fine for a write. */
    CHECK_STATUS(
        NtWriteFile(File, NULL, NULL, NULL, &Iosb, NTAPI_READONLY_POINTER, 16, &Offset, NULL),
        STATUS_SUCCESS);
    /* An uncommitted one reaches the driver unmapped: its probe fails. */
    if (Reserved != NULL)
        CHECK_STATUS(NtWriteFile(File, NULL, NULL, NULL, &Iosb, Reserved + 100, 16, &Offset, NULL),
                     STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, NeitherOut, 0, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0);
    NtClose(File);
out:
    if (Reserved)
        NeitherFree(Reserved);
}

/* Windows' NtWriteFile checks only that a write's buffer lies in user
 * space: \Device\Null, a neither device that never reads it, takes one
 * from uncommitted memory (NULL and the first 64 KiB are refused by
 * Nereid's unmarshaller). */
TEST(neither, null_write_from_anywhere_in_user_space)
{
    PUCHAR Reserved = NeitherAllocate(0x20000, MEM_RESERVE);
    IO_STATUS_BLOCK Iosb = {.Status = -1};
    HANDLE Null;

    if (Reserved == NULL || !NeitherLoad(L"Null") ||
        !CHECK_STATUS(NtapiOpenDeviceEx(L"\\Device\\Null",
                                        FILE_GENERIC_READ | NEITHER_GENERIC_WRITE, 0,
                                        FILE_SYNCHRONOUS_IO_NONALERT, &Null),
                      STATUS_SUCCESS))
        goto out;
    CHECK_STATUS(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, Reserved + 8, 16, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 16);
    CHECK_STATUS(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, Reserved, 0x20000, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0x20000);
    CHECK_STATUS(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, NTAPI_KERNEL_POINTER, 16, NULL, NULL),
                 STATUS_ACCESS_VIOLATION);
    /* A read's buffer is probed for writing, whatever the device does. */
    CHECK_STATUS(NtReadFile(Null, NULL, NULL, NULL, &Iosb, Reserved, 16, NULL, NULL),
                 STATUS_ACCESS_VIOLATION);
    NtClose(Null);
out:
    if (Reserved)
        NeitherFree(Reserved);
}
