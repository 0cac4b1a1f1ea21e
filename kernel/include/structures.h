/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's in-memory objects: capabilities, CNode slots with the
 * capability derivation tree (MDB), TCBs, endpoints and notifications.
 * Only object *sizes* are ABI (spec §2, §9); the layouts here are ours.
 * kernel/README.md explains the invariants.
 */
#pragma once

#include <types.h>
#include <arch/context.h>

/* --- capabilities -------------------------------------------------------- */

/* Cap type = the DebugCapIdentify tag of spec §7.6. */
typedef enum cap_tag {
    cap_null_cap = 0,
    cap_frame_cap = 1,
    cap_untyped_cap = 2,
    cap_page_table_cap = 3,
    cap_endpoint_cap = 4,
    cap_page_directory_cap = 5,
    cap_notification_cap = 6,
    cap_pdpt_cap = 7,
    cap_reply_cap = 8,
    cap_pml4_cap = 9,
    cap_cnode_cap = 10,
    cap_asid_control_cap = 11,
    cap_thread_cap = 12,
    cap_asid_pool_cap = 13,
    cap_irq_control_cap = 14,
    cap_irq_handler_cap = 16,
    cap_zombie_cap = 18,
    cap_io_port_cap = 19,
    cap_domain_cap = 20,
    cap_io_port_control_cap = 31,
} cap_tag_t;

/* Kernel pointers in caps are stored as their low 48 bits. */
#define CAP_PTR_BITS 48
static inline word_t cap_ptr_decode(word_t low48)
{
    return (word_t)(((sword_t)(low48 << 16)) >> 16);
}

/* Frame sizes (frame cap .size) */
enum { X86_SmallPage = 0, X86_LargePage = 1, X64_HugePage = 2 };
/* VM rights of a frame cap (spec §18.2). */
enum { VMKernelOnly = 1, VMReadOnly = 2, VMReadWrite = 3 };

/*
 * Two words. The tag is always the low 5 bits of word 0. Each variant keeps
 * its own fields; use the cap_*_new constructors (objecttype.h) rather than
 * filling the union by hand.
 */
typedef union cap {
    word_t words[2];
    struct {
        word_t type : 5, : 59;
        word_t : 64;
    } any;
    struct {
        word_t type : 5, size : 2, vmRights : 2, isDevice : 1, mappedASID : 12,
            mappedAddr : 36 /* vaddr >> 12 */, : 6;
        word_t basePtr; /* pptr of the frame */
    } frame;
    struct {
        word_t type : 5, blockSize : 6, isDevice : 1, freeIndex : 43 /* 16-byte units */, : 9;
        word_t ptr;
    } untyped;
    struct { /* page table (3), page directory (5), PDPT (7) */
        word_t type : 5, isMapped : 1, mappedASID : 12, mappedAddr : 36 /* vaddr >> 12 */, : 10;
        word_t basePtr;
    } table;
    struct {
        word_t type : 5, isMapped : 1 /* has an ASID */, mappedASID : 12, : 46;
        word_t basePtr;
    } pml4;
    struct {
        word_t type : 5, canSend : 1, canReceive : 1, canGrant : 1, canGrantReply : 1,
            ptr : CAP_PTR_BITS, : 7;
        word_t badge;
    } endpoint;
    struct {
        word_t type : 5, canSend : 1, canReceive : 1, ptr : CAP_PTR_BITS, : 9;
        word_t badge;
    } notification;
    struct {
        word_t type : 5, canGrant : 1, isMaster : 1, : 57;
        word_t tcbPtr;
    } reply;
    struct {
        word_t type : 5, radix : 6, guardSize : 6, ptr : 42 /* pptr >> 6, sign-extended */, : 5;
        word_t guard;
    } cnode;
    struct {
        word_t type : 5, ptr : CAP_PTR_BITS, : 11;
        word_t : 64;
    } thread;
    struct {
        word_t type : 5, asidBase : 12, : 47;
        word_t ptr;
    } asid_pool;
    struct {
        word_t type : 5, irq : 8, : 51;
        word_t : 64;
    } irq_handler;
    struct {
        /* zombieType: 64 = a TCB, else the radix of a CNode; number = slots left */
        word_t type : 5, zombieType : 7, number : 52;
        word_t ptr;
    } zombie;
    struct {
        word_t type : 5, firstPort : 16, lastPort : 16, : 27;
        word_t : 64;
    } io_port;
} cap_t;

_Static_assert(sizeof(cap_t) == 16, "a cap is two words");

#define ZOMBIE_TYPE_TCB 64

static inline cap_tag_t cap_get_type(cap_t c)
{
    return (cap_tag_t)c.any.type;
}
static inline bool cap_is_null(cap_t c)
{
    return c.any.type == cap_null_cap;
}
static inline cap_t cap_null_cap_new(void)
{
    return (cap_t){.words = {0, 0}};
}

/* Capability derivation tree node: a doubly linked list in preorder. */
typedef union mdb_node {
    word_t words[2];
    struct {
        word_t prev : CAP_PTR_BITS, revocable : 1, firstBadged : 1, : 14;
        word_t next;
    } f;
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;

_Static_assert(sizeof(cte_t) == BIT(seL4_SlotBits), "a slot is 32 bytes (spec §2)");

static inline cte_t *mdb_prev(const cte_t *s)
{
    return (cte_t *)cap_ptr_decode(s->mdb.f.prev);
}
static inline cte_t *mdb_next(const cte_t *s)
{
    return (cte_t *)s->mdb.f.next;
}
static inline void mdb_set_prev(cte_t *s, cte_t *p)
{
    s->mdb.f.prev = (word_t)p & MASK(48);
}
static inline void mdb_set_next(cte_t *s, cte_t *n)
{
    s->mdb.f.next = (word_t)n;
}

/* --- thread state ------------------------------------------------------- */

typedef enum thread_state_type {
    ThreadState_Inactive = 0,
    ThreadState_Running,
    ThreadState_Restart,
    ThreadState_BlockedOnReceive,
    ThreadState_BlockedOnSend,
    ThreadState_BlockedOnReply,
    ThreadState_BlockedOnNotification,
    ThreadState_IdleThreadState,
} thread_state_type_t;

typedef struct thread_state {
    word_t type;           /* thread_state_type_t */
    word_t blockingObject; /* pptr of the endpoint or notification */
    word_t blockingIPCBadge;
    uint8_t blockingIPCCanGrant, blockingIPCCanGrantReply, blockingIPCIsCall;
    uint8_t receiveCanGrant; /* BlockedOnReceive: the receiving cap had Grant */
} thread_state_t;

/* --- faults ------------------------------------------------------------- */

typedef enum lookup_fault_type {
    lookup_fault_none = 0, /* seL4_NoFailure */
    lookup_fault_invalid_root = 1,
    lookup_fault_missing_capability = 2,
    lookup_fault_depth_mismatch = 3,
    lookup_fault_guard_mismatch = 4,
} lookup_fault_type_t;

/* The enum values are already the words sent to users (spec §8: the
 * kernel-internal tag + 1); send them unchanged. */
typedef struct lookup_fault {
    word_t type; /* lookup_fault_type_t */
    word_t bitsLeft;
    word_t bitsFound;
    word_t guardFound;
} lookup_fault_t;

typedef struct seL4_fault {
    word_t type; /* seL4_Fault_* from sel4/constants.h; 0 = none */
    word_t w[3];
    /* CapFault: w[0] = address, w[1] = inReceivePhase, lookup fault in tcb.
     * UnknownSyscall: w[0] = syscall number.
     * UserException: w[0] = number, w[1] = code.
     * VMFault: w[0] = address, w[1] = FSR, w[2] = instruction fetch. */
} seL4_fault_t;

/* --- TCB ------------------------------------------------------------------ */

/* Slots of the TCB's internal CNode (first half of the TCB object). */
enum tcb_cnode_index {
    tcbCTable = 0,
    tcbVTable = 1,
    tcbReply = 2,
    tcbCaller = 3,
    tcbBuffer = 4,
    tcbCNodeEntries
};

#define TCB_NAME_LEN 256
#define TCB_OFFSET   BIT(seL4_TCBBits - 1) /* tcb_t lives in the second half */

typedef struct tcb tcb_t;
struct tcb {
    /* FPU/SSE state (fxsave64 image), 16-byte aligned at the object's half. */
    uint8_t fpuState[512];
    word_t ctxAlign;    /* makes &ctx.regs[REG_HW_END] 16-byte aligned for IST */
    user_context_t ctx; /* registers, arch/context.h */
    thread_state_t state;
    struct notification *boundNotification;
    seL4_fault_t fault;
    lookup_fault_t lookupFailure;
    word_t faultHandler; /* fault endpoint CPtr, a plain number */
    vptr_t ipcBuffer;    /* user vaddr of the IPC buffer */
    word_t priority, mcp, domain, timeSlice;
    word_t flags;                 /* seL4_TCBFlag_* */
    tcb_t *schedNext, *schedPrev; /* ready queue */
    tcb_t *epNext, *epPrev;       /* endpoint / notification queue */
    tcb_t *debugNext, *debugPrev; /* list of all TCBs, for DebugDumpScheduler */
};

_Static_assert(sizeof(tcb_t) <= TCB_OFFSET, "tcb_t fits in the second half of the object");
_Static_assert((offsetof(tcb_t, ctx) + REG_HW_END * 8) % 16 == 0,
               "the CPU aligns the IST stack to 16 bytes before pushing");

/* The TCB object is 2^seL4_TCBBits aligned; its CNode is at the start. */
static inline cte_t *tcb_cte(tcb_t *t, int index)
{
    return (cte_t *)((word_t)t - TCB_OFFSET) + index;
}
static inline tcb_t *tcb_from_object(word_t obj)
{
    return (tcb_t *)(obj + TCB_OFFSET);
}
static inline word_t tcb_to_object(tcb_t *t)
{
    return (word_t)t - TCB_OFFSET;
}
/* Debug name: stored after the internal CNode, in the first half. */
static inline char *tcb_name(tcb_t *t)
{
    return (char *)(tcb_cte(t, 0) + tcbCNodeEntries);
}

/* --- endpoint and notification ------------------------------------------ */

typedef enum { EPState_Idle = 0, EPState_Send = 1, EPState_Recv = 2 } endpoint_state_t;

typedef struct endpoint {
    word_t queueHeadAndState; /* tcb pointer | state in the low 2 bits */
    tcb_t *queueTail;
} endpoint_t;
_Static_assert(sizeof(endpoint_t) <= BIT(seL4_EndpointBits), "endpoint fits");

static inline endpoint_state_t ep_state(const endpoint_t *e)
{
    return (endpoint_state_t)(e->queueHeadAndState & 3);
}
static inline tcb_t *ep_head(const endpoint_t *e)
{
    return (tcb_t *)(e->queueHeadAndState & ~3ull);
}
static inline void ep_set(endpoint_t *e, tcb_t *head, tcb_t *tail, endpoint_state_t s)
{
    e->queueHeadAndState = (word_t)head | s;
    e->queueTail = tail;
}

typedef enum {
    NtfnState_Idle = 0,
    NtfnState_Waiting = 1,
    NtfnState_Active = 2
} notification_state_t;

/* State lives in the low bits of the queue head, like the endpoint's, so the
 * object stays 32 bytes (spec §2). Use the ntfn_* accessors. */
typedef struct notification {
    word_t queueHeadAndState; /* tcb pointer | notification_state_t */
    tcb_t *queueTail;
    word_t msgIdentifier;
    tcb_t *boundTCB;
} notification_t;
_Static_assert(sizeof(notification_t) <= BIT(seL4_NotificationBits), "notification fits");

static inline notification_state_t ntfn_state(const notification_t *n)
{
    return (notification_state_t)(n->queueHeadAndState & 3);
}
static inline tcb_t *ntfn_head(const notification_t *n)
{
    return (tcb_t *)(n->queueHeadAndState & ~3ull);
}
static inline void ntfn_set(notification_t *n, tcb_t *head, tcb_t *tail, notification_state_t s)
{
    n->queueHeadAndState = (word_t)head | s;
    n->queueTail = tail;
}

/* --- syscall errors ------------------------------------------------------- */

typedef struct syscall_error {
    word_t type; /* seL4_Error */
    word_t invalidArgumentNumber;
    word_t invalidCapNumber;
    word_t rangeErrorMin, rangeErrorMax;
    word_t memoryLeft;
    bool failedLookupWasSource;
} syscall_error_t;
