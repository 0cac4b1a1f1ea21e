/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Condition variables (RTL_CONDITION_VARIABLE: one pointer, here the
 * number of sleepers no wake has claimed yet). A sleeper counts itself in,
 * releases its lock and waits on the variable's key; a wake claims one
 * sleeper (count - 1) and releases the key once, wake-all claims them all.
 * A sleeper whose time-out ends its wait leaves by taking itself out of
 * the count; when the count is already 0, a wake has claimed it and is
 * committed to a release, so it must still take that release (a short
 * untimed wait) before it goes — every release meets exactly one wait.
 * The lock is taken again before returning, whatever the outcome.
 */
#include "syncp.h"

static ULONG_PTR *RtlpCvWord(PRTL_CONDITION_VARIABLE Cv)
{
    return (ULONG_PTR *)&Cv->Ptr;
}

VOID NTAPI RtlInitializeConditionVariable(PRTL_CONDITION_VARIABLE ConditionVariable)
{
    ConditionVariable->Ptr = NULL;
}

VOID NTAPI RtlWakeConditionVariable(PRTL_CONDITION_VARIABLE ConditionVariable)
{
    ULONG_PTR Old = __atomic_load_n(RtlpCvWord(ConditionVariable), __ATOMIC_RELAXED);

    while (Old) {
        if (__atomic_compare_exchange_n(RtlpCvWord(ConditionVariable), &Old, Old - 1, TRUE,
                                        __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            RtlpReleaseKey(RtlpLockKey(ConditionVariable, 0));
            return;
        }
    }
}

VOID NTAPI RtlWakeAllConditionVariable(PRTL_CONDITION_VARIABLE ConditionVariable)
{
    ULONG_PTR Sleepers = __atomic_exchange_n(RtlpCvWord(ConditionVariable), 0, __ATOMIC_ACQ_REL);

    while (Sleepers--)
        RtlpReleaseKey(RtlpLockKey(ConditionVariable, 0));
}

/* The wait between releasing and retaking the caller's lock. */
static NTSTATUS RtlpCvWait(PRTL_CONDITION_VARIABLE Cv, LARGE_INTEGER *Timeout)
{
    NTSTATUS Status = RtlpWaitOnKey(RtlpLockKey(Cv, 0), Timeout);
    ULONG_PTR Old;

    if (Status == STATUS_SUCCESS)
        return STATUS_SUCCESS;
    /* Timed out (or the wait failed): leave, unless a wake claimed us. */
    Old = __atomic_load_n(RtlpCvWord(Cv), __ATOMIC_RELAXED);
    while (Old) {
        if (__atomic_compare_exchange_n(RtlpCvWord(Cv), &Old, Old - 1, TRUE, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED))
            return Status == STATUS_TIMEOUT || NT_ERROR(Status) ? Status : STATUS_TIMEOUT;
    }
    while (!NT_SUCCESS(RtlpWaitOnKey(RtlpLockKey(Cv, 0), NULL)))
        NtYieldExecution();
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlSleepConditionVariableCS(PRTL_CONDITION_VARIABLE ConditionVariable,
                                           PRTL_CRITICAL_SECTION CriticalSection,
                                           LARGE_INTEGER *Timeout)
{
    NTSTATUS Status;

    __atomic_add_fetch(RtlpCvWord(ConditionVariable), 1, __ATOMIC_ACQ_REL);
    RtlLeaveCriticalSection(CriticalSection);
    Status = RtlpCvWait(ConditionVariable, Timeout);
    RtlEnterCriticalSection(CriticalSection);
    return Status;
}

NTSTATUS NTAPI RtlSleepConditionVariableSRW(PRTL_CONDITION_VARIABLE ConditionVariable,
                                            PRTL_SRWLOCK SRWLock, LARGE_INTEGER *Timeout,
                                            ULONG Flags)
{
    BOOLEAN Shared = (Flags & RTL_CONDITION_VARIABLE_LOCKMODE_SHARED) != 0;
    NTSTATUS Status;

    if (Flags & ~RTL_CONDITION_VARIABLE_LOCKMODE_SHARED)
        return STATUS_INVALID_PARAMETER_4;
    __atomic_add_fetch(RtlpCvWord(ConditionVariable), 1, __ATOMIC_ACQ_REL);
    if (Shared)
        RtlReleaseSRWLockShared(SRWLock);
    else
        RtlReleaseSRWLockExclusive(SRWLock);
    Status = RtlpCvWait(ConditionVariable, Timeout);
    if (Shared)
        RtlAcquireSRWLockShared(SRWLock);
    else
        RtlAcquireSRWLockExclusive(SRWLock);
    return Status;
}
