/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86_64 paging (spec §18.1-§18.4): mapping 4 KiB, 2 MiB and 1 GiB frames
 * with rights and cache attributes, FailedLookup reporting the missing level
 * (bits left 39/30/21), alignment and range errors, the PML4 needing an ASID,
 * remapping rules of a mapped frame cap, Unmap, unmapping when the cap is
 * deleted, GetAddress, large frames over present tables (DeleteFirst), the
 * map/unmap errors of page tables, page directories and PDPTs, pages a user
 * may not touch, and labels a frame does not implement. Accesses that must
 * fault are made by a helper thread with a fault endpoint.
 */
#include "conf.h"

extern volatile seL4_Word c_fault_result;
extern char c_probe_read[], c_probe_write[];

#define VA  TEST_VADDR
#define GB  (1ul << 30)
#define MB2 (1ul << 21)

static seL4_Word paddr_of(seL4_CPtr frame)
{
    seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(frame);
    CHECK_ERR(r.error, seL4_NoError);
    return r.paddr;
}

/*
 * Let a helper read (or write) `addr`; returns the FSR of the VM fault it
 * took, or ~0 if it completed without faulting.
 */
#define PROBE_PENDING 0x9e9d1e9d1ul

static seL4_Word probe_access(seL4_Word addr, bool write)
{
    seL4_CPtr ep = c_ep(), f = c_mint(ep, seL4_CapRightsWord_All, FAULT_BADGE);
    uint64_t start = rt_rdtsc(), limit = c_ms(WAIT_MS);
    cthread_t t;

    c_fault_result = PROBE_PENDING;
    if (!c_thread_new(&t, seL4_MaxPrio, f, true) ||
        !c_thread_start(&t, (c_thread_fn)(void *)(write ? c_probe_write : c_probe_read), addr, 1))
        return 0;
    while (c_fault_result == PROBE_PENDING && rt_rdtsc() - start < limit) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
        if (badge) {
            if (!CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault))
                return 0;
            CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), addr);
            return seL4_GetMR(seL4_VMFault_FSR);
        }
        seL4_Yield();
    }
    CHECK(c_fault_result != PROBE_PENDING);
    return c_fault_result != PROBE_PENDING ? ~0ul : 0;
}

CTEST(vspace_map_4k_read_write)
{
    volatile seL4_Word *p = c_map_new(VA);

    if (!p)
        return;
    CHECK_EQ(p[0], 0);
    p[0] = 0x1111;
    p[511] = 0x2222;
    CHECK_EQ(p[0] + p[511], 0x3333);
    CHECK_EQ(probe_access(VA + 8, false), ~0ul);
}

CTEST(vspace_map_missing_levels)
{
    seL4_CPtr vs = c_vspace(), f = c_frame(), pdpt = c_obj(seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = c_obj(seL4_X86_PageDirectoryObject, 0), pt = c_obj(seL4_X86_PageTableObject, 0);
    static const seL4_Word want[3] = {39, 30, 21};
    seL4_CPtr tables[3] = {pdpt, pd, pt};

    if (!vs)
        return;
    for (int i = 0; i < 3; i++) {
        CHECK_ERR(seL4_X86_Page_Map(f, vs, VA, seL4_ReadWrite, 0), seL4_FailedLookup);
        CHECK_EQ(seL4_GetMR(0), 0);
        CHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
        CHECK_EQ(seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL), want[i]);
        if (i == 0)
            CHECK_ERR(seL4_X86_PDPT_Map(tables[i], vs, VA, 0), seL4_NoError);
        else if (i == 1)
            CHECK_ERR(seL4_X86_PageDirectory_Map(tables[i], vs, VA, 0), seL4_NoError);
        else
            CHECK_ERR(seL4_X86_PageTable_Map(tables[i], vs, VA, 0), seL4_NoError);
    }
    CHECK_ERR(seL4_X86_Page_Map(f, vs, VA, seL4_ReadWrite, 0), seL4_NoError);
}

CTEST(vspace_map_alignment)
{
    seL4_CPtr f = c_frame(), lp = c_obj(seL4_X86_LargePageObject, 0);

    if (!CHECK_ERR(c_map(ROOT_VS, c_frame(), VA, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, VA + 0x1800, seL4_ReadWrite, 0), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, VA + 8, seL4_ReadWrite, 0), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(lp, ROOT_VS, VA + 0x1000, seL4_ReadWrite, 0), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(lp, ROOT_VS, VA + 0x100000, seL4_ReadWrite, 0),
              seL4_AlignmentError);
}

CTEST(vspace_map_above_user_range)
{
    seL4_CPtr f = c_frame();

    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, 0x800000000000ul, seL4_ReadWrite, 0),
              seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, 0xffff800000000000ul, seL4_ReadWrite, 0),
              seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, 0xfffffffffffff000ul, seL4_ReadWrite, 0),
              seL4_InvalidArgument);
    CHECK_MR0(0);
}

CTEST(vspace_map_needs_vspace_with_asid)
{
    seL4_CPtr f = c_frame(), pml4 = c_obj(seL4_X64_PML4Object, 0), ep = c_ep();

    CHECK_ERR(seL4_X86_Page_Map(f, pml4, VA, seL4_ReadWrite, 0), seL4_InvalidCapability);
    CHECK_MR0(1);
    CHECK_ERR(seL4_X86_Page_Map(f, ep, VA, seL4_ReadWrite, 0), seL4_InvalidCapability);
    CHECK_MR0(1);
    CHECK_ERR(seL4_X86_PageTable_Map(c_obj(seL4_X86_PageTableObject, 0), pml4, VA, 0),
              seL4_InvalidCapability);
    CHECK_MR0(1);
}

CTEST(vspace_remap_rules)
{
    seL4_CPtr f = c_frame(), vs = c_vspace();
    volatile seL4_Word *p = (volatile seL4_Word *)VA;

    if (!vs || !CHECK_ERR(c_map(ROOT_VS, f, VA, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    p[1] = 0x42;
    /* Same VSpace and address: a remap (new rights/attributes), contents kept. */
    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, VA, seL4_CanRead, seL4_X86_WriteThrough), seL4_NoError);
    CHECK_EQ(p[1], 0x42);
    CHECK_EQ(probe_access(VA, true) & 0x7, 0x7);
    /* Elsewhere, or in another VSpace: refused while mapped. */
    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, VA + 0x1000, seL4_ReadWrite, 0), seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_ERR(seL4_X86_Page_Map(f, vs, VA, seL4_ReadWrite, 0), seL4_InvalidCapability);
    CHECK_MR0(1);
}

CTEST(vspace_unmap)
{
    seL4_CPtr f = c_frame();
    volatile seL4_Word *p = (volatile seL4_Word *)VA, *q = (volatile seL4_Word *)(VA + 0x3000);

    if (!CHECK_ERR(c_map(ROOT_VS, f, VA, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    p[0] = 0x5a5a;
    CHECK_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    CHECK_EQ(probe_access(VA, false) & 0x7, 0x4);
    /* Unmapping an unmapped frame is fine; it can then be mapped elsewhere. */
    CHECK_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    CHECK_ERR(c_map(ROOT_VS, f, VA + 0x3000, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError);
    CHECK_EQ(q[0], 0x5a5a);
}

CTEST(vspace_delete_cap_unmaps)
{
    seL4_CPtr f = c_frame();

    if (!CHECK_ERR(c_map(ROOT_VS, f, VA, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    CHECK_EQ(probe_access(VA, false), ~0ul);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, f, DEPTH), seL4_NoError);
    CHECK_EQ(probe_access(VA, false) & 0x7, 0x4);
}

/* Rights: the cap's rights limit the mapping; no Read right = no user access. */
CTEST(vspace_map_rights)
{
    seL4_CPtr f = c_frame(), ro = c_slot(), g = c_frame();
    volatile seL4_Word *p = (volatile seL4_Word *)VA;

    CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, ro, DEPTH, ROOT_CNODE, f, DEPTH, seL4_CanRead),
              seL4_NoError);
    if (!CHECK_ERR(c_map(ROOT_VS, ro, VA, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    CHECK_EQ(p[0], 0);
    CHECK_EQ(probe_access(VA, true) & 0x7, 0x7);
    CHECK_ERR(c_map(ROOT_VS, g, VA + 0x1000, seL4_CapRightsWord_None, 0), seL4_NoError);
    CHECK_EQ(probe_access(VA + 0x1000, false) & 0x5, 0x5);
}

CTEST(vspace_map_attributes)
{
    static const seL4_Word attrs[] = {seL4_X86_WriteBack, seL4_X86_WriteThrough,
                                      seL4_X86_CacheDisabled, seL4_X86_Uncacheable,
                                      seL4_X86_WriteCombining};
    for (unsigned i = 0; i < 5; i++) {
        seL4_Word va = VA + i * 0x1000;
        volatile seL4_Word *p = (volatile seL4_Word *)va;
        if (!CHECK_ERR(c_map(ROOT_VS, c_frame(), va, seL4_CapRightsWord_ReadWrite, attrs[i]),
                       seL4_NoError))
            return;
        p[4] = 0x100 + i;
        CHECK_EQ(p[4], 0x100 + i);
    }
}

CTEST(vspace_get_address)
{
    seL4_CPtr f = c_frame(), g = c_frame();
    seL4_Word a = paddr_of(f), b = paddr_of(g);

    /* The pool had no children, so its first object starts at its base. */
    CHECK_EQ(a, env_pool_paddr);
    CHECK_EQ(a & 0xfff, 0);
    CHECK_EQ(b, a + 0x1000);
    /* Mapping does not change it, nor does copying. */
    if (CHECK_ERR(c_map(ROOT_VS, f, VA, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        CHECK_EQ(paddr_of(f), a);
    CHECK_EQ(paddr_of(c_copy(f)), a);
}

CTEST(vspace_large_page)
{
    seL4_CPtr lp = c_obj(seL4_X86_LargePageObject, 0);
    seL4_Word va = VA + 4 * MB2;
    volatile seL4_Word *p = (volatile seL4_Word *)va;

    if (!lp)
        return;
    CHECK_EQ(paddr_of(lp) & (MB2 - 1), 0);
    if (!CHECK_ERR(c_map(ROOT_VS, lp, va, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    p[0] = 1;
    p[MB2 / 8 - 1] = 2;
    CHECK_EQ(p[0] + p[MB2 / 8 - 1], 3);
    CHECK_EQ(probe_access(va + MB2 - 8, false), ~0ul);
    CHECK_EQ(probe_access(va + MB2, false) & 0x7, 0x4);
}

CTEST(vspace_large_page_over_table)
{
    seL4_CPtr lp = c_obj(seL4_X86_LargePageObject, 0);

    /* c_map creates a page table for the 2 MiB region at VA. */
    if (!lp ||
        !CHECK_ERR(c_map(ROOT_VS, c_frame(), VA, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    CHECK_ERR(seL4_X86_Page_Map(lp, ROOT_VS, VA, seL4_ReadWrite, 0), seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_Page_Map(lp, ROOT_VS, VA + MB2, seL4_ReadWrite, 0), seL4_NoError);
    /* And a page table cannot go where the 2 MiB page is. */
    CHECK_ERR(seL4_X86_PageTable_Map(c_obj(seL4_X86_PageTableObject, 0), ROOT_VS, VA + MB2, 0),
              seL4_DeleteFirst);
}

CTEST(vspace_huge_page)
{
    seL4_Word dbits, dpaddr;
    seL4_CPtr dev = c_device_untyped(30, &dbits, &dpaddr), hp = c_slot(), vs = c_vspace();
    seL4_CPtr pdpt = c_obj(seL4_X86_PDPTObject, 0), pd = c_obj(seL4_X86_PageDirectoryObject, 0);

    if (!CHECK(dev != 0) || !vs)
        return;
    if (!CHECK_ERR(seL4_Untyped_Retype(dev, seL4_X64_HugePageObject, 0, ROOT_CNODE, 0, 0, hp, 1),
                   seL4_NoError))
        return;
    CHECK_EQ(c_ident(hp), seL4_CapType_Frame);
    CHECK_EQ(paddr_of(hp), dpaddr);
    CHECK_ERR(seL4_X86_Page_Map(hp, vs, 3 * GB + MB2, seL4_ReadWrite, 0), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(hp, vs, 3 * GB, seL4_ReadWrite, 0), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL), 39);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt, vs, 3 * GB, 0), seL4_NoError);
    /* Over a present page directory: DeleteFirst. */
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd, vs, 2 * GB, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_Page_Map(hp, vs, 2 * GB, seL4_ReadWrite, 0), seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_Page_Map(hp, vs, 3 * GB, seL4_ReadWrite, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageDirectory_Map(c_obj(seL4_X86_PageDirectoryObject, 0), vs, 3 * GB, 0),
              seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_Page_Unmap(hp), seL4_NoError);
}

CTEST(vspace_page_table_map_errors)
{
    seL4_CPtr vs = c_vspace(), pt = c_obj(seL4_X86_PageTableObject, 0);
    seL4_CPtr pt2 = c_obj(seL4_X86_PageTableObject, 0);

    if (!vs)
        return;
    CHECK_ERR(seL4_X86_PageTable_Map(pt, vs, VA, 0), seL4_FailedLookup);
    CHECK_ERR(seL4_X86_PDPT_Map(c_obj(seL4_X86_PDPTObject, 0), vs, VA, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageDirectory_Map(c_obj(seL4_X86_PageDirectoryObject, 0), vs, VA, 0),
              seL4_NoError);
    CHECK_ERR(seL4_X86_PageTable_Map(pt, vs, 0x800000000000ul, 0), seL4_InvalidArgument);
    CHECK_MR0(0);
    /* Rounded down to 2 MiB. */
    CHECK_ERR(seL4_X86_PageTable_Map(pt, vs, VA + 0x1234, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageTable_Map(pt, vs, VA + MB2, 0), seL4_InvalidCapability);
    CHECK_MR0(0);
    CHECK_ERR(seL4_X86_PageTable_Map(pt2, vs, VA + 0x5000, 0), seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_Page_Map(c_frame(), vs, VA + 0x1ff000, seL4_ReadWrite, 0), seL4_NoError);
}

CTEST(vspace_directory_map_errors)
{
    seL4_CPtr vs = c_vspace(), pd = c_obj(seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pd2 = c_obj(seL4_X86_PageDirectoryObject, 0), pdpt = c_obj(seL4_X86_PDPTObject, 0);
    seL4_CPtr pdpt2 = c_obj(seL4_X86_PDPTObject, 0);

    if (!vs)
        return;
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd, vs, VA, 0), seL4_FailedLookup);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt, vs, 0x800000000000ul, 0), seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt, vs, VA + 0x12345678, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt, vs, VA + (1ul << 39), 0), seL4_InvalidCapability);
    CHECK_MR0(0);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt2, vs, VA, 0), seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd, vs, 0x800000000000ul, 0), seL4_InvalidArgument);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd, vs, VA + 0x1234567, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd, vs, VA + GB, 0), seL4_InvalidCapability);
    CHECK_MR0(0);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd2, vs, VA, 0), seL4_DeleteFirst);
}

CTEST(vspace_table_unmap)
{
    seL4_CPtr pt = c_obj(seL4_X86_PageTableObject, 0), f = c_frame(), cp;

    if (!CHECK_ERR(c_map(ROOT_VS, c_frame(), VA + MB2, seL4_CapRightsWord_ReadWrite, 0),
                   seL4_NoError))
        return;
    CHECK_ERR(seL4_X86_PageTable_Map(pt, ROOT_VS, VA, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_Page_Map(f, ROOT_VS, VA, seL4_ReadWrite, 0), seL4_NoError);
    cp = c_copy(pt);
    CHECK_ERR(seL4_X86_PageTable_Unmap(pt), seL4_RevokeFirst);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, cp, DEPTH), seL4_NoError);
    CHECK_ERR(seL4_X86_PageTable_Unmap(pt), seL4_NoError);
    /* The frame went with the table. */
    CHECK_EQ(probe_access(VA, false) & 0x7, 0x4);
    CHECK_ERR(seL4_X86_Page_Map(c_frame(), ROOT_VS, VA + 0x1000, seL4_ReadWrite, 0),
              seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL), 21);
    /* It can be mapped again. */
    CHECK_ERR(seL4_X86_PageTable_Map(pt, ROOT_VS, VA, 0), seL4_NoError);
}

CTEST(vspace_directory_unmap)
{
    seL4_CPtr vs = c_vspace(), pdpt = c_obj(seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = c_obj(seL4_X86_PageDirectoryObject, 0);

    if (!vs)
        return;
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt, vs, VA, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd, vs, VA, 0), seL4_NoError);
    CHECK_ERR(seL4_X86_PageDirectory_Unmap(pd), seL4_NoError);
    CHECK_ERR(seL4_X86_Page_Map(c_frame(), vs, VA, seL4_ReadWrite, 0), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL), 30);
    CHECK_ERR(seL4_X86_PDPT_Unmap(pdpt), seL4_NoError);
    CHECK_ERR(seL4_X86_Page_Map(c_frame(), vs, VA, seL4_ReadWrite, 0), seL4_FailedLookup);
    CHECK_EQ(seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL), 39);
}

CTEST(vspace_truncated_and_labels)
{
    seL4_CPtr f = c_frame(), pt = c_obj(seL4_X86_PageTableObject, 0), vs = ROOT_VS;
    seL4_Word mr[3] = {VA, seL4_CapRightsWord_ReadWrite, 0};

    CHECK_ERR(c_invoke(f, X86PageMap, 2, mr, 1, &vs), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(f, X86PageMap, 3, mr, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(pt, X86PageTableMap, 1, mr, 1, &vs), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(pt, X86PageTableMap, 2, mr, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(f, X86PageTableMap, 2, mr, 1, &vs), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(pt, X86PageMap, 3, mr, 1, &vs), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(pt, X86PageGetAddress, 0, NULL, 0, NULL), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(ROOT_VS, X86PageMap, 3, mr, 1, &vs), seL4_IllegalOperation);
}
