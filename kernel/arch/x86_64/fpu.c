/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x87/SSE state of user threads, switched lazily. Each thread's state lives
 * in tcb->fpuState (an fxsave64 image), except the owner's, which is in the
 * FPU registers. Any other thread runs in user mode with CR0.TS set
 * (fpu_prepare_return in arch/x86.h; the kernel itself runs with it
 * clear), so its first x87/SSE instruction raises #NM; c_handle_exception
 * then calls fpu_take, which saves the owner's registers into its image,
 * loads the new thread's and makes it the owner, and the instruction is
 * re-executed. Threads that do not use the FPU between switches (IPC
 * servers, most of the time) thus cost a CR0.TS write instead of an
 * fxsave/fxrstor pair. A deleted owner's
 * registers are simply forgotten. The kernel (built without SSE/MMX) and
 * the idle thread never use the FPU.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <arch/hardware.h>
#include <arch/machine.h>
#include <arch/x86.h>

#define MXCSR_DEFAULT 0x1f80 /* all SSE exceptions masked, round to nearest */

tcb_t *x86KSfpuOwner;
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
    kassert(tcb != x86KSfpuOwner); /* a new TCB; deleted ones were released */
    memcpy(tcb->fpuState, x86KSnullFpuState, sizeof(tcb->fpuState));
}

void fpu_take(tcb_t *tcb)
{
    kassert(tcb != x86KSfpuOwner);
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
