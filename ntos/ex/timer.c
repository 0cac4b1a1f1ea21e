/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timers: a dispatcher header (notification: stays signalled once it
 * expired; synchronization: a satisfied wait resets it) driven by one of
 * ke's KTIMERs. Setting one resets it and queues the KTIMER at the due
 * time (relative, negative 100 ns units, or absolute system time); at each
 * expiry the header is signalled, an APC routine given to NtSetTimer is
 * queued to the thread that set it (KeInsertUserApc with the expiry time
 * as two ULONGs), and a periodic timer is queued again Period ms later.
 * The timer keeps that thread referenced while an APC is pending on it.
 */
#include "exp.h"

#define EXP_NOTIFICATION_TIMER    0
#define EXP_SYNCHRONIZATION_TIMER 1
#define TIMER_ALL_ACCESS          (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3u)

typedef struct _TIMER_BASIC_INFORMATION {
    LARGE_INTEGER RemainingTime;
    BOOLEAN TimerState;
} TIMER_BASIC_INFORMATION;
_Static_assert(sizeof(TIMER_BASIC_INFORMATION) == 16, "TIMER_BASIC_INFORMATION");

typedef struct _ETIMER {
    DISPATCHER_HEADER Header;
    KTIMER Timer;
    ULONGLONG Period; /* 100 ns units; 0: once */
    ULONG_PTR ApcRoutine, ApcContext;
    PETHREAD ApcThread; /* referenced while set with an APC routine */
} ETIMER;

POBJECT_TYPE ExTimerObjectType;

/* Stop the timer and drop what it holds for its APC. */
static void ExpStopTimer(ETIMER *Timer)
{
    KeCancelTimer(&Timer->Timer);
    if (Timer->ApcThread)
        ObDereferenceObject(Timer->ApcThread);
    Timer->ApcThread = NULL;
    Timer->ApcRoutine = Timer->ApcContext = 0;
    Timer->Period = 0;
}

static void ExpDeleteTimer(PVOID Object)
{
    ExpStopTimer(Object);
}

NTSTATUS ExpInitializeTimer(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = TIMER_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | TIMER_QUERY_STATE, READ_CONTROL | TIMER_MODIFY_STATE,
                           READ_CONTROL | SYNCHRONIZE, TIMER_ALL_ACCESS},
        .PoolTag = EXP_TIMER_TAG,
        .DeleteProcedure = ExpDeleteTimer,
    };
    NTSTATUS Status = STATUS_SUCCESS;

    if (ExTimerObjectType == NULL) {
        Status = ObCreateObjectType("Timer", &Init, &ExTimerObjectType);
        if (NT_SUCCESS(Status))
            KeRegisterWaitableType(ExTimerObjectType, 0);
    }
    return Status;
}

/* On the loop's stack (ke/timer.c): must not wait. */
static void ExpTimerExpired(KTIMER *KTimer, void *Context)
{
    ETIMER *Timer = Context;
    LARGE_INTEGER Now = {.QuadPart = 0};

    if (Timer->ApcThread && Timer->ApcThread->Terminated) {
        /* Windows cancels a timer whose APC thread ends; here it is seen
         * at the next expiry, which then does nothing. */
        ExpStopTimer(Timer);
        return;
    }
    if (Timer->ApcRoutine && Timer->ApcThread) {
        NtQuerySystemTime(&Now);
        KeInsertUserApc(Timer->ApcThread, Timer->ApcRoutine, Timer->ApcContext, (ULONG)Now.QuadPart,
                        (ULONG)(Now.QuadPart >> 32));
    }
    if (Timer->Period)
        KeSetTimer(&Timer->Timer, KTimer->DueTime + Timer->Period, ExpTimerExpired, Timer);
    else if (Timer->ApcThread) {
        ObDereferenceObject(Timer->ApcThread);
        Timer->ApcThread = NULL;
    }
    KeSignalObject(&Timer->Header, 1);
}

NTSTATUS NtCreateTimer(HANDLE *TimerHandle, ACCESS_MASK DesiredAccess,
                       const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, ULONG TimerType)
{
    ETIMER *Timer;
    NTSTATUS Status;

    if (TimerType != EXP_NOTIFICATION_TIMER && TimerType != EXP_SYNCHRONIZATION_TIMER)
        return STATUS_INVALID_PARAMETER_4;
    Status = ObCreateObject(ExTimerObjectType, sizeof(*Timer), (PVOID *)&Timer);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeDispatcherHeader(
        &Timer->Header,
        TimerType == EXP_NOTIFICATION_TIMER ? KiNotificationObject : KiSynchronizationObject, 0);
    return ObInsertObject(Timer, ObjectAttributes, DesiredAccess, TimerHandle);
}

NTSTATUS NtOpenTimer(HANDLE *TimerHandle, ACCESS_MASK DesiredAccess,
                     const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    return ObOpenObjectByName(ObjectAttributes, ExTimerObjectType, DesiredAccess, NULL,
                              TimerHandle);
}

/* The interrupt time DueTime means: relative (negative) or absolute. */
static ULONGLONG ExpDueTime(LONGLONG DueTime)
{
    ULONGLONG Now = KeQueryInterruptTime();

    if (DueTime < 0)
        return DueTime == LLONG_MIN ? Now + (ULONGLONG)LLONG_MAX / 2 : Now + (ULONGLONG)-DueTime;
    return KeSystemTimeToInterruptTime(DueTime); /* 0 (past): expires at once */
}

NTSTATUS NtSetTimer(HANDLE TimerHandle, const LARGE_INTEGER *DueTime, USER_ADDRESS TimerApcRoutine,
                    USER_ADDRESS TimerContext, BOOLEAN ResumeTimer, LONG Period,
                    BOOLEAN *PreviousState)
{
    ETIMER *Timer;
    NTSTATUS Status;

    if (Period < 0)
        return STATUS_INVALID_PARAMETER_6;
    Status = ObReferenceObjectByHandle(TimerHandle, ExTimerObjectType, TIMER_MODIFY_STATE,
                                       (PVOID *)&Timer);
    if (!NT_SUCCESS(Status))
        return Status;
    if (PreviousState)
        *PreviousState = Timer->Header.SignalState > 0;
    ExpStopTimer(Timer);
    Timer->Header.SignalState = 0;
    Timer->Period = (ULONGLONG)Period * 10000;
    if (TimerApcRoutine.Value) {
        Timer->ApcThread = KeGetCurrentThread();
        ObReferenceObject(Timer->ApcThread);
        Timer->ApcRoutine = TimerApcRoutine.Value;
        Timer->ApcContext = TimerContext.Value;
    }
    KeSetTimer(&Timer->Timer, ExpDueTime(DueTime->QuadPart), ExpTimerExpired, Timer);
    ObDereferenceObject(Timer);
    /* No power management: a timer never wakes the machine. */
    return ResumeTimer ? STATUS_TIMER_RESUME_IGNORED : STATUS_SUCCESS;
}

NTSTATUS NtCancelTimer(HANDLE TimerHandle, BOOLEAN *CurrentState)
{
    ETIMER *Timer;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(TimerHandle, ExTimerObjectType, TIMER_MODIFY_STATE,
                                       (PVOID *)&Timer);
    if (!NT_SUCCESS(Status))
        return Status;
    ExpStopTimer(Timer);
    if (CurrentState)
        *CurrentState = Timer->Header.SignalState > 0;
    ObDereferenceObject(Timer);
    return STATUS_SUCCESS;
}

NTSTATUS NtQueryTimer(HANDLE TimerHandle, ULONG TimerInformationClass, USER_BUFFER TimerInformation,
                      ULONG TimerInformationLength, ULONG *ReturnLength)
{
    TIMER_BASIC_INFORMATION Info = {0};
    ULONGLONG Now = KeQueryInterruptTime();
    ETIMER *Timer;
    NTSTATUS Status;

    Status = ExpCheckQuery(TimerInformationClass, TimerInformation, TimerInformationLength,
                           sizeof(Info));
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(TimerHandle, ExTimerObjectType, TIMER_QUERY_STATE,
                                       (PVOID *)&Timer);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Timer->Timer.Queued && Timer->Timer.DueTime > Now)
        Info.RemainingTime.QuadPart = (LONGLONG)(Timer->Timer.DueTime - Now);
    Info.TimerState = Timer->Header.SignalState > 0;
    ObDereferenceObject(Timer);
    return ExpReturnQuery(&Info, sizeof(Info), TimerInformation, ReturnLength);
}
