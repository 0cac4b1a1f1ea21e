/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel half of every address space. x64KSKernelPML4 maps the physical
 * window (physical 0..512 GiB at PPTR_BASE with global 1 GiB pages, the
 * 3-4 GiB page uncached for the LAPIC/IOAPIC registers) and the kernel image
 * at KERNEL_ELF_BASE. Retype copies its entries 256..511 into each new PML4,
 * so the window and the image are present in every VSpace and CR3 changes
 * only when switching to a thread in another VSpace (kernel/README.md).
 */
#include <types.h>
#include <util.h>
#include <arch/machine.h>
#include <arch/paging.h>
#include <arch/x86.h>

#define KERNEL_TABLE (PTE_P | PTE_RW)
#define KERNEL_HUGE  (PTE_P | PTE_RW | PTE_PS | PTE_G)
/* PAT index 3 (PCD + PWT) = UC in the PAT of spec §18.3. */
#define KERNEL_HUGE_UNCACHED (KERNEL_HUGE | PTE_PCD | PTE_PWT)
#define DEVICE_GIB           3 /* 0xc0000000..0xffffffff: LAPIC, IOAPICs, PCI holes */

pml4_t x64KSKernelPML4 ALIGN(4096);
static pdpt_t kernelWindowPDPT ALIGN(4096);
static pdpt_t kernelImagePDPT ALIGN(4096);

BOOT_CODE void init_kernel_vspace(void)
{
    for (word_t i = 0; i < 512; i++) {
        pte_t e = (i << seL4_HugePageBits) | KERNEL_HUGE;
        kernelWindowPDPT.e[i] = i == DEVICE_GIB ? e | PTE_PCD | PTE_PWT : e;
    }
    /* The image: KERNEL_ELF_BASE is PML4 511 / PDPT 510, physical 0. */
    kernelImagePDPT.e[PDPT_INDEX(KERNEL_ELF_BASE)] = KERNEL_HUGE;
    kernelImagePDPT.e[PDPT_INDEX(KERNEL_ELF_BASE) + 1] = BIT(seL4_HugePageBits) | KERNEL_HUGE;

    x64KSKernelPML4.e[PML4_INDEX(PPTR_BASE)] = addr_to_paddr(&kernelWindowPDPT) | KERNEL_TABLE;
    x64KSKernelPML4.e[PML4_INDEX(KERNEL_ELF_BASE)] = addr_to_paddr(&kernelImagePDPT) | KERNEL_TABLE;

    /* The identity map of the boot tables disappears here; nothing after
     * this point may use a physical address as a pointer. */
    write_cr3(addr_to_paddr(&x64KSKernelPML4));
}
