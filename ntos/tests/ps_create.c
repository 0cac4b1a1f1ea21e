/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of thread creation and suspension (ps/create.c, suspend.c):
 * many threads made and ended give back every page and slot, suspended
 * threads hold a count and their TCB stopped, a held answer of a suspended
 * thread, and priorities mapped below ntos's. The hello.exe threads never
 * run: ntos is above user priority and these tests never block.
 */
#include "ktest.h"

#include <ntsvc.h>
#include <ob.h>
#include <svc.h>
#include <string.h>

#include "../ps/psp.h"

static PEPROCESS KtCreateProcess(void)
{
    PEPROCESS Process = NULL;

    if (!CHECK_EQ(PsCreateProcessFromArchive("hello.exe", u"hello.exe", &Process), STATUS_SUCCESS))
        return NULL;
    ObReferenceObject(Process);
    return Process;
}

static void KtEnd(PEPROCESS Process)
{
    PsTerminateProcess(Process, 0);
    ObDereferenceObject(Process);
}

static NTSTATUS KtThread(PEPROCESS Process, bool Suspended, PETHREAD *Thread)
{
    PSP_THREAD_START Start = {
        .ContextRip = Process->ImageBase + 0x1000,
        .Win32StartAddress = Process->ImageBase + 0x1000,
        .StackReserve = 0x40000,
        .Suspended = Suspended,
    };

    return PspCreateThreadEx(Process, &Start, Thread);
}

KTEST(ps_many_threads_leave_nothing)
{
    PEPROCESS Process = KtCreateProcess();
    ULONG Pages, Slots;
    PETHREAD Thread;

    if (!Process)
        return;
    /* As many rounds first, so that what grows lazily (page tables of the
     * stack area, untyped chunks) is already there. */
    for (ULONG i = 0; i < 64; i++) {
        if (NT_SUCCESS(KtThread(Process, i & 1, &Thread)))
            PsTerminateThread(Thread, 0);
    }
    Pages = MiFreePageCount(), Slots = MiFreeSlotCount();
    for (ULONG i = 0; i < 64; i++) {
        if (!CHECK_EQ(KtThread(Process, i & 1, &Thread), STATUS_SUCCESS))
            break;
        CHECK_EQ(Process->ActiveThreads, 2);
        PsTerminateThread(Thread, i);
    }
    CHECK_EQ(Process->ActiveThreads, 1);
    CHECK_EQ(MiFreePageCount(), Pages);
    CHECK_EQ(MiFreeSlotCount(), Slots);
    KtEnd(Process);
}

KTEST(ps_suspended_thread_state)
{
    PEPROCESS Process = KtCreateProcess();
    PETHREAD Thread;

    if (!Process)
        return;
    if (CHECK_EQ(KtThread(Process, true, &Thread), STATUS_SUCCESS)) {
        CHECK_EQ(Thread->SuspendCount, 1);
        CHECK(PspThread(Thread)->TcbSuspended);
        CHECK_EQ(PsResumeThread(Thread, NULL), STATUS_SUCCESS);
        CHECK_EQ(Thread->SuspendCount, 0);
        CHECK(!PspThread(Thread)->TcbSuspended);
        /* Nothing held: releasing is a no-op. */
        CHECK(!Thread->ReplyHeld);
        KeReleaseHeldReply(Thread);
        PsTerminateThread(Thread, 0);
    }
    KtEnd(Process);
}

KTEST(ps_priority_below_ntos)
{
    PEPROCESS Process = KtCreateProcess();
    PETHREAD Thread;

    if (!Process)
        return;
    Thread = &PspProcess(Process)->Threads->Tcb;
    CHECK_EQ(PspThread(Thread)->Priority, PSP_PRIORITY_NORMAL);
    /* The extremes map to seL4 priorities the TCB accepts (ntos's TCB as
     * authority refuses any above its own: PspApplyPriority asserts). */
    PspThread(Thread)->Priority = 31;
    PspApplyPriority(Thread);
    PspThread(Thread)->Priority = 1;
    PspApplyPriority(Thread);
    CHECK(!Thread->Terminated);
    KtEnd(Process);
}
