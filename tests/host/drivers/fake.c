/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ddk doubles of fake/ntddk.h for the drivers' host tests: spin locks
 * that check their pairing, completion that refuses to run under a lock,
 * DPCs and timers the test runs and expires itself, pool on malloc, and
 * port I/O handed to the simulated device of the running test file.
 */
#include <stdlib.h>

#include "drvtest.h"
#include <ntddk.h>

static ULONG LocksHeld;
static BOOLEAN CancelLockHeld;
static FAKE_PORT_READ *PortRead;
static FAKE_PORT_WRITE *PortWrite;

VOID FakeReset(FAKE_PORT_READ *Read, FAKE_PORT_WRITE *Write)
{
    LocksHeld = 0;
    CancelLockHeld = FALSE;
    PortRead = Read;
    PortWrite = Write;
}

BOOLEAN FakeCancelLockHeld(VOID)
{
    return CancelLockHeld;
}

UCHAR READ_PORT_UCHAR(PUCHAR Port)
{
    return PortRead((ULONG)(ULONG_PTR)Port);
}

VOID WRITE_PORT_UCHAR(PUCHAR Port, UCHAR Value)
{
    PortWrite((ULONG)(ULONG_PTR)Port, Value);
}

VOID WRITE_PORT_BUFFER_UCHAR(PUCHAR Port, PUCHAR Buffer, ULONG Count)
{
    for (ULONG i = 0; i < Count; i++)
        PortWrite((ULONG)(ULONG_PTR)Port, Buffer[i]);
}

VOID KeInitializeSpinLock(PKSPIN_LOCK Lock)
{
    *Lock = 0;
}

VOID KeAcquireSpinLock(PKSPIN_LOCK Lock, PKIRQL OldIrql)
{
    if (*Lock)
        abort(); /* a second acquisition would deadlock */
    *Lock = 1;
    *OldIrql = 0;
    LocksHeld++;
}

VOID KeReleaseSpinLock(PKSPIN_LOCK Lock, KIRQL OldIrql)
{
    if (!*Lock)
        abort();
    *Lock = 0;
    LocksHeld--;
}

VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK Lock)
{
    KIRQL Ignored;
    KeAcquireSpinLock(Lock, &Ignored);
}

VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK Lock)
{
    KeReleaseSpinLock(Lock, 0);
}

VOID IoCompleteRequest(PIRP Irp, int Boost)
{
    if (LocksHeld)
        abort(); /* completion under a spin lock */
    Irp->Completions++;
}

VOID IoReleaseCancelSpinLock(KIRQL Irql)
{
    if (!CancelLockHeld)
        abort();
    CancelLockHeld = FALSE;
}

VOID FakeCancel(PDEVICE_OBJECT Device, PIRP Irp)
{
    Irp->Cancel = TRUE;
    PDRIVER_CANCEL Routine = IoSetCancelRoutine(Irp, NULL);
    if (Routine) {
        CancelLockHeld = TRUE;
        Routine(Device, Irp);
    }
}

VOID KeInitializeDpc(PKDPC Dpc, KDEFERRED_ROUTINE *Routine, PVOID Context)
{
    Dpc->Queued = 0;
    Dpc->Routine = Routine;
    Dpc->Context = Context;
}

BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID Argument1, PVOID Argument2)
{
    Dpc->Queued++;
    return TRUE;
}

VOID FakeRunDpc(PKDPC Dpc)
{
    Dpc->Queued = 0;
    Dpc->Routine(Dpc, Dpc->Context, NULL, NULL);
}

BOOLEAN KeSynchronizeExecution(PKINTERRUPT Interrupt, PKSYNCHRONIZE_ROUTINE Routine, PVOID Context)
{
    return Routine(Context);
}

VOID KeStallExecutionProcessor(ULONG Microseconds)
{
}

NTSTATUS KeDelayExecutionThread(MODE Mode, BOOLEAN Alertable, PLARGE_INTEGER Interval)
{
    return STATUS_SUCCESS;
}

VOID KeInitializeTimer(PKTIMER Timer)
{
    memset(Timer, 0, sizeof(*Timer));
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    BOOLEAN Was = Timer->Armed;
    Timer->Armed = TRUE;
    Timer->Signalled = FALSE;
    Timer->Due = DueTime.QuadPart;
    Timer->Dpc = Dpc;
    return Was;
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    BOOLEAN Was = Timer->Armed;
    Timer->Armed = FALSE;
    return Was;
}

BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
    return Timer->Signalled;
}

/* The timer's due time passes: signalled, and its DPC queued (not run). */
VOID FakeExpire(PKTIMER Timer)
{
    if (!Timer->Armed)
        return;
    Timer->Armed = FALSE;
    Timer->Signalled = TRUE;
    if (Timer->Dpc)
        KeInsertQueueDpc(Timer->Dpc, NULL, NULL);
}

PVOID ExAllocatePoolWithTag(POOL_TYPE Type, SIZE_T Bytes, ULONG Tag)
{
    return malloc(Bytes);
}

VOID ExFreePoolWithTag(PVOID Block, ULONG Tag)
{
    free(Block);
}
