/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * First instructions of the conformance suite's helper threads. cthread.c
 * writes RIP here, RSP = top of the thread's stack (16-byte aligned), FS base
 * = its TLS thread pointer and the arguments of c_thread_entry in RDI, RSI,
 * RDX, RCX, R8; this clears the frame pointer and calls it. Also the small
 * assembly routines the fault tests need, with global labels on the
 * instructions whose addresses the kernel must report.
 */

    .text
    .globl c_thread_entry_asm
    .type c_thread_entry_asm, @function
c_thread_entry_asm:
    xorl    %ebp, %ebp
    call    c_thread_entry
1:  ud2
    jmp     1b
    .size c_thread_entry_asm, . - c_thread_entry_asm

    .section .note.GNU-stack, "", @progbits
