/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The framework of ntoskrnltest.exe, the self-test of the runtime's
 * library (suite `ntoskrnl`): TEST(area, what) defines a test named
 * `ntoskrnl.<area>_<what>`, registered in the grouped section
 * .rdata$ktest_b (main.c's markers in _a and _c bracket them). Checks print
 * nothing when they hold; the first failure prints the protocol line
 * `TEST-FAIL ntoskrnl.<name>: <file>:<line> ...`, later ones `also:`
 * lines. The tests compile against the ddk headers and the library's
 * private header, like the runtime itself, and call the library directly.
 */
#pragma once

#include "ntoskrnl.h"

typedef struct __attribute__((aligned(16))) _KTEST {
    PCSTR Name;
    VOID (*Routine)(VOID);
    PCSTR KnownBug;
} KTEST;

#define KTEST_REGISTER(area, what, bug)                                                            \
    static VOID KTest_##area##_##what(VOID);                                                       \
    static const KTEST KTestEntry_##area##_##what                                                  \
        __attribute__((used, section(".rdata$ktest_b"))) = {#area "_" #what,                       \
                                                            KTest_##area##_##what, bug};           \
    static VOID KTest_##area##_##what(VOID)

#define TEST(area, what)                KTEST_REGISTER(area, what, NULL)
#define TEST_KNOWN_BUG(area, what, bug) KTEST_REGISTER(area, what, bug)

#define CHECK(cond) KTestCheck(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_EQ(a, b)                                                                             \
    KTestCheckEq((ULONGLONG)(a), (ULONGLONG)(b), __FILE__, __LINE__, #a " == " #b)
#define CHECK_STATUS(expr, expected) CHECK_EQ((ULONG)(expr), (ULONG)(expected))

BOOLEAN KTestCheck(BOOLEAN Ok, PCSTR File, int Line, PCSTR Expression);
BOOLEAN KTestCheckEq(ULONGLONG Got, ULONGLONG Expected, PCSTR File, int Line, PCSTR Expression);

/* ---- helpers (main.c) ---------------------------------------------------------------- */

/* A relative time-out of Ms milliseconds. */
LARGE_INTEGER KTestMs(LONG Ms);
/* Start a system thread running Routine(Context); its thread object,
 * referenced (KTestJoin waits for it and drops the reference), or NULL. */
PKTHREAD KTestStart(PKSTART_ROUTINE Routine, PVOID Context);
/* Wait up to Ms for Thread to end; TRUE if it did. Drops the reference. */
BOOLEAN KTestJoin(PKTHREAD Thread, LONG Ms);
/* Sleep Ms milliseconds. */
VOID KTestSleep(LONG Ms);
/* Run Routine(Context); the code of an exception it raised (and did not
 * handle), or 0. A vectored handler jumps back here: test code only. */
NTSTATUS KTestCatch(VOID (*Routine)(PVOID), PVOID Context);
/* The interrupt time now (100 ns). */
LONGLONG KTestNow(VOID);
/* The code the bug-check child (ntoskrnltest.exe ... -bugcheck) stops with. */
#define KTEST_BUGCHECK_CODE 0xDEAD0042u
