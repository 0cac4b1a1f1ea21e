/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Delivery of exceptions to user mode (nt-abi §2.9). A fault that mm does
 * not resolve becomes an EXCEPTION_RECORD; ke writes the Windows frame onto
 * the faulting thread's stack (CONTEXT at the new rsp, CONTEXT_EX room at
 * +0x4d0, the record at +0x4f0, then a machine frame at +0x590) and resumes
 * the thread in ntdll's KiUserExceptionDispatcher with rsp at the CONTEXT.
 * When ntdll has no dispatcher (ps reports none) or the stack cannot take
 * the frame, the caller ends the process instead.
 *
 * FIXME: seL4 gives no access to another thread's x87/SSE state, so the
 * CONTEXT carries integer and control registers only (ContextFlags says so)
 * and default floating-point control words.
 */
#include "kep.h"

#define KI_FRAME_RECORD  0x4f0 /* EXCEPTION_RECORD after CONTEXT + CONTEXT_EX */
#define KI_FRAME_MACHINE 0x590 /* machine frame: Rip, Cs, EFlags, Rsp, Ss */
#define KI_FRAME_SIZE    (KI_FRAME_MACHINE + 5 * 8)
#define KI_EFLAGS_CLEAR  0x40500 /* TF, DF, AC */
#define KI_USER_CS       0x33    /* what Windows x64 user code sees */
#define KI_USER_SS       0x2b

#pragma weak PsGetUserExceptionDispatcher

typedef struct _KI_EXCEPTION_FRAME {
    CONTEXT Context;
    UCHAR ContextEx[KI_FRAME_RECORD - sizeof(CONTEXT)];
    EXCEPTION_RECORD Record;
    UCHAR Padding[KI_FRAME_MACHINE - KI_FRAME_RECORD - sizeof(EXCEPTION_RECORD)];
    ULONG64 MachineFrame[5];
} KI_EXCEPTION_FRAME;
_Static_assert(offsetof(KI_EXCEPTION_FRAME, Record) == KI_FRAME_RECORD, "record at +0x4f0");
_Static_assert(offsetof(KI_EXCEPTION_FRAME, MachineFrame) == KI_FRAME_MACHINE, "machine frame");
_Static_assert(sizeof(KI_EXCEPTION_FRAME) - KI_FRAME_SIZE < 16,
               "frame size (alignment padding only)");

static void KiContextFromRegisters(CONTEXT *Context, const seL4_UserContext *Regs)
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

NTSTATUS KiBuildExceptionFrame(PETHREAD Thread, ULONG_PTR Dispatcher, EXCEPTION_RECORD *Record)
{
    static KI_EXCEPTION_FRAME Frame; /* the loop's stack is small for 1.5 KiB */
    seL4_UserContext Regs;
    ULONG_PTR NewRsp;
    NTSTATUS Status;

    if (seL4_TCB_ReadRegisters(Thread->Tcb, false, 0, sizeof(Regs) / sizeof(seL4_Word), &Regs) !=
        seL4_NoError)
        return STATUS_INVALID_PARAMETER;
    if (Record->ExceptionCode == STATUS_BREAKPOINT)
        Regs.rip--; /* reported at the int3, as Windows does */
    Record->ExceptionAddress = (PVOID)Regs.rip;
    memset(&Frame, 0, sizeof(Frame));
    KiContextFromRegisters(&Frame.Context, &Regs);
    Frame.Record = *Record;
    NewRsp = ((Regs.rsp - sizeof(Frame.MachineFrame)) & ~15ull) - KI_FRAME_MACHINE;
    Frame.MachineFrame[0] = Regs.rip;
    Frame.MachineFrame[1] = KI_USER_CS;
    Frame.MachineFrame[2] = Regs.rflags;
    Frame.MachineFrame[3] = Regs.rsp;
    Frame.MachineFrame[4] = KI_USER_SS;
    if (Regs.rsp < KI_FRAME_SIZE + 16)
        return STATUS_STACK_OVERFLOW;
    Status = MmCopyToUser(Thread->Process, NewRsp, &Frame, KI_FRAME_SIZE); /* not the padding */
    if (!NT_SUCCESS(Status))
        return STATUS_STACK_OVERFLOW; /* no room for the frame: the process ends */
    Regs.rip = Dispatcher;
    Regs.rsp = NewRsp;
    Regs.rflags &= ~(seL4_Word)KI_EFLAGS_CLEAR;
    if (seL4_TCB_WriteRegisters(Thread->Tcb, false, 0, sizeof(Regs) / sizeof(seL4_Word), &Regs) !=
        seL4_NoError)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS KiDispatchUserException(PETHREAD Thread, EXCEPTION_RECORD *Record)
{
    ULONG_PTR Dispatcher = 0;

    if (PsGetUserExceptionDispatcher && Thread->Process)
        Dispatcher = PsGetUserExceptionDispatcher(Thread->Process);
    if (Dispatcher == 0)
        return STATUS_NOT_IMPLEMENTED;
    return KiBuildExceptionFrame(Thread, Dispatcher, Record);
}
