/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Root task entry. The kernel starts the root task here with RSP = 0, RDI =
 * bootinfo pointer, RFLAGS = 0x202 and FS/GS base 0 (sel4-abi.md §20.1), so
 * nothing may push or call before a stack exists. This file owns the initial
 * 64 KiB stack and the jump into C (rt_start in crt.c, which builds the TLS
 * block and calls main), and the first frame of helper threads.
 */

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    leaq    rt_initial_stack_top(%rip), %rsp
    xorl    %ebp, %ebp              /* end of the frame-pointer chain */
    /* RDI still holds the bootinfo pointer: first argument of rt_start. */
    call    rt_start
    /* rt_start never returns; stop here if it somehow does. */
1:  ud2
    jmp     1b
    .size _start, . - _start

/*
 * Helper threads start here (rt_thread_start writes RIP/RSP/FS base and
 * these argument registers): RDI = fn, RSI = arg0, RDX = arg1, RCX = IPC
 * buffer, RSP = top of the thread's stack (16-byte aligned).
 */
    .text
    .globl rt_thread_entry_asm
    .type rt_thread_entry_asm, @function
rt_thread_entry_asm:
    xorl    %ebp, %ebp
    call    rt_thread_entry
1:  ud2
    jmp     1b
    .size rt_thread_entry_asm, . - rt_thread_entry_asm

    .bss
    .balign 4096
rt_initial_stack:
    .skip   64 * 1024
rt_initial_stack_top:

    .section .note.GNU-stack, "", @progbits
