/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's own memcpy, memmove, memset, memcmp and strlen: the routines gcc
 * may call from freestanding code and that Windows' ntdll exports (Wine's
 * DLLs import them from it). Only the PE build links this file; ntos and
 * the host tests have their own. The loops are plain byte loops, and the
 * optimize attribute keeps gcc from turning a loop back into a call of the
 * very function it implements.
 */
#include "crt.h"

#define CRT_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

CRT_NO_LIBCALL void *memcpy(void *dest, const void *src, size_t n)
{
    unsigned char *d = dest;
    const unsigned char *s = src;

    while (n--)
        *d++ = *s++;
    return dest;
}

CRT_NO_LIBCALL void *memmove(void *dest, const void *src, size_t n)
{
    unsigned char *d = dest;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dest;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dest;
}

CRT_NO_LIBCALL void *memset(void *dest, int c, size_t n)
{
    unsigned char *d = dest;

    while (n--)
        *d++ = (unsigned char)c;
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
