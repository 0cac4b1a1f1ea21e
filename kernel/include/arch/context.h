/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A thread's saved user registers. The array is filled by the entry code in
 * kernel/arch/x86_64/entry.S: on an interrupt or exception the CPU pushes
 * SS..RIP (and the error code) straight into it through IST 1, which always
 * points just past the current thread's array; on `syscall` the entry code
 * points RSP there and pushes what it saves (RSP, RCX and R11 are not saved:
 * spec §4.2). The order is ours; the ABI order (seL4_UserContext) is mapped
 * in tcb.c.
 */
#pragma once

#ifdef __ASSEMBLER__
/* The indices entry.S needs; c_traps.c checks them against the enum. */
#define REG_ERROR   15
#define REG_NEXTIP  16
#define REG_RFLAGS  18
#define REG_FAULTIP 21
#define REG_FS_BASE 22
#define REG_GS_BASE 23
#else
enum context_reg {
    REG_RAX = 0,
    REG_RBX,
    REG_RCX,
    REG_RDX,
    REG_RSI,
    REG_RDI,
    REG_RBP,
    REG_R8,
    REG_R9,
    REG_R10,
    REG_R11,
    REG_R12,
    REG_R13,
    REG_R14,
    REG_R15,
    REG_ERROR,  /* CPU error code; -1 = entered by syscall (return with sysretq) */
    REG_NEXTIP, /* RIP of the iret frame / the instruction after `syscall` */
    REG_CS,
    REG_RFLAGS,
    REG_RSP,
    REG_SS,
    REG_HW_END,               /* IST1 points here: &ctx.regs[REG_HW_END] */
    REG_FAULTIP = REG_HW_END, /* restart point: the trapping instruction */
    REG_FS_BASE,
    REG_GS_BASE,
    N_CONTEXT_REGS
};

typedef struct user_context {
    unsigned long regs[N_CONTEXT_REGS];
} user_context_t;
#endif

/* RFLAGS of a context about to be loaded: only the arithmetic flags, TF,
 * DF, AC and ID survive (no IOPL, NT, RF, VM); IF and bit 1 are set. */
#define USER_RFLAGS_MASK 0x240dd5 /* CF PF AF ZF SF TF DF OF AC ID */
#define RFLAGS_USER_SET  0x202

/* Ring 3 selectors (spec §2) and ring 0 ones. */
#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_TSS       0x18
#define SEL_USER_CS   0x2b
#define SEL_USER_DS   0x33
