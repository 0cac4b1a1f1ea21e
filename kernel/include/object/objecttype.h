/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generic per-cap-type operations and the invocation dispatcher.
 * kernel/object/objecttype.c (generic types) calls the Arch_* hooks in
 * kernel/arch/x86_64/object/objecttype.c for the x86 cap types.
 */
#pragma once

#include <structures.h>

typedef struct { exception_t status; cap_t cap; } deriveCap_ret_t;
typedef struct { cap_t remainder; cap_t cleanupInfo; } finaliseCap_ret_t;

/* Derivation for Copy/Mint/cap transfer (spec §7.5): null cap or an error. */
deriveCap_ret_t deriveCap(cte_t *slot, cap_t cap);
finaliseCap_ret_t finaliseCap(cap_t cap, bool final, bool exposed);
bool hasCancelSendRights(cap_t cap);
bool sameRegionAs(cap_t a, cap_t b);
bool sameObjectAs(cap_t a, cap_t b);
/* Badge / guard update (spec §7.3, §7.4); may return a null cap. */
cap_t updateCapData(bool preserve, word_t newData, cap_t cap);
/* AND the seL4_CapRights word into the cap (spec §7.1). */
cap_t maskCapRights(word_t rights, cap_t cap);
bool isCapRevocable(cap_t derivedCap, cap_t srcCap);
/* Object size in bits for Retype (spec §9); userSize = size_bits argument. */
word_t getObjectSize(word_t type, word_t userSize);
/* Initialise a new object at regionBase (already zeroed unless device) and
 * return a cap to it. */
cap_t createObject(word_t type, void *regionBase, word_t userSize, bool deviceMemory);
void createNewObjects(word_t type, cte_t *parent, cte_t *destCNode, word_t destOffset,
                      word_t destLength, void *regionBase, word_t userSize, bool deviceMemory);
/* Decode and perform an invocation on cap (in slot, named by capIndex). */
exception_t decodeInvocation(word_t invLabel, word_t length, cptr_t capIndex, cte_t *slot,
                             cap_t cap, bool block, bool call, word_t *buffer);

/* x86 hooks: kernel/arch/x86_64/object/objecttype.c */
bool Arch_isArchCap(cap_t cap);
deriveCap_ret_t Arch_deriveCap(cte_t *slot, cap_t cap);
cap_t Arch_updateCapData(bool preserve, word_t data, cap_t cap);
cap_t Arch_maskCapRights(word_t rights, cap_t cap);
finaliseCap_ret_t Arch_finaliseCap(cap_t cap, bool final);
bool Arch_sameRegionAs(cap_t a, cap_t b);
bool Arch_sameObjectAs(cap_t a, cap_t b);
word_t Arch_getObjectSize(word_t type);
bool Arch_isFrameType(word_t type);
cap_t Arch_createObject(word_t type, void *regionBase, word_t userSize, bool deviceMemory);
exception_t Arch_decodeInvocation(word_t invLabel, word_t length, cptr_t capIndex,
                                  cte_t *slot, cap_t cap, bool call, word_t *buffer);
/* Base address / size of the object a cap names (for sameRegionAs). */
word_t cap_get_capPtr(cap_t cap);
word_t cap_get_capSizeBits(cap_t cap);
