/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * I/O completion ports (type "IoCompletion", NT's KQUEUE behind it): a
 * FIFO of completion packets {KeyContext, ApcContext, Status, Information}
 * and a LIFO of the threads waiting in NtRemoveIoCompletion. A packet that
 * arrives while a thread waits goes straight to the most recent waiter (as
 * Windows wakes the last thread to wait, whose stack and cache are warm);
 * otherwise it is queued. The port is a dispatcher object for the other
 * waits too (NtWaitForSingleObject on its handle): its signal state is the
 * number of packets queued, and such a wait takes nothing (NT's queue
 * object is satisfied like a notification object).
 *
 * Packets come from NtSetIoCompletion and from the I/O manager
 * (IoQueueCompletionPacket) when a request on a file bound to the port
 * (FileCompletionInformation, IopSetCompletionInformation below)
 * completes.
 *
 * Concurrency, as NT's queue: a thread that calls NtRemoveIoCompletion
 * becomes the port's (ETHREAD.IoCompletionQueue, until it removes from
 * another port or ends). CurrentCount is the number of the port's threads
 * that run: out of the remove with a packet or a time-out, and in no wait.
 * A packet goes to a waiter, or a waiter takes a queued one, only while
 * CurrentCount < MaximumCount (NumberOfConcurrentThreads; 0 means the
 * number of processors, 1). When one of the port's threads blocks in any
 * other wait (ke calls IoCompletionThreadBlocking) or ends, the count
 * drops and a queued packet may go to a waiter. A thread waiting in the
 * remove itself is "parked": its IoCompletionQueue is NULL meanwhile, so
 * ke's hooks leave it to the remove.
 */
#include "iop.h"

#include <stddef.h>

#include "ntsvc.h"

#define IOP_COMPLETION_TAG        0x706d4349 /* 'ICmp' */
#define IOP_COMPLETION_PACKET_TAG 0x6b704349 /* 'ICpk' */
#define IOP_COMPLETION_BIND_TAG   0x64624349 /* 'ICbd' */

#define IO_COMPLETION_QUERY_STATE  0x0001u
#define IO_COMPLETION_MODIFY_STATE 0x0002u
#define IO_COMPLETION_ALL_ACCESS   (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3u)

#define IoCompletionBasicInformation 0

/* Packets queued in all ports together: a process that queues without end
 * gets INSUFFICIENT_RESOURCES before it can drain ntos's pool (Windows
 * charges the packets to the process's quota). */
#define IOP_MAX_QUEUED_PACKETS 65536

typedef struct _IO_COMPLETION_BASIC_INFORMATION {
    LONG Depth;
} IO_COMPLETION_BASIC_INFORMATION;
_Static_assert(sizeof(IO_COMPLETION_BASIC_INFORMATION) == 4, "IO_COMPLETION_BASIC_INFORMATION");

/* FileCompletionInformation (30): the port handle and the key. */
typedef struct _FILE_COMPLETION_INFORMATION {
    HANDLE Port;
    ULONG_PTR Key;
} FILE_COMPLETION_INFORMATION;
_Static_assert(sizeof(FILE_COMPLETION_INFORMATION) == 16, "FILE_COMPLETION_INFORMATION");

typedef struct _IOP_COMPLETION_PACKET {
    struct _IOP_COMPLETION_PACKET *Next;
    ULONG_PTR KeyContext;
    ULONG_PTR ApcContext;
    NTSTATUS Status;
    ULONG_PTR Information;
} IOP_COMPLETION_PACKET, *PIOP_COMPLETION_PACKET;

/* A thread in NtRemoveIoCompletion: lives on its request's fiber stack. */
typedef struct _IOP_COMPLETION_WAITER {
    struct _IOP_COMPLETION_WAITER *Next; /* the next older waiter */
    PETHREAD Thread;
    PIOP_COMPLETION_PACKET Packet; /* what it was given, or NULL */
    bool Linked;                   /* still on the port's list */
} IOP_COMPLETION_WAITER, *PIOP_COMPLETION_WAITER;

typedef struct _IO_COMPLETION {
    DISPATCHER_HEADER Header; /* SignalState = Depth: waits on the handle */
    ULONG MaximumCount;       /* NumberOfConcurrentThreads (0: processors) */
    ULONG CurrentCount;       /* the port's threads that run */
    LONG Depth;               /* packets queued */
    PIOP_COMPLETION_PACKET Head, Tail;
    PIOP_COMPLETION_WAITER Waiters; /* the most recent first */
} IO_COMPLETION, *PIO_COMPLETION;

POBJECT_TYPE IoCompletionObjectType;
static ULONG IopQueuedPackets;

static void IopDeleteCompletion(PVOID Object)
{
    PIO_COMPLETION Port = Object;
    PIOP_COMPLETION_PACKET Packet;

    /* A waiter holds a reference, so none can be left. */
    ASSERT(Port->Waiters == NULL && Port->Header.WaitListHead == NULL);
    while ((Packet = Port->Head) != NULL) {
        Port->Head = Packet->Next;
        IopQueuedPackets--;
        ExFreePoolWithTag(Packet, IOP_COMPLETION_PACKET_TAG);
    }
}

/* The type, made at the first use of any completion service. */
static NTSTATUS IopInitializeCompletion(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = IO_COMPLETION_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | IO_COMPLETION_QUERY_STATE,
                           READ_CONTROL | IO_COMPLETION_MODIFY_STATE, READ_CONTROL | SYNCHRONIZE,
                           IO_COMPLETION_ALL_ACCESS},
        .PoolTag = IOP_COMPLETION_TAG,
        .DeleteProcedure = IopDeleteCompletion,
    };
    NTSTATUS Status;

    if (IoCompletionObjectType != NULL)
        return STATUS_SUCCESS;
    Status = ObCreateObjectType("IoCompletion", &Init, &IoCompletionObjectType);
    if (NT_SUCCESS(Status))
        KeRegisterWaitableType(IoCompletionObjectType, offsetof(IO_COMPLETION, Header));
    return Status;
}

static NTSTATUS IopReferenceCompletion(HANDLE Handle, ACCESS_MASK Access, PIO_COMPLETION *Port)
{
    NTSTATUS Status = IopInitializeCompletion();

    if (!NT_SUCCESS(Status))
        return Status;
    return ObReferenceObjectByHandle(Handle, IoCompletionObjectType, Access, (PVOID *)Port);
}

/* ---- packets ------------------------------------------------------------------------------ */

/* Hand Packet to the most recent waiter that is still waiting, which then
 * counts as running (the caller checked CurrentCount); false when
 * there is none. A waiter whose wait already ended (time-out, its thread
 * ending) but whose fiber has not run yet is dropped from the list. */
static bool IopGiveToWaiter(PIO_COMPLETION Port, PIOP_COMPLETION_PACKET Packet)
{
    PIOP_COMPLETION_WAITER Waiter;

    while ((Waiter = Port->Waiters) != NULL) {
        Port->Waiters = Waiter->Next;
        Waiter->Linked = false;
        Waiter->Packet = Packet;
        if (KeEndWait(Waiter->Thread, STATUS_SUCCESS)) {
            Port->CurrentCount++; /* it runs again */
            return true;
        }
        Waiter->Packet = NULL;
    }
    return false;
}

/* Queue Packet at the tail, or back at the head (AtHead: a packet taken
 * for a waiter that turned out to have gone). */
static void IopEnqueuePacket(PIO_COMPLETION Port, PIOP_COMPLETION_PACKET Packet, bool AtHead)
{
    if (AtHead) {
        Packet->Next = Port->Head;
        Port->Head = Packet;
        if (Port->Tail == NULL)
            Port->Tail = Packet;
    } else {
        Packet->Next = NULL;
        if (Port->Tail)
            Port->Tail->Next = Packet;
        else
            Port->Head = Packet;
        Port->Tail = Packet;
    }
    KeSignalObject(&Port->Header, ++Port->Depth);
}

static PIOP_COMPLETION_PACKET IopDequeuePacket(PIO_COMPLETION Port);

/* Room for one more running thread: hand queued packets to waiters. */
static void IopActivateWaiters(PIO_COMPLETION Port)
{
    PIOP_COMPLETION_PACKET Packet;

    while (Port->Head && Port->Waiters && Port->CurrentCount < Port->MaximumCount) {
        Packet = IopDequeuePacket(Port);
        if (!IopGiveToWaiter(Port, Packet)) {
            IopEnqueuePacket(Port, Packet, true);
            break;
        }
    }
}

NTSTATUS IoQueueCompletionPacket(void *Object, ULONG_PTR KeyContext, ULONG_PTR ApcContext,
                                 NTSTATUS Status, ULONG_PTR Information)
{
    PIO_COMPLETION Port = Object;
    PIOP_COMPLETION_PACKET Packet;

    ASSERT(ObGetObjectType(Port) == IoCompletionObjectType);
    if (IopQueuedPackets >= IOP_MAX_QUEUED_PACKETS)
        return STATUS_INSUFFICIENT_RESOURCES;
    Packet = ExAllocatePoolWithTag(sizeof(*Packet), IOP_COMPLETION_PACKET_TAG);
    if (Packet == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Packet = (IOP_COMPLETION_PACKET){NULL, KeyContext, ApcContext, Status, Information};
    IopQueuedPackets++;
    if (Port->CurrentCount < Port->MaximumCount && IopGiveToWaiter(Port, Packet))
        return STATUS_SUCCESS;
    IopEnqueuePacket(Port, Packet, false);
    return STATUS_SUCCESS;
}

/* The oldest queued packet, or NULL. */
static PIOP_COMPLETION_PACKET IopDequeuePacket(PIO_COMPLETION Port)
{
    PIOP_COMPLETION_PACKET Packet = Port->Head;

    if (Packet == NULL)
        return NULL;
    Port->Head = Packet->Next;
    if (Port->Head == NULL)
        Port->Tail = NULL;
    Port->Depth--;
    Port->Header.SignalState = Port->Depth; /* lowering wakes no one */
    return Packet;
}

/* ---- services ------------------------------------------------------------------------------ */

NTSTATUS NtCreateIoCompletion(HANDLE *IoCompletionHandle, ACCESS_MASK DesiredAccess,
                              const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                              ULONG NumberOfConcurrentThreads)
{
    PIO_COMPLETION Port;
    NTSTATUS Status = IopInitializeCompletion();

    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObCreateObject(IoCompletionObjectType, sizeof(*Port), (PVOID *)&Port);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeDispatcherHeader(&Port->Header, KiNotificationObject, 0);
    /* One processor: NT's default for 0 is the number of processors. */
    Port->MaximumCount = NumberOfConcurrentThreads ? NumberOfConcurrentThreads : 1;
    return ObInsertObject(Port, ObjectAttributes, DesiredAccess, IoCompletionHandle);
}

NTSTATUS NtOpenIoCompletion(HANDLE *IoCompletionHandle, ACCESS_MASK DesiredAccess,
                            const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    NTSTATUS Status = IopInitializeCompletion();

    if (!NT_SUCCESS(Status))
        return Status;
    return ObOpenObjectByName(ObjectAttributes, IoCompletionObjectType, DesiredAccess, NULL,
                              IoCompletionHandle);
}

NTSTATUS NtSetIoCompletion(HANDLE IoCompletionHandle, ULONG_PTR KeyContext, ULONG_PTR ApcContext,
                           NTSTATUS IoStatus, ULONG_PTR IoStatusInformation)
{
    PIO_COMPLETION Port;
    NTSTATUS Status = IopReferenceCompletion(IoCompletionHandle, IO_COMPLETION_MODIFY_STATE, &Port);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoQueueCompletionPacket(Port, KeyContext, ApcContext, IoStatus, IoStatusInformation);
    ObDereferenceObject(Port);
    return Status;
}

/* Sleep as the port's most recent waiter until a packet is handed over or
 * the wait ends otherwise (time-out, the thread ending). Not alertable, as
 * NtRemoveIoCompletion on Windows. */
static MAY_WAIT NTSTATUS IopWaitForPacket(PIO_COMPLETION Port, const LARGE_INTEGER *Timeout,
                                          PIOP_COMPLETION_PACKET *Packet)
{
    IOP_COMPLETION_WAITER Waiter = {
        .Next = Port->Waiters, .Thread = KeGetCurrentThread(), .Linked = true};
    PIOP_COMPLETION_WAITER *Link;
    NTSTATUS Status;

    Port->Waiters = &Waiter;
    Status = KeWaitForMultipleObjects(0, NULL, false, false, Timeout);
    if (Waiter.Linked) {
        for (Link = &Port->Waiters; *Link != &Waiter; Link = &(*Link)->Next)
            ASSERT(*Link != NULL); /* a linked waiter is on the list */
        *Link = Waiter.Next;
    }
    *Packet = Waiter.Packet;
    return Waiter.Packet ? STATUS_SUCCESS : Status;
}

/* ---- the port's threads ---------------------------------------------------------------------- */

/* Thread leaves its port; Running: it was counted as running. */
static void IopDisassociate(PETHREAD Thread, bool Running)
{
    PIO_COMPLETION Port = Thread->IoCompletionQueue;

    Thread->IoCompletionQueue = NULL;
    if (Running) {
        ASSERT(Port->CurrentCount > 0); /* it was one of them */
        Port->CurrentCount--;
        IopActivateWaiters(Port);
    }
    ObDereferenceObject(Port);
}

/* The calling thread asks Port for work: it is Port's thread from now on,
 * and not counted as running while it asks. */
static void IopAssociate(PETHREAD Thread, PIO_COMPLETION Port)
{
    if (Thread->IoCompletionQueue == Port) {
        ASSERT(Port->CurrentCount > 0); /* it runs: it is in this call */
        Port->CurrentCount--;
        return;
    }
    if (Thread->IoCompletionQueue)
        IopDisassociate(Thread, true);
    ObReferenceObject(Port); /* the association's */
    Thread->IoCompletionQueue = Port;
}

void IoCompletionThreadBlocking(PETHREAD Thread)
{
    PIO_COMPLETION Port = Thread->IoCompletionQueue;

    ASSERT(Port->CurrentCount > 0); /* it ran until now */
    Port->CurrentCount--;
    IopActivateWaiters(Port);
}

void IoCompletionThreadRunning(PETHREAD Thread)
{
    PIO_COMPLETION Port = Thread->IoCompletionQueue;

    Port->CurrentCount++;
}

void IoCompletionThreadEnded(PETHREAD Thread)
{
    /* In a wait it was not counted (ke ends that wait afterwards). */
    IopDisassociate(Thread, Thread->Wait == NULL);
}

/* The remove's own wait is over: the thread is the port's again and runs
 * (a packet handed over counted it already), unless it ended meanwhile. */
static void IopUnpark(PETHREAD Thread, PIO_COMPLETION Port, bool Given)
{
    if (Thread->Terminated) {
        if (Given) {
            Port->CurrentCount--;
            IopActivateWaiters(Port);
        }
        ObDereferenceObject(Port); /* the association's */
        return;
    }
    Thread->IoCompletionQueue = Port;
    if (!Given)
        Port->CurrentCount++;
}

NTSTATUS NtRemoveIoCompletion(HANDLE IoCompletionHandle, ULONG_PTR *KeyContext,
                              ULONG_PTR *ApcContext, IO_STATUS_BLOCK *IoStatusBlock,
                              const LARGE_INTEGER *Timeout)
{
    PETHREAD Thread = KeGetCurrentThread();
    PIOP_COMPLETION_PACKET Packet = NULL;
    PIO_COMPLETION Port;
    NTSTATUS Status = IopReferenceCompletion(IoCompletionHandle, IO_COMPLETION_MODIFY_STATE, &Port);

    if (!NT_SUCCESS(Status))
        return Status;
    IopAssociate(Thread, Port);
    if (Port->Head && Port->CurrentCount < Port->MaximumCount) {
        Packet = IopDequeuePacket(Port);
        Port->CurrentCount++;
    } else {
        Thread->IoCompletionQueue = NULL; /* parked: ke's hooks leave it alone */
        Status = IopWaitForPacket(Port, Timeout, &Packet);
        IopUnpark(Thread, Port, Packet != NULL);
    }
    if (Packet != NULL) {
        /* The outputs are written back only now (services.def:
         * write=handler): a time-out leaves the caller's values. */
        *KeyContext = Packet->KeyContext;
        *ApcContext = Packet->ApcContext;
        *IoStatusBlock =
            (IO_STATUS_BLOCK){.Status = Packet->Status, .Information = Packet->Information};
        IopQueuedPackets--;
        ExFreePoolWithTag(Packet, IOP_COMPLETION_PACKET_TAG);
        Status = STATUS_SUCCESS;
    }
    ObDereferenceObject(Port);
    return Status;
}

NTSTATUS NtQueryIoCompletion(HANDLE IoCompletionHandle, ULONG InformationClass,
                             USER_BUFFER IoCompletionInformation, ULONG Length, ULONG *ReturnLength)
{
    IO_COMPLETION_BASIC_INFORMATION Info;
    PIO_COMPLETION Port;
    NTSTATUS Status;

    /* Windows' order: class, exact length, the buffer probed for writing
     * (ULONG-aligned), then the handle. */
    if (InformationClass != IoCompletionBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (Length != sizeof(Info))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = KiProbeClassBuffer(IoCompletionInformation, sizeof(ULONG), KI_PROBE_WRITE);
    if (NT_SUCCESS(Status))
        Status = IopReferenceCompletion(IoCompletionHandle, IO_COMPLETION_QUERY_STATE, &Port);
    if (!NT_SUCCESS(Status))
        return Status;
    Info.Depth = Port->Depth;
    ObDereferenceObject(Port);
    Status = MmCopyToUser(KeGetCurrentThread()->Process, IoCompletionInformation.Address, &Info,
                          sizeof(Info));
    if (NT_SUCCESS(Status) && ReturnLength)
        *ReturnLength = sizeof(Info);
    return Status;
}

/* ---- files bound to a port ---------------------------------------------------------------- */

NTSTATUS IopSetCompletionInformation(PFILE_OBJECT FileObject, USER_BUFFER Buffer,
                                     IO_STATUS_BLOCK *IoStatusBlock)
{
    FILE_COMPLETION_INFORMATION Info;
    struct _IO_COMPLETION_CONTEXT *Context;
    PIO_COMPLETION Port;
    NTSTATUS Status =
        MmCopyFromUser(KeGetCurrentThread()->Process, &Info, Buffer.Address, sizeof(Info));

    if (!NT_SUCCESS(Status))
        return Status;
    /* A file is bound once, for its life (Windows). */
    if (FileObject->CompletionContext != NULL)
        return STATUS_INVALID_PARAMETER;
    Status = IopReferenceCompletion(Info.Port, IO_COMPLETION_MODIFY_STATE, &Port);
    if (!NT_SUCCESS(Status))
        return Status;
    Context = ExAllocatePoolWithTag(sizeof(*Context), IOP_COMPLETION_BIND_TAG);
    if (Context == NULL) {
        ObDereferenceObject(Port);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Context->Port = Port; /* the file's reference */
    Context->Key = Info.Key;
    FileObject->CompletionContext = Context;
    *IoStatusBlock = (IO_STATUS_BLOCK){.Status = STATUS_SUCCESS, .Information = 0};
    return STATUS_SUCCESS;
}

NTSTATUS IopCheckCompletionApc(PFILE_OBJECT FileObject, USER_ADDRESS ApcRoutine)
{
    if (FileObject->CompletionContext != NULL && (ApcRoutine.Value & ~(ULONG_PTR)1) != 0)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

void IopReleaseCompletionContext(PFILE_OBJECT FileObject)
{
    if (FileObject->CompletionContext == NULL)
        return;
    ObDereferenceObject(FileObject->CompletionContext->Port);
    ExFreePoolWithTag(FileObject->CompletionContext, IOP_COMPLETION_BIND_TAG);
    FileObject->CompletionContext = NULL;
}

void IopCompleteToPort(PFILE_OBJECT FileObject, ULONG_PTR ApcContext, NTSTATUS Status,
                       ULONG_PTR Information)
{
    /* Windows queues no packet for a request without an ApcContext (how
     * Win32 asks for none: an OVERLAPPED whose hEvent has its low bit set). */
    if (FileObject->CompletionContext == NULL || ApcContext == 0)
        return;
    /* FIXME: a packet that cannot be allocated is lost (Windows would
     * have charged it before the request started). */
    (void)IoQueueCompletionPacket(FileObject->CompletionContext->Port,
                                  FileObject->CompletionContext->Key, ApcContext, Status,
                                  Information);
}
