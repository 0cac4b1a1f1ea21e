/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The transport to a driver process (include/nt/iohost.h): three shared
 * pages (the header, 32 request slots, 128 completion slots) that ntos
 * keeps through its physmap and maps into the driver at NtDriverInitialize;
 * a notification the driver waits on for requests, and a copy of ntos's
 * bound notification badged with the host's bit, on which the driver
 * signals completions. ntos never trusts the driver's indices: a
 * completion names an IRP outstanding in that driver or is ignored, and
 * an impossible index ends the driver process.
 */
#include "iop.h"
#include <ps.h>

#define IOP_RING_PAGES       3
#define IOP_REQUEST_SLOTS    (PAGE_SIZE / sizeof(IO_HOST_REQUEST))
#define IOP_COMPLETION_SLOTS (PAGE_SIZE / sizeof(IO_HOST_COMPLETION))

static PIOP_HOST IopHosts[KI_NOTIFY_DRIVER_COUNT];

static IO_HOST_RING_HEADER *IopHeader(PIOP_HOST Host)
{
    return MmPageAddress(Host->Pages[0]);
}

NTSTATUS IopCurrentDriver(PDRIVER_OBJECT *Driver)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;

    *Driver = Process->DriverObject;
    if (!Process->DriverHost || *Driver == NULL)
        return STATUS_ACCESS_DENIED;
    return STATUS_SUCCESS;
}

/* ---- requests --------------------------------------------------------------------------- */

static void IopUnlinkQueued(PIOP_HOST Host, PIOP_IRP Irp)
{
    PIOP_IRP *Link, Previous = NULL;

    for (Link = &Host->QueueHead; *Link && *Link != Irp; Link = &(*Link)->NextQueued)
        Previous = *Link;
    if (*Link == NULL)
        return;
    *Link = Irp->NextQueued;
    if (Host->QueueTail == Irp)
        Host->QueueTail = Previous;
    Irp->NextQueued = NULL;
}

static void IopUnlinkOutstanding(PIOP_HOST Host, PIOP_IRP Irp)
{
    if (Irp->Prev)
        Irp->Prev->Next = Irp->Next;
    else if (Host->Outstanding == Irp)
        Host->Outstanding = Irp->Next;
    if (Irp->Next)
        Irp->Next->Prev = Irp->Prev;
    Irp->Next = Irp->Prev = NULL;
}

/* Move queued requests into free request slots; signal the driver. */
static void IopPushRequests(PIOP_HOST Host)
{
    IO_HOST_RING_HEADER *Header = IopHeader(Host);
    IO_HOST_REQUEST *Slots = MmPageAddress(Host->Pages[1]);
    uint32_t Tail = Header->RequestTail;
    bool Pushed = false;

    while (Host->QueueHead != NULL) {
        uint32_t Head = __atomic_load_n(&Header->RequestHead, __ATOMIC_ACQUIRE);
        if ((uint32_t)(Tail - Head) >= IOP_REQUEST_SLOTS)
            break; /* full (or a driver's garbage head: it gets nothing more) */
        PIOP_IRP Irp = Host->QueueHead;
        IopUnlinkQueued(Host, Irp);
        Slots[Tail % IOP_REQUEST_SLOTS] = Irp->Request;
        Tail++;
        __atomic_store_n(&Header->RequestTail, Tail, __ATOMIC_RELEASE);
        Irp->Sent = true;
        Pushed = true;
        if (Irp->NoCompletion)
            IopDereferenceIrp(Irp);
    }
    if (Pushed)
        seL4_Signal(Host->Notification);
}

NTSTATUS IopQueueRequest(PIOP_HOST Host, PIOP_IRP Irp)
{
    if (!Irp->NoCompletion) {
        Irp->Next = Host->Outstanding;
        Irp->Prev = NULL;
        if (Host->Outstanding)
            Host->Outstanding->Prev = Irp;
        Host->Outstanding = Irp;
    }
    Irp->NextQueued = NULL;
    if (Host->QueueTail)
        Host->QueueTail->NextQueued = Irp;
    else
        Host->QueueHead = Irp;
    Host->QueueTail = Irp;
    IopPushRequests(Host);
    return STATUS_SUCCESS;
}

/* Cancel Irp: one still queued completes CANCELLED now; one the driver has
 * gets an IO_HOST_OP_CANCEL record (once). */
void IopSendCancel(PIOP_IRP Irp)
{
    PIOP_HOST Host = Irp->Driver->Host;
    PIOP_IRP Cancel;

    if (Host == NULL || Irp->Completed || Irp->CancelSent)
        return;
    if (!Irp->Sent) {
        IopUnlinkQueued(Host, Irp);
        IopUnlinkOutstanding(Host, Irp);
        IopCompleteIrp(Irp, STATUS_CANCELLED, 0, 0);
        return;
    }
    if (!NT_SUCCESS(IopAllocateIrp(Irp->Driver, Irp->Device, NULL, 0, &Cancel)))
        return; /* FIXME: no memory for the record: the IRP stays until the driver ends it */
    Irp->CancelSent = true;
    Cancel->NoCompletion = true;
    Cancel->Request.Operation = IO_HOST_OP_CANCEL;
    Cancel->Request.CancelId = Irp->Id;
    IopQueueRequest(Host, Cancel);
}

/* ---- completions ---------------------------------------------------------------------- */

static PIOP_IRP IopFindOutstanding(PIOP_HOST Host, ULONG64 Id)
{
    for (PIOP_IRP Irp = Host->Outstanding; Irp; Irp = Irp->Next)
        if (Irp->Id == Id)
            return Irp;
    return NULL;
}

static void IopHandleCompletion(PIOP_HOST Host, const IO_HOST_COMPLETION *Record)
{
    PDRIVER_OBJECT Driver = Host->Driver;
    PIOP_IRP Irp;

    if (Record->Id == 0) {
        if (Driver->Loaded.SignalState == 0) {
            Driver->EntryStatus = Record->Status;
            Driver->EntryFlags = (ULONG)Record->Information; /* pnp */
            KeSignalObject(&Driver->Loaded, 1);
            IopDeviceGeneration++; /* its devices are ready for opens now */
        }
        return;
    }
    if (Record->Id == IO_HOST_ID_DEVICE_FLAGS) {
        for (PDEVICE_OBJECT Device = Driver->DeviceList; Device; Device = Device->NextDevice)
            if (Device->DriverCookie == Record->Cookie) {
                Device->Flags = (ULONG)Record->Information;
                Device->AlignmentRequirement = (ULONG)(Record->Information >> 32); /* xcall */
            }
        return;
    }
    Irp = IopFindOutstanding(Host, Record->Id);
    if (Irp == NULL || !Irp->Sent)
        return; /* not an IRP of this driver: ignored */
    if (Record->Status == IO_HOST_STATUS_PENDING) {
        IopMarkPending(Irp);
        return;
    }
    IopUnlinkOutstanding(Host, Irp);
    IopCompleteIrp(Irp, Record->Status, Record->Information, Record->Cookie);
}

/* Take every completion the driver produced. False: its ring is garbage. */
static bool IopDrainHost(PIOP_HOST Host)
{
    IO_HOST_RING_HEADER *Header = IopHeader(Host);
    IO_HOST_COMPLETION *Slots = MmPageAddress(Host->Pages[2]);
    uint32_t Head = Header->CompletionHead;
    uint32_t Tail = __atomic_load_n(&Header->CompletionTail, __ATOMIC_ACQUIRE);
    ULONG Index = Host->Index;

    if ((uint32_t)(Tail - Head) > IOP_COMPLETION_SLOTS)
        return false;
    for (; Head != Tail; Head++) {
        IO_HOST_COMPLETION Record = Slots[Head % IOP_COMPLETION_SLOTS];
        __atomic_store_n(&Header->CompletionHead, Head + 1, __ATOMIC_RELEASE);
        IopHandleCompletion(Host, &Record);
        if (IopHosts[Index] != Host)
            return true; /* the host went meanwhile */
    }
    IopPushRequests(Host);
    return true;
}

void IoHandleDriverSignal(seL4_Word Bits)
{
    for (ULONG i = 0; i < KI_NOTIFY_DRIVER_COUNT; i++) {
        PIOP_HOST Host = IopHosts[i];
        if (!(Bits & (1ull << (KI_NOTIFY_DRIVER_SHIFT + i))) || Host == NULL)
            continue;
        if (!IopDrainHost(Host)) {
            KePrint("io: driver %s wrote a broken completion ring; ending it\n",
                    Host->Driver->ImageName);
            PsTerminateProcess(Host->Process, STATUS_DRIVER_PROCESS_TERMINATED);
        }
    }
}

/* ---- the host's life ------------------------------------------------------------------ */

static NTSTATUS IopCreateNotifications(PIOP_HOST Host)
{
    seL4_CPtr Bound = KeGetBoundNotification();
    seL4_CapRights_t SignalOnly = seL4_CapRights_new(0, 0, 0, 1);
    NTSTATUS Status;

    if (Bound == 0)
        return STATUS_INSUFFICIENT_RESOURCES; /* no bound notification: no timer hardware */
    Status = MmAllocateObject(seL4_NotificationObject, 0, &Host->Notification);
    if (!NT_SUCCESS(Status))
        return Status;
    Host->NtosBadged = MmAllocateSlot();
    if (Host->NtosBadged == 0)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (seL4_CNode_Mint(MmRootCNode, Host->NtosBadged, MM_CPTR_DEPTH, MmRootCNode, Bound,
                        MM_CPTR_DEPTH, SignalOnly,
                        KI_BADGE_NOTIFY | (1ull << (KI_NOTIFY_DRIVER_SHIFT + Host->Index))) !=
        seL4_NoError) {
        MmFreeSlot(Host->NtosBadged);
        Host->NtosBadged = 0;
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_SUCCESS;
}

/* The ring pages, filled in, mapped at a free range of the driver. */
static NTSTATUS IopCreateRing(PIOP_HOST Host)
{
    MMADDRESS_SPACE *Space = Host->Process->AddressSpace;
    IO_HOST_RING_HEADER *Header;
    NTSTATUS Status = STATUS_SUCCESS;

    for (ULONG i = 0; i < IOP_RING_PAGES && NT_SUCCESS(Status); i++)
        Status = MmAllocatePhysicalPage(&Host->Pages[i]);
    if (NT_SUCCESS(Status))
        Status = MmReserveRange(Space, &Host->RingBase, IOP_RING_PAGES * PAGE_SIZE, PAGE_READWRITE,
                                false);
    for (ULONG i = 0; i < IOP_RING_PAGES && NT_SUCCESS(Status); i++)
        Status = MmMapPage(Space, Host->RingBase + i * PAGE_SIZE, Host->Pages[i], PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    Header = IopHeader(Host);
    Header->RequestCount = IOP_REQUEST_SLOTS;
    Header->CompletionCount = IOP_COMPLETION_SLOTS;
    Header->RequestOffset = PAGE_SIZE;
    Header->CompletionOffset = 2 * PAGE_SIZE;
    Header->DataOffset = Header->DataSize = 0; /* buffers are pages of their own */
    return STATUS_SUCCESS;
}

void IopDeleteHost(PIOP_HOST Host)
{
    IopHosts[Host->Index] = NULL;
    if (Host->Window) /* neither branch: after every IRP's buffers went (IopFailHost) */
        MmDeleteIoWindow(Host->Window, Host->Process->AddressSpace == NULL);
    if (Host->RingBase && Host->Process->AddressSpace)
        MmReleaseRange(Host->Process->AddressSpace, Host->RingBase);
    for (ULONG i = 0; i < IOP_RING_PAGES; i++)
        if (Host->Pages[i])
            MmDereferencePage(Host->Pages[i]);
    if (Host->NtosBadged) {
        /* The driver threads' copies go with it (they derive from it). */
        seL4_CNode_Revoke(MmRootCNode, Host->NtosBadged, MM_CPTR_DEPTH);
        seL4_CNode_Delete(MmRootCNode, Host->NtosBadged, MM_CPTR_DEPTH);
        MmFreeSlot(Host->NtosBadged);
    }
    if (Host->Notification)
        MmFreeObject(Host->Notification);
    ExFreePoolWithTag(Host, IOP_HOST_TAG);
}

static NTSTATUS IopCreateHost(PDRIVER_OBJECT Driver, PIOP_HOST *Result)
{
    PIOP_HOST Host;
    ULONG Index;
    NTSTATUS Status;

    for (Index = 0; Index < KI_NOTIFY_DRIVER_COUNT && IopHosts[Index]; Index++)
        ;
    if (Index == KI_NOTIFY_DRIVER_COUNT)
        return STATUS_INSUFFICIENT_RESOURCES;
    Host = ExAllocatePoolWithTag(sizeof(*Host), IOP_HOST_TAG);
    if (Host == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Host->Driver = Driver;
    Host->Process = Driver->Process;
    Host->Index = Index;
    IopHosts[Index] = Host;
    Status = IopCreateNotifications(Host);
    if (NT_SUCCESS(Status))
        Status = IopCreateRing(Host);
    if (NT_SUCCESS(Status))
        Status = PsCopyCapToThreads(Host->Process, IO_HOST_REQUEST_SLOT, Host->Notification);
    if (NT_SUCCESS(Status))
        Status = PsCopyCapToThreads(Host->Process, IO_HOST_NTOS_SLOT, Host->NtosBadged);
    if (!NT_SUCCESS(Status)) {
        IopDeleteHost(Host);
        return Status;
    }
    *Result = Host;
    return STATUS_SUCCESS;
}

NTSTATUS IoInitializeDriverThread(PETHREAD Thread)
{
    PDRIVER_OBJECT Driver = Thread->Process->DriverObject;
    NTSTATUS Status;

    if (Driver == NULL || Driver->Host == NULL)
        return STATUS_SUCCESS; /* NtDriverInitialize gives every thread its caps */
    Status = PsCopyCapToThread(Thread, IO_HOST_REQUEST_SLOT, Driver->Host->Notification);
    if (NT_SUCCESS(Status))
        Status = PsCopyCapToThread(Thread, IO_HOST_NTOS_SLOT, Driver->Host->NtosBadged);
    return Status;
}

static void IopCopyName(uint16_t *To, const WCHAR *From)
{
    ULONG i;

    for (i = 0; i + 1 < IO_HOST_NAME_CHARS && From[i]; i++)
        To[i] = From[i];
    To[i] = 0;
}

NTSTATUS NtDriverInitialize(USER_BUFFER Info, ULONG Length)
{
    static DRIVER_HOST_INFO HostInfo; /* filled and copied without a wait */
    PDRIVER_OBJECT Driver;
    PIOP_HOST Host;
    NTSTATUS Status = IopCurrentDriver(&Driver);

    if (!NT_SUCCESS(Status))
        return Status;
    if (Length != sizeof(DRIVER_HOST_INFO))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (Driver->Host != NULL || Driver->Ended)
        return STATUS_INVALID_DEVICE_STATE; /* once per process */
    Status = IopCreateHost(Driver, &Host);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&HostInfo, 0, sizeof(HostInfo));
    HostInfo.RingBase = Host->RingBase;
    HostInfo.RingSize = IOP_RING_PAGES * PAGE_SIZE;
    HostInfo.RequestNotification = IO_HOST_REQUEST_SLOT;
    HostInfo.NtosNotification = IO_HOST_NTOS_SLOT;
    IopCopyName(HostInfo.DriverName, Driver->Name);
    IopCopyName(HostInfo.ServiceKey, Driver->ServiceKey);
    {
        static const char Prefix[] = "\\SystemRoot\\System32\\drivers\\";
        WCHAR Path[IO_HOST_NAME_CHARS];
        ULONG n = 0;
        for (ULONG i = 0; Prefix[i]; i++)
            Path[n++] = Prefix[i];
        for (ULONG i = 0; Driver->ImageName[i] && n + 1 < IO_HOST_NAME_CHARS; i++)
            Path[n++] = (WCHAR)Driver->ImageName[i];
        Path[n] = 0;
        IopCopyName(HostInfo.ImagePath, Path);
    }
    Status = MmCopyToUser(KeGetCurrentThread()->Process, Info.Address, &HostInfo, sizeof(HostInfo));
    if (!NT_SUCCESS(Status)) {
        IopDeleteHost(Host);
        return Status;
    }
    Driver->Host = Host;
    return STATUS_SUCCESS;
}

/* ---- the end of a driver process ------------------------------------------------------------ */

/* Every IRP of the host fails; the host goes. */
void IopFailHost(PIOP_HOST Host)
{
    PIOP_IRP Irp;

    while (Host->QueueHead) {
        Irp = Host->QueueHead;
        IopUnlinkQueued(Host, Irp);
        if (Irp->NoCompletion)
            IopDereferenceIrp(Irp);
    }
    while ((Irp = Host->Outstanding) != NULL) {
        IopUnlinkOutstanding(Host, Irp);
        IopCompleteIrp(Irp, STATUS_DRIVER_PROCESS_TERMINATED, 0, 0);
    }
    IopDeleteHost(Host);
}

void IopCancelIrps(PETHREAD Thread, PFILE_OBJECT FileObject)
{
    IopCancelStoreNotifications(Thread, FileObject); /* dirctl: no driver holds those */
    for (ULONG i = 0; i < KI_NOTIFY_DRIVER_COUNT; i++) {
        PIOP_HOST Host = IopHosts[i];
        PIOP_IRP Irp, Next;
        if (Host == NULL)
            continue;
        for (Irp = Host->Outstanding; Irp; Irp = Next) {
            Next = Irp->Next;
            if (Irp->Thread == Thread && (FileObject == NULL || Irp->FileObject == FileObject))
                IopSendCancel(Irp);
        }
    }
}

PIOP_IRP IopFindIrp(PETHREAD Thread, PFILE_OBJECT FileObject)
{
    for (ULONG i = 0; i < KI_NOTIFY_DRIVER_COUNT; i++) {
        PIOP_HOST Host = IopHosts[i];
        if (Host == NULL)
            continue;
        for (PIOP_IRP Irp = Host->Outstanding; Irp; Irp = Irp->Next)
            if (Irp->Thread == Thread && Irp->FileObject == FileObject && !Irp->Completed) {
                Irp->RefCount++;
                return Irp;
            }
    }
    return NULL;
}

void IoThreadEnded(PETHREAD Thread)
{
    IopCancelIrps(Thread, NULL);
}
