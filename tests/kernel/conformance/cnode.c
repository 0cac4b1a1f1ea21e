/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CNode invocations and CSpace addressing (spec §7, §12.3): Copy, Mint, Move,
 * Mutate, Rotate, Delete, Revoke (including a 100-level derivation chain),
 * CancelBadgedSends and SaveCaller, with every error they document and the
 * FailedLookup details (source flag, lookup failure type, bits left, guard
 * found); guards and depths in a two-level CSpace, seen both through CNode
 * operations and through a thread whose CSpace root it is; rights that only
 * shrink; badges (§7.4); and the derive rules of §7.5.
 */
#include "conf.h"

static seL4_Error copy(seL4_CPtr dest, seL4_CPtr src, seL4_Word rights)
{
    return seL4_CNode_Copy(ROOT_CNODE, dest, DEPTH, ROOT_CNODE, src, DEPTH, c_rights(rights));
}

static seL4_Error mint(seL4_CPtr dest, seL4_CPtr src, seL4_Word rights, seL4_Word data)
{
    return seL4_CNode_Mint(ROOT_CNODE, dest, DEPTH, ROOT_CNODE, src, DEPTH, c_rights(rights), data);
}

CTEST(cnode_copy_basic)
{
    seL4_CPtr ep = c_ep(), d = c_slot();

    CHECK_ERR(copy(d, ep, seL4_CapRightsWord_All), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
    CHECK_EQ(c_ident(ep), seL4_CapType_Endpoint);
}

CTEST(cnode_copy_rights_masked)
{
    seL4_CPtr ep = c_ep(), ro = c_slot(), again = c_slot();
    seL4_MessageInfo_t info;

    CHECK_ERR(copy(ro, ep, seL4_CapRightsWord_Read), seL4_NoError);
    /* Call needs Write: the error comes back as InvalidCapability(0). */
    info = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
    CHECK_MR0(0);
    /* Rights never grow back. */
    CHECK_ERR(copy(again, ro, seL4_CapRightsWord_All), seL4_NoError);
    info = seL4_Call(again, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
}

CTEST(cnode_copy_errors)
{
    seL4_CPtr ep = c_ep(), other = c_ep(), empty = c_slot();

    CHECK_ERR(copy(other, ep, seL4_CapRightsWord_All), seL4_DeleteFirst);
    CHECK_ERR(copy(c_slot(), empty, seL4_CapRightsWord_All), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
    CHECK_EQ(seL4_GetMR(2), DEPTH);
}

CTEST(cnode_depth_range)
{
    seL4_CPtr ep = c_ep(), d = c_slot();

    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, d, 0, ROOT_CNODE, ep, DEPTH, seL4_AllRights),
              seL4_RangeError);
    CHECK_RANGE(1, 64);
    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, d, 65, ROOT_CNODE, ep, DEPTH, seL4_AllRights),
              seL4_RangeError);
    CHECK_RANGE(1, 64);
    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, d, DEPTH, ROOT_CNODE, ep, 0, seL4_AllRights),
              seL4_RangeError);
    CHECK_RANGE(1, 64);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, ep, 0), seL4_RangeError);
    CHECK_RANGE(1, 64);
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ep, 65), seL4_RangeError);
    CHECK_RANGE(1, 64);
    CHECK_EQ(c_ident(d), 0);
}

CTEST(cnode_guard_mismatch_details)
{
    seL4_CPtr ep = c_ep();
    seL4_Word bad = (0x5ul << 40) | ep;

    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, bad, DEPTH), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 0);
    CHECK_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CHECK_EQ(seL4_GetMR(2), DEPTH);
    /* Fewer bits than the 52-bit guard: a guard mismatch too (§7.2 step 1). */
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, ep, 40), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CHECK_EQ(seL4_GetMR(2), 40);
    /* As a source. */
    CHECK_ERR(copy(c_slot(), bad, seL4_CapRightsWord_All), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CHECK_EQ(c_ident(ep), seL4_CapType_Endpoint);
}

CTEST(cnode_depth_mismatch_details)
{
    seL4_CPtr ep = c_ep();

    /* Guard (52) fits in 60 bits, guard + radix (64) does not. */
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, ep >> 4, 60), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 0);
    CHECK_EQ(seL4_GetMR(1), seL4_DepthMismatch);
    CHECK_EQ(seL4_GetMR(2), 60);
    CHECK_EQ(c_ident(ep), seL4_CapType_Endpoint);
}

/* Slot addressing must use up the depth exactly; stopping at a non-CNode cap fails. */
CTEST(cnode_depth_leftover_bits)
{
    seL4_CPtr top = c_obj(seL4_CapTableObject, 4), ep = c_ep();

    if (!top ||
        !CHECK_ERR(seL4_CNode_Copy(top, 1, 4, ROOT_CNODE, ep, DEPTH, seL4_AllRights), seL4_NoError))
        return;
    CHECK_ERR(seL4_CNode_Delete(top, (1 << 4) | 3, 8), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_DepthMismatch);
    CHECK_EQ(seL4_GetMR(2), 4);
    CHECK_ERR(seL4_CNode_Delete(top, 1, 4), seL4_NoError);
}

CTEST(cnode_src_root_not_cnode)
{
    seL4_CPtr ep = c_ep(), d = c_slot();

    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, d, DEPTH, ep, ep, DEPTH, seL4_AllRights),
              seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(seL4_GetMR(1), seL4_InvalidRoot);
    CHECK_EQ(c_ident(d), 0);
}

CTEST(cnode_truncated_and_label)
{
    seL4_CPtr ep = c_ep(), d = c_slot(), root = ROOT_CNODE;
    seL4_Word mr[8] = {d, DEPTH, ep, DEPTH, seL4_CapRightsWord_All, 0, 0, 0};

    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeCopy, 4, mr, 1, &root), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeCopy, 5, mr, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeMint, 5, mr, 1, &root), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeMove, 3, mr, 1, &root), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeMutate, 4, mr, 1, &root), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeRotate, 7, mr, 2, (seL4_CPtr[]){root, root}),
              seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeDelete, 1, mr, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeRevoke, 0, mr, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ROOT_CNODE, UntypedRetype, 5, mr, 1, &root), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(ROOT_CNODE, TCBSuspend, 5, mr, 1, &root), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(ROOT_CNODE, X86PageMap, 5, mr, 1, &root), seL4_IllegalOperation);
    CHECK_EQ(c_ident(d), 0);
    CHECK_ERR(c_invoke(ROOT_CNODE, CNodeCopy, 5, mr, 1, &root), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
}

CTEST(cnode_mint_badges)
{
    seL4_CPtr n = c_ntfn(), b = c_slot(), bb = c_slot(), z = c_slot(), zb = c_slot();
    seL4_Word word = 0;

    CHECK_ERR(mint(b, n, seL4_CapRightsWord_All, 0x40), seL4_NoError);
    seL4_Signal(b);
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x40);
    /* A badged cap cannot be re-badged, whatever the data. */
    CHECK_ERR(mint(bb, b, seL4_CapRightsWord_All, 0x80), seL4_IllegalOperation);
    CHECK_ERR(mint(bb, b, seL4_CapRightsWord_All, 0), seL4_IllegalOperation);
    CHECK_EQ(c_ident(bb), 0);
    /* Badge 0 gives another unbadged cap, which can still be badged. */
    CHECK_ERR(mint(z, n, seL4_CapRightsWord_All, 0), seL4_NoError);
    CHECK_ERR(mint(zb, z, seL4_CapRightsWord_All, 0x3), seL4_NoError);
    seL4_Signal(zb);
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x3);
    /* Copy keeps the badge. */
    CHECK_ERR(copy(bb, b, seL4_CapRightsWord_All), seL4_NoError);
    seL4_Signal(bb);
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x40);
}

CTEST(cnode_mint_endpoint_badge)
{
    seL4_CPtr ep = c_ep(), b = c_slot();

    CHECK_ERR(mint(b, ep, seL4_CapRightsWord_All, 0xabcdef), seL4_NoError);
    /* Full 64-bit badges are kept. */
    CHECK_ERR(mint(c_slot(), ep, seL4_CapRightsWord_All, ~0ul), seL4_NoError);
}

CTEST(cnode_mint_cnode_guard)
{
    seL4_CPtr cn = c_obj(seL4_CapTableObject, 4), g = c_slot(), bad = c_slot(), ep = c_ep();
    seL4_CPtr back = c_slot();

    if (!cn)
        return;
    CHECK_ERR(seL4_CNode_Copy(cn, 9, 4, ROOT_CNODE, ep, DEPTH, seL4_AllRights), seL4_NoError);
    CHECK_ERR(mint(bad, cn, seL4_CapRightsWord_All, seL4_CNode_CapData_new(0, 61).words[0]),
              seL4_IllegalOperation);
    CHECK_EQ(c_ident(bad), 0);
    CHECK_ERR(mint(g, cn, seL4_CapRightsWord_All, seL4_CNode_CapData_new(0x2d, 8).words[0]),
              seL4_NoError);
    /* Through the minted cap slot 9 is 12 bits: guard 0x2d then 9. */
    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, back, DEPTH, g, (0x2d << 4) | 9, 12, seL4_AllRights),
              seL4_NoError);
    CHECK_EQ(c_ident(back), seL4_CapType_Endpoint);
    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, c_slot(), DEPTH, g, (0x2c << 4) | 9, 12, seL4_AllRights),
              seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CHECK_EQ(seL4_GetMR(2), 12);
    /* The guard value is masked to the guard size. */
    CHECK_ERR(mint(c_slot(), cn, seL4_CapRightsWord_All, seL4_CNode_CapData_new(0x12d, 8).words[0]),
              seL4_NoError);
}

CTEST(cnode_mutate)
{
    seL4_CPtr cn = c_obj(seL4_CapTableObject, 2), m = c_slot(), ep = c_ep(), n = c_ntfn();
    seL4_CPtr back = c_slot();

    if (!cn)
        return;
    CHECK_ERR(seL4_CNode_Copy(cn, 3, 2, ROOT_CNODE, ep, DEPTH, seL4_AllRights), seL4_NoError);
    CHECK_ERR(seL4_CNode_Mutate(ROOT_CNODE, m, DEPTH, ROOT_CNODE, cn, DEPTH,
                                seL4_CNode_CapData_new(0, 63).words[0]),
              seL4_IllegalOperation);
    CHECK_EQ(c_ident(cn), seL4_CapType_CNode);
    CHECK_ERR(seL4_CNode_Mutate(ROOT_CNODE, m, DEPTH, ROOT_CNODE, cn, DEPTH,
                                seL4_CNode_CapData_new(1, 2).words[0]),
              seL4_NoError);
    CHECK_EQ(c_ident(cn), 0);
    CHECK_EQ(c_ident(m), seL4_CapType_CNode);
    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, back, DEPTH, m, (1 << 2) | 3, 4, seL4_AllRights),
              seL4_NoError);
    CHECK_EQ(c_ident(back), seL4_CapType_Endpoint);
    /* Endpoint and notification badges cannot be set by Mutate. */
    CHECK_ERR(seL4_CNode_Mutate(ROOT_CNODE, c_slot(), DEPTH, ROOT_CNODE, n, DEPTH, 5),
              seL4_IllegalOperation);
    CHECK_EQ(c_ident(n), seL4_CapType_Notification);
}

CTEST(cnode_move)
{
    seL4_CPtr ep = c_ep(), n = c_ntfn(), d = c_slot(), empty = c_slot();

    CHECK_ERR(seL4_CNode_Move(ROOT_CNODE, d, DEPTH, ROOT_CNODE, ep, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(ep), 0);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
    CHECK_ERR(seL4_CNode_Move(ROOT_CNODE, n, DEPTH, ROOT_CNODE, d, DEPTH), seL4_DeleteFirst);
    CHECK_ERR(seL4_CNode_Move(ROOT_CNODE, ep, DEPTH, ROOT_CNODE, empty, DEPTH), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
}

/* Moving keeps the derivation: revoking the original's parent still removes it. */
CTEST(cnode_move_keeps_derivation)
{
    seL4_CPtr ep = c_ep(), m = c_mint(ep, seL4_CapRightsWord_All, 3), d = c_slot();

    CHECK_ERR(seL4_CNode_Move(ROOT_CNODE, d, DEPTH, ROOT_CNODE, m, DEPTH), seL4_NoError);
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ep, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(d), 0);
    CHECK_EQ(c_ident(ep), seL4_CapType_Endpoint);
}

/*
 * Rotate and Mutate rebuild the caps with new data; for endpoint and
 * notification caps that is refused (§7.4), so these use other cap types.
 */
CTEST(cnode_rotate_three)
{
    seL4_CPtr a = c_tcb(), b = c_frame(), dst = c_slot();

    /* pivot (b) -> dest, src (a) -> pivot slot. */
    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, dst, DEPTH, 0, ROOT_CNODE, b, DEPTH, 0, ROOT_CNODE, a, DEPTH),
        seL4_NoError);
    CHECK_EQ(c_ident(dst), seL4_CapType_Frame);
    CHECK_EQ(c_ident(b), seL4_CapType_TCB);
    CHECK_EQ(c_ident(a), 0);
}

CTEST(cnode_rotate_swap)
{
    seL4_CPtr a = c_tcb(), b = c_obj(seL4_CapTableObject, 2);

    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, a, DEPTH, 0, ROOT_CNODE, b, DEPTH, 0, ROOT_CNODE, a, DEPTH),
        seL4_NoError);
    CHECK_EQ(c_ident(a), seL4_CapType_CNode);
    CHECK_EQ(c_ident(b), seL4_CapType_TCB);
}

CTEST(cnode_rotate_errors)
{
    seL4_CPtr a = c_tcb(), b = c_frame(), c = c_ep(), e = c_slot(), e2 = c_slot();

    /* pivot == src, pivot == dest */
    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, e, DEPTH, 0, ROOT_CNODE, a, DEPTH, 0, ROOT_CNODE, a, DEPTH),
        seL4_IllegalOperation);
    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, b, DEPTH, 0, ROOT_CNODE, b, DEPTH, 0, ROOT_CNODE, a, DEPTH),
        seL4_IllegalOperation);
    /* dest occupied and not the source */
    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, c, DEPTH, 0, ROOT_CNODE, b, DEPTH, 0, ROOT_CNODE, a, DEPTH),
        seL4_DeleteFirst);
    /* empty source, empty pivot */
    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, e, DEPTH, 0, ROOT_CNODE, b, DEPTH, 0, ROOT_CNODE, e2, DEPTH),
        seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, e, DEPTH, 0, ROOT_CNODE, e2, DEPTH, 0, ROOT_CNODE, a, DEPTH),
        seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
    CHECK_EQ(c_ident(a), seL4_CapType_TCB);
    CHECK_EQ(c_ident(b), seL4_CapType_Frame);
    CHECK_EQ(c_ident(c), seL4_CapType_Endpoint);
    CHECK_EQ(c_ident(e), 0);
}

CTEST(cnode_rotate_cannot_badge)
{
    seL4_CPtr a = c_ep(), b = c_ntfn(), e = c_slot();

    CHECK_ERR(
        seL4_CNode_Rotate(ROOT_CNODE, e, DEPTH, 7, ROOT_CNODE, b, DEPTH, 0, ROOT_CNODE, a, DEPTH),
        seL4_IllegalOperation);
    CHECK_EQ(c_ident(e), 0);
    CHECK_EQ(c_ident(a), seL4_CapType_Endpoint);
    CHECK_EQ(c_ident(b), seL4_CapType_Notification);
}

CTEST(cnode_delete)
{
    seL4_CPtr ep = c_ep(), e = c_slot();

    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, ep, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(ep), 0);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, e, DEPTH), seL4_NoError);
}

/* Deleting a parent leaves its children (and the object) alive. */
CTEST(cnode_delete_parent_keeps_child)
{
    seL4_CPtr n = c_ntfn(), child = c_mint(n, seL4_CapRightsWord_All, 0), b = 0;
    seL4_Word word = 0;

    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, n, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(child), seL4_CapType_Notification);
    b = c_mint(child, seL4_CapRightsWord_All, 0x11);
    seL4_Signal(b);
    seL4_Poll(child, &word);
    CHECK_EQ(word, 0x11);
}

CTEST(cnode_revoke_children)
{
    seL4_CPtr ep = c_ep(), c1 = c_mint(ep, seL4_CapRightsWord_All, 1);
    seL4_CPtr c2 = c_copy(ep), c3 = c_copy(c1), other = c_ep();
    seL4_CPtr e = c_slot();

    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ep, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(ep), seL4_CapType_Endpoint);
    CHECK_EQ(c_ident(c1), 0);
    CHECK_EQ(c_ident(c2), 0);
    CHECK_EQ(c_ident(c3), 0);
    CHECK_EQ(c_ident(other), seL4_CapType_Endpoint);
    /* Revoking an empty slot or a cap without children is fine. */
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ep, DEPTH), seL4_NoError);
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, e, DEPTH), seL4_NoError);
}

/*
 * A 100-level derivation chain: each untyped copy is made from the previous
 * one (an untyped may be copied only while it has no children, §7.5, so each
 * level has exactly one child). Mint and copy alternate.
 */
CTEST(cnode_revoke_deep_chain)
{
    enum { LEVELS = 100 };
    seL4_CPtr ut = c_untyped(12), s = c_slots(LEVELS);
    seL4_Word left = 0;

    if (!s || !ut)
        return;
    for (int i = 0; i < LEVELS; i++) {
        seL4_CPtr src = i ? s + i - 1 : ut;
        seL4_Error err = (i & 1) ? copy(s + i, src, seL4_CapRightsWord_All)
                                 : mint(s + i, src, seL4_CapRightsWord_All, 0);
        if (!CHECK_ERR(err, seL4_NoError))
            return;
    }
    /* Every level but the last has a child now. */
    CHECK_ERR(copy(c_slot(), s + 10, seL4_CapRightsWord_All), seL4_RevokeFirst);
    /* Revoke from the middle first: only the lower half goes. */
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, s + LEVELS / 2, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(s + LEVELS / 2), seL4_CapType_Untyped);
    CHECK_EQ(c_ident(s + LEVELS / 2 + 1), 0);
    CHECK_EQ(c_ident(s + LEVELS - 1), 0);
    CHECK_EQ(c_ident(s + LEVELS / 2 - 1), seL4_CapType_Untyped);
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ut, DEPTH), seL4_NoError);
    for (int i = 0; i < LEVELS; i++)
        left += c_ident(s + i) != 0;
    CHECK_EQ(left, 0);
    CHECK_EQ(c_ident(ut), seL4_CapType_Untyped);
    /* No children left: it can be copied again. */
    CHECK(c_copy(ut) != 0);
}

/* Deleting a chain of 100 badged-then-copied endpoint caps one by one. */
CTEST(cnode_revoke_endpoint_copies)
{
    enum { COPIES = 100 };
    seL4_CPtr ep = c_ep(), s = c_slots(COPIES);
    seL4_Word left = 0;

    if (!s)
        return;
    for (int i = 0; i < COPIES; i++) {
        seL4_Error err = (i & 1) ? copy(s + i, s + i - 1, seL4_CapRightsWord_All)
                                 : mint(s + i, ep, seL4_CapRightsWord_All, i + 1);
        if (!CHECK_ERR(err, seL4_NoError))
            return;
    }
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ep, DEPTH), seL4_NoError);
    for (int i = 0; i < COPIES; i++)
        left += c_ident(s + i) != 0;
    CHECK_EQ(left, 0);
    CHECK_EQ(c_ident(ep), seL4_CapType_Endpoint);
}

/* ---- derive rules (§7.5) ---- */

CTEST(cnode_derive_control_caps)
{
    seL4_CPtr d = c_slot();

    CHECK_ERR(copy(d, seL4_CapIRQControl, seL4_CapRightsWord_All), seL4_IllegalOperation);
    CHECK_ERR(copy(d, seL4_CapIOPortControl, seL4_CapRightsWord_All), seL4_IllegalOperation);
    CHECK_ERR(mint(d, seL4_CapIRQControl, seL4_CapRightsWord_All, 0), seL4_IllegalOperation);
    CHECK_EQ(c_ident(d), 0);
}

CTEST(cnode_derive_untyped_with_children)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot(), ep = c_slot();

    CHECK_ERR(copy(d, ut, seL4_CapRightsWord_All), seL4_NoError);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, d, DEPTH), seL4_NoError);
    CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, ep, 1),
              seL4_NoError);
    CHECK_ERR(copy(d, ut, seL4_CapRightsWord_All), seL4_RevokeFirst);
    CHECK_EQ(c_ident(d), 0);
}

CTEST(cnode_derive_paging_caps)
{
    seL4_CPtr pt = c_obj(seL4_X86_PageTableObject, 0), pd = c_obj(seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pdpt = c_obj(seL4_X86_PDPTObject, 0), pml4 = c_obj(seL4_X64_PML4Object, 0);
    seL4_CPtr d = c_slot();

    CHECK_ERR(copy(d, pt, seL4_CapRightsWord_All), seL4_IllegalOperation);
    CHECK_ERR(copy(d, pd, seL4_CapRightsWord_All), seL4_IllegalOperation);
    CHECK_ERR(copy(d, pdpt, seL4_CapRightsWord_All), seL4_IllegalOperation);
    CHECK_ERR(copy(d, pml4, seL4_CapRightsWord_All), seL4_IllegalOperation);
    CHECK_EQ(c_ident(d), 0);
    if (!CHECK_ERR(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4), seL4_NoError))
        return;
    CHECK_ERR(copy(d, pml4, seL4_CapRightsWord_All), seL4_NoError);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt, pml4, 0, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd, pml4, 0, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageTable_Map(pt, pml4, 0, 0), seL4_NoError);
    CHECK(c_copy(pdpt) != 0);
    CHECK(c_copy(pd) != 0);
    CHECK(c_copy(pt) != 0);
}

/* A copy of a mapped frame is unmapped: it maps elsewhere, aliasing the frame. */
CTEST(cnode_derive_frame_unmapped)
{
    seL4_CPtr f = c_frame(), cp;
    volatile seL4_Word *a = (volatile seL4_Word *)TEST_VADDR;
    volatile seL4_Word *b = (volatile seL4_Word *)(TEST_VADDR + 0x5000);

    if (!f ||
        !CHECK_ERR(c_map(ROOT_VS, f, TEST_VADDR, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    cp = c_copy(f);
    if (!CHECK_ERR(c_map(ROOT_VS, cp, TEST_VADDR + 0x5000, seL4_CapRightsWord_ReadWrite, 0),
                   seL4_NoError))
        return;
    a[3] = 0x77;
    CHECK_EQ(b[3], 0x77);
}

/* ---- two-level CSpace (§7.2) ---- */

#define L2_GUARD 0xabcul
/* CPtr of slot `l2` of the second level, below slot 1 of the top level. */
#define L2_CPTR(l2) ((1ul << 32) | (L2_GUARD << 8) | (l2))

struct twolevel {
    seL4_CPtr top; /* root: top CNode (radix 4, guard size 28) */
    seL4_CPtr l2;  /* root: second level (radix 8, unguarded cap) */
};

static bool build_twolevel(struct twolevel *t)
{
    seL4_CPtr top_raw = c_obj(seL4_CapTableObject, 4), l2 = c_obj(seL4_CapTableObject, 8);

    t->top = c_slot();
    t->l2 = l2;
    if (!top_raw || !l2)
        return false;
    if (!CHECK_ERR(
            mint(t->top, top_raw, seL4_CapRightsWord_All, seL4_CNode_CapData_new(0, 28).words[0]),
            seL4_NoError))
        return false;
    /* Top slot 1: the second level with a 24-bit guard. */
    return CHECK_ERR(seL4_CNode_Mint(t->top, 1, 32, ROOT_CNODE, l2, DEPTH, seL4_AllRights,
                                     seL4_CNode_CapData_new(L2_GUARD, 24).words[0]),
                     seL4_NoError);
}

CTEST(cnode_two_level_addressing)
{
    struct twolevel t;
    seL4_CPtr ep = c_ep(), back = c_slot();

    if (!build_twolevel(&t))
        return;
    /* Write through the top level with 64 bits, read back through the L2 cap. */
    CHECK_ERR(seL4_CNode_Copy(t.top, L2_CPTR(5), DEPTH, ROOT_CNODE, ep, DEPTH, seL4_AllRights),
              seL4_NoError);
    CHECK_ERR(seL4_CNode_Move(ROOT_CNODE, back, DEPTH, t.l2, 5, 8), seL4_NoError);
    CHECK_EQ(c_ident(back), seL4_CapType_Endpoint);
    /* Wrong second-level guard: 32 bits were left when it was checked. */
    CHECK_ERR(seL4_CNode_Delete(t.top, L2_CPTR(5) ^ (1ul << 12), DEPTH), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CHECK_EQ(seL4_GetMR(2), 32);
    /* Empty top slot with bits left over. */
    CHECK_ERR(seL4_CNode_Delete(t.top, (2ul << 32) | 7, DEPTH), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_DepthMismatch);
    CHECK_EQ(seL4_GetMR(2), 32);
    /* Naming the L2 cap itself with 32 bits. */
    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, c_slot(), DEPTH, t.top, 1, 32, seL4_AllRights),
              seL4_NoError);
}

static volatile seL4_Word tl_results[4];

static void twolevel_thread(seL4_Word ntfn_cptr, seL4_Word ep_cptr)
{
    tl_results[0] = seL4_DebugCapIdentify(ep_cptr);
    tl_results[1] = seL4_DebugCapIdentify(ep_cptr ^ (1ul << 12));
    tl_results[2] = seL4_DebugCapIdentify(2ul << 32); /* stops at the TCB in the top level */
    seL4_Signal(ntfn_cptr);
}

CTEST(cnode_two_level_thread_cspace)
{
    struct twolevel t;
    cthread_t th;
    seL4_CPtr ep = c_ep(), n = c_ntfn();
    seL4_Word word = 0;

    if (!build_twolevel(&t) || !c_thread_new(&th, seL4_MaxPrio, 0, true))
        return;
    CHECK_ERR(seL4_CNode_Copy(t.top, L2_CPTR(5), DEPTH, ROOT_CNODE, ep, DEPTH, seL4_AllRights),
              seL4_NoError);
    CHECK_ERR(seL4_CNode_Mint(t.top, L2_CPTR(6), DEPTH, ROOT_CNODE, n, DEPTH, seL4_AllRights, 0x66),
              seL4_NoError);
    CHECK_ERR(seL4_CNode_Copy(t.top, 2, 32, ROOT_CNODE, th.tcb, DEPTH, seL4_AllRights),
              seL4_NoError);
    th.self = 2ul << 32;
    if (!CHECK_ERR(seL4_TCB_SetSpace(th.tcb, 0, t.top, 0, ROOT_VS, 0), seL4_NoError))
        return;
    tl_results[0] = tl_results[1] = tl_results[2] = 99;
    if (!c_thread_start(&th, twolevel_thread, L2_CPTR(6), L2_CPTR(5)))
        return;
    if (!CHECK(c_recv(n, &word, NULL, WAIT_MS)))
        return;
    CHECK_EQ(word, 0x66);
    CHECK_EQ(tl_results[0], seL4_CapType_Endpoint);
    CHECK_EQ(tl_results[1], seL4_CapType_Null);
    CHECK_EQ(tl_results[2], seL4_CapType_TCB);
}

/* ---- CancelBadgedSends and SaveCaller ---- */

static void send_label(seL4_Word cap, seL4_Word label)
{
    seL4_Send(cap, seL4_MessageInfo_new(label, 0, 0, 0));
}

CTEST(cnode_cancel_badged_sends)
{
    seL4_CPtr ep = c_ep(), b1 = c_mint(ep, seL4_CapRightsWord_All, 1);
    seL4_CPtr b2 = c_mint(ep, seL4_CapRightsWord_All, 2);
    cthread_t t1, t2;
    seL4_Word badge = 0;

    if (!c_spawn(&t1, seL4_MaxPrio, 0, send_label, b1, 0x10))
        return;
    seL4_Yield();
    if (!c_spawn(&t2, seL4_MaxPrio, 0, send_label, b2, 0x20))
        return;
    seL4_Yield();
    /* Both queued, badge 1 first; cancelling badge 1 restarts its sender. */
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, b1, DEPTH), seL4_NoError);
    if (!CHECK(c_recv(ep, &badge, NULL, WAIT_MS)))
        return;
    CHECK_EQ(badge, 2);
    CHECK(c_recv(ep, &badge, NULL, WAIT_MS));
    CHECK_EQ(badge, 1);
}

CTEST(cnode_cancel_badged_sends_errors)
{
    seL4_CPtr ep = c_ep(), n = c_ntfn(), e = c_slot();
    seL4_CPtr rw = c_mint(ep, seL4_CapRightsWord_ReadWrite | seL4_CapRightsWord_Grant, 5);

    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, rw, DEPTH), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, n, DEPTH), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, e, DEPTH), seL4_IllegalOperation);
    /* Unbadged with all rights: nothing to do. */
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ep, DEPTH), seL4_NoError);
}

static volatile seL4_Word sc_label, sc_mr0, sc_done;

static void call_and_record(seL4_Word cap, seL4_Word unused)
{
    seL4_SetMR(0, 0x1111);
    seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(0x5, 0, 0, 1));
    sc_label = seL4_MessageInfo_get_label(info);
    sc_mr0 = seL4_GetMR(0);
    sc_done = 1;
}

CTEST(cnode_save_caller)
{
    seL4_CPtr ep = c_ep(), other = c_ep(), saved = c_slot();
    seL4_CPtr cap = c_mint(ep, seL4_CapRightsWord_Write | seL4_CapRightsWord_GrantReply, 9);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    sc_done = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, call_and_record, cap, 0))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(badge, 9);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 5);
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, saved, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(saved), seL4_CapType_Reply);
    /* A receive now does not lose the caller. */
    seL4_NBRecv(other, &badge);
    CHECK_EQ(c_ident(saved), seL4_CapType_Reply);
    /* A saved reply cap cannot be copied. */
    CHECK_ERR(copy(c_slot(), saved, seL4_CapRightsWord_All), seL4_IllegalOperation);
    seL4_SetMR(0, 0xbeef);
    seL4_Send(saved, seL4_MessageInfo_new(0x42, 0, 0, 1));
    if (!CHECK(c_wait_flag(&sc_done, WAIT_MS)))
        return;
    CHECK_EQ(sc_label, 0x42);
    CHECK_EQ(sc_mr0, 0xbeef);
}

CTEST(cnode_save_caller_errors)
{
    seL4_CPtr ep = c_ep(), s = c_slot();

    /* Nothing pending: no-op. */
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, s, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(s), 0);
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, ep, DEPTH), seL4_DeleteFirst);
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, s, 0), seL4_RangeError);
    CHECK_RANGE(1, 64);
}
