/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Suspending and resuming threads: NtSuspendThread, NtResumeThread and
 * the suspend count (ETHREAD.SuspendCount, at most MAXIMUM_SUSPEND_COUNT).
 *
 * How a thread is stopped depends on where it is. A thread ntos is not
 * serving (running user code, or with its call still queued on the
 * endpoint) is stopped with seL4_TCB_Suspend and restarted with
 * seL4_TCB_Resume (a queued call is issued again). A thread inside a
 * service call (the caller itself, or one whose request waits in a fiber)
 * must not be: seL4_TCB_Suspend would cancel its call, and Resume would
 * issue it a second time. ke holds the answer of such a call instead
 * (KeReleaseHeldReply, ke.h), so the thread stays blocked in the call and
 * runs no user code until its count drops to 0.
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>

#include "ntsvc.h"

#define PSP_MAXIMUM_SUSPEND_COUNT 127 /* MAXIMUM_SUSPEND_COUNT */
#define THREAD_SUSPEND_RESUME     0x0002u

/* Raise the count; the first suspension stops the thread (see above). */
static NTSTATUS PspSuspendThread(PETHREAD Thread, ULONG *PreviousCount)
{
    if (Thread->Terminated)
        return STATUS_THREAD_IS_TERMINATING;
    if (Thread->SuspendCount >= PSP_MAXIMUM_SUSPEND_COUNT)
        return STATUS_SUSPEND_COUNT_EXCEEDED;
    *PreviousCount = Thread->SuspendCount++;
    if (*PreviousCount == 0 && Thread->Fiber == NULL && Thread != KeGetCurrentThread()) {
        seL4_Error Error = seL4_TCB_Suspend(Thread->Tcb);
        ASSERT(Error == seL4_NoError); /* a live thread's own TCB */
        PspThread(Thread)->TcbSuspended = true;
    }
    return STATUS_SUCCESS;
}

/* Lower the count; at 0 the thread goes on (or starts, if created suspended). */
static ULONG PspResumeThread(PETHREAD Thread)
{
    ULONG Previous = Thread->SuspendCount;

    if (Previous == 0 || Thread->Terminated)
        return Previous;
    if (--Thread->SuspendCount == 0) {
        if (PspThread(Thread)->TcbSuspended) {
            seL4_Error Error = seL4_TCB_Resume(Thread->Tcb);
            ASSERT(Error == seL4_NoError);
            PspThread(Thread)->TcbSuspended = false;
        }
        KeReleaseHeldReply(Thread);
    }
    return Previous;
}

NTSTATUS PsResumeThread(PETHREAD Thread, ULONG *PreviousCount)
{
    ULONG Previous = PspResumeThread(Thread);

    if (PreviousCount)
        *PreviousCount = Previous;
    return STATUS_SUCCESS;
}

NTSTATUS NtSuspendThread(HANDLE ThreadHandle, ULONG *PreviousSuspendCount)
{
    PETHREAD Thread;
    ULONG Previous = 0;
    NTSTATUS Status;

    PspFlushDeferred();
    Status = ObReferenceObjectByHandle(ThreadHandle, PsThreadType, THREAD_SUSPEND_RESUME,
                                       (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PspSuspendThread(Thread, &Previous);
    if (NT_SUCCESS(Status) && PreviousSuspendCount)
        *PreviousSuspendCount = Previous;
    ObDereferenceObject(Thread);
    return Status;
}

NTSTATUS NtResumeThread(HANDLE ThreadHandle, ULONG *PreviousSuspendCount)
{
    PETHREAD Thread;
    NTSTATUS Status;

    PspFlushDeferred();
    Status = ObReferenceObjectByHandle(ThreadHandle, PsThreadType, THREAD_SUSPEND_RESUME,
                                       (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PsResumeThread(Thread, PreviousSuspendCount);
    ObDereferenceObject(Thread);
    return Status;
}
