/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Keyed events: creation (flags must be 0, rights), waits and releases
 * that find no partner and time out (also on the system's keyed event, the
 * NULL handle), odd keys, rights per direction, wrong handles and types,
 * a wait on the handle itself (Windows' default object).
 * The rendezvous of a waiter and a releaser needs a second thread
 * (NtCreateThreadEx, ps branch).
 */
#include "synch.h"

static HANDLE NtapiKeyedEvent(ACCESS_MASK Access)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateKeyedEvent(&Handle, Access, NULL, 0)))
        return NULL;
    return Handle;
}

static NTSTATUS NtapiKeyed(BOOLEAN Release, HANDLE Handle, ULONG_PTR Key, LONGLONG Timeout)
{
    LARGE_INTEGER Time = {.QuadPart = Timeout};

    return Release ? NtReleaseKeyedEvent(Handle, (PVOID)Key, FALSE, &Time)
                   : NtWaitForKeyedEvent(Handle, (PVOID)Key, FALSE, &Time);
}

TEST(keyedevent, create)
{
    HANDLE Handle = NULL;

    CHECK_STATUS(NtCreateKeyedEvent(&Handle, KEYEDEVENT_ALL_ACCESS, NULL, 0), STATUS_SUCCESS);
    CHECK(Handle != NULL);
    CHECK_EQ(NtapiGrantedAccess(Handle), KEYEDEVENT_ALL_ACCESS);
    NtClose(Handle);
    Handle = NtapiKeyedEvent(GENERIC_ALL);
    CHECK_EQ(NtapiGrantedAccess(Handle), KEYEDEVENT_ALL_ACCESS);
    NtClose(Handle);
    /* SYNCHRONIZE is not in KEYEDEVENT_ALL_ACCESS but may be had. */
    Handle = NtapiKeyedEvent(KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE);
    CHECK_EQ(NtapiGrantedAccess(Handle), KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE);
    NtClose(Handle);
}

TEST(keyedevent, create_bad_flags)
{
    HANDLE Handle = NULL;

    CHECK_STATUS(NtCreateKeyedEvent(&Handle, KEYEDEVENT_ALL_ACCESS, NULL, 1),
                 STATUS_INVALID_PARAMETER);
    CHECK(Handle == NULL);
}

TEST(keyedevent, wait_and_release_time_out)
{
    HANDLE Handle = NtapiKeyedEvent(KEYEDEVENT_ALL_ACCESS);
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtapiKeyed(FALSE, Handle, 0x1000, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiKeyed(FALSE, Handle, 0x1000, -5 * NTAPI_MS), STATUS_TIMEOUT);
    CHECK(NtapiNow() - Start >= 4 * NTAPI_MS);
    /* The waiter that timed out is gone: a release finds nobody. */
    CHECK_STATUS(NtapiKeyed(TRUE, Handle, 0x1000, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiKeyed(TRUE, Handle, 0x1000, -2 * NTAPI_MS), STATUS_TIMEOUT);
    /* Nor does a wait find the releaser that timed out. */
    CHECK_STATUS(NtapiKeyed(FALSE, Handle, 0x1000, 0), STATUS_TIMEOUT);
    NtClose(Handle);
}

TEST(keyedevent, system_keyed_event)
{
    CHECK_STATUS(NtapiKeyed(FALSE, NULL, 0x2000, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiKeyed(TRUE, NULL, 0x2000, -NTAPI_MS), STATUS_TIMEOUT);
}

TEST(keyedevent, odd_key)
{
    HANDLE Handle = NtapiKeyedEvent(KEYEDEVENT_ALL_ACCESS);

    CHECK_STATUS(NtapiKeyed(FALSE, Handle, 0x1001, 0), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(NtapiKeyed(TRUE, Handle, 1, 0), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(NtapiKeyed(TRUE, NULL, 3, 0), STATUS_INVALID_PARAMETER_1);
    NtClose(Handle);
}

TEST(keyedevent, access_rights)
{
    HANDLE WaitOnly = NtapiKeyedEvent(KEYEDEVENT_WAIT);
    HANDLE WakeOnly = NtapiKeyedEvent(KEYEDEVENT_WAKE);

    CHECK_STATUS(NtapiKeyed(TRUE, WaitOnly, 8, 0), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtapiKeyed(FALSE, WaitOnly, 8, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiKeyed(FALSE, WakeOnly, 8, 0), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtapiKeyed(TRUE, WakeOnly, 8, 0), STATUS_TIMEOUT);
    NtClose(WaitOnly);
    NtClose(WakeOnly);
}

TEST(keyedevent, key_checked_before_handle)
{
    CHECK_STATUS(NtapiKeyed(FALSE, (HANDLE)0xdeadbeef, 9, 0), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(NtapiKeyed(TRUE, (HANDLE)0xdeadbeef, 9, 0), STATUS_INVALID_PARAMETER_1);
    CHECK_STATUS(NtapiKeyed(FALSE, (HANDLE)0xdeadbeef, 8, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiKeyed(TRUE, (HANDLE)0xdeadbeef, 8, 0), STATUS_INVALID_HANDLE);
}

TEST(keyedevent, generic_rights)
{
    HANDLE Read = NtapiKeyedEvent(GENERIC_READ);
    HANDLE Write = NtapiKeyedEvent(GENERIC_WRITE);
    HANDLE All = NtapiKeyedEvent(KEYEDEVENT_ALL_ACCESS);

    /* GENERIC_READ maps to the right to wait, GENERIC_WRITE to wake. */
    CHECK_STATUS(NtapiKeyed(FALSE, Read, 8, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiKeyed(TRUE, Read, 8, 0), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtapiKeyed(FALSE, Write, 8, 0), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtapiKeyed(TRUE, Write, 8, 0), STATUS_TIMEOUT);
    /* KEYEDEVENT_ALL_ACCESS has no SYNCHRONIZE. */
    CHECK_STATUS(NtapiWait(All, 0), STATUS_ACCESS_DENIED);
    NtClose(Read);
    NtClose(Write);
    NtClose(All);
}

TEST(keyedevent, wrong_handles)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    CHECK_STATUS(NtapiKeyed(FALSE, Event, 8, 0), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtapiKeyed(TRUE, NtCurrentThread(), 8, 0), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtapiKeyed(TRUE, (HANDLE)0x8880, 8, 0), STATUS_INVALID_HANDLE);
    NtClose(Event);
}

TEST(keyedevent, waiting_on_the_handle_ends_at_once)
{
    HANDLE Keyed = NtapiKeyedEvent(KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE);

    /* A keyed event is no dispatcher object: Windows waits on its default
     * object, which is always signalled. */
    CHECK_STATUS(NtapiWait(Keyed, -1000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK_STATUS(NtapiKeyed(FALSE, Keyed, 0, 0), STATUS_TIMEOUT); /* key 0 is even */
    NtClose(Keyed);
}

static ULONG NTAPI NtapiReleaseKeyThread(PVOID Handle)
{
    LARGE_INTEGER Time = {.QuadPart = -2000 * NTAPI_MS};

    NtReleaseKeyedEvent(Handle, (PVOID)0x40, FALSE, &Time);
    NtTerminateThread(NtCurrentThread(), 0);
    return 0;
}

TEST(keyedevent, rendezvous)
{
    HANDLE Keyed = NtapiKeyedEvent(KEYEDEVENT_ALL_ACCESS);
    HANDLE Thread = NULL;

    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  (PVOID)NtapiReleaseKeyThread, Keyed, 0, 0, 0, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiKeyed(FALSE, Keyed, 0x40, -2000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Thread, -2000 * NTAPI_MS), STATUS_SUCCESS);
    NtClose(Thread);
    NtClose(Keyed);
}

TEST(keyedevent, named_create_and_open)
{
    static WCHAR Name[] = L"\\BaseNamedObjects\\NtapiTest_keyedevent";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE First = NULL, Second = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtCreateKeyedEvent(&First, KEYEDEVENT_ALL_ACCESS, &Attributes, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtOpenKeyedEvent(&Second, KEYEDEVENT_ALL_ACCESS, &Attributes), STATUS_SUCCESS);
    CHECK(Second != NULL && Second != First);
    CHECK_STATUS(NtapiKeyed(FALSE, Second, 0x10, 0), STATUS_TIMEOUT);
    NtClose(First);
    NtClose(Second);
}

TEST(keyedevent, system_keyed_event_by_name)
{
    static WCHAR Name[] = L"\\KernelObjects\\CritSecOutOfMemoryEvent";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Handle = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtOpenKeyedEvent(&Handle, KEYEDEVENT_ALL_ACCESS, &Attributes), STATUS_SUCCESS);
    CHECK_STATUS(NtapiKeyed(TRUE, Handle, 0x20, 0), STATUS_TIMEOUT);
    NtClose(Handle);
    CHECK_STATUS(NtOpenEvent(&Handle, EVENT_ALL_ACCESS, &Attributes), STATUS_OBJECT_TYPE_MISMATCH);
}
