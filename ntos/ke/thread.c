/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The thread table: endpoint badges to ETHREADs. A thread id is
 * ((generation << 12) | index) << 2 with index 1..4095: never 0, a
 * multiple of 4 like Windows' client ids, below 2^34 (so below the fault
 * bit 2^62), and an id that is reused for a new thread only after 2^20
 * registrations of the same index, so a stale badge finds nothing.
 */
#include "kep.h"

#define KI_MAX_THREADS 4096
#define KI_GENERATIONS (1u << 20)

static PETHREAD KiThreads[KI_MAX_THREADS];
static ULONG KiGeneration[KI_MAX_THREADS];
static ULONG KiThreadHint = 1;

static ULONG_PTR KiMakeId(ULONG Index)
{
    return (((ULONG_PTR)KiGeneration[Index] << 12) | Index) << 2;
}

ULONG_PTR KeRegisterThread(PETHREAD Thread)
{
    for (ULONG n = 0; n < KI_MAX_THREADS - 1; n++) {
        ULONG Index = 1 + (KiThreadHint - 1 + n) % (KI_MAX_THREADS - 1);
        if (KiThreads[Index] != NULL)
            continue;
        KiGeneration[Index] = (KiGeneration[Index] + 1) % KI_GENERATIONS;
        KiThreads[Index] = Thread;
        KiThreadHint = Index + 1;
        Thread->UniqueThreadId = KiMakeId(Index);
        return Thread->UniqueThreadId;
    }
    return 0;
}

void KeUnregisterThread(PETHREAD Thread)
{
    ULONG Index = (ULONG)(Thread->UniqueThreadId >> 2) & (KI_MAX_THREADS - 1);

    ASSERT(Index != 0 && KiThreads[Index] == Thread);
    KiThreads[Index] = NULL;
    KiFlushUserApcs(Thread); /* an ended thread runs no more APCs */
    if (Thread->ReplySlot != seL4_CapNull) {
        /* The slot KeWaitForWake took for the thread's saved reply cap. */
        seL4_CNode_Delete(MmRootCNode, Thread->ReplySlot, MM_CPTR_DEPTH);
        MmFreeSlot(Thread->ReplySlot);
        Thread->ReplySlot = seL4_CapNull;
    }
}

PETHREAD KeLookupThread(ULONG_PTR Id)
{
    ULONG Index = (ULONG)(Id >> 2) & (KI_MAX_THREADS - 1);

    if (Id == 0 || (Id & 3) || Index == 0 || KiThreads[Index] == NULL)
        return NULL;
    return KiMakeId(Index) == Id ? KiThreads[Index] : NULL;
}
