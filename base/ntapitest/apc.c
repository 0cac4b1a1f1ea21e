/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User APCs and alerts: NtQueueApcThread to the caller runs nothing until
 * NtTestAlert, which runs every queued APC in order with its arguments
 * (through ntdll's KiUserApcDispatcher and NtContinue); an APC queued from
 * an APC; NtAlertThread and NtTestAlert's STATUS_ALERTED; handles and
 * rights; alertable waits ended by an APC or an alert, at once or while
 * the thread waits (a timer's APC), and a wait that is not alertable; an
 * exception raised in an APC routine unwinding into the interrupted code.
 */
#include "ntapiexc.h"

static struct {
    ULONG Count;
    ULONG64 Args[8][3];
    BOOLEAN QueueMore;
} NtapiApc;

static VOID NTAPI NtapiApcRoutine(PVOID A1, PVOID A2, PVOID A3)
{
    ULONG i = NtapiApc.Count++ & 7;

    NtapiApc.Args[i][0] = (ULONG64)A1;
    NtapiApc.Args[i][1] = (ULONG64)A2;
    NtapiApc.Args[i][2] = (ULONG64)A3;
    if (NtapiApc.QueueMore) {
        NtapiApc.QueueMore = FALSE;
        NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, (PVOID)0x99, NULL, NULL);
    }
}

static VOID NtapiApcReset(VOID)
{
    memset(&NtapiApc, 0, sizeof(NtapiApc));
}

TEST(apc, queue_self_then_test_alert)
{
    NtapiApcReset();
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, (PVOID)1, (PVOID)2, (PVOID)3),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 0); /* not an alertable point */
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 1);
    CHECK_EQ(NtapiApc.Args[0][0], 1);
    CHECK_EQ(NtapiApc.Args[0][1], 2);
    CHECK_EQ(NtapiApc.Args[0][2], 3);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 1); /* ran once */
}

TEST(apc, run_in_order)
{
    NtapiApcReset();
    for (ULONG i = 0; i < 3; i++)
        CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine,
                                      (PVOID)(ULONG_PTR)(10 + i), NULL, NULL),
                     STATUS_SUCCESS);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 3);
    CHECK_EQ(NtapiApc.Args[0][0], 10);
    CHECK_EQ(NtapiApc.Args[1][0], 11);
    CHECK_EQ(NtapiApc.Args[2][0], 12);
}

/* An APC queued by an APC runs in the same NtTestAlert (NtContinue with
 * TestAlert delivers it). */
TEST(apc, queued_from_apc)
{
    NtapiApcReset();
    NtapiApc.QueueMore = TRUE;
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, (PVOID)5, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 2);
    CHECK_EQ(NtapiApc.Args[1][0], 0x99);
}

/* The caller's nonvolatile registers and stack survive the APC detour. */
TEST(apc, caller_state_kept)
{
    volatile ULONG64 Local[4] = {1, 2, 3, 4};
    ULONG64 Sum = 0;

    NtapiApcReset();
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, NULL, NULL, NULL),
                 STATUS_SUCCESS);
    for (ULONG i = 0; i < 4; i++)
        Sum += Local[i] * (i + 7);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    for (ULONG i = 0; i < 4; i++)
        Sum -= Local[i] * (i + 7);
    CHECK_EQ(Sum, 0);
    CHECK_EQ(NtapiApc.Count, 1);
}

TEST(apc, alert_self)
{
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_STATUS(NtAlertThread(NtCurrentThread()), STATUS_SUCCESS);
    CHECK_STATUS(NtTestAlert(), STATUS_ALERTED);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS); /* the alert was cleared */
}

TEST(apc, alert_and_apc)
{
    NtapiApcReset();
    CHECK_STATUS(NtAlertThread(NtCurrentThread()), STATUS_SUCCESS);
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, (PVOID)7, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtTestAlert(), STATUS_ALERTED); /* the alert first: the APC waits */
    CHECK_EQ(NtapiApc.Count, 0);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 1);
}

TEST(apc, real_handle_rights)
{
    HANDLE SetContext = NtapiOpenSelfThread(THREAD_SET_CONTEXT);
    HANDLE Query = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);
    HANDLE Alert = NtapiOpenSelfThread(THREAD_ALERT);

    NtapiApcReset();
    if (CHECK(SetContext != NULL)) {
        CHECK_STATUS(NtQueueApcThread(SetContext, NtapiApcRoutine, NULL, NULL, NULL),
                     STATUS_SUCCESS);
        CHECK_STATUS(NtAlertThread(SetContext), STATUS_ACCESS_DENIED);
        NtClose(SetContext);
    }
    if (CHECK(Query != NULL)) {
        CHECK_STATUS(NtQueueApcThread(Query, NtapiApcRoutine, NULL, NULL, NULL),
                     STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtAlertThread(Query), STATUS_ACCESS_DENIED);
        NtClose(Query);
    }
    if (CHECK(Alert != NULL)) {
        CHECK_STATUS(NtAlertThread(Alert), STATUS_SUCCESS);
        NtClose(Alert);
    }
    CHECK_STATUS(NtTestAlert(), STATUS_ALERTED);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 1);
}

/* No routine: accepted, and nothing runs. */
TEST(apc, null_routine)
{
    NtapiApcReset();
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NULL, (PVOID)1, NULL, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 0);
}

TEST(apc, bad_handles)
{
    CHECK_STATUS(NtQueueApcThread((HANDLE)(ULONG_PTR)0x1234, NtapiApcRoutine, NULL, NULL, NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtQueueApcThread(NtCurrentProcess(), NtapiApcRoutine, NULL, NULL, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtAlertThread((HANDLE)(ULONG_PTR)0x1234), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtAlertThread(NtCurrentProcess()), STATUS_OBJECT_TYPE_MISMATCH);
}

/* An alertable wait returns STATUS_USER_APC after running the APCs. */
TEST(apc, alertable_delay_runs_apc)
{
    LARGE_INTEGER Interval = {.QuadPart = -100000000ll}; /* 10 s: the APC ends it */

    NtapiApcReset();
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, (PVOID)4, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(TRUE, &Interval), STATUS_USER_APC);
    CHECK_EQ(NtapiApc.Count, 1);
    CHECK_EQ(NtapiApc.Args[0][0], 4);
}

TEST(apc, alertable_delay_alerted)
{
    LARGE_INTEGER Interval = {.QuadPart = -100000000ll};

    CHECK_STATUS(NtAlertThread(NtCurrentThread()), STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(TRUE, &Interval), STATUS_ALERTED);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
}

/* Alerted with an APC queued: the wait reports the alert, the APC stays. */
TEST(apc, alertable_delay_alert_before_apc)
{
    LARGE_INTEGER Interval = {.QuadPart = -100000000ll};

    NtapiApcReset();
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, (PVOID)8, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtAlertThread(NtCurrentThread()), STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(TRUE, &Interval), STATUS_ALERTED);
    CHECK_EQ(NtapiApc.Count, 0);
    CHECK_STATUS(NtDelayExecution(TRUE, &Interval), STATUS_USER_APC);
    CHECK_EQ(NtapiApc.Count, 1);
}

/* A wait that is not alertable leaves the APC queued. */
TEST(apc, non_alertable_delay_keeps_apc)
{
    LARGE_INTEGER Interval = {.QuadPart = -10000ll}; /* 1 ms */

    NtapiApcReset();
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiApcRoutine, NULL, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(FALSE, &Interval), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 0);
    CHECK_STATUS(NtTestAlert(), STATUS_SUCCESS);
    CHECK_EQ(NtapiApc.Count, 1);
}

/* An APC queued while the thread waits (here by a timer that expires)
 * ends the alertable wait: the APC runs, then the wait returns
 * STATUS_USER_APC. */
TEST(apc, timer_apc_ends_alertable_wait)
{
    LARGE_INTEGER Due = {.QuadPart = -100000ll};         /* 10 ms */
    LARGE_INTEGER Interval = {.QuadPart = -100000000ll}; /* 10 s */
    HANDLE Timer = NULL;

    NtapiApcReset();
    CHECK_STATUS(NtCreateTimer(&Timer, 0x1f0003 /* TIMER_ALL_ACCESS */, NULL, 0), STATUS_SUCCESS);
    if (Timer == NULL)
        return;
    CHECK_STATUS(NtSetTimer(Timer, &Due, NtapiApcRoutine, (PVOID)0x7117, FALSE, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtDelayExecution(TRUE, &Interval), STATUS_USER_APC);
    CHECK_EQ(NtapiApc.Count, 1);
    CHECK_EQ(NtapiApc.Args[0][0], 0x7117);
    CHECK(NtapiApc.Args[0][2] != 0); /* the expiry time's high part */
    NtClose(Timer);
}

/* __try { NtTestAlert(); } __except (1) { return code }: an exception in an
 * APC routine unwinds through KiUserApcDispatcher's frame into the code
 * that was interrupted. */
ULONG64 NtapiTryTestAlert(VOID);

__asm__(".text\n"
        ".seh_proc NtapiTryTestAlert\n"
        "NtapiTryTestAlert: subq $40, %rsp\n .seh_stackalloc 40\n .seh_endprologue\n"
        " .seh_handler __C_specific_handler, @except, @unwind\n"
        "NtapiTestAlertBegin: call *__imp_NtTestAlert(%rip)\n nop\n"
        "NtapiTestAlertEnd: addq $40, %rsp\n ret\n"
        "NtapiTestAlertTarget: addq $40, %rsp\n ret\n"
        " .seh_handlerdata\n .long 1\n"
        " .rva NtapiTestAlertBegin, NtapiTestAlertEnd\n .long 1\n .rva NtapiTestAlertTarget\n"
        " .text\n .seh_endproc\n");

static VOID NTAPI NtapiRaisingApc(PVOID A1, PVOID A2, PVOID A3)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = (NTSTATUS)0xE0AAAAAA};

    (void)A1, (void)A2, (void)A3;
    NtapiApc.Count++;
    RtlRaiseException(&Record);
}

TEST(apc, exception_unwinds_out_of_apc)
{
    NtapiApcReset();
    CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), NtapiRaisingApc, NULL, NULL, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiTryTestAlert(), 0xE0AAAAAA);
    CHECK_EQ(NtapiApc.Count, 1);
    CHECK_EQ(NtapiTryTestAlert(), STATUS_SUCCESS); /* nothing queued any more */
}

/* ---- another thread ---------------------------------------------------------------- */

static volatile NTSTATUS NtapiSleeperResult;

static ULONG NTAPI NtapiAlertableSleeper(PVOID Argument)
{
    LARGE_INTEGER Interval = {.QuadPart = -50000000ll}; /* 5 s: an APC or an alert ends it */

    (void)Argument;
    NtapiSleeperResult = NtDelayExecution(TRUE, &Interval);
    return 0;
}

/* Start the sleeper, give it time to reach its wait, queue an APC to it
 * (Alert FALSE) or alert it (TRUE), wait for its end. */
static NTSTATUS NtapiWakeSleeper(BOOLEAN Alert)
{
    LARGE_INTEGER Settle = {.QuadPart = -200000ll}; /* 20 ms */
    LARGE_INTEGER Limit = {.QuadPart = -50000000ll};
    HANDLE Thread = NULL;

    NtapiSleeperResult = STATUS_PENDING;
    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                       NtapiAlertableSleeper, NULL, 0, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        return STATUS_UNSUCCESSFUL;
    NtDelayExecution(FALSE, &Settle);
    if (Alert)
        CHECK_STATUS(NtAlertThread(Thread), STATUS_SUCCESS);
    else
        CHECK_STATUS(
            NtQueueApcThread(Thread, NtapiApcRoutine, (PVOID)0x31, (PVOID)0x32, (PVOID)0x33),
            STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, &Limit), STATUS_SUCCESS);
    NtClose(Thread);
    return NtapiSleeperResult;
}

/* An APC queued to a thread in an alertable wait runs in that thread, and
 * its wait returns STATUS_USER_APC. */
TEST(apc, to_thread_in_alertable_wait)
{
    NtapiApcReset();
    CHECK_STATUS(NtapiWakeSleeper(FALSE), STATUS_USER_APC);
    CHECK_EQ(NtapiApc.Count, 1);
    CHECK_EQ(NtapiApc.Args[0][0], 0x31);
    CHECK_EQ(NtapiApc.Args[0][1], 0x32);
    CHECK_EQ(NtapiApc.Args[0][2], 0x33);
}

TEST(apc, alert_thread_in_alertable_wait)
{
    NtapiApcReset();
    CHECK_STATUS(NtapiWakeSleeper(TRUE), STATUS_ALERTED);
    CHECK_EQ(NtapiApc.Count, 0);
}
