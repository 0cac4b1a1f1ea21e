/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KSEMAPHORE: SignalState is the count, Limit its maximum; each satisfied
 * wait takes one (ke/wait.c). Releasing past the limit is a driver bug that
 * NT answers with an exception, STATUS_SEMAPHORE_LIMIT_EXCEEDED: so do we.
 */
#include "ntoskrnl.h"

NTKRNL_EXPORT VOID NTAPI KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit)
{
    KiInitializeDispatcherHeader(&Semaphore->Header, KI_SEMAPHORE_OBJECT,
                                 sizeof(KSEMAPHORE) / sizeof(LONG), Count);
    Semaphore->Limit = Limit;
}

NTKRNL_EXPORT LONG NTAPI KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment,
                                            LONG Adjustment, BOOLEAN Wait)
{
    LONG Previous;

    KiAcquireDispatcherLock();
    Previous = Semaphore->Header.SignalState;
    if (Adjustment <= 0 || Previous > Semaphore->Limit - Adjustment) {
        KiReleaseDispatcherLock();
        ExRaiseStatus(STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    }
    Semaphore->Header.SignalState = Previous + Adjustment;
    if (Previous == 0)
        KiWaitTest(&Semaphore->Header);
    KiReleaseDispatcherLock();
    return Previous;
}

NTKRNL_EXPORT LONG NTAPI KeReadStateSemaphore(PRKSEMAPHORE Semaphore)
{
    return Semaphore->Header.SignalState;
}
