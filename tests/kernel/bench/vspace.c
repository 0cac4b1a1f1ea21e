/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A second address space for the cross-address-space IPC benchmarks: a PML4
 * assigned to the root ASID pool, copies of the root image's frame caps
 * (bootinfo userImageFrames) mapped read-write at the image's own addresses
 * so the same code runs there, and, per thread started in it, a stack and an
 * IPC buffer on fresh frames mapped only in that VSpace. Paging structures
 * are created on demand from the untypeds. Threads enter through
 * bench_vspace_entry, which builds their TLS block on their own stack.
 */
#include "bench.h"

/* Private stacks and IPC buffers: far above the image (linked at 4 MiB). */
#define PRIVATE_BASE        0x10000000ul
#define PRIVATE_STACK_PAGES 4
/* Per thread: an unmapped guard page, the stack, the IPC buffer page. */
#define PRIVATE_SLOT_PAGES (PRIVATE_STACK_PAGES + 2)
#define PAGE_SIZE          (1ul << seL4_PageBits)
#define ENTRY_TLS_AREA     1024

extern const char __image_start[];

/* The paging structure missing below a frame Map that failed (§18.2). */
static seL4_Word missing_level(void)
{
    switch (seL4_MappingFailedLookupLevel()) {
    case SEL4_MAPPING_LOOKUP_NO_PDPT:
        return seL4_X86_PDPTObject;
    case SEL4_MAPPING_LOOKUP_NO_PD:
        return seL4_X86_PageDirectoryObject;
    default:
        return seL4_X86_PageTableObject;
    }
}

static seL4_Error map_table(seL4_Word type, seL4_CPtr pml4, seL4_Word vaddr)
{
    seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;
    seL4_CPtr cap;
    seL4_Error err = rt_alloc_object(type, 0, &cap);

    if (err != seL4_NoError)
        return err;
    switch (type) {
    case seL4_X86_PDPTObject:
        return seL4_X86_PDPT_Map(cap, pml4, vaddr, attr);
    case seL4_X86_PageDirectoryObject:
        return seL4_X86_PageDirectory_Map(cap, pml4, vaddr, attr);
    default:
        return seL4_X86_PageTable_Map(cap, pml4, vaddr, attr);
    }
}

/* Map a 4 KiB frame read-write into `pml4`, creating missing tables. */
static seL4_Error map_page(seL4_CPtr pml4, seL4_CPtr frame, seL4_Word vaddr)
{
    /* At most three levels (PDPT, PD, PT) can be missing below the PML4. */
    for (int tries = 0; tries < 4; tries++) {
        seL4_Error err =
            seL4_X86_Page_Map(frame, pml4, vaddr, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
        if (err != seL4_FailedLookup)
            return err;
        err = map_table(missing_level(), pml4, vaddr);
        if (err != seL4_NoError)
            return err;
    }
    return seL4_FailedLookup;
}

/* A frame cap maps only once (§18.2): map a copy of each image frame. */
static seL4_Error map_image(const bench_vspace_t *vs)
{
    const seL4_SlotRegion *frames = &rt_bootinfo->userImageFrames;

    for (seL4_CPtr f = frames->start; f < frames->end; f++) {
        seL4_CPtr copy = rt_slot_alloc();
        seL4_Word vaddr = (seL4_Word)__image_start + (f - frames->start) * PAGE_SIZE;
        seL4_Error err;

        if (copy == seL4_CapNull)
            return seL4_NotEnoughMemory;
        err = seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits, seL4_CapInitThreadCNode,
                              f, seL4_WordBits, seL4_AllRights);
        if (err == seL4_NoError)
            err = map_page(vs->pml4, copy, vaddr);
        if (err != seL4_NoError)
            return err;
    }
    return seL4_NoError;
}

seL4_Error bench_vspace_create(bench_vspace_t *vs)
{
    seL4_Error err = rt_alloc_object(seL4_X64_PML4Object, 0, &vs->pml4);

    vs->next_private = PRIVATE_BASE;
    if (err == seL4_NoError)
        err = seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs->pml4);
    if (err == seL4_NoError)
        err = map_image(vs);
    return err;
}

/* Map `pages` fresh frames at `vaddr` in vs; *last gets the last frame's cap. */
static seL4_Error map_fresh(const bench_vspace_t *vs, seL4_Word vaddr, seL4_Word pages,
                            seL4_CPtr *last)
{
    for (seL4_Word i = 0; i < pages; i++) {
        seL4_Error err = rt_alloc_object(seL4_X86_4K, 0, last);
        if (err == seL4_NoError)
            err = map_page(vs->pml4, *last, vaddr + i * PAGE_SIZE);
        if (err != seL4_NoError)
            return err;
    }
    return seL4_NoError;
}

void bench_vspace_entry(rt_thread_fn fn, seL4_Word arg0, seL4_Word arg1, seL4_IPCBuffer *ipc,
                        seL4_CPtr tcb) __attribute__((noreturn, used));

/*
 * First frame of a thread in another VSpace (RSP = stack top - 8, as after a
 * call). The TLS block lives in this frame, which never returns; the image's
 * .tdata it copies is readable here because the image is mapped.
 */
void bench_vspace_entry(rt_thread_fn fn, seL4_Word arg0, seL4_Word arg1, seL4_IPCBuffer *ipc,
                        seL4_CPtr tcb)
{
    char tls[ENTRY_TLS_AREA];
    seL4_Word tp = rt_tls_init(tls, sizeof(tls));

    if (tp != 0) {
        __asm__ volatile("wrfsbase %0" ::"r"(tp) : "memory");
        seL4_SetIPCBuffer(ipc);
        fn(arg0, arg1);
    }
    seL4_TCB_Suspend(tcb);
    for (;;)
        seL4_Yield(); /* not reached: Suspend does not return to us */
}

static seL4_Error write_entry_regs(seL4_CPtr tcb, seL4_Word stack_top, seL4_Word ipc,
                                   rt_thread_fn fn, seL4_Word arg0, seL4_Word arg1)
{
    seL4_UserContext regs;

    memset(&regs, 0, sizeof(regs));
    regs.rip = (seL4_Word)bench_vspace_entry;
    regs.rsp = stack_top - sizeof(seL4_Word); /* as if a return address were pushed */
    regs.rflags = 0x202;
    regs.rdi = (seL4_Word)fn;
    regs.rsi = arg0;
    regs.rdx = arg1;
    regs.rcx = ipc;
    regs.r8 = tcb;
    return seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

seL4_Error bench_vspace_thread_start(bench_vspace_t *vs, rt_thread_fn fn, seL4_Word arg0,
                                     seL4_Word arg1, seL4_Word prio, seL4_CPtr *tcb)
{
    seL4_Word stack = vs->next_private + PAGE_SIZE; /* above the guard page */
    seL4_Word stack_top = stack + PRIVATE_STACK_PAGES * PAGE_SIZE;
    seL4_Word ipc = stack_top; /* the page right above the stack */
    seL4_CPtr frame, ipc_frame;
    seL4_Error err;

    vs->next_private += PRIVATE_SLOT_PAGES * PAGE_SIZE;
    err = map_fresh(vs, stack, PRIVATE_STACK_PAGES, &frame);
    if (err == seL4_NoError)
        err = map_fresh(vs, ipc, 1, &ipc_frame);
    if (err == seL4_NoError)
        err = rt_alloc_object(seL4_TCBObject, 0, tcb);
    if (err == seL4_NoError)
        err = seL4_TCB_Configure(*tcb, seL4_CapNull, seL4_CapInitThreadCNode, 0, vs->pml4, 0, ipc,
                                 ipc_frame);
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(*tcb, seL4_CapInitThreadTCB, prio);
    if (err == seL4_NoError)
        err = write_entry_regs(*tcb, stack_top, ipc, fn, arg0, arg1);
    return err;
}
