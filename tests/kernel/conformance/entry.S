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


/*
 * Fault probes. Each is a helper-thread function fn(a0 = RDI, a1 = RSI) that
 * triggers one fault at a global label and stores RAX into c_fault_result
 * when it gets past it. They keep RSP in RBX across the trapping instruction
 * because a thread resumed on the `syscall` return path gets RSP = 0 (§4.2),
 * and the handler echoes RBX back. Callee-saved registers are saved on the
 * stack since the handler may rewrite them.
 */
    .macro SAVE
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rbx
    .endm
    .macro RESTORE
    mov     %rbx, %rsp
    mov     %rax, c_fault_result(%rip)
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret
    .endm

    .globl c_probe_unknown_syscall, c_probe_unknown_syscall_insn
c_probe_unknown_syscall:
    SAVE
    mov     %rdi, %rdx              /* the syscall number */
    mov     $0xaaaa, %rax
    mov     $0x5151, %rsi
    mov     $0xd1d1, %rdi
    mov     $0xb0b0, %rbp
    mov     $0x8888, %r8
    mov     $0x9999, %r9
    mov     $0x1010, %r10
    mov     $0x1212, %r12
    mov     $0x1313, %r13
    mov     $0x1414, %r14
    mov     $0x1515, %r15
c_probe_unknown_syscall_insn:
    syscall
    RESTORE

    .globl c_probe_int_a0, c_probe_int_a0_insn
c_probe_int_a0:
    SAVE
    mov     $0x77, %eax
c_probe_int_a0_insn:
    int     $0xa0
    RESTORE

    .globl c_probe_ud, c_probe_ud_insn
c_probe_ud:
    SAVE
    mov     $0x1, %eax
c_probe_ud_insn:
    ud2
    RESTORE

    .globl c_probe_de, c_probe_de_insn, c_probe_de_after
c_probe_de:
    SAVE
    mov     $0x5, %eax
    xor     %edx, %edx
    xor     %ecx, %ecx
c_probe_de_insn:
    div     %ecx
c_probe_de_after:
    mov     $0x2, %eax
    RESTORE

    .globl c_probe_gp, c_probe_gp_insn, c_probe_gp_after
c_probe_gp:
    SAVE
    mov     $0x3, %eax
c_probe_gp_insn:
    hlt
c_probe_gp_after:
    RESTORE

    .globl c_probe_bp, c_probe_bp_insn, c_probe_bp_after
c_probe_bp:
    SAVE
    mov     $0x4, %eax
c_probe_bp_insn:
    int3
c_probe_bp_after:
    RESTORE

    .globl c_probe_read, c_probe_read_insn
c_probe_read:
    SAVE
c_probe_read_insn:
    mov     (%rdi), %rax
    RESTORE

    .globl c_probe_write, c_probe_write_insn
c_probe_write:
    SAVE
    mov     %rsi, %rax
c_probe_write_insn:
    mov     %rsi, (%rdi)
    RESTORE

    .globl c_probe_fetch
c_probe_fetch:
    SAVE
    call    *%rdi
    RESTORE

    .globl c_probe_raw_syscall
/* c_probe_raw_syscall(number, rdi): one raw `syscall`, for unimplemented numbers. */
c_probe_raw_syscall:
    SAVE
    mov     %rdi, %rdx
    mov     %rsi, %rdi
    xor     %eax, %eax
    syscall
    RESTORE

    .bss
    .balign 8
    .globl c_fault_result
c_fault_result:
    .quad   0

    .section .note.GNU-stack, "", @progbits
