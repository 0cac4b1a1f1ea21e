/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x87/SSE state of user threads. The state lives in tcb->fpuState (an
 * fxsave64 image); the CPU holds the state of one owner at a time and it is
 * exchanged only when a different thread is about to return to user mode,
 * so two threads bouncing IPC pay two fxsave/fxrstor pairs per round trip
 * and a thread alone pays nothing. The idle thread never owns the FPU.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <arch/hardware.h>
#include <arch/x86.h>

#define MXCSR_DEFAULT 0x1f80 /* all SSE exceptions masked, round to nearest */

/* The thread whose state is in the FPU registers, or NULL. */
static tcb_t *x86KSfpuOwner;
/* fxsave image after fninit: the initial state of every thread (§20.1). */
static uint8_t x86KSnullFpuState[512] ALIGN(16);

BOOT_CODE void fpu_init(void)
{
    uint32_t mxcsr = MXCSR_DEFAULT;
    __asm__ volatile("fninit\n\t"
                     "ldmxcsr %1\n\t"
                     "fxsave64 %0"
                     : "=m"(x86KSnullFpuState)
                     : "m"(mxcsr));
}

void Arch_initFpuState(tcb_t *tcb)
{
    memcpy(tcb->fpuState, x86KSnullFpuState, sizeof(tcb->fpuState));
}

/* Make the FPU registers hold tcb's state. */
void fpu_switch_to(tcb_t *tcb)
{
    if (tcb == x86KSfpuOwner)
        return;
    if (x86KSfpuOwner)
        __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])x86KSfpuOwner->fpuState));
    __asm__ volatile("fxrstor64 %0" ::"m"(*(uint8_t(*)[512])tcb->fpuState));
    x86KSfpuOwner = tcb;
}

void fpu_release(tcb_t *tcb)
{
    if (x86KSfpuOwner == tcb)
        x86KSfpuOwner = NULL;
}

void Arch_prepareThreadDelete(tcb_t *tcb)
{
    fpu_release(tcb);
}
