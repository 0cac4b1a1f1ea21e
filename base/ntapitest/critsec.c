/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Critical sections (RtlInitializeCriticalSection and friends) from one
 * thread: the fields Windows documents (RecursionCount, OwningThread = the
 * owner's thread id, LockCount -1 when free), recursion, try-enter,
 * the spin count on a one-processor machine, flag checks, deletion, and the
 * PEB's loader and PEB locks, and contention with a second thread (which
 * sleeps on the system keyed event).
 */
#include "ntapitest.h"

NTSYSAPI NTSTATUS NTAPI LdrLockLoaderLock(ULONG Flags, PULONG Disposition, PULONG_PTR Cookie);
NTSYSAPI NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG Flags, ULONG_PTR Cookie);
NTSYSAPI VOID NTAPI RtlAcquirePebLock(void);
NTSYSAPI VOID NTAPI RtlReleasePebLock(void);

static HANDLE CsTestSelf(void)
{
    return NtCurrentTeb()->ClientId.UniqueThread;
}

static BOOLEAN CsTestFree(PRTL_CRITICAL_SECTION Cs)
{
    return Cs->LockCount == -1 && Cs->RecursionCount == 0 && Cs->OwningThread == NULL;
}

TEST(critsec, initialize_gives_a_free_section)
{
    RTL_CRITICAL_SECTION Cs;

    memset(&Cs, 0x5a, sizeof(Cs));
    CHECK_STATUS(RtlInitializeCriticalSection(&Cs), STATUS_SUCCESS);
    CHECK(CsTestFree(&Cs));
    CHECK(Cs.LockSemaphore == NULL);
    CHECK(!RtlIsCriticalSectionLocked(&Cs));
    CHECK(!RtlIsCriticalSectionLockedByThread(&Cs));
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, enter_and_leave)
{
    RTL_CRITICAL_SECTION Cs;
    ULONG Owned = NtCurrentTeb()->CountOfOwnedCriticalSections;

    RtlInitializeCriticalSection(&Cs);
    CHECK_STATUS(RtlEnterCriticalSection(&Cs), STATUS_SUCCESS);
    CHECK_EQ(Cs.OwningThread, CsTestSelf());
    CHECK_EQ(Cs.RecursionCount, 1);
    CHECK(Cs.LockCount != -1);
    CHECK(RtlIsCriticalSectionLocked(&Cs));
    CHECK(RtlIsCriticalSectionLockedByThread(&Cs));
    CHECK_EQ(NtCurrentTeb()->CountOfOwnedCriticalSections, Owned + 1);
    CHECK_STATUS(RtlLeaveCriticalSection(&Cs), STATUS_SUCCESS);
    CHECK(CsTestFree(&Cs));
    CHECK_EQ(NtCurrentTeb()->CountOfOwnedCriticalSections, Owned);
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, recursion_counts)
{
    RTL_CRITICAL_SECTION Cs;
    ULONG Index;

    RtlInitializeCriticalSection(&Cs);
    for (Index = 1; Index <= 5; Index++) {
        RtlEnterCriticalSection(&Cs);
        CHECK_EQ(Cs.RecursionCount, Index);
        CHECK_EQ(RtlGetCriticalSectionRecursionCount(&Cs), Index);
    }
    for (Index = 5; Index >= 1; Index--) {
        CHECK_EQ(Cs.OwningThread, CsTestSelf());
        RtlLeaveCriticalSection(&Cs);
        CHECK_EQ(Cs.RecursionCount, Index - 1);
    }
    CHECK(CsTestFree(&Cs));
    CHECK_EQ(RtlGetCriticalSectionRecursionCount(&Cs), 0);
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, try_enter)
{
    RTL_CRITICAL_SECTION Cs;

    RtlInitializeCriticalSection(&Cs);
    CHECK(RtlTryEnterCriticalSection(&Cs));
    CHECK_EQ(Cs.OwningThread, CsTestSelf());
    CHECK_EQ(Cs.RecursionCount, 1);
    CHECK(RtlTryEnterCriticalSection(&Cs)); /* the owner may always enter again */
    CHECK_EQ(Cs.RecursionCount, 2);
    RtlEnterCriticalSection(&Cs);
    CHECK_EQ(Cs.RecursionCount, 3);
    RtlLeaveCriticalSection(&Cs);
    RtlLeaveCriticalSection(&Cs);
    RtlLeaveCriticalSection(&Cs);
    CHECK(CsTestFree(&Cs));
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, try_enter_fails_when_another_thread_owns_it)
{
    RTL_CRITICAL_SECTION Cs;

    /* What another thread's entry leaves behind (Windows' fields). */
    RtlInitializeCriticalSection(&Cs);
    Cs.LockCount = 0;
    Cs.RecursionCount = 1;
    Cs.OwningThread = (HANDLE)(ULONG_PTR)0x7ff0;
    CHECK(!RtlTryEnterCriticalSection(&Cs));
    CHECK_EQ(Cs.RecursionCount, 1);
    CHECK_EQ(Cs.OwningThread, (HANDLE)(ULONG_PTR)0x7ff0);
    CHECK(RtlIsCriticalSectionLocked(&Cs));
    CHECK(!RtlIsCriticalSectionLockedByThread(&Cs));
    CHECK_EQ(RtlGetCriticalSectionRecursionCount(&Cs), 0);
    /* Nereid refuses a leave by a thread that does not own it. */
    CHECK_STATUS(RtlLeaveCriticalSection(&Cs), STATUS_INVALID_PARAMETER);
    CHECK_EQ(Cs.LockCount, 0);
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, leave_unowned_refused)
{
    RTL_CRITICAL_SECTION Cs;

    RtlInitializeCriticalSection(&Cs);
    CHECK_STATUS(RtlLeaveCriticalSection(&Cs), STATUS_INVALID_PARAMETER);
    CHECK(CsTestFree(&Cs));
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, spin_count_on_one_processor)
{
    RTL_CRITICAL_SECTION Cs;
    PPEB Peb = NtCurrentTeb()->ProcessEnvironmentBlock;

    CHECK_STATUS(RtlInitializeCriticalSectionAndSpinCount(&Cs, 4000), STATUS_SUCCESS);
    /* Windows records 0 on a single processor, the count otherwise. */
    CHECK_EQ(Cs.SpinCount, Peb->NumberOfProcessors > 1 ? 4000 : 0);
    CHECK_EQ(RtlSetCriticalSectionSpinCount(&Cs, 100), Cs.SpinCount == 0 ? 0 : 4000);
    CHECK_EQ(Cs.SpinCount, Peb->NumberOfProcessors > 1 ? 100 : 0);
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, initialize_ex_checks_its_arguments)
{
    RTL_CRITICAL_SECTION Cs;

    CHECK_STATUS(RtlInitializeCriticalSectionEx(&Cs, 0, 1), STATUS_INVALID_PARAMETER_3);
    CHECK_STATUS(RtlInitializeCriticalSectionEx(&Cs, 0x01000000, 0), STATUS_INVALID_PARAMETER_2);
    CHECK_STATUS(RtlInitializeCriticalSectionEx(&Cs, 10, RTL_CRITICAL_SECTION_FLAG_NO_DEBUG_INFO),
                 STATUS_SUCCESS);
    CHECK(CsTestFree(&Cs));
    RtlEnterCriticalSection(&Cs);
    CHECK_EQ(Cs.OwningThread, CsTestSelf());
    RtlLeaveCriticalSection(&Cs);
    RtlDeleteCriticalSection(&Cs);
}

TEST(critsec, delete_clears_it)
{
    RTL_CRITICAL_SECTION Cs;

    RtlInitializeCriticalSection(&Cs);
    RtlEnterCriticalSection(&Cs);
    RtlLeaveCriticalSection(&Cs);
    CHECK_STATUS(RtlDeleteCriticalSection(&Cs), STATUS_SUCCESS);
    CHECK(Cs.DebugInfo == NULL);
    CHECK_EQ(Cs.LockCount, 0);
    CHECK_EQ(Cs.RecursionCount, 0);
    CHECK(Cs.OwningThread == NULL);
}

TEST(critsec, peb_locks)
{
    PPEB Peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    PRTL_CRITICAL_SECTION PebLock = Peb->FastPebLock, LoaderLock = Peb->LoaderLock;

    CHECK(PebLock != NULL);
    CHECK(LoaderLock != NULL);
    CHECK(PebLock != LoaderLock);
    if (!PebLock || !LoaderLock)
        return;
    CHECK(!RtlIsCriticalSectionLockedByThread(PebLock));
    RtlAcquirePebLock();
    CHECK_EQ(PebLock->OwningThread, CsTestSelf());
    CHECK_EQ(PebLock->RecursionCount, 1);
    RtlReleasePebLock();
    CHECK(!RtlIsCriticalSectionLocked(PebLock));
}

TEST(critsec, loader_lock)
{
    PRTL_CRITICAL_SECTION Lock = NtCurrentTeb()->ProcessEnvironmentBlock->LoaderLock;
    ULONG Disposition = 0;
    ULONG_PTR Cookie = 0, Second = 0;

    if (!CHECK(Lock != NULL))
        return;
    CHECK(!RtlIsCriticalSectionLocked(Lock));
    CHECK_STATUS(LdrLockLoaderLock(0, &Disposition, &Cookie), STATUS_SUCCESS);
    CHECK_EQ(Disposition, 1);
    CHECK(Cookie != 0);
    CHECK_EQ(Lock->OwningThread, CsTestSelf());
    CHECK_STATUS(LdrLockLoaderLock(2, &Disposition, &Second), STATUS_SUCCESS); /* try: nests */
    CHECK_EQ(Disposition, 1);
    CHECK_EQ(Lock->RecursionCount, 2);
    CHECK_STATUS(LdrUnlockLoaderLock(0, Second), STATUS_SUCCESS);
    CHECK_STATUS(LdrUnlockLoaderLock(0, Cookie + 1), STATUS_INVALID_PARAMETER_2);
    CHECK_STATUS(LdrUnlockLoaderLock(0, Cookie), STATUS_SUCCESS);
    CHECK(!RtlIsCriticalSectionLocked(Lock));
    CHECK_STATUS(LdrLockLoaderLock(8, &Disposition, &Cookie), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(LdrLockLoaderLock(2, NULL, &Cookie), STATUS_INVALID_PARAMETER_2);
}

/* ---- contention: a second thread ------------------------------------------------------- */

#define CSTEST_THREAD_ALL_ACCESS 0x001fffffu

typedef struct _CSTEST_SHARED {
    RTL_CRITICAL_SECTION Cs;
    volatile LONG Step;
    volatile LONG Counter;
} CSTEST_SHARED;

static NTSTATUS NTAPI CsTestWorker(PVOID Parameter)
{
    CSTEST_SHARED *Shared = Parameter;
    ULONG Index;

    for (Index = 0; Index < 1000; Index++) {
        RtlEnterCriticalSection(&Shared->Cs);
        Shared->Counter++;
        if (Index % 100 == 0)
            NtYieldExecution(); /* give the other thread a chance to meet the lock held */
        RtlLeaveCriticalSection(&Shared->Cs);
    }
    return STATUS_SUCCESS;
}

TEST(critsec, contended_enter_waits)
{
    static CSTEST_SHARED Shared;
    HANDLE Thread = NULL;
    ULONG Index;

    RtlInitializeCriticalSection(&Shared.Cs);
    Shared.Counter = 0;
    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, CSTEST_THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                       (PVOID)CsTestWorker, &Shared, 0, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        return;
    for (Index = 0; Index < 1000; Index++) {
        RtlEnterCriticalSection(&Shared.Cs);
        Shared.Counter++;
        if (Index % 100 == 0)
            NtYieldExecution();
        RtlLeaveCriticalSection(&Shared.Cs);
    }
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, NULL), STATUS_SUCCESS);
    CHECK_EQ(Shared.Counter, 2000);
    CHECK(CsTestFree(&Shared.Cs));
    NtClose(Thread);
}
