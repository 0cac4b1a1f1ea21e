/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/misc.c: the rest of the Io routines: the current process, device
 * object lookup by name, device interfaces.
 */

#include "iop.h"

/*
 * The process of the current thread. krnlrt owns the EPROCESS
 * (KiGetCurrentProcess); until it is linked in, the runtime's one process
 * is named by an opaque zeroed block, stable for the process's life.
 */
NTKRNL_EXPORT PEPROCESS NTAPI IoGetCurrentProcess(VOID)
{
    static PVOID Process;

    if (KiGetCurrentProcess != NULL)
        return KiGetCurrentProcess();
    if (Process == NULL)
        Process = IopAllocate(0x800);
    return (PEPROCESS)Process;
}

/*
 * The device a name leads to and a file object open on it (the caller's
 * one reference: ObDereferenceObject on the file object closes it). The
 * device returned is the top of its stack, as Windows returns.
 * FIXME: only this driver's own devices can be found: a device of another
 * driver process needs a proxy DEVICE_OBJECT whose dispatch routines call
 * NtDriverCallDriver, so such names give STATUS_NOT_IMPLEMENTED.
 */
NTKRNL_EXPORT NTSTATUS NTAPI IoGetDeviceObjectPointer(PUNICODE_STRING ObjectName,
                                                      ACCESS_MASK DesiredAccess,
                                                      PFILE_OBJECT *FileObject,
                                                      PDEVICE_OBJECT *DeviceObject)
{
    PDEVICE_OBJECT Device = IopFindLocalDevice(ObjectName);
    NTSTATUS Status;

    *FileObject = NULL;
    *DeviceObject = NULL;
    if (Device == NULL)
        return STATUS_NOT_IMPLEMENTED;
    Status = IopOpenLocalFile(Device, FileObject);
    if (NT_SUCCESS(Status))
        *DeviceObject = IoGetAttachedDevice(Device);
    return Status;
}

/* Device interfaces belong to Plug and Play, which Nereid does not have. */
NTKRNL_EXPORT NTSTATUS NTAPI IoRegisterDeviceInterface(PDEVICE_OBJECT PhysicalDeviceObject,
                                                       CONST GUID *InterfaceClassGuid,
                                                       PUNICODE_STRING ReferenceString,
                                                       PUNICODE_STRING SymbolicLinkName)
{
    return STATUS_NOT_IMPLEMENTED;
}

NTKRNL_EXPORT NTSTATUS NTAPI IoSetDeviceInterfaceState(PUNICODE_STRING SymbolicLinkName,
                                                       BOOLEAN Enable)
{
    return STATUS_NOT_IMPLEMENTED;
}
