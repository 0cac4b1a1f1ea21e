/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The service loop and the life of a request. One server thread receives on
 * KiServiceEndpoint; the badge names the calling thread (KeLookupThread)
 * and whether the message is a fault (KI_BADGE_FAULT). A service request
 * runs KiDispatchService on a fiber of its own. If it completes without
 * waiting, the loop answers with seL4_ReplyRecv (label 0, MR0 = status). If
 * it waits (KeWaitForWake), its reply cap is moved into the thread's reply
 * slot and the loop goes on; KeWakeRequest queues the fiber, the loop
 * resumes it, and when it completes the status is sent on the saved cap.
 * Woken fibers run before the loop blocks again, so no wake is lost.
 */
#include "kep.h"

#include <ob.h>
#include <string.h>

#define KI_REQUEST_TAG 0x7165724b /* 'Kreq' */

KREQUEST *KiCurrentRequest;
KI_DISPATCH_ROUTINE KiDispatchOverride;
ULONG KiDroppedMessages;

PETHREAD KeGetCurrentThread(void)
{
    return KiCurrentRequest ? KiCurrentRequest->Thread : NULL;
}

static void KiRequestMain(void *Context)
{
    KREQUEST *Request = Context;

    KI_DISPATCH_ROUTINE Dispatch = KiDispatchOverride ? KiDispatchOverride : KiDispatchService;

    Request->Status = Dispatch(Request->Thread, Request->Label, Request->Args, Request->ArgCount);
}

static void KiEndRequest(KREQUEST *Request)
{
    PETHREAD Thread = Request->Thread;

    if (Thread->Fiber == Request->Fiber)
        Thread->Fiber = NULL;
    KiFreeFiber(Request->Fiber);
    ExFreePoolWithTag(Request, KI_REQUEST_TAG);
    /* ps ended the thread while this request waited and left its last
     * reference to us (ETHREAD.ReleaseAfterRequest). */
    if (Thread->ReleaseAfterRequest && Thread->Fiber == NULL) {
        Thread->ReleaseAfterRequest = false;
        ObDereferenceObject(Thread);
    }
}

/* Run (or resume) a request's fiber until it finishes or waits. */
static void KiRunRequest(KREQUEST *Request)
{
    KREQUEST *Outer = KiCurrentRequest;

    KiCurrentRequest = Request;
    KiSwitchToFiber(Request->Fiber);
    KiCurrentRequest = Outer;
}

/* Keep the answer of a suspended thread's request (ke.h): its reply cap
 * goes to Thread->ReplySlot unless it is there already (Saved). False when
 * no slot is left: the caller then answers at once. */
static bool KiHoldReply(PETHREAD Thread, NTSTATUS Status, bool Saved)
{
    if (!Saved) {
        if (Thread->ReplySlot == seL4_CapNull)
            Thread->ReplySlot = MmAllocateSlot();
        if (Thread->ReplySlot == seL4_CapNull)
            return false;
        seL4_Error Error = seL4_CNode_SaveCaller(MmRootCNode, Thread->ReplySlot, MM_CPTR_DEPTH);
        ASSERT(Error == seL4_NoError); /* the slot is ours and empty */
    }
    Thread->ReplyHeld = true;
    Thread->HeldStatus = Status;
    return true;
}

void KeReleaseHeldReply(PETHREAD Thread)
{
    if (!Thread->ReplyHeld)
        return;
    Thread->ReplyHeld = false;
    if (!Thread->Terminated && Thread->ReplySlot != seL4_CapNull &&
        !KiRedirectOnReturn(Thread, Thread->HeldStatus)) {
        seL4_SetMR(0, (seL4_Word)(ULONG)Thread->HeldStatus);
        seL4_NBSend(Thread->ReplySlot, seL4_MessageInfo_new(0, 0, 0, 1));
    }
}

/* A request that waited has finished: answer on its saved reply cap. NBSend
 * does nothing if the slot was emptied meanwhile (thread deleted). */
static void KiReplyToSaved(KREQUEST *Request)
{
    PETHREAD Thread = Request->Thread;

    if (!Thread->Terminated && Thread->ReplySlot != seL4_CapNull) {
        if (Thread->SuspendCount != 0) {
            KiHoldReply(Thread, Request->Status, true);
        } else if (!KiRedirectOnReturn(Thread, Request->Status)) {
            seL4_SetMR(0, (seL4_Word)(ULONG)Request->Status);
            seL4_NBSend(Thread->ReplySlot, seL4_MessageInfo_new(0, 0, 0, 1));
        }
    }
    KiEndRequest(Request);
}

static void KiRunReadyFibers(void)
{
    KFIBER *Fiber;

    while ((Fiber = KiDequeueReadyFiber()) != NULL) {
        KREQUEST *Request = Fiber->Context;
        KiRunRequest(Request);
        if (Fiber->State == KiFiberFinished)
            KiReplyToSaved(Request);
    }
}

/* A service message. True with *Status when the caller is to be answered now. */
static bool KiHandleRequest(PETHREAD Thread, seL4_MessageInfo_t Info, NTSTATUS *Status)
{
    /* The message words first: allocating may invoke seL4 (the pool grows),
     * which overwrites the IPC buffer's message registers. */
    static seL4_Word Args[seL4_MsgMaxLength];
    ULONG ArgCount = (ULONG)seL4_MessageInfo_get_length(Info);
    KREQUEST *Request;
    bool Hold;

    for (ULONG i = 0; i < ArgCount; i++)
        Args[i] = seL4_GetMR((int)i);
    Request = ExAllocatePoolWithTag(sizeof(*Request), KI_REQUEST_TAG);
    *Status = STATUS_INSUFFICIENT_RESOURCES;
    if (Request == NULL)
        return true;
    Request->Thread = Thread;
    Request->Label = seL4_MessageInfo_get_label(Info);
    Request->ArgCount = ArgCount;
    memcpy(Request->Args, Args,
           (ArgCount < NTSVC_MAX_ARGS ? ArgCount : NTSVC_MAX_ARGS) * sizeof(seL4_Word));
    Request->Fiber = KiCreateFiber(KiRequestMain, Request);
    if (Request->Fiber == NULL) {
        ExFreePoolWithTag(Request, KI_REQUEST_TAG);
        return true;
    }
    Thread->Fiber = Request->Fiber;
    KiRunRequest(Request);
    if (Request->Fiber->State != KiFiberFinished)
        return false; /* waiting: its reply cap is saved */
    *Status = Request->Status;
    /* Suspended during its own call: it stays blocked in the call (decided
     * before KiEndRequest, which may drop an ended thread). */
    Hold = Thread->SuspendCount != 0 && !Thread->Terminated && KiHoldReply(Thread, *Status, false);
    KiEndRequest(Request);
    if (Hold)
        return false;
    /* A user APC instead of the answer: the thread resumes in its dispatcher
     * and the reply (its cap gone) is dropped. */
    KiRedirectOnReturn(Thread, *Status);
    return true;
}

/* One message; true with *Reply when the sender is to be answered now. */
static bool KiHandleMessage(seL4_Word Badge, seL4_MessageInfo_t Info, seL4_MessageInfo_t *Reply,
                            NTSTATUS *Status)
{
    PETHREAD Thread;

    if (Badge & KI_BADGE_NOTIFY) {
        /* A signal of the bound notification: no message, no reply. */
        if (Badge & KI_NOTIFY_TIMER)
            KiTimerInterrupt();
        if (Badge & KI_NOTIFY_DRIVER_MASK)
            IoHandleDriverSignal(Badge & KI_NOTIFY_DRIVER_MASK);
        return false;
    }
    Thread = KeLookupThread(Badge & ~KI_BADGE_FAULT);
    if (Thread == NULL) {
        KiDroppedMessages++;
        KePrint("ntos: message (label %lu) with unknown badge 0x%lx dropped\n",
                (unsigned long)seL4_MessageInfo_get_label(Info), (unsigned long)Badge);
        return false;
    }
    if (Badge & KI_BADGE_FAULT) {
        *Reply = seL4_MessageInfo_new(0, 0, 0, 0);
        *Status = STATUS_SUCCESS;
        return KiHandleFault(Thread, Info);
    }
    *Reply = seL4_MessageInfo_new(0, 0, 0, 1);
    return KiHandleRequest(Thread, Info, Status);
}

void KiRunServiceLoop(bool (*Stop)(void))
{
    seL4_Word Badge;
    seL4_MessageInfo_t Info = seL4_Recv(KiServiceEndpoint, &Badge);

    for (;;) {
        seL4_MessageInfo_t Reply = seL4_MessageInfo_new(0, 0, 0, 0);
        NTSTATUS Status = STATUS_SUCCESS;
        bool Answer = KiHandleMessage(Badge, Info, &Reply, &Status);

        KiRunReadyFibers();
        if (Answer)
            seL4_SetMR(0, (seL4_Word)(ULONG)Status);
        if (Stop && Stop()) {
            if (Answer)
                seL4_Reply(Reply);
            return;
        }
        if (Answer)
            Info = seL4_ReplyRecv(KiServiceEndpoint, Reply, &Badge);
        else
            Info = seL4_Recv(KiServiceEndpoint, &Badge);
    }
}

void KiServiceLoop(void)
{
    KiRunServiceLoop(NULL);
    KeBugCheck("the service loop ended");
}

NTSTATUS KeWaitForWake(void)
{
    KREQUEST *Request = KiCurrentRequest;
    PETHREAD Thread;

    ASSERT(Request != NULL && KiCurrentFiber == Request->Fiber); /* only a request may wait */
    Thread = Request->Thread;
    if (!Request->ReplySaved) {
        if (Thread->ReplySlot == seL4_CapNull)
            Thread->ReplySlot = MmAllocateSlot();
        if (Thread->ReplySlot == seL4_CapNull)
            return STATUS_INSUFFICIENT_RESOURCES;
        seL4_Error Error = seL4_CNode_SaveCaller(MmRootCNode, Thread->ReplySlot, MM_CPTR_DEPTH);
        ASSERT(Error == seL4_NoError); /* the slot is ours and empty */
        Request->ReplySaved = true;
    }
    KiSwitchToLoop();
    return Request->Fiber->WakeStatus;
}

void KeWakeRequest(PETHREAD Thread, NTSTATUS Status)
{
    KFIBER *Fiber = Thread->Fiber;

    if (Fiber == NULL || Fiber->State != KiFiberWaiting)
        return; /* nothing waits (or it is already woken) */
    Fiber->WakeStatus = Status;
    Fiber->State = KiFiberReady;
    KiQueueReadyFiber(Fiber);
}
