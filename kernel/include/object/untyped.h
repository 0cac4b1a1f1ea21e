/* SPDX-License-Identifier: BSD-2-Clause */
/* Untyped memory and Retype (spec §10). kernel/object/untyped.c. */
#pragma once

#include <structures.h>

exception_t decodeUntypedInvocation(word_t invLabel, word_t length, cte_t *slot, cap_t cap,
                                    bool call, word_t *buffer);
