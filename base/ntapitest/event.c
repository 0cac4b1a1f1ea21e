/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Events: creation (notification and synchronization, initial state, bad
 * types), NtSetEvent / NtResetEvent / NtClearEvent / NtPulseEvent and the
 * previous states they report, NtQueryEvent's class and exact length,
 * access rights and their generic mapping, wrong handles and types, and
 * how a satisfied wait leaves each kind, named events (create, open,
 * OPEN_IF, collisions, the type behind a name).
 */
#include "synch.h"

TEST(event, create_notification_signalled)
{
    HANDLE Event = NULL;
    EVENT_BASIC_INFORMATION Info;
    ULONG Length = 0;

    CHECK_STATUS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, NotificationEvent, TRUE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryEvent(Event, 0, &Info, sizeof(Info), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.EventType, NotificationEvent);
    CHECK_EQ(Info.EventState, 1);
    NtClose(Event);
}

TEST(event, create_synchronization_reset)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, FALSE);
    EVENT_BASIC_INFORMATION Info;

    CHECK(Event != NULL);
    CHECK_STATUS(NtQueryEvent(Event, 0, &Info, sizeof(Info), NULL), STATUS_SUCCESS);
    CHECK_EQ(Info.EventType, SynchronizationEvent);
    CHECK_EQ(Info.EventState, 0);
    NtClose(Event);
}

TEST(event, create_bad_type)
{
    HANDLE Event = NULL;

    CHECK_STATUS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, 2, FALSE), STATUS_INVALID_PARAMETER);
    CHECK(Event == NULL);
}

TEST(event, set_reports_previous_state)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    LONG Previous = 7;

    CHECK_STATUS(NtSetEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_STATUS(NtSetEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Event), 1);
    NtClose(Event);
}

TEST(event, reset_and_clear)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    LONG Previous = 7;

    CHECK_STATUS(NtResetEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_STATUS(NtResetEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtClearEvent(Event), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Event), 0);
    NtClose(Event);
}

TEST(event, pulse_leaves_it_reset)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);
    LONG Previous = 7;

    CHECK_STATUS(NtPulseEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_EQ(NtapiEventState(Event), 0);
    CHECK_STATUS(NtPulseEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_EQ(NtapiEventState(Event), 0);
    CHECK_STATUS(NtapiWait(Event, 0), STATUS_TIMEOUT);
    NtClose(Event);
}

TEST(event, notification_stays_signalled)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, TRUE);

    CHECK_STATUS(NtapiWait(Event, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Event, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Event), 1);
    NtClose(Event);
}

TEST(event, synchronization_resets_on_wait)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, SynchronizationEvent, TRUE);

    CHECK_STATUS(NtapiWait(Event, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Event), 0);
    CHECK_STATUS(NtapiWait(Event, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Event, -NTAPI_MS), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(Event), 0);
    NtClose(Event);
}

TEST(event, query_bad_class)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    EVENT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtQueryEvent(Event, 1, &Info, sizeof(Info), NULL), STATUS_INVALID_INFO_CLASS);
    /* The class is checked before the handle. */
    CHECK_STATUS(NtQueryEvent((HANDLE)0x1234, 1, &Info, sizeof(Info), NULL),
                 STATUS_INVALID_INFO_CLASS);
    NtClose(Event);
}

TEST(event, query_lengths)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    UCHAR Buffer[16];
    ULONG Length = 0x55;

    CHECK_STATUS(NtQueryEvent(Event, 0, Buffer, 4, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryEvent(Event, 0, Buffer, 9, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryEvent(Event, 0, Buffer, 0, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryEvent(Event, 0, NTAPI_BAD_POINTER, 8, NULL), STATUS_ACCESS_VIOLATION);
    NtClose(Event);
}

TEST(event, access_rights)
{
    HANDLE QueryOnly = NtapiEvent(EVENT_QUERY_STATE, NotificationEvent, FALSE);
    HANDLE ModifyOnly = NtapiEvent(EVENT_MODIFY_STATE, NotificationEvent, FALSE);
    EVENT_BASIC_INFORMATION Info;

    CHECK(QueryOnly != NULL && ModifyOnly != NULL);
    CHECK_STATUS(NtSetEvent(QueryOnly, NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtResetEvent(QueryOnly, NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtPulseEvent(QueryOnly, NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtClearEvent(QueryOnly), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtQueryEvent(QueryOnly, 0, &Info, sizeof(Info), NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryEvent(ModifyOnly, 0, &Info, sizeof(Info), NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtSetEvent(ModifyOnly, NULL), STATUS_SUCCESS);
    /* Waiting needs SYNCHRONIZE. */
    CHECK_STATUS(NtapiWait(ModifyOnly, 0), STATUS_ACCESS_DENIED);
    NtClose(QueryOnly);
    NtClose(ModifyOnly);
}

TEST(event, generic_mapping)
{
    HANDLE Read = NtapiEvent(GENERIC_READ, NotificationEvent, FALSE);
    HANDLE All = NtapiEvent(GENERIC_ALL, NotificationEvent, FALSE);
    HANDLE Max = NtapiEvent(MAXIMUM_ALLOWED, NotificationEvent, FALSE);

    CHECK_EQ(NtapiGrantedAccess(Read), 0x00020001u);
    CHECK_EQ(NtapiGrantedAccess(All), EVENT_ALL_ACCESS);
    CHECK_EQ(NtapiGrantedAccess(Max), EVENT_ALL_ACCESS);
    NtClose(Read);
    NtClose(All);
    NtClose(Max);
}

TEST(event, wrong_handles)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 0, 1);

    CHECK_STATUS(NtSetEvent(NULL, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtSetEvent((HANDLE)0x12340, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtSetEvent(NtCurrentProcess(), NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtResetEvent(Semaphore, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 0);
    NtClose(Semaphore);
}

TEST(event, previous_state_bad_pointer)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    /* The out pointer is probed first: the event does not change. */
    CHECK_STATUS(NtSetEvent(Event, NTAPI_BAD_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtSetEvent(Event, NTAPI_READONLY_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiEventState(Event), 0);
    NtClose(Event);
}

TEST(event, closed_handle)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    CHECK_STATUS(NtClose(Event), STATUS_SUCCESS);
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_INVALID_HANDLE);
}

TEST(event, named_create_and_open)
{
    static WCHAR Name[] = L"\\BaseNamedObjects\\NtapiTestEvent";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE First = NULL, Second = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtCreateEvent(&First, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtOpenEvent(&Second, EVENT_ALL_ACCESS, &Attributes), STATUS_SUCCESS);
    CHECK_STATUS(NtSetEvent(Second, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiEventState(First), 1);
    NtClose(First);
    NtClose(Second);
}

TEST(event, named_collision_and_openif)
{
    static WCHAR Name[] = L"\\BaseNamedObjects\\NtapiTestEvent2";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE First = NULL, Second = NULL, Third = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtCreateEvent(&First, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, TRUE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtCreateEvent(&Second, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE),
                 STATUS_OBJECT_NAME_COLLISION);
    Attributes.Attributes = OBJ_OPENIF;
    /* OPEN_IF opens the existing one: its state, not the new initial state. */
    CHECK_STATUS(NtCreateEvent(&Second, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE),
                 STATUS_OBJECT_NAME_EXISTS);
    CHECK_EQ(NtapiEventState(Second), 1);
    /* Another type under the name. */
    CHECK_STATUS(NtOpenMutant(&Third, MUTANT_ALL_ACCESS, &Attributes), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtCreateSemaphore(&Third, SEMAPHORE_ALL_ACCESS, &Attributes, 0, 1),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(First);
    NtClose(Second);
    /* The last handle gone, the name goes too. */
    Attributes.Attributes = 0;
    CHECK_STATUS(NtOpenEvent(&Third, EVENT_ALL_ACCESS, &Attributes), STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(event, query_misaligned_buffer)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    ULONG Buffer[4];

    CHECK_STATUS(NtQueryEvent(Event, 0, (UCHAR *)Buffer + 2, 8, NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    /* The length is checked first. */
    CHECK_STATUS(NtQueryEvent(Event, 0, (UCHAR *)Buffer + 2, 7, NULL), STATUS_INFO_LENGTH_MISMATCH);
    NtClose(Event);
}
