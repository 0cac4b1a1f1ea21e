/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runtime threads: the KTHREAD (= ETHREAD) block of every thread of the
 * driver process and the TEB fields of include/nt/iohost.h that point at
 * it; starting and ending the runtime's own threads (system threads, the
 * DPC thread, worker threads). A thread block is an Ob object of type
 * PsThreadType with a dispatcher header that is signalled when the thread
 * ends; it stays on KiThreadList (under the dispatcher lock) so that a
 * handle to the thread can be turned back into it by thread id.
 */
#include "ntoskrnl.h"

#define KI_THREAD_BASIC_CLASS 0

typedef struct _KI_THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} KI_THREAD_BASIC_INFORMATION;

static LIST_ENTRY KiThreadList = {&KiThreadList, &KiThreadList};

static inline VOID KipWriteTebPointer(ULONG Offset, PVOID Value)
{
    __asm__ volatile("movq %0, %%gs:(%1)" : : "r"(Value), "r"((ULONG_PTR)Offset) : "memory");
}

static inline VOID KipWriteTebUlong(ULONG Offset, ULONG Value)
{
    __asm__ volatile("movl %0, %%gs:(%1)" : : "r"(Value), "r"((ULONG_PTR)Offset) : "memory");
}

static inline PVOID KipReadTebPointer(ULONG Offset)
{
    PVOID Value;
    __asm__ volatile("movq %%gs:(%1), %0" : "=r"(Value) : "r"((ULONG_PTR)Offset));
    return Value;
}

VOID KiDeleteThread(PVOID Body)
{
    PKTHREAD Thread = Body;

    if (Thread->WakeEvent)
        NtClose(Thread->WakeEvent);
}

/* A new thread block, referenced once for its caller, and on KiThreadList
 * (which holds a reference of its own). */
static NTSTATUS KipAllocateThread(PKTHREAD *Result)
{
    PKTHREAD Thread;
    NTSTATUS Status;

    Status = ObpCreateObject(&ObpThreadType, sizeof(struct _ETHREAD), (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    KiInitializeDispatcherHeader(&Thread->Header, KI_THREAD_OBJECT,
                                 sizeof(struct _ETHREAD) / sizeof(LONG), 0);
    Thread->ExitStatus = STATUS_PENDING;
    Status =
        NtCreateEvent(&Thread->WakeEvent, EVENT_ALL_ACCESS, NULL, KiSynchronizationEvent, FALSE);
    if (!NT_SUCCESS(Status)) {
        Thread->WakeEvent = NULL;
        ObDereferenceObject(Thread);
        return Status;
    }
    ObReferenceObject(Thread);
    KiAcquireDispatcherLock();
    InsertHeadList(&KiThreadList, &Thread->ThreadListEntry);
    KiReleaseDispatcherLock();
    *Result = Thread;
    return STATUS_SUCCESS;
}

/* Point the calling thread's TEB fields at Thread. */
static VOID KipAttachThread(PKTHREAD Thread)
{
    Thread->Teb = KipReadTebPointer(0x30);
    Thread->Cid.UniqueProcess = KipReadTebPointer(0x40);
    Thread->Cid.UniqueThread = KipReadTebPointer(0x48);
    KiWriteIrql(PASSIVE_LEVEL);
    KipWriteTebUlong(IO_HOST_TEB_PROCESSOR, 0);
    KipWriteTebPointer(IO_HOST_TEB_KTHREAD, Thread);
}

NTSTATUS KiInitializeHostThread(VOID)
{
    PKTHREAD Thread = KipReadTebPointer(IO_HOST_TEB_KTHREAD);
    NTSTATUS Status;

    if (Thread)
        return STATUS_SUCCESS;
    Status = KipAllocateThread(&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The allocation's reference is the running thread's own, never
     * dropped: a thread the runtime did not start has no KiExitThread. */
    KipAttachThread(Thread);
    return STATUS_SUCCESS;
}

PKTHREAD KiCurrentThread(VOID)
{
    PKTHREAD Thread = KipReadTebPointer(IO_HOST_TEB_KTHREAD);
    NTSTATUS Status;

    if (Thread)
        return Thread;
    Status = KiInitializeHostThread();
    if (!NT_SUCCESS(Status))
        KeBugCheckEx(NO_MORE_SYSTEM_PTES, 0, (ULONG_PTR)Status, 0, 0);
    return KipReadTebPointer(IO_HOST_TEB_KTHREAD);
}

PKTHREAD KiLookupThread(HANDLE ThreadId)
{
    PKTHREAD Found = NULL;

    KiAcquireDispatcherLock();
    for (PLIST_ENTRY Entry = KiThreadList.Flink; Entry != &KiThreadList; Entry = Entry->Flink) {
        PKTHREAD Thread = CONTAINING_RECORD(Entry, struct _KTHREAD, ThreadListEntry);
        if (Thread->Cid.UniqueThread == ThreadId) {
            Found = Thread;
            break;
        }
    }
    if (Found)
        ObReferenceObject(Found);
    KiReleaseDispatcherLock();
    return Found;
}

/* Every runtime thread starts here, with its block as the parameter. */
static NTSTATUS NTAPI KipThreadStart(PVOID Parameter)
{
    PKTHREAD Thread = Parameter;

    KipAttachThread(Thread);
    Thread->StartRoutine(Thread->StartContext);
    KiExitThread(STATUS_SUCCESS);
}

NTSTATUS KiCreateThread(PKSTART_ROUTINE Routine, PVOID Context, PHANDLE Handle, PCLIENT_ID ClientId,
                        PKTHREAD *Result)
{
    PKTHREAD Thread;
    HANDLE ThreadHandle = NULL;
    CLIENT_ID Cid;
    NTSTATUS Status;

    Status = KipAllocateThread(&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Thread->SystemThread = TRUE;
    Thread->StartRoutine = Routine;
    Thread->StartContext = Context;
    if (Result)
        ObReferenceObject(Thread);
    /* The allocation's reference now belongs to the new thread (KiExitThread drops it). */
    Status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, KipThreadStart, Thread,
                                 &ThreadHandle, &Cid);
    if (!NT_SUCCESS(Status)) {
        KiAcquireDispatcherLock();
        RemoveEntryList(&Thread->ThreadListEntry);
        KiReleaseDispatcherLock();
        ObDereferenceObject(Thread); /* the list's */
        ObDereferenceObject(Thread); /* the thread's */
        if (Result)
            ObDereferenceObject(Thread);
        return Status;
    }
    KiAcquireDispatcherLock();
    Thread->Cid = Cid;
    KiReleaseDispatcherLock();
    if (ClientId)
        *ClientId = Cid;
    if (Handle)
        *Handle = ThreadHandle;
    else
        NtClose(ThreadHandle);
    if (Result)
        *Result = Thread;
    return STATUS_SUCCESS;
}

DECLSPEC_NORETURN VOID KiExitThread(NTSTATUS Status)
{
    PKTHREAD Thread = KiCurrentThread();

    KiAcquireDispatcherLock();
    Thread->ExitStatus = Status;
    Thread->Header.SignalState = 1;
    KiWaitTest(&Thread->Header);
    KiReleaseDispatcherLock();
    KipWriteTebPointer(IO_HOST_TEB_KTHREAD, NULL);
    ObDereferenceObject(Thread);
    NtTerminateThread(NtCurrentThread(), Status);
    for (;;)
        NtYieldExecution();
}

VOID KiSetPreviousMode(KPROCESSOR_MODE Mode)
{
    KiCurrentThread()->PreviousMode = Mode;
}

NTKRNL_EXPORT PKTHREAD NTAPI KeGetCurrentThread(VOID)
{
    return KiCurrentThread();
}

NTKRNL_EXPORT VOID NTAPI KeEnterCriticalRegion(VOID)
{
    KiCurrentThread()->CriticalRegion++;
}

NTKRNL_EXPORT VOID NTAPI KeLeaveCriticalRegion(VOID)
{
    KiCurrentThread()->CriticalRegion--;
}

/* Nothing delivers kernel APCs in the runtime: no APC is ever pending. */
NTKRNL_EXPORT BOOLEAN NTAPI KeAreApcsDisabled(VOID)
{
    return KiCurrentThread()->CriticalRegion != 0 || KiReadIrql() >= APC_LEVEL;
}

NTKRNL_EXPORT BOOLEAN NTAPI KeAreAllApcsDisabled(VOID)
{
    return KiReadIrql() >= APC_LEVEL;
}

NTKRNL_EXPORT ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
    if (ProcNumber) {
        ProcNumber->Group = 0;
        ProcNumber->Number = 0;
        ProcNumber->Reserved = 0;
    }
    return 0;
}

/* Used by KiLookupThread's callers to resolve a thread handle: its thread id. */
NTSTATUS KiQueryThreadId(HANDLE Handle, PHANDLE ThreadId)
{
    KI_THREAD_BASIC_INFORMATION Info;
    NTSTATUS Status;

    Status = NtQueryInformationThread(Handle, KI_THREAD_BASIC_CLASS, &Info, sizeof(Info), NULL);
    if (NT_SUCCESS(Status))
        *ThreadId = Info.ClientId.UniqueThread;
    return Status;
}
