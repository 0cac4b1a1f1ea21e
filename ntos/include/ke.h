/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel services of the executive (ke/): the console, the service loop,
 * request fibers and waits, the thread table that maps endpoint badges to
 * ETHREADs, and the system archive.
 */
#pragma once

#include <ntos.h>

#define KI_BADGE_FAULT  (1ull << 62) /* fault messages carry id | this bit */
#define KI_BADGE_NOTIFY (1ull << 63) /* signals of ntos's bound notification */
#define KI_NOTIFY_TIMER 0x1ull       /* ... from the timer interrupt */
/* io (io/host.c): signals of driver processes that produced completions,
 * one bit a driver host (bit KI_NOTIFY_DRIVER_SHIFT + its index). */
#define KI_NOTIFY_DRIVER_SHIFT 1
#define KI_NOTIFY_DRIVER_COUNT 60
#define KI_NOTIFY_DRIVER_MASK  (((1ull << KI_NOTIFY_DRIVER_COUNT) - 1) << KI_NOTIFY_DRIVER_SHIFT)
#define KI_SERVICE_SLOT        1 /* service endpoint cap in a process CNode */
#define KI_FAULT_SLOT          2 /* fault endpoint cap in a process CNode */
#define KI_NTOS_PRIORITY       150
#define KI_USER_PRIORITY       100

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
 * STATUS_SUCCESS when the time passed; STATUS_NOT_SUPPORTED without a timer;
 * STATUS_THREAD_IS_TERMINATING when its thread ends meanwhile. */
MAY_WAIT NTSTATUS KeDelayExecution(ULONGLONG Interval);

/* Fibers (ke/fiber.c, ke/fiber.S). */
typedef void (*KFIBER_ROUTINE)(void *Context);
KFIBER *KiCreateFiber(KFIBER_ROUTINE Routine, void *Context);
void KiSwitchToFiber(KFIBER *Fiber); /* from the loop into a fiber */
void KiSwitchToLoop(void);           /* from a fiber back to the loop */
void KiFreeFiber(KFIBER *Fiber);

/* The system archive linked into ntos (ke/archive.c). */
bool KeFindArchiveFile(const char *Name, const void **Data, SIZE_T *Size);
/* ps: the name of the archive file whose data starts at Data (false: none). */
bool KeArchiveFileName(const void *Data, char *Name, SIZE_T NameSize);
/* sections branch: whether [Data, Data + Size) lies in the archive (its bytes
 * never change or go: mm caches the sections of such files). */
bool KeIsArchiveData(const void *Data, SIZE_T Size);
/* dirctl branch: the Index-th file of the archive, in archive order (false
 * past the last): its name (NUL-terminated, cut to NameSize) and bytes. */
bool KeArchiveFileAt(ULONG Index, char *Name, SIZE_T NameSize, const void **Data, SIZE_T *Size);

/*
 * Alerts and user APCs (ke/apc.c) and the waits that they end (ke/wait.c).
 *
 * KeCheckAlertable: what an alertable wait of Thread must return at once,
 * before it blocks: STATUS_ALERTED when it was alerted (the alert is
 * cleared; queued APCs stay queued, as on Windows), else STATUS_USER_APC
 * when user APCs are queued to it, otherwise STATUS_SUCCESS (go on and
 * wait).
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

/*
 * Dispatcher objects and waits (ke/wait.c). Every waitable body embeds a
 * DISPATCHER_HEADER (ntos.h); what satisfying a wait does depends on its
 * Type. Only the service loop's thread runs this code, so a wait is
 * satisfied at the moment an object is signalled: the waiter is woken with
 * what it acquired already taken (FIFO among waiters), and a wait-all
 * takes nothing until every object can be taken at once.
 */
typedef enum _KOBJECTS {
    /* Stays signalled: notification events and timers, processes, threads. */
    KiNotificationObject = 0,
    /* A satisfied wait resets it: synchronization events and timers. */
    KiSynchronizationObject,
    /* SignalState = count; a satisfied wait takes one. */
    KiSemaphoreObject,
    /* SignalState = 1 free, <= 0 owned (1 - recursion). */
    KiMutantObject,
} KOBJECTS;

#define KE_MAXIMUM_WAIT_OBJECTS 64

struct _KWAIT_BLOCK {
    KWAIT_BLOCK *Next, *Prev; /* in the object's wait list */
    DISPATCHER_HEADER *Object;
    KWAIT *Wait;
    ULONG Index; /* position in the wait's object array */
    bool Linked;
};

struct _KMUTANT {
    DISPATCHER_HEADER Header;
    PETHREAD Owner;     /* NULL when free */
    KMUTANT *NextOwned; /* the owner's list (ETHREAD.OwnedMutants) */
    bool Abandoned;     /* its owner ended holding it */
};

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;
    LONG Limit;
} KSEMAPHORE;

void KeInitializeDispatcherHeader(DISPATCHER_HEADER *Header, KOBJECTS Type, LONG SignalState);
/* Set the signal state and satisfy the waiters that now can be. */
void KeSignalObject(DISPATCHER_HEADER *Header, LONG SignalState);
/* Events (Header Type notification or synchronization): the previous state. */
LONG KeSetEvent(DISPATCHER_HEADER *Event);
LONG KeResetEvent(DISPATCHER_HEADER *Event);
LONG KePulseEvent(DISPATCHER_HEADER *Event); /* wake who can be, leave it reset */
/* Semaphores: STATUS_SEMAPHORE_LIMIT_EXCEEDED (nothing changes). */
void KeInitializeSemaphore(KSEMAPHORE *Semaphore, LONG Count, LONG Limit);
NTSTATUS KeReleaseSemaphore(KSEMAPHORE *Semaphore, LONG Count, LONG *PreviousCount);
/* Mutants: Owner NULL for a free one. KeReleaseMutant: STATUS_MUTANT_NOT_OWNED
 * unless Thread owns it. */
void KeInitializeMutant(KMUTANT *Mutant, PETHREAD Owner);
NTSTATUS KeReleaseMutant(KMUTANT *Mutant, PETHREAD Thread, LONG *PreviousCount);
/* Before a mutant's memory is freed: its owner forgets it. */
void KeDeleteMutant(KMUTANT *Mutant);

/*
 * Wait until one (WaitAll false) or all of Count (0..64) objects can be
 * taken, for the current request's thread. Timeout NULL: no time-out;
 * negative: relative (100 ns); positive: absolute system time (NT time);
 * zero: only poll. Returns STATUS_WAIT_0 + i / STATUS_ABANDONED_WAIT_0 + i
 * (wait-any), STATUS_SUCCESS / STATUS_ABANDONED_WAIT_0 (wait-all),
 * STATUS_TIMEOUT, STATUS_ALERTED or STATUS_USER_APC (Alertable),
 * STATUS_THREAD_IS_TERMINATING (its thread ended meanwhile),
 * STATUS_MUTANT_LIMIT_EXCEEDED, STATUS_INSUFFICIENT_RESOURCES. Count 0 waits
 * only for the time-out, an alert or KeEndWait. The objects must stay
 * referenced during the call. A time-out without working timers fails with
 * STATUS_NOT_SUPPORTED rather than waiting for ever.
 */
MAY_WAIT NTSTATUS KeWaitForMultipleObjects(ULONG Count, DISPATCHER_HEADER *Objects[], bool WaitAll,
                                           bool Alertable, const LARGE_INTEGER *Timeout);
/* End Thread's wait in progress (KeWaitForMultipleObjects) with Status;
 * false when it has none. Keyed events use it for their rendezvous. */
bool KeEndWait(PETHREAD Thread, NTSTATUS Status);
/* The dispatcher header of an object of a waitable type (processes,
 * threads, and the types registered with their header's offset); for any
 * other object, as on Windows, one shared header that is always signalled. */
struct _OBJECT_TYPE;
void KeRegisterWaitableType(struct _OBJECT_TYPE *Type, ULONG HeaderOffset);
DISPATCHER_HEADER *KeGetDispatcherHeader(PVOID Object);
/* ps calls it when Thread ends (before its request can be woken): its wait
 * ends with STATUS_THREAD_IS_TERMINATING, its mutants are abandoned, its
 * header is signalled. KeProcessEnded signals the process's header. */
void KeThreadEnded(PETHREAD Thread);
void KeProcessEnded(PEPROCESS Process);
/* The timer resolution in 100 ns units: the finest (one PIT count, rounded
 * up), the coarsest (the PIT's longest one-shot period), and whether
 * timers work at all. */
ULONG KeQueryTimerResolution(ULONG *Coarsest);
bool KeTimersAvailable(void);
/* System time (NT time) to interrupt time; 0 for a time already past. */
ULONGLONG KeSystemTimeToInterruptTime(LONGLONG SystemTime);

/* ---- IO ports (hal: ke/ioport.c) -------------------------------------------------------
 * The IOPort cap covering [Port, Port + Width) (Width 1, 2 or 4), issued at
 * the first use of its aligned block of four ports and kept: the kernel
 * issues each port only once, so every part of ntos that touches ports
 * (the clock, the PIT, power-off, the port emulation of driver processes)
 * gets its cap here rather than from seL4_CapIOPortControl.
 * STATUS_INVALID_PARAMETER (an access crossing a block, or past 0xffff),
 * STATUS_INSUFFICIENT_RESOURCES, STATUS_NOT_SUPPORTED (seL4 refused). */
NTSTATUS KeGetIoPortCap(ULONG Port, ULONG Width, seL4_CPtr *Cap);

/* io: ntos's bound notification (the timer's), whose badged copies driver
 * processes signal; 0 when there is none (no PIT). The loop calls
 * IoHandleDriverSignal with the KI_NOTIFY_DRIVER_MASK bits of a signal. */
seL4_CPtr KeGetBoundNotification(void);
void IoHandleDriverSignal(seL4_Word Bits);
