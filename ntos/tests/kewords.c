/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-test of the words of a service request: a helper thread with an IPC
 * buffer sends six words (MR4 and MR5 travel in the buffers) while the
 * pool is arranged so that the request's KREQUEST cannot be allocated
 * without growing the pool. Growing maps a fresh page (Retype, Map), and
 * those invocations reuse ntos's own message registers; the handler must
 * still see the six words the caller sent. (A stock mingw program's first
 * NtAllocateVirtualMemory once arrived with a garbage AllocationType so.)
 *
 * The arrangement: one-page pool blocks are taken until two in a row come
 * from the end of the pool (no freed run is left), then blocks of the
 * KREQUEST's size class until a fresh page has been carved and emptied.
 * If the pool ever hands out memory differently, the arrangement may fail
 * to force a growth; the test then still checks the words, it just no
 * longer tests the growth.
 */
#include "ktest.h"

#define KT_WORDS_LABEL 0x77
#define KT_WORDS_COUNT 6
#define KT_WORDS_MAX   2048
#define KT_WORDS_TAG   0x7364774b /* 'Kwds' */

typedef struct _KT_WORDS_CLIENT {
    ETHREAD Thread;
    seL4_CPtr Endpoint;
    seL4_Word *Buffer; /* its IPC buffer, as ntos sees it */
    seL4_Word Result;
    seL4_CPtr Done;
    ULONG_PTR Stack[512] __attribute__((aligned(16)));
} KT_WORDS_CLIENT;

static KT_WORDS_CLIENT KtWordsClient;
static PMMPFN KtWordsBufferPage;
static seL4_Word KtWordsSeen[KT_WORDS_COUNT];
static ULONG KtWordsSeenCount, KtWordsHandled;
static void *KtWordsPages[KT_WORDS_MAX], *KtWordsBlocks[KT_WORDS_MAX];
static ULONG KtWordsPageCount, KtWordsBlockCount;

static const seL4_Word KtWordsSent[KT_WORDS_COUNT] = {
    0x1111, 0x2222, 0x3333, 0x4444, 0x55555555aaaaull, 0x66};

/* Runs in the helper: MR4.. are written into its IPC buffer by hand (it has no TLS). */
static void KtWordsClientMain(KT_WORDS_CLIENT *Client)
{
    seL4_Word Mr0 = KtWordsSent[0], Mr1 = KtWordsSent[1], Mr2 = KtWordsSent[2],
              Mr3 = KtWordsSent[3];

    for (ULONG i = 4; i < KT_WORDS_COUNT; i++)
        Client->Buffer[1 + i] = KtWordsSent[i]; /* msg[i] follows the tag word */
    seL4_CallWithMRs(Client->Endpoint, seL4_MessageInfo_new(KT_WORDS_LABEL, 0, 0, KT_WORDS_COUNT),
                     &Mr0, &Mr1, &Mr2, &Mr3);
    Client->Result = Mr0;
    seL4_Signal(Client->Done);
    seL4_TCB_Suspend(Client->Thread.Tcb);
}

static NTSTATUS KtWordsDispatch(PETHREAD Thread, seL4_Word Label, seL4_Word *Args, ULONG ArgCount)
{
    (void)Thread;
    KtWordsHandled++;
    if (Label != KT_WORDS_LABEL)
        return STATUS_INVALID_SYSTEM_SERVICE;
    KtWordsSeenCount = ArgCount;
    for (ULONG i = 0; i < ArgCount && i < KT_WORDS_COUNT; i++)
        KtWordsSeen[i] = Args[i];
    return STATUS_SUCCESS;
}

static bool KtWordsOneHandled(void)
{
    return KtWordsHandled >= 1;
}

static bool KtWordsStartClient(KT_WORDS_CLIENT *Client)
{
    seL4_UserContext Regs = {0};

    if (!NT_SUCCESS(MmAllocatePhysicalPage(&KtWordsBufferPage)))
        return false;
    Client->Buffer = MmPageAddress(KtWordsBufferPage);
    if (KeRegisterThread(&Client->Thread) == 0 ||
        !NT_SUCCESS(MmAllocateObject(seL4_TCBObject, 0, &Client->Thread.Tcb)))
        return false;
    Client->Endpoint = MmAllocateSlot();
    if (seL4_CNode_Mint(MmRootCNode, Client->Endpoint, MM_CPTR_DEPTH, MmRootCNode,
                        KiServiceEndpoint, MM_CPTR_DEPTH, seL4_CapRights_new(1, 0, 0, 1),
                        Client->Thread.UniqueThreadId) != seL4_NoError)
        return false;
    /* Its IPC buffer: the page's frame cap, at the address ntos sees it. */
    if (seL4_TCB_Configure(Client->Thread.Tcb, 0, MmRootCNode, 0, seL4_CapInitThreadVSpace, 0,
                           (seL4_Word)Client->Buffer, KtWordsBufferPage->Frame) != seL4_NoError ||
        seL4_TCB_SetPriority(Client->Thread.Tcb, seL4_CapInitThreadTCB, KI_USER_PRIORITY) !=
            seL4_NoError)
        return false;
    Regs.rip = (seL4_Word)KtWordsClientMain;
    Regs.rsp = (seL4_Word)&Client->Stack[ARRAYSIZE(Client->Stack)] - 8;
    Regs.rdi = (seL4_Word)Client;
    Regs.rflags = 0x202;
    return seL4_TCB_WriteRegisters(Client->Thread.Tcb, true, 0, sizeof(Regs) / sizeof(seL4_Word),
                                   &Regs) == seL4_NoError;
}

/* Leaves the pool with no freed run and an empty free list for KREQUESTs. */
static void KtWordsDrainPool(void)
{
    SIZE_T Block = 32, PerPage;
    ULONG Contiguous = 0;

    while (Block < sizeof(KREQUEST) + 16)
        Block *= 2;
    PerPage = PAGE_SIZE / Block;
    while (KtWordsPageCount < KT_WORDS_MAX && Contiguous < 2) {
        void *Page = ExAllocatePoolWithTag(PAGE_SIZE - 16, KT_WORDS_TAG);

        if (Page == NULL)
            return;
        Contiguous = KtWordsPageCount > 0 &&
                             (char *)Page == (char *)KtWordsPages[KtWordsPageCount - 1] + PAGE_SIZE
                         ? Contiguous + 1
                         : 0;
        KtWordsPages[KtWordsPageCount++] = Page;
    }
    /* A fresh page's first block is its last slot (the free list is LIFO). */
    while (KtWordsBlockCount < KT_WORDS_MAX - PerPage) {
        char *Got = ExAllocatePoolWithTag(Block - 16, KT_WORDS_TAG);

        if (Got == NULL)
            return;
        KtWordsBlocks[KtWordsBlockCount++] = Got;
        if ((void *)Got > KtWordsPages[KtWordsPageCount - 1] &&
            ((ULONG_PTR)Got & (PAGE_SIZE - 1)) == PAGE_SIZE - Block + 16) {
            for (SIZE_T i = 1; i < PerPage; i++)
                KtWordsBlocks[KtWordsBlockCount++] =
                    ExAllocatePoolWithTag(Block - 16, KT_WORDS_TAG);
            return;
        }
    }
}

static void KtWordsFreePool(void)
{
    while (KtWordsBlockCount > 0)
        ExFreePoolWithTag(KtWordsBlocks[--KtWordsBlockCount], KT_WORDS_TAG);
    while (KtWordsPageCount > 0)
        ExFreePoolWithTag(KtWordsPages[--KtWordsPageCount], KT_WORDS_TAG);
}

KTEST(loop_words_survive_pool_growth)
{
    KT_WORDS_CLIENT *Client = &KtWordsClient;

    memset(Client, 0, sizeof(*Client));
    KtWordsHandled = KtWordsSeenCount = 0;
    if (!CHECK(NT_SUCCESS(MmAllocateObject(seL4_NotificationObject, 0, &Client->Done))) ||
        !CHECK(KtWordsStartClient(Client)))
        return;
    KiDispatchOverride = KtWordsDispatch;
    KtWordsDrainPool();
    KiRunServiceLoop(KtWordsOneHandled);
    seL4_Wait(Client->Done, NULL);
    CHECK_EQ(Client->Result, STATUS_SUCCESS);
    CHECK_EQ(KtWordsSeenCount, KT_WORDS_COUNT);
    for (ULONG i = 0; i < KT_WORDS_COUNT; i++)
        CHECK_EQ(KtWordsSeen[i], KtWordsSent[i]);
    KiDispatchOverride = NULL;
    KtWordsFreePool();
    MmFreeObject(Client->Thread.Tcb);
    seL4_CNode_Delete(MmRootCNode, Client->Endpoint, MM_CPTR_DEPTH);
    MmFreeSlot(Client->Endpoint);
    KeUnregisterThread(&Client->Thread);
    MmDereferencePage(KtWordsBufferPage);
    MmFreeObject(Client->Done);
}
