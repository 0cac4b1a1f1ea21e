/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86 object invocations: paging structures, frames, ASIDs (spec §18) and
 * IO ports (§17). kernel/arch/x86_64/object/{vspace,asid,ioport}.c.
 */
#pragma once

#include <structures.h>
#include <arch/paging.h>

exception_t decodeX86MMUInvocation(word_t invLabel, word_t length, cptr_t cptr, cte_t *slot,
                                   cap_t cap, bool call, word_t *buffer);
exception_t decodeX86PortControlInvocation(word_t invLabel, word_t length, cte_t *slot,
                                           cap_t cap, word_t *buffer);
exception_t decodeX86PortInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                    bool call, word_t *buffer);
/* Finalisation of the last cap to a paging object / ASID pool / IO port. */
void unmapPage(word_t size, word_t asid, vptr_t vaddr, word_t pptr);
void unmapPageTable(word_t asid, vptr_t vaddr, pt_t *pt);
void unmapPageDirectory(word_t asid, vptr_t vaddr, pd_t *pd);
void unmapPDPT(word_t asid, vptr_t vaddr, pdpt_t *pdpt);
void deleteASIDPool(word_t asid_base, struct asid_pool *pool);
void deleteASID(word_t asid, pml4_t *vspace);
void freeIOPortRange(uint16_t first, uint16_t last);
/* pml4 for an ASID, or NULL. */
pml4_t *findVSpaceForASID(word_t asid);
