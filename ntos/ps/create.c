/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCreateThreadEx: a thread in the caller's or another process
 * (PROCESS_CREATE_THREAD), started through ntdll's RtlUserThreadStart with
 * the start routine and its argument (CONTEXT Rcx, Rdx), its stack
 * reservation from MaximumStackSize / StackSize (Windows' rule: a commit
 * at least the reserve makes the reserve the commit rounded up to 1 MiB),
 * created suspended when asked, its client id and TEB written to the
 * attribute list, and a handle with DesiredAccess. The thread is made
 * stopped and only started once its handle exists, so a failure never
 * leaves a running thread behind.
 */
#include "psattr.h"

#include <ke.h>
#include <ob.h>

#include "ntsvc.h"

#define PROCESS_CREATE_THREAD 0x0002u

/* THREAD_CREATE_FLAGS_*: what Windows defines. */
#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x01u
#define THREAD_CREATE_FLAGS_SKIP_THREAD_ATTACH                                                     \
    0x02u /* no DLL_THREAD_ATTACH: nothing to skip yet                                             \
           */
#define THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER    0x04u
#define THREAD_CREATE_FLAGS_LOADER_WORKER         0x10u
#define THREAD_CREATE_FLAGS_SKIP_LOADER_INIT      0x20u
#define THREAD_CREATE_FLAGS_BYPASS_PROCESS_FREEZE 0x40u
#define THREAD_CREATE_FLAGS_INITIAL_THREAD        0x80u
#define PSP_THREAD_CREATE_FLAGS_VALID                                                              \
    (THREAD_CREATE_FLAGS_CREATE_SUSPENDED | THREAD_CREATE_FLAGS_SKIP_THREAD_ATTACH |               \
     THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER | THREAD_CREATE_FLAGS_LOADER_WORKER |                  \
     THREAD_CREATE_FLAGS_SKIP_LOADER_INIT | THREAD_CREATE_FLAGS_BYPASS_PROCESS_FREEZE |            \
     THREAD_CREATE_FLAGS_INITIAL_THREAD)

#define PSP_MAX_ZERO_BITS      53 /* MM_MAXIMUM_ZERO_BITS */
#define PSP_STACK_GRANULARITY  0x10000ull
#define PSP_STACK_COMMIT_ROUND 0x100000ull

/* The reservation of the new stack (0: the image's), Windows' rounding. */
static NTSTATUS PspStackReserve(PEPROCESS Process, SIZE_T Commit, SIZE_T Reserve, ULONGLONG *Result)
{
    if (Reserve == 0)
        Reserve = PspProcess(Process)->StackReserve;
    if (Commit == 0)
        Commit = PspProcess(Process)->StackCommit;
    if (Commit >= Reserve) {
        if (Commit > ~0ull - PSP_STACK_COMMIT_ROUND)
            return STATUS_INVALID_PARAMETER;
        Reserve = (Commit + PSP_STACK_COMMIT_ROUND - 1) & ~(PSP_STACK_COMMIT_ROUND - 1);
    }
    if (Reserve > ~0ull - PSP_STACK_GRANULARITY)
        return STATUS_INVALID_PARAMETER;
    *Result = (Reserve + PSP_STACK_GRANULARITY - 1) & ~(PSP_STACK_GRANULARITY - 1);
    return STATUS_SUCCESS;
}

/* A stopped thread of Process running Routine(Argument) through ntdll. */
static NTSTATUS PspCreateUserThread(PEPROCESS Process, ULONG_PTR Routine, ULONG_PTR Argument,
                                    ULONGLONG StackReserve, ULONGLONG StackCommit, PETHREAD *Thread)
{
    PPSP_PROCESS Psp = PspProcess(Process);
    PSP_THREAD_START Start = {
        .ContextRip = Psp->UserThreadStart ? Psp->UserThreadStart : Routine,
        .ContextRcx = Psp->UserThreadStart ? Routine : Argument,
        .ContextRdx = Argument,
        .Win32StartAddress = Routine,
        .StackReserve = StackReserve,
        .StackCommit = StackCommit,
        .Suspended = true,
    };

    return PspCreateThreadEx(Process, &Start, Thread);
}

/* Give the new thread its handle, then let it run unless asked not to. */
static NTSTATUS PspFinishThread(PETHREAD Thread, ACCESS_MASK DesiredAccess,
                                const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, bool Suspended,
                                HANDLE *ThreadHandle)
{
    ULONG Attributes = ObjectAttributes ? ObjectAttributes->Attributes : 0;
    NTSTATUS Status;

    Status = ObCreateHandle(KeGetCurrentThread()->Process, Thread, DesiredAccess, Attributes,
                            ThreadHandle);
    if (!NT_SUCCESS(Status)) {
        PsTerminateThread(Thread, Status);
        return Status;
    }
    if (!Suspended)
        PsResumeThread(Thread, NULL);
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateThreadEx(HANDLE *ThreadHandle, ACCESS_MASK DesiredAccess,
                          const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, HANDLE ProcessHandle,
                          USER_ADDRESS StartRoutine, USER_ADDRESS Argument, ULONG CreateFlags,
                          SIZE_T ZeroBits, SIZE_T StackSize, SIZE_T MaximumStackSize,
                          USER_ADDRESS AttributeList)
{
    static PSP_ATTRIBUTES Attributes; /* thread creation never waits */
    PEPROCESS Process = NULL;
    PETHREAD Thread;
    ULONGLONG Reserve;
    NTSTATUS Status;

    PspFlushDeferred();
    /* FIXME: ZeroBits is checked but not honoured (mm has no placement
     * constraint yet): the stack and TEB go where mm puts them. */
    if ((CreateFlags & ~PSP_THREAD_CREATE_FLAGS_VALID) || ZeroBits > PSP_MAX_ZERO_BITS)
        return STATUS_INVALID_PARAMETER;
    Status = PspCaptureAttributes(AttributeList, PSP_ACCEPT_CLIENT_ID | PSP_ACCEPT_TEB_ADDRESS,
                                  &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(ProcessHandle, PsProcessType, PROCESS_CREATE_THREAD,
                                       (PVOID *)&Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PspStackReserve(Process, StackSize, MaximumStackSize, &Reserve);
    if (NT_SUCCESS(Status))
        Status = PspCreateUserThread(Process, StartRoutine.Value, Argument.Value, Reserve,
                                     StackSize, &Thread);
    if (!NT_SUCCESS(Status))
        goto out;
    PspThread(Thread)->HideFromDebugger = !!(CreateFlags & THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER);
    PspWriteThreadAttributes(&Attributes, Thread);
    Status = PspFinishThread(Thread, DesiredAccess, ObjectAttributes,
                             CreateFlags & THREAD_CREATE_FLAGS_CREATE_SUSPENDED, ThreadHandle);
out:
    ObDereferenceObject(Process);
    return Status;
}
