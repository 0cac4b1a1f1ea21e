/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What ntos needs of a C library (ntos/rtl/): formatted output into a
 * buffer and a few string routines. memcpy/memmove/memset/memcmp/strlen come
 * from ntdll/crt/mem.c and the NT run-time library from ntdll/rtl/, both
 * compiled into ntos (ntos/build.mk).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include "../../ntdll/rtl/rtlp.h"

/*
 * Conversions: %d %i %u %x %X %o %c %s %p %% with the l/ll/z length
 * modifiers, a width, '0' padding and '-' alignment, and %.Ns precision.
 * Returns the length the whole output would have; the buffer always ends in
 * a NUL when Size > 0.
 */
int vsnprintf(char *Buffer, size_t Size, const char *Format, va_list Args);
int snprintf(char *Buffer, size_t Size, const char *Format, ...)
    __attribute__((format(printf, 3, 4)));

int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy(char *Dst, const char *Src, size_t n);
/* ASCII case-insensitive comparison (archive names). */
int RtlpCompareAsciiNoCase(const char *a, const char *b, size_t n);
/* Copy with truncation; always NUL-terminates when Size > 0. */
char *RtlpCopyString(char *Dst, size_t Size, const char *Src);
