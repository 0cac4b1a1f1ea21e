/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads: the ETHREAD object, its seL4 resources (a TCB and a CSpace of
 * its own, see PSP_THREAD in psp.h), its stack and TEB, the start in
 * ntdll's LdrInitializeThunk (nt-abi §2.8), and termination. A thread
 * holds a reference on its process; the process ends with its last thread.
 *
 * Start contract with ntdll (ntos/README.md "Process start"): RIP =
 * LdrInitializeThunk, RCX = a CONTEXT on the new stack (Rip = start
 * address, Rcx = parameter, Rsp = the stack top less 0x28), RDX = ntdll's
 * base, RSP = that CONTEXT - 8 (as after a call: the CONTEXT's home fields
 * are the callee's shadow space), GS base = the TEB.
 */
#include "psp.h"

#include <ke.h>
#include <nt/context.h>
#include <nt/teb.h>
#include <ob.h>
#include <io.h>
#include <string.h>

#include "ntsvc.h"

#include "../mm/mi.h" /* FIXME: mm should export the frame cap of a page */

#define PSP_DEFAULT_STACK_RESERVE 0x100000ull   /* 1 MiB */
#define PSP_MAX_STACK_RESERVE     0x10000000ull /* 256 MiB */
#define PSP_STACK_TOP_RESERVED    0x28          /* return address + home area */

seL4_CPtr PsGetThreadCNode(PETHREAD Thread)
{
    _Static_assert(PS_THREAD_CNODE_BITS == PSP_CNODE_BITS, "ps.h describes the thread CNode");
    _Static_assert(PS_THREAD_FIRST_FREE_SLOT > KI_FAULT_SLOT, "ps's slots come first");
    return Thread->Terminated ? seL4_CapNull : PspThread(Thread)->CNode;
}

ULONG_PTR PspThreadStackReservation(PETHREAD Thread)
{
    return PspThread(Thread)->StackReservation;
}

/*
 * The stack as Windows lays it out: one reservation, its top Commit bytes
 * committed (the image's SizeOfStackCommit unless the creator asked for
 * more), a PAGE_GUARD page just below them, and the rest reserved. A touch
 * of the guard (by the thread, or by ntos writing to it for the thread)
 * commits it and moves the guard one page down (mm/usercopy.c), until only
 * the lowest page is left: then STATUS_STACK_OVERFLOW.
 */
static NTSTATUS PspCreateStack(PETHREAD Thread, ULONGLONG Reserve, ULONGLONG Commit)
{
    MMADDRESS_SPACE *Space = Thread->Process->AddressSpace;
    ULONG_PTR Base = 0, Top;
    NTSTATUS Status;

    /* 0: the image's reserve and commit, within sane bounds. */
    if (Reserve == 0)
        Reserve = PspProcess(Thread->Process)->StackReserve;
    if (Reserve < 16 * PAGE_SIZE || Reserve > PSP_MAX_STACK_RESERVE)
        Reserve = Reserve < 16 * PAGE_SIZE ? PSP_DEFAULT_STACK_RESERVE : PSP_MAX_STACK_RESERVE;
    Reserve = (Reserve + 0xffff) & ~0xffffull;
    if (Commit == 0)
        Commit = PspProcess(Thread->Process)->StackCommit;
    Commit = ROUND_TO_PAGES(Commit < PAGE_SIZE ? PAGE_SIZE : Commit);
    if (Commit > Reserve - 2 * PAGE_SIZE) /* room for the guard and the last page */
        Commit = Reserve - 2 * PAGE_SIZE;
    Status = MmReserveRange(Space, &Base, Reserve, PAGE_READWRITE, false);
    if (!NT_SUCCESS(Status))
        return Status;
    PspThread(Thread)->StackReservation = Base;
    Top = Base + Reserve;
    Status = MmCommitRange(Space, Top - Commit, Commit, PAGE_READWRITE);
    if (NT_SUCCESS(Status))
        Status =
            MmCommitRange(Space, Top - Commit - PAGE_SIZE, PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD);
    if (!NT_SUCCESS(Status))
        return Status;
    Thread->StackBase = Top;
    Thread->StackLimit = Top - Commit;
    return STATUS_SUCCESS;
}

/* The thread's CNode with its two badged endpoint caps. */
static NTSTATUS PspCreateThreadCSpace(PETHREAD Thread)
{
    seL4_CapRights_t Rights = seL4_CapRights_new(1, 0, 0, 1); /* GrantReply + Write */
    seL4_CPtr CNode;
    seL4_Error Error;
    NTSTATUS Status;

    Status = MmAllocateObject(seL4_CapTableObject, PSP_CNODE_BITS, &CNode);
    if (!NT_SUCCESS(Status))
        return Status;
    PspThread(Thread)->CNode = CNode;
    Error = seL4_CNode_Mint(CNode, KI_SERVICE_SLOT, PSP_CNODE_BITS, MmRootCNode, KiServiceEndpoint,
                            MM_CPTR_DEPTH, Rights, Thread->UniqueThreadId);
    if (Error == seL4_NoError)
        Error =
            seL4_CNode_Mint(CNode, KI_FAULT_SLOT, PSP_CNODE_BITS, MmRootCNode, KiServiceEndpoint,
                            MM_CPTR_DEPTH, Rights, Thread->UniqueThreadId | KI_BADGE_FAULT);
    /* Our own slots and caps: a failure here is an ntos bug. */
    ASSERT(Error == seL4_NoError);
    return STATUS_SUCCESS;
}

static NTSTATUS PspCreateTcb(PETHREAD Thread, PMMPFN IpcBufferPage)
{
    seL4_Word GuardData = seL4_CNode_CapData_new(0, PSP_CNODE_GUARD_BITS).words[0];
    seL4_Error Error;
    NTSTATUS Status;

    Status = MmAllocateObject(seL4_TCBObject, 0, &Thread->Tcb);
    if (!NT_SUCCESS(Status))
        return Status;
    Error = seL4_TCB_Configure(Thread->Tcb, KI_FAULT_SLOT, PspThread(Thread)->CNode, GuardData,
                               MmAddressSpaceRoot(Thread->Process->AddressSpace), 0,
                               Thread->TebAddress + 2 * PAGE_SIZE, IpcBufferPage->Frame);
    ASSERT(Error == seL4_NoError);
    PspApplyPriority(Thread);
    return STATUS_SUCCESS;
}

/*
 * NT priorities 1..31 on seL4 priorities around KI_USER_PRIORITY (NT 8 =
 * KI_USER_PRIORITY), all below ntos's KI_NTOS_PRIORITY, so no thread
 * starves the executive.
 */
void PspApplyPriority(PETHREAD Thread)
{
    LONG Priority = PspThread(Thread)->Priority;
    seL4_Error Error;

    _Static_assert(KI_USER_PRIORITY + 31 - PSP_PRIORITY_NORMAL < KI_NTOS_PRIORITY,
                   "user priorities stay below ntos");
    if (Thread->Tcb == 0)
        return;
    Error = seL4_TCB_SetPriority(Thread->Tcb, seL4_CapInitThreadTCB,
                                 KI_USER_PRIORITY + Priority - PSP_PRIORITY_NORMAL);
    ASSERT(Error == seL4_NoError); /* our TCB, a priority below ntos's */
}

/* The CONTEXT LdrInitializeThunk resumes, and the registers it starts with. */
static NTSTATUS PspStartThread(PETHREAD Thread, const PSP_THREAD_START *Start)
{
    static CONTEXT Context; /* thread creation never waits: one scratch CONTEXT does */
    PPSP_PROCESS Process = PspProcess(Thread->Process);
    ULONG_PTR UserContext = (Thread->StackBase - PSP_STACK_TOP_RESERVED - sizeof(CONTEXT)) & ~15ull;
    ULONG64 ReturnAddress = 0;
    seL4_UserContext Regs;
    seL4_Error Error;
    NTSTATUS Status;

    memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_FULL;
    Context.Rip = Start->ContextRip;
    Context.Rcx = Start->ContextRcx;
    Context.Rdx = Start->ContextRdx;
    Context.Rsp = Thread->StackBase - PSP_STACK_TOP_RESERVED;
    Context.EFlags = 0x200;
    Context.MxCsr = Context.FltSave.MxCsr = 0x1f80;
    Context.FltSave.ControlWord = 0x27f;
    Context.SegCs = 0x33;
    Context.SegDs = Context.SegEs = Context.SegSs = Context.SegGs = 0x2b;
    Context.SegFs = 0x53;
    Status = MmCopyToUser(&Process->Pcb, UserContext, &Context, sizeof(Context));
    if (NT_SUCCESS(Status))
        Status = MmCopyToUser(&Process->Pcb, UserContext - 8, &ReturnAddress, 8);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Regs, 0, sizeof(Regs));
    Regs.rip = Process->ThreadStart;
    Regs.rsp = UserContext - 8;
    Regs.rflags = 0x202;
    Regs.rcx = UserContext;
    Regs.rdx = Process->Pcb.NtdllBase;
    Regs.gs_base = Thread->TebAddress;
    /* A suspended thread starts with NtResumeThread (seL4_TCB_Resume). */
    Error = seL4_TCB_WriteRegisters(Thread->Tcb, !Start->Suspended, 0, 20, &Regs);
    ASSERT(Error == seL4_NoError); /* our TCB, canonical addresses */
    if (Start->Suspended) {
        Thread->SuspendCount = 1;
        PspThread(Thread)->TcbSuspended = true;
    }
    return STATUS_SUCCESS;
}

/* Free what a thread owns in seL4 and in its process (whatever was made). */
static void PspDeleteThreadResources(PETHREAD Thread)
{
    PPSP_THREAD Psp = PspThread(Thread);
    MMADDRESS_SPACE *Space = Thread->Process->AddressSpace;

    if (Thread->Tcb) {
        seL4_TCB_Suspend(Thread->Tcb);
        MmFreeObject(Thread->Tcb);
        Thread->Tcb = 0;
    }
    if (Psp->CNode) {
        MmFreeObject(Psp->CNode); /* deletes the endpoint caps in it */
        Psp->CNode = 0;
    }
    if (Psp->Registered) {
        KeUnregisterThread(Thread);
        Psp->Registered = false;
    }
    if (!PspProcess(Thread->Process)->AddressSpaceDeleted) {
        if (Thread->TebAddress)
            MmReleaseRange(Space, Thread->TebAddress);
        if (Psp->StackReservation)
            MmReleaseRange(Space, Psp->StackReservation);
    }
    Thread->TebAddress = Psp->StackReservation = 0;
}

static void PspLinkThread(PETHREAD Thread)
{
    PPSP_PROCESS Process = PspProcess(Thread->Process);

    PspThread(Thread)->NextInProcess = Process->Threads;
    Process->Threads = PspThread(Thread);
    Process->Pcb.ActiveThreads++;
}

static void PspUnlinkThread(PETHREAD Thread)
{
    PPSP_PROCESS Process = PspProcess(Thread->Process);
    PPSP_THREAD *Link = &Process->Threads;

    while (*Link != PspThread(Thread))
        Link = &(*Link)->NextInProcess;
    *Link = PspThread(Thread)->NextInProcess;
    ASSERT(Process->Pcb.ActiveThreads > 0);
    Process->Pcb.ActiveThreads--;
}

/* The resources in order; the thread runs when the last step succeeds. */
static NTSTATUS PspSetUpThread(PETHREAD Thread, const PSP_THREAD_START *Start)
{
    PMMPFN IpcBufferPage;
    NTSTATUS Status;

    Thread->UniqueThreadId = KeRegisterThread(Thread);
    if (Thread->UniqueThreadId == 0)
        return STATUS_INSUFFICIENT_RESOURCES;
    PspThread(Thread)->Registered = true;
    Status = PspCreateStack(Thread, Start->StackReserve, Start->StackCommit);
    if (NT_SUCCESS(Status))
        Status = PspCreateTeb(Thread, &IpcBufferPage);
    if (NT_SUCCESS(Status))
        Status = PspCreateThreadCSpace(Thread);
    if (NT_SUCCESS(Status) && Thread->Process->DriverHost)
        Status = IoInitializeDriverThread(Thread); /* io: the ring's caps */
    if (NT_SUCCESS(Status))
        Status = PspCreateTcb(Thread, IpcBufferPage);
    if (NT_SUCCESS(Status))
        Status = PspStartThread(Thread, Start);
    return Status;
}

NTSTATUS PspCreateThreadEx(PEPROCESS Process, const PSP_THREAD_START *Start, PETHREAD *ThreadOut)
{
    PETHREAD Thread = NULL;
    NTSTATUS Status;

    if (PspProcess(Process)->Terminating)
        return STATUS_PROCESS_IS_TERMINATING;
    Status = ObCreateObject(PsThreadType, sizeof(PSP_THREAD), (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        goto out;
    ObReferenceObject(Process); /* dropped by the thread's delete procedure */
    Thread->Process = Process;
    PspThread(Thread)->StartAddress = Start->Win32StartAddress;
    PspThread(Thread)->ExitStatus = STATUS_PENDING;
    PspThread(Thread)->Priority = PspProcess(Process)->BasePriority;
    PspThread(Thread)->AffinityMask = PspProcess(Process)->AffinityMask;
    NtQuerySystemTime(&PspThread(Thread)->CreateTime);
    Status = PspSetUpThread(Thread, Start);
    if (!NT_SUCCESS(Status)) {
        PspDeleteThreadResources(Thread);
        ObDereferenceObject(Thread);
        goto out;
    }
    if (PspProcess(Process)->Dormant) {
        ObReferenceObject(Process); /* now running: dropped when it ends */
        PspProcess(Process)->Dormant = false;
    }
    PspLinkThread(Thread);
    *ThreadOut = Thread;
out:
    return Status;
}

NTSTATUS PspCreateThread(PEPROCESS Process, ULONG_PTR StartAddress, ULONG_PTR Parameter,
                         PETHREAD *ThreadOut)
{
    PSP_THREAD_START Start = {
        .ContextRip = StartAddress,
        .ContextRcx = Parameter,
        .Win32StartAddress = StartAddress,
    };

    return PspCreateThreadEx(Process, &Start, ThreadOut);
}

/* Ob's delete procedure of PsThreadType: the last reference is gone. */
void PspDeleteThread(PVOID Object)
{
    PETHREAD Thread = Object;

    ASSERT(Thread->Tcb == 0); /* resources go when it ends, not when it is freed */
    if (Thread->Process)
        ObDereferenceObject(Thread->Process);
}

void PsTerminateThread(PETHREAD Thread, NTSTATUS ExitStatus)
{
    PEPROCESS Process = Thread->Process;

    if (Thread->Terminated)
        return;
    /* Terminated: ke sends no reply to a request of this thread. */
    Thread->Terminated = true;
    PspThread(Thread)->ExitStatus = ExitStatus;
    NtQuerySystemTime(&PspThread(Thread)->ExitTime);
    KeThreadEnded(Thread); /* its wait ends, its mutants are abandoned, waiters wake */
    IoThreadEnded(Thread); /* io: its IRPs are cancelled */
    PspDeleteThreadResources(Thread);
    PspUnlinkThread(Thread);
    if (Process->ActiveThreads == 0)
        PspProcessEnded(Process, ExitStatus);
    /* The reference it held on itself while it ran. A request of the
     * thread that still waits in its fiber points at the ETHREAD and runs
     * again when woken: ke drops the reference when that request ends. */
    if (Thread->Fiber == NULL || Thread == KeGetCurrentThread())
        PspDereferenceObject(Thread);
    else
        Thread->ReleaseAfterRequest = true;
}

/* io (ps.h): a cap of ntos into a slot of each thread's CNode. */
NTSTATUS PsCopyCapToThread(PETHREAD Thread, seL4_Word Slot, seL4_CPtr Source)
{
    seL4_CPtr CNode = PspThread(Thread)->CNode;

    if (CNode == 0 || Slot <= KI_FAULT_SLOT || Slot >= (1u << PSP_CNODE_BITS))
        return STATUS_INVALID_PARAMETER;
    seL4_CNode_Delete(CNode, Slot, PSP_CNODE_BITS); /* a copy from an earlier load */
    if (seL4_CNode_Copy(CNode, Slot, PSP_CNODE_BITS, MmRootCNode, Source, MM_CPTR_DEPTH,
                        seL4_AllRights) != seL4_NoError)
        return STATUS_INSUFFICIENT_RESOURCES;
    return STATUS_SUCCESS;
}

NTSTATUS PsCopyCapToThreads(PEPROCESS Process, seL4_Word Slot, seL4_CPtr Source)
{
    NTSTATUS Status = STATUS_SUCCESS;

    for (PPSP_THREAD t = PspProcess(Process)->Threads; t && NT_SUCCESS(Status);
         t = t->NextInProcess)
        Status = PsCopyCapToThread(&t->Tcb, Slot, Source);
    return Status;
}
