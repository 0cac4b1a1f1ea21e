/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Critical sections (RTL_CRITICAL_SECTION, include/nt/sync.h). LockCount
 * counts the threads that want the section minus one: the thread that
 * moves it from -1 to 0 owns it; a later one (LockCount now > 0) has
 * announced itself and sleeps on the section's key until the owner's last
 * leave hands the section straight to one waiter (the owner sees waiters
 * because its own decrement leaves LockCount >= 0). A recursive entry by
 * the owner counts in both LockCount and RecursionCount, so LockCount is
 * -1 exactly when nobody holds or wants the section. OwningThread is the
 * owner's thread id. Spinning is pointless on one processor (Nereid's
 * NumberOfProcessors is 1), so, as Windows does there, the spin count is
 * recorded as 0. DebugInfo is (PVOID)-1, Windows 8's default: no debug
 * record is kept.
 */
#include "syncp.h"

#define RTLP_CS_NO_DEBUG_INFO ((PRTL_CRITICAL_SECTION_DEBUG)(LONG_PTR)-1)

static ULONG_PTR RtlpEffectiveSpinCount(ULONG SpinCount)
{
    return NtdllpCurrentPeb()->NumberOfProcessors > 1 ? (SpinCount & 0x00ffffffu) : 0;
}

NTSTATUS NTAPI RtlInitializeCriticalSectionEx(PRTL_CRITICAL_SECTION CriticalSection,
                                              ULONG SpinCount, ULONG Flags)
{
    if (Flags & ~RTL_CRITICAL_SECTION_ALL_FLAG_BITS)
        return STATUS_INVALID_PARAMETER_3;
    if (SpinCount & RTL_CRITICAL_SECTION_ALL_FLAG_BITS)
        return STATUS_INVALID_PARAMETER_2;
    CriticalSection->DebugInfo = RTLP_CS_NO_DEBUG_INFO;
    CriticalSection->LockCount = -1;
    CriticalSection->RecursionCount = 0;
    CriticalSection->OwningThread = NULL;
    CriticalSection->LockSemaphore = NULL;
    CriticalSection->SpinCount = RtlpEffectiveSpinCount(SpinCount);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION CriticalSection,
                                                        ULONG SpinCount)
{
    return RtlInitializeCriticalSectionEx(CriticalSection, SpinCount & 0x00ffffffu, 0);
}

NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    return RtlInitializeCriticalSectionEx(CriticalSection, 0, 0);
}

ULONG NTAPI RtlSetCriticalSectionSpinCount(PRTL_CRITICAL_SECTION CriticalSection, ULONG SpinCount)
{
    ULONG Old = (ULONG)CriticalSection->SpinCount;

    CriticalSection->SpinCount = RtlpEffectiveSpinCount(SpinCount);
    return Old;
}

NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    HANDLE Self = RtlpCurrentThreadId();
    NTSTATUS Status;

    if (__atomic_add_fetch(&CriticalSection->LockCount, 1, __ATOMIC_ACQUIRE) != 0) {
        /* Taken: ours (a recursion) or another thread's, which hands it
         * over when it leaves for the last time. */
        if (CriticalSection->OwningThread == Self) {
            CriticalSection->RecursionCount++;
            return STATUS_SUCCESS;
        }
        while (!NT_SUCCESS(Status = RtlpWaitOnKey(RtlpLockKey(CriticalSection, 0), NULL))) {
            /* Cannot give up: the announced waiter owns a release. */
            DbgPrint("SYNC: critical section %p: wait failed 0x%08x\n", CriticalSection, Status);
            NtYieldExecution();
        }
    }
    CriticalSection->OwningThread = Self;
    CriticalSection->RecursionCount = 1;
    NtdllpCurrentTeb()->CountOfOwnedCriticalSections++;
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    HANDLE Self = RtlpCurrentThreadId();
    LONG Free = -1;

    if (__atomic_compare_exchange_n(&CriticalSection->LockCount, &Free, 0, FALSE, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
        CriticalSection->OwningThread = Self;
        CriticalSection->RecursionCount = 1;
        NtdllpCurrentTeb()->CountOfOwnedCriticalSections++;
        return TRUE;
    }
    if (CriticalSection->OwningThread == Self) {
        __atomic_add_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELAXED);
        CriticalSection->RecursionCount++;
        return TRUE;
    }
    return FALSE;
}

NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    if (CriticalSection->OwningThread != RtlpCurrentThreadId() ||
        CriticalSection->RecursionCount <= 0)
        return STATUS_INVALID_PARAMETER;
    if (--CriticalSection->RecursionCount) {
        __atomic_sub_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELEASE);
        return STATUS_SUCCESS;
    }
    CriticalSection->OwningThread = NULL;
    NtdllpCurrentTeb()->CountOfOwnedCriticalSections--;
    if (__atomic_sub_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELEASE) >= 0)
        RtlpReleaseKey(RtlpLockKey(CriticalSection, 0)); /* a waiter: hand it over */
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    memset(CriticalSection, 0, sizeof(*CriticalSection));
    return STATUS_SUCCESS;
}

LOGICAL NTAPI RtlIsCriticalSectionLocked(PRTL_CRITICAL_SECTION CriticalSection)
{
    return CriticalSection->RecursionCount != 0;
}

LOGICAL NTAPI RtlIsCriticalSectionLockedByThread(PRTL_CRITICAL_SECTION CriticalSection)
{
    return CriticalSection->OwningThread == RtlpCurrentThreadId() &&
           CriticalSection->RecursionCount != 0;
}

ULONG NTAPI RtlGetCriticalSectionRecursionCount(PRTL_CRITICAL_SECTION CriticalSection)
{
    return CriticalSection->OwningThread == RtlpCurrentThreadId()
               ? (ULONG)CriticalSection->RecursionCount
               : 0;
}
