/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KTIMER: a dispatcher object signalled at its due time, optionally
 * queueing a DPC and re-arming itself every Period ms. Armed timers sit on
 * KiTimerList sorted by due interrupt time (absolute due times are turned
 * into interrupt time when set), under the dispatcher lock; the DPC thread
 * (ke/dpc.c) sleeps until the first one is due and calls KiExpireTimers.
 * An armed timer has TimerListEntry linked; an idle one has it NULL.
 */
#include "ntoskrnl.h"

static LIST_ENTRY KiTimerList = {&KiTimerList, &KiTimerList};

NTKRNL_EXPORT VOID NTAPI KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
    KiInitializeDispatcherHeader(&Timer->Header,
                                 Type == NotificationTimer ? KI_TIMER_NOTIFICATION_OBJECT
                                                           : KI_TIMER_SYNCHRONIZATION_OBJECT,
                                 sizeof(KTIMER) / sizeof(LONG), 0);
    Timer->DueTime.QuadPart = 0;
    Timer->TimerListEntry.Flink = Timer->TimerListEntry.Blink = NULL;
    Timer->Dpc = NULL;
    Timer->Processor = 0;
    Timer->Period = 0;
}

NTKRNL_EXPORT VOID NTAPI KeInitializeTimer(PKTIMER Timer)
{
    KeInitializeTimerEx(Timer, NotificationTimer);
}

static BOOLEAN KipRemoveTimer(PKTIMER Timer)
{
    if (!Timer->TimerListEntry.Flink)
        return FALSE;
    RemoveEntryList(&Timer->TimerListEntry);
    Timer->TimerListEntry.Flink = Timer->TimerListEntry.Blink = NULL;
    return TRUE;
}

/* Under the lock: arm Timer at interrupt time Due, in order. */
static VOID KipInsertTimer(PKTIMER Timer, ULONGLONG Due)
{
    PLIST_ENTRY Entry;

    Timer->DueTime.QuadPart = Due;
    for (Entry = KiTimerList.Flink; Entry != &KiTimerList; Entry = Entry->Flink) {
        PKTIMER Other = CONTAINING_RECORD(Entry, KTIMER, TimerListEntry);
        if (Other->DueTime.QuadPart > Due)
            break;
    }
    /* Insert before Entry. */
    Timer->TimerListEntry.Flink = Entry;
    Timer->TimerListEntry.Blink = Entry->Blink;
    Entry->Blink->Flink = &Timer->TimerListEntry;
    Entry->Blink = &Timer->TimerListEntry;
}

NTKRNL_EXPORT BOOLEAN NTAPI KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period,
                                         PKDPC Dpc)
{
    LONGLONG Now = KiQueryInterruptTime(), Due;
    LARGE_INTEGER SystemNow;
    BOOLEAN WasArmed;

    if (DueTime.QuadPart < 0) {
        Due = Now - DueTime.QuadPart;
    } else {
        NtQuerySystemTime(&SystemNow);
        Due = Now + (DueTime.QuadPart - SystemNow.QuadPart);
    }
    KiAcquireDispatcherLock();
    WasArmed = KipRemoveTimer(Timer);
    Timer->Header.SignalState = 0;
    Timer->Dpc = Dpc;
    Timer->Period = Period > 0 ? (ULONG)Period : 0;
    KipInsertTimer(Timer, Due);
    KiReleaseDispatcherLock();
    KiKickDpcThread();
    return WasArmed;
}

NTKRNL_EXPORT BOOLEAN NTAPI KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

NTKRNL_EXPORT BOOLEAN NTAPI KeSetCoalescableTimer(PKTIMER Timer, LARGE_INTEGER DueTime,
                                                  ULONG Period, ULONG TolerableDelay, PKDPC Dpc)
{
    return KeSetTimerEx(Timer, DueTime, (LONG)Period, Dpc);
}

NTKRNL_EXPORT BOOLEAN NTAPI KeCancelTimer(PKTIMER Timer)
{
    BOOLEAN WasArmed;

    KiAcquireDispatcherLock();
    WasArmed = KipRemoveTimer(Timer);
    KiReleaseDispatcherLock();
    return WasArmed;
}

NTKRNL_EXPORT BOOLEAN NTAPI KeReadStateTimer(PKTIMER Timer)
{
    return Timer->Header.SignalState != 0;
}

LONGLONG KiExpireTimers(VOID)
{
    LONGLONG Now = KiQueryInterruptTime(), Next = MAXLONGLONG;
    LARGE_INTEGER SystemNow;

    NtQuerySystemTime(&SystemNow);
    KiAcquireDispatcherLock();
    while (!IsListEmpty(&KiTimerList)) {
        PKTIMER Timer = CONTAINING_RECORD(KiTimerList.Flink, KTIMER, TimerListEntry);

        if ((LONGLONG)Timer->DueTime.QuadPart > Now) {
            Next = Timer->DueTime.QuadPart;
            break;
        }
        KipRemoveTimer(Timer);
        Timer->Header.SignalState = 1;
        KiWaitTest(&Timer->Header);
        if (Timer->Dpc)
            KeInsertQueueDpc(Timer->Dpc, (PVOID)(ULONG_PTR)SystemNow.LowPart,
                             (PVOID)(ULONG_PTR)(ULONG)SystemNow.HighPart);
        if (Timer->Period) {
            ULONGLONG Due = Timer->DueTime.QuadPart + (ULONGLONG)Timer->Period * 10000;
            /* A timer that fell behind (a long DPC) does not fire in a burst. */
            if ((LONGLONG)Due <= Now)
                Due = Now + (ULONGLONG)Timer->Period * 10000;
            KipInsertTimer(Timer, Due);
        }
    }
    KiReleaseDispatcherLock();
    return Next;
}
