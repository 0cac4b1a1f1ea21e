/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper threads of a root task: each shares the root CSpace and VSpace and
 * gets a stack, a TLS block and an IPC buffer page from static pools in the
 * image's .bss. IPC buffer pages are part of the image, so their frame caps
 * are found through bootinfo->userImageFrames and no mapping is needed.
 */
#include "roottask.h"

#define RT_THREAD_TLS_AREA 1024

static char thread_stacks[RT_MAX_THREADS][RT_THREAD_STACK_SIZE] __attribute__((aligned(4096)));
static char thread_ipc[RT_MAX_THREADS][4096] __attribute__((aligned(4096)));
static char thread_tls[RT_MAX_THREADS][RT_THREAD_TLS_AREA] __attribute__((aligned(64)));
static int threads_used;

extern char rt_thread_entry_asm[];
void rt_thread_entry(rt_thread_fn fn, seL4_Word arg0, seL4_Word arg1, seL4_IPCBuffer *ipc,
                     seL4_CPtr tcb) __attribute__((noreturn, used));

/* First C frame of a helper thread (entered from rt_thread_entry_asm). */
void rt_thread_entry(rt_thread_fn fn, seL4_Word arg0, seL4_Word arg1, seL4_IPCBuffer *ipc,
                     seL4_CPtr tcb)
{
    seL4_SetIPCBuffer(ipc);
    fn(arg0, arg1);
    seL4_TCB_Suspend(tcb);
    for (;;)
        seL4_Yield(); /* not reached: Suspend does not return to us */
}

static seL4_Error configure(rt_thread_t *t, seL4_Word prio)
{
    seL4_Error err =
        seL4_TCB_Configure(t->tcb, seL4_CapNull, seL4_CapInitThreadCNode, 0,
                           seL4_CapInitThreadVSpace, 0, (seL4_Word)t->ipc_buffer, t->ipc_frame);
    if (err != seL4_NoError)
        return err;
    return seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, prio);
}

seL4_Error rt_thread_start(rt_thread_t *t, rt_thread_fn fn, seL4_Word arg0, seL4_Word arg1,
                           seL4_Word prio)
{
    seL4_UserContext regs;
    seL4_Word tp;
    seL4_Error err;

    if (threads_used >= RT_MAX_THREADS)
        return seL4_NotEnoughMemory;
    t->index = threads_used;
    t->ipc_buffer = thread_ipc[t->index];
    t->ipc_frame = rt_image_frame(t->ipc_buffer);
    tp = rt_tls_init(thread_tls[t->index], RT_THREAD_TLS_AREA);
    if (tp == 0 || t->ipc_frame == seL4_CapNull)
        return seL4_NotEnoughMemory;

    err = rt_alloc_object(seL4_TCBObject, 0, &t->tcb);
    if (err != seL4_NoError)
        return err;
    threads_used++;
    err = configure(t, prio);
    if (err != seL4_NoError)
        return err;

    memset(&regs, 0, sizeof(regs));
    regs.rip = (seL4_Word)rt_thread_entry_asm;
    /* 16-byte aligned before the call in rt_thread_entry_asm, as the ABI wants. */
    regs.rsp = (seL4_Word)&thread_stacks[t->index][RT_THREAD_STACK_SIZE];
    regs.rflags = 0x202;
    regs.rdi = (seL4_Word)fn;
    regs.rsi = arg0;
    regs.rdx = arg1;
    regs.rcx = (seL4_Word)t->ipc_buffer;
    regs.r8 = t->tcb;
    regs.fs_base = tp;
    return seL4_TCB_WriteRegisters(t->tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}
