/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every cap type means to the generic kernel: derivation (spec §7.5),
 * rights masking (§7.1), badge and guard updates (§7.3, §7.4), the region
 * and object identity used by the derivation tree, finalisation of the last
 * cap to an object, object sizes and creation for Retype (§9, §10), and the
 * invocation dispatcher that routes a decoded syscall to the object's
 * decode<Obj>Invocation (§12, §13.1). x86 cap types are handed to the
 * Arch_* hooks. Objects are never freed here: their memory returns to the
 * untyped when the untyped is revoked and retyped.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <object/objecttype.h>
#include <object/cnode.h>
#include <object/untyped.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/interrupt.h>
#include <object/tcb.h>
#include <kernel/thread.h>
#include <arch/hardware.h>

/* --- object identity ----------------------------------------------------- */

/*
 * Caps that name memory an untyped can cover. Reply, IRQ, domain, ASID
 * control and IO port caps name no memory (an untyped is never their
 * parent).
 */
static bool isPhysicalCap(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_untyped_cap:
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_cnode_cap:
    case cap_thread_cap:
    case cap_zombie_cap:
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
    case cap_pml4_cap:
    case cap_asid_pool_cap:
        return true;
    default:
        return false;
    }
}

static word_t zombieSizeBits(cap_t cap)
{
    if (cap.zombie.zombieType == ZOMBIE_TYPE_TCB)
        return seL4_TCBBits;
    return cap.zombie.zombieType + seL4_SlotBits;
}

/* Base and size of the object of a physical cap; arch caps ask the arch. */
static word_t regionBase(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_untyped_cap:
        return cap.untyped.ptr;
    case cap_endpoint_cap:
        return (word_t)cap_endpoint_get_ptr(cap);
    case cap_notification_cap:
        return (word_t)cap_notification_get_ptr(cap);
    case cap_cnode_cap:
        return (word_t)cap_cnode_get_ptr(cap);
    case cap_thread_cap:
        return tcb_to_object(cap_thread_get_tcb(cap));
    case cap_zombie_cap:
        return cap.zombie.ptr;
    default:
        return cap_get_capPtr(cap);
    }
}

static word_t regionSizeBits(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_untyped_cap:
        return cap.untyped.blockSize;
    case cap_endpoint_cap:
        return seL4_EndpointBits;
    case cap_notification_cap:
        return seL4_NotificationBits;
    case cap_cnode_cap:
        return cap.cnode.radix + seL4_SlotBits;
    case cap_thread_cap:
        return seL4_TCBBits;
    case cap_zombie_cap:
        return zombieSizeBits(cap);
    default:
        return cap_get_capSizeBits(cap);
    }
}

/* An untyped covers b when b's object lies wholly inside it. */
static bool untypedCovers(cap_t a, cap_t b)
{
    if (!isPhysicalCap(b))
        return false;
    word_t aBase = a.untyped.ptr, aTop = aBase + MASK(a.untyped.blockSize);
    word_t bBase = regionBase(b), bTop = bBase + MASK(regionSizeBits(b));
    return aBase <= bBase && bTop <= aTop && bBase <= bTop;
}

bool sameRegionAs(cap_t a, cap_t b)
{
    switch (cap_get_type(a)) {
    case cap_untyped_cap:
        return untypedCovers(a, b);
    case cap_endpoint_cap:
        return cap_get_type(b) == cap_endpoint_cap &&
               cap_endpoint_get_ptr(a) == cap_endpoint_get_ptr(b);
    case cap_notification_cap:
        return cap_get_type(b) == cap_notification_cap &&
               cap_notification_get_ptr(a) == cap_notification_get_ptr(b);
    case cap_cnode_cap:
        return cap_get_type(b) == cap_cnode_cap && cap_cnode_get_ptr(a) == cap_cnode_get_ptr(b) &&
               a.cnode.radix == b.cnode.radix;
    case cap_thread_cap:
        return cap_get_type(b) == cap_thread_cap && cap_thread_get_tcb(a) == cap_thread_get_tcb(b);
    case cap_reply_cap:
        return cap_get_type(b) == cap_reply_cap && a.reply.tcbPtr == b.reply.tcbPtr;
    case cap_domain_cap:
        return cap_get_type(b) == cap_domain_cap;
    case cap_irq_control_cap:
        /* IRQ control is the parent of every IRQ handler cap. */
        return cap_get_type(b) == cap_irq_control_cap || cap_get_type(b) == cap_irq_handler_cap;
    case cap_irq_handler_cap:
        return cap_get_type(b) == cap_irq_handler_cap && a.irq_handler.irq == b.irq_handler.irq;
    case cap_null_cap:
    case cap_zombie_cap:
        return false;
    default:
        return Arch_isArchCap(a) && Arch_isArchCap(b) && Arch_sameRegionAs(a, b);
    }
}

/* Same object, not merely overlapping memory: an untyped is never "the
 * same object" as anything (its children are separate objects), and IRQ
 * control is not the same object as a handler. */
bool sameObjectAs(cap_t a, cap_t b)
{
    if (cap_get_type(a) == cap_untyped_cap)
        return false;
    if (cap_get_type(a) == cap_irq_control_cap && cap_get_type(b) == cap_irq_handler_cap)
        return false;
    if (Arch_isArchCap(a) && Arch_isArchCap(b))
        return Arch_sameObjectAs(a, b);
    return sameRegionAs(a, b);
}

/* --- derivation and rights -------------------------------------------------- */

bool isCapRevocable(cap_t derivedCap, cap_t srcCap)
{
    switch (cap_get_type(derivedCap)) {
    case cap_endpoint_cap:
        /* A newly badged cap heads its own subtree (spec §7.4). */
        return derivedCap.endpoint.badge != srcCap.endpoint.badge;
    case cap_notification_cap:
        return derivedCap.notification.badge != srcCap.notification.badge;
    case cap_irq_handler_cap:
        return cap_get_type(srcCap) == cap_irq_control_cap;
    case cap_io_port_cap:
        return cap_get_type(srcCap) == cap_io_port_control_cap;
    case cap_untyped_cap:
        return true;
    default:
        return false;
    }
}

deriveCap_ret_t deriveCap(cte_t *slot, cap_t cap)
{
    deriveCap_ret_t ret = {.status = EXCEPTION_NONE, .cap = cap};

    switch (cap_get_type(cap)) {
    case cap_zombie_cap:
    case cap_irq_control_cap:
    case cap_io_port_control_cap:
    case cap_reply_cap:
        ret.cap = cap_null_cap_new(); /* spec §7.5: copies of these are nothing */
        return ret;
    case cap_untyped_cap:
        /* A copy of an untyped with children would let both allocate. */
        ret.status = ensureNoChildren(slot);
        if (ret.status != EXCEPTION_NONE)
            ret.cap = cap_null_cap_new();
        return ret;
    default:
        if (Arch_isArchCap(cap))
            return Arch_deriveCap(slot, cap);
        return ret;
    }
}

cap_t maskCapRights(word_t rights, cap_t cap)
{
    bool write = rights & seL4_CapRightsWord_Write, read = rights & seL4_CapRightsWord_Read;
    bool grant = rights & seL4_CapRightsWord_Grant;
    bool grantReply = rights & seL4_CapRightsWord_GrantReply;

    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        cap.endpoint.canSend &= write;
        cap.endpoint.canReceive &= read;
        cap.endpoint.canGrant &= grant;
        cap.endpoint.canGrantReply &= grantReply;
        return cap;
    case cap_notification_cap:
        cap.notification.canSend &= write;
        cap.notification.canReceive &= read;
        return cap;
    case cap_reply_cap:
        cap.reply.canGrant &= grant;
        return cap;
    default:
        if (Arch_isArchCap(cap))
            return Arch_maskCapRights(rights, cap);
        return cap; /* spec §7.1: other types ignore the mask */
    }
}

/* spec §7.3: guard size in bits 5..0, guard in 63..6, masked to its size. */
static cap_t updateCNodeGuard(word_t data, cap_t cap)
{
    word_t guardSize = data & MASK(seL4_GuardSizeBits);
    word_t guard = data >> seL4_GuardSizeBits;

    if (guardSize + cap.cnode.radix > seL4_WordBits)
        return cap_null_cap_new();
    cap.cnode.guardSize = guardSize;
    cap.cnode.guard = guard & MASK(guardSize);
    return cap;
}

/* preserve: Mutate/Rotate, which may not touch badges (spec §7.4). */
cap_t updateCapData(bool preserve, word_t newData, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        if (preserve || cap.endpoint.badge != 0)
            return cap_null_cap_new();
        cap.endpoint.badge = newData;
        return cap;
    case cap_notification_cap:
        if (preserve || cap.notification.badge != 0)
            return cap_null_cap_new();
        cap.notification.badge = newData;
        return cap;
    case cap_cnode_cap:
        return updateCNodeGuard(newData, cap);
    default:
        if (Arch_isArchCap(cap))
            return Arch_updateCapData(preserve, newData, cap);
        return cap;
    }
}

bool hasCancelSendRights(cap_t cap)
{
    /* spec §12.3: CancelBadgedSends needs an endpoint cap with all rights. */
    return cap_get_type(cap) == cap_endpoint_cap && cap.endpoint.canSend &&
           cap.endpoint.canReceive && cap.endpoint.canGrant && cap.endpoint.canGrantReply;
}

/* --- finalisation ------------------------------------------------------------- */

/* The list behind DebugDumpScheduler: every TCB made by Retype is on it
 * until its last cap goes. Boot code adds the TCBs it makes itself. */
static void tcbDebugAppend(tcb_t *tcb)
{
    tcb->debugPrev = NULL;
    tcb->debugNext = ksDebugTCBs;
    if (ksDebugTCBs)
        ksDebugTCBs->debugPrev = tcb;
    ksDebugTCBs = tcb;
}

static void tcbDebugRemove(tcb_t *tcb)
{
    if (tcb->debugPrev)
        tcb->debugPrev->debugNext = tcb->debugNext;
    else if (ksDebugTCBs == tcb)
        ksDebugTCBs = tcb->debugNext;
    else
        return; /* never listed */
    if (tcb->debugNext)
        tcb->debugNext->debugPrev = tcb->debugPrev;
    tcb->debugNext = tcb->debugPrev = NULL;
}

/*
 * A TCB or CNode cannot be cleaned up in one step: its slots may hold the
 * last caps to further CNodes and TCBs, and recursing into them could use
 * unbounded kernel stack. Instead the last cap becomes a zombie naming the
 * slots still to be cleared; cteDelete (cnode.c) empties them one at a time
 * from the end, moving a nested object's zombie into that object's own
 * first slot rather than recursing (see reduceZombie there).
 */
static finaliseCap_ret_t finaliseThread(cap_t cap)
{
    tcb_t *tcb = cap_thread_get_tcb(cap);

    if (tcb->boundNotification)
        unbindNotification(tcb);
    suspend(tcb);
    tcbDebugRemove(tcb);
    Arch_prepareThreadDelete(tcb); /* the FPU may still hold its state */
    return (finaliseCap_ret_t){
        .remainder = cap_zombie_cap_new((word_t)tcb_cte(tcb, 0), ZOMBIE_TYPE_TCB, tcbCNodeEntries),
        .cleanupInfo = cap_null_cap_new()};
}

static finaliseCap_ret_t finaliseCNode(cap_t cap)
{
    return (finaliseCap_ret_t){.remainder =
                                   cap_zombie_cap_new((word_t)cap_cnode_get_ptr(cap),
                                                      cap.cnode.radix, BIT(cap.cnode.radix)),
                               .cleanupInfo = cap_null_cap_new()};
}

/*
 * exposed: the caller cannot handle a zombie (cteDeleteOne); only caps
 * whose finalisation is immediate may be deleted that way.
 */
finaliseCap_ret_t finaliseCap(cap_t cap, bool final, bool exposed)
{
    finaliseCap_ret_t ret = {.remainder = cap_null_cap_new(), .cleanupInfo = cap_null_cap_new()};

    if (Arch_isArchCap(cap))
        return Arch_finaliseCap(cap, final);

    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        if (final)
            cancelAllIPC(cap_endpoint_get_ptr(cap));
        return ret;
    case cap_notification_cap:
        if (final) {
            notification_t *ntfn = cap_notification_get_ptr(cap);
            unbindMaybeNotification(ntfn);
            cancelAllSignals(ntfn);
        }
        return ret;
    case cap_reply_cap:
    case cap_null_cap:
    case cap_domain_cap:
        return ret;
    default:
        break;
    }
    kassert(!exposed); /* a caller of cteDeleteOne passed a long-running cap */

    switch (cap_get_type(cap)) {
    case cap_cnode_cap:
        return final ? finaliseCNode(cap) : ret;
    case cap_thread_cap:
        return final ? finaliseThread(cap) : ret;
    case cap_zombie_cap:
        ret.remainder = cap;
        return ret;
    case cap_irq_handler_cap:
        if (final) {
            deletingIRQHandler(cap.irq_handler.irq);
            ret.cleanupInfo = cap; /* deletedIRQHandler once the slot is empty */
        }
        return ret;
    default:
        return ret;
    }
}

/* --- object creation ---------------------------------------------------------- */

word_t getObjectSize(word_t type, word_t userSize)
{
    switch (type) {
    case seL4_UntypedObject:
        return userSize;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return seL4_SlotBits + userSize;
    default:
        return Arch_getObjectSize(type);
    }
}

/* spec §10: a new TCB is inactive, priority/MCP 0, in the current domain. */
static cap_t createTCB(void *regionBase)
{
    tcb_t *tcb = tcb_from_object((word_t)regionBase);

    tcb->domain = ksCurDomain;
    tcb->timeSlice = CONFIG_TIME_SLICE;
    initTCB(tcb);
    setupReplyMaster(tcb);
    tcbDebugAppend(tcb);
    return cap_thread_cap_new(tcb);
}

cap_t createObject(word_t type, void *regionBase, word_t userSize, bool deviceMemory)
{
    switch (type) {
    case seL4_TCBObject:
        return createTCB(regionBase);
    case seL4_EndpointObject:
        return cap_endpoint_cap_new(0, true, true, true, true, regionBase);
    case seL4_NotificationObject:
        return cap_notification_cap_new(0, true, true, regionBase);
    case seL4_CapTableObject:
        return cap_cnode_cap_new(userSize, 0, 0, regionBase);
    case seL4_UntypedObject:
        return cap_untyped_cap_new(0, deviceMemory, userSize, (word_t)regionBase);
    default:
        return Arch_createObject(type, regionBase, userSize, deviceMemory);
    }
}

void createNewObjects(word_t type, cte_t *parent, cte_t *destCNode, word_t destOffset,
                      word_t destLength, void *regionBase, word_t userSize, bool deviceMemory)
{
    word_t objectSize = getObjectSize(type, userSize);

    for (word_t i = 0; i < destLength; i++) {
        void *obj = (void *)((word_t)regionBase + (i << objectSize));
        insertNewCap(parent, &destCNode[destOffset + i],
                     createObject(type, obj, userSize, deviceMemory));
    }
}

/* --- invocation dispatch ------------------------------------------------------- */

static exception_t invalidInvokedCap(void)
{
    current_syscall_error.type = seL4_InvalidCapability;
    current_syscall_error.invalidCapNumber = 0;
    return EXCEPTION_SYSCALL_ERROR;
}

/* spec §13.1: Send/Call on an endpoint is IPC and needs Write. */
static exception_t invokeEndpoint(cap_t cap, bool block, bool call)
{
    if (!cap.endpoint.canSend)
        return invalidInvokedCap();
    setThreadState(ksCurThread, ThreadState_Restart);
    sendIPC(block, call, cap.endpoint.badge, cap.endpoint.canGrant, cap.endpoint.canGrantReply,
            ksCurThread, cap_endpoint_get_ptr(cap));
    return EXCEPTION_NONE;
}

/* A signal; a Call still gets the empty reply because the thread stays
 * Restart (handled by the syscall layer). */
static exception_t invokeNotification(cap_t cap)
{
    if (!cap.notification.canSend)
        return invalidInvokedCap();
    setThreadState(ksCurThread, ThreadState_Restart);
    sendSignal(cap_notification_get_ptr(cap), cap.notification.badge);
    return EXCEPTION_NONE;
}

/* A reply cap saved by SaveCaller replies to its caller (spec §13.4). A
 * master reply cap never leaves the TCB, so finding one is a user error. */
static exception_t invokeReply(cte_t *slot, cap_t cap)
{
    if (cap.reply.isMaster)
        return invalidInvokedCap();
    setThreadState(ksCurThread, ThreadState_Restart);
    doReplyTransfer(ksCurThread, cap_reply_get_tcb(cap), slot, cap.reply.canGrant);
    return EXCEPTION_NONE;
}

exception_t decodeInvocation(word_t invLabel, word_t length, cptr_t capIndex, cte_t *slot,
                             cap_t cap, bool block, bool call, word_t *buffer)
{
    if (Arch_isArchCap(cap))
        return Arch_decodeInvocation(invLabel, length, capIndex, slot, cap, call, buffer);

    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        return invokeEndpoint(cap, block, call);
    case cap_notification_cap:
        return invokeNotification(cap);
    case cap_reply_cap:
        return invokeReply(slot, cap);
    case cap_thread_cap:
        return decodeTCBInvocation(invLabel, length, cap, slot, call, buffer);
    case cap_domain_cap:
        return decodeDomainInvocation(invLabel, length, buffer);
    case cap_cnode_cap:
        return decodeCNodeInvocation(invLabel, length, cap, buffer);
    case cap_untyped_cap:
        return decodeUntypedInvocation(invLabel, length, slot, cap, call, buffer);
    case cap_irq_control_cap:
        return decodeIRQControlInvocation(invLabel, length, slot, buffer);
    case cap_irq_handler_cap:
        return decodeIRQHandlerInvocation(invLabel, cap.irq_handler.irq);
    default:
        /* null, zombie (spec §12), or a tag no cap should carry */
        return invalidInvokedCap();
    }
}
