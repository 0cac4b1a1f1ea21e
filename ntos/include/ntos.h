/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Common definitions of the executive: the NT types (include/nt/), the
 * seL4 ABI (libsel4), basic helpers and the core objects shared by every
 * component (EPROCESS, ETHREAD). Each component has its own header for
 * its functions (ke.h, mm.h, ps.h, ob.h); private prototypes go in
 * <xx>/<xx>p.h (STYLE.md §2).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <nt/nt.h>
#include <nt/ntstatus.h>
#include <sel4/sel4.h>

#define MAY_WAIT /* the function may switch fibers (ke.h KeWait*) */

#define ARRAYSIZE(a)       (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE          4096ull
#define PAGE_SHIFT         12
#define ROUND_TO_PAGES(x)  (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ALIGN_DOWN(x) ((x) & ~(PAGE_SIZE - 1))

void KeBugCheck(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define ASSERT(c)                                                                                  \
    do {                                                                                           \
        if (!(c))                                                                                  \
            KeBugCheck("assertion failed: %s at %s:%d", #c, __FILE__, __LINE__);                   \
    } while (0)

/* Propagate a failure, logging the expression in debug builds (STYLE §5). */
#define RET_ERR(expr)                                                                              \
    ({                                                                                             \
        NTSTATUS ret_err_status_ = (expr);                                                         \
        if (!NT_SUCCESS(ret_err_status_))                                                          \
            KiLogFailure(#expr, __FILE__, __LINE__, ret_err_status_);                              \
        ret_err_status_;                                                                           \
    })
void KiLogFailure(const char *expr, const char *file, int line, NTSTATUS status);

typedef struct _MMADDRESS_SPACE MMADDRESS_SPACE; /* mm.h */
typedef struct _KFIBER KFIBER;                   /* ke.h */
typedef struct _HANDLE_TABLE HANDLE_TABLE;       /* ob/obp.h */

/* ---- waits (ke/wait.c) ---- */
typedef struct _KWAIT_BLOCK KWAIT_BLOCK; /* ke.h */
typedef struct _KWAIT KWAIT;             /* ke/wait.c: a wait in progress */
typedef struct _KMUTANT KMUTANT;         /* ke.h */
/* The dispatcher header every waitable object embeds (its use is in ke.h).
 * All zero is a notification object that is not signalled: a process or a
 * thread until it ends. */
typedef struct _DISPATCHER_HEADER {
    LONG SignalState;
    UCHAR Type;                               /* KOBJECTS (ke.h) */
    KWAIT_BLOCK *WaitListHead, *WaitListTail; /* waiters, oldest first */
} DISPATCHER_HEADER;

/* A process (ps/process.c). Fields are added by the owning component. */
typedef struct _EPROCESS {
    ULONG_PTR UniqueProcessId;
    MMADDRESS_SPACE *AddressSpace; /* mm: VSpace, VADs, page table */
    seL4_CPtr CNode;               /* the process's CSpace root (2^4 slots) */
    ULONG_PTR PebAddress;          /* user address of the PEB */
    ULONG_PTR ImageBase, NtdllBase;
    NTSTATUS ExitStatus;
    ULONG ActiveThreads;
    char ImageName[64];
    HANDLE_TABLE *HandleTable; /* ob: the process's handles (NULL until the first) */
    /* waits (ke/wait.c): Header is signalled when the process ends;
     * TimerResolutionSet: NtSetTimerResolution asked for one. */
    DISPATCHER_HEADER Header;
    bool TimerResolutionSet;
    /* io (docs/io.md): a driver process, whose main image is the driver
     * runtime; only it may call the NtDriver* services, and ntos emulates
     * its port I/O and `mov cr8`. DriverObject: its struct _DRIVER_OBJECT. */
    bool DriverHost;
    void *DriverObject;
} EPROCESS, *PEPROCESS;

/* A thread (ps/thread.c). */
typedef struct _ETHREAD {
    ULONG_PTR UniqueThreadId; /* also the endpoint badge (ke.h) */
    PEPROCESS Process;
    seL4_CPtr Tcb;
    seL4_CPtr ReplySlot;  /* saved reply cap while a request waits */
    ULONG_PTR TebAddress; /* user address; IPC buffer at +0x2000 */
    ULONG_PTR StackBase, StackLimit;
    KFIBER *Fiber; /* the fiber of its request in progress */
    bool Terminated;
    /* ps (ps/suspend.c): while SuspendCount > 0, ke does not answer a
     * request of the thread that ends (the reply waits in ReplySlot with
     * HeldStatus, ReplyHeld set) until KeReleaseHeldReply. */
    ULONG SuspendCount;
    bool ReplyHeld;
    NTSTATUS HeldStatus;
    /* waits (ke/wait.c): Header is signalled when the thread ends
     * (KeThreadEnded); Wait is its request's dispatcher wait in progress;
     * OwnedMutants are abandoned when it ends; ReleaseAfterRequest: it
     * ended while its request waited, ke drops ps's reference at the end. */
    DISPATCHER_HEADER Header;
    KWAIT *Wait;              /* its request's dispatcher wait in progress */
    KMUTANT *OwnedMutants;    /* abandoned when it ends */
    bool ReleaseAfterRequest; /* ended while its request waited: ke drops ps's reference */
    /* ke/apc.c (ctx): queued user APCs (FIFO) and the alerted state. */
    struct _KUSER_APC *UserApcHead, *UserApcTail;
    bool Alerted;
    /* ke/context.c: registers NtSetContextThread gave the thread while it
     * was inside a service call; they take effect when the call returns
     * (KiRedirectOnReturn). PendingFlags: the CONTEXT_* parts they set. */
    bool ContextPending;
    ULONG PendingFlags;
    seL4_UserContext PendingContext;
    /* io/iocomp.c (iocomp branch): the completion port the thread last
     * removed a packet from (NT's KTHREAD.Queue), referenced; it counts
     * among the port's running threads while it is in no wait. */
    void *IoCompletionQueue;
} ETHREAD, *PETHREAD;

/* The thread whose request the current fiber serves (ke/). */
PETHREAD KeGetCurrentThread(void);
