/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generic per-cap-type operations and the invocation dispatcher.
 * kernel/object/objecttype.c (generic types) calls the Arch_* hooks in
 * kernel/arch/x86_64/object/objecttype.c for the x86 cap types.
 */
#pragma once

#include <structures.h>

/*
 * Cap constructors and pointer accessors. Argument order follows the field
 * names of structures.h; pointers are kernel window pointers. A constructor
 * starts from an all-zero cap, so unnamed bits are always 0 (sameRegionAs
 * and the tests compare caps word for word).
 */
static inline cap_t cap_untyped_cap_new(word_t freeIndex, bool isDevice, word_t blockSize,
                                        word_t ptr)
{
    cap_t c = cap_null_cap_new();
    c.untyped.type = cap_untyped_cap;
    c.untyped.freeIndex = freeIndex; /* 16-byte units (seL4_MinUntypedBits) */
    c.untyped.isDevice = isDevice;
    c.untyped.blockSize = blockSize;
    c.untyped.ptr = ptr;
    return c;
}
static inline cap_t cap_endpoint_cap_new(word_t badge, bool canGrantReply, bool canGrant,
                                         bool canSend, bool canReceive, endpoint_t *ep)
{
    cap_t c = cap_null_cap_new();
    c.endpoint.type = cap_endpoint_cap;
    c.endpoint.canSend = canSend;
    c.endpoint.canReceive = canReceive;
    c.endpoint.canGrant = canGrant;
    c.endpoint.canGrantReply = canGrantReply;
    c.endpoint.ptr = (word_t)ep & MASK(CAP_PTR_BITS);
    c.endpoint.badge = badge;
    return c;
}
static inline cap_t cap_notification_cap_new(word_t badge, bool canReceive, bool canSend,
                                             notification_t *ntfn)
{
    cap_t c = cap_null_cap_new();
    c.notification.type = cap_notification_cap;
    c.notification.canSend = canSend;
    c.notification.canReceive = canReceive;
    c.notification.ptr = (word_t)ntfn & MASK(CAP_PTR_BITS);
    c.notification.badge = badge;
    return c;
}
static inline cap_t cap_reply_cap_new(bool canGrant, bool isMaster, tcb_t *tcb)
{
    cap_t c = cap_null_cap_new();
    c.reply.type = cap_reply_cap;
    c.reply.canGrant = canGrant;
    c.reply.isMaster = isMaster;
    c.reply.tcbPtr = (word_t)tcb;
    return c;
}
/* ptr: the first slot; 64-byte aligned at least (a CNode has >= 2 slots). */
static inline cap_t cap_cnode_cap_new(word_t radix, word_t guardSize, word_t guard, cte_t *ptr)
{
    cap_t c = cap_null_cap_new();
    c.cnode.type = cap_cnode_cap;
    c.cnode.radix = radix;
    c.cnode.guardSize = guardSize;
    c.cnode.ptr = ((word_t)ptr >> 6) & MASK(42);
    c.cnode.guard = guard;
    return c;
}
static inline cap_t cap_thread_cap_new(tcb_t *tcb)
{
    cap_t c = cap_null_cap_new();
    c.thread.type = cap_thread_cap;
    c.thread.ptr = (word_t)tcb & MASK(CAP_PTR_BITS);
    return c;
}
/* IRQ control / handler constructors: object/interrupt.h; x86 caps: arch/object.h. */
static inline cap_t cap_domain_cap_new(void)
{
    cap_t c = cap_null_cap_new();
    c.any.type = cap_domain_cap;
    return c;
}
/* zombieType: ZOMBIE_TYPE_TCB or the radix of a CNode; number = live slots
 * still to be cleared (object.c finalisation; see objecttype.c). */
static inline cap_t cap_zombie_cap_new(word_t ptr, word_t zombieType, word_t number)
{
    cap_t c = cap_null_cap_new();
    c.zombie.type = cap_zombie_cap;
    c.zombie.zombieType = zombieType;
    c.zombie.number = number;
    c.zombie.ptr = ptr;
    return c;
}

static inline cte_t *cap_cnode_get_ptr(cap_t c)
{
    return (cte_t *)((word_t)(((sword_t)((word_t)c.cnode.ptr << 22)) >> 22) << 6);
}
static inline endpoint_t *cap_endpoint_get_ptr(cap_t c)
{
    return (endpoint_t *)cap_ptr_decode(c.endpoint.ptr);
}
static inline notification_t *cap_notification_get_ptr(cap_t c)
{
    return (notification_t *)cap_ptr_decode(c.notification.ptr);
}
static inline tcb_t *cap_thread_get_tcb(cap_t c)
{
    return (tcb_t *)cap_ptr_decode(c.thread.ptr);
}
static inline tcb_t *cap_reply_get_tcb(cap_t c)
{
    return (tcb_t *)c.reply.tcbPtr;
}

typedef struct {
    exception_t status;
    cap_t cap;
} deriveCap_ret_t;
typedef struct {
    cap_t remainder;
    cap_t cleanupInfo;
} finaliseCap_ret_t;

/* Derivation for Copy/Mint/cap transfer (spec §7.5): null cap or an error. */
deriveCap_ret_t deriveCap(cte_t *slot, cap_t cap);
finaliseCap_ret_t finaliseCap(cap_t cap, bool final, bool exposed);
bool hasCancelSendRights(cap_t cap);
bool sameRegionAs(cap_t a, cap_t b);
bool sameObjectAs(cap_t a, cap_t b);
/* Badge / guard update (spec §7.3, §7.4); may return a null cap. */
cap_t updateCapData(bool preserve, word_t newData, cap_t cap);
/* AND the seL4_CapRights word into the cap (spec §7.1). */
cap_t maskCapRights(word_t rights, cap_t cap);
bool isCapRevocable(cap_t derivedCap, cap_t srcCap);
/* Object size in bits for Retype (spec §9); userSize = size_bits argument. */
word_t getObjectSize(word_t type, word_t userSize);
/* Initialise a new object at regionBase (already zeroed unless device) and
 * return a cap to it. */
cap_t createObject(word_t type, void *regionBase, word_t userSize, bool deviceMemory);
void createNewObjects(word_t type, cte_t *parent, cte_t *destCNode, word_t destOffset,
                      word_t destLength, void *regionBase, word_t userSize, bool deviceMemory);
/* Decode and perform an invocation on cap (in slot, named by capIndex). */
exception_t decodeInvocation(word_t invLabel, word_t length, cptr_t capIndex, cte_t *slot,
                             cap_t cap, bool block, bool call, word_t *buffer);

/* x86 hooks: kernel/arch/x86_64/object/objecttype.c */
bool Arch_isArchCap(cap_t cap);
deriveCap_ret_t Arch_deriveCap(cte_t *slot, cap_t cap);
cap_t Arch_updateCapData(bool preserve, word_t data, cap_t cap);
cap_t Arch_maskCapRights(word_t rights, cap_t cap);
finaliseCap_ret_t Arch_finaliseCap(cap_t cap, bool final);
bool Arch_sameRegionAs(cap_t a, cap_t b);
bool Arch_sameObjectAs(cap_t a, cap_t b);
word_t Arch_getObjectSize(word_t type);
bool Arch_isFrameType(word_t type);
cap_t Arch_createObject(word_t type, void *regionBase, word_t userSize, bool deviceMemory);
exception_t Arch_decodeInvocation(word_t invLabel, word_t length, cptr_t capIndex, cte_t *slot,
                                  cap_t cap, bool call, word_t *buffer);
/* Base address / size of the object a cap names (for sameRegionAs). */
word_t cap_get_capPtr(cap_t cap);
word_t cap_get_capSizeBits(cap_t cap);
