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

/* A device of this driver by its name in ntos's namespace: the name is
 * matched against the local devices through ntos (the device object ntos
 * opens must be one whose DriverCookie is ours).
 * FIXME: only this driver's own devices can be found, and only when ntos
 * lets the runtime query the name of its device handles; devices of other
 * driver processes need a proxy DEVICE_OBJECT whose dispatch routines call
 * NtDriverCallDriver: STATUS_NOT_IMPLEMENTED until then. */
NTKRNL_EXPORT NTSTATUS NTAPI IoGetDeviceObjectPointer(PUNICODE_STRING ObjectName,
                                                      ACCESS_MASK DesiredAccess,
                                                      PFILE_OBJECT *FileObject,
                                                      PDEVICE_OBJECT *DeviceObject)
{
    *FileObject = NULL;
    *DeviceObject = NULL;
    return STATUS_NOT_IMPLEMENTED;
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
