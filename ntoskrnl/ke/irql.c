/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual IRQL: a byte per thread in the TEB (IO_HOST_TEB_IRQL), the
 * same byte ntos's emulation of an inline `mov cr8` reads and writes. These
 * are the exported forms; the ddk's amd64 inline ones execute `mov cr8`
 * and reach the same byte through the emulation. Raising the IRQL masks
 * nothing (the driver's threads are NT threads): it tells the library what
 * the caller may do (a DPC runs at DISPATCH_LEVEL, spin locks raise to it).
 */
#define KI_IRQL_EXPORTS
#include "ntoskrnl.h"

#define KI_SYNCH_LEVEL 12 /* amd64: IPI_LEVEL - 2 */

NTKRNL_EXPORT KIRQL NTAPI KeGetCurrentIrql(VOID)
{
    return KiReadIrql();
}

NTKRNL_EXPORT KIRQL FASTCALL KfRaiseIrql(KIRQL NewIrql)
{
    KIRQL Old = KiReadIrql();

    if (NewIrql < Old)
        DbgPrint("ntoskrnl: KfRaiseIrql to %u below the current IRQL %u\n", NewIrql, Old);
    KiWriteIrql(NewIrql);
    return Old;
}

NTKRNL_EXPORT VOID NTAPI KeLowerIrql(KIRQL NewIrql)
{
    KIRQL Old = KiReadIrql();

    if (NewIrql > Old)
        DbgPrint("ntoskrnl: KeLowerIrql to %u above the current IRQL %u\n", NewIrql, Old);
    KiWriteIrql(NewIrql);
}

/* The x86 name of KeLowerIrql; some import tables still carry it. */
NTKRNL_EXPORT VOID FASTCALL KfLowerIrql(KIRQL NewIrql)
{
    KeLowerIrql(NewIrql);
}

NTKRNL_EXPORT KIRQL NTAPI KeRaiseIrqlToDpcLevel(VOID)
{
    return KfRaiseIrql(DISPATCH_LEVEL);
}

NTKRNL_EXPORT KIRQL NTAPI KeRaiseIrqlToSynchLevel(VOID)
{
    return KfRaiseIrql(KI_SYNCH_LEVEL);
}
