/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of ke/context.c's conversions: a CONTEXT's parts merged into
 * seL4 registers by ContextFlags, the flags register kept to what user
 * code may change, the registers back as a CONTEXT, and the registers of a
 * service call made to look answered.
 */
#include "ktest.h"

static void KtFillRegisters(seL4_UserContext *Regs)
{
    seL4_Word *Words = (seL4_Word *)Regs;

    for (ULONG i = 0; i < sizeof(*Regs) / sizeof(seL4_Word); i++)
        Words[i] = 0x1000 + i;
}

KTEST(context_control_only)
{
    static CONTEXT Context;
    seL4_UserContext Regs;

    KtFillRegisters(&Regs);
    memset(&Context, 0, sizeof(Context));
    Context.Rip = 0x401000, Context.Rsp = 0x7000, Context.Rbp = 0x7100, Context.Rax = 0x55;
    Context.EFlags = 0x246;
    KiRegistersFromContext(&Regs, &Context, CONTEXT_CONTROL);
    CHECK_EQ(Regs.rip, 0x401000);
    CHECK_EQ(Regs.rsp, 0x7000);
    CHECK_EQ(Regs.rbp, 0x7100);
    CHECK_EQ(Regs.rflags, 0x246);
    CHECK_EQ(Regs.rax, 0x1003); /* integer registers untouched */
    CHECK_EQ(Regs.fs_base, 0x1012);
}

KTEST(context_integer_only)
{
    static CONTEXT Context;
    seL4_UserContext Regs;

    KtFillRegisters(&Regs);
    memset(&Context, 0, sizeof(Context));
    Context.Rip = 0x401000, Context.Rax = 0x55, Context.R15 = 0xf15, Context.Rbp = 0xbb;
    KiRegistersFromContext(&Regs, &Context, CONTEXT_INTEGER);
    CHECK_EQ(Regs.rip, 0x1000); /* control untouched */
    CHECK_EQ(Regs.rax, 0x55);
    CHECK_EQ(Regs.r15, 0xf15);
    CHECK_EQ(Regs.rbp, 0xbb);
    /* CONTEXT_AMD64 alone names no part. */
    KtFillRegisters(&Regs);
    KiRegistersFromContext(&Regs, &Context, CONTEXT_AMD64);
    CHECK_EQ(Regs.rax, 0x1003);
    CHECK_EQ(Regs.rip, 0x1000);
}

/* IOPL, NT, VM, RF and the reserved bits never reach a user thread; IF is on. */
KTEST(context_flags_sanitised)
{
    static CONTEXT Context;
    seL4_UserContext Regs;

    KtFillRegisters(&Regs);
    memset(&Context, 0, sizeof(Context));
    Context.EFlags = 0xffffffff;
    KiRegistersFromContext(&Regs, &Context, CONTEXT_CONTROL);
    CHECK_EQ(Regs.rflags & 0x3000, 0);  /* IOPL */
    CHECK_EQ(Regs.rflags & 0x34000, 0); /* NT, RF, VM */
    CHECK_EQ(Regs.rflags & 0x202, 0x202);
    CHECK_EQ(Regs.rflags & 0xcd5, 0xcd5); /* the arithmetic flags and DF kept */
    Context.EFlags = 0;
    KiRegistersFromContext(&Regs, &Context, CONTEXT_CONTROL);
    CHECK_EQ(Regs.rflags, 0x202);
}

KTEST(context_from_registers)
{
    static CONTEXT Context;
    seL4_UserContext Regs;

    KtFillRegisters(&Regs);
    memset(&Context, 0, sizeof(Context));
    KiContextFromRegisters(&Context, &Regs);
    CHECK_EQ(Context.ContextFlags, CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS);
    CHECK_EQ(Context.Rip, Regs.rip);
    CHECK_EQ(Context.Rsp, Regs.rsp);
    CHECK_EQ(Context.Rbx, Regs.rbx);
    CHECK_EQ(Context.R8, Regs.r8);
    CHECK_EQ(Context.R15, Regs.r15);
    CHECK_EQ(Context.SegCs, 0x33);
    CHECK_EQ(Context.SegSs, 0x2b);
}

/* What the reply of a service call would have set. */
KTEST(context_service_return)
{
    seL4_UserContext Regs;

    KtFillRegisters(&Regs);
    KiSetServiceReturn(&Regs, STATUS_USER_APC);
    CHECK_EQ(Regs.r10, STATUS_USER_APC);
    CHECK_EQ(Regs.rsi, 1); /* label 0, length 1 */
    CHECK_EQ(Regs.rdi, 0);
    CHECK_EQ(Regs.rbx, 0x1004); /* ntdll's saved rsp untouched */
}
