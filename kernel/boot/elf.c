/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task's ELF image (spec §19.5): validation and loading. Every
 * program header with p_memsz > 0 is part of the image span and is copied
 * (p_filesz bytes, the rest zeroed). The checks are stricter than upstream
 * (machine, truncation, overlap) and each failure names its reason on the
 * serial port, because a bad root task must stop the boot visibly rather
 * than fault later.
 */
#include <types.h>
#include <util.h>
#include <model/statedata.h>
#include <boot/boot.h>

#define EI_CLASS       4
#define EI_DATA        5
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define EM_X86_64      62
#define PT_LOAD        1
#define USER_VADDR_END 0x7fffffffffffull /* spec §19.5: span end + 8 KiB <= this */

typedef struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} PACKED elf64_ehdr_t;

typedef struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
} PACKED elf64_phdr_t;

static const elf64_phdr_t *phdr(const uint8_t *img, word_t i)
{
    const elf64_ehdr_t *eh = (const elf64_ehdr_t *)img;
    return (const elf64_phdr_t *)(img + eh->phoff + i * eh->phentsize);
}

BOOT_CODE static bool elf_reject(const char *why)
{
    kprintf("boot: the root task (module 0) is not a usable ELF image: %s\n", why);
    return false;
}

BOOT_CODE static bool check_header(const uint8_t *img, word_t size)
{
    const elf64_ehdr_t *eh = (const elf64_ehdr_t *)img;
    if (size < sizeof(*eh) || memcmp(img, "\177ELF", 4) != 0)
        return elf_reject("no ELF magic");
    if (img[EI_CLASS] != ELFCLASS64)
        return elf_reject("not ELFCLASS64");
    if (img[EI_DATA] != ELFDATA2LSB)
        return elf_reject("not little-endian");
    if (eh->machine != EM_X86_64)
        return elf_reject("e_machine is not EM_X86_64");
    if (eh->phentsize < sizeof(elf64_phdr_t) || eh->phnum == 0)
        return elf_reject("no program headers");
    if (eh->phoff > size || (word_t)eh->phnum * eh->phentsize > size - eh->phoff)
        return elf_reject("program headers truncated");
    return true;
}

BOOT_CODE static bool check_segment(const elf64_phdr_t *p, word_t size)
{
    if (p->filesz > p->memsz)
        return elf_reject("a segment has p_filesz > p_memsz");
    if (p->offset > size || p->filesz > size - p->offset)
        return elf_reject("a segment lies outside the module");
    if (p->vaddr > USER_VADDR_END || p->memsz > USER_VADDR_END - p->vaddr)
        return elf_reject("a segment lies outside the user address range");
    return true;
}

/* PT_LOAD segments must not share bytes (other headers such as PT_TLS
 * describe parts of them and may overlap). */
BOOT_CODE static bool check_overlaps(const uint8_t *img)
{
    const elf64_ehdr_t *eh = (const elf64_ehdr_t *)img;
    for (word_t i = 0; i < eh->phnum; i++) {
        const elf64_phdr_t *a = phdr(img, i);
        for (word_t j = i + 1; a->type == PT_LOAD && a->memsz && j < eh->phnum; j++) {
            const elf64_phdr_t *b = phdr(img, j);
            if (b->type != PT_LOAD || !b->memsz)
                continue;
            if (a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz)
                return elf_reject("PT_LOAD segments overlap");
        }
    }
    return true;
}

/*
 * Every image page gets a frame cap in the root CNode (spec §20.3), after
 * the initial caps, the paging structures, the IPC buffer, bootinfo and
 * extra bootinfo pages; an image too large for 2^12 slots is refused here
 * rather than found out half way through building the root task.
 */
BOOT_CODE static bool fits_root_cnode(vptr_t lo, vptr_t hi)
{
    word_t span = hi - lo + 4 * BIT(seL4_PageBits);
    word_t pages = span >> seL4_PageBits;
    word_t tables = (span >> 21) + (span >> 30) + (span >> 39) + 6;
    return seL4_NumInitialCaps + pages + tables < BIT(CONFIG_ROOT_CNODE_SIZE_BITS);
}

BOOT_CODE bool elf_check(const uint8_t *img, word_t size, elf_span_t *span)
{
    if (!check_header(img, size))
        return false;
    const elf64_ehdr_t *eh = (const elf64_ehdr_t *)img;
    vptr_t lo = ~0ull, hi = 0;
    for (word_t i = 0; i < eh->phnum; i++) {
        const elf64_phdr_t *p = phdr(img, i);
        if (!p->memsz)
            continue;
        if (!check_segment(p, size))
            return false;
        lo = MIN(lo, p->vaddr);
        hi = MAX(hi, p->vaddr + p->memsz);
    }
    if (hi == 0)
        return elf_reject("no segment with p_memsz > 0");
    if (!IS_ALIGNED(lo, seL4_PageBits))
        return elf_reject("the lowest segment address is not 4 KiB aligned");
    if (eh->entry < lo || eh->entry >= hi)
        return elf_reject("the entry point is outside the image");
    hi = ROUND_UP(hi, seL4_PageBits);
    if (hi + 2 * BIT(seL4_PageBits) > USER_VADDR_END)
        return elf_reject("the image ends too close to the top of user memory");
    if (!check_overlaps(img))
        return false;
    if (!fits_root_cnode(lo, hi))
        return elf_reject("the image needs more frame caps than the root CNode has slots");
    *span = (elf_span_t){.lo = lo, .hi = hi, .entry = eh->entry};
    return true;
}

BOOT_CODE static void load_segment(const uint8_t *img, const elf64_phdr_t *p, vptr_t lo,
                                   uint8_t *dest)
{
    uint8_t *d = dest + (p->vaddr - lo);
    memcpy(d, img + p->offset, p->filesz);
    memset(d + p->filesz, 0, p->memsz - p->filesz);
}

/* Non-PT_LOAD segments first, so PT_LOAD contents win where they overlap. */
BOOT_CODE void elf_load(const uint8_t *img, const elf_span_t *span, uint8_t *dest)
{
    const elf64_ehdr_t *eh = (const elf64_ehdr_t *)img;
    for (int pass = 0; pass < 2; pass++) {
        for (word_t i = 0; i < eh->phnum; i++) {
            const elf64_phdr_t *p = phdr(img, i);
            if (p->memsz && (p->type == PT_LOAD) == (pass == 1))
                load_segment(img, p, span->lo, dest);
        }
    }
}
