/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fast mutexes. FAST_MUTEX.Count as the ddk's inline ExInitializeFastMutex
 * leaves it: bit 0 (FM_LOCK_BIT) set means free; each waiter adds 4
 * while it sleeps on the mutex's synchronization event. A release sets the
 * lock bit and, if anyone waits, sets the event; the woken waiter retries
 * (it may lose to a newcomer and wait again). ExAcquireFastMutex raises to
 * APC_LEVEL and keeps the previous IRQL in OldIrql; the Unsafe forms leave
 * the IRQL alone.
 */
#include "krnlrt.h"

#define EXP_FM_WAITER 4

static BOOLEAN ExpTryAcquire(PFAST_MUTEX FastMutex)
{
    LONG Old = FastMutex->Count;

    while (Old & FM_LOCK_BIT) {
        LONG Seen = InterlockedCompareExchange(&FastMutex->Count, Old & ~FM_LOCK_BIT, Old);
        if (Seen == Old) {
            FastMutex->Owner = KiCurrentThread();
            return TRUE;
        }
        Old = Seen;
    }
    return FALSE;
}

static VOID ExpAcquire(PFAST_MUTEX FastMutex)
{
    while (!ExpTryAcquire(FastMutex)) {
        LONG Old = FastMutex->Count;

        if (Old & FM_LOCK_BIT)
            continue;
        if (InterlockedCompareExchange(&FastMutex->Count, Old + EXP_FM_WAITER, Old) != Old)
            continue;
        FastMutex->Contention++;
        KeWaitForSingleObject(&FastMutex->Event, Executive, KernelMode, FALSE, NULL);
        InterlockedExchangeAdd(&FastMutex->Count, -EXP_FM_WAITER);
    }
}

static VOID ExpRelease(PFAST_MUTEX FastMutex)
{
    LONG Old;

    FastMutex->Owner = NULL;
    Old = InterlockedExchangeAdd(&FastMutex->Count, FM_LOCK_BIT);
    if (Old >= EXP_FM_WAITER)
        KeSetEvent(&FastMutex->Event, 0, FALSE);
}

NTKRNL_EXPORT VOID FASTCALL ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    KIRQL Old = KfRaiseIrql(APC_LEVEL);

    ExpAcquire(FastMutex);
    FastMutex->OldIrql = Old;
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
    KIRQL Old = (KIRQL)FastMutex->OldIrql;

    ExpRelease(FastMutex);
    KeLowerIrql(Old);
}

NTKRNL_EXPORT BOOLEAN FASTCALL ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    KIRQL Old = KfRaiseIrql(APC_LEVEL);

    if (!ExpTryAcquire(FastMutex)) {
        KeLowerIrql(Old);
        return FALSE;
    }
    FastMutex->OldIrql = Old;
    return TRUE;
}

NTKRNL_EXPORT VOID FASTCALL ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    ExpAcquire(FastMutex);
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    ExpRelease(FastMutex);
}

NTKRNL_EXPORT VOID FASTCALL ExEnterCriticalRegionAndAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    KeEnterCriticalRegion();
    ExpAcquire(FastMutex);
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseFastMutexUnsafeAndLeaveCriticalRegion(PFAST_MUTEX FastMutex)
{
    ExpRelease(FastMutex);
    KeLeaveCriticalRegion();
}
