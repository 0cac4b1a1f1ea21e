/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The freestanding C library subset the kernel needs (memset, memcpy,
 * memcmp, strnlen) and the ways to stop the machine (halt, kpanic). The
 * compiler may emit calls to the memory routines itself, so they keep their
 * standard names and semantics. No SSE: plain byte and word loops.
 */
#include <types.h>
#include <util.h>
#include <stdarg.h>

void *memset(void *s, int c, size_t n)
{
    uint8_t *p = s;
    /* Word stores for the bulk: zeroing kernel objects (every new frame,
     * every untyped reset) dominates boot and Retype. One rep stosq rather
     * than a loop of three instructions per word (DF is clear in the
     * kernel: FMASK on syscall, cld on traps). */
    if (IS_ALIGNED((word_t)p, 3) && IS_ALIGNED(n, 3)) {
        word_t w = (uint8_t)c * 0x0101010101010101ull;
        void *q = s;
        size_t words = n / 8;
        __asm__ volatile("rep stosq" : "+D"(q), "+c"(words) : "a"(w) : "memory");
        return s;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)c;
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    if (IS_ALIGNED((word_t)dp | (word_t)sp | n, 3)) {
        word_t *dq = d;
        const word_t *sq = s;
        for (size_t i = 0; i < n / 8; i++)
            dq[i] = sq[i];
        return d;
    }
    for (size_t i = 0; i < n; i++)
        dp[i] = sp[i];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

void halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

void kpanic(const char *fmt, ...)
{
    va_list ap;
    __asm__ volatile("cli");
    kprintf("\nKERNEL PANIC: ");
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    halt();
}
