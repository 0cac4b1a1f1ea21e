/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One-time initialisation (RTL_RUN_ONCE: one pointer). The word is 0 before
 * anyone started, RTLP_ONCE_BUSY while one caller initialises (later
 * callers sleep on the word's key, counted in the bits above), and the
 * context with RTLP_ONCE_DONE once complete (the context's two low bits
 * are reserved for that, RTL_RUN_ONCE_CTX_RESERVED_BITS). A failed
 * initialisation returns the word to 0 and wakes the sleepers, one of
 * which then tries. FIXME: RTL_RUN_ONCE_ASYNC (parallel initialisers)
 * answers STATUS_NOT_IMPLEMENTED.
 */
#include "syncp.h"

#define RTLP_ONCE_BUSY   0x1ull
#define RTLP_ONCE_DONE   0x2ull
#define RTLP_ONCE_STATE  0x3ull
#define RTLP_ONCE_WAITER 0x4ull /* sleepers, counted from bit 2 while BUSY */

static ULONG_PTR *RtlpOnceWord(PRTL_RUN_ONCE RunOnce)
{
    return (ULONG_PTR *)&RunOnce->Ptr;
}

VOID NTAPI RtlRunOnceInitialize(PRTL_RUN_ONCE RunOnce)
{
    RunOnce->Ptr = NULL;
}

NTSTATUS NTAPI RtlRunOnceBeginInitialize(PRTL_RUN_ONCE RunOnce, ULONG Flags, PVOID *Context)
{
    ULONG_PTR Old = __atomic_load_n(RtlpOnceWord(RunOnce), __ATOMIC_ACQUIRE);

    if (Flags & ~(RTL_RUN_ONCE_CHECK_ONLY | RTL_RUN_ONCE_ASYNC))
        return STATUS_INVALID_PARAMETER_2;
    if (Flags & RTL_RUN_ONCE_ASYNC)
        return STATUS_NOT_IMPLEMENTED; /* FIXME: parallel initialisers */
    for (;;) {
        if ((Old & RTLP_ONCE_STATE) == RTLP_ONCE_DONE) {
            if (Context)
                *Context = (PVOID)(Old & ~RTLP_ONCE_STATE);
            return STATUS_SUCCESS;
        }
        if (Flags & RTL_RUN_ONCE_CHECK_ONLY)
            return STATUS_UNSUCCESSFUL;
        if (Old == 0) {
            if (__atomic_compare_exchange_n(RtlpOnceWord(RunOnce), &Old, RTLP_ONCE_BUSY, TRUE,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                return STATUS_PENDING; /* the caller initialises */
            continue;
        }
        /* Busy: sleep until the initialiser completes or fails. */
        if (__atomic_compare_exchange_n(RtlpOnceWord(RunOnce), &Old, Old + RTLP_ONCE_WAITER, TRUE,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            while (!NT_SUCCESS(RtlpWaitOnKey(RtlpLockKey(RunOnce, 0), NULL)))
                NtYieldExecution();
            Old = __atomic_load_n(RtlpOnceWord(RunOnce), __ATOMIC_ACQUIRE);
        }
    }
}

NTSTATUS NTAPI RtlRunOnceComplete(PRTL_RUN_ONCE RunOnce, ULONG Flags, PVOID Context)
{
    ULONG_PTR Old = __atomic_load_n(RtlpOnceWord(RunOnce), __ATOMIC_ACQUIRE), New, Waiters;

    if (Flags & ~(RTL_RUN_ONCE_ASYNC | RTL_RUN_ONCE_INIT_FAILED))
        return STATUS_INVALID_PARAMETER_2;
    if (Flags & RTL_RUN_ONCE_ASYNC)
        return STATUS_NOT_IMPLEMENTED;
    if ((ULONG_PTR)Context & RTLP_ONCE_STATE)
        return STATUS_INVALID_PARAMETER_3;
    if ((Old & RTLP_ONCE_STATE) != RTLP_ONCE_BUSY)
        return STATUS_UNSUCCESSFUL;
    New = (Flags & RTL_RUN_ONCE_INIT_FAILED) ? 0 : ((ULONG_PTR)Context | RTLP_ONCE_DONE);
    Old = __atomic_exchange_n(RtlpOnceWord(RunOnce), New, __ATOMIC_ACQ_REL);
    for (Waiters = Old / RTLP_ONCE_WAITER; Waiters; Waiters--)
        RtlpReleaseKey(RtlpLockKey(RunOnce, 0));
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlRunOnceExecuteOnce(PRTL_RUN_ONCE RunOnce, PRTL_RUN_ONCE_INIT_FN InitFn,
                                     PVOID Parameter, PVOID *Context)
{
    PVOID Result = NULL;
    NTSTATUS Status = RtlRunOnceBeginInitialize(RunOnce, 0, Context);

    if (Status != STATUS_PENDING)
        return Status;
    if (!InitFn(RunOnce, Parameter, &Result)) {
        RtlRunOnceComplete(RunOnce, RTL_RUN_ONCE_INIT_FAILED, NULL);
        return STATUS_UNSUCCESSFUL;
    }
    Status = RtlRunOnceComplete(RunOnce, 0, Result);
    if (NT_SUCCESS(Status) && Context)
        *Context = Result;
    return Status;
}
