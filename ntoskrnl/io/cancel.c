/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/cancel.c: IRP cancellation. IoCancelIrp sets Irp->Cancel and calls
 * the cancel routine the driver set (IoSetCancelRoutine, an interlocked
 * exchange in the ddk) with the cancel spin lock held, which the routine
 * releases. Driver code runs on the IRP thread, the interrupt thread
 * (ISRs) and work-item threads of the one process; the spin lock is a
 * raise to DISPATCH_LEVEL plus an interlocked flag, as on a uniprocessor.
 */

#include "iop.h"

static volatile LONG IopCancelLock;

/* The virtual IRQL is a TEB byte (include/nt/iohost.h) that ntos's
 * emulation of `mov cr8` reads and writes too; touching it directly spares
 * the trap. */
KIRQL IopRaiseIrqlToDispatch(VOID)
{
    KIRQL Old = (KIRQL)((PUCHAR)KrnlCurrentTeb())[IO_HOST_TEB_IRQL];

    if (Old < DISPATCH_LEVEL)
        KrnlWriteTebByte(IO_HOST_TEB_IRQL, DISPATCH_LEVEL);
    return Old;
}

VOID IopLowerIrql(KIRQL Irql)
{
    KrnlWriteTebByte(IO_HOST_TEB_IRQL, Irql);
}

NTKRNL_EXPORT VOID NTAPI IoAcquireCancelSpinLock(PKIRQL Irql)
{
    *Irql = IopRaiseIrqlToDispatch();
    while (InterlockedExchange(&IopCancelLock, 1) != 0)
        YieldProcessor();
}

NTKRNL_EXPORT VOID NTAPI IoReleaseCancelSpinLock(KIRQL Irql)
{
    InterlockedExchange(&IopCancelLock, 0);
    IopLowerIrql(Irql);
}

NTKRNL_EXPORT BOOLEAN NTAPI IoCancelIrp(PIRP Irp)
{
    PDRIVER_CANCEL Routine;
    KIRQL Irql;

    IoAcquireCancelSpinLock(&Irql);
    Irp->Cancel = TRUE;
    Routine = IoSetCancelRoutine(Irp, NULL);
    if (Routine == NULL) {
        IoReleaseCancelSpinLock(Irql);
        return FALSE;
    }
    Irp->CancelIrql = Irql;
    Routine(IoGetCurrentIrpStackLocation(Irp)->DeviceObject, Irp);
    return TRUE;
}
