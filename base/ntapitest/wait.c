/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The waits: NtWaitForSingleObject (signalled, time-outs of zero, relative
 * and absolute in the past and the future, bad handles, rights, the time-out
 * pointer), NtWaitForMultipleObjects (the wait-any index, wait-all taking
 * everything or nothing, counts 0, 64 and 65, bad wait types and arrays,
 * duplicates as Windows treats them), NtSignalAndWaitForSingleObject, and
 * NtDelayExecution. Waits woken by a second thread (and the state of a
 * thread that ended) need NtCreateThreadEx (ps branch).
 */
#include "synch.h"

static NTSTATUS NtapiWaitMany(ULONG Count, HANDLE *Handles, ULONG Type, LONGLONG Timeout)
{
    LARGE_INTEGER Time = {.QuadPart = Timeout};

    return NtWaitForMultipleObjects(Count, Handles, Type, FALSE, &Time);
}

static LONGLONG NtapiSystemTime(VOID)
{
    LARGE_INTEGER Now = {.QuadPart = 0};

    NtQuerySystemTime(&Now);
    return Now.QuadPart;
}

/* ---- NtWaitForSingleObject ------------------------------------------------------------ */

TEST(wait, single_signalled)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);

    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, TRUE, NULL), STATUS_SUCCESS);
    NtClose(Event);
}

TEST(wait, single_zero_timeout)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    CHECK_STATUS(NtapiWait(Event, 0), STATUS_TIMEOUT);
    NtClose(Event);
}

TEST(wait, single_relative_timeout)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtapiWait(Event, -20 * NTAPI_MS), STATUS_TIMEOUT);
    CHECK(NtapiNow() - Start >= 19 * NTAPI_MS);
    CHECK(NtapiNow() - Start < 5000 * NTAPI_MS);
    NtClose(Event);
}

TEST(wait, single_absolute_past)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    CHECK_STATUS(NtapiWait(Event, 1), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiWait(Event, NtapiSystemTime() - 1000 * NTAPI_MS), STATUS_TIMEOUT);
    NtClose(Event);
}

TEST(wait, single_absolute_future)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtapiWait(Event, NtapiSystemTime() + 20 * NTAPI_MS), STATUS_TIMEOUT);
    CHECK(NtapiNow() - Start >= 15 * NTAPI_MS);
    NtClose(Event);
}

TEST(wait, single_bad_handles)
{
    HANDLE Event = NtapiEvent(EVENT_MODIFY_STATE, NotificationEvent, TRUE);

    CHECK_STATUS(NtapiWait(NULL, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiWait((HANDLE)0x4440, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiWait(Event, 0), STATUS_ACCESS_DENIED);
    NtClose(Event);
}

TEST(wait, single_timeout_pointer)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    LONGLONG Buffer[2] = {0, 0};

    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, NTAPI_BAD_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, (PVOID)((UCHAR *)Buffer + 1)),
                 STATUS_DATATYPE_MISALIGNMENT);
    NtClose(Event);
}

TEST(wait, own_process_and_thread_run)
{
    HANDLE Process = NtapiOpenSelfProcess(SYNCHRONIZE);
    HANDLE Thread = NtapiOpenSelfThread(SYNCHRONIZE);

    CHECK(Process != NULL && Thread != NULL);
    CHECK_STATUS(NtapiWait(Process, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiWait(Thread, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiWait(NtCurrentProcess(), 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiWait(NtCurrentThread(), -NTAPI_MS), STATUS_TIMEOUT);
    NtClose(Process);
    NtClose(Thread);
}

TEST(wait, alertable_without_alert)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    LARGE_INTEGER Time = {.QuadPart = -NTAPI_MS};

    CHECK_STATUS(NtWaitForSingleObject(Event, TRUE, &Time), STATUS_TIMEOUT);
    NtClose(Event);
}

/* ---- NtWaitForMultipleObjects ----------------------------------------------------------- */

TEST(wait, any_returns_first_signalled_index)
{
    HANDLE Events[3];
    ULONG i;

    for (i = 0; i < 3; i++)
        Events[i] = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, i > 0);
    CHECK_STATUS(NtapiWaitMany(3, Events, WaitAny, 0), STATUS_WAIT_1);
    NtResetEvent(Events[1], NULL);
    CHECK_STATUS(NtapiWaitMany(3, Events, WaitAny, 0), STATUS_WAIT_2);
    NtResetEvent(Events[2], NULL);
    CHECK_STATUS(NtapiWaitMany(3, Events, WaitAny, -NTAPI_MS), STATUS_TIMEOUT);
    for (i = 0; i < 3; i++)
        NtClose(Events[i]);
}

TEST(wait, any_takes_only_one)
{
    HANDLE Events[2] = {NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, TRUE),
                        NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, TRUE)};

    CHECK_STATUS(NtapiWaitMany(2, Events, WaitAny, 0), STATUS_WAIT_0);
    CHECK_EQ(NtapiEventState(Events[0]), 0);
    CHECK_EQ(NtapiEventState(Events[1]), 1);
    CHECK_STATUS(NtapiWaitMany(2, Events, WaitAny, 0), STATUS_WAIT_1);
    CHECK_EQ(NtapiEventState(Events[1]), 0);
    NtClose(Events[0]);
    NtClose(Events[1]);
}

TEST(wait, all_takes_everything)
{
    HANDLE Handles[3] = {NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, TRUE),
                         NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 2, 2),
                         NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE)};

    CHECK_STATUS(NtapiWaitMany(3, Handles, WaitAll, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Handles[0]), 0);
    CHECK_EQ(NtapiSemaphoreCount(Handles[1]), 1);
    CHECK_EQ(NtapiEventState(Handles[2]), 1);
    NtClose(Handles[0]);
    NtClose(Handles[1]);
    NtClose(Handles[2]);
}

TEST(wait, all_takes_nothing_until_all)
{
    HANDLE Handles[3] = {NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, TRUE),
                         NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 1, 1),
                         NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE)};

    CHECK_STATUS(NtapiWaitMany(3, Handles, WaitAll, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiWaitMany(3, Handles, WaitAll, -2 * NTAPI_MS), STATUS_TIMEOUT);
    CHECK_EQ(NtapiEventState(Handles[0]), 1);
    CHECK_EQ(NtapiSemaphoreCount(Handles[1]), 1);
    NtClose(Handles[0]);
    NtClose(Handles[1]);
    NtClose(Handles[2]);
}

TEST(wait, all_with_owned_mutant)
{
    HANDLE Handles[2] = {NtapiMutant(MUTANT_ALL_ACCESS, TRUE),
                         NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE)};
    LONG Previous = 7;

    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAll, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtReleaseMutant(Handles[0], &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, -1);
    CHECK_STATUS(NtReleaseMutant(Handles[0], &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    NtClose(Handles[0]);
    NtClose(Handles[1]);
}

TEST(wait, bad_counts_and_types)
{
    HANDLE Events[65];
    ULONG i;

    Events[0] = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    for (i = 1; i < 65; i++)
        Events[i] = Events[0];
    CHECK_STATUS(NtapiWaitMany(0, Events, WaitAny, 0), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(NtapiWaitMany(65, Events, WaitAny, 0), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(NtapiWaitMany(1, Events, 2, 0), STATUS_INVALID_PARAMETER_3);
    /* The same event 64 times is fine for a wait-any. */
    CHECK_STATUS(NtapiWaitMany(64, Events, WaitAny, 0), STATUS_WAIT_0);
    NtClose(Events[0]);
}

TEST(wait, bad_handle_arrays)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    HANDLE Handles[2] = {Event, (HANDLE)0x5550};

    CHECK_STATUS(NtapiWaitMany(1, NULL, WaitAny, 0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiWaitMany(2, NTAPI_BAD_POINTER, WaitAll, 0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAny, 0), STATUS_INVALID_HANDLE);
    Handles[1] = NtCurrentProcess();
    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAll, 0), STATUS_TIMEOUT);
    NtClose(Event);
}

TEST(wait, array_rights_and_types)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    HANDLE NoSync = NtapiEvent(EVENT_QUERY_STATE | EVENT_MODIFY_STATE, NotificationEvent, TRUE);
    HANDLE Keyed[2] = {NULL, NULL};
    HANDLE Handles[2] = {Event, NoSync};

    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAny, 0), STATUS_ACCESS_DENIED);
    /* Objects without a dispatcher header are waited on through one shared
     * default object, always signalled. */
    CHECK_STATUS(NtCreateKeyedEvent(&Keyed[0], KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE, NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtCreateKeyedEvent(&Keyed[1], KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE, NULL, 0),
                 STATUS_SUCCESS);
    Handles[1] = Keyed[0];
    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAny, 0), STATUS_WAIT_1);
    /* ... so two of them in a wait-all are the same object. */
    CHECK_STATUS(NtapiWaitMany(2, Keyed, WaitAll, 0), STATUS_INVALID_PARAMETER_MIX);
    NtClose(Event);
    NtClose(NoSync);
    NtClose(Keyed[0]);
    NtClose(Keyed[1]);
}

TEST(wait, duplicates_in_wait_all)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    HANDLE Handles[2] = {Event, Event};

    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAll, 0), STATUS_INVALID_PARAMETER_MIX);
    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAny, 0), STATUS_WAIT_0);
    NtClose(Event);
}

TEST(wait, duplicate_object_through_two_handles)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    HANDLE Copy = NULL;
    HANDLE Handles[2];

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Event, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    Handles[0] = Event;
    Handles[1] = Copy;
    /* The object counts, not the handle. */
    CHECK_STATUS(NtapiWaitMany(2, Handles, WaitAll, 0), STATUS_INVALID_PARAMETER_MIX);
    NtClose(Copy);
    NtClose(Event);
}

TEST(wait, multiple_relative_timeout)
{
    HANDLE Events[2] = {NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE),
                        NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE)};
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtapiWaitMany(2, Events, WaitAny, -10 * NTAPI_MS), STATUS_TIMEOUT);
    CHECK(NtapiNow() - Start >= 9 * NTAPI_MS);
    NtClose(Events[0]);
    NtClose(Events[1]);
}

/* ---- NtSignalAndWaitForSingleObject --------------------------------------------------------- */

TEST(wait, signal_and_wait_event)
{
    HANDLE Signal = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    HANDLE Wait = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, TRUE);

    CHECK_STATUS(NtSignalAndWaitForSingleObject(Signal, Wait, FALSE, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Signal), 1);
    CHECK_EQ(NtapiEventState(Wait), 0);
    NtClose(Signal);
    NtClose(Wait);
}

TEST(wait, signal_and_wait_same_object)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, FALSE);
    LARGE_INTEGER Zero = {.QuadPart = 0};

    CHECK_STATUS(NtSignalAndWaitForSingleObject(Event, Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Event), 0);
    NtClose(Event);
}

TEST(wait, signal_and_wait_semaphore_timeout)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 0, 1);
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    LARGE_INTEGER Time = {.QuadPart = -NTAPI_MS};

    CHECK_STATUS(NtSignalAndWaitForSingleObject(Semaphore, Event, FALSE, &Time), STATUS_TIMEOUT);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 1);
    CHECK_STATUS(NtSignalAndWaitForSingleObject(Semaphore, Event, FALSE, &Time),
                 STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    NtClose(Semaphore);
    NtClose(Event);
}

TEST(wait, signal_and_wait_mutant)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, FALSE);
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    LARGE_INTEGER Zero = {.QuadPart = 0};

    CHECK_STATUS(NtSignalAndWaitForSingleObject(Mutant, Event, FALSE, &Zero),
                 STATUS_MUTANT_NOT_OWNED);
    CHECK_STATUS(NtapiWait(Mutant, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtSignalAndWaitForSingleObject(Mutant, Event, FALSE, &Zero), STATUS_SUCCESS);
    CHECK_STATUS(NtReleaseMutant(Mutant, NULL), STATUS_MUTANT_NOT_OWNED);
    NtClose(Mutant);
    NtClose(Event);
}

TEST(wait, signal_and_wait_wrong_objects)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    HANDLE QueryOnly = NtapiEvent(EVENT_QUERY_STATE | SYNCHRONIZE, NotificationEvent, FALSE);
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    LARGE_INTEGER Zero = {.QuadPart = 0};

    CHECK_STATUS(NtSignalAndWaitForSingleObject(NtCurrentProcess(), Event, FALSE, &Zero),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtSignalAndWaitForSingleObject(Timer, Event, FALSE, &Zero),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtSignalAndWaitForSingleObject(QueryOnly, Event, FALSE, &Zero),
                 STATUS_ACCESS_DENIED);
    CHECK_EQ(NtapiEventState(QueryOnly), 0);
    CHECK_STATUS(NtSignalAndWaitForSingleObject(Event, (HANDLE)0x6660, FALSE, &Zero),
                 STATUS_INVALID_HANDLE);
    NtClose(Event);
    NtClose(QueryOnly);
    NtClose(Timer);
}

/* ---- NtDelayExecution -------------------------------------------------------------------------
 */

TEST(wait, delay_relative)
{
    LARGE_INTEGER Delay = {.QuadPart = -15 * NTAPI_MS};
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtDelayExecution(FALSE, &Delay), STATUS_SUCCESS);
    CHECK(NtapiNow() - Start >= 14 * NTAPI_MS);
    CHECK_STATUS(NtDelayExecution(TRUE, &Delay), STATUS_SUCCESS);
}

TEST(wait, delay_zero_and_past)
{
    LARGE_INTEGER Delay = {.QuadPart = 0};

    CHECK_STATUS(NtDelayExecution(FALSE, &Delay), STATUS_SUCCESS);
    Delay.QuadPart = 1;
    CHECK_STATUS(NtDelayExecution(FALSE, &Delay), STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(FALSE, NULL), STATUS_ACCESS_VIOLATION);
}

/* ---- with a second thread -----------------------------------------------------------------------
 */

static ULONG NTAPI NtapiSetEventThread(PVOID Event)
{
    LARGE_INTEGER Delay = {.QuadPart = -5 * NTAPI_MS};

    NtDelayExecution(FALSE, &Delay);
    NtSetEvent(Event, NULL);
    NtTerminateThread(NtCurrentThread(), 0x1234);
    return 0;
}

TEST(wait, woken_by_another_thread)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    HANDLE Thread = NULL;

    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  (PVOID)NtapiSetEventThread, Event, 0, 0, 0, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Event, -2000 * NTAPI_MS), STATUS_SUCCESS);
    /* The thread is signalled when it ends. */
    CHECK_STATUS(NtapiWait(Thread, -2000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Thread, 0), STATUS_SUCCESS);
    NtClose(Thread);
    NtClose(Event);
}
