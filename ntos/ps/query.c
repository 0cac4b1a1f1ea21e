/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQueryInformationProcess: the fixed-size classes programs and the Wine
 * DLLs ask for at start-up (basic information, times, debug port and
 * flags, error mode, priority class, handle count, session, WOW64, DEP
 * flags, cookie). Each class is one structure of an exact size: another
 * length is STATUS_INFO_LENGTH_MISMATCH with ReturnLength = the size, as on
 * Windows. Other classes are STATUS_INVALID_INFO_CLASS until someone needs
 * them (FIXME: ProcessImageFileName, ProcessImageInformation).
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>
#include <string.h>
#include <svc.h>

#include "ntsvc.h"

#define PROCESS_QUERY_LIMITED_INFORMATION 0x1000u

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

#define PSP_BASE_PRIORITY         8   /* NORMAL_PRIORITY_CLASS's base */
#define PSP_PRIORITY_CLASS_NORMAL 2   /* PROCESS_PRIORITY_CLASS_NORMAL */
#define PSP_HARD_ERROR_MODE       1   /* Windows' default: errors are shown */
#define PSP_EXECUTE_OPTION_ENABLE 0x2 /* no NX (sel4-abi §18.2): data is executable */

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

typedef struct _PROCESS_PRIORITY_CLASS {
    BOOLEAN Foreground;
    UCHAR PriorityClass;
} PROCESS_PRIORITY_CLASS;

/* Every answer fits this: the largest class is 0x30 bytes. */
typedef union _PSP_PROCESS_INFORMATION {
    PROCESS_BASIC_INFORMATION Basic;
    KERNEL_USER_TIMES Times;
    PROCESS_PRIORITY_CLASS PriorityClass;
    ULONG_PTR Pointer;
    ULONG Ulong;
} PSP_PROCESS_INFORMATION;

static void PspBasicInformation(PEPROCESS Process, PROCESS_BASIC_INFORMATION *Basic)
{
    Basic->ExitStatus = PspProcess(Process)->Terminating ? Process->ExitStatus : STATUS_PENDING;
    Basic->PebBaseAddress = Process->PebAddress;
    Basic->AffinityMask = 1;
    Basic->BasePriority = PSP_BASE_PRIORITY;
    Basic->UniqueProcessId = Process->UniqueProcessId;
    Basic->InheritedFromUniqueProcessId = 0; /* FIXME: with NtCreateUserProcess */
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
        Info->Ulong = PSP_HARD_ERROR_MODE;
        return sizeof(Info->Ulong);
    case ProcessPriorityClass:
        Info->PriorityClass.PriorityClass = PSP_PRIORITY_CLASS_NORMAL;
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
        Info->Ulong = PSP_EXECUTE_OPTION_ENABLE;
        return sizeof(Info->Ulong);
    case ProcessCookie:
        Info->Ulong = PspProcess(Process)->Cookie;
        return sizeof(Info->Ulong);
    default:
        return 0;
    }
}

NTSTATUS NtQueryInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass,
                                   USER_BUFFER ProcessInformation, ULONG ProcessInformationLength,
                                   ULONG *ReturnLength)
{
    PSP_PROCESS_INFORMATION Info;
    PEPROCESS Process;
    ULONG Size;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(ProcessHandle, PsProcessType,
                                       PROCESS_QUERY_LIMITED_INFORMATION, (PVOID *)&Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Size = PspQueryProcess(Process, ProcessInformationClass, &Info);
    if (Size == 0) {
        Status = STATUS_INVALID_INFO_CLASS;
        goto out;
    }
    if (ReturnLength)
        *ReturnLength = Size;
    if (ProcessInformationLength != Size) {
        Status = STATUS_INFO_LENGTH_MISMATCH;
        goto out;
    }
    Status = MmCopyToUser(KeGetCurrentThread()->Process, ProcessInformation.Address, &Info, Size);
out:
    ObDereferenceObject(Process);
    return Status;
}
