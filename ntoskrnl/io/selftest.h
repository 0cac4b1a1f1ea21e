/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/selftest.h: the runtime's self-test mode (`ntoskrnl.exe -selftest`,
 * run by base/ntapitest/drvhost.c). The runtime runs as an ordinary
 * process without ntos's driver host (IopHostless): it loads the test
 * drivers of ntoskrnl/testdrv/, drives dhtest.sys through a request ring of
 * its own, and checks the Io routines on local device stacks. Each failed
 * check prints one line; the process exits with the number of failures.
 */
#pragma once

#include <ntoskrnl.h>

extern ULONG KrnlSelfTestFailures;

BOOLEAN KrnlSelfTestCheck(BOOLEAN Ok, PCSTR Text, PCSTR File, ULONG Line);
BOOLEAN KrnlSelfTestCheckEq(ULONG64 Value, ULONG64 Expected, PCSTR Text, PCSTR File, ULONG Line);

#define ST_CHECK(Expression) KrnlSelfTestCheck((Expression) != 0, #Expression, __FILE__, __LINE__)
#define ST_CHECK_EQ(Value, Expected)                                                               \
    KrnlSelfTestCheckEq((ULONG64)(Value), (ULONG64)(Expected), #Value, __FILE__, __LINE__)

/* ldr/selftest.c */
VOID LdrpSelfTest(VOID);
/* io/selftest.c, io/selftest_ring.c */
VOID IopSelfTestIrps(VOID);
VOID IopSelfTestRing(VOID);
/* io/selftest_misc.c */
VOID IopSelfTestMisc(VOID);

/* The self-test, from NtProcessStartup: the number of failed checks. */
ULONG KrnlRunSelfTest(VOID);
