/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KEVENT: notification events stay signalled until reset and release every
 * waiter; synchronization events release one waiter and reset themselves
 * (ke/wait.c's KipSatisfy). All state changes happen under the dispatcher lock.
 */
#include "ntoskrnl.h"

NTKRNL_EXPORT VOID NTAPI KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    KiInitializeDispatcherHeader(&Event->Header,
                                 Type == NotificationEvent ? KI_EVENT_NOTIFICATION_OBJECT
                                                           : KI_EVENT_SYNCHRONIZATION_OBJECT,
                                 sizeof(KEVENT) / sizeof(LONG), State ? 1 : 0);
}

NTKRNL_EXPORT LONG NTAPI KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    LONG Previous;

    KiAcquireDispatcherLock();
    Previous = Event->Header.SignalState;
    Event->Header.SignalState = 1;
    KiWaitTest(&Event->Header);
    KiReleaseDispatcherLock();
    return Previous;
}

NTKRNL_EXPORT VOID NTAPI KeSetEventBoostPriority(PRKEVENT Event, PRKTHREAD *Thread)
{
    if (Thread)
        *Thread = NULL;
    KeSetEvent(Event, 0, FALSE);
}

NTKRNL_EXPORT LONG NTAPI KeResetEvent(PRKEVENT Event)
{
    LONG Previous;

    KiAcquireDispatcherLock();
    Previous = Event->Header.SignalState;
    Event->Header.SignalState = 0;
    KiReleaseDispatcherLock();
    return Previous;
}

NTKRNL_EXPORT VOID NTAPI KeClearEvent(PRKEVENT Event)
{
    Event->Header.SignalState = 0;
}

NTKRNL_EXPORT LONG NTAPI KeReadStateEvent(PRKEVENT Event)
{
    return Event->Header.SignalState;
}

/* Signal (releasing whom that releases), then reset, in one step under the lock. */
NTKRNL_EXPORT LONG NTAPI KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    LONG Previous;

    KiAcquireDispatcherLock();
    Previous = Event->Header.SignalState;
    if (!Previous) {
        Event->Header.SignalState = 1;
        KiWaitTest(&Event->Header);
    }
    Event->Header.SignalState = 0;
    KiReleaseDispatcherLock();
    return Previous;
}
