/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timers: creation (both types, bad type), NtSetTimer with relative,
 * absolute past and periodic due times, the previous and current states of
 * NtSetTimer / NtCancelTimer, NtQueryTimer (remaining time, state, class,
 * length), how a wait leaves a notification and a synchronization timer,
 * ResumeTimer, a negative period, access rights; the timer resolution
 * services. APC routines need user APCs (ctx branch).
 */
#include "synch.h"

static NTSTATUS NtapiSetTimer(HANDLE Timer, LONGLONG DueTime, LONG Period, BOOLEAN *Previous)
{
    LARGE_INTEGER Due = {.QuadPart = DueTime};

    return NtSetTimer(Timer, &Due, NULL, NULL, FALSE, Period, Previous);
}

static BOOLEAN NtapiQueryTimer(HANDLE Timer, TIMER_BASIC_INFORMATION *Info)
{
    memset(Info, 0xcc, sizeof(*Info));
    return NT_SUCCESS(NtQueryTimer(Timer, 0, Info, sizeof(*Info), NULL));
}

TEST(timer, create_not_set)
{
    HANDLE Timer = NULL;
    TIMER_BASIC_INFORMATION Info;
    ULONG Length = 0;

    CHECK_STATUS(NtCreateTimer(&Timer, TIMER_ALL_ACCESS, NULL, NotificationTimer), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryTimer(Timer, 0, &Info, sizeof(Info), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.TimerState, FALSE);
    CHECK_STATUS(NtapiWait(Timer, 0), STATUS_TIMEOUT);
    NtClose(Timer);
}

TEST(timer, create_bad_type)
{
    HANDLE Timer = NULL;

    CHECK_STATUS(NtCreateTimer(&Timer, TIMER_ALL_ACCESS, NULL, 2), STATUS_INVALID_PARAMETER_4);
    CHECK(Timer == NULL);
}

TEST(timer, relative_expiry)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    TIMER_BASIC_INFORMATION Info;
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtapiSetTimer(Timer, -5 * NTAPI_MS, 0, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Timer, -2000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK(NtapiNow() - Start >= 4 * NTAPI_MS);
    CHECK(NtapiQueryTimer(Timer, &Info));
    CHECK_EQ(Info.TimerState, TRUE);
    /* A notification timer stays signalled. */
    CHECK_STATUS(NtapiWait(Timer, 0), STATUS_SUCCESS);
    NtClose(Timer);
}

TEST(timer, absolute_past_expires_at_once)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);

    CHECK_STATUS(NtapiSetTimer(Timer, 1, 0, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Timer, -1000 * NTAPI_MS), STATUS_SUCCESS);
    NtClose(Timer);
}

TEST(timer, set_reports_and_resets_state)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    BOOLEAN Previous = 7;

    CHECK_STATUS(NtapiSetTimer(Timer, 1, 0, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, FALSE);
    CHECK_STATUS(NtapiWait(Timer, -1000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK_STATUS(NtapiSetTimer(Timer, -10000 * NTAPI_MS, 0, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, TRUE);
    CHECK_STATUS(NtapiWait(Timer, 0), STATUS_TIMEOUT);
    NtClose(Timer);
}

TEST(timer, cancel)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    TIMER_BASIC_INFORMATION Info;
    BOOLEAN Current = 7;

    CHECK_STATUS(NtapiSetTimer(Timer, -10 * NTAPI_MS, 0, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtCancelTimer(Timer, &Current), STATUS_SUCCESS);
    CHECK_EQ(Current, FALSE);
    CHECK_STATUS(NtapiWait(Timer, -30 * NTAPI_MS), STATUS_TIMEOUT);
    CHECK(NtapiQueryTimer(Timer, &Info));
    CHECK_EQ(Info.TimerState, FALSE);
    /* Cancelling does not reset a timer that expired. */
    CHECK_STATUS(NtapiSetTimer(Timer, 1, 0, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Timer, -1000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK_STATUS(NtCancelTimer(Timer, &Current), STATUS_SUCCESS);
    CHECK_EQ(Current, TRUE);
    CHECK_STATUS(NtCancelTimer(Timer, NULL), STATUS_SUCCESS);
    NtClose(Timer);
}

TEST(timer, query_remaining_time)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    TIMER_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiSetTimer(Timer, -10000 * NTAPI_MS, 0, NULL), STATUS_SUCCESS);
    CHECK(NtapiQueryTimer(Timer, &Info));
    CHECK(Info.RemainingTime.QuadPart > 9000 * NTAPI_MS);
    CHECK(Info.RemainingTime.QuadPart <= 10000 * NTAPI_MS);
    CHECK_EQ(Info.TimerState, FALSE);
    NtCancelTimer(Timer, NULL);
    NtClose(Timer);
}

TEST(timer, synchronization_resets_on_wait)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, SynchronizationTimer);

    CHECK_STATUS(NtapiSetTimer(Timer, -1 * NTAPI_MS, 0, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Timer, -1000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Timer, 0), STATUS_TIMEOUT);
    NtClose(Timer);
}

TEST(timer, periodic)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, SynchronizationTimer);
    LONGLONG Start = NtapiNow();
    ULONG Round;

    CHECK_STATUS(NtapiSetTimer(Timer, -1 * NTAPI_MS, 5, NULL), STATUS_SUCCESS);
    for (Round = 0; Round < 3; Round++)
        CHECK_STATUS(NtapiWait(Timer, -1000 * NTAPI_MS), STATUS_SUCCESS);
    /* Three expiries: at 1, 6 and 11 ms. */
    CHECK(NtapiNow() - Start >= 10 * NTAPI_MS);
    CHECK_STATUS(NtCancelTimer(Timer, NULL), STATUS_SUCCESS);
    NtClose(Timer);
}

TEST(timer, bad_period_and_resume)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    LARGE_INTEGER Due = {.QuadPart = -10000 * NTAPI_MS};

    CHECK_STATUS(NtapiSetTimer(Timer, -NTAPI_MS, -1, NULL), STATUS_INVALID_PARAMETER_6);
    /* No power management: the resume flag is ignored, the timer is set. */
    CHECK_STATUS(NtSetTimer(Timer, &Due, NULL, NULL, TRUE, 0, NULL), STATUS_TIMER_RESUME_IGNORED);
    CHECK_STATUS(NtCancelTimer(Timer, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtSetTimer(Timer, NTAPI_BAD_POINTER, NULL, NULL, FALSE, 0, NULL),
                 STATUS_ACCESS_VIOLATION);
    NtClose(Timer);
}

TEST(timer, query_class_and_length)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    UCHAR Buffer[32];

    CHECK_STATUS(NtQueryTimer(Timer, 1, Buffer, 16, NULL), STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQueryTimer(Timer, 0, Buffer, 12, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryTimer(Timer, 0, Buffer, 32, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryTimer(Timer, 0, Buffer + 1, 16, NULL), STATUS_DATATYPE_MISALIGNMENT);
    NtClose(Timer);
}

TEST(timer, access_rights)
{
    HANDLE Query = NtapiTimer(TIMER_QUERY_STATE, NotificationTimer);
    HANDLE Modify = NtapiTimer(TIMER_MODIFY_STATE, NotificationTimer);
    TIMER_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiSetTimer(Query, -NTAPI_MS, 0, NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtCancelTimer(Query, NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtQueryTimer(Modify, 0, &Info, sizeof(Info), NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtapiWait(Modify, 0), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtCancelTimer(Modify, NULL), STATUS_SUCCESS);
    NtClose(Query);
    NtClose(Modify);
    Query = NtapiTimer(GENERIC_READ, NotificationTimer);
    CHECK_EQ(NtapiGrantedAccess(Query), 0x00020001u);
    NtClose(Query);
}

TEST(timer, wrong_handles)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    CHECK_STATUS(NtCancelTimer(Event, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtapiSetTimer(NtCurrentProcess(), -NTAPI_MS, 0, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtCancelTimer(NULL, NULL), STATUS_INVALID_HANDLE);
    NtClose(Event);
}

static ULONG NtapiTimerApcCalls;

static VOID NTAPI NtapiTimerApc(PVOID Context, ULONG Low, ULONG High)
{
    if (Context == (PVOID)&NtapiTimerApcCalls && (High != 0 || Low != 0))
        NtapiTimerApcCalls++;
}

TEST(timer, apc_routine)
{
    HANDLE Timer = NtapiTimer(TIMER_ALL_ACCESS, NotificationTimer);
    LARGE_INTEGER Due = {.QuadPart = -NTAPI_MS}, Delay = {.QuadPart = -1000 * NTAPI_MS};

    NtapiTimerApcCalls = 0;
    CHECK_STATUS(NtSetTimer(Timer, &Due, (PVOID)NtapiTimerApc, &NtapiTimerApcCalls, FALSE, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(TRUE, &Delay), STATUS_USER_APC);
    CHECK_EQ(NtapiTimerApcCalls, 1);
    NtClose(Timer);
}

/* ---- the timer resolution ------------------------------------------------------------ */

TEST(timer, resolution_query)
{
    ULONG Coarsest = 0, Finest = 0, Current = 0;

    CHECK_STATUS(NtQueryTimerResolution(&Coarsest, &Finest, &Current), STATUS_SUCCESS);
    CHECK(Finest > 0);
    CHECK(Finest <= Current && Current <= Coarsest);
    CHECK_STATUS(NtQueryTimerResolution(NULL, &Finest, &Current), STATUS_ACCESS_VIOLATION);
}

TEST(timer, resolution_set_and_release)
{
    ULONG Coarsest, Finest, Current, Actual = 0;

    CHECK_STATUS(NtQueryTimerResolution(&Coarsest, &Finest, &Current), STATUS_SUCCESS);
    /* Giving up a resolution never asked for. */
    CHECK_STATUS(NtSetTimerResolution(Finest, FALSE, &Actual), STATUS_TIMER_RESOLUTION_NOT_SET);
    CHECK_STATUS(NtSetTimerResolution(Finest, TRUE, &Actual), STATUS_SUCCESS);
    CHECK(Actual >= Finest && Actual <= Coarsest);
    CHECK_STATUS(NtSetTimerResolution(Finest, FALSE, &Actual), STATUS_SUCCESS);
    CHECK_STATUS(NtSetTimerResolution(Finest, FALSE, &Actual), STATUS_TIMER_RESOLUTION_NOT_SET);
}

TEST(timer, named_create_and_open)
{
    static WCHAR Name[] = L"\\BaseNamedObjects\\NtapiTest_timer";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE First = NULL, Second = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtCreateTimer(&First, TIMER_ALL_ACCESS, &Attributes, NotificationTimer),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtOpenTimer(&Second, TIMER_ALL_ACCESS, &Attributes), STATUS_SUCCESS);
    CHECK(Second != NULL && Second != First);
    CHECK_STATUS(NtapiSetTimer(Second, 1, 0, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(First, -1000 * NTAPI_MS), STATUS_SUCCESS);
    NtClose(First);
    NtClose(Second);
}
