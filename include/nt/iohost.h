/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The contract between ntos and a driver process (docs/io.md): what
 * NtDriverInitialize and NtDriverQueryDisplay return, the TEB fields the
 * driver runtime and ntos's instruction emulation share, and the IRP rings.
 * Included by ntos (with Nereid's NT headers) and by ntoskrnl/ (with
 * mingw-w64's ddk headers), so it uses <stdint.h> types only and defines no
 * NT type itself.
 */
#pragma once

#include <stdint.h>

/* ---- TEB fields of driver threads (spec/nt-abi.md §6) --------------------------
 * Inline ddk code reads gs:[0x188] (KeGetCurrentThread), gs:[0x184]
 * (KeGetCurrentProcessorNumber) and gs:[0x18] (KeGetPcr); ntos emulates
 * `mov cr8` of a driver thread on the byte at IO_HOST_TEB_IRQL, which the
 * runtime's KeRaiseIrql/KeLowerIrql read and write too. All lie in
 * TEB.ReservedForDebuggerInstrumentation (0x110-0x18f), which ntdll leaves
 * alone. */
#define IO_HOST_TEB_IRQL      0x180 /* uint8_t: the thread's virtual IRQL */
#define IO_HOST_TEB_PROCESSOR 0x184 /* uint32_t: always 0 (one processor) */
#define IO_HOST_TEB_KTHREAD   0x188 /* the runtime's KTHREAD of the thread */

/* ---- NtDriverQueryDisplay --------------------------------------------------------- */

#define DRIVER_DISPLAY_NONE        0 /* no display known */
#define DRIVER_DISPLAY_VGA_TEXT    1 /* VGA text mode at 0xB8000, 80x25 */
#define DRIVER_DISPLAY_FRAMEBUFFER 2 /* a linear framebuffer (multiboot / VBE) */

typedef struct _DRIVER_DISPLAY_INFO {
    uint32_t Kind;          /* DRIVER_DISPLAY_* */
    uint32_t Width, Height; /* pixels, or characters for VGA text */
    uint32_t Pitch;         /* bytes a line */
    uint32_t BitsPerPixel;  /* 0 for text */
    uint32_t Reserved;
    uint64_t PhysicalAddress; /* what NtDriverMapIoSpace maps */
    uint64_t Size;            /* bytes */
    /* Pixel layout of a framebuffer: bit position and size of each colour. */
    uint8_t RedShift, RedSize, GreenShift, GreenSize, BlueShift, BlueSize, Pad[2];
} DRIVER_DISPLAY_INFO;

/* ---- NtDriverInitialize ----------------------------------------------------------- */

#define IO_HOST_NAME_CHARS 128

/* What ntos tells the runtime at its first call. Strings are UTF-16,
 * NUL-terminated. */
typedef struct _DRIVER_HOST_INFO {
    uint64_t RingBase; /* the ring area (IO_HOST_RING_HEADER first) in the driver process */
    uint64_t RingSize; /* bytes */
    uint64_t RequestNotification; /* CPtr in the driver's CSpace: seL4_Wait for requests */
    uint64_t NtosNotification;    /* CPtr: seL4_Signal after producing completions */
    uint16_t DriverName[IO_HOST_NAME_CHARS]; /* "\Driver\Null" */
    uint16_t ImagePath[IO_HOST_NAME_CHARS];  /* "\SystemRoot\System32\drivers\null.sys" */
    uint16_t ServiceKey[IO_HOST_NAME_CHARS]; /* NtLoadDriver's argument */
} DRIVER_HOST_INFO;

/* ---- the rings ----------------------------------------------------------------------
 * One area of shared pages per driver process, mapped in ntos and in the
 * driver: the header, the request slots (ntos produces, the driver
 * consumes), the completion slots (the driver produces, ntos consumes), then
 * a data area from which ntos carves system buffers and request data (file
 * names, small buffered I/O); larger buffers are pages ntos maps for the
 * request's life. Indices run freely (uint32_t, wrapping); a slot is
 * Index % Count. A producer writes the slot, then (release) the tail, then
 * signals the consumer's notification; the consumer reads the tail
 * (acquire), the slot, then advances the head. Neither side trusts the
 * other's indices beyond bounds checks: a driver that writes garbage into
 * its rings fails its own requests, never ntos. */

typedef struct _IO_HOST_RING_HEADER {
    volatile uint32_t RequestHead, RequestTail;       /* driver advances Head, ntos Tail */
    volatile uint32_t CompletionHead, CompletionTail; /* ntos advances Head, the driver Tail */
    uint32_t RequestCount, CompletionCount;           /* slots, powers of two */
    uint32_t RequestOffset, CompletionOffset;         /* from the ring base */
    uint32_t DataOffset, DataSize;                    /* the data area */
} IO_HOST_RING_HEADER;

/* IO_HOST_REQUEST.Operation */
#define IO_HOST_OP_IRP    0 /* an IRP for Device: build it, IoCallDriver */
#define IO_HOST_OP_CANCEL 1 /* cancel the IRP with Id = CancelId (IoCancelIrp) */
#define IO_HOST_OP_UNLOAD 2 /* call DriverUnload, then answer with a completion of Id */
/* Second session (numbers fixed now, each defined by its branch's protocol
 * notes below): */
#define IO_HOST_OP_ADD_DEVICE 3 /* pnp: call AddDevice for a root-enumerated PDO */
#define IO_HOST_OP_CALL_DONE  4 /* xcall: an IRP this driver sent to another process completed */

/*
 * One request: what the runtime needs to build the ddk IRP and its
 * current IO_STACK_LOCATION. Addresses are valid in the driver process.
 * Parameters is the stack location's Parameters union exactly as the ddk
 * lays it out for MajorFunction (four 8-byte words on x64: Read/Write
 * {Length, Key, ByteOffset}, DeviceIoControl {OutputBufferLength,
 * InputBufferLength, IoControlCode, Type3InputBuffer}, Create
 * {SecurityContext = 0, Options, FileAttributes|ShareAccess<<16, EaLength},
 * QueryFile {Length, FileInformationClass}, ...).
 */
typedef struct _IO_HOST_REQUEST {
    uint64_t Id;       /* ntos's name for the IRP; its completion carries it back */
    uint64_t Device;   /* the runtime's PDEVICE_OBJECT (NtDriverCreateDevice's DriverCookie) */
    uint64_t File;     /* the runtime's PFILE_OBJECT of the open (IO_HOST_COMPLETION.Cookie of its
                        * IRP_MJ_CREATE); 0 in IRP_MJ_CREATE itself */
    uint8_t Operation; /* IO_HOST_OP_* */
    uint8_t MajorFunction, MinorFunction;
    uint8_t StackFlags; /* IO_STACK_LOCATION.Flags (SL_*) */
    uint32_t IrpFlags;  /* IRP.Flags (IRP_BUFFERED_IO, IRP_INPUT_OPERATION, IRP_NOCACHE, ...) */
    uint64_t Parameters[4];
    uint64_t SystemBuffer; /* AssociatedIrp.SystemBuffer, or 0 */
    uint64_t UserBuffer;   /* IRP.UserBuffer: neither I/O's buffer (METHOD_NEITHER output, a read or
                            * write of a device without DO_BUFFERED_IO / DO_DIRECT_IO), the caller's
                            * pages mapped here by ntos; a zero length: the caller's value, unmapped
                            * (neither branch; Parameters[3] of METHOD_NEITHER, Type3InputBuffer, the
                            * same for its input, read-only) */
    uint64_t MdlAddress;   /* direct I/O: where the caller's pages are mapped here, or 0 */
    uint32_t MdlByteOffset, MdlByteCount; /* the buffer's offset in its first page, its length */
    uint64_t FileName;       /* IRP_MJ_CREATE: UTF-16 name below the device, in the data area */
    uint16_t FileNameLength; /* bytes */
    uint16_t Reserved[3];
    uint64_t Thread;   /* the caller's thread id (IRP.Tail.Overlay.Thread's identity) */
    uint64_t CancelId; /* IO_HOST_OP_CANCEL: the Id of the IRP to cancel */
} IO_HOST_REQUEST;

/*
 * The protocol over the rings (iocore; the runtime follows it):
 *  - Slots of the notification caps: ntos mints them into the CSpace of
 *    every thread of the driver process (threads made later get them too)
 *    at IO_HOST_REQUEST_SLOT and IO_HOST_NTOS_SLOT; DRIVER_HOST_INFO names
 *    them as well.
 *  - ntos fills the ring header at NtDriverInitialize. Request Ids are never
 *    0. The data area may be empty (DataSize 0): ntos then maps every
 *    system buffer and file name as pages of their own for the request's
 *    life (addresses outside the ring area).
 *  - DriverEntry's status: after DriverEntry returns, the runtime produces
 *    one completion with Id 0 and Status = what DriverEntry returned, then
 *    signals. NtLoadDriver waits for it (or for the process to end: then
 *    DRIVER_UNABLE_TO_LOAD); a failure status ends the process.
 *  - An IRP the dispatch routine leaves pending (it returned STATUS_PENDING
 *    and has not completed it yet): the runtime produces an interim
 *    completion with the IRP's Id and Status = STATUS_PENDING (0x103);
 *    the final completion follows later. An asynchronous caller then gets
 *    STATUS_PENDING at once; without the interim record it waits for the
 *    final one. An IRP completed before its dispatch routine returns gets
 *    only its final completion.
 *  - IO_HOST_OP_CANCEL gets no completion of its own: the cancelled IRP
 *    completes (normally, STATUS_CANCELLED or whatever the driver says).
 *  - IO_HOST_OP_UNLOAD: the runtime calls DriverUnload and answers with a
 *    completion of the request's Id, Status SUCCESS; ntos then ends the
 *    process. A driver without DriverUnload: Status INVALID_DEVICE_REQUEST,
 *    and it keeps running (NtUnloadDriver fails with that status).
 *  - Completion Information of a buffered read / METHOD_BUFFERED ioctl is
 *    the byte count ntos copies back (capped at the output length).
 */
#define IO_HOST_REQUEST_SLOT   3 /* in each driver thread's CNode: the request notification */
#define IO_HOST_NTOS_SLOT      4 /* ... ntos's notification, badged for this driver */
#define IO_HOST_STATUS_PENDING 0x103

typedef struct _IO_HOST_COMPLETION {
    uint64_t Id;    /* the request's Id */
    int32_t Status; /* IoStatus.Status */
    uint32_t Reserved;
    uint64_t Information; /* IoStatus.Information (bytes transferred for buffered reads) */
    uint64_t Cookie;      /* IRP_MJ_CREATE: the runtime's PFILE_OBJECT for the open */
} IO_HOST_COMPLETION;

_Static_assert(sizeof(IO_HOST_REQUEST) == 128, "IO_HOST_REQUEST layout");
_Static_assert(sizeof(IO_HOST_COMPLETION) == 32, "IO_HOST_COMPLETION layout");

/* ---- device flags (drvhost) --------------------------------------------------------
 * A driver sets DEVICE_OBJECT.Flags (DO_BUFFERED_IO, DO_DIRECT_IO,
 * DO_POWER_PAGABLE, ...) after IoCreateDevice returned, so
 * NtDriverCreateDevice cannot carry them. The runtime tells ntos with a
 * completion record of Id IO_HOST_ID_DEVICE_FLAGS, Cookie = the device's
 * DriverCookie, Information = its Flags (DO_DEVICE_INITIALIZING cleared):
 * one per device created during DriverEntry, before the Id 0 completion,
 * and one whenever a device is created later (when the IRP that created it
 * completes). No request ever carries this Id. */
#define IO_HOST_ID_DEVICE_FLAGS UINT64_MAX

/* ---- PnP (pnp branch: docs/io.md, "Plug and Play") ---------------------------------
 * DriverEntry's completion (Id 0) carries in Information what the driver
 * set up: IO_HOST_ENTRY_ADD_DEVICE if DriverExtension->AddDevice is set (a
 * WDM driver: ntos then makes a root-enumerated PDO for it),
 * IO_HOST_ENTRY_UNLOAD if DriverUnload is set (ntos refuses to unload a
 * PnP driver without it before sending any removal IRP).
 *
 * IO_HOST_OP_ADD_DEVICE: Parameters[0] = a handle, in the driver
 * process's handle table, to ntos's PDO (the runtime's local PDO keeps it:
 * NtDriverAttachDevice(Fdo, Pdo) puts the FDO on the PDO's stack);
 * FileName/FileNameLength = the PDO's name ("\Device\00000001", UTF-16, no
 * NUL). The runtime makes its local PDO, calls AddDevice(DriverObject,
 * Pdo), reports the flags of the devices AddDevice made
 * (IO_HOST_ID_DEVICE_FLAGS; DO_DEVICE_INITIALIZING of the device attached
 * to the PDO cleared, as Windows does for a driver that forgot), then
 * answers with a completion of the request's Id, Status = AddDevice's. PnP
 * and power IRPs are ordinary IO_HOST_OP_IRP requests for the top of the
 * stack (MajorFunction IRP_MJ_PNP / IRP_MJ_POWER, the stack location's
 * Parameters as the ddk lays them out); the runtime starts them with
 * IoStatus.Status = STATUS_NOT_SUPPORTED, as Windows' PnP and power
 * managers do. */
#define IO_HOST_ENTRY_ADD_DEVICE 0x1u
#define IO_HOST_ENTRY_UNLOAD     0x2u
/* ---- calls between driver processes (xcall branch) ---------------------------------
 *
 * IoCallDriver to a device of another driver process goes through ntos
 * (ntos/io/xcall.c; the runtime's half is ntoskrnl/io/xcall.c):
 *
 *  - NtDriverQueryDevice(Handle, DRIVER_DEVICE_INFO, Length) (service 103)
 *    and NtDriverCallDriver(Handle, IO_HOST_CALL) (service 102) name the
 *    target device by Handle: a FILE handle of the caller's (an open of a
 *    device, IoGetDeviceObjectPointer's NtCreateFile) names the device the
 *    file was opened on, and IRPs go on that open (the target driver's file
 *    cookie of it); a DEVICE handle of one of the caller's own devices
 *    (NtDriverCreateDevice's) names the device below it in its stack
 *    (IoAttachDeviceToDeviceStack onto another process's stack), and IRPs
 *    carry the target driver's file for IO_HOST_CALL.File (below).
 *  - NtDriverCallDriver with Operation IO_HOST_CALL_IRP forwards the IRP
 *    described: ntos validates it, builds an IRP for the target, maps the
 *    caller's buffers (its own pages, no copy) into the target process as
 *    the target device expects them (READ/WRITE: DO_DIRECT_IO as the MDL,
 *    DO_BUFFERED_IO as the system buffer, otherwise as UserBuffer; control
 *    codes by their method; information requests as the system buffer),
 *    queues it and returns STATUS_PENDING at once. Any other status means
 *    nothing was sent and no IO_HOST_OP_CALL_DONE will come.
 *  - When the target completes it, ntos puts one IO_HOST_OP_CALL_DONE
 *    request on the CALLER's request ring: Parameters[0] = IO_HOST_CALL.Irp,
 *    Parameters[1] = the final Status (low 32 bits), Parameters[2] =
 *    Information; Id is ntos's Id of the forwarded IRP. It gets no
 *    completion record. A target process that ends completes it with
 *    STATUS_DRIVER_PROCESS_TERMINATED (0xC0000450).
 *  - NtDriverCallDriver with Operation IO_HOST_CALL_CANCEL cancels the
 *    forwarded IRP whose IO_HOST_CALL.Irp is Irp (IoCancelIrp in the
 *    target); its CALL_DONE still comes. INVALID_PARAMETER: none such.
 *  - A calling process that ends: ntos cancels what it forwarded and drops
 *    their completions; the target files it opened (below) get CLEANUP and
 *    CLOSE.
 *  - Files through a stack (device handles): an IRP_MJ_CREATE forwarded with
 *    File = the caller's PFILE_OBJECT opens a file in the target; ntos
 *    remembers the pair (caller, File) -> the target's file cookie, which
 *    later IRPs with that File carry; a forwarded IRP_MJ_CLOSE ends the
 *    pair. An unknown File (or 0) gives the target an IRP without a file.
 *    With a file handle, CREATE / CLEANUP / CLOSE cannot be forwarded (the
 *    open lives as long as the handle): INVALID_DEVICE_REQUEST.
 *  - Majors that may be forwarded: CREATE, CLOSE, READ, WRITE,
 *    QUERY_INFORMATION, SET_INFORMATION, FLUSH_BUFFERS,
 *    QUERY_VOLUME_INFORMATION, FILE_SYSTEM_CONTROL, DEVICE_CONTROL,
 *    INTERNAL_DEVICE_CONTROL, CLEANUP; others INVALID_DEVICE_REQUEST.
 *    METHOD_NEITHER codes with buffers: INVALID_DEVICE_REQUEST.
 */
#define IO_HOST_CALL_IRP    0 /* forward the IRP described */
#define IO_HOST_CALL_CANCEL 1 /* cancel the forwarded IRP named by Irp */

typedef struct _IO_HOST_CALL {
    uint64_t Irp;      /* the caller's name for its IRP (never 0): CALL_DONE carries it back */
    uint64_t File;     /* device handles: the caller's PFILE_OBJECT of the stack location, or 0 */
    uint8_t Operation; /* IO_HOST_CALL_* */
    uint8_t MajorFunction, MinorFunction;
    uint8_t StackFlags;      /* IO_STACK_LOCATION.Flags */
    uint32_t IrpFlags;       /* IRP.Flags: only IRP_NOCACHE and IRP_SYNCHRONOUS_API pass */
    uint64_t Parameters[4];  /* the stack location's Parameters, as in IO_HOST_REQUEST */
    uint64_t SystemBuffer;   /* AssociatedIrp.SystemBuffer, in the caller */
    uint64_t MdlVa;          /* the MDL's buffer as mapped in the caller (its system VA) */
    uint32_t MdlLength;      /* its byte count */
    uint16_t FileNameLength; /* IRP_MJ_CREATE: bytes of UTF-16 at FileName */
    uint16_t Reserved;
    uint64_t UserBuffer; /* IRP.UserBuffer, in the caller */
    uint64_t FileName;   /* IRP_MJ_CREATE: FILE_OBJECT.FileName's characters, in the caller */
} IO_HOST_CALL;

/* NtDriverQueryDevice: what a proxy DEVICE_OBJECT shows of the device. */
typedef struct _DRIVER_DEVICE_INFO {
    uint32_t DeviceType, Characteristics;
    uint32_t Flags;     /* DO_* as its driver reported them */
    uint32_t StackSize; /* the device and those below it in its stack */
    uint32_t AlignmentRequirement;
    uint32_t Reserved;
    uint16_t DriverName[IO_HOST_NAME_CHARS]; /* "\Driver\IoTest" */
} DRIVER_DEVICE_INFO;

_Static_assert(sizeof(IO_HOST_CALL) == 96, "IO_HOST_CALL layout");

/* The IO_HOST_ID_DEVICE_FLAGS record's Information carries the device's
 * AlignmentRequirement in its high 32 bits (a proxy shows it). */
