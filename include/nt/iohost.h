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
    uint64_t RingBase;      /* the ring area (IO_HOST_RING_HEADER first) in the driver process */
    uint64_t RingSize;      /* bytes */
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
    uint64_t Id;         /* ntos's name for the IRP; its completion carries it back */
    uint64_t Device;     /* the runtime's PDEVICE_OBJECT (NtDriverCreateDevice's DriverCookie) */
    uint64_t File;       /* the runtime's PFILE_OBJECT of the open (IO_HOST_COMPLETION.Cookie of its
                          * IRP_MJ_CREATE); 0 in IRP_MJ_CREATE itself */
    uint8_t Operation;   /* IO_HOST_OP_* */
    uint8_t MajorFunction, MinorFunction;
    uint8_t StackFlags;  /* IO_STACK_LOCATION.Flags (SL_*) */
    uint32_t IrpFlags;   /* IRP.Flags (IRP_BUFFERED_IO, IRP_INPUT_OPERATION, IRP_NOCACHE, ...) */
    uint64_t Parameters[4];
    uint64_t SystemBuffer; /* AssociatedIrp.SystemBuffer, or 0 */
    uint64_t UserBuffer;   /* IRP.UserBuffer: neither I/O's buffer (METHOD_NEITHER output, a read or
                            * write of a device without DO_BUFFERED_IO / DO_DIRECT_IO), the caller's
                            * pages mapped here by ntos; a zero length: the caller's value, unmapped
                            * (neither branch; Parameters[3] of METHOD_NEITHER, Type3InputBuffer, the
                            * same for its input, read-only) */
    uint64_t MdlAddress;   /* direct I/O: where the caller's pages are mapped here, or 0 */
    uint32_t MdlByteOffset, MdlByteCount; /* the buffer's offset in its first page, its length */
    uint64_t FileName;     /* IRP_MJ_CREATE: UTF-16 name below the device, in the data area */
    uint16_t FileNameLength; /* bytes */
    uint16_t Reserved[3];
    uint64_t Thread;       /* the caller's thread id (IRP.Tail.Overlay.Thread's identity) */
    uint64_t CancelId;     /* IO_HOST_OP_CANCEL: the Id of the IRP to cancel */
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
#define IO_HOST_REQUEST_SLOT 3 /* in each driver thread's CNode: the request notification */
#define IO_HOST_NTOS_SLOT    4 /* ... ntos's notification, badged for this driver */
#define IO_HOST_STATUS_PENDING 0x103

typedef struct _IO_HOST_COMPLETION {
    uint64_t Id;          /* the request's Id */
    int32_t Status;       /* IoStatus.Status */
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
