/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRPs, ntos's half: who asked (thread, file, the caller's completion),
 * what goes down the ring (an IO_HOST_REQUEST), the buffers the driver
 * sees, and the state. Buffers become pages mapped into the driver process
 * for the IRP's life: ntos's own pages for buffered I/O (copied in before,
 * out after), the caller's own pages for direct I/O. IopCallDriver sends
 * an IRP and waits (fiber) until the dispatch routine returned.
 */
#include "iop.h"
#include <ex.h>

static ULONGLONG IopLastIrpId;

ULONGLONG IopNextIrpId(void)
{
    return ++IopLastIrpId; /* never 0: Id 0 is DriverEntry's status */
}

NTSTATUS IopAllocateIrp(PDRIVER_OBJECT Driver, PDEVICE_OBJECT Device, PFILE_OBJECT FileObject,
                        UCHAR Major, PIOP_IRP *Result)
{
    PIOP_IRP Irp = ExAllocatePoolWithTag(sizeof(*Irp), IOP_IRP_TAG);

    *Result = NULL;
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->Id = IopNextIrpId();
    Irp->RefCount = 1;
    Irp->Driver = Driver;
    ObReferenceObject(Driver);
    Irp->Device = Device;
    if (Device)
        ObReferenceObject(Device);
    Irp->FileObject = FileObject;
    if (FileObject)
        ObReferenceObject(FileObject);
    KeInitializeDispatcherHeader(&Irp->Returned, KiNotificationObject, 0);
    KeInitializeDispatcherHeader(&Irp->Done, KiNotificationObject, 0);
    Irp->Request.Id = Irp->Id;
    Irp->Request.Device = Device ? Device->DriverCookie : 0;
    Irp->Request.File = FileObject ? FileObject->DriverCookie : 0;
    Irp->Request.Operation = IO_HOST_OP_IRP;
    Irp->Request.MajorFunction = Major;
    *Result = Irp;
    return STATUS_SUCCESS;
}

void IopSetCaller(PIOP_IRP Irp)
{
    Irp->Thread = KeGetCurrentThread();
    ObReferenceObject(Irp->Thread);
    Irp->Request.Thread = Irp->Thread->UniqueThreadId;
}

void IopSetUserCompletion(PIOP_IRP Irp, USER_ADDRESS IoStatusBlock, DISPATCHER_HEADER *Event,
                          USER_ADDRESS ApcRoutine, USER_ADDRESS ApcContext)
{
    Irp->UserCompletion = true;
    IopSetCaller(Irp);
    Irp->IoStatusBlock = IoStatusBlock;
    Irp->Event = Event;
    if (Event)
        ObReferenceObject(Event);
    Irp->ApcRoutine = ApcRoutine.Value;
    Irp->ApcContext = ApcContext.Value;
}

void IopDereferenceIrp(PIOP_IRP Irp)
{
    ASSERT(Irp->RefCount > 0);
    if (--Irp->RefCount != 0)
        return;
    IopReleaseBuffers(Irp);
    if (Irp->Event)
        ObDereferenceObject(Irp->Event);
    if (Irp->Thread)
        ObDereferenceObject(Irp->Thread);
    if (Irp->FileObject)
        ObDereferenceObject(Irp->FileObject);
    if (Irp->Device)
        ObDereferenceObject(Irp->Device);
    ObDereferenceObject(Irp->Driver);
    ExFreePoolWithTag(Irp, IOP_IRP_TAG);
}

/* ---- buffers ------------------------------------------------------------------------- */

/* The driver's address space while its process runs. */
static MMADDRESS_SPACE *IopDriverSpace(PIOP_IRP Irp)
{
    PEPROCESS Process = Irp->Driver->Process;

    return Process && !Irp->Driver->Ended ? Process->AddressSpace : NULL;
}

/* The host's I/O window, made at the first buffer: NULL when it cannot
 * be (each buffer then gets a reservation of its own). */
static MM_IO_WINDOW *IopHostWindow(PIOP_IRP Irp, MMADDRESS_SPACE *Space)
{
    PIOP_HOST Host = Irp->Driver->Host;

    if (Host == NULL)
        return NULL;
    if (Host->Window == NULL && !NT_SUCCESS(MmCreateIoWindow(Space, &Host->Window)))
        Host->Window = NULL;
    return Host->Window;
}

/* Map Buffer's pages into the driver process: in its I/O window, or at a
 * fresh reservation when they do not fit there. */
static NTSTATUS IopMapBuffer(PIOP_IRP Irp, IOP_BUFFER *Buffer, ULONG Protect)
{
    MMADDRESS_SPACE *Space = IopDriverSpace(Irp);
    MM_IO_WINDOW *Window;
    ULONG_PTR Base = 0;
    NTSTATUS Status;

    if (Space == NULL)
        return STATUS_DRIVER_PROCESS_TERMINATED;
    Window = IopHostWindow(Irp, Space);
    if (Window &&
        NT_SUCCESS(MmMapIoPages(Window, Buffer->Pages, Buffer->PageCount, Protect, &Base))) {
        Buffer->DriverVa = Base;
        Buffer->InWindow = true;
        return STATUS_SUCCESS;
    }
    Base = 0;
    Status = MmReserveIoRange(Space, &Base, (SIZE_T)Buffer->PageCount * PAGE_SIZE);
    if (NT_SUCCESS(Status))
        Buffer->DriverVa = Base;
    for (ULONG i = 0; i < Buffer->PageCount && NT_SUCCESS(Status); i++)
        Status = MmMapPage(Space, Base + (ULONG_PTR)i * PAGE_SIZE, Buffer->Pages[i], Protect);
    /* The driver's address space is full: what Windows says when it
     * cannot lock or map a buffer. */
    return NT_SUCCESS(Status) ? Status : STATUS_INSUFFICIENT_RESOURCES;
}

static NTSTATUS IopAllocateBufferPages(IOP_BUFFER *Buffer, ULONG Offset, ULONG Length)
{
    ULONG Count = (ULONG)(ROUND_TO_PAGES((ULONG64)Offset + Length) / PAGE_SIZE);

    Buffer->Pages = Count <= ARRAYSIZE(Buffer->Inline)
                        ? Buffer->Inline
                        : ExAllocatePoolWithTag(Count * sizeof(PMMPFN), IOP_IRP_TAG);
    if (Buffer->Pages == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Buffer->Offset = Offset;
    Buffer->Length = Length;
    return STATUS_SUCCESS;
}

/* ntos's own zeroed pages for Length bytes. */
static NTSTATUS IopAllocateSystemPages(IOP_BUFFER *Buffer, ULONG Length)
{
    NTSTATUS Status = IopAllocateBufferPages(Buffer, 0, Length);
    ULONG Count = (ULONG)(ROUND_TO_PAGES(Length) / PAGE_SIZE);

    Buffer->Owned = true;
    while (NT_SUCCESS(Status) && Buffer->PageCount < Count) {
        Status = MmAllocatePhysicalPage(&Buffer->Pages[Buffer->PageCount]);
        if (NT_SUCCESS(Status))
            Buffer->PageCount++;
    }
    return Status;
}

/* Copy between a caller's memory and Buffer's pages (From: user -> pages). */
static NTSTATUS IopCopyPages(PEPROCESS Process, IOP_BUFFER *Buffer, ULONG_PTR User, ULONG Length,
                             bool FromUser)
{
    for (ULONG Done = 0; Done < Length;) {
        ULONG Page = (Buffer->Offset + Done) / PAGE_SIZE;
        ULONG In = (Buffer->Offset + Done) % PAGE_SIZE;
        ULONG Chunk = PAGE_SIZE - In < Length - Done ? PAGE_SIZE - In : Length - Done;
        UCHAR *Bytes = (UCHAR *)MmPageAddress(Buffer->Pages[Page]) + In;
        NTSTATUS Status = FromUser ? MmCopyFromUser(Process, Bytes, User + Done, Chunk)
                                   : MmCopyToUser(Process, User + Done, Bytes, Chunk);
        if (!NT_SUCCESS(Status))
            return Status;
        Done += Chunk;
    }
    return STATUS_SUCCESS;
}

/* Windows probes a caller's buffer (ProbeForRead/Write touch every page)
 * before it allocates anything for the request: every page of the range
 * committed and accessible for the access. Without it a huge length made
 * ntos allocate a page array and pages for it before the copy failed
 * (found by io-fuzz: the pool kept megabytes for good). */
NTSTATUS IopProbeCallerBuffer(ULONG_PTR Address, ULONG Length, bool Write)
{
    MMADDRESS_SPACE *Space = KeGetCurrentThread()->Process->AddressSpace;
    ULONG_PTR Va = Address, End = Address + Length;
    MM_REGION_INFO Info;

    if (Length == 0)
        return STATUS_SUCCESS;
    if (End < Address || End > KI_USER_PROBE_END || Space == NULL)
        return STATUS_ACCESS_VIOLATION;
    while (Va < End) {
        ULONG Protect;

        if (!NT_SUCCESS(MmQueryRange(Space, Va, &Info)) || Info.State != MM_STATE_COMMIT ||
            Info.RegionSize == 0)
            return STATUS_ACCESS_VIOLATION;
        Protect = Info.Protect & 0xFF;
        if ((Info.Protect & PAGE_GUARD) || Protect == PAGE_NOACCESS || Protect == 0)
            return STATUS_ACCESS_VIOLATION;
        if (Write && Protect != PAGE_READWRITE && Protect != PAGE_WRITECOPY &&
            Protect != PAGE_EXECUTE_READWRITE && Protect != PAGE_EXECUTE_WRITECOPY)
            return STATUS_ACCESS_VIOLATION;
        Va = Info.BaseAddress + Info.RegionSize;
    }
    return STATUS_SUCCESS;
}

NTSTATUS IopMapSystemBuffer(PIOP_IRP Irp, ULONG_PTR UserInput, ULONG InputLength, ULONG Length)
{
    NTSTATUS Status;

    if (Length == 0)
        return STATUS_SUCCESS;
    Status = IopProbeCallerBuffer(UserInput, InputLength, false);
    if (NT_SUCCESS(Status))
        Status = IopAllocateSystemPages(&Irp->System, Length);
    if (NT_SUCCESS(Status) && InputLength)
        Status =
            IopCopyPages(KeGetCurrentThread()->Process, &Irp->System, UserInput, InputLength, true);
    if (NT_SUCCESS(Status))
        Status = IopMapBuffer(Irp, &Irp->System, PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        Irp->Request.SystemBuffer = Irp->System.DriverVa;
        Irp->Request.IrpFlags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
    }
    return Status;
}

NTSTATUS IopMapKernelData(PIOP_IRP Irp, const void *Data, ULONG Length)
{
    NTSTATUS Status = IopAllocateSystemPages(&Irp->Name, Length);

    for (ULONG Done = 0; NT_SUCCESS(Status) && Done < Length; Done += PAGE_SIZE)
        memcpy(MmPageAddress(Irp->Name.Pages[Done / PAGE_SIZE]), (const UCHAR *)Data + Done,
               Length - Done < PAGE_SIZE ? Length - Done : PAGE_SIZE);
    if (NT_SUCCESS(Status))
        Status = IopMapBuffer(Irp, &Irp->Name, PAGE_READONLY);
    return Status;
}

#define IOP_UNPROBED_PAGES 4

/* The caller's pages of [UserAddress, +Length) in Buffer, probed, faulted
 * in as the caller's own touch would (a write makes a copy-on-write page
 * private) and referenced until the buffer is released. */
static NTSTATUS IopLockCallerPages(IOP_BUFFER *Buffer, ULONG_PTR UserAddress, ULONG Length,
                                   bool Write)
{
    MMADDRESS_SPACE *Caller = KeGetCurrentThread()->Process->AddressSpace;
    ULONG_PTR First = PAGE_ALIGN_DOWN(UserAddress), End = UserAddress + Length;
    NTSTATUS Status = STATUS_SUCCESS;

    /* A few pages: the lookups below refuse what the probe would (and the
     * range is checked here), so the region walk is only worth it before
     * a larger page array is allocated. */
    if (End < UserAddress || End > KI_USER_PROBE_END || Caller == NULL)
        return STATUS_ACCESS_VIOLATION;
    if (Length > IOP_UNPROBED_PAGES * PAGE_SIZE)
        Status = IopProbeCallerBuffer(UserAddress, Length, Write);
    if (NT_SUCCESS(Status))
        Status = IopAllocateBufferPages(Buffer, (ULONG)(UserAddress - First), Length);
    if (!NT_SUCCESS(Status))
        return Status;
    Buffer->PageCount = (ULONG)(ROUND_TO_PAGES(UserAddress + Length) - First) / PAGE_SIZE;
    for (ULONG i = 0; i < Buffer->PageCount; i++) {
        Buffer->Pages[i] = MmLookupUserPage(Caller, First + (ULONG_PTR)i * PAGE_SIZE, Write);
        if (Buffer->Pages[i] == NULL) {
            Buffer->PageCount = 0;
            return STATUS_ACCESS_VIOLATION;
        }
    }
    return STATUS_SUCCESS;
}

NTSTATUS IopMapCallerPages(PIOP_IRP Irp, ULONG_PTR UserAddress, ULONG Length, bool Write)
{
    NTSTATUS Status;

    if (Length == 0)
        return STATUS_SUCCESS;
    Status = IopLockCallerPages(&Irp->Mdl, UserAddress, Length, Write);
    if (NT_SUCCESS(Status))
        Status = IopMapBuffer(Irp, &Irp->Mdl, Write ? PAGE_READWRITE : PAGE_READONLY);
    if (NT_SUCCESS(Status)) {
        Irp->Request.MdlAddress = Irp->Mdl.DriverVa;
        Irp->Request.MdlByteOffset = Irp->Mdl.Offset;
        Irp->Request.MdlByteCount = Length;
    }
    return Status;
}

/* A neither write's buffer that fails the probe: Windows passes it to the
 * driver unprobed (NtWriteFile checks its range only; \Device\Null takes
 * a write from uncommitted memory). The driver gets a reservation of the
 * same span with nothing mapped: touching it faults in the driver, as the
 * caller's bad page would fault a Windows driver. */
static NTSTATUS IopReserveUnreachable(PIOP_IRP Irp, IOP_BUFFER *Buffer, ULONG_PTR UserAddress,
                                      ULONG Length)
{
    MMADDRESS_SPACE *Space = IopDriverSpace(Irp);
    ULONG_PTR First = PAGE_ALIGN_DOWN(UserAddress);
    NTSTATUS Status;

    if (Space == NULL)
        return STATUS_DRIVER_PROCESS_TERMINATED;
    Status =
        MmReserveIoRange(Space, &Buffer->DriverVa, ROUND_TO_PAGES(UserAddress + Length) - First);
    Buffer->Offset = (ULONG)(UserAddress - First);
    Buffer->Length = Length;
    return NT_SUCCESS(Status) ? Status : STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS IopMapNeitherBuffer(PIOP_IRP Irp, IOP_BUFFER *Buffer, ULONG_PTR UserAddress, ULONG Length,
                             bool Write, bool Unprobed, ULONG64 *DriverAddress)
{
    NTSTATUS Status;

    *DriverAddress = UserAddress;
    if (Length == 0)
        return STATUS_SUCCESS; /* nothing to reach: the value as the caller gave it */
    Status = IopLockCallerPages(Buffer, UserAddress, Length, Write);
    if (NT_SUCCESS(Status))
        Status = IopMapBuffer(Irp, Buffer, Write ? PAGE_READWRITE : PAGE_READONLY);
    else if (Status == STATUS_ACCESS_VIOLATION && Unprobed && !Write)
        Status = IopReserveUnreachable(Irp, Buffer, UserAddress, Length);
    if (NT_SUCCESS(Status))
        *DriverAddress = Buffer->DriverVa + Buffer->Offset;
    return Status;
}

/* Copy a buffered transfer's output back to the caller (at completion). */
NTSTATUS IopCopyOut(PIOP_IRP Irp, ULONG Length)
{
    if (Irp->System.Pages == NULL || Length == 0)
        return STATUS_SUCCESS;
    if (Irp->Thread->Process->AddressSpace == NULL)
        return STATUS_ACCESS_VIOLATION; /* the caller's process ended meanwhile */
    return IopCopyPages(Irp->Thread->Process, &Irp->System, Irp->CopyOut, Length, false);
}

/* Unmap at once, whatever happens to the request's caller: the driver
 * never sees a page after its IRP. A driver process that ended took its
 * mappings with it (its window goes with its host). */
static void IopReleaseBuffer(PIOP_IRP Irp, IOP_BUFFER *Buffer)
{
    MMADDRESS_SPACE *Space = IopDriverSpace(Irp);
    PIOP_HOST Host = Irp->Driver->Host;

    if (Buffer->Pages == NULL && Buffer->DriverVa == 0)
        return; /* never used (most of an IRP's five), or released already */
    if (Buffer->DriverVa && Space && Buffer->InWindow && Host && Host->Window)
        MmUnmapIoPages(Host->Window, Buffer->DriverVa, Buffer->PageCount);
    else if (Buffer->DriverVa && Space && !Buffer->InWindow)
        MmReleaseRange(Space, Buffer->DriverVa); /* drops the mappings' references */
    if (Buffer->Owned)
        for (ULONG i = 0; i < Buffer->PageCount; i++)
            if (Buffer->Pages[i])
                MmDereferencePage(Buffer->Pages[i]);
    if (Buffer->Pages && Buffer->Pages != Buffer->Inline)
        ExFreePoolWithTag(Buffer->Pages, IOP_IRP_TAG);
    memset(Buffer, 0, sizeof(*Buffer));
}

/* Move a buffer's description to another of the IRP's (From is emptied):
 * a short page array lives inside the buffer, so its pointer moves too. */
void IopMoveBuffer(IOP_BUFFER *To, IOP_BUFFER *From)
{
    *To = *From;
    if (From->Pages == From->Inline)
        To->Pages = To->Inline;
    memset(From, 0, sizeof(*From));
}

void IopReleaseBuffers(PIOP_IRP Irp)
{
    IopReleaseBuffer(Irp, &Irp->System);
    IopReleaseBuffer(Irp, &Irp->Mdl);
    IopReleaseBuffer(Irp, &Irp->Name);
    IopReleaseBuffer(Irp, &Irp->Type3);
    IopReleaseBuffer(Irp, &Irp->User);
}

/* ---- sending ------------------------------------------------------------------------- */

void IopSendIrp(PIOP_IRP Irp)
{
    PIOP_HOST Host = Irp->Driver->Host;

    if (Host == NULL || Irp->Driver->Ended || !NT_SUCCESS(IopQueueRequest(Host, Irp)))
        IopDereferenceIrp(Irp); /* no driver to tell */
}

MAY_WAIT NTSTATUS IopCallDriver(PIOP_IRP Irp, bool Synchronous)
{
    PIOP_HOST Host = Irp->Driver->Host;
    DISPATCHER_HEADER *Object;
    NTSTATUS Status;

    if (Irp->Driver->Ended || Host == NULL)
        return Irp->Driver->Ended ? STATUS_DRIVER_PROCESS_TERMINATED : STATUS_NO_SUCH_DEVICE;
    Irp->RefCount++; /* the driver's, until the completion */
    Status = IopQueueRequest(Host, Irp);
    if (!NT_SUCCESS(Status)) {
        Irp->RefCount--;
        return Status;
    }
    Object = Synchronous ? &Irp->Done : &Irp->Returned;
    Status = KeWaitForMultipleObjects(1, &Object, false, false, NULL);
    if (Status != STATUS_WAIT_0)
        return Status; /* the caller's thread ends: the IRP completes without it */
    return Irp->Completed ? Irp->Status : STATUS_PENDING;
}
