/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntos's entry point and the stack of its server thread. The kernel starts
 * the root task here with RSP = 0, RDI = the bootinfo, FS/GS base 0
 * (sel4-abi.md §20.1), so nothing may push or call before a stack exists.
 * This file owns that first, 64 KiB stack (the service loop runs on it; each
 * request runs on a fiber stack of its own, ke/fiber.c) and the jump into C
 * (KiStartup in ke/startup.c).
 */

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    leaq    KiInitialStackTop(%rip), %rsp
    xorl    %ebp, %ebp              /* end of the frame-pointer chain */
    /* RDI still holds the bootinfo pointer: the first argument of KiStartup. */
    call    KiStartup
1:  ud2
    jmp     1b
    .size _start, . - _start

    .bss
    .balign 4096
    .globl KiInitialStack
KiInitialStack:
    .skip   64 * 1024
    .globl KiInitialStackTop
KiInitialStackTop:

    .section .note.GNU-stack, "", @progbits
