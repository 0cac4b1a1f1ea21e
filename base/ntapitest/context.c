/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtGetContextThread / NtSetContextThread: the caller's own registers (its
 * user state at the call: rsp on its stack, rip in ntdll), setting them
 * (the thread goes on at the new rip), the floating-point part, handles
 * and rights they check, bad CONTEXT pointers; another thread's context
 * (needs NtCreateThreadEx, the ps branch).
 */
#include "ntapiexc.h"
#include "synch.h"

static PVOID NtapiImageOf(ULONG64 Address)
{
    PVOID Base = NULL;

    return RtlPcToFileHeader((PVOID)Address, &Base);
}

TEST(context, get_self)
{
    static CONTEXT Context;
    ULONG64 Low = (ULONG64)NtCurrentTeb()->DeallocationStack;
    ULONG64 High = (ULONG64)NtCurrentTeb()->NtTib.StackBase;
    PVOID Program = NtCurrentTeb()->ProcessEnvironmentBlock->ImageBaseAddress;

    memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    CHECK_STATUS(NtGetContextThread(NtCurrentThread(), &Context), STATUS_SUCCESS);
    CHECK_EQ(Context.ContextFlags, CONTEXT_CONTROL | CONTEXT_INTEGER);
    CHECK(Context.Rsp > Low && Context.Rsp < High);
    /* Stopped in the service call: rip is in ntdll, not in this program. */
    CHECK(NtapiImageOf(Context.Rip) != NULL);
    CHECK(NtapiImageOf(Context.Rip) != Program);
    CHECK_EQ(Context.SegCs, 0x33);
    CHECK_EQ(Context.SegSs, 0x2b);
    CHECK_EQ(Context.EFlags & 0x200, 0x200);
}

/* Only the parts asked for are written. */
TEST(context, get_self_control_only)
{
    static CONTEXT Context;

    memset(&Context, 0x5a, sizeof(Context));
    Context.ContextFlags = CONTEXT_CONTROL;
    CHECK_STATUS(NtGetContextThread(NtCurrentThread(), &Context), STATUS_SUCCESS);
    CHECK_EQ(Context.R12, 0x5a5a5a5a5a5a5a5aull);
    CHECK_EQ(Context.Rax, 0x5a5a5a5a5a5a5a5aull);
    CHECK(Context.Rsp != 0x5a5a5a5a5a5a5a5aull);
}

TEST(context, get_real_handle)
{
    static CONTEXT Context;
    HANDLE Thread = NtapiOpenSelfThread(THREAD_GET_CONTEXT);

    if (!CHECK(Thread != NULL))
        return;
    Context.ContextFlags = CONTEXT_CONTROL;
    CHECK_STATUS(NtGetContextThread(Thread, &Context), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Thread), STATUS_SUCCESS);
}

TEST(context, get_bad_handles)
{
    static CONTEXT Context;
    HANDLE Query = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);

    Context.ContextFlags = CONTEXT_CONTROL;
    CHECK_STATUS(NtGetContextThread((HANDLE)(ULONG_PTR)0x1234, &Context), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtGetContextThread(NtCurrentProcess(), &Context), STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK(Query != NULL)) {
        CHECK_STATUS(NtGetContextThread(Query, &Context), STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtSetContextThread(Query, &Context), STATUS_ACCESS_DENIED);
        NtClose(Query);
    }
}

TEST(context, get_bad_pointers)
{
    static CONTEXT Context;

    CHECK_STATUS(NtGetContextThread(NtCurrentThread(), NTAPI_BAD_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtGetContextThread(NtCurrentThread(), (PCONTEXT)((PUCHAR)&Context + 8)),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtGetContextThread(NtCurrentThread(), (PCONTEXT)NTAPI_READONLY_POINTER),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtSetContextThread(NtCurrentThread(), NTAPI_BAD_POINTER), STATUS_ACCESS_VIOLATION);
}

static volatile LONG NtapiContextPass;

/* Setting the caller's own control registers: it goes on there. */
TEST(context, set_self)
{
    static CONTEXT Context;

    NtapiContextPass = 0;
    RtlCaptureContext(&Context);
    if (NtapiContextPass++ == 0) {
        Context.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
        NtSetContextThread(NtCurrentThread(), &Context);
        CHECK(FALSE); /* not reached */
    }
    CHECK_EQ(NtapiContextPass, 2);
}

/* The x87/SSE part of the thread's own context: the control words it set
 * come back in FltSave and MxCsr. */
TEST(context, get_self_floating_point)
{
    static CONTEXT Context;
    unsigned int OldCsr, NewCsr = 0x7f80; /* round toward zero, all masked */
    unsigned short OldFpu, NewFpu = 0x037f;

    __asm__ volatile("stmxcsr %0; fnstcw %1" : "=m"(OldCsr), "=m"(OldFpu));
    __asm__ volatile("ldmxcsr %0; fldcw %1" : : "m"(NewCsr), "m"(NewFpu));
    memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_FULL;
    CHECK_STATUS(NtGetContextThread(NtCurrentThread(), &Context), STATUS_SUCCESS);
    __asm__ volatile("ldmxcsr %0; fldcw %1" : : "m"(OldCsr), "m"(OldFpu));
    CHECK_EQ(Context.ContextFlags, CONTEXT_FULL);
    CHECK_EQ(Context.MxCsr, NewCsr);
    CHECK_EQ(Context.FltSave.MxCsr, NewCsr);
    CHECK_EQ(Context.FltSave.ControlWord, NewFpu);
}

static ULONG NTAPI NtapiContextThreadMain(PVOID Argument)
{
    (void)Argument;
    while (NT_SUCCESS(NtYieldExecution()))
        ;
    return 0;
}

/* Another thread, created suspended: its context can be read and written. */
TEST(context, other_thread)
{
    static CONTEXT Context, Again;
    HANDLE Thread = NULL;

    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  NtapiContextThreadMain, NULL, 1 /* suspended */, 0, 0, 0, NULL),
                 STATUS_SUCCESS);
    if (Thread == NULL)
        return;
    Context.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    CHECK_STATUS(NtGetContextThread(Thread, &Context), STATUS_SUCCESS);
    CHECK(Context.Rip != 0 && Context.Rsp != 0);
    Context.R12 = 0x1212;
    CHECK_STATUS(NtSetContextThread(Thread, &Context), STATUS_SUCCESS);
    Again.ContextFlags = CONTEXT_INTEGER;
    CHECK_STATUS(NtGetContextThread(Thread, &Again), STATUS_SUCCESS);
    CHECK_EQ(Again.R12, 0x1212);
    CHECK_STATUS(NtTerminateThread(Thread, 0), STATUS_SUCCESS);
    NtClose(Thread);
}

/* Another thread's x87/SSE state is out of ntos's reach (seL4 has no
 * access): the flag comes back cleared rather than with made-up values. */
TEST(context, other_thread_floating_point_not_returned)
{
    static CONTEXT Context;
    HANDLE Thread = NULL;

    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  NtapiContextThreadMain, NULL, 1 /* suspended */, 0, 0, 0, NULL),
                 STATUS_SUCCESS);
    if (Thread == NULL)
        return;
    Context.ContextFlags = CONTEXT_FULL;
    CHECK_STATUS(NtGetContextThread(Thread, &Context), STATUS_SUCCESS);
    CHECK_EQ(Context.ContextFlags, CONTEXT_CONTROL | CONTEXT_INTEGER);
    CHECK_STATUS(NtTerminateThread(Thread, 0), STATUS_SUCCESS);
    NtClose(Thread);
}

static volatile ULONG64 NtapiRedirected;

static VOID NtapiRedirectTarget(ULONG64 Value)
{
    NtapiRedirected = Value;
    NtTerminateThread(NtCurrentThread(), 0x77);
}

/* A suspended thread given a new rip and rcx runs there when resumed. */
TEST(context, set_other_thread_rip)
{
    static CONTEXT Context;
    LARGE_INTEGER Limit = {.QuadPart = -50000000ll};
    THREAD_BASIC_INFORMATION Info;
    HANDLE Thread = NULL;

    NtapiRedirected = 0;
    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  NtapiContextThreadMain, NULL, 1 /* suspended */, 0, 0, 0, NULL),
                 STATUS_SUCCESS);
    if (Thread == NULL)
        return;
    Context.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    CHECK_STATUS(NtGetContextThread(Thread, &Context), STATUS_SUCCESS);
    Context.Rip = (ULONG64)NtapiRedirectTarget;
    Context.Rcx = 0x5151;
    Context.Rsp = ((Context.Rsp - 0x100) & ~15ull) - 8; /* as after a call */
    CHECK_STATUS(NtSetContextThread(Thread, &Context), STATUS_SUCCESS);
    CHECK_STATUS(NtResumeThread(Thread, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &Limit), STATUS_SUCCESS);
    CHECK_EQ(NtapiRedirected, 0x5151);
    CHECK_STATUS(
        NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Info.ExitStatus, 0x77);
    NtClose(Thread);
}

/* Where a thread redirected inside its wait lands: the registers it arrives
 * with are recorded before any C code can change them. */
ULONG64 NtapiLandedRax, NtapiLandedRsi, NtapiLandedRdi, NtapiLandedR12;
VOID NtapiContextLanding(VOID);
VOID NtapiContextLandingTail(VOID)
{
    NtTerminateThread(NtCurrentThread(), 0x66);
}
__asm__(".globl NtapiContextLanding\n"
        "NtapiContextLanding:\n"
        "    movq %rax, NtapiLandedRax(%rip)\n"
        "    movq %rsi, NtapiLandedRsi(%rip)\n"
        "    movq %rdi, NtapiLandedRdi(%rip)\n"
        "    movq %r12, NtapiLandedR12(%rip)\n"
        "    andq $-16, %rsp\n"
        "    subq $40, %rsp\n"
        "    call NtapiContextLandingTail\n"
        "    ud2\n");

static ULONG NTAPI NtapiContextWaiter(PVOID Event)
{
    return (ULONG)NtWaitForSingleObject((HANDLE)Event, FALSE, NULL);
}

/* A thread blocked in a wait inside ntos gets a new context: it takes
 * effect when the wait ends, every register as set (the answer to its call
 * must not overwrite rsi, rdi or rax), and a query meanwhile shows it. */
TEST(context, set_thread_waiting_in_service)
{
    static CONTEXT Context, Again;
    LARGE_INTEGER Settle = {.QuadPart = -500000ll}, Limit = {.QuadPart = -50000000ll};
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE), Thread = NULL;
    THREAD_BASIC_INFORMATION Info;

    if (!CHECK(Event != NULL))
        return;
    NtapiLandedRax = NtapiLandedRsi = NtapiLandedRdi = NtapiLandedR12 = 0;
    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  NtapiContextWaiter, Event, 0, 0, 0, 0, NULL),
                 STATUS_SUCCESS);
    if (Thread == NULL)
        goto out;
    NtDelayExecution(FALSE, &Settle); /* it runs and blocks in its wait */
    Context.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    CHECK_STATUS(NtGetContextThread(Thread, &Context), STATUS_SUCCESS);
    Context.Rip = (ULONG64)NtapiContextLanding;
    Context.Rsp = ((Context.Rsp - 0x200) & ~15ull) - 8;
    Context.Rax = 0x4242;
    Context.Rsi = 0x5151;
    Context.Rdi = 0x5252;
    Context.R12 = 0x1212;
    CHECK_STATUS(NtSetContextThread(Thread, &Context), STATUS_SUCCESS);
    Again.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    CHECK_STATUS(NtGetContextThread(Thread, &Again), STATUS_SUCCESS);
    CHECK_EQ(Again.Rip, (ULONG64)NtapiContextLanding);
    CHECK_EQ(Again.Rsi, 0x5151);
    CHECK_STATUS(NtSetEvent(Event, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &Limit), STATUS_SUCCESS);
    CHECK_EQ(NtapiLandedRax, 0x4242);
    CHECK_EQ(NtapiLandedRsi, 0x5151);
    CHECK_EQ(NtapiLandedRdi, 0x5252);
    CHECK_EQ(NtapiLandedR12, 0x1212);
    CHECK_STATUS(
        NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Info.ExitStatus, 0x66);
    NtClose(Thread);
out:
    NtClose(Event);
}
