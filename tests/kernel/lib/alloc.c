/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Resources of the root task from its bootinfo: a bump allocator over the
 * empty slot region, object allocation by retyping the RAM (non-device)
 * untypeds in bootinfo order, mapping frames into the root VSpace (creating
 * the paging structures on demand), and lookups in the extra bootinfo.
 * Nothing is ever freed: test root tasks are short-lived.
 */
#include "roottask.h"

extern const char __image_start[], __image_end[];

static seL4_CPtr next_slot, end_slot;

/* Index (into untypedList) of the first untyped that may still have room. */
static seL4_Word first_untyped;

void rt_alloc_init(seL4_BootInfo *bi)
{
    next_slot = bi->empty.start;
    end_slot = bi->empty.end;
    first_untyped = 0;
}

seL4_CPtr rt_slot_alloc_range(seL4_Word count)
{
    if (count == 0 || end_slot - next_slot < count)
        return seL4_CapNull;
    seL4_CPtr first = next_slot;
    next_slot += count;
    return first;
}

seL4_CPtr rt_slot_alloc(void)
{
    return rt_slot_alloc_range(1);
}

seL4_Word rt_slots_left(void)
{
    return end_slot - next_slot;
}

seL4_Word rt_object_size_bits(seL4_Word type, seL4_Word size_bits)
{
    switch (type) {
    case seL4_UntypedObject:
        return size_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return size_bits + seL4_SlotBits;
    case seL4_X86_4K:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_PageTableObject:
        return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject:
        return seL4_PageDirBits;
    case seL4_X86_PDPTObject:
        return seL4_PDPTBits;
    case seL4_X64_PML4Object:
        return seL4_PML4Bits;
    default:
        return 0;
    }
}

seL4_Error rt_alloc_object(seL4_Word type, seL4_Word size_bits, seL4_CPtr *slot)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word need = rt_object_size_bits(type, size_bits);
    seL4_Word count = bi->untyped.end - bi->untyped.start;
    seL4_Error err = seL4_NotEnoughMemory;
    seL4_CPtr dest = rt_slot_alloc();

    *slot = seL4_CapNull;
    if (dest == seL4_CapNull)
        return seL4_NotEnoughMemory;
    for (seL4_Word i = first_untyped; i < count; i++) {
        const seL4_UntypedDesc *ud = &bi->untypedList[i];
        if (ud->isDevice || ud->sizeBits < need)
            continue;
        err = seL4_Untyped_Retype(bi->untyped.start + i, type, size_bits, seL4_CapInitThreadCNode,
                                  0, 0, dest, 1);
        if (err == seL4_NoError) {
            *slot = dest;
            return seL4_NoError;
        }
        if (err != seL4_NotEnoughMemory)
            break;
    }
    /*
     * FIXME: the reserved slot is lost on failure; fine for tests, which
     * stop allocating once memory runs out.
     */
    return err;
}

/* Paging structure that maps the level above a failed lookup. */
static seL4_Error map_paging_level(seL4_Word level_type, seL4_Word vaddr)
{
    seL4_CPtr cap;
    seL4_Error err = rt_alloc_object(level_type, 0, &cap);

    if (err != seL4_NoError)
        return err;
    switch (level_type) {
    case seL4_X86_PDPTObject:
        return seL4_X86_PDPT_Map(cap, seL4_CapInitThreadVSpace, vaddr,
                                 seL4_X86_Default_VMAttributes);
    case seL4_X86_PageDirectoryObject:
        return seL4_X86_PageDirectory_Map(cap, seL4_CapInitThreadVSpace, vaddr,
                                          seL4_X86_Default_VMAttributes);
    default:
        return seL4_X86_PageTable_Map(cap, seL4_CapInitThreadVSpace, vaddr,
                                      seL4_X86_Default_VMAttributes);
    }
}

/*
 * A frame map that fails with FailedLookup reports in MR2 how many bits were
 * left unresolved: 39 = no PDPT, 30 = no page directory, 21 = no page table
 * (sel4-abi.md §18.2).
 */
static seL4_Word missing_level(void)
{
    switch (seL4_GetMR(2)) {
    case 39:
        return seL4_X86_PDPTObject;
    case 30:
        return seL4_X86_PageDirectoryObject;
    default:
        return seL4_X86_PageTableObject;
    }
}

seL4_Error rt_map_page(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights)
{
    /* At most three levels can be missing below the PML4. */
    for (int tries = 0; tries < 4; tries++) {
        seL4_Error err = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, rights,
                                           seL4_X86_Default_VMAttributes);
        if (err != seL4_FailedLookup)
            return err;
        err = map_paging_level(missing_level(), vaddr);
        if (err != seL4_NoError)
            return err;
    }
    return seL4_FailedLookup;
}

const seL4_BootInfoHeader *rt_bootinfo_chunk(seL4_Word id)
{
    const char *base = (const char *)rt_bootinfo + (1ul << seL4_BootInfoFrameBits);
    seL4_Word off = 0;

    while (off + sizeof(seL4_BootInfoHeader) <= rt_bootinfo->extraLen) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(base + off);
        if (h->len < sizeof(*h))
            break; /* malformed chunk: stop rather than loop */
        if (h->id == id)
            return h;
        off += h->len;
    }
    return NULL;
}

uint32_t rt_tsc_mhz(void)
{
    const seL4_BootInfoHeader *h = rt_bootinfo_chunk(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    uint32_t mhz;

    if (h == NULL || h->len < sizeof(*h) + sizeof(mhz))
        return 0;
    memcpy(&mhz, h + 1, sizeof(mhz));
    return mhz;
}

seL4_CPtr rt_image_frame(const void *vaddr)
{
    uintptr_t va = (uintptr_t)vaddr;
    uintptr_t start = (uintptr_t)__image_start;
    seL4_Word index;

    if (va < start || va >= (uintptr_t)__image_end)
        return seL4_CapNull;
    index = (va - start) >> seL4_PageBits;
    if (index >= rt_bootinfo->userImageFrames.end - rt_bootinfo->userImageFrames.start)
        return seL4_CapNull;
    return rt_bootinfo->userImageFrames.start + index;
}
