/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Driver of the rtl host test: installs a counting malloc-based allocator
 * as the string allocator, provides the current directory that the public
 * path functions ask for, runs every registered test and prints one
 * TEST-PASS/TEST-FAIL line each (docs/layout.md); run.py adds the compiler
 * checks and SUITE-END. Exit status: the number of failures (capped).
 */
#include <stdio.h>
#include <stdlib.h>
#include "rtl_test.h"

int rt_allocations, rt_frees, rt_fail_next_allocation;

static PVOID rt_allocate(SIZE_T Size)
{
    if (rt_fail_next_allocation) {
        rt_fail_next_allocation = 0;
        return NULL;
    }
    rt_allocations++;
    return malloc(Size ? Size : 1);
}

static VOID rt_free(PVOID Pointer)
{
    rt_frees++;
    free(Pointer);
}

VOID RtlpQueryCurrentDirectory(PUNICODE_STRING CurrentDirectory)
{
    RtlInitUnicodeString(CurrentDirectory, u"C:\\work\\dir\\");
}

BOOLEAN rt_wide_equal(PCWSTR a, PCWSTR b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

BOOLEAN rt_ustr_equal(PCUNICODE_STRING s, PCWSTR text)
{
    SIZE_T n = RtlpWideLength(text);

    return s->Length == n * sizeof(WCHAR) && memcmp(s->Buffer, text, s->Length) == 0;
}

int main(void)
{
    const rtl_test *tables[] = {string_tests, nls_tests, number_tests, path_tests, expr_tests};
    int failed = 0;

    RtlpSetStringAllocator(rt_allocate, rt_free);
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        for (const rtl_test *test = tables[t]; test->name; test++) {
            const char *why = test->fn();

            if (why) {
                printf("TEST-FAIL rtl.%s: %s\n", test->name, why);
                failed++;
            } else {
                printf("TEST-PASS rtl.%s\n", test->name);
            }
            fflush(stdout);
        }
    }
    return failed > 100 ? 100 : failed;
}
