/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C memory and string routines the run-time library relies on, declared
 * here because ntdll and ntos are built freestanding (no <string.h>). gcc
 * also emits calls to memcpy/memset/memmove/memcmp on its own. In ntdll.dll
 * they come from ntdll/crt/mem.c (and are exported, as Windows' ntdll
 * does); ntos and the host tests bring their own with the same contract.
 */
#pragma once

#include <stddef.h>

void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *dest, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
