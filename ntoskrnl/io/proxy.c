/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/proxy.c: proxy DEVICE_OBJECTs, which stand for devices of other
 * driver processes (io/iop.h, IOP_PROXY). IoGetDeviceObjectPointer of a
 * name that is no device of this driver opens it through ntos (its
 * IRP_MJ_CREATE reaches the other driver) and returns a file object and a
 * file proxy; IoAttachDeviceToDeviceStack onto a file proxy puts a local
 * device on top of the other process's stack in ntos and returns a lower
 * proxy. A proxy shows what ntos says of its device (NtDriverQueryDevice:
 * type, characteristics, DO_* flags, stack size, alignment, driver name);
 * IoCallDriver to it goes through ntos (io/xcall.c).
 *
 * A proxy is an Ob object like a device (ObpDeviceType): one block of the
 * DEVICE_OBJECT, an IOP_DEVOBJ_EXTENSION (so IopDevice works on it), its
 * IOP_PROXY, its own DRIVER_OBJECT and DRIVER_EXTENSION, and the driver
 * name. A file proxy lives while its file object does (the file object
 * holds it); a lower proxy while its device stays attached.
 */

#include "iop.h"

NTSYSAPI NTSTATUS NTAPI NtDriverQueryDevice(HANDLE DeviceHandle, PVOID Info, ULONG Length);
NTSYSAPI NTSTATUS NTAPI NtDriverAttachDevice(HANDLE SourceDevice, HANDLE TargetDevice);
NTSYSAPI NTSTATUS NTAPI NtDriverDetachDevice(HANDLE TargetDevice);
NTSYSAPI NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                   POBJECT_ATTRIBUTES ObjectAttributes,
                                   PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess,
                                   ULONG OpenOptions);

#define IOP_ALIGN16(Size) (((Size) + 15) & ~(SIZE_T)15)

typedef struct _IOP_PROXY_BLOCK {
    IOP_DEVOBJ_EXTENSION Extension;
    IOP_PROXY Proxy;
    DRIVER_OBJECT Driver;
    DRIVER_EXTENSION DriverExtension;
    WCHAR DriverName[IO_HOST_NAME_CHARS];
} IOP_PROXY_BLOCK;

static IOP_PROXY_BLOCK *IopProxyBlock(PDEVICE_OBJECT Device)
{
    return CONTAINING_RECORD(Device->DeviceObjectExtension, IOP_PROXY_BLOCK, Extension.Public);
}

BOOLEAN IopIsProxyDevice(PDEVICE_OBJECT Device)
{
    return Device != NULL && Device->DriverObject != NULL &&
           Device->DriverObject->MajorFunction[IRP_MJ_CREATE] == IopProxyDispatch;
}

IOP_PROXY *IopProxy(PDEVICE_OBJECT Device)
{
    return &IopProxyBlock(Device)->Proxy;
}

static VOID IopInitializeProxyDriver(IOP_PROXY_BLOCK *Block, const DRIVER_DEVICE_INFO *Info)
{
    PDRIVER_OBJECT Driver = &Block->Driver;
    ULONG Length = 0;

    while (Length + 1 < IO_HOST_NAME_CHARS && Info->DriverName[Length])
        Block->DriverName[Length] = Info->DriverName[Length], Length++;
    Driver->Type = IO_TYPE_DRIVER;
    Driver->Size = sizeof(DRIVER_OBJECT);
    Driver->DriverExtension = &Block->DriverExtension;
    Block->DriverExtension.DriverObject = Driver;
    Driver->DriverName.Buffer = Block->DriverName;
    Driver->DriverName.Length = (USHORT)(Length * sizeof(WCHAR));
    Driver->DriverName.MaximumLength = sizeof(Block->DriverName);
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        Driver->MajorFunction[i] = IopProxyDispatch;
}

/* A proxy of the device Handle names (a file handle, or a local device's
 * handle for the device below it), with one reference for the caller. */
static NTSTATUS IopCreateProxy(HANDLE Handle, PDEVICE_OBJECT *Result)
{
    SIZE_T Head = IOP_ALIGN16(sizeof(DEVICE_OBJECT));
    DRIVER_DEVICE_INFO Info;
    IOP_PROXY_BLOCK *Block;
    PDEVICE_OBJECT Device;
    NTSTATUS Status = NtDriverQueryDevice(Handle, &Info, sizeof(Info));

    *Result = NULL;
    if (!NT_SUCCESS(Status))
        return Status;
    if (Info.StackSize == 0 || Info.StackSize > 64)
        return STATUS_INVALID_DEVICE_STATE; /* ntos counts the stack: never */
    Status =
        ObpCreateObject(&ObpDeviceType, (ULONG)(Head + sizeof(IOP_PROXY_BLOCK)), (PVOID *)&Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Block = (IOP_PROXY_BLOCK *)((PUCHAR)Device + Head);
    IopInitializeProxyDriver(Block, &Info);
    Device->Type = IO_TYPE_DEVICE;
    Device->Size = sizeof(DEVICE_OBJECT);
    Device->DriverObject = &Block->Driver;
    Device->DeviceType = Info.DeviceType;
    Device->Characteristics = Info.Characteristics;
    Device->Flags = Info.Flags & ~DO_DEVICE_INITIALIZING;
    Device->StackSize = (CCHAR)Info.StackSize;
    Device->AlignmentRequirement = Info.AlignmentRequirement;
    Device->SectorSize = IopSectorSize(Info.DeviceType);
    Block->Extension.Public.Type = IO_TYPE_DEVICE_OBJECT_EXTENSION;
    Block->Extension.Public.Size = sizeof(DEVOBJ_EXTENSION);
    Block->Extension.Public.DeviceObject = Device;
    Device->DeviceObjectExtension = &Block->Extension.Public;
    InitializeListHead(&Device->Queue.ListEntry);
    KeInitializeDeviceQueue(&Device->DeviceQueue);
    IopStartCallThread(); /* completions of calls must not wait for the IRP thread */
    *Result = Device;
    return STATUS_SUCCESS;
}

/* IoGetDeviceObjectPointer of another driver's device: NtOpenFile as
 * Windows' does (the access asked for, no sharing, not a directory), then
 * a file proxy of the device the open reached and a file object whose last
 * reference closes the handle. */
NTSTATUS IopOpenRemoteDevice(PUNICODE_STRING Name, ACCESS_MASK Access, PFILE_OBJECT *FileObject,
                             PDEVICE_OBJECT *DeviceObject)
{
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    PDEVICE_OBJECT Proxy;
    PFILE_OBJECT File;
    HANDLE Handle;
    NTSTATUS Status;

    if (IopHostless)
        return STATUS_NOT_IMPLEMENTED; /* the self-test has no ring for completions */
    InitializeObjectAttributes(&Attributes, Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtOpenFile(&Handle, Access, &Attributes, &Iosb, 0, FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopCreateProxy(Handle, &Proxy);
    if (!NT_SUCCESS(Status)) {
        NtClose(Handle);
        return Status;
    }
    IopProxy(Proxy)->Handle = Handle;
    File = IopCreateProxyFileObject(Proxy); /* takes the proxy's reference */
    if (File == NULL) {
        NtClose(Handle);
        ObDereferenceObject(Proxy);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *FileObject = File;
    *DeviceObject = Proxy;
    return STATUS_SUCCESS;
}

VOID IopCloseProxyFile(PFILE_OBJECT FileObject)
{
    PDEVICE_OBJECT Proxy = FileObject->DeviceObject;
    IOP_PROXY *Private = IopProxy(Proxy);

    if (Private->Handle != NULL)
        NtClose(Private->Handle); /* ntos sends CLEANUP and CLOSE */
    Private->Handle = NULL;
    ObDereferenceObject(Proxy);
}

/*
 * Source onto the stack Top (a file proxy) ends in: ntos puts it on top
 * of that stack, so opens of the stack's names reach Source first; the
 * device below it is a lower proxy, through which its IRPs go down. Only a
 * file proxy names a stack to attach to.
 */
NTSTATUS IopAttachToProxy(PDEVICE_OBJECT Source, PDEVICE_OBJECT Top, PDEVICE_OBJECT *AttachedTo)
{
    HANDLE SourceHandle = IopDevice(Source)->Handle;
    PDEVICE_OBJECT Lower;
    NTSTATUS Status;

    *AttachedTo = NULL;
    if (IopProxy(Top)->Source != NULL || IopProxy(Top)->Handle == NULL || SourceHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    if (IopDevice(Source)->AttachedTo != NULL)
        return STATUS_INVALID_PARAMETER; /* in a stack already */
    Status = NtDriverAttachDevice(SourceHandle, IopProxy(Top)->Handle);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopCreateProxy(SourceHandle, &Lower);
    if (!NT_SUCCESS(Status)) {
        NtDriverDetachDevice(SourceHandle);
        return Status;
    }
    IopProxy(Lower)->Source = Source;
    Source->StackSize = Lower->StackSize + 1;
    Source->AlignmentRequirement = Lower->AlignmentRequirement;
    Source->SectorSize = Lower->SectorSize;
    IopDevice(Source)->AttachedTo = Lower; /* the proxy's reference */
    *AttachedTo = Lower;
    return STATUS_SUCCESS;
}

/* IoDetachDevice(Lower): its local device leaves the other process's
 * stack (NtDriverDetachDevice on the attached device's own handle). */
VOID IopDetachFromProxy(PDEVICE_OBJECT Lower)
{
    PDEVICE_OBJECT Source = IopProxy(Lower)->Source;

    if (Source == NULL || IopDevice(Source)->AttachedTo != Lower)
        return;
    if (IopDevice(Source)->Handle != NULL)
        NtDriverDetachDevice(IopDevice(Source)->Handle);
    IopDevice(Source)->AttachedTo = NULL;
    IopProxy(Lower)->Source = NULL;
    ObDereferenceObject(Lower);
}

/*
 * Attach SourceDevice to the stack TargetDevice names, as Windows does it:
 * an open of the name (the target's driver sees IRP_MJ_CREATE, then
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE when it is dropped), the attach onto the
 * device it reached, and the open dropped. The name may lead to a device
 * of this driver or, through a proxy, of another driver process.
 */
NTKRNL_EXPORT NTSTATUS NTAPI IoAttachDevice(PDEVICE_OBJECT SourceDevice,
                                            PUNICODE_STRING TargetDevice,
                                            PDEVICE_OBJECT *AttachedDevice)
{
    PDEVICE_OBJECT Target;
    PFILE_OBJECT File;
    NTSTATUS Status;

    *AttachedDevice = NULL;
    Status = IoGetDeviceObjectPointer(TargetDevice, FILE_READ_ATTRIBUTES, &File, &Target);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoAttachDeviceToDeviceStackSafe(SourceDevice, Target, AttachedDevice);
    ObDereferenceObject(File);
    return Status;
}
