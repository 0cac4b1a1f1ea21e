/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DPCs and the DPC thread. KeInsertQueueDpc puts a KDPC on the one DPC
 * queue (DpcData non-NULL while it is queued, so a second insert is
 * refused as on NT) and wakes the DPC thread, a runtime thread that runs
 * each DPC at virtual DISPATCH_LEVEL, in queue order (high importance
 * first), and between them expires the timers of ke/timer.c and refreshes
 * the runtime's copy of KUSER_SHARED_DATA (ke/kuser.c). The thread starts
 * with the first DPC or timer. Lock order: dispatcher lock, then the DPC lock.
 */
#include "ntoskrnl.h"

#define KI_DPC_QUEUED ((PVOID)&KiDpcQueue)
#define KI_TICK       156250 /* refresh of the shared data copy: one clock tick */

static LIST_ENTRY KiDpcQueue = {&KiDpcQueue, &KiDpcQueue};
static KSPIN_LOCK KiDpcLock;
static HANDLE KiDpcEvent;              /* wakes the DPC thread */
static volatile LONG KiDpcThreadState; /* 0 none, 1 starting, 2 running */
static volatile LONG KiDpcActive;      /* DPCs queued or running (KeFlushQueuedDpcs) */

NTKRNL_EXPORT VOID NTAPI KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                                         PVOID DeferredContext)
{
    Dpc->Type = KI_DPC_OBJECT;
    Dpc->Importance = MediumImportance;
    Dpc->Number = 0;
    Dpc->DpcListEntry.Flink = Dpc->DpcListEntry.Blink = NULL;
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
    Dpc->SystemArgument1 = Dpc->SystemArgument2 = NULL;
    Dpc->DpcData = NULL;
}

/* Threaded DPCs run on the DPC thread too (at DISPATCH_LEVEL, as NT runs
 * them when threaded DPCs are disabled). */
NTKRNL_EXPORT VOID NTAPI KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                                                 PVOID DeferredContext)
{
    KeInitializeDpc(Dpc, DeferredRoutine, DeferredContext);
    Dpc->Type = KI_THREADED_DPC_OBJECT;
}

NTKRNL_EXPORT VOID NTAPI KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
    Dpc->Importance = (UCHAR)Importance;
}

/* One processor: the target is always processor 0. */
NTKRNL_EXPORT VOID NTAPI KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number)
{
    Dpc->Number = (USHORT)Number;
}

static VOID KipLockDpcQueue(VOID)
{
    while (InterlockedCompareExchange64((LONG64 *)&KiDpcLock, 1, 0) != 0)
        NtYieldExecution();
}

static VOID KipUnlockDpcQueue(VOID)
{
    InterlockedExchange64((LONG64 *)&KiDpcLock, 0);
}

NTKRNL_EXPORT BOOLEAN NTAPI KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1,
                                             PVOID SystemArgument2)
{
    KipLockDpcQueue();
    if (Dpc->DpcData) {
        KipUnlockDpcQueue();
        return FALSE;
    }
    Dpc->DpcData = KI_DPC_QUEUED;
    Dpc->SystemArgument1 = SystemArgument1;
    Dpc->SystemArgument2 = SystemArgument2;
    InterlockedIncrement(&KiDpcActive);
    if (Dpc->Importance == HighImportance)
        InsertHeadList(&KiDpcQueue, &Dpc->DpcListEntry);
    else
        InsertTailList(&KiDpcQueue, &Dpc->DpcListEntry);
    KipUnlockDpcQueue();
    KiKickDpcThread();
    return TRUE;
}

NTKRNL_EXPORT BOOLEAN NTAPI KeRemoveQueueDpc(PRKDPC Dpc)
{
    BOOLEAN WasQueued = FALSE;

    KipLockDpcQueue();
    if (Dpc->DpcData) {
        RemoveEntryList(&Dpc->DpcListEntry);
        Dpc->DpcData = NULL;
        InterlockedDecrement(&KiDpcActive);
        WasQueued = TRUE;
    }
    KipUnlockDpcQueue();
    return WasQueued;
}

/* Wait until every DPC queued before the call has run. */
NTKRNL_EXPORT VOID NTAPI KeFlushQueuedDpcs(VOID)
{
    LARGE_INTEGER Interval = {.QuadPart = -10000}; /* 1 ms */

    while (KiDpcActive != 0)
        NtDelayExecution(FALSE, &Interval);
}

NTKRNL_EXPORT BOOLEAN NTAPI KeIsExecutingDpc(VOID)
{
    return KiCurrentThread()->DpcThread && KiReadIrql() == DISPATCH_LEVEL;
}

/* Run the queued DPCs, each at DISPATCH_LEVEL. */
static VOID KipDrainDpcQueue(VOID)
{
    for (;;) {
        PKDEFERRED_ROUTINE Routine;
        PVOID Context, Argument1, Argument2;
        PKDPC Dpc;

        KipLockDpcQueue();
        if (IsListEmpty(&KiDpcQueue)) {
            KipUnlockDpcQueue();
            return;
        }
        Dpc = CONTAINING_RECORD(RemoveHeadList(&KiDpcQueue), KDPC, DpcListEntry);
        Routine = Dpc->DeferredRoutine;
        Context = Dpc->DeferredContext;
        Argument1 = Dpc->SystemArgument1;
        Argument2 = Dpc->SystemArgument2;
        Dpc->DpcData = NULL; /* it may queue itself again from its routine */
        KipUnlockDpcQueue();
        KiWriteIrql(DISPATCH_LEVEL);
        Routine(Dpc, Context, Argument1, Argument2);
        if (KiReadIrql() != DISPATCH_LEVEL)
            DbgPrint("ntoskrnl: DPC routine %p returned at IRQL %u\n", Routine, KiReadIrql());
        KiWriteIrql(PASSIVE_LEVEL);
        InterlockedDecrement(&KiDpcActive);
    }
}

static VOID NTAPI KipDpcThread(PVOID Context)
{
    LARGE_INTEGER Timeout;

    KiCurrentThread()->DpcThread = TRUE;
    for (;;) {
        LONGLONG Next = KiExpireTimers(), Now;

        KipDrainDpcQueue();
        if (KiSharedUserDataUsers) {
            KiRefreshSharedUserData();
            Now = KiQueryInterruptTime();
            if (Next > Now + KI_TICK)
                Next = Now + KI_TICK;
        }
        if (Next == MAXLONGLONG) {
            NtWaitForSingleObject(KiDpcEvent, FALSE, NULL);
            continue;
        }
        Now = KiQueryInterruptTime();
        if (Next <= Now)
            continue;
        Timeout.QuadPart = -(Next - Now);
        NtWaitForSingleObject(KiDpcEvent, FALSE, &Timeout);
    }
}

VOID KiKickDpcThread(VOID)
{
    if (KiDpcThreadState != 2) {
        if (InterlockedCompareExchange(&KiDpcThreadState, 1, 0) == 0) {
            NTSTATUS Status =
                NtCreateEvent(&KiDpcEvent, EVENT_ALL_ACCESS, NULL, KiSynchronizationEvent, FALSE);
            if (NT_SUCCESS(Status))
                Status = KiCreateThread(KipDpcThread, NULL, NULL, NULL, NULL);
            if (!NT_SUCCESS(Status))
                KeBugCheckEx(NO_MORE_SYSTEM_PTES, 1, Status, 0, 0);
            InterlockedExchange(&KiDpcThreadState, 2);
        }
        while (KiDpcThreadState != 2)
            NtYieldExecution();
    }
    NtSetEvent(KiDpcEvent, NULL);
}
