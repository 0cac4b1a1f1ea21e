/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CNodes and the capability derivation tree (MDB). kernel/object/cnode.c.
 */
#pragma once

#include <structures.h>

/* Labels CNodeRevoke..CNodeSaveCaller (spec §12.3). */
exception_t decodeCNodeInvocation(word_t invLabel, word_t length, cap_t cap, word_t *buffer);

/* Insert newCap into the empty destSlot as a child of srcSlot (MDB order,
 * revocable/firstBadged as seL4 rules: spec §7.4, §7.5). */
void cteInsert(cap_t newCap, cte_t *srcSlot, cte_t *destSlot);
/* Move a cap (keeping its MDB position) from srcSlot to the empty destSlot. */
void cteMove(cap_t newCap, cte_t *srcSlot, cte_t *destSlot);
void cteSwap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2);
/* Delete every child of slot's cap. May return EXCEPTION_PREEMPTED. */
exception_t cteRevoke(cte_t *slot);
/* Delete the cap in slot (finalising the object if it is the last cap). */
exception_t cteDelete(cte_t *slot, bool exposed);
/* Delete a cap whose finalisation cannot recurse (reply caps, IRQ ...). */
void cteDeleteOne(cte_t *slot);
/* New caps made by Retype / MakePool / IRQ control: child of parent. */
void insertNewCap(cte_t *parent, cte_t *slot, cap_t cap);
bool isMDBParentOf(cte_t *a, cte_t *b);
exception_t ensureNoChildren(cte_t *slot);
exception_t ensureEmptySlot(cte_t *slot);
/* True if no other cap in the MDB refers to the same object. */
bool isFinalCapability(cte_t *cte);
bool slotCapLongRunningDelete(cte_t *slot);
/* The receive slot named by the receiver's IPC buffer, or NULL (§13.7). */
cte_t *getReceiveSlots(tcb_t *thread, word_t *buffer);
/* Make the TCB's master reply cap in its tcbReply slot (at TCB creation). */
void setupReplyMaster(tcb_t *thread);
