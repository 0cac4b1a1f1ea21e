/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fuzz threads' world, built and rebuilt by the supervisor: each thread
 * gets a CSpace of its own (a 64-slot CNode, guard 54 bits, with a 16-slot
 * CNode below it) filled with caps of every kind it may play with, and runs
 * in the root task's VSpace without holding a cap to it. No endpoint cap it
 * gets has Grant, so caps never travel between fuzz threads.
 */
#include "fuzz.h"

#define FUZZ_GUARD_BITS (64 - FUZZ_CNODE_RADIX - FUZZ_SUB_RADIX)

static char stacks[FUZZ_THREADS][FUZZ_STACK_SIZE] __attribute__((aligned(4096)));
static char ipc_pages[FUZZ_THREADS][4096] __attribute__((aligned(4096)));

seL4_CPtr fuzz_fault_ep, fuzz_shared_ep, fuzz_shared_ntfn, fuzz_ioport;

static seL4_Error alloc(seL4_Word type, seL4_Word bits, seL4_CPtr *slot)
{
    seL4_Error err = rt_alloc_object(type, bits, slot);
    if (err != seL4_NoError)
        printf("fuzz: allocating type %lu failed: %d\n", (unsigned long)type, err);
    return err;
}

/* A VSpace of its own with one table of each level mapped, so that copies
 * of the tables can be derived (spec §7.5). */
static seL4_Error make_vspace(struct fuzz_thread *ft)
{
    seL4_Error err = alloc(seL4_X64_PML4Object, 0, &ft->pml4);
    err = err ? err : seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, ft->pml4);
    err = err ? err : alloc(seL4_X86_PDPTObject, 0, &ft->pdpt);
    err = err ? err : seL4_X86_PDPT_Map(ft->pdpt, ft->pml4, 0, seL4_X86_Default_VMAttributes);
    err = err ? err : alloc(seL4_X86_PageDirectoryObject, 0, &ft->pd);
    err =
        err ? err : seL4_X86_PageDirectory_Map(ft->pd, ft->pml4, 0, seL4_X86_Default_VMAttributes);
    err = err ? err : alloc(seL4_X86_PageTableObject, 0, &ft->pt);
    err = err ? err : seL4_X86_PageTable_Map(ft->pt, ft->pml4, 0, seL4_X86_Default_VMAttributes);
    err = err ? err : alloc(seL4_X86_4K, 0, &ft->frame[0]);
    err = err ? err : alloc(seL4_X86_4K, 0, &ft->frame[1]);
    return err;
}

seL4_Error fuzz_shared_init(void)
{
    seL4_Error err = alloc(seL4_EndpointObject, 0, &fuzz_fault_ep);
    err = err ? err : alloc(seL4_EndpointObject, 0, &fuzz_shared_ep);
    err = err ? err : alloc(seL4_NotificationObject, 0, &fuzz_shared_ntfn);
    if (err)
        return err;
    fuzz_ioport = rt_slot_alloc();
    return seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x80, 0x80, seL4_CapInitThreadCNode,
                                        fuzz_ioport, 64);
}

seL4_Error fuzz_thread_init(struct fuzz_thread *ft, int id, uint64_t seed)
{
    ft->id = id;
    ft->rng = seed * 0x9E3779B97F4A7C15ull + (uint64_t)id + 1;
    ft->ipc = (seL4_IPCBuffer *)ipc_pages[id];
    ft->ipc_frame = rt_image_frame(ipc_pages[id]);
    ft->stack_top = &stacks[id][FUZZ_STACK_SIZE];
    seL4_Error err = alloc(seL4_TCBObject, 0, &ft->tcb);
    err = err ? err : alloc(seL4_TCBObject, 0, &ft->spare_tcb);
    err = err ? err : alloc(seL4_CapTableObject, FUZZ_CNODE_RADIX, &ft->cnode);
    err = err ? err : alloc(seL4_CapTableObject, FUZZ_SUB_RADIX, &ft->sub_cnode);
    err = err ? err : alloc(seL4_UntypedObject, FUZZ_UNTYPED_BITS, &ft->untyped);
    err = err ? err : make_vspace(ft);
    return err;
}

static void put(struct fuzz_thread *ft, seL4_Word slot, seL4_CPtr src, seL4_CapRights_t rights,
                seL4_Word data)
{
    seL4_CNode_Mint(ft->cnode, slot, FUZZ_CNODE_RADIX, seL4_CapInitThreadCNode, src, 64, rights,
                    data);
}

/* Empty the thread's CSpace and everything it made, then fill it again. */
void fuzz_populate(struct fuzz_thread *ft)
{
    seL4_CapRights_t no_grant = seL4_CapRights_new(1, 0, 1, 1);
    seL4_CapRights_t all = seL4_AllRights;

    seL4_CNode_Revoke(seL4_CapInitThreadCNode, ft->untyped, 64);
    seL4_CNode_Revoke(seL4_CapInitThreadCNode, ft->spare_tcb, 64);
    for (seL4_Word i = 0; i < FUZZ_BIT(FUZZ_CNODE_RADIX); i++)
        seL4_CNode_Delete(ft->cnode, i, FUZZ_CNODE_RADIX);
    for (seL4_Word i = 0; i < FUZZ_BIT(FUZZ_SUB_RADIX); i++)
        seL4_CNode_Delete(ft->sub_cnode, i, FUZZ_SUB_RADIX);
    put(ft, FS_FAULT_EP, fuzz_fault_ep, no_grant, (seL4_Word)ft->id + 1);
    put(ft, FS_EP, fuzz_shared_ep, no_grant, 0);
    put(ft, FS_EP_BADGED, fuzz_shared_ep, no_grant, 0x100 + (seL4_Word)ft->id);
    put(ft, FS_NTFN, fuzz_shared_ntfn, all, 0);
    put(ft, FS_OWN_TCB, ft->tcb, all, 0);
    put(ft, FS_SPARE_TCB, ft->spare_tcb, all, 0);
    put(ft, FS_SUB_CNODE, ft->sub_cnode, all, 0);
    put(ft, FS_UNTYPED, ft->untyped, all, 0);
    put(ft, FS_PML4, ft->pml4, all, 0);
    put(ft, FS_PDPT, ft->pdpt, all, 0);
    put(ft, FS_PD, ft->pd, all, 0);
    put(ft, FS_PT, ft->pt, all, 0);
    put(ft, FS_FRAME0, ft->frame[0], all, 0);
    put(ft, FS_FRAME1, ft->frame[1], all, 0);
    put(ft, FS_IOPORT, fuzz_ioport, all, 0);
    put(ft, FS_DOMAIN, seL4_CapDomain, all, 0);
    put(ft, FS_SELF_CNODE, ft->cnode, all, seL4_CNode_CapData_new(0, FUZZ_GUARD_BITS).words[0]);
}

/* Stop the thread wherever it is and start it again at fn(ft). */
seL4_Error fuzz_restart(struct fuzz_thread *ft, void (*fn)(struct fuzz_thread *), seL4_Word prio)
{
    seL4_UserContext regs;
    seL4_TCB_Suspend(ft->tcb);
    seL4_Error err =
        seL4_TCB_Configure(ft->tcb, FS_FAULT_EP << FUZZ_SUB_RADIX, ft->cnode,
                           seL4_CNode_CapData_new(0, FUZZ_GUARD_BITS).words[0],
                           seL4_CapInitThreadVSpace, 0, (seL4_Word)ft->ipc, ft->ipc_frame);
    err = err ? err : seL4_TCB_SetPriority(ft->tcb, seL4_CapInitThreadTCB, prio);
    if (err)
        return err;
    memset(&regs, 0, sizeof(regs));
    regs.rip = (seL4_Word)fn;
    regs.rsp = (seL4_Word)ft->stack_top - 8; /* as if called: RSP + 8 is 16-aligned */
    regs.rflags = 0x202;
    regs.rdi = (seL4_Word)ft;
    return seL4_TCB_WriteRegisters(ft->tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}
