/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stock-driver.exe: loads stockdrv.sys (sys/stockdrv.c, a driver built
 * only with stock mingw-w64) through NtLoadDriver, exercises every path
 * of it through the device and its \?? link, and checks the results:
 * buffered reads and writes, METHOD_IN_DIRECT and OUT_DIRECT control codes
 * (the driver maps the MDL), the device extension, pool, a timer's DPC, a
 * work item and a system thread completing pended IRPs, a queued IRP
 * released or cancelled (NtCancelIoFile runs the cancel routine), then
 * unloads it (DriverUnload: the device and the link go) and loads it
 * again. The program itself uses only the ddk headers and mingw-w64's
 * libntdll.a, like stock-ddk (compat.driver_*).
 */
#include <ntddk.h>

#include "../lib/compat.h"
#include "stockdrv.h"

const char CompatProgram[] = "driver";

NTSYSAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                      BOOLEAN InitialState);
NTSYSAPI NTSTATUS NTAPI NtCancelIoFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock);
NTSYSAPI NTSTATUS NTAPI ZwWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                              PLARGE_INTEGER Timeout);

#ifndef STATUS_DRIVER_PROCESS_TERMINATED
#define STATUS_DRIVER_PROCESS_TERMINATED ((NTSTATUS)0xC0000450L)
#endif
#define SERVICE L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\StockDrv"

static UCHAR Page[2 * 4096] __attribute__((aligned(4096)));
static BOOLEAN Loaded;

static NTSTATUS Load(VOID)
{
    UNICODE_STRING Name;

    RtlInitUnicodeString(&Name, SERVICE);
    return ZwLoadDriver(&Name);
}

static NTSTATUS Unload(VOID)
{
    UNICODE_STRING Name;

    RtlInitUnicodeString(&Name, SERVICE);
    return ZwUnloadDriver(&Name);
}

static NTSTATUS Open(PCWSTR Path, ULONG Options, PHANDLE Handle)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;

    RtlInitUnicodeString(&Name, Path);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    *Handle = NULL;
    return ZwCreateFile(Handle, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &Attributes, &Iosb,
                        NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, Options, NULL, 0);
}

static NTSTATUS Control(HANDLE File, ULONG Code, PVOID In, ULONG InLength, PVOID Out,
                        ULONG OutLength, PIO_STATUS_BLOCK Iosb)
{
    Iosb->Status = -1;
    Iosb->Information = ~(ULONG_PTR)0;
    return ZwDeviceIoControlFile(File, NULL, NULL, NULL, Iosb, Code, In, InLength, Out, OutLength);
}

static BOOLEAN Stats(HANDLE File, STOCKDRV_STATS *Stats)
{
    IO_STATUS_BLOCK Iosb;

    return CHECK_STATUS(Control(File, IOCTL_STOCKDRV_STATS, NULL, 0, Stats, sizeof(*Stats), &Iosb),
                        STATUS_SUCCESS) &&
           CHECK_EQ(Iosb.Information, sizeof(*Stats));
}

static HANDLE OpenSync(VOID)
{
    HANDLE File;

    if (!Loaded || !CHECK_STATUS(Open(L"\\Device\\StockDrv", FILE_SYNCHRONOUS_IO_NONALERT, &File),
                                 STATUS_SUCCESS))
        return NULL;
    return File;
}

/* ---- the tests ---------------------------------------------------------------------------- */

static VOID LoadDriver(VOID)
{
    NTSTATUS Status = Load();

    Loaded = CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK_STATUS(Load(), STATUS_IMAGE_ALREADY_LOADED);
}

/* The device opens by name and through the link IoCreateSymbolicLink made;
 * creates and closes reach the dispatch routine. */
static VOID OpenAndLink(VOID)
{
    STOCKDRV_STATS Before, After;
    HANDLE File = OpenSync(), Linked;

    if (File == NULL || !Stats(File, &Before))
        goto out;
    if (CHECK_STATUS(Open(L"\\??\\StockDrv", FILE_SYNCHRONOUS_IO_NONALERT, &Linked),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(ZwClose(Linked), STATUS_SUCCESS);
        if (Stats(File, &After)) {
            CHECK_EQ(After.Creates, Before.Creates + 1);
            CHECK_EQ(After.Closes, Before.Closes + 1);
        }
    }
    CHECK_STATUS(Open(L"\\Device\\StockDrvNot", FILE_SYNCHRONOUS_IO_NONALERT, &Linked),
                 STATUS_OBJECT_NAME_NOT_FOUND);
out:
    if (File)
        ZwClose(File);
}

static VOID Extension(VOID)
{
    IO_STATUS_BLOCK Iosb;
    ULONG Magic = 0;
    HANDLE File = OpenSync();

    if (File == NULL)
        return;
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_EXTENSION, NULL, 0, &Magic, sizeof(Magic), &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Magic, STOCKDRV_MAGIC);
    CHECK_EQ(Iosb.Information, sizeof(Magic));
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_EXTENSION, NULL, 0, &Magic, 2, &Iosb),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(Control(File, STOCKDRV_CTL(0x9FF, 0), NULL, 0, NULL, 0, &Iosb),
                 STATUS_INVALID_DEVICE_REQUEST);
    ZwClose(File);
}

/* A buffered write kept under the spin lock, read back. */
static VOID ReadWrite(VOID)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Zero = {.QuadPart = 0};
    HANDLE File = OpenSync();

    if (File == NULL)
        return;
    for (ULONG i = 0; i < 300; i++)
        Page[i] = (UCHAR)(i ^ 0x5A);
    CHECK_STATUS(ZwWriteFile(File, NULL, NULL, NULL, &Iosb, Page, 300, &Zero, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 300);
    RtlFillMemory(Page, 512, 0xEE);
    CHECK_STATUS(ZwReadFile(File, NULL, NULL, NULL, &Iosb, Page, 512, &Zero, NULL), STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 300);
    CHECK_EQ(Page[0], 0x5A);
    CHECK_EQ(Page[299], (UCHAR)(299 ^ 0x5A));
    CHECK_EQ(Page[300], 0xEE); /* not written past Information */
    /* An empty write leaves nothing to read. */
    CHECK_STATUS(ZwWriteFile(File, NULL, NULL, NULL, &Iosb, Page, 0, &Zero, NULL), STATUS_SUCCESS);
    CHECK_STATUS(ZwReadFile(File, NULL, NULL, NULL, &Iosb, Page, 16, &Zero, NULL),
                 STATUS_END_OF_FILE);
    ZwClose(File);
}

/* METHOD_IN_DIRECT: the driver maps the "output" buffer (an MDL of the
 * caller's pages) and sums it; METHOD_OUT_DIRECT: it fills it. Both across
 * a page boundary. */
static VOID DirectTransfers(VOID)
{
    IO_STATUS_BLOCK Iosb;
    ULONG Sum = 0;
    UCHAR Seed = 0x40;
    HANDLE File = OpenSync();

    if (File == NULL)
        return;
    for (ULONG i = 0; i < 600; i++) {
        Page[4000 + i] = (UCHAR)(i * 3);
        Sum += (UCHAR)(i * 3);
    }
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_SUM_IN, NULL, 0, Page + 4000, 600, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, Sum);
    RtlZeroMemory(Page, sizeof(Page));
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_FILL_OUT, &Seed, 1, Page + 3000, 2000, &Iosb),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 2000);
    CHECK_EQ(Page[3000], 0x40);
    CHECK_EQ(Page[3000 + 1999], (UCHAR)(0x40 + 1999));
    CHECK_EQ(Page[2999], 0);
    CHECK_EQ(Page[5000], 0);
    /* No output buffer: no MDL. */
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_FILL_OUT, &Seed, 1, NULL, 0, &Iosb),
                 STATUS_INVALID_PARAMETER);
    ZwClose(File);
}

static VOID Pool(VOID)
{
    static const ULONG Sizes[] = {1, 64, 4096, 65536, 300000};
    IO_STATUS_BLOCK Iosb;
    HANDLE File = OpenSync();

    if (File == NULL)
        return;
    for (ULONG i = 0; i < sizeof(Sizes) / sizeof(Sizes[0]); i++) {
        ULONG Size = Sizes[i];

        CHECK_STATUS(Control(File, IOCTL_STOCKDRV_POOL, &Size, sizeof(Size), NULL, 0, &Iosb),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, Size);
    }
    ZwClose(File);
}

/* A KTIMER 20 ms ahead whose KDPC sets the KEVENT the dispatch routine waits on. */
static VOID TimerDpc(VOID)
{
    IO_STATUS_BLOCK Iosb;
    STOCKDRV_STATS Before, After;
    HANDLE File = OpenSync();

    if (File == NULL || !Stats(File, &Before))
        goto out;
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_TIMER, NULL, 0, NULL, 0, &Iosb), STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, Before.DpcRuns + 1);
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_TIMER, NULL, 0, NULL, 0, &Iosb), STATUS_SUCCESS);
    if (Stats(File, &After))
        CHECK_EQ(After.DpcRuns, Before.DpcRuns + 2);
out:
    if (File)
        ZwClose(File);
}

/* Pended by the dispatch routine, completed by a work item: a synchronous
 * handle waits for it. */
static VOID WorkItem(VOID)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE File = OpenSync();

    if (File == NULL)
        return;
    for (ULONG i = 0; i < 3; i++) {
        CHECK_STATUS(Control(File, IOCTL_STOCKDRV_WORK_ITEM, NULL, 0, NULL, 0, &Iosb),
                     STATUS_SUCCESS);
        CHECK_EQ(Iosb.Information, STOCKDRV_WORK_VALUE);
    }
    ZwClose(File);
}

/* Handed to the system thread, which completes it with twice the input;
 * an asynchronous handle sees PENDING first, then the event. */
static VOID SystemThread(VOID)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Limit = {.QuadPart = -50000000};
    ULONG Value = 21;
    HANDLE File = OpenSync(), Async = NULL, Event = NULL;
    NTSTATUS Status;

    if (File == NULL)
        return;
    CHECK_STATUS(
        Control(File, IOCTL_STOCKDRV_THREAD, &Value, sizeof(Value), &Value, sizeof(Value), &Iosb),
        STATUS_SUCCESS);
    CHECK_EQ(Value, 42);
    CHECK_EQ(Iosb.Information, sizeof(Value));
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_THREAD, &Value, 2, &Value, sizeof(Value), &Iosb),
                 STATUS_BUFFER_TOO_SMALL);
    if (CHECK_STATUS(Open(L"\\Device\\StockDrv", 0, &Async), STATUS_SUCCESS) &&
        CHECK_STATUS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE),
                     STATUS_SUCCESS)) {
        Value = 1000;
        Iosb.Status = -1;
        Status = ZwDeviceIoControlFile(Async, Event, NULL, NULL, &Iosb, IOCTL_STOCKDRV_THREAD,
                                       &Value, sizeof(Value), &Value, sizeof(Value));
        CHECK(Status == STATUS_PENDING || Status == STATUS_SUCCESS);
        CHECK_STATUS(ZwWaitForSingleObject(Event, FALSE, &Limit), STATUS_SUCCESS);
        CHECK_STATUS(Iosb.Status, STATUS_SUCCESS);
        CHECK_EQ(Value, 2000);
    }
    if (Event)
        ZwClose(Event);
    if (Async)
        ZwClose(Async);
    ZwClose(File);
}

/* An IRP queued with a cancel routine: released by another request, or
 * cancelled by NtCancelIoFile (the cancel routine completes it). */
static VOID QueueAndCancel(VOID)
{
    IO_STATUS_BLOCK First, Second, Iosb;
    LARGE_INTEGER Limit = {.QuadPart = -50000000};
    STOCKDRV_STATS Before, After;
    HANDLE File = OpenSync(), Async = NULL, Events[2] = {NULL, NULL};

    if (File == NULL || !Stats(File, &Before))
        goto out;
    if (!CHECK_STATUS(Open(L"\\Device\\StockDrv", 0, &Async), STATUS_SUCCESS) ||
        !CHECK_STATUS(NtCreateEvent(&Events[0], EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE),
                      STATUS_SUCCESS) ||
        !CHECK_STATUS(NtCreateEvent(&Events[1], EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE),
                      STATUS_SUCCESS))
        goto out;
    First.Status = Second.Status = -1;
    CHECK_STATUS(ZwDeviceIoControlFile(Async, Events[0], NULL, NULL, &First, IOCTL_STOCKDRV_PEND,
                                       NULL, 0, NULL, 0),
                 STATUS_PENDING);
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_RELEASE, NULL, 0, NULL, 0, &Iosb), STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 1);
    CHECK_STATUS(ZwWaitForSingleObject(Events[0], FALSE, &Limit), STATUS_SUCCESS);
    CHECK_STATUS(First.Status, STATUS_SUCCESS);
    /* The second one is cancelled. */
    CHECK_STATUS(ZwDeviceIoControlFile(Async, Events[1], NULL, NULL, &Second, IOCTL_STOCKDRV_PEND,
                                       NULL, 0, NULL, 0),
                 STATUS_PENDING);
    CHECK_STATUS(NtCancelIoFile(Async, &Iosb), STATUS_SUCCESS);
    CHECK_STATUS(ZwWaitForSingleObject(Events[1], FALSE, &Limit), STATUS_SUCCESS);
    CHECK_STATUS(Second.Status, STATUS_CANCELLED);
    if (Stats(File, &After)) {
        CHECK_EQ(After.Queued, Before.Queued + 2);
        CHECK_EQ(After.Cancelled, Before.Cancelled + 1);
    }
    CHECK_STATUS(Control(File, IOCTL_STOCKDRV_RELEASE, NULL, 0, NULL, 0, &Iosb), STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 0);
out:
    for (ULONG i = 0; i < 2; i++)
        if (Events[i])
            ZwClose(Events[i]);
    if (Async)
        ZwClose(Async);
    if (File)
        ZwClose(File);
}

/* DriverUnload stops the thread and deletes the link and the device; the
 * driver loads again with fresh state and works. */
static VOID UnloadAndReload(VOID)
{
    STOCKDRV_STATS Stats0;
    IO_STATUS_BLOCK Iosb;
    ULONG Value = 5;
    HANDLE File;

    if (!Loaded)
        return;
    Loaded = FALSE;
    if (!CHECK_STATUS(Unload(), STATUS_SUCCESS))
        return;
    CHECK_STATUS(Open(L"\\Device\\StockDrv", FILE_SYNCHRONOUS_IO_NONALERT, &File),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(Open(L"\\??\\StockDrv", FILE_SYNCHRONOUS_IO_NONALERT, &File),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(Unload(), STATUS_OBJECT_NAME_NOT_FOUND);
    Loaded = CHECK_STATUS(Load(), STATUS_SUCCESS);
    if ((File = OpenSync()) == NULL)
        return;
    if (Stats(File, &Stats0)) {
        CHECK_EQ(Stats0.Creates, 1);
        CHECK_EQ(Stats0.Closes, 0);
        CHECK_EQ(Stats0.Queued, 0);
    }
    CHECK_STATUS(
        Control(File, IOCTL_STOCKDRV_THREAD, &Value, sizeof(Value), &Value, sizeof(Value), &Iosb),
        STATUS_SUCCESS);
    CHECK_EQ(Value, 10);
    ZwClose(File);
    CHECK_STATUS(Unload(), STATUS_SUCCESS);
    Loaded = FALSE;
}

NTSTATUS NTAPI NtProcessStartup(PVOID Peb)
{
    (void)Peb;
    CompatRun("load", LoadDriver);
    CompatRun("open_and_link", OpenAndLink);
    CompatRun("extension", Extension);
    CompatRun("read_write", ReadWrite);
    CompatRun("direct_transfers", DirectTransfers);
    CompatRun("pool", Pool);
    CompatRun("timer_dpc", TimerDpc);
    CompatRun("work_item", WorkItem);
    CompatRun("system_thread", SystemThread);
    CompatRun("queue_and_cancel", QueueAndCancel);
    CompatRun("unload_and_reload", UnloadAndReload);
    CompatFinish();
}
