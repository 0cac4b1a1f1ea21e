/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt objects of a driver process (docs/io.md "Interrupts"):
 * IoConnectInterrupt, IoConnectInterruptEx (CONNECT_FULLY_SPECIFIED),
 * IoDisconnectInterrupt(Ex), KeSynchronizeExecution,
 * KeAcquireInterruptSpinLock / KeReleaseInterruptSpinLock.
 *
 * Each connected line has an interrupt thread (a system thread of the
 * runtime). It asks ntos for the line itself (NtDriverConnectInterrupt),
 * since the caps land in the calling thread's own CSpace, then loops:
 * seL4_Wait on the line's notification; badge 1 (the line fired): raise
 * the virtual IRQL to the object's SynchronizeIrql, take its spin lock,
 * call the ISR with its ServiceContext, release, lower, and acknowledge
 * the line (seL4_IRQHandler_Ack), which unmasks it; badge 2 (another
 * thread disconnects): give the line back and end. DPCs the ISR queues
 * (IoRequestDpc, KeInsertQueueDpc) run on the runtime's DPC thread.
 *
 * The interrupt thread is an ordinary NT thread: "raising to DIRQL"
 * masks nothing. What an ISR can rely on is the interrupt's spin lock:
 * KeSynchronizeExecution and KeAcquireInterruptSpinLock take the same
 * lock, so code under them never runs beside the ISR.
 *
 * FIXME: no sharing of a line between two interrupt objects (ShareVector
 * is accepted, but a second object on a line ntos gave already fails with
 * STATUS_DEVICE_ALREADY_ATTACHED); the interrupt thread runs at the
 * default priority.
 */
#include "../hal/halp.h"

#include <sel4/sel4.h>

#define IOP_INTERRUPT_TAG  0x746e4948 /* 'HInt' */
#define IOP_BADGE_IRQ      1
#define IOP_BADGE_STOP     2

struct _KINTERRUPT {
    PKSERVICE_ROUTINE ServiceRoutine;
    PVOID ServiceContext;
    KSPIN_LOCK Lock; /* the object's own, when the caller gave none */
    PKSPIN_LOCK ActualLock;
    ULONG Vector;
    KIRQL Irql, SynchronizeIrql;
    KINTERRUPT_MODE Mode;
    KEVENT Connected;       /* the thread has its answer from ntos */
    NTSTATUS ConnectStatus;
    PVOID Thread;           /* referenced: IoDisconnectInterrupt waits for it */
    ULONG_PTR NotificationCap, HandlerCap; /* in the interrupt thread's CSpace */
    volatile LONG Taken;    /* interrupts served */
};

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

static VOID IopServeInterrupts(PKINTERRUPT Interrupt)
{
    for (;;) {
        seL4_Word Badge = 0;
        seL4_Wait((seL4_CPtr)Interrupt->NotificationCap, &Badge);
        if (Badge & IOP_BADGE_IRQ) {
            KIRQL Old = KeAcquireInterruptSpinLock(Interrupt);
            Interrupt->ServiceRoutine(Interrupt, Interrupt->ServiceContext);
            KeReleaseInterruptSpinLock(Interrupt, Old);
            InterlockedIncrement(&Interrupt->Taken);
            seL4_IRQHandler_Ack((seL4_CPtr)Interrupt->HandlerCap);
        }
        if (Badge & IOP_BADGE_STOP)
            return;
    }
}

static VOID NTAPI IopInterruptThread(PVOID Context)
{
    PKINTERRUPT Interrupt = Context;
    BOOLEAN Level = Interrupt->Mode == LevelSensitive;
    /* ISA lines are edge-triggered and active high; level-triggered ones
     * (PCI) are active low. */
    NTSTATUS Status = NtDriverConnectInterrupt(Interrupt->Vector, Level, Level,
                                               &Interrupt->NotificationCap,
                                               &Interrupt->HandlerCap);

    Interrupt->ConnectStatus = Status;
    KeSetEvent(&Interrupt->Connected, IO_NO_INCREMENT, FALSE);
    if (NT_SUCCESS(Status)) {
        IopServeInterrupts(Interrupt);
        NtDriverDisconnectInterrupt(Interrupt->Vector); /* the holder: at once */
    }
    PsTerminateSystemThread(Status);
}

static VOID IopWaitForInterruptThread(PKINTERRUPT Interrupt)
{
    KeWaitForSingleObject(Interrupt->Thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(Interrupt->Thread);
    ExFreePoolWithTag(Interrupt, IOP_INTERRUPT_TAG);
}

/* The interrupt thread, and its answer from ntos. */
static NTSTATUS IopStartInterruptThread(PKINTERRUPT Interrupt)
{
    HANDLE Handle;
    NTSTATUS Status;

    KeInitializeEvent(&Interrupt->Connected, NotificationEvent, FALSE);
    Status = PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                  IopInterruptThread, Interrupt);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(Handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                       &Interrupt->Thread, NULL);
    ZwClose(Handle);
    if (!NT_SUCCESS(Status))
        return Status; /* FIXME: the thread still connects and waits */
    KeWaitForSingleObject(&Interrupt->Connected, Executive, KernelMode, FALSE, NULL);
    return Interrupt->ConnectStatus;
}

NTKRNL_EXPORT NTSTATUS NTAPI IoConnectInterrupt(PKINTERRUPT *InterruptObject,
                                                PKSERVICE_ROUTINE ServiceRoutine,
                                                PVOID ServiceContext, PKSPIN_LOCK SpinLock,
                                                ULONG Vector, KIRQL Irql, KIRQL SynchronizeIrql,
                                                KINTERRUPT_MODE InterruptMode,
                                                BOOLEAN ShareVector, KAFFINITY ProcessorEnableMask,
                                                BOOLEAN FloatingSave)
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
    Interrupt->Vector = Vector;
    Interrupt->Irql = Irql;
    Interrupt->SynchronizeIrql = SynchronizeIrql;
    Interrupt->Mode = InterruptMode;
    Status = IopStartInterruptThread(Interrupt);
    if (!NT_SUCCESS(Status)) {
        if (Interrupt->Thread != NULL)
            IopWaitForInterruptThread(Interrupt); /* it ended after its answer */
        else
            ExFreePoolWithTag(Interrupt, IOP_INTERRUPT_TAG);
        return Status;
    }
    *InterruptObject = Interrupt;
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT VOID NTAPI IoDisconnectInterrupt(PKINTERRUPT InterruptObject)
{
    /* From any thread but the interrupt thread: ntos wakes it with the
     * stop badge (STATUS_PENDING here), and it gives the line back. */
    NTSTATUS Status = NtDriverDisconnectInterrupt(InterruptObject->Vector);

    if (!NT_SUCCESS(Status)) {
        DbgPrint("ntoskrnl: IoDisconnectInterrupt of line %lu: 0x%08lx\n",
                 InterruptObject->Vector, Status);
        return; /* FIXME: the object stays */
    }
    IopWaitForInterruptThread(InterruptObject);
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

/* How many interrupts an object has served (the runtime's self-tests). */
LONG IopInterruptCount(PKINTERRUPT Interrupt)
{
    return Interrupt->Taken;
}
