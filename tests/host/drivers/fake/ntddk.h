/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ddk names the drivers' host-tested parts use (console.sys's
 * terminal, i8042prt.sys's controller code, kbdqueue.h, serial.sys's UART,
 * read, wait and write code), for compiling them on the host under the
 * sanitizers (tests/host/drivers). Not the ddk: the types and fields those
 * files touch, with the same meaning; the routines are the test's doubles
 * (fake.c) and record what happened.
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
typedef int32_t LONG, *PLONG, NTSTATUS;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG, ULONG_PTR, KSPIN_LOCK, *PKSPIN_LOCK;
typedef size_t SIZE_T;
#define MAXULONG 0xFFFFFFFFu

#define NT_SUCCESS(Status)            ((NTSTATUS)(Status) >= 0)
#define STATUS_SUCCESS                ((NTSTATUS)0x00000000)
#define STATUS_TIMEOUT                ((NTSTATUS)0x00000102)
#define STATUS_PENDING                ((NTSTATUS)0x00000103)
#define STATUS_INVALID_PARAMETER      ((NTSTATUS)0xC000000D)
#define STATUS_NO_SUCH_DEVICE         ((NTSTATUS)0xC000000E)
#define STATUS_BUFFER_TOO_SMALL       ((NTSTATUS)0xC0000023)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009A)
#define STATUS_IO_TIMEOUT             ((NTSTATUS)0xC00000B5)
#define STATUS_CANCELLED              ((NTSTATUS)0xC0000120)
#define STATUS_NOT_SUPPORTED          ((NTSTATUS)0xC00000BB)
#define STATUS_INVALID_DEVICE_REQUEST ((NTSTATUS)0xC0000010)
#define STATUS_IO_DEVICE_ERROR        ((NTSTATUS)0xC0000185)
#define IO_NO_INCREMENT               0
#define IO_SERIAL_INCREMENT           2
#define IO_KEYBOARD_INCREMENT         6

#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlZeroMemory(Destination, Length)         memset((Destination), 0, (Length))
#define FIELD_OFFSET(Type, Field)                  ((LONG)offsetof(Type, Field))
#define CONTAINING_RECORD(Address, Type, Field)    ((Type *)((char *)(Address)-offsetof(Type, Field)))
#define InterlockedExchange(Target, Value)         __atomic_exchange_n((Target), (Value), __ATOMIC_SEQ_CST)

typedef union _LARGE_INTEGER {
    int64_t QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER, PHYSICAL_ADDRESS;
typedef uint16_t WCHAR;

/* What mingw-w64's own ntddser.h, ntddkbd.h and ntddbeep.h need: the host
 * build takes those headers themselves (-idirafter), so the records and
 * IOCTL codes are Windows' as the drivers see them. */
#define DEFINE_GUID(Name, ...) extern const int Name##_Unused
#define CTL_CODE(Type, Function, Method, Access)                                                   \
    (((Type) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))
#define METHOD_BUFFERED         0
#define METHOD_IN_DIRECT        1
#define METHOD_OUT_DIRECT       2
#define METHOD_NEITHER          3
#define FILE_ANY_ACCESS         0
#define FILE_READ_ACCESS        1
#define FILE_WRITE_ACCESS       2
#define FILE_DEVICE_BEEP        0x01
#define FILE_DEVICE_KEYBOARD    0x0b
#define FILE_DEVICE_SERIAL_PORT 0x1b
#define FILE_DEVICE_SERENUM     0x37

typedef struct _UNICODE_STRING {
    USHORT Length, MaximumLength;
    uint16_t *Buffer;
} UNICODE_STRING;

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
        struct {
            ULONG Length;
        } Write;
        struct {
            ULONG OutputBufferLength;
            ULONG InputBufferLength;
            ULONG IoControlCode;
        } DeviceIoControl;
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
VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK Lock);
VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK Lock);

/* Interrupts and DPCs: the test calls the ISR and runs queued DPCs itself. */
typedef struct _KINTERRUPT *PKINTERRUPT;
struct _KDPC;
typedef VOID KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID Context, PVOID Argument1, PVOID Argument2);
typedef struct _KDPC {
    ULONG Queued;
    KDEFERRED_ROUTINE *Routine;
    PVOID Context;
} KDPC, *PKDPC;
typedef BOOLEAN KSERVICE_ROUTINE(PKINTERRUPT Interrupt, PVOID Context);
typedef BOOLEAN (*PKSYNCHRONIZE_ROUTINE)(PVOID Context);
VOID KeInitializeDpc(PKDPC Dpc, KDEFERRED_ROUTINE *Routine, PVOID Context);
BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID Argument1, PVOID Argument2);
BOOLEAN KeSynchronizeExecution(PKINTERRUPT Interrupt, PKSYNCHRONIZE_ROUTINE Routine, PVOID Context);
VOID KeStallExecutionProcessor(ULONG Microseconds);

/* Timers: set and cancelled by the code, expired by the test (FakeExpire). */
typedef struct _KTIMER {
    BOOLEAN Armed, Signalled;
    int64_t Due;
    PKDPC Dpc;
} KTIMER, *PKTIMER;
VOID KeInitializeTimer(PKTIMER Timer);
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
BOOLEAN KeCancelTimer(PKTIMER Timer);
BOOLEAN KeReadStateTimer(PKTIMER Timer);

typedef enum _MODE { KernelMode } MODE;
NTSTATUS KeDelayExecutionThread(MODE Mode, BOOLEAN Alertable, PLARGE_INTEGER Interval);

typedef enum _POOL_TYPE { NonPagedPool } POOL_TYPE;
PVOID ExAllocatePoolWithTag(POOL_TYPE Type, SIZE_T Bytes, ULONG Tag);
VOID ExFreePoolWithTag(PVOID Block, ULONG Tag);

/* Port I/O: the running test file's simulated device (FakeReset). */
UCHAR READ_PORT_UCHAR(PUCHAR Port);
VOID WRITE_PORT_UCHAR(PUCHAR Port, UCHAR Value);
VOID WRITE_PORT_BUFFER_UCHAR(PUCHAR Port, PUCHAR Buffer, ULONG Count);
