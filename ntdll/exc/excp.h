/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ntdll's exception support (ntdll/exc/): the x64
 * records of unwinding that include/nt does not carry (the history table,
 * the context pointers, the C scope table) and the routines the files of
 * this folder share. The exported routines keep Windows' signatures.
 */
#pragma once

#include "../ntdllp.h"
#include <nt/image.h>

#define UNWIND_HISTORY_TABLE_SIZE 12

typedef struct _UNWIND_HISTORY_TABLE_ENTRY {
    ULONG64 ImageBase;
    PRUNTIME_FUNCTION FunctionEntry;
} UNWIND_HISTORY_TABLE_ENTRY;

typedef struct _UNWIND_HISTORY_TABLE {
    ULONG Count;
    UCHAR LocalHint, GlobalHint, Search, Once;
    ULONG64 LowAddress, HighAddress;
    UNWIND_HISTORY_TABLE_ENTRY Entry[UNWIND_HISTORY_TABLE_SIZE];
} UNWIND_HISTORY_TABLE, *PUNWIND_HISTORY_TABLE;

/* Where unwinding found each nonvolatile register (NULL: not saved). */
typedef struct _KNONVOLATILE_CONTEXT_POINTERS {
    PM128A FloatingContext[16];
    PULONG64 IntegerContext[16];
} KNONVOLATILE_CONTEXT_POINTERS, *PKNONVOLATILE_CONTEXT_POINTERS;

/* The handler data of __C_specific_handler: one record per __try scope. */
typedef struct _SCOPE_TABLE {
    ULONG Count;
    struct {
        ULONG BeginAddress, EndAddress, HandlerAddress, JumpTarget;
    } ScopeRecord[1];
} SCOPE_TABLE, *PSCOPE_TABLE;

#define EXCEPTION_EXECUTE_HANDLER    1
#define EXCEPTION_CONTINUE_SEARCH    0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

typedef LONG(NTAPI *PVECTORED_EXCEPTION_HANDLER)(PEXCEPTION_POINTERS ExceptionInfo);

/* ---- exported (Windows signatures) ----------------------------------------------- */

PRUNTIME_FUNCTION NTAPI RtlLookupFunctionEntry(ULONG64 ControlPc, PULONG64 ImageBase,
                                               PUNWIND_HISTORY_TABLE HistoryTable);
PEXCEPTION_ROUTINE NTAPI RtlVirtualUnwind(ULONG HandlerType, ULONG64 ImageBase, ULONG64 ControlPc,
                                          PRUNTIME_FUNCTION FunctionEntry, PCONTEXT ContextRecord,
                                          PVOID *HandlerData, PULONG64 EstablisherFrame,
                                          PKNONVOLATILE_CONTEXT_POINTERS ContextPointers);
PVOID NTAPI RtlPcToFileHeader(PVOID PcValue, PVOID *BaseOfImage);
VOID NTAPI RtlCaptureContext(PCONTEXT ContextRecord);
VOID NTAPI RtlRestoreContext(PCONTEXT ContextRecord, PEXCEPTION_RECORD ExceptionRecord);
BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord);
VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord);
VOID NTAPI RtlRaiseStatus(NTSTATUS Status);
VOID NTAPI RtlUnwindEx(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord,
                       PVOID ReturnValue, PCONTEXT ContextRecord,
                       PUNWIND_HISTORY_TABLE HistoryTable);
VOID NTAPI RtlUnwind(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord,
                     PVOID ReturnValue);
NTSTATUS NTAPI NtContinue(PCONTEXT ContextRecord, BOOLEAN TestAlert);
NTSTATUS NTAPI NtRaiseException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord,
                                BOOLEAN FirstChance);

/* ---- private ---------------------------------------------------------------------- */

/* entry.S: call DispatcherContext->LanguageHandler under a frame whose
 * own handler reports an exception raised inside it as nested
 * (RtlpNestedExceptionHandler) or an unwind that crosses it as collided
 * (RtlpCollidedUnwindHandler). */
EXCEPTION_DISPOSITION RtlpExecuteHandlerForException(PEXCEPTION_RECORD ExceptionRecord,
                                                     PVOID EstablisherFrame, PCONTEXT Context,
                                                     PDISPATCHER_CONTEXT DispatcherContext);
EXCEPTION_DISPOSITION RtlpExecuteHandlerForUnwind(PEXCEPTION_RECORD ExceptionRecord,
                                                  PVOID EstablisherFrame, PCONTEXT Context,
                                                  PDISPATCHER_CONTEXT DispatcherContext);
/* entry.S: load Context (integer, control and, when flagged, x87/SSE
 * state) in the calling thread; never returns. */
__attribute__((noreturn)) VOID RtlpRestoreContextRegisters(PCONTEXT Context);

/* vectored.c: the vectored exception / continue handlers; true when one
 * answered EXCEPTION_CONTINUE_EXECUTION. */
BOOLEAN RtlpCallVectoredHandlers(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context,
                                 BOOLEAN Continue);

/* Frame is a plausible stack address of this thread (within [Low, High), 8-aligned). */
static inline BOOLEAN RtlpIsStackAddress(ULONG64 Frame, ULONG64 Low, ULONG64 High)
{
    return Frame >= Low && Frame < High && (Frame & 7) == 0;
}

/* unwind.c: the stack limits of the calling thread (from the TEB). */
VOID RtlpGetStackLimits(PULONG64 Low, PULONG64 High);
/* unwind.c: one frame up from Context (a leaf function when no entry
 * covers its Rip): the handler of HandlerType, if any. */
PEXCEPTION_ROUTINE RtlpUnwindFrame(ULONG HandlerType, PCONTEXT Context, PDISPATCHER_CONTEXT Dc,
                                   PUNWIND_HISTORY_TABLE HistoryTable);
/* epilog.c: when ControlPc is in an epilogue of the function, finish it
 * in Context (Rip and Rsp as after its `ret`) and return TRUE. */
BOOLEAN RtlpUnwindEpilog(ULONG64 ImageBase, ULONG64 ControlPc, PRUNTIME_FUNCTION FunctionEntry,
                         PUNWIND_INFO Info, PCONTEXT Context,
                         PKNONVOLATILE_CONTEXT_POINTERS ContextPointers);
/* dyntable.c: an entry of the function tables added at run time that
 * covers ControlPc (NULL if none), with the base its RVAs are relative to. */
PRUNTIME_FUNCTION RtlpLookupDynamicFunctionEntry(ULONG64 ControlPc, PULONG64 ImageBase);
/* unwind.c: Pc lies in a loaded image or in code a function table describes. */
BOOLEAN RtlpIsCodeAddress(ULONG64 Pc);
