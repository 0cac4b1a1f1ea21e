/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel entry points called by the arch trap code (kernel/arch/x86_64/),
 * all with interrupts off; each ends by scheduling and returning to
 * restore_user_context(). c_handle_* live in kernel/arch/x86_64/c_traps.c
 * (arch glue); handle* in kernel/api/syscall.c (generic).
 */
#pragma once

#include <types.h>

typedef enum vm_fault_type { seL4_DataFault = 0, seL4_InstructionFault = 1 } vm_fault_type_t;

NORETURN void c_handle_syscall(void);            /* syscall number in saved RDX */
NORETURN void c_handle_interrupt(word_t vector); /* hardware IRQ, vector >= 32 */
/* CPU exception from user mode (vector < 32), or `int n` (158..254). */
NORETURN void c_handle_exception(word_t vector, word_t errorCode);

exception_t handleSyscall(sword_t syscall);
exception_t handleUnknownSyscall(word_t w);
exception_t handleUserLevelFault(word_t number, word_t code);
exception_t handleVMFaultEvent(vm_fault_type_t type);
exception_t handleInterruptEntry(void);
/* Deliver a hardware IRQ (kernel IRQ number) to its notification. */
void handleInterrupt(irq_t irq);
