/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Request fibers: a stack of its own (16 KiB from the pool, reused through
 * a free list) for each request in progress, so a handler can wait in the
 * middle of plain C code. Only the service loop switches into a fiber
 * (KiSwitchToFiber) and a fiber only switches back to the loop
 * (KiSwitchToLoop); fibers never switch among themselves. Also the queue of
 * woken fibers that the loop resumes.
 *
 * Each stack has an unmapped guard page below it (MmCreateKernelStack): a
 * handler that overflows its 16 KiB faults, which stops ntos with the
 * kernel's report instead of corrupting memory.
 */
#include "kep.h"

#define KI_FIBER_TAG   0x6265694b /* 'Kieb' */
#define KI_FIBER_STACK (16 * 1024)

KFIBER *KiCurrentFiber;
static ULONG_PTR KiLoopRsp;
static KFIBER *KiFreeFibers;
static ULONG KiFreeFibersCount;
static KFIBER *KiReadyHead, *KiReadyTail;

void KiFiberMain(KFIBER *Fiber) __attribute__((noreturn, used));

void KiFiberMain(KFIBER *Fiber)
{
    Fiber->Routine(Fiber->Context);
    Fiber->State = KiFiberFinished;
    KiSwitchToLoop();
    KeBugCheck("a finished fiber was resumed");
}

/* Lay out the frame KiSwitchFiber pops: a padding word, r15..r12, rbx,
 * rbp, then the return into KiFiberTrampoline with r12 = the fiber. */
static void KiPrepareStack(KFIBER *Fiber)
{
    ULONG_PTR Top = ((ULONG_PTR)Fiber->StackBase + Fiber->StackSize) & ~15ull;
    ULONG_PTR *Frame = (ULONG_PTR *)(Top - 80);

    Frame[0] = 0;                /* padding (no FPU state: fiber.S) */
    Frame[1] = 0;                /* r15 */
    Frame[2] = 0;                /* r14 */
    Frame[3] = 0;                /* r13 */
    Frame[4] = (ULONG_PTR)Fiber; /* r12 */
    Frame[5] = 0;                /* rbx */
    Frame[6] = 0;                /* rbp */
    Frame[7] = (ULONG_PTR)KiFiberTrampoline;
    Fiber->SavedRsp = (ULONG_PTR)Frame;
}

KFIBER *KiCreateFiber(KFIBER_ROUTINE Routine, void *Context)
{
    KFIBER *Fiber = KiFreeFibers;

    if (Fiber != NULL) {
        KiFreeFibers = Fiber->Next;
        KiFreeFibersCount--;
    } else {
        Fiber = ExAllocatePoolWithTag(sizeof(*Fiber), KI_FIBER_TAG);
        if (Fiber == NULL)
            return NULL;
        Fiber->StackBase = MmCreateKernelStack(KI_FIBER_STACK);
        if (Fiber->StackBase == NULL) {
            ExFreePoolWithTag(Fiber, KI_FIBER_TAG);
            return NULL;
        }
        Fiber->StackSize = KI_FIBER_STACK;
    }
    Fiber->Routine = Routine;
    Fiber->Context = Context;
    Fiber->State = KiFiberReady;
    Fiber->WakeStatus = STATUS_SUCCESS;
    Fiber->Next = NULL;
    KiPrepareStack(Fiber);
    return Fiber;
}

void KiFreeFiber(KFIBER *Fiber)
{
    ASSERT(Fiber != KiCurrentFiber && Fiber->State != KiFiberRunning);
    Fiber->Next = KiFreeFibers;
    KiFreeFibers = Fiber;
    KiFreeFibersCount++;
}

ULONG KiFreeFiberCount(void)
{
    return KiFreeFibersCount;
}

void KiSwitchToFiber(KFIBER *Fiber)
{
    ASSERT(KiCurrentFiber == NULL); /* only the loop switches into fibers */
    ASSERT(Fiber->State == KiFiberReady);
    KiCurrentFiber = Fiber;
    Fiber->State = KiFiberRunning;
    KiSwitchFiber(&KiLoopRsp, Fiber->SavedRsp);
    KiCurrentFiber = NULL;
}

void KiSwitchToLoop(void)
{
    KFIBER *Fiber = KiCurrentFiber;

    ASSERT(Fiber != NULL); /* the loop itself cannot wait */
    if (Fiber->State == KiFiberRunning)
        Fiber->State = KiFiberWaiting;
    KiSwitchFiber(&Fiber->SavedRsp, KiLoopRsp);
}

void KiQueueReadyFiber(KFIBER *Fiber)
{
    Fiber->Next = NULL;
    if (KiReadyTail)
        KiReadyTail->Next = Fiber;
    else
        KiReadyHead = Fiber;
    KiReadyTail = Fiber;
}

KFIBER *KiDequeueReadyFiber(void)
{
    KFIBER *Fiber = KiReadyHead;

    if (Fiber) {
        KiReadyHead = Fiber->Next;
        if (KiReadyHead == NULL)
            KiReadyTail = NULL;
        Fiber->Next = NULL;
    }
    return Fiber;
}
