/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel-wide helpers: memory routines, printing to the debug serial port,
 * assertions and halting. Implemented in kernel/kernel/util.c and
 * kernel/kernel/printf.c.
 */
#pragma once

#include <types.h>
#include <stdarg.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strnlen(const char *s, size_t max);

/* Print to the debug port (kernel/arch/x86_64/serial.c); no-op if disabled. */
void kputchar(char c);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vkprintf(const char *fmt, va_list ap);

/* Stop the machine with a message (interrupts off, hlt forever). */
NORETURN void halt(void);
NORETURN void kpanic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define kassert(c)                                                                                 \
    do {                                                                                           \
        if (unlikely(!(c)))                                                                        \
            kpanic("assertion failed: %s at %s:%d in %s", #c, __FILE__, __LINE__, __func__);       \
    } while (0)

/* Debug-build diagnostics of user errors ("userError" in seL4 speak). */
#define user_error(...) ((void)0)
