/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of the service loop with real IPC: helper threads in ntos's
 * own CSpace and VSpace call the endpoint through badged caps, as user
 * threads do, while KiRunServiceLoop serves until the state a test waits
 * for is reached (a stray signal, e.g. a timer interrupt, may come too).
 * Requests run on fibers through KiDispatchOverride: one waits (its reply
 * cap is saved), another wakes it, and both callers get their answers.
 */
#include "ktest.h"

#define KT_LABEL_WAIT  1
#define KT_LABEL_WAKE  2
#define KT_LABEL_ECHO  3
#define KT_LABEL_DELAY 4
#define KT_STACK       4096

typedef struct _KT_CLIENT {
    ETHREAD Thread;
    seL4_CPtr Endpoint; /* badged with the thread's id */
    seL4_Word Label, Arg;
    seL4_Word Result; /* MR0 of the reply */
    seL4_Word ReplyLabel;
    seL4_CPtr Done; /* notification signalled when the reply came */
    ULONG_PTR Stack[KT_STACK / sizeof(ULONG_PTR)] __attribute__((aligned(16)));
} KT_CLIENT;

static KT_CLIENT KtClients[2];
static NTSTATUS KtDispatch(PETHREAD Thread, seL4_Word Label, seL4_Word *Args, ULONG ArgCount);
static ULONG KtHandled, KtDropped; /* requests KtDispatch saw; drops before a test */

static bool KtOneHandled(void)
{
    return KtHandled >= 1;
}

static bool KtFirstRequestEnded(void)
{
    return KtHandled >= 1 && KtClients[0].Thread.Fiber == NULL;
}

static bool KtAllRequestsEnded(void)
{
    return KtHandled >= 2 && KtClients[0].Thread.Fiber == NULL && KtClients[1].Thread.Fiber == NULL;
}

static bool KtOneDropped(void)
{
    return KiDroppedMessages > KtDropped;
}

static void KtBegin(void)
{
    memset(KtClients, 0, sizeof(KtClients));
    KtHandled = 0;
    KtDropped = KiDroppedMessages;
    KiDispatchOverride = KtDispatch;
}

/* Runs in a helper thread: no TLS, no IPC buffer, registers only. */
static void KtClientMain(KT_CLIENT *Client)
{
    seL4_Word Mr0 = Client->Arg, Mr1 = 0, Mr2 = 0, Mr3 = 0;
    seL4_MessageInfo_t Reply = seL4_CallWithMRs(
        Client->Endpoint, seL4_MessageInfo_new(Client->Label, 0, 0, 1), &Mr0, &Mr1, &Mr2, &Mr3);

    Client->ReplyLabel = seL4_MessageInfo_get_label(Reply);
    Client->Result = Mr0;
    seL4_Signal(Client->Done);
    seL4_TCB_Suspend(Client->Thread.Tcb);
}

static NTSTATUS KtDispatch(PETHREAD Thread, seL4_Word Label, seL4_Word *Args, ULONG ArgCount)
{
    KtHandled++;
    if (ArgCount != 1 || Thread != KeGetCurrentThread())
        return STATUS_INVALID_PARAMETER;
    switch (Label) {
    case KT_LABEL_WAIT:
        return KeWaitForWake();
    case KT_LABEL_WAKE:
        KeWakeRequest(&KtClients[0].Thread, (NTSTATUS)Args[0]);
        return STATUS_SUCCESS;
    case KT_LABEL_ECHO:
        return (NTSTATUS)Args[0];
    case KT_LABEL_DELAY:
        return KeDelayExecution(Args[0]);
    default:
        return STATUS_INVALID_SYSTEM_SERVICE;
    }
}

static bool KtStartClient(KT_CLIENT *Client, seL4_Word Label, seL4_Word Arg, seL4_CPtr Done)
{
    seL4_UserContext Regs = {0};

    Client->Label = Label;
    Client->Arg = Arg;
    Client->Done = Done;
    Client->Result = 0xdead;
    if (KeRegisterThread(&Client->Thread) == 0 ||
        !NT_SUCCESS(MmAllocateObject(seL4_TCBObject, 0, &Client->Thread.Tcb)))
        return false;
    Client->Endpoint = MmAllocateSlot();
    if (seL4_CNode_Mint(MmRootCNode, Client->Endpoint, MM_CPTR_DEPTH, MmRootCNode,
                        KiServiceEndpoint, MM_CPTR_DEPTH, seL4_CapRights_new(1, 0, 0, 1),
                        Client->Thread.UniqueThreadId) != seL4_NoError)
        return false;
    if (seL4_TCB_Configure(Client->Thread.Tcb, 0, MmRootCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                           0) != seL4_NoError ||
        seL4_TCB_SetPriority(Client->Thread.Tcb, seL4_CapInitThreadTCB, KI_USER_PRIORITY) !=
            seL4_NoError)
        return false;
    Regs.rip = (seL4_Word)KtClientMain;
    Regs.rsp = (seL4_Word)&Client->Stack[ARRAYSIZE(Client->Stack)] - 8; /* as after a call */
    Regs.rdi = (seL4_Word)Client;
    Regs.rflags = 0x202;
    return seL4_TCB_WriteRegisters(Client->Thread.Tcb, true, 0, sizeof(Regs) / sizeof(seL4_Word),
                                   &Regs) == seL4_NoError;
}

static void KtStopClient(KT_CLIENT *Client)
{
    MmFreeObject(Client->Thread.Tcb);
    seL4_CNode_Delete(MmRootCNode, Client->Endpoint, MM_CPTR_DEPTH);
    MmFreeSlot(Client->Endpoint);
    KeUnregisterThread(&Client->Thread);
}

KTEST(loop_replies_at_once)
{
    seL4_CPtr Done;

    if (!CHECK(NT_SUCCESS(MmAllocateObject(seL4_NotificationObject, 0, &Done))))
        return;
    KtBegin();
    CHECK(KtStartClient(&KtClients[0], KT_LABEL_ECHO, 0x1234, Done));
    KiRunServiceLoop(KtOneHandled);
    seL4_Wait(Done, NULL);
    CHECK_EQ(KtClients[0].ReplyLabel, 0);
    CHECK_EQ(KtClients[0].Result, 0x1234);
    KtStopClient(&KtClients[0]);
    KiDispatchOverride = NULL;
    MmFreeObject(Done);
}

KTEST(loop_waiting_request_answered_after_wake)
{
    seL4_CPtr Done;

    if (!CHECK(NT_SUCCESS(MmAllocateObject(seL4_NotificationObject, 0, &Done))))
        return;
    KtBegin();
    /* Client 0 waits (one message: no answer yet); client 1 then wakes it
     * with a status it must receive. */
    CHECK(KtStartClient(&KtClients[0], KT_LABEL_WAIT, 0, Done));
    KiRunServiceLoop(KtOneHandled);
    CHECK(KtClients[0].Thread.Fiber != NULL);
    CHECK_EQ(KtClients[0].Result, 0xdead);
    CHECK(KtStartClient(&KtClients[1], KT_LABEL_WAKE, (ULONG)STATUS_TIMEOUT, Done));
    KiRunServiceLoop(KtAllRequestsEnded);
    seL4_Wait(Done, NULL);
    seL4_Wait(Done, NULL);
    CHECK_EQ(KtClients[0].Result, (ULONG)STATUS_TIMEOUT);
    CHECK_EQ(KtClients[1].Result, (ULONG)STATUS_SUCCESS);
    CHECK(KtClients[0].Thread.Fiber == NULL); /* its request ended */
    for (int i = 0; i < 2; i++)
        KtStopClient(&KtClients[i]);
    KiDispatchOverride = NULL;
    MmFreeObject(Done);
}

KTEST(loop_unknown_badge_gets_no_reply)
{
    seL4_CPtr Done;
    KT_CLIENT *Client = &KtClients[0];

    if (!CHECK(NT_SUCCESS(MmAllocateObject(seL4_NotificationObject, 0, &Done))))
        return;
    KtBegin();
    CHECK(KtStartClient(Client, KT_LABEL_ECHO, 7, Done));
    /* Forget the thread before it calls: its badge now names nobody. */
    KeUnregisterThread(&Client->Thread);
    KiRunServiceLoop(KtOneDropped);
    seL4_Word Signals;
    seL4_Poll(Done, &Signals);
    CHECK_EQ(Signals, 0); /* still blocked: nothing answered it */
    CHECK_EQ(Client->Result, 0xdead);
    MmFreeObject(Client->Thread.Tcb);
    seL4_CNode_Delete(MmRootCNode, Client->Endpoint, MM_CPTR_DEPTH);
    MmFreeSlot(Client->Endpoint);
    KiDispatchOverride = NULL;
    MmFreeObject(Done);
}

KTEST(loop_request_delayed_by_timer)
{
    seL4_CPtr Done;
    ULONGLONG Start = KeQueryInterruptTime();

    if (!CHECK(NT_SUCCESS(MmAllocateObject(seL4_NotificationObject, 0, &Done))))
        return;
    KtBegin();
    CHECK(KtStartClient(&KtClients[0], KT_LABEL_DELAY, 100000 /* 10 ms */, Done));
    KiRunServiceLoop(KtOneHandled); /* the request: it waits */
    CHECK_EQ(KtClients[0].Result, 0xdead);
    /* The timer's interrupt (perhaps more than one: the PIT and the TSC may
     * disagree a little, so an early interrupt re-arms) wakes it. */
    KiRunServiceLoop(KtFirstRequestEnded);
    seL4_Wait(Done, NULL);
    CHECK_EQ(KtClients[0].Result, STATUS_SUCCESS);
    CHECK(KeQueryInterruptTime() - Start >= 100000);
    KtStopClient(&KtClients[0]);
    KiDispatchOverride = NULL;
    MmFreeObject(Done);
}
