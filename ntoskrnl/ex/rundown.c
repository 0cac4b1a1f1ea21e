/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run-down protection (EX_RUNDOWN_REF): Count holds the number of
 * holders times 2, and bit 0 once ExWaitForRundownProtectionRelease has
 * begun, after which no new acquisition succeeds. The waiter polls every
 * millisecond until the holders are gone (FIXME: a wait block as Windows
 * keeps in Ptr would wake it at the last release).
 */
#include "ntoskrnl.h"

#define EXP_RUNDOWN_ACTIVE 1
#define EXP_RUNDOWN_UNIT   2

NTKRNL_EXPORT VOID FASTCALL ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count = 0;
}

NTKRNL_EXPORT VOID FASTCALL ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    InterlockedExchange64((LONG64 volatile *)&RunRef->Count, 0);
}

NTKRNL_EXPORT BOOLEAN FASTCALL ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    ULONG_PTR Old = RunRef->Count;

    for (;;) {
        ULONG_PTR Seen;

        if (Old & EXP_RUNDOWN_ACTIVE)
            return FALSE;
        Seen = (ULONG_PTR)InterlockedCompareExchange64((LONG64 volatile *)&RunRef->Count,
                                                       (LONG64)(Old + Count * EXP_RUNDOWN_UNIT),
                                                       (LONG64)Old);
        if (Seen == Old)
            return TRUE;
        Old = Seen;
    }
}

NTKRNL_EXPORT BOOLEAN FASTCALL ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    return ExAcquireRundownProtectionEx(RunRef, 1);
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    InterlockedExchangeAdd64((LONG64 volatile *)&RunRef->Count, -(LONG64)Count * EXP_RUNDOWN_UNIT);
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    ExReleaseRundownProtectionEx(RunRef, 1);
}

NTKRNL_EXPORT VOID FASTCALL ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    LARGE_INTEGER Interval = {.QuadPart = -10000}; /* 1 ms */

    InterlockedOr64((LONG64 volatile *)&RunRef->Count, EXP_RUNDOWN_ACTIVE);
    while (RunRef->Count != EXP_RUNDOWN_ACTIVE)
        KeDelayExecutionThread(KernelMode, FALSE, &Interval);
}

/* Run-down is over: acquisitions keep failing until it is re-initialised. */
NTKRNL_EXPORT VOID FASTCALL ExRundownCompleted(PEX_RUNDOWN_REF RunRef)
{
    InterlockedExchange64((LONG64 volatile *)&RunRef->Count, EXP_RUNDOWN_ACTIVE);
}
