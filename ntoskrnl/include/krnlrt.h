/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The private header of the runtime's library (krnlrt: ntoskrnl/ke, ex, mm,
 * ob, ps, rtl). It includes mingw-w64's stock ddk headers, so every
 * structure here has the layout a stock-built driver assumes, and adds the
 * runtime's own records: the thread block behind KeGetCurrentThread (gs:0x188),
 * the object header behind ObReferenceObject, the dispatcher's internal
 * interface, and the ntdll services the library calls. drvhost's
 * ntoskrnl/include/ntoskrnl.h includes this header for what it needs
 * (KiInitializeHostThread, ObpCreateObject, the shared-data patcher).
 *
 * Execution model (ntoskrnl/README.md): one driver process, several NT
 * threads. The IRQL is virtual, a byte per thread in the TEB
 * (IO_HOST_TEB_IRQL); raising it only changes what the routines allow, it
 * masks nothing. Dispatcher objects (events, mutexes, semaphores, timers,
 * threads) live under one runtime dispatcher lock; a thread that must wait
 * sleeps on its own NT event (KTHREAD.WakeEvent).
 */
#pragma once

/* Included by ntoskrnl.h, which every file of the runtime includes first;
 * self-contained all the same. */
#include <ntifs.h>
#include <nt/iohost.h>

#ifndef NTKRNL_EXPORT
#define NTKRNL_EXPORT __declspec(dllexport)
#endif

/* ---- ntdll services and routines the library calls ------------------------------------
 * The runtime links against Nereid's ntdll; the ddk headers declare only
 * the Zw forms of a few of these. */
typedef enum _KI_EVENT_TYPE { KiNotificationEvent, KiSynchronizationEvent } KI_EVENT_TYPE;

NTSYSAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes, ULONG EventType,
                                      BOOLEAN InitialState);
NTSYSAPI NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                              PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER Interval);
NTSYSAPI NTSTATUS NTAPI NtYieldExecution(VOID);
NTSYSAPI NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSYSAPI NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER SystemTime);
NTSYSAPI NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER Counter, PLARGE_INTEGER Frequency);
NTSYSAPI NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle, ULONG InformationClass,
                                                 PVOID Information, ULONG Length,
                                                 PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                               PSIZE_T Size, ULONG NewProtect, PULONG OldProtect);
NTSYSAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                                             ULONG InformationClass, PVOID Information,
                                             SIZE_T Length, PSIZE_T ReturnLength);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID SecurityDescriptor,
                                            BOOLEAN CreateSuspended, ULONG ZeroBits,
                                            SIZE_T StackReserve, SIZE_T StackCommit,
                                            PVOID StartAddress, PVOID Parameter,
                                            PHANDLE ThreadHandle, PCLIENT_ID ClientId);
NTSYSAPI PVOID NTAPI RtlAllocateHeap(PVOID Heap, ULONG Flags, SIZE_T Size);
NTSYSAPI BOOLEAN NTAPI RtlFreeHeap(PVOID Heap, ULONG Flags, PVOID Block);
NTSYSAPI SIZE_T NTAPI RtlSizeHeap(PVOID Heap, ULONG Flags, PVOID Block);
NTSYSAPI VOID NTAPI RtlAcquireSRWLockExclusive(PVOID Lock);
NTSYSAPI VOID NTAPI RtlReleaseSRWLockExclusive(PVOID Lock);

#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif
#ifndef NtCurrentThread
#define NtCurrentThread() ((HANDLE)(LONG_PTR)-2)
#endif
#define KI_HEAP_ZERO_MEMORY 0x00000008

/* A pointer-sized TEB field of the calling thread (gs-relative; the
 * intrinsics trip gcc's array-bounds check). */
static inline PVOID KiReadTebPointer(ULONG Offset)
{
    PVOID Value;
    __asm__ volatile("movq %%gs:(%1), %0" : "=r"(Value) : "r"((ULONG_PTR)Offset));
    return Value;
}

/* The process heap (PEB+0x30): pool, threads and objects come from it. */
static inline PVOID KiProcessHeap(VOID)
{
    PVOID Peb = KiReadTebPointer(0x60);
    return *(PVOID *)((PUCHAR)Peb + 0x30);
}

/* ---- TEB fields of driver threads (include/nt/iohost.h) ------------------------------ */

static inline KIRQL KiReadIrql(VOID)
{
    UCHAR Irql;
    __asm__ volatile("movb %%gs:%c1, %0" : "=r"(Irql) : "i"(IO_HOST_TEB_IRQL));
    return Irql;
}

static inline VOID KiWriteIrql(KIRQL Irql)
{
    __asm__ volatile("movb %0, %%gs:%c1" : : "r"(Irql), "i"(IO_HOST_TEB_IRQL) : "memory");
}

static inline KIRQL KiRaiseIrql(KIRQL Irql)
{
    KIRQL Old = KiReadIrql();

    KiWriteIrql(Irql);
    return Old;
}

/* The library reaches the IRQL byte directly: the ddk's amd64 inline forms
 * execute `mov cr8`, a fault ntos must emulate in a driver process (and an
 * exception in any other, such as the self-test's). ke/irql.c, which
 * defines the exported forms, sets KI_IRQL_EXPORTS. */
#ifndef KI_IRQL_EXPORTS
#define KeGetCurrentIrql()      KiReadIrql()
#define KfRaiseIrql(Irql)       KiRaiseIrql(Irql)
#define KeLowerIrql(Irql)       KiWriteIrql(Irql)
#define KeRaiseIrqlToDpcLevel() KiRaiseIrql(DISPATCH_LEVEL)
#endif

/* ---- threads (ke/thread.c) -------------------------------------------------------------
 * Every runtime thread has a KTHREAD (gs:0x188 points at it); the ETHREAD is
 * the same block (PsGetCurrentThread casts KeGetCurrentThread). It starts
 * with a DISPATCHER_HEADER: a thread is signalled when it ends. Threads live
 * on KiThreadList, under the dispatcher lock, for the life of the process:
 * ObReferenceObjectByHandle finds them by thread id (FIXME: the block of an
 * ended system thread is kept, since the runtime never sees its handles close). */
struct _KTHREAD {
    DISPATCHER_HEADER Header;
    LIST_ENTRY ThreadListEntry;
    CLIENT_ID Cid;
    PVOID Teb;
    HANDLE WakeEvent; /* NT synchronization event the thread sleeps on in waits */
    /* The current wait (ke/wait.c), under the dispatcher lock. */
    PKWAIT_BLOCK WaitBlockList;
    ULONG WaitCount;
    UCHAR WaitType;      /* WaitAny / WaitAll */
    BOOLEAN Waiting;     /* wait blocks are linked into objects */
    NTSTATUS WaitStatus; /* set by whoever satisfied the wait */
    KWAIT_BLOCK WaitBlock[THREAD_WAIT_OBJECTS];
    /* System threads (ps/thread.c). */
    BOOLEAN SystemThread;
    NTSTATUS ExitStatus;
    PKSTART_ROUTINE StartRoutine;
    PVOID StartContext;
    LONG CriticalRegion;          /* KeEnterCriticalRegion nesting (no APCs exist to hold off) */
    KPROCESSOR_MODE PreviousMode; /* what ExGetPreviousMode reports */
    BOOLEAN DpcThread;            /* the DPC thread (KeIsExecutingDpc) */
    KPRIORITY Priority;           /* KeSetPriorityThread's value, 0 until set (ke/processor.c) */
    LONG BasePriorityIncrement;
};

struct _ETHREAD {
    struct _KTHREAD Tcb;
};

/* Give the calling thread its KTHREAD and the TEB fields of iohost.h (IRQL
 * PASSIVE_LEVEL, processor 0). Idempotent; drvhost's start-up calls it for
 * the first thread, every runtime thread gets one at its start, and
 * KiCurrentThread makes one for a thread that never called it (a thread
 * another part of the runtime started). Fails only without memory. */
NTSTATUS KiInitializeHostThread(VOID);
PKTHREAD KiCurrentThread(VOID);
/* A runtime thread by thread id (referenced), or NULL. */
PKTHREAD KiLookupThread(HANDLE ThreadId);
/* Start a runtime thread at PASSIVE_LEVEL that runs Routine(Context); the
 * KTHREAD is returned referenced if Thread is not NULL. */
NTSTATUS KiCreateThread(PKSTART_ROUTINE Routine, PVOID Context, PHANDLE Handle, PCLIENT_ID ClientId,
                        PKTHREAD *Thread);
/* End the calling runtime thread: signal its object, then NtTerminateThread. */
DECLSPEC_NORETURN VOID KiExitThread(NTSTATUS Status);
/* PsThreadType's delete routine: the thread's NT event goes. */
VOID KiDeleteThread(PVOID Body);
/* The thread id behind a thread handle (NtQueryInformationThread). */
NTSTATUS KiQueryThreadId(HANDLE Handle, PHANDLE ThreadId);

/* ---- the dispatcher (ke/wait.c) ------------------------------------------------------ */

/* Dispatcher object types not in the ddk's KOBJECTS. */
VOID KiAcquireDispatcherLock(VOID);
VOID KiReleaseDispatcherLock(VOID);
/* Under the lock: wake every waiter the object, now signalled, satisfies. */
VOID KiWaitTest(PDISPATCHER_HEADER Object);
VOID KiInitializeDispatcherHeader(PDISPATCHER_HEADER Header, UCHAR Type, UCHAR Size,
                                  LONG SignalState);

/* ---- DPCs and timers (ke/dpc.c, ke/timer.c) ---------------------------------------- */

/* Expire due timers (signal, queue their DPCs, re-arm periodic ones) and
 * return the interrupt time of the next due timer, or MAXLONGLONG. Called
 * by the DPC thread. */
LONGLONG KiExpireTimers(VOID);
/* Wake the DPC thread (a DPC was queued or the earliest timer moved). */
VOID KiKickDpcThread(VOID);
/* Interrupt time now (100 ns since boot). */
LONGLONG KiQueryInterruptTime(VOID);
/* Exported time routines the ddk of mingw-w64 does not declare (ke/time.c). */
VOID NTAPI KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
ULONGLONG NTAPI KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp);

/* ---- KUSER_SHARED_DATA's kernel alias (ke/kuser.c) ------------------------------------
 * The ddk's amd64 KeQuerySystemTime, KeQueryTickCount, KeQueryInterruptTime
 * and SharedUserData compile to loads through a 64-bit immediate
 * 0xFFFFF780000000xx, a kernel-half address no user process can map. The
 * loader calls KiPatchSharedUserData on every executable section of a driver
 * image before it runs: each `movabs` of such an address is redirected to
 * the runtime's copy of the page, whose time fields the DPC thread keeps
 * current. Returns the number of references patched. */
ULONG KiPatchSharedUserData(PVOID Code, SIZE_T Size);
/* The runtime's copy of the page (for the tests). */
PVOID KiSharedUserDataCopy(VOID);
VOID KiRefreshSharedUserData(VOID);
extern volatile LONG KiSharedUserDataUsers;

/* ---- objects (ob/object.c) -------------------------------------------------------------
 * Objects the runtime makes (threads, DEVICE/DRIVER/FILE objects of drvhost
 * when it allocates them with ObpCreateObject) carry a header before the
 * body with the reference count; ObfReferenceObject/ObfDereferenceObject on
 * anything else (a driver's own static KEVENT) changes nothing. */
struct _OBJECT_TYPE {
    ULONG Magic;
    PCWSTR Name;
    VOID (*Delete)(PVOID Body); /* called at the last dereference, before the memory goes */
};

/* The types the runtime makes objects of; the exported PsThreadType & co.
 * point at these (ob/object.c). */
extern struct _OBJECT_TYPE ObpThreadType, ObpProcessType, ObpEventType, ObpSemaphoreType,
    ObpFileType, ObpDeviceType, ObpDriverType;

NTSTATUS ObpCreateObject(POBJECT_TYPE Type, ULONG BodySize, PVOID *Body);

/* The reference count of an object with a header, or -1. */
LONG_PTR ObpPointerCount(PVOID Body);
POBJECT_TYPE ObpGetObjectType(PVOID Body);

/* ---- pool (ex/pool.c) --------------------------------------------------------------- */

/* Windows 10 2004's zeroing allocation, not in mingw-w64's ddk. */
PVOID NTAPI ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);

/* A pool block's tag and size (for the tests), FALSE if Block is not one. */
BOOLEAN ExpQueryPoolBlock(PVOID Block, PULONG Tag, PSIZE_T Size);
/* How many tag mismatches ExFreePoolWithTag reported (for the tests). */
extern volatile LONG ExpPoolTagMismatches;

/* ---- work items (ex/work.c) ---------------------------------------------------------- */

/* ---- bugcheck (ke/bugcheck.c) ------------------------------------------------------- */

/* ---- dispatcher object types (DISPATCHER_HEADER.Type; the ddk has no KOBJECTS) ------- */
#define KI_EVENT_NOTIFICATION_OBJECT    0
#define KI_EVENT_SYNCHRONIZATION_OBJECT 1
#define KI_MUTANT_OBJECT                2
#define KI_PROCESS_OBJECT               3
#define KI_QUEUE_OBJECT                 4
#define KI_SEMAPHORE_OBJECT             5
#define KI_THREAD_OBJECT                6
#define KI_TIMER_NOTIFICATION_OBJECT    8
#define KI_TIMER_SYNCHRONIZATION_OBJECT 9
#define KI_DPC_OBJECT                   19
#define KI_THREADED_DPC_OBJECT          24

/* ---- processes (ps/process.c) -------------------------------------------------------
 * The driver process as the ddk sees it (PsGetCurrentProcess /
 * IoGetCurrentProcess): one object, made on first use. */
struct _KPROCESS {
    DISPATCHER_HEADER Header;
};
struct _EPROCESS {
    struct _KPROCESS Pcb;
    HANDLE UniqueProcessId;
};
PEPROCESS KiGetCurrentProcess(VOID);

/* The thread block's extra state drvhost may set: the previous mode
 * ExGetPreviousMode reports (KernelMode unless set). */
VOID KiSetPreviousMode(KPROCESSOR_MODE Mode);
