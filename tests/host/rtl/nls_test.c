/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of case mapping, the ANSI (1252) and OEM (437) code pages, the
 * counted-string conversions (ntdll/rtl/nls.c) and UTF-8 (utf8.c).
 */
#include "rtl_test.h"

static const char *upcase_char(void)
{
    CHECK(RtlUpcaseUnicodeChar('a') == 'A' && RtlUpcaseUnicodeChar('Z') == 'Z');
    CHECK(RtlUpcaseUnicodeChar(0x00e9) == 0x00c9); /* e acute */
    CHECK(RtlUpcaseUnicodeChar(0x03b1) == 0x0391); /* Greek alpha */
    CHECK(RtlUpcaseUnicodeChar(0x0430) == 0x0410); /* Cyrillic a */
    CHECK(RtlUpcaseUnicodeChar(0x00ff) == 0x0178); /* y diaeresis */
    CHECK(RtlUpcaseUnicodeChar(0x00df) == 0x00df); /* sharp s has no single upper case */
    CHECK(RtlUpcaseUnicodeChar('1') == '1' && RtlUpcaseUnicodeChar(0xd800) == 0xd800);
    return NULL;
}

static const char *downcase_char(void)
{
    CHECK(RtlDowncaseUnicodeChar('Q') == 'q' && RtlDowncaseUnicodeChar('q') == 'q');
    CHECK(RtlDowncaseUnicodeChar(0x00c0) == 0x00e0);
    CHECK(RtlDowncaseUnicodeChar(0x0410) == 0x0430);
    CHECK(RtlDowncaseUnicodeChar(0xff21) == 0xff41); /* fullwidth A */
    return NULL;
}

static const char *upper_char_ansi(void)
{
    CHECK(RtlUpperChar('a') == 'A' && RtlUpperChar('{') == '{');
    CHECK((UCHAR)RtlUpperChar((CHAR)0xe9) == 0xc9); /* e acute in 1252 */
    CHECK((UCHAR)RtlUpperChar((CHAR)0xdf) == 0xdf);
    return NULL;
}

static const char *mb_to_unicode(void)
{
    WCHAR out[8];
    ULONG n = 99;

    CHECK(RtlMultiByteToUnicodeN(out, sizeof(out), &n, "A\x80\xe9", 3) == STATUS_SUCCESS);
    CHECK(n == 6 && out[0] == 'A' && out[1] == 0x20ac && out[2] == 0x00e9);
    return NULL;
}

static const char *mb_to_unicode_truncates(void)
{
    WCHAR out[2];
    ULONG n;

    CHECK(RtlMultiByteToUnicodeN(out, 3, &n, "abcdef", 6) == STATUS_SUCCESS);
    CHECK(n == 2 && out[0] == 'a');
    CHECK(RtlMultiByteToUnicodeN(out, sizeof(out), NULL, "xy", 2) == STATUS_SUCCESS);
    CHECK(out[1] == 'y');
    return NULL;
}

static const char *mb_undefined_bytes(void)
{
    WCHAR out[5];
    ULONG n;

    RtlMultiByteToUnicodeN(out, sizeof(out), &n, "\x81\x8d\x8f\x90\x9d", 5);
    CHECK(out[0] == 0x81 && out[1] == 0x8d && out[2] == 0x8f && out[3] == 0x90 && out[4] == 0x9d);
    return NULL;
}

static const char *unicode_to_mb(void)
{
    CHAR out[8];
    ULONG n;

    CHECK(RtlUnicodeToMultiByteN(out, sizeof(out), &n, u"a\u20ac\u4e2d\u00ff", 8) ==
          STATUS_SUCCESS);
    CHECK(n == 4 && out[0] == 'a' && (UCHAR)out[1] == 0x80 && out[2] == '?' &&
          (UCHAR)out[3] == 0xff);
    CHECK(RtlUnicodeToMultiByteN(out, 2, &n, u"abc", 6) == STATUS_SUCCESS && n == 2);
    return NULL;
}

static const char *oem_round_trip(void)
{
    WCHAR w[3];
    CHAR o[3];
    ULONG n;

    RtlOemToUnicodeN(w, sizeof(w), &n, "\x82\xc4\x9b", 3);
    CHECK(n == 6 && w[0] == 0x00e9 && w[1] == 0x2500 && w[2] == 0x00a2);
    RtlUnicodeToOemN(o, sizeof(o), &n, w, sizeof(w));
    CHECK(n == 3 && (UCHAR)o[0] == 0x82 && (UCHAR)o[1] == 0xc4 && (UCHAR)o[2] == 0x9b);
    return NULL;
}

static const char *string_sizes(void)
{
    ANSI_STRING a;
    UNICODE_STRING u;
    ULONG n;

    RtlInitAnsiString(&a, "abcd");
    RtlInitUnicodeString(&u, u"abcd");
    CHECK(RtlxAnsiStringToUnicodeSize(&a) == 10 && RtlxUnicodeStringToAnsiSize(&u) == 5);
    CHECK(RtlxOemStringToUnicodeSize(&a) == 10 && RtlxUnicodeStringToOemSize(&u) == 5);
    CHECK(RtlMultiByteToUnicodeSize(&n, "abc", 3) == STATUS_SUCCESS && n == 6);
    CHECK(RtlUnicodeToMultiByteSize(&n, u"abc", 6) == STATUS_SUCCESS && n == 3);
    return NULL;
}

static const char *ansi_to_unicode_alloc(void)
{
    ANSI_STRING a;
    UNICODE_STRING u;

    RtlInitAnsiString(&a, "caf\xe9");
    CHECK(RtlAnsiStringToUnicodeString(&u, &a, TRUE) == STATUS_SUCCESS);
    CHECK(u.Length == 8 && u.MaximumLength == 10 && u.Buffer[4] == 0);
    CHECK(rt_ustr_equal(&u, u"caf\u00e9"));
    RtlFreeUnicodeString(&u);
    return NULL;
}

static const char *ansi_to_unicode_overflow(void)
{
    WCHAR buf[4];
    ANSI_STRING a;
    UNICODE_STRING u = {0, sizeof(buf), buf};

    RtlInitAnsiString(&a, "abcd"); /* needs 10 bytes with the NUL */
    CHECK(RtlAnsiStringToUnicodeString(&u, &a, FALSE) == STATUS_BUFFER_OVERFLOW);
    RtlInitAnsiString(&a, "abc");
    CHECK(RtlAnsiStringToUnicodeString(&u, &a, FALSE) == STATUS_SUCCESS);
    CHECK(u.Length == 6 && buf[3] == 0);
    return NULL;
}

static const char *ansi_to_unicode_no_memory(void)
{
    ANSI_STRING a;
    UNICODE_STRING u;

    RtlInitAnsiString(&a, "x");
    rt_fail_next_allocation = 1;
    CHECK(RtlAnsiStringToUnicodeString(&u, &a, TRUE) == STATUS_NO_MEMORY);
    return NULL;
}

static const char *ansi_to_unicode_too_long(void)
{
    static CHAR big[40000];
    ANSI_STRING a = {40000, 40000, big};
    UNICODE_STRING u;

    CHECK(RtlAnsiStringToUnicodeString(&u, &a, TRUE) == STATUS_INVALID_PARAMETER_2);
    return NULL;
}

static const char *unicode_to_ansi_truncates(void)
{
    CHAR buf[4] = {9, 9, 9, 9};
    ANSI_STRING a = {0, sizeof(buf), buf};
    UNICODE_STRING u;

    RtlInitUnicodeString(&u, u"abcdef");
    CHECK(RtlUnicodeStringToAnsiString(&a, &u, FALSE) == STATUS_BUFFER_OVERFLOW);
    CHECK(a.Length == 3 && buf[0] == 'a' && buf[2] == 'c' && buf[3] == 0);
    return NULL;
}

static const char *unicode_to_ansi_alloc(void)
{
    ANSI_STRING a;
    UNICODE_STRING u;

    RtlInitUnicodeString(&u, u"\u20acuro");
    CHECK(RtlUnicodeStringToAnsiString(&a, &u, TRUE) == STATUS_SUCCESS);
    CHECK(a.Length == 4 && a.MaximumLength == 5 && (UCHAR)a.Buffer[0] == 0x80 && a.Buffer[4] == 0);
    RtlFreeAnsiString(&a);
    CHECK(a.Buffer == NULL);
    return NULL;
}

static const char *unicode_to_ansi_zero_max(void)
{
    ANSI_STRING a = {0, 0, NULL};
    UNICODE_STRING u;

    RtlInitUnicodeString(&u, u"a");
    CHECK(RtlUnicodeStringToAnsiString(&a, &u, FALSE) == STATUS_BUFFER_OVERFLOW);
    return NULL;
}

static const char *unicode_to_oem_overflow(void)
{
    CHAR buf[3] = {9, 9, 9};
    OEM_STRING o = {0, sizeof(buf), buf};
    UNICODE_STRING u;

    RtlInitUnicodeString(&u, u"abcd");
    CHECK(RtlUnicodeStringToOemString(&o, &u, FALSE) == STATUS_BUFFER_OVERFLOW);
    CHECK(buf[0] == 9);
    RtlInitUnicodeString(&u, u"\u00e9!");
    CHECK(RtlUnicodeStringToOemString(&o, &u, FALSE) == STATUS_SUCCESS);
    CHECK((UCHAR)buf[0] == 0x82 && buf[1] == '!' && buf[2] == 0 && o.Length == 2);
    return NULL;
}

static const char *oem_to_unicode_string(void)
{
    OEM_STRING o;
    UNICODE_STRING u;

    RtlInitAnsiString(&o, "\xb3x");
    CHECK(RtlOemStringToUnicodeString(&u, &o, TRUE) == STATUS_SUCCESS);
    CHECK(rt_ustr_equal(&u, u"\u2502x"));
    RtlFreeUnicodeString(&u);
    return NULL;
}

static const char *utf8_ascii_and_multibyte(void)
{
    WCHAR out[8];
    ULONG n;
    const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n, s, 10) == STATUS_SUCCESS);
    CHECK(n == 10 && out[0] == 'a' && out[1] == 0xe9 && out[2] == 0x20ac);
    CHECK(out[3] == 0xd83d && out[4] == 0xde00);
    return NULL;
}

static const char *utf8_size_only(void)
{
    ULONG n = 0;

    CHECK(RtlUTF8ToUnicodeN(NULL, 0, &n, "\xf0\x9f\x98\x80z", 5) == STATUS_SUCCESS && n == 6);
    return NULL;
}

static const char *utf8_invalid_sequences(void)
{
    WCHAR out[8];
    ULONG n;

    /* lone continuation, truncated 3-byte lead followed by 'A', 0xFF */
    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n,
                            "\x80\xe2\x82"
                            "A\xff",
                            5) == STATUS_SOME_NOT_MAPPED);
    CHECK(n == 8 && out[0] == 0xfffd && out[1] == 0xfffd && out[2] == 'A' && out[3] == 0xfffd);
    return NULL;
}

static const char *utf8_overlong_and_surrogate(void)
{
    WCHAR out[8];
    ULONG n;

    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n, "\xc0\xaf", 2) == STATUS_SOME_NOT_MAPPED);
    CHECK(n == 4 && out[0] == 0xfffd && out[1] == 0xfffd);
    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n, "\xed\xa0\x80", 3) == STATUS_SOME_NOT_MAPPED);
    CHECK(out[0] == 0xfffd);
    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n, "\xf4\x90\x80\x80", 4) == STATUS_SOME_NOT_MAPPED);
    return NULL;
}

static const char *utf8_buffer_too_small(void)
{
    WCHAR out[2];
    ULONG n;

    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n, "abc", 3) == STATUS_BUFFER_TOO_SMALL);
    CHECK(n == 4 && out[1] == 'b');
    /* a surrogate pair is not split */
    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n, "a\xf0\x9f\x98\x80", 5) ==
          STATUS_BUFFER_TOO_SMALL);
    CHECK(n == 2);
    return NULL;
}

static const char *utf8_bad_parameters(void)
{
    WCHAR out[2];
    ULONG n;

    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), &n, NULL, 1) == STATUS_INVALID_PARAMETER_4);
    CHECK(RtlUTF8ToUnicodeN(out, sizeof(out), NULL, "a", 1) == STATUS_INVALID_PARAMETER);
    CHECK(RtlUnicodeToUTF8N((PCHAR)out, 4, &n, NULL, 2) == STATUS_INVALID_PARAMETER_4);
    CHECK(RtlUnicodeToUTF8N((PCHAR)out, 4, NULL, u"a", 2) == STATUS_INVALID_PARAMETER);
    return NULL;
}

static const char *to_utf8(void)
{
    CHAR out[16];
    ULONG n;

    CHECK(RtlUnicodeToUTF8N(out, sizeof(out), &n, u"a\u00e9\u20ac\U0001f600", 10) ==
          STATUS_SUCCESS);
    CHECK(n == 10 && memcmp(out, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10) == 0);
    return NULL;
}

static const char *to_utf8_lone_surrogate(void)
{
    CHAR out[8];
    ULONG n;
    const WCHAR s[] = {0xdc00, 'x', 0xd800};

    CHECK(RtlUnicodeToUTF8N(out, sizeof(out), &n, s, sizeof(s)) == STATUS_SOME_NOT_MAPPED);
    CHECK(n == 7 && memcmp(out, "\xef\xbf\xbdx\xef\xbf\xbd", 7) == 0);
    return NULL;
}

static const char *to_utf8_too_small(void)
{
    CHAR out[3];
    ULONG n;

    CHECK(RtlUnicodeToUTF8N(out, sizeof(out), &n, u"a\u20ac", 4) == STATUS_BUFFER_TOO_SMALL);
    CHECK(n == 1 && out[0] == 'a');
    CHECK(RtlUnicodeToUTF8N(NULL, 0, &n, u"a\u20ac", 4) == STATUS_SUCCESS && n == 4);
    return NULL;
}

const rtl_test nls_tests[] = {
    {"upcase_char", upcase_char},
    {"downcase_char", downcase_char},
    {"upper_char_ansi", upper_char_ansi},
    {"mb_to_unicode", mb_to_unicode},
    {"mb_to_unicode_truncates", mb_to_unicode_truncates},
    {"mb_undefined_bytes", mb_undefined_bytes},
    {"unicode_to_mb", unicode_to_mb},
    {"oem_round_trip", oem_round_trip},
    {"string_sizes", string_sizes},
    {"ansi_to_unicode_alloc", ansi_to_unicode_alloc},
    {"ansi_to_unicode_overflow", ansi_to_unicode_overflow},
    {"ansi_to_unicode_no_memory", ansi_to_unicode_no_memory},
    {"ansi_to_unicode_too_long", ansi_to_unicode_too_long},
    {"unicode_to_ansi_truncates", unicode_to_ansi_truncates},
    {"unicode_to_ansi_alloc", unicode_to_ansi_alloc},
    {"unicode_to_ansi_zero_max", unicode_to_ansi_zero_max},
    {"unicode_to_oem_overflow", unicode_to_oem_overflow},
    {"oem_to_unicode_string", oem_to_unicode_string},
    {"utf8_ascii_and_multibyte", utf8_ascii_and_multibyte},
    {"utf8_size_only", utf8_size_only},
    {"utf8_invalid_sequences", utf8_invalid_sequences},
    {"utf8_overlong_and_surrogate", utf8_overlong_and_surrogate},
    {"utf8_buffer_too_small", utf8_buffer_too_small},
    {"utf8_bad_parameters", utf8_bad_parameters},
    {"to_utf8", to_utf8},
    {"to_utf8_lone_surrogate", to_utf8_lone_surrogate},
    {"to_utf8_too_small", to_utf8_too_small},
    {NULL, NULL},
};
