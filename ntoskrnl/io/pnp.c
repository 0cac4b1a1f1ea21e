/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/pnp.c: the root bus in the driver process (docs/io.md, "Plug and
 * Play"). ntos's IO_HOST_OP_ADD_DEVICE names a root-enumerated PDO it made
 * for this driver; the runtime makes the local DEVICE_OBJECT of that PDO
 * (DO_BUS_ENUMERATED_DEVICE, owned by a local \Driver\PnpManager) and
 * calls the driver's AddDevice with it. The PnpManager's dispatch routines
 * answer what the driver's FDO passes down, as Windows' root bus PDO does,
 * so passing a PnP or power IRP down never leaves the process: START,
 * STOP, QUERY/CANCEL_REMOVE, REMOVE, SURPRISE_REMOVAL succeed;
 * QUERY_CAPABILITIES, QUERY_ID and QUERY_DEVICE_RELATIONS
 * (TargetDeviceRelation) are answered; anything else completes with the
 * status the IRP carries (STATUS_NOT_SUPPORTED as the managers start PnP
 * and power IRPs). Power: SET_POWER and QUERY_POWER succeed.
 */

#include "iop.h"

#define IOP_PNP_TAG 0x506e7050 /* 'PpnP' */

PDRIVER_OBJECT IopPnpDriverObject;
static PDEVICE_OBJECT IopRootPdo;

BOOLEAN IopIsRootPdo(PDEVICE_OBJECT Device)
{
    return Device != NULL && Device == IopRootPdo;
}

/* The last component of the service key in upper case: the root
 * enumerator's device ID is ROOT\<it>. Returns the characters written. */
ULONG IopServiceName(PWCHAR Name, ULONG Chars)
{
    const uint16_t *Key = IopHostInfo.ServiceKey, *Last = Key;
    ULONG Index, Length = 0;

    for (Index = 0; Index < IO_HOST_NAME_CHARS && Key[Index]; Index++)
        if (Key[Index] == L'\\')
            Last = &Key[Index + 1];
    for (; Last[Length] && Length + 1 < Chars && Last + Length < Key + IO_HOST_NAME_CHARS; Length++)
        Name[Length] = RtlUpcaseUnicodeChar(Last[Length]);
    Name[Length] = 0;
    return Length;
}

/* ---- the root bus's answers ------------------------------------------------------------ */

static NTSTATUS IopCompletePdoIrp(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* Windows' PnP manager hands the bus a DEVICE_CAPABILITIES with Size,
 * Version 1, Address and UINumber -1; the root bus fills in what it knows:
 * a root device has no address, no UI number and no wake, and is off (D3)
 * in every sleeping state. */
static NTSTATUS IopPdoQueryCapabilities(PIO_STACK_LOCATION Stack)
{
    PDEVICE_CAPABILITIES Caps = Stack->Parameters.DeviceCapabilities.Capabilities;
    ULONG State;

    if (Caps == NULL || Caps->Size < sizeof(*Caps))
        return STATUS_INVALID_PARAMETER;
    if (Caps->Version != 1)
        return STATUS_REVISION_MISMATCH;
    Caps->UniqueID = TRUE;
    Caps->SilentInstall = TRUE;
    Caps->Address = 0xFFFFFFFF;
    Caps->UINumber = 0xFFFFFFFF;
    Caps->DeviceState[PowerSystemUnspecified] = PowerDeviceUnspecified;
    Caps->DeviceState[PowerSystemWorking] = PowerDeviceD0;
    for (State = PowerSystemSleeping1; State < PowerSystemMaximum; State++)
        Caps->DeviceState[State] = PowerDeviceD3;
    Caps->SystemWake = PowerSystemUnspecified;
    Caps->DeviceWake = PowerDeviceUnspecified;
    return STATUS_SUCCESS;
}

/* First and Second joined in pool memory, with two NULs at the end (a
 * one-string REG_MULTI_SZ, and a plain string for whoever stops at the
 * first), freed by the caller with ExFreePool as Windows' callers do. */
static PWCHAR IopPoolString(PCWSTR First, PCWSTR Second)
{
    SIZE_T One = wcslen(First), Two = Second ? wcslen(Second) : 0;
    PWCHAR Text = ExAllocatePoolWithTag(PagedPool, (One + Two + 2) * sizeof(WCHAR), IOP_PNP_TAG);

    if (Text == NULL)
        return NULL;
    RtlCopyMemory(Text, First, One * sizeof(WCHAR));
    RtlCopyMemory(Text + One, Second, Two * sizeof(WCHAR));
    Text[One + Two] = 0;
    Text[One + Two + 1] = 0;
    return Text;
}

/* BusQueryDeviceID "ROOT\<SERVICE>", BusQueryHardwareIDs the same as a
 * REG_MULTI_SZ, BusQueryInstanceID "0000"; other kinds: not the root bus's
 * to answer (the IRP's status stays). */
static NTSTATUS IopPdoQueryId(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    WCHAR Service[IO_HOST_NAME_CHARS];
    PWCHAR Id;

    IopServiceName(Service, ARRAYSIZE(Service));
    switch (Stack->Parameters.QueryId.IdType) {
    case BusQueryDeviceID:
        Id = IopPoolString(L"ROOT\\", Service);
        break;
    case BusQueryHardwareIDs:
        Id = IopPoolString(L"ROOT\\", Service);
        break;
    case BusQueryInstanceID:
        Id = IopPoolString(L"0000", NULL);
        break;
    default:
        return Irp->IoStatus.Status;
    }
    if (Id == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->IoStatus.Information = (ULONG_PTR)Id;
    return STATUS_SUCCESS;
}

/* TargetDeviceRelation: the PDO itself, referenced (the caller
 * dereferences it and frees the list). */
static NTSTATUS IopPdoQueryRelations(PDEVICE_OBJECT Pdo, PIRP Irp, PIO_STACK_LOCATION Stack)
{
    PDEVICE_RELATIONS Relations;

    if (Stack->Parameters.QueryDeviceRelations.Type != TargetDeviceRelation)
        return Irp->IoStatus.Status;
    Relations = ExAllocatePoolWithTag(PagedPool, sizeof(*Relations), IOP_PNP_TAG);
    if (Relations == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Relations->Count = 1;
    Relations->Objects[0] = Pdo;
    ObReferenceObject(Pdo);
    Irp->IoStatus.Information = (ULONG_PTR)Relations;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI IopPdoDispatchPnp(PDEVICE_OBJECT Pdo, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;

    switch (Stack->MinorFunction) {
    case IRP_MN_REMOVE_DEVICE:
        IopDisableDeviceInterfaces(Pdo); /* Windows' PnP manager does at removal */
        Status = STATUS_SUCCESS;
        break;
    case IRP_MN_START_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
    case IRP_MN_STOP_DEVICE:
    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        Status = STATUS_SUCCESS;
        break;
    case IRP_MN_QUERY_CAPABILITIES:
        Status = IopPdoQueryCapabilities(Stack);
        break;
    case IRP_MN_QUERY_ID:
        Status = IopPdoQueryId(Irp, Stack);
        break;
    case IRP_MN_QUERY_DEVICE_RELATIONS:
        Status = IopPdoQueryRelations(Pdo, Irp, Stack);
        break;
    default:
        Status = Irp->IoStatus.Status;
        break;
    }
    return IopCompletePdoIrp(Irp, Status);
}

/* The bus completes power IRPs; nothing to power up or down on the root. */
static NTSTATUS NTAPI IopPdoDispatchPower(PDEVICE_OBJECT Pdo, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = Irp->IoStatus.Status;

    if (Stack->MinorFunction == IRP_MN_SET_POWER || Stack->MinorFunction == IRP_MN_QUERY_POWER)
        Status = STATUS_SUCCESS;
    PoStartNextPowerIrp(Irp);
    return IopCompletePdoIrp(Irp, Status);
}

/* ---- the local PnP manager and PDO ------------------------------------------------------ */

static NTSTATUS IopCreatePnpDriverObject(VOID)
{
    static UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Driver\\PnpManager");
    PDRIVER_OBJECT Driver;
    ULONG Index;

    if (IopPnpDriverObject != NULL)
        return STATUS_SUCCESS;
    if (!NT_SUCCESS(ObpCreateObject(
            &ObpDriverType, sizeof(DRIVER_OBJECT) + sizeof(DRIVER_EXTENSION), (PVOID *)&Driver)))
        return STATUS_INSUFFICIENT_RESOURCES;
    Driver->Type = IO_TYPE_DRIVER;
    Driver->Size = sizeof(DRIVER_OBJECT);
    Driver->DriverExtension = (PDRIVER_EXTENSION)(Driver + 1);
    Driver->DriverExtension->DriverObject = Driver;
    Driver->DriverName = Name;
    for (Index = 0; Index <= IRP_MJ_MAXIMUM_FUNCTION; Index++)
        Driver->MajorFunction[Index] = IopInvalidDeviceRequest;
    Driver->MajorFunction[IRP_MJ_PNP] = IopPdoDispatchPnp;
    Driver->MajorFunction[IRP_MJ_POWER] = IopPdoDispatchPower;
    IopPnpDriverObject = Driver;
    return STATUS_SUCCESS;
}

/* The devices of the PDO's stack (AddDevice's) ready for requests: Windows'
 * PnP manager clears DO_DEVICE_INITIALIZING of a driver that forgot. */
static VOID IopFinishAddDevice(PDEVICE_OBJECT Pdo)
{
    PDEVICE_OBJECT Device;

    for (Device = Pdo->AttachedDevice; Device != NULL; Device = Device->AttachedDevice)
        if (Device->Flags & DO_DEVICE_INITIALIZING) {
            DbgPrint("AddDevice left DO_DEVICE_INITIALIZING set on %p; cleared\n", Device);
            Device->Flags &= ~DO_DEVICE_INITIALIZING;
        }
    IopReportNewDevices(FALSE);
}

VOID IopAddDeviceRequest(const IO_HOST_REQUEST *Request)
{
    PDRIVER_ADD_DEVICE AddDevice = IopDriverObject->DriverExtension->AddDevice;
    UNICODE_STRING Name;
    NTSTATUS Status;

    Name.Buffer = (PWCH)(ULONG_PTR)Request->FileName;
    Name.Length = Name.MaximumLength = Request->FileNameLength;
    /* One root PDO per driver process (ntos makes one per load). */
    if (AddDevice == NULL || IopRootPdo != NULL || Name.Buffer == NULL || Name.Length == 0 ||
        (Name.Length & 1)) {
        IopPostCompletion(Request->Id, STATUS_INVALID_PARAMETER, 0, 0);
        return;
    }
    Status = IopCreatePnpDriverObject();
    if (NT_SUCCESS(Status)) {
        IopRootPdo = IopCreateForeignDevice(IopPnpDriverObject, &Name, FILE_DEVICE_CONTROLLER,
                                            FILE_AUTOGENERATED_DEVICE_NAME,
                                            (HANDLE)(ULONG_PTR)Request->Parameters[0]);
        Status = IopRootPdo != NULL ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    }
    if (NT_SUCCESS(Status)) {
        IopRootPdo->Flags |= DO_BUS_ENUMERATED_DEVICE;
        Status = AddDevice(IopDriverObject, IopRootPdo);
    }
    if (NT_SUCCESS(Status))
        IopFinishAddDevice(IopRootPdo);
    IopPostCompletion(Request->Id, Status, 0, 0);
}
