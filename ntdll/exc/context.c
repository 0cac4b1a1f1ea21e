/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtGetContextThread: ntdll's half around the service (services.def:
 * `ntdll wrapped`, the stub is NtdllpGetContextThread).
 *
 * seL4 gives ntos no access to a thread's x87/SSE registers. A thread that
 * reads its own context still holds them, though: ntos never touches the
 * FPU (ntos/ke/README.md), so the state at the service call is the state
 * before and after it. ntdll saves it (fxsave) on entry; when ntos answers
 * for the calling thread itself it keeps CONTEXT_FLOATING_POINT in the
 * flags (ntos/ke/context.c), and the saved image goes into FltSave and
 * MxCsr, as Windows returns them. For another thread ntos clears the flag
 * (the FIXME there) and nothing is added.
 *
 * General registers only: nothing the compiler makes of this function may
 * change the state between the call and the save.
 */
#include "excp.h"

/* The generated stub (build/ntdll/ntsvc_stubs.c). */
NTSTATUS NTAPI NtdllpGetContextThread(HANDLE Thread, PCONTEXT Context);

__attribute__((target("general-regs-only"))) NTSTATUS NTAPI NtGetContextThread(HANDLE Thread,
                                                                               PCONTEXT Context)
{
    XMM_SAVE_AREA32 Saved;
    NTSTATUS Status;
    const void *From = &Saved;
    void *To;

    __asm__ volatile("fxsave %0" : "=m"(Saved));
    Status = NtdllpGetContextThread(Thread, Context);
    /* ntos wrote the CONTEXT back: the pointer is good. */
    if (!NT_SUCCESS(Status) ||
        (Context->ContextFlags & CONTEXT_FLOATING_POINT) != CONTEXT_FLOATING_POINT)
        return Status;
    To = &Context->FltSave;
    __asm__ volatile("rep movsb" : "+D"(To), "+S"(From) : "c"(sizeof(Saved)) : "memory");
    Context->MxCsr = Saved.MxCsr;
    return Status;
}

NTSTATUS NTAPI ZwGetContextThread(HANDLE Thread, PCONTEXT Context)
    __attribute__((alias("NtGetContextThread")));
