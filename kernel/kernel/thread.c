/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads: their states and the transitions that suspend, restart and
 * activate them (spec §12.2), the transfer of a message between two threads
 * (registers, IPC buffer words and capabilities, spec §5.2, §13.3, §13.7),
 * replies (§13.4, faults §14), and the scheduler: the pending scheduler
 * action, the choice of the next thread from the ready-queue bitmap
 * (§13.2), time slices and priorities. The ready and endpoint queues
 * themselves are object/tcb.c's; the entry code calls schedule() and
 * activateThread() once per kernel exit.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/thread.h>
#include <kernel/faults.h>
#include <kernel/cspace.h>
#include <object/tcb.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/endpoint.h>
#include <arch/hardware.h>

/* --- thread states ------------------------------------------------------------ */

void setThreadState(tcb_t *tptr, word_t ts)
{
    tptr->state.type = ts;
    scheduleTCB(tptr);
}

/* The current thread just stopped being runnable while the scheduler meant
 * to resume it: something else has to be chosen. */
void scheduleTCB(tcb_t *tptr)
{
    if (tptr == ksCurThread && ksSchedulerAction == SchedulerAction_ResumeCurrentThread &&
        !isRunnable(tptr))
        rescheduleRequired();
}

static bool isStopped(const tcb_t *t)
{
    return t->state.type == ThreadState_Inactive || isBlocked(t);
}

void suspend(tcb_t *target)
{
    cancelIPC(target);
    /* A Running thread's restart point may be stale (it was last set at a
     * syscall or fault, not at the interrupt that preempted it); make it the
     * point where the thread will continue, so a later Resume (which goes
     * through Restart) does not re-execute an old system call. */
    if (target->state.type == ThreadState_Running)
        setRegister(target, REG_FAULTIP, getRegister(target, REG_NEXTIP));
    setThreadState(target, ThreadState_Inactive);
    tcbSchedDequeue(target);
}

/* spec §12.2 Resume: a stopped thread re-executes from its restart point
 * (a blocked system call is issued again); a runnable one is untouched. */
void restart(tcb_t *target)
{
    if (!isStopped(target))
        return;
    cancelIPC(target);
    if (cap_is_null(tcb_cte(target, tcbReply)->cap))
        setupReplyMaster(target);
    setThreadState(target, ThreadState_Restart);
    tcbSchedEnqueue(target);
    possibleSwitchTo(target);
}

void doNBRecvFailedTransfer(tcb_t *thread)
{
    /* spec §13.1: a failed poll writes only the badge register. */
    setRegister(thread, badgeRegister, 0);
}

/* --- message transfer ---------------------------------------------------------- */

exception_t lookupExtraCaps(tcb_t *thread, word_t *buffer, word_t info, extra_caps_t *caps)
{
    word_t n = buffer ? msginfo_extraCaps(info) : 0;
    word_t i;

    for (i = 0; i < n; i++) {
        cptr_t cptr = buffer[IPCBUF_CAPS_OR_BADGES + i];
        lookupSlot_ret_t lu = lookupSlot(thread, cptr);
        if (lu.status != EXCEPTION_NONE) {
            current_fault.type = seL4_Fault_CapFault;
            current_fault.w[0] = cptr;
            current_fault.w[1] = 0;
            return lu.status;
        }
        caps->excaprefs[i] = lu.slot;
    }
    for (; i < seL4_MsgMaxExtraCaps; i++)
        caps->excaprefs[i] = NULL;
    return EXCEPTION_NONE;
}

/*
 * spec §13.7: caps naming the endpoint the message travels through are
 * unwrapped to their badge; otherwise at most one cap is derived into the
 * receiver's receive slot, and the first cap that cannot be placed ends
 * the transfer. Returns the new MessageInfo with extraCaps/capsUnwrapped.
 */
static word_t transferCaps(word_t info, const extra_caps_t *caps, endpoint_t *endpoint,
                           tcb_t *receiver, word_t *receiveBuffer)
{
    word_t unwrapped = 0, i;

    if (caps->excaprefs[0] == NULL || receiveBuffer == NULL)
        return msginfo_new(msginfo_label(info), 0, 0, msginfo_length(info));

    cte_t *destSlot = getReceiveSlots(receiver, receiveBuffer);
    for (i = 0; i < seL4_MsgMaxExtraCaps && caps->excaprefs[i]; i++) {
        cte_t *slot = caps->excaprefs[i];
        cap_t cap = slot->cap;

        if (cap_get_type(cap) == cap_endpoint_cap && endpoint != NULL &&
            cap_endpoint_get_ptr(cap) == endpoint) {
            receiveBuffer[IPCBUF_CAPS_OR_BADGES + i] = cap.endpoint.badge;
            unwrapped |= BIT(i);
            continue;
        }
        if (destSlot == NULL)
            break;
        deriveCap_ret_t dc = deriveCap(slot, cap);
        if (dc.status != EXCEPTION_NONE || cap_is_null(dc.cap))
            break;
        cteInsert(dc.cap, slot, destSlot);
        destSlot = NULL;
    }
    return msginfo_new(msginfo_label(info), unwrapped, i, msginfo_length(info));
}

static void doNormalTransfer(tcb_t *sender, word_t *sendBuffer, endpoint_t *endpoint, word_t badge,
                             bool canGrant, tcb_t *receiver, word_t *receiveBuffer)
{
    word_t info = msginfo_clamped(getRegister(sender, msgInfoRegister));
    extra_caps_t caps = {{NULL}};

    /* A failed lookup of a sent cap drops the caps, not the message. */
    if (canGrant && lookupExtraCaps(sender, sendBuffer, info, &caps) != EXCEPTION_NONE)
        caps.excaprefs[0] = NULL;

    word_t sent = copyMRs(sender, sendBuffer, receiver, receiveBuffer, msginfo_length(info));
    info = transferCaps(info, &caps, endpoint, receiver, receiveBuffer);
    info = msginfo_new(msginfo_label(info), msginfo_capsUnwrapped(info), msginfo_extraCaps(info),
                       sent);
    setRegister(receiver, msgInfoRegister, info);
    setRegister(receiver, badgeRegister, badge);
}

static void doFaultTransfer(word_t badge, tcb_t *sender, tcb_t *receiver, word_t *receiveBuffer)
{
    word_t sent = setMRs_fault(sender, receiver, receiveBuffer);

    setRegister(receiver, msgInfoRegister, msginfo_new(sender->fault.type, 0, 0, sent));
    setRegister(receiver, badgeRegister, badge);
}

void doIPCTransfer(tcb_t *sender, endpoint_t *endpoint, word_t badge, bool grant, tcb_t *receiver)
{
    word_t *receiveBuffer = lookupIPCBuffer(true, receiver);

    if (sender->fault.type == seL4_Fault_NullFault) {
        word_t *sendBuffer = lookupIPCBuffer(false, sender);
        doNormalTransfer(sender, sendBuffer, endpoint, badge, grant, receiver, receiveBuffer);
    } else {
        doFaultTransfer(badge, sender, receiver, receiveBuffer);
    }
}

/*
 * slot holds the reply cap naming receiver (in sender's caller slot or
 * wherever SaveCaller put it); it is consumed. A reply to a fault goes
 * through handleFaultReply instead of being delivered (spec §14).
 */
void doReplyTransfer(tcb_t *sender, tcb_t *receiver, cte_t *slot, bool grant)
{
    kassert(receiver->state.type == ThreadState_BlockedOnReply);

    if (receiver->fault.type == seL4_Fault_NullFault) {
        doIPCTransfer(sender, NULL, 0, grant, receiver);
        cteDeleteOne(slot);
        setThreadState(receiver, ThreadState_Running);
        possibleSwitchTo(receiver);
        return;
    }
    cteDeleteOne(slot);
    bool restartIt = handleFaultReply(receiver, sender);
    receiver->fault.type = seL4_Fault_NullFault;
    if (restartIt) {
        setThreadState(receiver, ThreadState_Restart);
        possibleSwitchTo(receiver);
    } else {
        setThreadState(receiver, ThreadState_Inactive);
    }
}

/*
 * After a message from sender reached receiver: a Call (or a fault, which
 * is sent as a Call) waits for the reply if its endpoint cap allowed a
 * reply cap, and is made Inactive otherwise (spec §13.4). replyCanGrant is
 * the Grant right of the cap the receiver received on.
 */
void completeCall(tcb_t *sender, tcb_t *receiver, bool canGrant, bool canGrantReply,
                  bool replyCanGrant)
{
    if ((canGrant || canGrantReply) && sender != receiver)
        setupCallerCap(sender, receiver, replyCanGrant);
    else
        setThreadState(sender, ThreadState_Inactive);
}

/* --- scheduler ------------------------------------------------------------------ */

void rescheduleRequired(void)
{
    tcb_t *action = ksSchedulerAction;

    if (action != SchedulerAction_ResumeCurrentThread && action != SchedulerAction_ChooseNewThread)
        tcbSchedEnqueue(action);
    ksSchedulerAction = SchedulerAction_ChooseNewThread;
}

/* spec §13.2: a woken thread becomes the candidate; schedule() decides. */
void possibleSwitchTo(tcb_t *target)
{
    if (target->domain != ksCurDomain) {
        tcbSchedEnqueue(target);
    } else if (ksSchedulerAction != SchedulerAction_ResumeCurrentThread) {
        rescheduleRequired();
        tcbSchedEnqueue(target);
    } else {
        ksSchedulerAction = target;
    }
}

/* Arch_switchToThread loads the thread's VSpace (setVMRoot), IST1 and the
 * context pointer. */
void switchToThread(tcb_t *thread)
{
    Arch_switchToThread(thread);
    tcbSchedDequeue(thread);
    ksCurThread = thread;
}

/* The idle thread's address space is Arch_switchToIdleThread's business:
 * the idle TCB need not be a full TCB object with a VTable slot. */
void switchToIdleThread(void)
{
    Arch_switchToIdleThread();
    ksCurThread = ksIdleThread;
}

static void chooseThread(void)
{
    if (ksReadyQueuesL1Bitmap != 0) {
        tcb_t *thread = ksReadyQueues[getHighestPrio()].head;
        kassert(thread != NULL && isRunnable(thread));
        switchToThread(thread);
    } else {
        switchToIdleThread();
    }
}

/* Decide between the current thread and the candidate of possibleSwitchTo
 * (spec §13.2): a lower-priority candidate runs only if nothing better is
 * ready; on a tie with a runnable current thread the current one keeps the
 * CPU and the candidate queues behind its peers. */
static void switchToCandidate(tcb_t *candidate, bool wasRunnable)
{
    bool fastfail = ksCurThread == ksIdleThread || candidate->priority < ksCurThread->priority;

    if (fastfail && !isHighestPrio(candidate->priority)) {
        tcbSchedEnqueue(candidate);
        chooseThread();
    } else if (wasRunnable && candidate->priority == ksCurThread->priority) {
        tcbSchedAppend(candidate);
        chooseThread();
    } else {
        switchToThread(candidate);
    }
}

void schedule(void)
{
    tcb_t *action = ksSchedulerAction;

    kassert(ksCurThread != NULL);
    if (action != SchedulerAction_ResumeCurrentThread) {
        bool wasRunnable = isRunnable(ksCurThread);
        if (wasRunnable)
            tcbSchedEnqueue(ksCurThread);
        if (action == SchedulerAction_ChooseNewThread)
            chooseThread();
        else
            switchToCandidate(action, wasRunnable);
    }
    ksSchedulerAction = SchedulerAction_ResumeCurrentThread;
}

/* Restart means "re-execute from the restart point" (the syscall or the
 * faulting instruction). */
void activateThread(void)
{
    tcb_t *t = ksCurThread;

    switch (t->state.type) {
    case ThreadState_Running:
    case ThreadState_IdleThreadState:
        break;
    case ThreadState_Restart:
        setRegister(t, REG_NEXTIP, getRegister(t, REG_FAULTIP));
        setThreadState(t, ThreadState_Running);
        break;
    default:
        kpanic("activateThread: current thread in state %lu", (unsigned long)t->state.type);
    }
}

/* Round robin within a priority: CONFIG_TIME_SLICE ticks, then to the back. */
void timerTick(void)
{
    tcb_t *t = ksCurThread;

    if (t->state.type != ThreadState_Running)
        return;
    if (t->timeSlice > 1) {
        t->timeSlice--;
        return;
    }
    t->timeSlice = CONFIG_TIME_SLICE;
    tcbSchedAppend(t);
    rescheduleRequired();
}

void setPriority(tcb_t *tptr, prio_t prio)
{
    tcbSchedDequeue(tptr);
    tptr->priority = prio;
    if (!isRunnable(tptr))
        return;
    if (tptr == ksCurThread)
        rescheduleRequired();
    else
        possibleSwitchTo(tptr);
}

void setMCPriority(tcb_t *tptr, prio_t mcp)
{
    tptr->mcp = mcp;
}

void setDomain(tcb_t *tptr, dom_t dom)
{
    tcbSchedDequeue(tptr);
    tptr->domain = dom;
    if (isRunnable(tptr))
        tcbSchedEnqueue(tptr);
    if (tptr == ksCurThread)
        rescheduleRequired();
}

/*
 * A new TCB's registers: all zero except RFLAGS (IF and the reserved bit 1)
 * and the ring 3 selectors; REG_ERROR = 0 (not -1) so its first entry to
 * user mode is an iretq that loads every register (spec §20.1). The debug
 * list (ksDebugTCBs) is maintained by whoever creates the TCB (Retype in
 * objecttype.c, the boot code), not here. The domain set by the creator is
 * kept.
 */
void initTCB(tcb_t *tcb)
{
    memset(&tcb->ctx, 0, sizeof(tcb->ctx));
    tcb->ctx.regs[REG_RFLAGS] = 0x202;
    tcb->ctx.regs[REG_CS] = SEL_USER_CS;
    tcb->ctx.regs[REG_SS] = SEL_USER_DS;
    tcb->ctx.regs[REG_ERROR] = 0;
    tcb->state.type = ThreadState_Inactive;
    tcb->priority = 0;
    tcb->mcp = 0;
    tcb->timeSlice = CONFIG_TIME_SLICE;
    tcb->fault.type = seL4_Fault_NullFault;
    Arch_initFpuState(tcb);
}
