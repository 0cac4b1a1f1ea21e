/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Spin locks. A KSPIN_LOCK holds 0 when free and the owner's TEB address
 * when held; acquisition is an interlocked compare-exchange, retried with
 * a pause and, after a few rounds, NtYieldExecution: the holder is another
 * NT thread of the process that may need the processor to get on (a user
 * process cannot really disable preemption). Acquiring raises the virtual
 * IRQL to DISPATCH_LEVEL (or SYNCH_LEVEL) as NT does; the AtDpcLevel forms
 * leave it. Taking a lock the caller already holds would deadlock: NT
 * bugchecks with SPIN_LOCK_ALREADY_OWNED, and so do we.
 */
#include "ntoskrnl.h"

#define KI_SYNCH_LEVEL        12
#define KI_SPINS_BEFORE_YIELD 32

static inline ULONG_PTR KipSelf(VOID)
{
    return (ULONG_PTR)KiReadTebPointer(0x30);
}

static VOID KipAcquire(PKSPIN_LOCK Lock)
{
    ULONG_PTR Self = KipSelf();
    ULONG Spins = 0;

    while (InterlockedCompareExchange64((LONG64 volatile *)Lock, (LONG64)Self, 0) != 0) {
        if (*(ULONG_PTR volatile *)Lock == Self)
            KeBugCheckEx(SPIN_LOCK_ALREADY_OWNED, (ULONG_PTR)Lock, 0, 0, 0);
        if (++Spins < KI_SPINS_BEFORE_YIELD)
            YieldProcessor();
        else
            NtYieldExecution();
    }
}

static VOID KipRelease(PKSPIN_LOCK Lock)
{
    if (InterlockedCompareExchange64((LONG64 volatile *)Lock, 0, (LONG64)KipSelf()) !=
        (LONG64)KipSelf())
        KeBugCheckEx(SPIN_LOCK_NOT_OWNED, (ULONG_PTR)Lock, 0, 0, 0);
}

NTKRNL_EXPORT KIRQL NTAPI KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
{
    KIRQL Old = KfRaiseIrql(DISPATCH_LEVEL);

    KipAcquire(SpinLock);
    return Old;
}

NTKRNL_EXPORT KIRQL NTAPI KeAcquireSpinLockRaiseToSynch(PKSPIN_LOCK SpinLock)
{
    KIRQL Old = KfRaiseIrql(KI_SYNCH_LEVEL);

    KipAcquire(SpinLock);
    return Old;
}

NTKRNL_EXPORT VOID NTAPI KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    KipRelease(SpinLock);
    KeLowerIrql(NewIrql);
}

NTKRNL_EXPORT VOID NTAPI KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    KipAcquire(SpinLock);
}

NTKRNL_EXPORT VOID NTAPI KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    KipRelease(SpinLock);
}

/* The x86 names (FASTCALL there, the same convention on amd64). */
NTKRNL_EXPORT KIRQL FASTCALL KfAcquireSpinLock(PKSPIN_LOCK SpinLock)
{
    return KeAcquireSpinLockRaiseToDpc(SpinLock);
}

NTKRNL_EXPORT VOID FASTCALL KfReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    KeReleaseSpinLock(SpinLock, NewIrql);
}

NTKRNL_EXPORT VOID FASTCALL KefAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    KipAcquire(SpinLock);
}

NTKRNL_EXPORT VOID FASTCALL KefReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    KipRelease(SpinLock);
}

/* ForDpc: from a DPC routine (already at DISPATCH_LEVEL) or not; raise if needed. */
NTKRNL_EXPORT KIRQL NTAPI KeAcquireSpinLockForDpc(PKSPIN_LOCK SpinLock)
{
    return KeAcquireSpinLockRaiseToDpc(SpinLock);
}

NTKRNL_EXPORT VOID NTAPI KeReleaseSpinLockForDpc(PKSPIN_LOCK SpinLock, KIRQL OldIrql)
{
    KeReleaseSpinLock(SpinLock, OldIrql);
}

NTKRNL_EXPORT BOOLEAN FASTCALL KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    return InterlockedCompareExchange64((LONG64 volatile *)SpinLock, (LONG64)KipSelf(), 0) == 0;
}

/* TRUE if the lock is free now (a hint: it may be taken right after). */
NTKRNL_EXPORT BOOLEAN FASTCALL KeTestSpinLock(PKSPIN_LOCK SpinLock)
{
    return *(ULONG_PTR volatile *)SpinLock == 0;
}

/* ---- in-stack queued spin locks: the handle remembers the lock and the IRQL ---- */

NTKRNL_EXPORT VOID FASTCALL KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock,
                                                           PKLOCK_QUEUE_HANDLE LockHandle)
{
    LockHandle->LockQueue.Next = NULL;
    LockHandle->LockQueue.Lock = SpinLock;
    LockHandle->OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    KipAcquire(SpinLock);
}

NTKRNL_EXPORT VOID FASTCALL
KeAcquireInStackQueuedSpinLockRaiseToSynch(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    LockHandle->LockQueue.Next = NULL;
    LockHandle->LockQueue.Lock = SpinLock;
    LockHandle->OldIrql = KfRaiseIrql(KI_SYNCH_LEVEL);
    KipAcquire(SpinLock);
}

NTKRNL_EXPORT VOID FASTCALL KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
{
    KipRelease(LockHandle->LockQueue.Lock);
    KeLowerIrql(LockHandle->OldIrql);
}

NTKRNL_EXPORT VOID FASTCALL KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
                                                                     PKLOCK_QUEUE_HANDLE LockHandle)
{
    LockHandle->LockQueue.Next = NULL;
    LockHandle->LockQueue.Lock = SpinLock;
    LockHandle->OldIrql = KiReadIrql();
    KipAcquire(SpinLock);
}

NTKRNL_EXPORT VOID FASTCALL
KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle)
{
    KipRelease(LockHandle->LockQueue.Lock);
}

NTKRNL_EXPORT VOID FASTCALL KeAcquireInStackQueuedSpinLockForDpc(PKSPIN_LOCK SpinLock,
                                                                 PKLOCK_QUEUE_HANDLE LockHandle)
{
    KeAcquireInStackQueuedSpinLock(SpinLock, LockHandle);
}

NTKRNL_EXPORT VOID FASTCALL KeReleaseInStackQueuedSpinLockForDpc(PKLOCK_QUEUE_HANDLE LockHandle)
{
    KeReleaseInStackQueuedSpinLock(LockHandle);
}
