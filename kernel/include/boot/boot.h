/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal interfaces of the boot code (kernel/boot/): what the loader told
 * us (multiboot.c), boot-time physical memory (memory.c), the root task ELF
 * (elf.c), the root task's objects (rootserver.c), bootinfo and untypeds
 * (bootinfo.c), all driven by boot_sys in boot.c. Everything here is gone
 * once the root task runs: the code and data live in .boot.* memory, which
 * becomes an untyped.
 */
#pragma once

#include <types.h>
#include <structures.h>
#include <arch/x86.h>

#define MB1_BOOT_MAGIC   0x2badb002
#define MB2_BOOT_MAGIC   0x36d76289
#define BOOT_MAX_RAM     32
#define BOOT_MAX_MODULES 16
#define BOOT_MAX_MMAP    SEL4_MULTIBOOT_MAX_MMAP_ENTRIES /* 50, spec §20.5 */
#define BOOT_CMDLINE_MAX 256
#define RAM_MIN_PADDR    0x100000ull     /* RAM starts at 1 MiB (spec §19.2) */
#define RAM_MAX_PADDR    0x7f80000000ull /* 510 GiB: above is device only */
#define DEVICE_MAX_PADDR BIT(47)         /* seL4_MaxUntypedBits range */

typedef struct region {
    paddr_t start, end; /* [start, end) */
} region_t;

/* Multiboot 1 memory map entry as copied into the MBMMAP chunk (§20.5). */
typedef struct mb_mmap_entry {
    uint32_t size;
    uint64_t base;
    uint64_t length;
    uint32_t type;
} PACKED mb_mmap_entry_t;

/* The VBE chunk payload (spec §20.5): after the 16-byte chunk header. */
typedef struct vbe_info {
    uint8_t controlInfo[512];
    uint8_t modeInfo[256];
    uint32_t mode, interfaceSeg, interfaceOff, interfaceLen;
} PACKED vbe_info_t;

/* Multiboot 2 framebuffer tag, as the FRAMEBUFFER chunk payload. */
typedef struct fb_info {
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, type;
} PACKED fb_info_t;

typedef struct boot_state {
    bool mb2;
    region_t ram[BOOT_MAX_RAM]; /* page-aligned, in [1 MiB, 510 GiB) */
    word_t numRam;
    region_t modules[BOOT_MAX_MODULES]; /* module 0 is the root task */
    word_t numModules;
    char cmdline[BOOT_CMDLINE_MAX];
    bool haveRsdp;
    acpi_rsdp_t rsdp;
    bool haveVbe;
    vbe_info_t vbe;
    bool haveFb;
    fb_info_t fb;
    uint32_t mmapLength; /* bytes of valid entries in mmap */
    mb_mmap_entry_t mmap[BOOT_MAX_MMAP];
} boot_state_t;

extern boot_state_t bootState;

/* multiboot.c: read the loader's information into bootState. False after a
 * message if something required is missing or malformed. */
bool multiboot_parse(word_t magic, paddr_t mbi);
/* The value of "name=" in the command line (decimal or 0x hex), or dflt. */
word_t cmdline_get_number(const char *name, word_t dflt);

/* memory.c: free physical RAM during boot. */
void mem_init(void);
void mem_reserve(paddr_t start, paddr_t end);
void mem_free(paddr_t start, paddr_t end);
/* Zeroed, 2^alignBits aligned memory; panics when out of memory. */
pptr_t mem_alloc(word_t bytes, word_t alignBits);
/* The free regions, sorted by address (after all allocations). */
word_t mem_free_regions(region_t **regions);

/* elf.c: the root task image. */
typedef struct elf_span {
    vptr_t lo, hi; /* page-aligned image span */
    vptr_t entry;
} elf_span_t;
bool elf_check(const uint8_t *img, word_t size, elf_span_t *span);
/* Copy the segments into dest (the pages of [span.lo, span.hi), zeroed). */
void elf_load(const uint8_t *img, const elf_span_t *span, uint8_t *dest);

/* rootserver.c / bootinfo.c */
typedef struct rootserver {
    elf_span_t image;
    vptr_t ipcBufVaddr, bootInfoVaddr, extraBIVaddr;
    word_t extraLen, extraSizeBits;
    cte_t *cnode;
    pptr_t pml4, asidPool, ipcBuf, bootInfo, extraBI, imageFrames;
    tcb_t *tcb;
    word_t nextSlot;                                 /* first free slot of the root CNode */
    region_t slotsPaging, slotsExtraBI, slotsFrames; /* [start, end) slots */
} rootserver_t;

void create_rootserver(const elf_span_t *image, const uint8_t *elf, word_t elfSize);
void create_idle_thread(void);
void start_rootserver(void) NORETURN;
/* Compute the extra bootinfo length (spec §20.5). */
word_t extra_bootinfo_len(void);
void write_extra_bootinfo(uint8_t *dest);
/* Fill the bootinfo frame and hand out the untypeds (after the frames). */
void create_bootinfo_and_untypeds(rootserver_t *rs);
/* Put a boot cap into a root CNode slot: an MDB root, revocable. */
void write_slot(cte_t *slot, cap_t cap);

extern char ki_boot_start_phys[], ki_boot_end[], ki_end[];
