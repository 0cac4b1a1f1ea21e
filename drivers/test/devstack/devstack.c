/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * devstack.sys: a device stack for the tests of devtree and of
 * NtQuerySystemInformation's device list (base/ntapitest/devtree.c, the
 * system suite). DriverEntry makes \Device\DevStackBottom, an unnamed
 * device attached on top of it, and \Device\DevStackTop attached on top of
 * that: three devices of one driver in one stack, two levels above the
 * bottom. Opens, cleanups and closes succeed at whichever device they
 * reach; anything else is STATUS_INVALID_DEVICE_REQUEST. Unload takes the
 * stack apart. Built with mingw-w64's stock ddk headers only.
 */
#include <ntddk.h>

static PDEVICE_OBJECT Bottom, Middle, Top;

static NTSTATUS NTAPI DevStackDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UCHAR Major = IoGetCurrentIrpStackLocation(Irp)->MajorFunction;
    NTSTATUS Status = Major == IRP_MJ_CREATE || Major == IRP_MJ_CLEANUP || Major == IRP_MJ_CLOSE
                          ? STATUS_SUCCESS
                          : STATUS_INVALID_DEVICE_REQUEST;

    (void)DeviceObject;
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static VOID DevStackDelete(void)
{
    if (Top) {
        IoDetachDevice(Middle);
        IoDeleteDevice(Top);
    }
    if (Middle) {
        IoDetachDevice(Bottom);
        IoDeleteDevice(Middle);
    }
    if (Bottom)
        IoDeleteDevice(Bottom);
    Bottom = Middle = Top = NULL;
}

static VOID NTAPI DevStackUnload(PDRIVER_OBJECT DriverObject)
{
    (void)DriverObject;
    DevStackDelete();
}

/* A device (named or not) on top of Below's stack (Below NULL: the bottom). */
static NTSTATUS DevStackCreate(PDRIVER_OBJECT Driver, PCWSTR Name, PDEVICE_OBJECT Below,
                               PDEVICE_OBJECT *Device)
{
    UNICODE_STRING String;
    NTSTATUS Status;

    if (Name)
        RtlInitUnicodeString(&String, Name);
    Status =
        IoCreateDevice(Driver, 0, Name ? &String : NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, Device);
    if (!NT_SUCCESS(Status))
        return Status;
    (*Device)->Flags |= DO_BUFFERED_IO;
    (*Device)->Flags &= ~DO_DEVICE_INITIALIZING;
    if (Below && IoAttachDeviceToDeviceStack(*Device, Below) == NULL) {
        IoDeleteDevice(*Device);
        *Device = NULL;
        return STATUS_NO_SUCH_DEVICE;
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS Status;

    (void)RegistryPath;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = DevStackDispatch;
    DriverObject->DriverUnload = DevStackUnload;
    Status = DevStackCreate(DriverObject, L"\\Device\\DevStackBottom", NULL, &Bottom);
    if (NT_SUCCESS(Status))
        Status = DevStackCreate(DriverObject, NULL, Bottom, &Middle);
    if (NT_SUCCESS(Status))
        Status = DevStackCreate(DriverObject, L"\\Device\\DevStackTop", Middle, &Top);
    if (!NT_SUCCESS(Status))
        DevStackDelete();
    return Status;
}
