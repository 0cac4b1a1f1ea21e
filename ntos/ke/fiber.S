/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fiber switching (SysV ABI): only the callee-saved registers and RSP
 * change hands; everything else is dead across a call anyway. ntos is
 * built with -mgeneral-regs-only and never touches the x87/SSE unit, so
 * the kernel never switches FPU state for it and there is no MXCSR or
 * control word to keep; the 8-byte slot below the registers stays, so
 * a stack stays 16-byte aligned.
 */
    .text

/* void KiSwitchFiber(ULONG_PTR *SaveRsp (rdi), ULONG_PTR NewRsp (rsi)) */
    .globl KiSwitchFiber
    .type KiSwitchFiber, @function
KiSwitchFiber:
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
    .size KiSwitchFiber, . - KiSwitchFiber

/*
 * First frame of a fiber: KiCreateFiber leaves RSP 16-byte aligned here
 * with r12 = the fiber; KiFiberMain never returns.
 */
    .globl KiFiberTrampoline
    .type KiFiberTrampoline, @function
KiFiberTrampoline:
    xorl    %ebp, %ebp
    movq    %r12, %rdi
    call    KiFiberMain
1:  ud2
    jmp     1b
    .size KiFiberTrampoline, . - KiFiberTrampoline

    .section .note.GNU-stack, "", @progbits
