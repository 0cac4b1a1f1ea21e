/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Multiboot 1 and 2 information (spec §19.2) read into bootState: RAM
 * regions, modules, the command line, the loader's RSDP copy, VBE and
 * framebuffer information and the raw memory map. The structures come from
 * the loader and are checked as untrusted input: every length is bounded
 * and every string copy is truncated, so a malformed MBI yields a message,
 * never a crash. Everything is copied: after this, loader memory may be
 * reused.
 */
#include <types.h>
#include <util.h>
#include <boot/boot.h>

#define MB1_FLAG_MEM     BIT(0)
#define MB1_FLAG_CMDLINE BIT(2)
#define MB1_FLAG_MODS    BIT(3)
#define MB1_FLAG_MMAP    BIT(6)
#define MB1_FLAG_VBE     BIT(11)
#define MB_RAM_TYPE      1
#define MB2_MAX_TOTAL    (1u << 20)

enum {
    MB2_END = 0,
    MB2_CMDLINE = 1,
    MB2_MODULE = 3,
    MB2_MMAP = 6,
    MB2_FRAMEBUFFER = 8,
    MB2_ACPI_OLD = 14,
    MB2_ACPI_NEW = 15
};

typedef struct mb1_info {
    uint32_t flags, memLower, memUpper, bootDevice, cmdline, modsCount, modsAddr;
    uint32_t syms[4];
    uint32_t mmapLength, mmapAddr, drivesLength, drivesAddr, configTable, loaderName, apmTable;
    uint32_t vbeControlInfo, vbeModeInfo;
    uint16_t vbeMode, vbeInterfaceSeg, vbeInterfaceOff, vbeInterfaceLen;
} PACKED mb1_info_t;

typedef struct mb1_module {
    uint32_t start, end, string, reserved;
} PACKED mb1_module_t;

BOOT_BSS boot_state_t bootState;

static const void *phys(paddr_t p)
{
    return (const void *)paddr_to_pptr(p);
}

BOOT_CODE static void copy_cmdline(paddr_t p)
{
    if (!p)
        return;
    const char *s = phys(p);
    word_t n = strnlen(s, BOOT_CMDLINE_MAX - 1);
    memcpy(bootState.cmdline, s, n);
    bootState.cmdline[n] = 0;
}

/* Add [base, base+len) as RAM: page-rounded inward, clipped to the range
 * the kernel uses as RAM (spec §19.2). */
BOOT_CODE static void add_ram(uint64_t base, uint64_t len)
{
    uint64_t end = base + len < base ? ~0ull : base + len;
    base = ROUND_UP(MAX(base, RAM_MIN_PADDR), seL4_PageBits);
    end = ROUND_DOWN(MIN(end, RAM_MAX_PADDR), seL4_PageBits);
    if (end <= base)
        return;
    if (bootState.numRam == BOOT_MAX_RAM) {
        kprintf("boot: more than %d RAM regions, ignoring 0x%lx..0x%lx\n", BOOT_MAX_RAM, base, end);
        return;
    }
    bootState.ram[bootState.numRam++] = (region_t){base, end};
}

BOOT_CODE static void add_module(paddr_t start, paddr_t end)
{
    if (end < start || bootState.numModules == BOOT_MAX_MODULES) {
        kprintf("boot: ignoring module 0x%lx..0x%lx\n", start, end);
        return;
    }
    bootState.modules[bootState.numModules++] = (region_t){start, end};
}

BOOT_CODE static void mb1_mmap(const mb1_info_t *mbi)
{
    paddr_t p = mbi->mmapAddr, end = (paddr_t)mbi->mmapAddr + mbi->mmapLength;
    word_t n = 0;
    while (p + 24 <= end) {
        const mb_mmap_entry_t *e = phys(p);
        if (e->size < 20)
            break; /* malformed: stop rather than loop forever */
        if (e->type == MB_RAM_TYPE)
            add_ram(e->base, e->length);
        if (n < BOOT_MAX_MMAP)
            bootState.mmap[n++] = *e;
        p += e->size + 4;
    }
    bootState.mmapLength = n * sizeof(mb_mmap_entry_t);
}

BOOT_CODE static void mb1_vbe(const mb1_info_t *mbi)
{
    bootState.haveVbe = true;
    memcpy(bootState.vbe.controlInfo, phys(mbi->vbeControlInfo), 512);
    memcpy(bootState.vbe.modeInfo, phys(mbi->vbeModeInfo), 256);
    bootState.vbe.mode = mbi->vbeMode;
    bootState.vbe.interfaceSeg = mbi->vbeInterfaceSeg;
    bootState.vbe.interfaceOff = mbi->vbeInterfaceOff;
    bootState.vbe.interfaceLen = mbi->vbeInterfaceLen;
}

BOOT_CODE static bool mb1_parse(const mb1_info_t *mbi)
{
    if (!(mbi->flags & MB1_FLAG_MEM) || !(mbi->flags & MB1_FLAG_MODS)) {
        kprintf("boot: multiboot 1 info lacks memory size or modules (flags 0x%x)\n", mbi->flags);
        return false;
    }
    if (mbi->flags & MB1_FLAG_CMDLINE)
        copy_cmdline(mbi->cmdline);
    const mb1_module_t *m = phys(mbi->modsAddr);
    for (word_t i = 0; i < mbi->modsCount && i < BOOT_MAX_MODULES; i++)
        add_module(m[i].start, m[i].end);
    if (mbi->flags & MB1_FLAG_MMAP)
        mb1_mmap(mbi);
    if (bootState.numRam == 0)
        add_ram(RAM_MIN_PADDR, (uint64_t)mbi->memUpper * 1024);
    if (mbi->flags & MB1_FLAG_VBE)
        mb1_vbe(mbi);
    return true;
}

BOOT_CODE static void mb2_mmap(const uint8_t *tag, uint32_t size)
{
    uint32_t entrySize = *(const uint32_t *)(tag + 8);
    if (entrySize < 24)
        return;
    for (uint32_t off = 16; off + entrySize <= size; off += entrySize) {
        const uint64_t *e = (const uint64_t *)(tag + off);
        if ((uint32_t)e[2] == MB_RAM_TYPE)
            add_ram(e[0], e[1]);
    }
    /* Spec §19.2/§24.4: with multiboot 2 the MBMMAP chunk stays empty. */
}

BOOT_CODE static void mb2_tag(const uint8_t *tag, uint32_t type, uint32_t size)
{
    switch (type) {
    case MB2_CMDLINE: {
        word_t n = MIN(strnlen((const char *)tag + 8, size - 8), BOOT_CMDLINE_MAX - 1);
        memcpy(bootState.cmdline, tag + 8, n);
        bootState.cmdline[n] = 0;
        break;
    }
    case MB2_MODULE:
        if (size >= 16)
            add_module(*(const uint32_t *)(tag + 8), *(const uint32_t *)(tag + 12));
        break;
    case MB2_MMAP:
        if (size >= 16)
            mb2_mmap(tag, size);
        break;
    case MB2_FRAMEBUFFER:
        if (size >= 8 + sizeof(fb_info_t)) {
            memcpy(&bootState.fb, tag + 8, sizeof(fb_info_t));
            bootState.haveFb = bootState.fb.addr != 0;
        }
        break;
    case MB2_ACPI_OLD:
    case MB2_ACPI_NEW:
        /* Prefer the 2.0 copy; either is zero-extended to 36 bytes. */
        if (type == MB2_ACPI_NEW || !bootState.haveRsdp) {
            memset(&bootState.rsdp, 0, sizeof(bootState.rsdp));
            memcpy(&bootState.rsdp, tag + 8, MIN(size - 8, sizeof(acpi_rsdp_t)));
            bootState.haveRsdp = true;
        }
        break;
    }
}

BOOT_CODE static bool mb2_parse(paddr_t mbi)
{
    const uint8_t *base = phys(mbi);
    uint32_t total = *(const uint32_t *)base;
    if (total < 16 || total > MB2_MAX_TOTAL) {
        kprintf("boot: multiboot 2 info has a bad total size %u\n", total);
        return false;
    }
    for (uint32_t off = 8; off + 8 <= total;) {
        uint32_t type = *(const uint32_t *)(base + off);
        uint32_t size = *(const uint32_t *)(base + off + 4);
        if (type == MB2_END)
            break;
        if (size < 8 || off + size > total) {
            kprintf("boot: malformed multiboot 2 tag %u at offset %u\n", type, off);
            return false;
        }
        mb2_tag(base + off, type, size);
        off += ROUND_UP(size, 3);
    }
    return true;
}

BOOT_CODE bool multiboot_parse(word_t magic, paddr_t mbi)
{
    bool ok;
    if (magic == MB1_BOOT_MAGIC) {
        ok = mb1_parse(phys(mbi));
    } else {
        bootState.mb2 = true;
        ok = mb2_parse(mbi);
    }
    if (!ok)
        return false;
    if (bootState.numModules == 0) {
        kprintf("boot: no boot module: the root task must be module 0\n");
        return false;
    }
    if (bootState.numRam == 0) {
        kprintf("boot: the loader reported no RAM above 1 MiB\n");
        return false;
    }
    return true;
}

BOOT_CODE static bool parse_number(const char *s, word_t *out)
{
    word_t v = 0, base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    bool any = false;
    for (;; s++, any = true) {
        char c = *s;
        word_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        v = v * base + d;
    }
    *out = v;
    return any && (*s == 0 || *s == ' ' || *s == '\t');
}

/* Tokens are whitespace-separated "name=value" (spec §19.3). */
BOOT_CODE word_t cmdline_get_number(const char *name, word_t dflt)
{
    word_t len = strnlen(name, 64);
    const char *s = bootState.cmdline;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        word_t v;
        if (memcmp(s, name, len) == 0 && s[len] == '=' && parse_number(s + len + 1, &v))
            return v;
        while (*s && *s != ' ' && *s != '\t')
            s++;
    }
    return dflt;
}
