/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical memory during boot: the free RAM regions (the loader's RAM minus
 * the kernel image and the boot modules), a carving allocator for the root
 * task's objects, and the final free list that becomes the RAM untypeds.
 * Modules stay reserved until the root task has been loaded from module 0,
 * so modules may sit anywhere in RAM (unlike upstream, spec §19.5).
 */
#include <types.h>
#include <util.h>
#include <boot/boot.h>

#define MAX_FREE_REGIONS 64

BOOT_BSS static region_t freeMem[MAX_FREE_REGIONS];
BOOT_BSS static word_t numFree;

BOOT_CODE static void insert_region(paddr_t start, paddr_t end)
{
    if (start >= end)
        return;
    if (numFree == MAX_FREE_REGIONS) {
        kprintf("boot: too many free memory fragments, losing 0x%lx..0x%lx\n", start, end);
        return;
    }
    freeMem[numFree++] = (region_t){start, end};
}

/* Remove [start, end) from every free region. */
BOOT_CODE void mem_reserve(paddr_t start, paddr_t end)
{
    for (word_t i = 0; i < numFree; i++) {
        region_t r = freeMem[i];
        if (end <= r.start || start >= r.end)
            continue;
        /* Replace r by its parts outside [start, end). */
        freeMem[i] = freeMem[--numFree];
        insert_region(r.start, MIN(start, r.end));
        insert_region(MAX(end, r.start), r.end);
        i = (word_t)-1; /* the array changed: rescan */
    }
}

BOOT_CODE void mem_free(paddr_t start, paddr_t end)
{
    start = ROUND_UP(start, seL4_PageBits);
    end = ROUND_DOWN(end, seL4_PageBits);
    /* Only memory that is RAM may become free. */
    for (word_t i = 0; i < bootState.numRam; i++) {
        paddr_t s = MAX(start, bootState.ram[i].start), e = MIN(end, bootState.ram[i].end);
        if (s < e) {
            mem_reserve(s, e); /* no double entries */
            insert_region(s, e);
        }
    }
}

BOOT_CODE void mem_init(void)
{
    numFree = 0;
    for (word_t i = 0; i < bootState.numRam; i++)
        insert_region(bootState.ram[i].start, bootState.ram[i].end);
    mem_reserve((paddr_t)ki_boot_start_phys, kimg_to_paddr(ki_end));
    for (word_t i = 0; i < bootState.numModules; i++) {
        region_t m = bootState.modules[i];
        mem_reserve(ROUND_DOWN(m.start, seL4_PageBits), ROUND_UP(m.end, seL4_PageBits));
    }
}

/* Carve from the top of the highest region that fits, keeping low memory
 * (and the big regions' beginnings) in large aligned blocks. */
BOOT_CODE pptr_t mem_alloc(word_t bytes, word_t alignBits)
{
    word_t best = numFree;
    paddr_t bestAddr = 0;
    for (word_t i = 0; i < numFree; i++) {
        region_t r = freeMem[i];
        if (r.end - r.start < bytes)
            continue;
        paddr_t a = ROUND_DOWN(r.end - bytes, alignBits);
        if (a >= r.start && (best == numFree || a > bestAddr)) {
            best = i;
            bestAddr = a;
        }
    }
    if (best == numFree)
        kpanic("boot: out of memory allocating %lu bytes for the root task", bytes);
    mem_reserve(bestAddr, bestAddr + bytes);
    memset((void *)paddr_to_pptr(bestAddr), 0, bytes);
    return paddr_to_pptr(bestAddr);
}

BOOT_CODE static void sort_and_merge(void)
{
    for (word_t i = 1; i < numFree; i++) {
        region_t r = freeMem[i];
        word_t j = i;
        for (; j > 0 && freeMem[j - 1].start > r.start; j--)
            freeMem[j] = freeMem[j - 1];
        freeMem[j] = r;
    }
    word_t n = 0;
    for (word_t i = 0; i < numFree; i++) {
        if (n > 0 && freeMem[n - 1].end == freeMem[i].start)
            freeMem[n - 1].end = freeMem[i].end;
        else
            freeMem[n++] = freeMem[i];
    }
    numFree = n;
}

BOOT_CODE word_t mem_free_regions(region_t **regions)
{
    sort_and_merge();
    *regions = freeMem;
    return numFree;
}
