/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the IPC paths need from a TCB: the kernel's view of its IPC buffer
 * (through the frame cap in the tcbBuffer slot, spec §5.2), the transfer of
 * message registers between two threads (§5.2), the detail words of an
 * error reply (§8), and the one-shot reply cap a Call leaves in the
 * receiver's tcbCaller slot (§13.4). The reply cap is an MDB child of the
 * caller's master reply cap (tcbReply), so it always sits right after the
 * master in the MDB list: endpoint.c (cancelling a reply wait) and the
 * fastpath rely on that.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/thread.h>
#include <object/tcb.h>
#include <object/cnode.h>
#include <object/objecttype.h>

/* --- IPC buffer ------------------------------------------------------------ */

static word_t frameSizeBits(word_t size)
{
    switch (size) {
    case X86_SmallPage:
        return seL4_PageBits;
    case X86_LargePage:
        return seL4_LargePageBits;
    default:
        return seL4_HugePageBits;
    }
}

/*
 * spec §5.2: valid = a non-device frame cap, read-write (read-only is
 * enough for a sender). The buffer address was checked 1024-aligned when it
 * was set, so the 1024 bytes never leave the frame.
 */
word_t *lookupIPCBuffer(bool isReceiver, tcb_t *thread)
{
    cap_t cap = tcb_cte(thread, tcbBuffer)->cap;

    if (cap_get_type(cap) != cap_frame_cap || cap.frame.isDevice)
        return NULL;
    if (cap.frame.vmRights != VMReadWrite && (isReceiver || cap.frame.vmRights != VMReadOnly))
        return NULL;
    word_t offset = thread->ipcBuffer & MASK(frameSizeBits(cap.frame.size));
    return (word_t *)(cap.frame.basePtr + offset);
}

/* --- message registers -------------------------------------------------------- */

/* spec §5.2: registers always; MR4.. only when both buffers are valid. */
word_t copyMRs(tcb_t *sender, word_t *sendBuf, tcb_t *receiver, word_t *recvBuf, word_t n)
{
    word_t i;

    n = MIN(n, (word_t)seL4_MsgMaxLength);
    for (i = 0; i < n && i < seL4_FastMessageRegisters; i++)
        setRegister(receiver, msgRegisters[i], getRegister(sender, msgRegisters[i]));
    if (sendBuf == NULL || recvBuf == NULL)
        return i;
    for (; i < n; i++)
        recvBuf[i + 1] = sendBuf[i + 1];
    return i;
}

/*
 * spec §8 lookup failure description from MR offset on: the type word
 * (structures.h keeps the user-visible value, the internal tag + 1), then
 * bits left, and bits found or guard found then bits found. A word that
 * does not fit (MR >= 4, no buffer) shortens the message.
 */
static word_t setMRs_lookup_failure(tcb_t *receiver, word_t *buffer, const lookup_fault_t *lf,
                                    word_t offset)
{
    word_t len = setMR(receiver, buffer, offset, lf->type);

    switch (lf->type) {
    case lookup_fault_missing_capability:
        return setMR(receiver, buffer, offset + 1, lf->bitsLeft);
    case lookup_fault_depth_mismatch:
        setMR(receiver, buffer, offset + 1, lf->bitsLeft);
        return setMR(receiver, buffer, offset + 2, lf->bitsFound);
    case lookup_fault_guard_mismatch:
        setMR(receiver, buffer, offset + 1, lf->bitsLeft);
        setMR(receiver, buffer, offset + 2, lf->guardFound);
        return setMR(receiver, buffer, offset + 3, lf->bitsFound);
    default: /* invalid root: the type word only */
        return len;
    }
}

word_t setMRs_syscall_error(tcb_t *thread, word_t *receiveIPCBuffer)
{
    const syscall_error_t *e = &current_syscall_error;
    word_t *buf = receiveIPCBuffer;

    switch (e->type) {
    case seL4_InvalidArgument:
        return setMR(thread, buf, 0, e->invalidArgumentNumber);
    case seL4_InvalidCapability:
        return setMR(thread, buf, 0, e->invalidCapNumber);
    case seL4_RangeError:
        setMR(thread, buf, 0, e->rangeErrorMin);
        return setMR(thread, buf, 1, e->rangeErrorMax);
    case seL4_FailedLookup:
        setMR(thread, buf, 0, e->failedLookupWasSource ? 1 : 0);
        return setMRs_lookup_failure(thread, buf, &current_lookup_fault, 1);
    case seL4_NotEnoughMemory:
        return setMR(thread, buf, 0, e->memoryLeft);
    case seL4_IllegalOperation:
    case seL4_AlignmentError:
    case seL4_TruncatedMessage:
    case seL4_DeleteFirst:
    case seL4_RevokeFirst:
        return 0;
    default:
        kassert(!"setMRs_syscall_error: no such error"); /* a decode forgot .type */
        return 0;
    }
}

/* --- reply caps ------------------------------------------------------------------ */

/*
 * spec §13.4: the caller waits for the reply; the receiver's caller slot
 * gets a non-master reply cap naming it, which may grant caps back only if
 * canGrant (the Grant right of the cap the receiver received on). The slot
 * is empty: every endpoint Recv clears it first (deleteCallerCap).
 */
void setupCallerCap(tcb_t *sender, tcb_t *receiver, bool canGrant)
{
    cte_t *replySlot = tcb_cte(sender, tcbReply);
    cte_t *callerSlot = tcb_cte(receiver, tcbCaller);

    setThreadState(sender, ThreadState_BlockedOnReply);
    kassert(cap_get_type(replySlot->cap) == cap_reply_cap && replySlot->cap.reply.isMaster &&
            cap_reply_get_tcb(replySlot->cap) ==
                sender);                   /* made with the TCB, restored by restart */
    kassert(cap_is_null(callerSlot->cap)); /* one pending caller per thread */
    cteInsert(cap_reply_cap_new(canGrant, false, sender), replySlot, callerSlot);
}

/* A reply cap's finalisation cannot recurse: cteDeleteOne is enough. */
void deleteCallerCap(tcb_t *receiver)
{
    cteDeleteOne(tcb_cte(receiver, tcbCaller));
}
