/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Waits between threads of the caller's process (NtCreateThreadEx): a
 * thread ended while it waits (its wait leaves cleanly, its handle is
 * signalled with its exit status), how many waiters a synchronization
 * event, a notification event, a pulse and a semaphore release, a mutant
 * handed from one thread to another, a wait-all completed by another
 * thread (nothing taken before), signal-and-wait with a partner, a
 * wait-any ended by a thread's end, an alert ending only alertable waits,
 * and a child process and its thread signalled when it ends. Each
 * helper thread returns its wait's status as its exit status.
 */
#include "pstest.h"
#include "synch.h"

#define NTAPI_LONG_WAIT (-2000 * NTAPI_MS)

static volatile LONG NtapiWoken;
static HANDLE NtapiPair[2];

static VOID NtapiSleepMs(LONG Ms)
{
    LARGE_INTEGER Delay = {.QuadPart = -Ms * NTAPI_MS};

    NtDelayExecution(FALSE, &Delay);
}

static NTSTATUS NTAPI NtapiWaitForever(PVOID Handle)
{
    return NtWaitForSingleObject(Handle, FALSE, NULL);
}

static NTSTATUS NTAPI NtapiWaitAndCount(PVOID Handle)
{
    NTSTATUS Status = NtapiWait(Handle, NTAPI_LONG_WAIT);

    if (Status == STATUS_SUCCESS)
        __atomic_fetch_add(&NtapiWoken, 1, __ATOMIC_SEQ_CST);
    return Status;
}

/* Start Count threads running Routine(Handle). */
static BOOLEAN NtapiStartWaiters(NTAPI_THREAD_ROUTINE Routine, HANDLE Handle, ULONG Count,
                                 HANDLE *Threads)
{
    BOOLEAN Ok = TRUE;

    for (ULONG i = 0; i < Count; i++)
        Ok &= CHECK_STATUS(NtapiCreateThread(Routine, Handle, 0, &Threads[i]), STATUS_SUCCESS);
    NtapiSleepMs(10); /* they block */
    return Ok;
}

/* Wait for the threads to end; each must have ended with Expected. */
static VOID NtapiEndWaiters(HANDLE *Threads, ULONG Count, NTSTATUS Expected)
{
    for (ULONG i = 0; i < Count; i++) {
        CHECK_STATUS(NtapiWait(Threads[i], NTAPI_LONG_WAIT), STATUS_SUCCESS);
        CHECK_STATUS(NtapiWaitThread(Threads[i]), Expected);
        NtClose(Threads[i]);
    }
}

TEST(wait, thread_ended_while_waiting)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    HANDLE Thread = NULL;

    if (!NtapiStartWaiters(NtapiWaitForever, Event, 1, &Thread))
        return;
    CHECK_STATUS(NtapiWait(Thread, 0), STATUS_TIMEOUT); /* still waiting */
    CHECK_STATUS(NtTerminateThread(Thread, 0x77), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Thread, NTAPI_LONG_WAIT), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWaitThread(Thread), 0x77);
    /* Its wait left the event: a set wakes nobody and stays. */
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Event), 1);
    NtClose(Thread);
    NtClose(Event);
}

TEST(wait, synchronization_event_wakes_one_thread)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, FALSE);
    HANDLE Threads[2];

    NtapiWoken = 0;
    if (!NtapiStartWaiters(NtapiWaitAndCount, Event, 2, Threads))
        return;
    CHECK_EQ(NtapiWoken, 0);
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    NtapiSleepMs(10);
    CHECK_EQ(NtapiWoken, 1);
    CHECK_EQ(NtapiEventState(Event), 0); /* taken by the one it woke */
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    NtapiEndWaiters(Threads, 2, STATUS_SUCCESS);
    CHECK_EQ(NtapiWoken, 2);
    CHECK_EQ(NtapiEventState(Event), 0);
    NtClose(Event);
}

TEST(wait, pulse_wakes_every_thread)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    HANDLE Threads[2];
    LONG Previous = 7;

    NtapiWoken = 0;
    if (!NtapiStartWaiters(NtapiWaitAndCount, Event, 2, Threads))
        return;
    CHECK_STATUS(NtPulseEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_EQ(NtapiEventState(Event), 0);
    NtapiEndWaiters(Threads, 2, STATUS_SUCCESS);
    CHECK_EQ(NtapiWoken, 2);
    NtClose(Event);
}

TEST(wait, semaphore_release_wakes_count)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 0, 10);
    HANDLE Threads[3];
    LONG Previous = 7;

    NtapiWoken = 0;
    if (!NtapiStartWaiters(NtapiWaitAndCount, Semaphore, 3, Threads))
        return;
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 2, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    NtapiSleepMs(10);
    CHECK_EQ(NtapiWoken, 2);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 0);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 2, NULL), STATUS_SUCCESS);
    NtapiEndWaiters(Threads, 3, STATUS_SUCCESS);
    CHECK_EQ(NtapiWoken, 3);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 1);
    NtClose(Semaphore);
}

/* Take the mutant, check it is ours, give it back. */
static NTSTATUS NTAPI NtapiTakeAndRelease(PVOID Mutant)
{
    MUTANT_BASIC_INFORMATION Info;
    NTSTATUS Status = NtapiWait(Mutant, NTAPI_LONG_WAIT);

    if (Status != STATUS_SUCCESS)
        return Status;
    Status = NtQueryMutant(Mutant, 0, &Info, sizeof(Info), NULL);
    if (NT_SUCCESS(Status) && (!Info.OwnedByCaller || Info.CurrentCount != 0))
        Status = STATUS_UNSUCCESSFUL;
    if (NT_SUCCESS(Status))
        Status = NtReleaseMutant(Mutant, NULL);
    return Status;
}

TEST(wait, mutant_handed_to_another_thread)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, TRUE);
    HANDLE Thread = NULL;
    MUTANT_BASIC_INFORMATION Info;

    if (!NtapiStartWaiters(NtapiTakeAndRelease, Mutant, 1, &Thread))
        return;
    CHECK_STATUS(NtapiWait(Thread, 0), STATUS_TIMEOUT); /* blocked on our mutant */
    CHECK_STATUS(NtReleaseMutant(Mutant, NULL), STATUS_SUCCESS);
    NtapiEndWaiters(&Thread, 1, STATUS_SUCCESS);
    CHECK_STATUS(NtQueryMutant(Mutant, 0, &Info, sizeof(Info), NULL), STATUS_SUCCESS);
    CHECK_EQ(Info.CurrentCount, 1);
    CHECK_EQ(Info.OwnedByCaller, FALSE);
    CHECK_EQ(Info.AbandonedState, FALSE);
    CHECK_STATUS(NtReleaseMutant(Mutant, NULL), STATUS_MUTANT_NOT_OWNED);
    NtClose(Mutant);
}

static NTSTATUS NTAPI NtapiWaitForPair(PVOID Unused __attribute__((unused)))
{
    LARGE_INTEGER Timeout = {.QuadPart = NTAPI_LONG_WAIT};

    return NtWaitForMultipleObjects(2, NtapiPair, WaitAll, FALSE, &Timeout);
}

TEST(wait, all_completed_by_another_thread)
{
    HANDLE Thread = NULL;

    NtapiPair[0] = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, FALSE);
    NtapiPair[1] = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, FALSE);
    if (!NtapiStartWaiters(NtapiWaitForPair, NULL, 1, &Thread))
        return;
    CHECK_STATUS(NtSetEvent(NtapiPair[0], NULL), STATUS_SUCCESS);
    NtapiSleepMs(10);
    /* Half of a wait-all: nothing taken, the waiter still waits. */
    CHECK_EQ(NtapiEventState(NtapiPair[0]), 1);
    CHECK_STATUS(NtapiWait(Thread, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtSetEvent(NtapiPair[1], NULL), STATUS_SUCCESS);
    NtapiEndWaiters(&Thread, 1, STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(NtapiPair[0]), 0);
    CHECK_EQ(NtapiEventState(NtapiPair[1]), 0);
    NtClose(NtapiPair[0]);
    NtClose(NtapiPair[1]);
}

/* Wait for the first of the pair, then set the second. */
static NTSTATUS NTAPI NtapiAnswer(PVOID Unused __attribute__((unused)))
{
    NTSTATUS Status = NtapiWait(NtapiPair[0], NTAPI_LONG_WAIT);

    if (Status == STATUS_SUCCESS)
        Status = NtSetEvent(NtapiPair[1], NULL);
    return Status;
}

TEST(wait, signal_and_wait_with_a_partner)
{
    HANDLE Thread = NULL;
    LARGE_INTEGER Timeout = {.QuadPart = NTAPI_LONG_WAIT};

    NtapiPair[0] = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, FALSE);
    NtapiPair[1] = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, FALSE);
    if (!NtapiStartWaiters(NtapiAnswer, NULL, 1, &Thread))
        return;
    CHECK_STATUS(NtSignalAndWaitForSingleObject(NtapiPair[0], NtapiPair[1], FALSE, &Timeout),
                 STATUS_SUCCESS);
    NtapiEndWaiters(&Thread, 1, STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(NtapiPair[0]), 0);
    CHECK_EQ(NtapiEventState(NtapiPair[1]), 0);
    NtClose(NtapiPair[0]);
    NtClose(NtapiPair[1]);
}

static NTSTATUS NTAPI NtapiSleepAndReturn(PVOID Status)
{
    NtapiSleepMs(5);
    return (NTSTATUS)(ULONG_PTR)Status;
}

TEST(wait, any_ended_by_a_thread)
{
    HANDLE Handles[2] = {NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE), NULL};

    if (!CHECK_STATUS(NtapiCreateThread(NtapiSleepAndReturn, (PVOID)0x1234, 0, &Handles[1]),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtWaitForMultipleObjects(2, Handles, WaitAny, FALSE, NULL), STATUS_WAIT_1);
    CHECK_STATUS(NtapiWaitThread(Handles[1]), 0x1234);
    NtClose(Handles[0]);
    NtClose(Handles[1]);
}

static NTSTATUS NTAPI NtapiWaitAlertable(PVOID Event)
{
    LARGE_INTEGER Timeout = {.QuadPart = NTAPI_LONG_WAIT};

    return NtWaitForSingleObject(Event, TRUE, &Timeout);
}

TEST(wait, alert_ends_alertable_waits_only)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    HANDLE Alertable = NULL, Plain = NULL;

    if (!NtapiStartWaiters(NtapiWaitAlertable, Event, 1, &Alertable) ||
        !NtapiStartWaiters(NtapiWaitAndCount, Event, 1, &Plain))
        return;
    CHECK_STATUS(NtAlertThread(Alertable), STATUS_SUCCESS);
    CHECK_STATUS(NtAlertThread(Plain), STATUS_SUCCESS);
    NtapiEndWaiters(&Alertable, 1, STATUS_ALERTED);
    CHECK_STATUS(NtapiWait(Plain, 0), STATUS_TIMEOUT); /* a plain wait goes on */
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    NtapiEndWaiters(&Plain, 1, STATUS_SUCCESS);
    NtClose(Event);
}

TEST(wait, process_signalled_when_it_ends)
{
    HANDLE Process = NULL, Thread = NULL;
    HANDLE Handles[2];
    LARGE_INTEGER Timeout = {.QuadPart = NTAPI_LONG_WAIT};

    if (!CHECK_STATUS(NtapiCreateChild(u"exit 0x4243", NULL, 0, 0, &Process, &Thread),
                      STATUS_SUCCESS))
        return;
    /* Its process and its first thread, together. */
    Handles[0] = Process;
    Handles[1] = Thread;
    CHECK_STATUS(NtWaitForMultipleObjects(2, Handles, WaitAll, FALSE, &Timeout), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Process, 0), STATUS_SUCCESS); /* and it stays signalled */
    CHECK_EQ(NtapiWaitProcess(Process), 0x4243);
    NtClose(Thread);
    NtClose(Process);
}
