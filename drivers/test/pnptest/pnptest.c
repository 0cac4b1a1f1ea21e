/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A WDM driver for the PnP tests (base/ntapitest/pnp.c,
 * tests/system/nt-shutdown), built with the stock ddk headers.
 * DriverEntry sets AddDevice; AddDevice makes an unnamed FDO, attaches it
 * to the root PDO and registers a device interface. Its IRP_MJ_PNP handler
 * records each minor ntos sends and forwards to the PDO as
 * IoForwardIrpSynchronously does (the stack location copied, a completion
 * routine, a KEVENT); after START it asks the PDO what a bus answers
 * (capabilities, IDs, relations), reads properties, enables the interface
 * and exercises the Po routines. IOCTL_PNPTEST_RECORD returns all that.
 *
 * Load-time parameter: loaded as service PnpFail (pnpfail.sys, a copy of
 * this image) its START fails with PNPTEST_START_FAILURE; as PnpHang
 * (pnphang.sys) it never completes the shutdown power IRP. IOCTL_PNPTEST_VETO
 * makes QUERY_REMOVE fail; IOCTL_PNPTEST_WATCH pends until REMOVE_DEVICE
 * and returns the record then, so a test sees the removal of a driver that
 * is gone afterwards; IOCTL_PNPTEST_CRASH faults. The shutdown power IRP is announced on the debug
 * output, where the nt-shutdown suite looks for it.
 */
#include <ntddk.h>
#include "pnptest.h"

static const GUID PnpTestGuid = PNPTEST_GUID_INIT;
static PNPTEST_RECORD Record;
static PDEVICE_OBJECT Fdo, Pdo, Lower;
static UNICODE_STRING InterfaceLink;
static BOOLEAN FailStart, HangShutdown, Veto;
static PIRP Watch;
static volatile ULONG *volatile CrashAddress = (volatile ULONG *)0x10; /* never mapped */

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS NTAPI SignalDone(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    (void)DeviceObject, (void)Irp;
    KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* IoForwardIrpSynchronously by hand: the IRP comes back to us. */
static NTSTATUS ForwardAndWait(PIRP Irp)
{
    KEVENT Event;
    NTSTATUS Status;

    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, SignalDone, &Event, TRUE, TRUE, TRUE);
    Status = IoCallDriver(Lower, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL);
        Status = Irp->IoStatus.Status;
    }
    return Status;
}

/* An IRP_MJ_PNP of our own to the PDO's stack below us, as a function
 * driver asks its bus. */
static NTSTATUS AskLower(UCHAR Minor, PIO_STACK_LOCATION Parameters, ULONG_PTR *Information)
{
    PIRP Irp = IoAllocateIrp(Lower->StackSize, FALSE);
    PIO_STACK_LOCATION Stack;
    KEVENT Event;
    NTSTATUS Status;

    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->IoStatus.Status = STATUS_NOT_SUPPORTED;
    Stack = IoGetNextIrpStackLocation(Irp);
    if (Parameters)
        Stack->Parameters = Parameters->Parameters;
    Stack->MajorFunction = IRP_MJ_PNP;
    Stack->MinorFunction = Minor;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    IoSetCompletionRoutine(Irp, SignalDone, &Event, TRUE, TRUE, TRUE);
    if (IoCallDriver(Lower, Irp) == STATUS_PENDING)
        KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL);
    Status = Irp->IoStatus.Status;
    *Information = Irp->IoStatus.Information;
    IoFreeIrp(Irp);
    return Status;
}

static VOID CopyText(unsigned short *To, ULONG Chars, PCWSTR From, ULONG FromChars)
{
    for (ULONG i = 0; i + 1 < Chars && i < FromChars; i++)
        To[i] = From[i];
}

static int QueryId(BUS_QUERY_ID_TYPE Type, unsigned short *To, ULONG Chars)
{
    IO_STACK_LOCATION Stack = {0};
    ULONG_PTR Id = 0;
    NTSTATUS Status;

    Stack.Parameters.QueryId.IdType = Type;
    Status = AskLower(IRP_MN_QUERY_ID, &Stack, &Id);
    if (NT_SUCCESS(Status) && Id != 0) {
        /* a multi-sz keeps its inner NULs: copy Chars - 1 characters */
        CopyText(To, Chars, (PCWSTR)Id, Chars - 1);
        ExFreePool((PVOID)Id);
    }
    return Status;
}

static VOID AskCapabilities(VOID)
{
    IO_STACK_LOCATION Stack = {0};
    DEVICE_CAPABILITIES Caps = {0};
    ULONG_PTR Information;

    Caps.Size = sizeof(Caps);
    Caps.Version = 1;
    Caps.Address = Caps.UINumber = 0xFFFFFFFF;
    Stack.Parameters.DeviceCapabilities.Capabilities = &Caps;
    Record.CapsStatus = AskLower(IRP_MN_QUERY_CAPABILITIES, &Stack, &Information);
    Record.CapsVersion = Caps.Version;
    Record.CapsSize = Caps.Size;
    Record.CapsUniqueID = Caps.UniqueID;
    Record.CapsAddress = Caps.Address;
    Record.CapsUINumber = Caps.UINumber;
    Record.CapsWorking = Caps.DeviceState[PowerSystemWorking];
    Record.CapsShutdown = Caps.DeviceState[PowerSystemShutdown];
}

static VOID AskRelations(VOID)
{
    IO_STACK_LOCATION Stack = {0};
    ULONG_PTR Information = 0;
    PDEVICE_RELATIONS Relations;

    Stack.Parameters.QueryDeviceRelations.Type = TargetDeviceRelation;
    Record.RelationsStatus = AskLower(IRP_MN_QUERY_DEVICE_RELATIONS, &Stack, &Information);
    Relations = (PDEVICE_RELATIONS)Information;
    if (NT_SUCCESS(Record.RelationsStatus) && Relations != NULL) {
        Record.RelationsCount = Relations->Count;
        Record.RelationIsPdo = Relations->Count == 1 && Relations->Objects[0] == Pdo;
        for (ULONG i = 0; i < Relations->Count; i++)
            ObDereferenceObject(Relations->Objects[i]);
        ExFreePool(Relations);
    }
    Stack.Parameters.QueryDeviceRelations.Type = BusRelations;
    Information = 0;
    Record.OtherRelationsStatus = AskLower(IRP_MN_QUERY_DEVICE_RELATIONS, &Stack, &Information);
    Record.UnknownMinorStatus = AskLower(IRP_MN_QUERY_BUS_INFORMATION, NULL, &Information);
}

static VOID AskProperties(VOID)
{
    WCHAR Buffer[64];
    ULONG Length = 0;

    RtlZeroMemory(Buffer, sizeof(Buffer));
    Record.PdoNameStatus = IoGetDeviceProperty(Pdo, DevicePropertyPhysicalDeviceObjectName,
                                               sizeof(Buffer), Buffer, &Length);
    CopyText(Record.PdoName, 32, Buffer, Length / sizeof(WCHAR));
    RtlZeroMemory(Buffer, sizeof(Buffer));
    Record.EnumeratorStatus =
        IoGetDeviceProperty(Pdo, DevicePropertyEnumeratorName, sizeof(Buffer), Buffer, &Length);
    CopyText(Record.Enumerator, 8, Buffer, Length / sizeof(WCHAR));
    Record.DescriptionStatus =
        IoGetDeviceProperty(Pdo, DevicePropertyDeviceDescription, sizeof(Buffer), Buffer, &Length);
    Length = 0;
    Record.SmallBufferStatus =
        IoGetDeviceProperty(Pdo, DevicePropertyPhysicalDeviceObjectName, 4, Buffer, &Length);
    Record.SmallBufferLength = Length;
}

static VOID NTAPI PowerRequestDone(PDEVICE_OBJECT DeviceObject, UCHAR MinorFunction,
                                   POWER_STATE PowerState, PVOID Context, PIO_STATUS_BLOCK IoStatus)
{
    (void)DeviceObject;
    Record.PoRequestCompleted++;
    Record.PoRequestMinor = MinorFunction;
    Record.PoRequestState = PowerState.DeviceState;
    Record.PoRequestIoStatus = IoStatus->Status;
    KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
}

static VOID TryPower(VOID)
{
    POWER_STATE State;
    KEVENT Event;

    State.DeviceState = PowerDeviceD3;
    Record.PoFirstPrevious = PoSetPowerState(Fdo, DevicePowerState, State).DeviceState;
    State.DeviceState = PowerDeviceD0;
    Record.PoSecondPrevious = PoSetPowerState(Fdo, DevicePowerState, State).DeviceState;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Record.PoRequestStatus =
        PoRequestPowerIrp(Pdo, IRP_MN_SET_POWER, State, PowerRequestDone, &Event, NULL);
    if (Record.PoRequestStatus == STATUS_PENDING)
        KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL);
    Record.PoBadMinorStatus =
        PoRequestPowerIrp(Pdo, IRP_MN_POWER_SEQUENCE, State, PowerRequestDone, &Event, NULL);
    Record.IdleDetection = PoRegisterDeviceForIdleDetection(Fdo, 10, 10, PowerDeviceD3) != NULL;
}

/* ZwOpenFile of Name (the PDO's name when NULL): the open's status. */
static int TryOpen(PCWSTR Name)
{
    WCHAR PdoName[40] = {0};
    UNICODE_STRING Path;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;
    ULONG Length;
    NTSTATUS Status;

    if (Name == NULL) {
        Status = IoGetDeviceProperty(Pdo, DevicePropertyPhysicalDeviceObjectName,
                                     sizeof(PdoName) - sizeof(WCHAR), PdoName, &Length);
        if (!NT_SUCCESS(Status))
            return Status;
        Name = PdoName;
    }
    RtlInitUnicodeString(&Path, Name);
    InitializeObjectAttributes(&Attributes, &Path, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    Status = ZwOpenFile(&Handle, GENERIC_READ | SYNCHRONIZE, &Attributes, &Iosb,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT);
    if (NT_SUCCESS(Status))
        ZwClose(Handle);
    return Status;
}

/* After a successful START: what the driver asks of its bus and the system. */
static VOID Started(VOID)
{
    AskCapabilities();
    Record.DeviceIdStatus = QueryId(BusQueryDeviceID, Record.DeviceId, 32);
    Record.InstanceIdStatus = QueryId(BusQueryInstanceID, Record.InstanceId, 8);
    Record.HardwareIdsStatus = QueryId(BusQueryHardwareIDs, Record.HardwareIds, 32);
    Record.CompatibleIdsStatus = QueryId(BusQueryCompatibleIDs, NULL, 1);
    AskRelations();
    AskProperties();
    if (NT_SUCCESS(Record.InterfaceStatus)) {
        Record.EnableStatus = IoSetDeviceInterfaceState(&InterfaceLink, TRUE);
        Record.EnableAgainStatus = IoSetDeviceInterfaceState(&InterfaceLink, TRUE);
    }
    TryPower();
}

static VOID FinishWatch(VOID)
{
    PIRP Irp = Watch;
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    Watch = NULL;
    if (Irp != NULL)
        IoSetCancelRoutine(Irp, NULL);
    IoReleaseCancelSpinLock(Irql);
    if (Irp == NULL)
        return;
    RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, &Record, sizeof(Record));
    Complete(Irp, STATUS_SUCCESS, sizeof(Record));
}

static NTSTATUS Remove(PIRP Irp)
{
    NTSTATUS Status;

    Record.OpenDuringRemoveStatus = TryOpen(NULL);
    FinishWatch();
    if (NT_SUCCESS(Record.InterfaceStatus))
        IoSetDeviceInterfaceState(&InterfaceLink, FALSE);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoSkipCurrentIrpStackLocation(Irp);
    Status = IoCallDriver(Lower, Irp);
    IoDetachDevice(Lower);
    IoDeleteDevice(Fdo);
    Fdo = Lower = NULL;
    return Status;
}

static NTSTATUS NTAPI DispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;

    if (Record.PnpCount < PNPTEST_MINORS)
        Record.PnpMinors[Record.PnpCount++] = Stack->MinorFunction;
    switch (Stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        Record.OpenBeforeStartStatus = TryOpen(NULL);
        if (InterfaceLink.Buffer != NULL)
            Record.LinkBeforeEnableStatus = TryOpen(InterfaceLink.Buffer);
        Status = Record.StartLowerStatus = ForwardAndWait(Irp);
        if (NT_SUCCESS(Status) && FailStart)
            Status = PNPTEST_START_FAILURE;
        else if (NT_SUCCESS(Status))
            Started();
        return Complete(Irp, Status, 0);
    case IRP_MN_QUERY_REMOVE_DEVICE:
        if (Veto)
            return Complete(Irp, PNPTEST_VETO_STATUS, 0);
        return Complete(Irp, ForwardAndWait(Irp), 0);
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        return Complete(Irp, ForwardAndWait(Irp), 0);
    case IRP_MN_REMOVE_DEVICE:
        return Remove(Irp);
    default:
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(Lower, Irp);
    }
}

static NTSTATUS NTAPI DispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    Record.PowerCount++;
    Record.LastPowerMinor = Stack->MinorFunction;
    Record.LastPowerType = Stack->Parameters.Power.Type;
    Record.LastPowerState = Stack->Parameters.Power.State.SystemState;
    if (Stack->MinorFunction == IRP_MN_SET_POWER &&
        Stack->Parameters.Power.Type == SystemPowerState) {
        DbgPrint("set power: system state %u, shutdown type %u\n",
                 (ULONG)Stack->Parameters.Power.State.SystemState,
                 (ULONG)Stack->Parameters.Power.ShutdownType);
        if (HangShutdown) {
            IoMarkIrpPending(Irp); /* never completed: ntos must not wait for ever */
            return STATUS_PENDING;
        }
    }
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    return PoCallDriver(Lower, Irp);
}

static VOID NTAPI CancelWatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    (void)DeviceObject;
    Watch = NULL;
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    Complete(Irp, STATUS_CANCELLED, 0);
}

static NTSTATUS StartWatch(PIRP Irp, ULONG Out)
{
    KIRQL Irql;

    if (Out < sizeof(Record))
        return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    IoAcquireCancelSpinLock(&Irql);
    if (Watch != NULL || Irp->Cancel) {
        IoReleaseCancelSpinLock(Irql);
        return Complete(Irp, Irp->Cancel ? STATUS_CANCELLED : STATUS_DEVICE_BUSY, 0);
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, CancelWatch);
    Watch = Irp;
    IoReleaseCancelSpinLock(Irql);
    return STATUS_PENDING;
}

static NTSTATUS NTAPI DispatchControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;

    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_PNPTEST_RECORD:
        if (Out < sizeof(Record))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, &Record, sizeof(Record));
        return Complete(Irp, STATUS_SUCCESS, sizeof(Record));
    case IOCTL_PNPTEST_VETO:
        if (In < sizeof(ULONG))
            return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        Veto = *(PULONG)Irp->AssociatedIrp.SystemBuffer != 0;
        return Complete(Irp, STATUS_SUCCESS, 0);
    case IOCTL_PNPTEST_WATCH:
        return StartWatch(Irp, Out);
    case IOCTL_PNPTEST_CRASH:
        *CrashAddress = 0xdead;
        return Complete(Irp, STATUS_UNSUCCESSFUL, 0);
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS NTAPI DispatchFile(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return Complete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI AddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    UNICODE_STRING Refused;
    NTSTATUS Status;

    Record.AddDeviceCalls++;
    Record.PdoFlags = PhysicalDeviceObject->Flags;
    Record.PdoStackSize = PhysicalDeviceObject->StackSize;
    Status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN,
                            FALSE, &Fdo);
    if (!NT_SUCCESS(Status))
        return Status;
    Lower = IoAttachDeviceToDeviceStack(Fdo, PhysicalDeviceObject);
    if (Lower == NULL) {
        IoDeleteDevice(Fdo);
        Fdo = NULL;
        return STATUS_NO_SUCH_DEVICE;
    }
    Pdo = PhysicalDeviceObject;
    Record.FdoStackSize = Fdo->StackSize;
    Record.InterfaceStatus = IoRegisterDeviceInterface(Pdo, &PnpTestGuid, NULL, &InterfaceLink);
    if (NT_SUCCESS(Record.InterfaceStatus))
        CopyText(Record.InterfaceLink, 128, InterfaceLink.Buffer,
                 InterfaceLink.Length / sizeof(WCHAR));
    Record.FdoInterfaceStatus = IoRegisterDeviceInterface(Fdo, &PnpTestGuid, NULL, &Refused);
    if (NT_SUCCESS(Record.FdoInterfaceStatus))
        RtlFreeUnicodeString(&Refused);
    Fdo->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    Fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

static VOID NTAPI Unload(PDRIVER_OBJECT DriverObject)
{
    (void)DriverObject;
    if (InterfaceLink.Buffer != NULL)
        RtlFreeUnicodeString(&InterfaceLink);
}

/* The service's last component names the behaviour: PnpFail fails START,
 * PnpHang holds the shutdown power IRP. */
static BOOLEAN ServiceIs(PUNICODE_STRING RegistryPath, PCWSTR Name)
{
    UNICODE_STRING Wanted, Last = *RegistryPath;
    USHORT Start = RegistryPath->Length / sizeof(WCHAR);

    while (Start > 0 && RegistryPath->Buffer[Start - 1] != L'\\')
        Start--;
    Last.Buffer = RegistryPath->Buffer + Start;
    Last.Length = Last.MaximumLength = RegistryPath->Length - Start * sizeof(WCHAR);
    RtlInitUnicodeString(&Wanted, Name);
    return RtlEqualUnicodeString(&Last, &Wanted, TRUE);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    FailStart = ServiceIs(RegistryPath, L"PnpFail");
    HangShutdown = ServiceIs(RegistryPath, L"PnpHang");
    DriverObject->DriverExtension->AddDevice = AddDevice;
    DriverObject->MajorFunction[IRP_MJ_PNP] = DispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = DispatchPower;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = DispatchFile;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = DispatchFile;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = DispatchFile;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = DispatchControl;
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
