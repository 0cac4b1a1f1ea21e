/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of exception delivery: the frame KiBuildExceptionFrame writes
 * on a (suspended) thread's stack, the registers it leaves for the
 * dispatcher, the int3 adjustment, and a stack that cannot take the frame.
 */
#include "ktest.h"

#define KT_STACK_BASE 0x20000000ull
#define KT_DISPATCHER 0x7770000ull

static EPROCESS KtExProcess;
static ETHREAD KtExThread;

static bool KtExSetUp(seL4_Word Rsp)
{
    seL4_UserContext Regs = {.rip = 0x401234, .rsp = Rsp, .rflags = 0x602, .rax = 11, .r15 = 15};
    ULONG_PTR Base = KT_STACK_BASE;

    KtExProcess = (EPROCESS){0};
    KtExThread = (ETHREAD){.Process = &KtExProcess};
    if (!NT_SUCCESS(MmCreateAddressSpace(&KtExProcess.AddressSpace)) ||
        !NT_SUCCESS(
            MmReserveRange(KtExProcess.AddressSpace, &Base, 0x10000, PAGE_READWRITE, true)) ||
        !NT_SUCCESS(MmAllocateObject(seL4_TCBObject, 0, &KtExThread.Tcb)))
        return false;
    return seL4_TCB_WriteRegisters(KtExThread.Tcb, false, 0, sizeof(Regs) / sizeof(seL4_Word),
                                   &Regs) == seL4_NoError;
}

static void KtExTearDown(void)
{
    MmFreeObject(KtExThread.Tcb);
    MmDeleteAddressSpace(KtExProcess.AddressSpace);
}

KTEST(exception_frame_on_user_stack)
{
    static UCHAR Frame[0x5b8];
    EXCEPTION_RECORD Record = {.ExceptionCode = STATUS_ACCESS_VIOLATION, .NumberParameters = 2};
    seL4_Word OldRsp = KT_STACK_BASE + 0xf008;
    seL4_UserContext Regs = {0};

    Record.ExceptionInformation[0] = 1;
    Record.ExceptionInformation[1] = 0xdead0000;
    if (!CHECK(KtExSetUp(OldRsp)))
        return;
    CHECK_EQ(KiBuildExceptionFrame(&KtExThread, KT_DISPATCHER, &Record), STATUS_SUCCESS);
    CHECK_EQ(
        seL4_TCB_ReadRegisters(KtExThread.Tcb, false, 0, sizeof(Regs) / sizeof(seL4_Word), &Regs),
        seL4_NoError);
    CHECK_EQ(Regs.rip, KT_DISPATCHER);
    CHECK_EQ(Regs.rsp & 15, 0);
    CHECK(Regs.rsp + sizeof(Frame) <= OldRsp);
    CHECK_EQ(Regs.rflags & 0x400, 0); /* DF cleared for the dispatcher */
    CHECK(NT_SUCCESS(MmCopyFromUser(&KtExProcess, Frame, Regs.rsp, sizeof(Frame))));
    CONTEXT *Context = (CONTEXT *)Frame;
    EXCEPTION_RECORD *Saved = (EXCEPTION_RECORD *)(Frame + 0x4f0);
    ULONG64 *Machine = (ULONG64 *)(Frame + 0x590);
    CHECK_EQ(Context->Rip, 0x401234);
    CHECK_EQ(Context->Rsp, OldRsp);
    CHECK_EQ(Context->Rax, 11);
    CHECK_EQ(Context->R15, 15);
    CHECK_EQ(Context->EFlags & 0x400, 0x400); /* the thread's own flags, unchanged */
    CHECK_EQ(Context->ContextFlags, CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS);
    CHECK_EQ(Saved->ExceptionCode, STATUS_ACCESS_VIOLATION);
    CHECK_EQ((ULONG_PTR)Saved->ExceptionAddress, 0x401234);
    CHECK_EQ(Saved->NumberParameters, 2);
    CHECK_EQ(Saved->ExceptionInformation[1], 0xdead0000);
    CHECK_EQ(Machine[0], 0x401234);
    CHECK_EQ(Machine[3], OldRsp);
    KtExTearDown();
}

KTEST(exception_breakpoint_reported_at_int3)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = STATUS_BREAKPOINT};
    CONTEXT Context;
    seL4_UserContext Regs = {0};

    if (!CHECK(KtExSetUp(KT_STACK_BASE + 0x8000)))
        return;
    CHECK_EQ(KiBuildExceptionFrame(&KtExThread, KT_DISPATCHER, &Record), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)Record.ExceptionAddress, 0x401233);
    seL4_TCB_ReadRegisters(KtExThread.Tcb, false, 0, sizeof(Regs) / sizeof(seL4_Word), &Regs);
    CHECK(NT_SUCCESS(MmCopyFromUser(&KtExProcess, &Context, Regs.rsp, sizeof(Context))));
    CHECK_EQ(Context.Rip, 0x401233);
    KtExTearDown();
}

KTEST(exception_without_stack_room_fails)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = STATUS_ACCESS_VIOLATION};
    seL4_UserContext Regs = {0};

    /* Only 0x100 bytes of committed stack below rsp: the frame cannot fit. */
    if (!CHECK(KtExSetUp(KT_STACK_BASE + 0x100)))
        return;
    CHECK_EQ(KiBuildExceptionFrame(&KtExThread, KT_DISPATCHER, &Record), STATUS_STACK_OVERFLOW);
    seL4_TCB_ReadRegisters(KtExThread.Tcb, false, 0, sizeof(Regs) / sizeof(seL4_Word), &Regs);
    CHECK_EQ(Regs.rip, 0x401234); /* untouched */
    KtExTearDown();
    /* A thread with rsp 0 (e.g. after a syscall-entry fault) gets nothing either. */
    if (!CHECK(KtExSetUp(0)))
        return;
    CHECK_EQ(KiBuildExceptionFrame(&KtExThread, KT_DISPATCHER, &Record), STATUS_STACK_OVERFLOW);
    KtExTearDown();
}
