/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/irp.c: IRPs of the ddk layout: allocation, IoCallDriver,
 * IoCompleteRequest with its completion routines, cancel. The runtime
 * runs driver code on one IRP thread (plus the interrupt thread, which
 * only calls the ISR), so the cancel spin lock is an IRQL raise and a flag.
 */

#include "iop.h"

LIST_ENTRY IopHostIrps = {&IopHostIrps, &IopHostIrps};

PIRP IopAllocateIrp(CCHAR StackSize, IOP_IRP_ORIGIN Origin)
{
    IOP_IRP_HEADER *Header;
    PIRP Irp;

    if (StackSize < 1)
        return NULL;
    Header = IopAllocate(sizeof(IOP_IRP_HEADER) + IoSizeOfIrp(StackSize));
    if (Header == NULL)
        return NULL;
    Header->Origin = Origin;
    InitializeListHead(&Header->HostLinks);
    Irp = (PIRP)(Header + 1);
    IoInitializeIrp(Irp, IoSizeOfIrp(StackSize), StackSize);
    Irp->AllocationFlags |= IOP_IRP_HAS_HEADER;
    return Irp;
}

NTKRNL_EXPORT PIRP NTAPI IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota)
{
    return IopAllocateIrp(StackSize, IopIrpAllocated);
}

/* The IRP starts with no current location: CurrentLocation is one past the
 * last stack location, so the caller's IoGetNextIrpStackLocation gives the
 * top one and IoCallDriver moves onto it. */
NTKRNL_EXPORT VOID NTAPI IoInitializeIrp(PIRP Irp, USHORT PacketSize, CCHAR StackSize)
{
    RtlZeroMemory(Irp, PacketSize);
    Irp->Type = IO_TYPE_IRP;
    Irp->Size = PacketSize;
    Irp->StackCount = StackSize;
    Irp->CurrentLocation = StackSize + 1;
    Irp->ApcEnvironment = 0;
    InitializeListHead(&Irp->ThreadListEntry);
    Irp->Tail.Overlay.CurrentStackLocation = (PIO_STACK_LOCATION)(Irp + 1) + StackSize;
}

NTKRNL_EXPORT VOID NTAPI IoReuseIrp(PIRP Irp, NTSTATUS Status)
{
    UCHAR AllocationFlags = Irp->AllocationFlags;

    IoInitializeIrp(Irp, Irp->Size, Irp->StackCount);
    Irp->AllocationFlags = AllocationFlags;
    Irp->IoStatus.Status = Status;
}

NTKRNL_EXPORT VOID NTAPI IoFreeIrp(PIRP Irp)
{
    IOP_IRP_HEADER *Header = IopIrpHeader(Irp);

    /* An IRP without our header is not ours to free (IoInitializeIrp on
     * the driver's memory): Windows would corrupt its pool here. */
    ASSERT(Header != NULL);
    if (Header == NULL)
        return;
    ASSERT(IsListEmpty(&Header->HostLinks)); /* IopCompleteHostIrp took it off */
    IopFree(Header);
}

/* Move to the next lower stack location and call its device's dispatch
 * routine; the location must have been filled by the caller. */
NTKRNL_EXPORT NTSTATUS FASTCALL IofCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack;

    if (Irp->CurrentLocation <= 1) {
        DbgPrint("IoCallDriver: IRP %p has no stack location left for %p\n", Irp, DeviceObject);
        KeBugCheckEx(NO_MORE_IRP_STACK_LOCATIONS, (ULONG_PTR)Irp, 0, 0, 0);
    }
    IoSetNextIrpStackLocation(Irp);
    Stack = IoGetCurrentIrpStackLocation(Irp);
    Stack->DeviceObject = DeviceObject;
    return DeviceObject->DriverObject->MajorFunction[Stack->MajorFunction](DeviceObject, Irp);
}

static BOOLEAN IopShouldInvoke(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    if (Stack->CompletionRoutine == NULL)
        return FALSE;
    if (Irp->Cancel && (Stack->Control & SL_INVOKE_ON_CANCEL))
        return TRUE;
    if (NT_SUCCESS(Irp->IoStatus.Status))
        return (Stack->Control & SL_INVOKE_ON_SUCCESS) != 0;
    return (Stack->Control & SL_INVOKE_ON_ERROR) != 0;
}

VOID IopFreeBuiltIrp(PIRP Irp)
{
    IOP_IRP_HEADER *Header = IopIrpHeader(Irp);

    if (Header->FreeSystemBuffer)
        IopFree(Irp->AssociatedIrp.SystemBuffer);
    if (Header->FreeMdl && Irp->MdlAddress != NULL)
        IopFreeMdl(Irp->MdlAddress);
    IoFreeIrp(Irp);
}

/* The end of a driver-built IRP once no completion routine kept it: what
 * Windows' I/O completion does for the thread that built it. */
static VOID IopCompleteBuiltIrp(PIRP Irp, IOP_IRP_HEADER *Header)
{
    if (Header->OutputBuffer != NULL && NT_SUCCESS(Irp->IoStatus.Status)) {
        ULONG Length = (ULONG)min(Irp->IoStatus.Information, Header->OutputLength);
        RtlCopyMemory(Header->OutputBuffer, Irp->AssociatedIrp.SystemBuffer, Length);
    }
    if (Irp->UserIosb != NULL)
        *Irp->UserIosb = Irp->IoStatus;
    if (Irp->UserEvent != NULL)
        KeSetEvent(Irp->UserEvent, IO_NO_INCREMENT, FALSE);
    IopFreeBuiltIrp(Irp);
}

/*
 * Run the completion routines from the current stack location up: each
 * location's routine was set by the driver above it, and gets that
 * driver's device (NULL at the top, for the IRP's originator).
 * STATUS_MORE_PROCESSING_REQUIRED hands the IRP back to its routine's
 * owner and stops here. Then the IRP goes back where it came from.
 */
NTKRNL_EXPORT VOID FASTCALL IofCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    IOP_IRP_HEADER *Header;
    PIO_STACK_LOCATION Stack;
    PDEVICE_OBJECT Device;
    NTSTATUS Status;

    ASSERT(Irp->IoStatus.Status != STATUS_PENDING);
    while (Irp->CurrentLocation <= Irp->StackCount) {
        Stack = IoGetCurrentIrpStackLocation(Irp);
        Irp->PendingReturned = (Stack->Control & SL_PENDING_RETURNED) != 0;
        IoSkipCurrentIrpStackLocation(Irp);
        Device = Irp->CurrentLocation <= Irp->StackCount
                     ? IoGetCurrentIrpStackLocation(Irp)->DeviceObject
                     : NULL;
        if (IopShouldInvoke(Irp, Stack)) {
            PIO_COMPLETION_ROUTINE Routine = Stack->CompletionRoutine;
            PVOID Context = Stack->Context;

            RtlZeroMemory(Stack, sizeof(*Stack));
            Status = Routine(Device, Irp, Context);
            if (Status == STATUS_MORE_PROCESSING_REQUIRED)
                return;
        } else {
            if (Irp->PendingReturned && Irp->CurrentLocation <= Irp->StackCount)
                IoMarkIrpPending(Irp);
            RtlZeroMemory(Stack, sizeof(*Stack));
        }
    }
    Header = IopIrpHeader(Irp);
    if (Header == NULL || Header->Origin == IopIrpAllocated)
        return; /* the owner's completion routine should have kept it */
    if (Header->Origin == IopIrpFromHost)
        IopCompleteHostIrp(Irp, Header);
    else
        IopCompleteBuiltIrp(Irp, Header);
}
