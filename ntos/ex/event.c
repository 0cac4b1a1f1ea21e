/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Events: the body is a dispatcher header alone, of type notification
 * (NotificationEvent: stays signalled until reset, releases every waiter)
 * or synchronization (SynchronizationEvent: a satisfied wait resets it, so
 * one waiter goes). The services set, reset, pulse and query it; waits are
 * ke's.
 */
#include "exp.h"

#define EXP_NOTIFICATION_EVENT    0
#define EXP_SYNCHRONIZATION_EVENT 1
#define EVENT_ALL_ACCESS          (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3u)

typedef struct _EVENT_BASIC_INFORMATION {
    ULONG EventType;
    LONG EventState;
} EVENT_BASIC_INFORMATION;
_Static_assert(sizeof(EVENT_BASIC_INFORMATION) == 8, "EVENT_BASIC_INFORMATION");

POBJECT_TYPE ExEventObjectType;

NTSTATUS ExpInitializeEvent(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = EVENT_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | EVENT_QUERY_STATE, READ_CONTROL | EVENT_MODIFY_STATE,
                           READ_CONTROL | SYNCHRONIZE, EVENT_ALL_ACCESS},
        .PoolTag = EXP_EVENT_TAG,
    };
    NTSTATUS Status = STATUS_SUCCESS;

    if (ExEventObjectType == NULL) {
        Status = ObCreateObjectType("Event", &Init, &ExEventObjectType);
        if (NT_SUCCESS(Status))
            KeRegisterWaitableType(ExEventObjectType, 0);
    }
    return Status;
}

NTSTATUS NtCreateEvent(HANDLE *EventHandle, ACCESS_MASK DesiredAccess,
                       const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, ULONG EventType,
                       BOOLEAN InitialState)
{
    DISPATCHER_HEADER *Event;
    NTSTATUS Status;

    if (EventType != EXP_NOTIFICATION_EVENT && EventType != EXP_SYNCHRONIZATION_EVENT)
        return STATUS_INVALID_PARAMETER;
    Status = ObCreateObject(ExEventObjectType, sizeof(*Event), (PVOID *)&Event);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeDispatcherHeader(
        Event, EventType == EXP_NOTIFICATION_EVENT ? KiNotificationObject : KiSynchronizationObject,
        InitialState ? 1 : 0);
    return ObInsertObject(Event, ObjectAttributes, DesiredAccess, EventHandle);
}

NTSTATUS NtOpenEvent(HANDLE *EventHandle, ACCESS_MASK DesiredAccess,
                     const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    return ObOpenObjectByName(ObjectAttributes, ExEventObjectType, DesiredAccess, NULL,
                              EventHandle);
}

/* Reference the event, apply Operation, report the previous state. */
static NTSTATUS ExpChangeEvent(HANDLE EventHandle, LONG (*Operation)(DISPATCHER_HEADER *),
                               LONG *PreviousState)
{
    DISPATCHER_HEADER *Event;
    NTSTATUS Status;
    LONG Previous;

    Status = ObReferenceObjectByHandle(EventHandle, ExEventObjectType, EVENT_MODIFY_STATE,
                                       (PVOID *)&Event);
    if (!NT_SUCCESS(Status))
        return Status;
    Previous = Operation(Event);
    if (PreviousState)
        *PreviousState = Previous;
    ObDereferenceObject(Event);
    return STATUS_SUCCESS;
}

NTSTATUS NtSetEvent(HANDLE EventHandle, LONG *PreviousState)
{
    return ExpChangeEvent(EventHandle, KeSetEvent, PreviousState);
}

NTSTATUS NtResetEvent(HANDLE EventHandle, LONG *PreviousState)
{
    return ExpChangeEvent(EventHandle, KeResetEvent, PreviousState);
}

NTSTATUS NtClearEvent(HANDLE EventHandle)
{
    return ExpChangeEvent(EventHandle, KeResetEvent, NULL);
}

NTSTATUS NtPulseEvent(HANDLE EventHandle, LONG *PreviousState)
{
    return ExpChangeEvent(EventHandle, KePulseEvent, PreviousState);
}

NTSTATUS NtQueryEvent(HANDLE EventHandle, ULONG EventInformationClass, USER_BUFFER EventInformation,
                      ULONG EventInformationLength, ULONG *ReturnLength)
{
    EVENT_BASIC_INFORMATION Info;
    DISPATCHER_HEADER *Event;
    NTSTATUS Status;

    Status = ExpCheckQuery(EventInformationClass, EventInformation, EventInformationLength,
                           sizeof(Info));
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(EventHandle, ExEventObjectType, EVENT_QUERY_STATE,
                                       (PVOID *)&Event);
    if (!NT_SUCCESS(Status))
        return Status;
    Info.EventType =
        Event->Type == KiNotificationObject ? EXP_NOTIFICATION_EVENT : EXP_SYNCHRONIZATION_EVENT;
    Info.EventState = Event->SignalState;
    ObDereferenceObject(Event);
    return ExpReturnQuery(&Info, sizeof(Info), EventInformation, ReturnLength);
}
