/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the tests of the synchronisation objects share (event.c, mutant.c,
 * semaphore.c, timer.c, wait.c, keyedevent.c): Windows' access rights,
 * information records and constants for them, and small helpers that make
 * an object or read its state (inline: each test file is on its own).
 */
#pragma once

#include "ntapitest.h"

#define EVENT_QUERY_STATE      0x0001u
#define EVENT_MODIFY_STATE     0x0002u
#define EVENT_ALL_ACCESS       0x001F0003u
#define MUTANT_QUERY_STATE     0x0001u
#define MUTANT_ALL_ACCESS      0x001F0001u
#define SEMAPHORE_QUERY_STATE  0x0001u
#define SEMAPHORE_MODIFY_STATE 0x0002u
#define SEMAPHORE_ALL_ACCESS   0x001F0003u
#define TIMER_QUERY_STATE      0x0001u
#define TIMER_MODIFY_STATE     0x0002u
#define TIMER_ALL_ACCESS       0x001F0003u
#define KEYEDEVENT_WAIT        0x0001u
#define KEYEDEVENT_WAKE        0x0002u
#define KEYEDEVENT_ALL_ACCESS  0x000F0003u

#define NotificationEvent    0
#define SynchronizationEvent 1
#define NotificationTimer    0
#define SynchronizationTimer 1
#define WaitAll              0
#define WaitAny              1

#ifndef GENERIC_WRITE
#define GENERIC_WRITE 0x40000000u
#endif

#define NTAPI_MS 10000ll /* 100 ns units */

typedef struct _EVENT_BASIC_INFORMATION {
    ULONG EventType;
    LONG EventState;
} EVENT_BASIC_INFORMATION;
typedef struct _MUTANT_BASIC_INFORMATION {
    LONG CurrentCount;
    BOOLEAN OwnedByCaller;
    BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION;
typedef struct _SEMAPHORE_BASIC_INFORMATION {
    LONG CurrentCount;
    LONG MaximumCount;
} SEMAPHORE_BASIC_INFORMATION;
typedef struct _TIMER_BASIC_INFORMATION {
    LARGE_INTEGER RemainingTime;
    BOOLEAN TimerState;
} TIMER_BASIC_INFORMATION;
_Static_assert(sizeof(EVENT_BASIC_INFORMATION) == 8, "EVENT_BASIC_INFORMATION");
_Static_assert(sizeof(MUTANT_BASIC_INFORMATION) == 8, "MUTANT_BASIC_INFORMATION");
_Static_assert(sizeof(SEMAPHORE_BASIC_INFORMATION) == 8, "SEMAPHORE_BASIC_INFORMATION");
_Static_assert(sizeof(TIMER_BASIC_INFORMATION) == 16, "TIMER_BASIC_INFORMATION");

static inline HANDLE NtapiEvent(ACCESS_MASK Access, ULONG Type, BOOLEAN State)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateEvent(&Handle, Access, NULL, Type, State)))
        return NULL;
    return Handle;
}

static inline HANDLE NtapiSemaphore(ACCESS_MASK Access, LONG Count, LONG Maximum)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateSemaphore(&Handle, Access, NULL, Count, Maximum)))
        return NULL;
    return Handle;
}

static inline HANDLE NtapiMutant(ACCESS_MASK Access, BOOLEAN Owned)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateMutant(&Handle, Access, NULL, Owned)))
        return NULL;
    return Handle;
}

static inline HANDLE NtapiTimer(ACCESS_MASK Access, ULONG Type)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateTimer(&Handle, Access, NULL, Type)))
        return NULL;
    return Handle;
}

/* The event's state, or -1 if the query failed. */
static inline LONG NtapiEventState(HANDLE Event)
{
    EVENT_BASIC_INFORMATION Info;

    if (!NT_SUCCESS(NtQueryEvent(Event, 0, &Info, sizeof(Info), NULL)))
        return -1;
    return Info.EventState;
}

static inline LONG NtapiSemaphoreCount(HANDLE Semaphore)
{
    SEMAPHORE_BASIC_INFORMATION Info;

    if (!NT_SUCCESS(NtQuerySemaphore(Semaphore, 0, &Info, sizeof(Info), NULL)))
        return -1000;
    return Info.CurrentCount;
}

/* Wait with a time-out in 100 ns units (0: poll; negative: relative). */
static inline NTSTATUS NtapiWait(HANDLE Handle, LONGLONG Timeout)
{
    LARGE_INTEGER Time = {.QuadPart = Timeout};

    return NtWaitForSingleObject(Handle, FALSE, &Time);
}

/* The performance counter (10 MHz: 100 ns units), 0 if it cannot be read. */
static inline LONGLONG NtapiNow(VOID)
{
    LARGE_INTEGER Counter = {.QuadPart = 0};

    NtQueryPerformanceCounter(&Counter, NULL);
    return Counter.QuadPart;
}

/* The access a handle was granted (NtQueryObject), 0 on failure. */
static inline ACCESS_MASK NtapiGrantedAccess(HANDLE Handle)
{
    OBJECT_BASIC_INFORMATION Info;

    if (!NT_SUCCESS(NtQueryObject(Handle, ObjectBasicInformation, &Info, sizeof(Info), NULL)))
        return 0;
    return Info.GrantedAccess;
}
