/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The long operations of spec §8 (last paragraph), each run inside a
 * measurement window (preempt.h) and then checked for its complete, correct
 * result: Retype's first reset of a large boot untyped, a second reset that
 * must zero memory the test dirtied (§10), Revoke of 10,000 caps, Delete of
 * the last cap to a 16,384-slot CNode full of caps, and Revoke of an
 * untyped whose CNodes and TCBs hold caps to each other (deletion through
 * zombies). Tests run in order and share the untypeds made by the first.
 */
#include "preempt.h"

#define ROOT       seL4_CapInitThreadCNode
#define BIG_CNODE  14 /* radix: 16,384 slots, 512 KiB */
#define REVOKE_N   10000
#define VA_BASE    0x4000000000ull /* 1 GiB aligned, far from the image */
#define LARGE_BITS 21

static seL4_CPtr bigChild, workUntyped; /* children of the big boot untyped */
static seL4_Word bigChildBits;

static seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr dest, seL4_Word n)
{
    return seL4_Untyped_Retype(ut, type, bits, ROOT, 0, 0, dest, n);
}

/* An empty slot: moving out of it fails with FailedLookup (spec §12.3). */
static bool slotEmpty(seL4_CPtr cnode, seL4_Word index, seL4_Word depth)
{
    static seL4_CPtr scratch;
    if (!scratch)
        scratch = rt_slot_alloc();
    seL4_Error err = seL4_CNode_Move(ROOT, scratch, 64, cnode, index, depth);
    if (err == seL4_NoError)
        seL4_CNode_Delete(ROOT, scratch, 64);
    return err == seL4_FailedLookup;
}

TEST(retype_first_reset_of_boot_untyped)
{
    preempt_window_t w;

    if (!CHECK(preemptReady))
        return;
    bigChildBits = preemptBigBits - 1 < 26 ? preemptBigBits - 1 : 26;
    bigChild = rt_slot_alloc();
    preemptWindowOpen();
    seL4_Error err = retype(preemptBigUntyped, seL4_UntypedObject, bigChildBits, bigChild, 1);
    preemptWindowClose(&w);
    if (!CHECK_EQ(err, seL4_NoError)) {
        bigChild = 0;
        return;
    }
    char what[96];
    snprintf(what, sizeof(what), "first Retype of the 2^%lu boot untyped",
             (unsigned long)preemptBigBits);
    preemptCheckWindow(what, &w);
    workUntyped = rt_slot_alloc();
    if (!CHECK_EQ(retype(preemptBigUntyped, seL4_UntypedObject, bigChildBits - 2, workUntyped, 1),
                  seL4_NoError))
        workUntyped = 0;
}

/* Large pages of bigChild at VA_BASE + 2 MiB * (k + 1); the 4 KiB page at
 * VA_BASE only makes the runtime build the page directory. */
static bool mapLargePages(seL4_CPtr frames, seL4_Word n)
{
    static seL4_CPtr pdAnchor;
    if (!pdAnchor && (rt_alloc_object(seL4_X86_4K, 0, &pdAnchor) != seL4_NoError ||
                      rt_map_page(pdAnchor, VA_BASE, seL4_AllRights) != seL4_NoError))
        return false;
    for (seL4_Word k = 0; k < n; k++)
        if (seL4_X86_Page_Map(frames + k, seL4_CapInitThreadVSpace,
                              VA_BASE + ((k + 1) << LARGE_BITS), seL4_AllRights,
                              seL4_X86_Default_VMAttributes) != seL4_NoError)
            return false;
    return true;
}

static void unmapLargePages(seL4_CPtr frames, seL4_Word n)
{
    for (seL4_Word k = 0; k < n; k++)
        seL4_X86_Page_Unmap(frames + k);
}

static uint64_t *largePageWords(void)
{
    return (uint64_t *)(VA_BASE + (1ull << LARGE_BITS));
}

TEST(retype_reset_zeroes_dirty_untyped)
{
    preempt_window_t w;
    seL4_Word n = 1ul << (bigChildBits - LARGE_BITS);
    seL4_Word words = (n << LARGE_BITS) / sizeof(uint64_t);
    seL4_CPtr frames = rt_slot_alloc_range(n);

    if (!CHECK(bigChild != 0) || !CHECK(frames != 0))
        return;
    if (!CHECK_EQ(retype(bigChild, seL4_X86_LargePageObject, 0, frames, n), seL4_NoError) ||
        !CHECK(mapLargePages(frames, n)))
        return;
    for (seL4_Word i = 0; i < words; i++)
        largePageWords()[i] = 0xa5a5a5a500000000ull | i;
    unmapLargePages(frames, n);
    if (!CHECK_EQ(seL4_CNode_Revoke(ROOT, bigChild, 64), seL4_NoError))
        return;

    preemptWindowOpen();
    seL4_Error err = retype(bigChild, seL4_X86_LargePageObject, 0, frames, n);
    preemptWindowClose(&w);
    if (!CHECK_EQ(err, seL4_NoError) || !CHECK(mapLargePages(frames, n)))
        return;
    preemptCheckWindow("second Retype (reset) of the dirtied 64 MiB untyped", &w);
    seL4_Word dirty = 0;
    for (seL4_Word i = 0; i < words; i++)
        dirty += largePageWords()[i] != 0;
    CHECK_EQ(dirty, 0);
    unmapLargePages(frames, n);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, bigChild, 64), seL4_NoError);
}

TEST(revoke_10000_caps)
{
    preempt_window_t w;
    seL4_CPtr cnode = rt_slot_alloc(), ep = rt_slot_alloc();
    seL4_Word copyErrors = 0, left = 0;

    if (!CHECK(workUntyped != 0) ||
        !CHECK_EQ(retype(workUntyped, seL4_CapTableObject, BIG_CNODE, cnode, 1), seL4_NoError) ||
        !CHECK_EQ(retype(workUntyped, seL4_EndpointObject, 0, ep, 1), seL4_NoError))
        return;
    for (seL4_Word i = 0; i < REVOKE_N; i++)
        copyErrors +=
            seL4_CNode_Copy(cnode, i, BIG_CNODE, ROOT, ep, 64, seL4_AllRights) != seL4_NoError;
    CHECK_EQ(copyErrors, 0);

    preemptWindowOpen();
    seL4_Error err = seL4_CNode_Revoke(ROOT, ep, 64);
    preemptWindowClose(&w);
    CHECK_EQ(err, seL4_NoError);
    preemptCheckWindow("Revoke of 10,000 endpoint caps", &w);
    for (seL4_Word i = 0; i < REVOKE_N; i++)
        left += !slotEmpty(cnode, i, BIG_CNODE);
    CHECK_EQ(left, 0);
    CHECK(!slotEmpty(ROOT, ep, 64)); /* Revoke keeps the cap itself */
}

/*
 * The last caps to an endpoint live only in the CNode deleted: once it is
 * gone, the endpoint's 16-byte untyped has no children left, which a new
 * Retype from it shows (it would fail with NotEnoughMemory otherwise).
 */
TEST(delete_cnode_of_16384_caps)
{
    preempt_window_t w;
    seL4_CPtr cnode = rt_slot_alloc(), ut = rt_slot_alloc(), ep = rt_slot_alloc();
    seL4_Word copyErrors = 0;

    if (!CHECK(workUntyped != 0) ||
        !CHECK_EQ(retype(workUntyped, seL4_CapTableObject, BIG_CNODE, cnode, 1), seL4_NoError) ||
        !CHECK_EQ(retype(workUntyped, seL4_UntypedObject, seL4_EndpointBits, ut, 1),
                  seL4_NoError) ||
        !CHECK_EQ(retype(ut, seL4_EndpointObject, 0, ep, 1), seL4_NoError))
        return;
    for (seL4_Word i = 0; i < (1ul << BIG_CNODE); i++)
        copyErrors +=
            seL4_CNode_Copy(cnode, i, BIG_CNODE, ROOT, ep, 64, seL4_AllRights) != seL4_NoError;
    CHECK_EQ(copyErrors, 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, ep, 64), seL4_NoError);

    preemptWindowOpen();
    seL4_Error err = seL4_CNode_Delete(ROOT, cnode, 64);
    preemptWindowClose(&w);
    CHECK_EQ(err, seL4_NoError);
    preemptCheckWindow("Delete of a CNode holding 16,384 caps", &w);
    CHECK(slotEmpty(ROOT, cnode, 64));
    CHECK_EQ(retype(ut, seL4_EndpointObject, 0, ep, 1), seL4_NoError);
}

#define NEST_CNODES 64
#define NEST_TCBS   32
#define NEST_RADIX  8
#define NEST_BITS   20 /* 64 x 8 KiB CNodes + 32 x 2 KiB TCBs fit in 1 MiB */

/* CNode j holds caps to CNode j+1, to itself and to TCB j % 32 in every
 * other slot; TCB j's CSpace root is CNode j. */
static seL4_Word linkNest(seL4_CPtr cn, seL4_CPtr tcb)
{
    seL4_Word errors = 0;
    for (seL4_Word j = 0; j < NEST_CNODES; j++) {
        seL4_CPtr c = cn + j;
        errors += seL4_CNode_Copy(c, 0, NEST_RADIX, ROOT, cn + (j + 1) % NEST_CNODES, 64,
                                  seL4_AllRights) != seL4_NoError;
        errors += seL4_CNode_Copy(c, 1, NEST_RADIX, ROOT, c, 64, seL4_AllRights) != seL4_NoError;
        for (seL4_Word s = 2; s < (1ul << NEST_RADIX); s++)
            errors += seL4_CNode_Copy(c, s, NEST_RADIX, ROOT, tcb + j % NEST_TCBS, 64,
                                      seL4_AllRights) != seL4_NoError;
    }
    for (seL4_Word j = 0; j < NEST_TCBS; j++)
        errors +=
            seL4_TCB_SetSpace(tcb + j, 0, cn + j, 0, seL4_CapInitThreadVSpace, 0) != seL4_NoError;
    return errors;
}

TEST(revoke_untyped_of_nested_cnodes_and_tcbs)
{
    preempt_window_t w;
    seL4_CPtr ut = rt_slot_alloc(), again = rt_slot_alloc();
    seL4_CPtr cn = rt_slot_alloc_range(NEST_CNODES), tcb = rt_slot_alloc_range(NEST_TCBS);
    seL4_Word errors = 0;

    if (!CHECK(workUntyped != 0) || !CHECK(cn != 0 && tcb != 0) ||
        !CHECK_EQ(retype(workUntyped, seL4_UntypedObject, NEST_BITS, ut, 1), seL4_NoError) ||
        !CHECK_EQ(retype(ut, seL4_CapTableObject, NEST_RADIX, cn, NEST_CNODES), seL4_NoError) ||
        !CHECK_EQ(retype(ut, seL4_TCBObject, 0, tcb, NEST_TCBS), seL4_NoError))
        return;
    CHECK_EQ(linkNest(cn, tcb), 0);
    /* Only the objects' caps to each other remain: no final cap here. */
    for (seL4_Word j = 0; j < NEST_CNODES; j++)
        errors += seL4_CNode_Delete(ROOT, cn + j, 64) != seL4_NoError;
    for (seL4_Word j = 0; j < NEST_TCBS; j++)
        errors += seL4_CNode_Delete(ROOT, tcb + j, 64) != seL4_NoError;
    CHECK_EQ(errors, 0);

    preemptWindowOpen();
    seL4_Error err = seL4_CNode_Revoke(ROOT, ut, 64);
    preemptWindowClose(&w);
    CHECK_EQ(err, seL4_NoError);
    preemptCheckWindow("Revoke of an untyped of 64 linked CNodes and 32 TCBs", &w);
    /* No child left: the whole untyped is free again. */
    CHECK_EQ(retype(ut, seL4_UntypedObject, NEST_BITS, again, 1), seL4_NoError);
}
