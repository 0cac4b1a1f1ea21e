/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unwinding (Windows x64): RtlUnwindEx walks from its caller up to a
 * target frame, calling the termination handlers (UNW_FLAG_UHANDLER) of
 * every frame it leaves with EXCEPTION_UNWINDING (and
 * EXCEPTION_TARGET_UNWIND at the target), then continues at TargetIp in
 * the target frame with ReturnValue in rax. An unwind that meets an
 * unwind already in progress (a termination handler that unwinds)
 * collides: it takes over the older one's position and handler
 * (EXCEPTION_COLLIDED_UNWIND). RtlRestoreContext loads a CONTEXT, after a
 * longjmp's or a consolidation's record if one is given.
 */
#include "excp.h"

/* _JUMP_BUFFER of setjmp/longjmp on x64 (STATUS_LONGJUMP's information). */
typedef struct _RTLP_JUMP_BUFFER {
    ULONG64 Frame, Rbx, Rsp, Rbp, Rsi, Rdi, R12, R13, R14, R15, Rip;
    ULONG MxCsr;
    USHORT FpCsr, Spare;
    M128A Xmm6, Xmm7, Xmm8, Xmm9, Xmm10, Xmm11, Xmm12, Xmm13, Xmm14, Xmm15;
} RTLP_JUMP_BUFFER;

typedef PVOID(NTAPI *RTLP_CONSOLIDATE_CALLBACK)(PEXCEPTION_RECORD ExceptionRecord);

static VOID RtlpApplyJumpBuffer(PCONTEXT Context, const RTLP_JUMP_BUFFER *Jump)
{
    Context->Rbx = Jump->Rbx, Context->Rsp = Jump->Rsp, Context->Rbp = Jump->Rbp;
    Context->Rsi = Jump->Rsi, Context->Rdi = Jump->Rdi, Context->R12 = Jump->R12;
    Context->R13 = Jump->R13, Context->R14 = Jump->R14, Context->R15 = Jump->R15;
    Context->Rip = Jump->Rip;
    Context->Xmm6 = Jump->Xmm6, Context->Xmm7 = Jump->Xmm7, Context->Xmm8 = Jump->Xmm8;
    Context->Xmm9 = Jump->Xmm9, Context->Xmm10 = Jump->Xmm10, Context->Xmm11 = Jump->Xmm11;
    Context->Xmm12 = Jump->Xmm12, Context->Xmm13 = Jump->Xmm13, Context->Xmm14 = Jump->Xmm14;
    Context->Xmm15 = Jump->Xmm15;
}

VOID NTAPI RtlRestoreContext(PCONTEXT ContextRecord, PEXCEPTION_RECORD ExceptionRecord)
{
    if (ExceptionRecord && ExceptionRecord->ExceptionCode == STATUS_LONGJUMP &&
        ExceptionRecord->NumberParameters >= 1)
        RtlpApplyJumpBuffer(ContextRecord,
                            (const RTLP_JUMP_BUFFER *)ExceptionRecord->ExceptionInformation[0]);
    else if (ExceptionRecord && ExceptionRecord->ExceptionCode == STATUS_UNWIND_CONSOLIDATE &&
             ExceptionRecord->NumberParameters >= 1) {
        /* The callback (C++ catch blocks) runs on this stack and says
         * where the target frame goes on. */
        RTLP_CONSOLIDATE_CALLBACK Callback =
            (RTLP_CONSOLIDATE_CALLBACK)ExceptionRecord->ExceptionInformation[0];
        ContextRecord->Rip = (ULONG64)Callback(ExceptionRecord);
    }
    RtlpRestoreContextRegisters(ContextRecord);
}

/* Call the termination handler of the frame in Dc (Context is that frame's
 * state); a collision makes Dc and Context the older unwind's. */
static VOID RtlpCallUnwindHandler(PEXCEPTION_RECORD Record, PCONTEXT Context,
                                  PDISPATCHER_CONTEXT Dc, PCONTEXT Walk)
{
    EXCEPTION_DISPOSITION Disposition;
    PVOID HandlerData;
    ULONG64 Frame;

    for (;;) {
        Disposition = RtlpExecuteHandlerForUnwind(Record, (PVOID)Dc->EstablisherFrame, Context, Dc);
        Record->ExceptionFlags &= ~(EXCEPTION_COLLIDED_UNWIND | EXCEPTION_TARGET_UNWIND);
        if (Disposition == ExceptionContinueSearch)
            return;
        if (Disposition != ExceptionCollidedUnwind) {
            EXCEPTION_RECORD Nested = {.ExceptionCode = STATUS_INVALID_DISPOSITION,
                                       .ExceptionFlags = EXCEPTION_NONCONTINUABLE,
                                       .ExceptionRecord = Record};
            RtlRaiseException(&Nested);
            return;
        }
        /* Go on from where the older unwind was: its frame's handler again. */
        *Context = *Dc->ContextRecord;
        *Walk = *Context;
        RtlVirtualUnwind(UNW_FLAG_NHANDLER, Dc->ImageBase, Dc->ControlPc, Dc->FunctionEntry, Walk,
                         &HandlerData, &Frame, NULL);
        Dc->ContextRecord = Context;
        Record->ExceptionFlags |= EXCEPTION_COLLIDED_UNWIND;
    }
}

static __attribute__((noreturn)) VOID RtlpRaiseUnwindError(NTSTATUS Status)
{
    for (;;)
        RtlRaiseStatus(Status);
}

VOID NTAPI RtlUnwindEx(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord,
                       PVOID ReturnValue, PCONTEXT ContextRecord,
                       PUNWIND_HISTORY_TABLE HistoryTable)
{
    EXCEPTION_RECORD LocalRecord;
    DISPATCHER_CONTEXT Dc;
    ULONG64 Low, High, Frame;
    PEXCEPTION_ROUTINE Handler;
    CONTEXT Walk;

    RtlpGetStackLimits(&Low, &High);
    RtlCaptureContext(ContextRecord);
    /* Leave RtlUnwindEx's own frame first. */
    RtlpUnwindFrame(UNW_FLAG_NHANDLER, ContextRecord, &Dc, HistoryTable);
    if (ExceptionRecord == NULL) {
        LocalRecord = (EXCEPTION_RECORD){.ExceptionCode = STATUS_UNWIND,
                                         .ExceptionAddress = (PVOID)ContextRecord->Rip};
        ExceptionRecord = &LocalRecord;
    }
    ExceptionRecord->ExceptionFlags |= EXCEPTION_UNWINDING;
    if (TargetFrame == NULL)
        ExceptionRecord->ExceptionFlags |= EXCEPTION_EXIT_UNWIND;
    for (;;) {
        if (!RtlpIsStackAddress(ContextRecord->Rsp, Low, High) ||
            !RtlpIsCodeAddress(ContextRecord->Rip)) {
            if (TargetFrame != NULL)
                RtlpRaiseUnwindError(STATUS_INVALID_UNWIND_TARGET);
            break; /* an exit unwind ran every handler */
        }
        Walk = *ContextRecord;
        Handler = RtlpUnwindFrame(UNW_FLAG_UHANDLER, &Walk, &Dc, HistoryTable);
        Frame = Dc.EstablisherFrame;
        if (!RtlpIsStackAddress(Frame, Low, High) || Walk.Rsp <= ContextRecord->Rsp)
            RtlpRaiseUnwindError(STATUS_BAD_STACK); /* corrupt unwind data */
        if (TargetFrame != NULL && Frame > (ULONG64)TargetFrame)
            RtlpRaiseUnwindError(STATUS_INVALID_UNWIND_TARGET); /* passed it */
        if (Handler != NULL) {
            if (Frame == (ULONG64)TargetFrame)
                ExceptionRecord->ExceptionFlags |= EXCEPTION_TARGET_UNWIND;
            Dc.ContextRecord = ContextRecord;
            Dc.LanguageHandler = Handler;
            Dc.HistoryTable = HistoryTable;
            Dc.TargetIp = (ULONG64)TargetIp;
            Dc.ScopeIndex = 0;
            RtlpCallUnwindHandler(ExceptionRecord, ContextRecord, &Dc, &Walk);
            Frame = Dc.EstablisherFrame;
        }
        if (Frame == (ULONG64)TargetFrame)
            break; /* the target frame goes on at TargetIp */
        *ContextRecord = Walk;
    }
    ContextRecord->Rax = (ULONG64)ReturnValue;
    if (ExceptionRecord->ExceptionCode != STATUS_UNWIND_CONSOLIDATE)
        ContextRecord->Rip = (ULONG64)TargetIp;
    RtlRestoreContext(ContextRecord, ExceptionRecord);
}

VOID NTAPI RtlUnwind(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord,
                     PVOID ReturnValue)
{
    CONTEXT Context;

    RtlUnwindEx(TargetFrame, TargetIp, ExceptionRecord, ReturnValue, &Context, NULL);
}
