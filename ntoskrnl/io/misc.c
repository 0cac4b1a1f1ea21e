/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/misc.c: the rest of the Io routines: the current process, device
 * object lookup by name, the device a file object's requests go to, the
 * thread's stack, whether an IRP is synchronous, driver reinitialisation
 * (device interfaces: pnpiface.c).
 */

#include "iop.h"

/* The driver process's EPROCESS, krnlrt's (PsGetCurrentProcess is a
 * macro of this in the ddk). */
NTKRNL_EXPORT PEPROCESS NTAPI IoGetCurrentProcess(VOID)
{
    return KiGetCurrentProcess();
}

/*
 * The device a name leads to and a file object open on it (the caller's
 * one reference: ObDereferenceObject on the file object closes it). The
 * device returned is the top of its stack, as Windows returns. A name no
 * device of this driver has is opened through ntos: the device is then a
 * proxy of another driver's (io/proxy.c).
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
        return IopOpenRemoteDevice(ObjectName, DesiredAccess, FileObject, DeviceObject);
    Status = IopOpenLocalFile(Device, FileObject);
    if (NT_SUCCESS(Status))
        *DeviceObject = IoGetAttachedDevice(Device);
    return Status;
}

/* Requests on a file object go to the top of its device's stack.
 * FIXME: no volumes (VPB) yet: a file system's files would go to the
 * volume device. */
NTKRNL_EXPORT PDEVICE_OBJECT NTAPI IoGetRelatedDeviceObject(PFILE_OBJECT FileObject)
{
    return IoGetAttachedDevice(FileObject->DeviceObject);
}

/* The calling thread's stack: NT_TIB.StackLimit (the lowest committed
 * address) and StackBase. */
NTKRNL_EXPORT VOID NTAPI IoGetStackLimits(PULONG_PTR LowLimit, PULONG_PTR HighLimit)
{
    *LowLimit = (ULONG_PTR)KrnlReadTebQword(KRNL_TEB_STACK_LIMIT);
    *HighLimit = (ULONG_PTR)KrnlReadTebQword(KRNL_TEB_STACK_BASE);
}

NTKRNL_EXPORT PVOID NTAPI IoGetInitialStack(VOID)
{
    return (PVOID)KrnlReadTebQword(KRNL_TEB_STACK_BASE);
}

/* Windows' rule: synchronous unless the IRP is a paging or asynchronous
 * one and its file object was not opened for synchronous I/O. */
NTKRNL_EXPORT BOOLEAN NTAPI IoIsOperationSynchronous(PIRP Irp)
{
    PFILE_OBJECT File = IoGetCurrentIrpStackLocation(Irp)->FileObject;

    if (Irp->Flags & IRP_SYNCHRONOUS_PAGING_IO)
        return TRUE;
    if (Irp->Flags & IRP_PAGING_IO)
        return FALSE;
    if (Irp->Flags & IRP_SYNCHRONOUS_API)
        return TRUE;
    return File != NULL && (File->Flags & FO_SYNCHRONOUS_IO) != 0;
}

/* Reinitialisation routines run once DriverEntry succeeded
 * (IopRunReinitialization, main.c), in the order registered, each told
 * how many times it ran before; one may register itself again. */
typedef struct _IOP_REINIT {
    struct _IOP_REINIT *Next;
    PDRIVER_REINITIALIZE Routine;
    PVOID Context;
} IOP_REINIT;

static IOP_REINIT *IopReinitHead, **IopReinitTail = &IopReinitHead;

NTKRNL_EXPORT VOID NTAPI IoRegisterDriverReinitialization(PDRIVER_OBJECT DriverObject,
                                                          PDRIVER_REINITIALIZE Routine,
                                                          PVOID Context)
{
    IOP_REINIT *Entry = IopAllocate(sizeof(*Entry));

    if (Entry == NULL) {
        DbgPrint("no memory to register a reinitialisation routine\n");
        return;
    }
    Entry->Routine = Routine;
    Entry->Context = Context;
    *IopReinitTail = Entry;
    IopReinitTail = &Entry->Next;
}

VOID IopRunReinitialization(PDRIVER_OBJECT DriverObject)
{
    IOP_REINIT *List, *Entry;

    /* A routine that registers again runs in the next round. */
    while ((List = IopReinitHead) != NULL) {
        IopReinitHead = NULL;
        IopReinitTail = &IopReinitHead;
        while ((Entry = List) != NULL) {
            List = Entry->Next;
            DriverObject->DriverExtension->Count++;
            Entry->Routine(DriverObject, Entry->Context, DriverObject->DriverExtension->Count);
            IopFree(Entry);
        }
    }
}
