/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper threads and address spaces of the conformance suite. Unlike the
 * runtime's rt_thread_start, these threads take their TCB from the per-test
 * pool and reuse a fixed set of stacks, TLS areas and IPC buffer pages (all
 * in the image, so their frame caps come from bootinfo), because every test
 * destroys its threads when it ends. Also: mapping frames into any VSpace
 * with the paging structures made on demand, new VSpaces with an ASID, and
 * cloning the root task image into one (the frames are shared, so globals
 * are visible from both sides).
 */
#include "conf.h"

#define C_STACK_SIZE (16 * 1024)
#define C_TLS_AREA   1024

extern const char __image_start[];

static char thr_stack[C_MAX_THREADS][C_STACK_SIZE] __attribute__((aligned(4096)));
static char thr_ipc[C_MAX_THREADS][4096] __attribute__((aligned(4096)));
static char thr_tls[C_MAX_THREADS][C_TLS_AREA] __attribute__((aligned(64)));
int c_threads_used;

void c_thread_entry(c_thread_fn fn, seL4_Word a0, seL4_Word a1, seL4_IPCBuffer *ipc, seL4_CPtr self)
    __attribute__((noreturn, used));

/* First C frame of a helper thread (entered from c_thread_entry_asm). */
void c_thread_entry(c_thread_fn fn, seL4_Word a0, seL4_Word a1, seL4_IPCBuffer *ipc, seL4_CPtr self)
{
    seL4_SetIPCBuffer(ipc);
    fn(a0, a1);
    seL4_TCB_Suspend(self);
    for (;;)
        seL4_Yield();
}

bool c_thread_new(cthread_t *t, seL4_Word prio, seL4_CPtr fault_ep, bool ipcbuf)
{
    seL4_Error err;

    if (c_threads_used >= C_MAX_THREADS) {
        FAIL("too many helper threads");
        return false;
    }
    t->idx = c_threads_used++;
    t->ipc = (seL4_IPCBuffer *)thr_ipc[t->idx];
    t->ipc_frame = rt_image_frame(t->ipc);
    t->tp = rt_tls_init(thr_tls[t->idx], C_TLS_AREA);
    t->stack_top = (seL4_Word)&thr_stack[t->idx][C_STACK_SIZE];
    memset(t->ipc, 0, 4096);
    t->tcb = c_tcb();
    t->self = t->tcb;
    if (!t->tcb || !t->ipc_frame || !t->tp)
        return CHECK(false);
    err = seL4_TCB_Configure(t->tcb, fault_ep, ROOT_CNODE, 0, ROOT_VS, 0,
                             ipcbuf ? (seL4_Word)t->ipc : 0, t->ipc_frame);
    if (!CHECK_ERR(err, seL4_NoError))
        return false;
    err = seL4_TCB_SetPriority(t->tcb, ROOT_TCB, prio);
    return CHECK_ERR(err, seL4_NoError);
}

void c_thread_regs(cthread_t *t, seL4_UserContext *regs, c_thread_fn fn, seL4_Word a0, seL4_Word a1)
{
    memset(regs, 0, sizeof(*regs));
    regs->rip = (seL4_Word)c_thread_entry_asm;
    regs->rsp = t->stack_top;
    regs->rflags = 0x202;
    regs->rdi = (seL4_Word)fn;
    regs->rsi = a0;
    regs->rdx = a1;
    regs->rcx = (seL4_Word)t->ipc;
    regs->r8 = t->self;
    regs->fs_base = t->tp;
}

bool c_thread_start(cthread_t *t, c_thread_fn fn, seL4_Word a0, seL4_Word a1)
{
    seL4_UserContext regs;

    c_thread_regs(t, &regs, fn, a0, a1);
    return CHECK_ERR(seL4_TCB_WriteRegisters(t->tcb, 1, 0, seL4_UserContextWords, &regs),
                     seL4_NoError);
}

bool c_spawn(cthread_t *t, seL4_Word prio, seL4_CPtr fault_ep, c_thread_fn fn, seL4_Word a0,
             seL4_Word a1)
{
    return c_thread_new(t, prio, fault_ep, true) && c_thread_start(t, fn, a0, a1);
}

/* The paging structure type whose absence a FailedLookup of Map reports (§18.2). */
static seL4_Word missing_level(seL4_Word bits_left)
{
    if (bits_left == SEL4_MAPPING_LOOKUP_NO_PDPT)
        return seL4_X86_PDPTObject;
    if (bits_left == SEL4_MAPPING_LOOKUP_NO_PD)
        return seL4_X86_PageDirectoryObject;
    return seL4_X86_PageTableObject;
}

static seL4_Error map_level(seL4_CPtr vspace, seL4_Word type, seL4_Word vaddr)
{
    seL4_CPtr cap = c_obj(type, 0);

    if (!cap)
        return seL4_NotEnoughMemory;
    if (type == seL4_X86_PDPTObject)
        return seL4_X86_PDPT_Map(cap, vspace, vaddr, seL4_X86_Default_VMAttributes);
    if (type == seL4_X86_PageDirectoryObject)
        return seL4_X86_PageDirectory_Map(cap, vspace, vaddr, seL4_X86_Default_VMAttributes);
    return seL4_X86_PageTable_Map(cap, vspace, vaddr, seL4_X86_Default_VMAttributes);
}

seL4_Error c_map(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr, seL4_Word rights,
                 seL4_Word attr)
{
    for (int tries = 0; tries < 4; tries++) {
        seL4_Error err = seL4_X86_Page_Map(frame, vspace, vaddr, c_rights(rights), attr);
        if (err != seL4_FailedLookup)
            return err;
        err = map_level(vspace, missing_level(seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL)), vaddr);
        if (err != seL4_NoError)
            return err;
    }
    return seL4_FailedLookup;
}

void *c_map_new(seL4_Word vaddr)
{
    seL4_CPtr f = c_frame();

    if (!f)
        return NULL;
    if (!CHECK_ERR(c_map(ROOT_VS, f, vaddr, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return NULL;
    return (void *)vaddr;
}

seL4_CPtr c_vspace(void)
{
    seL4_CPtr pml4 = c_obj(seL4_X64_PML4Object, 0);

    if (!pml4)
        return 0;
    if (!CHECK_ERR(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4), seL4_NoError))
        return 0;
    return pml4;
}

bool c_vspace_clone_image(seL4_CPtr vspace)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word n = bi->userImageFrames.end - bi->userImageFrames.start;

    for (seL4_Word i = 0; i < n; i++) {
        seL4_CPtr copy = c_copy(bi->userImageFrames.start + i);
        if (!copy)
            return false;
        seL4_Error err = c_map(vspace, copy, (seL4_Word)__image_start + (i << seL4_PageBits),
                               seL4_CapRightsWord_ReadWrite, 0);
        if (!CHECK_ERR(err, seL4_NoError))
            return false;
    }
    return true;
}
