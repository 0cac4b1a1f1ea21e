/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Arch hooks used by generic code: context switch support and the return
 * to user mode. kernel/arch/x86_64/.
 */
#pragma once

#include <structures.h>

/* Return to ksCurThread in user mode: sysretq if it entered by syscall
 * (REG_ERROR == -1; RSP becomes 0, spec §4.2), iretq otherwise. Loads FS/GS
 * base from the context and the FPU state if the owner changed. */
NORETURN void restore_user_context(void);
/* Called by switchToThread: CR3, IST1/context pointer, FPU ownership. */
void Arch_switchToThread(tcb_t *tcb);
void Arch_switchToIdleThread(void);
/* Initial FPU state for a new TCB (default control words). */
void Arch_initFpuState(tcb_t *tcb);
/* A TCB object is about to be deleted: drop any arch reference to it (FPU
 * ownership). Must be called by TCB finalisation. */
void Arch_prepareThreadDelete(tcb_t *tcb);
/* Debug-port output used by DebugPutChar. */
void serial_debug_putchar(uint8_t c);
