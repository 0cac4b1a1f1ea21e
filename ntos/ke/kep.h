/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ke/: start-up, the request state a fiber carries,
 * the ready queue of woken requests, the fault path and the archive parser.
 */
#pragma once

#include <ntos.h>
#include <ke.h>
#include <mm.h>
#include <ps.h>
#include <stdarg.h>
#include "../rtl/rtl.h"
#include "ntsvc.h"

extern seL4_BootInfo *KiBootInfo;

/* ke/main.c: after the TLS and IPC buffer exist. */
void KiSystemStartup(seL4_BootInfo *BootInfo) __attribute__((noreturn));
/* ke/startup.c: leave QEMU through isa-debug-exit (else halt). */
void KiPowerOff(int Code) __attribute__((noreturn));

/* ke/timer.c: connect the PIT (after mm); run expired timers (the loop). */
void KiInitializeTimers(seL4_BootInfo *BootInfo);
void KiTimerInterrupt(void);

/* ke/print.c */
int KiVPrint(const char *Format, va_list Args);

/* ke/fiber.c, fiber.S */
typedef enum _KFIBER_STATE {
    KiFiberReady, /* created or woken, runs when the loop switches to it */
    KiFiberRunning,
    KiFiberWaiting,  /* in KeWaitForWake */
    KiFiberFinished, /* its routine returned */
} KFIBER_STATE;

struct _KFIBER {
    void *StackBase; /* lowest address of its stack */
    SIZE_T StackSize;
    ULONG_PTR SavedRsp; /* while not running */
    KFIBER_ROUTINE Routine;
    void *Context;
    KFIBER_STATE State;
    NTSTATUS WakeStatus;  /* what KeWaitForWake returns */
    struct _KFIBER *Next; /* free list or ready queue */
};

void KiSwitchFiber(ULONG_PTR *SaveRsp, ULONG_PTR NewRsp); /* fiber.S */
void KiFiberTrampoline(void);                             /* fiber.S */
extern KFIBER *KiCurrentFiber;                            /* NULL while the loop runs */
ULONG KiFreeFiberCount(void);

/* ke/request.c: one service request in progress. */
typedef struct _KREQUEST {
    PETHREAD Thread;
    seL4_Word Label;
    ULONG ArgCount;
    seL4_Word Args[NTSVC_MAX_ARGS]; /* more words: refused by the count check */
    NTSTATUS Status;                /* the handler's result */
    bool ReplySaved;                /* the reply cap is in Thread->ReplySlot */
    KFIBER *Fiber;
} KREQUEST;

extern KREQUEST *KiCurrentRequest;

/* The loop of KiServiceLoop; with Stop, it returns once Stop() is true after
 * an event (the event's answer sent with seL4_Reply): for the self-tests. */
void KiRunServiceLoop(bool (*Stop)(void));
extern ULONG KiDroppedMessages; /* messages with a badge that names nobody */
/* Self-tests only: run requests here instead of KiDispatchService. */
typedef NTSTATUS (*KI_DISPATCH_ROUTINE)(PETHREAD Thread, seL4_Word Label, seL4_Word *Args,
                                        ULONG ArgCount);
extern KI_DISPATCH_ROUTINE KiDispatchOverride;
/* Woken fibers wait here until the loop resumes them. */
void KiQueueReadyFiber(KFIBER *Fiber);
KFIBER *KiDequeueReadyFiber(void);

/* ke/fault.c: a fault message; true when the thread is to be restarted. */
bool KiHandleFault(PETHREAD Thread, seL4_MessageInfo_t Info);

/* ke/exception.c: deliver Record to the faulting Thread's user-mode
 * dispatcher (the thread then resumes there when the fault is answered).
 * STATUS_NOT_IMPLEMENTED without a dispatcher, STATUS_STACK_OVERFLOW when
 * the frame does not fit on its stack. */
NTSTATUS KiDispatchUserException(PETHREAD Thread, EXCEPTION_RECORD *Record);
NTSTATUS KiBuildExceptionFrame(PETHREAD Thread, ULONG_PTR Dispatcher, EXCEPTION_RECORD *Record);

/* ke/archive.c: find Name in an archive image (tests pass their own). */
bool KiFindFileInArchive(const void *Archive, SIZE_T ArchiveSize, const char *Name,
                         const void **Data, SIZE_T *Size);
/* dirctl branch: the Index-th file of an archive image (KeArchiveFileAt). */
bool KiArchiveFileAt(const void *Archive, SIZE_T ArchiveSize, ULONG Index, char *Name,
                     SIZE_T NameSize, const void **Data, SIZE_T *Size);

/* ke/context.c: a thread's registers. InCall: the thread is stopped in a
 * service call (its request is being served or waits), so rip is taken
 * past the `syscall` and rsp from rbx (ntdll's transport keeps it there).
 * KiSetServiceReturn makes Regs look as if the call returned Status.
 * KiResumeCaller restarts the current request's thread at Regs without a
 * reply (the loop's answer is then dropped: the reply cap is gone). */
NTSTATUS KiReadUserRegisters(PETHREAD Thread, bool InCall, seL4_UserContext *Regs);
NTSTATUS KiWriteUserRegisters(PETHREAD Thread, const seL4_UserContext *Regs, bool Resume);
void KiSetServiceReturn(seL4_UserContext *Regs, NTSTATUS Status);
void KiContextFromRegisters(CONTEXT *Context, const seL4_UserContext *Regs);
void KiRegistersFromContext(seL4_UserContext *Regs, const CONTEXT *Context, ULONG Flags);
NTSTATUS KiResumeCaller(PETHREAD Thread, const seL4_UserContext *Regs);
/* The loop's hook when a request of Thread ends with Status: resume the
 * thread with the registers NtSetContextThread left pending (an APC due to
 * it is delivered on top of them), else deliver a user APC
 * (KiDeliverApcOnReturn). True: the thread was resumed, send no reply. */
bool KiRedirectOnReturn(PETHREAD Thread, NTSTATUS Status);

/* ke/apc.c: if Thread has a user APC queued, take the first and point Regs
 * (the state it returns to afterwards) at ntdll's KiUserApcDispatcher with
 * the APC frame on its stack; true when Regs were changed. KiDeliverApcOnReturn
 * is the loop's hook: a request of Thread ends with Status; when that is
 * STATUS_USER_APC and an APC is queued, Thread is resumed in the dispatcher
 * (true: send no reply). KiFlushUserApcs frees the queue of an ended thread. */
bool KiDeliverUserApc(PETHREAD Thread, seL4_UserContext *Regs);
bool KiDeliverApcOnReturn(PETHREAD Thread, NTSTATUS Status);
void KiFlushUserApcs(PETHREAD Thread);
