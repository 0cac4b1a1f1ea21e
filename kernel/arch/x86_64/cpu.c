/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CPU's descriptor tables and control state: the GDT of spec §2, the
 * TSS (only IST1 matters: every IDT gate uses it, so the CPU pushes each
 * trap frame straight into the current thread's context), the IDT with the
 * DPLs of spec §4.3, the SYSCALL MSRs, CR0/CR4 and the PAT of spec §18.3.
 */
#include <types.h>
#include <util.h>
#include <arch/machine.h>
#include <arch/context.h>
#include <arch/interrupt.h>
#include <arch/x86.h>

typedef struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomapBase;
} PACKED tss_t;
_Static_assert(sizeof(tss_t) == 104, "64-bit TSS");

typedef struct idt_gate {
    uint16_t offsetLow;
    uint16_t selector;
    uint8_t ist;
    uint8_t typeAttr;
    uint16_t offsetMid;
    uint32_t offsetHigh;
    uint32_t reserved;
} PACKED idt_gate_t;

typedef struct descriptor_ptr {
    uint16_t limit;
    uint64_t base;
} PACKED descriptor_ptr_t;

#define GDT_CODE64(dpl) (0x00209a0000000000ull | ((word_t)(dpl) << 45))
#define GDT_DATA(dpl)   (0x0000920000000000ull | ((word_t)(dpl) << 45))
#define GATE_INTERRUPT  0x8e /* present, 64-bit interrupt gate (IF cleared) */

#define CR0_MP         BIT(1)
#define CR0_EM         BIT(2)
#define CR0_NE         BIT(5)
#define CR4_PGE        BIT(7)
#define CR4_OSFXSR     BIT(9)
#define CR4_OSXMMEXCPT BIT(10)
#define CR4_FSGSBASE   BIT(16)
#define CR4_SMEP       BIT(20)
#define EFER_SCE       BIT(0)
#define RFLAGS_TF      BIT(8)
#define RFLAGS_IF      BIT(9)
#define RFLAGS_DF      BIT(10)
#define RFLAGS_AC      BIT(18)

static uint64_t gdt[GDT_ENTRIES] ALIGN(16);
static tss_t tss ALIGN(16);
static idt_gate_t idt[256] ALIGN(16);

void tss_set_ist1(word_t top)
{
    tss.ist[0] = top;
}

BOOT_CODE static void init_gdt(void)
{
    word_t base = (word_t)&tss;
    word_t limit = sizeof(tss) - 1;

    gdt[0] = 0;
    gdt[SEL_KERNEL_CS >> 3] = GDT_CODE64(0);
    gdt[SEL_KERNEL_DS >> 3] = GDT_DATA(0);
    /* 64-bit available TSS (type 9): a 16-byte system descriptor. */
    gdt[SEL_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
                        ((base >> 24 & 0xff) << 56);
    gdt[(SEL_TSS >> 3) + 1] = base >> 32;
    gdt[SEL_USER_CS >> 3] = GDT_CODE64(3);
    gdt[SEL_USER_DS >> 3] = GDT_DATA(3);
    gdt[7] = GDT_DATA(3); /* legacy TLS / IPC buffer entries (spec §2) */
    gdt[8] = GDT_DATA(3);

    tss.iomapBase = sizeof(tss); /* no I/O bitmap: user in/out always faults */
    tss.rsp[0] = (word_t)kernel_stack_top;
    tss.ist[0] = (word_t)kernel_stack_top;

    descriptor_ptr_t p = {sizeof(gdt) - 1, (word_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %2, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(p), "i"(SEL_KERNEL_CS), "i"(SEL_KERNEL_DS), "r"(SEL_TSS)
                     : "rax", "memory");
}

/* Spec §4.3: only int3 and the trap/spurious vectors may be raised by
 * `int n` from user mode; the rest give #GP there. */
BOOT_CODE static bool vector_is_user_callable(word_t v)
{
    return v == 3 || v >= VECTOR_TRAP_MIN;
}

BOOT_CODE static void init_idt(void)
{
    for (word_t v = 0; v < 256; v++) {
        word_t stub = (word_t)idt_stubs + 16 * v;
        idt[v] = (idt_gate_t){
            .offsetLow = stub & 0xffff,
            .selector = SEL_KERNEL_CS,
            .ist = 1,
            .typeAttr = GATE_INTERRUPT | (vector_is_user_callable(v) ? 0x60 : 0),
            .offsetMid = (stub >> 16) & 0xffff,
            .offsetHigh = stub >> 32,
        };
    }
    descriptor_ptr_t p = {sizeof(idt) - 1, (word_t)idt};
    __asm__ volatile("lidt %0" ::"m"(p));
}

/*
 * sysretq loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8 (RPL 3).
 * With the GDT of spec §2 the base must be the TSS selector to get CS 0x2b;
 * SS then reads 0x23 until the next iretq, which always reloads 0x33 (see
 * restore_user_context): upstream has the same property.
 */
BOOT_CODE static void init_syscall_msrs(void)
{
    wrmsr(MSR_STAR, ((word_t)SEL_KERNEL_CS << 32) | ((word_t)SEL_TSS << 48));
    wrmsr(MSR_LSTAR, (word_t)syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* Spec §18.3: PAT index = the 3-bit VM attribute (PWT, PCD, PAT). PA5..7
 * keep the firmware's values. */
BOOT_CODE static void init_pat(void)
{
    uint64_t keep = rdmsr(MSR_PAT) & 0xffffff0000000000ull;
    wrmsr(MSR_PAT, keep | 0x0000000100070406ull); /* WB WT UC- UC WC */
}

BOOT_CODE static void init_control_registers(void)
{
    uint32_t a, b, c, d;
    word_t cr0, cr4;

    cpuid(7, 0, &a, &b, &c, &d);
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS);
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_FSGSBASE;
    if (b & BIT(7))
        cr4 |= CR4_SMEP;
    __asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
}

BOOT_CODE static void check_features(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(d & BIT(16)))
        kpanic("CPU lacks PAT (CPUID 1 EDX bit 16)");
    if (!(d & BIT(24)) || !(d & BIT(25)) || !(d & BIT(26)))
        kpanic("CPU lacks FXSR/SSE/SSE2");
    if (!(d & BIT(9)))
        kpanic("CPU has no local APIC");
}

BOOT_CODE void init_cpu(void)
{
    check_features();
    init_gdt();
    init_idt();
    init_control_registers();
    init_syscall_msrs();
    init_pat();
    fpu_init();
}
