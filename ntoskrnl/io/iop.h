/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/iop.h: private declarations of the runtime's I/O part (the files of io/).
 */
#pragma once

#include <ntoskrnl.h>

/* The Id of the completion that reports DriverEntry's status (iohost.h's
 * protocol: request Ids are never 0). */
#define IOP_DRIVER_ENTRY_ID 0

/*
 * Every IRP the runtime allocates (IoAllocateIrp and the IoBuild*
 * routines, and the IRPs built from ring requests) is preceded by an
 * IOP_IRP_HEADER and carries IOP_IRP_HAS_HEADER in IRP.AllocationFlags (a
 * bit Windows leaves unused), so completion knows where an IRP came from.
 * An IRP a driver initialised in its own memory (IoInitializeIrp) has no
 * header: it completes like an IoAllocateIrp one.
 */
#define IOP_IRP_HAS_HEADER   0x80
#define IOP_INLINE_MDL_PAGES 4 /* neither branch */

typedef enum _IOP_IRP_ORIGIN {
    IopIrpAllocated = 0, /* IoAllocateIrp: the driver frees it (IoFreeIrp) */
    IopIrpFromHost,      /* a ring request: completion goes back to ntos */
    IopIrpBuilt,         /* IoBuild*Request: completes to UserIosb/UserEvent, then freed */
} IOP_IRP_ORIGIN;

typedef struct DECLSPEC_ALIGN(16) _IOP_IRP_HEADER {
    ULONG64 HostId;       /* IopIrpFromHost: IO_HOST_REQUEST.Id */
    LIST_ENTRY HostLinks; /* IopIrpFromHost: in IopHostIrps, for IO_HOST_OP_CANCEL */
    IOP_IRP_ORIGIN Origin;
    BOOLEAN FreeMdl;          /* the runtime built Irp->MdlAddress: free it at completion */
    BOOLEAN FreeSystemBuffer; /* IopIrpBuilt: the runtime allocated SystemBuffer */
    PVOID OutputBuffer; /* IopIrpBuilt, buffered read: where SystemBuffer goes at completion */
    ULONG OutputLength;
    UCHAR MajorFunction;     /* IopIrpFromHost: the request's (the stack is gone at completion) */
    PFILE_OBJECT FileObject; /* IopIrpFromHost: the request's file object, or NULL */
    IO_SECURITY_CONTEXT SecurityContext; /* IopIrpFromHost, IRP_MJ_CREATE */
    /* neither branch: the MDL of a request whose direct I/O buffer spans
     * at most IOP_INLINE_MDL_PAGES pages, with the IRP (no pool block). */
    union {
        MDL Mdl;
        UCHAR Bytes[sizeof(MDL) + IOP_INLINE_MDL_PAGES * sizeof(PFN_NUMBER)];
    } InlineMdl;
} IOP_IRP_HEADER;

C_ASSERT(sizeof(IOP_IRP_HEADER) % 16 == 0);

static inline IOP_IRP_HEADER *IopIrpHeader(PIRP Irp)
{
    if (!(Irp->AllocationFlags & IOP_IRP_HAS_HEADER))
        return NULL;
    return (IOP_IRP_HEADER *)Irp - 1;
}

/* io/file.c: FILE_OBJECTs of opens from ntos. IopCreateFileObject makes
 * one for an IRP_MJ_CREATE (Name: Length bytes of UTF-16, copied);
 * IopLookupFileObject validates a request's File cookie (NULL if it is not
 * an open file object of this process); IopDeleteFileObject frees one. */
PFILE_OBJECT IopCreateFileObject(PDEVICE_OBJECT Device, PCWSTR Name, USHORT Length);
PFILE_OBJECT IopLookupFileObject(ULONG64 Cookie);
VOID IopDeleteFileObject(PFILE_OBJECT FileObject);
BOOLEAN IopIsOpenFileObject(PVOID Object);

/* io/file.c: a local open of Device (IoGetDeviceObjectPointer): a file
 * object with the caller's one reference whose IRP_MJ_CREATE went to the
 * top of Device's stack; its last ObDereferenceObject sends
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE. */
NTSTATUS IopOpenLocalFile(PDEVICE_OBJECT Device, PFILE_OBJECT *FileObject);

/* io/device.c: the local device named Name, directly or through one
 * symbolic link; NULL if no device of this driver has that name. */
PDEVICE_OBJECT IopFindLocalDevice(PCUNICODE_STRING Name);

/* io/device.c: the runtime's part of a device, behind the public part of
 * its DEVOBJ_EXTENSION (whose layout past the first fields is Windows'
 * private business, so drivers never look there). */
typedef struct _IOP_DEVICE {
    HANDLE Handle;             /* ntos's device (NtDriverCreateDevice) */
    PDEVICE_OBJECT AttachedTo; /* the device below in the local stack, or NULL */
    BOOLEAN FlagsReported;     /* its flags went to ntos (IO_HOST_ID_DEVICE_FLAGS) */
    BOOLEAN Deleted;           /* IoDeleteDevice ran; Ob frees it at the last dereference */
    UNICODE_STRING Name;       /* IoCreateDevice's name (its characters at the block's end) */
    ULONG SystemPowerState, DevicePowerState; /* pnp: what PoSetPowerState recorded */
} IOP_DEVICE;

typedef struct _IOP_DEVOBJ_EXTENSION {
    DEVOBJ_EXTENSION Public;
    IOP_DEVICE Private;
} IOP_DEVOBJ_EXTENSION;

IOP_DEVICE *IopDevice(PDEVICE_OBJECT Device);

/* TRUE if Device is a live DEVICE_OBJECT of this driver. */
BOOLEAN IopIsLocalDevice(PDEVICE_OBJECT Device);

/* Send the flags of devices whose DO_DEVICE_INITIALIZING is clear and that
 * ntos has not heard of; DriverEntryDone first clears the flag of every
 * device, as Windows does when a legacy DriverEntry returns. */
VOID IopReportNewDevices(BOOLEAN DriverEntryDone);

/* io/ring.c: tell ntos a device's DEVICE_OBJECT.Flags (iohost.h,
 * IO_HOST_ID_DEVICE_FLAGS). */
VOID IopReportDeviceFlags(PDEVICE_OBJECT Device);

/* io/symlink.c: delete every symbolic link the driver made (unload). */
VOID IopDeleteAllSymbolicLinks(VOID);

/* io/cancel.c: the virtual IRQL of this thread (iohost.h's TEB byte). */
KIRQL IopRaiseIrqlToDispatch(VOID);
VOID IopLowerIrql(KIRQL Irql);

/* The IRPs from ntos not completed yet (IO_HOST_OP_CANCEL finds them). */
extern LIST_ENTRY IopHostIrps;

/* ring.c: TRUE when the runtime runs without ntos's driver host (its
 * self-test): devices get no ntos half and completions no signal. */
extern BOOLEAN IopHostless;

/* ring.c: the host lock, taken by any thread of the process (the IRP
 * thread, interrupt and work-item threads complete IRPs too): it orders
 * the completion ring's producers and guards IopHostIrps, the dispatch
 * state of irploop.c and the open file list. Recursive, so a cancel
 * routine run under it may complete its IRP. */
VOID IopAcquireHostLock(VOID);
VOID IopReleaseHostLock(VOID);

/* irploop.c: serve every request on the ring; TRUE once the driver was
 * unloaded. */
BOOLEAN IopDrainRequests(VOID);

/* irp.c: an IRP with a header of the given origin. */
PIRP IopAllocateIrp(CCHAR StackSize, IOP_IRP_ORIGIN Origin);

/* irp.c: free a built IRP with the buffers the runtime gave it. */
VOID IopFreeBuiltIrp(PIRP Irp);

/* irploop.c: the end of an IRP from ntos: post its completion, free it
 * (and its FILE_OBJECT after a close or a failed create). */
VOID IopCompleteHostIrp(PIRP Irp, IOP_IRP_HEADER *Header);

/* mdl.c: an MDL over memory already mapped here (a ring request's direct
 * I/O buffer, a driver's own buffer), MmBuildMdlForNonPagedPool style. */
PMDL IopBuildMdl(PVOID VirtualAddress, ULONG Length);
VOID IopFreeMdl(PMDL Mdl);

/*
 * io/driver.c: DRIVER_OBJECT.DriverSection, the loaded image's entry in
 * the layout of Windows x64's KLDR_DATA_TABLE_ENTRY (the fields drivers
 * read: DllBase, EntryPoint, SizeOfImage, the names, the exception table).
 */
typedef struct _IOP_DRIVER_SECTION {
    LIST_ENTRY InLoadOrderLinks; /* 0x00: a list of its own only */
    PVOID ExceptionTable;        /* 0x10: .pdata */
    ULONG ExceptionTableSize;    /* 0x18 */
    PVOID GpValue;               /* 0x20 */
    PVOID NonPagedDebugInfo;     /* 0x28 */
    PVOID DllBase;               /* 0x30 */
    PVOID EntryPoint;            /* 0x38 */
    ULONG SizeOfImage;           /* 0x40 */
    UNICODE_STRING FullDllName;  /* 0x48 */
    UNICODE_STRING BaseDllName;  /* 0x58 */
    ULONG Flags;                 /* 0x68 */
    USHORT LoadCount;            /* 0x6c */
    USHORT Reserved;
} IOP_DRIVER_SECTION;

C_ASSERT(FIELD_OFFSET(IOP_DRIVER_SECTION, BaseDllName) == 0x58);

/* ==== pnp: the local root PDO, PnP and power (pnp.c, pnpiface.c, po/) ==== */

/* The runtime's \Driver\PnpManager: the local driver object of the root
 * PDO (its dispatch routines are the root bus's answers); NULL until
 * ntos's IO_HOST_OP_ADD_DEVICE. */
extern PDRIVER_OBJECT IopPnpDriverObject;

/* io/device.c: a device of another local driver object (the PnP
 * manager's), with ntos's device handle, on that driver's list. */
PDEVICE_OBJECT IopCreateForeignDevice(PDRIVER_OBJECT Driver, PCUNICODE_STRING Name,
                                      DEVICE_TYPE Type, ULONG Characteristics, HANDLE Handle);

/* pnp.c: IO_HOST_OP_ADD_DEVICE (iohost.h): the local PDO, AddDevice, the
 * completion. TRUE if Device is the local root PDO. The service's name in
 * upper case ("PNPTEST", from the service key): ROOT\<it> is the device ID. */
VOID IopAddDeviceRequest(const IO_HOST_REQUEST *Request);
BOOLEAN IopIsRootPdo(PDEVICE_OBJECT Device);
ULONG IopServiceName(PWCHAR Name, ULONG Chars);

/* pnpiface.c: the PDO's enabled interfaces lose their links (REMOVE). */
VOID IopDisableDeviceInterfaces(PDEVICE_OBJECT Pdo);
/* ==== xcall: devices of other driver processes (io/proxy.c, io/xcall.c) ==== */

/*
 * A proxy is a DEVICE_OBJECT standing for a device of another driver
 * process: its DriverObject is a DRIVER_OBJECT of its own whose every
 * MajorFunction is IopProxyDispatch, which forwards the IRP through ntos
 * (NtDriverCallDriver). Two kinds: the open of IoGetDeviceObjectPointer
 * (Handle: the file handle; IRPs go on that open) and the device below a
 * local device attached to another process's stack (Source: that device,
 * whose ntos handle names the device below it; IRPs carry their own file).
 */
typedef struct _IOP_PROXY {
    HANDLE Handle;         /* a file proxy's file handle (closed with its file object) */
    PDEVICE_OBJECT Source; /* a lower proxy's local device, or NULL */
} IOP_PROXY;

BOOLEAN IopIsProxyDevice(PDEVICE_OBJECT Device);
/* device.c: Windows' sector size of a device type (0: none). */
USHORT IopSectorSize(DEVICE_TYPE Type);
IOP_PROXY *IopProxy(PDEVICE_OBJECT Device);
NTSTATUS NTAPI IopProxyDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp);
/* proxy.c: IoGetDeviceObjectPointer of a name no local device has. */
NTSTATUS IopOpenRemoteDevice(PUNICODE_STRING Name, ACCESS_MASK Access, PFILE_OBJECT *FileObject,
                             PDEVICE_OBJECT *DeviceObject);
/* proxy.c: Source onto the stack of the file proxy Top (another process's). */
NTSTATUS IopAttachToProxy(PDEVICE_OBJECT Source, PDEVICE_OBJECT Top, PDEVICE_OBJECT *AttachedTo);
/* proxy.c: IoDetachDevice of a lower proxy. */
VOID IopDetachFromProxy(PDEVICE_OBJECT Lower);
/* file.c: a file object for a file proxy, on no open list; its last
 * reference calls IopCloseProxyFile (proxy.c: the handle closes). */
PFILE_OBJECT IopCreateProxyFileObject(PDEVICE_OBJECT Proxy);
VOID IopCloseProxyFile(PFILE_OBJECT FileObject);
/* xcall.c: IO_HOST_OP_CALL_DONE; the call thread (started with the first
 * proxy) and the queue through which it hands the IRP thread its requests. */
VOID IopCallDone(const IO_HOST_REQUEST *Request);
/* irploop.c: IO_HOST_OP_CANCEL; FALSE if no dispatched IRP has its Id. */
BOOLEAN IopCancelRequest(const IO_HOST_REQUEST *Request);
VOID IopStartCallThread(VOID);
BOOLEAN IopNextRequest(IO_HOST_REQUEST *Request);
VOID IopWaitForQueuedRequests(VOID);
