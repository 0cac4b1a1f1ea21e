/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the exception, context and APC tests (exception.c, unwind.c,
 * context.c, apc.c) need of Windows beyond ntapitest.h: the unwinding
 * records as Windows x64 defines them, ntdll's exception exports and the
 * thread access rights these services check.
 */
#pragma once

#include "ntapitest.h"
#include <nt/image.h>

#define THREAD_ALERT       0x0004u
#define THREAD_GET_CONTEXT 0x0008u
#define THREAD_SET_CONTEXT 0x0010u

#define EXCEPTION_EXECUTE_HANDLER    1
#define EXCEPTION_CONTINUE_SEARCH    0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

typedef struct _UNWIND_HISTORY_TABLE {
    ULONG Count;
    UCHAR LocalHint, GlobalHint, Search, Once;
    ULONG64 LowAddress, HighAddress;
    struct {
        ULONG64 ImageBase;
        PRUNTIME_FUNCTION FunctionEntry;
    } Entry[12];
} UNWIND_HISTORY_TABLE, *PUNWIND_HISTORY_TABLE;

typedef struct _KNONVOLATILE_CONTEXT_POINTERS {
    PM128A FloatingContext[16];
    PULONG64 IntegerContext[16];
} KNONVOLATILE_CONTEXT_POINTERS, *PKNONVOLATILE_CONTEXT_POINTERS;

typedef LONG(NTAPI *PVECTORED_EXCEPTION_HANDLER)(PEXCEPTION_POINTERS ExceptionInfo);

NTSYSAPI PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First,
                                                    PVECTORED_EXCEPTION_HANDLER Handler);
NTSYSAPI ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);
NTSYSAPI PVOID NTAPI RtlAddVectoredContinueHandler(ULONG First,
                                                   PVECTORED_EXCEPTION_HANDLER Handler);
NTSYSAPI ULONG NTAPI RtlRemoveVectoredContinueHandler(PVOID Handle);
NTSYSAPI VOID NTAPI RtlCaptureContext(PCONTEXT ContextRecord);
NTSYSAPI VOID NTAPI RtlRestoreContext(PCONTEXT ContextRecord, PEXCEPTION_RECORD ExceptionRecord);
NTSYSAPI VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord);
NTSYSAPI VOID NTAPI RtlRaiseStatus(NTSTATUS Status);
NTSYSAPI PRUNTIME_FUNCTION NTAPI RtlLookupFunctionEntry(ULONG64 ControlPc, PULONG64 ImageBase,
                                                        PUNWIND_HISTORY_TABLE HistoryTable);
NTSYSAPI PEXCEPTION_ROUTINE NTAPI RtlVirtualUnwind(ULONG HandlerType, ULONG64 ImageBase,
                                                   ULONG64 ControlPc,
                                                   PRUNTIME_FUNCTION FunctionEntry,
                                                   PCONTEXT ContextRecord, PVOID *HandlerData,
                                                   PULONG64 EstablisherFrame,
                                                   PKNONVOLATILE_CONTEXT_POINTERS ContextPointers);
NTSYSAPI VOID NTAPI RtlUnwindEx(PVOID TargetFrame, PVOID TargetIp,
                                PEXCEPTION_RECORD ExceptionRecord, PVOID ReturnValue,
                                PCONTEXT ContextRecord, PUNWIND_HISTORY_TABLE HistoryTable);
NTSYSAPI PVOID NTAPI RtlPcToFileHeader(PVOID PcValue, PVOID *BaseOfImage);
NTSYSAPI BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord,
                                            PCONTEXT ContextRecord);
NTSYSAPI BOOLEAN NTAPI RtlAddFunctionTable(PRUNTIME_FUNCTION FunctionTable, ULONG EntryCount,
                                           ULONG64 BaseAddress);
NTSYSAPI BOOLEAN NTAPI RtlDeleteFunctionTable(PRUNTIME_FUNCTION FunctionTable);
NTSYSAPI USHORT NTAPI RtlCaptureStackBackTrace(ULONG FramesToSkip, ULONG FramesToCapture,
                                               PVOID *BackTrace, PULONG BackTraceHash);
