/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The loader's assembly entry points (Microsoft x64 ABI). LdrInitializeThunk
 * is where ntos starts every thread (RCX = CONTEXT *, RDX = ntdll's base);
 * it does not trust the stack alignment it is given, aligns it, leaves the
 * 32-byte home area and calls LdrpInitialize, which never returns.
 * LdrpStartThread switches to the thread's stack, calls its start routine
 * with two arguments and hands what it returns to an exit routine.
 */
    .text

    .globl LdrInitializeThunk
    .def LdrInitializeThunk; .scl 2; .type 32; .endef
LdrInitializeThunk:
    xorl %ebp, %ebp
    andq $-16, %rsp
    subq $32, %rsp
    call LdrpInitialize
    ud2

/* VOID LdrpStartThread(PVOID Entry, PVOID Argument1, PVOID Argument2,
 *                      ULONG_PTR Stack, LDRP_EXIT_ROUTINE Exit) */
    .globl LdrpStartThread
    .def LdrpStartThread; .scl 2; .type 32; .endef
LdrpStartThread:
    movq 40(%rsp), %r10     /* Exit, the fifth argument, before the switch */
    testq %r9, %r9
    jz 1f
    movq %r9, %rsp
1:  andq $-16, %rsp
    subq $48, %rsp          /* home area + a 16-byte slot for Exit */
    movq %r10, 32(%rsp)
    xorl %ebp, %ebp
    movq %rcx, %rax
    movq %rdx, %rcx
    movq %r8, %rdx
    call *%rax
    movl %eax, %ecx
    call *32(%rsp)
    ud2
