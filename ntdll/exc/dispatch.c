/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exception dispatching in user mode (Windows x64): what ntdll's
 * KiUserExceptionDispatcher does with the record and CONTEXT ntos leaves
 * on the stack, RtlDispatchException (the vectored handlers, then the
 * frame-based handlers found through .pdata, walking the stack with
 * virtual unwinding), and the raising of software exceptions. An
 * exception no handler takes goes back to ntos as a second chance
 * (NtRaiseException with FirstChance FALSE), which ends the process with
 * its code.
 */
#include "excp.h"

/* An exception of the dispatcher itself (a bad disposition, a
 * noncontinuable exception continued): raised, noncontinuable, with the
 * original chained. A vectored handler may still continue it. */
static VOID RtlpRaiseNested(NTSTATUS Status, PEXCEPTION_RECORD ExceptionRecord)
{
    EXCEPTION_RECORD Nested = {.ExceptionCode = Status,
                               .ExceptionFlags = EXCEPTION_NONCONTINUABLE,
                               .ExceptionRecord = ExceptionRecord};

    RtlRaiseException(&Nested);
}

/* Call a frame's language handler; what its disposition means for the
 * search. TRUE: the exception is handled (continue execution). */
static BOOLEAN RtlpCallFrameHandler(PEXCEPTION_RECORD Record, PCONTEXT Context,
                                    PDISPATCHER_CONTEXT Dc, PULONG64 NestedFrame)
{
    EXCEPTION_DISPOSITION Disposition;

    Disposition = RtlpExecuteHandlerForException(Record, (PVOID)Dc->EstablisherFrame, Context, Dc);
    if (*NestedFrame == Dc->EstablisherFrame) {
        /* Past the frame of the handler that raised the nested exception. */
        Record->ExceptionFlags &= ~EXCEPTION_NESTED_CALL;
        *NestedFrame = 0;
    }
    switch (Disposition) {
    case ExceptionContinueExecution:
        if (!(Record->ExceptionFlags & EXCEPTION_NONCONTINUABLE))
            return TRUE;
        RtlpRaiseNested(STATUS_NONCONTINUABLE_EXCEPTION, Record);
        return FALSE;
    case ExceptionContinueSearch:
        return FALSE;
    case ExceptionNestedException:
        /* Raised inside a handler: the frames up to that dispatch's
         * handler frame (now in Dc) were already searched. */
        Record->ExceptionFlags |= EXCEPTION_NESTED_CALL;
        if (Dc->EstablisherFrame > *NestedFrame)
            *NestedFrame = Dc->EstablisherFrame;
        return FALSE;
    default: /* ExceptionCollidedUnwind cannot happen while dispatching */
        RtlpRaiseNested(STATUS_INVALID_DISPOSITION, Record);
        return FALSE;
    }
}

BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord)
{
    UNWIND_HISTORY_TABLE History = {0};
    DISPATCHER_CONTEXT Dc;
    ULONG64 Low, High, NestedFrame = 0;
    PEXCEPTION_ROUTINE Handler;
    CONTEXT Walk;
    BOOLEAN Handled = FALSE;

    if (RtlpCallVectoredHandlers(ExceptionRecord, ContextRecord, FALSE)) {
        Handled = TRUE;
        goto out;
    }
    RtlpGetStackLimits(&Low, &High);
    Walk = *ContextRecord;
    while (RtlpIsStackAddress(Walk.Rsp, Low, High) && RtlpIsCodeAddress(Walk.Rip)) {
        ULONG64 Rsp = Walk.Rsp;
        Handler = RtlpUnwindFrame(UNW_FLAG_EHANDLER, &Walk, &Dc, &History);
        /* Each frame is above the one before: unwind data that goes down
         * (or nowhere) is corrupt, and following it would never end. */
        if (!RtlpIsStackAddress(Dc.EstablisherFrame, Low, High) || Walk.Rsp <= Rsp) {
            ExceptionRecord->ExceptionFlags |= EXCEPTION_STACK_INVALID;
            break;
        }
        if (Handler == NULL)
            continue;
        Dc.ContextRecord = &Walk;
        Dc.LanguageHandler = Handler;
        Dc.HistoryTable = &History;
        Dc.TargetIp = 0;
        Dc.ScopeIndex = 0;
        if (RtlpCallFrameHandler(ExceptionRecord, ContextRecord, &Dc, &NestedFrame)) {
            Handled = TRUE;
            break;
        }
    }
out:
    if (Handled)
        RtlpCallVectoredHandlers(ExceptionRecord, ContextRecord, TRUE);
    return Handled;
}

/* KiUserExceptionDispatcher (entry.S) with the frame ntos wrote. */
VOID RtlpDispatchUserException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord)
{
    NTSTATUS Status;

    /* Handled: the CONTEXT is loaded here, floating point included (which
     * NtContinue could not restore: seL4 gives ntos no access to it). */
    if (RtlDispatchException(ExceptionRecord, ContextRecord))
        RtlRestoreContext(ContextRecord, NULL);
    Status = NtRaiseException(ExceptionRecord, ContextRecord, FALSE);
    for (;;)
        RtlpRaiseNested(Status, ExceptionRecord); /* only if the service failed */
}

/* The record raised with the caller's state: the CONTEXT is captured here
 * and unwound one frame, so it is the caller's just after its call. It
 * returns through RtlRestoreContext only, so the compiler must not conclude that
 * it never returns (noipa): callers go on after it. */
__attribute__((noipa)) VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord)
{
    CONTEXT Context;
    ULONG64 ImageBase, Frame;
    PRUNTIME_FUNCTION Entry;
    PVOID HandlerData;
    NTSTATUS Status;

    RtlCaptureContext(&Context);
    Entry = RtlLookupFunctionEntry(Context.Rip, &ImageBase, NULL);
    if (Entry != NULL)
        RtlVirtualUnwind(UNW_FLAG_NHANDLER, ImageBase, Context.Rip, Entry, &Context, &HandlerData,
                         &Frame, NULL);
    ExceptionRecord->ExceptionAddress = (PVOID)Context.Rip;
    Context.ContextFlags = CONTEXT_FULL | CONTEXT_SEGMENTS;
    if (RtlDispatchException(ExceptionRecord, &Context))
        RtlRestoreContext(&Context, NULL); /* with what handlers changed, floating point too */
    Status = NtRaiseException(ExceptionRecord, &Context, FALSE);
    for (;;)
        RtlpRaiseNested(Status, ExceptionRecord); /* only if the service failed */
}

VOID NTAPI RtlRaiseStatus(NTSTATUS Status)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = Status, .ExceptionFlags = EXCEPTION_NONCONTINUABLE};

    RtlRaiseException(&Record);
}

/* entry.S's guard frames call these when an exception or an unwind
 * meets them: Frame + 32 holds the DISPATCHER_CONTEXT of the dispatch or
 * unwind that called the handler they guard. */
EXCEPTION_DISPOSITION RtlpNestedExceptionHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                 PCONTEXT Context, PDISPATCHER_CONTEXT Dc)
{
    PDISPATCHER_CONTEXT Outer = *(PDISPATCHER_CONTEXT *)((PUCHAR)Frame + 32);

    (void)Context;
    if (Record->ExceptionFlags & EXCEPTION_UNWIND)
        return ExceptionContinueSearch;
    Dc->EstablisherFrame = Outer->EstablisherFrame;
    return ExceptionNestedException;
}

EXCEPTION_DISPOSITION RtlpCollidedUnwindHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                PCONTEXT Context, PDISPATCHER_CONTEXT Dc)
{
    PDISPATCHER_CONTEXT Outer = *(PDISPATCHER_CONTEXT *)((PUCHAR)Frame + 32);

    (void)Context;
    if (!(Record->ExceptionFlags & EXCEPTION_UNWIND))
        return ExceptionContinueSearch;
    Dc->ControlPc = Outer->ControlPc;
    Dc->ImageBase = Outer->ImageBase;
    Dc->FunctionEntry = Outer->FunctionEntry;
    Dc->EstablisherFrame = Outer->EstablisherFrame;
    Dc->ContextRecord = Outer->ContextRecord;
    Dc->LanguageHandler = Outer->LanguageHandler;
    Dc->HandlerData = Outer->HandlerData;
    Dc->HistoryTable = Outer->HistoryTable;
    Dc->ScopeIndex = Outer->ScopeIndex;
    return ExceptionCollidedUnwind;
}
