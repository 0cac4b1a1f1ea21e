/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's user-mode locks (ntdll/sync/): critical sections, slim
 * reader/writer locks, condition variables and one-time initialisation,
 * with Windows' x64 layouts (RTL_CRITICAL_SECTION is 0x28 bytes, the
 * others one pointer). Contended waits sleep on the system's keyed event
 * (NtWaitForKeyedEvent / NtReleaseKeyedEvent with a NULL handle), keyed by
 * the lock's address; an uncontended operation never enters ntos.
 * Component: ntdllrt.
 */
#pragma once

#include <nt/types.h>

/* ---- critical sections (ntdll/sync/critsec.c) ------------------------------------ */

struct _RTL_CRITICAL_SECTION;

typedef struct _RTL_CRITICAL_SECTION_DEBUG {
    USHORT Type;
    USHORT CreatorBackTraceIndex;
    struct _RTL_CRITICAL_SECTION *CriticalSection;
    LIST_ENTRY ProcessLocksList;
    ULONG EntryCount;
    ULONG ContentionCount;
    ULONG Flags;
    USHORT CreatorBackTraceIndexHigh;
    USHORT SpareUSHORT;
} RTL_CRITICAL_SECTION_DEBUG, *PRTL_CRITICAL_SECTION_DEBUG;
_Static_assert(sizeof(RTL_CRITICAL_SECTION_DEBUG) == 0x30, "RTL_CRITICAL_SECTION_DEBUG");

/* LockCount: -1 when free, otherwise the number of threads inside or
 * waiting minus one (the pre-Vista encoding: a recursive entry counts too).
 * RecursionCount and OwningThread (the owner's thread id) are Windows'. */
typedef struct _RTL_CRITICAL_SECTION {
    PRTL_CRITICAL_SECTION_DEBUG DebugInfo; /* (PVOID)-1: none, as Windows 8+ by default */
    LONG LockCount;
    LONG RecursionCount;
    HANDLE OwningThread;
    HANDLE LockSemaphore; /* unused: waits use the system keyed event */
    ULONG_PTR SpinCount;
} RTL_CRITICAL_SECTION, *PRTL_CRITICAL_SECTION;
_Static_assert(sizeof(RTL_CRITICAL_SECTION) == 0x28, "RTL_CRITICAL_SECTION");
_Static_assert(offsetof(RTL_CRITICAL_SECTION, LockCount) == 0x08, "CS.LockCount");
_Static_assert(offsetof(RTL_CRITICAL_SECTION, RecursionCount) == 0x0c, "CS.RecursionCount");
_Static_assert(offsetof(RTL_CRITICAL_SECTION, OwningThread) == 0x10, "CS.OwningThread");
_Static_assert(offsetof(RTL_CRITICAL_SECTION, SpinCount) == 0x20, "CS.SpinCount");

#define RTL_CRITICAL_SECTION_FLAG_NO_DEBUG_INFO    0x01000000u
#define RTL_CRITICAL_SECTION_FLAG_DYNAMIC_SPIN     0x02000000u
#define RTL_CRITICAL_SECTION_FLAG_STATIC_INIT      0x04000000u
#define RTL_CRITICAL_SECTION_FLAG_RESOURCE_TYPE    0x08000000u
#define RTL_CRITICAL_SECTION_FLAG_FORCE_DEBUG_INFO 0x10000000u
#define RTL_CRITICAL_SECTION_ALL_FLAG_BITS         0xFF000000u

NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI NTSTATUS NTAPI
RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION CriticalSection, ULONG SpinCount);
/* STATUS_INVALID_PARAMETER_3 for flags outside RTL_CRITICAL_SECTION_ALL_FLAG_BITS,
 * STATUS_INVALID_PARAMETER_2 for a spin count using those bits. */
NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSectionEx(PRTL_CRITICAL_SECTION CriticalSection,
                                                       ULONG SpinCount, ULONG Flags);
NTSYSAPI ULONG NTAPI RtlSetCriticalSectionSpinCount(PRTL_CRITICAL_SECTION CriticalSection,
                                                    ULONG SpinCount);
/* May wait. Re-entry by the owner counts a recursion. */
NTSYSAPI NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
/* STATUS_INVALID_PARAMETER when the caller does not own it (Windows leaves
 * that undefined; Nereid refuses rather than corrupt the count). */
NTSYSAPI NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI LOGICAL NTAPI RtlIsCriticalSectionLocked(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI LOGICAL NTAPI RtlIsCriticalSectionLockedByThread(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI ULONG NTAPI RtlGetCriticalSectionRecursionCount(PRTL_CRITICAL_SECTION CriticalSection);

/* ---- slim reader/writer locks (ntdll/sync/srw.c) ----------------------------------- */

typedef struct _RTL_SRWLOCK {
    PVOID Ptr;
} RTL_SRWLOCK, *PRTL_SRWLOCK;
#define RTL_SRWLOCK_INIT                                                                           \
    {                                                                                              \
        0                                                                                          \
    }

NTSYSAPI VOID NTAPI RtlInitializeSRWLock(PRTL_SRWLOCK SRWLock);
NTSYSAPI VOID NTAPI RtlAcquireSRWLockExclusive(PRTL_SRWLOCK SRWLock);
NTSYSAPI VOID NTAPI RtlAcquireSRWLockShared(PRTL_SRWLOCK SRWLock);
NTSYSAPI VOID NTAPI RtlReleaseSRWLockExclusive(PRTL_SRWLOCK SRWLock);
NTSYSAPI VOID NTAPI RtlReleaseSRWLockShared(PRTL_SRWLOCK SRWLock);
NTSYSAPI BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(PRTL_SRWLOCK SRWLock);
NTSYSAPI BOOLEAN NTAPI RtlTryAcquireSRWLockShared(PRTL_SRWLOCK SRWLock);

/* ---- condition variables (ntdll/sync/condvar.c) ------------------------------------- */

typedef struct _RTL_CONDITION_VARIABLE {
    PVOID Ptr;
} RTL_CONDITION_VARIABLE, *PRTL_CONDITION_VARIABLE;
#define RTL_CONDITION_VARIABLE_INIT                                                                \
    {                                                                                              \
        0                                                                                          \
    }
#define RTL_CONDITION_VARIABLE_LOCKMODE_SHARED 0x1u

NTSYSAPI VOID NTAPI RtlInitializeConditionVariable(PRTL_CONDITION_VARIABLE ConditionVariable);
NTSYSAPI VOID NTAPI RtlWakeConditionVariable(PRTL_CONDITION_VARIABLE ConditionVariable);
NTSYSAPI VOID NTAPI RtlWakeAllConditionVariable(PRTL_CONDITION_VARIABLE ConditionVariable);
/* Release the lock, wait for a wake or the time-out (NULL: none; relative
 * negative or absolute, 100 ns), take the lock again. STATUS_SUCCESS or
 * STATUS_TIMEOUT (or the wait's failure). */
NTSYSAPI NTSTATUS NTAPI RtlSleepConditionVariableCS(PRTL_CONDITION_VARIABLE ConditionVariable,
                                                    PRTL_CRITICAL_SECTION CriticalSection,
                                                    LARGE_INTEGER *Timeout);
NTSYSAPI NTSTATUS NTAPI RtlSleepConditionVariableSRW(PRTL_CONDITION_VARIABLE ConditionVariable,
                                                     PRTL_SRWLOCK SRWLock, LARGE_INTEGER *Timeout,
                                                     ULONG Flags);

/* ---- one-time initialisation (ntdll/sync/runonce.c) ----------------------------------- */

typedef struct _RTL_RUN_ONCE {
    PVOID Ptr;
} RTL_RUN_ONCE, *PRTL_RUN_ONCE;
#define RTL_RUN_ONCE_INIT                                                                          \
    {                                                                                              \
        0                                                                                          \
    }
#define RTL_RUN_ONCE_CHECK_ONLY        0x1u
#define RTL_RUN_ONCE_ASYNC             0x2u
#define RTL_RUN_ONCE_INIT_FAILED       0x4u
#define RTL_RUN_ONCE_CTX_RESERVED_BITS 2

typedef ULONG(NTAPI *PRTL_RUN_ONCE_INIT_FN)(PRTL_RUN_ONCE RunOnce, PVOID Parameter, PVOID *Context);

NTSYSAPI VOID NTAPI RtlRunOnceInitialize(PRTL_RUN_ONCE RunOnce);
/* STATUS_PENDING: the caller must initialise, then RtlRunOnceComplete;
 * STATUS_SUCCESS and *Context when done; STATUS_UNSUCCESSFUL with
 * CHECK_ONLY when not done. Waits while another caller initialises. */
NTSYSAPI NTSTATUS NTAPI RtlRunOnceBeginInitialize(PRTL_RUN_ONCE RunOnce, ULONG Flags,
                                                  PVOID *Context);
NTSYSAPI NTSTATUS NTAPI RtlRunOnceComplete(PRTL_RUN_ONCE RunOnce, ULONG Flags, PVOID Context);
/* Calls InitFn once; STATUS_SUCCESS, or STATUS_UNSUCCESSFUL when it failed
 * (it returned FALSE: the next caller tries again). */
NTSYSAPI NTSTATUS NTAPI RtlRunOnceExecuteOnce(PRTL_RUN_ONCE RunOnce, PRTL_RUN_ONCE_INIT_FN InitFn,
                                              PVOID Parameter, PVOID *Context);
