/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System threads: PsCreateSystemThread starts an NT thread of the driver
 * process (ke/thread.c's KiCreateThread over RtlCreateUserThread) that
 * runs the start routine at PASSIVE_LEVEL with its KTHREAD set up, and
 * ends it when the routine returns or calls PsTerminateSystemThread. The
 * handle returned is an NT thread handle of the process; waits on the
 * thread go through ObReferenceObjectByHandle(PsThreadType) and the
 * thread's dispatcher header. Other processes cannot host a thread of
 * this driver: ProcessHandle must be NULL or NtCurrentProcess().
 */
#include "ntoskrnl.h"

NTKRNL_EXPORT NTSTATUS NTAPI PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                                                  POBJECT_ATTRIBUTES ObjectAttributes,
                                                  HANDLE ProcessHandle, PCLIENT_ID ClientId,
                                                  PKSTART_ROUTINE StartRoutine, PVOID StartContext)
{
    if (!ThreadHandle || !StartRoutine)
        return STATUS_INVALID_PARAMETER;
    if (ProcessHandle && ProcessHandle != NtCurrentProcess())
        return STATUS_NOT_IMPLEMENTED; /* a thread in another process: not possible here */
    return KiCreateThread(StartRoutine, StartContext, ThreadHandle, ClientId, NULL);
}

NTKRNL_EXPORT NTSTATUS NTAPI PsTerminateSystemThread(NTSTATUS ExitStatus)
{
    if (!KiCurrentThread()->SystemThread)
        return STATUS_INVALID_PARAMETER;
    KiExitThread(ExitStatus);
}

#undef PsGetCurrentThread
NTKRNL_EXPORT PETHREAD NTAPI PsGetCurrentThread(VOID)
{
    return (PETHREAD)KiCurrentThread();
}

NTKRNL_EXPORT HANDLE NTAPI PsGetCurrentThreadId(VOID)
{
    return KiReadTebPointer(0x48);
}

NTKRNL_EXPORT HANDLE NTAPI PsGetCurrentProcessId(VOID)
{
    return KiReadTebPointer(0x40);
}

NTKRNL_EXPORT HANDLE NTAPI PsGetThreadId(PETHREAD Thread)
{
    return Thread->Tcb.Cid.UniqueThread;
}

NTKRNL_EXPORT HANDLE NTAPI PsGetThreadProcessId(PETHREAD Thread)
{
    return Thread->Tcb.Cid.UniqueProcess;
}

NTKRNL_EXPORT PEPROCESS NTAPI PsGetThreadProcess(PETHREAD Thread)
{
    return KiGetCurrentProcess();
}

NTKRNL_EXPORT BOOLEAN NTAPI PsIsSystemThread(PETHREAD Thread)
{
    return Thread->Tcb.SystemThread;
}

NTKRNL_EXPORT BOOLEAN NTAPI PsIsThreadTerminating(PETHREAD Thread)
{
    return Thread->Tcb.Header.SignalState != 0;
}

NTKRNL_EXPORT PVOID NTAPI PsGetCurrentThreadTeb(VOID)
{
    return KiReadTebPointer(0x30);
}

NTKRNL_EXPORT PVOID NTAPI PsGetThreadTeb(PETHREAD Thread)
{
    return Thread->Tcb.Teb;
}
