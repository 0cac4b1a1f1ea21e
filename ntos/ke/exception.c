/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Delivery of exceptions to user mode (nt-abi §2.9). A fault that mm does
 * not resolve becomes an EXCEPTION_RECORD; ke writes the Windows frame onto
 * the faulting thread's stack (CONTEXT at the new rsp, CONTEXT_EX room at
 * +0x4d0, the record at +0x4f0, then a machine frame at +0x590) and resumes
 * the thread in ntdll's KiUserExceptionDispatcher with rsp at the CONTEXT.
 * When ntdll has no dispatcher (ps reports none) or the stack cannot take
 * the frame, the caller ends the process instead. NtRaiseException raises
 * a software exception the same way (first chance) or ends the process
 * with its code (second chance, what ntdll does when no handler took it).
 *
 * seL4 gives no access to another thread's x87/SSE state, so the CONTEXT
 * of a fault carries integer and control registers only (ContextFlags says
 * so); ntdll's dispatcher adds the floating-point state, still the
 * thread's own when it starts.
 */
#include "kep.h"

#define KI_FRAME_RECORD  0x4f0 /* EXCEPTION_RECORD after CONTEXT + CONTEXT_EX */
#define KI_FRAME_MACHINE 0x590 /* machine frame: Rip, Cs, EFlags, Rsp, Ss */
#define KI_FRAME_SIZE    (KI_FRAME_MACHINE + 5 * 8)
#define KI_EFLAGS_CLEAR  0x40500 /* TF, DF, AC */
#define KI_USER_CS       0x33
#define KI_USER_SS       0x2b

#pragma weak PsGetUserExceptionDispatcher
#pragma weak PsTerminateProcess

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

static KI_EXCEPTION_FRAME KiFrame; /* the loop's stack is small for 1.5 KiB; nothing waits */

/* Write KiFrame (its Context and Record filled) below Context.Rsp and point
 * Regs at Dispatcher with rsp at the frame's CONTEXT. */
static NTSTATUS KiPushExceptionFrame(PETHREAD Thread, ULONG_PTR Dispatcher, seL4_UserContext *Regs)
{
    const CONTEXT *Context = &KiFrame.Context;
    ULONG_PTR NewRsp = ((Context->Rsp - sizeof(KiFrame.MachineFrame)) & ~15ull) - KI_FRAME_MACHINE;

    if (Context->Rsp < KI_FRAME_SIZE + 16)
        return STATUS_STACK_OVERFLOW;
    KiFrame.MachineFrame[0] = Context->Rip;
    KiFrame.MachineFrame[1] = KI_USER_CS;
    KiFrame.MachineFrame[2] = Context->EFlags;
    KiFrame.MachineFrame[3] = Context->Rsp;
    KiFrame.MachineFrame[4] = KI_USER_SS;
    if (!NT_SUCCESS(MmGrowUserStack(Thread, NewRsp, KI_FRAME_SIZE)) ||
        !NT_SUCCESS(MmCopyToUser(Thread->Process, NewRsp, &KiFrame, KI_FRAME_SIZE)))
        return STATUS_STACK_OVERFLOW; /* no room for the frame: the process ends */
    Regs->rip = Dispatcher;
    Regs->rsp = NewRsp;
    Regs->rflags &= ~(seL4_Word)KI_EFLAGS_CLEAR;
    return STATUS_SUCCESS;
}

NTSTATUS KiBuildExceptionFrame(PETHREAD Thread, ULONG_PTR Dispatcher, EXCEPTION_RECORD *Record)
{
    seL4_UserContext Regs;
    NTSTATUS Status = KiReadUserRegisters(Thread, false, &Regs);

    if (!NT_SUCCESS(Status))
        return STATUS_INVALID_PARAMETER;
    if (Record->ExceptionCode == STATUS_BREAKPOINT)
        Regs.rip--; /* reported at the int3, as Windows does */
    Record->ExceptionAddress = (PVOID)Regs.rip;
    memset(&KiFrame, 0, sizeof(KiFrame));
    KiContextFromRegisters(&KiFrame.Context, &Regs);
    KiFrame.Record = *Record;
    Status = KiPushExceptionFrame(Thread, Dispatcher, &Regs);
    if (NT_SUCCESS(Status))
        Status = KiWriteUserRegisters(Thread, &Regs, false);
    return Status;
}

static ULONG_PTR KiExceptionDispatcher(PETHREAD Thread)
{
    if (PsGetUserExceptionDispatcher && Thread->Process)
        return PsGetUserExceptionDispatcher(Thread->Process);
    return 0;
}

NTSTATUS KiDispatchUserException(PETHREAD Thread, EXCEPTION_RECORD *Record)
{
    ULONG_PTR Dispatcher = KiExceptionDispatcher(Thread);

    if (Dispatcher == 0)
        return STATUS_NOT_IMPLEMENTED;
    return KiBuildExceptionFrame(Thread, Dispatcher, Record);
}

/* No handler took the exception (or it cannot be raised): the process ends
 * with its code, as on Windows without a debugger. */
static void KiEndProcessWithException(PETHREAD Thread, const EXCEPTION_RECORD *Record)
{
    KePrint("ntos: unhandled exception 0x%08x at %p in thread %lx (%s); terminating\n",
            (unsigned)Record->ExceptionCode, Record->ExceptionAddress,
            (unsigned long)Thread->UniqueThreadId,
            Thread->Process ? Thread->Process->ImageName : "?");
    if (PsTerminateProcess && Thread->Process)
        PsTerminateProcess(Thread->Process, Record->ExceptionCode);
}

NTSTATUS NtRaiseException(const EXCEPTION_RECORD *ExceptionRecord, const CONTEXT *ContextRecord,
                          BOOLEAN FirstChance)
{
    PETHREAD Thread = KeGetCurrentThread();
    ULONG_PTR Dispatcher = KiExceptionDispatcher(Thread);
    seL4_UserContext Regs;
    NTSTATUS Status;

    if (ExceptionRecord->NumberParameters > EXCEPTION_MAXIMUM_PARAMETERS)
        return STATUS_INVALID_PARAMETER;
    if (!FirstChance || Dispatcher == 0) {
        KiEndProcessWithException(Thread, ExceptionRecord);
        return STATUS_SUCCESS; /* no reply reaches an ended thread */
    }
    Status = KiReadUserRegisters(Thread, true, &Regs);
    if (!NT_SUCCESS(Status))
        return Status;
    KiRegistersFromContext(&Regs, ContextRecord, CONTEXT_CONTROL | CONTEXT_INTEGER);
    /* The handlers see the caller's CONTEXT as given (floating point too),
     * with the control registers as the thread will really have them. */
    memset(&KiFrame, 0, sizeof(KiFrame));
    KiFrame.Context = *ContextRecord;
    KiContextFromRegisters(&KiFrame.Context, &Regs);
    KiFrame.Context.ContextFlags = ContextRecord->ContextFlags | CONTEXT_CONTROL | CONTEXT_INTEGER;
    if ((ContextRecord->ContextFlags & CONTEXT_FLOATING_POINT) == CONTEXT_FLOATING_POINT)
        KiFrame.Context.FltSave = ContextRecord->FltSave,
        KiFrame.Context.MxCsr = ContextRecord->MxCsr;
    KiFrame.Record = *ExceptionRecord;
    Status = KiPushExceptionFrame(Thread, Dispatcher, &Regs);
    if (!NT_SUCCESS(Status)) {
        KiEndProcessWithException(Thread, ExceptionRecord);
        return STATUS_SUCCESS;
    }
    return KiResumeCaller(Thread, &Regs);
}
