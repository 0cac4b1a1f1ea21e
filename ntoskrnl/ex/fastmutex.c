/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fast mutexes. FAST_MUTEX.Count as the ddk's inline ExInitializeFastMutex
 * leaves it: bit 0 (FM_LOCK_BIT) set means free; each waiter adds 4
 * while it sleeps on the mutex's synchronization event. A release sets the
 * lock bit and, if anyone waits, sets the event; the woken waiter retries
 * (it may lose to a newcomer and wait again). ExAcquireFastMutex raises to
 * APC_LEVEL and keeps the previous IRQL in OldIrql; the Unsafe forms leave
 * the IRQL alone. Guarded mutexes (KGUARDED_MUTEX) are the same lock with
 * a KGATE as the event, taken inside a guarded region.
 */
#include "ntoskrnl.h"

#define EXP_FM_WAITER 4

/* The lock both kinds share: FAST_MUTEX and KGUARDED_MUTEX begin with the
 * same Count, Owner and Contention, and their event (a KGATE for the
 * guarded mutex: a dispatcher header, waited on like a KEVENT) follows. */
typedef struct _EXP_MUTEX {
    volatile LONG *Count;
    PKTHREAD *Owner;
    ULONG *Contention;
    PKEVENT Event;
} EXP_MUTEX;

#define EXP_FAST(m)                                                                                \
    {                                                                                              \
        &(m)->Count, &(m)->Owner, &(m)->Contention, &(m)->Event                                    \
    }
#define EXP_GUARDED(m)                                                                             \
    {                                                                                              \
        &(m)->Count, &(m)->Owner, &(m)->Contention, (PKEVENT) & (m)->Gate                          \
    }

static BOOLEAN ExpTryAcquire(const EXP_MUTEX *M)
{
    LONG Old = *M->Count;

    while (Old & FM_LOCK_BIT) {
        LONG Seen = InterlockedCompareExchange(M->Count, Old & ~FM_LOCK_BIT, Old);
        if (Seen == Old) {
            *M->Owner = KiCurrentThread();
            return TRUE;
        }
        Old = Seen;
    }
    return FALSE;
}

static VOID ExpAcquire(const EXP_MUTEX *M)
{
    while (!ExpTryAcquire(M)) {
        LONG Old = *M->Count;

        if (Old & FM_LOCK_BIT)
            continue;
        if (InterlockedCompareExchange(M->Count, Old + EXP_FM_WAITER, Old) != Old)
            continue;
        (*M->Contention)++;
        KeWaitForSingleObject(M->Event, Executive, KernelMode, FALSE, NULL);
        InterlockedExchangeAdd(M->Count, -EXP_FM_WAITER);
    }
}

static VOID ExpRelease(const EXP_MUTEX *M)
{
    LONG Old;

    *M->Owner = NULL;
    Old = InterlockedExchangeAdd(M->Count, FM_LOCK_BIT);
    if (Old >= EXP_FM_WAITER)
        KeSetEvent(M->Event, 0, FALSE);
}

NTKRNL_EXPORT VOID FASTCALL ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    EXP_MUTEX M = EXP_FAST(FastMutex);
    KIRQL Old = KfRaiseIrql(APC_LEVEL);

    ExpAcquire(&M);
    FastMutex->OldIrql = Old;
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
    EXP_MUTEX M = EXP_FAST(FastMutex);
    KIRQL Old = (KIRQL)FastMutex->OldIrql;

    ExpRelease(&M);
    KeLowerIrql(Old);
}

NTKRNL_EXPORT BOOLEAN FASTCALL ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    EXP_MUTEX M = EXP_FAST(FastMutex);
    KIRQL Old = KfRaiseIrql(APC_LEVEL);

    if (!ExpTryAcquire(&M)) {
        KeLowerIrql(Old);
        return FALSE;
    }
    FastMutex->OldIrql = Old;
    return TRUE;
}

NTKRNL_EXPORT VOID FASTCALL ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    EXP_MUTEX M = EXP_FAST(FastMutex);

    ExpAcquire(&M);
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    EXP_MUTEX M = EXP_FAST(FastMutex);

    ExpRelease(&M);
}

NTKRNL_EXPORT VOID FASTCALL ExEnterCriticalRegionAndAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    KeEnterCriticalRegion();
    ExAcquireFastMutexUnsafe(FastMutex);
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseFastMutexUnsafeAndLeaveCriticalRegion(PFAST_MUTEX FastMutex)
{
    ExReleaseFastMutexUnsafe(FastMutex);
    KeLeaveCriticalRegion();
}

/* ---- guarded mutexes: the same lock in a guarded region (no APCs exist to hold off) ---- */

NTKRNL_EXPORT VOID FASTCALL KeInitializeGuardedMutex(PKGUARDED_MUTEX GuardedMutex)
{
    GuardedMutex->Count = FM_LOCK_BIT;
    GuardedMutex->Owner = NULL;
    GuardedMutex->Contention = 0;
    KeInitializeEvent((PKEVENT)&GuardedMutex->Gate, SynchronizationEvent, FALSE);
    GuardedMutex->CombinedApcDisable = 0;
}

NTKRNL_EXPORT VOID FASTCALL KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX GuardedMutex)
{
    EXP_MUTEX M = EXP_GUARDED(GuardedMutex);

    ExpAcquire(&M);
}

NTKRNL_EXPORT VOID FASTCALL KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX GuardedMutex)
{
    EXP_MUTEX M = EXP_GUARDED(GuardedMutex);

    ExpRelease(&M);
}

NTKRNL_EXPORT VOID FASTCALL KeAcquireGuardedMutex(PKGUARDED_MUTEX GuardedMutex)
{
    KeEnterGuardedRegion();
    KeAcquireGuardedMutexUnsafe(GuardedMutex);
}

NTKRNL_EXPORT VOID FASTCALL KeReleaseGuardedMutex(PKGUARDED_MUTEX GuardedMutex)
{
    KeReleaseGuardedMutexUnsafe(GuardedMutex);
    KeLeaveGuardedRegion();
}

NTKRNL_EXPORT BOOLEAN FASTCALL KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX GuardedMutex)
{
    EXP_MUTEX M = EXP_GUARDED(GuardedMutex);

    KeEnterGuardedRegion();
    if (ExpTryAcquire(&M))
        return TRUE;
    KeLeaveGuardedRegion();
    return FALSE;
}
