/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * __C_specific_handler: the language handler compilers name in the unwind
 * info of functions with __try blocks (the handler data is a SCOPE_TABLE).
 * While dispatching it runs the filter of each __except scope holding the
 * address (HandlerAddress 1 means EXCEPTION_EXECUTE_HANDLER) and, for the
 * first that says execute, unwinds to that frame with the handler's
 * address as the target and the exception code as the return value. While
 * unwinding it calls the __finally blocks (JumpTarget 0) of the scopes
 * the unwind leaves, up to the target's scope.
 */
#include "excp.h"

typedef LONG(NTAPI *RTLP_EXCEPTION_FILTER)(PEXCEPTION_POINTERS ExceptionPointers, PVOID Frame);
typedef VOID(NTAPI *RTLP_TERMINATION_HANDLER)(BOOLEAN AbnormalTermination, PVOID Frame);

static BOOLEAN RtlpInScope(const SCOPE_TABLE *Table, ULONG i, ULONG64 Rva)
{
    return Rva >= Table->ScopeRecord[i].BeginAddress && Rva < Table->ScopeRecord[i].EndAddress;
}

static EXCEPTION_DISPOSITION RtlpRunFilters(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                            PDISPATCHER_CONTEXT Dc)
{
    const SCOPE_TABLE *Table = Dc->HandlerData;
    ULONG64 Rva = Dc->ControlPc - Dc->ImageBase;
    EXCEPTION_POINTERS Pointers = {Record, Context};

    for (ULONG i = Dc->ScopeIndex; i < Table->Count; i++) {
        ULONG Filter = Table->ScopeRecord[i].HandlerAddress;
        LONG Verdict;
        if (!RtlpInScope(Table, i, Rva) || Table->ScopeRecord[i].JumpTarget == 0)
            continue; /* another scope, or a __finally */
        Verdict = Filter == 1 ? EXCEPTION_EXECUTE_HANDLER
                              : ((RTLP_EXCEPTION_FILTER)(Dc->ImageBase + Filter))(&Pointers, Frame);
        if (Verdict < 0)
            return ExceptionContinueExecution;
        if (Verdict > 0)
            RtlUnwindEx(Frame, (PVOID)(Dc->ImageBase + Table->ScopeRecord[i].JumpTarget), Record,
                        (PVOID)(ULONG_PTR)(ULONG)Record->ExceptionCode, Dc->ContextRecord,
                        Dc->HistoryTable); /* does not return */
    }
    return ExceptionContinueSearch;
}

static EXCEPTION_DISPOSITION RtlpRunTerminationHandlers(PEXCEPTION_RECORD Record, PVOID Frame,
                                                        PDISPATCHER_CONTEXT Dc)
{
    const SCOPE_TABLE *Table = Dc->HandlerData;
    ULONG64 Rva = Dc->ControlPc - Dc->ImageBase, Target = Dc->TargetIp - Dc->ImageBase;

    for (ULONG i = Dc->ScopeIndex; i < Table->Count; i++) {
        if (!RtlpInScope(Table, i, Rva))
            continue;
        /* At the target frame, stop at the scope the target lies in: that
         * one is not left (its __except block is where the unwind goes). */
        if ((Record->ExceptionFlags & EXCEPTION_TARGET_UNWIND) && RtlpInScope(Table, i, Target))
            break;
        if ((Record->ExceptionFlags & EXCEPTION_TARGET_UNWIND) &&
            Table->ScopeRecord[i].JumpTarget == Target)
            break;
        if (Table->ScopeRecord[i].JumpTarget != 0)
            continue;           /* an __except: nothing runs when it is left */
        Dc->ScopeIndex = i + 1; /* a collided unwind resumes after this one */
        ((RTLP_TERMINATION_HANDLER)(Dc->ImageBase + Table->ScopeRecord[i].HandlerAddress))(TRUE,
                                                                                           Frame);
    }
    return ExceptionContinueSearch;
}

EXCEPTION_DISPOSITION __C_specific_handler(PEXCEPTION_RECORD ExceptionRecord,
                                           PVOID EstablisherFrame, PCONTEXT ContextRecord,
                                           PDISPATCHER_CONTEXT DispatcherContext)
{
    if (ExceptionRecord->ExceptionFlags & EXCEPTION_UNWIND)
        return RtlpRunTerminationHandlers(ExceptionRecord, EstablisherFrame, DispatcherContext);
    return RtlpRunFilters(ExceptionRecord, EstablisherFrame, ContextRecord, DispatcherContext);
}
