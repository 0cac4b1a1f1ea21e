/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The assembly of ntdll's exception support (Microsoft x64 ABI).
 *
 * KiUserExceptionDispatcher and KiUserApcDispatcher are where ntos resumes
 * a thread, rsp at a CONTEXT it wrote on the stack (ntos/ke/exception.c:
 * the EXCEPTION_RECORD at +0x4f0, a machine frame at +0x590; ntos/ke/apc.c:
 * a machine frame at +0x4d0). Their unwind info describes that frame
 * (an allocation over a machine frame), so unwinding through them reaches
 * the interrupted code; the CONTEXT's P1Home..P4Home are the home area of
 * what they call. The APC dispatcher finds the routine and its arguments
 * there: P1Home..P3Home = Argument1..3, P4Home = the routine.
 *
 * KiUserExceptionDispatcher completes the CONTEXT with the x87/SSE state
 * (ntos cannot read it), and a handled exception goes on through
 * RtlRestoreContext, which loads it back.
 *
 * RtlpExecuteHandlerForException / ForUnwind call a language handler
 * under a frame of their own whose handler recognises an exception raised
 * in it (nested) or an unwind crossing it (collided); the DISPATCHER_CONTEXT
 * pointer they keep at rsp + 32 is how that handler finds the outer one.
 */
    .text

/* VOID KiUserExceptionDispatcher(VOID): rsp = CONTEXT, record at +0x4f0. */
    .globl KiUserExceptionDispatcher
    .def KiUserExceptionDispatcher; .scl 2; .type 32; .endef
    .seh_proc KiUserExceptionDispatcher
KiUserExceptionDispatcher:
    .seh_pushframe
    .seh_stackalloc 0x590
    .seh_endprologue
    cld
    /* ntos cannot read the x87/SSE state: it is still the thread's own
     * here, so it goes into the CONTEXT before any code can change it. */
    testl $8, 0x30(%rsp)            /* CONTEXT_FLOATING_POINT already given */
    jnz 1f
    fxsave 0x100(%rsp)
    stmxcsr 0x34(%rsp)
    orl $0x100008, 0x30(%rsp)
1:  leaq 0x4f0(%rsp), %rcx
    movq %rsp, %rdx
    call RtlpDispatchUserException
    ud2
    .seh_endproc

/* VOID KiUserApcDispatcher(VOID): rsp = CONTEXT with the APC in its homes. */
    .globl KiUserApcDispatcher
    .def KiUserApcDispatcher; .scl 2; .type 32; .endef
    .seh_proc KiUserApcDispatcher
KiUserApcDispatcher:
    .seh_pushframe
    .seh_stackalloc 0x4d0
    .seh_endprologue
    cld
    movq 0x00(%rsp), %rcx
    movq 0x08(%rsp), %rdx
    movq 0x10(%rsp), %r8
    movq %rsp, %r9
    call *0x18(%rsp)
    movq %rsp, %rcx
    movb $1, %dl
    call NtContinue
    movl %eax, %ecx
    call RtlRaiseStatus
    ud2
    .seh_endproc

/* VOID RtlCaptureContext(PCONTEXT Context): the caller's state after the call. */
    .globl RtlCaptureContext
    .def RtlCaptureContext; .scl 2; .type 32; .endef
    .seh_proc RtlCaptureContext
RtlCaptureContext:
    pushfq
    .seh_stackalloc 8
    .seh_endprologue
    movq %rax, 0x78(%rcx)
    movq %rcx, 0x80(%rcx)
    movq %rdx, 0x88(%rcx)
    movq %rbx, 0x90(%rcx)
    leaq 16(%rsp), %rax
    movq %rax, 0x98(%rcx)
    movq %rbp, 0xa0(%rcx)
    movq %rsi, 0xa8(%rcx)
    movq %rdi, 0xb0(%rcx)
    movq %r8, 0xb8(%rcx)
    movq %r9, 0xc0(%rcx)
    movq %r10, 0xc8(%rcx)
    movq %r11, 0xd0(%rcx)
    movq %r12, 0xd8(%rcx)
    movq %r13, 0xe0(%rcx)
    movq %r14, 0xe8(%rcx)
    movq %r15, 0xf0(%rcx)
    movq 8(%rsp), %rax
    movq %rax, 0xf8(%rcx)
    movw %cs, 0x38(%rcx)
    movw %ds, 0x3a(%rcx)
    movw %es, 0x3c(%rcx)
    movw %fs, 0x3e(%rcx)
    movw %gs, 0x40(%rcx)
    movw %ss, 0x42(%rcx)
    movl (%rsp), %eax
    movl %eax, 0x44(%rcx)
    fxsave 0x100(%rcx)
    stmxcsr 0x34(%rcx)
    movl $0x10000f, 0x30(%rcx)      /* CONTEXT_FULL | CONTEXT_SEGMENTS */
    movq 0x78(%rcx), %rax
    addq $8, %rsp
    ret
    .seh_endproc

/* VOID RtlpRestoreContextRegisters(PCONTEXT Context): never returns. Rip
 * and EFlags go just below the new rsp (x64 has no red zone), to be
 * loaded last by popfq and ret. */
    .globl RtlpRestoreContextRegisters
    .def RtlpRestoreContextRegisters; .scl 2; .type 32; .endef
RtlpRestoreContextRegisters:
    testl $8, 0x30(%rcx)            /* CONTEXT_FLOATING_POINT */
    jz 1f
    fxrstor 0x100(%rcx)
1:  movq 0x98(%rcx), %rax
    subq $16, %rax
    movq 0xf8(%rcx), %rdx
    movq %rdx, 8(%rax)
    movl 0x44(%rcx), %edx
    movq %rdx, (%rax)
    movq 0x88(%rcx), %rdx
    movq 0x90(%rcx), %rbx
    movq 0xa0(%rcx), %rbp
    movq 0xa8(%rcx), %rsi
    movq 0xb0(%rcx), %rdi
    movq 0xb8(%rcx), %r8
    movq 0xc0(%rcx), %r9
    movq 0xc8(%rcx), %r10
    movq 0xd0(%rcx), %r11
    movq 0xd8(%rcx), %r12
    movq 0xe0(%rcx), %r13
    movq 0xe8(%rcx), %r14
    movq 0xf0(%rcx), %r15
    movq %rax, %rsp
    movq 0x78(%rcx), %rax
    movq 0x80(%rcx), %rcx
    popfq
    ret

/* EXCEPTION_DISPOSITION RtlpExecuteHandlerFor{Exception,Unwind}(Record,
 *     Frame, Context, DispatcherContext): DispatcherContext->LanguageHandler
 * (at +0x30) with the same arguments. The nop keeps the return address
 * out of the epilogue, so unwinding sees this frame and its handler. */
    .globl RtlpExecuteHandlerForException
    .def RtlpExecuteHandlerForException; .scl 2; .type 32; .endef
    .seh_proc RtlpExecuteHandlerForException
RtlpExecuteHandlerForException:
    subq $40, %rsp
    .seh_stackalloc 40
    .seh_endprologue
    .seh_handler RtlpNestedExceptionHandler, @except
    movq %r9, 32(%rsp)
    call *0x30(%r9)
    nop
    addq $40, %rsp
    ret
    .seh_endproc

    .globl RtlpExecuteHandlerForUnwind
    .def RtlpExecuteHandlerForUnwind; .scl 2; .type 32; .endef
    .seh_proc RtlpExecuteHandlerForUnwind
RtlpExecuteHandlerForUnwind:
    subq $40, %rsp
    .seh_stackalloc 40
    .seh_endprologue
    .seh_handler RtlpCollidedUnwindHandler, @unwind
    movq %r9, 32(%rsp)
    call *0x30(%r9)
    nop
    addq $40, %rsp
    ret
    .seh_endproc
