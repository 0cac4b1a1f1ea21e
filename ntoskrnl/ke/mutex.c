/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KMUTEX (= KMUTANT): SignalState 1 is free; each acquisition by the owner
 * takes one more (recursion), each KeReleaseMutex gives one back, and the
 * mutex is free again when it reaches 1. A release by a thread that does
 * not own it is a driver bug: NT bugchecks with MUTANT_NOT_OWNED, so do we.
 */
#include "ntoskrnl.h"

#define MUTANT_NOT_OWNED 0x15

NTKRNL_EXPORT VOID NTAPI KeInitializeMutex(PRKMUTEX Mutex, ULONG Level)
{
    KiInitializeDispatcherHeader(&Mutex->Header, KI_MUTANT_OBJECT, sizeof(KMUTEX) / sizeof(LONG),
                                 1);
    Mutex->OwnerThread = NULL;
    Mutex->Abandoned = FALSE;
    Mutex->ApcDisable = 1;
    InitializeListHead(&Mutex->MutantListEntry);
}

NTKRNL_EXPORT VOID NTAPI KeInitializeMutant(PRKMUTANT Mutant, BOOLEAN InitialOwner)
{
    KeInitializeMutex(Mutant, 0);
    Mutant->ApcDisable = 0;
    if (InitialOwner) {
        Mutant->Header.SignalState = 0;
        Mutant->OwnerThread = KiCurrentThread();
    }
}

static LONG KipReleaseMutant(PRKMUTANT Mutant, BOOLEAN Abandoned)
{
    PKTHREAD Thread = KiCurrentThread();
    LONG Previous;

    KiAcquireDispatcherLock();
    Previous = Mutant->Header.SignalState;
    if (!Abandoned && (Previous > 0 || Mutant->OwnerThread != Thread)) {
        KiReleaseDispatcherLock();
        KeBugCheckEx(MUTANT_NOT_OWNED, (ULONG_PTR)Mutant, (ULONG_PTR)Thread, 0, 0);
    }
    Mutant->Header.SignalState = Abandoned ? 1 : Previous + 1;
    if (Mutant->Header.SignalState == 1) {
        Mutant->OwnerThread = NULL;
        Mutant->Abandoned = Abandoned;
        KiWaitTest(&Mutant->Header);
    }
    KiReleaseDispatcherLock();
    return Previous;
}

NTKRNL_EXPORT LONG NTAPI KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait)
{
    return KipReleaseMutant(Mutex, FALSE);
}

NTKRNL_EXPORT LONG NTAPI KeReleaseMutant(PRKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandoned,
                                         BOOLEAN Wait)
{
    return KipReleaseMutant(Mutant, Abandoned);
}

NTKRNL_EXPORT LONG NTAPI KeReadStateMutex(PRKMUTEX Mutex)
{
    return Mutex->Header.SignalState;
}

NTKRNL_EXPORT LONG NTAPI KeReadStateMutant(PRKMUTANT Mutant)
{
    return Mutant->Header.SignalState;
}
