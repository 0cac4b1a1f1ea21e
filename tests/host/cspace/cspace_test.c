/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit tests of capability addressing (kernel/kernel/cspace.c), the
 * derivation tree and CNode invocations (kernel/object/cnode.c), generic cap
 * semantics (kernel/object/objecttype.c) and Retype (kernel/object/untyped.c),
 * compiled for the host under ASan/UBSan with the doubles of shim.c. Kernel
 * objects live in aligned heap blocks, so kernel pointers are host pointers.
 * Prints the serial test protocol of docs/layout.md (suite "cspace").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"
#include <kernel/cspace.h>
#include <object/cnode.h>
#include <object/untyped.h>
#include <object/tcb.h>

const char *shim_current_test = "setup";

/* --- fixture ------------------------------------------------------------- */

#define ROOT_RADIX 8
#define MAX_OBJS   64

static void *objs[MAX_OBJS];
static int nobjs;
static cte_t *root; /* 256 slots; rootCap has guard size 56 so depth 64 works */
static cap_t rootCap;
static tcb_t *cur;
static word_t ipcbuf[128];
static const char *failure;
static char failbuf[256];

static void expect(bool ok, const char *what, int line)
{
    if (!ok && !failure) {
        snprintf(failbuf, sizeof(failbuf), "line %d: %s", line, what);
        failure = failbuf;
    }
}
#define EXPECT(c) expect((c), #c, __LINE__)

static void *alloc_obj(word_t bits)
{
    void *p = aligned_alloc(BIT(bits), BIT(bits));
    if (!p || nobjs == MAX_OBJS)
        abort();
    memset(p, 0, BIT(bits));
    objs[nobjs++] = p;
    return p;
}

static void setup(void)
{
    memset(&shim, 0, sizeof(shim));
    memset(&current_syscall_error, 0, sizeof(current_syscall_error));
    memset(&current_lookup_fault, 0, sizeof(current_lookup_fault));
    memset(&current_extra_caps, 0, sizeof(current_extra_caps));
    memset(ipcbuf, 0, sizeof(ipcbuf));
    ksDebugTCBs = NULL;
    root = alloc_obj(ROOT_RADIX + seL4_SlotBits);
    rootCap = cap_cnode_cap_new(ROOT_RADIX, 64 - ROOT_RADIX, 0, root);
    cur = tcb_from_object((word_t)alloc_obj(seL4_TCBBits));
    tcb_cte(cur, tcbCTable)->cap = rootCap;
    ksCurThread = cur;
}

static void teardown(void)
{
    while (nobjs)
        free(objs[--nobjs]);
}

/* A boot-style original cap: revocable, heads its own tree. */
static void put_original(cte_t *slot, cap_t cap)
{
    slot->cap = cap;
    slot->mdb = (mdb_node_t){.words = {0, 0}};
    slot->mdb.f.revocable = 1;
    slot->mdb.f.firstBadged = 1;
}

static cte_t *make_untyped(word_t index, word_t bits, bool full, bool device)
{
    void *block = alloc_obj(bits);
    word_t freeIndex = full ? BIT(bits - seL4_MinUntypedBits) : 0;
    put_original(&root[index], cap_untyped_cap_new(freeIndex, device, bits, (word_t)block));
    return &root[index];
}

static void set_mrs(const word_t *mr, word_t n)
{
    for (word_t i = 0; i < n; i++)
        setMR(cur, ipcbuf, i, mr[i]);
}

static exception_t cnode_op(word_t label, const word_t *mr, word_t n, cte_t *cap0, cte_t *cap1)
{
    set_mrs(mr, n);
    current_extra_caps.excaprefs[0] = cap0;
    current_extra_caps.excaprefs[1] = cap1;
    return decodeCNodeInvocation(label, n, rootCap, ipcbuf);
}

static exception_t retype(cte_t *ut, word_t type, word_t size, word_t offset, word_t num)
{
    word_t mr[6] = {type, size, 0, 0, offset, num}; /* depth 0: cap0 itself */
    set_mrs(mr, 6);
    current_extra_caps.excaprefs[0] = tcb_cte(cur, tcbCTable);
    return decodeUntypedInvocation(UntypedRetype, 6, ut, ut->cap, true, ipcbuf);
}

static bool mdb_consistent(cte_t *first)
{
    for (cte_t *s = first; s; s = mdb_next(s))
        if (mdb_next(s) && mdb_prev(mdb_next(s)) != s)
            return false;
    return true;
}

static endpoint_t *an_endpoint(void)
{
    return alloc_obj(seL4_EndpointBits);
}

/* --- capability addressing ------------------------------------------------- */

static void test_resolve_single_level(void)
{
    root[5].cap = cap_endpoint_cap_new(0, 1, 1, 1, 1, an_endpoint());
    resolveAddressBits_ret_t r = resolveAddressBits(rootCap, 5, 64);
    EXPECT(r.status == EXCEPTION_NONE && r.slot == &root[5] && r.bitsRemaining == 0);
    lookupCap_ret_t c = lookupCap(cur, 5);
    EXPECT(c.status == EXCEPTION_NONE && cap_get_type(c.cap) == cap_endpoint_cap);
    /* An empty slot is found; its null cap is the caller's to judge. */
    c = lookupCap(cur, 6);
    EXPECT(c.status == EXCEPTION_NONE && cap_is_null(c.cap));
}

static void test_resolve_guard_mismatch(void)
{
    cap_t guarded = cap_cnode_cap_new(ROOT_RADIX, 56, 0x5, root);
    resolveAddressBits_ret_t r = resolveAddressBits(guarded, 7, 64);
    EXPECT(r.status == EXCEPTION_LOOKUP_FAULT);
    EXPECT(current_lookup_fault.type == lookup_fault_guard_mismatch);
    EXPECT(current_lookup_fault.bitsLeft == 64 && current_lookup_fault.bitsFound == 56);
    EXPECT(current_lookup_fault.guardFound == 0x5); /* the cap's guard */
    r = resolveAddressBits(guarded, (0x5ull << 8) | 7, 64);
    EXPECT(r.status == EXCEPTION_NONE && r.slot == &root[7]);
    /* A guard longer than the bits left is a guard mismatch too. */
    r = resolveAddressBits(rootCap, 0, 20);
    EXPECT(r.status == EXCEPTION_LOOKUP_FAULT &&
           current_lookup_fault.type == lookup_fault_guard_mismatch &&
           current_lookup_fault.bitsLeft == 20 && current_lookup_fault.bitsFound == 56);
}

static void test_resolve_depth_mismatch(void)
{
    cap_t noGuard = cap_cnode_cap_new(ROOT_RADIX, 0, 0, root);
    resolveAddressBits_ret_t r = resolveAddressBits(noGuard, 1, 4);
    EXPECT(r.status == EXCEPTION_LOOKUP_FAULT);
    EXPECT(current_lookup_fault.type == lookup_fault_depth_mismatch);
    EXPECT(current_lookup_fault.bitsLeft == 4 && current_lookup_fault.bitsFound == 8);
    r = resolveAddressBits(cap_endpoint_cap_new(0, 0, 0, 0, 0, an_endpoint()), 0, 64);
    EXPECT(r.status == EXCEPTION_LOOKUP_FAULT &&
           current_lookup_fault.type == lookup_fault_invalid_root);
}

/* root: guard 52, radix 4 (56 bits); slot 3 → CNode guard 4 (0xA), radix 4. */
static void test_resolve_two_levels(void)
{
    cte_t *inner = alloc_obj(4 + seL4_SlotBits);
    cap_t top = cap_cnode_cap_new(4, 52, 0, root);
    root[3].cap = cap_cnode_cap_new(4, 4, 0xA, inner);
    inner[7].cap = cap_notification_cap_new(0, 1, 1, alloc_obj(seL4_NotificationBits));
    resolveAddressBits_ret_t r = resolveAddressBits(top, (3 << 8) | (0xA << 4) | 7, 64);
    EXPECT(r.status == EXCEPTION_NONE && r.slot == &inner[7] && r.bitsRemaining == 0);
    r = resolveAddressBits(top, (3 << 8) | (0xB << 4) | 7, 64);
    EXPECT(r.status == EXCEPTION_LOOKUP_FAULT && current_lookup_fault.bitsLeft == 8 &&
           current_lookup_fault.bitsFound == 4 && current_lookup_fault.guardFound == 0xA);
    /* Stops at a non-CNode with bits left over. */
    root[2].cap = cap_endpoint_cap_new(0, 1, 1, 1, 1, an_endpoint());
    r = resolveAddressBits(top, 2 << 8, 64);
    EXPECT(r.status == EXCEPTION_NONE && r.slot == &root[2] && r.bitsRemaining == 8);
    /* ... which slot addressing turns into FailedLookup / depth mismatch. */
    lookupSlot_ret_t l = lookupSourceSlot(top, 2 << 8, 64);
    EXPECT(l.status == EXCEPTION_SYSCALL_ERROR);
    EXPECT(current_syscall_error.type == seL4_FailedLookup &&
           current_syscall_error.failedLookupWasSource);
    EXPECT(current_lookup_fault.type == lookup_fault_depth_mismatch &&
           current_lookup_fault.bitsLeft == 8 && current_lookup_fault.bitsFound == 0);
}

static void test_cnodeop_depth_range(void)
{
    lookupSlot_ret_t l = lookupTargetSlot(rootCap, 1, 0);
    EXPECT(l.status == EXCEPTION_SYSCALL_ERROR && current_syscall_error.type == seL4_RangeError &&
           current_syscall_error.rangeErrorMin == 1 && current_syscall_error.rangeErrorMax == 64);
    l = lookupTargetSlot(rootCap, 1, 65);
    EXPECT(l.status == EXCEPTION_SYSCALL_ERROR && current_syscall_error.type == seL4_RangeError);
    l = lookupTargetSlot(cap_null_cap_new(), 1, 64);
    EXPECT(l.status == EXCEPTION_SYSCALL_ERROR && current_syscall_error.type == seL4_FailedLookup &&
           !current_syscall_error.failedLookupWasSource &&
           current_lookup_fault.type == lookup_fault_invalid_root);
    l = lookupTargetSlot(rootCap, 9, 64);
    EXPECT(l.status == EXCEPTION_NONE && l.slot == &root[9]);
}

/* --- derivation tree ---------------------------------------------------------- */

static void test_mdb_insert_order(void)
{
    endpoint_t *ep = an_endpoint();
    put_original(&root[1], cap_endpoint_cap_new(0, 1, 1, 1, 1, ep));
    cteInsert(root[1].cap, &root[1], &root[2]);
    cteInsert(root[1].cap, &root[1], &root[3]);
    /* The newest child comes right after its parent. */
    EXPECT(mdb_next(&root[1]) == &root[3] && mdb_next(&root[3]) == &root[2]);
    EXPECT(mdb_prev(&root[2]) == &root[3] && mdb_prev(&root[3]) == &root[1]);
    EXPECT(mdb_consistent(&root[1]));
    EXPECT(!root[2].mdb.f.revocable); /* same badge: a plain copy */
    EXPECT(isMDBParentOf(&root[1], &root[2]) && !isMDBParentOf(&root[3], &root[2]));
    EXPECT(!isFinalCapability(&root[1]) && !isFinalCapability(&root[2]));
}

static void test_mdb_move_and_swap(void)
{
    endpoint_t *ep = an_endpoint();
    put_original(&root[1], cap_endpoint_cap_new(0, 1, 1, 1, 1, ep));
    cteInsert(root[1].cap, &root[1], &root[2]);
    cteInsert(root[1].cap, &root[2], &root[3]);
    cteMove(root[2].cap, &root[2], &root[9]);
    EXPECT(cap_is_null(root[2].cap) && mdb_next(&root[2]) == NULL && mdb_prev(&root[2]) == NULL);
    EXPECT(mdb_next(&root[1]) == &root[9] && mdb_next(&root[9]) == &root[3]);
    EXPECT(mdb_consistent(&root[1]));
    /* Adjacent slots swap positions: 1 9 3 becomes 9 1 3. */
    cteSwap(root[1].cap, &root[1], root[9].cap, &root[9]);
    EXPECT(mdb_prev(&root[9]) == NULL && mdb_next(&root[9]) == &root[1]);
    EXPECT(mdb_next(&root[1]) == &root[3] && mdb_prev(&root[3]) == &root[1]);
    EXPECT(root[9].mdb.f.revocable && !root[1].mdb.f.revocable);
    /* ... and back, the other way round. */
    cteSwap(root[1].cap, &root[1], root[9].cap, &root[9]);
    EXPECT(mdb_next(&root[1]) == &root[9] && mdb_next(&root[9]) == &root[3]);
    EXPECT(mdb_prev(&root[1]) == NULL && mdb_consistent(&root[1]));
}

static void test_mdb_badges(void)
{
    endpoint_t *ep = an_endpoint();
    cap_t orig = cap_endpoint_cap_new(0, 1, 1, 1, 1, ep);
    put_original(&root[1], orig);
    cteInsert(updateCapData(false, 7, orig), &root[1], &root[2]); /* minted, badge 7 */
    cteInsert(root[2].cap, &root[2], &root[3]);                   /* copy of badge 7 */
    cteInsert(updateCapData(false, 7, orig), &root[1], &root[4]); /* another mint of 7 */
    EXPECT(root[2].mdb.f.revocable && root[2].mdb.f.firstBadged);
    EXPECT(!root[3].mdb.f.revocable && !root[3].mdb.f.firstBadged);
    EXPECT(isMDBParentOf(&root[1], &root[2]) && isMDBParentOf(&root[1], &root[4]));
    EXPECT(isMDBParentOf(&root[2], &root[3]));
    /* A separately minted cap with the same badge is not a child. */
    EXPECT(!isMDBParentOf(&root[4], &root[2]));
    /* A plain copy is a parent of nothing. */
    EXPECT(!isMDBParentOf(&root[3], &root[2]));
    /* Revoking the badged cap removes only its copy. */
    EXPECT(cteRevoke(&root[2]) == EXCEPTION_NONE);
    EXPECT(cap_is_null(root[3].cap) && !cap_is_null(root[4].cap) && !cap_is_null(root[2].cap));
    EXPECT(shim.cancelAllIPC == 0 && mdb_consistent(&root[1]));
    /* Revoking the original removes every badged child; ep survives. */
    EXPECT(cteRevoke(&root[1]) == EXCEPTION_NONE);
    EXPECT(cap_is_null(root[2].cap) && cap_is_null(root[4].cap) && mdb_next(&root[1]) == NULL);
    EXPECT(shim.cancelAllIPC == 0 && isFinalCapability(&root[1]));
    /* Deleting the last cap finalises the endpoint. */
    EXPECT(cteDelete(&root[1], true) == EXCEPTION_NONE && shim.cancelAllIPC == 1);
}

static void test_update_cap_data(void)
{
    cap_t ep = cap_endpoint_cap_new(0, 1, 1, 1, 1, an_endpoint());
    EXPECT(updateCapData(false, 9, ep).endpoint.badge == 9);
    EXPECT(cap_is_null(updateCapData(false, 1, updateCapData(false, 9, ep))));
    EXPECT(cap_is_null(updateCapData(true, 0, ep))); /* Mutate never on endpoints */
    cap_t cn = updateCapData(true, 0x174, rootCap);  /* guard 5, size 52: spec §7.3 */
    EXPECT(cn.cnode.guardSize == 52 && cn.cnode.guard == 5);
    EXPECT(updateCapData(true, (0xffull << 6) | 2, rootCap).cnode.guard == 3);
    EXPECT(cap_is_null(updateCapData(true, 57, rootCap))); /* 57 + 8 > 64 */
    cap_t m = maskCapRights(seL4_CapRightsWord_Read | seL4_CapRightsWord_GrantReply, ep);
    EXPECT(!m.endpoint.canSend && m.endpoint.canReceive && !m.endpoint.canGrant &&
           m.endpoint.canGrantReply);
    EXPECT(!hasCancelSendRights(m) && hasCancelSendRights(ep));
}

/* --- CNode invocations ------------------------------------------------------- */

static void test_cnode_copy_mint_errors(void)
{
    put_original(&root[1], cap_endpoint_cap_new(0, 1, 1, 1, 1, an_endpoint()));
    cte_t *src = tcb_cte(cur, tcbCTable);
    word_t mint[6] = {2, 64, 1, 64, seL4_CapRightsWord_All, 42};
    EXPECT(cnode_op(CNodeMint, mint, 6, src, NULL) == EXCEPTION_NONE);
    EXPECT(root[2].cap.endpoint.badge == 42 && isMDBParentOf(&root[1], &root[2]));
    EXPECT(cur->state.type == ThreadState_Restart);
    /* Occupied destination: DeleteFirst before the source is looked at. */
    word_t again[6] = {2, 64, 77, 64, seL4_CapRightsWord_All, 1};
    EXPECT(cnode_op(CNodeMint, again, 6, src, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_DeleteFirst);
    /* Empty source: FailedLookup, source, missing capability, depth left. */
    word_t empty[5] = {3, 64, 77, 64, seL4_CapRightsWord_All};
    EXPECT(cnode_op(CNodeCopy, empty, 5, src, NULL) == EXCEPTION_SYSCALL_ERROR);
    EXPECT(current_syscall_error.type == seL4_FailedLookup &&
           current_syscall_error.failedLookupWasSource &&
           current_lookup_fault.type == lookup_fault_missing_capability &&
           current_lookup_fault.bitsLeft == 64);
    /* Minting from a badged cap, Mutate of an endpoint: IllegalOperation. */
    word_t remint[6] = {3, 64, 2, 64, seL4_CapRightsWord_All, 5};
    EXPECT(cnode_op(CNodeMint, remint, 6, src, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_IllegalOperation);
    word_t mutate[5] = {3, 64, 2, 64, 0};
    EXPECT(cnode_op(CNodeMutate, mutate, 5, src, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_IllegalOperation);
    /* Truncations: Copy without rights, any op without cap0, < 2 MRs. */
    EXPECT(cnode_op(CNodeCopy, remint, 4, src, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_TruncatedMessage);
    EXPECT(cnode_op(CNodeMove, remint, 4, NULL, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_TruncatedMessage);
    EXPECT(cnode_op(CNodeDelete, remint, 1, NULL, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_TruncatedMessage);
    EXPECT(cnode_op(UntypedRetype, remint, 2, NULL, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_IllegalOperation);
    /* CancelBadgedSends needs all rights; badge 0 is a no-op. */
    word_t cbs[2] = {2, 64};
    EXPECT(cnode_op(CNodeCancelBadgedSends, cbs, 2, NULL, NULL) == EXCEPTION_NONE &&
           shim.cancelBadgedSends == 1 && shim.lastBadge == 42);
    cbs[0] = 1;
    EXPECT(cnode_op(CNodeCancelBadgedSends, cbs, 2, NULL, NULL) == EXCEPTION_NONE &&
           shim.cancelBadgedSends == 1);
}

static void test_cnode_rotate(void)
{
    cte_t *r = tcb_cte(cur, tcbCTable);
    /* Rotate keeps badges (preserve): endpoint caps cannot take part. */
    put_original(&root[1], cap_untyped_cap_new(0, false, 12, 0x1000));
    put_original(&root[2], cap_domain_cap_new());
    /* dest 3, pivot 2, src 1: pivot → 3, src → 2. */
    word_t mr[8] = {3, 64, 0, 2, 64, 0, 1, 64};
    EXPECT(cnode_op(CNodeRotate, mr, 8, r, r) == EXCEPTION_NONE);
    EXPECT(cap_get_type(root[3].cap) == cap_domain_cap &&
           cap_get_type(root[2].cap) == cap_untyped_cap && cap_is_null(root[1].cap));
    /* dest == src swaps; pivot == src is refused. */
    word_t swap[8] = {2, 64, 0, 3, 64, 0, 2, 64};
    EXPECT(cnode_op(CNodeRotate, swap, 8, r, r) == EXCEPTION_NONE);
    EXPECT(cap_get_type(root[2].cap) == cap_domain_cap &&
           cap_get_type(root[3].cap) == cap_untyped_cap);
    word_t bad[8] = {5, 64, 0, 3, 64, 0, 3, 64};
    EXPECT(cnode_op(CNodeRotate, bad, 8, r, r) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_IllegalOperation);
    /* Empty pivot: FailedLookup, not the source. */
    word_t nopivot[8] = {5, 64, 0, 7, 64, 0, 3, 64};
    EXPECT(cnode_op(CNodeRotate, nopivot, 8, r, r) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_FailedLookup &&
           !current_syscall_error.failedLookupWasSource && current_lookup_fault.bitsLeft == 64);
    EXPECT(cnode_op(CNodeRotate, nopivot, 8, r, NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_TruncatedMessage);
    /* An endpoint cannot be rotated. */
    put_original(&root[6], cap_endpoint_cap_new(0, 1, 1, 1, 1, an_endpoint()));
    word_t ep[8] = {5, 64, 0, 3, 64, 0, 6, 64};
    EXPECT(cnode_op(CNodeRotate, ep, 8, r, r) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_IllegalOperation);
}

/* --- Retype ------------------------------------------------------------------- */

static void test_retype_alignment_watermark(void)
{
    cte_t *ut = make_untyped(10, 16, false, false);
    word_t base = ut->cap.untyped.ptr;
    EXPECT(retype(ut, seL4_EndpointObject, 0, 20, 1) == EXCEPTION_NONE);
    EXPECT(cap_endpoint_get_ptr(root[20].cap) == (endpoint_t *)base);
    EXPECT(ut->cap.untyped.freeIndex == 1); /* 16 bytes, in 16-byte units */
    /* A TCB goes to the next 2 KiB boundary. */
    EXPECT(retype(ut, seL4_TCBObject, 0, 21, 2) == EXCEPTION_NONE);
    EXPECT(tcb_to_object(cap_thread_get_tcb(root[21].cap)) == base + 2048);
    EXPECT(tcb_to_object(cap_thread_get_tcb(root[22].cap)) == base + 4096);
    EXPECT(ut->cap.untyped.freeIndex == 6144 / 16);
    EXPECT(shim.initTCB == 2 && ksDebugTCBs == cap_thread_get_tcb(root[22].cap));
    /* New caps are children of the untyped, newest first. */
    EXPECT(mdb_next(ut) == &root[22] && mdb_next(&root[22]) == &root[21] &&
           mdb_next(&root[21]) == &root[20] && isMDBParentOf(ut, &root[20]));
    /* The master reply cap of a new TCB exists. */
    cap_t reply = tcb_cte(cap_thread_get_tcb(root[21].cap), tcbReply)->cap;
    EXPECT(cap_get_type(reply) == cap_reply_cap && reply.reply.isMaster);
    /* Copying an untyped with children: RevokeFirst. */
    word_t copy[5] = {30, 64, 10, 64, seL4_CapRightsWord_All};
    EXPECT(cnode_op(CNodeCopy, copy, 5, tcb_cte(cur, tcbCTable), NULL) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_RevokeFirst);
}

static void test_retype_not_enough_memory(void)
{
    cte_t *ut = make_untyped(10, 12, false, false);
    EXPECT(retype(ut, seL4_EndpointObject, 0, 20, 1) == EXCEPTION_NONE);
    /* 4080 bytes left: a 4 KiB CNode (radix 7) does not fit... */
    EXPECT(retype(ut, seL4_CapTableObject, 7, 21, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_NotEnoughMemory &&
           current_syscall_error.memoryLeft == 4080);
    /* ...and the count check ignores alignment: 2 x 2 KiB TCBs don't fit
     * in 4080 bytes, 1 does. */
    EXPECT(retype(ut, seL4_TCBObject, 0, 21, 2) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_NotEnoughMemory);
    EXPECT(retype(ut, seL4_TCBObject, 0, 21, 1) == EXCEPTION_NONE);
    EXPECT(ut->cap.untyped.freeIndex == 4096 / 16);
}

static void test_retype_reset_and_zeroing(void)
{
    /* A boot untyped starts full of garbage with its watermark at the top. */
    cte_t *ut = make_untyped(10, 13, true, false);
    unsigned char *mem = (unsigned char *)ut->cap.untyped.ptr;
    memset(mem, 0xa5, BIT(13));
    EXPECT(retype(ut, seL4_NotificationObject, 0, 20, 4) == EXCEPTION_NONE);
    bool zero = true;
    for (word_t i = 0; i < BIT(13); i++)
        zero = zero && mem[i] == 0;
    EXPECT(zero);
    EXPECT(ut->cap.untyped.freeIndex == 4 * 32 / 16);
    /* While it has children the watermark stays. */
    EXPECT(retype(ut, seL4_EndpointObject, 0, 30, 1) == EXCEPTION_NONE);
    EXPECT(cap_endpoint_get_ptr(root[30].cap) == (endpoint_t *)(mem + 128));
    /* Revoke: children gone, next retype restarts at 0 and clears again. */
    mem[200] = 0x77;
    EXPECT(cteRevoke(ut) == EXCEPTION_NONE && mdb_next(ut) == NULL);
    EXPECT(shim.cancelAllIPC == 1 && shim.cancelAllSignals == 4);
    EXPECT(retype(ut, seL4_EndpointObject, 0, 20, 1) == EXCEPTION_NONE);
    EXPECT(cap_endpoint_get_ptr(root[20].cap) == (endpoint_t *)mem && mem[200] == 0);
    /* Device memory is never cleared and makes only frames or untypeds. */
    cte_t *dev = make_untyped(11, 12, true, true);
    unsigned char *dmem = (unsigned char *)dev->cap.untyped.ptr;
    dmem[0] = 0x33;
    EXPECT(retype(dev, seL4_EndpointObject, 0, 40, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_InvalidArgument &&
           current_syscall_error.invalidArgumentNumber == 1);
    EXPECT(retype(dev, seL4_X86_4K, 0, 40, 1) == EXCEPTION_NONE && dmem[0] == 0x33);
}

static void test_retype_check_order(void)
{
    cte_t *ut = make_untyped(10, 12, false, false);
    EXPECT(retype(ut, seL4_ObjectTypeCount, 0, 20, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_InvalidArgument &&
           current_syscall_error.invalidArgumentNumber == 0);
    EXPECT(retype(ut, seL4_UntypedObject, 64, 20, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_RangeError &&
           current_syscall_error.rangeErrorMin == 0 && current_syscall_error.rangeErrorMax == 47);
    EXPECT(retype(ut, seL4_CapTableObject, 43, 20, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_RangeError);
    EXPECT(retype(ut, seL4_CapTableObject, 0, 20, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_InvalidArgument &&
           current_syscall_error.invalidArgumentNumber == 1);
    EXPECT(retype(ut, seL4_UntypedObject, 3, 20, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_InvalidArgument);
    EXPECT(retype(ut, seL4_EndpointObject, 0, 256, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_RangeError &&
           current_syscall_error.rangeErrorMax == 255);
    EXPECT(retype(ut, seL4_EndpointObject, 0, 0, 257) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.rangeErrorMin == 1 && current_syscall_error.rangeErrorMax == 256);
    EXPECT(retype(ut, seL4_EndpointObject, 0, 250, 7) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_RangeError &&
           current_syscall_error.rangeErrorMax == 6);
    /* Destination slots must be empty (slot 10 holds the untyped). */
    EXPECT(retype(ut, seL4_EndpointObject, 0, 8, 4) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_DeleteFirst);
    /* Not a CNode at the destination: FailedLookup, missing capability. */
    word_t mr[6] = {seL4_EndpointObject, 0, 10, 64, 0, 1};
    set_mrs(mr, 6);
    current_extra_caps.excaprefs[0] = tcb_cte(cur, tcbCTable);
    EXPECT(decodeUntypedInvocation(UntypedRetype, 6, ut, ut->cap, true, ipcbuf) ==
               EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_FailedLookup &&
           current_lookup_fault.type == lookup_fault_missing_capability &&
           current_lookup_fault.bitsLeft == 64);
    current_extra_caps.excaprefs[0] = NULL;
    EXPECT(decodeUntypedInvocation(UntypedRetype, 6, ut, ut->cap, true, ipcbuf) ==
               EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_TruncatedMessage);
    EXPECT(decodeUntypedInvocation(CNodeCopy, 6, ut, ut->cap, true, ipcbuf) ==
               EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_IllegalOperation);
    EXPECT(ut->cap.untyped.freeIndex == 0 && mdb_next(ut) == NULL);
}

static void test_untyped_copy_marks_full(void)
{
    cte_t *ut = make_untyped(10, 12, false, false);
    word_t copy[5] = {11, 64, 10, 64, seL4_CapRightsWord_All};
    EXPECT(cnode_op(CNodeCopy, copy, 5, tcb_cte(cur, tcbCTable), NULL) == EXCEPTION_NONE);
    EXPECT(ut->cap.untyped.freeIndex == BIT(12 - 4) && root[11].cap.untyped.freeIndex == 0);
    EXPECT(isMDBParentOf(ut, &root[11]));
    /* The source now has a child, so no reset: nothing left to hand out. */
    EXPECT(retype(ut, seL4_EndpointObject, 0, 20, 1) == EXCEPTION_SYSCALL_ERROR &&
           current_syscall_error.type == seL4_NotEnoughMemory &&
           current_syscall_error.memoryLeft == 0);
    EXPECT(retype(&root[11], seL4_EndpointObject, 0, 20, 1) == EXCEPTION_NONE);
}

/* --- deletion of CNodes and TCBs ------------------------------------------------ */

static word_t lowestFrame;
/* Stack depth probe: called deep inside every endpoint finalisation. */
static void probe_stack(void)
{
    word_t here = (word_t)__builtin_frame_address(0);
    if (lowestFrame == 0 || here < lowestFrame)
        lowestFrame = here;
}

/* CNodes 0..n-1 made from ut; node i's last slot holds node i+1's only cap
 * and its first an endpoint; root[20] holds node 0's. Returns the stack the
 * deletion of root[20] used. */
static word_t delete_chain(cte_t *ut, word_t n)
{
    cte_t *nodes[64];

    EXPECT(n <= 64);
    EXPECT(retype(ut, seL4_CapTableObject, 2, 20, n) == EXCEPTION_NONE);
    EXPECT(retype(ut, seL4_EndpointObject, 0, 100, n) == EXCEPTION_NONE);
    for (word_t i = 0; i < n; i++)
        nodes[i] = cap_cnode_get_ptr(root[20 + i].cap);
    for (word_t i = 0; i < n; i++) {
        cteMove(root[100 + i].cap, &root[100 + i], &nodes[i][0]);
        if (i > 0)
            cteMove(root[20 + i].cap, &root[20 + i], &nodes[i - 1][3]);
    }
    lowestFrame = 0;
    shim.cancelAllIPC = 0;
    shim_on_cancelAllIPC = probe_stack;
    word_t top = (word_t)__builtin_frame_address(0);
    EXPECT(cteDelete(&root[20], true) == EXCEPTION_NONE && cap_is_null(root[20].cap));
    shim_on_cancelAllIPC = NULL;
    word_t used = lowestFrame ? top - lowestFrame : 0;
    /* Every object is gone once the untyped is revoked. */
    EXPECT(cteRevoke(ut) == EXCEPTION_NONE && mdb_next(ut) == NULL);
    EXPECT(shim.cancelAllIPC == (int)n);
    return used;
}

static void test_delete_deep_chain(void)
{
    cte_t *ut = make_untyped(10, 16, false, false);
    word_t shallow = delete_chain(ut, 3);
    word_t deep = delete_chain(ut, 60);
    /* Depth-independent stack use: no recursion per nesting level. */
    EXPECT(shallow != 0 && deep <= shallow + 512);
}

static void test_delete_cycles(void)
{
    cte_t *ut = make_untyped(10, 16, false, false);
    /* A CNode holding the only cap to itself. */
    EXPECT(retype(ut, seL4_CapTableObject, 3, 20, 1) == EXCEPTION_NONE);
    cte_t *node = cap_cnode_get_ptr(root[20].cap);
    cteMove(root[20].cap, &root[20], &node[5]);
    /* A TCB whose CSpace root holds the only cap to the TCB. */
    EXPECT(retype(ut, seL4_TCBObject, 0, 21, 1) == EXCEPTION_NONE);
    EXPECT(retype(ut, seL4_CapTableObject, 2, 22, 1) == EXCEPTION_NONE);
    tcb_t *t = cap_thread_get_tcb(root[21].cap);
    cteMove(root[22].cap, &root[22], tcb_cte(t, tcbCTable));
    cteMove(root[21].cap, &root[21], &cap_cnode_get_ptr(tcb_cte(t, tcbCTable)->cap)[1]);
    EXPECT(ksDebugTCBs == t);
    EXPECT(cteRevoke(ut) == EXCEPTION_NONE && mdb_next(ut) == NULL);
    EXPECT(shim.suspend == 1 && ksDebugTCBs == NULL);
    EXPECT(cap_is_null(node[5].cap) && cap_is_null(tcb_cte(t, tcbReply)->cap));
    EXPECT(ut->cap.untyped.freeIndex != 0); /* reset only at the next Retype */
}

static void test_delete_tcb_via_cnode_op(void)
{
    cte_t *ut = make_untyped(10, 14, false, false);
    EXPECT(retype(ut, seL4_TCBObject, 0, 21, 1) == EXCEPTION_NONE);
    word_t mr[2] = {21, 64};
    EXPECT(slotCapLongRunningDelete(&root[21]));
    EXPECT(cnode_op(CNodeDelete, mr, 2, NULL, NULL) == EXCEPTION_NONE);
    EXPECT(cap_is_null(root[21].cap) && shim.suspend == 1 && mdb_next(ut) == NULL);
    EXPECT(!slotCapLongRunningDelete(&root[21]));
}

/* --- runner ------------------------------------------------------------------- */

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
    {"resolve_single_level", test_resolve_single_level},
    {"resolve_guard_mismatch", test_resolve_guard_mismatch},
    {"resolve_depth_mismatch", test_resolve_depth_mismatch},
    {"resolve_two_levels", test_resolve_two_levels},
    {"cnodeop_depth_range", test_cnodeop_depth_range},
    {"mdb_insert_order", test_mdb_insert_order},
    {"mdb_move_and_swap", test_mdb_move_and_swap},
    {"mdb_badges", test_mdb_badges},
    {"update_cap_data", test_update_cap_data},
    {"cnode_copy_mint_errors", test_cnode_copy_mint_errors},
    {"cnode_rotate", test_cnode_rotate},
    {"retype_alignment_watermark", test_retype_alignment_watermark},
    {"retype_not_enough_memory", test_retype_not_enough_memory},
    {"retype_reset_and_zeroing", test_retype_reset_and_zeroing},
    {"retype_check_order", test_retype_check_order},
    {"untyped_copy_marks_full", test_untyped_copy_marks_full},
    {"delete_deep_chain", test_delete_deep_chain},
    {"delete_cycles", test_delete_cycles},
    {"delete_tcb_via_cnode_op", test_delete_tcb_via_cnode_op},
};

int main(void)
{
    int failed = 0;

    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        shim_current_test = tests[i].name;
        failure = NULL;
        setup();
        tests[i].fn();
        teardown();
        if (failure) {
            printf("TEST-FAIL cspace.%s: %s\n", tests[i].name, failure);
            failed++;
        } else {
            printf("TEST-PASS cspace.%s\n", tests[i].name);
        }
    }
    printf("SUITE-END cspace\n");
    return failed != 0;
}
