/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The dispatcher: one lock for every dispatcher object of the process
 * (events, mutexes, semaphores, timers, threads), the wait lists in their
 * DISPATCHER_HEADERs, and KeWaitForSingleObject/KeWaitForMultipleObjects.
 *
 * A waiter that cannot be satisfied at once links a KWAIT_BLOCK per object
 * into the objects' wait lists and sleeps on its own NT event
 * (KTHREAD.WakeEvent). Whoever signals an object runs KiWaitTest under the
 * lock: it satisfies waits in list order (taking a synchronization event,
 * a semaphore unit, a mutex), unlinks the waiter's blocks, stores its wait
 * status and sets its NT event. The waiter re-checks under the lock after
 * every wake-up, so a stale NT event signal (left by a wait that timed out
 * just as it was satisfied) only costs a spurious loop.
 */
#include "ntoskrnl.h"

static PVOID KiDispatcherLock; /* an ntdll SRW lock */

VOID KiAcquireDispatcherLock(VOID)
{
    RtlAcquireSRWLockExclusive(&KiDispatcherLock);
}

VOID KiReleaseDispatcherLock(VOID)
{
    RtlReleaseSRWLockExclusive(&KiDispatcherLock);
}

VOID KiInitializeDispatcherHeader(PDISPATCHER_HEADER Header, UCHAR Type, UCHAR Size,
                                  LONG SignalState)
{
    Header->Type = Type;
    Header->Signalling = FALSE;
    Header->Size = Size;
    Header->Inserted = 0;
    Header->DebugActive = 0;
    Header->SignalState = SignalState;
    InitializeListHead(&Header->WaitListHead);
}

/* Whether Object would satisfy a wait of Thread now (a mutex its owner holds does). */
static BOOLEAN KipIsSignaled(PDISPATCHER_HEADER Object, PKTHREAD Thread)
{
    if (Object->Type == KI_MUTANT_OBJECT)
        return Object->SignalState > 0 || ((PKMUTANT)Object)->OwnerThread == Thread;
    return Object->SignalState > 0;
}

/* Take what a satisfied wait takes from Object. */
static VOID KipSatisfy(PDISPATCHER_HEADER Object, PKTHREAD Thread)
{
    switch (Object->Type) {
    case KI_EVENT_SYNCHRONIZATION_OBJECT:
    case KI_TIMER_SYNCHRONIZATION_OBJECT:
        Object->SignalState = 0;
        break;
    case KI_SEMAPHORE_OBJECT:
    case KI_QUEUE_OBJECT: /* reserves one entry for the waiter (ke/queue.c) */
        Object->SignalState--;
        break;
    case KI_MUTANT_OBJECT:
        Object->SignalState--;
        if (Object->SignalState <= 0)
            ((PKMUTANT)Object)->OwnerThread = Thread;
        break;
    default: /* notification events and timers, threads, processes stay signalled */
        break;
    }
}

/* End Thread's wait with Status: unlink its blocks and wake it. */
static VOID KipUnwaitThread(PKTHREAD Thread, NTSTATUS Status)
{
    for (ULONG i = 0; i < Thread->WaitCount; i++)
        RemoveEntryList(&Thread->WaitBlockList[i].WaitListEntry);
    Thread->Waiting = FALSE;
    Thread->WaitStatus = Status;
    NtSetEvent(Thread->WakeEvent, NULL);
}

static BOOLEAN KipAllSignaled(PKTHREAD Thread)
{
    for (ULONG i = 0; i < Thread->WaitCount; i++) {
        if (!KipIsSignaled(Thread->WaitBlockList[i].Object, Thread))
            return FALSE;
    }
    return TRUE;
}

VOID KiWaitTest(PDISPATCHER_HEADER Object)
{
    PLIST_ENTRY Entry;

restart:
    for (Entry = Object->WaitListHead.Flink; Entry != &Object->WaitListHead; Entry = Entry->Flink) {
        PKWAIT_BLOCK Block = CONTAINING_RECORD(Entry, KWAIT_BLOCK, WaitListEntry);
        PKTHREAD Thread = Block->Thread;

        if (!KipIsSignaled(Object, Thread))
            continue; /* a mutex that is not free: only its owner could take it */
        if (Block->WaitType == WaitAny) {
            KipSatisfy(Object, Thread);
            KipUnwaitThread(Thread, STATUS_WAIT_0 + Block->WaitKey);
            goto restart; /* the list changed under Entry */
        }
        if (KipAllSignaled(Thread)) {
            for (ULONG i = 0; i < Thread->WaitCount; i++)
                KipSatisfy(Thread->WaitBlockList[i].Object, Thread);
            KipUnwaitThread(Thread, STATUS_WAIT_0);
            goto restart;
        }
    }
}

/* Under the lock: satisfy the wait at once if the objects allow it. */
static BOOLEAN KipTrySatisfy(PKTHREAD Thread, ULONG Count, PVOID Objects[], WAIT_TYPE WaitType,
                             NTSTATUS *Status)
{
    if (WaitType == WaitAny) {
        for (ULONG i = 0; i < Count; i++) {
            if (KipIsSignaled(Objects[i], Thread)) {
                KipSatisfy(Objects[i], Thread);
                *Status = STATUS_WAIT_0 + i;
                return TRUE;
            }
        }
        return FALSE;
    }
    for (ULONG i = 0; i < Count; i++) {
        if (!KipIsSignaled(Objects[i], Thread))
            return FALSE;
    }
    for (ULONG i = 0; i < Count; i++)
        KipSatisfy(Objects[i], Thread);
    *Status = STATUS_WAIT_0;
    return TRUE;
}

/* The interrupt time at which a wait with this Timeout ends. */
static LONGLONG KipDeadline(PLARGE_INTEGER Timeout)
{
    LARGE_INTEGER Now;

    if (Timeout->QuadPart < 0)
        return KiQueryInterruptTime() - Timeout->QuadPart;
    NtQuerySystemTime(&Now);
    return KiQueryInterruptTime() + (Timeout->QuadPart - Now.QuadPart);
}

/* Sleep until satisfied or Deadline (0: none); the blocks are linked. */
static NTSTATUS KipSleep(PKTHREAD Thread, BOOLEAN HasDeadline, LONGLONG Deadline)
{
    LARGE_INTEGER Relative;
    NTSTATUS Status, Result;

    for (;;) {
        Relative.QuadPart = 0;
        if (HasDeadline) {
            LONGLONG Left = Deadline - KiQueryInterruptTime();
            Relative.QuadPart = Left > 0 ? -Left : 0;
        }
        Status = NtWaitForSingleObject(Thread->WakeEvent, FALSE, HasDeadline ? &Relative : NULL);
        KiAcquireDispatcherLock();
        if (!Thread->Waiting) {
            Result = Thread->WaitStatus;
            KiReleaseDispatcherLock();
            return Result;
        }
        if (Status == STATUS_TIMEOUT || !NT_SUCCESS(Status) ||
            (HasDeadline && KiQueryInterruptTime() >= Deadline)) {
            for (ULONG i = 0; i < Thread->WaitCount; i++)
                RemoveEntryList(&Thread->WaitBlockList[i].WaitListEntry);
            Thread->Waiting = FALSE;
            KiReleaseDispatcherLock();
            return NT_SUCCESS(Status) ? STATUS_TIMEOUT : Status;
        }
        KiReleaseDispatcherLock(); /* a stale wake-up: sleep again */
    }
}

static NTSTATUS KipWait(ULONG Count, PVOID Objects[], WAIT_TYPE WaitType, PLARGE_INTEGER Timeout,
                        PKWAIT_BLOCK WaitBlocks)
{
    PKTHREAD Thread = KiCurrentThread();
    LONGLONG Deadline = 0;
    NTSTATUS Status;

    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS || (WaitType != WaitAny && WaitType != WaitAll))
        return STATUS_INVALID_PARAMETER;
    if (!WaitBlocks) {
        if (Count > THREAD_WAIT_OBJECTS)
            return STATUS_INVALID_PARAMETER;
        WaitBlocks = Thread->WaitBlock;
    }
    if (Timeout && Timeout->QuadPart != 0)
        Deadline = KipDeadline(Timeout);
    if (KiReadIrql() > APC_LEVEL && !(Timeout && Timeout->QuadPart == 0))
        DbgPrint("ntoskrnl: a wait at IRQL %u (only a zero time-out is allowed there)\n",
                 KiReadIrql());
    KiAcquireDispatcherLock();
    if (KipTrySatisfy(Thread, Count, Objects, WaitType, &Status)) {
        KiReleaseDispatcherLock();
        return Status;
    }
    if (Timeout && (Timeout->QuadPart == 0 || Deadline <= KiQueryInterruptTime())) {
        KiReleaseDispatcherLock();
        return STATUS_TIMEOUT;
    }
    for (ULONG i = 0; i < Count; i++) {
        PDISPATCHER_HEADER Object = Objects[i];
        WaitBlocks[i].Thread = Thread;
        WaitBlocks[i].Object = Object;
        WaitBlocks[i].NextWaitBlock = &WaitBlocks[(i + 1) % Count];
        WaitBlocks[i].WaitKey = (USHORT)i;
        WaitBlocks[i].WaitType = (UCHAR)WaitType;
        InsertTailList(&Object->WaitListHead, &WaitBlocks[i].WaitListEntry);
    }
    Thread->WaitBlockList = WaitBlocks;
    Thread->WaitCount = Count;
    Thread->WaitType = (UCHAR)WaitType;
    Thread->Waiting = TRUE;
    KiReleaseDispatcherLock();
    return KipSleep(Thread, Timeout != NULL, Deadline);
}

NTKRNL_EXPORT NTSTATUS NTAPI KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
                                                   KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                   PLARGE_INTEGER Timeout)
{
    PVOID Objects[1] = {Object};

    return KipWait(1, Objects, WaitAny, Timeout, NULL);
}

NTKRNL_EXPORT NTSTATUS NTAPI KeWaitForMultipleObjects(ULONG Count, PVOID Object[],
                                                      WAIT_TYPE WaitType, KWAIT_REASON WaitReason,
                                                      KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                      PLARGE_INTEGER Timeout,
                                                      PKWAIT_BLOCK WaitBlockArray)
{
    return KipWait(Count, Object, WaitType, Timeout, WaitBlockArray);
}

#undef KeWaitForMutexObject
/* The ddk's KeWaitForMutexObject is a macro over KeWaitForSingleObject; the name is exported too.
 */
NTKRNL_EXPORT NTSTATUS NTAPI KeWaitForMutexObject(PVOID Mutex, KWAIT_REASON WaitReason,
                                                  KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                  PLARGE_INTEGER Timeout)
{
    return KeWaitForSingleObject(Mutex, WaitReason, WaitMode, Alertable, Timeout);
}

NTKRNL_EXPORT NTSTATUS NTAPI KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                    PLARGE_INTEGER Interval)
{
    if (!Interval)
        return STATUS_INVALID_PARAMETER;
    return NtDelayExecution(Alertable, Interval);
}
