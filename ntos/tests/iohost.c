/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The I/O manager's side of a driver process, with the test playing the
 * driver runtime: a hello.exe process flagged as a driver host gets its
 * rings from NtDriverInitialize; the test reads the requests ntos puts in
 * the ring, writes completion records and raises the host's signal bit
 * (IoHandleDriverSignal, as the loop does). Covered: the host info and the
 * ring header, DriverEntry's status (completion Id 0), a device made and
 * found by name, its flags reported after IoCreateDevice, a buffered
 * IRP's system buffer mapped in the driver and copied back to the caller
 * at completion, the interim PENDING record, a completion with an unknown
 * Id, cancel records, a full request ring, a
 * broken completion ring, and the end of a driver process (its IRPs fail
 * with STATUS_DRIVER_PROCESS_TERMINATED, its device and \Driver name go;
 * nothing kept, a neither buffer of the caller's pages mapped included).
 */
#include "ktest.h"

#include <ob.h>
#include <ps.h>
#include <string.h>

#include "../io/iop.h"
#include "../ke/kep.h"
#include "../ps/psp.h"

static KREQUEST KtIoRequest;

static void KtIoBecome(PETHREAD Thread)
{
    KtIoRequest = (KREQUEST){.Thread = Thread};
    KiCurrentRequest = Thread ? &KtIoRequest : NULL;
}

typedef struct _KT_FAKE_DRIVER {
    PEPROCESS Process;
    PETHREAD Thread;
    PDRIVER_OBJECT Driver;
    DRIVER_HOST_INFO Info;
    PIOP_HOST Host;
} KT_FAKE_DRIVER;

static PEPROCESS KtIoHello(void)
{
    PEPROCESS Process = NULL;

    if (!CHECK_EQ(PsCreateProcessFromArchive("hello.exe", u"hello.exe -t", &Process),
                  STATUS_SUCCESS))
        return NULL;
    ObReferenceObject(Process);
    return Process;
}

static void KtIoEnd(PEPROCESS Process)
{
    if (Process == NULL)
        return;
    PsTerminateProcess(Process, 0);
    ObDereferenceObject(Process);
}

static UNICODE_STRING KtIoName(const char *Path, WCHAR *Buffer)
{
    USHORT n = 0;

    for (; Path[n]; n++)
        Buffer[n] = (WCHAR)Path[n];
    return (UNICODE_STRING){n * 2, n * 2, Buffer};
}

/* What NtLoadDriver does before the runtime runs, then the runtime's
 * NtDriverInitialize from the process's thread. */
static bool KtIoStartDriver(KT_FAKE_DRIVER *Fake, const char *Path)
{
    ULONG_PTR Va = 0;
    PDRIVER_OBJECT Driver;

    memset(Fake, 0, sizeof(*Fake));
    if (!CHECK_EQ(IoInitSystem(), STATUS_SUCCESS) || !(Fake->Process = KtIoHello()))
        return false;
    Fake->Thread = &PspProcess(Fake->Process)->Threads->Tcb;
    if (!CHECK_EQ(ObCreateObject(IoDriverObjectType, sizeof(*Driver), (PVOID *)&Driver),
                  STATUS_SUCCESS))
        return false;
    Fake->Driver = Driver;
    KeInitializeDispatcherHeader(&Driver->Loaded, KiNotificationObject, 0);
    memcpy(Driver->ImageName, "ktfake.sys", 11);
    for (ULONG i = 0; Path[i]; i++)
        Driver->Name[i] = (WCHAR)Path[i];
    CHECK_EQ(ObInsertPermanentObject(Driver, Path), STATUS_SUCCESS);
    Driver->Named = true;
    ObReferenceObject(Fake->Process);
    Driver->Process = Fake->Process;
    Fake->Process->DriverHost = true;
    Fake->Process->DriverObject = Driver;
    CHECK_EQ(MmReserveRange(Fake->Process->AddressSpace, &Va, PAGE_SIZE, PAGE_READWRITE, true),
             STATUS_SUCCESS);
    KtIoBecome(Fake->Thread);
    CHECK_EQ(NtDriverInitialize((USER_BUFFER){Va, 8}, 8), STATUS_INFO_LENGTH_MISMATCH);
    if (!CHECK_EQ(NtDriverInitialize((USER_BUFFER){Va, sizeof(Fake->Info)}, sizeof(Fake->Info)),
                  STATUS_SUCCESS))
        return false;
    CHECK_EQ(NtDriverInitialize((USER_BUFFER){Va, sizeof(Fake->Info)}, sizeof(Fake->Info)),
             STATUS_INVALID_DEVICE_STATE);
    KtIoBecome(NULL);
    CHECK_EQ(MmCopyFromUser(Fake->Process, &Fake->Info, Va, sizeof(Fake->Info)), STATUS_SUCCESS);
    Fake->Host = Driver->Host;
    return Fake->Host != NULL;
}

static void KtIoStopDriver(KT_FAKE_DRIVER *Fake)
{
    KtIoEnd(Fake->Process);
    if (Fake->Driver) {
        CHECK(Fake->Driver->Ended && Fake->Driver->Host == NULL && !Fake->Driver->Named);
        ObDereferenceObject(Fake->Driver);
    }
}

/* The ring as the driver sees it, through its own mapping. */
static void *KtIoRingPage(KT_FAKE_DRIVER *Fake, ULONG Page)
{
    PMMPFN Pfn =
        MmLookupUserPage(Fake->Process->AddressSpace, Fake->Info.RingBase + Page * PAGE_SIZE, true);

    return Pfn ? MmPageAddress(Pfn) : NULL;
}

static void KtIoCompleteCookie(KT_FAKE_DRIVER *Fake, ULONG64 Id, NTSTATUS Status,
                               ULONG64 Information, ULONG64 Cookie)
{
    IO_HOST_RING_HEADER *Header = KtIoRingPage(Fake, 0);
    IO_HOST_COMPLETION *Slots = KtIoRingPage(Fake, 2);
    PIOP_HOST Host = Fake->Host;

    Slots[Header->CompletionTail % Header->CompletionCount] = (IO_HOST_COMPLETION){
        .Id = Id, .Status = Status, .Information = Information, .Cookie = Cookie};
    Header->CompletionTail++;
    IoHandleDriverSignal(1ull << (KI_NOTIFY_DRIVER_SHIFT + Host->Index));
}

static void KtIoComplete(KT_FAKE_DRIVER *Fake, ULONG64 Id, NTSTATUS Status, ULONG64 Information)
{
    KtIoCompleteCookie(Fake, Id, Status, Information, 0);
}

static PDEVICE_OBJECT KtIoCreateDevice(KT_FAKE_DRIVER *Fake, const char *Path, ULONG_PTR Cookie)
{
    WCHAR Buffer[64];
    UNICODE_STRING Name = KtIoName(Path, Buffer);
    PDEVICE_OBJECT Device = NULL;
    HANDLE Handle;

    KtIoBecome(Fake->Thread);
    CHECK_EQ(NtDriverCreateDevice(&Name, 0x22, 0, 0, 0, &Handle), STATUS_INVALID_PARAMETER);
    CHECK_EQ(NtDriverCreateDevice(&Name, 0x22, 0, 0, Cookie, &Handle), STATUS_SUCCESS);
    CHECK_EQ(NtDriverCreateDevice(&Name, 0x22, 0, 0, Cookie, &Handle),
             STATUS_OBJECT_NAME_COLLISION);
    KtIoBecome(NULL);
    CHECK_EQ(ObReferenceObjectByName(&Name, OBJ_CASE_INSENSITIVE, IoDeviceObjectType, NULL,
                                     (PVOID *)&Device),
             STATUS_SUCCESS);
    return Device;
}

/* An IRP sent as IopCallDriver sends it, without the wait. */
static PIOP_IRP KtIoSend(KT_FAKE_DRIVER *Fake, PDEVICE_OBJECT Device, PETHREAD Caller, UCHAR Major)
{
    PIOP_IRP Irp;

    if (!CHECK_EQ(IopAllocateIrp(Fake->Driver, Device, NULL, Major, &Irp), STATUS_SUCCESS))
        return NULL;
    KtIoBecome(Caller);
    IopSetCaller(Irp);
    KtIoBecome(NULL);
    Irp->RefCount++;
    CHECK_EQ(IopQueueRequest(Fake->Host, Irp), STATUS_SUCCESS);
    return Irp;
}

KTEST(io_host_initialize_and_entry_status)
{
    KT_FAKE_DRIVER Fake;
    IO_HOST_RING_HEADER *Header;
    PEPROCESS Other = KtIoHello();
    WCHAR Buffer[32];
    UNICODE_STRING Name = KtIoName("\\Device\\KtNotMine", Buffer);
    HANDLE Handle;

    if (KtIoStartDriver(&Fake, "\\Driver\\KtInit")) {
        CHECK_EQ(Fake.Info.RingSize, 3 * PAGE_SIZE);
        CHECK_EQ(Fake.Info.RequestNotification, IO_HOST_REQUEST_SLOT);
        CHECK_EQ(Fake.Info.NtosNotification, IO_HOST_NTOS_SLOT);
        CHECK(Fake.Info.DriverName[0] == '\\' && Fake.Info.DriverName[8] == 'K');
        CHECK(Fake.Info.ImagePath[0] == '\\');
        Header = KtIoRingPage(&Fake, 0);
        if (CHECK(Header != NULL)) {
            CHECK_EQ(Header->RequestCount, 32);
            CHECK_EQ(Header->CompletionCount, 128);
            CHECK_EQ(Header->RequestOffset, PAGE_SIZE);
            CHECK_EQ(Header->CompletionOffset, 2 * PAGE_SIZE);
            /* DriverEntry's status: completion Id 0, taken once. */
            KtIoComplete(&Fake, 0, STATUS_SUCCESS, 0);
            CHECK_EQ(Fake.Driver->Loaded.SignalState, 1);
            CHECK_EQ(Fake.Driver->EntryStatus, STATUS_SUCCESS);
            KtIoComplete(&Fake, 0, STATUS_UNSUCCESSFUL, 0);
            CHECK_EQ(Fake.Driver->EntryStatus, STATUS_SUCCESS);
            CHECK_EQ(Header->CompletionHead, 2);
        }
    }
    /* The driver services refuse other processes. */
    if (Other) {
        KtIoBecome(&PspProcess(Other)->Threads->Tcb);
        CHECK_EQ(NtDriverInitialize((USER_BUFFER){0x10000, sizeof(DRIVER_HOST_INFO)},
                                    sizeof(DRIVER_HOST_INFO)),
                 STATUS_ACCESS_DENIED);
        CHECK_EQ(NtDriverCreateDevice(&Name, 0x22, 0, 0, 1, &Handle), STATUS_ACCESS_DENIED);
        KtIoBecome(NULL);
    }
    KtIoEnd(Other);
    KtIoStopDriver(&Fake);
}

KTEST(io_host_buffered_irp)
{
    KT_FAKE_DRIVER Fake;
    PEPROCESS Caller = KtIoHello();
    PDEVICE_OBJECT Device = NULL;
    IO_HOST_RING_HEADER *Header;
    IO_HOST_REQUEST *Requests;
    ULONG_PTR Out = 0;
    PIOP_IRP Irp = NULL;
    char Result[8] = {0};

    if (!Caller || !KtIoStartDriver(&Fake, "\\Driver\\KtBuffered"))
        goto out;
    Device = KtIoCreateDevice(&Fake, "\\Device\\KtBuffered", 0x5000);
    if (!Device)
        goto out;
    CHECK_EQ(Device->DriverCookie, 0x5000);
    /* The flags the driver set after IoCreateDevice (IO_HOST_ID_DEVICE_FLAGS). */
    CHECK_EQ(IopDeviceFlags(Device), 0);
    KtIoCompleteCookie(&Fake, IO_HOST_ID_DEVICE_FLAGS, 0, DO_BUFFERED_IO, 0x5001);
    CHECK_EQ(IopDeviceFlags(Device), 0);
    KtIoCompleteCookie(&Fake, IO_HOST_ID_DEVICE_FLAGS, 0, DO_BUFFERED_IO, 0x5000);
    CHECK_EQ(IopDeviceFlags(Device), DO_BUFFERED_IO);
    CHECK_EQ(MmReserveRange(Caller->AddressSpace, &Out, 2 * PAGE_SIZE, PAGE_READWRITE, true),
             STATUS_SUCCESS);
    CHECK_EQ(IopAllocateIrp(Fake.Driver, Device, NULL, IRP_MJ_READ, &Irp), STATUS_SUCCESS);
    if (!Irp)
        goto out;
    KtIoBecome(&PspProcess(Caller)->Threads->Tcb);
    IopSetCaller(Irp);
    CHECK_EQ(IopMapSystemBuffer(Irp, 0, 0, 6000), STATUS_SUCCESS);
    KtIoBecome(NULL);
    Irp->CopyOut = Out;
    Irp->CopyOutLength = 6000;
    Irp->RefCount++;
    CHECK_EQ(IopQueueRequest(Fake.Host, Irp), STATUS_SUCCESS);
    Header = KtIoRingPage(&Fake, 0);
    Requests = KtIoRingPage(&Fake, 1);
    CHECK_EQ(Header->RequestTail, 1);
    CHECK_EQ(Requests[0].Id, Irp->Id);
    CHECK_EQ(Requests[0].Device, 0x5000);
    CHECK_EQ(Requests[0].MajorFunction, IRP_MJ_READ);
    CHECK_EQ(Requests[0].Operation, IO_HOST_OP_IRP);
    CHECK(Requests[0].IrpFlags & IRP_BUFFERED_IO);
    CHECK_EQ(Requests[0].SystemBuffer, Irp->System.DriverVa);
    CHECK_EQ(Requests[0].Thread, PspProcess(Caller)->Threads->Tcb.UniqueThreadId);
    /* The driver writes its system buffer; ntos sees its own page change. */
    CHECK(MmLookupUserPage(Fake.Process->AddressSpace, Requests[0].SystemBuffer + PAGE_SIZE,
                           true) == Irp->System.Pages[1]);
    CHECK_EQ(MmCopyToUser(Fake.Process, Requests[0].SystemBuffer, "abcdefg", 8), STATUS_SUCCESS);
    CHECK(memcmp(MmPageAddress(Irp->System.Pages[0]), "abcdefg", 8) == 0);
    Header->RequestHead = 1;
    /* Interim PENDING: returned, not completed; a stranger's Id: ignored. */
    KtIoComplete(&Fake, Irp->Id, IO_HOST_STATUS_PENDING, 0);
    CHECK(Irp->PendingReturned && !Irp->Completed);
    CHECK_EQ(Irp->Returned.SignalState, 1);
    CHECK_EQ(Irp->Done.SignalState, 0);
    KtIoComplete(&Fake, Irp->Id + 1000, STATUS_SUCCESS, 0);
    CHECK(!Irp->Completed);
    /* The final record: 5 bytes back to the caller, the buffer unmapped. */
    ULONG_PTR DriverVa = Irp->System.DriverVa;
    KtIoComplete(&Fake, Irp->Id, STATUS_SUCCESS, 5);
    CHECK(Irp->Completed);
    CHECK_EQ(Irp->Status, STATUS_SUCCESS);
    CHECK_EQ(Irp->Information, 5);
    CHECK_EQ(Irp->Done.SignalState, 1);
    CHECK_EQ(MmCopyFromUser(Caller, Result, Out, 8), STATUS_SUCCESS);
    CHECK(memcmp(Result, "abcde\0\0", 8) == 0);
    CHECK(MmLookupUserPage(Fake.Process->AddressSpace, DriverVa, false) == NULL);
    /* Completing it again does nothing. */
    KtIoComplete(&Fake, Irp->Id, STATUS_UNSUCCESSFUL, 0);
    CHECK_EQ(Irp->Status, STATUS_SUCCESS);
    IopDereferenceIrp(Irp);
out:
    if (Device)
        ObDereferenceObject(Device);
    KtIoEnd(Caller);
    KtIoStopDriver(&Fake);
}

KTEST(io_host_cancel_and_full_ring)
{
    KT_FAKE_DRIVER Fake;
    PEPROCESS Caller = KtIoHello();
    PDEVICE_OBJECT Device = NULL;
    PIOP_IRP Irps[33] = {0};
    IO_HOST_RING_HEADER *Header;
    IO_HOST_REQUEST *Requests;
    PETHREAD Thread;

    if (!Caller || !KtIoStartDriver(&Fake, "\\Driver\\KtCancel"))
        goto out;
    Device = KtIoCreateDevice(&Fake, "\\Device\\KtCancel", 0x6000);
    if (!Device)
        goto out;
    Thread = &PspProcess(Caller)->Threads->Tcb;
    for (ULONG i = 0; i < 33; i++)
        Irps[i] = KtIoSend(&Fake, Device, Thread, IRP_MJ_DEVICE_CONTROL);
    Header = KtIoRingPage(&Fake, 0);
    Requests = KtIoRingPage(&Fake, 1);
    CHECK_EQ(Header->RequestTail, 32);
    CHECK(Irps[31] && Irps[31]->Sent);
    CHECK(Irps[32] && !Irps[32]->Sent); /* the ring is full: it waits */
    /* Cancel the thread's IRPs: the queued one completes CANCELLED now; the
     * others get cancel records once the driver takes requests. */
    IopCancelIrps(Thread, NULL);
    CHECK(Irps[32]->Completed);
    CHECK_EQ(Irps[32]->Status, STATUS_CANCELLED);
    CHECK(Irps[0]->CancelSent && !Irps[0]->Completed);
    CHECK_EQ(Header->RequestTail, 32);
    Header->RequestHead = 32; /* the driver took them all */
    KtIoComplete(&Fake, Irps[0]->Id, STATUS_CANCELLED, 0);
    CHECK_EQ(Header->RequestTail, 64); /* the 32 cancel records went out with the signal */
    CHECK_EQ(Requests[0].Operation, IO_HOST_OP_CANCEL);
    CHECK_EQ(Requests[31].Operation, IO_HOST_OP_CANCEL);
    CHECK_EQ(Requests[31].CancelId, Irps[0]->Id); /* newest first */
    CHECK(Irps[0]->Completed);
    CHECK_EQ(Irps[0]->Status, STATUS_CANCELLED);
    /* The driver dies with the rest outstanding. */
    PsTerminateProcess(Fake.Process, STATUS_ACCESS_VIOLATION);
    for (ULONG i = 1; i < 32; i++) {
        CHECK(Irps[i]->Completed);
        CHECK_EQ(Irps[i]->Status, STATUS_DRIVER_PROCESS_TERMINATED);
    }
    CHECK(Device->Deleted);
    CHECK(Fake.Driver->Ended && Fake.Driver->Host == NULL && !Fake.Driver->Named);
    CHECK(Fake.Driver->DeviceList == NULL);
    {
        WCHAR Buffer[32];
        UNICODE_STRING Name = KtIoName("\\Device\\KtCancel", Buffer);
        PVOID Object;
        CHECK_EQ(ObReferenceObjectByName(&Name, OBJ_CASE_INSENSITIVE, NULL, NULL, &Object),
                 STATUS_OBJECT_NAME_NOT_FOUND);
        Name = KtIoName("\\Driver\\KtCancel", Buffer);
        CHECK_EQ(ObReferenceObjectByName(&Name, OBJ_CASE_INSENSITIVE, NULL, NULL, &Object),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    }
    /* DriverEntry never reported: a waiting NtLoadDriver would fail. */
    CHECK_EQ(Fake.Driver->Loaded.SignalState, 1);
    CHECK_EQ(Fake.Driver->EntryStatus, STATUS_DRIVER_UNABLE_TO_LOAD);
out:
    for (ULONG i = 0; i < 33; i++)
        if (Irps[i])
            IopDereferenceIrp(Irps[i]);
    if (Device)
        ObDereferenceObject(Device);
    KtIoEnd(Caller);
    KtIoStopDriver(&Fake);
}

KTEST(io_host_broken_completion_ring)
{
    KT_FAKE_DRIVER Fake;
    IO_HOST_RING_HEADER *Header;

    if (!KtIoStartDriver(&Fake, "\\Driver\\KtBroken"))
        goto out;
    Header = KtIoRingPage(&Fake, 0);
    if (!CHECK(Header != NULL))
        goto out;
    Header->CompletionTail = Header->CompletionHead + 1000;
    IoHandleDriverSignal(1ull << (KI_NOTIFY_DRIVER_SHIFT + Fake.Host->Index));
    CHECK(Fake.Process->AddressSpace == NULL); /* ended */
    CHECK(Fake.Driver->Ended);
out:
    KtIoStopDriver(&Fake);
}

/* One life of a fake driver: loaded, its device made, a buffered IRP
 * mapped into it and queued, then the process ends with it outstanding.
 * neither branch: the IRP also maps three of the caller's pages as a
 * neither buffer, through the host's I/O window. */
static void KtIoDriverLife(PEPROCESS Caller)
{
    KT_FAKE_DRIVER Fake;
    PDEVICE_OBJECT Device = NULL;
    PIOP_IRP Irp = NULL;
    ULONG_PTR User = 0;
    ULONG64 DriverAddress = 0;

    if (KtIoStartDriver(&Fake, "\\Driver\\KtLife")) {
        KtIoComplete(&Fake, 0, STATUS_SUCCESS, 0);
        Device = KtIoCreateDevice(&Fake, "\\Device\\KtLife", 0x6000);
    }
    if (Device &&
        CHECK_EQ(IopAllocateIrp(Fake.Driver, Device, NULL, IRP_MJ_READ, &Irp), STATUS_SUCCESS)) {
        KtIoBecome(&PspProcess(Caller)->Threads->Tcb);
        IopSetCaller(Irp);
        CHECK_EQ(IopMapSystemBuffer(Irp, 0, 0, 6000), STATUS_SUCCESS);
        if (CHECK_EQ(
                MmReserveRange(Caller->AddressSpace, &User, 4 * PAGE_SIZE, PAGE_READWRITE, true),
                STATUS_SUCCESS))
            CHECK_EQ(IopMapNeitherBuffer(Irp, &Irp->User, User + 100, 2 * PAGE_SIZE, true, false,
                                         &DriverAddress),
                     STATUS_SUCCESS);
        CHECK(Irp->User.InWindow && (DriverAddress & (PAGE_SIZE - 1)) == 100);
        KtIoBecome(NULL);
        Irp->RefCount++;
        CHECK_EQ(IopQueueRequest(Fake.Host, Irp), STATUS_SUCCESS);
    }
    if (Device)
        ObDereferenceObject(Device);
    KtIoStopDriver(&Fake);
    if (Irp) {
        CHECK(Irp->Completed);
        IopDereferenceIrp(Irp);
    }
    if (User)
        MmReleaseRange(Caller->AddressSpace, User);
    PspFlushDeferred();
}

typedef struct _KT_IO_USAGE {
    ULONG FreePages, LiveObjects, Drivers, Devices, Processes, Threads;
    ULONGLONG UntypedPages;
    SIZE_T PoolBlocks, PoolBytes;
} KT_IO_USAGE;

static void KtIoMeasure(KT_IO_USAGE *Usage)
{
    PspFlushDeferred();
    Usage->FreePages = MiFreePageCount();
    Usage->LiveObjects = MiLiveObjectCount();
    Usage->UntypedPages = MiUntypedFreePages();
    Usage->Drivers = IoDriverObjectType->TotalNumberOfObjects;
    Usage->Devices = IoDeviceObjectType->TotalNumberOfObjects;
    Usage->Processes = PsProcessType->TotalNumberOfObjects;
    Usage->Threads = PsThreadType->TotalNumberOfObjects;
    MiQueryPoolUsage(&Usage->PoolBlocks, &Usage->PoolBytes);
}

/* A driver process that ends gives back all it had (io-fuzz's
 * crash_releases_memory once found ~17 pages kept a time: the paging
 * structures' holes in mm's frame chunks, and pool runs never merged). */
KTEST(io_host_end_gives_back_memory)
{
    PEPROCESS Caller = KtIoHello();
    KT_IO_USAGE Before, After;

    if (!Caller)
        return;
    KtIoDriverLife(Caller); /* caches that grow once */
    KtIoMeasure(&Before);
    for (ULONG i = 0; i < 8; i++)
        KtIoDriverLife(Caller);
    KtIoMeasure(&After);
    CHECK_EQ(After.FreePages, Before.FreePages);
    CHECK_EQ(After.LiveObjects, Before.LiveObjects);
    CHECK_EQ(After.UntypedPages, Before.UntypedPages);
    CHECK_EQ(After.PoolBlocks, Before.PoolBlocks);
    CHECK_EQ(After.PoolBytes, Before.PoolBytes);
    CHECK_EQ(After.Drivers, Before.Drivers);
    CHECK_EQ(After.Devices, Before.Devices);
    CHECK_EQ(After.Processes, Before.Processes);
    CHECK_EQ(After.Threads, Before.Threads);
    KtIoEnd(Caller);
}
