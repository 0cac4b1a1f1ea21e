/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task's objects (spec §20): its CNode with the initial caps of
 * §20.3, its VSpace (PML4 with ASID 1 in pool 0, the paging structures and
 * frames of §20.2), its TCB with the registers of §20.1, and the idle
 * thread. Boot caps are written straight into their slots as MDB roots;
 * only the TCB's own slots are derived with cteInsert.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <object/cnode.h>
#include <object/tcb.h>
#include <object/objecttype.h>
#include <arch/object.h>
#include <kernel/thread.h>
#include <arch/paging.h>
#include <arch/hardware.h>
#include <arch/interrupt.h>
#include <boot/boot.h>

#define ROOT_CNODE_SLOTS BIT(CONFIG_ROOT_CNODE_SIZE_BITS)
#define ROOT_CNODE_GUARD (64 - CONFIG_ROOT_CNODE_SIZE_BITS) /* 52, spec §20.3 */
#define ROOT_ASID        1
#define USER_TABLE       (PTE_P | PTE_RW | PTE_US)
#define IDLE_STACK_SIZE  512

BOOT_BSS static rootserver_t rootserver;

/* The idle thread's TCB object: static, so it never comes from an untyped. */
static uint8_t idleTCBObject[BIT(seL4_TCBBits)] ALIGN(BIT(seL4_TCBBits));
static uint8_t idleStack[IDLE_STACK_SIZE] ALIGN(16);

BOOT_CODE void write_slot(cte_t *slot, cap_t cap)
{
    slot->cap = cap;
    slot->mdb = (mdb_node_t){.words = {0, 0}};
    slot->mdb.f.revocable = 1;
    slot->mdb.f.firstBadged = 1;
}

BOOT_CODE static void provide(cap_t cap)
{
    kassert(rootserver.nextSlot < ROOT_CNODE_SLOTS);
    write_slot(&rootserver.cnode[rootserver.nextSlot++], cap);
}

BOOT_CODE static cap_t frame_cap(pptr_t frame, vptr_t vaddr)
{
    return cap_frame_cap_new(X86_SmallPage, VMReadWrite, false, ROOT_ASID, vaddr, frame);
}

BOOT_CODE static cap_t simple_cap(cap_tag_t type)
{
    cap_t c = cap_null_cap_new();
    c.any.type = type;
    return c;
}

/* The next-level table under entry e (allocated if absent); its cap is
 * provided in the order of spec §20.3 (all PDPTs, then PDs, then PTs), so
 * callers walk the span once per level. */
BOOT_CODE static pte_t *ensure_table(pte_t *e, cap_tag_t type, vptr_t vaddr)
{
    if (!(*e & PTE_P)) {
        pptr_t t = mem_alloc(BIT(seL4_PageTableBits), seL4_PageTableBits);
        *e = pptr_to_paddr(t) | USER_TABLE;
        provide(cap_table_cap_new(type, true, ROOT_ASID, vaddr, t));
    }
    return (pte_t *)paddr_to_pptr(*e & PTE_ADDR_MASK);
}

BOOT_CODE static void create_paging(vptr_t lo, vptr_t hi)
{
    pml4_t *pml4 = (pml4_t *)rootserver.pml4;
    for (vptr_t v = ROUND_DOWN(lo, 39); v < hi; v += BIT(39))
        ensure_table(&pml4->e[PML4_INDEX(v)], cap_pdpt_cap, v);
    for (vptr_t v = ROUND_DOWN(lo, 30); v < hi; v += BIT(30)) {
        pte_t *pdpt = (pte_t *)paddr_to_pptr(pml4->e[PML4_INDEX(v)] & PTE_ADDR_MASK);
        ensure_table(&pdpt[PDPT_INDEX(v)], cap_page_directory_cap, v);
    }
    for (vptr_t v = ROUND_DOWN(lo, 21); v < hi; v += BIT(21)) {
        pte_t *pdpt = (pte_t *)paddr_to_pptr(pml4->e[PML4_INDEX(v)] & PTE_ADDR_MASK);
        pte_t *pd = (pte_t *)paddr_to_pptr(pdpt[PDPT_INDEX(v)] & PTE_ADDR_MASK);
        ensure_table(&pd[PD_INDEX(v)], cap_page_table_cap, v);
    }
}

BOOT_CODE static void map_frame(pptr_t frame, vptr_t v)
{
    pml4_t *pml4 = (pml4_t *)rootserver.pml4;
    pte_t *pdpt = (pte_t *)paddr_to_pptr(pml4->e[PML4_INDEX(v)] & PTE_ADDR_MASK);
    pte_t *pd = (pte_t *)paddr_to_pptr(pdpt[PDPT_INDEX(v)] & PTE_ADDR_MASK);
    pte_t *pt = (pte_t *)paddr_to_pptr(pd[PD_INDEX(v)] & PTE_ADDR_MASK);
    pt[PT_INDEX(v)] = pptr_to_paddr(frame) | USER_TABLE;
}

BOOT_CODE static void create_cnode(void)
{
    pptr_t p =
        mem_alloc(ROOT_CNODE_SLOTS * sizeof(cte_t), CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits);
    rootserver.cnode = (cte_t *)p;
    write_slot(&rootserver.cnode[seL4_CapInitThreadCNode],
               cap_cnode_cap_new(CONFIG_ROOT_CNODE_SIZE_BITS, ROOT_CNODE_GUARD, 0, (cte_t *)p));
}

/* PML4 (kernel half copied), ASID pool 0 holding it as ASID 1 (spec §18.5). */
BOOT_CODE static void create_vspace_root(void)
{
    rootserver.pml4 = mem_alloc(BIT(seL4_PML4Bits), seL4_PML4Bits);
    pml4_t *pml4 = (pml4_t *)rootserver.pml4;
    for (word_t i = PML4_KERNEL_FIRST; i < 512; i++)
        pml4->e[i] = x64KSKernelPML4.e[i];
    rootserver.asidPool = mem_alloc(BIT(seL4_ASIDPoolBits), seL4_ASIDPoolBits);
    asid_pool_t *pool = (asid_pool_t *)rootserver.asidPool;
    pool->array[ROOT_ASID] = pml4;
    x86KSASIDTable[0] = pool;

    write_slot(&rootserver.cnode[seL4_CapInitThreadVSpace],
               cap_pml4_cap_new(true, ROOT_ASID, rootserver.pml4));
    write_slot(&rootserver.cnode[seL4_CapInitThreadASIDPool],
               cap_asid_pool_cap_new(0, rootserver.asidPool));
}

/* Spec §20.3 slots 4, 5, 7, 11; 8 (IOSpace) and 12..15 stay null. */
BOOT_CODE static void create_control_caps(void)
{
    write_slot(&rootserver.cnode[seL4_CapIRQControl], simple_cap(cap_irq_control_cap));
    write_slot(&rootserver.cnode[seL4_CapASIDControl], cap_asid_control_cap_new());
    write_slot(&rootserver.cnode[seL4_CapIOPortControl], simple_cap(cap_io_port_control_cap));
    write_slot(&rootserver.cnode[seL4_CapDomain], cap_domain_cap_new());
}

/* The image, IPC buffer, bootinfo and extra bootinfo frames and the tables
 * that map them (spec §20.2); caps in the order of spec §20.3. */
BOOT_CODE static void create_frames(const uint8_t *elf)
{
    rootserver_t *rs = &rootserver;
    word_t imageBytes = rs->image.hi - rs->image.lo;
    word_t extraBytes = rs->extraLen ? BIT(rs->extraSizeBits) : 0;

    rs->imageFrames = mem_alloc(imageBytes, seL4_PageBits);
    elf_load(elf, &rs->image, (uint8_t *)rs->imageFrames);
    rs->ipcBuf = mem_alloc(BIT(seL4_PageBits), seL4_PageBits);
    rs->bootInfo = mem_alloc(BIT(seL4_PageBits), seL4_PageBits);
    if (extraBytes)
        rs->extraBI = mem_alloc(extraBytes, seL4_PageBits);

    rs->nextSlot = seL4_NumInitialCaps;
    rs->slotsPaging.start = rs->nextSlot;
    create_paging(rs->image.lo, rs->extraBIVaddr + extraBytes);
    rs->slotsPaging.end = rs->slotsExtraBI.start = rs->nextSlot;
    for (word_t off = 0; off < extraBytes; off += BIT(seL4_PageBits)) {
        map_frame(rs->extraBI + off, rs->extraBIVaddr + off);
        provide(frame_cap(rs->extraBI + off, rs->extraBIVaddr + off));
    }
    rs->slotsExtraBI.end = rs->slotsFrames.start = rs->nextSlot;
    for (word_t off = 0; off < imageBytes; off += BIT(seL4_PageBits)) {
        map_frame(rs->imageFrames + off, rs->image.lo + off);
        provide(frame_cap(rs->imageFrames + off, rs->image.lo + off));
    }
    rs->slotsFrames.end = rs->nextSlot;
    map_frame(rs->ipcBuf, rs->ipcBufVaddr);
    write_slot(&rs->cnode[seL4_CapInitThreadIPCBuffer], frame_cap(rs->ipcBuf, rs->ipcBufVaddr));
    map_frame(rs->bootInfo, rs->bootInfoVaddr);
    write_slot(&rs->cnode[seL4_CapBootInfoFrame], frame_cap(rs->bootInfo, rs->bootInfoVaddr));
}

BOOT_CODE static void debug_list_add(tcb_t *t)
{
    t->debugPrev = NULL;
    t->debugNext = ksDebugTCBs;
    if (ksDebugTCBs)
        ksDebugTCBs->debugPrev = t;
    ksDebugTCBs = t;
}

BOOT_CODE static void set_name(tcb_t *t, const char *name)
{
    memcpy(tcb_name(t), name, strnlen(name, 32) + 1);
}

/* Spec §20.1: registers, priority 255, MCP 255, domain 0, IPC buffer. */
BOOT_CODE static void create_root_tcb(void)
{
    rootserver_t *rs = &rootserver;
    pptr_t obj = mem_alloc(BIT(seL4_TCBBits), seL4_TCBBits);
    tcb_t *t = tcb_from_object(obj);
    rs->tcb = t;
    initTCB(t);
    word_t *r = t->ctx.regs;
    r[REG_NEXTIP] = r[REG_FAULTIP] = rs->image.entry;
    r[REG_RDI] = rs->bootInfoVaddr;
    t->priority = t->mcp = seL4_MaxPrio;
    t->domain = 0;
    t->timeSlice = CONFIG_TIME_SLICE;
    t->ipcBuffer = rs->ipcBufVaddr;
    t->state.type = ThreadState_Running;

    cteInsert(rs->cnode[seL4_CapInitThreadCNode].cap, &rs->cnode[seL4_CapInitThreadCNode],
              tcb_cte(t, tcbCTable));
    cteInsert(rs->cnode[seL4_CapInitThreadVSpace].cap, &rs->cnode[seL4_CapInitThreadVSpace],
              tcb_cte(t, tcbVTable));
    cteInsert(rs->cnode[seL4_CapInitThreadIPCBuffer].cap, &rs->cnode[seL4_CapInitThreadIPCBuffer],
              tcb_cte(t, tcbBuffer));
    setupReplyMaster(t);
    set_name(t, "rootserver");
    debug_list_add(t);

    write_slot(&rs->cnode[seL4_CapInitThreadTCB], cap_thread_cap_new(t));
}

BOOT_CODE void create_rootserver(const elf_span_t *image, const uint8_t *elf, word_t elfSize)
{
    rootserver_t *rs = &rootserver;
    rs->image = *image;
    rs->ipcBufVaddr = image->hi;
    rs->bootInfoVaddr = image->hi + BIT(seL4_PageBits);
    rs->extraBIVaddr = image->hi + 2 * BIT(seL4_PageBits);
    rs->extraLen = extra_bootinfo_len();
    rs->extraSizeBits = seL4_PageBits;
    while (BIT(rs->extraSizeBits) < rs->extraLen)
        rs->extraSizeBits++;

    create_cnode();
    create_vspace_root();
    create_control_caps();
    create_frames(elf);
    if (rs->extraLen)
        write_extra_bootinfo((uint8_t *)rs->extraBI);
    create_root_tcb();
}

/* Ring 0, `sti; hlt` forever, on its own small stack (kernel/README.md). */
BOOT_CODE void create_idle_thread(void)
{
    tcb_t *t = tcb_from_object((word_t)idleTCBObject);
    word_t *r = t->ctx.regs;
    r[REG_NEXTIP] = r[REG_FAULTIP] = (word_t)idle_thread_loop;
    r[REG_CS] = SEL_KERNEL_CS;
    r[REG_SS] = SEL_KERNEL_DS;
    r[REG_RFLAGS] = 0x202;
    r[REG_RSP] = (word_t)idleStack + IDLE_STACK_SIZE;
    r[REG_ERROR] = 0;
    t->state.type = ThreadState_IdleThreadState;
    set_name(t, "idle_thread");
    ksIdleThread = t;
}

BOOT_CODE void start_rootserver(void)
{
    create_bootinfo_and_untypeds(&rootserver);
    kprintf("Booting the root task\n");
    intStateIRQTable[IRQ_TIMER] = IRQTimer;
    ksCurThread = ksIdleThread;
    Arch_switchToIdleThread();
    tcbSchedEnqueue(rootserver.tcb);
    ksSchedulerAction = SchedulerAction_ChooseNewThread;
    schedule();
    activateThread();
    restore_user_context();
}
