/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C string, character and number routines Windows' ntdll exports and
 * Wine's DLLs import from it (spec/wine-ntdll-imports.txt): the str* and
 * wcs* families (wide characters are 16-bit WCHARs, as in the Microsoft
 * ABI), the case-insensitive _stricmp/_wcsicmp forms, memchr, strtol and
 * friends, and the C-locale character classes. Case mapping of wide
 * characters uses the rtl's tables (RtlUpcaseUnicodeChar); narrow ones are
 * ASCII only, like ntdll's. Number parsing clamps on overflow (ntdll has no
 * errno).
 */
#include <stdint.h>
#include "crt.h"

typedef uint16_t CRTP_WCHAR;

/* The rtl's Unicode case mapping (ntdll/rtl/nls.c). */
CRTP_WCHAR RtlUpcaseUnicodeChar(CRTP_WCHAR Source);
CRTP_WCHAR RtlDowncaseUnicodeChar(CRTP_WCHAR Source);

int isalpha(int c);
int isdigit(int c);
int isalnum(int c);
int islower(int c);
int isupper(int c);
int isspace(int c);
int isxdigit(int c);
int isprint(int c);
int tolower(int c);
int toupper(int c);
CRTP_WCHAR towupper(CRTP_WCHAR c);
CRTP_WCHAR towlower(CRTP_WCHAR c);
void *memchr(const void *s, int c, size_t n);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int _stricmp(const char *a, const char *b);
int _strnicmp(const char *a, const char *b, size_t n);
char *strcpy(char *d, const char *s);
char *strncpy(char *d, const char *s, size_t n);
char *strcat(char *d, const char *s);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strspn(const char *s, const char *set);
size_t strcspn(const char *s, const char *set);
char *strpbrk(const char *s, const char *set);
char *strstr(const char *s, const char *find);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
size_t wcslen(const CRTP_WCHAR *s);
size_t wcsnlen(const CRTP_WCHAR *s, size_t n);
int wcscmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b);
int wcsncmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b, size_t n);
int _wcsicmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b);
int _wcsnicmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b, size_t n);
CRTP_WCHAR *wcscpy(CRTP_WCHAR *d, const CRTP_WCHAR *s);
CRTP_WCHAR *wcscat(CRTP_WCHAR *d, const CRTP_WCHAR *s);
CRTP_WCHAR *wcschr(const CRTP_WCHAR *s, CRTP_WCHAR c);
CRTP_WCHAR *wcsrchr(const CRTP_WCHAR *s, CRTP_WCHAR c);
size_t wcsspn(const CRTP_WCHAR *s, const CRTP_WCHAR *set);
size_t wcscspn(const CRTP_WCHAR *s, const CRTP_WCHAR *set);
CRTP_WCHAR *wcspbrk(const CRTP_WCHAR *s, const CRTP_WCHAR *set);
CRTP_WCHAR *wcsstr(const CRTP_WCHAR *s, const CRTP_WCHAR *find);
long wcstol(const CRTP_WCHAR *s, CRTP_WCHAR **end, int base);
unsigned long wcstoul(const CRTP_WCHAR *s, CRTP_WCHAR **end, int base);

/* ---- character classes (C locale) ------------------------------------------------- */

int isdigit(int c)
{
    return c >= '0' && c <= '9';
}

int islower(int c)
{
    return c >= 'a' && c <= 'z';
}

int isupper(int c)
{
    return c >= 'A' && c <= 'Z';
}

int isalpha(int c)
{
    return islower(c) || isupper(c);
}

int isalnum(int c)
{
    return isalpha(c) || isdigit(c);
}

int isspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

int isxdigit(int c)
{
    return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int isprint(int c)
{
    return c >= 0x20 && c < 0x7f;
}

int tolower(int c)
{
    return isupper(c) ? c + ('a' - 'A') : c;
}

int toupper(int c)
{
    return islower(c) ? c - ('a' - 'A') : c;
}

CRTP_WCHAR towupper(CRTP_WCHAR c)
{
    return RtlUpcaseUnicodeChar(c);
}

CRTP_WCHAR towlower(CRTP_WCHAR c)
{
    return RtlDowncaseUnicodeChar(c);
}

/* ---- narrow strings --------------------------------------------------------------------- */

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (; n; n--, p++) {
        if (*p == (unsigned char)c)
            return (void *)p;
    }
    return NULL;
}

size_t strnlen(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && s[i])
        i++;
    return i;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        if (!*a)
            break;
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}

int _strnicmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            break;
    }
    return 0;
}

int _stricmp(const char *a, const char *b)
{
    return _strnicmp(a, b, SIZE_MAX);
}

char *strcpy(char *d, const char *s)
{
    memmove(d, s, strlen(s) + 1);
    return d;
}

char *strncpy(char *d, const char *s, size_t n)
{
    size_t Length = strnlen(s, n);

    memmove(d, s, Length);
    memset(d + Length, 0, n - Length);
    return d;
}

char *strcat(char *d, const char *s)
{
    strcpy(d + strlen(d), s);
    return d;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *Last = NULL;

    for (;; s++) {
        if (*s == (char)c)
            Last = s;
        if (!*s)
            return (char *)Last;
    }
}

size_t strspn(const char *s, const char *set)
{
    size_t n = 0;

    while (s[n] && strchr(set, s[n]))
        n++;
    return n;
}

size_t strcspn(const char *s, const char *set)
{
    size_t n = 0;

    while (s[n] && !strchr(set, s[n]))
        n++;
    return n;
}

char *strpbrk(const char *s, const char *set)
{
    s += strcspn(s, set);
    return *s ? (char *)s : NULL;
}

char *strstr(const char *s, const char *find)
{
    size_t Length = strlen(find);

    for (; *s; s++) {
        if (!strncmp(s, find, Length))
            return (char *)s;
    }
    return Length ? NULL : (char *)s;
}

/* ---- wide strings ------------------------------------------------------------------------ */

size_t wcsnlen(const CRTP_WCHAR *s, size_t n)
{
    size_t i = 0;

    while (i < n && s[i])
        i++;
    return i;
}

size_t wcslen(const CRTP_WCHAR *s)
{
    return wcsnlen(s, SIZE_MAX);
}

int wcsncmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return *a < *b ? -1 : 1;
        if (!*a)
            break;
    }
    return 0;
}

int wcscmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b)
{
    return wcsncmp(a, b, SIZE_MAX);
}

/* Windows compares the lower-case forms. */
int _wcsnicmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b, size_t n)
{
    for (; n; n--, a++, b++) {
        CRTP_WCHAR x = towlower(*a), y = towlower(*b);
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            break;
    }
    return 0;
}

int _wcsicmp(const CRTP_WCHAR *a, const CRTP_WCHAR *b)
{
    return _wcsnicmp(a, b, SIZE_MAX);
}

CRTP_WCHAR *wcscpy(CRTP_WCHAR *d, const CRTP_WCHAR *s)
{
    memmove(d, s, (wcslen(s) + 1) * sizeof(CRTP_WCHAR));
    return d;
}

CRTP_WCHAR *wcscat(CRTP_WCHAR *d, const CRTP_WCHAR *s)
{
    wcscpy(d + wcslen(d), s);
    return d;
}

CRTP_WCHAR *wcschr(const CRTP_WCHAR *s, CRTP_WCHAR c)
{
    for (;; s++) {
        if (*s == c)
            return (CRTP_WCHAR *)s;
        if (!*s)
            return NULL;
    }
}

CRTP_WCHAR *wcsrchr(const CRTP_WCHAR *s, CRTP_WCHAR c)
{
    const CRTP_WCHAR *Last = NULL;

    for (;; s++) {
        if (*s == c)
            Last = s;
        if (!*s)
            return (CRTP_WCHAR *)Last;
    }
}

size_t wcsspn(const CRTP_WCHAR *s, const CRTP_WCHAR *set)
{
    size_t n = 0;

    while (s[n] && wcschr(set, s[n]))
        n++;
    return n;
}

size_t wcscspn(const CRTP_WCHAR *s, const CRTP_WCHAR *set)
{
    size_t n = 0;

    while (s[n] && !wcschr(set, s[n]))
        n++;
    return n;
}

CRTP_WCHAR *wcspbrk(const CRTP_WCHAR *s, const CRTP_WCHAR *set)
{
    s += wcscspn(s, set);
    return *s ? (CRTP_WCHAR *)s : NULL;
}

CRTP_WCHAR *wcsstr(const CRTP_WCHAR *s, const CRTP_WCHAR *find)
{
    size_t Length = wcslen(find);

    for (; *s; s++) {
        if (!wcsncmp(s, find, Length))
            return (CRTP_WCHAR *)s;
    }
    return Length ? NULL : (CRTP_WCHAR *)s;
}

/* ---- numbers ------------------------------------------------------------------------------- */

/* strtoul's core over narrow (Wide 0) or WCHAR text: the magnitude, clamped
 * to Limit, the sign, and where parsing stopped (the start when no digit). */
static uint64_t CrtpParseNumber(const void *Text, int Wide, int Base, uint64_t Limit, int *Negative,
                                size_t *End)
{
#define CRTP_AT(i) (Wide ? ((const CRTP_WCHAR *)Text)[i] : ((const unsigned char *)Text)[i])
    size_t i = 0, Start;
    uint64_t Value = 0;
    int Overflow = 0;

    *Negative = 0;
    while (CRTP_AT(i) < 0x80 && isspace(CRTP_AT(i)))
        i++;
    if (CRTP_AT(i) == '-' || CRTP_AT(i) == '+')
        *Negative = CRTP_AT(i++) == '-';
    if ((Base == 0 || Base == 16) && CRTP_AT(i) == '0' && (CRTP_AT(i + 1) | 0x20) == 'x' &&
        CRTP_AT(i + 2) < 0x80 && isxdigit(CRTP_AT(i + 2))) {
        i += 2;
        Base = 16;
    } else if (Base == 0) {
        Base = CRTP_AT(i) == '0' ? 8 : 10;
    }
    for (Start = i; Base >= 2 && Base <= 36; i++) {
        unsigned c = CRTP_AT(i), Digit;
        if (c < 0x80 && isdigit(c))
            Digit = c - '0';
        else if (c < 0x80 && isalpha(c))
            Digit = (unsigned)tolower(c) - 'a' + 10;
        else
            break;
        if (Digit >= (unsigned)Base)
            break;
        if (Value > (Limit - Digit) / (unsigned)Base)
            Overflow = 1;
        else
            Value = Value * (unsigned)Base + Digit;
    }
    *End = i == Start ? 0 : i;
    return Overflow ? Limit : Value;
#undef CRTP_AT
}

/* long is 32-bit in the Microsoft ABI, 64-bit on the host (tests). */
#define CRTP_LONG_MAX  ((uint64_t)(~0UL >> 1))
#define CRTP_ULONG_MAX ((uint64_t)~0UL)

static long CrtpToLong(uint64_t Value, int Negative)
{
    if (Negative)
        return Value > CRTP_LONG_MAX ? (long)(-(long)CRTP_LONG_MAX - 1) : -(long)Value;
    return Value > CRTP_LONG_MAX ? (long)CRTP_LONG_MAX : (long)Value;
}

long strtol(const char *s, char **end, int base)
{
    int Negative;
    size_t End;
    uint64_t Value = CrtpParseNumber(s, 0, base, CRTP_LONG_MAX + 1, &Negative, &End);

    if (end)
        *end = (char *)s + End;
    return CrtpToLong(Value, Negative);
}

unsigned long strtoul(const char *s, char **end, int base)
{
    int Negative;
    size_t End;
    uint64_t Value = CrtpParseNumber(s, 0, base, CRTP_ULONG_MAX, &Negative, &End);

    if (end)
        *end = (char *)s + End;
    return Negative && Value != CRTP_ULONG_MAX ? (unsigned long)(0 - Value) : (unsigned long)Value;
}

long wcstol(const CRTP_WCHAR *s, CRTP_WCHAR **end, int base)
{
    int Negative;
    size_t End;
    uint64_t Value = CrtpParseNumber(s, 1, base, CRTP_LONG_MAX + 1, &Negative, &End);

    if (end)
        *end = (CRTP_WCHAR *)s + End;
    return CrtpToLong(Value, Negative);
}

unsigned long wcstoul(const CRTP_WCHAR *s, CRTP_WCHAR **end, int base)
{
    int Negative;
    size_t End;
    uint64_t Value = CrtpParseNumber(s, 1, base, CRTP_ULONG_MAX, &Negative, &End);

    if (end)
        *end = (CRTP_WCHAR *)s + End;
    return Negative && Value != CRTP_ULONG_MAX ? (unsigned long)(0 - Value) : (unsigned long)Value;
}
