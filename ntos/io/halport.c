/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Port I/O and the virtual IRQL of driver processes (docs/io.md "Port I/O
 * and privileged instructions"). Stock ddk headers inline `in`, `out`,
 * `ins`, `outs` and `mov cr8`; a driver thread runs at privilege level 3
 * with IOPL 0, so each of them faults (#GP) and seL4 sends the fault to
 * ntos. For a thread of a driver process (EPROCESS.DriverHost) ke/fault.c
 * hands the fault here: the instruction at rip is decoded, performed with
 * ntos's IO port caps (ke/ioport.c) or on the TEB byte IO_HOST_TEB_IRQL,
 * rip is moved past it, and the answer to the fault resumes the thread.
 *
 * Emulated: in/out (E4-E7 immediate port, EC-EF port in DX; byte, and word
 * or dword by the 66 prefix; REX ignored as the CPU does), ins/outs (6C-6F,
 * with or without REP, 64-bit addressing, the direction flag; outs may name
 * a segment other than FS/GS), mov to/from cr8 (REX.R set, 0F 22 / 0F 20,
 * any general register by REX.B), and cli/sti as no-ops: a driver process
 * has no interrupt flag (its interrupts are notifications that its
 * interrupt thread waits on), so exclusion against the ISR comes from the
 * runtime's interrupt spin lock (KeSynchronizeExecution,
 * KeAcquireInterruptSpinLock), not from cli. hlt is not emulated (no
 * driver needs it): it stays a privileged-instruction exception.
 *
 * Ports a driver may not use (HalpDeniedPorts): what the kernel and ntos
 * program themselves, except that PIT channel 2 (port 0x42, and its
 * control words on the shared command port 0x43) is the speaker's and
 * open. Everything else is open, including COM1 (0x3F8,
 * shared with the kernel's debug output, which the serial driver needs)
 * and the CMOS clock (0x70/0x71, read by ntos once for the boot time).
 * An access that crosses an aligned block of four ports (an unaligned
 * word or dword, which no device needs) is refused too.
 */
#include "halp.h"

#include <string.h>

#define HALP_MAX_INSN     15
#define HALP_STRING_BATCH 1024 /* elements of a REP ins/outs done per fault */
#define HALP_EFLAGS_DF    0x400
#define HALP_CR8_MAX      15

typedef struct _HALP_PORT_RANGE {
    USHORT First, Last;
    const char *Owner;
} HALP_PORT_RANGE;

#define HALP_PIT_COMMAND   0x43
#define HALP_PIT_SELECT    0xc0 /* control word bits 7-6: the channel, 3 = read-back */
#define HALP_PIT_CHANNEL_2 0x80

static const HALP_PORT_RANGE HalpDeniedPorts[] = {
    {0x0020, 0x0021, "master PIC (the kernel masks it)"},
    {0x0022, 0x0023, "IMCR (the kernel's interrupt mode)"},
    {0x0040, 0x0041, "PIT channels 0 and 1 (ntos's timer, ke/timer.c)"},
    {0x0043, 0x0043, "PIT command (HalpPortWriteAllowed lets channel 2's through)"},
    {0x00a0, 0x00a1, "slave PIC (the kernel masks it)"},
    {0x00f4, 0x00f7, "isa-debug-exit (ntos's power-off)"},
    {0x04d0, 0x04d1, "ELCR (interrupt trigger modes)"},
};

/* A decoded instruction: what the emulation needs of its prefixes. */
typedef struct _HALP_INSN {
    UCHAR Code[HALP_MAX_INSN];
    ULONG Available; /* bytes read at rip */
    ULONG Next;      /* the first byte after the prefixes */
    bool OperandSize16, Rep, AddressSize32, FsGs;
    UCHAR Rex;
} HALP_INSN;

bool HalpPortAllowed(ULONG Port, ULONG Width)
{
    ULONG Last = Port + Width - 1;

    if (Width == 0 || Last > 0xffff)
        return false;
    for (ULONG i = 0; i < ARRAYSIZE(HalpDeniedPorts); i++)
        if (Port <= HalpDeniedPorts[i].Last && Last >= HalpDeniedPorts[i].First)
            return false;
    return true;
}

/* A write the deny table refuses that a driver may still make: a control
 * word for PIT channel 2 (the PC speaker, beep.sys) on the command port
 * ntos's timer shares; an 8254 control word programs only the channel it
 * names, and read-back commands (which name several) stay refused. */
bool HalpPortWriteAllowed(ULONG Port, ULONG Width, ULONG Value)
{
    if (HalpPortAllowed(Port, Width))
        return true;
    return Port == HALP_PIT_COMMAND && Width == 1 &&
           (Value & HALP_PIT_SELECT) == HALP_PIT_CHANNEL_2;
}

/* General register Index (0 rax .. 15 r15, the ModRM order) in Regs. */
static seL4_Word *HalpRegister(seL4_UserContext *Regs, ULONG Index)
{
    seL4_Word *Order[16] = {&Regs->rax, &Regs->rcx, &Regs->rdx, &Regs->rbx, &Regs->rsp, &Regs->rbp,
                            &Regs->rsi, &Regs->rdi, &Regs->r8,  &Regs->r9,  &Regs->r10, &Regs->r11,
                            &Regs->r12, &Regs->r13, &Regs->r14, &Regs->r15};

    return Order[Index & 15];
}

static void HalpFetch(PETHREAD Thread, seL4_Word Rip, HALP_INSN *Insn)
{
    memset(Insn, 0, sizeof(*Insn));
    /* Byte by byte: the instruction may end at the last mapped page. */
    while (Insn->Available < HALP_MAX_INSN &&
           NT_SUCCESS(MmCopyFromUser(Thread->Process, &Insn->Code[Insn->Available],
                                     Rip + Insn->Available, 1)))
        Insn->Available++;
    for (; Insn->Next < Insn->Available; Insn->Next++) {
        UCHAR Byte = Insn->Code[Insn->Next];
        if (Insn->Rex != 0)
            break; /* REX comes last: a prefix after it ends the decoding */
        if (Byte == 0x66)
            Insn->OperandSize16 = true;
        else if (Byte == 0xf3 || Byte == 0xf2)
            Insn->Rep = true;
        else if (Byte == 0x67)
            Insn->AddressSize32 = true;
        else if (Byte == 0x64 || Byte == 0x65)
            Insn->FsGs = true;
        else if (Byte == 0x26 || Byte == 0x2e || Byte == 0x36 || Byte == 0x3e)
            ; /* flat segments in 64-bit mode */
        else if ((Byte & 0xf0) == 0x40)
            Insn->Rex = Byte;
        else
            break;
    }
}

static NTSTATUS HalpPortIn(ULONG Port, ULONG Width, ULONG *Value)
{
    seL4_CPtr Cap;
    NTSTATUS Status;

    if (!HalpPortAllowed(Port, Width))
        return STATUS_NOT_SUPPORTED;
    Status = KeGetIoPortCap(Port, Width, &Cap);
    if (!NT_SUCCESS(Status))
        return STATUS_NOT_SUPPORTED;
    if (Width == 1) {
        seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(Cap, Port);
        *Value = r.result;
        return r.error ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
    }
    if (Width == 2) {
        seL4_X86_IOPort_In16_t r = seL4_X86_IOPort_In16(Cap, Port);
        *Value = r.result;
        return r.error ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
    }
    seL4_X86_IOPort_In32_t r = seL4_X86_IOPort_In32(Cap, Port);
    *Value = r.result;
    return r.error ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
}

static NTSTATUS HalpPortOut(ULONG Port, ULONG Width, ULONG Value)
{
    seL4_CPtr Cap;
    seL4_Error Error;

    if (!HalpPortWriteAllowed(Port, Width, Value) || !NT_SUCCESS(KeGetIoPortCap(Port, Width, &Cap)))
        return STATUS_NOT_SUPPORTED;
    if (Width == 1)
        Error = seL4_X86_IOPort_Out8(Cap, Port, Value & 0xff);
    else if (Width == 2)
        Error = seL4_X86_IOPort_Out16(Cap, Port, Value & 0xffff);
    else
        Error = seL4_X86_IOPort_Out32(Cap, Port, Value);
    return Error == seL4_NoError ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED;
}

/* in/out: E4-E7 with an immediate port, EC-EF with the port in DX. */
static NTSTATUS HalpEmulateInOut(const HALP_INSN *Insn, seL4_UserContext *Regs)
{
    UCHAR Op = Insn->Code[Insn->Next];
    ULONG Width = (Op & 1) == 0 ? 1 : Insn->OperandSize16 ? 2 : 4;
    bool Immediate = Op < 0xe8, Out = (Op & 2) != 0;
    ULONG Length = Insn->Next + 1 + (Immediate ? 1 : 0);
    ULONG Port = Immediate ? Insn->Code[Insn->Next + 1] : (ULONG)(Regs->rdx & 0xffff);
    ULONG Value;
    NTSTATUS Status;

    if (Length > Insn->Available)
        return STATUS_NOT_SUPPORTED;
    if (Out) {
        Status = HalpPortOut(Port, Width, (ULONG)Regs->rax);
        if (NT_SUCCESS(Status))
            Regs->rip += Length;
        return Status;
    }
    Status = HalpPortIn(Port, Width, &Value);
    if (!NT_SUCCESS(Status))
        return Status;
    /* A byte or word lands in al / ax; a dword zero-extends into rax. */
    if (Width == 1)
        Regs->rax = (Regs->rax & ~0xffull) | Value;
    else if (Width == 2)
        Regs->rax = (Regs->rax & ~0xffffull) | Value;
    else
        Regs->rax = Value;
    Regs->rip += Length;
    return STATUS_SUCCESS;
}

/* One element of ins (port to [rdi]) or outs ([rsi] to the port). */
static NTSTATUS HalpStringElement(PEPROCESS Process, bool Out, ULONG Port, ULONG Width,
                                  seL4_UserContext *Regs)
{
    ULONG Value = 0;
    NTSTATUS Status;

    if (Out) {
        Status = MmCopyFromUser(Process, &Value, Regs->rsi, Width);
        if (!NT_SUCCESS(Status))
            return STATUS_ACCESS_VIOLATION;
        Status = HalpPortOut(Port, Width, Value);
    } else {
        /* The destination must take the value before the port is read (a
         * read may have side effects): rewrite what is there first. */
        if (!NT_SUCCESS(MmCopyFromUser(Process, &Value, Regs->rdi, Width)) ||
            !NT_SUCCESS(MmCopyToUser(Process, Regs->rdi, &Value, Width)))
            return STATUS_ACCESS_VIOLATION;
        Status = HalpPortIn(Port, Width, &Value);
        if (NT_SUCCESS(Status) && !NT_SUCCESS(MmCopyToUser(Process, Regs->rdi, &Value, Width)))
            Status = STATUS_ACCESS_VIOLATION; /* not after the check above */
    }
    return Status;
}

/*
 * ins/outs, REP or not. A long REP is done HALP_STRING_BATCH elements at a
 * time: rcx keeps the rest and rip stays, so the thread faults again and
 * goes on, and ntos serves other requests in between.
 */
static NTSTATUS HalpEmulateString(PETHREAD Thread, const HALP_INSN *Insn, seL4_UserContext *Regs)
{
    UCHAR Op = Insn->Code[Insn->Next];
    ULONG Width = (Op & 1) == 0 ? 1 : Insn->OperandSize16 ? 2 : 4;
    bool Out = Op >= 0x6e;
    ULONG Port = (ULONG)(Regs->rdx & 0xffff);
    LONG_PTR Step = (Regs->rflags & HALP_EFLAGS_DF) ? -(LONG_PTR)Width : (LONG_PTR)Width;
    seL4_Word Count = Insn->Rep ? Regs->rcx : 1;
    NTSTATUS Status = STATUS_SUCCESS;

    /* 32-bit addressing and FS/GS-relative sources are not emulated. */
    if (Insn->AddressSize32 || (Out && Insn->FsGs) || !HalpPortAllowed(Port, Width))
        return STATUS_NOT_SUPPORTED;
    for (ULONG Done = 0; Count > 0; Done++) {
        if (Done == HALP_STRING_BATCH)
            return STATUS_SUCCESS; /* rip stays: the rest at the next fault */
        Status = HalpStringElement(Thread->Process, Out, Port, Width, Regs);
        if (!NT_SUCCESS(Status))
            return Status;
        if (Out)
            Regs->rsi += Step;
        else
            Regs->rdi += Step;
        Count--;
        if (Insn->Rep)
            Regs->rcx = Count;
    }
    Regs->rip += Insn->Next + 1;
    return STATUS_SUCCESS;
}

/* mov cr8, r (0F 22 /r) and mov r, cr8 (0F 20 /r), REX.R naming cr8: the
 * thread's virtual IRQL, the TEB byte the runtime's KeRaiseIrql uses too. */
static NTSTATUS HalpEmulateCr8(PETHREAD Thread, const HALP_INSN *Insn, seL4_UserContext *Regs)
{
    UCHAR Op = Insn->Code[Insn->Next + 1], ModRm = Insn->Code[Insn->Next + 2];
    ULONG Control = ((ModRm >> 3) & 7) | ((Insn->Rex & 4) ? 8 : 0);
    seL4_Word *Register = HalpRegister(Regs, (ModRm & 7) | ((Insn->Rex & 1) ? 8 : 0));
    ULONG_PTR Irql = Thread->TebAddress + IO_HOST_TEB_IRQL;
    UCHAR Value = 0;

    if (Insn->Next + 3 > Insn->Available || Control != 8 || Thread->TebAddress == 0)
        return STATUS_NOT_SUPPORTED;
    if (Op == 0x22) {
        if (*Register > HALP_CR8_MAX)
            return STATUS_NOT_SUPPORTED; /* reserved bits: a #GP on the CPU too */
        Value = (UCHAR)*Register;
        if (!NT_SUCCESS(MmCopyToUser(Thread->Process, Irql, &Value, 1)))
            return STATUS_NOT_SUPPORTED;
    } else {
        if (!NT_SUCCESS(MmCopyFromUser(Thread->Process, &Value, Irql, 1)))
            return STATUS_NOT_SUPPORTED;
        *Register = Value & HALP_CR8_MAX;
    }
    Regs->rip += Insn->Next + 3;
    return STATUS_SUCCESS;
}

static NTSTATUS HalpEmulate(PETHREAD Thread, const HALP_INSN *Insn, seL4_UserContext *Regs)
{
    if (Insn->Next >= Insn->Available)
        return STATUS_NOT_SUPPORTED;
    switch (Insn->Code[Insn->Next]) {
    case 0xe4:
    case 0xe5:
    case 0xe6:
    case 0xe7:
    case 0xec:
    case 0xed:
    case 0xee:
    case 0xef:
        return HalpEmulateInOut(Insn, Regs);
    case 0x6c:
    case 0x6d:
    case 0x6e:
    case 0x6f:
        return HalpEmulateString(Thread, Insn, Regs);
    case 0x0f:
        if (Insn->Next + 1 < Insn->Available &&
            (Insn->Code[Insn->Next + 1] == 0x20 || Insn->Code[Insn->Next + 1] == 0x22))
            return HalpEmulateCr8(Thread, Insn, Regs);
        return STATUS_NOT_SUPPORTED;
    case 0xfa: /* cli */
    case 0xfb: /* sti: see the file's comment */
        Regs->rip += Insn->Next + 1;
        return STATUS_SUCCESS;
    default:
        return STATUS_NOT_SUPPORTED;
    }
}

NTSTATUS IoEmulateDriverInstruction(PETHREAD Thread)
{
    const seL4_Word Words = sizeof(seL4_UserContext) / sizeof(seL4_Word);
    seL4_UserContext Regs, Before;
    HALP_INSN Insn;
    NTSTATUS Status;

    if (Thread->Process == NULL || !Thread->Process->DriverHost || Thread->Tcb == seL4_CapNull)
        return STATUS_NOT_SUPPORTED;
    if (seL4_TCB_ReadRegisters(Thread->Tcb, false, 0, Words, &Regs) != seL4_NoError)
        return STATUS_NOT_SUPPORTED;
    Before = Regs;
    HalpFetch(Thread, Regs.rip, &Insn);
    Status = HalpEmulate(Thread, &Insn, &Regs);
    /* The progress of a string instruction stays even when it stopped at
     * a bad address: the exception then shows where. */
    if (memcmp(&Regs, &Before, sizeof(Regs)) != 0 &&
        seL4_TCB_WriteRegisters(Thread->Tcb, false, 0, Words, &Regs) != seL4_NoError)
        return STATUS_NOT_SUPPORTED;
    return Status;
}
