/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The thread environment block of a new thread (nt-abi §2.1) and the IPC
 * buffer page right after it (TEB + 0x2000, ntos/README.md "Threads"):
 * three committed pages of the process. ntos fills the fields a thread
 * needs before its first instruction (Self, PEB, ClientId, the exception
 * chain end, the stack bounds, the activation context stack and the static
 * Unicode string); the rest is ntdll's.
 */
#include "psp.h"

#include <mm.h>
#include <nt/teb.h>
#include <string.h>

#define PSP_TEB_SIZE          (2 * PAGE_SIZE)
#define PSP_IPC_BUFFER_OFFSET PSP_TEB_SIZE

static void PspFillTeb(PTEB Teb, PETHREAD Thread, ULONG_PTR TebAddress)
{
    PEPROCESS Process = Thread->Process;

    memset(Teb, 0, sizeof(*Teb));
    Teb->NtTib.ExceptionList = EXCEPTION_CHAIN_END;
    Teb->NtTib.StackBase = (PVOID)Thread->StackBase;
    Teb->NtTib.StackLimit = (PVOID)Thread->StackLimit;
    Teb->NtTib.Self = (PNT_TIB)TebAddress;
    Teb->ClientId.UniqueProcess = (HANDLE)Process->UniqueProcessId;
    Teb->ClientId.UniqueThread = (HANDLE)Thread->UniqueThreadId;
    Teb->RealClientId = Teb->ClientId;
    Teb->ProcessEnvironmentBlock = (struct _PEB *)Process->PebAddress;
    Teb->CurrentLocale = 0x409; /* en-US */
    Teb->ActivationContextStackPointer =
        (PACTIVATION_CONTEXT_STACK)(TebAddress + offsetof(TEB, ActivationContextStack));
    /* An empty list points at itself (user addresses). */
    Teb->ActivationContextStack.FrameListCache.Flink =
        Teb->ActivationContextStack.FrameListCache.Blink =
            (PLIST_ENTRY)(TebAddress + offsetof(TEB, ActivationContextStack.FrameListCache));
    Teb->StaticUnicodeString.Buffer = (PWSTR)(TebAddress + offsetof(TEB, StaticUnicodeBuffer));
    Teb->StaticUnicodeString.MaximumLength = sizeof(Teb->StaticUnicodeBuffer);
    Teb->DeallocationStack = (PVOID)PspThreadStackReservation(Thread);
    Teb->TlsLinks.Flink = Teb->TlsLinks.Blink = (PLIST_ENTRY)(TebAddress + offsetof(TEB, TlsLinks));
}

NTSTATUS PspCreateTeb(PETHREAD Thread, PMMPFN *IpcBufferPage)
{
    static TEB Teb; /* thread creation never waits: one scratch TEB does */
    MMADDRESS_SPACE *Space = Thread->Process->AddressSpace;
    ULONG_PTR TebAddress = 0;
    NTSTATUS Status;

    Status = MmReserveRange(Space, &TebAddress, PSP_TEB_SIZE + PAGE_SIZE, PAGE_READWRITE, true);
    if (!NT_SUCCESS(Status))
        goto out;
    PspFillTeb(&Teb, Thread, TebAddress);
    Status = MmCopyToUser(Thread->Process, TebAddress, &Teb, sizeof(Teb));
    if (!NT_SUCCESS(Status))
        goto out;
    /* The IPC buffer must be a real frame before TCB_Configure names it. */
    *IpcBufferPage = MmLookupUserPage(Space, TebAddress + PSP_IPC_BUFFER_OFFSET, true);
    if (*IpcBufferPage == NULL) {
        Status = STATUS_NO_MEMORY;
        goto out;
    }
    Thread->TebAddress = TebAddress;
out:
    return Status;
}
