/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/device.c: DEVICE_OBJECTs (ddk layout) and local device stacks. Each
 * device has two halves: the DEVICE_OBJECT here, which the driver and its
 * IRPs see, and ntos's device object (NtDriverCreateDevice), which names
 * it in the namespace and routes opens to it. The runtime's pointer is the
 * DriverCookie ntos puts in every request for the device; ntos's handle
 * is kept in the IOP_DEVICE behind its DEVOBJ_EXTENSION.
 *
 * A device is an Ob object of krnlrt's (ObpCreateObject, ObpDeviceType):
 * one block of DEVICE_OBJECT, the device extension and the
 * IOP_DEVOBJ_EXTENSION (each 16-aligned), then its name. IoDeleteDevice
 * drops the creation's reference; ObReferenceObject keeps a deleted
 * device's memory until the last ObDereferenceObject.
 */

#include "iop.h"

NTSYSAPI NTSTATUS NTAPI NtDriverCreateDevice(PUNICODE_STRING DeviceName, ULONG DeviceType,
                                             ULONG Characteristics, ULONG Flags,
                                             ULONG_PTR DriverCookie, PHANDLE DeviceHandle);
NTSYSAPI NTSTATUS NTAPI NtDriverDeleteDevice(HANDLE DeviceHandle);
NTSYSAPI NTSTATUS NTAPI NtDriverAttachDevice(HANDLE SourceDevice, HANDLE TargetDevice);
NTSYSAPI NTSTATUS NTAPI NtDriverDetachDevice(HANDLE TargetDevice);
NTSYSAPI NTSTATUS NTAPI NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                 POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget,
                                                  PULONG ReturnedLength);

#define IOP_ALIGN16(Size) (((Size) + 15) & ~(SIZE_T)15)

/* A device made after DriverEntry has its flags sent to ntos once the
 * driver cleared DO_DEVICE_INITIALIZING (IopReportNewDevices). */
static BOOLEAN IopDriverStarted;

IOP_DEVICE *IopDevice(PDEVICE_OBJECT Device)
{
    return &((IOP_DEVOBJ_EXTENSION *)Device->DeviceObjectExtension)->Private;
}

BOOLEAN IopIsLocalDevice(PDEVICE_OBJECT Device)
{
    PDEVICE_OBJECT Entry;

    if (Device == NULL || IopDriverObject == NULL)
        return FALSE;
    for (Entry = IopDriverObject->DeviceObject; Entry != NULL; Entry = Entry->NextDevice)
        if (Entry == Device)
            return TRUE;
    return IopIsRootPdo(Device); /* pnp: the local PDO is in this process too */
}

static PDEVICE_OBJECT IopAllocateDevice(PDRIVER_OBJECT Driver, ULONG ExtensionSize,
                                        PCUNICODE_STRING Name, DEVICE_TYPE Type,
                                        ULONG Characteristics);

/* pnp: the local root PDO (pnp.c), a device of the PnP manager's local
 * driver object; its flags are ntos's already (no report). */
PDEVICE_OBJECT IopCreateForeignDevice(PDRIVER_OBJECT Driver, PCUNICODE_STRING Name,
                                      DEVICE_TYPE Type, ULONG Characteristics, HANDLE Handle)
{
    PDEVICE_OBJECT Device = IopAllocateDevice(Driver, 0, Name, Type, Characteristics);

    if (Device == NULL)
        return NULL;
    if (Name != NULL)
        Device->Flags |= DO_DEVICE_HAS_NAME;
    IopDevice(Device)->Handle = Handle;
    IopDevice(Device)->FlagsReported = TRUE;
    Device->NextDevice = Driver->DeviceObject;
    Driver->DeviceObject = Device;
    return Device;
}

VOID IopReportNewDevices(BOOLEAN DriverEntryDone)
{
    PDEVICE_OBJECT Device;

    if (DriverEntryDone)
        IopDriverStarted = TRUE;
    for (Device = IopDriverObject->DeviceObject; Device != NULL; Device = Device->NextDevice) {
        IOP_DEVICE *Private = IopDevice(Device);

        if (DriverEntryDone)
            Device->Flags &= ~DO_DEVICE_INITIALIZING;
        if (Private->FlagsReported || (Device->Flags & DO_DEVICE_INITIALIZING))
            continue;
        Private->FlagsReported = TRUE;
        IopReportDeviceFlags(Device);
    }
}

/* Windows' sector size for the device types that have sectors. */
USHORT IopSectorSize(DEVICE_TYPE Type)
{
    switch (Type) {
    case FILE_DEVICE_DISK:
    case FILE_DEVICE_DISK_FILE_SYSTEM:
    case FILE_DEVICE_VIRTUAL_DISK:
        return 512;
    case FILE_DEVICE_CD_ROM:
    case FILE_DEVICE_CD_ROM_FILE_SYSTEM:
        return 2048;
    default:
        return 0;
    }
}

static PDEVICE_OBJECT IopAllocateDevice(PDRIVER_OBJECT Driver, ULONG ExtensionSize,
                                        PCUNICODE_STRING Name, DEVICE_TYPE Type,
                                        ULONG Characteristics)
{
    SIZE_T Extension = IOP_ALIGN16(ExtensionSize), Head = IOP_ALIGN16(sizeof(DEVICE_OBJECT));
    IOP_DEVOBJ_EXTENSION *DevObj;
    PDEVICE_OBJECT Device;

    if (!NT_SUCCESS(ObpCreateObject(&ObpDeviceType,
                                    (ULONG)(Head + Extension + sizeof(IOP_DEVOBJ_EXTENSION) +
                                            (Name != NULL ? Name->Length : 0)),
                                    (PVOID *)&Device)))
        return NULL;
    Device->Type = IO_TYPE_DEVICE;
    Device->Size = (USHORT)(sizeof(DEVICE_OBJECT) + ExtensionSize);
    Device->DriverObject = Driver;
    Device->DeviceExtension = ExtensionSize ? (PUCHAR)Device + Head : NULL;
    Device->DeviceType = Type;
    Device->Characteristics = Characteristics;
    Device->StackSize = 1;
    Device->SectorSize = IopSectorSize(Type);
    DevObj = (IOP_DEVOBJ_EXTENSION *)((PUCHAR)Device + Head + Extension);
    DevObj->Public.Type = IO_TYPE_DEVICE_OBJECT_EXTENSION;
    DevObj->Public.Size = sizeof(DEVOBJ_EXTENSION);
    DevObj->Public.DeviceObject = Device;
    Device->DeviceObjectExtension = &DevObj->Public;
    if (Name != NULL) {
        DevObj->Private.Name.Buffer = (PWCH)(DevObj + 1);
        DevObj->Private.Name.Length = DevObj->Private.Name.MaximumLength = Name->Length;
        RtlCopyMemory(DevObj->Private.Name.Buffer, Name->Buffer, Name->Length);
    }
    InitializeListHead(&Device->Queue.ListEntry);
    KeInitializeDeviceQueue(&Device->DeviceQueue);
    return Device;
}

/*
 * The ntos half first: it checks the name (collision, bad path) and gives
 * the handle; only then does the device join the driver's list, at its
 * head as in Windows.
 */
NTKRNL_EXPORT NTSTATUS NTAPI IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
                                            PUNICODE_STRING DeviceName, DEVICE_TYPE DeviceType,
                                            ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                                            PDEVICE_OBJECT *DeviceObject)
{
    PDEVICE_OBJECT Device;
    HANDLE Handle = NULL;
    NTSTATUS Status;

    *DeviceObject = NULL;
    if (DriverObject != IopDriverObject)
        return STATUS_INVALID_PARAMETER;
    Device = IopAllocateDevice(DriverObject, DeviceExtensionSize, DeviceName, DeviceType,
                               DeviceCharacteristics);
    if (Device == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Device->Flags = DO_DEVICE_INITIALIZING;
    if (Exclusive)
        Device->Flags |= DO_EXCLUSIVE;
    if (DeviceName != NULL)
        Device->Flags |= DO_DEVICE_HAS_NAME;
    /* The runtime's self-test runs without ntos's driver host: its devices
     * have no ntos half (Handle NULL, which the other routines check). */
    Status = IopHostless ? STATUS_SUCCESS
                         : NtDriverCreateDevice(DeviceName, DeviceType, DeviceCharacteristics,
                                                Device->Flags & ~DO_DEVICE_INITIALIZING,
                                                (ULONG_PTR)Device, &Handle);
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(Device);
        return Status;
    }
    IopDevice(Device)->Handle = Handle;
    Device->NextDevice = DriverObject->DeviceObject;
    DriverObject->DeviceObject = Device;
    *DeviceObject = Device;
    return STATUS_SUCCESS;
}

/* The device leaves the driver's list and ntos's namespace at once; its
 * memory stays while references (ObReferenceObject, IoGetAttachedDevice-
 * Reference) remain. */
NTKRNL_EXPORT VOID NTAPI IoDeleteDevice(PDEVICE_OBJECT DeviceObject)
{
    IOP_DEVICE *Private = IopDevice(DeviceObject);
    PDEVICE_OBJECT *Link;

    for (Link = &DeviceObject->DriverObject->DeviceObject; *Link != NULL;
         Link = &(*Link)->NextDevice) {
        if (*Link == DeviceObject) {
            *Link = DeviceObject->NextDevice;
            break;
        }
    }
    if (Private->Handle != NULL) {
        NtDriverDeleteDevice(Private->Handle);
        NtClose(Private->Handle);
        Private->Handle = NULL;
    }
    if (IopIsProxyDevice(Private->AttachedTo)) /* xcall: leaves the other process's stack */
        IopDetachFromProxy(Private->AttachedTo);
    Private->Deleted = TRUE;
    ObDereferenceObject(DeviceObject);
}

NTKRNL_EXPORT PDEVICE_OBJECT NTAPI IoGetAttachedDevice(PDEVICE_OBJECT DeviceObject)
{
    while (DeviceObject->AttachedDevice != NULL)
        DeviceObject = DeviceObject->AttachedDevice;
    return DeviceObject;
}

NTKRNL_EXPORT PDEVICE_OBJECT NTAPI IoGetAttachedDeviceReference(PDEVICE_OBJECT DeviceObject)
{
    DeviceObject = IoGetAttachedDevice(DeviceObject);
    ObReferenceObject(DeviceObject);
    return DeviceObject;
}

/*
 * Put Source on top of Target's local stack. ntos learns it too
 * (NtDriverAttachDevice), so opens of Target's name reach Source first;
 * if ntos refuses, the local stack is left as it was.
 */
NTKRNL_EXPORT NTSTATUS NTAPI IoAttachDeviceToDeviceStackSafe(PDEVICE_OBJECT SourceDevice,
                                                             PDEVICE_OBJECT TargetDevice,
                                                             PDEVICE_OBJECT *AttachedToDeviceObject)
{
    PDEVICE_OBJECT Top = IoGetAttachedDevice(TargetDevice);
    NTSTATUS Status;

    *AttachedToDeviceObject = NULL;
    if (IopIsProxyDevice(Top) && IopIsLocalDevice(SourceDevice)) /* xcall: another process's */
        return IopAttachToProxy(SourceDevice, Top, AttachedToDeviceObject);
    if (!IopIsLocalDevice(SourceDevice) || !IopIsLocalDevice(Top) || SourceDevice == Top)
        return STATUS_NO_SUCH_DEVICE;
    if (IopDevice(SourceDevice)->Handle != NULL) {
        Status = NtDriverAttachDevice(IopDevice(SourceDevice)->Handle, IopDevice(Top)->Handle);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Top->AttachedDevice = SourceDevice;
    SourceDevice->StackSize = Top->StackSize + 1;
    SourceDevice->AlignmentRequirement = Top->AlignmentRequirement;
    SourceDevice->SectorSize = Top->SectorSize;
    IopDevice(SourceDevice)->AttachedTo = Top;
    *AttachedToDeviceObject = Top;
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT PDEVICE_OBJECT NTAPI IoAttachDeviceToDeviceStack(PDEVICE_OBJECT SourceDevice,
                                                               PDEVICE_OBJECT TargetDevice)
{
    PDEVICE_OBJECT AttachedTo;

    if (!NT_SUCCESS(IoAttachDeviceToDeviceStackSafe(SourceDevice, TargetDevice, &AttachedTo)))
        return NULL;
    return AttachedTo;
}

/* Take TargetDevice's attached device off the stack (the caller is the
 * driver of that attached device, as in Windows). */
NTKRNL_EXPORT VOID NTAPI IoDetachDevice(PDEVICE_OBJECT TargetDevice)
{
    PDEVICE_OBJECT Attached = TargetDevice->AttachedDevice;

    if (IopIsProxyDevice(TargetDevice)) { /* xcall: a stack of another process */
        IopDetachFromProxy(TargetDevice);
        return;
    }
    if (Attached == NULL)
        return;
    if (IopDevice(TargetDevice)->Handle != NULL)
        NtDriverDetachDevice(IopDevice(TargetDevice)->Handle);
    IopDevice(Attached)->AttachedTo = NULL;
    TargetDevice->AttachedDevice = NULL;
}

/* The device a stack member is attached to (Windows' DEVOBJ_EXTENSION
 * AttachedTo; the ddk hides that field, so it lives in IOP_DEVICE). */
NTKRNL_EXPORT PDEVICE_OBJECT NTAPI IoGetLowerDeviceObject(PDEVICE_OBJECT DeviceObject)
{
    PDEVICE_OBJECT Lower = IopDevice(DeviceObject)->AttachedTo;

    if (Lower != NULL)
        ObReferenceObject(Lower);
    return Lower;
}

static PDEVICE_OBJECT IopDeviceByName(PCUNICODE_STRING Name)
{
    PDEVICE_OBJECT Device;

    for (Device = IopDriverObject->DeviceObject; Device != NULL; Device = Device->NextDevice)
        if (IopDevice(Device)->Name.Length != 0 &&
            RtlEqualUnicodeString(&IopDevice(Device)->Name, Name, TRUE))
            return Device;
    return NULL;
}

PDEVICE_OBJECT IopFindLocalDevice(PCUNICODE_STRING Name)
{
    PDEVICE_OBJECT Device = IopDeviceByName(Name);
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Target;
    WCHAR Buffer[128];
    HANDLE Link;

    if (Device != NULL || IopDriverObject == NULL)
        return Device;
    InitializeObjectAttributes(&Attributes, (PUNICODE_STRING)Name, OBJ_CASE_INSENSITIVE, NULL,
                               NULL);
    if (!NT_SUCCESS(NtOpenSymbolicLinkObject(&Link, SYMBOLIC_LINK_QUERY, &Attributes)))
        return NULL;
    Target.Buffer = Buffer;
    Target.Length = 0;
    Target.MaximumLength = sizeof(Buffer);
    if (NT_SUCCESS(NtQuerySymbolicLinkObject(Link, &Target, NULL)))
        Device = IopDeviceByName(&Target);
    NtClose(Link);
    return Device;
}
