/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared pieces of the rtl host test: the test registry, the check macro
 * and small helpers for UTF-16 literals (u"..." is uint16_t, like WCHAR).
 * Expected values come from Windows' documented behaviour, never from the
 * code under test.
 */
#pragma once

#include "../../../ntdll/rtl/rtlp.h"

/* A test returns NULL on success or a static description of the failure. */
typedef const char *(*rtl_test_fn)(void);

typedef struct rtl_test {
    const char *name;
    rtl_test_fn fn;
} rtl_test;

#define RT_STR2(x) #x
#define RT_STR(x)  RT_STR2(x)
/* Fail the current test with the failing expression and its line. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return __FILE__ ":" RT_STR(__LINE__) ": " #cond;                                       \
    } while (0)

/* Each test file defines its table, ended by {NULL, NULL}. */
extern const rtl_test string_tests[];
extern const rtl_test nls_tests[];
extern const rtl_test number_tests[];
extern const rtl_test path_tests[];
extern const rtl_test expr_tests[]; /* dirctl branch */

/* Allocation counters of the test allocator (malloc/free underneath). */
extern int rt_allocations, rt_frees, rt_fail_next_allocation;

BOOLEAN rt_wide_equal(PCWSTR a, PCWSTR b);
BOOLEAN rt_ustr_equal(PCUNICODE_STRING s, PCWSTR text);
