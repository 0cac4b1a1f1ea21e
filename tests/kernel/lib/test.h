/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The in-image test framework of the root tasks. TEST(name) defines a test
 * function and registers it in the `nereid_tests` linker section; the runner
 * (rt_run_tests) calls them in link order and prints the serial protocol of
 * docs/layout.md: `TEST-PASS <suite>.<name>`, or `TEST-FAIL <suite>.<name>:
 * <file>:<line> <expr> (a=.. b=..)` for the first failed check of a test
 * (later failures of the same test are printed as indented `also:` lines so
 * that each test yields exactly one result line), then `SUITE-END <suite>`.
 *
 * Checks do not leave the test: they return whether they held, so a test
 * that cannot go on after a failure writes `if (!CHECK(x)) return;`.
 */
#ifndef NEREID_TEST_H
#define NEREID_TEST_H

#include <stdbool.h>
#include <stdint.h>

struct rt_test {
    const char *name;
    void (*fn)(void);
};

#define TEST(name)                                                                                 \
    static void test_##name(void);                                                                 \
    static const struct rt_test rt_test_desc_##name                                                \
        __attribute__((used, section("nereid_tests"), aligned(16))) = {#name, test_##name};        \
    static void test_##name(void)

#define CHECK(cond) rt_check(!!(cond), __FILE__, __LINE__, #cond)

#define CHECK_EQ(a, b) rt_check_eq((uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__, #a " == " #b)

#define CHECK_NE(a, b) rt_check_ne((uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__, #a " != " #b)

/* Record a failure with a free-form reason (for checks the macros can't say). */
#define FAIL(...) rt_fail(__FILE__, __LINE__, __VA_ARGS__)

bool rt_check(bool ok, const char *file, int line, const char *expr);
bool rt_check_eq(uint64_t a, uint64_t b, const char *file, int line, const char *expr);
bool rt_check_ne(uint64_t a, uint64_t b, const char *file, int line, const char *expr);
void rt_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Name of the test running now (NULL outside the runner). */
const char *rt_current_test(void);

/*
 * Run every registered test whose name contains `filter` (NULL or "" = all),
 * print the protocol lines and SUITE-END, and return the number of failed
 * tests. Does not exit: main returns the count so _start can call rt_exit.
 */
int rt_run_tests(const char *suite, const char *filter);

#endif /* NEREID_TEST_H */
