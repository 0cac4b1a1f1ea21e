/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test doubles for the host test of the CSpace code: the kernel globals and
 * every function cspace.c, cnode.c, objecttype.c and untyped.c call in other
 * kernel parts (threads, IPC, notifications, IRQs, x86 objects). The doubles
 * only count calls or record their arguments, so the tests can check that
 * finalisation asked for the right clean-up; the x86 hooks treat every x86
 * cap as unknown (no x86 caps are made by these tests).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "shim.h"

tcb_t *ksCurThread;
word_t ksCurDomain;
tcb_t *ksDebugTCBs;
syscall_error_t current_syscall_error;
lookup_fault_t current_lookup_fault;
seL4_fault_t current_fault;
extra_caps_t current_extra_caps;
word_t ksWorkUnitsCompleted;

struct shim_calls shim;

void kpanic(const char *fmt, ...)
{
    va_list ap;

    printf("TEST-FAIL cspace.%s: kernel panic: ", shim_current_test);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    abort();
}

/* Preemption points (model/preemption.h) never find an interrupt here. */
bool isIRQPending(void)
{
    return false;
}

void setThreadState(tcb_t *tptr, word_t ts)
{
    tptr->state.type = ts;
}
void suspend(tcb_t *target)
{
    shim.suspend++;
    target->state.type = ThreadState_Inactive;
}
void initTCB(tcb_t *tcb)
{
    shim.initTCB++;
}
void Arch_prepareThreadDelete(tcb_t *tcb)
{
}
void doReplyTransfer(tcb_t *sender, tcb_t *receiver, cte_t *slot, bool grant)
{
    shim.replies++;
}

void sendIPC(bool blocking, bool do_call, word_t badge, bool canGrant, bool canGrantReply,
             tcb_t *thread, endpoint_t *epptr)
{
    shim.sendIPC++;
    shim.lastBadge = badge;
}
void (*shim_on_cancelAllIPC)(void);

void cancelAllIPC(endpoint_t *epptr)
{
    shim.cancelAllIPC++;
    if (shim_on_cancelAllIPC)
        shim_on_cancelAllIPC();
}
void cancelBadgedSends(endpoint_t *epptr, word_t badge)
{
    shim.cancelBadgedSends++;
    shim.lastBadge = badge;
}

void sendSignal(notification_t *ntfnPtr, word_t badge)
{
    shim.sendSignal++;
    shim.lastBadge = badge;
}
void unbindNotification(tcb_t *tcb)
{
    shim.unbindNotification++;
}
void unbindMaybeNotification(notification_t *ntfnPtr)
{
    shim.unbindMaybeNotification++;
}
void cancelAllSignals(notification_t *ntfnPtr)
{
    shim.cancelAllSignals++;
}

exception_t decodeTCBInvocation(word_t invLabel, word_t length, cap_t cap, cte_t *slot, bool call,
                                word_t *buffer)
{
    return EXCEPTION_NONE;
}
exception_t decodeDomainInvocation(word_t invLabel, word_t length, word_t *buffer)
{
    return EXCEPTION_NONE;
}
exception_t decodeIRQControlInvocation(word_t invLabel, word_t length, cte_t *srcSlot,
                                       word_t *buffer)
{
    return EXCEPTION_NONE;
}
exception_t decodeIRQHandlerInvocation(word_t invLabel, irq_t irq)
{
    return EXCEPTION_NONE;
}
void deletingIRQHandler(irq_t irq)
{
    shim.deletingIRQ++;
}
void deletedIRQHandler(irq_t irq)
{
    shim.deletedIRQ++;
}
void freeIOPortRange(uint16_t first, uint16_t last)
{
}

bool Arch_isArchCap(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
    case cap_pml4_cap:
    case cap_asid_control_cap:
    case cap_asid_pool_cap:
    case cap_io_port_cap:
    case cap_io_port_control_cap:
        return true;
    default:
        return false;
    }
}
deriveCap_ret_t Arch_deriveCap(cte_t *slot, cap_t cap)
{
    return (deriveCap_ret_t){EXCEPTION_NONE, cap};
}
cap_t Arch_updateCapData(bool preserve, word_t data, cap_t cap)
{
    return cap;
}
cap_t Arch_maskCapRights(word_t rights, cap_t cap)
{
    return cap;
}
finaliseCap_ret_t Arch_finaliseCap(cap_t cap, bool final)
{
    return (finaliseCap_ret_t){cap_null_cap_new(), cap_null_cap_new()};
}
bool Arch_sameRegionAs(cap_t a, cap_t b)
{
    return false;
}
bool Arch_sameObjectAs(cap_t a, cap_t b)
{
    return false;
}
word_t Arch_getObjectSize(word_t type)
{
    switch (type) {
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    default:
        return seL4_PageBits;
    }
}
bool Arch_isFrameType(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}
/* A recognisable stand-in for a frame cap: tests only look at the memory. */
cap_t Arch_createObject(word_t type, void *regionBase, word_t userSize, bool deviceMemory)
{
    cap_t c = cap_null_cap_new();
    c.frame.type = cap_frame_cap;
    c.frame.isDevice = deviceMemory;
    c.frame.basePtr = (word_t)regionBase;
    return c;
}
exception_t Arch_decodeInvocation(word_t invLabel, word_t length, cptr_t capIndex, cte_t *slot,
                                  cap_t cap, bool call, word_t *buffer)
{
    return EXCEPTION_NONE;
}
word_t cap_get_capPtr(cap_t cap)
{
    return cap_get_type(cap) == cap_frame_cap ? cap.frame.basePtr : 0;
}
word_t cap_get_capSizeBits(cap_t cap)
{
    return cap_get_type(cap) == cap_frame_cap ? seL4_PageBits : 0;
}
