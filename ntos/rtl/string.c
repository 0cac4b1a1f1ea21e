/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C string routines ntos uses beyond those of ntdll/crt/mem.c, and the
 * current-directory hook the NT path code (ntdll/rtl/pathname.c) requires of
 * whoever links it: ntos has no current directory, so it is the system
 * drive's root.
 */
#include "rtl.h"

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; n--, a++, b++) {
        if (*a != *b || *a == '\0')
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

static char RtlpAsciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int RtlpCompareAsciiNoCase(const char *a, const char *b, size_t n)
{
    for (; n > 0; n--, a++, b++) {
        char x = RtlpAsciiLower(*a), y = RtlpAsciiLower(*b);
        if (x != y || x == '\0')
            return (unsigned char)x - (unsigned char)y;
    }
    return 0;
}

char *RtlpCopyString(char *Dst, size_t Size, const char *Src)
{
    size_t i = 0;

    if (Size == 0)
        return Dst;
    for (; i + 1 < Size && Src[i]; i++)
        Dst[i] = Src[i];
    Dst[i] = '\0';
    return Dst;
}

VOID RtlpQueryCurrentDirectory(PUNICODE_STRING CurrentDirectory)
{
    static WCHAR Root[] = u"C:\\";

    CurrentDirectory->Buffer = Root;
    CurrentDirectory->Length = sizeof(Root) - sizeof(WCHAR);
    CurrentDirectory->MaximumLength = sizeof(Root);
}

char *strncpy(char *Dst, const char *Src, size_t n)
{
    size_t i = 0;

    for (; i < n && Src[i]; i++)
        Dst[i] = Src[i];
    for (; i < n; i++)
        Dst[i] = '\0';
    return Dst;
}
