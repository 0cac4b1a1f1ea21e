/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the counted-string functions (ntdll/rtl/ustring.c): Init,
 * Create, Copy, Append, Compare/Equal/Prefix, Upcase/Downcase and Free,
 * including truncation, NUL termination and the allocator hook.
 */
#include <stdlib.h>
#include "rtl_test.h"

static const char *init_unicode(void)
{
    UNICODE_STRING s;

    RtlInitUnicodeString(&s, u"abc");
    CHECK(s.Length == 6 && s.MaximumLength == 8 && rt_wide_equal(s.Buffer, u"abc"));
    return NULL;
}

static const char *init_unicode_null(void)
{
    UNICODE_STRING s = {5, 5, (PWSTR)u"x"};

    RtlInitUnicodeString(&s, NULL);
    CHECK(s.Length == 0 && s.MaximumLength == 0 && s.Buffer == NULL);
    return NULL;
}

static const char *init_unicode_empty(void)
{
    UNICODE_STRING s;

    RtlInitUnicodeString(&s, u"");
    CHECK(s.Length == 0 && s.MaximumLength == 2 && s.Buffer != NULL);
    return NULL;
}

static const char *init_unicode_truncates(void)
{
    WCHAR *big = calloc(40000, sizeof(WCHAR));
    UNICODE_STRING s;

    for (int i = 0; i < 39999; i++)
        big[i] = 'a';
    RtlInitUnicodeString(&s, big);
    free(big);
    CHECK(s.Length == 0xfffc && s.MaximumLength == 0xfffe);
    return NULL;
}

static const char *init_unicode_ex_too_long(void)
{
    WCHAR *big = calloc(40000, sizeof(WCHAR));
    UNICODE_STRING s;
    NTSTATUS st;

    for (int i = 0; i < 39999; i++)
        big[i] = 'a';
    st = RtlInitUnicodeStringEx(&s, big);
    free(big);
    CHECK(st == STATUS_NAME_TOO_LONG);
    CHECK(RtlInitUnicodeStringEx(&s, u"ok") == STATUS_SUCCESS && s.Length == 4);
    return NULL;
}

static const char *init_ansi(void)
{
    ANSI_STRING s;

    RtlInitAnsiString(&s, "hello");
    CHECK(s.Length == 5 && s.MaximumLength == 6);
    RtlInitAnsiString(&s, NULL);
    CHECK(s.Length == 0 && s.MaximumLength == 0 && !s.Buffer);
    return NULL;
}

static const char *create_unicode(void)
{
    UNICODE_STRING s;
    int before = rt_allocations;

    CHECK(RtlCreateUnicodeString(&s, u"copy"));
    CHECK(rt_allocations == before + 1);
    CHECK(s.Length == 8 && s.MaximumLength == 10 && s.Buffer[4] == 0);
    CHECK(rt_ustr_equal(&s, u"copy"));
    RtlFreeUnicodeString(&s);
    CHECK(s.Buffer == NULL && s.Length == 0 && s.MaximumLength == 0);
    return NULL;
}

static const char *create_unicode_no_memory(void)
{
    UNICODE_STRING s;

    rt_fail_next_allocation = 1;
    CHECK(!RtlCreateUnicodeString(&s, u"copy"));
    return NULL;
}

static const char *copy_fits(void)
{
    WCHAR buf[8];
    UNICODE_STRING d = {0, sizeof(buf), buf}, src;

    RtlInitUnicodeString(&src, u"abc");
    RtlCopyUnicodeString(&d, &src);
    CHECK(d.Length == 6 && buf[3] == 0 && rt_ustr_equal(&d, u"abc"));
    return NULL;
}

static const char *copy_truncates(void)
{
    WCHAR buf[4] = {9, 9, 9, 9};
    UNICODE_STRING d = {0, 4, buf}, src;

    RtlInitUnicodeString(&src, u"abcdef");
    RtlCopyUnicodeString(&d, &src);
    CHECK(d.Length == 4 && buf[0] == 'a' && buf[1] == 'b' && buf[2] == 9);
    return NULL;
}

static const char *copy_exact_no_nul(void)
{
    WCHAR buf[4] = {9, 9, 9, 9};
    UNICODE_STRING d = {0, 6, buf}, src;

    RtlInitUnicodeString(&src, u"abc");
    RtlCopyUnicodeString(&d, &src);
    CHECK(d.Length == 6 && buf[3] == 9);
    return NULL;
}

static const char *copy_null_source(void)
{
    WCHAR buf[4] = {'x', 0};
    UNICODE_STRING d = {2, 8, buf};

    RtlCopyUnicodeString(&d, NULL);
    CHECK(d.Length == 0);
    return NULL;
}

static const char *append_string(void)
{
    WCHAR buf[16];
    UNICODE_STRING d = {0, sizeof(buf), buf}, a, b;

    RtlInitUnicodeString(&a, u"foo");
    RtlInitUnicodeString(&b, u"bar");
    CHECK(RtlAppendUnicodeStringToString(&d, &a) == STATUS_SUCCESS);
    CHECK(RtlAppendUnicodeStringToString(&d, &b) == STATUS_SUCCESS);
    CHECK(rt_ustr_equal(&d, u"foobar") && buf[6] == 0);
    return NULL;
}

static const char *append_string_too_small(void)
{
    WCHAR buf[4];
    UNICODE_STRING d = {0, sizeof(buf), buf}, a;

    RtlInitUnicodeString(&a, u"abcde");
    CHECK(RtlAppendUnicodeStringToString(&d, &a) == STATUS_BUFFER_TOO_SMALL);
    CHECK(d.Length == 0);
    return NULL;
}

static const char *append_exact_fit(void)
{
    WCHAR buf[3] = {0, 0, 7};
    UNICODE_STRING d = {0, 4, buf}, a;

    RtlInitUnicodeString(&a, u"ab");
    CHECK(RtlAppendUnicodeStringToString(&d, &a) == STATUS_SUCCESS);
    CHECK(d.Length == 4 && buf[2] == 7);
    return NULL;
}

static const char *append_wide(void)
{
    WCHAR buf[8];
    UNICODE_STRING d = {0, sizeof(buf), buf};

    CHECK(RtlAppendUnicodeToString(&d, u"ab") == STATUS_SUCCESS);
    CHECK(RtlAppendUnicodeToString(&d, NULL) == STATUS_SUCCESS);
    CHECK(RtlAppendUnicodeToString(&d, u"cd") == STATUS_SUCCESS);
    CHECK(rt_ustr_equal(&d, u"abcd"));
    CHECK(RtlAppendUnicodeToString(&d, u"efghi") == STATUS_BUFFER_TOO_SMALL);
    CHECK(rt_ustr_equal(&d, u"abcd"));
    return NULL;
}

static const char *compare_case(void)
{
    UNICODE_STRING a, b;

    RtlInitUnicodeString(&a, u"Apple");
    RtlInitUnicodeString(&b, u"apple");
    CHECK(RtlCompareUnicodeString(&a, &b, FALSE) < 0);
    CHECK(RtlCompareUnicodeString(&a, &b, TRUE) == 0);
    CHECK(RtlCompareUnicodeString(&b, &a, FALSE) > 0);
    return NULL;
}

static const char *compare_length(void)
{
    UNICODE_STRING a, b;

    RtlInitUnicodeString(&a, u"abc");
    RtlInitUnicodeString(&b, u"abcd");
    CHECK(RtlCompareUnicodeString(&a, &b, FALSE) < 0);
    CHECK(RtlCompareUnicodeString(&b, &a, TRUE) > 0);
    RtlInitUnicodeString(&a, u"");
    RtlInitUnicodeString(&b, u"");
    CHECK(RtlCompareUnicodeString(&a, &b, FALSE) == 0);
    return NULL;
}

static const char *compare_non_ascii(void)
{
    UNICODE_STRING a, b;

    RtlInitUnicodeString(&a, u"\u00e9t\u00e9");
    RtlInitUnicodeString(&b, u"\u00c9T\u00c9");
    CHECK(RtlCompareUnicodeString(&a, &b, TRUE) == 0);
    CHECK(RtlCompareUnicodeString(&a, &b, FALSE) != 0);
    return NULL;
}

static const char *equal_strings(void)
{
    UNICODE_STRING a, b, c;

    RtlInitUnicodeString(&a, u"Windows");
    RtlInitUnicodeString(&b, u"WINDOWS");
    RtlInitUnicodeString(&c, u"WINDOWS2");
    CHECK(RtlEqualUnicodeString(&a, &b, TRUE));
    CHECK(!RtlEqualUnicodeString(&a, &b, FALSE));
    CHECK(!RtlEqualUnicodeString(&b, &c, TRUE));
    return NULL;
}

static const char *prefix_strings(void)
{
    UNICODE_STRING p, s, e;

    RtlInitUnicodeString(&p, u"\\??\\");
    RtlInitUnicodeString(&s, u"\\??\\C:\\x");
    RtlInitUnicodeString(&e, u"");
    CHECK(RtlPrefixUnicodeString(&p, &s, FALSE));
    CHECK(!RtlPrefixUnicodeString(&s, &p, FALSE));
    CHECK(RtlPrefixUnicodeString(&e, &s, FALSE));
    RtlInitUnicodeString(&p, u"\\DEVICE");
    RtlInitUnicodeString(&s, u"\\Device\\Null");
    CHECK(RtlPrefixUnicodeString(&p, &s, TRUE) && !RtlPrefixUnicodeString(&p, &s, FALSE));
    return NULL;
}

static const char *upcase_string(void)
{
    WCHAR buf[8];
    UNICODE_STRING d = {0, sizeof(buf), buf}, s;

    RtlInitUnicodeString(&s, u"ab\u00e9z");
    CHECK(RtlUpcaseUnicodeString(&d, &s, FALSE) == STATUS_SUCCESS);
    CHECK(rt_ustr_equal(&d, u"AB\u00c9Z"));
    return NULL;
}

static const char *upcase_string_overflow(void)
{
    WCHAR buf[2];
    UNICODE_STRING d = {0, sizeof(buf), buf}, s;

    RtlInitUnicodeString(&s, u"abc");
    CHECK(RtlUpcaseUnicodeString(&d, &s, FALSE) == STATUS_BUFFER_OVERFLOW);
    return NULL;
}

static const char *upcase_string_allocate(void)
{
    UNICODE_STRING d, s;

    RtlInitUnicodeString(&s, u"mixed Case");
    CHECK(RtlUpcaseUnicodeString(&d, &s, TRUE) == STATUS_SUCCESS);
    CHECK(d.MaximumLength == s.Length && rt_ustr_equal(&d, u"MIXED CASE"));
    RtlFreeUnicodeString(&d);
    rt_fail_next_allocation = 1;
    CHECK(RtlUpcaseUnicodeString(&d, &s, TRUE) == STATUS_NO_MEMORY);
    return NULL;
}

static const char *downcase_string(void)
{
    WCHAR buf[8];
    UNICODE_STRING d = {0, sizeof(buf), buf}, s;

    RtlInitUnicodeString(&s, u"ABC\u0130");
    CHECK(RtlDowncaseUnicodeString(&d, &s, FALSE) == STATUS_SUCCESS);
    CHECK(d.Length == 8 && buf[0] == 'a' && buf[2] == 'c');
    return NULL;
}

static const char *free_null_buffer(void)
{
    UNICODE_STRING s = {0, 0, NULL};
    ANSI_STRING a = {0, 0, NULL};
    int frees = rt_frees;

    RtlFreeUnicodeString(&s);
    RtlFreeAnsiString(&a);
    CHECK(rt_frees == frees);
    return NULL;
}

const rtl_test string_tests[] = {
    {"init_unicode", init_unicode},
    {"init_unicode_null", init_unicode_null},
    {"init_unicode_empty", init_unicode_empty},
    {"init_unicode_truncates", init_unicode_truncates},
    {"init_unicode_ex_too_long", init_unicode_ex_too_long},
    {"init_ansi", init_ansi},
    {"create_unicode", create_unicode},
    {"create_unicode_no_memory", create_unicode_no_memory},
    {"copy_fits", copy_fits},
    {"copy_truncates", copy_truncates},
    {"copy_exact_no_nul", copy_exact_no_nul},
    {"copy_null_source", copy_null_source},
    {"append_string", append_string},
    {"append_string_too_small", append_string_too_small},
    {"append_exact_fit", append_exact_fit},
    {"append_wide", append_wide},
    {"compare_case", compare_case},
    {"compare_length", compare_length},
    {"compare_non_ascii", compare_non_ascii},
    {"equal_strings", equal_strings},
    {"prefix_strings", prefix_strings},
    {"upcase_string", upcase_string},
    {"upcase_string_overflow", upcase_string_overflow},
    {"upcase_string_allocate", upcase_string_allocate},
    {"downcase_string", downcase_string},
    {"free_null_buffer", free_null_buffer},
    {NULL, NULL},
};
