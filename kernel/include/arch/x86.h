/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal interfaces of the x86_64 arch layer (kernel/arch/x86_64/) used by
 * the boot code (kernel/boot/): CPU tables and MSRs, the kernel window,
 * serial ports, ACPI tables, the interrupt controllers, the timer and the
 * FPU. Nothing here is ABI; numbers that are cite spec sections.
 */
#pragma once

#include <types.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/hardware.h>
#include <arch/machine.h>

/* --- cpu.c: GDT, TSS, IDT, syscall MSRs, CR0/CR4, PAT ------------------- */

#define GDT_ENTRIES     9   /* spec §2: null, KCS, KDS, TSS (2), UCS, UDS, FS, GS */
#define VECTOR_TRAP_MIN 158 /* int n from user: UnknownSyscall (spec §14.4) */
#define VECTOR_SPURIOUS 255
#define VECTOR_TIMER    (IRQ_INT_OFFSET + IRQ_TIMER) /* 157 */

#define MSR_EFER      0xc0000080
#define MSR_STAR      0xc0000081
#define MSR_LSTAR     0xc0000082
#define MSR_FMASK     0xc0000084
#define MSR_FS_BASE   0xc0000100
#define MSR_GS_BASE   0xc0000101
#define MSR_PAT       0x277
#define MSR_APIC_BASE 0x1b

/* Load the final GDT/TSS/IDT, program the syscall MSRs, CR0/CR4, the PAT and
 * initialise the FPU. Panics if a required CPU feature is missing. */
void init_cpu(void);
/* TSS.IST1: where the CPU pushes the iret frame on any interrupt. */
void tss_set_ist1(word_t top);

/* --- kernel_vspace.c ----------------------------------------------------- */

/* Build x64KSKernelPML4 (physical window, kernel image, uncached 3-4 GiB)
 * and switch CR3 to it. */
void init_kernel_vspace(void);

/* --- serial.c ------------------------------------------------------------ */

/* First COM port from the BIOS data area, else 0x3f8 (spec §19.3). */
uint16_t serial_default_port(void);
/* Initialise a 16550 at port (115200 8N1); 0 = none. */
void serial_init_port(uint16_t port);
/* Select the port used for all kernel output and DebugPutChar. */
void serial_set_debug_port(uint16_t port);

/* --- acpi.c -------------------------------------------------------------- */

/* The RSDP in the ACPI 2.0 layout (36 bytes; a 1.0 RSDP is zero-extended). */
typedef struct acpi_rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
} PACKED acpi_rsdp_t;
_Static_assert(sizeof(acpi_rsdp_t) == 36, "ACPI 2.0 RSDP");

#define MAX_IOAPICS 8
typedef struct ioapic_info {
    paddr_t paddr;
    uint32_t gsiBase;
    uint32_t pins; /* filled by ioapic_init from the version register */
} ioapic_info_t;

typedef struct acpi_info {
    acpi_rsdp_t rsdp;
    paddr_t lapicPaddr;
    word_t numCPUs;
    word_t numIOAPICs;
    ioapic_info_t ioapic[MAX_IOAPICS];
} acpi_info_t;
extern acpi_info_t x86KSacpi;

/* Find the RSDP (loaded copy if given, else the BIOS areas), validate it
 * and read the MADT into x86KSacpi. False (after a message) on failure. */
bool acpi_init(const acpi_rsdp_t *fromLoader);

/* --- apic.c / ioapic.c / timer.c ---------------------------------------- */

void pic_disable(void);
/* Enable the local APIC (xAPIC MMIO) with vector 255 as spurious. */
void lapic_init(void);
/* This CPU's local APIC ID (IOAPIC destinations). */
uint32_t lapic_id(void);
/* Mask every IOAPIC pin; count each IOAPIC's pins. */
void ioapic_init(void);
/* Measure the TSC against the PIT; MHz. */
uint32_t tsc_measure_mhz(void);
/* Calibrate the LAPIC timer against the PIT and start it periodic at
 * CONFIG_TIMER_TICK_MS on VECTOR_TIMER. */
void timer_init(void);
extern uint32_t x86KStscMhz;

/* --- fpu.c --------------------------------------------------------------- */

#define CR0_TS    BIT(3) /* task switched: x87/SSE instructions raise #NM */
#define VECTOR_NM 7      /* device not available */

/* The thread whose x87/SSE state is in the FPU registers (its fpuState
 * image is stale), or NULL. */
extern tcb_t *x86KSfpuOwner;

void fpu_init(void);
/* #NM from user mode by tcb, which is not the owner (so it ran with
 * CR0.TS set): make it the FPU owner, saving the previous owner's registers
 * and loading tcb's image. */
void fpu_take(tcb_t *tcb);
/* Forget tcb as FPU owner (it is being deleted): its registers are dropped. */
void fpu_release(tcb_t *tcb);

/* Before returning to tcb in user mode: unless it owns the FPU registers,
 * make its first x87/SSE instruction trap (fpu_take). Every kernel entry
 * clears CR0.TS (entry.S), so the kernel always runs with it clear: under
 * QEMU's TCG, TS is part of the translation flags, and a kernel running
 * with either value would keep two copies of its code in use. */
/* A thread with seL4_TCBFlag_fpuDisabled always runs with TS set, so its
 * x87/SSE instructions raise #NM, which becomes a UserException (spec §12.2). */
static FORCE_INLINE void fpu_prepare_return(tcb_t *tcb)
{
    if (tcb != x86KSfpuOwner || (tcb->flags & seL4_TCBFlag_fpuDisabled))
        write_cr0(read_cr0() | CR0_TS);
}

/* --- entry.S ------------------------------------------------------------- */

extern char kernel_stack_top[];
/* 256 IDT stubs, each 16 bytes apart (vector n at idt_stubs + 16 n). */
extern char idt_stubs[];
void syscall_entry(void);
/* The idle thread's loop: sti; hlt forever (ring 0). */
void idle_thread_loop(void);
/* Load the registers at regs (&ctx.regs[0]) and leave the kernel. */
NORETURN void x86_restore_context(word_t *regs);
/* The same for a context with REG_ERROR == -1, first making its RFLAGS and
 * NextIP safe in place as restore_user_context does (the rest must be). */
NORETURN void x86_sysret_context(word_t *regs);

/*
 * restore_user_context for the IPC fastpath (api/fastpath.h), which has
 * just made current a thread blocked in Recv or on a reply without a fault.
 * If its context is still marked "entered by syscall" (REG_ERROR == -1),
 * its RSP, CS and SS are as its last exit left them: REG_RSP is written
 * only by interrupt entries (canonical), WriteRegisters / CopyRegisters by
 * another thread (which mark the context for iretq) and fault replies (the
 * thread then runs again through schedule() and the full restore), and
 * nothing reads CS/SS on the sysretq path. So only what syscall_entry
 * stored, RFLAGS and NextIP, needs sanitise_user_context's checks, which
 * x86_sysret_context makes; FS/GS base were sanitised when written. Any
 * other context takes the full restore.
 */
static FORCE_INLINE NORETURN void restore_user_context_fast(void)
{
    tcb_t *t = ksCurThread;
    word_t *r = t->ctx.regs;

    if (unlikely(r[REG_ERROR] != (word_t)-1))
        restore_user_context();
    fpu_prepare_return(t);
    wrfsbase(r[REG_FS_BASE]);
    wrgsbase(r[REG_GS_BASE]);
    x86_sysret_context(r);
}
