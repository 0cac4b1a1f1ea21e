/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault delivery (spec §14): the lookup of a faulting thread's fault
 * endpoint and the blocking Call that carries the fault to it, the double
 * fault when there is no usable endpoint, the message layouts of each
 * fault type, and what a handler's reply does to the faulting thread.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/faults.h>
#include <kernel/thread.h>
#include <kernel/cspace.h>
#include <object/endpoint.h>
#include <object/objecttype.h>
#include <object/tcb.h>

/* UnknownSyscall message order (spec §14.4), as context registers. */
static const uint8_t syscallMessage[seL4_UnknownSyscall_Syscall] = {
    REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP,     REG_R8,  REG_R9,
    REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15, REG_FAULTIP, REG_RSP, REG_RFLAGS,
};
/* UserException message prefix (spec §14.5). */
static const uint8_t exceptionMessage[seL4_UserException_Number] = {
    REG_FAULTIP,
    REG_RSP,
    REG_RFLAGS,
};

/*
 * Write MR i of a fault message. Unlike tcb.h's setMR, a word that cannot
 * be written (MR >= 4 and no receive buffer) makes the message length
 * seL4_FastMessageRegisters: the fault length is then cut to what the
 * handler can see, as upstream does.
 */
static word_t faultSetMR(tcb_t *receiver, word_t *buffer, word_t i, word_t v)
{
    if (i < seL4_FastMessageRegisters) {
        setRegister(receiver, msgRegisters[i], v);
        return i + 1;
    }
    if (buffer) {
        buffer[i + 1] = v;
        return i + 1;
    }
    return seL4_FastMessageRegisters;
}

static void copyFaultRegs(tcb_t *sender, tcb_t *receiver, word_t *buffer, const uint8_t *regs,
                          word_t n)
{
    for (word_t i = 0; i < n; i++)
        faultSetMR(receiver, buffer, i, getRegister(sender, regs[i]));
}

/* spec §8 lookup failure description, starting at MR offset. */
static word_t setMRs_lookup_failure(tcb_t *receiver, word_t *buffer, const lookup_fault_t *lf,
                                    word_t offset)
{
    word_t i = faultSetMR(receiver, buffer, offset, lf->type);

    switch (lf->type) {
    case lookup_fault_missing_capability:
        return faultSetMR(receiver, buffer, offset + 1, lf->bitsLeft);
    case lookup_fault_depth_mismatch:
        faultSetMR(receiver, buffer, offset + 1, lf->bitsLeft);
        return faultSetMR(receiver, buffer, offset + 2, lf->bitsFound);
    case lookup_fault_guard_mismatch:
        faultSetMR(receiver, buffer, offset + 1, lf->bitsLeft);
        faultSetMR(receiver, buffer, offset + 2, lf->guardFound);
        return faultSetMR(receiver, buffer, offset + 3, lf->bitsFound);
    default: /* invalid root: no further words */
        return i;
    }
}

word_t setMRs_fault(tcb_t *sender, tcb_t *receiver, word_t *receiveIPCBuffer)
{
    const seL4_fault_t *f = &sender->fault;
    word_t *buf = receiveIPCBuffer;

    switch (f->type) {
    case seL4_Fault_CapFault:
        faultSetMR(receiver, buf, seL4_CapFault_IP, getRegister(sender, REG_FAULTIP));
        faultSetMR(receiver, buf, seL4_CapFault_Addr, f->w[0]);
        faultSetMR(receiver, buf, seL4_CapFault_InRecvPhase, f->w[1]);
        return setMRs_lookup_failure(receiver, buf, &sender->lookupFailure,
                                     seL4_CapFault_LookupFailureType);
    case seL4_Fault_UnknownSyscall:
        copyFaultRegs(sender, receiver, buf, syscallMessage, ARRAY_SIZE(syscallMessage));
        return faultSetMR(receiver, buf, seL4_UnknownSyscall_Syscall, f->w[0]);
    case seL4_Fault_UserException:
        copyFaultRegs(sender, receiver, buf, exceptionMessage, ARRAY_SIZE(exceptionMessage));
        faultSetMR(receiver, buf, seL4_UserException_Number, f->w[0]);
        return faultSetMR(receiver, buf, seL4_UserException_Code, f->w[1]);
    case seL4_Fault_VMFault:
        faultSetMR(receiver, buf, seL4_VMFault_IP, getRegister(sender, REG_FAULTIP));
        faultSetMR(receiver, buf, seL4_VMFault_Addr, f->w[0]);
        faultSetMR(receiver, buf, seL4_VMFault_PrefetchFault, f->w[2]);
        return faultSetMR(receiver, buf, seL4_VMFault_FSR, f->w[1]);
    default:
        kpanic("setMRs_fault: fault type %lu", (unsigned long)f->type);
    }
}

/* Reply words written back into the faulting thread's registers, sanitised
 * as WriteRegisters does (spec §14.4, §14.5). */
static void copyFaultReplyRegs(tcb_t *sender, tcb_t *receiver, const uint8_t *regs, word_t length)
{
    word_t *sendBuf = NULL;

    if (length > seL4_FastMessageRegisters)
        sendBuf = lookupIPCBuffer(false, sender);
    for (word_t i = 0; i < length; i++) {
        word_t v;
        if (i < seL4_FastMessageRegisters)
            v = getRegister(sender, msgRegisters[i]);
        else if (sendBuf)
            v = sendBuf[i + 1];
        else
            break;
        setRegister(receiver, regs[i], sanitiseRegister(regs[i], v));
    }
}

/* The reply's label decides for UnknownSyscall and UserException: 0
 * restarts, anything else leaves the thread Inactive. CapFault and VMFault
 * replies always restart and their MRs are ignored. */
bool handleFaultReply(tcb_t *receiver, tcb_t *sender)
{
    word_t info = msginfo_clamped(getRegister(sender, msgInfoRegister));
    word_t label = msginfo_label(info), length = msginfo_length(info);

    switch (receiver->fault.type) {
    case seL4_Fault_UnknownSyscall:
        copyFaultReplyRegs(sender, receiver, syscallMessage,
                           MIN(length, ARRAY_SIZE(syscallMessage)));
        return label == 0;
    case seL4_Fault_UserException:
        copyFaultReplyRegs(sender, receiver, exceptionMessage,
                           MIN(length, ARRAY_SIZE(exceptionMessage)));
        return label == 0;
    case seL4_Fault_CapFault:
    case seL4_Fault_VMFault:
        return true;
    default:
        kpanic("handleFaultReply: fault type %lu", (unsigned long)receiver->fault.type);
    }
}

static const char *faultName(word_t type)
{
    switch (type) {
    case seL4_Fault_CapFault:
        return "cap fault";
    case seL4_Fault_UnknownSyscall:
        return "unknown syscall";
    case seL4_Fault_UserException:
        return "user exception";
    case seL4_Fault_VMFault:
        return "VM fault";
    default:
        return "fault";
    }
}

/* spec §14.6: nothing is sent; the thread stops. */
static void handleDoubleFault(tcb_t *tptr, cptr_t handlerCPtr)
{
    const seL4_fault_t *f = &tptr->fault;

    kprintf("Caught %s (%lx %lx %lx) in thread \"%s\" at %lx with no usable fault endpoint "
            "(cptr %lx); thread stopped\n",
            faultName(f->type), (unsigned long)f->w[0], (unsigned long)f->w[1],
            (unsigned long)f->w[2], tcb_name(tptr), (unsigned long)getRegister(tptr, REG_FAULTIP),
            (unsigned long)handlerCPtr);
    tptr->fault.type = seL4_Fault_NullFault;
    setThreadState(tptr, ThreadState_Inactive);
}

/*
 * spec §14.1: the fault endpoint CPtr is looked up in the faulting thread's
 * CSpace; it must be an endpoint cap with Write and Grant or GrantReply.
 * The fault goes out as a blocking Call with the cap's badge, always with
 * a reply cap. The fault to send is current_fault (copied into tptr->fault
 * here); for a CapFault, current_lookup_fault is saved before the handler
 * lookup can overwrite it.
 */
void handleFault(tcb_t *tptr)
{
    cptr_t handlerCPtr = tptr->faultHandler;

    tptr->fault = current_fault;
    if (current_fault.type == seL4_Fault_CapFault)
        tptr->lookupFailure = current_lookup_fault;

    lookupCap_ret_t lu = lookupCap(tptr, handlerCPtr);
    cap_t h = lu.cap;
    if (lu.status != EXCEPTION_NONE || cap_get_type(h) != cap_endpoint_cap || !h.endpoint.canSend ||
        !(h.endpoint.canGrant || h.endpoint.canGrantReply)) {
        handleDoubleFault(tptr, handlerCPtr);
        return;
    }
    sendIPC(true, true, h.endpoint.badge, h.endpoint.canGrant, true, tptr, cap_endpoint_get_ptr(h));
}
