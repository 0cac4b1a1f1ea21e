/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Devices (type "Device"): made by a driver process (NtDriverCreateDevice,
 * IoCreateDevice's half in ntos), named under \Device or not, stacked
 * (NtDriverAttachDevice), deleted by the driver or with its process. An
 * open of a device name comes to the type's parse method: a file object
 * bound to the top of the device's stack, an IRP_MJ_CREATE with the rest
 * of the name, and the open fails with the driver's status.
 */
#include "iop.h"
#include <nt/sysinfo.h>

POBJECT_TYPE IoDeviceObjectType;

static void IopDeleteDeviceObject(PVOID Object)
{
    PDEVICE_OBJECT Device = Object;

    ObDereferenceObject(Device->DriverObject);
}

NTSTATUS IopCreateDeviceType(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = FILE_ALL_ACCESS,
        .GenericMapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
                           FILE_ALL_ACCESS},
        .PoolTag = IOP_DEVICE_TAG,
        .DeleteProcedure = IopDeleteDeviceObject,
        .ParseProcedure = IopParseDevice,
    };

    return ObCreateObjectType("Device", &Init, &IoDeviceObjectType);
}

/* The device's DO_* flags: NtDriverCreateDevice's, then what the runtime
 * reports (iohost.h, IO_HOST_ID_DEVICE_FLAGS: drivers set DO_BUFFERED_IO /
 * DO_DIRECT_IO after IoCreateDevice returned). */
ULONG IopDeviceFlags(PDEVICE_OBJECT Device)
{
    return Device->Flags;
}

PDEVICE_OBJECT IopTopOfStack(PDEVICE_OBJECT Device)
{
    while (Device->AttachedDevice != NULL)
        Device = Device->AttachedDevice;
    return Device;
}

/* Out of its stack, its name and its driver's list; opens fail from now on. */
void IopDeleteDevice(PDEVICE_OBJECT Device)
{
    PDEVICE_OBJECT *Link;

    if (Device->Deleted)
        return;
    Device->Deleted = true;
    if (Device->AttachedTo)
        Device->AttachedTo->AttachedDevice = Device->AttachedDevice;
    if (Device->AttachedDevice)
        Device->AttachedDevice->AttachedTo = Device->AttachedTo;
    Device->AttachedTo = Device->AttachedDevice = NULL;
    ObMakeTemporaryObject(Device); /* the driver's list still holds it */
    for (Link = &Device->DriverObject->DeviceList; *Link; Link = &(*Link)->NextDevice)
        if (*Link == Device) {
            *Link = Device->NextDevice;
            Device->NextDevice = NULL;
            ObDereferenceObject(Device); /* the list's reference */
            break;
        }
}

/* IRP_MJ_CREATE of an open of Device (the top of its stack). */
static MAY_WAIT NTSTATUS IopSendCreate(PDEVICE_OBJECT Device, PFILE_OBJECT FileObject,
                                       const UNICODE_STRING *RemainingName, PIOP_OPEN_PACKET Packet)
{
    PIOP_IRP Irp;
    NTSTATUS Status = IopAllocateIrp(Device->DriverObject, Device, FileObject, IRP_MJ_CREATE, &Irp);

    if (!NT_SUCCESS(Status))
        return Status;
    Irp->Request.Parameters[1] = ((ULONG64)Packet->Disposition << 24) | Packet->Options;
    Irp->Request.Parameters[2] = (Packet->FileAttributes & 0xffff) | (Packet->ShareAccess << 16);
    Irp->Request.Parameters[3] = Packet->EaLength;
    if (FileObject->FileName.Length) {
        Status = IopMapKernelData(Irp, FileObject->FileName.Buffer, FileObject->FileName.Length);
        Irp->Request.FileName = Irp->Name.DriverVa;
        Irp->Request.FileNameLength = FileObject->FileName.Length;
    }
    (void)RemainingName;
    if (NT_SUCCESS(Status))
        Status = IopCallDriver(Irp, true);
    if (NT_SUCCESS(Status)) {
        FileObject->DriverCookie = Irp->Cookie;
        FileObject->Opened = true;
        Packet->Information = Irp->Information;
    }
    IopDereferenceIrp(Irp);
    return Status;
}

NTSTATUS IopParseDevice(PVOID Object, const UNICODE_STRING *RemainingName, ULONG Attributes,
                        ACCESS_MASK DesiredAccess, PVOID ParseContext, PVOID *Result)
{
    PDEVICE_OBJECT Device = Object, Top;
    PIOP_OPEN_PACKET Packet = ParseContext;
    PFILE_OBJECT FileObject;
    NTSTATUS Status;

    (void)Attributes, (void)DesiredAccess;
    *Result = NULL;
    if (Packet == NULL) {
        /* Not an open of a file: the device object itself (by name). */
        if (RemainingName->Length != 0)
            return STATUS_OBJECT_PATH_NOT_FOUND;
        ObReferenceObject(Device);
        *Result = Device;
        return STATUS_SUCCESS;
    }
    Top = IopTopOfStack(Device);
    if (Device->Deleted || Top->DriverObject->Ended || Top->DriverObject->Host == NULL)
        return STATUS_NO_SUCH_DEVICE;
    if (!IopPnpDeviceUsable(Device))
        return STATUS_NO_SUCH_DEVICE; /* pnp: a stack not started (or being removed) */
    Status = IopCreateDeviceFileObject(Top, RemainingName, Packet, &FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopSendCreate(Top, FileObject, RemainingName, Packet);
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(FileObject);
        return Status;
    }
    *Result = FileObject;
    return STATUS_SUCCESS;
}

/* ---- the driver's services -------------------------------------------------------------- */

ULONG IopDeviceGeneration;

NTSTATUS NtDriverCreateDevice(const UNICODE_STRING *DeviceName, ULONG DeviceType,
                              ULONG Characteristics, ULONG Flags, ULONG_PTR DriverCookie,
                              HANDLE *DeviceHandle)
{
    CAPTURED_OBJECT_ATTRIBUTES Attributes = {.Attributes = OBJ_PERMANENT | OBJ_CASE_INSENSITIVE};
    PDRIVER_OBJECT Driver;
    PDEVICE_OBJECT Device;
    NTSTATUS Status = IopCurrentDriver(&Driver);

    if (!NT_SUCCESS(Status))
        return Status;
    if (DriverCookie == 0 || Driver->Ended)
        return STATUS_INVALID_PARAMETER;
    Status = ObCreateObject(IoDeviceObjectType, sizeof(*Device), (PVOID *)&Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Device->DriverObject = Driver;
    ObReferenceObject(Driver);
    Device->DeviceType = DeviceType;
    Device->Characteristics = Characteristics;
    Device->Flags = Flags;
    Device->DriverCookie = DriverCookie;
    if (DeviceName != NULL && DeviceName->Length != 0) {
        Attributes.ObjectName = DeviceName;
        Attributes.Name = *DeviceName;
    }
    ObReferenceObject(Device); /* the driver's list */
    Status = ObInsertObject(Device, &Attributes, FILE_ALL_ACCESS, DeviceHandle);
    if (!NT_SUCCESS(Status)) {
        Device->Deleted = true;
        ObDereferenceObject(Device);
        return Status;
    }
    Device->NextDevice = Driver->DeviceList;
    Driver->DeviceList = Device;
    IopDeviceGeneration++;
    return STATUS_SUCCESS;
}

/* A device of the calling driver behind Handle, referenced. */
static NTSTATUS IopReferenceOwnDevice(HANDLE Handle, PDEVICE_OBJECT *Device)
{
    PDRIVER_OBJECT Driver;
    NTSTATUS Status = IopCurrentDriver(&Driver);

    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(Handle, IoDeviceObjectType, 0, (PVOID *)Device);
    if (NT_SUCCESS(Status) && (*Device)->DriverObject != Driver) {
        ObDereferenceObject(*Device);
        Status = STATUS_ACCESS_DENIED;
    }
    return Status;
}

NTSTATUS NtDriverDeleteDevice(HANDLE DeviceHandle)
{
    PDEVICE_OBJECT Device;
    NTSTATUS Status = IopReferenceOwnDevice(DeviceHandle, &Device);

    if (!NT_SUCCESS(Status))
        return Status;
    IopDeleteDevice(Device);
    ObDereferenceObject(Device);
    return STATUS_SUCCESS;
}

/* The device behind a device handle or a file handle on a device. */
static NTSTATUS IopReferenceTargetDevice(HANDLE Handle, PDEVICE_OBJECT *Device)
{
    PVOID Object;
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, NULL, 0, &Object);

    if (!NT_SUCCESS(Status))
        return Status;
    if (ObGetObjectType(Object) == IoDeviceObjectType) {
        *Device = Object;
        return STATUS_SUCCESS;
    }
    if (ObGetObjectType(Object) == IoFileObjectType && ((PFILE_OBJECT)Object)->DeviceObject) {
        *Device = ((PFILE_OBJECT)Object)->DeviceObject;
        ObReferenceObject(*Device);
        ObDereferenceObject(Object);
        return STATUS_SUCCESS;
    }
    ObDereferenceObject(Object);
    return STATUS_OBJECT_TYPE_MISMATCH;
}

NTSTATUS NtDriverAttachDevice(HANDLE SourceDevice, HANDLE TargetDevice)
{
    PDEVICE_OBJECT Source, Target = NULL, Top;
    NTSTATUS Status = IopReferenceOwnDevice(SourceDevice, &Source);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopReferenceTargetDevice(TargetDevice, &Target);
    if (!NT_SUCCESS(Status))
        goto out;
    Top = IopTopOfStack(Target);
    if (Source->AttachedTo || Source->AttachedDevice || Top == Source)
        Status = STATUS_INVALID_PARAMETER; /* in a stack already */
    else if (Source->Deleted || Top->Deleted)
        Status = STATUS_NO_SUCH_DEVICE;
    else if (!NT_SUCCESS(IopPnpCheckAttach(Top, Source)))
        Status = STATUS_ACCESS_DENIED; /* pnp: another driver's PDO */
    else {
        Top->AttachedDevice = Source;
        Source->AttachedTo = Top;
    }
out:
    if (Target)
        ObDereferenceObject(Target);
    ObDereferenceObject(Source);
    return Status;
}

NTSTATUS NtDriverDetachDevice(HANDLE TargetDevice)
{
    PDRIVER_OBJECT Driver;
    PDEVICE_OBJECT Target = NULL, Above;
    NTSTATUS Status = IopCurrentDriver(&Driver);

    if (NT_SUCCESS(Status))
        Status = IopReferenceTargetDevice(TargetDevice, &Target);
    if (!NT_SUCCESS(Status))
        return Status;
    Above = Target->AttachedDevice;
    /* xcall: the caller's own device on another driver's stack (nothing of
     * the caller's above it) names itself: the runtime knows the device
     * below only as a proxy. */
    if (Target->DriverObject == Driver && Target->AttachedTo &&
        Target->AttachedTo->DriverObject != Driver &&
        (Above == NULL || Above->DriverObject != Driver)) {
        Above = Target;
        Target = Target->AttachedTo;
        ObReferenceObject(Target);
        ObDereferenceObject(Above);
    }
    if (Above == NULL)
        Status = STATUS_INVALID_PARAMETER;
    else if (Above->DriverObject != Driver)
        Status = STATUS_ACCESS_DENIED; /* only the one attached detaches */
    else {
        Target->AttachedDevice = Above->AttachedDevice;
        if (Above->AttachedDevice)
            Above->AttachedDevice->AttachedTo = Target;
        Above->AttachedDevice = Above->AttachedTo = NULL;
    }
    ObDereferenceObject(Target);
    return Status;
}

/* ---- the list of devices (shell branch) -------------------------------------------------- */

#define IOP_ALIGN8(n) (((n) + 7u) & ~7u)

/* A driver's name: Name is NUL-terminated ("\Driver\Null"). */
static ULONG IopDriverNameBytes(PDRIVER_OBJECT Driver)
{
    ULONG n = 0;

    while (n < IO_HOST_NAME_CHARS && Driver->Name[n])
        n++;
    return n * sizeof(WCHAR);
}

static ULONG IopDeviceRecordSize(PDEVICE_OBJECT Device)
{
    return sizeof(SYSTEM_NEREID_DEVICE_INFORMATION) +
           IOP_ALIGN8(ObQueryNameString(Device, NULL, 0)) +
           IOP_ALIGN8(IopDriverNameBytes(Device->DriverObject));
}

/* The drivers whose devices are listed: every loaded one (IopDriverList,
 * in load order), then the PnP manager's, which owns the root PDOs
 * (pnp.c; it is never loaded, so it is not on that list). */
static PDRIVER_OBJECT IopNextListedDriver(PDRIVER_OBJECT Driver)
{
    if (Driver == NULL)
        return IopDriverList ? IopDriverList : IopPnpDriver;
    if (Driver == IopPnpDriver)
        return NULL;
    return Driver->Next ? Driver->Next : IopPnpDriver;
}

/* The record number of each device: drivers in load order, each one's
 * devices in its list's order. 0 for a device not in any list. */
static ULONG IopDeviceIndex(PDEVICE_OBJECT Wanted)
{
    ULONG Index = 0;

    for (PDRIVER_OBJECT Driver = IopNextListedDriver(NULL); Driver;
         Driver = IopNextListedDriver(Driver))
        for (PDEVICE_OBJECT Device = Driver->DeviceList; Device; Device = Device->NextDevice) {
            Index++;
            if (Device == Wanted)
                return Index;
        }
    return 0;
}

/* One record at Out (ntos memory), the names after it; User is where the
 * caller will see Out. */
static void IopDeviceRecord(PDEVICE_OBJECT Device, ULONG Index, UCHAR *Out, ULONG_PTR User)
{
    SYSTEM_NEREID_DEVICE_INFORMATION *Record = (SYSTEM_NEREID_DEVICE_INFORMATION *)Out;
    PDRIVER_OBJECT Driver = Device->DriverObject;
    ULONG Offset = sizeof(*Record), NameBytes = ObQueryNameString(Device, NULL, 0);
    ULONG DriverBytes = IopDriverNameBytes(Driver);

    memset(Record, 0, sizeof(*Record));
    Record->Index = Index;
    Record->AttachedTo = Device->AttachedTo ? IopDeviceIndex(Device->AttachedTo) : 0;
    Record->AttachedDevice = Device->AttachedDevice ? IopDeviceIndex(Device->AttachedDevice) : 0;
    Record->DeviceType = Device->DeviceType;
    Record->Characteristics = Device->Characteristics;
    Record->Flags = Device->Flags;
    Record->DriverProcessId =
        Driver->Process && !Driver->Ended ? Driver->Process->UniqueProcessId : 0;
    ObQueryNameString(Device, (WCHAR *)(Out + Offset), NameBytes);
    Record->DeviceName = (UNICODE_STRING){(USHORT)NameBytes, (USHORT)NameBytes,
                                          NameBytes ? (PWSTR)(User + Offset) : NULL};
    Offset += IOP_ALIGN8(NameBytes);
    memcpy(Out + Offset, Driver->Name, DriverBytes);
    Record->DriverName =
        (UNICODE_STRING){(USHORT)DriverBytes, (USHORT)DriverBytes, (PWSTR)(User + Offset)};
}

ULONG IoQueryDeviceList(UCHAR *Buffer, ULONG Length, ULONG_PTR UserAddress)
{
    ULONG Needed = 0, Offset = 0, Last = 0, Index = 0;

    for (PDRIVER_OBJECT Driver = IopNextListedDriver(NULL); Driver;
         Driver = IopNextListedDriver(Driver))
        for (PDEVICE_OBJECT Device = Driver->DeviceList; Device; Device = Device->NextDevice)
            Needed += IopDeviceRecordSize(Device);
    if (Buffer == NULL || Needed > Length)
        return Needed;
    for (PDRIVER_OBJECT Driver = IopNextListedDriver(NULL); Driver;
         Driver = IopNextListedDriver(Driver))
        for (PDEVICE_OBJECT Device = Driver->DeviceList; Device; Device = Device->NextDevice) {
            IopDeviceRecord(Device, ++Index, Buffer + Offset, UserAddress + Offset);
            if (Offset)
                ((SYSTEM_NEREID_DEVICE_INFORMATION *)(Buffer + Last))->NextEntryOffset =
                    Offset - Last;
            Last = Offset;
            Offset += IopDeviceRecordSize(Device);
        }
    return Needed;
}
