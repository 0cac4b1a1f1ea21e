/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtSetInformationProcess and NtSetInformationThread for the common
 * classes. Windows' order: the class, then the exact length
 * (STATUS_INFO_LENGTH_MISMATCH), then the value is captured, then the
 * handle is referenced with the class's right, then the value is checked.
 *
 * Priorities: a process has a base priority (from its priority class, or
 * set); a thread's priority is that base plus its increment (-2..2, or the
 * ±16 saturation values), 1..15 outside the realtime class, and maps onto
 * seL4 priorities below ntos's (PspApplyPriority). Single processor: the
 * only affinity is 1. Execute flags are recorded (the kernel has no NX, so
 * data is executable whatever they say). ThreadZeroTlsCell waits for TLS
 * (STATUS_NOT_IMPLEMENTED).
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>
#include <string.h>

#include "ntsvc.h"

#define PROCESS_SET_INFORMATION        0x0200u
#define THREAD_SET_INFORMATION         0x0020u
#define THREAD_SET_LIMITED_INFORMATION 0x0400u

enum {
    ProcessBasePriority = 5,
    ProcessRaisePriority = 9,
    ProcessDefaultHardErrorMode = 12,
    ProcessPriorityClass = 18,
    ProcessAffinityMask = 21,
    ProcessExecuteFlags = 34,
};
enum {
    ThreadPriority = 2,
    ThreadBasePriority = 3,
    ThreadAffinityMask = 4,
    ThreadQuerySetWin32StartAddress = 9,
    ThreadZeroTlsCell = 10,
    ThreadHideFromDebugger = 17,
};

#define PSP_ACTIVE_PROCESSORS        1ull /* KAFFINITY of the one processor */
#define PSP_PRIORITY_CLASS_REALTIME  4
#define PSP_MAX_PRIORITY_CLASS       6 /* PROCESS_PRIORITY_CLASS_ABOVE_NORMAL */
#define PSP_EXECUTE_OPTIONS_VALID    0x3fu
#define PSP_EXECUTE_OPTION_PERMANENT 0x8u
#define PSP_BASE_SATURATION          16 /* THREAD_BASE_PRIORITY_LOWRT + 1 */

/* Base priority of each PROCESS_PRIORITY_CLASS_* (0 is not a class). */
static const LONG PspClassBase[PSP_MAX_PRIORITY_CLASS + 1] = {0, 4, 8, 13, 24, 6, 10};

typedef union _PSP_SET_VALUE {
    ULONG Ulong;
    LONG Long;
    ULONG_PTR Pointer;
    struct {
        BOOLEAN Foreground;
        UCHAR PriorityClass;
    } Class;
} PSP_SET_VALUE;

/* The exact size of a class's value; 0 for a class not served; -1 for a
 * class whose value is empty. */
static LONG PspProcessClassSize(ULONG Class)
{
    switch (Class) {
    case ProcessBasePriority:
    case ProcessRaisePriority:
    case ProcessDefaultHardErrorMode:
    case ProcessExecuteFlags:
        return sizeof(ULONG);
    case ProcessPriorityClass:
        return 2;
    case ProcessAffinityMask:
        return sizeof(ULONG_PTR);
    default:
        return 0;
    }
}

static LONG PspThreadClassSize(ULONG Class)
{
    switch (Class) {
    case ThreadPriority:
    case ThreadBasePriority:
    case ThreadZeroTlsCell:
        return sizeof(ULONG);
    case ThreadAffinityMask:
    case ThreadQuerySetWin32StartAddress:
        return sizeof(ULONG_PTR);
    case ThreadHideFromDebugger:
        return -1;
    default:
        return 0;
    }
}

static bool PspIsRealtime(PEPROCESS Process)
{
    return PspProcess(Process)->PriorityClass == PSP_PRIORITY_CLASS_REALTIME;
}

/* A thread's priority from its process's base and its increment. */
static void PspRecomputePriority(PETHREAD Thread)
{
    PPSP_THREAD Psp = PspThread(Thread);
    bool Realtime = PspIsRealtime(Thread->Process);
    LONG Low = Realtime ? 16 : 1, High = Realtime ? 31 : 15;
    LONG Priority;

    if (Psp->BasePriority == PSP_BASE_SATURATION)
        Priority = High;
    else if (Psp->BasePriority == -PSP_BASE_SATURATION)
        Priority = Low;
    else
        Priority = PspProcess(Thread->Process)->BasePriority + Psp->BasePriority;
    Psp->Priority = Priority < Low ? Low : Priority > High ? High : Priority;
    PspApplyPriority(Thread);
}

static void PspRecomputeProcess(PEPROCESS Process)
{
    for (PPSP_THREAD t = PspProcess(Process)->Threads; t; t = t->NextInProcess)
        PspRecomputePriority(&t->Tcb);
}

/* ProcessRaisePriority: every thread's priority up by Boost, within its range. */
static void PspRaiseProcess(PEPROCESS Process, ULONG Boost)
{
    LONG High = PspIsRealtime(Process) ? 31 : 15;

    for (PPSP_THREAD t = PspProcess(Process)->Threads; t; t = t->NextInProcess) {
        t->Priority = Boost >= (ULONG)High || t->Priority + (LONG)Boost > High
                          ? High
                          : t->Priority + (LONG)Boost;
        PspApplyPriority(&t->Tcb);
    }
}

static NTSTATUS PspSetProcess(PEPROCESS Process, HANDLE Handle, ULONG Class,
                              const PSP_SET_VALUE *Value)
{
    PPSP_PROCESS Psp = PspProcess(Process);

    switch (Class) {
    case ProcessBasePriority:
        if (Value->Long < 1 || Value->Long > 31)
            return STATUS_INVALID_PARAMETER;
        Psp->BasePriority = Value->Long;
        PspRecomputeProcess(Process);
        return STATUS_SUCCESS;
    case ProcessRaisePriority:
        PspRaiseProcess(Process, Value->Ulong);
        return STATUS_SUCCESS;
    case ProcessDefaultHardErrorMode:
        Psp->HardErrorMode = Value->Ulong;
        return STATUS_SUCCESS;
    case ProcessPriorityClass:
        if (Value->Class.PriorityClass == 0 || Value->Class.PriorityClass > PSP_MAX_PRIORITY_CLASS)
            return STATUS_INVALID_PARAMETER;
        Psp->PriorityClass = Value->Class.PriorityClass;
        Psp->BasePriority = PspClassBase[Value->Class.PriorityClass];
        PspRecomputeProcess(Process);
        return STATUS_SUCCESS;
    case ProcessAffinityMask:
        if (Value->Pointer == 0 || (Value->Pointer & ~PSP_ACTIVE_PROCESSORS))
            return STATUS_INVALID_PARAMETER;
        Psp->AffinityMask = Value->Pointer;
        for (PPSP_THREAD t = Psp->Threads; t; t = t->NextInProcess)
            t->AffinityMask = Value->Pointer;
        return STATUS_SUCCESS;
    case ProcessExecuteFlags:
        /* Windows: the caller's own process only, valid bits, not once permanent. */
        if (Handle != NtCurrentProcess() || (Value->Ulong & ~PSP_EXECUTE_OPTIONS_VALID))
            return STATUS_INVALID_PARAMETER;
        if (Psp->ExecuteFlags & PSP_EXECUTE_OPTION_PERMANENT)
            return STATUS_ACCESS_DENIED;
        Psp->ExecuteFlags = Value->Ulong;
        return STATUS_SUCCESS;
    default:
        return STATUS_INVALID_INFO_CLASS;
    }
}

static NTSTATUS PspSetThread(PETHREAD Thread, ULONG Class, const PSP_SET_VALUE *Value)
{
    PPSP_THREAD Psp = PspThread(Thread);

    switch (Class) {
    case ThreadPriority:
        if (Value->Long < 1 || Value->Long > 31)
            return STATUS_INVALID_PARAMETER;
        Psp->Priority = Value->Long;
        PspApplyPriority(Thread);
        return STATUS_SUCCESS;
    case ThreadBasePriority:
        if ((Value->Long < -2 || Value->Long > 2) && Value->Long != PSP_BASE_SATURATION &&
            Value->Long != -PSP_BASE_SATURATION)
            return STATUS_INVALID_PARAMETER;
        Psp->BasePriority = Value->Long;
        PspRecomputePriority(Thread);
        return STATUS_SUCCESS;
    case ThreadAffinityMask:
        if (Value->Pointer == 0 || (Value->Pointer & ~PspProcess(Thread->Process)->AffinityMask))
            return STATUS_INVALID_PARAMETER;
        Psp->AffinityMask = Value->Pointer;
        return STATUS_SUCCESS;
    case ThreadQuerySetWin32StartAddress:
        Psp->StartAddress = Value->Pointer;
        return STATUS_SUCCESS;
    case ThreadHideFromDebugger:
        Psp->HideFromDebugger = true;
        return STATUS_SUCCESS;
    case ThreadZeroTlsCell:
        return STATUS_NOT_IMPLEMENTED; /* FIXME: with the TLS of the ntdllrt branch */
    default:
        return STATUS_INVALID_INFO_CLASS;
    }
}

/* The class's size against Length, then the value captured. */
static NTSTATUS PspCaptureValue(LONG Size, USER_BUFFER Buffer, ULONG Length, PSP_SET_VALUE *Value)
{
    memset(Value, 0, sizeof(*Value));
    if (Size == 0)
        return STATUS_INVALID_INFO_CLASS;
    if (Size < 0)
        return Length == 0 ? STATUS_SUCCESS : STATUS_INFO_LENGTH_MISMATCH;
    if (Length != (ULONG)Size)
        return STATUS_INFO_LENGTH_MISMATCH;
    return MmCopyFromUser(KeGetCurrentThread()->Process, Value, Buffer.Address, Length);
}

NTSTATUS NtSetInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass,
                                 USER_BUFFER ProcessInformation, ULONG ProcessInformationLength)
{
    PSP_SET_VALUE Value;
    PEPROCESS Process;
    NTSTATUS Status;

    Status = PspCaptureValue(PspProcessClassSize(ProcessInformationClass), ProcessInformation,
                             ProcessInformationLength, &Value);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(ProcessHandle, PsProcessType, PROCESS_SET_INFORMATION,
                                       (PVOID *)&Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PspSetProcess(Process, ProcessHandle, ProcessInformationClass, &Value);
    ObDereferenceObject(Process);
    return Status;
}

/* Priorities and affinity may also be set with the limited right. */
static ACCESS_MASK PspThreadSetAccess(ULONG Class)
{
    return Class == ThreadPriority || Class == ThreadBasePriority || Class == ThreadAffinityMask
               ? THREAD_SET_LIMITED_INFORMATION
               : THREAD_SET_INFORMATION;
}

NTSTATUS NtSetInformationThread(HANDLE ThreadHandle, ULONG ThreadInformationClass,
                                USER_BUFFER ThreadInformation, ULONG ThreadInformationLength)
{
    ACCESS_MASK Access = PspThreadSetAccess(ThreadInformationClass);
    PSP_SET_VALUE Value;
    PETHREAD Thread;
    NTSTATUS Status;

    Status = PspCaptureValue(PspThreadClassSize(ThreadInformationClass), ThreadInformation,
                             ThreadInformationLength, &Value);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(ThreadHandle, PsThreadType, Access, (PVOID *)&Thread);
    /* THREAD_SET_INFORMATION includes the limited right (Windows). */
    if (Status == STATUS_ACCESS_DENIED && Access == THREAD_SET_LIMITED_INFORMATION)
        Status = ObReferenceObjectByHandle(ThreadHandle, PsThreadType, THREAD_SET_INFORMATION,
                                           (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PspSetThread(Thread, ThreadInformationClass, &Value);
    ObDereferenceObject(Thread);
    return Status;
}
