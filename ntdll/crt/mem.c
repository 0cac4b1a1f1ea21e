/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's own memcpy, memmove, memset, memcmp and strlen: the routines gcc
 * may call from freestanding code and that Windows' ntdll exports (Wine's
 * DLLs import them from it). ntos links the same file (ntos/build.mk); the
 * host tests use their C library's. Copies and fills use the string
 * instructions; the optimize attribute keeps gcc from turning a loop back
 * into a call of the very function it implements.
 */
#include "crt.h"

#define CRT_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* Forward copies and fills move eight bytes a step with the string
 * instructions (the x64 ABIs guarantee DF clear on entry), then the tail. */
static inline void CrtCopyForward(unsigned char *d, const unsigned char *s, size_t n)
{
    size_t q = n >> 3, r = n & 7;

    __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(r) : : "memory");
}

CRT_NO_LIBCALL void *memcpy(void *dest, const void *src, size_t n)
{
    CrtCopyForward(dest, src, n);
    return dest;
}

CRT_NO_LIBCALL void *memmove(void *dest, const void *src, size_t n)
{
    unsigned char *d = dest;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dest;
    if (d < s || d >= s + n) {
        CrtCopyForward(d, s, n);
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dest;
}

CRT_NO_LIBCALL void *memset(void *dest, int c, size_t n)
{
    unsigned char *d = dest;
    unsigned long long v = 0x0101010101010101ull * (unsigned char)c;
    size_t q = n >> 3, r = n & 7;

    __asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(r) : "a"(v) : "memory");
    return dest;
}

CRT_NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x < *y ? -1 : 1;
    }
    return 0;
}

CRT_NO_LIBCALL size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}
