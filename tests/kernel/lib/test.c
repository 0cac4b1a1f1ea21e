/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The test runner and check helpers behind test.h, and leaving QEMU. Tests
 * run in link order (roottask.ld keeps the nereid_tests section in input
 * order; the build uses -fno-toplevel-reorder so a file's tests stay in
 * source order). Each test produces exactly one protocol line.
 */
#include "roottask.h"
#include "test.h"

extern const struct rt_test __start_nereid_tests[], __stop_nereid_tests[];

static const char *cur_suite;
static const char *cur_test;
static int cur_failures;

const char *rt_current_test(void)
{
    return cur_test;
}

/* Print the head of a failure line: the protocol line first, `also:` after. */
static void fail_prefix(const char *file, int line)
{
    if (cur_failures++ == 0)
        printf("TEST-FAIL %s.%s: %s:%d ", cur_suite, cur_test ? cur_test : "?", file, line);
    else
        printf("    also: %s:%d ", file, line);
}

bool rt_check(bool ok, const char *file, int line, const char *expr)
{
    if (!ok) {
        fail_prefix(file, line);
        printf("%s\n", expr);
    }
    return ok;
}

bool rt_check_eq(uint64_t a, uint64_t b, const char *file, int line, const char *expr)
{
    if (a != b) {
        fail_prefix(file, line);
        printf("%s (a=0x%llx b=0x%llx)\n", expr, (unsigned long long)a, (unsigned long long)b);
    }
    return a == b;
}

bool rt_check_ne(uint64_t a, uint64_t b, const char *file, int line, const char *expr)
{
    if (a == b) {
        fail_prefix(file, line);
        printf("%s (a=0x%llx b=0x%llx)\n", expr, (unsigned long long)a, (unsigned long long)b);
    }
    return a != b;
}

void rt_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fail_prefix(file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncmp(hay, needle, n) == 0)
            return true;
    return n == 0;
}

int rt_run_tests(const char *suite, const char *filter)
{
    int failed = 0;

    cur_suite = suite;
    for (const struct rt_test *t = __start_nereid_tests; t < __stop_nereid_tests; t++) {
        if (filter && *filter && !contains(t->name, filter))
            continue;
        cur_test = t->name;
        cur_failures = 0;
        t->fn();
        if (cur_failures == 0)
            printf("TEST-PASS %s.%s\n", suite, t->name);
        else
            failed++;
    }
    cur_test = NULL;
    printf("SUITE-END %s\n", suite);
    return failed;
}

#define QEMU_EXIT_PORT 0xf4
#define QEMU_EXIT_LAST 0xf7

void rt_exit(int code)
{
    seL4_CPtr slot = rt_slot_alloc();

    if (slot != seL4_CapNull &&
        seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, QEMU_EXIT_PORT, QEMU_EXIT_LAST,
                                     seL4_CapInitThreadCNode, slot, seL4_WordBits) == seL4_NoError)
        seL4_X86_IOPort_Out8(slot, QEMU_EXIT_PORT, (seL4_Word)(code & 0x7f));
    /* Still here: no isa-debug-exit device (real hardware, other VMM). */
    seL4_DebugHalt();
    for (;;)
        seL4_Yield();
}
