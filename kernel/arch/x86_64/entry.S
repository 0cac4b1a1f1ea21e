/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel entry and exit (kernel/README.md "Entry and exit"). Owns the
 * `syscall` entry, the 256 IDT stubs, the kernel stack, the register
 * restore that leaves the kernel (sysretq or iretq) and the idle thread's
 * loop. Registers are saved into the current thread's user_context_t
 * (arch/context.h): every IDT gate uses IST1, which the kernel keeps at
 * ksCurContextTop, so the CPU pushes SS..RIP (and the error code) into the
 * context itself and the stub pushes the rest below it. The kernel then
 * runs C on its own stack with interrupts disabled.
 */
#include <arch/context.h>
#include <api/fastpath.h>

#define R(reg) ((reg) * 8)
#define KERNEL_STACK_SIZE (4 * 4096)

    .text

/*
 * `syscall`: RCX = NextIP, R11 = RFLAGS, RSP = the user's (neither RSP nor
 * the user's RCX/R11 are kept, spec §4.2). REG_ERROR = -1 marks the context
 * for the sysretq return. Then the restart point (the `syscall` itself) and
 * FS/GS base (user code may change them with wrfsbase/wrgsbase, spec §6),
 * and Call / ReplyRecv try the fastpath (api/fastpath.h) with the user's
 * RDI and RSI still in place as its arguments; it returns only if its case
 * does not apply.
 */
    .globl syscall_entry
    .type syscall_entry, @function
    .balign 16
syscall_entry:
    clts                            /* the kernel runs with CR0.TS clear (fpu.c) */
    movq    ksCurContextTop(%rip), %rsp
    subq    $16, %rsp               /* SS, RSP: not saved */
    pushq   %r11                    /* RFLAGS */
    subq    $8, %rsp                /* CS: unchanged */
    pushq   %rcx                    /* NextIP */
    pushq   $-1                     /* REG_ERROR: entered by syscall */
    pushq   %r15
    pushq   %r14
    pushq   %r13
    pushq   %r12
    subq    $8, %rsp                /* R11: not saved */
    pushq   %r10
    pushq   %r9
    pushq   %r8
    pushq   %rbp
    pushq   %rdi
    pushq   %rsi
    pushq   %rdx
    subq    $8, %rsp                /* RCX: not saved */
    pushq   %rbx
    pushq   %rax
    leaq    -2(%rcx), %rcx          /* `syscall` is 2 bytes */
    movq    %rcx, R(REG_FAULTIP)(%rsp)
    rdfsbase %rcx
    movq    %rcx, R(REG_FS_BASE)(%rsp)
    rdgsbase %rcx
    movq    %rcx, R(REG_GS_BASE)(%rsp)
    leaq    kernel_stack_top(%rip), %rsp
    xorl    %ebp, %ebp
    cmpq    $FASTPATH_SYSCALL_CALL, %rdx
    je      2f
    cmpq    $FASTPATH_SYSCALL_REPLYRECV, %rdx
    jne     3f
    call    fastpath_reply_recv
    jmp     3f
2:  call    fastpath_call
3:  call    c_handle_syscall
1:  hlt                             /* c_handle_syscall never returns */
    jmp     1b
    .size syscall_entry, . - syscall_entry

/*
 * IDT stubs, 16 bytes each. Vectors without a CPU error code push 0 so the
 * frame has one shape (REG_ERROR is then 0, never -1). Each saves R15 into
 * its slot and passes the vector in R15.
 */
    .balign 16
    .globl idt_stubs
idt_stubs:
    .set vec, 0
    .rept 256
    .balign 16
    .if !((vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30))
    pushq   $0
    .endif
    pushq   %r15
    movl    $vec, %r15d
    jmp     trap_common
    .set vec, vec + 1
    .endr

trap_common:
    clts                            /* as in syscall_entry */
    pushq   %r14
    pushq   %r13
    pushq   %r12
    pushq   %r11
    pushq   %r10
    pushq   %r9
    pushq   %r8
    pushq   %rbp
    pushq   %rdi
    pushq   %rsi
    pushq   %rdx
    pushq   %rcx
    pushq   %rbx
    pushq   %rax
    cld
    movq    %r15, %rdi              /* vector */
    movq    R(REG_ERROR)(%rsp), %rsi
    leaq    kernel_stack_top(%rip), %rsp
    xorl    %ebp, %ebp
    cmpq    $32, %rdi
    jb      2f                      /* CPU exception */
    cmpq    $158, %rdi
    jb      3f                      /* hardware interrupt */
    cmpq    $255, %rdi
    je      3f                      /* spurious */
2:  call    c_handle_exception
    jmp     4f
3:  call    c_handle_interrupt
4:  hlt
    jmp     4b

/*
 * x86_sysret_context(regs): the fastpath's exit (restore_user_context_fast)
 * for a context with REG_ERROR == -1. Cleans RFLAGS and NextIP in place as
 * sanitise_user_context does (sysretq to a non-canonical RCX would fault in
 * ring 0: NextIP becomes 0), then joins the sysretq path below.
 */
    .globl x86_sysret_context
    .type x86_sysret_context, @function
x86_sysret_context:
    movq    %rdi, %rsp
    movq    R(REG_RFLAGS)(%rsp), %rax
    andl    $USER_RFLAGS_MASK, %eax
    orl     $RFLAGS_USER_SET, %eax
    movq    %rax, R(REG_RFLAGS)(%rsp)
    movq    R(REG_NEXTIP)(%rsp), %rax
    sarq    $47, %rax
    incq    %rax
    cmpq    $1, %rax                /* canonical: bits 63..47 all 0 or all 1 */
    jbe     5f
    movq    $0, R(REG_NEXTIP)(%rsp)
    jmp     5f
    .size x86_sysret_context, . - x86_sysret_context

/*
 * x86_restore_context(regs): leave the kernel into the context at regs
 * (RDI). REG_ERROR == -1: sysretq with RSP = 0 (spec §4.2); else iretq,
 * which restores everything including RSP.
 */
    .globl x86_restore_context
    .type x86_restore_context, @function
x86_restore_context:
    movq    %rdi, %rsp
    cmpq    $-1, R(REG_ERROR)(%rsp)
    je      5f
    popq    %rax
    popq    %rbx
    popq    %rcx
    popq    %rdx
    popq    %rsi
    popq    %rdi
    popq    %rbp
    popq    %r8
    popq    %r9
    popq    %r10
    popq    %r11
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
    addq    $8, %rsp                /* REG_ERROR */
    iretq
5:  popq    %rax
    popq    %rbx
    addq    $8, %rsp                /* RCX becomes NextIP */
    popq    %rdx
    popq    %rsi
    popq    %rdi
    popq    %rbp
    popq    %r8
    popq    %r9
    popq    %r10
    addq    $8, %rsp                /* R11 becomes RFLAGS */
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
    movq    R(REG_NEXTIP - REG_ERROR)(%rsp), %rcx
    movq    R(REG_RFLAGS - REG_ERROR)(%rsp), %r11
    xorl    %esp, %esp
    sysretq
    .size x86_restore_context, . - x86_restore_context

/* The idle thread: ring 0, interrupts on, waiting. */
    .globl idle_thread_loop
    .type idle_thread_loop, @function
idle_thread_loop:
    sti
    hlt
    jmp     idle_thread_loop
    .size idle_thread_loop, . - idle_thread_loop

    .bss
    .balign 4096
    .globl kernel_stack_top
kernel_stack:
    .skip   KERNEL_STACK_SIZE
kernel_stack_top:

    .section .note.GNU-stack, "", @progbits
