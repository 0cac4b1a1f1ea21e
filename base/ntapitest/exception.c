/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exceptions as on Windows x64: CPU faults (access violations reading,
 * writing and executing, int3, divide error, invalid and privileged
 * instructions) seen by vectored handlers with the record and CONTEXT
 * Windows gives, continued at a fixed-up Rip; the order and removal of
 * vectored exception and continue handlers; RtlRaiseException,
 * RtlRaiseStatus and NtRaiseException round trips; NtContinue and
 * RtlRestoreContext; frame-based handlers found through .pdata (small
 * assembly functions with .seh_* directives, handlers in C): the
 * DISPATCHER_CONTEXT they get, continue search to an outer frame,
 * RtlUnwindEx to a target frame with the unwind handlers called again,
 * nested exceptions, noncontinuable exceptions; __C_specific_handler's
 * scope tables (filters, a constant filter, __finally blocks).
 */
#include "ntapiexc.h"

#define NTAPI_CODE_RAISE  ((NTSTATUS)0xE0424242)
#define NTAPI_CODE_NESTED ((NTSTATUS)0xE0000777)

/* ---- code that faults at known places (leaf functions: no unwind info) ---------- */

ULONG64 NtapiFaultRead(PVOID Address);
ULONG64 NtapiFaultWrite(PVOID Address, ULONG64 Value);
ULONG64 NtapiFaultBreak(VOID);
ULONG64 NtapiFaultDivide(ULONG Divisor);
ULONG64 NtapiFaultUd2(VOID);
ULONG64 NtapiFaultHlt(VOID);
ULONG64 NtapiFaultRegs(PVOID Address);
ULONG64 NtapiFaultCall(PVOID Target);
ULONG64 NtapiFaultXmm(PVOID Address);
extern UCHAR NtapiFaultReadEnd[], NtapiFaultWriteEnd[], NtapiFaultBreakEnd[];
extern UCHAR NtapiFaultDivideAt[], NtapiFaultDivideEnd[], NtapiFaultUd2End[], NtapiFaultHltEnd[];
extern UCHAR NtapiFaultRegsAt[], NtapiFaultRegsEnd[], NtapiFaultXmmAt[], NtapiFaultXmmEnd[];

__asm__(".text\n"
        "NtapiFaultRead: movq (%rcx), %rax\n"
        "NtapiFaultReadEnd: ret\n"
        "NtapiFaultWrite: movq %rdx, (%rcx)\n"
        "NtapiFaultWriteEnd: movq %rdx, %rax\n ret\n"
        "NtapiFaultBreak: int3\n"
        "NtapiFaultBreakEnd: movl $0x55, %eax\n ret\n"
        "NtapiFaultDivide: xorl %edx, %edx\n movl $1, %eax\n"
        "NtapiFaultDivideAt: divl %ecx\n"
        "NtapiFaultDivideEnd: ret\n"
        "NtapiFaultUd2: ud2\n"
        "NtapiFaultUd2End: movl $0x66, %eax\n ret\n"
        "NtapiFaultHlt: hlt\n"
        "NtapiFaultHltEnd: movl $0x77, %eax\n ret\n"
        "NtapiFaultRegs: pushq %r12\n pushq %r13\n movq $0x1212, %r12\n movq $0x1313, %r13\n"
        " movq $0x5555, %rdx\n"
        "NtapiFaultRegsAt: movq (%rcx), %rax\n"
        "NtapiFaultRegsEnd: popq %r13\n popq %r12\n ret\n"
        "NtapiFaultCall: subq $40, %rsp\n call *%rcx\n addq $40, %rsp\n ret\n"
        /* xmm0 = 0x1234 across a fault; returns xmm0. */
        "NtapiFaultXmm: movq $0x1234, %rax\n movq %rax, %xmm0\n"
        "NtapiFaultXmmAt: movq (%rcx), %rax\n"
        "NtapiFaultXmmEnd: movq %xmm0, %rax\n ret\n");

/* ---- a vectored handler that records what it saw and fixes up known faults ------- */

static struct {
    ULONG Calls;
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    ULONG64 FixFrom, FixTo, FixRax; /* a fault at FixFrom goes on at FixTo with rax FixRax */
    BOOLEAN FixReturn;              /* ... or returns to its caller (a bad call target) */
    NTSTATUS ContinueCode;          /* a raised exception with this code is continued */
} NtapiVeh;

static LONG NTAPI NtapiRecordingHandler(PEXCEPTION_POINTERS Pointers)
{
    PCONTEXT Context = Pointers->ContextRecord;

    NtapiVeh.Calls++;
    NtapiVeh.Record = *Pointers->ExceptionRecord;
    NtapiVeh.Context = *Context;
    if (NtapiVeh.FixReturn) {
        Context->Rip = *(PULONG64)Context->Rsp;
        Context->Rsp += 8;
        Context->Rax = NtapiVeh.FixRax;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    if (NtapiVeh.FixFrom != 0 && Context->Rip == NtapiVeh.FixFrom) {
        Context->Rip = NtapiVeh.FixTo;
        Context->Rax = NtapiVeh.FixRax;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    if (NtapiVeh.ContinueCode != 0 &&
        Pointers->ExceptionRecord->ExceptionCode == NtapiVeh.ContinueCode)
        return EXCEPTION_CONTINUE_EXECUTION;
    return EXCEPTION_CONTINUE_SEARCH;
}

static PVOID NtapiArmVeh(PVOID From, PVOID To, ULONG64 Rax)
{
    memset(&NtapiVeh, 0, sizeof(NtapiVeh));
    NtapiVeh.FixFrom = (ULONG64)From;
    NtapiVeh.FixTo = (ULONG64)To;
    NtapiVeh.FixRax = Rax;
    return RtlAddVectoredExceptionHandler(1, NtapiRecordingHandler);
}

static PVOID NtapiImageBase(VOID)
{
    return NtCurrentTeb()->ProcessEnvironmentBlock->ImageBaseAddress;
}

/* ---- faults --------------------------------------------------------------------------- */

TEST(exception, access_violation_read)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultRead, NtapiFaultReadEnd, 0x1234);

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultRead(NTAPI_BAD_POINTER), 0x1234);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiVeh.Record.ExceptionFlags, 0);
    CHECK_EQ(NtapiVeh.Record.ExceptionAddress, NtapiFaultRead);
    CHECK_EQ(NtapiVeh.Record.NumberParameters, 2);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[0], 0); /* read */
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[1], (ULONG64)NTAPI_BAD_POINTER);
    CHECK_EQ(NtapiVeh.Context.Rip, (ULONG64)NtapiFaultRead);
    CHECK_EQ(NtapiVeh.Context.Rcx, (ULONG64)NTAPI_BAD_POINTER);
    CHECK_EQ(NtapiVeh.Context.ContextFlags & (CONTEXT_CONTROL | CONTEXT_INTEGER),
             CONTEXT_CONTROL | CONTEXT_INTEGER);
    CHECK_EQ(NtapiVeh.Context.SegCs, 0x33);
    CHECK_EQ(RtlRemoveVectoredExceptionHandler(Handle), TRUE);
}

TEST(exception, access_violation_write)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultWrite, NtapiFaultWriteEnd, 0);

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultWrite(NTAPI_READONLY_POINTER, 0x99), 0x99);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiVeh.Record.NumberParameters, 2);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[0], 1); /* write */
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[1], (ULONG64)NTAPI_READONLY_POINTER);
    RtlRemoveVectoredExceptionHandler(Handle);
}

TEST(exception, access_violation_execute)
{
    PVOID Handle = NtapiArmVeh(NULL, NULL, 0x4444);

    if (!CHECK(Handle != NULL))
        return;
    NtapiVeh.FixReturn = TRUE;
    CHECK_EQ(NtapiFaultCall(NTAPI_BAD_POINTER), 0x4444);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiVeh.Record.ExceptionAddress, NTAPI_BAD_POINTER);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[0], 8); /* execute */
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[1], (ULONG64)NTAPI_BAD_POINTER);
    RtlRemoveVectoredExceptionHandler(Handle);
}

/* A non-canonical address is a general protection fault: Windows reports
 * an access violation reading address -1. */
TEST(exception, access_violation_non_canonical)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultRead, NtapiFaultReadEnd, 0x5678);

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultRead((PVOID)0x8000000000000000ull), 0x5678);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiVeh.Record.NumberParameters, 2);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[0], 0);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[1], ~0ull);
    RtlRemoveVectoredExceptionHandler(Handle);
}

/* Windows x64 reports an int3 at its own address with one parameter (0). */
TEST(exception, breakpoint)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultBreak, NtapiFaultBreakEnd, 0);

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultBreak(), 0x55);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_BREAKPOINT);
    CHECK_EQ(NtapiVeh.Record.ExceptionAddress, NtapiFaultBreak);
    CHECK_EQ(NtapiVeh.Context.Rip, (ULONG64)NtapiFaultBreak);
    CHECK_EQ(NtapiVeh.Record.NumberParameters, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[0], 0);
    RtlRemoveVectoredExceptionHandler(Handle);
}

TEST(exception, divide_error)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultDivideAt, NtapiFaultDivideEnd, 0x10);

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultDivide(0), 0x10);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_INTEGER_DIVIDE_BY_ZERO);
    CHECK_EQ(NtapiVeh.Record.ExceptionAddress, NtapiFaultDivideAt);
    CHECK_EQ(NtapiVeh.Record.NumberParameters, 0);
    CHECK_EQ(NtapiVeh.Context.Rax, 1);
    CHECK_EQ(NtapiVeh.Context.Rdx, 0);
    NtapiVeh.Calls = 0;
    CHECK_EQ(NtapiFaultDivide(1), 1); /* no fault: the handler is not called */
    CHECK_EQ(NtapiVeh.Calls, 0);
    RtlRemoveVectoredExceptionHandler(Handle);
}

TEST(exception, invalid_opcode)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultUd2, NtapiFaultUd2End, 0);

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultUd2(), 0x66);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_ILLEGAL_INSTRUCTION);
    CHECK_EQ(NtapiVeh.Record.ExceptionAddress, NtapiFaultUd2);
    RtlRemoveVectoredExceptionHandler(Handle);
}

TEST(exception, privileged_instruction)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultHlt, NtapiFaultHltEnd, 0);

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultHlt(), 0x77);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_PRIVILEGED_INSTRUCTION);
    CHECK_EQ(NtapiVeh.Record.ExceptionAddress, NtapiFaultHlt);
    RtlRemoveVectoredExceptionHandler(Handle);
}

/* The CONTEXT holds the registers at the fault; what the handler changes
 * is what the thread goes on with. */
TEST(exception, context_registers)
{
    PVOID Handle = NtapiArmVeh(NtapiFaultRegsAt, NtapiFaultRegsEnd, 0xabc);
    PVOID Base;
    ULONG64 Low = (ULONG64)NtCurrentTeb()->DeallocationStack;
    ULONG64 High = (ULONG64)NtCurrentTeb()->NtTib.StackBase;

    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultRegs(NTAPI_BAD_POINTER), 0xabc);
    CHECK_EQ(NtapiVeh.Context.R12, 0x1212);
    CHECK_EQ(NtapiVeh.Context.R13, 0x1313);
    CHECK_EQ(NtapiVeh.Context.Rdx, 0x5555);
    CHECK(NtapiVeh.Context.Rsp > Low && NtapiVeh.Context.Rsp < High);
    /* Above the two pushes: the return address into this test. */
    CHECK_EQ(RtlPcToFileHeader((PVOID) * (PULONG64)(NtapiVeh.Context.Rsp + 16), &Base),
             NtapiImageBase());
    CHECK_EQ(NtapiVeh.Context.Rip, (ULONG64)NtapiFaultRegsAt);
    RtlRemoveVectoredExceptionHandler(Handle);
}

static LONG NTAPI NtapiXmmHandler(PEXCEPTION_POINTERS Pointers)
{
    PCONTEXT Context = Pointers->ContextRecord;

    if (Context->Rip != (ULONG64)NtapiFaultXmmAt)
        return EXCEPTION_CONTINUE_SEARCH;
    NtapiVeh.Calls++;
    NtapiVeh.Context = *Context;
    Context->Rip = (ULONG64)NtapiFaultXmmEnd;
    if (NtapiVeh.FixRax != 0)
        Context->Xmm0.Low = NtapiVeh.FixRax;
    /* What handlers run meanwhile may use xmm0 (a copy of 32 bytes does). */
    __asm__ volatile("pxor %%xmm0, %%xmm0" ::: "xmm0");
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* The CONTEXT of a fault has the x87/SSE state, and continuing it loads
 * that state again (as changed by the handler). */
TEST(exception, floating_point_state)
{
    PVOID Handle = RtlAddVectoredExceptionHandler(1, NtapiXmmHandler);

    memset(&NtapiVeh, 0, sizeof(NtapiVeh));
    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiFaultXmm(NTAPI_BAD_POINTER), 0x1234);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Context.ContextFlags & CONTEXT_FLOATING_POINT, CONTEXT_FLOATING_POINT);
    CHECK_EQ(NtapiVeh.Context.Xmm0.Low, 0x1234);
    CHECK_EQ(NtapiVeh.Context.MxCsr & 0xffc0, 0x1f80 & 0xffc0); /* masks, as Windows starts */
    NtapiVeh.FixRax = 0x5678;
    CHECK_EQ(NtapiFaultXmm(NTAPI_BAD_POINTER), 0x5678);
    RtlRemoveVectoredExceptionHandler(Handle);
}

static volatile ULONG64 NtapiThreadResult;

static ULONG NTAPI NtapiFaultingThread(PVOID Argument)
{
    NtapiThreadResult = NtapiFaultRead(Argument);
    return 0;
}

/* Vectored handlers are the process's: they see a fault of another thread,
 * which goes on where they say. */
TEST(exception, fault_in_another_thread)
{
    LARGE_INTEGER Limit = {.QuadPart = -50000000ll};
    PVOID Handle = NtapiArmVeh(NtapiFaultRead, NtapiFaultReadEnd, 0x4321);
    HANDLE Thread = NULL;

    NtapiThreadResult = 0;
    if (!CHECK(Handle != NULL))
        return;
    if (CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                      NtapiFaultingThread, NTAPI_BAD_POINTER, 0, 0, 0, 0, NULL),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &Limit), STATUS_SUCCESS);
        CHECK_EQ(NtapiThreadResult, 0x4321);
        CHECK_EQ(NtapiVeh.Calls, 1);
        CHECK_EQ(NtapiVeh.Record.ExceptionInformation[1], (ULONG64)NTAPI_BAD_POINTER);
        NtClose(Thread);
    }
    RtlRemoveVectoredExceptionHandler(Handle);
}

/* ---- vectored handler lists ------------------------------------------------------------ */

static ULONG NtapiOrder[8], NtapiOrderCount;

static LONG NTAPI NtapiFirstHandler(PEXCEPTION_POINTERS Pointers)
{
    (void)Pointers;
    NtapiOrder[NtapiOrderCount++ & 7] = 1;
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG NTAPI NtapiSecondHandler(PEXCEPTION_POINTERS Pointers)
{
    (void)Pointers;
    NtapiOrder[NtapiOrderCount++ & 7] = 2;
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG NTAPI NtapiContinueHandler(PEXCEPTION_POINTERS Pointers)
{
    NtapiOrder[NtapiOrderCount++ & 7] =
        Pointers->ExceptionRecord->ExceptionCode == NTAPI_CODE_RAISE ? 3 : 4;
    return EXCEPTION_CONTINUE_SEARCH;
}

/* First = TRUE puts a handler before the others, FALSE after them. */
TEST(exception, vectored_order)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = NTAPI_CODE_RAISE};
    PVOID Last = RtlAddVectoredExceptionHandler(0, NtapiRecordingHandler);
    PVOID Second = RtlAddVectoredExceptionHandler(1, NtapiSecondHandler);
    PVOID First = RtlAddVectoredExceptionHandler(1, NtapiFirstHandler);

    memset(&NtapiVeh, 0, sizeof(NtapiVeh));
    NtapiVeh.ContinueCode = NTAPI_CODE_RAISE;
    NtapiOrderCount = 0;
    if (CHECK(Last && Second && First)) {
        RtlRaiseException(&Record);
        CHECK_EQ(NtapiOrderCount, 2);
        CHECK_EQ(NtapiOrder[0], 1);
        CHECK_EQ(NtapiOrder[1], 2);
        CHECK_EQ(NtapiVeh.Calls, 1);
    }
    RtlRemoveVectoredExceptionHandler(First);
    RtlRemoveVectoredExceptionHandler(Second);
    RtlRemoveVectoredExceptionHandler(Last);
}

TEST(exception, vectored_remove)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = NTAPI_CODE_RAISE};
    PVOID Removed = RtlAddVectoredExceptionHandler(1, NtapiFirstHandler);
    PVOID Kept = RtlAddVectoredExceptionHandler(0, NtapiRecordingHandler);

    memset(&NtapiVeh, 0, sizeof(NtapiVeh));
    NtapiVeh.ContinueCode = NTAPI_CODE_RAISE;
    NtapiOrderCount = 0;
    if (!CHECK(Removed && Kept))
        return;
    CHECK_EQ(RtlRemoveVectoredExceptionHandler(Removed), TRUE);
    CHECK_EQ(RtlRemoveVectoredExceptionHandler(Removed), FALSE); /* not there any more */
    CHECK_EQ(RtlRemoveVectoredContinueHandler(Kept), FALSE);     /* the other list */
    RtlRaiseException(&Record);
    CHECK_EQ(NtapiOrderCount, 0);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(RtlRemoveVectoredExceptionHandler(Kept), TRUE);
}

/* Continue handlers run once an exception was handled. */
TEST(exception, vectored_continue_handler)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = NTAPI_CODE_RAISE};
    PVOID Handler = RtlAddVectoredExceptionHandler(1, NtapiRecordingHandler);
    PVOID Continue = RtlAddVectoredContinueHandler(1, NtapiContinueHandler);

    memset(&NtapiVeh, 0, sizeof(NtapiVeh));
    NtapiVeh.ContinueCode = NTAPI_CODE_RAISE;
    NtapiOrderCount = 0;
    if (CHECK(Handler && Continue)) {
        RtlRaiseException(&Record);
        CHECK_EQ(NtapiVeh.Calls, 1);
        CHECK_EQ(NtapiOrderCount, 1);
        CHECK_EQ(NtapiOrder[0], 3);
    }
    CHECK_EQ(RtlRemoveVectoredContinueHandler(Continue), TRUE);
    RtlRemoveVectoredExceptionHandler(Handler);
}

/* ---- raising ---------------------------------------------------------------------------- */

TEST(exception, raise_exception_record)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = NTAPI_CODE_RAISE, .NumberParameters = 2};
    PVOID Handle = NtapiArmVeh(NULL, NULL, 0);
    PVOID Base = NULL;

    NtapiVeh.ContinueCode = NTAPI_CODE_RAISE;
    Record.ExceptionInformation[0] = 7;
    Record.ExceptionInformation[1] = 9;
    if (!CHECK(Handle != NULL))
        return;
    RtlRaiseException(&Record);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, NTAPI_CODE_RAISE);
    CHECK_EQ(NtapiVeh.Record.ExceptionFlags, 0);
    CHECK_EQ(NtapiVeh.Record.NumberParameters, 2);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[1], 9);
    /* Raised from here: the address and Rip are this test's, after the call. */
    CHECK_EQ(NtapiVeh.Record.ExceptionAddress, (PVOID)NtapiVeh.Context.Rip);
    CHECK_EQ(RtlPcToFileHeader(NtapiVeh.Record.ExceptionAddress, &Base), NtapiImageBase());
    CHECK_EQ(NtapiVeh.Context.ContextFlags & CONTEXT_FULL, CONTEXT_FULL);
    RtlRemoveVectoredExceptionHandler(Handle);
}

TEST(exception, raise_status_noncontinuable)
{
    PVOID Handle = NtapiArmVeh(NULL, NULL, 0);

    NtapiVeh.ContinueCode = STATUS_INVALID_PARAMETER_3;
    if (!CHECK(Handle != NULL))
        return;
    RtlRaiseStatus(STATUS_INVALID_PARAMETER_3);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_INVALID_PARAMETER_3);
    CHECK_EQ(NtapiVeh.Record.ExceptionFlags, EXCEPTION_NONCONTINUABLE);
    CHECK_EQ(NtapiVeh.Record.NumberParameters, 0);
    RtlRemoveVectoredExceptionHandler(Handle);
}

static volatile LONG NtapiPass;

/* First chance from a CONTEXT captured here: the handlers see that state,
 * and continuing it comes back to just after the capture. */
TEST(exception, nt_raise_exception_first_chance)
{
    static CONTEXT Context;
    static EXCEPTION_RECORD Record;
    PVOID Handle = NtapiArmVeh(NULL, NULL, 0);

    NtapiVeh.ContinueCode = NTAPI_CODE_RAISE;
    NtapiPass = 0;
    if (!CHECK(Handle != NULL))
        return;
    RtlCaptureContext(&Context);
    if (NtapiPass++ == 0) {
        Record = (EXCEPTION_RECORD){.ExceptionCode = NTAPI_CODE_RAISE,
                                    .ExceptionAddress = (PVOID)Context.Rip,
                                    .NumberParameters = 1};
        Record.ExceptionInformation[0] = 0x31;
        NtRaiseException(&Record, &Context, TRUE);
        CHECK(FALSE); /* not reached */
    }
    CHECK_EQ(NtapiPass, 2);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Record.ExceptionInformation[0], 0x31);
    CHECK_EQ(NtapiVeh.Context.Rip, Context.Rip);
    CHECK_EQ(NtapiVeh.Context.Rsp, Context.Rsp);
    CHECK_EQ(NtapiVeh.Context.Rbx, Context.Rbx);
    RtlRemoveVectoredExceptionHandler(Handle);
}

TEST(exception, nt_raise_exception_bad_arguments)
{
    static CONTEXT Context;
    EXCEPTION_RECORD Record = {.ExceptionCode = NTAPI_CODE_RAISE, .NumberParameters = 16};

    RtlCaptureContext(&Context);
    CHECK_STATUS(NtRaiseException(&Record, &Context, TRUE), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtRaiseException(NTAPI_BAD_POINTER, &Context, TRUE), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtRaiseException(&Record, NTAPI_BAD_POINTER, TRUE), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtRaiseException(&Record, (PCONTEXT)((PUCHAR)&Context + 8), TRUE),
                 STATUS_DATATYPE_MISALIGNMENT);
}

TEST(exception, nt_continue_round_trip)
{
    static CONTEXT Context;

    NtapiPass = 0;
    RtlCaptureContext(&Context);
    if (NtapiPass++ == 0) {
        NtContinue(&Context, FALSE);
        CHECK(FALSE); /* not reached */
    }
    CHECK_EQ(NtapiPass, 2);
}

/* Privileged flag bits and segments of the CONTEXT do not reach the thread. */
TEST(exception, nt_continue_sanitizes)
{
    static CONTEXT Context;
    ULONG64 Flags;

    NtapiPass = 0;
    RtlCaptureContext(&Context);
    if (NtapiPass++ == 0) {
        Context.EFlags |= 0x3000; /* IOPL 3 */
        Context.SegCs = 0x10;     /* a kernel code selector */
        Context.SegSs = 0;
        NtContinue(&Context, FALSE);
        CHECK(FALSE); /* not reached */
    }
    __asm__ volatile("pushfq\n popq %0" : "=r"(Flags));
    CHECK_EQ(NtapiPass, 2);
    CHECK_EQ(Flags & 0x3000, 0);
    CHECK_EQ(Flags & 0x200, 0x200);
}

TEST(exception, nt_continue_bad_context)
{
    static CONTEXT Context;

    CHECK_STATUS(NtContinue(NTAPI_BAD_POINTER, FALSE), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtContinue(NULL, FALSE), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtContinue((PCONTEXT)((PUCHAR)&Context + 4), FALSE), STATUS_DATATYPE_MISALIGNMENT);
}

TEST(exception, capture_context)
{
    static CONTEXT Context;
    ULONG64 Low = (ULONG64)NtCurrentTeb()->DeallocationStack;
    ULONG64 High = (ULONG64)NtCurrentTeb()->NtTib.StackBase;
    PVOID Base = NULL;

    memset(&Context, 0xcc, sizeof(Context));
    RtlCaptureContext(&Context);
    CHECK_EQ(Context.ContextFlags, CONTEXT_FULL | CONTEXT_SEGMENTS);
    CHECK(Context.Rsp > Low && Context.Rsp < High);
    CHECK_EQ(Context.Rsp & 7, 0);
    CHECK_EQ(RtlPcToFileHeader((PVOID)Context.Rip, &Base), NtapiImageBase());
    CHECK_EQ(Context.Rcx, (ULONG64)&Context);
    CHECK_EQ(Context.MxCsr, Context.FltSave.MxCsr);
    CHECK_EQ(Context.EFlags & 0x200, 0x200); /* interrupts on in user mode */
}

TEST(exception, restore_context)
{
    static CONTEXT Context;

    NtapiPass = 0;
    RtlCaptureContext(&Context);
    if (NtapiPass++ == 0) {
        RtlRestoreContext(&Context, NULL);
        CHECK(FALSE); /* not reached */
    }
    CHECK_EQ(NtapiPass, 2);
}

/* ---- frame-based handlers (.pdata) ------------------------------------------------------- */

EXCEPTION_DISPOSITION NtapiSehHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                      PDISPATCHER_CONTEXT Dc);
EXCEPTION_DISPOSITION NtapiOuterHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                        PDISPATCHER_CONTEXT Dc);
EXCEPTION_DISPOSITION NtapiInnerHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                        PDISPATCHER_CONTEXT Dc);
EXCEPTION_DISPOSITION NtapiNestHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                       PDISPATCHER_CONTEXT Dc);
LONG NtapiTryFilter(PEXCEPTION_POINTERS Pointers, PVOID Frame);
VOID NtapiFinallyBlock(BOOLEAN Abnormal, PVOID Frame);
ULONG64 NtapiSehFault(PVOID Address);
ULONG64 NtapiSehOuter(PVOID Address);
ULONG64 NtapiSehInner(PVOID Address);
ULONG64 NtapiSehNest(PVOID Address);
ULONG64 NtapiTryExcept(PVOID Address);
ULONG64 NtapiTryConst(PVOID Address);
ULONG64 NtapiTryOuter(PVOID Address);
extern UCHAR NtapiSehFaultAt[], NtapiSehFaultEnd[], NtapiSehOuterResume[], NtapiSehNestEnd[];

__asm__(".text\n"
        /* ULONG64 NtapiSehFault(PVOID): reads *Address with rbx = 0x4242. */
        ".seh_proc NtapiSehFault\n"
        "NtapiSehFault: pushq %rbx\n .seh_pushreg %rbx\n subq $32, %rsp\n"
        " .seh_stackalloc 32\n .seh_endprologue\n"
        " .seh_handler NtapiSehHandler, @except\n"
        " movq $0x4242, %rbx\n"
        "NtapiSehFaultAt: movq (%rcx), %rax\n"
        "NtapiSehFaultEnd: addq $32, %rsp\n popq %rbx\n ret\n"
        " .seh_endproc\n"
        /* ULONG64 NtapiSehOuter(PVOID): calls NtapiSehInner; the unwind target. */
        ".seh_proc NtapiSehOuter\n"
        "NtapiSehOuter: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler NtapiOuterHandler, @except, @unwind\n"
        " call NtapiSehInner\n nop\n"
        "NtapiSehOuterResume: addq $40, %rsp\n ret\n"
        " .seh_endproc\n"
        ".seh_proc NtapiSehInner\n"
        "NtapiSehInner: pushq %rbx\n .seh_pushreg %rbx\n subq $32, %rsp\n"
        " .seh_stackalloc 32\n .seh_endprologue\n"
        " .seh_handler NtapiInnerHandler, @except, @unwind\n"
        " movq $0x4343, %rbx\n movq (%rcx), %rax\n addq $32, %rsp\n popq %rbx\n ret\n"
        " .seh_endproc\n"
        /* ULONG64 NtapiSehNest(PVOID): its handler raises while handling. */
        ".seh_proc NtapiSehNest\n"
        "NtapiSehNest: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler NtapiNestHandler, @except\n"
        " movq (%rcx), %rax\n"
        "NtapiSehNestEnd: addq $40, %rsp\n ret\n"
        " .seh_endproc\n"
        /* __try { *Address } __except (NtapiTryFilter()) { return code } */
        ".seh_proc NtapiTryExcept\n"
        "NtapiTryExcept: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler __C_specific_handler, @except, @unwind\n"
        "NtapiTryBegin: movq (%rcx), %rax\n nop\n"
        "NtapiTryEnd: addq $40, %rsp\n ret\n"
        "NtapiTryTarget: addq $40, %rsp\n ret\n"
        " .seh_handlerdata\n .long 1\n"
        " .rva NtapiTryBegin, NtapiTryEnd, NtapiTryFilter, NtapiTryTarget\n"
        " .text\n .seh_endproc\n"
        /* The same with the constant filter EXCEPTION_EXECUTE_HANDLER (1). */
        ".seh_proc NtapiTryConst\n"
        "NtapiTryConst: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler __C_specific_handler, @except, @unwind\n"
        "NtapiConstBegin: movq (%rcx), %rax\n nop\n"
        "NtapiConstEnd: addq $40, %rsp\n ret\n"
        "NtapiConstTarget: addq $40, %rsp\n ret\n"
        " .seh_handlerdata\n .long 1\n"
        " .rva NtapiConstBegin, NtapiConstEnd\n .long 1\n .rva NtapiConstTarget\n"
        " .text\n .seh_endproc\n"
        /* __try { NtapiTryInner(Address) } __except (1) { return code }, where
         * NtapiTryInner is __try { *Address } __finally { NtapiFinallyBlock }. */
        ".seh_proc NtapiTryOuter\n"
        "NtapiTryOuter: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler __C_specific_handler, @except, @unwind\n"
        "NtapiOuterBegin: call NtapiTryInner\n nop\n"
        "NtapiOuterEnd: addq $40, %rsp\n ret\n"
        "NtapiOuterTarget: addq $40, %rsp\n ret\n"
        " .seh_handlerdata\n .long 1\n"
        " .rva NtapiOuterBegin, NtapiOuterEnd\n .long 1\n .rva NtapiOuterTarget\n"
        " .text\n .seh_endproc\n"
        ".seh_proc NtapiTryInner\n"
        "NtapiTryInner: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler __C_specific_handler, @except, @unwind\n"
        "NtapiInnerBegin: movq (%rcx), %rax\n nop\n"
        "NtapiInnerEnd: addq $40, %rsp\n ret\n"
        " .seh_handlerdata\n .long 1\n"
        " .rva NtapiInnerBegin, NtapiInnerEnd, NtapiFinallyBlock\n .long 0\n"
        " .text\n .seh_endproc\n");

static struct {
    ULONG Calls;
    ULONG Flags[8];
    ULONG Who[8]; /* 1 inner, 2 outer */
    EXCEPTION_RECORD Record;
    PVOID Frame;
    DISPATCHER_CONTEXT Dc;
    ULONG64 CallerRip, Rbx;
    EXCEPTION_DISPOSITION Answer;
} NtapiSeh;

static VOID NtapiSehLog(ULONG Who, PEXCEPTION_RECORD Record)
{
    NtapiSeh.Who[NtapiSeh.Calls & 7] = Who;
    NtapiSeh.Flags[NtapiSeh.Calls & 7] = Record->ExceptionFlags;
    NtapiSeh.Calls++;
}

EXCEPTION_DISPOSITION NtapiSehHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                      PDISPATCHER_CONTEXT Dc)
{
    NtapiSehLog(1, Record);
    NtapiSeh.Record = *Record;
    NtapiSeh.Frame = Frame;
    NtapiSeh.Dc = *Dc;
    NtapiSeh.CallerRip = Dc->ContextRecord->Rip;
    NtapiSeh.Rbx = Context->Rbx;
    if (NtapiSeh.Answer == ExceptionContinueExecution) {
        Context->Rip = (ULONG64)NtapiSehFaultEnd;
        Context->Rax = 0x99;
    }
    return NtapiSeh.Answer;
}

TEST(exception, frame_handler_continue)
{
    ULONG64 Base;

    memset(&NtapiSeh, 0, sizeof(NtapiSeh));
    NtapiSeh.Answer = ExceptionContinueExecution;
    CHECK_EQ(NtapiSehFault(NTAPI_BAD_POINTER), 0x99);
    CHECK_EQ(NtapiSeh.Calls, 1);
    CHECK_EQ(NtapiSeh.Record.ExceptionCode, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiSeh.Flags[0], 0);
    CHECK_EQ(NtapiSeh.Rbx, 0x4242);
    CHECK_EQ(NtapiSeh.Dc.ControlPc, (ULONG64)NtapiSehFaultAt);
    CHECK_EQ(NtapiSeh.Dc.ImageBase, (ULONG64)NtapiImageBase());
    CHECK(NtapiSeh.Dc.FunctionEntry != NULL &&
          NtapiSeh.Dc.FunctionEntry->BeginAddress ==
              (ULONG64)NtapiSehFault - (ULONG64)NtapiImageBase());
    CHECK_EQ(NtapiSeh.Dc.EstablisherFrame, (ULONG64)NtapiSeh.Frame);
    CHECK_EQ((ULONG64)NtapiSeh.Frame, NtapiSeh.Dc.ContextRecord->Rsp - 48); /* 32 + rbx + ret */
    CHECK_EQ(RtlPcToFileHeader((PVOID)NtapiSeh.CallerRip, (PVOID *)&Base), NtapiImageBase());
    CHECK_EQ(NtapiSeh.Dc.LanguageHandler, (PEXCEPTION_ROUTINE)NtapiSehHandler);
}

/* A handler that declines: the next one is asked (here a vectored handler
 * first, which declines too, then the frame handler that continues). */
TEST(exception, vectored_before_frame_handlers)
{
    PVOID Handle = NtapiArmVeh(NULL, NULL, 0);

    memset(&NtapiSeh, 0, sizeof(NtapiSeh));
    NtapiSeh.Answer = ExceptionContinueExecution;
    if (!CHECK(Handle != NULL))
        return;
    CHECK_EQ(NtapiSehFault(NTAPI_BAD_POINTER), 0x99);
    CHECK_EQ(NtapiVeh.Calls, 1);
    CHECK_EQ(NtapiSeh.Calls, 1);
    RtlRemoveVectoredExceptionHandler(Handle);
}

EXCEPTION_DISPOSITION NtapiInnerHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                        PDISPATCHER_CONTEXT Dc)
{
    (void)Frame, (void)Context, (void)Dc;
    NtapiSehLog(1, Record);
    return ExceptionContinueSearch;
}

EXCEPTION_DISPOSITION NtapiOuterHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                        PDISPATCHER_CONTEXT Dc)
{
    (void)Context;
    NtapiSehLog(2, Record);
    if (Record->ExceptionFlags & EXCEPTION_UNWIND) {
        NtapiSeh.Dc = *Dc;
        return ExceptionContinueSearch;
    }
    NtapiSeh.Frame = Frame;
    RtlUnwindEx(Frame, NtapiSehOuterResume, Record, (PVOID)0x77, Dc->ContextRecord,
                Dc->HistoryTable);
    return ExceptionContinueSearch; /* not reached */
}

/* Inner declines; Outer unwinds to its own frame: both unwind handlers
 * run, the target's with EXCEPTION_TARGET_UNWIND, then Outer goes on at
 * the target address with the return value in rax. */
TEST(exception, unwind_to_target_frame)
{
    memset(&NtapiSeh, 0, sizeof(NtapiSeh));
    CHECK_EQ(NtapiSehOuter(NTAPI_BAD_POINTER), 0x77);
    CHECK_EQ(NtapiSeh.Calls, 4);
    CHECK_EQ(NtapiSeh.Who[0], 1);
    CHECK_EQ(NtapiSeh.Flags[0], 0);
    CHECK_EQ(NtapiSeh.Who[1], 2);
    CHECK_EQ(NtapiSeh.Flags[1], 0);
    CHECK_EQ(NtapiSeh.Who[2], 1);
    CHECK_EQ(NtapiSeh.Flags[2], EXCEPTION_UNWINDING);
    CHECK_EQ(NtapiSeh.Who[3], 2);
    CHECK_EQ(NtapiSeh.Flags[3], EXCEPTION_UNWINDING | EXCEPTION_TARGET_UNWIND);
    CHECK_EQ(NtapiSeh.Dc.TargetIp, (ULONG64)NtapiSehOuterResume);
    CHECK_EQ(NtapiSeh.Dc.EstablisherFrame, (ULONG64)NtapiSeh.Frame);
}

EXCEPTION_DISPOSITION NtapiNestHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                       PDISPATCHER_CONTEXT Dc)
{
    EXCEPTION_RECORD Nested = {.ExceptionCode = NTAPI_CODE_NESTED};

    (void)Frame, (void)Dc;
    NtapiSehLog(Record->ExceptionCode == NTAPI_CODE_NESTED ? 2 : 1, Record);
    if (Record->ExceptionCode == NTAPI_CODE_NESTED)
        return ExceptionContinueExecution;
    RtlRaiseException(&Nested); /* handled by this handler, one level down */
    Context->Rip = (ULONG64)NtapiSehNestEnd;
    Context->Rax = 0xab;
    return ExceptionContinueExecution;
}

/* An exception raised inside a handler reaches the frames the first
 * dispatch already searched with EXCEPTION_NESTED_CALL. */
TEST(exception, nested_exception)
{
    memset(&NtapiSeh, 0, sizeof(NtapiSeh));
    CHECK_EQ(NtapiSehNest(NTAPI_BAD_POINTER), 0xab);
    CHECK_EQ(NtapiSeh.Calls, 2);
    CHECK_EQ(NtapiSeh.Who[0], 1);
    CHECK_EQ(NtapiSeh.Flags[0], 0);
    CHECK_EQ(NtapiSeh.Who[1], 2);
    CHECK_EQ(NtapiSeh.Flags[1], EXCEPTION_NESTED_CALL);
}

EXCEPTION_DISPOSITION NtapiCollideOuterHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                               PCONTEXT Context, PDISPATCHER_CONTEXT Dc);
EXCEPTION_DISPOSITION NtapiCollideMiddleHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                PCONTEXT Context, PDISPATCHER_CONTEXT Dc);
ULONG64 NtapiCollideOuter(PVOID Address);
extern UCHAR NtapiCollideResume[];

__asm__(".text\n"
        /* Outer: calls Middle, which calls the faulting leaf NtapiFaultRead. */
        ".seh_proc NtapiCollideOuter\n"
        "NtapiCollideOuter: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler NtapiCollideOuterHandler, @except, @unwind\n"
        " call NtapiCollideMiddle\n nop\n"
        "NtapiCollideResume: addq $40, %rsp\n ret\n"
        " .seh_endproc\n"
        ".seh_proc NtapiCollideMiddle\n"
        "NtapiCollideMiddle: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler NtapiCollideMiddleHandler, @unwind\n"
        " call NtapiFaultRead\n nop\n addq $40, %rsp\n ret\n"
        " .seh_endproc\n");

EXCEPTION_DISPOSITION NtapiCollideOuterHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                               PCONTEXT Context, PDISPATCHER_CONTEXT Dc)
{
    (void)Context;
    NtapiSehLog(2, Record);
    if (Record->ExceptionFlags & EXCEPTION_UNWIND)
        return ExceptionContinueSearch;
    NtapiSeh.Frame = Frame;
    RtlUnwindEx(Frame, NtapiCollideResume, Record, (PVOID)0x11, Dc->ContextRecord,
                Dc->HistoryTable);
    return ExceptionContinueSearch; /* not reached */
}

/* The first time it is unwound, it unwinds again itself (to the same
 * target, with another return value): that unwind collides with the first
 * and takes over, calling this handler again with EXCEPTION_COLLIDED_UNWIND. */
EXCEPTION_DISPOSITION NtapiCollideMiddleHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                PCONTEXT Context, PDISPATCHER_CONTEXT Dc)
{
    static CONTEXT Scratch;

    (void)Frame, (void)Context, (void)Dc;
    NtapiSehLog(1, Record);
    if (!(Record->ExceptionFlags & EXCEPTION_COLLIDED_UNWIND) && NtapiSeh.Calls < 4)
        RtlUnwindEx(NtapiSeh.Frame, NtapiCollideResume, NULL, (PVOID)0x22, &Scratch, NULL);
    return ExceptionContinueSearch;
}

TEST(exception, collided_unwind)
{
    memset(&NtapiSeh, 0, sizeof(NtapiSeh));
    CHECK_EQ(NtapiCollideOuter(NTAPI_BAD_POINTER), 0x22);
    CHECK_EQ(NtapiSeh.Calls, 4);
    CHECK_EQ(NtapiSeh.Who[0], 2);
    CHECK_EQ(NtapiSeh.Flags[0], 0);
    CHECK_EQ(NtapiSeh.Who[1], 1);
    CHECK_EQ(NtapiSeh.Flags[1], EXCEPTION_UNWINDING);
    CHECK_EQ(NtapiSeh.Who[2], 1);
    CHECK_EQ(NtapiSeh.Flags[2], EXCEPTION_UNWINDING | EXCEPTION_COLLIDED_UNWIND);
    CHECK_EQ(NtapiSeh.Who[3], 2);
    CHECK_EQ(NtapiSeh.Flags[3], EXCEPTION_UNWINDING | EXCEPTION_TARGET_UNWIND);
}

/* A frame handler that continues a noncontinuable exception gets
 * STATUS_NONCONTINUABLE_EXCEPTION raised with the original chained, and
 * the search goes on. RtlDispatchException is called straight, with a
 * CONTEXT at the fault in NtapiSehFault over a stack made up here whose
 * return address (0) ends the walk. */
TEST(exception, noncontinuable_continued)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = NTAPI_CODE_RAISE,
                               .ExceptionFlags = EXCEPTION_NONCONTINUABLE};
    ULONG64 Stack[8] = {0, 0, 0, 0, 0x4242, 0, 0, 0}; /* 32 bytes, rbx, return address */
    PVOID Handle = RtlAddVectoredExceptionHandler(1, NtapiRecordingHandler);
    static CONTEXT Context;

    memset(&NtapiVeh, 0, sizeof(NtapiVeh));
    NtapiVeh.ContinueCode = STATUS_NONCONTINUABLE_EXCEPTION;
    memset(&NtapiSeh, 0, sizeof(NtapiSeh));
    NtapiSeh.Answer = ExceptionContinueExecution;
    if (!CHECK(Handle != NULL))
        return;
    RtlCaptureContext(&Context);
    Context.Rip = (ULONG64)NtapiSehFaultAt;
    Context.Rsp = (ULONG64)Stack;
    CHECK_EQ(RtlDispatchException(&Record, &Context), FALSE);
    CHECK_EQ(NtapiSeh.Calls, 1);
    CHECK_EQ(NtapiVeh.Calls, 2); /* the original, then the dispatcher's own */
    CHECK_EQ(NtapiVeh.Record.ExceptionCode, STATUS_NONCONTINUABLE_EXCEPTION);
    CHECK_EQ(NtapiVeh.Record.ExceptionFlags & EXCEPTION_NONCONTINUABLE, EXCEPTION_NONCONTINUABLE);
    CHECK_EQ(NtapiVeh.Record.ExceptionRecord, &Record);
    RtlRemoveVectoredExceptionHandler(Handle);
}

static struct {
    ULONG FilterCalls, FinallyCalls;
    NTSTATUS FilterCode;
    BOOLEAN Abnormal;
} NtapiTry;

LONG NtapiTryFilter(PEXCEPTION_POINTERS Pointers, PVOID Frame)
{
    (void)Frame;
    NtapiTry.FilterCalls++;
    NtapiTry.FilterCode = Pointers->ExceptionRecord->ExceptionCode;
    return EXCEPTION_EXECUTE_HANDLER;
}

VOID NtapiFinallyBlock(BOOLEAN Abnormal, PVOID Frame)
{
    (void)Frame;
    NtapiTry.FinallyCalls++;
    NtapiTry.Abnormal = Abnormal;
}

/* __C_specific_handler: the filter runs, the __except block gets the
 * exception code in rax. */
TEST(exception, c_specific_handler_filter)
{
    memset(&NtapiTry, 0, sizeof(NtapiTry));
    CHECK_EQ(NtapiTryExcept(NTAPI_BAD_POINTER), (ULONG)STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiTry.FilterCalls, 1);
    CHECK_EQ(NtapiTry.FilterCode, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiTryExcept(&NtapiTry), 1); /* no exception: the __try body's value */
    CHECK_EQ(NtapiTry.FilterCalls, 1);
}

TEST(exception, c_specific_handler_constant_filter)
{
    CHECK_EQ(NtapiTryConst(NTAPI_KERNEL_POINTER), (ULONG)STATUS_ACCESS_VIOLATION);
}

/* An __except in the caller unwinds through a __finally of the callee. */
TEST(exception, c_specific_handler_finally)
{
    memset(&NtapiTry, 0, sizeof(NtapiTry));
    CHECK_EQ(NtapiTryOuter(NTAPI_BAD_POINTER), (ULONG)STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiTry.FinallyCalls, 1);
    CHECK_EQ(NtapiTry.Abnormal, TRUE);
}
