/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The capDL dump printed by seL4_DebugSnapshot (spec §21): a textual capDL
 * spec of what the calling thread can reach, in the layout upstream's debug
 * build prints ("arch x86_64", an `objects {}` section, a `caps {}` section,
 * `irq maps {}`). Unlike upstream, which lists every thread but the root
 * task and the idle thread, the walk starts at the current thread: its TCB,
 * the user half of its VSpace (PML4 entries below PML4_KERNEL_FIRST) and its
 * CSpace, entering nested CNodes and the TCBs found in them. Object names
 * follow upstream: type plus kernel address (`0x..._tcb`, `0x..._cnode`),
 * paging objects mapped in the walked VSpace by the address and index of the
 * entry mapping them (`pt_0x<pd entry>_0007`, `frame_0x<pte>_0001`). Paging
 * objects that are not mapped there are named by their own address
 * (`frame_0x<pptr>`), a name upstream does not print. FIXME: an unmapped
 * copy of a frame cap (a TCB's IPC buffer cap, say) whose frame is also
 * mapped in the walked VSpace shows that frame twice, once under each name.
 * Bounds: the walk uses a fixed work list and a fixed visited set instead of
 * recursion, so a deep or cyclic CSpace cannot overflow the kernel stack;
 * what does not fit is left out and a `-- truncated` comment line says so.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/capdl.h>
#include <object/cnode.h>
#include <object/interrupt.h>
#include <object/objecttype.h>
#include <object/tcb.h>
#include <arch/object.h>
#include <arch/paging.h>

#define CAPDL_MAX_SEEN        512 /* distinct objects named in one dump */
#define CAPDL_MAX_NODES       64  /* CNodes and TCBs whose contents are printed */
#define CAPDL_MAX_UT_CHILDREN 4096

typedef struct capdl_state {
    word_t seen[CAPDL_MAX_SEEN][2]; /* object address, kind | detail << 8 */
    unsigned nseen;
    cap_t nodes[CAPDL_MAX_NODES]; /* CNode and TCB caps, in the order found */
    unsigned nnodes;
    bool truncated;
    pml4_t *vspace; /* the current thread's VSpace, or NULL */
} capdl_state_t;

/* One dump at a time: the kernel is single-core and runs with IRQs off. */
static capdl_state_t capdl;

/* True the first time (addr, kind) is met; false after, or if the set is
 * full. kind may carry a detail above its low 8 bits (an untyped's size). */
static bool capdlFirstSight(word_t addr, word_t kind)
{
    for (unsigned i = 0; i < capdl.nseen; i++) {
        if (capdl.seen[i][0] == addr && capdl.seen[i][1] == kind)
            return false;
    }
    if (capdl.nseen == CAPDL_MAX_SEEN) {
        capdl.truncated = true;
        return false;
    }
    capdl.seen[capdl.nseen][0] = addr;
    capdl.seen[capdl.nseen][1] = kind;
    capdl.nseen++;
    return true;
}

static void capdlQueueNode(cap_t cap)
{
    for (unsigned i = 0; i < capdl.nnodes; i++) {
        if (capdl.nodes[i].words[0] == cap.words[0] && capdl.nodes[i].words[1] == cap.words[1])
            return;
    }
    if (capdl.nnodes == CAPDL_MAX_NODES) {
        capdl.truncated = true;
        return;
    }
    capdl.nodes[capdl.nnodes++] = cap;
}

/* --- paging structures ------------------------------------------------------------ */

static word_t *capdlTableOf(pte_t e)
{
    return (word_t *)paddr_to_pptr(e & PTE_ADDR_MASK);
}

/* The entry of the walked VSpace mapping vaddr at `level` (0 = PML4 entry,
 * 3 = PTE), or NULL if the walk stops earlier or meets a large page. */
static pte_t *capdlEntryAt(word_t vaddr, int level)
{
    static const int shift[4] = {39, 30, 21, 12};
    word_t *table = capdl.vspace ? capdl.vspace->e : NULL;

    for (int l = 0; table; l++) {
        pte_t *e = &table[(vaddr >> shift[l]) & 0x1ff];
        if (l == level)
            return e;
        if (!(*e & PTE_P) || (l > 0 && (*e & PTE_PS)))
            return NULL;
        table = capdlTableOf(*e);
    }
    return NULL;
}

static const char *const capdlLevelName[4] = {"pdpt", "pd", "pt", "frame"};

/* Frame rights and caching as upstream shows them: RW or R, X unless NX. */
static void capdlPrintMapping(pte_t e)
{
    kprintf("(%s%s%s)\n", (e & PTE_RW) ? "RW" : "R", (e & BIT(63)) ? "" : "X",
            (e & PTE_PCD) ? ", uncached" : "");
}

static void capdlPrintFrameObject(word_t at, word_t idx, word_t paddr, const char *size)
{
    kprintf("frame_0x%lx_%04lu = frame (%s, paddr: 0x%lx)\n", (unsigned long)at, (unsigned long)idx,
            size, (unsigned long)paddr);
}

/* The user half of the walked VSpace; three fixed levels below the PML4, no recursion. */
static void capdlPrintPagingObjects(void)
{
    static const char *const size[4] = {"", "1G", "2M", "4k"};
    pml4_t *pml4 = capdl.vspace;

    kprintf("0x%lx_pd = pml4\n", (unsigned long)pml4);
    for (word_t i = 0; i < PML4_KERNEL_FIRST; i++) {
        pte_t *e4 = &pml4->e[i];
        if (!(*e4 & PTE_P))
            continue;
        kprintf("pdpt_0x%lx_%04lu = pdpt\n", (unsigned long)e4, (unsigned long)i);
        for (word_t j = 0; j < 512; j++) {
            pte_t *e3 = &capdlTableOf(*e4)[j];
            if (!(*e3 & PTE_P))
                continue;
            if (*e3 & PTE_PS) {
                capdlPrintFrameObject((word_t)e3, j, *e3 & PTE_ADDR_MASK & ~MASK(30), size[1]);
                continue;
            }
            kprintf("pd_0x%lx_%04lu = pd\n", (unsigned long)e3, (unsigned long)j);
            for (word_t k = 0; k < 512; k++) {
                pte_t *e2 = &capdlTableOf(*e3)[k];
                if (!(*e2 & PTE_P))
                    continue;
                if (*e2 & PTE_PS) {
                    capdlPrintFrameObject((word_t)e2, k, *e2 & PTE_ADDR_MASK & ~MASK(21), size[2]);
                    continue;
                }
                kprintf("pt_0x%lx_%04lu = pt\n", (unsigned long)e2, (unsigned long)k);
                for (word_t l = 0; l < 512; l++) {
                    pte_t *e1 = &capdlTableOf(*e2)[l];
                    if (*e1 & PTE_P)
                        capdlPrintFrameObject((word_t)e1, l, *e1 & PTE_ADDR_MASK, size[3]);
                }
            }
        }
    }
}

/* One table's slots as caps: `0x<index>: <name>`, frames with their rights. */
static void capdlPrintTableSlots(const char *name, word_t at, word_t idx, word_t *table, int level,
                                 word_t limit)
{
    if (at)
        kprintf("%s_0x%lx_%04lu {\n", name, (unsigned long)at, (unsigned long)idx);
    else
        kprintf("0x%lx_pd {\n", (unsigned long)table);
    for (word_t i = 0; i < limit; i++) {
        pte_t e = table[i];
        if (!(e & PTE_P))
            continue;
        bool frame = level == 3 || (level > 0 && (e & PTE_PS));
        kprintf("0x%lx: %s_0x%lx_%04lu", (unsigned long)i, frame ? "frame" : capdlLevelName[level],
                (unsigned long)&table[i], (unsigned long)i);
        if (frame) {
            kputchar(' ');
            capdlPrintMapping(e);
        } else {
            kputchar('\n');
        }
    }
    kprintf("}\n");
}

/* Upstream's order: a table's slots, then each child table's, depth first. */
static void capdlPrintPagingCaps(void)
{
    pml4_t *pml4 = capdl.vspace;

    capdlPrintTableSlots("", 0, 0, pml4->e, 0, PML4_KERNEL_FIRST);
    for (word_t i = 0; i < PML4_KERNEL_FIRST; i++) {
        pte_t *e4 = &pml4->e[i];
        if (!(*e4 & PTE_P))
            continue;
        word_t *pdpt = capdlTableOf(*e4);
        capdlPrintTableSlots("pdpt", (word_t)e4, i, pdpt, 1, 512);
        for (word_t j = 0; j < 512; j++) {
            if (!(pdpt[j] & PTE_P) || (pdpt[j] & PTE_PS))
                continue;
            word_t *pd = capdlTableOf(pdpt[j]);
            capdlPrintTableSlots("pd", (word_t)&pdpt[j], j, pd, 2, 512);
            for (word_t k = 0; k < 512; k++) {
                if ((pd[k] & PTE_P) && !(pd[k] & PTE_PS))
                    capdlPrintTableSlots("pt", (word_t)&pd[k], k, capdlTableOf(pd[k]), 3, 512);
            }
        }
    }
}

/* --- caps --------------------------------------------------------------------------- */

/* Is this paging cap mapped in the walked VSpace? Then it is named by the
 * entry mapping it; otherwise by its own address. Returns that entry. */
static pte_t *capdlMappedEntry(cap_t cap, int level, word_t vaddr, word_t asid, word_t base)
{
    if (!capdl.vspace || !asid || findVSpaceForASID(asid) != capdl.vspace)
        return NULL;
    pte_t *e = capdlEntryAt(vaddr, level);
    if (!e || !(*e & PTE_P) || paddr_to_pptr(*e & PTE_ADDR_MASK) != (base & ~MASK(12)))
        return NULL;
    return e;
}

static void capdlPrintPagingCap(cap_t cap)
{
    static const int frameLevel[3] = {3, 2, 1};
    int level;
    word_t vaddr, asid, base = cap.table.basePtr;

    if (cap_get_type(cap) == cap_frame_cap) {
        level = frameLevel[cap.frame.size];
        vaddr = (word_t)cap.frame.mappedAddr << 12;
        asid = cap.frame.mappedASID;
        base = cap.frame.basePtr;
    } else {
        level = cap_get_type(cap) == cap_pdpt_cap             ? 0
                : cap_get_type(cap) == cap_page_directory_cap ? 1
                                                              : 2;
        vaddr = (word_t)cap.table.mappedAddr << 12;
        asid = cap.table.isMapped ? cap.table.mappedASID : 0;
    }
    pte_t *e = capdlMappedEntry(cap, level, vaddr, asid, base);
    const char *name = cap_get_type(cap) == cap_frame_cap ? "frame" : capdlLevelName[level];
    if (!e) {
        kprintf("%s_0x%lx\n", name, (unsigned long)base);
        return;
    }
    static const int shift[4] = {39, 30, 21, 12};
    kprintf("%s_0x%lx_%04lu", name, (unsigned long)e,
            (unsigned long)((vaddr >> shift[level]) & 0x1ff));
    if (cap_get_type(cap) == cap_frame_cap) {
        kputchar(' ');
        capdlPrintMapping(*e);
    } else {
        kprintf(" (asid: %lu)\n", (unsigned long)asid);
    }
}

static void capdlPrintRights(bool r, bool w, bool g, bool p, word_t badge)
{
    kprintf("(%s%s%s%s", r ? "R" : "", w ? "W" : "", g ? "G" : "", p ? "P" : "");
    if (badge)
        kprintf(", badge: %lu)\n", (unsigned long)badge);
    else
        kprintf(")\n");
}

/* A cap as the target of a slot: the object's name and the cap's own attributes. */
static void capdlPrintCap(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        kprintf("0x%lx_ep ", (unsigned long)cap_endpoint_get_ptr(cap));
        capdlPrintRights(cap.endpoint.canReceive, cap.endpoint.canSend, cap.endpoint.canGrant,
                         cap.endpoint.canGrantReply, cap.endpoint.badge);
        break;
    case cap_notification_cap:
        kprintf("0x%lx_notification ", (unsigned long)cap_notification_get_ptr(cap));
        capdlPrintRights(cap.notification.canReceive, cap.notification.canSend, false, false,
                         cap.notification.badge);
        break;
    case cap_untyped_cap:
        kprintf("0x%lx_%lu_untyped\n", (unsigned long)cap.untyped.ptr,
                (unsigned long)cap.untyped.blockSize);
        break;
    case cap_thread_cap:
        kprintf("0x%lx_tcb\n", (unsigned long)cap_thread_get_tcb(cap));
        break;
    case cap_cnode_cap:
        kprintf("0x%lx_cnode (guard: %lu, guard_size: %lu)\n",
                (unsigned long)cap_cnode_get_ptr(cap), (unsigned long)cap.cnode.guard,
                (unsigned long)cap.cnode.guardSize);
        break;
    case cap_irq_control_cap:
        kprintf("irq_control\n");
        break;
    case cap_irq_handler_cap:
        kprintf("0x%lx_0_irq\n", (unsigned long)cap.irq_handler.irq);
        break;
    case cap_asid_control_cap:
        kprintf("asid_control\n");
        break;
    case cap_asid_pool_cap:
        kprintf("0x%lx_asid_pool\n", (unsigned long)cap.asid_pool.ptr);
        break;
    case cap_io_port_cap:
        kprintf("0x%lx0x%lx_io_port\n", (unsigned long)cap.io_port.firstPort,
                (unsigned long)cap.io_port.lastPort);
        break;
    case cap_pml4_cap:
        kprintf("0x%lx_pd (asid: %lu)\n", (unsigned long)cap.pml4.basePtr,
                (unsigned long)(cap.pml4.isMapped ? cap.pml4.mappedASID : 0));
        break;
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
        capdlPrintPagingCap(cap);
        break;
    case cap_io_port_control_cap:
        kprintf("io_port_control\n");
        break;
    case cap_domain_cap:
        kprintf("domain\n");
        break;
    default: /* reply and zombie caps name no object capDL describes */
        kprintf("[unknown cap %lu]\n", (unsigned long)cap_get_type(cap));
        break;
    }
}

/* --- objects ------------------------------------------------------------------------ */

static void capdlPrintTcbObject(tcb_t *t)
{
    kprintf("0x%lx_tcb = tcb (addr: 0x%lx, ip: 0x%lx, sp: 0x%lx, prio: %lu, max_prio: %lu, "
            "dom: %lu)\n",
            (unsigned long)t, (unsigned long)t->ipcBuffer,
            (unsigned long)getRegister(t, REG_FAULTIP), (unsigned long)getRegister(t, REG_RSP),
            (unsigned long)t->priority, (unsigned long)t->mcp, (unsigned long)t->domain);
}

/* An untyped lists the caps derived from it, as upstream does. */
static void capdlPrintUntypedObject(cte_t *slot)
{
    cap_t ut = slot->cap;
    unsigned n = 0;

    kprintf("0x%lx_%lu_untyped = ut (%lu bytes, paddr: 0x%lx) {", (unsigned long)ut.untyped.ptr,
            (unsigned long)ut.untyped.blockSize, (unsigned long)BIT(ut.untyped.blockSize),
            (unsigned long)pptr_to_paddr(ut.untyped.ptr));
    for (cte_t *c = mdb_next(slot); c && isMDBParentOf(slot, c); c = mdb_next(c)) {
        if (cap_get_type(c->cap) == cap_untyped_cap)
            continue;
        if (++n > CAPDL_MAX_UT_CHILDREN) {
            capdl.truncated = true;
            break;
        }
        if (n == 1)
            kputchar('\n');
        capdlPrintCap(c->cap);
    }
    kprintf("}\n");
}

/* The object a slot's cap names, printed the first time it is met. TCBs and
 * CNodes are queued so their own contents are walked later, not recursed into. */
static void capdlPrintObject(cte_t *slot)
{
    cap_t cap = slot->cap;

    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        if (capdlFirstSight((word_t)cap_endpoint_get_ptr(cap), 1))
            kprintf("0x%lx_ep = ep\n", (unsigned long)cap_endpoint_get_ptr(cap));
        break;
    case cap_notification_cap:
        if (capdlFirstSight((word_t)cap_notification_get_ptr(cap), 2))
            kprintf("0x%lx_notification = notification\n",
                    (unsigned long)cap_notification_get_ptr(cap));
        break;
    case cap_untyped_cap:
        if (capdlFirstSight(cap.untyped.ptr, 3 | ((word_t)cap.untyped.blockSize << 8)))
            capdlPrintUntypedObject(slot);
        break;
    case cap_irq_handler_cap:
        if (capdlFirstSight(cap.irq_handler.irq, 4))
            kprintf("0x%lx_0_irq = irq\n", (unsigned long)cap.irq_handler.irq);
        break;
    case cap_io_port_cap:
        if (capdlFirstSight(cap.io_port.firstPort, 5 | ((word_t)cap.io_port.lastPort << 8)))
            kprintf("0x%lx0x%lx_io_port = io_port (ports: (%lu, %lu))\n",
                    (unsigned long)cap.io_port.firstPort, (unsigned long)cap.io_port.lastPort,
                    (unsigned long)cap.io_port.firstPort, (unsigned long)cap.io_port.lastPort);
        break;
    case cap_asid_pool_cap:
        if (capdlFirstSight(cap.asid_pool.ptr, 6))
            kprintf("0x%lx_asid_pool = asid_pool (asid_high: 0x%lx)\n",
                    (unsigned long)cap.asid_pool.ptr, (unsigned long)(cap.asid_pool.asidBase >> 9));
        break;
    case cap_thread_cap:
    case cap_cnode_cap:
        capdlQueueNode(cap);
        break;
    default:
        break;
    }
}

static void capdlPrintUnmappedPaging(cte_t *slot)
{
    cap_t cap = slot->cap;
    static const char *const size[3] = {"4k", "2M", "1G"};

    switch (cap_get_type(cap)) {
    case cap_frame_cap:
        if (!capdlMappedEntry(cap, 3 - cap.frame.size, (word_t)cap.frame.mappedAddr << 12,
                              cap.frame.mappedASID, cap.frame.basePtr) &&
            capdlFirstSight(cap.frame.basePtr, 7))
            kprintf("frame_0x%lx = frame (%s, paddr: 0x%lx)\n", (unsigned long)cap.frame.basePtr,
                    size[cap.frame.size], (unsigned long)pptr_to_paddr(cap.frame.basePtr));
        break;
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap: {
        int level = cap_get_type(cap) == cap_pdpt_cap             ? 0
                    : cap_get_type(cap) == cap_page_directory_cap ? 1
                                                                  : 2;
        if (!capdlMappedEntry(cap, level, (word_t)cap.table.mappedAddr << 12,
                              cap.table.isMapped ? cap.table.mappedASID : 0, cap.table.basePtr) &&
            capdlFirstSight(cap.table.basePtr, 8))
            kprintf("%s_0x%lx = %s\n", capdlLevelName[level], (unsigned long)cap.table.basePtr,
                    capdlLevelName[level]);
        break;
    }
    case cap_pml4_cap:
        if ((pml4_t *)cap.pml4.basePtr != capdl.vspace && capdlFirstSight(cap.pml4.basePtr, 9))
            kprintf("0x%lx_pd = pml4\n", (unsigned long)cap.pml4.basePtr);
        break;
    default:
        break;
    }
}

/* Work through the queue: each TCB and CNode printed once, with what its
 * slots name. The queue only grows, so the loop ends within its bound. */
static void capdlPrintObjects(void)
{
    for (unsigned n = 0; n < capdl.nnodes; n++) {
        cap_t node = capdl.nodes[n];
        if (cap_get_type(node) == cap_thread_cap) {
            tcb_t *t = cap_thread_get_tcb(node);
            capdlPrintTcbObject(t);
            capdlPrintUnmappedPaging(tcb_cte(t, tcbBuffer));
            cap_t root = tcb_cte(t, tcbCTable)->cap;
            if (cap_get_type(root) == cap_cnode_cap)
                capdlQueueNode(root);
            continue;
        }
        cte_t *slots = cap_cnode_get_ptr(node);
        if (!capdlFirstSight((word_t)slots, 10))
            continue; /* the same CNode through another guard */
        kprintf("0x%lx_cnode = cnode (%lu bits)\n", (unsigned long)slots,
                (unsigned long)node.cnode.radix);
        for (word_t i = 0; i < BIT(node.cnode.radix); i++) {
            if (cap_is_null(slots[i].cap))
                continue;
            capdlPrintObject(&slots[i]);
            capdlPrintUnmappedPaging(&slots[i]);
        }
    }
}

/* --- slots -------------------------------------------------------------------------- */

static void capdlPrintTcbSlots(tcb_t *t)
{
    cap_t c;

    kprintf("0x%lx_tcb {\n", (unsigned long)t);
    c = tcb_cte(t, tcbCTable)->cap;
    if (cap_get_type(c) == cap_cnode_cap)
        kprintf("cspace: 0x%lx_cnode (guard: %lu, guard_size: %lu)\n",
                (unsigned long)cap_cnode_get_ptr(c), (unsigned long)c.cnode.guard,
                (unsigned long)c.cnode.guardSize);
    c = tcb_cte(t, tcbVTable)->cap;
    if (cap_get_type(c) == cap_pml4_cap)
        kprintf("vspace: 0x%lx_pd\n", (unsigned long)c.pml4.basePtr);
    c = tcb_cte(t, tcbBuffer)->cap;
    if (!cap_is_null(c)) {
        kprintf("ipc_buffer_slot: ");
        capdlPrintCap(c);
    }
    c = tcb_cte(t, tcbReply)->cap;
    if (cap_get_type(c) == cap_reply_cap)
        kprintf("reply_slot: 0x%lx_reply\n", (unsigned long)c.reply.tcbPtr);
    c = tcb_cte(t, tcbCaller)->cap;
    if (cap_get_type(c) == cap_reply_cap)
        kprintf("caller_slot: 0x%lx_tcb\n", (unsigned long)c.reply.tcbPtr);
    kprintf("}\n");
}

static void capdlPrintCNodeSlots(cap_t node)
{
    cte_t *slots = cap_cnode_get_ptr(node);

    if (!capdlFirstSight((word_t)slots, 10))
        return;
    kprintf("0x%lx_cnode {\n", (unsigned long)slots);
    for (word_t i = 0; i < BIT(node.cnode.radix); i++) {
        if (cap_is_null(slots[i].cap))
            continue;
        kprintf("0x%lx: ", (unsigned long)i);
        capdlPrintCap(slots[i].cap);
    }
    kprintf("}\n");
    for (word_t i = 0; i < BIT(node.cnode.radix); i++) {
        cap_t c = slots[i].cap;
        if (cap_get_type(c) != cap_irq_handler_cap || !isIRQActive(c.irq_handler.irq) ||
            !capdlFirstSight(c.irq_handler.irq, 4))
            continue;
        kprintf("0x%lx_0_irq {\n", (unsigned long)c.irq_handler.irq);
        if (!cap_is_null(intStateIRQNode[c.irq_handler.irq].cap)) {
            kprintf("0x0: ");
            capdlPrintCap(intStateIRQNode[c.irq_handler.irq].cap);
        }
        kprintf("}\n");
    }
}

static void capdlPrintIrqMaps(void)
{
    kprintf("irq maps {\n");
    for (irq_t i = 0; i <= MAX_IRQ; i++) {
        if (isIRQActive(i) && !cap_is_null(intStateIRQNode[i].cap))
            kprintf("%lu: 0x%lx_0_irq\n", (unsigned long)i, (unsigned long)i);
    }
    kprintf("}\n");
}

void capdlDump(tcb_t *thread)
{
    cap_t vroot = tcb_cte(thread, tcbVTable)->cap;

    capdl.nseen = 0;
    capdl.nnodes = 0;
    capdl.truncated = false;
    capdl.vspace = isValidVTableRoot(vroot) ? (pml4_t *)vroot.pml4.basePtr : NULL;
    capdlQueueNode(cap_thread_cap_new(thread));

    kprintf("arch x86_64\n");
    kprintf("objects {\n");
    if (capdl.vspace)
        capdlPrintPagingObjects();
    capdlPrintObjects();
    kprintf("}\n");

    /* The caps pass re-walks the nodes the objects pass queued. */
    capdl.nseen = 0;
    kprintf("caps {\n");
    for (unsigned n = 0; n < capdl.nnodes; n++) {
        if (cap_get_type(capdl.nodes[n]) == cap_cnode_cap)
            capdlPrintCNodeSlots(capdl.nodes[n]);
    }
    if (capdl.vspace)
        capdlPrintPagingCaps();
    for (unsigned n = 0; n < capdl.nnodes; n++) {
        if (cap_get_type(capdl.nodes[n]) == cap_thread_cap)
            capdlPrintTcbSlots(cap_thread_get_tcb(capdl.nodes[n]));
    }
    kprintf("}\n");
    capdlPrintIrqMaps();
    if (capdl.truncated)
        kprintf("-- truncated: more objects than the dump's bounds (%u objects, %u nodes)\n",
                CAPDL_MAX_SEEN, CAPDL_MAX_NODES);
}
