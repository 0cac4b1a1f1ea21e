/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntapitest.exe's runner and checks: NtProcessStartup runs every test of
 * the .rdata$ntapi_b section in link order (files by name, tests in source
 * order), prints one protocol line per test through DbgPrint, then
 * `SUITE-END nt`, and ends the process with the number of failed tests as
 * its exit status. Tests registered with TEST_KNOWN_BUG are skipped (with a
 * line that is not part of the protocol) unless NTAPITEST_KNOWN_BUGS is 1. Also the helpers the
 * tests share (real handles to the caller's own process and thread).
 */
#include "ntapitest.h"

#ifndef NTAPITEST_KNOWN_BUGS
#define NTAPITEST_KNOWN_BUGS 0
#endif

/* The brackets of the test table: .rdata$ntapi_a < .rdata$ntapi_b < .rdata$ntapi_c. */
static const NTAPI_TEST NtapiFirst __attribute__((used, section(".rdata$ntapi_a")));
static const NTAPI_TEST NtapiLast __attribute__((used, section(".rdata$ntapi_c")));

static const NTAPI_TEST *NtapiCurrent;
static BOOLEAN NtapiCurrentFailed;

/* The start of a failure line: the protocol line the first time, `also:` after. */
static VOID NtapiFailPrefix(PCSTR File, int Line)
{
    if (!NtapiCurrentFailed)
        DbgPrint("TEST-FAIL nt.%s: %s:%d ", NtapiCurrent->Name, File, Line);
    else
        DbgPrint("  also: %s:%d ", File, Line);
    NtapiCurrentFailed = TRUE;
}

BOOLEAN NtapiCheckStatus(NTSTATUS Got, NTSTATUS Expected, PCSTR File, int Line)
{
    if (Got == Expected)
        return TRUE;
    NtapiFailPrefix(File, Line);
    DbgPrint("got 0x%08lx expected 0x%08lx\n", (ULONG)Got, (ULONG)Expected);
    return FALSE;
}

BOOLEAN NtapiCheck(BOOLEAN Ok, PCSTR File, int Line, PCSTR Expression)
{
    if (Ok)
        return TRUE;
    NtapiFailPrefix(File, Line);
    DbgPrint("%s\n", Expression);
    return FALSE;
}

BOOLEAN NtapiCheckEq(ULONGLONG Got, ULONGLONG Expected, PCSTR File, int Line, PCSTR Expression)
{
    if (Got == Expected)
        return TRUE;
    NtapiFailPrefix(File, Line);
    DbgPrint("%s: got 0x%I64x expected 0x%I64x\n", Expression, Got, Expected);
    return FALSE;
}

VOID NtapiInitializeObjectAttributes(POBJECT_ATTRIBUTES Attributes)
{
    memset(Attributes, 0, sizeof(*Attributes));
    Attributes->Length = sizeof(*Attributes);
}

HANDLE NtapiOpenSelfProcess(ACCESS_MASK Access)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NtCurrentTeb()->ClientId.UniqueProcess, NULL};
    HANDLE Handle = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    if (!NT_SUCCESS(NtOpenProcess(&Handle, Access, &Attributes, &Id)))
        return NULL;
    return Handle;
}

HANDLE NtapiOpenSelfThread(ACCESS_MASK Access)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NULL, NtCurrentTeb()->ClientId.UniqueThread};
    HANDLE Handle = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    if (!NT_SUCCESS(NtOpenThread(&Handle, Access, &Attributes, &Id)))
        return NULL;
    return Handle;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    const NTAPI_TEST *Test = &NtapiFirst + 1, *End = &NtapiLast;
    ULONG Passed = 0, Failed = 0;

    (void)Peb;
    /* The compiler must not reason about comparing pointers to distinct objects. */
    __asm__("" : "+r"(Test), "+r"(End));
    for (; Test < End; Test++) {
        if (Test->KnownBug != NULL && !NTAPITEST_KNOWN_BUGS) {
            DbgPrint("ntapitest: nt.%s not run (known executive bug: %s)\n", Test->Name,
                     Test->KnownBug);
            continue;
        }
        NtapiCurrent = Test;
        NtapiCurrentFailed = FALSE;
        Test->Routine();
        if (NtapiCurrentFailed) {
            Failed++;
        } else {
            DbgPrint("TEST-PASS nt.%s\n", Test->Name);
            Passed++;
        }
    }
    DbgPrint("ntapitest: %lu passed, %lu failed\n", Passed, Failed);
    DbgPrint("SUITE-END nt\n");
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)Failed);
    return (NTSTATUS)Failed;
}
