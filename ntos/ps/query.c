/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQueryInformationProcess and NtQueryInformationThread: the fixed-size
 * classes programs and the Wine DLLs ask for at start-up (for a process:
 * basic information, times, debug port and flags, error mode, priority
 * class, handle count, session, WOW64, DEP flags, cookie; for a thread:
 * basic information, times, start address, last thread, terminated). Each
 * class is one structure of an exact size: another length is
 * STATUS_INFO_LENGTH_MISMATCH, with ReturnLength left alone, as on Windows.
 * Other classes are STATUS_INVALID_INFO_CLASS until someone needs them
 * (FIXME: ProcessImageFileName, ProcessImageInformation).
 *
 * The buffer comes unprobed (services.def: probe=handler) and the checks
 * run in Windows' order: the buffer's alignment for the class (Windows
 * probes before anything else, and only bounds the range: a NULL buffer
 * fails at the copy), the record's length, the handle, then the class
 * itself (PspQueryProcess / PspQueryThread: an unknown class is
 * INVALID_INFO_CLASS only once the handle is good; FIXME: Windows says so
 * first).
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>
#include <string.h>
#include <svc.h>

#include "ntsvc.h"

#define PROCESS_QUERY_LIMITED_INFORMATION 0x1000u
#define THREAD_QUERY_LIMITED_INFORMATION  0x0800u
#define PROCESS_QUERY_INFORMATION_FULL    0x0400u /* PROCESS_QUERY_INFORMATION */
#define THREAD_QUERY_INFORMATION_FULL     0x0040u /* THREAD_QUERY_INFORMATION */

/*
 * The classes served here need the limited query right, which the full
 * query right includes on Windows: a handle holding either may query.
 */
static NTSTATUS PspReferenceForQuery(HANDLE Handle, POBJECT_TYPE Type, ACCESS_MASK Limited,
                                     ACCESS_MASK Full, PVOID *Object)
{
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, Type, Limited, Object);
    if (Status == STATUS_ACCESS_DENIED)
        Status = ObReferenceObjectByHandle(Handle, Type, Full, Object);
    return Status;
}

enum {
    ProcessBasicInformation = 0,
    ProcessTimes = 4,
    ProcessDebugPort = 7,
    ProcessDefaultHardErrorMode = 12,
    ProcessPriorityClass = 18,
    ProcessHandleCount = 20,
    ProcessSessionInformation = 24,
    ProcessWow64Information = 26,
    ProcessDebugFlags = 31,
    ProcessExecuteFlags = 34,
    ProcessCookie = 36,
};

enum {
    ThreadBasicInformation = 0,
    ThreadTimes = 1,
    ThreadQuerySetWin32StartAddress = 9,
    ThreadAmILastThread = 12,
    ThreadHideFromDebugger = 17,
    ThreadIsTerminated = 20,
};

#define PSP_BASE_PRIORITY 8 /* NORMAL_PRIORITY_CLASS's base */

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus; /* STATUS_PENDING while it runs */
    ULONG Padding;
    ULONG_PTR PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG Padding2;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;
_Static_assert(sizeof(PROCESS_BASIC_INFORMATION) == 0x30, "PROCESS_BASIC_INFORMATION");

typedef struct _KERNEL_USER_TIMES {
    LARGE_INTEGER CreateTime, ExitTime, KernelTime, UserTime;
} KERNEL_USER_TIMES;
_Static_assert(sizeof(KERNEL_USER_TIMES) == 0x20, "KERNEL_USER_TIMES");

typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus; /* STATUS_PENDING while it runs */
    ULONG Padding;
    ULONG_PTR TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} THREAD_BASIC_INFORMATION;
_Static_assert(sizeof(THREAD_BASIC_INFORMATION) == 0x30, "THREAD_BASIC_INFORMATION");

typedef struct _PROCESS_PRIORITY_CLASS {
    BOOLEAN Foreground;
    UCHAR PriorityClass;
} PROCESS_PRIORITY_CLASS;

/* Every answer fits this: the largest class is 0x30 bytes. */
typedef union _PSP_PROCESS_INFORMATION {
    PROCESS_BASIC_INFORMATION Basic;
    THREAD_BASIC_INFORMATION ThreadBasic;
    KERNEL_USER_TIMES Times;
    PROCESS_PRIORITY_CLASS PriorityClass;
    ULONG_PTR Pointer;
    ULONG Ulong;
    BOOLEAN Boolean;
} PSP_PROCESS_INFORMATION;

static void PspBasicInformation(PEPROCESS Process, PROCESS_BASIC_INFORMATION *Basic)
{
    Basic->ExitStatus = PspProcess(Process)->Terminating ? Process->ExitStatus : STATUS_PENDING;
    Basic->PebBaseAddress = Process->PebAddress;
    Basic->AffinityMask = PspProcess(Process)->AffinityMask;
    Basic->BasePriority = PspProcess(Process)->BasePriority;
    Basic->UniqueProcessId = Process->UniqueProcessId;
    Basic->InheritedFromUniqueProcessId = PspProcess(Process)->ParentProcessId;
}

/* ---- ProcessVmCounters (vm) ------------------------------------------------------------- */

#define ProcessVmCounters 3

/* VM_COUNTERS_EX2; VM_COUNTERS is its first 0x58 bytes, VM_COUNTERS_EX its
 * first 0x60. The pool quotas stay zero (FIXME: per-process pool charges). */
typedef struct _PSP_VM_COUNTERS {
    SIZE_T PeakVirtualSize;
    SIZE_T VirtualSize;
    ULONG PageFaultCount;
    SIZE_T PeakWorkingSetSize;
    SIZE_T WorkingSetSize;
    SIZE_T QuotaPool[4]; /* peak paged, paged, peak non-paged, non-paged */
    SIZE_T PagefileUsage;
    SIZE_T PeakPagefileUsage;
    SIZE_T PrivateUsage;          /* VM_COUNTERS_EX */
    SIZE_T PrivateWorkingSetSize; /* VM_COUNTERS_EX2 */
    ULONGLONG SharedCommitUsage;
} PSP_VM_COUNTERS;
_Static_assert(offsetof(PSP_VM_COUNTERS, PrivateUsage) == 0x58, "VM_COUNTERS");
_Static_assert(sizeof(PSP_VM_COUNTERS) == 0x70, "VM_COUNTERS_EX2");

/* The size of the answer: the caller's length when it is one of the three
 * records, else VM_COUNTERS' (a length mismatch). */
static ULONG PspQueryVmCounters(PEPROCESS Process, ULONG Length, PSP_VM_COUNTERS *Counters)
{
    MM_PROCESS_COUNTERS Memory;

    MmQueryProcessCounters(Process, &Memory);
    *Counters = (PSP_VM_COUNTERS){
        .PeakVirtualSize = Memory.PeakVirtualSize,
        .VirtualSize = Memory.VirtualSize,
        .PageFaultCount = Memory.PageFaultCount,
        .PeakWorkingSetSize = Memory.PeakWorkingSetSize,
        .WorkingSetSize = Memory.WorkingSetSize,
        .PagefileUsage = Memory.PrivateBytes,
        .PeakPagefileUsage = Memory.PeakPrivateBytes,
        .PrivateUsage = Memory.PrivateBytes,
        .PrivateWorkingSetSize = Memory.WorkingSetSize, /* every page is private */
    };
    if (Length == offsetof(PSP_VM_COUNTERS, PrivateWorkingSetSize) ||
        Length == sizeof(PSP_VM_COUNTERS))
        return Length;
    return offsetof(PSP_VM_COUNTERS, PrivateUsage);
}

/* The answer for Class in *Info and its size; 0 for a class we do not know. */
static ULONG PspQueryProcess(PEPROCESS Process, ULONG Class, PSP_PROCESS_INFORMATION *Info)
{
    memset(Info, 0, sizeof(*Info));
    switch (Class) {
    case ProcessBasicInformation:
        PspBasicInformation(Process, &Info->Basic);
        return sizeof(Info->Basic);
    case ProcessTimes:
        /* FIXME: kernel and user time need per-thread accounting. */
        Info->Times.CreateTime = PspProcess(Process)->CreateTime;
        Info->Times.ExitTime = PspProcess(Process)->ExitTime;
        return sizeof(Info->Times);
    case ProcessDebugPort:
    case ProcessWow64Information:
        return sizeof(Info->Pointer); /* no debugger, not a 32-bit process */
    case ProcessDefaultHardErrorMode:
        Info->Ulong = PspProcess(Process)->HardErrorMode;
        return sizeof(Info->Ulong);
    case ProcessPriorityClass:
        Info->PriorityClass.PriorityClass = PspProcess(Process)->PriorityClass;
        return sizeof(Info->PriorityClass);
    case ProcessHandleCount:
        Info->Ulong = ObGetProcessHandleCount(Process);
        return sizeof(Info->Ulong);
    case ProcessSessionInformation:
        return sizeof(Info->Ulong); /* session 0 */
    case ProcessDebugFlags:
        Info->Ulong = 1; /* no debug object: "not being debugged" */
        return sizeof(Info->Ulong);
    case ProcessExecuteFlags:
        Info->Ulong = PspProcess(Process)->ExecuteFlags;
        return sizeof(Info->Ulong);
    case ProcessCookie:
        Info->Ulong = PspProcess(Process)->Cookie;
        return sizeof(Info->Ulong);
    default:
        return 0;
    }
}

/* The same for a thread. */
static ULONG PspQueryThread(PETHREAD Thread, ULONG Class, PSP_PROCESS_INFORMATION *Info)
{
    PPSP_THREAD Psp = PspThread(Thread);

    memset(Info, 0, sizeof(*Info));
    switch (Class) {
    case ThreadBasicInformation:
        Info->ThreadBasic.ExitStatus = Psp->ExitStatus;
        Info->ThreadBasic.TebBaseAddress = Thread->TebAddress;
        Info->ThreadBasic.ClientId.UniqueProcess = (HANDLE)Thread->Process->UniqueProcessId;
        Info->ThreadBasic.ClientId.UniqueThread = (HANDLE)Thread->UniqueThreadId;
        Info->ThreadBasic.AffinityMask = Psp->AffinityMask;
        Info->ThreadBasic.Priority = Psp->Priority;
        Info->ThreadBasic.BasePriority =
            Thread->Process ? PspProcess(Thread->Process)->BasePriority : PSP_BASE_PRIORITY;
        return sizeof(Info->ThreadBasic);
    case ThreadTimes:
        Info->Times.CreateTime = Psp->CreateTime;
        Info->Times.ExitTime = Psp->ExitTime;
        return sizeof(Info->Times);
    case ThreadQuerySetWin32StartAddress:
        Info->Pointer = Psp->StartAddress;
        return sizeof(Info->Pointer);
    case ThreadAmILastThread:
        Info->Ulong = !Thread->Terminated && Thread->Process->ActiveThreads == 1;
        return sizeof(Info->Ulong);
    case ThreadIsTerminated:
        Info->Ulong = Thread->Terminated;
        return sizeof(Info->Ulong);
    case ThreadHideFromDebugger:
        Info->Boolean = Psp->HideFromDebugger;
        return sizeof(Info->Boolean);
    default:
        return 0;
    }
}

/* ---- the checks before the handle (services.def: probe=handler) -------------------------- */

/*
 * What Windows checks of a query before it looks at the handle, per class:
 * the buffer's alignment (probed first; ULONG for every class here, also
 * the 2-byte PROCESS_PRIORITY_CLASS; 1 for a lone BOOLEAN), then the
 * record's exact length (0: a variable-size class checks its own). A class
 * without a row is probed ULONG-aligned and has its length checked after
 * the handle (PspReturnInformation): list every class served below.
 */
typedef struct _PSP_QUERY_CLASS {
    ULONG Class;
    ULONG Length;
    ULONG Align;
} PSP_QUERY_CLASS;

static const PSP_QUERY_CLASS PspProcessQueryClasses[] = {
    {ProcessBasicInformation, sizeof(PROCESS_BASIC_INFORMATION), sizeof(ULONG)},
    {ProcessTimes, sizeof(KERNEL_USER_TIMES), sizeof(ULONG)},
    {ProcessDebugPort, sizeof(ULONG_PTR), sizeof(ULONG)},
    {ProcessDefaultHardErrorMode, sizeof(ULONG), sizeof(ULONG)},
    {ProcessPriorityClass, sizeof(PROCESS_PRIORITY_CLASS), sizeof(ULONG)},
    {ProcessHandleCount, sizeof(ULONG), sizeof(ULONG)},
    {ProcessSessionInformation, sizeof(ULONG), sizeof(ULONG)},
    {ProcessWow64Information, sizeof(ULONG_PTR), sizeof(ULONG)},
    {ProcessDebugFlags, sizeof(ULONG), sizeof(ULONG)},
    {ProcessExecuteFlags, sizeof(ULONG), sizeof(ULONG)},
    {ProcessCookie, sizeof(ULONG), sizeof(ULONG)},
    {ProcessVmCounters, 0, sizeof(ULONG)}, /* three sizes: PspQueryVmCounters checks */
};

static const PSP_QUERY_CLASS PspThreadQueryClasses[] = {
    {ThreadBasicInformation, sizeof(THREAD_BASIC_INFORMATION), sizeof(ULONG)},
    {ThreadTimes, sizeof(KERNEL_USER_TIMES), sizeof(ULONG)},
    {ThreadQuerySetWin32StartAddress, sizeof(ULONG_PTR), sizeof(ULONG)},
    {ThreadAmILastThread, sizeof(ULONG), sizeof(ULONG)},
    {ThreadHideFromDebugger, sizeof(BOOLEAN), sizeof(BOOLEAN)},
    {ThreadIsTerminated, sizeof(ULONG), sizeof(ULONG)},
};

/* Windows' checks before the handle, in its order: the buffer, the length. */
static NTSTATUS PspCheckQuery(const PSP_QUERY_CLASS *Classes, ULONG Count, ULONG Class,
                              USER_BUFFER Buffer, ULONG Length)
{
    const PSP_QUERY_CLASS *Row = NULL;
    NTSTATUS Status;
    ULONG Index;

    for (Index = 0; Index < Count && Row == NULL; Index++) {
        if (Classes[Index].Class == Class)
            Row = &Classes[Index];
    }
    /* Only bounded: a NULL buffer fails at the copy, after the handle. */
    Status = KiProbeClassBuffer(Buffer, Row != NULL ? Row->Align : sizeof(ULONG), KI_PROBE_READ);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Row != NULL && Row->Length != 0 && Length != Row->Length)
        return STATUS_INFO_LENGTH_MISMATCH;
    return STATUS_SUCCESS;
}

/*
 * Copy the answer of a fixed-size class, Size bytes (0: unknown class), to
 * the caller. A wrong length leaves ReturnLength alone (Windows; the table
 * writes it back only if changed, write=handler); a variable-size class
 * sets *ReturnLength to what it needs before it returns
 * STATUS_INFO_LENGTH_MISMATCH itself.
 */
static NTSTATUS PspReturnInformation(PSP_PROCESS_INFORMATION *Info, ULONG Size, USER_BUFFER Buffer,
                                     ULONG Length, ULONG *ReturnLength)
{
    NTSTATUS Status;

    if (Size == 0)
        return STATUS_INVALID_INFO_CLASS;
    if (Length != Size)
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address, Info, Size);
    if (NT_SUCCESS(Status) && ReturnLength)
        *ReturnLength = Size;
    return Status;
}

NTSTATUS NtQueryInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass,
                                   USER_BUFFER ProcessInformation, ULONG ProcessInformationLength,
                                   ULONG *ReturnLength)
{
    PSP_PROCESS_INFORMATION Info;
    PSP_VM_COUNTERS VmCounters;
    PEPROCESS Process;
    ULONG Size;
    NTSTATUS Status;

    Status = PspCheckQuery(PspProcessQueryClasses, ARRAYSIZE(PspProcessQueryClasses),
                           ProcessInformationClass, ProcessInformation, ProcessInformationLength);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PspReferenceForQuery(ProcessHandle, PsProcessType, PROCESS_QUERY_LIMITED_INFORMATION,
                                  PROCESS_QUERY_INFORMATION_FULL, (PVOID *)&Process);
    if (!NT_SUCCESS(Status))
        return Status;
    if (ProcessInformationClass == ProcessVmCounters) {
        /* Larger than the union of the other answers: copied from its own record. */
        Size = PspQueryVmCounters(Process, ProcessInformationLength, &VmCounters);
        Status = PspReturnInformation((PSP_PROCESS_INFORMATION *)&VmCounters, Size,
                                      ProcessInformation, ProcessInformationLength, ReturnLength);
    } else {
        Size = PspQueryProcess(Process, ProcessInformationClass, &Info);
        Status = PspReturnInformation(&Info, Size, ProcessInformation, ProcessInformationLength,
                                      ReturnLength);
    }
    ObDereferenceObject(Process);
    return Status;
}

NTSTATUS NtQueryInformationThread(HANDLE ThreadHandle, ULONG ThreadInformationClass,
                                  USER_BUFFER ThreadInformation, ULONG ThreadInformationLength,
                                  ULONG *ReturnLength)
{
    PSP_PROCESS_INFORMATION Info;
    PETHREAD Thread;
    ULONG Size;
    NTSTATUS Status;

    Status = PspCheckQuery(PspThreadQueryClasses, ARRAYSIZE(PspThreadQueryClasses),
                           ThreadInformationClass, ThreadInformation, ThreadInformationLength);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PspReferenceForQuery(ThreadHandle, PsThreadType, THREAD_QUERY_LIMITED_INFORMATION,
                                  THREAD_QUERY_INFORMATION_FULL, (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Size = PspQueryThread(Thread, ThreadInformationClass, &Info);
    Status =
        PspReturnInformation(&Info, Size, ThreadInformation, ThreadInformationLength, ReturnLength);
    ObDereferenceObject(Thread);
    return Status;
}
