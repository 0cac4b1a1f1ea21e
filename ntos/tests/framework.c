/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runner of ntos's self-tests: runs every KTEST in link order and
 * prints the serial protocol; the self-test image's main (ke/main.c built
 * with -DNTOS_SELFTEST) calls it and powers QEMU off with its result.
 */
#include "ktest.h"

extern const KTEST __start_ntos_tests[], __stop_ntos_tests[];

static const char *KtSuite, *KtCurrent;
static int KtFailures;

static void KtFailPrefix(const char *File, int Line)
{
    if (KtFailures++ == 0)
        KePrint("TEST-FAIL %s.%s: %s:%d ", KtSuite, KtCurrent, File, Line);
    else
        KePrint("    also: %s:%d ", File, Line);
}

bool KtCheck(bool Ok, const char *File, int Line, const char *Expression)
{
    if (!Ok) {
        KtFailPrefix(File, Line);
        KePrint("%s\n", Expression);
    }
    return Ok;
}

bool KtCheckEq(uint64_t a, uint64_t b, const char *File, int Line, const char *Expression)
{
    if (a != b) {
        KtFailPrefix(File, Line);
        KePrint("%s (0x%llx != 0x%llx)\n", Expression, (unsigned long long)a,
                (unsigned long long)b);
    }
    return a == b;
}

int KiRunSelfTests(const char *Suite)
{
    int Failed = 0;

    KtSuite = Suite;
    for (const KTEST *Test = __start_ntos_tests; Test < __stop_ntos_tests; Test++) {
        KtCurrent = Test->Name;
        KtFailures = 0;
        Test->Routine();
        if (KtFailures == 0)
            KePrint("TEST-PASS %s.%s\n", Suite, Test->Name);
        else
            Failed++;
    }
    KePrint("SUITE-END %s\n", Suite);
    return Failed;
}
