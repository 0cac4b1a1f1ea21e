/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The I/O manager (io/): file objects and, until a disk file system and
 * drivers exist, the \SystemRoot file store that serves the files of the
 * system archive (ke/archive.c) read-only. A later issue grows io/ into the
 * full I/O manager (driver and device objects, IRPs): the FILE_OBJECT keeps
 * NT's shape so that those come without changing its users.
 */
#pragma once

#include <ntos.h>
#include <ob.h>

/* ---- file access rights, share modes, options (winnt.h / ntifs.h values) ---------- */

#define FILE_READ_DATA        0x0001u
#define FILE_WRITE_DATA       0x0002u
#define FILE_APPEND_DATA      0x0004u
#define FILE_READ_EA          0x0008u
#define FILE_WRITE_EA         0x0010u
#define FILE_EXECUTE          0x0020u
#define FILE_READ_ATTRIBUTES  0x0080u
#define FILE_WRITE_ATTRIBUTES 0x0100u
#define FILE_ALL_ACCESS       (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FFu)
#define FILE_GENERIC_READ                                                                          \
    (READ_CONTROL | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE)
#define FILE_GENERIC_WRITE                                                                         \
    (READ_CONTROL | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | FILE_APPEND_DATA |   \
     SYNCHRONIZE)
#define FILE_GENERIC_EXECUTE (READ_CONTROL | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE)

#define FILE_SHARE_READ        0x1u
#define FILE_SHARE_WRITE       0x2u
#define FILE_SHARE_DELETE      0x4u
#define FILE_SHARE_VALID_FLAGS 0x7u

#define FILE_SUPERSEDE           0u
#define FILE_OPEN                1u
#define FILE_CREATE              2u
#define FILE_OPEN_IF             3u
#define FILE_OVERWRITE           4u
#define FILE_OVERWRITE_IF        5u
#define FILE_MAXIMUM_DISPOSITION 5u

#define FILE_DIRECTORY_FILE            0x00000001u
#define FILE_WRITE_THROUGH             0x00000002u
#define FILE_SEQUENTIAL_ONLY           0x00000004u
#define FILE_NO_INTERMEDIATE_BUFFERING 0x00000008u
#define FILE_SYNCHRONOUS_IO_ALERT      0x00000010u
#define FILE_SYNCHRONOUS_IO_NONALERT   0x00000020u
#define FILE_NON_DIRECTORY_FILE        0x00000040u
#define FILE_DELETE_ON_CLOSE           0x00001000u
#define FILE_VALID_OPTION_FLAGS        0x00ffffffu

#define FILE_OPENED 1u /* IO_STATUS_BLOCK.Information of a successful open */

#define FILE_ATTRIBUTE_READONLY    0x01u
#define FILE_ATTRIBUTE_DIRECTORY   0x10u /* dirctl */
#define FILE_ATTRIBUTE_VALID_FLAGS 0x7fa7u

/* ---- the file object ---------------------------------------------------------------- */

/* FILE_OBJECT.Flags (NT's FO_* values). */
#define FO_SYNCHRONOUS_IO 0x00000002u
#define FO_ALERTABLE_IO   0x00000004u

struct _IOP_STORE_FILE;

/*
 * An open file (type "File"). FsContext names the file: today an entry of
 * the \SystemRoot store. FileName is the name below the volume root as the
 * caller opened it ("\System32\ntdll.dll"), pool memory owned by the object.
 * CurrentByteOffset moves with synchronous reads; the share access is
 * removed from the file when the object goes.
 */
typedef struct _FILE_OBJECT {
    struct _IOP_STORE_FILE *FsContext;
    UNICODE_STRING FileName;
    ACCESS_MASK GrantedAccess;
    ULONG ShareAccess; /* FILE_SHARE_* */
    ULONG Flags;       /* FO_* */
    ULONG Mode;        /* the open's FILE_* options NtQueryInformationFile reports */
    LARGE_INTEGER CurrentByteOffset;
    BOOLEAN ReadAccess, WriteAccess, DeleteAccess;
    BOOLEAN SharedRead, SharedWrite, SharedDelete;
    /* io/iocomp.c: the completion port the file is bound to
     * (FileCompletionInformation) and its key, or NULL. */
    struct _IO_COMPLETION_CONTEXT {
        void *Port; /* a referenced IoCompletion object */
        ULONG_PTR Key;
    } * CompletionContext;
    /* iocore: a file on a device (NULL for store files): the device at the
     * top of its stack when opened (referenced) and the runtime's
     * PFILE_OBJECT of the open (IRP_MJ_CREATE's completion Cookie). Opened:
     * IRP_MJ_CREATE succeeded, so the driver gets CLEANUP and CLOSE.
     * CleanupSent: CLEANUP went at the last handle's close (io/file.c). */
    struct _DEVICE_OBJECT *DeviceObject;
    ULONG64 DriverCookie;
    BOOLEAN Opened;
    BOOLEAN CleanupSent;
    /* dirctl: a store directory's scan (io/dirctl.c: the next entry, the
     * mask of the first query), made at the first query, freed with the
     * object. */
    struct _IOP_DIRECTORY_SCAN *DirectoryScan;
} FILE_OBJECT, *PFILE_OBJECT;

extern POBJECT_TYPE IoFileObjectType;

/* Create the File type and the \SystemRoot store (ObInsertPermanentObject);
 * runs once at boot, after ob's initialisation. Later calls do nothing.
 * Every io service calls it too, so io works in images whose start-up
 * does not (the self-tests). */
NTSTATUS IoInitSystem(void);

/* The bytes of the file behind FileObject (read-only, permanent: the
 * archive's), for sections. STATUS_INVALID_FILE_FOR_SECTION for an object
 * that has none (a directory). */
NTSTATUS IoGetFileData(PFILE_OBJECT FileObject, const void **Data, SIZE_T *Size);

/* Queue a completion packet on Port (an IoCompletion object, io/iocomp.c)
 * for an I/O request that completed: wakes one NtRemoveIoCompletion waiter
 * or queues it. Called by io when a request on a file with a
 * CompletionContext completes (and by NtSetIoCompletion).
 * INSUFFICIENT_RESOURCES when no packet can be allocated. */
NTSTATUS IoQueueCompletionPacket(void *Port, ULONG_PTR KeyContext, ULONG_PTR ApcContext,
                                 NTSTATUS Status, ULONG_PTR Information);

/* ---- hardware access for driver processes (hal: io/hal*.c) ----------------------------
 * IoEmulateDriverInstruction: a #GP or #UD of Thread, a thread of a driver
 * process (EPROCESS.DriverHost), stopped at a privileged instruction that
 * driver code may run (in/out, ins/outs, mov to/from cr8, cli/sti): ntos
 * performs it, advances rip and leaves the registers written, so that the
 * answer to the fault resumes the thread (io/halport.c). STATUS_SUCCESS:
 * done; STATUS_NOT_SUPPORTED: not an instruction ntos emulates for it, or a
 * port it may not use (the fault keeps its usual meaning);
 * STATUS_ACCESS_VIOLATION: ins/outs touched memory it cannot (the
 * registers show the progress made).
 * IoHalProcessEnded: ps calls it when a process ends; its interrupt lines
 * and contiguous memory go back (io/halirq.c, io/halmem.c). */
NTSTATUS IoEmulateDriverInstruction(PETHREAD Thread);
void IoHalProcessEnded(PEPROCESS Process);

/* ---- drivers and driver processes (iocore) --------------------------------------------- */

/* ps: a new thread of a driver process gets the ring's caps in its CSpace;
 * a thread that ends has its outstanding IRPs cancelled; a driver process
 * that ends (exit, crash, NtUnloadDriver) fails its IRPs with
 * STATUS_DRIVER_PROCESS_TERMINATED, loses its devices and \Driver name. */
NTSTATUS IoInitializeDriverThread(PETHREAD Thread);
void IoThreadEnded(PETHREAD Thread);
void IoDriverProcessEnded(PEPROCESS Process);

/* Completion-port concurrency (io/iocomp.c), called by ke for a thread
 * whose IoCompletionQueue is set: it starts to block in a wait (the port
 * counts one running thread less and may hand a queued packet to a
 * waiter), it runs again after the wait, it ends (the association goes). */
void IoCompletionThreadBlocking(PETHREAD Thread);
void IoCompletionThreadRunning(PETHREAD Thread);
void IoCompletionThreadEnded(PETHREAD Thread);

/* NtDisplayString's text on the console device (io/console.c): an
 * IRP_MJ_WRITE to \Device\Console, waited for, once a driver made it;
 * nothing when there is none, when the caller is a driver process or
 * outside a request. May wait. */
MAY_WAIT void IoDisplayOnConsole(const char *Text, ULONG Length);

/* pnp (io/pnp.c): NtShutdownSystem's IRP_MN_SET_POWER (SystemPowerState,
 * PowerSystemShutdown, ShutdownType from Action: 0 halt -> PowerActionShutdown,
 * 1 reboot -> PowerActionShutdownReset, 2 power off -> PowerActionShutdownOff)
 * to every started PnP stack, waited for two seconds at most. */
MAY_WAIT void IoPnpShutdown(ULONG Action);

/* shell branch: NtQuerySystemInformation's SystemNereidDeviceInformation
 * (include/nt/sysinfo.h): the records of every device object built into
 * Buffer (ntos memory, Length bytes; NULL measures), their pointers made
 * for the caller's copy at UserAddress. Returns the bytes needed; nothing
 * is written when Length is short. Does not wait. */
ULONG IoQueryDeviceList(UCHAR *Buffer, ULONG Length, ULONG_PTR UserAddress);
