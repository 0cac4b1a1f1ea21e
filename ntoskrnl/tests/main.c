/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntoskrnltest.exe: the self-test of the runtime's library (ke ex mm ob ps
 * rtl), linked with the library's objects but not the runtime's start-up,
 * and booted by ntos as its first program (suite `ntoskrnl`). It runs as an
 * ordinary process: the library needs nothing of a driver process (no
 * rings, no `mov cr8` emulation; it reaches the IRQL byte in the TEB
 * itself). NtProcessStartup gives the first thread its KTHREAD, runs every
 * test of .rdata$ktest_b in link order (files by name), prints one
 * protocol line per test, then `SUITE-END ntoskrnl`, and exits with the
 * number of failures.
 */
#include "ktest.h"

static const KTEST KTestFirst __attribute__((used, section(".rdata$ktest_a")));
static const KTEST KTestLast __attribute__((used, section(".rdata$ktest_c")));

static const KTEST *KTestCurrent;
static BOOLEAN KTestCurrentFailed;

static VOID KTestFailPrefix(PCSTR File, int Line)
{
    if (!KTestCurrentFailed)
        DbgPrint("TEST-FAIL ntoskrnl.%s: %s:%d ", KTestCurrent->Name, File, Line);
    else
        DbgPrint("  also: %s:%d ", File, Line);
    KTestCurrentFailed = TRUE;
}

BOOLEAN KTestCheck(BOOLEAN Ok, PCSTR File, int Line, PCSTR Expression)
{
    if (Ok)
        return TRUE;
    KTestFailPrefix(File, Line);
    DbgPrint("%s\n", Expression);
    return FALSE;
}

BOOLEAN KTestCheckEq(ULONGLONG Got, ULONGLONG Expected, PCSTR File, int Line, PCSTR Expression)
{
    if (Got == Expected)
        return TRUE;
    KTestFailPrefix(File, Line);
    DbgPrint("%s: got 0x%I64x expected 0x%I64x\n", Expression, Got, Expected);
    return FALSE;
}

LARGE_INTEGER KTestMs(LONG Ms)
{
    LARGE_INTEGER Timeout;

    Timeout.QuadPart = -(LONGLONG)Ms * 10000;
    return Timeout;
}

PKTHREAD KTestStart(PKSTART_ROUTINE Routine, PVOID Context)
{
    HANDLE Handle;
    PVOID Thread = NULL;

    if (!NT_SUCCESS(
            PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, Routine, Context)))
        return NULL;
    if (!NT_SUCCESS(ObReferenceObjectByHandle(Handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                              &Thread, NULL)))
        Thread = NULL;
    NtClose(Handle);
    return Thread;
}

BOOLEAN KTestJoin(PKTHREAD Thread, LONG Ms)
{
    LARGE_INTEGER Timeout = KTestMs(Ms);
    NTSTATUS Status;

    if (!Thread)
        return FALSE;
    Status = KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, &Timeout);
    ObDereferenceObject(Thread);
    return Status == STATUS_WAIT_0;
}

VOID KTestSleep(LONG Ms)
{
    LARGE_INTEGER Interval = KTestMs(Ms);

    KeDelayExecutionThread(KernelMode, FALSE, &Interval);
}

NTSYSAPI PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First, PVOID Handler);
NTSYSAPI ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);

static void *KTestJump[5];
static volatile NTSTATUS KTestCaught;
static volatile HANDLE KTestCatcher;

static LONG NTAPI KTestHandler(PEXCEPTION_POINTERS Pointers)
{
    if (KTestCatcher != PsGetCurrentThreadId())
        return EXCEPTION_CONTINUE_SEARCH;
    KTestCaught = Pointers->ExceptionRecord->ExceptionCode;
    __builtin_longjmp(KTestJump, 1);
}

NTSTATUS KTestCatch(VOID (*Routine)(PVOID), PVOID Context)
{
    PVOID Handler = RtlAddVectoredExceptionHandler(1, KTestHandler);

    KTestCaught = 0;
    KTestCatcher = PsGetCurrentThreadId();
    if (__builtin_setjmp(KTestJump) == 0)
        Routine(Context);
    KTestCatcher = NULL;
    RtlRemoveVectoredExceptionHandler(Handler);
    return KTestCaught;
}

LONGLONG KTestNow(VOID)
{
    return KiQueryInterruptTime();
}

/* ntoskrnltest.exe started as a child by a test (bugcheck.c): its command
 * line names what to do; TRUE if it was such a child. */
static BOOLEAN KTestChildMode(PVOID Peb)
{
    PVOID Parameters = *(PVOID *)((PUCHAR)Peb + 0x20);
    PUNICODE_STRING CommandLine = (PUNICODE_STRING)((PUCHAR)Parameters + 0x70);
    UNICODE_STRING Mode;

    RtlInitUnicodeString(&Mode, L"-bugcheck");
    if (CommandLine->Length < Mode.Length)
        return FALSE;
    CommandLine =
        &(UNICODE_STRING){Mode.Length, Mode.Length,
                          (PWCH)((PUCHAR)CommandLine->Buffer + CommandLine->Length - Mode.Length)};
    if (!RtlEqualUnicodeString(CommandLine, &Mode, FALSE))
        return FALSE;
    KeBugCheckEx(KTEST_BUGCHECK_CODE, 1, 2, 3, 4);
}

NTSTATUS NtProcessStartup(PVOID Peb)
{
    const KTEST *Test = &KTestFirst + 1, *End = &KTestLast;
    ULONG Passed = 0, Failed = 0;

    if (KTestChildMode(Peb))
        return STATUS_SUCCESS; /* not reached: the modes end the process */
    if (!NT_SUCCESS(KiInitializeHostThread())) {
        DbgPrint("ntoskrnltest: no KTHREAD for the first thread\nSUITE-END ntoskrnl\n");
        NtTerminateProcess(NtCurrentProcess(), 1);
    }
    __asm__("" : "+r"(Test), "+r"(End));
    for (; Test < End; Test++) {
        if (Test->KnownBug) {
            DbgPrint("ntoskrnltest: ntoskrnl.%s not run (known bug: %s)\n", Test->Name,
                     Test->KnownBug);
            continue;
        }
        KTestCurrent = Test;
        KTestCurrentFailed = FALSE;
        Test->Routine();
        if (KiReadIrql() != PASSIVE_LEVEL) {
            KTestCheckEq(KiReadIrql(), PASSIVE_LEVEL, __FILE__, __LINE__, "IRQL after the test");
            KiWriteIrql(PASSIVE_LEVEL);
        }
        if (KTestCurrentFailed) {
            Failed++;
        } else {
            DbgPrint("TEST-PASS ntoskrnl.%s\n", Test->Name);
            Passed++;
        }
    }
    DbgPrint("ntoskrnltest: %lu passed, %lu failed\n", Passed, Failed);
    DbgPrint("SUITE-END ntoskrnl\n");
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)Failed);
    return (NTSTATUS)Failed;
}
