/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C side of kernel entry and exit (entry.S saves the registers): turns
 * a `syscall`, an interrupt, a CPU exception or an `int n` into the generic
 * kernel events of api/syscall.h, then schedules and returns to user mode.
 * Also owns the context switch hooks (CR3, IST1, FPU) and the last checks
 * on a context before it is loaded, so that no register value a user can
 * write makes sysretq/iretq fault in ring 0.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <api/syscall.h>
#include <api/fastpath.h>
#include <kernel/thread.h>
#include <arch/machine.h>
#include <arch/paging.h>
#include <arch/hardware.h>
#include <arch/interrupt.h>
#include <arch/x86.h>

_Static_assert(REG_ERROR == 15 && REG_NEXTIP == 16 && REG_RFLAGS == 18 && REG_FAULTIP == 21 &&
                   REG_FS_BASE == 22 && REG_GS_BASE == 23,
               "entry.S hard-codes these context indices");

#define INSTR_SYSCALL_LEN    2 /* `syscall` and `int n` are both 2 bytes */
#define PF_ERROR_INSTRUCTION BIT(4)

static word_t *cur_regs(void)
{
    return ksCurThread->ctx.regs;
}

/* FS/GS base are per-thread state with FSGSBASE=inst (spec §6): user code
 * may have changed them with wrfsbase/wrgsbase since it last entered. */
static void save_user_bases(void)
{
    word_t *r = cur_regs();
    r[REG_FS_BASE] = rdfsbase();
    r[REG_GS_BASE] = rdgsbase();
}

static NORETURN void kernel_trap_panic(word_t vector, word_t code)
{
    word_t *r = cur_regs();
    kprintf("\nException %lu (error code 0x%lx) in kernel mode\n", vector, code);
    kprintf("RIP %lx CS %lx RFLAGS %lx RSP %lx SS %lx CR2 %lx\n", r[REG_NEXTIP], r[REG_CS],
            r[REG_RFLAGS], r[REG_RSP], r[REG_SS], read_cr2());
    kprintf("RAX %lx RBX %lx RCX %lx RDX %lx\n", r[REG_RAX], r[REG_RBX], r[REG_RCX], r[REG_RDX]);
    kprintf("RSI %lx RDI %lx RBP %lx R8 %lx\n", r[REG_RSI], r[REG_RDI], r[REG_RBP], r[REG_R8]);
    kprintf("R9 %lx R10 %lx R11 %lx R12 %lx\n", r[REG_R9], r[REG_R10], r[REG_R11], r[REG_R12]);
    kprintf("R13 %lx R14 %lx R15 %lx\n", r[REG_R13], r[REG_R14], r[REG_R15]);
    kpanic("unexpected kernel exception");
}

static bool entered_from_kernel(void)
{
    return (cur_regs()[REG_CS] & 3) == 0;
}

static NORETURN void return_to_user(void)
{
    schedule();
    activateThread();
    restore_user_context();
}

/* syscall_entry has saved FS/GS base and set REG_FAULTIP to the address of
 * the `syscall`, and tried the fastpath (api/fastpath.h). */
void c_handle_syscall(void)
{
    handleSyscall((sword_t)cur_regs()[REG_RDX]);
    return_to_user();
}

void c_handle_interrupt(word_t vector)
{
    word_t *r = cur_regs();
    if (ksCurThread != ksIdleThread)
        save_user_bases();
    r[REG_FAULTIP] = r[REG_NEXTIP];
    if (vector == VECTOR_SPURIOUS)
        restore_user_context(); /* spec §16.1: ignored, no EOI */
    ksActiveIRQ = vector - IRQ_INT_OFFSET;
    handleInterruptEntry(); /* masks/acknowledges as spec §16.3 says */
    return_to_user();
}

/* Spec §14.4: the number is computed as a signed 32-bit int, then widened. */
static word_t int_n_syscall_number(word_t vector, word_t rax)
{
    return (word_t)(sword_t)(int32_t)(uint32_t)((vector << 24) | (rax & 0xffffff));
}

void c_handle_exception(word_t vector, word_t errorCode)
{
    word_t *r = cur_regs();
    if (entered_from_kernel())
        kernel_trap_panic(vector, errorCode);
    save_user_bases();
    if (vector == VECTOR_NM && ksCurThread != x86KSfpuOwner &&
        !(ksCurThread->flags & seL4_TCBFlag_fpuDisabled)) {
        /* Lazy FPU switch (fpu.c): not a fault; re-execute the instruction. */
        r[REG_FAULTIP] = r[REG_NEXTIP];
        fpu_take(ksCurThread);
        restore_user_context();
    }
    if (vector >= VECTOR_TRAP_MIN) {
        r[REG_FAULTIP] = r[REG_NEXTIP] - INSTR_SYSCALL_LEN;
        handleUnknownSyscall(int_n_syscall_number(vector, r[REG_RAX]));
    } else if (vector == 14) {
        /* handleVMFaultEvent reads CR2 and the error code in REG_ERROR. */
        r[REG_FAULTIP] = r[REG_NEXTIP];
        handleVMFaultEvent(errorCode & PF_ERROR_INSTRUCTION ? seL4_InstructionFault
                                                            : seL4_DataFault);
    } else {
        r[REG_FAULTIP] = r[REG_NEXTIP];
        handleUserLevelFault(vector, errorCode);
    }
    return_to_user();
}

static bool is_canonical(word_t v)
{
    return v < BIT(47) || v >= ~MASK(47);
}

/*
 * Make the context safe to load: user selectors (sysretq leaves SS = 0x23,
 * see cpu.c, and iretq needs a real data segment), no IOPL/NT/VM flags, and
 * canonical RIP/RSP (sysretq with a non-canonical RCX faults in ring 0).
 */
static void sanitise_user_context(word_t *r)
{
    r[REG_CS] = SEL_USER_CS;
    r[REG_SS] = SEL_USER_DS;
    r[REG_RFLAGS] = (r[REG_RFLAGS] & USER_RFLAGS_MASK) | RFLAGS_USER_SET;
    if (!is_canonical(r[REG_NEXTIP]))
        r[REG_NEXTIP] = 0;
    if (!is_canonical(r[REG_RSP]))
        r[REG_RSP] = 0;
}

void restore_user_context(void)
{
    tcb_t *t = ksCurThread;
    word_t *r = t->ctx.regs;
    kassert(ksCurContextTop == &r[REG_HW_END]);
    if (t != ksIdleThread) {
        sanitise_user_context(r);
        fpu_prepare_return(t);
        wrfsbase(r[REG_FS_BASE]);
        wrgsbase(r[REG_GS_BASE]);
    }
    x86_restore_context(r);
}

void Arch_switchToThread(tcb_t *tcb)
{
    setVMRoot(tcb);
    ksCurContextTop = &tcb->ctx.regs[REG_HW_END];
    tss_set_ist1((word_t)ksCurContextTop);
}

/* The idle thread runs on the kernel's own PML4 so that the VSpace of the
 * thread that ran last may be deleted meanwhile. */
void Arch_switchToIdleThread(void)
{
    word_t kernelRoot = addr_to_paddr(&x64KSKernelPML4);
    if ((read_cr3() & PTE_ADDR_MASK) != kernelRoot)
        write_cr3(kernelRoot);
    ksCurContextTop = &ksIdleThread->ctx.regs[REG_HW_END];
    tss_set_ist1((word_t)ksCurContextTop);
}
