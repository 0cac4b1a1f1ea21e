/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host test of ntdll's C routines (ntdll/crt/string.c, printf.c, mem.c),
 * differential against the host C library: the crt objects are compiled
 * for the host and their symbols renamed to crt_<name> (build.mk), so both
 * versions live in one program. Wide routines are compared with the host's
 * wcs* on the same characters widened to wchar_t. Prints the serial
 * protocol (suite ntdll-build, tests crt_*).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef uint16_t W;

size_t crt_strlen(const char *);
int crt_strcmp(const char *, const char *);
int crt_strncmp(const char *, const char *, size_t);
int crt__stricmp(const char *, const char *);
int crt__strnicmp(const char *, const char *, size_t);
char *crt_strchr(const char *, int);
char *crt_strrchr(const char *, int);
size_t crt_strspn(const char *, const char *);
size_t crt_strcspn(const char *, const char *);
char *crt_strpbrk(const char *, const char *);
char *crt_strstr(const char *, const char *);
char *crt_strcpy(char *, const char *);
char *crt_strcat(char *, const char *);
char *crt_strncpy(char *, const char *, size_t);
void *crt_memchr(const void *, int, size_t);
int crt_memcmp(const void *, const void *, size_t);
long crt_strtol(const char *, char **, int);
unsigned long crt_strtoul(const char *, char **, int);
size_t crt_wcslen(const W *);
int crt_wcscmp(const W *, const W *);
int crt_wcsncmp(const W *, const W *, size_t);
int crt__wcsicmp(const W *, const W *);
W *crt_wcschr(const W *, W);
W *crt_wcsrchr(const W *, W);
size_t crt_wcsspn(const W *, const W *);
size_t crt_wcscspn(const W *, const W *);
W *crt_wcspbrk(const W *, const W *);
W *crt_wcsstr(const W *, const W *);
long crt_wcstol(const W *, W **, int);
unsigned long crt_wcstoul(const W *, W **, int);
int crt_isalpha(int), crt_isdigit(int), crt_isspace(int), crt_isxdigit(int), crt_tolower(int),
    crt_toupper(int);
int crt__vsnprintf(char *, size_t, const char *, va_list);
int crt__snprintf(char *, size_t, const char *, ...);

/* What the crt needs from the rtl: simple case mapping (nls.c is tested
 * elsewhere; ASCII is enough here). */
W RtlUpcaseUnicodeChar(W c)
{
    return c >= 'a' && c <= 'z' ? c - 32 : c == 0xe9 ? 0xc9 : c;
}

W RtlDowncaseUnicodeChar(W c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c == 0xc9 ? 0xe9 : c;
}

static int Failures;

static void Report(const char *Name, int Wrong, const char *Detail)
{
    if (Wrong) {
        printf("TEST-FAIL ntdll-build.%s: %d mismatches; first: %s\n", Name, Wrong, Detail);
        Failures++;
    } else {
        printf("TEST-PASS ntdll-build.%s\n", Name);
    }
}

static unsigned long long Seed = 7;

static unsigned Random(void)
{
    Seed = Seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(Seed >> 33);
}

/* A short random string over a small alphabet, so matches happen. */
static void RandomString(char *s, size_t Max)
{
    static const char Alphabet[] = "abcAB \t0129xX-+z\xe9\xff";
    size_t n = Random() % Max;

    for (size_t i = 0; i < n; i++)
        s[i] = Alphabet[Random() % (sizeof(Alphabet) - 1)];
    s[n] = 0;
}

static int Sign(long v)
{
    return v < 0 ? -1 : v > 0;
}

static void Widen(W *w, wchar_t *h, const char *s)
{
    size_t i = 0;

    for (; s[i]; i++)
        w[i] = h[i] = (unsigned char)s[i];
    w[i] = h[i] = 0;
}

static void TestNarrow(void)
{
    char a[16], b[16], d1[40], d2[40], Detail[128] = "";
    int Wrong = 0;

    for (int i = 0; i < 20000; i++) {
        RandomString(a, 12);
        RandomString(b, 6);
        size_t n = Random() % 8;
        int c = (unsigned char)"abz\xe9\0"[Random() % 5];
        int Bad = crt_strlen(a) != strlen(a) || Sign(crt_strcmp(a, b)) != Sign(strcmp(a, b)) ||
                  Sign(crt_strncmp(a, b, n)) != Sign(strncmp(a, b, n)) ||
                  Sign(crt__stricmp(a, b)) != Sign(strcasecmp(a, b)) ||
                  Sign(crt__strnicmp(a, b, n)) != Sign(strncasecmp(a, b, n)) ||
                  crt_strchr(a, c) != strchr(a, c) || crt_strrchr(a, c) != strrchr(a, c) ||
                  crt_strspn(a, b) != strspn(a, b) || crt_strcspn(a, b) != strcspn(a, b) ||
                  crt_strpbrk(a, b) != strpbrk(a, b) || crt_strstr(a, b) != strstr(a, b) ||
                  crt_memchr(a, c, n) != memchr(a, c, n) ||
                  Sign(crt_memcmp(a, b, n < 6 ? n : 6)) != Sign(memcmp(a, b, n < 6 ? n : 6));
        strcpy(d1, a);
        crt_strcpy(d2, a);
        Bad |= strcmp(d1, d2) || strcmp(strcat(d1, b), crt_strcat(d2, b));
        memset(d1, 'q', sizeof(d1));
        memset(d2, 'q', sizeof(d2));
        Bad |= memcmp(strncpy(d1, a, n), crt_strncpy(d2, a, n), sizeof(d1)) != 0;
        if (Bad && !Wrong++)
            snprintf(Detail, sizeof(Detail), "a=\"%s\" b=\"%s\" n=%zu c=%d", a, b, n, c);
    }
    for (int c = -1; c < 256; c++) {
        int Bad = !crt_isalpha(c) != !(c < 128 && isalpha(c)) ||
                  !crt_isdigit(c) != !(c < 128 && isdigit(c)) ||
                  !crt_isspace(c) != !(c < 128 && isspace(c)) ||
                  !crt_isxdigit(c) != !(c < 128 && isxdigit(c)) ||
                  crt_tolower(c) != (c < 128 ? tolower(c) : c) ||
                  crt_toupper(c) != (c < 128 ? toupper(c) : c);
        if (Bad && !Wrong++)
            snprintf(Detail, sizeof(Detail), "ctype of %d", c);
    }
    Report("crt_narrow_strings", Wrong, Detail);
}

static void TestWide(void)
{
    char a[16], b[16], Detail[128] = "";
    W wa[16], wb[16];
    wchar_t ha[16], hb[16];
    int Wrong = 0;

    for (int i = 0; i < 20000; i++) {
        RandomString(a, 12);
        RandomString(b, 6);
        Widen(wa, ha, a);
        Widen(wb, hb, b);
        size_t n = Random() % 8;
        W c = (W)(unsigned char)"abz\xe9\0"[Random() % 5];
        wchar_t *hr;
        int Bad = crt_wcslen(wa) != wcslen(ha) ||
                  Sign(crt_wcscmp(wa, wb)) != Sign(wcscmp(ha, hb)) ||
                  Sign(crt_wcsncmp(wa, wb, n)) != Sign(wcsncmp(ha, hb, n)) ||
                  crt_wcsspn(wa, wb) != wcsspn(ha, hb) || crt_wcscspn(wa, wb) != wcscspn(ha, hb);
        hr = wcschr(ha, c);
        Bad |= crt_wcschr(wa, c) != (hr ? wa + (hr - ha) : NULL);
        hr = wcsrchr(ha, c);
        Bad |= crt_wcsrchr(wa, c) != (hr ? wa + (hr - ha) : NULL);
        hr = wcspbrk(ha, hb);
        Bad |= crt_wcspbrk(wa, wb) != (hr ? wa + (hr - ha) : NULL);
        hr = wcsstr(ha, hb);
        Bad |= crt_wcsstr(wa, wb) != (hr ? wa + (hr - ha) : NULL);
        if (!strchr(a, '\xe9') && !strchr(a, '\xff') && !strchr(b, '\xe9') && !strchr(b, '\xff'))
            Bad |= Sign(crt__wcsicmp(wa, wb)) != Sign(strcasecmp(a, b));
        if (Bad && !Wrong++)
            snprintf(Detail, sizeof(Detail), "a=\"%s\" b=\"%s\" n=%zu c=%d", a, b, n, c);
    }
    if (crt__wcsicmp((const W[]){0xc9, 'x', 0}, (const W[]){0xe9, 'X', 0}) != 0 && !Wrong++)
        snprintf(Detail, sizeof(Detail), "_wcsicmp of E-acute");
    Report("crt_wide_strings", Wrong, Detail);
}

static void TestNumbers(void)
{
    static const char *Fixed[] = {"0",
                                  "  42",
                                  "-17x",
                                  "+0x1F",
                                  "0x",
                                  "0xg",
                                  "077",
                                  "-",
                                  "",
                                  "zz",
                                  " \t-0010",
                                  "9223372036854775807",
                                  "9223372036854775808",
                                  "-9223372036854775808",
                                  "-9223372036854775809",
                                  "18446744073709551615",
                                  "18446744073709551616",
                                  "-1",
                                  "1z",
                                  "0b101"};
    static const int Bases[] = {0, 2, 8, 10, 16, 36};
    char Detail[128] = "", s[24];
    int Wrong = 0;

    for (int i = 0; i < 20000; i++) {
        const char *Text = s;
        int Base = Bases[Random() % 6];
        char *e1, *e2;
        W w[32], *we;
        wchar_t h[32];

        if (i < (int)(sizeof(Fixed) / sizeof(*Fixed))) {
            Text = Fixed[i];
        } else {
            static const char Alphabet[] = " -+0123456789abcdefxXz";
            size_t n = Random() % 22;
            for (size_t k = 0; k < n; k++)
                s[k] = Alphabet[Random() % (sizeof(Alphabet) - 1)];
            s[n] = 0;
        }
        Widen(w, h, Text);
        long v1 = crt_strtol(Text, &e1, Base), v2 = strtol(Text, &e2, Base);
        unsigned long u1 = crt_strtoul(Text, &e1, Base), u2 = strtoul(Text, &e2, Base);
        int Bad = v1 != v2 || u1 != u2 || e1 != e2;
        Bad |= crt_wcstol(w, &we, Base) != v2 || we - w != e2 - Text;
        Bad |= crt_wcstoul(w, &we, Base) != u2;
        if (Bad && !Wrong++)
            snprintf(Detail, sizeof(Detail), "\"%s\" base %d: %ld/%ld %lu/%lu", Text, Base, v1, v2,
                     u1, u2);
    }
    Report("crt_strtol", Wrong, Detail);
}

/* _snprintf against the host's snprintf, with Microsoft's return rules. */
static int CheckFormat(char *Detail, size_t DetailSize, size_t Room, const char *Ours,
                       const char *Host, ...)
{
    char a[64], b[256];
    va_list Arguments;
    int r1, r2;

    memset(a, '#', sizeof(a));
    va_start(Arguments, Host);
    r1 = crt__vsnprintf(a, Room, Ours, Arguments);
    va_end(Arguments);
    va_start(Arguments, Host);
    r2 = vsnprintf(b, sizeof(b), Host, Arguments);
    va_end(Arguments);
    if ((size_t)r2 > Room ? r1 == -1 && !memcmp(a, b, Room)
                          : r1 == r2 && !memcmp(a, b, r2) && ((size_t)r2 == Room || !a[r2]))
        return 0;
    snprintf(Detail, DetailSize, "\"%s\" room %zu: %d \"%.*s\" vs %d \"%s\"", Ours, Room, r1,
             r1 < 0 ? (int)Room : r1, a, r2, b);
    return 1;
}

static void TestPrintf(void)
{
    static const char *Flags[] = {"", "-", "0", "+", " ", "#", "-+", "0+"};
    static const char *Widths[] = {"", "1", "5", "12", ".0", ".3", "8.4", "*"};
    static const char Conversions[] = "diuxXo";
    char Detail[192] = "", Scratch[192], Ours[32], Host[32];
    int Wrong = 0;

    for (int i = 0; i < 20000; i++) {
        const char *Flag = Flags[Random() % 8], *Width = Widths[Random() % 8];
        char Conversion = Conversions[Random() % 6];
        int Long = Random() % 2, Star = Width[0] == '*', StarValue = (int)(Random() % 20) - 5;
        long long Value =
            (long long)(((unsigned long long)Random() << 32) | Random()) >> (Random() % 64);
        size_t Room = Random() % 2 ? 64 : Random() % 12;

        if (Flag[0] == '#' && (Conversion == 'd' || Conversion == 'i' || Conversion == 'u'))
            Flag = "";
        snprintf(Ours, sizeof(Ours), "<%%%s%s%s%c>", Flag, Width, Long ? "I64" : "", Conversion);
        snprintf(Host, sizeof(Host), "<%%%s%s%s%c>", Flag, Width, Long ? "ll" : "", Conversion);
        char *Target = Wrong ? Scratch : Detail; /* keep the first mismatch */
        int Bad =
            Star ? (Long ? CheckFormat(Target, sizeof(Detail), Room, Ours, Host, StarValue, Value)
                         : CheckFormat(Target, sizeof(Detail), Room, Ours, Host, StarValue,
                                       (int)Value))
                 : (Long ? CheckFormat(Target, sizeof(Detail), Room, Ours, Host, Value)
                         : CheckFormat(Target, sizeof(Detail), Room, Ours, Host, (int)Value));
        Wrong += Bad;
    }
    Wrong += CheckFormat(Wrong ? Scratch : Detail, sizeof(Detail), 64, "%s|%-6s|%.2s|%c|%%",
                         "%s|%-6s|%.2s|%c|%%", "abc", "de", "xyz", 'q');
    Report("crt_vsnprintf", Wrong, Detail);
}

static void TestPrintfExtensions(void)
{
    char Buffer[64], Detail[128] = "";
    W Wide[] = {'w', 'i', 0x100, 'e', 0};
    struct {
        uint16_t Length, MaximumLength;
        const void *Buffer;
    } Counted = {4, 4, Wide}, Ansi = {2, 2, "abc"};
    int Wrong = 0, r;

    r = crt__snprintf(Buffer, sizeof(Buffer), "%ws|%wZ|%Z|%S|%p|%s", Wide, &Counted, &Ansi, Wide,
                      (void *)0x1234, (char *)NULL);
    if (r < 0 || strcmp(Buffer, "wi?e|wi|ab|wi?e|0000000000001234|(null)") != 0) {
        Wrong++;
        snprintf(Detail, sizeof(Detail), "got %d \"%s\"", r, Buffer);
    }
    r = crt__snprintf(Buffer, 4, "abcd");
    if (r != 4 || memcmp(Buffer, "abcd", 4) != 0) {
        if (!Wrong++)
            snprintf(Detail, sizeof(Detail), "exact fit returned %d", r);
    }
    Report("crt_vsnprintf_nt_forms", Wrong, Detail);
}

int main(void)
{
    TestNarrow();
    TestWide();
    TestNumbers();
    TestPrintf();
    TestPrintfExtensions();
    return Failures ? 1 : 0;
}
