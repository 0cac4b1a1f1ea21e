/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ddk names the drivers' host-tested parts use (console.sys's
 * terminal, i8042prt.sys's controller code, kbdqueue.h), for compiling
 * them on the host under the sanitizers (tests/host/drivers). Not the ddk:
 * the types and fields those files touch, with the same meaning; the
 * routines are the test's doubles (fake.c) and record what happened.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VOID void
#define NTAPI
#define TRUE  1
#define FALSE 0
typedef void *PVOID;
typedef uint8_t UCHAR, *PUCHAR, BOOLEAN, KIRQL, *PKIRQL;
typedef uint16_t USHORT, *PUSHORT;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG, NTSTATUS;
typedef uint64_t ULONGLONG, ULONG_PTR, KSPIN_LOCK, *PKSPIN_LOCK;
typedef size_t SIZE_T;
#define MAXULONG 0xFFFFFFFFu

#define NT_SUCCESS(Status)      ((NTSTATUS)(Status) >= 0)
#define STATUS_SUCCESS          ((NTSTATUS)0x00000000)
#define STATUS_PENDING          ((NTSTATUS)0x00000103)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#define STATUS_IO_TIMEOUT       ((NTSTATUS)0xC00000B5)
#define STATUS_NO_SUCH_DEVICE   ((NTSTATUS)0xC000000E)
#define STATUS_IO_DEVICE_ERROR  ((NTSTATUS)0xC0000185)
#define STATUS_CANCELLED        ((NTSTATUS)0xC0000120)
#define IO_NO_INCREMENT         0
#define IO_KEYBOARD_INCREMENT   6

#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlZeroMemory(Destination, Length)         memset((Destination), 0, (Length))
#define CONTAINING_RECORD(Address, Type, Field)    ((Type *)((char *)(Address)-offsetof(Type, Field)))

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink, *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

static inline VOID InitializeListHead(PLIST_ENTRY Head)
{
    Head->Flink = Head->Blink = Head;
}
static inline BOOLEAN IsListEmpty(const LIST_ENTRY *Head)
{
    return Head->Flink == Head;
}
static inline VOID InsertTailList(PLIST_ENTRY Head, PLIST_ENTRY Entry)
{
    Entry->Flink = Head;
    Entry->Blink = Head->Blink;
    Head->Blink->Flink = Entry;
    Head->Blink = Entry;
}
static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry)
{
    Entry->Blink->Flink = Entry->Flink;
    Entry->Flink->Blink = Entry->Blink;
    return Entry->Flink == Entry->Blink;
}
static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY Head)
{
    PLIST_ENTRY Entry = Head->Flink;
    RemoveEntryList(Entry);
    return Entry;
}

typedef struct _FILE_OBJECT {
    int Unused;
} FILE_OBJECT, *PFILE_OBJECT;

typedef struct _IO_STACK_LOCATION {
    union {
        struct {
            ULONG Length;
        } Read;
    } Parameters;
    PFILE_OBJECT FileObject;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

struct _DEVICE_OBJECT;
struct _IRP;
typedef VOID DRIVER_CANCEL(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);
typedef DRIVER_CANCEL *PDRIVER_CANCEL;

typedef struct _IRP {
    struct {
        NTSTATUS Status;
        ULONG_PTR Information;
    } IoStatus;
    union {
        PVOID SystemBuffer;
    } AssociatedIrp;
    BOOLEAN Cancel, PendingMarked;
    KIRQL CancelIrql;
    PDRIVER_CANCEL CancelRoutine;
    ULONG Completions; /* the test's: IoCompleteRequest calls */
    IO_STACK_LOCATION Stack;
    union {
        struct {
            LIST_ENTRY ListEntry;
        } Overlay;
    } Tail;
} IRP, *PIRP;

typedef struct _DEVICE_OBJECT {
    PVOID DeviceExtension;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

#define IoGetCurrentIrpStackLocation(Irp) (&(Irp)->Stack)
#define IoMarkIrpPending(Irp)             ((Irp)->PendingMarked = TRUE)
static inline PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL Routine)
{
    return __atomic_exchange_n(&Irp->CancelRoutine, Routine, __ATOMIC_SEQ_CST);
}
VOID IoCompleteRequest(PIRP Irp, int Boost);
VOID IoReleaseCancelSpinLock(KIRQL Irql);

/* Spin locks: one thread on the host; the doubles check pairing. */
VOID KeInitializeSpinLock(PKSPIN_LOCK Lock);
VOID KeAcquireSpinLock(PKSPIN_LOCK Lock, PKIRQL OldIrql);
VOID KeReleaseSpinLock(PKSPIN_LOCK Lock, KIRQL OldIrql);

typedef struct _KINTERRUPT *PKINTERRUPT;
typedef struct _KDPC {
    ULONG Queued;
} KDPC, *PKDPC;
typedef BOOLEAN KSERVICE_ROUTINE(PKINTERRUPT Interrupt, PVOID Context);
typedef VOID KDEFERRED_ROUTINE(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2);
typedef BOOLEAN (*PKSYNCHRONIZE_ROUTINE)(PVOID Context);
BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID Argument1, PVOID Argument2);
BOOLEAN KeSynchronizeExecution(PKINTERRUPT Interrupt, PKSYNCHRONIZE_ROUTINE Routine, PVOID Context);
VOID KeStallExecutionProcessor(ULONG Microseconds);

/* Port I/O: the test's simulated devices. */
UCHAR READ_PORT_UCHAR(PUCHAR Port);
VOID WRITE_PORT_UCHAR(PUCHAR Port, UCHAR Value);
