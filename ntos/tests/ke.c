/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of ke/: the thread table, fibers (switching, waiting and
 * waking, reuse), and the archive reader on crafted archives.
 */
#include "ktest.h"

KTEST(thread_ids_register_lookup)
{
    static ETHREAD a, b;
    ULONG_PTR Ia = KeRegisterThread(&a), Ib = KeRegisterThread(&b);

    CHECK(Ia != 0 && Ib != 0 && Ia != Ib);
    CHECK_EQ(Ia & 3, 0);
    CHECK(Ia < (1ull << 62));
    CHECK_EQ(a.UniqueThreadId, Ia);
    CHECK(KeLookupThread(Ia) == &a);
    CHECK(KeLookupThread(Ib) == &b);
    CHECK(KeLookupThread(0) == NULL);
    CHECK(KeLookupThread(Ia | 1) == NULL);
    CHECK(KeLookupThread(Ia | KI_BADGE_FAULT) == NULL);
    KeUnregisterThread(&a);
    CHECK(KeLookupThread(Ia) == NULL);
    /* A stale id never finds the next thread in the same entry. */
    static ETHREAD c;
    for (int i = 0; i < 5000 && KeLookupThread(Ia) == NULL; i++) {
        ULONG_PTR Ic = KeRegisterThread(&c);
        CHECK(Ic != Ia);
        KeUnregisterThread(&c);
    }
    KeUnregisterThread(&b);
}

static int KtFiberSteps;

static void KtFiberRoutine(void *Context)
{
    KtFiberSteps += *(int *)Context;
    KiSwitchToLoop();
    KtFiberSteps *= 10;
}

KTEST(fiber_switch_and_finish)
{
    int Add = 3;
    KFIBER *Fiber = KiCreateFiber(KtFiberRoutine, &Add);

    if (!CHECK(Fiber != NULL))
        return;
    KtFiberSteps = 0;
    KiSwitchToFiber(Fiber);
    CHECK_EQ(KtFiberSteps, 3);
    CHECK_EQ(Fiber->State, KiFiberWaiting);
    Fiber->State = KiFiberReady;
    KiSwitchToFiber(Fiber);
    CHECK_EQ(KtFiberSteps, 30);
    CHECK_EQ(Fiber->State, KiFiberFinished);
    ULONG Free = KiFreeFiberCount();
    KiFreeFiber(Fiber);
    CHECK_EQ(KiFreeFiberCount(), Free + 1);
    KFIBER *Again = KiCreateFiber(KtFiberRoutine, &Add);
    CHECK(Again == Fiber); /* pooled */
    Again->State = KiFiberFinished;
    KiFreeFiber(Again);
}

KTEST(fiber_stacks_have_guard_gaps)
{
    static int Add = 1;
    KFIBER *a = KiCreateFiber(KtFiberRoutine, &Add), *b = KiCreateFiber(KtFiberRoutine, &Add);

    if (!CHECK(a != NULL && b != NULL))
        return;
    CHECK((ULONG_PTR)a->StackBase >= MM_KERNEL_STACKS);
    CHECK_EQ((ULONG_PTR)a->StackBase & (PAGE_SIZE - 1), 0);
    /* Stacks never touch: an unmapped page lies below each. */
    CHECK((ULONG_PTR)a->StackBase + a->StackSize < (ULONG_PTR)b->StackBase ||
          (ULONG_PTR)b->StackBase + b->StackSize < (ULONG_PTR)a->StackBase);
    a->State = b->State = KiFiberFinished;
    KiFreeFiber(a);
    KiFreeFiber(b);
}

/* A request body that waits twice and records what each wake said. */
static NTSTATUS KtWakeResults[2];

static void KtWaitingRequest(void *Context)
{
    KREQUEST *Request = Context;

    KtWakeResults[0] = KeWaitForWake();
    KtWakeResults[1] = KeWaitForWake();
    Request->Status = STATUS_SUCCESS;
}

static void KtResume(KREQUEST *Request)
{
    KREQUEST *Outer = KiCurrentRequest;

    KiCurrentRequest = Request;
    KiSwitchToFiber(Request->Fiber);
    KiCurrentRequest = Outer;
}

KTEST(fiber_wait_and_wake)
{
    static ETHREAD Thread;
    static KREQUEST Request;

    Request = (KREQUEST){.Thread = &Thread, .Status = STATUS_PENDING};
    Request.Fiber = KiCreateFiber(KtWaitingRequest, &Request);
    if (!CHECK(Request.Fiber != NULL))
        return;
    Thread.Fiber = Request.Fiber;
    KtResume(&Request);
    CHECK_EQ(Request.Fiber->State, KiFiberWaiting);
    CHECK(Request.ReplySaved);
    CHECK(Thread.ReplySlot != seL4_CapNull);
    CHECK(KiDequeueReadyFiber() == NULL); /* nothing woken yet */
    KeWakeRequest(&Thread, STATUS_TIMEOUT);
    KeWakeRequest(&Thread, STATUS_ALERTED); /* already woken: ignored */
    KFIBER *Ready = KiDequeueReadyFiber();
    CHECK(Ready == Request.Fiber);
    KtResume(&Request);
    CHECK_EQ(KtWakeResults[0], STATUS_TIMEOUT);
    KeWakeRequest(&Thread, STATUS_USER_APC);
    CHECK(KiDequeueReadyFiber() == Request.Fiber);
    KtResume(&Request);
    CHECK_EQ(KtWakeResults[1], STATUS_USER_APC);
    CHECK_EQ(Request.Fiber->State, KiFiberFinished);
    CHECK_EQ(Request.Status, STATUS_SUCCESS);
    KiFreeFiber(Request.Fiber);
    MmFreeSlot(Thread.ReplySlot);
}

KTEST(fiber_ready_queue_is_fifo)
{
    static ETHREAD Threads[3];
    static KREQUEST Requests[3];

    for (int i = 0; i < 3; i++) {
        Requests[i] = (KREQUEST){.Thread = &Threads[i]};
        Requests[i].Fiber = KiCreateFiber(KtWaitingRequest, &Requests[i]);
        Threads[i].Fiber = Requests[i].Fiber;
        KtResume(&Requests[i]);
    }
    KeWakeRequest(&Threads[2], STATUS_SUCCESS);
    KeWakeRequest(&Threads[0], STATUS_SUCCESS);
    KeWakeRequest(&Threads[1], STATUS_SUCCESS);
    CHECK(KiDequeueReadyFiber() == Requests[2].Fiber);
    CHECK(KiDequeueReadyFiber() == Requests[0].Fiber);
    CHECK(KiDequeueReadyFiber() == Requests[1].Fiber);
    CHECK(KiDequeueReadyFiber() == NULL);
    for (int i = 0; i < 3; i++) {
        Requests[i].Fiber->State = KiFiberFinished; /* abandoned mid-wait */
        KiFreeFiber(Requests[i].Fiber);
        MmFreeSlot(Threads[i].ReplySlot);
    }
}

/* ---- archive ------------------------------------------------------------ */

static UCHAR KtArchive[16 + 2 * 64 + 32] __attribute__((aligned(16)));

static void KtPut64(UCHAR *p, uint64_t v)
{
    memcpy(p, &v, sizeof(v));
}

static void KtBuildArchive(void)
{
    memset(KtArchive, 0, sizeof(KtArchive));
    memcpy(KtArchive, "NRDARC01", 8);
    KtArchive[8] = 2;
    memcpy(KtArchive + 16, "ntdll.dll", 9);
    KtPut64(KtArchive + 16 + 48, 144);
    KtPut64(KtArchive + 16 + 56, 5);
    memcpy(KtArchive + 80, "Hello.EXE", 9);
    KtPut64(KtArchive + 80 + 48, 160);
    KtPut64(KtArchive + 80 + 56, 16);
    memcpy(KtArchive + 144, "NTDLL", 5);
    memcpy(KtArchive + 160, "hello, world....", 16);
}

KTEST(archive_finds_files_case_insensitively)
{
    const void *Data;
    SIZE_T Size;

    KtBuildArchive();
    CHECK(KiFindFileInArchive(KtArchive, sizeof(KtArchive), "NTDLL.DLL", &Data, &Size));
    CHECK(Data == KtArchive + 144 && Size == 5);
    CHECK(KiFindFileInArchive(KtArchive, sizeof(KtArchive), "hello.exe", &Data, &Size));
    CHECK(Data == KtArchive + 160 && Size == 16);
    CHECK(!KiFindFileInArchive(KtArchive, sizeof(KtArchive), "hello.ex", &Data, &Size));
    CHECK(!KiFindFileInArchive(KtArchive, sizeof(KtArchive), "hello.exe2", &Data, &Size));
    CHECK(!KiFindFileInArchive(KtArchive, sizeof(KtArchive), "", &Data, &Size));
}

KTEST(archive_rejects_damage)
{
    const void *Data;
    SIZE_T Size;

    KtBuildArchive();
    CHECK(!KiFindFileInArchive(KtArchive, 100, "ntdll.dll", &Data, &Size)); /* cut directory */
    CHECK(!KiFindFileInArchive(KtArchive, 8, "ntdll.dll", &Data, &Size));
    KtPut64(KtArchive + 80 + 56, (uint64_t)-1); /* size runs past the end */
    CHECK(!KiFindFileInArchive(KtArchive, sizeof(KtArchive), "hello.exe", &Data, &Size));
    KtArchive[8] = 0xff; /* count far beyond the image */
    KtArchive[11] = 0xff;
    CHECK(!KiFindFileInArchive(KtArchive, sizeof(KtArchive), "ntdll.dll", &Data, &Size));
    KtBuildArchive();
    KtArchive[0] = 'X';
    CHECK(!KiFindFileInArchive(KtArchive, sizeof(KtArchive), "ntdll.dll", &Data, &Size));
    /* An empty archive (as the fallback rule builds it) has nothing. */
    CHECK(!KiFindFileInArchive("NRDARC01\0\0\0\0", 12, "ntdll.dll", &Data, &Size));
}

/* dirctl branch: the files in archive order, names cut to the room given. */
KTEST(archive_lists_files_in_order)
{
    const void *Data;
    SIZE_T Size;
    char Name[48], Short[4];

    KtBuildArchive();
    CHECK(KiArchiveFileAt(KtArchive, sizeof(KtArchive), 0, Name, sizeof(Name), &Data, &Size));
    CHECK(strcmp(Name, "ntdll.dll") == 0 && Data == KtArchive + 144 && Size == 5);
    CHECK(KiArchiveFileAt(KtArchive, sizeof(KtArchive), 1, Short, sizeof(Short), &Data, &Size));
    CHECK(strcmp(Short, "Hel") == 0 && Data == KtArchive + 160 && Size == 16);
    CHECK(!KiArchiveFileAt(KtArchive, sizeof(KtArchive), 2, Name, sizeof(Name), &Data, &Size));
    CHECK(!KiArchiveFileAt(KtArchive, 100, 1, Name, sizeof(Name), &Data, &Size)); /* cut */
    KtPut64(KtArchive + 80 + 56, (uint64_t)-1); /* size runs past the end */
    CHECK(!KiArchiveFileAt(KtArchive, sizeof(KtArchive), 1, Name, sizeof(Name), &Data, &Size));
    CHECK(KeArchiveFileAt(0, Name, sizeof(Name), &Data, &Size) && Name[0] != 0);
}

KTEST(archive_linked_in_is_readable)
{
    const void *Data = NULL;
    SIZE_T Size = 0;

    CHECK(!KeFindArchiveFile("no such file.bin", &Data, &Size));
    if (KeFindArchiveFile("ntdll.dll", &Data, &Size))
        CHECK(Size > 2 && memcmp(Data, "MZ", 2) == 0);
}
