/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/irploop.c: the IRP loop. The process's first thread, after
 * DriverEntry, waits on RequestNotification and drains the request ring:
 * an IRP request becomes a ddk IRP sent to the driver with IoCallDriver, a
 * cancel request IoCancelIrp on the IRP it names, an unload request
 * DriverUnload. When an IRP from ntos completes (IofCompleteRequest, at
 * any later time), IopCompleteHostIrp puts its completion on the ring.
 */

#include "iop.h"

/* The IRP from ntos whose dispatch routine runs now, and whether it was
 * completed before the routine returned (then ntos gets no interim
 * STATUS_PENDING record for it). */
static IOP_IRP_HEADER *IopDispatching;
static BOOLEAN IopDispatchCompleted;

/* The request's direct I/O buffer. ntos maps the caller's pages at
 * MdlAddress; when that is a page boundary the buffer starts MdlByteOffset
 * into it, otherwise MdlAddress is the buffer itself. */
static NTSTATUS IopAttachRequestMdl(PIRP Irp, IOP_IRP_HEADER *Header,
                                    const IO_HOST_REQUEST *Request)
{
    ULONG64 Address = Request->MdlAddress;

    if (Address == 0)
        return STATUS_SUCCESS;
    if ((Address & (PAGE_SIZE - 1)) == 0)
        Address += Request->MdlByteOffset;
    Irp->MdlAddress = IopBuildMdl((PVOID)(ULONG_PTR)Address, Request->MdlByteCount);
    if (Irp->MdlAddress == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Header->FreeMdl = TRUE;
    return STATUS_SUCCESS;
}

/* The name of an IRP_MJ_CREATE: UTF-16 that ntos mapped for the request
 * (in the data area, or pages of its own: iohost.h), so only its form is
 * checked. */
static BOOLEAN IopNameValid(ULONG64 Name, USHORT Length)
{
    return (Length & 1) == 0 && (Length == 0 || Name != 0);
}

/* The request's file object: a new one for IRP_MJ_CREATE, the open one
 * its File cookie names otherwise (or none, for IRPs to the device). */
static NTSTATUS IopRequestFileObject(PDEVICE_OBJECT Device, const IO_HOST_REQUEST *Request,
                                     PFILE_OBJECT *FileObject)
{
    *FileObject = NULL;
    if (Request->MajorFunction == IRP_MJ_CREATE) {
        if (!IopNameValid(Request->FileName, Request->FileNameLength))
            return STATUS_INVALID_PARAMETER;
        *FileObject = IopCreateFileObject(Device, (PCWSTR)(ULONG_PTR)Request->FileName,
                                          Request->FileNameLength);
        return *FileObject != NULL ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    }
    if (Request->File == 0)
        return STATUS_SUCCESS;
    *FileObject = IopLookupFileObject(Request->File);
    return *FileObject != NULL ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
}

/* Fill the stack location the driver will see from the request. */
static VOID IopFillStackLocation(PIRP Irp, IOP_IRP_HEADER *Header, const IO_HOST_REQUEST *Request)
{
    PIO_STACK_LOCATION Stack = IoGetNextIrpStackLocation(Irp);

    Stack->MajorFunction = Request->MajorFunction;
    Stack->MinorFunction = Request->MinorFunction;
    Stack->Flags = Request->StackFlags;
    C_ASSERT(sizeof(Stack->Parameters) == sizeof(Request->Parameters));
    RtlCopyMemory(&Stack->Parameters, Request->Parameters, sizeof(Stack->Parameters));
    Stack->FileObject = Header->FileObject;
    if (Request->MajorFunction == IRP_MJ_CREATE)
        Stack->Parameters.Create.SecurityContext = &Header->SecurityContext;
}

/* Build the IRP of a ring request and send it to its device. A request
 * the runtime cannot turn into an IRP completes at once with the reason. */
static VOID IopDispatchRequest(const IO_HOST_REQUEST *Request)
{
    PDEVICE_OBJECT Device = (PDEVICE_OBJECT)(ULONG_PTR)Request->Device;
    IOP_IRP_HEADER *Header;
    PFILE_OBJECT FileObject;
    NTSTATUS Status;
    PIRP Irp;

    if (Request->MajorFunction > IRP_MJ_MAXIMUM_FUNCTION || !IopIsLocalDevice(Device)) {
        IopPostCompletion(Request->Id, STATUS_INVALID_DEVICE_REQUEST, 0, 0);
        return;
    }
    Status = IopRequestFileObject(Device, Request, &FileObject);
    if (!NT_SUCCESS(Status)) {
        IopPostCompletion(Request->Id, Status, 0, 0);
        return;
    }
    Irp = IopAllocateIrp(Device->StackSize, IopIrpFromHost);
    if (Irp == NULL) {
        if (Request->MajorFunction == IRP_MJ_CREATE)
            IopDeleteFileObject(FileObject);
        IopPostCompletion(Request->Id, STATUS_INSUFFICIENT_RESOURCES, 0, 0);
        return;
    }
    Header = IopIrpHeader(Irp);
    Header->HostId = Request->Id;
    Header->MajorFunction = Request->MajorFunction;
    Header->FileObject = FileObject;
    IopAcquireHostLock();
    InsertTailList(&IopHostIrps, &Header->HostLinks);
    IopReleaseHostLock();
    Irp->Flags = Request->IrpFlags;
    /* pnp: Windows' PnP and power managers start their IRPs so, and a
     * driver passes on what it does not handle. */
    if (Request->MajorFunction == IRP_MJ_PNP || Request->MajorFunction == IRP_MJ_POWER)
        Irp->IoStatus.Status = STATUS_NOT_SUPPORTED;
    Irp->RequestorMode = UserMode;
    Irp->AssociatedIrp.SystemBuffer = (PVOID)(ULONG_PTR)Request->SystemBuffer;
    Irp->UserBuffer = (PVOID)(ULONG_PTR)Request->UserBuffer;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->Tail.Overlay.OriginalFileObject = FileObject;
    Status = IopAttachRequestMdl(Irp, Header, Request);
    if (!NT_SUCCESS(Status)) {
        Irp->IoStatus.Status = Status;
        IopCompleteHostIrp(Irp, Header);
        return;
    }
    IopFillStackLocation(Irp, Header, Request);
    IopAcquireHostLock();
    IopDispatching = Header;
    IopDispatchCompleted = FALSE;
    IopReleaseHostLock();
    /* As in the requesting thread on Windows, ExGetPreviousMode says
     * UserMode while the dispatch routine runs. */
    KiSetPreviousMode(UserMode);
    IoCallDriver(Device, Irp);
    KiSetPreviousMode(KernelMode);
    /* Left pending: ntos answers an asynchronous caller now (iohost.h).
     * Under the lock, so a completion from another thread comes after. */
    IopAcquireHostLock();
    if (!IopDispatchCompleted)
        IopPostCompletion(Request->Id, STATUS_PENDING, 0, 0);
    IopDispatching = NULL;
    IopReleaseHostLock();
}

VOID IopCompleteHostIrp(PIRP Irp, IOP_IRP_HEADER *Header)
{
    NTSTATUS Status = Irp->IoStatus.Status;
    ULONG64 Cookie = 0;

    if (Header->MajorFunction == IRP_MJ_CREATE) {
        if (NT_SUCCESS(Status))
            Cookie = (ULONG64)(ULONG_PTR)Header->FileObject;
        else
            IopDeleteFileObject(Header->FileObject);
    } else if (Header->MajorFunction == IRP_MJ_CLOSE && Header->FileObject != NULL) {
        IopDeleteFileObject(Header->FileObject);
    }
    IopAcquireHostLock();
    if (Header == IopDispatching)
        IopDispatchCompleted = TRUE;
    RemoveEntryList(&Header->HostLinks);
    InitializeListHead(&Header->HostLinks);
    IopPostCompletion(Header->HostId, Status, Irp->IoStatus.Information, Cookie);
    IopReleaseHostLock();
    if (Header->FreeMdl && Irp->MdlAddress != NULL)
        IopFreeMdl(Irp->MdlAddress);
    IoFreeIrp(Irp);
}

/* IO_HOST_OP_CANCEL: the IRP may have completed meanwhile; then there is
 * nothing to do (its completion is on the ring already). The host lock
 * keeps another thread from completing and freeing it under IoCancelIrp.
 * FALSE: no such IRP was dispatched (xcall's call thread then leaves the
 * cancel for the IRP thread, behind the IRP). */
BOOLEAN IopCancelRequest(const IO_HOST_REQUEST *Request)
{
    BOOLEAN Found = FALSE;
    PLIST_ENTRY Entry;

    IopAcquireHostLock();
    for (Entry = IopHostIrps.Flink; Entry != &IopHostIrps; Entry = Entry->Flink) {
        IOP_IRP_HEADER *Header = CONTAINING_RECORD(Entry, IOP_IRP_HEADER, HostLinks);

        if (Header->HostId == Request->CancelId) {
            IoCancelIrp((PIRP)(Header + 1));
            Found = TRUE;
            break;
        }
    }
    IopReleaseHostLock();
    return Found;
}

/* IO_HOST_OP_UNLOAD: TRUE if the driver unloaded and the loop ends. A
 * driver without DriverUnload cannot be unloaded (Windows' NtUnloadDriver
 * fails the same way). */
static BOOLEAN IopUnloadRequest(const IO_HOST_REQUEST *Request)
{
    PDRIVER_OBJECT Driver = IopDriverObject;

    if (Driver->DriverUnload == NULL) {
        IopPostCompletion(Request->Id, STATUS_INVALID_DEVICE_REQUEST, 0, 0);
        return FALSE;
    }
    Driver->Flags |= DRVO_UNLOAD_INVOKED;
    Driver->DriverUnload(Driver);
    IopDeleteAllSymbolicLinks();
    IopPostCompletion(Request->Id, STATUS_SUCCESS, 0, 0);
    return TRUE;
}

BOOLEAN IopDrainRequests(VOID)
{
    IO_HOST_REQUEST Request;

    while (IopNextRequest(&Request)) {
        switch (Request.Operation) {
        case IO_HOST_OP_IRP:
            IopDispatchRequest(&Request);
            break;
        case IO_HOST_OP_CANCEL:
            IopCancelRequest(&Request);
            break;
        case IO_HOST_OP_UNLOAD:
            if (IopUnloadRequest(&Request))
                return TRUE;
            break;
        case IO_HOST_OP_ADD_DEVICE: /* pnp */
            IopAddDeviceRequest(&Request);
            break;
        case IO_HOST_OP_CALL_DONE: /* xcall: a call to another process completed */
            IopCallDone(&Request);
            break;
        default:
            IopPostCompletion(Request.Id, STATUS_INVALID_PARAMETER, 0, 0);
            break;
        }
        IopReportNewDevices(FALSE);
    }
    return FALSE;
}

NTSTATUS IopRunIrpLoop(VOID)
{
    while (!IopDrainRequests())
        IopWaitForRequests();
    return STATUS_SUCCESS;
}
