/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of the dispatcher waits (ke/wait.c) with many waiting
 * requests: each waiter is a request fiber of a thread of its own (fake
 * ETHREADs, as in ke.c), started here and resumed when woken. They check
 * the wake order (oldest first), how many waiters a signal releases per
 * object kind, wait-all atomicity, the hand-over and abandonment of
 * mutants, the end of a thread that waits, alerts, time-outs fired by the
 * PIT through the service loop, and that nothing is left behind (fibers
 * back in the pool, reply slots freed, wait lists empty).
 */
#include "ktest.h"

#include <ex.h>
#include <ntsvc.h>
#include <ob.h>
#include <svc.h>

#include "../ps/psp.h"

#define KT_REQUEST_TAG 0x7165724b /* the loop's 'Kreq': it may end these requests */
#define KT_WAITERS     32

typedef struct _KT_WAITER {
    ETHREAD Thread;
    DISPATCHER_HEADER *Objects[3];
    ULONG Count;
    bool WaitAll, Alertable, HasTimeout;
    LARGE_INTEGER Timeout;
    NTSTATUS (*Service)(struct _KT_WAITER *Waiter); /* instead of the wait, if set */
    ULONG_PTR Key;
    NTSTATUS Result;
    bool Done;
    ULONG Order; /* when it finished (KtFinished at that moment) */
} KT_WAITER;

static KT_WAITER KtWaiters[KT_WAITERS];
static ULONG KtFinished;

static void KtWaiterMain(void *Context)
{
    KREQUEST *Request = Context;
    KT_WAITER *Waiter = (KT_WAITER *)Request->Args[0];

    if (Waiter->Service)
        Waiter->Result = Waiter->Service(Waiter);
    else
        Waiter->Result = KeWaitForMultipleObjects(Waiter->Count, Waiter->Objects, Waiter->WaitAll,
                                                  Waiter->Alertable,
                                                  Waiter->HasTimeout ? &Waiter->Timeout : NULL);
    Waiter->Done = true;
    Waiter->Order = KtFinished++;
}

static void KtRun(KREQUEST *Request)
{
    KREQUEST *Outer = KiCurrentRequest;

    KiCurrentRequest = Request;
    KiSwitchToFiber(Request->Fiber);
    KiCurrentRequest = Outer;
}

static void KtEndRequest(KREQUEST *Request)
{
    Request->Thread->Fiber = NULL;
    KiFreeFiber(Request->Fiber);
    ExFreePoolWithTag(Request, KT_REQUEST_TAG);
}

/* Start waiter i, as Thread, on Count objects; it runs until it waits or is done. */
static bool KtStartWaiterAs(ULONG i, PETHREAD Thread, ULONG Count, DISPATCHER_HEADER *a,
                            DISPATCHER_HEADER *b, bool WaitAll)
{
    KT_WAITER *Waiter = &KtWaiters[i];
    KREQUEST *Request = ExAllocatePoolWithTag(sizeof(*Request), KT_REQUEST_TAG);

    if (Request == NULL)
        return false;
    Waiter->Objects[0] = a;
    Waiter->Objects[1] = b;
    Waiter->Count = Count;
    Waiter->WaitAll = WaitAll;
    Waiter->Done = false;
    Request->Thread = Thread;
    Request->Args[0] = (seL4_Word)Waiter;
    Request->Fiber = KiCreateFiber(KtWaiterMain, Request);
    if (Request->Fiber == NULL) {
        ExFreePoolWithTag(Request, KT_REQUEST_TAG);
        return false;
    }
    Thread->Fiber = Request->Fiber;
    KtRun(Request);
    if (Request->Fiber->State == KiFiberFinished)
        KtEndRequest(Request);
    return true;
}

static bool KtStartWaiter(ULONG i, ULONG Count, DISPATCHER_HEADER *a, DISPATCHER_HEADER *b,
                          bool WaitAll)
{
    return KtStartWaiterAs(i, &KtWaiters[i].Thread, Count, a, b, WaitAll);
}

/* Resume the woken waiters (as the loop does) until none is ready. */
static void KtRunReady(void)
{
    KFIBER *Fiber;

    while ((Fiber = KiDequeueReadyFiber()) != NULL) {
        KREQUEST *Request = Fiber->Context;
        KtRun(Request);
        if (Fiber->State == KiFiberFinished)
            KtEndRequest(Request);
    }
}

/* End waiter i's wait from outside (as an alert would) and let it finish. */
static bool KtEndWaitOf(ULONG i)
{
    bool Ended = KeEndWait(&KtWaiters[i].Thread, STATUS_ALERTED);

    KtRunReady();
    return Ended && KtWaiters[i].Done && KtWaiters[i].Result == STATUS_ALERTED;
}

static ULONG KtFreeFibersBefore;

static void KtBegin(void)
{
    memset(KtWaiters, 0, sizeof(KtWaiters));
    KtFinished = 0;
    KtFreeFibersBefore = KiFreeFiberCount();
}

/* Every waiter must be done; give back their reply slots. */
static void KtEnd(void)
{
    for (ULONG i = 0; i < KT_WAITERS; i++) {
        CHECK(KtWaiters[i].Thread.Fiber == NULL);
        CHECK(KtWaiters[i].Thread.Wait == NULL);
        CHECK(KtWaiters[i].Thread.OwnedMutants == NULL);
        if (KtWaiters[i].Thread.ReplySlot) {
            seL4_CNode_Delete(MmRootCNode, KtWaiters[i].Thread.ReplySlot, MM_CPTR_DEPTH);
            MmFreeSlot(KtWaiters[i].Thread.ReplySlot);
        }
    }
    CHECK(KiFreeFiberCount() >= KtFreeFibersBefore);
    CHECK(KiDequeueReadyFiber() == NULL);
}

KTEST(kewait_synchronization_event_wakes_one_in_order)
{
    DISPATCHER_HEADER Event;

    KtBegin();
    KeInitializeDispatcherHeader(&Event, KiSynchronizationObject, 0);
    for (ULONG i = 0; i < 3; i++)
        CHECK(KtStartWaiter(i, 1, &Event, NULL, false));
    CHECK(!KtWaiters[0].Done && !KtWaiters[1].Done && !KtWaiters[2].Done);
    for (ULONG Round = 0; Round < 3; Round++) {
        CHECK_EQ(KeSetEvent(&Event), 0);
        CHECK_EQ(Event.SignalState, 0); /* taken by the woken waiter */
        KtRunReady();
        CHECK(KtWaiters[Round].Done);
        CHECK_EQ(KtWaiters[Round].Result, STATUS_WAIT_0);
        CHECK_EQ(KtWaiters[Round].Order, Round);
        CHECK(Round == 2 || !KtWaiters[Round + 1].Done);
    }
    CHECK(Event.WaitListHead == NULL && Event.WaitListTail == NULL);
    KtEnd();
}

KTEST(kewait_notification_event_and_pulse_wake_all)
{
    DISPATCHER_HEADER Event;

    KtBegin();
    KeInitializeDispatcherHeader(&Event, KiNotificationObject, 0);
    for (ULONG i = 0; i < 2; i++)
        CHECK(KtStartWaiter(i, 1, &Event, NULL, false));
    CHECK_EQ(KePulseEvent(&Event), 0);
    CHECK_EQ(Event.SignalState, 0);
    KtRunReady();
    CHECK(KtWaiters[0].Done && KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[1].Result, STATUS_WAIT_0);
    /* Now signalled: a new waiter goes through at once and leaves it set. */
    KeSetEvent(&Event);
    CHECK(KtStartWaiter(2, 1, &Event, NULL, false));
    CHECK(KtWaiters[2].Done);
    CHECK_EQ(Event.SignalState, 1);
    KtEnd();
}

KTEST(kewait_semaphore_release_wakes_count)
{
    KSEMAPHORE Semaphore;
    LONG Previous = 0;

    KtBegin();
    KeInitializeSemaphore(&Semaphore, 0, 10);
    for (ULONG i = 0; i < 4; i++)
        CHECK(KtStartWaiter(i, 1, &Semaphore.Header, NULL, false));
    CHECK_EQ(KeReleaseSemaphore(&Semaphore, 2, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_EQ(Semaphore.Header.SignalState, 0);
    KtRunReady();
    CHECK(KtWaiters[0].Done && KtWaiters[1].Done);
    CHECK(!KtWaiters[2].Done && !KtWaiters[3].Done);
    CHECK_EQ(KeReleaseSemaphore(&Semaphore, 11, &Previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(KeReleaseSemaphore(&Semaphore, 3, &Previous), STATUS_SUCCESS);
    KtRunReady();
    CHECK(KtWaiters[2].Done && KtWaiters[3].Done);
    CHECK_EQ(Semaphore.Header.SignalState, 1);
    KtEnd();
}

KTEST(kewait_wait_all_takes_nothing_until_all)
{
    DISPATCHER_HEADER First, Second;

    KtBegin();
    KeInitializeDispatcherHeader(&First, KiSynchronizationObject, 0);
    KeInitializeDispatcherHeader(&Second, KiSynchronizationObject, 0);
    CHECK(KtStartWaiter(0, 2, &First, &Second, true));
    KeSetEvent(&First);
    KtRunReady();
    CHECK(!KtWaiters[0].Done);
    CHECK_EQ(First.SignalState, 1); /* not taken: Second is missing */
    /* A wait-any that comes later takes what the wait-all could not. */
    CHECK(KtStartWaiter(1, 1, &First, NULL, false));
    CHECK(KtWaiters[1].Done);
    CHECK_EQ(First.SignalState, 0);
    KeSetEvent(&Second);
    KtRunReady();
    CHECK(!KtWaiters[0].Done);
    CHECK_EQ(Second.SignalState, 1);
    KeSetEvent(&First);
    KtRunReady();
    CHECK(KtWaiters[0].Done);
    CHECK_EQ(KtWaiters[0].Result, STATUS_SUCCESS);
    CHECK_EQ(First.SignalState, 0);
    CHECK_EQ(Second.SignalState, 0);
    CHECK(First.WaitListHead == NULL && Second.WaitListHead == NULL);
    KtEnd();
}

KTEST(kewait_wait_any_reports_the_index)
{
    DISPATCHER_HEADER First, Second;

    KtBegin();
    KeInitializeDispatcherHeader(&First, KiNotificationObject, 0);
    KeInitializeDispatcherHeader(&Second, KiNotificationObject, 0);
    CHECK(KtStartWaiter(0, 2, &First, &Second, false));
    KeSetEvent(&Second);
    KtRunReady();
    CHECK(KtWaiters[0].Done);
    CHECK_EQ(KtWaiters[0].Result, STATUS_WAIT_1);
    CHECK(First.WaitListHead == NULL); /* its other block left too */
    KtEnd();
}

KTEST(kewait_mutant_handed_over_then_abandoned)
{
    static ETHREAD Owner;
    KMUTANT Mutant;
    LONG Previous = 0;

    KtBegin();
    memset(&Owner, 0, sizeof(Owner));
    KeInitializeMutant(&Mutant, &Owner);
    CHECK(Owner.OwnedMutants == &Mutant);
    CHECK(KtStartWaiter(0, 1, &Mutant.Header, NULL, false));
    CHECK(!KtWaiters[0].Done);
    CHECK_EQ(KeReleaseMutant(&Mutant, &KtWaiters[0].Thread, &Previous), STATUS_MUTANT_NOT_OWNED);
    CHECK_EQ(KeReleaseMutant(&Mutant, &Owner, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK(Owner.OwnedMutants == NULL);
    KtRunReady();
    CHECK(KtWaiters[0].Done);
    CHECK(Mutant.Owner == &KtWaiters[0].Thread);
    /* Its new owner ends holding it: the next waiter is told. */
    CHECK(KtStartWaiter(1, 1, &Mutant.Header, NULL, false));
    KeThreadEnded(&KtWaiters[0].Thread);
    CHECK_EQ(KtWaiters[0].Thread.Header.SignalState, 1);
    KtRunReady();
    CHECK(KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[1].Result, STATUS_ABANDONED_WAIT_0);
    CHECK(!Mutant.Abandoned); /* said once */
    CHECK_EQ(KeReleaseMutant(&Mutant, &KtWaiters[1].Thread, &Previous), STATUS_SUCCESS);
    KeDeleteMutant(&Mutant);
    KtEnd();
}

KTEST(kewait_thread_that_ends_leaves_its_wait)
{
    DISPATCHER_HEADER Event;

    KtBegin();
    KeInitializeDispatcherHeader(&Event, KiSynchronizationObject, 0);
    CHECK(KtStartWaiter(0, 1, &Event, NULL, false));
    /* Another waits for the first thread to end. */
    CHECK(KtStartWaiter(1, 1, &KtWaiters[0].Thread.Header, NULL, false));
    CHECK(!KtWaiters[1].Done);
    KtWaiters[0].Thread.Terminated = true;
    KeThreadEnded(&KtWaiters[0].Thread);
    CHECK(Event.WaitListHead == NULL);
    KtRunReady();
    CHECK(KtWaiters[0].Done && KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[0].Result, STATUS_THREAD_IS_TERMINATING);
    CHECK_EQ(KtWaiters[1].Result, STATUS_WAIT_0);
    /* A signal after the end finds nobody and stays. */
    KeSetEvent(&Event);
    CHECK_EQ(Event.SignalState, 1);
    KtEnd();
}

KTEST(kewait_alert_ends_only_alertable_waits)
{
    DISPATCHER_HEADER Event;

    KtBegin();
    KeInitializeDispatcherHeader(&Event, KiNotificationObject, 0);
    KtWaiters[0].Alertable = true;
    CHECK(KtStartWaiter(0, 1, &Event, NULL, false));
    CHECK(KtStartWaiter(1, 1, &Event, NULL, false));
    KeAbortAlertableWait(&KtWaiters[0].Thread, STATUS_ALERTED);
    KeAbortAlertableWait(&KtWaiters[1].Thread, STATUS_ALERTED);
    KtRunReady();
    CHECK(KtWaiters[0].Done && !KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[0].Result, STATUS_ALERTED);
    CHECK(KeEndWait(&KtWaiters[1].Thread, STATUS_TIMEOUT));
    CHECK(!KeEndWait(&KtWaiters[1].Thread, STATUS_TIMEOUT)); /* no wait left */
    KtRunReady();
    CHECK(KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[1].Result, STATUS_TIMEOUT);
    CHECK(Event.WaitListHead == NULL);
    KtEnd();
}

KTEST(kewait_zero_timeout_and_duplicates)
{
    DISPATCHER_HEADER Event;

    KtBegin();
    KeInitializeDispatcherHeader(&Event, KiNotificationObject, 0);
    KtWaiters[0].HasTimeout = true; /* Timeout 0: poll */
    CHECK(KtStartWaiter(0, 1, &Event, NULL, false));
    CHECK(KtWaiters[0].Done);
    CHECK_EQ(KtWaiters[0].Result, STATUS_TIMEOUT);
    CHECK(KtStartWaiter(1, 2, &Event, &Event, true));
    CHECK(KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[1].Result, STATUS_INVALID_PARAMETER_MIX);
    CHECK(Event.WaitListHead == NULL);
    KtEnd();
}

static bool KtAllTimedOut(void)
{
    return KtWaiters[0].Done && KtWaiters[1].Done;
}

KTEST(kewait_timeouts_fire_in_order)
{
    DISPATCHER_HEADER Event;
    ULONGLONG Start = KeQueryInterruptTime();

    if (!CHECK(KeTimersAvailable()))
        return;
    KtBegin();
    KeInitializeDispatcherHeader(&Event, KiNotificationObject, 0);
    KtWaiters[0].HasTimeout = KtWaiters[1].HasTimeout = true;
    KtWaiters[0].Timeout.QuadPart = -100000; /* 10 ms */
    KtWaiters[1].Timeout.QuadPart = -30000;  /* 3 ms */
    CHECK(KtStartWaiter(0, 1, &Event, NULL, false));
    CHECK(KtStartWaiter(1, 1, &Event, NULL, false));
    /* The loop serves the PIT's interrupts and resumes the woken waiters. */
    KiRunServiceLoop(KtAllTimedOut);
    CHECK_EQ(KtWaiters[0].Result, STATUS_TIMEOUT);
    CHECK_EQ(KtWaiters[1].Result, STATUS_TIMEOUT);
    CHECK_EQ(KtWaiters[1].Order, 0); /* the shorter first */
    CHECK(KeQueryInterruptTime() - Start >= 100000);
    CHECK(Event.WaitListHead == NULL);
    KtEnd();
}

/* Run services as Thread (KeGetCurrentThread() = Thread), outside any fiber. */
static KREQUEST KtServiceRequest;

static void KtBecome(PETHREAD Thread)
{
    KtServiceRequest = (KREQUEST){.Thread = Thread};
    KiCurrentRequest = Thread ? &KtServiceRequest : NULL;
}

/* A real thread (ps) ends while its request waits: the wait ends, its
 * mutant is abandoned, its header and later its process's are signalled,
 * and the reference ps left is the request's to drop. */
KTEST(kewait_ps_thread_ends_while_waiting)
{
    PEPROCESS Process = NULL;
    PETHREAD Second = NULL;
    HANDLE EventHandle = NULL, MutantHandle = NULL;
    DISPATCHER_HEADER *Event = NULL;
    KMUTANT *Mutant = NULL;
    KFIBER *Fiber;

    KtBegin();
    if (!CHECK_EQ(PsCreateProcessFromArchive("hello.exe", u"hello.exe -t", &Process),
                  STATUS_SUCCESS))
        return;
    ObReferenceObject(Process);
    if (!CHECK_EQ(PspCreateThread(Process, Process->ImageBase + 0x1000, 0, &Second),
                  STATUS_SUCCESS))
        goto out;
    ObReferenceObject(Second);
    KtBecome(Second);
    CHECK_EQ(NtCreateMutant(&MutantHandle, MAXIMUM_ALLOWED, NULL, TRUE), STATUS_SUCCESS);
    CHECK_EQ(NtCreateEvent(&EventHandle, MAXIMUM_ALLOWED, NULL, 1, FALSE), STATUS_SUCCESS);
    CHECK_EQ(ObReferenceObjectByHandle(MutantHandle, ExMutantObjectType, 0, (PVOID *)&Mutant),
             STATUS_SUCCESS);
    CHECK_EQ(ObReferenceObjectByHandle(EventHandle, ExEventObjectType, 0, (PVOID *)&Event),
             STATUS_SUCCESS);
    KtBecome(NULL);
    if (!Mutant || !Event)
        goto out;
    CHECK(Second->OwnedMutants == Mutant);
    CHECK(KtStartWaiterAs(0, Second, 1, Event, NULL, false));
    CHECK(Second->Wait != NULL && Event->WaitListHead != NULL);
    PsTerminateThread(Second, 7);
    CHECK(Second->Terminated && Second->ReleaseAfterRequest);
    CHECK(Second->Wait == NULL && Event->WaitListHead == NULL);
    CHECK_EQ(Second->Header.SignalState, 1);
    CHECK(Mutant->Owner == NULL && Mutant->Abandoned && Second->OwnedMutants == NULL);
    CHECK_EQ(Process->Header.SignalState, 0); /* its first thread still runs */
    /* Resume the woken request as the loop would, and end it as KiEndRequest does. */
    Fiber = KiDequeueReadyFiber();
    if (CHECK(Fiber != NULL && Fiber == Second->Fiber)) {
        KREQUEST *Request = Fiber->Context;
        KtRun(Request);
        CHECK_EQ(Fiber->State, KiFiberFinished);
        KtEndRequest(Request);
        CHECK_EQ(KtWaiters[0].Result, STATUS_THREAD_IS_TERMINATING);
        if (Second->ReleaseAfterRequest) {
            Second->ReleaseAfterRequest = false;
            ObDereferenceObject(Second);
        }
    }
    CHECK_EQ(ObGetObjectPointerCount(Second), 1); /* only ours is left */
out:
    PsTerminateProcess(Process, 0);
    CHECK_EQ(Process->Header.SignalState, 1);
    if (Mutant)
        ObDereferenceObject(Mutant);
    if (Event)
        ObDereferenceObject(Event);
    if (Second)
        ObDereferenceObject(Second);
    ObDereferenceObject(Process);
    CHECK(KiFreeFiberCount() >= KtFreeFibersBefore);
}

/* ---- through the real service loop ------------------------------------------------------- */

#define KT_CLIENT_STACK 4096

/* A helper thread in ntos's own VSpace that calls the endpoint with the
 * badge of a ps thread, as that thread would: NtWaitForSingleObject(Handle,
 * FALSE, NULL). It never gets an answer if the thread ends meanwhile. */
typedef struct _KT_CALLER {
    seL4_CPtr Tcb, Endpoint, Done;
    seL4_Word Handle;
    seL4_Word Result;
    ULONG_PTR Stack[KT_CLIENT_STACK / sizeof(ULONG_PTR)] __attribute__((aligned(16)));
} KT_CALLER;

static KT_CALLER KtCaller;

static void KtCallerMain(KT_CALLER *Caller)
{
    seL4_Word Mr0 = Caller->Handle, Mr1 = 0, Mr2 = 0, Mr3 = 0;

    seL4_CallWithMRs(Caller->Endpoint, seL4_MessageInfo_new(NTSVC_WaitForSingleObject, 0, 0, 3),
                     &Mr0, &Mr1, &Mr2, &Mr3);
    Caller->Result = Mr0;
    seL4_Signal(Caller->Done);
    seL4_TCB_Suspend(Caller->Tcb);
}

static bool KtStartCaller(KT_CALLER *Caller, ULONG_PTR Badge)
{
    seL4_UserContext Regs = {0};

    Caller->Result = 0xdead;
    Caller->Endpoint = MmAllocateSlot();
    if (!NT_SUCCESS(MmAllocateObject(seL4_NotificationObject, 0, &Caller->Done)) ||
        !NT_SUCCESS(MmAllocateObject(seL4_TCBObject, 0, &Caller->Tcb)) || !Caller->Endpoint)
        return false;
    if (seL4_CNode_Mint(MmRootCNode, Caller->Endpoint, MM_CPTR_DEPTH, MmRootCNode,
                        KiServiceEndpoint, MM_CPTR_DEPTH, seL4_CapRights_new(1, 0, 0, 1),
                        Badge) != seL4_NoError ||
        seL4_TCB_Configure(Caller->Tcb, 0, MmRootCNode, 0, seL4_CapInitThreadVSpace, 0, 0, 0) !=
            seL4_NoError ||
        seL4_TCB_SetPriority(Caller->Tcb, seL4_CapInitThreadTCB, KI_USER_PRIORITY) != seL4_NoError)
        return false;
    Regs.rip = (seL4_Word)KtCallerMain;
    Regs.rsp = (seL4_Word)&Caller->Stack[ARRAYSIZE(Caller->Stack)] - 8;
    Regs.rdi = (seL4_Word)Caller;
    Regs.rflags = 0x202;
    return seL4_TCB_WriteRegisters(Caller->Tcb, true, 0, sizeof(Regs) / sizeof(seL4_Word), &Regs) ==
           seL4_NoError;
}

static void KtStopCaller(KT_CALLER *Caller)
{
    if (Caller->Tcb)
        MmFreeObject(Caller->Tcb);
    if (Caller->Done)
        MmFreeObject(Caller->Done);
    if (Caller->Endpoint) {
        seL4_CNode_Delete(MmRootCNode, Caller->Endpoint, MM_CPTR_DEPTH);
        MmFreeSlot(Caller->Endpoint);
    }
    memset(Caller, 0, sizeof(*Caller));
}

static PETHREAD KtLoopThread;

static bool KtLoopThreadWaits(void)
{
    return KtLoopThread->Wait != NULL;
}

static bool KtLoopRequestEnded(void)
{
    return KtLoopThread->Fiber == NULL;
}

static void KtKick(KTIMER *Timer, void *Context)
{
}

/* The loop runs the woken request of an ended thread to its end, answers
 * nobody, and drops the reference ps left to it. */
KTEST(kewait_loop_ends_the_request_of_an_ended_thread)
{
    PEPROCESS Process = NULL;
    PETHREAD Second = NULL;
    HANDLE EventHandle = NULL;
    KTIMER Kick = {0};
    seL4_Word Signals = 0;

    if (!CHECK(KeTimersAvailable()))
        return;
    if (!CHECK_EQ(PsCreateProcessFromArchive("hello.exe", u"hello.exe -t", &Process),
                  STATUS_SUCCESS))
        return;
    ObReferenceObject(Process);
    /* Its own threads must not run while the loop blocks. */
    seL4_TCB_Suspend(PspProcess(Process)->Threads->Tcb.Tcb);
    if (!CHECK_EQ(PspCreateThread(Process, Process->ImageBase + 0x1000, 0, &Second),
                  STATUS_SUCCESS))
        goto out;
    seL4_TCB_Suspend(Second->Tcb);
    ObReferenceObject(Second);
    KtBecome(Second);
    CHECK_EQ(NtCreateEvent(&EventHandle, MAXIMUM_ALLOWED, NULL, 0, FALSE), STATUS_SUCCESS);
    KtBecome(NULL);
    KiDispatchOverride = NULL;
    KtCaller.Handle = (seL4_Word)EventHandle;
    if (!CHECK(KtStartCaller(&KtCaller, Second->UniqueThreadId)))
        goto out;
    KtLoopThread = Second;
    KiRunServiceLoop(KtLoopThreadWaits);
    PsTerminateThread(Second, 9);
    CHECK(Second->ReleaseAfterRequest);
    CHECK_EQ(ObGetObjectPointerCount(Second), 2); /* ours and the request's */
    /* Something must make the loop turn: a timer's interrupt. */
    KeSetTimer(&Kick, KeQueryInterruptTime() + 10000, KtKick, NULL);
    KiRunServiceLoop(KtLoopRequestEnded);
    KeCancelTimer(&Kick);
    CHECK(!Second->ReleaseAfterRequest);
    CHECK_EQ(ObGetObjectPointerCount(Second), 1);
    seL4_Poll(KtCaller.Done, &Signals);
    CHECK_EQ(Signals, 0); /* no answer to an ended thread */
    CHECK_EQ(KtCaller.Result, 0xdead);
out:
    KtStopCaller(&KtCaller);
    PsTerminateProcess(Process, 0);
    if (Second)
        ObDereferenceObject(Second);
    ObDereferenceObject(Process);
}

/* ---- keyed events (ex/keyedevent.c) through the system keyed event ----------------------------
 */

static NTSTATUS KtKeyedWait(KT_WAITER *Waiter)
{
    return NtWaitForKeyedEvent(NULL, (USER_ADDRESS){Waiter->Key}, FALSE,
                               Waiter->HasTimeout ? &Waiter->Timeout : NULL);
}

static NTSTATUS KtKeyedRelease(KT_WAITER *Waiter)
{
    return NtReleaseKeyedEvent(NULL, (USER_ADDRESS){Waiter->Key}, FALSE,
                               Waiter->HasTimeout ? &Waiter->Timeout : NULL);
}

/* Waiter i of Process calls Service on Key (time-out 0 if Poll). */
static bool KtStartKeyed(ULONG i, PEPROCESS Process, NTSTATUS (*Service)(KT_WAITER *),
                         ULONG_PTR Key, bool Poll)
{
    KtWaiters[i].Thread.Process = Process;
    KtWaiters[i].Service = Service;
    KtWaiters[i].Key = Key;
    KtWaiters[i].HasTimeout = Poll;
    return KtStartWaiter(i, 0, NULL, NULL, false);
}

KTEST(kewait_keyed_event_rendezvous)
{
    static EPROCESS ProcessA, ProcessB;

    KtBegin();
    CHECK(KtStartKeyed(0, &ProcessA, KtKeyedWait, 0x40, false));
    CHECK(KtStartKeyed(1, &ProcessA, KtKeyedWait, 0x40, false));
    CHECK(!KtWaiters[0].Done && !KtWaiters[1].Done);
    /* Another process's release of the same key meets nobody. */
    CHECK(KtStartKeyed(2, &ProcessB, KtKeyedRelease, 0x40, true));
    CHECK(KtWaiters[2].Done);
    CHECK_EQ(KtWaiters[2].Result, STATUS_TIMEOUT);
    /* Another key neither. */
    CHECK(KtStartKeyed(3, &ProcessA, KtKeyedRelease, 0x44, true));
    CHECK_EQ(KtWaiters[3].Result, STATUS_TIMEOUT);
    /* A release of the key: the oldest waiter goes, the releaser at once. */
    CHECK(KtStartKeyed(4, &ProcessA, KtKeyedRelease, 0x40, false));
    CHECK(KtWaiters[4].Done);
    CHECK_EQ(KtWaiters[4].Result, STATUS_SUCCESS);
    KtRunReady();
    CHECK(KtWaiters[0].Done && !KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[0].Result, STATUS_SUCCESS);
    /* A releaser that comes first waits for its waiter. */
    CHECK(KtEndWaitOf(1));
    CHECK(KtStartKeyed(5, &ProcessA, KtKeyedRelease, 0x48, false));
    CHECK(!KtWaiters[5].Done);
    CHECK(KtStartKeyed(2, &ProcessA, KtKeyedWait, 0x48, false));
    CHECK(KtWaiters[2].Done);
    CHECK_EQ(KtWaiters[2].Result, STATUS_SUCCESS);
    KtRunReady();
    CHECK(KtWaiters[5].Done);
    CHECK_EQ(KtWaiters[5].Result, STATUS_SUCCESS);
    /* Nobody is left behind on the system keyed event. */
    CHECK(KtStartKeyed(3, &ProcessA, KtKeyedRelease, 0x40, true));
    CHECK_EQ(KtWaiters[3].Result, STATUS_TIMEOUT);
    for (ULONG i = 0; i < KT_WAITERS; i++)
        KtWaiters[i].Thread.Process = NULL;
    KtEnd();
}

KTEST(kewait_abandoned_index_and_mutant_limit)
{
    static ETHREAD Owner;
    DISPATCHER_HEADER Event;
    KMUTANT Mutant;
    LONG Previous;

    KtBegin();
    memset(&Owner, 0, sizeof(Owner));
    KeInitializeDispatcherHeader(&Event, KiNotificationObject, 0);
    KeInitializeMutant(&Mutant, &Owner);
    KeThreadEnded(&Owner);
    CHECK(Mutant.Abandoned && Mutant.Owner == NULL);
    /* Wait-any: the index of the abandoned mutant. */
    CHECK(KtStartWaiter(0, 2, &Event, &Mutant.Header, false));
    CHECK(KtWaiters[0].Done);
    CHECK_EQ(KtWaiters[0].Result, STATUS_ABANDONED_WAIT_0 + 1);
    CHECK(Mutant.Owner == &KtWaiters[0].Thread);
    CHECK_EQ(KeReleaseMutant(&Mutant, &KtWaiters[0].Thread, &Previous), STATUS_SUCCESS);
    /* Wait-all: STATUS_ABANDONED_WAIT_0 once everything is taken. */
    KeInitializeMutant(&Mutant, &Owner);
    KeThreadEnded(&Owner);
    CHECK(KtStartWaiter(1, 2, &Mutant.Header, &Event, true));
    CHECK(!KtWaiters[1].Done);
    KeSetEvent(&Event);
    KtRunReady();
    CHECK(KtWaiters[1].Done);
    CHECK_EQ(KtWaiters[1].Result, STATUS_ABANDONED_WAIT_0);
    /* The owner may take it again, up to 2^31 times. */
    Mutant.Header.SignalState = INT32_MIN + 1;
    CHECK(KtStartWaiter(1, 1, &Mutant.Header, NULL, false));
    CHECK_EQ(KtWaiters[1].Result, STATUS_WAIT_0);
    CHECK_EQ(Mutant.Header.SignalState, INT32_MIN);
    CHECK(KtStartWaiter(1, 1, &Mutant.Header, NULL, false));
    CHECK_EQ(KtWaiters[1].Result, STATUS_MUTANT_LIMIT_EXCEEDED);
    CHECK_EQ(Mutant.Header.SignalState, INT32_MIN);
    Mutant.Header.SignalState = 0;
    CHECK_EQ(KeReleaseMutant(&Mutant, &KtWaiters[1].Thread, &Previous), STATUS_SUCCESS);
    CHECK(Mutant.Owner == NULL && KtWaiters[1].Thread.OwnedMutants == NULL);
    KeDeleteMutant(&Mutant);
    KtEnd();
}

KTEST(kewait_many_waiters_served_in_order)
{
    KSEMAPHORE Semaphore;
    LONG Previous;

    KtBegin();
    KeInitializeSemaphore(&Semaphore, 0, KT_WAITERS);
    for (ULONG i = 0; i < KT_WAITERS; i++)
        CHECK(KtStartWaiter(i, 1, &Semaphore.Header, NULL, false));
    /* One at a time: always the oldest waiter. */
    for (ULONG i = 0; i < KT_WAITERS / 2; i++) {
        CHECK_EQ(KeReleaseSemaphore(&Semaphore, 1, &Previous), STATUS_SUCCESS);
        KtRunReady();
        CHECK(KtWaiters[i].Done && KtWaiters[i].Order == i);
        CHECK(!KtWaiters[i + 1].Done);
    }
    /* The rest at once: woken in arrival order too. */
    CHECK_EQ(KeReleaseSemaphore(&Semaphore, KT_WAITERS / 2, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Semaphore.Header.SignalState, 0);
    KtRunReady();
    for (ULONG i = 0; i < KT_WAITERS; i++)
        CHECK(KtWaiters[i].Done && KtWaiters[i].Order == i && KtWaiters[i].Result == STATUS_WAIT_0);
    CHECK(Semaphore.Header.WaitListHead == NULL);
    KtEnd();
}
