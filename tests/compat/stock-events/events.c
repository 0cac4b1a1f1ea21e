/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stock-events.exe: dispatcher objects and waits from a program built with
 * the SDK's <windows.h> and <winternl.h> as mingw-w64 installs them, linked
 * with mingw-w64's own libntdll.a. The access masks are the SDK's; the
 * services the SDK's user-mode headers do not declare are declared below
 * with their Windows prototypes. Expected values are Windows': a
 * notification event stays signalled, a synchronization event wakes one
 * wait, a semaphore counts and refuses to pass its maximum, a mutant is
 * owned by its creator and released once, WaitAny reports the index of the
 * signalled object, a zero time-out answers STATUS_TIMEOUT.
 */
#include <windows.h>
#include <winternl.h>

#include "../lib/compat.h"

const char CompatProgram[] = "events";

typedef enum _COMPAT_EVENT_TYPE {
    CompatNotificationEvent,
    CompatSynchronizationEvent
} COMPAT_EVENT_TYPE;

typedef struct _COMPAT_EVENT_BASIC_INFORMATION {
    COMPAT_EVENT_TYPE EventType;
    LONG EventState;
} COMPAT_EVENT_BASIC_INFORMATION;

NTSYSAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes,
                                      COMPAT_EVENT_TYPE EventType, BOOLEAN InitialState);
NTSYSAPI NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtQueryEvent(HANDLE EventHandle, ULONG EventInformationClass,
                                     PVOID EventInformation, ULONG EventInformationLength,
                                     PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                                          LONG MaximumCount);
NTSYSAPI NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                           PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner);
NTSYSAPI NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, PHANDLE Handles, ULONG WaitType,
                                                 BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval);

#define STATUS_SUCCESS                  ((NTSTATUS)0x00000000L)
#define STATUS_WAIT_1                   ((NTSTATUS)0x00000001L)
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047L)
#define STATUS_MUTANT_NOT_OWNED         ((NTSTATUS)0xC0000046L)
#define STATUS_OBJECT_NAME_NOT_FOUND    ((NTSTATUS)0xC0000034L)
#define STATUS_OBJECT_NAME_COLLISION    ((NTSTATUS)0xC0000035L)
#define COMPAT_WAIT_ALL                 0
#define COMPAT_WAIT_ANY                 1

static LARGE_INTEGER CompatNoWait; /* a zero time-out: poll */

static VOID NotificationEvent(VOID)
{
    COMPAT_EVENT_BASIC_INFORMATION Info;
    HANDLE Event = NULL;
    LONG Previous = -1;
    ULONG Length = 0;

    if (!CHECK_STATUS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, CompatNotificationEvent, FALSE),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &CompatNoWait), STATUS_TIMEOUT);
    CHECK_STATUS(NtSetEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &CompatNoWait), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &CompatNoWait), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryEvent(Event, 0, &Info, sizeof(Info), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.EventType, CompatNotificationEvent);
    CHECK_EQ(Info.EventState, 1);
    CHECK_STATUS(NtResetEvent(Event, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &CompatNoWait), STATUS_TIMEOUT);
    CHECK_STATUS(NtClose(Event), STATUS_SUCCESS);
}

static VOID SynchronizationEvent(VOID)
{
    HANDLE Event = NULL;

    if (!CHECK_STATUS(
            NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, CompatSynchronizationEvent, TRUE),
            STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &CompatNoWait), STATUS_SUCCESS);
    /* The wait reset it. */
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &CompatNoWait), STATUS_TIMEOUT);
    CHECK_STATUS(NtClose(Event), STATUS_SUCCESS);
}

static VOID SemaphoreCounts(VOID)
{
    HANDLE Semaphore = NULL;
    LONG Previous = -1;

    if (!CHECK_STATUS(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, NULL, 1, 2),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtWaitForSingleObject(Semaphore, FALSE, &CompatNoWait), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Semaphore, FALSE, &CompatNoWait), STATUS_TIMEOUT);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 1, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 2, &Previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 1, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_STATUS(NtClose(Semaphore), STATUS_SUCCESS);
}

static VOID MutantOwnership(VOID)
{
    HANDLE Mutant = NULL;
    LONG Previous = -1;

    if (!CHECK_STATUS(NtCreateMutant(&Mutant, MUTANT_ALL_ACCESS, NULL, TRUE), STATUS_SUCCESS))
        return;
    /* The owner may wait again (recursion), then releases twice. */
    CHECK_STATUS(NtWaitForSingleObject(Mutant, FALSE, &CompatNoWait), STATUS_SUCCESS);
    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, -1);
    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_STATUS(NtReleaseMutant(Mutant, NULL), STATUS_MUTANT_NOT_OWNED);
    CHECK_STATUS(NtClose(Mutant), STATUS_SUCCESS);
}

static VOID WaitMultiple(VOID)
{
    HANDLE Events[2] = {NULL, NULL};

    if (!CHECK_STATUS(
            NtCreateEvent(&Events[0], EVENT_ALL_ACCESS, NULL, CompatNotificationEvent, FALSE),
            STATUS_SUCCESS) ||
        !CHECK_STATUS(
            NtCreateEvent(&Events[1], EVENT_ALL_ACCESS, NULL, CompatNotificationEvent, TRUE),
            STATUS_SUCCESS))
        goto out;
    CHECK_STATUS(NtWaitForMultipleObjects(2, Events, COMPAT_WAIT_ANY, FALSE, &CompatNoWait),
                 STATUS_WAIT_1);
    CHECK_STATUS(NtWaitForMultipleObjects(2, Events, COMPAT_WAIT_ALL, FALSE, &CompatNoWait),
                 STATUS_TIMEOUT);
    CHECK_STATUS(NtSetEvent(Events[0], NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForMultipleObjects(2, Events, COMPAT_WAIT_ALL, FALSE, &CompatNoWait),
                 STATUS_SUCCESS);
out:
    if (Events[0])
        NtClose(Events[0]);
    if (Events[1])
        NtClose(Events[1]);
}

static VOID DelayAndTimeout(VOID)
{
    LARGE_INTEGER Before, After, Delay, Timeout;
    HANDLE Event = NULL;

    Delay.QuadPart = -20000; /* 2 ms, relative */
    CHECK_STATUS(NtQuerySystemTime(&Before), STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(FALSE, &Delay), STATUS_SUCCESS);
    CHECK_STATUS(NtQuerySystemTime(&After), STATUS_SUCCESS);
    CHECK(After.QuadPart >= Before.QuadPart);
    if (!CHECK_STATUS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, CompatNotificationEvent, FALSE),
                      STATUS_SUCCESS))
        return;
    Timeout.QuadPart = -10000; /* 1 ms: nobody sets it */
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Timeout), STATUS_TIMEOUT);
    NtClose(Event);
}

/* A named event: opened by name, the same object; a second create of the
 * name collides; the (temporary) name goes with the last handle. */
static VOID NamedEvent(VOID)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Created = NULL, Opened = NULL, Again = NULL;

    RtlInitUnicodeString(&Name, L"\\BaseNamedObjects\\compat-events-named");
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (!CHECK_STATUS(
            NtCreateEvent(&Created, EVENT_ALL_ACCESS, &Attributes, CompatNotificationEvent, FALSE),
            STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtOpenEvent(&Opened, EVENT_ALL_ACCESS, &Attributes), STATUS_SUCCESS)) {
        CHECK(Opened != Created);
        CHECK_STATUS(NtSetEvent(Opened, NULL), STATUS_SUCCESS);
        CHECK_STATUS(NtWaitForSingleObject(Created, FALSE, &CompatNoWait), STATUS_SUCCESS);
        CHECK_STATUS(NtClose(Opened), STATUS_SUCCESS);
    }
    CHECK_STATUS(
        NtCreateEvent(&Again, EVENT_ALL_ACCESS, &Attributes, CompatNotificationEvent, FALSE),
        STATUS_OBJECT_NAME_COLLISION);
    CHECK_STATUS(NtClose(Created), STATUS_SUCCESS);
    CHECK_STATUS(NtOpenEvent(&Opened, EVENT_ALL_ACCESS, &Attributes), STATUS_OBJECT_NAME_NOT_FOUND);
}

NTSTATUS NTAPI NtProcessStartup(PVOID Peb)
{
    (void)Peb;
    CompatRun("notification_event", NotificationEvent);
    CompatRun("synchronization_event", SynchronizationEvent);
    CompatRun("semaphore_counts", SemaphoreCounts);
    CompatRun("mutant_ownership", MutantOwnership);
    CompatRun("wait_multiple", WaitMultiple);
    CompatRun("delay_and_timeout", DelayAndTimeout);
    CompatRun("named_event", NamedEvent);
    CompatFinish();
}
