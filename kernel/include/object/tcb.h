/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCB invocations (spec §12.2), the domain cap (§12.4), and the helpers
 * that reach a thread's registers, message registers and IPC buffer.
 * kernel/object/tcb.c (decode/invoke), tcb_registers.c (register access,
 * Read/Write/CopyRegisters), tcb_queue.c (ready and endpoint queues),
 * tcb_ipc.c (IPC buffer, MR transfer, error MRs, reply caps), domain.c.
 */
#pragma once

#include <structures.h>
#include <model/statedata.h>

exception_t decodeTCBInvocation(word_t invLabel, word_t length, cap_t cap, cte_t *slot, bool call,
                                word_t *buffer);
exception_t decodeDomainInvocation(word_t invLabel, word_t length, word_t *buffer);

/* Between the tcb*.c files only: the register invocations (tcb_registers.c),
 * called by decodeTCBInvocation with the invoked TCB cap. */
exception_t decodeReadRegisters(cap_t cap, word_t length, bool call, word_t *buffer);
exception_t decodeWriteRegisters(cap_t cap, word_t length, word_t *buffer);
exception_t decodeCopyRegisters(cap_t cap, word_t length, word_t *buffer);

/* The domain schedule (spec §12.4), domain.c: entry i = the domain in the
 * top 8 bits and the duration in ticks in the low 56; 0 = end marker.
 * Only the first DOM_SCHEDULE_LENGTH entries can be configured. */
#define DOM_SCHEDULE_LENGTH (CONFIG_NUM_DOMAIN_SCHEDULES - 1)
extern word_t ksDomSchedule[CONFIG_NUM_DOMAIN_SCHEDULES];
extern word_t ksDomScheduleStart;

/* Ready queues (per priority, bitmap-indexed) and endpoint queues. */
void tcbSchedEnqueue(tcb_t *tcb);
void tcbSchedAppend(tcb_t *tcb);
void tcbSchedDequeue(tcb_t *tcb);
tcb_queue_t tcbEPAppend(tcb_t *tcb, tcb_queue_t queue);
tcb_queue_t tcbEPDequeue(tcb_t *tcb, tcb_queue_t queue);

/* Reply caps (spec §13.4). */
void setupCallerCap(tcb_t *sender, tcb_t *receiver, bool canGrant);
void deleteCallerCap(tcb_t *receiver);

/* Message register transfer between two threads; returns the count moved. */
word_t copyMRs(tcb_t *sender, word_t *sendBuf, tcb_t *receiver, word_t *recvBuf, word_t n);
/* Fill the caller's MRs with current_syscall_error's details; returns length. */
word_t setMRs_syscall_error(tcb_t *thread, word_t *receiveIPCBuffer);
/* Register-order helpers between seL4_UserContext order (§15) and ours. */
word_t readUserContextReg(tcb_t *t, word_t abiIndex);
void writeUserContextReg(tcb_t *t, word_t abiIndex, word_t value); /* sanitises */
word_t sanitiseRegister(word_t ctxReg, word_t v);

/* MR registers: MR0..3 are R10, R8, R9, R15 (spec §4). */
static const uint8_t msgRegisters[seL4_FastMessageRegisters] = {REG_R10, REG_R8, REG_R9, REG_R15};
#define badgeRegister   REG_RDI
#define msgInfoRegister REG_RSI
#define capRegister     REG_RDI

static inline word_t getRegister(tcb_t *t, word_t reg)
{
    return t->ctx.regs[reg];
}
static inline void setRegister(tcb_t *t, word_t reg, word_t v)
{
    t->ctx.regs[reg] = v;
}

/* The kernel's view of a thread's IPC buffer: through the frame cap in the
 * tcbBuffer slot, never the user mapping (spec §5.2). NULL if invalid.
 * isReceiver: a read-only frame is not enough. */
word_t *lookupIPCBuffer(bool isReceiver, tcb_t *thread);

static inline word_t getMR(tcb_t *t, word_t *buffer, word_t i)
{
    if (i < seL4_FastMessageRegisters)
        return getRegister(t, msgRegisters[i]);
    return buffer ? buffer[i + 1] : 0;
}
/* Returns i + 1 if the MR could be written, else i (no buffer). */
static inline word_t setMR(tcb_t *t, word_t *buffer, word_t i, word_t v)
{
    if (i < seL4_FastMessageRegisters) {
        setRegister(t, msgRegisters[i], v);
        return i + 1;
    }
    if (buffer) {
        buffer[i + 1] = v;
        return i + 1;
    }
    return i;
}

/* MessageInfo word helpers (spec §5.1). */
static inline word_t msginfo_new(word_t label, word_t capsUnwrapped, word_t extraCaps,
                                 word_t length)
{
    return (label << 12) | ((capsUnwrapped & 7) << 9) | ((extraCaps & 3) << 7) | (length & 0x7f);
}
static inline word_t msginfo_label(word_t mi)
{
    return mi >> 12;
}
static inline word_t msginfo_capsUnwrapped(word_t mi)
{
    return (mi >> 9) & 7;
}
static inline word_t msginfo_extraCaps(word_t mi)
{
    return (mi >> 7) & 3;
}
static inline word_t msginfo_length(word_t mi)
{
    return mi & 0x7f;
}
