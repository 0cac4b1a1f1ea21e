/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCB invocations (spec §11.2, §12.2) other than the register ones
 * (tcb_registers.c): Configure, SetSpace and SetIPCBuffer, which install
 * derived copies of the user's caps into the TCB's internal CNode
 * (tcbCTable, tcbVTable, tcbBuffer) as MDB children of the source slots;
 * the priority invocations, checked against an authority TCB's MCP;
 * Suspend and Resume; notification binding; the TLS base and the TCB
 * flags. Each decode function checks in the order upstream does (the order
 * decides which error a message with several faults gets), records the
 * error in current_syscall_error, and only then sets the caller Restart
 * and calls the invoke function, which cannot fail except by a preempted
 * deletion.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/thread.h>
#include <object/tcb.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/notification.h>
#include <arch/paging.h>

static word_t getSyscallArg(word_t i, word_t *buffer)
{
    return getMR(ksCurThread, buffer, i);
}

static exception_t syscallError(word_t type)
{
    current_syscall_error.type = type;
    return EXCEPTION_SYSCALL_ERROR;
}

/* --- installing caps into the TCB's CNode ------------------------------------ */

/* A new CSpace/VSpace root: the derived cap and the slot it came from. */
typedef struct tcb_root {
    cap_t cap;
    cte_t *srcSlot;
} tcb_root_t;

/*
 * Replace the cap in the TCB's slot `index` by newCap, a child of srcSlot.
 * Deleting the old cap may have deleted the source cap or the invoked TCB
 * cap (if they lived in the CNode that went away), so the new cap goes in
 * only if both are still in place.
 */
static exception_t installTCBCap(tcb_t *target, cap_t tCap, cte_t *tSlot, word_t index,
                                 tcb_root_t root)
{
    cte_t *dest = tcb_cte(target, index);
    exception_t status = cteDelete(dest, true);

    if (status != EXCEPTION_NONE)
        return status;
    if (root.srcSlot && sameObjectAs(root.cap, root.srcSlot->cap) && sameObjectAs(tCap, tSlot->cap))
        cteInsert(root.cap, root.srcSlot, dest);
    return EXCEPTION_NONE;
}

/* Fault endpoint, CSpace and VSpace (Configure, SetSpace). */
static exception_t invokeTCB_SetSpace(tcb_t *target, cap_t tCap, cte_t *tSlot, cptr_t faultEP,
                                      tcb_root_t cRoot, tcb_root_t vRoot)
{
    target->faultHandler = faultEP;
    exception_t status = installTCBCap(target, tCap, tSlot, tcbCTable, cRoot);
    if (status != EXCEPTION_NONE)
        return status;
    status = installTCBCap(target, tCap, tSlot, tcbVTable, vRoot);
    if (status != EXCEPTION_NONE)
        return status;
    /* The VSpace is loaded at a thread switch: make one happen. */
    if (target == ksCurThread)
        rescheduleRequired();
    return EXCEPTION_NONE;
}

/* bufferAddr 0 removes the buffer (buffer.srcSlot is then NULL). */
static exception_t invokeTCB_SetIPCBuffer(tcb_t *target, cap_t tCap, cte_t *tSlot,
                                          vptr_t bufferAddr, tcb_root_t buffer)
{
    exception_t status = cteDelete(tcb_cte(target, tcbBuffer), true);

    if (status != EXCEPTION_NONE)
        return status;
    target->ipcBuffer = bufferAddr;
    if (buffer.srcSlot && sameObjectAs(buffer.cap, buffer.srcSlot->cap) &&
        sameObjectAs(tCap, tSlot->cap))
        cteInsert(buffer.cap, buffer.srcSlot, tcb_cte(target, tcbBuffer));
    if (target == ksCurThread)
        rescheduleRequired();
    return EXCEPTION_NONE;
}

/* --- decoding the new roots and buffer ------------------------------------------ */

/*
 * spec §12.2 Configure/SetIPCBuffer: address 0 = no buffer (the cap is
 * ignored); otherwise a derived copy of a non-device frame cap
 * (IllegalOperation) and a 1024-aligned address (AlignmentError), as
 * checkValidIPCBuffer decides.
 */
static exception_t decodeBuffer(vptr_t bufferAddr, cte_t *slot, tcb_root_t *out)
{
    out->srcSlot = NULL;
    out->cap = cap_null_cap_new();
    if (bufferAddr == 0)
        return EXCEPTION_NONE;
    deriveCap_ret_t dc = deriveCap(slot, slot->cap);
    if (dc.status != EXCEPTION_NONE)
        return dc.status;
    exception_t status = checkValidIPCBuffer(bufferAddr, dc.cap);
    if (status != EXCEPTION_NONE)
        return status;
    out->cap = dc.cap;
    out->srcSlot = slot;
    return EXCEPTION_NONE;
}

/* Root data != 0 is applied first (spec §7.3); the derived copy must then
 * be a CNode (cspace) or a PML4 with an ASID (vspace): IllegalOperation. */
static exception_t decodeRoot(cte_t *slot, word_t data, bool isCSpace, tcb_root_t *out)
{
    cap_t cap = slot->cap;

    if (data != 0)
        cap = updateCapData(false, data, cap);
    deriveCap_ret_t dc = deriveCap(slot, cap);
    if (dc.status != EXCEPTION_NONE)
        return dc.status;
    bool valid = isCSpace ? cap_get_type(dc.cap) == cap_cnode_cap : isValidVTableRoot(dc.cap);
    if (!valid)
        return syscallError(seL4_IllegalOperation);
    out->cap = dc.cap;
    out->srcSlot = slot;
    return EXCEPTION_NONE;
}

/* Replacing a root whose deletion would finalise a CNode or TCB is refused
 * (upstream cannot do it inside one invocation either). */
static bool rootsBeingDeleted(tcb_t *target)
{
    return slotCapLongRunningDelete(tcb_cte(target, tcbCTable)) ||
           slotCapLongRunningDelete(tcb_cte(target, tcbVTable));
}

static exception_t decodeRoots(tcb_t *target, word_t cRootData, word_t vRootData, tcb_root_t *cRoot,
                               tcb_root_t *vRoot)
{
    if (rootsBeingDeleted(target))
        return syscallError(seL4_IllegalOperation);
    exception_t status = decodeRoot(current_extra_caps.excaprefs[0], cRootData, true, cRoot);
    if (status != EXCEPTION_NONE)
        return status;
    return decodeRoot(current_extra_caps.excaprefs[1], vRootData, false, vRoot);
}

/* --- Configure, SetSpace, SetIPCBuffer ----------------------------------------------- */

/* MRs: fault_ep, cspace data, vspace data, buffer; caps: cspace, vspace,
 * buffer frame. The buffer is checked before the roots, as upstream. */
static exception_t decodeTCBConfigure(cap_t cap, word_t length, cte_t *slot, word_t *buffer)
{
    cte_t **ex = current_extra_caps.excaprefs;
    tcb_root_t cRoot, vRoot, buf;
    tcb_t *target = cap_thread_get_tcb(cap);

    if (length < 4 || ex[0] == NULL || ex[1] == NULL || ex[2] == NULL)
        return syscallError(seL4_TruncatedMessage);
    cptr_t faultEP = getSyscallArg(0, buffer);
    word_t cRootData = getSyscallArg(1, buffer), vRootData = getSyscallArg(2, buffer);
    vptr_t bufferAddr = getSyscallArg(3, buffer);

    exception_t status = decodeBuffer(bufferAddr, ex[2], &buf);
    if (status != EXCEPTION_NONE)
        return status;
    status = decodeRoots(target, cRootData, vRootData, &cRoot, &vRoot);
    if (status != EXCEPTION_NONE)
        return status;

    setThreadState(ksCurThread, ThreadState_Restart);
    status = invokeTCB_SetSpace(target, cap, slot, faultEP, cRoot, vRoot);
    if (status != EXCEPTION_NONE)
        return status;
    return invokeTCB_SetIPCBuffer(target, cap, slot, bufferAddr, buf);
}

/* Non-MCS form (spec §12.2): fault_ep, cspace data, vspace data; 2 caps. */
static exception_t decodeSetSpace(cap_t cap, word_t length, cte_t *slot, word_t *buffer)
{
    cte_t **ex = current_extra_caps.excaprefs;
    tcb_root_t cRoot, vRoot;
    tcb_t *target = cap_thread_get_tcb(cap);

    if (length < 3 || ex[0] == NULL || ex[1] == NULL)
        return syscallError(seL4_TruncatedMessage);
    cptr_t faultEP = getSyscallArg(0, buffer);
    word_t cRootData = getSyscallArg(1, buffer), vRootData = getSyscallArg(2, buffer);

    exception_t status = decodeRoots(target, cRootData, vRootData, &cRoot, &vRoot);
    if (status != EXCEPTION_NONE)
        return status;
    setThreadState(ksCurThread, ThreadState_Restart);
    return invokeTCB_SetSpace(target, cap, slot, faultEP, cRoot, vRoot);
}

static exception_t decodeSetIPCBuffer(cap_t cap, word_t length, cte_t *slot, word_t *buffer)
{
    cte_t *bufferSlot = current_extra_caps.excaprefs[0];
    tcb_root_t buf;

    if (length < 1 || bufferSlot == NULL)
        return syscallError(seL4_TruncatedMessage);
    vptr_t bufferAddr = getSyscallArg(0, buffer);
    exception_t status = decodeBuffer(bufferAddr, bufferSlot, &buf);
    if (status != EXCEPTION_NONE)
        return status;
    setThreadState(ksCurThread, ThreadState_Restart);
    return invokeTCB_SetIPCBuffer(cap_thread_get_tcb(cap), cap, slot, bufferAddr, buf);
}

/* --- priorities ------------------------------------------------------------------------ */

/* spec §12.2: no higher than the authority's MCP: RangeError [0, mcp]. */
static exception_t checkPrio(word_t prio, tcb_t *auth)
{
    kassert(auth->mcp <= seL4_MaxPrio); /* MCPs are only ever set through this check */
    if (prio > auth->mcp) {
        current_syscall_error.type = seL4_RangeError;
        current_syscall_error.rangeErrorMin = seL4_MinPrio;
        current_syscall_error.rangeErrorMax = auth->mcp;
        return EXCEPTION_SYSCALL_ERROR;
    }
    return EXCEPTION_NONE;
}

/* cap0 = the authority TCB (InvalidCapability(1) otherwise). */
static exception_t decodeAuthority(word_t length, word_t nArgs, tcb_t **auth)
{
    cte_t *authSlot = current_extra_caps.excaprefs[0];

    if (length < nArgs || authSlot == NULL)
        return syscallError(seL4_TruncatedMessage);
    if (cap_get_type(authSlot->cap) != cap_thread_cap) {
        current_syscall_error.invalidCapNumber = 1;
        return syscallError(seL4_InvalidCapability);
    }
    *auth = cap_thread_get_tcb(authSlot->cap);
    return EXCEPTION_NONE;
}

/* SetPriority (setMCP false) and SetMCPriority (true): one argument. */
static exception_t decodeSetOnePriority(cap_t cap, word_t length, word_t *buffer, bool setMCP)
{
    tcb_t *auth;
    exception_t status = decodeAuthority(length, 1, &auth);

    if (status != EXCEPTION_NONE)
        return status;
    word_t prio = getSyscallArg(0, buffer);
    status = checkPrio(prio, auth);
    if (status != EXCEPTION_NONE)
        return status;
    setThreadState(ksCurThread, ThreadState_Restart);
    if (setMCP)
        setMCPriority(cap_thread_get_tcb(cap), prio);
    else
        setPriority(cap_thread_get_tcb(cap), prio);
    return EXCEPTION_NONE;
}

/* Non-MCS SetSchedParams: MR0 = mcp, MR1 = priority, both checked. */
static exception_t decodeSetSchedParams(cap_t cap, word_t length, word_t *buffer)
{
    tcb_t *auth;
    exception_t status = decodeAuthority(length, 2, &auth);

    if (status != EXCEPTION_NONE)
        return status;
    word_t mcp = getSyscallArg(0, buffer), prio = getSyscallArg(1, buffer);
    status = checkPrio(mcp, auth);
    if (status != EXCEPTION_NONE)
        return status;
    status = checkPrio(prio, auth);
    if (status != EXCEPTION_NONE)
        return status;
    setThreadState(ksCurThread, ThreadState_Restart);
    setMCPriority(cap_thread_get_tcb(cap), mcp);
    setPriority(cap_thread_get_tcb(cap), prio);
    return EXCEPTION_NONE;
}

/* --- notifications ---------------------------------------------------------------------- */

/* spec §12.2: a notification cap with Read; neither side bound; nobody
 * waiting on the notification. Everything else is IllegalOperation. */
static exception_t decodeBindNotification(cap_t cap)
{
    cte_t *ntfnSlot = current_extra_caps.excaprefs[0];
    tcb_t *tcb = cap_thread_get_tcb(cap);

    if (ntfnSlot == NULL)
        return syscallError(seL4_TruncatedMessage);
    if (tcb->boundNotification != NULL)
        return syscallError(seL4_IllegalOperation);
    cap_t ntfnCap = ntfnSlot->cap;
    if (cap_get_type(ntfnCap) != cap_notification_cap || !ntfnCap.notification.canReceive)
        return syscallError(seL4_IllegalOperation);
    notification_t *ntfn = cap_notification_get_ptr(ntfnCap);
    if (ntfn_head(ntfn) != NULL || ntfn->boundTCB != NULL)
        return syscallError(seL4_IllegalOperation);
    setThreadState(ksCurThread, ThreadState_Restart);
    bindNotification(tcb, ntfn);
    return EXCEPTION_NONE;
}

static exception_t decodeUnbindNotification(cap_t cap)
{
    tcb_t *tcb = cap_thread_get_tcb(cap);

    if (tcb->boundNotification == NULL)
        return syscallError(seL4_IllegalOperation);
    setThreadState(ksCurThread, ThreadState_Restart);
    unbindNotification(tcb);
    return EXCEPTION_NONE;
}

/* --- TLS base and flags ------------------------------------------------------------------- */

/*
 * spec §12.2: FS base, of any thread including the caller. A
 * non-canonical value becomes 0 as WriteRegisters makes it (§12.2): the
 * exit path loads it with wrfsbase, which would fault in the kernel.
 */
static exception_t decodeSetTLSBase(cap_t cap, word_t length, word_t *buffer)
{
    if (length < 1)
        return syscallError(seL4_TruncatedMessage);
    word_t base = getSyscallArg(0, buffer);
    tcb_t *tcb = cap_thread_get_tcb(cap);

    setThreadState(ksCurThread, ThreadState_Restart);
    setRegister(tcb, REG_FS_BASE, sanitiseRegister(REG_FS_BASE, base));
    if (tcb == ksCurThread)
        rescheduleRequired();
    return EXCEPTION_NONE;
}

/*
 * spec §12.2 (new in 16.0.0): flags = (flags & ~clear) | (set & MASK); a
 * Call gets the result in MR0 (length 1). The arch layer denies the FPU
 * to a thread with seL4_TCBFlag_fpuDisabled (arch/x86.h fpu_prepare_return).
 */
static exception_t decodeSetFlags(cap_t cap, word_t length, bool call, word_t *buffer)
{
    if (length < 2)
        return syscallError(seL4_TruncatedMessage);
    word_t clear = getSyscallArg(0, buffer), set = getSyscallArg(1, buffer);
    tcb_t *tcb = cap_thread_get_tcb(cap);

    setThreadState(ksCurThread, ThreadState_Restart);
    tcb->flags = (tcb->flags & ~clear) | (set & seL4_TCBFlag_MASK);
    if (call) {
        word_t *ipcBuffer = lookupIPCBuffer(true, ksCurThread);
        word_t len = setMR(ksCurThread, ipcBuffer, 0, tcb->flags);
        setRegister(ksCurThread, badgeRegister, 0);
        setRegister(ksCurThread, msgInfoRegister, msginfo_new(0, 0, 0, len));
    }
    setThreadState(ksCurThread, ThreadState_Running);
    return EXCEPTION_NONE;
}

/* --- dispatch ----------------------------------------------------------------------------------
 */

static exception_t decodeSuspendResume(cap_t cap, bool resume)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    if (resume)
        restart(cap_thread_get_tcb(cap));
    else
        suspend(cap_thread_get_tcb(cap));
    return EXCEPTION_NONE;
}

exception_t decodeTCBInvocation(word_t invLabel, word_t length, cap_t cap, cte_t *slot, bool call,
                                word_t *buffer)
{
    switch (invLabel) {
    case TCBReadRegisters:
        return decodeReadRegisters(cap, length, call, buffer);
    case TCBWriteRegisters:
        return decodeWriteRegisters(cap, length, buffer);
    case TCBCopyRegisters:
        return decodeCopyRegisters(cap, length, buffer);
    case TCBConfigure:
        return decodeTCBConfigure(cap, length, slot, buffer);
    case TCBSetPriority:
        return decodeSetOnePriority(cap, length, buffer, false);
    case TCBSetMCPriority:
        return decodeSetOnePriority(cap, length, buffer, true);
    case TCBSetSchedParams:
        return decodeSetSchedParams(cap, length, buffer);
    case TCBSetIPCBuffer:
        return decodeSetIPCBuffer(cap, length, slot, buffer);
    case TCBSetSpace:
        return decodeSetSpace(cap, length, slot, buffer);
    case TCBSuspend:
        return decodeSuspendResume(cap, false);
    case TCBResume:
        return decodeSuspendResume(cap, true);
    case TCBBindNotification:
        return decodeBindNotification(cap);
    case TCBUnbindNotification:
        return decodeUnbindNotification(cap);
    case TCBSetTLSBase:
        return decodeSetTLSBase(cap, length, buffer);
    case TCBSetFlags:
        return decodeSetFlags(cap, length, call, buffer);
    default:
        return syscallError(seL4_IllegalOperation);
    }
}
