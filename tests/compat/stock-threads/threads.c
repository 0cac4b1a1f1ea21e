/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stock-threads.exe: threads and exceptions from a program built with the
 * SDK's <windows.h> and <winternl.h> as mingw-w64 installs them, linked
 * with mingw-w64's own libntdll.a. The records (EXCEPTION_RECORD,
 * EXCEPTION_POINTERS, CONTEXT) and constants are the SDK's; the services
 * and Rtl routines the SDK's user-mode headers do not declare are declared
 * below with their Windows prototypes. Expected values are Windows': a
 * thread's exit status is its routine's return value, a thread created
 * suspended runs only when resumed (previous count 1), RtlCreateUserThread
 * reports the new thread's client id, and a vectored handler that answers
 * EXCEPTION_CONTINUE_EXECUTION to a continuable RtlRaiseException makes
 * that call return.
 */
#include <windows.h>
#include <winternl.h>

#include "../lib/compat.h"

const char CompatProgram[] = "threads";

NTSYSAPI NTSTATUS NTAPI NtCreateThreadEx(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                                         PVOID StartRoutine, PVOID Argument, ULONG CreateFlags,
                                         SIZE_T ZeroBits, SIZE_T StackSize, SIZE_T MaximumStackSize,
                                         PVOID AttributeList);
NTSYSAPI NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor,
                                            BOOLEAN CreateSuspended, ULONG ZeroBits,
                                            SIZE_T MaximumStackSize, SIZE_T CommittedStackSize,
                                            PVOID StartAddress, PVOID Parameter, PHANDLE Thread,
                                            CLIENT_ID *ClientId);
NTSYSAPI PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First,
                                                    PVECTORED_EXCEPTION_HANDLER Handler);
NTSYSAPI ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);
NTSYSAPI VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord);

#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif
#define STATUS_SUCCESS             ((NTSTATUS)0x00000000L)
#define THREAD_CREATE_SUSPENDED    0x1
#define COMPAT_THREAD_EXIT         0x55
#define COMPAT_EXCEPTION_CODE      0xE0C0FFEE
#define COMPAT_EXCEPTION_PARAMETER 0x1234567890ull

/* Windows' THREAD_BASIC_INFORMATION (class 0), which winternl.h lacks. */
typedef struct _COMPAT_THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} COMPAT_THREAD_BASIC_INFORMATION;

static volatile ULONG_PTR CompatThreadSaw;
static volatile ULONG_PTR CompatThreadId;
static LARGE_INTEGER CompatWaitLimit = {.QuadPart = -50000000ll}; /* 5 s */
static LARGE_INTEGER CompatNoWait;

static ULONG NTAPI CompatThreadMain(PVOID Argument)
{
    CompatThreadSaw = (ULONG_PTR)Argument;
    CompatThreadId = (ULONG_PTR)((CLIENT_ID *)((PUCHAR)NtCurrentTeb() + 0x40))->UniqueThread;
    return COMPAT_THREAD_EXIT;
}

static NTSTATUS CompatExitStatus(HANDLE Thread)
{
    COMPAT_THREAD_BASIC_INFORMATION Info;

    memset(&Info, 0, sizeof(Info));
    if (!NT_SUCCESS(
            NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL)))
        return (NTSTATUS)0xdeadbeef;
    return Info.ExitStatus;
}

static VOID ThreadCreateWait(VOID)
{
    HANDLE Thread = NULL;
    ULONG Last = 0;

    CompatThreadSaw = 0;
    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                       (PVOID)CompatThreadMain, (PVOID)0x1234, 0, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &CompatWaitLimit), STATUS_SUCCESS);
    CHECK_EQ(CompatThreadSaw, 0x1234);
    CHECK_EQ(CompatExitStatus(Thread), COMPAT_THREAD_EXIT);
    CHECK_STATUS(NtQueryInformationThread((HANDLE)(LONG_PTR)-2, ThreadAmILastThread, &Last,
                                          sizeof(Last), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Last, 1);
    CHECK_STATUS(NtClose(Thread), STATUS_SUCCESS);
}

static VOID ThreadSuspendedResume(VOID)
{
    HANDLE Thread = NULL;
    ULONG Previous = 0;

    CompatThreadSaw = 0;
    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                       (PVOID)CompatThreadMain, (PVOID)0x77,
                                       THREAD_CREATE_SUSPENDED, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &CompatNoWait), STATUS_TIMEOUT);
    CHECK_EQ(CompatThreadSaw, 0);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &CompatWaitLimit), STATUS_SUCCESS);
    CHECK_EQ(CompatThreadSaw, 0x77);
    CHECK_STATUS(NtClose(Thread), STATUS_SUCCESS);
}

static VOID RtlThread(VOID)
{
    HANDLE Thread = NULL;
    CLIENT_ID Id = {0};

    CompatThreadSaw = CompatThreadId = 0;
    if (!CHECK_STATUS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0,
                                          (PVOID)CompatThreadMain, (PVOID)0x99, &Thread, &Id),
                      STATUS_SUCCESS))
        return;
    CHECK(Id.UniqueProcess == ((CLIENT_ID *)((PUCHAR)NtCurrentTeb() + 0x40))->UniqueProcess);
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &CompatWaitLimit), STATUS_SUCCESS);
    CHECK_EQ(CompatThreadSaw, 0x99);
    CHECK_EQ(CompatThreadId, (ULONG_PTR)Id.UniqueThread);
    CHECK_STATUS(NtClose(Thread), STATUS_SUCCESS);
}

static volatile ULONG CompatHandlerCalls;
static volatile ULONG_PTR CompatHandlerParameter;

static LONG NTAPI CompatVectoredHandler(PEXCEPTION_POINTERS Pointers)
{
    PEXCEPTION_RECORD Record = Pointers->ExceptionRecord;

    if (Record->ExceptionCode != COMPAT_EXCEPTION_CODE)
        return EXCEPTION_CONTINUE_SEARCH;
    CompatHandlerCalls++;
    CompatHandlerParameter = Record->NumberParameters == 1 ? Record->ExceptionInformation[0] : 0;
    return Pointers->ContextRecord != NULL ? EXCEPTION_CONTINUE_EXECUTION
                                           : EXCEPTION_CONTINUE_SEARCH;
}

static VOID VectoredContinue(VOID)
{
    EXCEPTION_RECORD Record;
    PVOID Handler;

    CompatHandlerCalls = 0;
    Handler = RtlAddVectoredExceptionHandler(1, CompatVectoredHandler);
    if (!CHECK(Handler != NULL))
        return;
    memset(&Record, 0, sizeof(Record));
    Record.ExceptionCode = COMPAT_EXCEPTION_CODE;
    Record.ExceptionFlags = 0; /* continuable */
    Record.NumberParameters = 1;
    Record.ExceptionInformation[0] = COMPAT_EXCEPTION_PARAMETER;
    RtlRaiseException(&Record);
    /* Here only because the handler continued the execution. */
    CHECK_EQ(CompatHandlerCalls, 1);
    CHECK_EQ(CompatHandlerParameter, COMPAT_EXCEPTION_PARAMETER);
    CHECK(RtlRemoveVectoredExceptionHandler(Handler) != 0);
}

NTSTATUS NTAPI NtProcessStartup(PVOID Peb)
{
    (void)Peb;
    CompatRun("thread_create_wait", ThreadCreateWait);
    CompatRun("thread_suspended_resume", ThreadSuspendedResume);
    CompatRun("rtl_create_user_thread", RtlThread);
    CompatRun("vectored_handler_continues", VectoredContinue);
    CompatFinish();
}
