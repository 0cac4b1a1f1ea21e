/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processor state and exceptions on x64 (spec/nt-abi.md §2.7, §2.9): M128A,
 * XMM_SAVE_AREA32 (the FXSAVE image), CONTEXT (0x4d0 bytes, 16-byte
 * aligned), EXCEPTION_RECORD, EXCEPTION_POINTERS, the x86-style
 * EXCEPTION_REGISTRATION_RECORD chain that Wine's DLLs push on TEB.NtTib,
 * and DISPATCHER_CONTEXT for language handlers. ntos writes a CONTEXT and an
 * EXCEPTION_RECORD on a faulting thread's stack; ntdll's dispatcher and
 * unwinder read and change them.
 */
#pragma once

#include <nt/types.h>

typedef struct __attribute__((aligned(16))) _M128A {
    ULONGLONG Low;
    LONGLONG High;
} M128A, *PM128A;

_Static_assert(sizeof(M128A) == 16 && _Alignof(M128A) == 16, "M128A");

typedef struct __attribute__((aligned(16))) _XMM_SAVE_AREA32 {
    USHORT ControlWord;
    USHORT StatusWord;
    UCHAR TagWord;
    UCHAR Reserved1;
    USHORT ErrorOpcode;
    ULONG ErrorOffset;
    USHORT ErrorSelector;
    USHORT Reserved2;
    ULONG DataOffset;
    USHORT DataSelector;
    USHORT Reserved3;
    ULONG MxCsr;
    ULONG MxCsr_Mask;
    M128A FloatRegisters[8];
    M128A XmmRegisters[16];
    UCHAR Reserved4[96];
} XMM_SAVE_AREA32, *PXMM_SAVE_AREA32;

_Static_assert(offsetof(XMM_SAVE_AREA32, ErrorOffset) == 0x08, "XMM_SAVE_AREA32.ErrorOffset");
_Static_assert(offsetof(XMM_SAVE_AREA32, DataOffset) == 0x10, "XMM_SAVE_AREA32.DataOffset");
_Static_assert(offsetof(XMM_SAVE_AREA32, MxCsr) == 0x18, "XMM_SAVE_AREA32.MxCsr");
_Static_assert(offsetof(XMM_SAVE_AREA32, FloatRegisters) == 0x20, "XMM_SAVE_AREA32.Float");
_Static_assert(offsetof(XMM_SAVE_AREA32, XmmRegisters) == 0xa0, "XMM_SAVE_AREA32.Xmm");
_Static_assert(offsetof(XMM_SAVE_AREA32, Reserved4) == 0x1a0, "XMM_SAVE_AREA32.Reserved4");
_Static_assert(sizeof(XMM_SAVE_AREA32) == 0x200, "XMM_SAVE_AREA32 size");

#define CONTEXT_AMD64               0x00100000
#define CONTEXT_CONTROL             (CONTEXT_AMD64 | 0x01)
#define CONTEXT_INTEGER             (CONTEXT_AMD64 | 0x02)
#define CONTEXT_SEGMENTS            (CONTEXT_AMD64 | 0x04)
#define CONTEXT_FLOATING_POINT      (CONTEXT_AMD64 | 0x08)
#define CONTEXT_DEBUG_REGISTERS     (CONTEXT_AMD64 | 0x10)
#define CONTEXT_XSTATE              (CONTEXT_AMD64 | 0x40)
#define CONTEXT_FULL                (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_FLOATING_POINT)
#define CONTEXT_ALL                 (CONTEXT_FULL | CONTEXT_SEGMENTS | CONTEXT_DEBUG_REGISTERS)
#define CONTEXT_EXCEPTION_ACTIVE    0x08000000
#define CONTEXT_SERVICE_ACTIVE      0x10000000
#define CONTEXT_EXCEPTION_REQUEST   0x40000000
#define CONTEXT_EXCEPTION_REPORTING 0x80000000U

typedef struct __attribute__((aligned(16))) _CONTEXT {
    ULONG64 P1Home, P2Home, P3Home, P4Home, P5Home, P6Home;
    ULONG ContextFlags;
    ULONG MxCsr;
    USHORT SegCs, SegDs, SegEs, SegFs, SegGs, SegSs;
    ULONG EFlags;
    ULONG64 Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;
    ULONG64 Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi;
    ULONG64 R8, R9, R10, R11, R12, R13, R14, R15;
    ULONG64 Rip;
    union {
        XMM_SAVE_AREA32 FltSave;
        struct {
            M128A Header[2];
            M128A Legacy[8];
            M128A Xmm0, Xmm1, Xmm2, Xmm3, Xmm4, Xmm5, Xmm6, Xmm7;
            M128A Xmm8, Xmm9, Xmm10, Xmm11, Xmm12, Xmm13, Xmm14, Xmm15;
        };
    };
    M128A VectorRegister[26];
    ULONG64 VectorControl;
    ULONG64 DebugControl;
    ULONG64 LastBranchToRip;
    ULONG64 LastBranchFromRip;
    ULONG64 LastExceptionToRip;
    ULONG64 LastExceptionFromRip;
} CONTEXT, *PCONTEXT;

#define CONTEXT_ASSERT(f, o) _Static_assert(offsetof(CONTEXT, f) == (o), "CONTEXT." #f)
CONTEXT_ASSERT(P6Home, 0x28);
CONTEXT_ASSERT(ContextFlags, 0x30);
CONTEXT_ASSERT(MxCsr, 0x34);
CONTEXT_ASSERT(SegCs, 0x38);
CONTEXT_ASSERT(SegDs, 0x3a);
CONTEXT_ASSERT(SegEs, 0x3c);
CONTEXT_ASSERT(SegFs, 0x3e);
CONTEXT_ASSERT(SegGs, 0x40);
CONTEXT_ASSERT(SegSs, 0x42);
CONTEXT_ASSERT(EFlags, 0x44);
CONTEXT_ASSERT(Dr0, 0x48);
CONTEXT_ASSERT(Dr3, 0x60);
CONTEXT_ASSERT(Dr6, 0x68);
CONTEXT_ASSERT(Dr7, 0x70);
CONTEXT_ASSERT(Rax, 0x78);
CONTEXT_ASSERT(Rcx, 0x80);
CONTEXT_ASSERT(Rdx, 0x88);
CONTEXT_ASSERT(Rbx, 0x90);
CONTEXT_ASSERT(Rsp, 0x98);
CONTEXT_ASSERT(Rbp, 0xa0);
CONTEXT_ASSERT(Rsi, 0xa8);
CONTEXT_ASSERT(Rdi, 0xb0);
CONTEXT_ASSERT(R8, 0xb8);
CONTEXT_ASSERT(R15, 0xf0);
CONTEXT_ASSERT(Rip, 0xf8);
CONTEXT_ASSERT(FltSave, 0x100);
CONTEXT_ASSERT(Xmm0, 0x1a0);
CONTEXT_ASSERT(Xmm15, 0x290);
CONTEXT_ASSERT(VectorRegister, 0x300);
CONTEXT_ASSERT(VectorControl, 0x4a0);
CONTEXT_ASSERT(DebugControl, 0x4a8);
CONTEXT_ASSERT(LastBranchToRip, 0x4b0);
CONTEXT_ASSERT(LastBranchFromRip, 0x4b8);
CONTEXT_ASSERT(LastExceptionToRip, 0x4c0);
CONTEXT_ASSERT(LastExceptionFromRip, 0x4c8);
_Static_assert(sizeof(CONTEXT) == 0x4d0 && _Alignof(CONTEXT) == 16, "CONTEXT size");
#undef CONTEXT_ASSERT

/* ---- exceptions ------------------------------------------------------------------ */

#define EXCEPTION_MAXIMUM_PARAMETERS 15

#define EXCEPTION_NONCONTINUABLE  0x01
#define EXCEPTION_UNWINDING       0x02
#define EXCEPTION_EXIT_UNWIND     0x04
#define EXCEPTION_STACK_INVALID   0x08
#define EXCEPTION_NESTED_CALL     0x10
#define EXCEPTION_TARGET_UNWIND   0x20
#define EXCEPTION_COLLIDED_UNWIND 0x40
#define EXCEPTION_UNWIND          (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)

typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;
    ULONG ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord; /* chained (nested) record */
    PVOID ExceptionAddress;
    ULONG NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;

_Static_assert(offsetof(EXCEPTION_RECORD, ExceptionFlags) == 0x04, "ER.ExceptionFlags");
_Static_assert(offsetof(EXCEPTION_RECORD, ExceptionRecord) == 0x08, "ER.ExceptionRecord");
_Static_assert(offsetof(EXCEPTION_RECORD, ExceptionAddress) == 0x10, "ER.ExceptionAddress");
_Static_assert(offsetof(EXCEPTION_RECORD, NumberParameters) == 0x18, "ER.NumberParameters");
_Static_assert(offsetof(EXCEPTION_RECORD, ExceptionInformation) == 0x20, "ER.Information");
_Static_assert(sizeof(EXCEPTION_RECORD) == 0x98, "EXCEPTION_RECORD size");

typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;

typedef enum _EXCEPTION_DISPOSITION {
    ExceptionContinueExecution,
    ExceptionContinueSearch,
    ExceptionNestedException,
    ExceptionCollidedUnwind
} EXCEPTION_DISPOSITION;

_Static_assert(sizeof(EXCEPTION_DISPOSITION) == 4, "EXCEPTION_DISPOSITION");

/* Called with the Microsoft x64 convention: ntdll is the only caller. */
typedef EXCEPTION_DISPOSITION EXCEPTION_ROUTINE(PEXCEPTION_RECORD ExceptionRecord,
                                                PVOID EstablisherFrame, PCONTEXT ContextRecord,
                                                PVOID DispatcherContext);
typedef EXCEPTION_ROUTINE *PEXCEPTION_ROUTINE;

typedef struct _EXCEPTION_REGISTRATION_RECORD {
    struct _EXCEPTION_REGISTRATION_RECORD *Next;
    PEXCEPTION_ROUTINE Handler;
} EXCEPTION_REGISTRATION_RECORD, *PEXCEPTION_REGISTRATION_RECORD;

_Static_assert(sizeof(EXCEPTION_REGISTRATION_RECORD) == 0x10, "EXCEPTION_REGISTRATION_RECORD");

struct _RUNTIME_FUNCTION;

typedef struct _DISPATCHER_CONTEXT {
    ULONG64 ControlPc;
    ULONG64 ImageBase;
    struct _RUNTIME_FUNCTION *FunctionEntry;
    ULONG64 EstablisherFrame;
    ULONG64 TargetIp;
    PCONTEXT ContextRecord;
    PEXCEPTION_ROUTINE LanguageHandler;
    PVOID HandlerData;
    PVOID HistoryTable; /* UNWIND_HISTORY_TABLE * */
    ULONG ScopeIndex;
    ULONG Fill0;
} DISPATCHER_CONTEXT, *PDISPATCHER_CONTEXT;

_Static_assert(offsetof(DISPATCHER_CONTEXT, TargetIp) == 0x20, "DC.TargetIp");
_Static_assert(offsetof(DISPATCHER_CONTEXT, HistoryTable) == 0x40, "DC.HistoryTable");
_Static_assert(offsetof(DISPATCHER_CONTEXT, ScopeIndex) == 0x48, "DC.ScopeIndex");
_Static_assert(sizeof(DISPATCHER_CONTEXT) == 0x50, "DISPATCHER_CONTEXT size");
