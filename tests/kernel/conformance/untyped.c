/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Untyped_Retype (spec §10, §9, §12.1): every object type with its cap type,
 * each of the twelve checks with its error and detail MRs, the order of the
 * checks when several fail, placement (alignment to the object size,
 * consecutive objects), the watermark and its reset once the untyped has no
 * children, zeroing of reused memory seen through a mapping, the fan-out
 * limit, device untypeds, and destinations in a second-level CNode.
 */
#include "conf.h"

static seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_Word index,
                         seL4_Word depth, seL4_Word offset, seL4_Word n)
{
    return seL4_Untyped_Retype(ut, type, bits, ROOT_CNODE, index, depth, offset, n);
}

static seL4_Word paddr_of(seL4_CPtr frame)
{
    seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(frame);
    CHECK_ERR(r.error, seL4_NoError);
    return r.paddr;
}

CTEST(retype_each_object_type)
{
    static const struct {
        seL4_Word type, bits, tag;
    } objs[] = {
        {seL4_UntypedObject, 12, seL4_CapType_Untyped},
        {seL4_TCBObject, 0, seL4_CapType_TCB},
        {seL4_EndpointObject, 0, seL4_CapType_Endpoint},
        {seL4_NotificationObject, 0, seL4_CapType_Notification},
        {seL4_CapTableObject, 4, seL4_CapType_CNode},
        {seL4_X86_PDPTObject, 0, seL4_CapType_PDPT},
        {seL4_X64_PML4Object, 0, seL4_CapType_PML4},
        {seL4_X86_4K, 0, seL4_CapType_Frame},
        {seL4_X86_LargePageObject, 0, seL4_CapType_Frame},
        {seL4_X86_PageTableObject, 0, seL4_CapType_PageTable},
        {seL4_X86_PageDirectoryObject, 0, seL4_CapType_PageDirectory},
    };
    for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        seL4_CPtr s = c_obj(objs[i].type, objs[i].bits);
        if (s && !CHECK_EQ(c_ident(s), objs[i].tag))
            printf("    type %lu\n", objs[i].type);
    }
}

CTEST(retype_invalid_type)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot();

    CHECK_ERR(retype(ut, seL4_ObjectTypeCount, 0, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_ERR(retype(ut, seL4_X86_IOPageTableObject, 0, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_ERR(retype(ut, ~0ul, 0, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_EQ(c_ident(d), 0);
}

CTEST(retype_size_range_error)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot();

    CHECK_ERR(retype(ut, seL4_UntypedObject, 48, 0, 0, d, 1), seL4_RangeError);
    CHECK_RANGE(0, 47);
    CHECK_ERR(retype(ut, seL4_UntypedObject, 64, 0, 0, d, 1), seL4_RangeError);
    CHECK_RANGE(0, 47);
    CHECK_ERR(retype(ut, seL4_CapTableObject, 43, 0, 0, d, 1), seL4_RangeError);
    CHECK_RANGE(0, 47);
    CHECK_ERR(retype(ut, seL4_CapTableObject, 200, 0, 0, d, 1), seL4_RangeError);
    CHECK_RANGE(0, 47);
}

CTEST(retype_small_sizes_invalid)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot();

    CHECK_ERR(retype(ut, seL4_CapTableObject, 0, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(1);
    CHECK_ERR(retype(ut, seL4_UntypedObject, 3, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(1);
    CHECK_ERR(retype(ut, seL4_UntypedObject, 4, 0, 0, d, 1), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_Untyped);
}

CTEST(retype_fixed_size_ignores_size_bits)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot();

    /* size_bits only matters for untyped and CNode objects. */
    CHECK_ERR(retype(ut, seL4_EndpointObject, 40, 0, 0, d, 1), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
}

CTEST(retype_dest_not_cnode)
{
    seL4_CPtr ut = c_untyped(12), ep = c_ep(), d = c_slot();

    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, ep, DEPTH, 0, 1), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(0), 0);
    CHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
    CHECK_EQ(seL4_GetMR(2), DEPTH);
    /* An empty slot is no CNode either. */
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, d, DEPTH, 0, 1), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
}

CTEST(retype_dest_depth_range)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot();

    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, 65, d, 1), seL4_RangeError);
    CHECK_RANGE(1, 64);
    /* Through the root CNode's own slot: the CNode named there is the destination. */
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, DEPTH, d, 1), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
}

CTEST(retype_dest_guard_mismatch)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot();

    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, (1ul << 63) | ROOT_CNODE, DEPTH, d, 1),
              seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_GuardMismatch);
    CHECK_EQ(seL4_GetMR(2), DEPTH);
}

CTEST(retype_node_offset_range)
{
    seL4_CPtr ut = c_untyped(12);

    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, 4096, 1), seL4_RangeError);
    CHECK_RANGE(0, 4095);
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, ~0ul, 1), seL4_RangeError);
    CHECK_RANGE(0, 4095);
}

CTEST(retype_num_objects_range)
{
    seL4_CPtr ut = c_untyped(14), d = c_slot();

    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 0), seL4_RangeError);
    CHECK_RANGE(1, 256);
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 257), seL4_RangeError);
    CHECK_RANGE(1, 256);
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, 4090, 10), seL4_RangeError);
    CHECK_RANGE(1, 6);
}

CTEST(retype_dest_occupied)
{
    seL4_CPtr ut = c_untyped(12), d = c_slots(3);

    if (!CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d + 1, 1), seL4_NoError))
        return;
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 3), seL4_DeleteFirst);
    CHECK_EQ(c_ident(d), 0);
    CHECK_EQ(c_ident(d + 2), 0);
}

CTEST(retype_not_enough_memory)
{
    seL4_CPtr ut = c_untyped(12), d = c_slots(2);

    CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d, 2), seL4_NotEnoughMemory);
    CHECK_MR0(4096);
    if (!CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 1), seL4_NoError))
        return;
    CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 1, 1), seL4_NotEnoughMemory);
    CHECK_MR0(4096 - 16);
    CHECK_ERR(retype(ut, seL4_UntypedObject, 13, 0, 0, d + 1, 1), seL4_NotEnoughMemory);
    CHECK_MR0(4096 - 16);
}

/* The first object is aligned up to its size; later ones follow; frees are consecutive. */
CTEST(retype_alignment_and_placement)
{
    seL4_CPtr ut = c_untyped(14), d = c_slots(5);
    seL4_Word a, b;

    if (!CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 1), seL4_NoError))
        return;
    if (!CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 1, 2), seL4_NoError))
        return;
    a = paddr_of(d + 1);
    b = paddr_of(d + 2);
    CHECK_EQ(b, a + 4096);
    /* Only the last page is free now: the endpoint forced the frames to offset 4 KiB. */
    CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 3, 2), seL4_NotEnoughMemory);
    CHECK_MR0(4096);
    CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 3, 1), seL4_NoError);
    CHECK_EQ(paddr_of(d + 3), b + 4096);
    /* After a revoke the watermark restarts at the untyped's start. */
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ut, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(d), 0);
    CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 4, 1), seL4_NoError);
    CHECK_EQ(paddr_of(d + 4), a - 4096);
}

/* The watermark is reset only when the untyped has no children left. */
CTEST(retype_watermark_needs_no_children)
{
    seL4_CPtr ut = c_untyped(12), d = c_slots(3);

    if (!CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 2), seL4_NoError))
        return;
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, d, DEPTH), seL4_NoError);
    CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 2, 1), seL4_NotEnoughMemory);
    CHECK_MR0(4096 - 32);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, d + 1, DEPTH), seL4_NoError);
    CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 2, 1), seL4_NoError);
}

CTEST(retype_memory_zeroed_on_reuse)
{
    seL4_CPtr ut = c_untyped(12), d = c_slots(2);
    volatile seL4_Word *p = (volatile seL4_Word *)TEST_VADDR;
    seL4_Word nonzero = 0;

    if (!CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d, 1), seL4_NoError) ||
        !CHECK_ERR(c_map(ROOT_VS, d, TEST_VADDR, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    for (int i = 0; i < 512; i++) {
        nonzero += p[i] != 0;
        p[i] = 0xa5a5a5a5a5a5a5a5ul ^ i;
    }
    CHECK_EQ(nonzero, 0);
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ut, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(d), 0);
    if (!CHECK_ERR(retype(ut, seL4_X86_4K, 0, 0, 0, d + 1, 1), seL4_NoError) ||
        !CHECK_ERR(c_map(ROOT_VS, d + 1, TEST_VADDR, seL4_CapRightsWord_ReadWrite, 0),
                   seL4_NoError))
        return;
    for (int i = 0; i < 512; i++)
        nonzero += p[i] != 0;
    CHECK_EQ(nonzero, 0);
}

CTEST(retype_fan_out_limit)
{
    seL4_CPtr ut = c_untyped(13), d = c_slots(256);

    if (!d)
        return;
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 256), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
    CHECK_EQ(c_ident(d + 255), seL4_CapType_Endpoint);
    /* The objects are distinct: revoking the untyped removes all 256 caps. */
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ut, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(d + 128), 0);
}

CTEST(retype_device_untyped)
{
    seL4_Word bits, paddr;
    seL4_CPtr dev = c_device_untyped(13, &bits, &paddr), d = c_slots(3);

    if (!CHECK(dev != 0))
        return;
    CHECK_ERR(retype(dev, seL4_EndpointObject, 0, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(1);
    CHECK_ERR(retype(dev, seL4_TCBObject, 0, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(1);
    CHECK_ERR(retype(dev, seL4_X86_4K, 0, 0, 0, d, 1), seL4_NoError);
    CHECK_EQ(paddr_of(d), paddr);
    CHECK_ERR(retype(dev, seL4_UntypedObject, 12, 0, 0, d + 1, 1), seL4_NoError);
    /* A child untyped of device memory is a device untyped too. */
    CHECK_ERR(retype(d + 1, seL4_NotificationObject, 0, 0, 0, d + 2, 1), seL4_InvalidArgument);
    CHECK_MR0(1);
}

CTEST(retype_truncated_and_label)
{
    seL4_CPtr ut = c_untyped(12), d = c_slot(), root = ROOT_CNODE;
    seL4_Word mr[6] = {seL4_EndpointObject, 0, 0, 0, d, 1};

    CHECK_ERR(c_invoke(ut, UntypedRetype, 5, mr, 1, &root), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ut, UntypedRetype, 6, mr, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(ut, TCBSuspend, 6, mr, 1, &root), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(ut, CNodeCopy, 6, mr, 1, &root), seL4_IllegalOperation);
    CHECK_EQ(c_ident(d), 0);
    CHECK_ERR(c_invoke(ut, UntypedRetype, 6, mr, 1, &root), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_Endpoint);
}

/* When several checks fail, the one earlier in §10's list is reported. */
CTEST(retype_check_order)
{
    seL4_CPtr ut = c_untyped(12), full = c_slots(2), d = c_slot();

    if (!CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, full, 1), seL4_NoError))
        return;
    /* type (2) before size (3) */
    CHECK_ERR(retype(ut, 99, 64, 0, 0, 5000, 0), seL4_InvalidArgument);
    CHECK_MR0(0);
    /* size (3) before small sizes (4) and destination (5) */
    CHECK_ERR(retype(ut, seL4_UntypedObject, 50, full, DEPTH, 5000, 0), seL4_RangeError);
    CHECK_RANGE(0, 47);
    /* small size (4) before destination (5) */
    CHECK_ERR(retype(ut, seL4_CapTableObject, 0, full, DEPTH, 0, 1), seL4_InvalidArgument);
    CHECK_MR0(1);
    /* destination (5) before offset (6) */
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, full, DEPTH, 5000, 0), seL4_FailedLookup);
    /* offset (6) before count (7) */
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, 5000, 0), seL4_RangeError);
    CHECK_RANGE(0, 4095);
    /* count (7) before occupied slots (8) */
    CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, full, 0), seL4_RangeError);
    CHECK_RANGE(1, 256);
    /* occupied (8) before memory (10) */
    CHECK_ERR(retype(ut, seL4_X86_LargePageObject, 0, 0, 0, full, 1), seL4_DeleteFirst);
    CHECK_ERR(retype(ut, seL4_X86_LargePageObject, 0, 0, 0, d, 1), seL4_NotEnoughMemory);
}

/* Memory (10) is checked before the device rule (11). */
CTEST(retype_device_check_after_memory)
{
    seL4_CPtr dev = c_device_untyped(12, NULL, NULL), sub = c_slot(), d = c_slot();

    if (!CHECK(dev != 0))
        return;
    if (!CHECK_ERR(retype(dev, seL4_UntypedObject, 12, 0, 0, sub, 1), seL4_NoError))
        return;
    CHECK_ERR(retype(sub, seL4_TCBObject, 0, 0, 0, d, 4), seL4_NotEnoughMemory);
    CHECK_MR0(4096);
    CHECK_ERR(retype(sub, seL4_TCBObject, 0, 0, 0, d, 1), seL4_InvalidArgument);
    CHECK_MR0(1);
}

/* node_index/node_depth naming a CNode below the root: objects land there. */
CTEST(retype_into_second_level_cnode)
{
    seL4_CPtr ut = c_untyped(12), cn = c_obj(seL4_CapTableObject, 3), back = c_slot();

    if (!cn)
        return;
    CHECK_ERR(retype(ut, seL4_NotificationObject, 0, cn, DEPTH, 6, 3), seL4_RangeError);
    CHECK_RANGE(1, 2);
    CHECK_ERR(retype(ut, seL4_NotificationObject, 0, cn, DEPTH, 8, 1), seL4_RangeError);
    CHECK_RANGE(0, 7);
    if (!CHECK_ERR(retype(ut, seL4_NotificationObject, 0, cn, DEPTH, 6, 1), seL4_NoError))
        return;
    /* The new CNode has no guard: 3 bits name slot 6. */
    CHECK_ERR(seL4_CNode_Move(ROOT_CNODE, back, DEPTH, cn, 6, 3), seL4_NoError);
    CHECK_EQ(c_ident(back), seL4_CapType_Notification);
}

CTEST(retype_cnode_slots_usable)
{
    seL4_CPtr cn = c_obj(seL4_CapTableObject, 8), ep = c_ep(), back = c_slot();

    if (!cn || !ep)
        return;
    CHECK_ERR(seL4_CNode_Copy(cn, 255, 8, ROOT_CNODE, ep, DEPTH, seL4_AllRights), seL4_NoError);
    /* 9 bits: slot 128 (empty, no CNode) is reached with one bit left over. */
    CHECK_ERR(seL4_CNode_Copy(cn, 256, 9, ROOT_CNODE, ep, DEPTH, seL4_AllRights),
              seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(1), seL4_DepthMismatch);
    CHECK_EQ(seL4_GetMR(2), 1);
    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, back, DEPTH, cn, 255, 8, seL4_AllRights), seL4_NoError);
    CHECK_EQ(c_ident(back), seL4_CapType_Endpoint);
}

CTEST(untyped_revoke_deletes_all_children)
{
    seL4_CPtr ut = c_untyped(16), d = c_slots(4), sub = c_slot(), m;

    if (!CHECK_ERR(retype(ut, seL4_EndpointObject, 0, 0, 0, d, 2), seL4_NoError) ||
        !CHECK_ERR(retype(ut, seL4_UntypedObject, 12, 0, 0, sub, 1), seL4_NoError) ||
        !CHECK_ERR(retype(sub, seL4_NotificationObject, 0, 0, 0, d + 2, 1), seL4_NoError))
        return;
    m = c_mint(d, seL4_CapRightsWord_All, 7);
    CHECK_ERR(seL4_CNode_Revoke(ROOT_CNODE, ut, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(d), 0);
    CHECK_EQ(c_ident(d + 1), 0);
    CHECK_EQ(c_ident(d + 2), 0);
    CHECK_EQ(c_ident(sub), 0);
    CHECK_EQ(c_ident(m), 0);
    CHECK_EQ(c_ident(ut), seL4_CapType_Untyped);
    /* And the whole untyped is free again. */
    CHECK_ERR(retype(ut, seL4_UntypedObject, 16, 0, 0, d + 3, 1), seL4_NoError);
}
