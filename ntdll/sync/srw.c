/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Slim reader/writer locks (RTL_SRWLOCK: one pointer). The word holds
 * bit 0: owned exclusively; bits 1-31: the number of shared owners;
 * bits 32-47: exclusive waiters; bits 48-63: shared waiters. Owners hand
 * the lock over when they release it: the last owner out gives it to one
 * exclusive waiter (writers first, so readers cannot starve them), else to
 * every shared waiter, adjusting the counts before waking, so a woken
 * thread already owns the lock. A reader waits when the lock is owned
 * exclusively or a writer is waiting. Exclusive waiters sleep on key 0 of
 * the lock, shared ones on key 1. Not recursive, as on Windows.
 * The encoding is Nereid's own: Windows' bits differ, and nothing outside
 * ntdll may read them.
 */
#include "syncp.h"

#define SRW_EXCLUSIVE    0x1ull
#define SRW_SHARED_ONE   0x2ull
#define SRW_SHARED_MASK  0xfffffffeull
#define SRW_EXWAIT_ONE   0x100000000ull
#define SRW_EXWAIT_MASK  0x0000ffff00000000ull
#define SRW_SHWAIT_ONE   0x0001000000000000ull
#define SRW_SHWAIT_SHIFT 48

static ULONG_PTR *RtlpSrwWord(PRTL_SRWLOCK Lock)
{
    return (ULONG_PTR *)&Lock->Ptr;
}

static BOOLEAN RtlpSrwSwap(PRTL_SRWLOCK Lock, ULONG_PTR *Old, ULONG_PTR New)
{
    return __atomic_compare_exchange_n(RtlpSrwWord(Lock), Old, New, TRUE, __ATOMIC_ACQ_REL,
                                       __ATOMIC_RELAXED);
}

static VOID RtlpSrwWait(PRTL_SRWLOCK Lock, ULONG Key)
{
    NTSTATUS Status;

    while (!NT_SUCCESS(Status = RtlpWaitOnKey(RtlpLockKey(Lock, Key), NULL))) {
        DbgPrint("SYNC: SRW lock %p: wait failed 0x%08x\n", Lock, Status);
        NtYieldExecution();
    }
}

VOID NTAPI RtlInitializeSRWLock(PRTL_SRWLOCK SRWLock)
{
    SRWLock->Ptr = NULL;
}

BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(PRTL_SRWLOCK SRWLock)
{
    ULONG_PTR Old = __atomic_load_n(RtlpSrwWord(SRWLock), __ATOMIC_RELAXED);

    while (!(Old & (SRW_EXCLUSIVE | SRW_SHARED_MASK))) {
        if (RtlpSrwSwap(SRWLock, &Old, Old | SRW_EXCLUSIVE))
            return TRUE;
    }
    return FALSE;
}

BOOLEAN NTAPI RtlTryAcquireSRWLockShared(PRTL_SRWLOCK SRWLock)
{
    ULONG_PTR Old = __atomic_load_n(RtlpSrwWord(SRWLock), __ATOMIC_RELAXED);

    while (!(Old & (SRW_EXCLUSIVE | SRW_EXWAIT_MASK))) {
        if (RtlpSrwSwap(SRWLock, &Old, Old + SRW_SHARED_ONE))
            return TRUE;
    }
    return FALSE;
}

VOID NTAPI RtlAcquireSRWLockExclusive(PRTL_SRWLOCK SRWLock)
{
    ULONG_PTR Old = __atomic_load_n(RtlpSrwWord(SRWLock), __ATOMIC_RELAXED);

    for (;;) {
        if (!(Old & (SRW_EXCLUSIVE | SRW_SHARED_MASK))) {
            if (RtlpSrwSwap(SRWLock, &Old, Old | SRW_EXCLUSIVE))
                return;
        } else if (RtlpSrwSwap(SRWLock, &Old, Old + SRW_EXWAIT_ONE)) {
            RtlpSrwWait(SRWLock, 0); /* woken as the owner */
            return;
        }
    }
}

VOID NTAPI RtlAcquireSRWLockShared(PRTL_SRWLOCK SRWLock)
{
    ULONG_PTR Old = __atomic_load_n(RtlpSrwWord(SRWLock), __ATOMIC_RELAXED);

    for (;;) {
        if (!(Old & (SRW_EXCLUSIVE | SRW_EXWAIT_MASK))) {
            if (RtlpSrwSwap(SRWLock, &Old, Old + SRW_SHARED_ONE))
                return;
        } else if (RtlpSrwSwap(SRWLock, &Old, Old + SRW_SHWAIT_ONE)) {
            RtlpSrwWait(SRWLock, 1); /* woken as one of the owners */
            return;
        }
    }
}

VOID NTAPI RtlReleaseSRWLockExclusive(PRTL_SRWLOCK SRWLock)
{
    ULONG_PTR Old = __atomic_load_n(RtlpSrwWord(SRWLock), __ATOMIC_RELAXED), Readers;

    if (!(Old & SRW_EXCLUSIVE)) {
        DbgPrint("SYNC: SRW lock %p released exclusively but not owned so\n", SRWLock);
        return;
    }
    for (;;) {
        if (Old & SRW_EXWAIT_MASK) {
            if (RtlpSrwSwap(SRWLock, &Old, Old - SRW_EXWAIT_ONE)) { /* stays exclusive */
                RtlpReleaseKey(RtlpLockKey(SRWLock, 0));
                return;
            }
            continue;
        }
        Readers = Old >> SRW_SHWAIT_SHIFT;
        if (RtlpSrwSwap(SRWLock, &Old,
                        (Old & ~SRW_EXCLUSIVE) - Readers * SRW_SHWAIT_ONE +
                            Readers * SRW_SHARED_ONE))
            break;
    }
    while (Readers--)
        RtlpReleaseKey(RtlpLockKey(SRWLock, 1));
}

VOID NTAPI RtlReleaseSRWLockShared(PRTL_SRWLOCK SRWLock)
{
    ULONG_PTR Old = __atomic_load_n(RtlpSrwWord(SRWLock), __ATOMIC_RELAXED);

    for (;;) {
        if (!(Old & SRW_SHARED_MASK) || (Old & SRW_EXCLUSIVE)) {
            DbgPrint("SYNC: SRW lock %p released shared but not owned so\n", SRWLock);
            return;
        }
        if ((Old & SRW_SHARED_MASK) == SRW_SHARED_ONE && (Old & SRW_EXWAIT_MASK)) {
            /* The last reader hands the lock to a writer. */
            if (RtlpSrwSwap(SRWLock, &Old, Old - SRW_SHARED_ONE - SRW_EXWAIT_ONE + SRW_EXCLUSIVE)) {
                RtlpReleaseKey(RtlpLockKey(SRWLock, 0));
                return;
            }
            continue;
        }
        if (RtlpSrwSwap(SRWLock, &Old, Old - SRW_SHARED_ONE))
            return;
    }
}
