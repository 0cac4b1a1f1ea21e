/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capability lookup (spec §7.2). Implemented in kernel/kernel/cspace.c.
 * Every lookup failure fills current_lookup_fault and returns
 * EXCEPTION_LOOKUP_FAULT; the *ForCNodeOp variants also fill
 * current_syscall_error (FailedLookup / RangeError) and return
 * EXCEPTION_SYSCALL_ERROR.
 */
#pragma once

#include <structures.h>

typedef struct {
    exception_t status;
    cap_t cap;
} lookupCap_ret_t;
typedef struct {
    exception_t status;
    cap_t cap;
    cte_t *slot;
} lookupCapAndSlot_ret_t;
typedef struct {
    exception_t status;
    cte_t *slot;
} lookupSlot_ret_t;
typedef struct {
    exception_t status;
    cte_t *slot;
    word_t bitsRemaining;
} resolveAddressBits_ret_t;

/* Capability lookup from the thread's CSpace root with 64 bits (stops early
 * at a non-CNode cap, leftover bits ignored). Only the walk can fail: an
 * empty slot is found successfully and its null cap returned, as upstream
 * does; each user decides what a null cap means (invocation:
 * InvalidCapability(0) from decodeInvocation, spec §12; Recv or a fault
 * endpoint: missing-capability fault with 0 bits left, spec §13.1, §14.2). */
lookupCap_ret_t lookupCap(tcb_t *thread, cptr_t cPtr);
lookupCapAndSlot_ret_t lookupCapAndSlot(tcb_t *thread, cptr_t cPtr);
lookupSlot_ret_t lookupSlot(tcb_t *thread, cptr_t cPtr);

/* Slot addressing with an explicit root and depth (1..64, consumed exactly). */
lookupSlot_ret_t lookupSlotForCNodeOp(bool isSource, cap_t root, cptr_t capptr, word_t depth);
lookupSlot_ret_t lookupSourceSlot(cap_t root, cptr_t capptr, word_t depth);
lookupSlot_ret_t lookupTargetSlot(cap_t root, cptr_t capptr, word_t depth);
lookupSlot_ret_t lookupPivotSlot(cap_t root, cptr_t capptr, word_t depth);

/* The guard/radix walk itself. */
resolveAddressBits_ret_t resolveAddressBits(cap_t nodeCap, cptr_t capptr, word_t n_bits);
