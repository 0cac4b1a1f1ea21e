/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/selftest.c: the self-test's runner (io/selftest.h) and the checks of
 * the IRP routines on device stacks made in this process: completion
 * routines up a stack of three devices (order, device arguments, success /
 * error / cancel selection, STATUS_MORE_PROCESSING_REQUIRED, pending
 * propagation), cancel, the IoBuild* requests, device queues and StartIo,
 * device references.
 */

#include "iop.h"
#include "selftest.h"

ULONG KrnlSelfTestFailures;

BOOLEAN KrnlSelfTestCheck(BOOLEAN Ok, PCSTR Text, PCSTR File, ULONG Line)
{
    if (!Ok) {
        KrnlSelfTestFailures++;
        DbgPrint("selftest FAIL %s:%lu: %s\n", File, Line, Text);
    }
    return Ok;
}

BOOLEAN KrnlSelfTestCheckEq(ULONG64 Value, ULONG64 Expected, PCSTR Text, PCSTR File, ULONG Line)
{
    if (Value != Expected) {
        KrnlSelfTestFailures++;
        DbgPrint("selftest FAIL %s:%lu: %s is 0x%llx, expected 0x%llx\n", File, Line, Text, Value,
                 Expected);
    }
    return Value == Expected;
}

/* ---- a driver of the test's own: what the devices of the stack do ----------------------- */

#define IOP_ST_CALLS 8

/* What the dispatch routines do with an IRP, and what the completion
 * routines saw. */
static struct {
    NTSTATUS BottomStatus; /* the bottom device completes with it... */
    BOOLEAN BottomPends;   /* ...or marks the IRP pending and keeps it */
    PIRP Kept;
    NTSTATUS StopAt; /* a middle routine returns MORE_PROCESSING_REQUIRED */
    ULONG Calls;
    PDEVICE_OBJECT Devices[IOP_ST_CALLS]; /* completion routines' DeviceObject, in order */
    PVOID Contexts[IOP_ST_CALLS];
    BOOLEAN Pending[IOP_ST_CALLS]; /* Irp->PendingReturned each saw */
    ULONG StartIo[IOP_ST_CALLS];   /* StartIo: the IRPs' Parameters.Read.Key, in order */
    ULONG Started;
} IopSt;

static PDEVICE_OBJECT IopStBottom, IopStMiddle, IopStTop;

static NTSTATUS NTAPI IopStCompletion(PDEVICE_OBJECT Device, PIRP Irp, PVOID Context)
{
    ULONG Call = IopSt.Calls++;

    if (Call < IOP_ST_CALLS) {
        IopSt.Devices[Call] = Device;
        IopSt.Contexts[Call] = Context;
        IopSt.Pending[Call] = Irp->PendingReturned;
    }
    if (Context == (PVOID)IopStMiddle && IopSt.StopAt == STATUS_MORE_PROCESSING_REQUIRED)
        return STATUS_MORE_PROCESSING_REQUIRED;
    if (Device == NULL)
        return STATUS_MORE_PROCESSING_REQUIRED; /* the originator keeps its IRP */
    if (Irp->PendingReturned)
        IoMarkIrpPending(Irp);
    return STATUS_SUCCESS;
}

/* Top and middle pass the IRP down with a completion routine whose
 * context is their device; the bottom completes it (or keeps it). */
static NTSTATUS NTAPI IopStDispatch(PDEVICE_OBJECT Device, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    if (Stack->MajorFunction == IRP_MJ_DEVICE_CONTROL) {
        PUCHAR Buffer = Irp->AssociatedIrp.SystemBuffer;
        ULONG Length = Stack->Parameters.DeviceIoControl.InputBufferLength;

        RtlFillMemory(Buffer, Stack->Parameters.DeviceIoControl.OutputBufferLength, 0x5a);
        Irp->IoStatus.Information = Length + 1;
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
    if (Device != IopStBottom) {
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, IopStCompletion, Device, TRUE, TRUE, TRUE);
        return IoCallDriver(IopDevice(Device)->AttachedTo, Irp);
    }
    if (IopSt.BottomPends) {
        IoMarkIrpPending(Irp);
        IopSt.Kept = Irp;
        return STATUS_PENDING;
    }
    if (Stack->MajorFunction == IRP_MJ_READ && Irp->AssociatedIrp.SystemBuffer != NULL)
        RtlFillMemory(Irp->AssociatedIrp.SystemBuffer, Stack->Parameters.Read.Length, 0x33);
    Irp->IoStatus.Status = IopSt.BottomStatus;
    Irp->IoStatus.Information = Stack->Parameters.Read.Length;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return IopSt.BottomStatus;
}

static VOID NTAPI IopStStartIo(PDEVICE_OBJECT Device, PIRP Irp)
{
    if (IopSt.Started < IOP_ST_CALLS)
        IopSt.StartIo[IopSt.Started] = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Key;
    IopSt.Started++;
    ST_CHECK(Device->CurrentIrp == Irp);
}

static VOID IopStReset(VOID)
{
    RtlZeroMemory(&IopSt, sizeof(IopSt));
    IopSt.BottomStatus = STATUS_SUCCESS;
}

/* An IRP for the top of the stack with the originator's own routine in
 * the extra top location (context NULL, device NULL when it runs). */
static PIRP IopStIrp(VOID)
{
    PIRP Irp = IoAllocateIrp(IopStTop->StackSize + 1, FALSE);

    if (Irp == NULL)
        return NULL;
    IoSetNextIrpStackLocation(Irp);
    IoSetCompletionRoutine(Irp, IopStCompletion, NULL, TRUE, TRUE, TRUE);
    IoGetNextIrpStackLocation(Irp)->MajorFunction = IRP_MJ_READ;
    IoGetNextIrpStackLocation(Irp)->Parameters.Read.Length = 4;
    return Irp;
}

static VOID IopStMakeStack(VOID)
{
    ST_CHECK_EQ(
        IoCreateDevice(IopDriverObject, 16, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &IopStBottom),
        STATUS_SUCCESS);
    ST_CHECK_EQ(
        IoCreateDevice(IopDriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &IopStMiddle),
        STATUS_SUCCESS);
    ST_CHECK_EQ(IoCreateDevice(IopDriverObject, 0, NULL, FILE_DEVICE_DISK, 0, FALSE, &IopStTop),
                STATUS_SUCCESS);
    ST_CHECK(IopStBottom->DeviceExtension != NULL && IopStMiddle->DeviceExtension == NULL);
    ST_CHECK(((ULONG_PTR)IopStBottom->DeviceExtension & 15) == 0);
    ST_CHECK_EQ(IopStTop->SectorSize, 512);
    ST_CHECK(IopStBottom->Flags & DO_DEVICE_INITIALIZING);
    ST_CHECK(IopDriverObject->DeviceObject == IopStTop); /* the newest first */
    ST_CHECK(IoAttachDeviceToDeviceStack(IopStMiddle, IopStBottom) == IopStBottom);
    ST_CHECK(IoAttachDeviceToDeviceStack(IopStTop, IopStBottom) == IopStMiddle);
    ST_CHECK(IoAttachDeviceToDeviceStack(IopStTop, IopStTop) == NULL);
    ST_CHECK_EQ(IopStTop->StackSize, 3);
    ST_CHECK_EQ(IopStTop->SectorSize, 0); /* taken from the device below */
    ST_CHECK(IoGetAttachedDevice(IopStBottom) == IopStTop);
}

static VOID IopStCompletionOrder(VOID)
{
    PIRP Irp;

    IopStReset();
    if (!ST_CHECK((Irp = IopStIrp()) != NULL))
        return;
    ST_CHECK_EQ(IoCallDriver(IopStTop, Irp), STATUS_SUCCESS);
    /* The middle's routine first (set by the middle, given its device),
     * then the top's, then the originator's with no device. */
    ST_CHECK_EQ(IopSt.Calls, 3);
    ST_CHECK(IopSt.Devices[0] == IopStMiddle && IopSt.Contexts[0] == IopStMiddle);
    ST_CHECK(IopSt.Devices[1] == IopStTop && IopSt.Contexts[1] == IopStTop);
    ST_CHECK(IopSt.Devices[2] == NULL && IopSt.Contexts[2] == NULL);
    ST_CHECK_EQ(Irp->IoStatus.Information, 4);
    IoFreeIrp(Irp);
}

/* A routine that only wants successes is skipped on an error; one that
 * wants cancels runs for a cancelled IRP's error. */
static VOID IopStSelection(VOID)
{
    PIRP Irp;

    IopStReset();
    IopSt.BottomStatus = STATUS_UNSUCCESSFUL;
    if (!ST_CHECK((Irp = IopStIrp()) != NULL))
        return;
    IoSetCompletionRoutine(Irp, IopStCompletion, NULL, TRUE, FALSE, FALSE);
    ST_CHECK_EQ(IoCallDriver(IopStTop, Irp), STATUS_UNSUCCESSFUL);
    ST_CHECK_EQ(IopSt.Calls, 2); /* the middle's and the top's only */
    ST_CHECK_EQ(Irp->CurrentLocation, Irp->StackCount + 1);
    IoFreeIrp(Irp);

    IopStReset();
    IopSt.BottomStatus = STATUS_CANCELLED;
    if (!ST_CHECK((Irp = IopStIrp()) != NULL))
        return;
    IoSetCompletionRoutine(Irp, IopStCompletion, NULL, FALSE, FALSE, TRUE);
    Irp->Cancel = TRUE;
    ST_CHECK_EQ(IoCallDriver(IopStTop, Irp), STATUS_CANCELLED);
    ST_CHECK_EQ(IopSt.Calls, 3);
    IoFreeIrp(Irp);
}

/* MORE_PROCESSING_REQUIRED stops the climb; completing again resumes it
 * above that location. Pending returned by the bottom reaches every
 * routine above. */
static VOID IopStMoreProcessingAndPending(VOID)
{
    PIRP Irp;

    IopStReset();
    IopSt.StopAt = STATUS_MORE_PROCESSING_REQUIRED;
    if (!ST_CHECK((Irp = IopStIrp()) != NULL))
        return;
    IoCallDriver(IopStTop, Irp);
    ST_CHECK_EQ(IopSt.Calls, 1);
    IopSt.StopAt = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    ST_CHECK_EQ(IopSt.Calls, 3);
    ST_CHECK(IopSt.Devices[1] == IopStTop && IopSt.Devices[2] == NULL);
    IoFreeIrp(Irp);

    IopStReset();
    IopSt.BottomPends = TRUE;
    if (!ST_CHECK((Irp = IopStIrp()) != NULL))
        return;
    ST_CHECK_EQ(IoCallDriver(IopStTop, Irp), STATUS_PENDING);
    ST_CHECK(IopSt.Kept == Irp && IopSt.Calls == 0);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    ST_CHECK_EQ(IopSt.Calls, 3);
    ST_CHECK(IopSt.Pending[0] && IopSt.Pending[1] && IopSt.Pending[2]);
    IoFreeIrp(Irp);
}

static BOOLEAN IopStCancelled;

/* The virtual IRQL (KeGetCurrentIrql's `mov cr8` traps outside a driver
 * process). */
static KIRQL IopStIrql(VOID)
{
    return ((PUCHAR)KrnlCurrentTeb())[IO_HOST_TEB_IRQL];
}

static VOID NTAPI IopStCancel(PDEVICE_OBJECT Device, PIRP Irp)
{
    ST_CHECK(Irp->Cancel);
    ST_CHECK(Irp->CancelRoutine == NULL);
    ST_CHECK_EQ(IopStIrql(), DISPATCH_LEVEL);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    IopStCancelled = TRUE;
}

static VOID IopStCancelIrp(VOID)
{
    PIRP Irp = IoAllocateIrp(1, FALSE);

    if (!ST_CHECK(Irp != NULL))
        return;
    ST_CHECK(!IoCancelIrp(Irp)); /* no cancel routine: only the flag */
    ST_CHECK(Irp->Cancel);
    IoReuseIrp(Irp, STATUS_SUCCESS);
    ST_CHECK(!Irp->Cancel && (Irp->AllocationFlags & IOP_IRP_HAS_HEADER));
    IoSetNextIrpStackLocation(Irp);
    IoGetCurrentIrpStackLocation(Irp)->DeviceObject = IopStBottom;
    IoSetCancelRoutine(Irp, IopStCancel);
    IopStCancelled = FALSE;
    ST_CHECK(IoCancelIrp(Irp));
    ST_CHECK(IopStCancelled);
    ST_CHECK_EQ(IopStIrql(), PASSIVE_LEVEL);
    IoFreeIrp(Irp);
}

/* IoBuildDeviceIoControlRequest (METHOD_BUFFERED) and
 * IoBuildSynchronousFsdRequest on a buffered device: the output comes
 * back, capped at the caller's length, and the IO_STATUS_BLOCK is set. */
static VOID IopStBuiltRequests(VOID)
{
    UCHAR Input[3] = {1, 2, 3}, Output[8];
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {{0, 0}};
    PIRP Irp;

    RtlZeroMemory(Output, sizeof(Output));
    Irp = IoBuildDeviceIoControlRequest(CTL_CODE(FILE_DEVICE_UNKNOWN, 1, METHOD_BUFFERED, 0),
                                        IopStBottom, Input, sizeof(Input), Output, 4, FALSE, NULL,
                                        &Iosb);
    if (ST_CHECK(Irp != NULL)) {
        ST_CHECK_EQ(IoGetNextIrpStackLocation(Irp)->MajorFunction, IRP_MJ_DEVICE_CONTROL);
        ST_CHECK_EQ(IoCallDriver(IopStBottom, Irp), STATUS_SUCCESS);
        ST_CHECK_EQ(Iosb.Status, STATUS_SUCCESS);
        ST_CHECK_EQ(Iosb.Information, 4);
        ST_CHECK(Output[0] == 0x5a && Output[3] == 0x5a && Output[4] == 0);
    }
    IopStReset();
    IopStBottom->Flags |= DO_BUFFERED_IO;
    RtlZeroMemory(Output, sizeof(Output));
    Irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, IopStBottom, Output, 6, &Offset, NULL, &Iosb);
    if (ST_CHECK(Irp != NULL)) {
        ST_CHECK(Irp->AssociatedIrp.SystemBuffer != NULL && (Irp->Flags & IRP_BUFFERED_IO));
        ST_CHECK_EQ(IoCallDriver(IopStBottom, Irp), STATUS_SUCCESS);
        ST_CHECK_EQ(Iosb.Information, 6);
        ST_CHECK(Output[0] == 0x33 && Output[5] == 0x33 && Output[6] == 0);
    }
    IopStBottom->Flags &= ~DO_BUFFERED_IO;
}

static PIRP IopStKeyedIrp(ULONG Key)
{
    PIRP Irp = IoAllocateIrp(1, FALSE);

    if (Irp != NULL) {
        IoSetNextIrpStackLocation(Irp);
        IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Key = Key;
    }
    return Irp;
}

/* The first packet starts at once, the others wait; by-key inserts keep
 * their order; IoStartNextPacket(ByKey) starts the next. */
static VOID IopStPackets(VOID)
{
    PIRP Irps[4];
    ULONG Keys[4] = {10, 30, 20, 5}, Index;

    IopStReset();
    IopDriverObject->DriverStartIo = IopStStartIo;
    for (Index = 0; Index < 4; Index++)
        if (!ST_CHECK((Irps[Index] = IopStKeyedIrp(Keys[Index])) != NULL))
            return;
    for (Index = 0; Index < 4; Index++)
        IoStartPacket(IopStBottom, Irps[Index], &Keys[Index], NULL);
    ST_CHECK_EQ(IopSt.Started, 1);
    ST_CHECK(IopStBottom->CurrentIrp == Irps[0]);
    IoStartNextPacket(IopStBottom, FALSE);
    IoStartNextPacketByKey(IopStBottom, FALSE, 25);
    IoStartNextPacket(IopStBottom, FALSE);
    IoStartNextPacket(IopStBottom, FALSE);
    ST_CHECK_EQ(IopSt.Started, 4);
    IoStartNextPacket(IopStBottom, FALSE); /* nothing left: the device goes idle */
    ST_CHECK(IopSt.StartIo[0] == 10 && IopSt.StartIo[1] == 5 && IopSt.StartIo[2] == 30 &&
             IopSt.StartIo[3] == 20);
    ST_CHECK(IopStBottom->CurrentIrp == NULL && !IopStBottom->DeviceQueue.Busy);
    ST_CHECK(!KeRemoveEntryDeviceQueue(&IopStBottom->DeviceQueue,
                                       &Irps[0]->Tail.Overlay.DeviceQueueEntry));
    for (Index = 0; Index < 4; Index++)
        IoFreeIrp(Irps[Index]);
}

/* Detach and delete: a referenced device outlives IoDeleteDevice until
 * its last dereference (krnlrt's Ob counts on Io's objects). */
static VOID IopStTearDown(VOID)
{
    PDEVICE_OBJECT Lower = IoGetLowerDeviceObject(IopStTop);

    ST_CHECK(Lower == IopStMiddle);
    IoDetachDevice(IopStMiddle);
    ST_CHECK(IoGetAttachedDevice(IopStBottom) == IopStMiddle);
    ST_CHECK(IoGetLowerDeviceObject(IopStTop) == NULL);
    IoDetachDevice(IopStBottom);
    IoDeleteDevice(IopStTop);
    ST_CHECK_EQ(ObpPointerCount(IopStMiddle), 2); /* its own and IoGetLowerDeviceObject's */
    IoDeleteDevice(IopStMiddle);
    ST_CHECK(!IopIsLocalDevice(IopStMiddle));
    ST_CHECK_EQ(ObpPointerCount(IopStMiddle), 1); /* still there: referenced */
    ST_CHECK(IopDevice(IopStMiddle)->Deleted);
    ObDereferenceObject(IopStMiddle); /* the last: freed */
    IoDeleteDevice(IopStBottom);
    ST_CHECK(IopDriverObject->DeviceObject == NULL);
}

VOID IopSelfTestIrps(VOID)
{
    PDRIVER_OBJECT Saved = IopDriverObject;
    ULONG Major;

    if (!ST_CHECK_EQ(IopCreateDriverObject(&IopDriverObject), STATUS_SUCCESS))
        return;
    ST_CHECK(IopDriverObject->MajorFunction[IRP_MJ_PNP] == IopInvalidDeviceRequest);
    for (Major = 0; Major <= IRP_MJ_MAXIMUM_FUNCTION; Major++)
        IopDriverObject->MajorFunction[Major] = IopStDispatch;
    IopStMakeStack();
    if (KrnlSelfTestFailures == 0) {
        IopStCompletionOrder();
        IopStSelection();
        IopStMoreProcessingAndPending();
        IopStCancelIrp();
        IopStBuiltRequests();
        IopStPackets();
        IopStTearDown();
    }
    IopDriverObject = Saved;
}

ULONG KrnlRunSelfTest(VOID)
{
    IopHostless = TRUE;
    LdrpSelfTest();
    IopSelfTestIrps();
    IopSelfTestMisc();
    IopSelfTestRing();
    DbgPrint("selftest: %lu failure(s)\n", KrnlSelfTestFailures);
    return KrnlSelfTestFailures;
}
