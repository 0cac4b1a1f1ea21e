/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The generic half of every kernel entry (the arch half is
 * kernel/arch/x86_64/c_traps.c, which afterwards calls schedule(),
 * activateThread() and restore_user_context()): the eight API system calls
 * (spec §3, §13.1), invocations of kernel objects (§12), the debug system
 * calls (§21), UnknownSyscall, UserException and VM faults (§14), and the
 * delivery of hardware interrupts (§16). Nothing here switches threads; it
 * only sets ksSchedulerAction.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <api/syscall.h>
#include <kernel/capdl.h>
#include <kernel/cspace.h>
#include <kernel/faults.h>
#include <kernel/thread.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/objecttype.h>
#include <object/tcb.h>
#include <arch/hardware.h>
#include <arch/interrupt.h>
#include <arch/machine.h>

/* --- faults raised here ---------------------------------------------------------- */

static void setCapFault(cptr_t cptr, bool inReceivePhase)
{
    current_fault.type = seL4_Fault_CapFault;
    current_fault.w[0] = cptr;
    current_fault.w[1] = inReceivePhase;
    current_fault.w[2] = 0;
}

/* spec §13.1, §14.2: a Recv on something that is not a readable endpoint
 * or notification is a missing-capability fault with no bits left. */
static void recvCapFault(cptr_t cptr)
{
    current_lookup_fault = (lookup_fault_t){.type = lookup_fault_missing_capability};
    setCapFault(cptr, true);
    handleFault(ksCurThread);
}

/* --- invocations ------------------------------------------------------------------- */

static exception_t invocationFault(bool isBlocking)
{
    /* NBSend never faults (spec §12): the failed lookup is dropped. */
    if (isBlocking)
        handleFault(ksCurThread);
    return EXCEPTION_NONE;
}

/*
 * spec §8: a preempted invocation is restarted, never answered. The thread
 * stays Restart, so activateThread points it back at its `syscall`, and the
 * progress is in kernel objects (model/preemption.h). The interrupt that
 * caused the preemption is still pending in the LAPIC IRR: the kernel cannot
 * accept it itself (IF=0, and an interrupt taken in ring 0 would land on
 * IST 1, i.e. in the current thread's saved context), so it is taken at the
 * first instruction boundary after the return to user mode, before the
 * thread re-executes anything, and handled by the ordinary interrupt entry.
 */
static exception_t handlePreemptedInvocation(tcb_t *thread)
{
    kassert(thread->state.type == ThreadState_Restart);
    return EXCEPTION_PREEMPTED;
}

/* How an invocation runs: kernel/README.md; spec §12 for the error rules. */
static exception_t handleInvocation(bool isCall, bool isBlocking)
{
    tcb_t *thread = ksCurThread;
    word_t info = msginfo_clamped(getRegister(thread, msgInfoRegister));
    cptr_t cptr = getRegister(thread, capRegister);

    lookupCapAndSlot_ret_t lu = lookupCapAndSlot(thread, cptr);
    if (lu.status != EXCEPTION_NONE) {
        setCapFault(cptr, false);
        return invocationFault(isBlocking);
    }

    word_t *buffer = lookupIPCBuffer(false, thread);
    if (lookupExtraCaps(thread, buffer, info, &current_extra_caps) != EXCEPTION_NONE)
        return invocationFault(isBlocking);

    /* spec §5.2: without an IPC buffer only the register MRs exist. */
    word_t length = msginfo_length(info);
    if (buffer == NULL && length > seL4_FastMessageRegisters)
        length = seL4_FastMessageRegisters;

    setThreadState(thread, ThreadState_Restart);
    exception_t status = decodeInvocation(msginfo_label(info), length, cptr, lu.slot, lu.cap,
                                          isBlocking, isCall, buffer);
    if (status == EXCEPTION_PREEMPTED)
        return handlePreemptedInvocation(thread);
    if (status == EXCEPTION_SYSCALL_ERROR) {
        if (isCall)
            replyFromKernel_error(thread);
        /* Restart would re-issue the failed invocation: the error is the
         * result, and the thread continues after its syscall. */
        setThreadState(thread, ThreadState_Running);
        return EXCEPTION_NONE;
    }
    if (thread->state.type == ThreadState_Restart) {
        if (isCall)
            replyFromKernel_success_empty(thread);
        setThreadState(thread, ThreadState_Running);
    }
    return EXCEPTION_NONE;
}

/* --- receive, reply, yield ------------------------------------------------------------ */

static void handleRecv(bool isBlocking)
{
    tcb_t *thread = ksCurThread;
    cptr_t cptr = getRegister(thread, capRegister);

    lookupCap_ret_t lu = lookupCap(thread, cptr);
    if (lu.status != EXCEPTION_NONE) {
        setCapFault(cptr, true);
        handleFault(thread);
        return;
    }
    cap_t cap = lu.cap;
    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        if (!cap.endpoint.canReceive)
            break;
        /* spec §13.4: a pending reply cap does not survive a Recv. Upstream
         * drops it only for endpoint receives, so a notification Recv keeps
         * it. */
        deleteCallerCap(thread);
        receiveIPC(thread, cap, isBlocking);
        return;
    case cap_notification_cap: {
        tcb_t *bound = cap_notification_get_ptr(cap)->boundTCB;
        if (!cap.notification.canReceive || (bound && bound != thread))
            break;
        receiveSignal(thread, cap, isBlocking);
        return;
    }
    default:
        break;
    }
    recvCapFault(cptr);
}

/* spec §13.4: reply through the caller slot; an empty slot does nothing. */
static void handleReply(void)
{
    tcb_t *thread = ksCurThread;
    cte_t *callerSlot = tcb_cte(thread, tcbCaller);
    cap_t callerCap = callerSlot->cap;

    if (cap_get_type(callerCap) != cap_reply_cap)
        return;
    kassert(!callerCap.reply.isMaster);
    tcb_t *caller = cap_reply_get_tcb(callerCap);
    kassert(caller != thread);
    doReplyTransfer(thread, caller, callerSlot, callerCap.reply.canGrant);
}

/* spec §13.8: to the back of its own priority's queue. */
static void handleYield(void)
{
    tcbSchedDequeue(ksCurThread);
    tcbSchedAppend(ksCurThread);
    rescheduleRequired();
}

exception_t handleSyscall(sword_t syscall)
{
    exception_t ret = EXCEPTION_NONE;

    switch (syscall) {
    case seL4_SysSend:
        ret = handleInvocation(false, true);
        break;
    case seL4_SysNBSend:
        ret = handleInvocation(false, false);
        break;
    case seL4_SysCall:
        ret = handleInvocation(true, true);
        break;
    case seL4_SysRecv:
        handleRecv(true);
        break;
    case seL4_SysReply:
        handleReply();
        break;
    case seL4_SysReplyRecv:
        handleReply();
        handleRecv(true);
        break;
    case seL4_SysNBRecv:
        handleRecv(false);
        break;
    case seL4_SysYield:
        handleYield();
        break;
    default:
        return handleUnknownSyscall((word_t)syscall);
    }
    if (ret == EXCEPTION_PREEMPTED)
        ret = EXCEPTION_NONE; /* see handlePreemptedInvocation */
    return ret;
}

/* --- debug system calls (spec §21) ------------------------------------------------------ */

static const char *threadStateName(word_t st)
{
    static const char *const names[] = {"inactive",
                                        "running",
                                        "restart",
                                        "blocked on receive",
                                        "blocked on send",
                                        "blocked on reply",
                                        "blocked on notification",
                                        "idle"};
    return st < ARRAY_SIZE(names) ? names[st] : "?";
}

static void debugDumpScheduler(void)
{
    kprintf("%-24s %-16s %-24s %s\n", "name", "ip", "state", "prio");
    for (tcb_t *t = ksDebugTCBs; t; t = t->debugNext)
        kprintf("%-24.24s %016lx %-24s %lu%s\n", tcb_name(t),
                (unsigned long)getRegister(t, REG_FAULTIP), threadStateName(t->state.type),
                (unsigned long)t->priority, t == ksCurThread ? " (current)" : "");
}

/* spec §21: a capDL dump of what the caller reaches (kernel/kernel/capdl.c),
 * after the line naming the thread, as upstream's debug build prints it. */
static void debugSnapshot(void)
{
    kprintf("Debug snapshot syscall from user thread 0x%lx \"%s\"\n", (unsigned long)ksCurThread,
            tcb_name(ksCurThread));
    capdlDump(ksCurThread);
}

/* spec §21: bad arguments halt the kernel rather than fault, as upstream. */
static void debugNameThread(void)
{
    tcb_t *thread = ksCurThread;
    lookupCap_ret_t lu = lookupCap(thread, getRegister(thread, capRegister));

    if (lu.status != EXCEPTION_NONE || cap_get_type(lu.cap) != cap_thread_cap) {
        kprintf("DebugNameThread: cap is not a TCB, halting\n");
        halt();
    }
    word_t *buffer = lookupIPCBuffer(true, thread);
    if (buffer == NULL) {
        kprintf("DebugNameThread: no IPC buffer, halting\n");
        halt();
    }
    const char *name = (const char *)(buffer + 1);
    size_t len = strnlen(name, seL4_MaxNameThreadLength);
    if (len == seL4_MaxNameThreadLength) {
        kprintf("DebugNameThread: name too long, halting\n");
        halt();
    }
    /* Our name storage is shorter than upstream's: keep a prefix. */
    char *dst = tcb_name(cap_thread_get_tcb(lu.cap));
    len = MIN(len, (size_t)TCB_NAME_LEN - 1);
    memcpy(dst, name, len);
    dst[len] = '\0';
}

exception_t handleUnknownSyscall(word_t w)
{
    tcb_t *thread = ksCurThread;

    switch ((sword_t)w) {
    case seL4_SysDebugPutChar:
        serial_debug_putchar((uint8_t)getRegister(thread, capRegister));
        return EXCEPTION_NONE;
    case seL4_SysDebugDumpScheduler:
        debugDumpScheduler();
        return EXCEPTION_NONE;
    case seL4_SysDebugHalt:
        kprintf("Debug halt syscall from user thread \"%s\"\n", tcb_name(thread));
        halt();
    case seL4_SysDebugCapIdentify: {
        lookupCap_ret_t lu = lookupCap(thread, getRegister(thread, capRegister));
        setRegister(thread, capRegister,
                    lu.status == EXCEPTION_NONE ? (word_t)cap_get_type(lu.cap) : 0);
        return EXCEPTION_NONE;
    }
    case seL4_SysDebugSnapshot:
        debugSnapshot();
        return EXCEPTION_NONE;
    case seL4_SysDebugNameThread:
        debugNameThread();
        return EXCEPTION_NONE;
    default:
        break;
    }
    current_fault = (seL4_fault_t){.type = seL4_Fault_UnknownSyscall, .w = {w, 0, 0}};
    handleFault(thread);
    return EXCEPTION_NONE;
}

/* --- CPU exceptions ------------------------------------------------------------------ */

/* spec §14.5: number = vector, code = hardware error code (0 if none). */
exception_t handleUserLevelFault(word_t number, word_t code)
{
    current_fault = (seL4_fault_t){.type = seL4_Fault_UserException, .w = {number, code, 0}};
    handleFault(ksCurThread);
    return EXCEPTION_NONE;
}

/*
 * spec §14.3. Contract with the arch entry: the #PF error code is in the
 * faulting thread's ctx.regs[REG_ERROR] (where the CPU pushes it through
 * IST 1) and CR2 has not been disturbed since the fault, so both are read
 * here. An instruction fetch is reported if either the arch says so (type)
 * or the error code's bit 4 is set.
 */
exception_t handleVMFaultEvent(vm_fault_type_t type)
{
    tcb_t *thread = ksCurThread;
    word_t addr = read_cr2();
    word_t fsr = getRegister(thread, REG_ERROR) & 0xffffffffull;
    bool fetch = type == seL4_InstructionFault || (fsr & BIT(4));

    current_fault = (seL4_fault_t){.type = seL4_Fault_VMFault, .w = {addr, fsr, fetch}};
    handleFault(thread);
    return EXCEPTION_NONE;
}

/* --- interrupts ---------------------------------------------------------------------- */

/* spec §16.3: signal the handler's notification and mask the line until the
 * handler cap's Ack; the kernel timer drives the scheduler. */
void handleInterrupt(irq_t irq)
{
    if (irq == IRQ_TIMER) {
        timerTick();
        resetTimer();
    } else if (irq > MAX_IRQ) {
        kprintf("handleInterrupt: IRQ %lu out of range, ignored\n", (unsigned long)irq);
        return;
    } else if (intStateIRQTable[irq] == IRQSignal) {
        cap_t cap = intStateIRQNode[irq].cap;
        if (cap_get_type(cap) == cap_notification_cap && cap.notification.canSend)
            sendSignal(cap_notification_get_ptr(cap), cap.notification.badge);
        else
            kprintf("Undelivered IRQ: %lu\n", (unsigned long)irq);
        maskInterrupt(true, irq);
    } else {
        /* No handler cap: mask it so a stuck line cannot storm. */
        kprintf("Unhandled IRQ %lu (no handler), masked\n", (unsigned long)irq);
        maskInterrupt(true, irq);
    }
    ackInterrupt(irq);
}

exception_t handleInterruptEntry(void)
{
    irq_t irq = ksActiveIRQ;

    ksActiveIRQ = IRQ_INVALID;
    if (irq != IRQ_INVALID)
        handleInterrupt(irq);
    return EXCEPTION_NONE;
}
