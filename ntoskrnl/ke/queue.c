/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KQUEUE: a dispatcher object whose SignalState is the number of entries
 * on EntryListHead. A satisfied wait on it takes one count (ke/wait.c's
 * KipSatisfy), which reserves one entry for that waiter: KeRemoveQueue
 * then unlinks the head entry under the dispatcher lock. Entries only
 * leave through such reservations (or KeRundownQueue), so a reserved
 * entry is always there. FIXME: the concurrency limit (MaximumCount,
 * threads associated with the queue) is not enforced.
 */
#include "ntoskrnl.h"

NTKRNL_EXPORT VOID NTAPI KeInitializeQueue(PRKQUEUE Queue, ULONG Count)
{
    KiInitializeDispatcherHeader(&Queue->Header, KI_QUEUE_OBJECT, sizeof(KQUEUE) / sizeof(LONG), 0);
    InitializeListHead(&Queue->EntryListHead);
    InitializeListHead(&Queue->ThreadListHead);
    Queue->CurrentCount = 0;
    Queue->MaximumCount = Count ? Count : 1;
}

static LONG KipInsertQueue(PRKQUEUE Queue, PLIST_ENTRY Entry, BOOLEAN Head)
{
    LONG Previous;

    KiAcquireDispatcherLock();
    Previous = Queue->Header.SignalState;
    if (Head)
        InsertHeadList(&Queue->EntryListHead, Entry);
    else
        InsertTailList(&Queue->EntryListHead, Entry);
    Queue->Header.SignalState++;
    KiWaitTest(&Queue->Header);
    KiReleaseDispatcherLock();
    return Previous;
}

NTKRNL_EXPORT LONG NTAPI KeInsertQueue(PRKQUEUE Queue, PLIST_ENTRY Entry)
{
    return KipInsertQueue(Queue, Entry, FALSE);
}

NTKRNL_EXPORT LONG NTAPI KeInsertHeadQueue(PRKQUEUE Queue, PLIST_ENTRY Entry)
{
    return KipInsertQueue(Queue, Entry, TRUE);
}

/* The head entry, or (PLIST_ENTRY)STATUS_TIMEOUT / another wait status. */
NTKRNL_EXPORT PLIST_ENTRY NTAPI KeRemoveQueue(PRKQUEUE Queue, KPROCESSOR_MODE WaitMode,
                                              PLARGE_INTEGER Timeout)
{
    NTSTATUS Status = KeWaitForSingleObject(Queue, WrQueue, WaitMode, FALSE, Timeout);
    PLIST_ENTRY Entry;

    if (Status != STATUS_WAIT_0)
        return (PLIST_ENTRY)(ULONG_PTR)(ULONG)Status;
    KiAcquireDispatcherLock();
    Entry = RemoveHeadList(&Queue->EntryListHead);
    KiReleaseDispatcherLock();
    return Entry;
}

NTKRNL_EXPORT LONG NTAPI KeReadStateQueue(PRKQUEUE Queue)
{
    return Queue->Header.SignalState;
}

/* Take every entry off the queue: the first one (the others linked
 * behind it), or NULL if it was empty. */
NTKRNL_EXPORT PLIST_ENTRY NTAPI KeRundownQueue(PRKQUEUE Queue)
{
    PLIST_ENTRY First = NULL;

    KiAcquireDispatcherLock();
    if (!IsListEmpty(&Queue->EntryListHead)) {
        First = Queue->EntryListHead.Flink;
        RemoveEntryList(&Queue->EntryListHead); /* the entries stay a ring */
        InitializeListHead(&Queue->EntryListHead);
    }
    Queue->Header.SignalState = 0;
    KiReleaseDispatcherLock();
    return First;
}
