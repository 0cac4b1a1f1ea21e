/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A thread's user registers as TCB invocations see them: the
 * seL4_UserContext order of spec §15 mapped onto our context_reg order
 * (arch/context.h), the sanitising rules every register written from user
 * data goes through (§12.2), and ReadRegisters, WriteRegisters and
 * CopyRegisters (§12.2). "RIP" is the restart point (REG_FAULTIP): reading
 * it gives the address a blocked system call will be re-issued from, and
 * writing it moves both the restart point and the next instruction. A
 * thread whose registers another thread changed leaves the kernel through
 * iretq so that every register, RSP included, is loaded (spec §4.2).
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/thread.h>
#include <object/tcb.h>
#include <object/objecttype.h>

/* spec §15: index i of seL4_UserContext; 0..17 "frame", 18..19 "integer". */
static const uint8_t userContextRegs[seL4_UserContextWords] = {
    REG_FAULTIP, REG_RSP, REG_RFLAGS, REG_RAX, REG_RBX,     REG_RCX,     REG_RDX,
    REG_RSI,     REG_RDI, REG_RBP,    REG_R8,  REG_R9,      REG_R10,     REG_R11,
    REG_R12,     REG_R13, REG_R14,    REG_R15, REG_FS_BASE, REG_GS_BASE,
};
#define N_FRAME_REGS 18 /* RIP .. R15 */

/* ReadRegisters / WriteRegisters / CopyRegisters flag bits (spec §12.2). */
#define FLAG_SUSPEND_SOURCE      BIT(0) /* Read, Copy */
#define FLAG_RESUME_TARGET_WRITE BIT(0)
#define FLAG_RESUME_TARGET_COPY  BIT(1)
#define FLAG_TRANSFER_FRAME      BIT(2)
#define FLAG_TRANSFER_INTEGER    BIT(3)

/* RFLAGS bits (spec §12.2 sanitising). */
#define RFLAGS_RESERVED1 BIT(1)
#define RFLAGS_RESERVED3 BIT(3)
#define RFLAGS_RESERVED5 BIT(5)
#define RFLAGS_TF        BIT(8)
#define RFLAGS_IF        BIT(9)
#define RFLAGS_KEPT      MASK(12)

/* Non-canonical = the hole between the two halves of the address space. */
static bool isCanonical(word_t v)
{
    return v <= 0x00007fffffffffffull || v >= 0xffff800000000000ull;
}

word_t sanitiseRegister(word_t ctxReg, word_t v)
{
    switch (ctxReg) {
    case REG_RFLAGS:
        v |= RFLAGS_IF | RFLAGS_RESERVED1;
        v &= ~(RFLAGS_TF | RFLAGS_RESERVED3 | RFLAGS_RESERVED5);
        return v & RFLAGS_KEPT;
    case REG_FAULTIP:
    case REG_NEXTIP:
    case REG_FS_BASE:
    case REG_GS_BASE:
        return isCanonical(v) ? v : 0;
    default:
        return v;
    }
}

word_t readUserContextReg(tcb_t *t, word_t abiIndex)
{
    kassert(abiIndex < seL4_UserContextWords);
    return getRegister(t, userContextRegs[abiIndex]);
}

void writeUserContextReg(tcb_t *t, word_t abiIndex, word_t value)
{
    kassert(abiIndex < seL4_UserContextWords);
    word_t reg = userContextRegs[abiIndex];
    value = sanitiseRegister(reg, value);
    setRegister(t, reg, value);
    if (reg == REG_FAULTIP)
        setRegister(t, REG_NEXTIP, value);
}

/*
 * After another thread changed t's registers: t continues at its restart
 * point, and (unless t is the caller, which is still inside its own
 * syscall) returns by iretq, which loads RSP, RCX and R11 as written.
 */
static void postModifyRegisters(tcb_t *t)
{
    setRegister(t, REG_NEXTIP, getRegister(t, REG_FAULTIP));
    if (t != ksCurThread)
        setRegister(t, REG_ERROR, 0);
}

/* --- ReadRegisters ------------------------------------------------------- */

/* spec §12.2: MR i = register i; the length is what could be written. */
static void invokeTCB_ReadRegisters(tcb_t *src, bool suspendSource, word_t n, bool call)
{
    tcb_t *thread = ksCurThread;

    if (suspendSource)
        suspend(src);
    if (call) {
        word_t *buffer = lookupIPCBuffer(true, thread);
        word_t len = 0;
        for (word_t i = 0; i < n && len == i; i++)
            len = setMR(thread, buffer, i, readUserContextReg(src, i));
        setRegister(thread, badgeRegister, 0);
        setRegister(thread, msgInfoRegister, msginfo_new(0, 0, 0, len));
    }
    setThreadState(thread, ThreadState_Running);
}

exception_t decodeReadRegisters(cap_t cap, word_t length, bool call, word_t *buffer)
{
    if (length < 2) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t flags = getMR(ksCurThread, buffer, 0);
    word_t n = getMR(ksCurThread, buffer, 1);
    if (n < 1 || n > seL4_UserContextWords) {
        current_syscall_error.type = seL4_RangeError;
        current_syscall_error.rangeErrorMin = 1;
        current_syscall_error.rangeErrorMax = seL4_UserContextWords;
        return EXCEPTION_SYSCALL_ERROR;
    }
    /* arch_flags (bits 15..8) mean nothing on x86 (spec §15). */
    tcb_t *src = cap_thread_get_tcb(cap);
    if (src == ksCurThread) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    invokeTCB_ReadRegisters(src, flags & FLAG_SUSPEND_SOURCE, n, call);
    return EXCEPTION_NONE;
}

/* --- WriteRegisters ------------------------------------------------------ */

/* MR 2 + i of the caller holds register i (spec §12.2). */
static void invokeTCB_WriteRegisters(tcb_t *dest, bool resumeTarget, word_t n, word_t *buffer)
{
    n = MIN(n, (word_t)seL4_UserContextWords);
    for (word_t i = 0; i < n; i++)
        writeUserContextReg(dest, i, getMR(ksCurThread, buffer, i + 2));
    postModifyRegisters(dest);
    if (resumeTarget)
        restart(dest);
    if (dest == ksCurThread)
        rescheduleRequired();
}

exception_t decodeWriteRegisters(cap_t cap, word_t length, word_t *buffer)
{
    if (length < 2) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t flags = getMR(ksCurThread, buffer, 0);
    word_t n = getMR(ksCurThread, buffer, 1);
    if (length - 2 < n) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    tcb_t *dest = cap_thread_get_tcb(cap);
    if (dest == ksCurThread) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    invokeTCB_WriteRegisters(dest, flags & FLAG_RESUME_TARGET_WRITE, n, buffer);
    return EXCEPTION_NONE;
}

/* --- CopyRegisters ------------------------------------------------------- */

static void copyUserContextRegs(tcb_t *dest, tcb_t *src, word_t first, word_t end)
{
    for (word_t i = first; i < end; i++)
        setRegister(dest, userContextRegs[i], getRegister(src, userContextRegs[i]));
}

/* The source's values were sanitised when they were set: copied as they are. */
static void invokeTCB_CopyRegisters(tcb_t *dest, tcb_t *src, word_t flags)
{
    if (flags & FLAG_SUSPEND_SOURCE)
        suspend(src);
    if (flags & FLAG_RESUME_TARGET_COPY)
        restart(dest);
    if (flags & FLAG_TRANSFER_FRAME)
        copyUserContextRegs(dest, src, 0, N_FRAME_REGS);
    if (flags & FLAG_TRANSFER_INTEGER)
        copyUserContextRegs(dest, src, N_FRAME_REGS, seL4_UserContextWords);
    if (flags & FLAG_TRANSFER_FRAME)
        setRegister(dest, REG_NEXTIP, getRegister(dest, REG_FAULTIP));
    if (dest != ksCurThread)
        setRegister(dest, REG_ERROR, 0);
    else
        rescheduleRequired();
}

exception_t decodeCopyRegisters(cap_t cap, word_t length, word_t *buffer)
{
    if (length < 1 || current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t flags = getMR(ksCurThread, buffer, 0);
    cap_t srcCap = current_extra_caps.excaprefs[0]->cap;
    if (cap_get_type(srcCap) != cap_thread_cap) {
        current_syscall_error.type = seL4_InvalidCapability;
        current_syscall_error.invalidCapNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    invokeTCB_CopyRegisters(cap_thread_get_tcb(cap), cap_thread_get_tcb(srcCap), flags);
    return EXCEPTION_NONE;
}
