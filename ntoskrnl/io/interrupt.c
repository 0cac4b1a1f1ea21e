/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt objects of a driver process (docs/io.md "Interrupts"):
 * IoConnectInterrupt, IoConnectInterruptEx (CONNECT_FULLY_SPECIFIED),
 * IoDisconnectInterrupt(Ex), KeSynchronizeExecution,
 * KeAcquireInterruptSpinLock / KeReleaseInterruptSpinLock.
 *
 * A line the driver uses (IOP_LINE) has an interrupt thread (a system
 * thread of the runtime). It asks ntos for the line itself
 * (NtDriverConnectInterrupt), since the caps land in the calling thread's
 * own CSpace, then loops: seL4_Wait on the line's notification; badge 1
 * (the line fired): under the line's chain lock, for each interrupt object
 * on the line, raise the virtual IRQL to its SynchronizeIrql, take its
 * spin lock, call its ISR with its ServiceContext, release, lower; the
 * line is acknowledged (seL4_IRQHandler_Ack unmasks it) before the ISRs
 * of an edge-triggered (Latched) line and after those of a level one; badge 2
 * (the last object was disconnected): give the line back and end. DPCs an
 * ISR queues (IoRequestDpc, KeInsertQueueDpc) run on the runtime's DPC
 * thread.
 *
 * Objects connected with ShareVector share a line (every ISR is called at
 * each interrupt, in connection order); an object that does not share, or
 * a line whose objects do not, makes a second connect of the line
 * STATUS_INVALID_PARAMETER. The line goes when its last object is
 * disconnected. FIXME: two first connects of one line racing in two
 * threads: the second gets ntos's DEVICE_ALREADY_ATTACHED.
 *
 * The interrupt thread is an ordinary NT thread: "raising to DIRQL"
 * masks nothing. What an ISR can rely on is the interrupt's spin lock:
 * KeSynchronizeExecution and KeAcquireInterruptSpinLock take the same
 * lock, so code under them never runs beside the ISR.
 *
 * The interrupt thread keeps the default priority on purpose: a spin lock
 * waiter yields (NtYieldExecution), which only lets threads of its own
 * priority run, so an interrupt thread raised above the driver's other
 * threads would spin for ever on an interrupt spin lock one of them holds
 * (KeSynchronizeExecution). FIXME: ISR latency is a time slice at worst.
 */
#include "../hal/halp.h"

#include <sel4/sel4.h>

#define IOP_INTERRUPT_TAG 0x746e4948 /* 'HInt' */
#define IOP_BADGE_IRQ     1
#define IOP_BADGE_STOP    2

/* A line in use, with the interrupt objects on it. */
typedef struct _IOP_LINE {
    LIST_ENTRY Links; /* IopLines */
    ULONG Vector;
    KINTERRUPT_MODE Mode;
    BOOLEAN Shared;       /* its objects share it */
    KSPIN_LOCK ChainLock; /* Objects; held while the ISRs run */
    LIST_ENTRY Objects;   /* KINTERRUPT.LineLinks, in connection order */
    KEVENT Connected;     /* the thread has its answer from ntos */
    NTSTATUS ConnectStatus;
    BOOLEAN Started;                       /* the interrupt thread exists */
    PVOID Thread;                          /* referenced: the last disconnect waits for it */
    ULONG_PTR NotificationCap, HandlerCap; /* in the interrupt thread's CSpace */
} IOP_LINE;

struct _KINTERRUPT {
    PKSERVICE_ROUTINE ServiceRoutine;
    PVOID ServiceContext;
    KSPIN_LOCK Lock; /* the object's own, when the caller gave none */
    PKSPIN_LOCK ActualLock;
    KIRQL Irql, SynchronizeIrql;
    BOOLEAN ShareVector;
    IOP_LINE *Line;
    LIST_ENTRY LineLinks;
};

static LIST_ENTRY IopLines = {&IopLines, &IopLines};
static KSPIN_LOCK IopLinesLock;

NTKRNL_EXPORT KIRQL NTAPI KeAcquireInterruptSpinLock(PKINTERRUPT Interrupt)
{
    KIRQL Old = KeGetCurrentIrql();

    if (Old < Interrupt->SynchronizeIrql)
        KfRaiseIrql(Interrupt->SynchronizeIrql);
    KeAcquireSpinLockAtDpcLevel(Interrupt->ActualLock);
    return Old;
}

NTKRNL_EXPORT VOID NTAPI KeReleaseInterruptSpinLock(PKINTERRUPT Interrupt, KIRQL OldIrql)
{
    KeReleaseSpinLockFromDpcLevel(Interrupt->ActualLock);
    KeLowerIrql(OldIrql);
}

NTKRNL_EXPORT BOOLEAN NTAPI KeSynchronizeExecution(PKINTERRUPT Interrupt,
                                                   PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
                                                   PVOID SynchronizeContext)
{
    KIRQL Old = KeAcquireInterruptSpinLock(Interrupt);
    BOOLEAN Result = SynchronizeRoutine(SynchronizeContext);

    KeReleaseInterruptSpinLock(Interrupt, Old);
    return Result;
}

/* ---- the interrupt thread ------------------------------------------------------------------ */

static VOID IopCallServiceRoutines(IOP_LINE *Line)
{
    KIRQL ChainIrql;

    KeAcquireSpinLock(&Line->ChainLock, &ChainIrql);
    for (PLIST_ENTRY Entry = Line->Objects.Flink; Entry != &Line->Objects; Entry = Entry->Flink) {
        PKINTERRUPT Interrupt = CONTAINING_RECORD(Entry, struct _KINTERRUPT, LineLinks);
        KIRQL Old = KeAcquireInterruptSpinLock(Interrupt);
        Interrupt->ServiceRoutine(Interrupt, Interrupt->ServiceContext);
        KeReleaseInterruptSpinLock(Interrupt, Old);
    }
    KeReleaseSpinLock(&Line->ChainLock, ChainIrql);
}

static VOID NTAPI IopInterruptThread(PVOID Context)
{
    IOP_LINE *Line = Context;
    BOOLEAN Level = Line->Mode == LevelSensitive;
    /* ISA lines are edge-triggered and active high; level-triggered ones
     * (PCI) are active low. */
    NTSTATUS Status = NtDriverConnectInterrupt(Line->Vector, Level, Level, &Line->NotificationCap,
                                               &Line->HandlerCap);

    Line->ConnectStatus = Status;
    KeSetEvent(&Line->Connected, IO_NO_INCREMENT, FALSE);
    while (NT_SUCCESS(Status)) {
        seL4_Word Badge = 0;
        seL4_Wait((seL4_CPtr)Line->NotificationCap, &Badge);
        if (Badge & IOP_BADGE_IRQ) {
            /* seL4 masks the pin until the Ack. A masked IOAPIC pin drops
             * edges, so an edge line is unmasked before the ISRs run (an
             * edge meanwhile only runs them again); a level line after,
             * or it would fire again at once. */
            if (Line->Mode == Latched)
                seL4_IRQHandler_Ack((seL4_CPtr)Line->HandlerCap);
            IopCallServiceRoutines(Line);
            if (Line->Mode != Latched)
                seL4_IRQHandler_Ack((seL4_CPtr)Line->HandlerCap);
        }
        if (Badge & IOP_BADGE_STOP) {
            NtDriverDisconnectInterrupt(Line->Vector); /* the holder: at once */
            break;
        }
    }
    PsTerminateSystemThread(Status);
}

static VOID IopFreeLine(IOP_LINE *Line)
{
    if (Line->Thread != NULL) {
        KeWaitForSingleObject(Line->Thread, Executive, KernelMode, FALSE, NULL);
        ObDereferenceObject(Line->Thread);
    } else if (Line->Started && NT_SUCCESS(Line->ConnectStatus)) {
        return; /* FIXME: a connected thread we cannot wait for holds it: kept */
    }
    ExFreePoolWithTag(Line, IOP_INTERRUPT_TAG);
}

/* A new line for Interrupt: its thread, and the answer from ntos. */
static NTSTATUS IopConnectLine(ULONG Vector, KINTERRUPT_MODE Mode, IOP_LINE **LineOut)
{
    IOP_LINE *Line = ExAllocatePoolWithTag(NonPagedPool, sizeof(*Line), IOP_INTERRUPT_TAG);
    HANDLE Handle;
    NTSTATUS Status;

    if (Line == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(Line, sizeof(*Line));
    Line->Vector = Vector;
    Line->Mode = Mode;
    InitializeListHead(&Line->Objects);
    KeInitializeSpinLock(&Line->ChainLock);
    KeInitializeEvent(&Line->Connected, NotificationEvent, FALSE);
    Status = PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, IopInterruptThread,
                                  Line);
    if (NT_SUCCESS(Status)) {
        Line->Started = TRUE;
        Status = ObReferenceObjectByHandle(Handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                           &Line->Thread, NULL);
        ZwClose(Handle);
        /* The thread runs with the line whatever happens: wait for its answer. */
        KeWaitForSingleObject(&Line->Connected, Executive, KernelMode, FALSE, NULL);
        if (NT_SUCCESS(Status))
            Status = Line->ConnectStatus;
    }
    if (!NT_SUCCESS(Status)) {
        IopFreeLine(Line); /* the thread ends after a failed answer */
        return Status;
    }
    *LineOut = Line;
    return STATUS_SUCCESS;
}

static IOP_LINE *IopFindLine(ULONG Vector)
{
    for (PLIST_ENTRY Entry = IopLines.Flink; Entry != &IopLines; Entry = Entry->Flink) {
        IOP_LINE *Line = CONTAINING_RECORD(Entry, IOP_LINE, Links);
        if (Line->Vector == Vector)
            return Line;
    }
    return NULL;
}

/* Put Interrupt on its line: an existing one it may share, or a new one. */
static NTSTATUS IopAttachToLine(PKINTERRUPT Interrupt, ULONG Vector, KINTERRUPT_MODE Mode)
{
    IOP_LINE *Line;
    KIRQL Irql, ChainIrql;
    NTSTATUS Status = STATUS_SUCCESS;

    KeAcquireSpinLock(&IopLinesLock, &Irql);
    Line = IopFindLine(Vector);
    if (Line != NULL) {
        if (Line->Shared && Interrupt->ShareVector) {
            KeAcquireSpinLock(&Line->ChainLock, &ChainIrql);
            InsertTailList(&Line->Objects, &Interrupt->LineLinks);
            KeReleaseSpinLock(&Line->ChainLock, ChainIrql);
            Interrupt->Line = Line;
        } else {
            Status = STATUS_INVALID_PARAMETER; /* taken, and not to share */
        }
    }
    KeReleaseSpinLock(&IopLinesLock, Irql);
    if (Line != NULL)
        return Status;
    Status = IopConnectLine(Vector, Mode, &Line);
    if (!NT_SUCCESS(Status))
        return Status;
    Line->Shared = Interrupt->ShareVector;
    InsertTailList(&Line->Objects, &Interrupt->LineLinks); /* nobody sees it yet */
    Interrupt->Line = Line;
    KeAcquireSpinLock(&IopLinesLock, &Irql);
    InsertTailList(&IopLines, &Line->Links);
    KeReleaseSpinLock(&IopLinesLock, Irql);
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI IoConnectInterrupt(PKINTERRUPT *InterruptObject,
                                                PKSERVICE_ROUTINE ServiceRoutine,
                                                PVOID ServiceContext, PKSPIN_LOCK SpinLock,
                                                ULONG Vector, KIRQL Irql, KIRQL SynchronizeIrql,
                                                KINTERRUPT_MODE InterruptMode, BOOLEAN ShareVector,
                                                KAFFINITY ProcessorEnableMask, BOOLEAN FloatingSave)
{
    PKINTERRUPT Interrupt;
    NTSTATUS Status;

    if (InterruptObject == NULL || ServiceRoutine == NULL || Vector == 0 ||
        Vector > HALP_MAX_LINE || SynchronizeIrql < Irql || !(ProcessorEnableMask & 1))
        return STATUS_INVALID_PARAMETER;
    Interrupt = ExAllocatePoolWithTag(NonPagedPool, sizeof(*Interrupt), IOP_INTERRUPT_TAG);
    if (Interrupt == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(Interrupt, sizeof(*Interrupt));
    Interrupt->ServiceRoutine = ServiceRoutine;
    Interrupt->ServiceContext = ServiceContext;
    KeInitializeSpinLock(&Interrupt->Lock);
    Interrupt->ActualLock = SpinLock ? SpinLock : &Interrupt->Lock;
    Interrupt->Irql = Irql;
    Interrupt->SynchronizeIrql = SynchronizeIrql;
    Interrupt->ShareVector = ShareVector;
    Status = IopAttachToLine(Interrupt, Vector, InterruptMode);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Interrupt, IOP_INTERRUPT_TAG);
        return Status;
    }
    *InterruptObject = Interrupt;
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT VOID NTAPI IoDisconnectInterrupt(PKINTERRUPT InterruptObject)
{
    IOP_LINE *Line = InterruptObject->Line;
    KIRQL Irql, ChainIrql;
    BOOLEAN Last;
    NTSTATUS Status;

    KeAcquireSpinLock(&IopLinesLock, &Irql);
    KeAcquireSpinLock(&Line->ChainLock, &ChainIrql); /* no ISR of it runs after this */
    RemoveEntryList(&InterruptObject->LineLinks);
    Last = IsListEmpty(&Line->Objects);
    if (Last)
        RemoveEntryList(&Line->Links);
    KeReleaseSpinLock(&Line->ChainLock, ChainIrql);
    KeReleaseSpinLock(&IopLinesLock, Irql);
    ExFreePoolWithTag(InterruptObject, IOP_INTERRUPT_TAG);
    if (!Last)
        return;
    /* From any thread but the interrupt thread: ntos wakes it with the
     * stop badge (STATUS_PENDING here), and it gives the line back. */
    Status = NtDriverDisconnectInterrupt(Line->Vector);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("ntoskrnl: IoDisconnectInterrupt of line %lu: 0x%08lx\n", Line->Vector, Status);
        return; /* FIXME: the line and its thread stay */
    }
    IopFreeLine(Line);
}

NTKRNL_EXPORT NTSTATUS NTAPI IoConnectInterruptEx(PIO_CONNECT_INTERRUPT_PARAMETERS Parameters)
{
    PIO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS Full;

    if (Parameters == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Parameters->Version != CONNECT_FULLY_SPECIFIED)
        return STATUS_NOT_IMPLEMENTED; /* FIXME: line- and message-based need PnP resources */
    Full = &Parameters->FullySpecified;
    return IoConnectInterrupt(Full->InterruptObject, Full->ServiceRoutine, Full->ServiceContext,
                              Full->SpinLock, Full->Vector, Full->Irql, Full->SynchronizeIrql,
                              Full->InterruptMode, Full->ShareVector, Full->ProcessorEnableMask,
                              Full->FloatingSave);
}

NTKRNL_EXPORT VOID NTAPI IoDisconnectInterruptEx(PIO_DISCONNECT_INTERRUPT_PARAMETERS Parameters)
{
    if (Parameters != NULL && Parameters->Version == CONNECT_FULLY_SPECIFIED)
        IoDisconnectInterrupt(Parameters->ConnectionContext.InterruptObject);
}
