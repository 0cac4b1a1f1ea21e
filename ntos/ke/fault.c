/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Faults of user threads, which arrive on the service endpoint with badge
 * id | KI_BADGE_FAULT. A VM fault (sel4-abi.md §14.3) goes to MmHandleFault;
 * when it maps the page the thread restarts. Anything else, and a VM fault
 * mm refuses, is raised in the thread as an exception (ke/exception.c) when
 * its ntdll has a dispatcher; otherwise it is printed and ends the
 * thread's process (PsTerminateProcess).
 */
#include "kep.h"

#pragma weak PsTerminateProcess

static const char *KiFaultName(seL4_Word Label)
{
    switch (Label) {
    case seL4_Fault_CapFault:
        return "cap fault";
    case seL4_Fault_UnknownSyscall:
        return "unknown syscall";
    case seL4_Fault_UserException:
        return "user exception";
    case seL4_Fault_VMFault:
        return "page fault";
    default:
        return "fault";
    }
}

/* The NT exception code of a CPU exception vector (sel4-abi.md §14.5). */
static NTSTATUS KiExceptionStatus(seL4_Word Vector)
{
    switch (Vector) {
    case 0:
        return STATUS_INTEGER_DIVIDE_BY_ZERO;
    case 1:
        return STATUS_SINGLE_STEP;
    case 3:
        return STATUS_BREAKPOINT;
    case 4:
        return STATUS_INTEGER_OVERFLOW;
    case 5:
        return STATUS_ARRAY_BOUNDS_EXCEEDED;
    case 6:
        return STATUS_ILLEGAL_INSTRUCTION;
    case 13:
        return STATUS_PRIVILEGED_INSTRUCTION; /* also a far call through a gate: NT says AV */
    case 16:
    case 19:
        return STATUS_FLOAT_INVALID_OPERATION; /* FIXME: decode the x87/SSE status */
    case 17:
        return STATUS_DATATYPE_MISALIGNMENT;
    default:
        return STATUS_ACCESS_VIOLATION;
    }
}

static void KiTerminateFaultingThread(PETHREAD Thread, NTSTATUS Status)
{
    if (PsTerminateProcess && Thread->Process) {
        PsTerminateProcess(Thread->Process, Status);
        return;
    }
    /* No process manager: at least stop the thread. */
    Thread->Terminated = true;
    if (Thread->Tcb != seL4_CapNull)
        seL4_TCB_Suspend(Thread->Tcb);
}

/* Offer the fault to the thread as an exception; true when it was delivered. */
static bool KiRaiseFault(PETHREAD Thread, NTSTATUS Code, seL4_Word Label, seL4_Word Address,
                         seL4_Word ErrorCode, bool Execute)
{
    EXCEPTION_RECORD Record = {.ExceptionCode = Code};

    if (Label == seL4_Fault_VMFault) {
        Record.NumberParameters = 2;
        Record.ExceptionInformation[0] = Execute ? 8 : (ErrorCode & 2) ? 1 : 0;
        Record.ExceptionInformation[1] = Address;
    } else if (Label != seL4_Fault_UserException) {
        return false; /* cap faults and unknown syscalls have no NT meaning */
    } else if (Code == STATUS_BREAKPOINT) {
        Record.NumberParameters = 1; /* BREAKPOINT_BREAK (0), as Windows x64 reports int3 */
    }
    return NT_SUCCESS(KiDispatchUserException(Thread, &Record));
}

bool KiHandleFault(PETHREAD Thread, seL4_MessageInfo_t Info)
{
    seL4_Word Label = seL4_MessageInfo_get_label(Info);
    /* VM faults: MR1 address, MR2 instruction fetch, MR3 error code; user
     * exceptions: MR3 vector. */
    seL4_Word Ip = seL4_GetMR(0), Detail = seL4_GetMR(1), Code = seL4_GetMR(3);
    bool Execute = seL4_GetMR(2) != 0;
    NTSTATUS Status = STATUS_ACCESS_VIOLATION;

    if (Label == seL4_Fault_VMFault) {
        Status = MmHandleFault(Thread, Detail, (Code & 2) != 0, Execute);
        if (NT_SUCCESS(Status))
            return true;
    } else if (Label == seL4_Fault_UserException) {
        Status = KiExceptionStatus(Code);
    }
    if (KiRaiseFault(Thread, Status, Label, Detail, Code, Execute))
        return true; /* the answer resumes it in its exception dispatcher */
    KePrint("ntos: %s in thread %lx (%s) at rip %lx, detail %lx code %lx: 0x%08x; terminating\n",
            KiFaultName(Label), (unsigned long)Thread->UniqueThreadId,
            Thread->Process ? Thread->Process->ImageName : "?", (unsigned long)Ip,
            (unsigned long)Detail, (unsigned long)Code, (unsigned)Status);
    KiTerminateFaultingThread(Thread, Status);
    return false;
}
