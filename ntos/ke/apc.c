/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Alerts and user APCs (ke.h). Each thread has a FIFO of user APCs
 * (ETHREAD.UserApcHead/Tail, pool entries freed when they run or when the
 * thread ends) and an alerted flag. An APC runs when a request of its
 * thread ends with STATUS_USER_APC (an alertable wait that
 * KeAbortAlertableWait ended, or one KeCheckAlertable refused) or at
 * NtTestAlert / NtContinue(TestAlert): ntos then resumes the thread in
 * ntdll's KiUserApcDispatcher instead of answering, with the frame Windows
 * x64 builds on the user stack: a CONTEXT (the state the thread goes back
 * to: the service returning its status) whose P1Home..P4Home hold
 * Argument1, Argument2, Argument3 and the routine, then a machine frame.
 * The dispatcher calls the routine and NtContinue(Context, TRUE), which
 * delivers the next APC, if any, the same way.
 */
#include "kep.h"
#include <ob.h>
#include <svc.h>

#define KI_APC_TAG         0x6370414b /* 'KApc' */
#define KI_APC_EXPORT      "KiUserApcDispatcher"
#define KI_APC_MACHINE     sizeof(CONTEXT) /* machine frame after the CONTEXT */
#define KI_APC_FRAME_SIZE  (KI_APC_MACHINE + 5 * 8)
#define KI_EFLAGS_CLEAR    0x40500 /* TF, DF, AC */
#define THREAD_ALERT       0x0004
#define THREAD_SET_CONTEXT 0x0010

typedef struct _KUSER_APC {
    struct _KUSER_APC *Next;
    ULONG_PTR Routine, Argument1, Argument2, Argument3;
} KUSER_APC;

/* An alert comes first and leaves the APCs queued (Windows' order). */
NTSTATUS KeCheckAlertable(PETHREAD Thread)
{
    if (Thread->Alerted) {
        Thread->Alerted = false;
        return STATUS_ALERTED;
    }
    if (Thread->UserApcHead != NULL)
        return STATUS_USER_APC;
    return STATUS_SUCCESS;
}

NTSTATUS KeInsertUserApc(PETHREAD Thread, ULONG_PTR Routine, ULONG_PTR Argument1,
                         ULONG_PTR Argument2, ULONG_PTR Argument3)
{
    KUSER_APC *Apc;

    if (Thread->Terminated)
        return STATUS_THREAD_IS_TERMINATING;
    Apc = ExAllocatePoolWithTag(sizeof(*Apc), KI_APC_TAG);
    if (Apc == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Apc = (KUSER_APC){NULL, Routine, Argument1, Argument2, Argument3};
    if (Thread->UserApcTail != NULL)
        Thread->UserApcTail->Next = Apc;
    else
        Thread->UserApcHead = Apc;
    Thread->UserApcTail = Apc;
    KeAbortAlertableWait(Thread, STATUS_USER_APC);
    return STATUS_SUCCESS;
}

static KUSER_APC *KiRemoveUserApc(PETHREAD Thread)
{
    KUSER_APC *Apc = Thread->UserApcHead;

    if (Apc != NULL) {
        Thread->UserApcHead = Apc->Next;
        if (Thread->UserApcHead == NULL)
            Thread->UserApcTail = NULL;
    }
    return Apc;
}

void KiFlushUserApcs(PETHREAD Thread)
{
    KUSER_APC *Apc;

    while ((Apc = KiRemoveUserApc(Thread)) != NULL)
        ExFreePoolWithTag(Apc, KI_APC_TAG);
}

/* Name at user address Address equals Name (NUL included)? */
static bool KiUserNameIs(PEPROCESS Process, ULONG_PTR Address, const char *Name)
{
    char Copy[sizeof(KI_APC_EXPORT)];

    return NT_SUCCESS(MmCopyFromUser(Process, Copy, Address, sizeof(Copy))) &&
           memcmp(Copy, Name, sizeof(Copy)) == 0;
}

/* The address of ntdll's KiUserApcDispatcher in Process, read from its
 * export directory in user memory (0 if ntdll has none or it is damaged:
 * the process only hurts itself). */
static ULONG_PTR KiFindApcDispatcher(PEPROCESS Process)
{
    ULONG_PTR Base = Process->NtdllBase;
    ULONG Lfanew, Dir[2], Exp[10], NameRva, FunctionRva;
    USHORT Ordinal;

    if (Base == 0 || !NT_SUCCESS(MmCopyFromUser(Process, &Lfanew, Base + 0x3c, 4)) ||
        !NT_SUCCESS(MmCopyFromUser(Process, Dir, Base + Lfanew + 0x18 + 0x70, 8)) || Dir[0] == 0 ||
        !NT_SUCCESS(MmCopyFromUser(Process, Exp, Base + Dir[0], sizeof(Exp))))
        return 0;
    /* Exp[6] names, Exp[7] functions, Exp[8] name RVAs, Exp[9] ordinals. */
    for (ULONG i = 0; i < Exp[6]; i++) {
        if (!NT_SUCCESS(MmCopyFromUser(Process, &NameRva, Base + Exp[8] + i * 4ull, 4)))
            return 0;
        if (!KiUserNameIs(Process, Base + NameRva, KI_APC_EXPORT))
            continue;
        if (!NT_SUCCESS(MmCopyFromUser(Process, &Ordinal, Base + Exp[9] + i * 2ull, 2)) ||
            Ordinal >= Exp[5] ||
            !NT_SUCCESS(MmCopyFromUser(Process, &FunctionRva, Base + Exp[7] + Ordinal * 4ull, 4)))
            return 0;
        return FunctionRva ? Base + FunctionRva : 0;
    }
    return 0;
}

bool KiDeliverUserApc(PETHREAD Thread, seL4_UserContext *Regs)
{
    static struct {
        CONTEXT Context;
        ULONG64 MachineFrame[5];
    } Frame; /* 1.2 KiB: not on a fiber's stack; nothing waits here */
    ULONG_PTR Dispatcher, NewRsp;
    KUSER_APC *Apc;

    if (Thread->UserApcHead == NULL || Thread->Process == NULL)
        return false;
    Dispatcher = KiFindApcDispatcher(Thread->Process);
    Apc = KiRemoveUserApc(Thread);
    memset(&Frame, 0, sizeof(Frame));
    KiContextFromRegisters(&Frame.Context, Regs);
    Frame.Context.P1Home = Apc->Argument1;
    Frame.Context.P2Home = Apc->Argument2;
    Frame.Context.P3Home = Apc->Argument3;
    Frame.Context.P4Home = Apc->Routine;
    Frame.MachineFrame[0] = Regs->rip, Frame.MachineFrame[1] = Frame.Context.SegCs;
    Frame.MachineFrame[2] = Regs->rflags, Frame.MachineFrame[3] = Regs->rsp;
    Frame.MachineFrame[4] = Frame.Context.SegSs;
    ExFreePoolWithTag(Apc, KI_APC_TAG);
    NewRsp = ((Regs->rsp - sizeof(Frame.MachineFrame)) & ~15ull) - KI_APC_MACHINE;
    if (Dispatcher == 0 || Regs->rsp < KI_APC_FRAME_SIZE + 16 ||
        !NT_SUCCESS(MmGrowUserStack(Thread, NewRsp, KI_APC_FRAME_SIZE)) ||
        !NT_SUCCESS(MmCopyToUser(Thread->Process, NewRsp, &Frame, KI_APC_FRAME_SIZE))) {
        KePrint("ntos: user APC of thread %lx dropped (no dispatcher or no stack room)\n",
                (unsigned long)Thread->UniqueThreadId);
        return false;
    }
    Regs->rip = Dispatcher;
    Regs->rsp = NewRsp;
    Regs->rflags &= ~(seL4_Word)KI_EFLAGS_CLEAR;
    return true;
}

bool KiDeliverApcOnReturn(PETHREAD Thread, NTSTATUS Status)
{
    seL4_UserContext Regs;

    if (Status != STATUS_USER_APC || Thread->UserApcHead == NULL || Thread->Terminated)
        return false;
    if (!NT_SUCCESS(KiReadUserRegisters(Thread, true, &Regs)))
        return false;
    KiSetServiceReturn(&Regs, Status);
    return KiDeliverUserApc(Thread, &Regs) && NT_SUCCESS(KiResumeCaller(Thread, &Regs));
}

NTSTATUS NtQueueApcThread(HANDLE ThreadHandle, USER_ADDRESS ApcRoutine, USER_ADDRESS ApcArgument1,
                          USER_ADDRESS ApcArgument2, USER_ADDRESS ApcArgument3)
{
    PETHREAD Thread;
    NTSTATUS Status;

    Status =
        ObReferenceObjectByHandle(ThreadHandle, PsThreadType, THREAD_SET_CONTEXT, (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Without a routine Windows makes a kernel APC that only frees itself:
     * accepted, nothing runs in the thread. */
    if (ApcRoutine.Value != 0)
        Status = KeInsertUserApc(Thread, ApcRoutine.Value, ApcArgument1.Value, ApcArgument2.Value,
                                 ApcArgument3.Value);
    ObDereferenceObject(Thread);
    return Status;
}

/* As Windows: an alert is reported (and cleared) instead of running the
 * APCs, which stay queued for the next alertable point. */
NTSTATUS NtTestAlert(void)
{
    PETHREAD Thread = KeGetCurrentThread();
    seL4_UserContext Regs;

    if (Thread->Alerted) {
        Thread->Alerted = false;
        return STATUS_ALERTED;
    }
    if (Thread->UserApcHead == NULL || !NT_SUCCESS(KiReadUserRegisters(Thread, true, &Regs)))
        return STATUS_SUCCESS;
    KiSetServiceReturn(&Regs, STATUS_SUCCESS); /* after the APCs, NtTestAlert returns */
    if (KiDeliverUserApc(Thread, &Regs))
        KiResumeCaller(Thread, &Regs);
    return STATUS_SUCCESS;
}

NTSTATUS NtAlertThread(HANDLE ThreadHandle)
{
    PETHREAD Thread;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(ThreadHandle, PsThreadType, THREAD_ALERT, (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    Thread->Alerted = true;
    KeAbortAlertableWait(Thread, STATUS_ALERTED);
    ObDereferenceObject(Thread);
    return STATUS_SUCCESS;
}
