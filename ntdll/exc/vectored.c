/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Vectored exception and continue handlers: two ordered lists the
 * dispatcher calls before the frame-based handlers (exception handlers)
 * and after an exception was handled (continue handlers). A handler that
 * answers EXCEPTION_CONTINUE_EXECUTION ends its list.
 *
 * FIXME: entries come from a fixed table (RTLP_MAX_VECTORED, NULL when it
 * is full) until ntdll has a heap (the ntdllrt branch); the lists are
 * guarded by a spin lock, and handlers are called with it released on a
 * snapshot, so one may add or remove handlers.
 */
#include "excp.h"

#define RTLP_MAX_VECTORED 64

typedef struct _RTLP_VECTORED_ENTRY {
    struct _RTLP_VECTORED_ENTRY *Next, *Prev;
    PVECTORED_EXCEPTION_HANDLER Handler;
    ULONG List; /* 0 exception, 1 continue; ~0 free */
} RTLP_VECTORED_ENTRY;

static RTLP_VECTORED_ENTRY RtlpVectoredEntries[RTLP_MAX_VECTORED];
static RTLP_VECTORED_ENTRY RtlpVectoredHeads[2] = {
    {&RtlpVectoredHeads[0], &RtlpVectoredHeads[0], NULL, 0},
    {&RtlpVectoredHeads[1], &RtlpVectoredHeads[1], NULL, 1},
};
static volatile LONG RtlpVectoredLock;
static BOOLEAN RtlpVectoredReady;

static VOID RtlpLockVectored(VOID)
{
    while (__sync_lock_test_and_set(&RtlpVectoredLock, 1))
        __asm__ volatile("pause");
    if (!RtlpVectoredReady) {
        for (ULONG i = 0; i < RTLP_MAX_VECTORED; i++)
            RtlpVectoredEntries[i].List = ~0u;
        RtlpVectoredReady = TRUE;
    }
}

static VOID RtlpUnlockVectored(VOID)
{
    __sync_lock_release(&RtlpVectoredLock);
}

static PVOID RtlpAddVectored(ULONG List, ULONG First, PVECTORED_EXCEPTION_HANDLER Handler)
{
    RTLP_VECTORED_ENTRY *Head = &RtlpVectoredHeads[List], *Entry = NULL;

    RtlpLockVectored();
    for (ULONG i = 0; i < RTLP_MAX_VECTORED && Entry == NULL; i++)
        if (RtlpVectoredEntries[i].List == ~0u)
            Entry = &RtlpVectoredEntries[i];
    if (Entry != NULL) {
        Entry->Handler = Handler;
        Entry->List = List;
        Entry->Prev = First ? Head : Head->Prev;
        Entry->Next = Entry->Prev->Next;
        Entry->Prev->Next = Entry;
        Entry->Next->Prev = Entry;
    }
    RtlpUnlockVectored();
    return Entry;
}

static ULONG RtlpRemoveVectored(ULONG List, PVOID Handle)
{
    RTLP_VECTORED_ENTRY *Head = &RtlpVectoredHeads[List], *Entry;
    ULONG Found = FALSE;

    RtlpLockVectored();
    for (Entry = Head->Next; Entry != Head; Entry = Entry->Next) {
        if (Entry == Handle) {
            Entry->Prev->Next = Entry->Next;
            Entry->Next->Prev = Entry->Prev;
            Entry->List = ~0u;
            Found = TRUE;
            break;
        }
    }
    RtlpUnlockVectored();
    return Found;
}

PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler)
{
    return RtlpAddVectored(0, First, Handler);
}

ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle)
{
    return RtlpRemoveVectored(0, Handle);
}

PVOID NTAPI RtlAddVectoredContinueHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler)
{
    return RtlpAddVectored(1, First, Handler);
}

ULONG NTAPI RtlRemoveVectoredContinueHandler(PVOID Handle)
{
    return RtlpRemoveVectored(1, Handle);
}

BOOLEAN RtlpCallVectoredHandlers(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context,
                                 BOOLEAN Continue)
{
    RTLP_VECTORED_ENTRY *Head = &RtlpVectoredHeads[Continue ? 1 : 0], *Entry;
    PVECTORED_EXCEPTION_HANDLER Handlers[RTLP_MAX_VECTORED];
    EXCEPTION_POINTERS Pointers = {ExceptionRecord, Context};
    ULONG Count = 0;

    RtlpLockVectored();
    for (Entry = Head->Next; Entry != Head; Entry = Entry->Next)
        Handlers[Count++] = Entry->Handler;
    RtlpUnlockVectored();
    for (ULONG i = 0; i < Count; i++)
        if (Handlers[i](&Pointers) == EXCEPTION_CONTINUE_EXECUTION)
            return TRUE;
    return FALSE;
}
