/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot environment of the root task (spec §20): the fixed bootinfo fields,
 * the initial CSpace (slots 0..15 and the slot regions after them, in the
 * order the spec fixes, up to the 4096-slot end), the untyped list (sizes,
 * alignment, no overlap, device entries first, each cap's real size probed
 * through Retype's NotEnoughMemory detail), the extra bootinfo chunks (ids,
 * lengths, order, RSDP checksum), and the initial address space (IPC buffer,
 * bootinfo and extra bootinfo pages, image frame caps, paging caps).
 */
#include "conf.h"

extern const char __image_start[];

CTEST(bootinfo_fixed_fields)
{
    seL4_BootInfo *bi = rt_bootinfo;

    CHECK_EQ(bi->nodeID, 0);
    CHECK_EQ(bi->numNodes, 1);
    CHECK_EQ(bi->numIOPTLevels, (seL4_Word)-1);
    CHECK_EQ(bi->initThreadCNodeSizeBits, 12);
    CHECK_EQ(bi->initThreadDomain, 0);
    CHECK_EQ(bi->sharedFrames.start, 0);
    CHECK_EQ(bi->sharedFrames.end, 0);
    CHECK_EQ(bi->ioSpaceCaps.start, 0);
    CHECK_EQ(bi->ioSpaceCaps.end, 0);
}

CTEST(bootinfo_initial_cap_types)
{
    static const seL4_Word want[16] = {
        seL4_CapType_Null,     seL4_CapType_TCB,           seL4_CapType_CNode,
        seL4_CapType_PML4,     seL4_CapType_IRQControl,    seL4_CapType_ASIDControl,
        seL4_CapType_ASIDPool, seL4_CapType_IOPortControl, seL4_CapType_Null,
        seL4_CapType_Frame,    seL4_CapType_Frame,         seL4_CapType_Domain,
        seL4_CapType_Null,     seL4_CapType_Null,          seL4_CapType_Null,
        seL4_CapType_Null,
    };
    for (seL4_CPtr s = 0; s < 16; s++) {
        if (!CHECK_EQ(c_ident(s), want[s]))
            printf("    slot %lu\n", s);
    }
}

CTEST(bootinfo_slot_regions_order)
{
    seL4_BootInfo *bi = rt_bootinfo;

    CHECK_EQ(bi->userImagePaging.start, seL4_NumInitialCaps);
    CHECK_EQ(bi->extraBIPages.start, bi->userImagePaging.end);
    CHECK_EQ(bi->userImageFrames.start, bi->extraBIPages.end);
    CHECK_EQ(bi->untyped.start, bi->userImageFrames.end);
    CHECK_EQ(bi->empty.start, bi->untyped.end);
    CHECK_EQ(bi->empty.end, 1ul << 12);
    CHECK(bi->userImagePaging.end > bi->userImagePaging.start);
    CHECK(bi->userImageFrames.end > bi->userImageFrames.start);
    CHECK(bi->untyped.end > bi->untyped.start);
    CHECK(bi->untyped.end - bi->untyped.start <= seL4_MaxNumBootinfoUntypedCaps);
}

CTEST(bootinfo_region_cap_types)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word last = seL4_CapType_PDPT;
    int bad = 0;

    /* Paging caps: PDPTs, then PDs, then PTs. */
    for (seL4_CPtr s = bi->userImagePaging.start; s < bi->userImagePaging.end; s++) {
        seL4_Word t = c_ident(s);
        static const seL4_Word order[] = {seL4_CapType_PDPT, seL4_CapType_PageDirectory,
                                          seL4_CapType_PageTable};
        int rank = -1, lrank = -1;
        for (int i = 0; i < 3; i++) {
            if (order[i] == t)
                rank = i;
            if (order[i] == last)
                lrank = i;
        }
        if (!CHECK(rank >= 0 && rank >= lrank))
            printf("    paging slot %lu has type %lu\n", s, t);
        last = t;
    }
    CHECK_EQ(c_ident(bi->userImagePaging.start), seL4_CapType_PDPT);
    for (seL4_CPtr s = bi->extraBIPages.start; s < bi->extraBIPages.end; s++)
        bad += c_ident(s) != seL4_CapType_Frame;
    for (seL4_CPtr s = bi->userImageFrames.start; s < bi->userImageFrames.end; s++)
        bad += c_ident(s) != seL4_CapType_Frame;
    for (seL4_CPtr s = bi->untyped.start; s < bi->untyped.end; s++)
        bad += c_ident(s) != seL4_CapType_Untyped;
    CHECK_EQ(bad, 0);
}

CTEST(bootinfo_empty_region_is_empty)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word used = 0;

    for (seL4_CPtr s = bi->empty.start; s < bi->empty.end; s++)
        used += c_ident(s) != seL4_CapType_Null;
    CHECK_EQ(used, 0);
    /* Beyond the CNode: a CPtr >= 4096 fails the guard, so it names nothing. */
    CHECK_EQ(c_ident(1ul << 12), seL4_CapType_Null);
}

CTEST(bootinfo_untyped_list_sane)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word n = bi->untyped.end - bi->untyped.start;

    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        bool ok = d->sizeBits >= seL4_MinUntypedBits && d->sizeBits <= seL4_MaxUntypedBits &&
                  (d->paddr & ((1ul << d->sizeBits) - 1)) == 0 && d->isDevice <= 1 &&
                  d->paddr + (1ul << d->sizeBits) <= (1ul << 47);
        for (int k = 0; k < 6; k++)
            ok = ok && d->padding[k] == 0;
        if (!CHECK(ok))
            printf("    untyped %lu: paddr 0x%lx size %u device %u\n", i, d->paddr, d->sizeBits,
                   d->isDevice);
    }
}

CTEST(bootinfo_untyped_no_overlap)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word n = bi->untyped.end - bi->untyped.start;

    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *a = &bi->untypedList[i];
        for (seL4_Word j = i + 1; j < n; j++) {
            const seL4_UntypedDesc *b = &bi->untypedList[j];
            seL4_Word ae = a->paddr + (1ul << a->sizeBits), be = b->paddr + (1ul << b->sizeBits);
            if (!CHECK(ae <= b->paddr || be <= a->paddr)) {
                printf("    untypeds %lu and %lu overlap\n", i, j);
                return;
            }
        }
    }
}

CTEST(bootinfo_untyped_device_first)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word n = bi->untyped.end - bi->untyped.start, ram = 0;
    bool seen_ram = false;

    for (seL4_Word i = 0; i < n; i++) {
        if (!bi->untypedList[i].isDevice) {
            seen_ram = true;
            ram++;
        } else if (!CHECK(!seen_ram)) {
            printf("    device untyped %lu after RAM\n", i);
            return;
        }
    }
    CHECK(ram > 0);
}

/*
 * Retyping an untyped twice its own size from a childless untyped fails the
 * memory check (§10 step 10) with MR0 = its whole size, which is the size the
 * cap really has.
 */
CTEST(bootinfo_untyped_caps_sizes)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    seL4_CPtr dest = c_slot();

    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->sizeBits >= seL4_MaxUntypedBits)
            continue;
        seL4_Error err = seL4_Untyped_Retype(bi->untyped.start + i, seL4_UntypedObject,
                                             d->sizeBits + 1, ROOT_CNODE, 0, 0, dest, 1);
        if (!CHECK_ERR(err, seL4_NotEnoughMemory) || !CHECK_EQ(seL4_GetMR(0), 1ul << d->sizeBits)) {
            printf("    untyped %lu (size %u)\n", i, d->sizeBits);
            return;
        }
    }
}

static int chunk_rank(seL4_Word id)
{
    switch (id) {
    case SEL4_BOOTINFO_HEADER_X86_VBE:
        return 0;
    case SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP:
        return 1;
    case SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER:
        return 2;
    case SEL4_BOOTINFO_HEADER_X86_MBMMAP:
        return 3;
    case SEL4_BOOTINFO_HEADER_X86_TSC_FREQ:
        return 4;
    default:
        return -1;
    }
}

static seL4_Word chunk_len(seL4_Word id)
{
    static const seL4_Word len[] = {[SEL4_BOOTINFO_HEADER_X86_VBE] = 800,
                                    [SEL4_BOOTINFO_HEADER_X86_MBMMAP] = 1220,
                                    [SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP] = 52,
                                    [SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER] = 38,
                                    [SEL4_BOOTINFO_HEADER_X86_TSC_FREQ] = 20};
    return id < 6 ? len[id] : 0;
}

CTEST(bootinfo_extra_chunks_layout)
{
    seL4_BootInfo *bi = rt_bootinfo;
    const char *base = (const char *)bi + (1ul << seL4_BootInfoFrameBits);
    seL4_Word off = 0;
    int last = -1, seen = 0;

    while (off < bi->extraLen) {
        seL4_BootInfoHeader h;
        memcpy(&h, base + off, sizeof(h));
        int rank = chunk_rank(h.id);
        if (!CHECK(rank > last) || !CHECK_EQ(h.len, chunk_len(h.id))) {
            printf("    chunk id %lu len %lu at offset %lu\n", h.id, h.len, off);
            return;
        }
        last = rank;
        seen |= 1 << h.id;
        off += h.len;
    }
    CHECK_EQ(off, bi->extraLen);
    CHECK(seen & (1 << SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP));
    CHECK(seen & (1 << SEL4_BOOTINFO_HEADER_X86_MBMMAP));
    CHECK(seen & (1 << SEL4_BOOTINFO_HEADER_X86_TSC_FREQ));
}

CTEST(bootinfo_rsdp_chunk)
{
    const seL4_BootInfoHeader *h = rt_bootinfo_chunk(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP);
    const unsigned char *r;
    unsigned sum = 0;

    if (!CHECK(h != NULL))
        return;
    r = (const unsigned char *)(h + 1);
    CHECK_EQ(memcmp(r, "RSD PTR ", 8), 0);
    for (int i = 0; i < 20; i++)
        sum += r[i];
    CHECK_EQ(sum & 0xff, 0);
}

CTEST(bootinfo_mmap_and_tsc_chunks)
{
    const seL4_BootInfoHeader *h = rt_bootinfo_chunk(SEL4_BOOTINFO_HEADER_X86_MBMMAP);
    seL4_X86_BootInfo_mmap_t mm;

    if (CHECK(h != NULL)) {
        memcpy(&mm, h, sizeof(mm));
        CHECK(mm.mmap_length <= SEL4_MULTIBOOT_MAX_MMAP_ENTRIES * sizeof(seL4_X86_mb_mmap_t));
    }
    CHECK(rt_tsc_mhz() > 0);
}

CTEST(bootinfo_address_space_layout)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word ipc = (seL4_Word)bi->ipcBuffer;
    seL4_Word pages = 1, need = bi->extraLen;

    CHECK_EQ(ipc & 0xfff, 0);
    CHECK_EQ((seL4_Word)bi, ipc + 4096);
    CHECK_EQ((seL4_Word)__image_start & 0xfff, 0);
    /* One frame cap per image page, the image ending where the IPC buffer starts. */
    CHECK_EQ(bi->userImageFrames.end - bi->userImageFrames.start,
             (ipc - (seL4_Word)__image_start) >> seL4_PageBits);
    /* Extra bootinfo: 2^k bytes, at least a page. */
    while (pages * 4096 < need)
        pages <<= 1;
    if (need == 0)
        pages = 0;
    CHECK_EQ(bi->extraBIPages.end - bi->extraBIPages.start, pages);
}

/* The IPC buffer and bootinfo caps name the frames the root task sees there. */
CTEST(bootinfo_frames_alias)
{
    seL4_CPtr ipc = c_copy(seL4_CapInitThreadIPCBuffer), bif = c_copy(seL4_CapBootInfoFrame);
    volatile seL4_Word *alias = (volatile seL4_Word *)TEST_VADDR;
    seL4_IPCBuffer *buf = rt_bootinfo->ipcBuffer;

    if (!ipc || !bif)
        return;
    if (!CHECK_ERR(c_map(ROOT_VS, ipc, TEST_VADDR, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    buf->userData = 0x1234abcd;
    CHECK_EQ(alias[968 / 8], 0x1234abcd);
    alias[968 / 8] = 0x5678;
    CHECK_EQ(buf->userData, 0x5678);
    if (!CHECK_ERR(c_map(ROOT_VS, bif, TEST_VADDR + 4096, seL4_CapRightsWord_Read, 0),
                   seL4_NoError))
        return;
    CHECK_EQ(alias[512], rt_bootinfo->extraLen);
    CHECK_EQ(alias[512 + 2], rt_bootinfo->numNodes);
}

/* Image frame caps are in ascending address order (§20.3). */
CTEST(bootinfo_image_frames_order)
{
    static volatile seL4_Word marker[512] __attribute__((aligned(4096)));
    seL4_CPtr f = rt_image_frame((const void *)marker), copy;
    volatile seL4_Word *alias = (volatile seL4_Word *)TEST_VADDR;

    CHECK_EQ(f, rt_bootinfo->userImageFrames.start +
                    (((seL4_Word)marker - (seL4_Word)__image_start) >> seL4_PageBits));
    copy = c_copy(f);
    if (!copy ||
        !CHECK_ERR(c_map(ROOT_VS, copy, TEST_VADDR, seL4_CapRightsWord_ReadWrite, 0), seL4_NoError))
        return;
    marker[7] = 0xfeedface;
    CHECK_EQ(alias[7], 0xfeedface);
}

/* Paging caps may be copied only while mapped (§7.5): the initial ones are. */
CTEST(bootinfo_paging_caps_mapped)
{
    seL4_BootInfo *bi = rt_bootinfo;

    for (seL4_CPtr s = bi->userImagePaging.start; s < bi->userImagePaging.end; s++) {
        seL4_CPtr d = c_slot();
        if (!CHECK_ERR(seL4_CNode_Copy(ROOT_CNODE, d, DEPTH, ROOT_CNODE, s, DEPTH, seL4_AllRights),
                       seL4_NoError))
            printf("    paging slot %lu\n", s);
    }
    /* The root PML4 has an ASID, so it can be copied as well. */
    CHECK(c_copy(ROOT_VS) != 0);
}

/* The root task starts with priority and MCP 255. */
CTEST(bootinfo_root_priority)
{
    seL4_CPtr t = c_tcb();

    if (!t)
        return;
    CHECK_ERR(seL4_TCB_SetSchedParams(t, ROOT_TCB, seL4_MaxPrio, seL4_MaxPrio), seL4_NoError);
    CHECK_ERR(seL4_TCB_SetPriority(t, ROOT_TCB, 256), seL4_RangeError);
    CHECK_RANGE(0, 255);
}
