/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ACPI discovery at boot: the RSDP (from the loader, spec §19.2, or the
 * BIOS areas), the RSDT/XSDT and the MADT, from which the kernel takes the
 * local APIC address, the CPU count and the IOAPICs with their GSI bases.
 * Firmware tables are untrusted input: every address and length is checked
 * against the physical window and every checksum is verified before use.
 */
#include <types.h>
#include <util.h>
#include <arch/x86.h>

#define ACPI_MAX_TABLE_LEN  (1u << 20)
#define BDA_EBDA_SEGMENT    0x40e
#define BIOS_ROM_START      0xe0000
#define BIOS_ROM_END        0x100000
#define RSDP_V1_LEN         20
#define LAPIC_DEFAULT_PADDR 0xfee00000

typedef struct acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} PACKED acpi_header_t;

typedef struct acpi_madt {
    acpi_header_t header;
    uint32_t lapicAddress;
    uint32_t flags;
} PACKED acpi_madt_t;

enum { MADT_LAPIC = 0, MADT_IOAPIC = 1, MADT_LAPIC_OVERRIDE = 5 };

acpi_info_t x86KSacpi;

static uint8_t acpi_sum(const void *p, word_t len)
{
    uint8_t s = 0;
    for (word_t i = 0; i < len; i++)
        s += ((const uint8_t *)p)[i];
    return s;
}

static bool rsdp_valid(const acpi_rsdp_t *r)
{
    if (memcmp(r->signature, "RSD PTR ", 8) != 0 || acpi_sum(r, RSDP_V1_LEN) != 0)
        return false;
    return r->revision < 2 || acpi_sum(r, sizeof(*r)) == 0;
}

BOOT_CODE static const acpi_rsdp_t *rsdp_scan(paddr_t start, paddr_t end)
{
    for (paddr_t p = start; p + sizeof(acpi_rsdp_t) <= end; p += 16) {
        const acpi_rsdp_t *r = (const acpi_rsdp_t *)paddr_to_pptr(p);
        if (rsdp_valid(r))
            return r;
    }
    return NULL;
}

BOOT_CODE static const acpi_rsdp_t *rsdp_find_bios(void)
{
    paddr_t ebda = (paddr_t) * (volatile uint16_t *)paddr_to_pptr(BDA_EBDA_SEGMENT) << 4;
    const acpi_rsdp_t *r = NULL;
    if (ebda >= 0x400 && ebda < BIOS_ROM_START)
        r = rsdp_scan(ebda, ebda + 1024);
    return r ? r : rsdp_scan(BIOS_ROM_START, BIOS_ROM_END);
}

/* A table at paddr with a plausible length and a good checksum, or NULL. */
BOOT_CODE static const acpi_header_t *acpi_table(paddr_t paddr)
{
    if (paddr == 0 || paddr + ACPI_MAX_TABLE_LEN >= PADDR_TOP)
        return NULL;
    const acpi_header_t *h = (const acpi_header_t *)paddr_to_pptr(paddr);
    if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_LEN)
        return NULL;
    return acpi_sum(h, h->length) == 0 ? h : NULL;
}

BOOT_CODE static const acpi_header_t *acpi_find_table(const acpi_rsdp_t *rsdp, const char *sig)
{
    bool x = rsdp->revision >= 2 && rsdp->xsdt_address;
    const acpi_header_t *root = acpi_table(x ? rsdp->xsdt_address : rsdp->rsdt_address);
    if (!root)
        return NULL;
    word_t entrySize = x ? 8 : 4;
    word_t n = (root->length - sizeof(*root)) / entrySize;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (word_t i = 0; i < n; i++) {
        paddr_t p = x ? *(const uint64_t *)(entries + 8 * i) : *(const uint32_t *)(entries + 4 * i);
        const acpi_header_t *h = acpi_table(p);
        if (h && memcmp(h->signature, sig, 4) == 0)
            return h;
    }
    return NULL;
}

BOOT_CODE static void madt_entry(const uint8_t *e)
{
    switch (e[0]) {
    case MADT_LAPIC:
        if (e[1] >= 8 && (*(const uint32_t *)(e + 4) & 1))
            x86KSacpi.numCPUs++;
        break;
    case MADT_IOAPIC:
        if (e[1] < 12)
            break;
        if (x86KSacpi.numIOAPICs == MAX_IOAPICS) {
            kprintf("ACPI: more than %d IOAPICs, ignoring the rest\n", MAX_IOAPICS);
            break;
        }
        x86KSacpi.ioapic[x86KSacpi.numIOAPICs++] = (ioapic_info_t){
            .paddr = *(const uint32_t *)(e + 4),
            .gsiBase = *(const uint32_t *)(e + 8),
        };
        break;
    case MADT_LAPIC_OVERRIDE:
        if (e[1] >= 12)
            x86KSacpi.lapicPaddr = *(const uint64_t *)(e + 4);
        break;
    }
}

BOOT_CODE static bool madt_parse(const acpi_madt_t *madt)
{
    x86KSacpi.lapicPaddr = madt->lapicAddress;
    const uint8_t *e = (const uint8_t *)(madt + 1);
    const uint8_t *end = (const uint8_t *)madt + madt->header.length;
    while (e + 2 <= end && e[1] >= 2 && e + e[1] <= end) {
        madt_entry(e);
        e += e[1];
    }
    if (!x86KSacpi.lapicPaddr)
        x86KSacpi.lapicPaddr = LAPIC_DEFAULT_PADDR;
    return true;
}

BOOT_CODE bool acpi_init(const acpi_rsdp_t *fromLoader)
{
    const acpi_rsdp_t *rsdp = fromLoader && rsdp_valid(fromLoader) ? fromLoader : NULL;
    if (!rsdp)
        rsdp = rsdp_find_bios();
    if (!rsdp) {
        kprintf("ACPI: no valid RSDP found\n");
        return false;
    }
    memset(&x86KSacpi.rsdp, 0, sizeof(x86KSacpi.rsdp));
    memcpy(&x86KSacpi.rsdp, rsdp, rsdp->revision >= 2 ? sizeof(*rsdp) : RSDP_V1_LEN);
    const acpi_header_t *madt = acpi_find_table(rsdp, "APIC");
    if (!madt || madt->length < sizeof(acpi_madt_t)) {
        kprintf("ACPI: no valid MADT\n");
        return false;
    }
    madt_parse((const acpi_madt_t *)madt);
    kprintf("ACPI: RSDP rev %u, %lu CPU(s), LAPIC at 0x%lx, %lu IOAPIC(s)\n", rsdp->revision,
            x86KSacpi.numCPUs, x86KSacpi.lapicPaddr, x86KSacpi.numIOAPICs);
    if (x86KSacpi.numIOAPICs == 0) {
        kprintf("ACPI: the MADT lists no IOAPIC; this kernel needs one\n");
        return false;
    }
    return true;
}
