/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Keyed events: a meeting place where a thread that waits on a key and a
 * thread that releases the same key find each other; whichever comes first
 * waits for the other (with a time-out, alertable if asked). Keys are
 * matched within one process only, as on Windows, so one keyed event
 * serves every process: the system's (a NULL handle), made at boot and
 * named \KernelObjects\CritSecOutOfMemoryEvent, is what ntdll's critical
 * sections and SRW locks fall back on.
 *
 * The waiters of a keyed event are one FIFO list of EXP_KEYED_WAITER
 * records that live on the waiting requests' fiber stacks; a match removes
 * the partner's record and ends its ke wait (KeEndWait) with SUCCESS.
 */
#include "exp.h"

#define KEYEDEVENT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | KEYEDEVENT_WAIT | KEYEDEVENT_WAKE)
/* SYNCHRONIZE may be asked for (a wait on a keyed event ends at once, see
 * ke's default object) though KEYEDEVENT_ALL_ACCESS lacks it. */
#define EXP_KEYED_VALID_ACCESS (KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE)

typedef struct _EXP_KEYED_WAITER {
    struct _EXP_KEYED_WAITER *Next;
    PETHREAD Thread;
    PEPROCESS Process;
    ULONG_PTR Key;
    bool Release; /* a releaser waiting for a waiter (else the other way) */
} EXP_KEYED_WAITER;

typedef struct _EKEYED_EVENT {
    EXP_KEYED_WAITER *Head; /* oldest first */
} EKEYED_EVENT;

POBJECT_TYPE ExKeyedEventObjectType;
static EKEYED_EVENT *ExpSystemKeyedEvent;

static void ExpDeleteKeyedEvent(PVOID Object)
{
    ASSERT(((EKEYED_EVENT *)Object)->Head == NULL); /* each waiter holds a reference */
}

NTSTATUS ExpInitializeKeyedEvent(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = EXP_KEYED_VALID_ACCESS,
        .GenericMapping = {READ_CONTROL | KEYEDEVENT_WAIT, READ_CONTROL | KEYEDEVENT_WAKE,
                           READ_CONTROL, KEYEDEVENT_ALL_ACCESS},
        .PoolTag = EXP_KEYED_TAG,
        .DeleteProcedure = ExpDeleteKeyedEvent,
    };
    NTSTATUS Status = STATUS_SUCCESS;

    if (ExKeyedEventObjectType == NULL)
        Status = ObCreateObjectType("KeyedEvent", &Init, &ExKeyedEventObjectType);
    if (NT_SUCCESS(Status) && ExpSystemKeyedEvent == NULL) {
        Status = ObCreateObject(ExKeyedEventObjectType, sizeof(EKEYED_EVENT),
                                (PVOID *)&ExpSystemKeyedEvent);
        if (NT_SUCCESS(Status))
            Status = ObInsertPermanentObject(ExpSystemKeyedEvent,
                                             "\\KernelObjects\\CritSecOutOfMemoryEvent");
    }
    return Status;
}

NTSTATUS NtCreateKeyedEvent(HANDLE *KeyedEventHandle, ACCESS_MASK DesiredAccess,
                            const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, ULONG Flags)
{
    EKEYED_EVENT *KeyedEvent;
    NTSTATUS Status;

    if (Flags != 0)
        return STATUS_INVALID_PARAMETER;
    Status = ObCreateObject(ExKeyedEventObjectType, sizeof(*KeyedEvent), (PVOID *)&KeyedEvent);
    if (!NT_SUCCESS(Status))
        return Status;
    return ObInsertObject(KeyedEvent, ObjectAttributes, DesiredAccess, KeyedEventHandle);
}

NTSTATUS NtOpenKeyedEvent(HANDLE *KeyedEventHandle, ACCESS_MASK DesiredAccess,
                          const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    return ObOpenObjectByName(ObjectAttributes, ExKeyedEventObjectType, DesiredAccess, NULL,
                              KeyedEventHandle);
}

/* Take the oldest partner of Me out of the list, or NULL. */
static EXP_KEYED_WAITER *ExpFindPartner(EKEYED_EVENT *KeyedEvent, const EXP_KEYED_WAITER *Me)
{
    for (EXP_KEYED_WAITER **Link = &KeyedEvent->Head; *Link; Link = &(*Link)->Next) {
        EXP_KEYED_WAITER *Other = *Link;
        if (Other->Key == Me->Key && Other->Process == Me->Process &&
            Other->Release != Me->Release) {
            *Link = Other->Next;
            return Other;
        }
    }
    return NULL;
}

static void ExpRemoveWaiter(EKEYED_EVENT *KeyedEvent, EXP_KEYED_WAITER *Me)
{
    EXP_KEYED_WAITER **Link = &KeyedEvent->Head;

    while (*Link && *Link != Me)
        Link = &(*Link)->Next;
    if (*Link)
        *Link = Me->Next;
}

/* Meet a partner now, or queue and wait for one (MAY_WAIT). */
static NTSTATUS ExpMeet(EKEYED_EVENT *KeyedEvent, ULONG_PTR Key, bool Release, bool Alertable,
                        const LARGE_INTEGER *Timeout)
{
    PETHREAD Thread = KeGetCurrentThread();
    EXP_KEYED_WAITER Me = {
        .Thread = Thread, .Process = Thread->Process, .Key = Key, .Release = Release};
    EXP_KEYED_WAITER *Partner, **Tail;
    NTSTATUS Status;

    /* A partner whose wait already ended (timed out, its fiber not yet
     * resumed) is no partner: try the next. */
    while ((Partner = ExpFindPartner(KeyedEvent, &Me)) != NULL) {
        if (KeEndWait(Partner->Thread, STATUS_SUCCESS))
            return STATUS_SUCCESS;
    }
    for (Tail = &KeyedEvent->Head; *Tail; Tail = &(*Tail)->Next)
        ;
    *Tail = &Me;
    Status = KeWaitForMultipleObjects(0, NULL, false, Alertable, Timeout);
    /* A partner took the record out before it ended the wait; anything
     * else (time-out, alert, the thread ending) leaves it to remove. */
    ExpRemoveWaiter(KeyedEvent, &Me);
    return Status;
}

static NTSTATUS ExpKeyedEventService(HANDLE Handle, ULONG_PTR Key, bool Release, bool Alertable,
                                     const LARGE_INTEGER *Timeout)
{
    EKEYED_EVENT *KeyedEvent = ExpSystemKeyedEvent;
    NTSTATUS Status;

    if (Key & 1)
        return STATUS_INVALID_PARAMETER_1;
    if (Handle != NULL) {
        Status = ObReferenceObjectByHandle(Handle, ExKeyedEventObjectType,
                                           Release ? KEYEDEVENT_WAKE : KEYEDEVENT_WAIT,
                                           (PVOID *)&KeyedEvent);
        if (!NT_SUCCESS(Status))
            return Status;
    } else if (KeyedEvent == NULL) {
        return STATUS_INVALID_HANDLE; /* no system keyed event (out of memory at boot) */
    } else {
        ObReferenceObject(KeyedEvent);
    }
    Status = ExpMeet(KeyedEvent, Key, Release, Alertable, Timeout);
    ObDereferenceObject(KeyedEvent);
    return Status;
}

NTSTATUS NtWaitForKeyedEvent(HANDLE KeyedEventHandle, USER_ADDRESS Key, BOOLEAN Alertable,
                             const LARGE_INTEGER *Timeout)
{
    return ExpKeyedEventService(KeyedEventHandle, Key.Value, false, Alertable, Timeout);
}

NTSTATUS NtReleaseKeyedEvent(HANDLE KeyedEventHandle, USER_ADDRESS Key, BOOLEAN Alertable,
                             const LARGE_INTEGER *Timeout)
{
    return ExpKeyedEventService(KeyedEventHandle, Key.Value, true, Alertable, Timeout);
}
