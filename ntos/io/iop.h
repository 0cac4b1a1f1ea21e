/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of the I/O manager: the \SystemRoot store's file
 * records and the open packet a name lookup carries to the store's parse
 * routine (ParseContext of ObOpenObjectByName).
 */
#pragma once

#include <ntos.h>
#include <ke.h>
#include <mm.h>
#include <ob.h>
#include <io.h>
#include <svc.h>
#include "../rtl/rtl.h"

#define IOP_FILE_TAG  0x656c6946 /* 'File' */
#define IOP_STORE_TAG 0x53656c46 /* 'FleS' */
#define IOP_NAME_TAG  0x4e656c46 /* 'FleN' */

#define IOP_MAX_NAME 47 /* the archive's names are 48 bytes with their NUL */

/* A file of the store: one per archive file, made at its first open and
 * kept (the store is permanent). The share counts are NT's SHARE_ACCESS. */
typedef struct _IOP_STORE_FILE {
    char Name[IOP_MAX_NAME + 1];
    const void *Data;
    SIZE_T Size;
    ULONGLONG Index; /* FileInternalInformation: 1, 2, ... in order of first open */
    ULONG OpenCount, Readers, Writers, Deleters;
    ULONG SharedRead, SharedWrite, SharedDelete;
    struct _IOP_STORE_FILE *Next;
    bool Directory; /* dirctl: the store's root, \SystemRoot itself (no Data) */
} IOP_STORE_FILE, *PIOP_STORE_FILE;

/* What NtCreateFile/NtOpenFile ask of the parse routine, and what it says. */
typedef struct _IOP_OPEN_PACKET {
    ACCESS_MASK DesiredAccess; /* generic rights already mapped */
    ULONG ShareAccess;
    ULONG Disposition;
    ULONG Options;
    ULONG_PTR Information;          /* IO_STATUS_BLOCK.Information on success */
    ULONG FileAttributes, EaLength; /* iocore: what IRP_MJ_CREATE carries */
} IOP_OPEN_PACKET, *PIOP_OPEN_PACKET;

/* The \SystemRoot object (store.c) and its parse method. */
extern PVOID IopSystemRoot;
NTSTATUS IopParseSystemRoot(PVOID Object, const UNICODE_STRING *RemainingName, ULONG Attributes,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PVOID *Result);
NTSTATUS IopCreateStoreType(void);

/* File objects (file.c). */
NTSTATUS IopCreateFileType(void);
ACCESS_MASK IopMapFileAccess(ACCESS_MASK Access);
/* A new file object of File opened as Packet says, named Name (copied). */
NTSTATUS IopCreateFileObject(PIOP_STORE_FILE File, const UNICODE_STRING *Name,
                             PIOP_OPEN_PACKET Packet, PFILE_OBJECT *Result);

/* Completion ports (iocomp.c, iocomp branch). FileCompletionInformation of
 * NtSetInformationFile: bind FileObject to the port named in Buffer (a
 * FILE_COMPLETION_INFORMATION the caller gave, >= 16 bytes checked by the
 * caller) with its key; INVALID_PARAMETER when the file is bound already,
 * the port handle's errors. IopReleaseCompletionContext: the file's delete
 * procedure drops the binding. IopCompleteToPort: a request on FileObject
 * completed with Status/Information: queue a packet if the file is bound
 * and ApcContext is not 0 (Windows). */
NTSTATUS IopSetCompletionInformation(PFILE_OBJECT FileObject, USER_BUFFER Buffer,
                                     IO_STATUS_BLOCK *IoStatusBlock);
void IopReleaseCompletionContext(PFILE_OBJECT FileObject);
/* A request on FileObject with ApcRoutine: INVALID_PARAMETER when the file
 * is bound to a port (Windows: an APC routine and a completion port
 * exclude each other; bit 0 of ApcRoutine alone is no routine). */
NTSTATUS IopCheckCompletionApc(PFILE_OBJECT FileObject, USER_ADDRESS ApcRoutine);
void IopCompleteToPort(PFILE_OBJECT FileObject, ULONG_PTR ApcContext, NTSTATUS Status,
                       ULONG_PTR Information);

/* ==== iocore: drivers, devices, IRPs, driver processes =============================== */

#include <nt/iohost.h>

#define IOP_DRIVER_TAG 0x76724449 /* 'IDrv' */
#define IOP_DEVICE_TAG 0x76654449 /* 'IDev' */
#define IOP_IRP_TAG    0x70724949 /* 'IIrp' */
#define IOP_HOST_TAG   0x74734849 /* 'IHst' */

/* IRP major functions (wdm.h) and IRP flags the requests carry. */
#define IRP_MJ_CREATE                   0x00
#define IRP_MJ_CLOSE                    0x02
#define IRP_MJ_READ                     0x03
#define IRP_MJ_WRITE                    0x04
#define IRP_MJ_QUERY_INFORMATION        0x05
#define IRP_MJ_SET_INFORMATION          0x06
#define IRP_MJ_FLUSH_BUFFERS            0x09
#define IRP_MJ_QUERY_VOLUME_INFORMATION 0x0a
#define IRP_MJ_FILE_SYSTEM_CONTROL      0x0d
#define IRP_MJ_DEVICE_CONTROL           0x0e
#define IRP_MJ_DIRECTORY_CONTROL        0x0c
#define IRP_MJ_INTERNAL_DEVICE_CONTROL  0x0f
#define IRP_MJ_CLEANUP                  0x12
#define IRP_MJ_POWER                    0x16
#define IRP_MJ_PNP                      0x1b
#define IRP_BUFFERED_IO                 0x00000010u
#define IRP_DEALLOCATE_BUFFER           0x00000020u
#define IRP_INPUT_OPERATION             0x00000040u
#define IRP_SYNCHRONOUS_API             0x00000004u
#define DO_BUFFERED_IO                  0x00000004u
#define DO_EXCLUSIVE                    0x00000008u
#define DO_DIRECT_IO                    0x00000010u

struct _IOP_HOST;
struct _IOP_IRP;

/* A driver (type "Driver", \Driver\<Name>): its driver process while it
 * runs, its devices, and DriverEntry's outcome. */
typedef struct _DRIVER_OBJECT {
    WCHAR Name[IO_HOST_NAME_CHARS];       /* "\Driver\Null" */
    WCHAR ServiceKey[IO_HOST_NAME_CHARS]; /* NtLoadDriver's argument */
    char ImageName[IOP_MAX_NAME + 1];     /* "null.sys" */
    PEPROCESS Process;                    /* referenced while it runs; NULL after */
    struct _IOP_HOST *Host;               /* the rings, from NtDriverInitialize */
    struct _DEVICE_OBJECT *DeviceList;    /* its devices (each referenced) */
    DISPATCHER_HEADER Loaded;             /* notification: DriverEntry's status came */
    NTSTATUS EntryStatus;
    bool Named;                  /* \Driver\<Name> is in the namespace */
    bool Started;                /* DriverEntry succeeded */
    bool Ended;                  /* its process is gone */
    struct _DRIVER_OBJECT *Next; /* the loaded drivers */
    ULONG EntryFlags;            /* pnp: IO_HOST_ENTRY_* of DriverEntry's completion (iohost.h) */
} DRIVER_OBJECT, *PDRIVER_OBJECT;

/* A device (type "Device"): owned by a driver, named or not, in a stack. */
typedef struct _DEVICE_OBJECT {
    PDRIVER_OBJECT DriverObject; /* referenced */
    ULONG DeviceType, Characteristics, Flags;
    ULONG64 DriverCookie;                  /* the runtime's PDEVICE_OBJECT */
    struct _DEVICE_OBJECT *AttachedDevice; /* the one above in its stack */
    struct _DEVICE_OBJECT *AttachedTo;     /* the one below */
    struct _DEVICE_OBJECT *NextDevice;     /* its driver's list */
    bool Deleted;                          /* opens fail: NO_SUCH_DEVICE */
    ULONG AlignmentRequirement; /* xcall: the high half of IO_HOST_ID_DEVICE_FLAGS's Information */
} DEVICE_OBJECT, *PDEVICE_OBJECT;

extern POBJECT_TYPE IoDriverObjectType, IoDeviceObjectType;
extern PDRIVER_OBJECT IopDriverList; /* shell branch: driver.c keeps it, device.c lists it */
NTSTATUS IopCreateDriverTypes(void);
NTSTATUS IopCreateDeviceType(void);

/* Buffers of an IRP as the driver sees them: pages mapped at DriverVa in the
 * driver process for the IRP's life. Buffered: pages of ntos (Owned);
 * direct: the caller's own pages. */
typedef struct _IOP_BUFFER {
    ULONG_PTR DriverVa; /* the reservation in the driver, 0: none */
    PMMPFN *Pages;
    ULONG PageCount;
    ULONG Offset, Length; /* of the data in the first page */
    bool Owned;
    bool InWindow;    /* neither branch: mapped in its host's I/O window (mm/iowindow.c) */
    PMMPFN Inline[2]; /* neither branch: Pages of a buffer of at most two pages */
} IOP_BUFFER;

/* An I/O request packet: ntos's half. */
typedef struct _IOP_IRP {
    ULONGLONG Id;
    LONG RefCount;           /* the caller while it waits + the driver while outstanding */
    PDRIVER_OBJECT Driver;   /* referenced */
    PDEVICE_OBJECT Device;   /* referenced, or NULL */
    PFILE_OBJECT FileObject; /* referenced, or NULL (close, cleanup) */
    PETHREAD Thread;         /* the caller, referenced; NULL: ntos's own */
    IO_HOST_REQUEST Request; /* what goes down the ring */
    /* the caller's completion (UserCompletion) */
    bool UserCompletion;
    USER_ADDRESS IoStatusBlock;
    DISPATCHER_HEADER *Event; /* referenced */
    ULONG_PTR ApcRoutine, ApcContext;
    LONGLONG Offset; /* read/write: where; moves a synchronous file's position */
    /* buffers */
    IOP_BUFFER System, Mdl, Name;
    /* neither branch: neither I/O's caller pages, mapped into the driver:
     * METHOD_NEITHER's Type3InputBuffer, and Irp->UserBuffer (the output
     * of METHOD_NEITHER, the buffer of a read or write on a device without
     * DO_BUFFERED_IO / DO_DIRECT_IO). */
    IOP_BUFFER Type3, User;
    ULONG_PTR CopyOut; /* buffered output: the caller's buffer */
    ULONG CopyOutLength;
    /* state */
    bool Sent, PendingReturned, Completed, CancelSent;
    bool NoCompletion; /* a cancel record: freed once it is in the ring */
    NTSTATUS Status;
    ULONG_PTR Information;
    ULONG64 Cookie;
    DISPATCHER_HEADER Returned;   /* the dispatch routine returned (interim PENDING or final) */
    DISPATCHER_HEADER Done;       /* the final completion */
    struct _IOP_IRP *Next, *Prev; /* outstanding in its driver (host list) */
    struct _IOP_IRP *NextQueued;  /* waiting for a request slot */
    struct _IOP_XCALL *Xcall;     /* xcall: forwarded by another driver (xcall.c), or NULL */
} IOP_IRP, *PIOP_IRP;

/* irp.c */
/* A request for Device (or, Device NULL, for Driver itself: unload) on
 * FileObject (or NULL), one reference for the caller. */
NTSTATUS IopAllocateIrp(PDRIVER_OBJECT Driver, PDEVICE_OBJECT Device, PFILE_OBJECT FileObject,
                        UCHAR Major, PIOP_IRP *Irp);
void IopDereferenceIrp(PIOP_IRP Irp);
NTSTATUS IopMapSystemBuffer(PIOP_IRP Irp, ULONG_PTR UserInput, ULONG InputLength, ULONG Length);
/* ACCESS_VIOLATION unless every page of the caller's range is committed and
 * accessible (Windows' ProbeForRead / ProbeForWrite, before any allocation). */
NTSTATUS IopProbeCallerBuffer(ULONG_PTR Address, ULONG Length, bool Write);
NTSTATUS IopMapKernelData(PIOP_IRP Irp, const void *Data, ULONG Length);
NTSTATUS IopMapCallerPages(PIOP_IRP Irp, ULONG_PTR UserAddress, ULONG Length, bool Write);
/* neither branch: neither I/O. The caller's [UserAddress, +Length) mapped
 * into the driver in Buffer (Irp->Type3 or Irp->User) for the IRP's life,
 * writable if Write; *DriverAddress = where its first byte is there (the
 * caller's address unchanged for Length 0). ACCESS_VIOLATION unless every
 * page allows the access (the probe a Windows driver makes); with
 * Unprobed (NtWriteFile: Windows checks the range only) a buffer that
 * fails it is passed as a reservation with nothing mapped, which the
 * driver faults on if it touches it. */
NTSTATUS IopMapNeitherBuffer(PIOP_IRP Irp, IOP_BUFFER *Buffer, ULONG_PTR UserAddress, ULONG Length,
                             bool Write, bool Unprobed, ULONG64 *DriverAddress);
void IopReleaseBuffers(PIOP_IRP Irp);
/* Move From's description to To (never copy an IOP_BUFFER: Pages may
 * point into its own Inline array). */
void IopMoveBuffer(IOP_BUFFER *To, IOP_BUFFER *From);
NTSTATUS IopCopyOut(PIOP_IRP Irp, ULONG Length);
/* Send Irp (the driver takes a reference) and wait until its dispatch
 * routine returned; Synchronous: until it completed. The result for the
 * caller: the final status, or STATUS_PENDING. */
MAY_WAIT NTSTATUS IopCallDriver(PIOP_IRP Irp, bool Synchronous);
/* Send without waiting (cleanup, close): consumes the caller's reference. */
void IopSendIrp(PIOP_IRP Irp);
/* The calling thread owns the IRP (cancel, buffered output goes to its
 * process). */
void IopSetCaller(PIOP_IRP Irp);
/* Set up the caller's completion (IOSB, Event, APC) of a user request. */
void IopSetUserCompletion(PIOP_IRP Irp, USER_ADDRESS IoStatusBlock, DISPATCHER_HEADER *Event,
                          USER_ADDRESS ApcRoutine, USER_ADDRESS ApcContext);

/* complete.c */
void IopCompleteIrp(PIOP_IRP Irp, NTSTATUS Status, ULONG_PTR Information, ULONG64 Cookie);
void IopMarkPending(PIOP_IRP Irp);

/* host.c: the rings of a driver process. */
typedef struct _IOP_HOST {
    PDRIVER_OBJECT Driver;
    PEPROCESS Process;
    ULONG Index;                   /* its badge bit */
    PMMPFN Pages[3];               /* header, requests, completions */
    ULONG_PTR RingBase;            /* in the driver */
    seL4_CPtr Notification;        /* the driver's request notification (ntos's cap) */
    seL4_CPtr NtosBadged;          /* ntos's bound notification, badged for this host */
    PIOP_IRP Outstanding;          /* sent or queued, not completed */
    PIOP_IRP QueueHead, QueueTail; /* waiting for a request slot */
    MM_IO_WINDOW *Window;          /* neither branch: where IRP buffers are mapped, or NULL */
} IOP_HOST, *PIOP_HOST;

NTSTATUS IopQueueRequest(PIOP_HOST Host, PIOP_IRP Irp);
void IopSendCancel(PIOP_IRP Irp);
NTSTATUS IopSendUnload(PIOP_HOST Host, ULONGLONG Id);
void IopDeleteHost(PIOP_HOST Host);
void IopFailHost(PIOP_HOST Host);
ULONGLONG IopNextIrpId(void);
/* The device behind a file handle (the file referenced). */
NTSTATUS IopReferenceDeviceFile(HANDLE FileHandle, ACCESS_MASK Access, PFILE_OBJECT *FileObject,
                                ACCESS_MASK *Granted);
/* The driver process of the calling thread, or ACCESS_DENIED. */
NTSTATUS IopCurrentDriver(PDRIVER_OBJECT *Driver);
/* device.c */
NTSTATUS IopParseDevice(PVOID Object, const UNICODE_STRING *RemainingName, ULONG Attributes,
                        ACCESS_MASK DesiredAccess, PVOID ParseContext, PVOID *Result);
void IopDeleteDevice(PDEVICE_OBJECT Device);
/* Moves when a driver made a device or finished DriverEntry: console.c
 * looks for \Device\Console again only when it moved. */
extern ULONG IopDeviceGeneration;
PDEVICE_OBJECT IopTopOfStack(PDEVICE_OBJECT Device);
ULONG IopDeviceFlags(PDEVICE_OBJECT Device);
/* file.c: cleanup and close of a device file; a file object on a device. */
NTSTATUS IopCreateDeviceFileObject(PDEVICE_OBJECT Device, const UNICODE_STRING *RemainingName,
                                   PIOP_OPEN_PACKET Packet, PFILE_OBJECT *Result);
void IopCloseDeviceFile(PFILE_OBJECT FileObject);
/* read.c: the event argument of read/write/ioctl; IopCompleteTransfer. */
NTSTATUS IopReferenceEvent(HANDLE Event, DISPATCHER_HEADER **Object);
/* volume.c: a request answered into a buffer of the caller, waited for
 * whatever the file's mode (query/set information, volume information). */
MAY_WAIT NTSTATUS IopCallDriverForInformation(PFILE_OBJECT FileObject, UCHAR Major, ULONG Class,
                                              USER_BUFFER Buffer, ULONG Length, bool Input,
                                              IO_STATUS_BLOCK *IoStatusBlock);
/* cancel.c */
void IopCancelIrps(PETHREAD Thread, PFILE_OBJECT FileObject);
/* An IRP of Thread on FileObject its driver has not completed yet, with a
 * reference for the caller (IopDereferenceIrp); NULL when none is left. */
PIOP_IRP IopFindIrp(PETHREAD Thread, PFILE_OBJECT FileObject);

/* ==== dirctl: directory files (dirctl.c, store.c's directory part) ================== */

/* FILE_ATTRIBUTE_* the store reports for a file or its directory, and a
 * file's allocation (whole pages: the archive's unit); info.c and
 * dirctl.c's records agree through these. */
ULONG IopStoreAttributes(PIOP_STORE_FILE File);
LONGLONG IopStoreAllocation(PIOP_STORE_FILE File);
/* The Position-th file of the \SystemRoot directory (archive order) with
 * its store record (made now if it has none, so its index is its
 * FileInternalInformation); STATUS_NO_MORE_FILES past the last. */
NTSTATUS IopStoreDirectoryEntry(ULONG Position, PIOP_STORE_FILE *File);
/* file.c: a file object goes (its scan is freed); its last handle closed
 * (pending change notifications on the store complete NOTIFY_CLEANUP). */
void IopDeleteDirectoryScan(PFILE_OBJECT FileObject);
void IopCleanupStoreNotifications(PFILE_OBJECT FileObject);
/* host.c's IopCancelIrps: the store's pending notifications of Thread on
 * FileObject (NULL: all of them) complete CANCELLED. */
void IopCancelStoreNotifications(PETHREAD Thread, PFILE_OBJECT FileObject);

/* ==== pnp: root-enumerated PDOs, PnP and power IRPs (pnp.c) ===================== */

/* \Driver\PnpManager (no process, no host): the owner of every PDO; NULL
 * until the first PnP driver loads. */
extern PDRIVER_OBJECT IopPnpDriver;
bool IopIsPdo(PDEVICE_OBJECT Device);
/* NtLoadDriver, after DriverEntry reported IO_HOST_ENTRY_ADD_DEVICE: the
 * PDO, AddDevice, START (REMOVE if START fails). A failure: the caller
 * ends the process (whose end deletes the PDO). */
MAY_WAIT NTSTATUS IopPnpAddRootDevice(PDRIVER_OBJECT Driver);
/* NtUnloadDriver, before IO_HOST_OP_UNLOAD: QUERY_REMOVE and REMOVE of the
 * driver's PDOs; the status of a veto (the driver stays). */
MAY_WAIT NTSTATUS IopPnpRemoveDevices(PDRIVER_OBJECT Driver);
/* IoDriverProcessEnded: the driver's PDOs go. */
void IopPnpDriverEnded(PDRIVER_OBJECT Driver);
/* Opens: false while the bottom of Device's stack is a PDO not started. */
bool IopPnpDeviceUsable(PDEVICE_OBJECT Device);
/* NtDriverAttachDevice onto Target (the top of a stack): a PDO takes only
 * its own function driver's devices (ACCESS_DENIED). */
NTSTATUS IopPnpCheckAttach(PDEVICE_OBJECT Target, PDEVICE_OBJECT Source);
/* ==== xcall: IRPs between driver processes (xcall.c) ================================== */
/* Irp, forwarded by NtDriverCallDriver, completed: its caller gets an
 * IO_HOST_OP_CALL_DONE (complete.c calls it before the driver's reference
 * goes). */
void IopXcallCompleted(PIOP_IRP Irp);
/* Driver's process ended: what it forwarded is cancelled and its
 * completions dropped, the files it opened below it are closed, the pairs
 * naming it as target go (driver.c, before its host fails). */
void IopXcallDriverEnded(PDRIVER_OBJECT Driver);
