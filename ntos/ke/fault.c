/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Faults of user threads, which arrive on the service endpoint with badge
 * id | KI_BADGE_FAULT. A VM fault (sel4-abi.md §14.3) goes to MmHandleFault;
 * when it maps the page the thread restarts. Anything else, and a VM fault
 * mm refuses, is raised in the thread as an exception (ke/exception.c) when
 * its ntdll has a dispatcher; otherwise it is printed and ends the
 * thread's process (PsTerminateProcess). A #GP or #UD of a driver
 * process's thread first goes to io/halport.c, which emulates its port
 * I/O and `mov cr8`.
 */
#include "kep.h"
#include <io.h>

#pragma weak PsTerminateProcess
#pragma weak IoEmulateDriverInstruction

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
        return STATUS_PRIVILEGED_INSTRUCTION; /* or an access violation: KiHandleFault decodes */
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

/* The 0F-prefixed system instructions user mode may not run (clts, invd,
 * wbinvd, sysret, mov to/from cr/dr, wrmsr, rdmsr, sysexit; lldt/ltr and
 * lgdt/lidt/lmsw/invlpg by their ModRM reg field). */
static bool KiIsPrivilegedTwoByte(UCHAR Op, UCHAR ModRm)
{
    UCHAR Reg = (ModRm >> 3) & 7;

    switch (Op) {
    case 0x00:
        return Reg == 2 || Reg == 3;
    case 0x01:
        return Reg == 2 || Reg == 3 || Reg == 6 || Reg == 7;
    case 0x06:
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x30:
    case 0x32:
    case 0x35:
        return true;
    default:
        return false;
    }
}

/* A general protection fault is a privileged instruction (hlt, cli, sti,
 * in/out and the system instructions) or else an access violation (a
 * non-canonical address, a bad segment), as Windows tells them apart. */
static bool KiIsPrivilegedInstruction(PETHREAD Thread, seL4_Word Ip)
{
    UCHAR Code[16];
    ULONG Length = 0, i = 0;

    while (Length < sizeof(Code) &&
           NT_SUCCESS(MmCopyFromUser(Thread->Process, &Code[Length], Ip + Length, 1)))
        Length++;
    while (i < Length &&
           ((Code[i] & 0xf0) == 0x40 || Code[i] == 0x66 || Code[i] == 0x67 || Code[i] == 0xf0 ||
            Code[i] == 0xf2 || Code[i] == 0xf3 || Code[i] == 0x26 || Code[i] == 0x2e ||
            Code[i] == 0x36 || Code[i] == 0x3e || Code[i] == 0x64 || Code[i] == 0x65))
        i++; /* prefixes */
    if (i >= Length)
        return false;
    switch (Code[i]) {
    case 0xf4:
    case 0xfa:
    case 0xfb:
    case 0xe4:
    case 0xe5:
    case 0xe6:
    case 0xe7:
    case 0xec:
    case 0xed:
    case 0xee:
    case 0xef:
    case 0x6c:
    case 0x6d:
    case 0x6e:
    case 0x6f:
        return true;
    case 0x0f:
        return i + 2 < Length && KiIsPrivilegedTwoByte(Code[i + 1], Code[i + 2]);
    default:
        return false;
    }
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
    } else if (Code == STATUS_ACCESS_VIOLATION) {
        Record.NumberParameters = 2; /* a #GP: a read of address -1, as Windows says */
        Record.ExceptionInformation[1] = ~0ull;
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
        /* hal: a driver process's port I/O and cr8 are emulated (io/halport.c). */
        if ((Code == 13 || Code == 6) && Thread->Process && Thread->Process->DriverHost &&
            IoEmulateDriverInstruction) {
            Status = IoEmulateDriverInstruction(Thread);
            if (NT_SUCCESS(Status))
                return true;
            if (Status == STATUS_ACCESS_VIOLATION &&
                KiRaiseFault(Thread, Status, Label, Detail, Code, Execute))
                return true;
        }
        Status = KiExceptionStatus(Code);
        if (Code == 13 && !KiIsPrivilegedInstruction(Thread, Ip))
            Status = STATUS_ACCESS_VIOLATION;
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
