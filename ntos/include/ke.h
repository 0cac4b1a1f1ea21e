/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel services of the executive (ke/): the console, the service loop,
 * request fibers and waits, the thread table that maps endpoint badges to
 * ETHREADs, and the system archive.
 */
#pragma once

#include <ntos.h>

#define KI_BADGE_FAULT   (1ull << 62) /* fault messages carry id | this bit */
#define KI_BADGE_NOTIFY  (1ull << 63) /* signals of ntos's bound notification */
#define KI_NOTIFY_TIMER  0x1ull       /* ... from the timer interrupt */
#define KI_SERVICE_SLOT  1            /* service endpoint cap in a process CNode */
#define KI_FAULT_SLOT    2            /* fault endpoint cap in a process CNode */
#define KI_NTOS_PRIORITY 150
#define KI_USER_PRIORITY 100

/* Boot console: the debug serial line (later also VGA). */
int KePrint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void KeDisplayString(const char *s, size_t len);

/* The endpoint every thread calls (ntos's CSpace). */
extern seL4_CPtr KiServiceEndpoint;

/* Thread ids: register a thread so its badge finds it; 0 on exhaustion.
 * KeRegisterThread also stores the id in Thread->UniqueThreadId (a multiple
 * of 4, below 2^34). Thread->ReplySlot belongs to ke: taken at the thread's
 * first wait, freed by KeUnregisterThread; ps leaves it 0. A thread whose
 * request waits (Thread->Fiber != NULL) must be woken (KeWakeRequest) and
 * its ETHREAD kept until the request ends; no reply goes to a Terminated
 * thread. */
ULONG_PTR KeRegisterThread(PETHREAD Thread);
void KeUnregisterThread(PETHREAD Thread);
PETHREAD KeLookupThread(ULONG_PTR Id);

/* A service request of Thread: Label = the service number, Args = the
 * message words. Generated from services.def (build/ntos/ntsvc_table.c);
 * runs on the request's fiber and may wait. Unknown numbers give
 * STATUS_INVALID_SYSTEM_SERVICE. The loop replies with label 0, MR0 = the
 * returned status. */
MAY_WAIT NTSTATUS KiDispatchService(PETHREAD Thread, seL4_Word Label, seL4_Word *Args,
                                    ULONG ArgCount);

/* The loop: never returns. Handlers of services come from the generated
 * table (ntsvc.h); faults go to KiHandleFault (page faults to mm). */
void KiServiceLoop(void) __attribute__((noreturn));

/*
 * Waiting (MAY_WAIT): the current request's fiber sleeps until
 * KeWakeRequest(Thread, Status) is called for its thread; returns that
 * status. The caller's reply cap is saved in Thread->ReplySlot meanwhile.
 */
MAY_WAIT NTSTATUS KeWaitForWake(void);
void KeWakeRequest(PETHREAD Thread, NTSTATUS Status);

/*
 * Suspension (ps): a request of a thread whose SuspendCount is not 0 when
 * it ends gets no answer yet: its status is kept (ETHREAD.ReplyHeld,
 * HeldStatus) with the reply cap in Thread->ReplySlot, so the thread stays
 * blocked in its call and runs no user code. KeReleaseHeldReply sends the
 * kept answer (nothing when none is kept); ps calls it when the count
 * drops to 0. A terminated thread's kept answer is dropped with its slot.
 */
void KeReleaseHeldReply(PETHREAD Thread);

/*
 * Timers (ke/timer.c). Times are 100 ns units of KeQueryInterruptTime (since
 * boot). KeSetTimer (re)queues Timer to run Routine at DueTime on the
 * loop's stack: the routine must not wait. The KTIMER must stay valid while
 * queued; KeCancelTimer returns whether it was queued.
 */
typedef struct _KTIMER KTIMER;
typedef void (*KTIMER_ROUTINE)(KTIMER *Timer, void *Context);
struct _KTIMER {
    ULONGLONG DueTime;
    KTIMER_ROUTINE Routine;
    void *Context;
    KTIMER *Next;
    bool Queued;
};
ULONGLONG KeQueryInterruptTime(void);
void KeSetTimer(KTIMER *Timer, ULONGLONG DueTime, KTIMER_ROUTINE Routine, void *Context);
bool KeCancelTimer(KTIMER *Timer);
/* Wait Interval (100 ns units) in the current request; the wake status,
 * STATUS_SUCCESS when the time passed; STATUS_NOT_SUPPORTED without a timer. */
MAY_WAIT NTSTATUS KeDelayExecution(ULONGLONG Interval);

/* Fibers (ke/fiber.c, ke/fiber.S). */
typedef void (*KFIBER_ROUTINE)(void *Context);
KFIBER *KiCreateFiber(KFIBER_ROUTINE Routine, void *Context);
void KiSwitchToFiber(KFIBER *Fiber); /* from the loop into a fiber */
void KiSwitchToLoop(void);           /* from a fiber back to the loop */
void KiFreeFiber(KFIBER *Fiber);

/* The system archive linked into ntos (ke/archive.c). */
bool KeFindArchiveFile(const char *Name, const void **Data, SIZE_T *Size);

/*
 * Alerts and user APCs (ke/apc.c) and the waits that they end (ke/wait.c).
 *
 * KeCheckAlertable: what an alertable wait of Thread must return at once,
 * before it blocks: STATUS_USER_APC when user APCs are queued to it,
 * STATUS_ALERTED when it was alerted (the alert is cleared), otherwise
 * STATUS_SUCCESS (go on and wait).
 * KeAbortAlertableWait: if Thread is blocked in an alertable wait, end that
 * wait with Status (STATUS_USER_APC, STATUS_ALERTED); nothing otherwise.
 * apc.c calls it when it queues an APC or alerts a thread.
 * KeInsertUserApc: queue Routine(Argument1, Argument2, Argument3) to run in
 * Thread (through ntdll's KiUserApcDispatcher) when it next returns from an
 * alertable wait or calls NtTestAlert; STATUS_THREAD_IS_TERMINATING,
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS KeCheckAlertable(PETHREAD Thread);
void KeAbortAlertableWait(PETHREAD Thread, NTSTATUS Status);
NTSTATUS KeInsertUserApc(PETHREAD Thread, ULONG_PTR Routine, ULONG_PTR Argument1,
                         ULONG_PTR Argument2, ULONG_PTR Argument3);
