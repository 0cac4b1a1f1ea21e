/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Waits on dispatcher objects (ke.h). A wait is a KWAIT with one wait block
 * per object, each linked at the tail of its object's wait list, so waiters
 * are served oldest first. Only the service loop's thread runs executive
 * code, so there is no window between testing an object and taking it:
 * whoever raises an object's signal state (KeSignalObject and the routines
 * built on it) walks its wait list at once and satisfies every wait that
 * can now be satisfied, taking the objects for the waiter before it is
 * woken (KiWaitTest). A wait-all takes nothing until every one of its
 * objects can be taken. A waiting request's fiber only sleeps in
 * KeWaitForWake; whatever ends its wait (an object, the time-out, an alert,
 * its thread ending) detaches the KWAIT and wakes it with the result.
 */
#include "kep.h"

#include <io.h> /* iocomp: completion-port concurrency */
#include <limits.h>
#include <ob.h>

#include "ntsvc.h"

#define KI_WAIT_TAG           0x7469614b /* 'Kait' */
#define KI_MAX_WAITABLE_TYPES 16

struct _KWAIT {
    PETHREAD Thread;
    ULONG Count;
    bool WaitAll, Alertable;
    bool Ended; /* detached: Status is the result */
    NTSTATUS Status;
    KTIMER Timer; /* the time-out, when there is one */
    KWAIT_BLOCK Blocks[];
};

/* ---- wait lists ------------------------------------------------------------------------ */

static void KiLinkBlock(KWAIT_BLOCK *Block)
{
    DISPATCHER_HEADER *Object = Block->Object;

    Block->Next = NULL;
    Block->Prev = Object->WaitListTail;
    if (Object->WaitListTail)
        Object->WaitListTail->Next = Block;
    else
        Object->WaitListHead = Block;
    Object->WaitListTail = Block;
    Block->Linked = true;
}

static void KiUnlinkBlock(KWAIT_BLOCK *Block)
{
    DISPATCHER_HEADER *Object = Block->Object;

    if (!Block->Linked)
        return;
    if (Block->Prev)
        Block->Prev->Next = Block->Next;
    else
        Object->WaitListHead = Block->Next;
    if (Block->Next)
        Block->Next->Prev = Block->Prev;
    else
        Object->WaitListTail = Block->Prev;
    Block->Linked = false;
}

void KeInitializeDispatcherHeader(DISPATCHER_HEADER *Header, KOBJECTS Type, LONG SignalState)
{
    Header->Type = (UCHAR)Type;
    Header->SignalState = SignalState;
    Header->WaitListHead = Header->WaitListTail = NULL;
}

/* ---- what taking an object means ---------------------------------------------------------- */

static bool KiIsSatisfiable(DISPATCHER_HEADER *Object, PETHREAD Thread)
{
    /* The owner of a mutant takes it again (recursion) whatever its state. */
    if (Object->Type == KiMutantObject && ((KMUTANT *)Object)->Owner == Thread)
        return true;
    return Object->SignalState > 0;
}

static void KiUnlinkOwnedMutant(KMUTANT *Mutant)
{
    KMUTANT **Link = &Mutant->Owner->OwnedMutants;

    while (*Link && *Link != Mutant)
        Link = &(*Link)->NextOwned;
    ASSERT(*Link == Mutant); /* an owned mutant is on its owner's list */
    *Link = Mutant->NextOwned;
    Mutant->NextOwned = NULL;
}

/* STATUS_ABANDONED when its previous owner ended holding it (said once). */
static NTSTATUS KiTakeMutant(KMUTANT *Mutant, PETHREAD Thread)
{
    NTSTATUS Status = STATUS_SUCCESS;

    if (Mutant->Owner == NULL) {
        Mutant->Owner = Thread;
        Mutant->NextOwned = Thread->OwnedMutants;
        Thread->OwnedMutants = Mutant;
    }
    Mutant->Header.SignalState--;
    if (Mutant->Abandoned) {
        Mutant->Abandoned = false;
        Status = STATUS_ABANDONED;
    }
    return Status;
}

static NTSTATUS KiTakeObject(DISPATCHER_HEADER *Object, PETHREAD Thread)
{
    switch (Object->Type) {
    case KiSynchronizationObject:
        Object->SignalState = 0;
        break;
    case KiSemaphoreObject:
        Object->SignalState--;
        break;
    case KiMutantObject:
        return KiTakeMutant((KMUTANT *)Object, Thread);
    default: /* notification objects stay signalled */
        break;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS KiTakeForWaitAny(KWAIT *Wait, ULONG Index)
{
    NTSTATUS Status = KiTakeObject(Wait->Blocks[Index].Object, Wait->Thread);

    return (Status == STATUS_ABANDONED ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + Index;
}

/* Take what Wait waits for if it can be had now; *Status its result. */
static bool KiTrySatisfy(KWAIT *Wait, NTSTATUS *Status)
{
    ULONG i;

    for (i = 0; i < Wait->Count; i++) {
        bool Ok = KiIsSatisfiable(Wait->Blocks[i].Object, Wait->Thread);
        if (!Wait->WaitAll && Ok) {
            *Status = KiTakeForWaitAny(Wait, i);
            return true;
        }
        if (Wait->WaitAll && !Ok)
            return false;
    }
    if (!Wait->WaitAll || Wait->Count == 0)
        return false;
    *Status = STATUS_SUCCESS;
    for (i = 0; i < Wait->Count; i++) {
        if (KiTakeObject(Wait->Blocks[i].Object, Wait->Thread) == STATUS_ABANDONED)
            *Status = STATUS_ABANDONED_WAIT_0;
    }
    return true;
}

/* ---- ending a wait ----------------------------------------------------------------------------
 */

static void KiDetachWait(KWAIT *Wait, NTSTATUS Status)
{
    for (ULONG i = 0; i < Wait->Count; i++)
        KiUnlinkBlock(&Wait->Blocks[i]);
    KeCancelTimer(&Wait->Timer);
    Wait->Ended = true;
    Wait->Status = Status;
    if (Wait->Thread->Wait == Wait)
        Wait->Thread->Wait = NULL;
}

static void KiEndWait(KWAIT *Wait, NTSTATUS Status)
{
    KiDetachWait(Wait, Status);
    KeWakeRequest(Wait->Thread, Status);
}

/* Object's state rose: satisfy its waiters in order while it can serve them.
 * Each satisfied wait leaves the list, so the walk starts again. */
static void KiWaitTest(DISPATCHER_HEADER *Object)
{
    KWAIT_BLOCK *Block;
    NTSTATUS Status;

    do {
        for (Block = Object->WaitListHead; Block; Block = Block->Next) {
            KWAIT *Wait = Block->Wait;

            if (!KiIsSatisfiable(Object, Wait->Thread))
                continue;
            if (!Wait->WaitAll)
                Status = KiTakeForWaitAny(Wait, Block->Index);
            else if (!KiTrySatisfy(Wait, &Status))
                continue;
            KiEndWait(Wait, Status);
            break;
        }
    } while (Block != NULL);
}

void KeSignalObject(DISPATCHER_HEADER *Header, LONG SignalState)
{
    Header->SignalState = SignalState;
    if (SignalState > 0)
        KiWaitTest(Header);
}

bool KeEndWait(PETHREAD Thread, NTSTATUS Status)
{
    if (Thread->Wait == NULL)
        return false;
    KiEndWait(Thread->Wait, Status);
    return true;
}

void KeAbortAlertableWait(PETHREAD Thread, NTSTATUS Status)
{
    if (Thread->Wait != NULL && Thread->Wait->Alertable)
        KiEndWait(Thread->Wait, Status);
}

static void KiWaitTimedOut(KTIMER *Timer, void *Context)
{
    KWAIT *Wait = Context;

    if (!Wait->Ended)
        KiEndWait(Wait, STATUS_TIMEOUT);
}

/* ---- events, semaphores, mutants --------------------------------------------------------------
 */

LONG KeSetEvent(DISPATCHER_HEADER *Event)
{
    LONG Previous = Event->SignalState;

    KeSignalObject(Event, 1);
    return Previous;
}

LONG KeResetEvent(DISPATCHER_HEADER *Event)
{
    LONG Previous = Event->SignalState;

    Event->SignalState = 0;
    return Previous;
}

LONG KePulseEvent(DISPATCHER_HEADER *Event)
{
    LONG Previous = Event->SignalState;

    if (Previous == 0)
        KeSignalObject(Event, 1);
    Event->SignalState = 0;
    return Previous;
}

void KeInitializeSemaphore(KSEMAPHORE *Semaphore, LONG Count, LONG Limit)
{
    KeInitializeDispatcherHeader(&Semaphore->Header, KiSemaphoreObject, Count);
    Semaphore->Limit = Limit;
}

NTSTATUS KeReleaseSemaphore(KSEMAPHORE *Semaphore, LONG Count, LONG *PreviousCount)
{
    LONG Previous = Semaphore->Header.SignalState;

    ASSERT(Count > 0); /* the services refuse the others */
    if (Previous > Semaphore->Limit - Count)
        return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    *PreviousCount = Previous;
    KeSignalObject(&Semaphore->Header, Previous + Count);
    return STATUS_SUCCESS;
}

void KeInitializeMutant(KMUTANT *Mutant, PETHREAD Owner)
{
    KeInitializeDispatcherHeader(&Mutant->Header, KiMutantObject, 1);
    Mutant->Owner = NULL;
    Mutant->NextOwned = NULL;
    Mutant->Abandoned = false;
    if (Owner)
        KiTakeMutant(Mutant, Owner);
}

NTSTATUS KeReleaseMutant(KMUTANT *Mutant, PETHREAD Thread, LONG *PreviousCount)
{
    if (Mutant->Owner != Thread || Thread == NULL)
        return STATUS_MUTANT_NOT_OWNED;
    *PreviousCount = Mutant->Header.SignalState;
    if (++Mutant->Header.SignalState == 1) {
        KiUnlinkOwnedMutant(Mutant);
        Mutant->Owner = NULL;
        KiWaitTest(&Mutant->Header);
    }
    return STATUS_SUCCESS;
}

static void KiAbandonMutant(KMUTANT *Mutant)
{
    KiUnlinkOwnedMutant(Mutant);
    Mutant->Owner = NULL;
    Mutant->Abandoned = true;
    KeSignalObject(&Mutant->Header, 1);
}

void KeDeleteMutant(KMUTANT *Mutant)
{
    ASSERT(Mutant->Header.WaitListHead == NULL); /* waiters hold references */
    if (Mutant->Owner)
        KiUnlinkOwnedMutant(Mutant);
    Mutant->Owner = NULL;
}

/* ---- the end of threads and processes ----------------------------------------------------------
 */

void KeThreadEnded(PETHREAD Thread)
{
    if (Thread->IoCompletionQueue) /* iocomp: before its wait ends */
        IoCompletionThreadEnded(Thread);
    if (Thread->Wait)
        KiEndWait(Thread->Wait, STATUS_THREAD_IS_TERMINATING);
    while (Thread->OwnedMutants)
        KiAbandonMutant(Thread->OwnedMutants);
    KeSignalObject(&Thread->Header, 1);
}

void KeProcessEnded(PEPROCESS Process)
{
    KeSignalObject(&Process->Header, 1);
}

/* ---- waiting
 * ------------------------------------------------------------------------------------- */

ULONGLONG KeSystemTimeToInterruptTime(LONGLONG SystemTime)
{
    LARGE_INTEGER Now;

    if (!NT_SUCCESS(NtQuerySystemTime(&Now)) || SystemTime <= Now.QuadPart)
        return 0;
    return KeQueryInterruptTime() + (ULONGLONG)(SystemTime - Now.QuadPart);
}

/* The interrupt time a time-out ends at: STATUS_PENDING (go and wait),
 * STATUS_TIMEOUT (zero or already past), STATUS_NOT_SUPPORTED (no timers). */
static NTSTATUS KiComputeDueTime(const LARGE_INTEGER *Timeout, ULONGLONG *DueTime)
{
    LONGLONG Value = Timeout->QuadPart;

    if (Value == 0)
        return STATUS_TIMEOUT;
    if (Value < 0) {
        /* Relative; LLONG_MIN and other huge values end "never" (≈ 29,000 years). */
        ULONGLONG Interval = Value == LLONG_MIN ? (ULONGLONG)LLONG_MAX : (ULONGLONG)-Value;
        *DueTime = KeQueryInterruptTime() +
                   (Interval > (ULONGLONG)LLONG_MAX / 2 ? (ULONGLONG)LLONG_MAX / 2 : Interval);
    } else {
        *DueTime = KeSystemTimeToInterruptTime(Value);
        if (*DueTime == 0)
            return STATUS_TIMEOUT;
    }
    return KeTimersAvailable() ? STATUS_PENDING : STATUS_NOT_SUPPORTED;
}

/* Refuse what ke cannot wait for: the same object twice in a wait-all
 * (Windows' STATUS_INVALID_PARAMETER_MIX), a mutant its owner holds as
 * often as it can be held. */
static NTSTATUS KiCheckObjects(PETHREAD Thread, ULONG Count, DISPATCHER_HEADER *Objects[],
                               bool WaitAll)
{
    for (ULONG i = 0; i < Count; i++) {
        if (Objects[i]->Type == KiMutantObject && ((KMUTANT *)Objects[i])->Owner == Thread &&
            Objects[i]->SignalState == INT32_MIN)
            return STATUS_MUTANT_LIMIT_EXCEEDED;
        for (ULONG j = 0; WaitAll && j < i; j++) {
            if (Objects[j] == Objects[i])
                return STATUS_INVALID_PARAMETER_MIX;
        }
    }
    return STATUS_SUCCESS;
}

/* Link the wait and sleep until something ends it. */
static NTSTATUS KiBlock(KWAIT *Wait, const ULONGLONG *DueTime)
{
    NTSTATUS Status;

    for (ULONG i = 0; i < Wait->Count; i++)
        KiLinkBlock(&Wait->Blocks[i]);
    Wait->Thread->Wait = Wait;
    if (DueTime)
        KeSetTimer(&Wait->Timer, *DueTime, KiWaitTimedOut, Wait);
    /* iocomp: a completion port's worker that blocks lets another run. */
    if (Wait->Thread->IoCompletionQueue)
        IoCompletionThreadBlocking(Wait->Thread);
    Status = KeWaitForWake();
    if (Wait->Thread->IoCompletionQueue)
        IoCompletionThreadRunning(Wait->Thread);
    if (!Wait->Ended) /* woken by another part of ntos, or could not sleep */
        KiDetachWait(Wait, Status);
    return Wait->Status;
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, DISPATCHER_HEADER *Objects[], bool WaitAll,
                                  bool Alertable, const LARGE_INTEGER *Timeout)
{
    PETHREAD Thread = KeGetCurrentThread();
    ULONGLONG DueTime = 0;
    KWAIT *Wait;
    NTSTATUS Status;

    ASSERT(Thread != NULL && Thread->Wait == NULL && Count <= KE_MAXIMUM_WAIT_OBJECTS);
    if (Thread->Terminated)
        return STATUS_THREAD_IS_TERMINATING;
    Status = KiCheckObjects(Thread, Count, Objects, WaitAll);
    if (!NT_SUCCESS(Status))
        return Status;
    Wait = ExAllocatePoolWithTag(sizeof(*Wait) + Count * sizeof(KWAIT_BLOCK), KI_WAIT_TAG);
    if (Wait == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Wait->Thread = Thread;
    Wait->Count = Count;
    Wait->WaitAll = WaitAll;
    Wait->Alertable = Alertable;
    for (ULONG i = 0; i < Count; i++)
        Wait->Blocks[i] = (KWAIT_BLOCK){.Object = Objects[i], .Wait = Wait, .Index = i};
    if (KiTrySatisfy(Wait, &Status))
        goto out;
    /* As on Windows: the objects first, then a pending alert or APC, then
     * the time-out. */
    if (Alertable) {
        Status = KeCheckAlertable(Thread);
        if (Status != STATUS_SUCCESS)
            goto out;
    }
    if (Timeout) {
        Status = KiComputeDueTime(Timeout, &DueTime);
        if (Status != STATUS_PENDING)
            goto out;
    }
    Status = KiBlock(Wait, Timeout ? &DueTime : NULL);
out:
    ExFreePoolWithTag(Wait, KI_WAIT_TAG);
    return Status;
}

/* ---- which objects can be waited for
 * -------------------------------------------------------------- */

static struct {
    POBJECT_TYPE Type;
    ULONG HeaderOffset;
} KiWaitableTypes[KI_MAX_WAITABLE_TYPES];

void KeRegisterWaitableType(POBJECT_TYPE Type, ULONG HeaderOffset)
{
    for (ULONG i = 0; i < KI_MAX_WAITABLE_TYPES; i++) {
        if (KiWaitableTypes[i].Type == NULL || KiWaitableTypes[i].Type == Type) {
            KiWaitableTypes[i].Type = Type;
            KiWaitableTypes[i].HeaderOffset = HeaderOffset;
            return;
        }
    }
    KeBugCheck("ke: more than %d waitable object types", KI_MAX_WAITABLE_TYPES);
}

/* What objects without a dispatcher header are waited on, as Windows does
 * (its default object): always signalled, so such a wait ends at once. */
static DISPATCHER_HEADER KiDefaultObject = {.SignalState = 1, .Type = KiNotificationObject};

DISPATCHER_HEADER *KeGetDispatcherHeader(PVOID Object)
{
    POBJECT_TYPE Type = ObGetObjectType(Object);

    if (Type == PsProcessType)
        return &((PEPROCESS)Object)->Header;
    if (Type == PsThreadType)
        return &((PETHREAD)Object)->Header;
    for (ULONG i = 0; i < KI_MAX_WAITABLE_TYPES && KiWaitableTypes[i].Type; i++) {
        if (KiWaitableTypes[i].Type == Type)
            return (DISPATCHER_HEADER *)((UCHAR *)Object + KiWaitableTypes[i].HeaderOffset);
    }
    return &KiDefaultObject;
}
