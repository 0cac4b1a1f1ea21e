/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A user thread's registers as NT sees them: the one place where a CONTEXT
 * becomes a seL4_UserContext and back, how a thread stopped in a service
 * call looks from outside, and the services that read and write contexts
 * (NtGetContextThread, NtSetContextThread, NtContinue).
 *
 * A thread in a service call is blocked in seL4_Call inside ntdll's
 * transport (ntdll/ntsvc.c). seL4 reports its restart point (the `syscall`
 * instruction) as rip and does not save rsp on a system call; the
 * transport keeps rsp in rbx. What Windows shows of such a thread is its
 * user state at the call, so rip is taken past the 2-byte `syscall` and rsp
 * from rbx. Resuming it with other registers (NtContinue, an APC) must not
 * go through a reply, whose message registers would overwrite the new
 * ones: WriteRegisters with resume restarts it and cancels the call (the
 * reply cap goes, so the loop's answer is dropped). When it is to look as
 * if the service had returned, KiSetServiceReturn writes what the reply
 * would have: r10 = MR0 = the status, rsi = the message info, rdi = 0.
 *
 * FIXME: seL4 gives ntos no access to a thread's x87/SSE or debug
 * registers: CONTEXT_FLOATING_POINT of another thread is reported as not
 * returned (the flag is cleared), and debug registers read as 0 and cannot
 * be set. A thread reading its own context keeps the flag: ntdll's
 * NtGetContextThread fills the x87/SSE part from the registers it still
 * holds (ntdll/exc/context.c). Setting it is not done (NtSetContextThread
 * ignores the part, as before).
 */
#include "kep.h"
#include <ob.h>
#include <svc.h>

#define KI_USER_CS         0x33 /* what Windows x64 user code sees */
#define KI_USER_SS         0x2b
#define KI_EFLAGS_USER     0x240cd5ull /* CF PF AF ZF SF DF OF AC ID */
#define KI_EFLAGS_FIXED    0x202ull    /* IF and the always-one bit */
#define KI_SYSCALL_LENGTH  2           /* 0f 05 */
#define KI_CONTEXT_KNOWN   (CONTEXT_ALL | CONTEXT_XSTATE)
#define THREAD_GET_CONTEXT 0x0008
#define THREAD_SET_CONTEXT 0x0010
#define KI_REGISTER_WORDS  (sizeof(seL4_UserContext) / sizeof(seL4_Word))

NTSTATUS KiReadUserRegisters(PETHREAD Thread, bool InCall, seL4_UserContext *Regs)
{
    if (Thread->Tcb == seL4_CapNull || Thread->Terminated)
        return STATUS_THREAD_IS_TERMINATING;
    if (seL4_TCB_ReadRegisters(Thread->Tcb, false, 0, KI_REGISTER_WORDS, Regs) != seL4_NoError)
        return STATUS_INVALID_PARAMETER;
    if (InCall) {
        Regs->rip += KI_SYSCALL_LENGTH;
        Regs->rsp = Regs->rbx;
    }
    return STATUS_SUCCESS;
}

NTSTATUS KiWriteUserRegisters(PETHREAD Thread, const seL4_UserContext *Regs, bool Resume)
{
    seL4_UserContext Copy = *Regs;

    if (Thread->Tcb == seL4_CapNull || Thread->Terminated)
        return STATUS_THREAD_IS_TERMINATING;
    if (seL4_TCB_WriteRegisters(Thread->Tcb, Resume, 0, KI_REGISTER_WORDS, &Copy) != seL4_NoError)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

void KiSetServiceReturn(seL4_UserContext *Regs, NTSTATUS Status)
{
    Regs->r10 = (seL4_Word)(ULONG)Status;
    Regs->rsi = seL4_MessageInfo_new(0, 0, 0, 1).words[0];
    Regs->rdi = 0;
}

void KiContextFromRegisters(CONTEXT *Context, const seL4_UserContext *Regs)
{
    Context->ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS;
    Context->SegCs = KI_USER_CS;
    Context->SegSs = Context->SegDs = Context->SegEs = KI_USER_SS;
    Context->SegFs = Context->SegGs = KI_USER_SS;
    Context->EFlags = (ULONG)Regs->rflags;
    Context->MxCsr = 0x1f80;
    Context->FltSave.ControlWord = 0x27f;
    Context->FltSave.MxCsr = 0x1f80;
    Context->Rax = Regs->rax, Context->Rcx = Regs->rcx, Context->Rdx = Regs->rdx;
    Context->Rbx = Regs->rbx, Context->Rsp = Regs->rsp, Context->Rbp = Regs->rbp;
    Context->Rsi = Regs->rsi, Context->Rdi = Regs->rdi;
    Context->R8 = Regs->r8, Context->R9 = Regs->r9, Context->R10 = Regs->r10;
    Context->R11 = Regs->r11, Context->R12 = Regs->r12, Context->R13 = Regs->r13;
    Context->R14 = Regs->r14, Context->R15 = Regs->r15;
    Context->Rip = Regs->rip;
}

/* The parts of Context that Flags names; segments are fixed on x64 and the
 * flags register keeps only what user code may change (TF stays off: seL4
 * has no single-step for ntos to report). */
void KiRegistersFromContext(seL4_UserContext *Regs, const CONTEXT *Context, ULONG Flags)
{
    if ((Flags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
        Regs->rip = Context->Rip;
        Regs->rsp = Context->Rsp;
        Regs->rbp = Context->Rbp;
        Regs->rflags = (Context->EFlags & KI_EFLAGS_USER) | KI_EFLAGS_FIXED;
    }
    if ((Flags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
        Regs->rax = Context->Rax, Regs->rcx = Context->Rcx, Regs->rdx = Context->Rdx;
        Regs->rbx = Context->Rbx, Regs->rsi = Context->Rsi, Regs->rdi = Context->Rdi;
        Regs->r8 = Context->R8, Regs->r9 = Context->R9, Regs->r10 = Context->R10;
        Regs->r11 = Context->R11, Regs->r12 = Context->R12, Regs->r13 = Context->R13;
        Regs->r14 = Context->R14, Regs->r15 = Context->R15;
        if ((Flags & CONTEXT_CONTROL) != CONTEXT_CONTROL)
            Regs->rbp = Context->Rbp; /* Windows counts rbp as integer too */
    }
}

/* Copy the Flags parts of Full into Out (NtGetContextThread). Self: the
 * caller reads its own context, whose x87/SSE part ntdll fills in (it
 * still holds it: ntdll/exc/context.c), so that flag stays. */
static void KiSelectContext(CONTEXT *Out, const CONTEXT *Full, ULONG Flags, bool Self)
{
    ULONG Kept = Self ? CONTEXT_FLOATING_POINT : CONTEXT_AMD64;

    if ((Flags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
        Out->SegCs = Full->SegCs, Out->SegSs = Full->SegSs, Out->EFlags = Full->EFlags;
        Out->Rip = Full->Rip, Out->Rsp = Full->Rsp, Out->Rbp = Full->Rbp;
    }
    if ((Flags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
        Out->Rax = Full->Rax, Out->Rcx = Full->Rcx, Out->Rdx = Full->Rdx;
        Out->Rbx = Full->Rbx, Out->Rbp = Full->Rbp, Out->Rsi = Full->Rsi, Out->Rdi = Full->Rdi;
        Out->R8 = Full->R8, Out->R9 = Full->R9, Out->R10 = Full->R10, Out->R11 = Full->R11;
        Out->R12 = Full->R12, Out->R13 = Full->R13, Out->R14 = Full->R14, Out->R15 = Full->R15;
    }
    if ((Flags & CONTEXT_SEGMENTS) == CONTEXT_SEGMENTS) {
        Out->SegDs = Full->SegDs, Out->SegEs = Full->SegEs;
        Out->SegFs = Full->SegFs, Out->SegGs = Full->SegGs;
    }
    if ((Flags & CONTEXT_DEBUG_REGISTERS) == CONTEXT_DEBUG_REGISTERS)
        Out->Dr0 = Out->Dr1 = Out->Dr2 = Out->Dr3 = Out->Dr6 = Out->Dr7 = 0;
    Out->ContextFlags =
        Flags & ~(CONTEXT_FLOATING_POINT & ~Kept) & ~(CONTEXT_XSTATE & ~CONTEXT_AMD64);
}

/* Resume the calling thread of the current request at Regs instead of
 * answering it (the loop's reply then finds no reply cap). */
NTSTATUS KiResumeCaller(PETHREAD Thread, const seL4_UserContext *Regs)
{
    return KiWriteUserRegisters(Thread, Regs, true);
}

/* Thread is stopped in a service call: its request is served or waits, or
 * its answer is held while it is suspended. */
static bool KiInCall(PETHREAD Thread)
{
    return Thread->Fiber != NULL || Thread->ReplyHeld;
}

static NTSTATUS KiReferenceThread(HANDLE Handle, ACCESS_MASK Access, PETHREAD *Thread)
{
    return ObReferenceObjectByHandle(Handle, PsThreadType, Access, (PVOID *)Thread);
}

NTSTATUS NtGetContextThread(HANDLE ThreadHandle, CONTEXT *ThreadContext)
{
    static CONTEXT Full; /* 1.2 KiB: not on a fiber's stack; nothing waits here */
    seL4_UserContext Regs;
    PETHREAD Thread;
    ULONG Flags = ThreadContext->ContextFlags;
    NTSTATUS Status = KiReferenceThread(ThreadHandle, THREAD_GET_CONTEXT, &Thread);

    if (!NT_SUCCESS(Status))
        return Status;
    if ((Flags & ~KI_CONTEXT_KNOWN) != 0 && (Flags & CONTEXT_AMD64)) {
        Status = STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (Thread->ContextPending && !Thread->Terminated)
        Regs = Thread->PendingContext; /* what it will run with */
    else
        Status = KiReadUserRegisters(Thread, KiInCall(Thread), &Regs);
    if (!NT_SUCCESS(Status))
        goto out;
    memset(&Full, 0, sizeof(Full));
    KiContextFromRegisters(&Full, &Regs);
    KiSelectContext(ThreadContext, &Full, Flags, Thread == KeGetCurrentThread());
out:
    ObDereferenceObject(Thread);
    return Status;
}

static NTSTATUS KiCheckSetContext(const CONTEXT *Context)
{
    ULONG Flags = Context->ContextFlags;

    if ((Flags & ~KI_CONTEXT_KNOWN) != 0 && (Flags & CONTEXT_AMD64))
        return STATUS_INVALID_PARAMETER;
    if ((Flags & CONTEXT_DEBUG_REGISTERS) == CONTEXT_DEBUG_REGISTERS &&
        (Context->Dr0 | Context->Dr1 | Context->Dr2 | Context->Dr3 | (Context->Dr7 & 0xff)))
        return STATUS_NOT_IMPLEMENTED; /* FIXME: no debug registers through seL4 */
    return STATUS_SUCCESS;
}

NTSTATUS NtSetContextThread(HANDLE ThreadHandle, const CONTEXT *ThreadContext)
{
    seL4_UserContext Regs;
    PETHREAD Thread;
    bool Self, InCall;
    NTSTATUS Status = KiReferenceThread(ThreadHandle, THREAD_SET_CONTEXT, &Thread);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = KiCheckSetContext(ThreadContext);
    if (!NT_SUCCESS(Status))
        goto out;
    Self = Thread == KeGetCurrentThread();
    InCall = Self || KiInCall(Thread);
    if (!Self && InCall && Thread->ContextPending)
        Regs = Thread->PendingContext; /* a second set goes on top of the first */
    else
        Status = KiReadUserRegisters(Thread, InCall, &Regs);
    if (!NT_SUCCESS(Status))
        goto out;
    if (InCall && !(!Self && Thread->ContextPending))
        KiSetServiceReturn(&Regs, STATUS_SUCCESS); /* if it goes on after the call */
    KiRegistersFromContext(&Regs, ThreadContext, ThreadContext->ContextFlags);
    if (Self) {
        Status = KiResumeCaller(Thread, &Regs);
    } else if (InCall) {
        /* Written now, a reply would overwrite the message registers (rsi,
         * rdi, r10...): the registers wait until its call returns, as
         * Windows applies a context when the thread leaves the kernel. */
        Thread->PendingContext = Regs;
        Thread->PendingFlags |= ThreadContext->ContextFlags;
        Thread->ContextPending = true;
    } else {
        Status = KiWriteUserRegisters(Thread, &Regs, false); /* used when it next runs */
    }
out:
    ObDereferenceObject(Thread);
    return Status;
}

NTSTATUS NtContinue(const CONTEXT *ContextRecord, BOOLEAN TestAlert)
{
    PETHREAD Thread = KeGetCurrentThread();
    seL4_UserContext Regs;
    NTSTATUS Status = KiCheckSetContext(ContextRecord);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = KiReadUserRegisters(Thread, true, &Regs);
    if (!NT_SUCCESS(Status))
        return Status;
    KiSetServiceReturn(&Regs, STATUS_SUCCESS); /* what a CONTEXT without INTEGER leaves */
    KiRegistersFromContext(&Regs, ContextRecord, ContextRecord->ContextFlags);
    if (TestAlert && Thread->Alerted)
        Thread->Alerted = false; /* as NtTestAlert: the alert, not the APCs */
    else if (TestAlert)
        KiDeliverUserApc(Thread, &Regs); /* the APC returns to the record's state */
    return KiResumeCaller(Thread, &Regs);
}

bool KiRedirectOnReturn(PETHREAD Thread, NTSTATUS Status)
{
    seL4_UserContext Regs;

    if (!Thread->ContextPending || Thread->Terminated)
        return KiDeliverApcOnReturn(Thread, Status);
    Regs = Thread->PendingContext;
    /* The integer registers the context did not set are the call's return. */
    if ((Thread->PendingFlags & CONTEXT_INTEGER & ~CONTEXT_AMD64) == 0)
        KiSetServiceReturn(&Regs, Status);
    Thread->ContextPending = false;
    Thread->PendingFlags = 0;
    if (Status == STATUS_USER_APC)
        KiDeliverUserApc(Thread, &Regs); /* the APC returns to the new state */
    return NT_SUCCESS(KiWriteUserRegisters(Thread, &Regs, true));
}
