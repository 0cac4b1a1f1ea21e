/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the root task is told: the seL4_BootInfo frame (spec §20.4), the
 * extra bootinfo chunks (§20.5) and the untyped caps with their list:
 * device memory first (everything below 2^47 that is not RAM, the kernel
 * image or a kernel device), then the kernel's boot-only memory, then free
 * RAM, each cut into naturally aligned power-of-two blocks.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <object/objecttype.h>
#include <boot/boot.h>

#define CHUNK_HEADER     16
#define VBE_CHUNK_LEN    (CHUNK_HEADER + sizeof(vbe_info_t))         /* 800 */
#define RSDP_CHUNK_LEN   (CHUNK_HEADER + sizeof(acpi_rsdp_t))        /* 52 */
#define FB_CHUNK_LEN     (CHUNK_HEADER + sizeof(fb_info_t))          /* 38 */
#define MMAP_CHUNK_LEN   (CHUNK_HEADER + 4 + sizeof(bootState.mmap)) /* 1220 */
#define TSC_CHUNK_LEN    (CHUNK_HEADER + 4)                          /* 20 */
#define MAX_DEVICE_HOLES (BOOT_MAX_RAM + MAX_IOAPICS + 2)

typedef struct bi_slot_region {
    word_t start, end;
} bi_slot_region_t;

typedef struct bi_untyped_desc {
    word_t paddr;
    uint8_t sizeBits, isDevice, padding[6];
} bi_untyped_desc_t;

/* seL4_BootInfo for this configuration (spec §20.4). */
typedef struct bootinfo {
    word_t extraLen, nodeID, numNodes, numIOPTLevels, ipcBuffer;
    bi_slot_region_t empty, sharedFrames, userImageFrames, userImagePaging, ioSpaceCaps,
        extraBIPages;
    word_t initThreadCNodeSizeBits, initThreadDomain;
    bi_slot_region_t untyped;
    bi_untyped_desc_t untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} bootinfo_t;
_Static_assert(sizeof(bootinfo_t) == 3848, "spec §20.4");
_Static_assert(offsetof(bootinfo_t, untypedList) == 168, "spec §20.4");
_Static_assert(VBE_CHUNK_LEN == 800 && RSDP_CHUNK_LEN == 52 && FB_CHUNK_LEN == 38 &&
                   MMAP_CHUNK_LEN == 1220,
               "spec §20.5 chunk sizes");

BOOT_CODE word_t extra_bootinfo_len(void)
{
    word_t len = RSDP_CHUNK_LEN + MMAP_CHUNK_LEN + TSC_CHUNK_LEN;
    if (bootState.haveVbe)
        len += VBE_CHUNK_LEN;
    if (bootState.haveFb)
        len += FB_CHUNK_LEN;
    return len;
}

BOOT_CODE static uint8_t *chunk(uint8_t *p, word_t id, word_t len, const void *payload,
                                word_t payloadLen)
{
    ((word_t *)p)[0] = id;
    ((word_t *)p)[1] = len;
    memcpy(p + CHUNK_HEADER, payload, payloadLen);
    return p + len;
}

/* Spec §20.5 order: VBE, RSDP, framebuffer, MBMMAP, TSC frequency. */
BOOT_CODE void write_extra_bootinfo(uint8_t *p)
{
    if (bootState.haveVbe)
        p = chunk(p, SEL4_BOOTINFO_HEADER_X86_VBE, VBE_CHUNK_LEN, &bootState.vbe,
                  sizeof(vbe_info_t));
    p = chunk(p, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, RSDP_CHUNK_LEN, &x86KSacpi.rsdp,
              sizeof(acpi_rsdp_t));
    if (bootState.haveFb)
        p = chunk(p, SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER, FB_CHUNK_LEN, &bootState.fb,
                  sizeof(fb_info_t));
    memcpy(p + CHUNK_HEADER, &bootState.mmapLength, 4);
    p = chunk(p, SEL4_BOOTINFO_HEADER_X86_MBMMAP, MMAP_CHUNK_LEN, NULL, 0);
    memcpy(p - MMAP_CHUNK_LEN + CHUNK_HEADER + 4, bootState.mmap, sizeof(bootState.mmap));
    uint32_t mhz = x86KStscMhz;
    chunk(p, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, TSC_CHUNK_LEN, &mhz, 4);
}

typedef struct untyped_builder {
    rootserver_t *rs;
    bootinfo_t *bi;
    word_t count, dropped;
} untyped_builder_t;

BOOT_CODE static void provide_untyped(untyped_builder_t *b, paddr_t p, word_t bits, bool dev)
{
    if (b->count == CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS ||
        b->rs->nextSlot == BIT(CONFIG_ROOT_CNODE_SIZE_BITS)) {
        b->dropped++;
        return;
    }
    /* The watermark starts "full" (spec §10): the first Retype resets and
     * zeroes it. freeIndex is in 16-byte units. */
    kassert(bits >= seL4_MinUntypedBits && bits < seL4_MaxUntypedBits);
    cap_t c = cap_untyped_cap_new(BIT(bits - seL4_MinUntypedBits), dev, bits, paddr_to_pptr(p));
    write_slot(&b->rs->cnode[b->rs->nextSlot++], c);
    b->bi->untypedList[b->count++] =
        (bi_untyped_desc_t){.paddr = p, .sizeBits = (uint8_t)bits, .isDevice = dev};
}

/* Largest naturally aligned power-of-two blocks covering [start, end). */
BOOT_CODE static void provide_region(untyped_builder_t *b, paddr_t start, paddr_t end, bool dev)
{
    start = ROUND_UP(start, seL4_MinUntypedBits);
    while (start < end && end - start >= BIT(seL4_MinUntypedBits)) {
        word_t bits = start ? (word_t)__builtin_ctzll(start) : 63;
        word_t fit = 63 - (word_t)__builtin_clzll(end - start);
        bits = MIN(MIN(bits, fit), seL4_MaxUntypedBits - 1);
        provide_untyped(b, start, bits, dev);
        start += BIT(bits);
    }
}

BOOT_CODE static word_t device_holes(region_t *h)
{
    word_t n = 0;
    for (word_t i = 0; i < bootState.numRam; i++)
        h[n++] = bootState.ram[i];
    h[n++] = (region_t){(paddr_t)ki_boot_start_phys, kimg_to_paddr(ki_end)};
    h[n++] = (region_t){x86KSacpi.lapicPaddr, x86KSacpi.lapicPaddr + BIT(seL4_PageBits)};
    for (word_t i = 0; i < x86KSacpi.numIOAPICs; i++) {
        paddr_t p = ROUND_DOWN(x86KSacpi.ioapic[i].paddr, seL4_PageBits);
        h[n++] = (region_t){p, p + BIT(seL4_PageBits)};
    }
    for (word_t i = 1; i < n; i++) {
        region_t r = h[i];
        word_t j = i;
        for (; j > 0 && h[j - 1].start > r.start; j--)
            h[j] = h[j - 1];
        h[j] = r;
    }
    return n;
}

BOOT_CODE static void provide_device_untypeds(untyped_builder_t *b)
{
    region_t holes[MAX_DEVICE_HOLES];
    word_t n = device_holes(holes);
    paddr_t cur = 0;
    for (word_t i = 0; i < n; i++) {
        if (holes[i].start > cur)
            provide_region(b, cur, MIN(holes[i].start, DEVICE_MAX_PADDR), true);
        cur = MAX(cur, holes[i].end);
    }
    if (cur < DEVICE_MAX_PADDR)
        provide_region(b, cur, DEVICE_MAX_PADDR, true);
}

BOOT_CODE static void fill_bootinfo(rootserver_t *rs, bootinfo_t *bi)
{
    bi->extraLen = rs->extraLen;
    bi->nodeID = 0;
    bi->numNodes = 1;
    bi->numIOPTLevels = (word_t)-1; /* no IOMMU (spec §20.4) */
    bi->ipcBuffer = rs->ipcBufVaddr;
    bi->userImageFrames = (bi_slot_region_t){rs->slotsFrames.start, rs->slotsFrames.end};
    bi->userImagePaging = (bi_slot_region_t){rs->slotsPaging.start, rs->slotsPaging.end};
    bi->extraBIPages = (bi_slot_region_t){rs->slotsExtraBI.start, rs->slotsExtraBI.end};
    bi->initThreadCNodeSizeBits = CONFIG_ROOT_CNODE_SIZE_BITS;
    bi->initThreadDomain = 0;
}

BOOT_CODE void create_bootinfo_and_untypeds(rootserver_t *rs)
{
    bootinfo_t *bi = (bootinfo_t *)rs->bootInfo;
    untyped_builder_t b = {.rs = rs, .bi = bi};
    fill_bootinfo(rs, bi);

    bi->untyped.start = rs->nextSlot;
    provide_device_untypeds(&b);
    provide_region(&b, (paddr_t)ki_boot_start_phys, kimg_to_paddr(ki_boot_end), false);
    region_t *ram;
    word_t n = mem_free_regions(&ram);
    for (word_t i = 0; i < n; i++)
        provide_region(&b, ram[i].start, ram[i].end, false);
    bi->untyped.end = rs->nextSlot;
    bi->empty = (bi_slot_region_t){rs->nextSlot, BIT(CONFIG_ROOT_CNODE_SIZE_BITS)};
    if (b.dropped)
        kprintf("boot: %lu untypeds did not fit in the bootinfo and were dropped\n", b.dropped);
    kprintf("boot: %lu untypeds, slots %lu..%lu; %lu free slots\n", b.count, bi->untyped.start,
            bi->untyped.end, bi->empty.end - bi->empty.start);
}
