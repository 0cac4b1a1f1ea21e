/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * I/O ports (spec §17): the IOPortControl cap issues IOPort caps for port
 * ranges (label 44), each port at most once system-wide, tracked in the
 * x86KSAllocatedIOPorts bitmap; IOPort caps perform in/out on behalf of
 * their holder (labels 45..50). A range is returned to the pool when the
 * last cap covering exactly that range is deleted (freeIOPortRange, called
 * from Arch_finaliseCap). The kernel reserves no port for itself.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/machine.h>
#include <arch/object.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/tcb.h>

#define PORT_MASK 0xffffu

static bool isPortAllocated(word_t port)
{
    return x86KSAllocatedIOPorts[port / 64] & BIT(port % 64);
}

static bool isIOPortRangeAllocated(word_t first, word_t last)
{
    for (word_t port = first; port <= last; port++)
        if (isPortAllocated(port))
            return true;
    return false;
}

static void setIOPortRange(word_t first, word_t last, bool allocated)
{
    for (word_t port = first; port <= last; port++) {
        if (allocated)
            x86KSAllocatedIOPorts[port / 64] |= BIT(port % 64);
        else
            x86KSAllocatedIOPorts[port / 64] &= ~BIT(port % 64);
    }
}

void freeIOPortRange(uint16_t first, uint16_t last)
{
    kassert(first <= last);
    setIOPortRange(first, last, false);
}

static void invokeX86PortControl(uint16_t first, uint16_t last, cte_t *destSlot, cte_t *controlSlot)
{
    setIOPortRange(first, last, true);
    cteInsert(cap_io_port_cap_new(first, last), controlSlot, destSlot);
}

exception_t decodeX86PortControlInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                           word_t *buffer)
{
    if (invLabel != X86IOPortControlIssue) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (length < 4 || current_extra_caps.excaprefs[0] == NULL) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t first = getMR(ksCurThread, buffer, 0) & PORT_MASK;
    word_t last = getMR(ksCurThread, buffer, 1) & PORT_MASK;
    word_t index = getMR(ksCurThread, buffer, 2);
    word_t depth = getMR(ksCurThread, buffer, 3);
    cap_t root = current_extra_caps.excaprefs[0]->cap;

    if (last < first) {
        current_syscall_error.type = seL4_InvalidArgument;
        current_syscall_error.invalidArgumentNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (isIOPortRangeAllocated(first, last)) {
        current_syscall_error.type = seL4_RevokeFirst;
        return EXCEPTION_SYSCALL_ERROR;
    }
    lookupSlot_ret_t lu = lookupTargetSlot(root, index, depth);
    if (lu.status != EXCEPTION_NONE)
        return lu.status;
    exception_t status = ensureEmptySlot(lu.slot);
    if (status != EXCEPTION_NONE)
        return status;

    setThreadState(ksCurThread, ThreadState_Restart);
    invokeX86PortControl(first, last, lu.slot, slot);
    return EXCEPTION_NONE;
}

/* The access [port, port + bytes - 1] must lie inside the cap's range. */
static exception_t ensurePortOperationAllowed(cap_t cap, word_t port, word_t bytes)
{
    if (port < cap.io_port.firstPort || port + bytes - 1 > cap.io_port.lastPort) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    return EXCEPTION_NONE;
}

static void invokeX86PortIn(word_t bytes, uint16_t port, bool call)
{
    word_t value = bytes == 1 ? in8(port) : bytes == 2 ? in16(port) : in32(port);
    replyOneWord(call, value);
}

static void invokeX86PortOut(word_t bytes, uint16_t port, word_t data)
{
    if (bytes == 1)
        out8(port, (uint8_t)data);
    else if (bytes == 2)
        out16(port, (uint16_t)data);
    else
        out32(port, (uint32_t)data);
}

static word_t portAccessBytes(word_t invLabel)
{
    switch (invLabel) {
    case X86IOPortIn8:
    case X86IOPortOut8:
        return 1;
    case X86IOPortIn16:
    case X86IOPortOut16:
        return 2;
    case X86IOPortIn32:
    case X86IOPortOut32:
        return 4;
    default:
        return 0;
    }
}

exception_t decodeX86PortInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                    bool call, word_t *buffer)
{
    word_t bytes = portAccessBytes(invLabel);
    bool isIn = invLabel == X86IOPortIn8 || invLabel == X86IOPortIn16 || invLabel == X86IOPortIn32;

    if (bytes == 0) {
        current_syscall_error.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (length < (isIn ? 1u : 2u)) {
        current_syscall_error.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    word_t port = getMR(ksCurThread, buffer, 0) & PORT_MASK;
    exception_t status = ensurePortOperationAllowed(cap, port, bytes);
    if (status != EXCEPTION_NONE)
        return status;

    setThreadState(ksCurThread, ThreadState_Restart);
    if (isIn)
        invokeX86PortIn(bytes, (uint16_t)port, call);
    else
        invokeX86PortOut(bytes, (uint16_t)port, getMR(ksCurThread, buffer, 1));
    return EXCEPTION_NONE;
}
