/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86_64 4-level paging entries, shared by the boot code (kernel window,
 * root task VSpace) and the VSpace objects (kernel/arch/x86_64/object/).
 * Tables are plain arrays of 512 hardware entries.
 */
#pragma once

#include <types.h>

#define PTE_P         BIT(0)
#define PTE_RW        BIT(1)
#define PTE_US        BIT(2)
#define PTE_PWT       BIT(3)
#define PTE_PCD       BIT(4)
#define PTE_A         BIT(5)
#define PTE_D         BIT(6)
#define PTE_PS        BIT(7) /* large/huge page in a PD / PDPT entry */
#define PTE_PAT_4K    BIT(7) /* PAT bit of a 4 KiB PTE */
#define PTE_G         BIT(8)
#define PTE_PAT_LARGE BIT(12) /* PAT bit of a 2 MiB / 1 GiB entry */
#define PTE_ADDR_MASK 0x000ffffffffff000ull

typedef word_t pte_t;
typedef struct pml4 {
    pte_t e[512];
} pml4_t;
typedef struct pdpt {
    pte_t e[512];
} pdpt_t;
typedef struct pd {
    pte_t e[512];
} pd_t;
typedef struct pt {
    pte_t e[512];
} pt_t;

#define PML4_INDEX(va) (((va) >> 39) & 0x1ff)
#define PDPT_INDEX(va) (((va) >> 30) & 0x1ff)
#define PD_INDEX(va)   (((va) >> 21) & 0x1ff)
#define PT_INDEX(va)   (((va) >> 12) & 0x1ff)

/* The kernel's own PML4 (kernel/arch/x86_64/kernel_vspace.c); its upper
 * half (entries 256..511) is copied into every new PML4. */
extern pml4_t x64KSKernelPML4;
#define PML4_KERNEL_FIRST 256

/* Make the thread's VSpace current (its PML4's CR3), or the kernel's if the
 * thread has no valid VSpace. kernel/arch/x86_64/object/vspace.c. */
struct tcb;
void setVMRoot(struct tcb *tcb);
/* A cap that may be a thread's VSpace root: a PML4 cap with an ASID. */
union cap;
bool isValidVTableRoot(union cap cap);
/* Check a prospective IPC buffer (1024-aligned, non-device frame):
 * EXCEPTION_SYSCALL_ERROR with current_syscall_error set, else NONE. */
exception_t checkValidIPCBuffer(vptr_t vptr, union cap cap);
