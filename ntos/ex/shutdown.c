/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtShutdownSystem: the end of the system. Each action first says so on
 * the console ("ntos: shutdown (<action>)"), then:
 *
 * - ShutdownNoReboot (0) halts: every process is ended (exit status
 *   STATUS_SYSTEM_SHUTDOWN, the caller's too, so the call does not
 *   return) and ntos idles in its service loop with nothing to serve.
 * - ShutdownReboot (1) resets the machine: the keyboard controller's
 *   pulse of the reset line (0xFE to port 0x64), then the PCI reset
 *   control register (port 0xCF9: 0x06, a hard reset, then 0x0E, a full
 *   one). QEMU started with -no-reboot exits with status 0 instead.
 * - ShutdownPowerOff (2) turns the machine off: under QEMU through the
 *   isa-debug-exit device at port 0xF4 (the self-test images' way out, ke's
 *   KiPowerOff) with code 0, so QEMU exits with status 1 = (0 << 1) | 1,
 *   which tools/qemu.py reads as guest exit code 0.
 *
 * A reset or power-off that does not happen (a machine without those
 * ports) falls back to halting. FIXME: ACPI S5 (PM1a control block from
 * the FADT, SLP_TYP from the DSDT's \_S5 package) is not tried yet: ntos
 * does not map the ACPI tables; real hardware halts instead of powering
 * off (ex/README.md). Port capabilities are issued for the one access and
 * deleted again; a port another part of ntos already holds (the i8042's,
 * once a driver has it) is skipped.
 */
#include "exp.h"

#include <ps.h>
#include <io.h> /* pnp: IoPnpShutdown */

#define ShutdownNoReboot 0
#define ShutdownReboot   1
#define ShutdownPowerOff 2

#define EXP_QEMU_EXIT_PORT 0xF4
#define EXP_I8042_STATUS   0x64 /* read: status; write: command */
#define EXP_I8042_BUSY     0x02 /* input buffer full */
#define EXP_I8042_RESET    0xFE /* pulse the CPU reset line */
#define EXP_RESET_CONTROL  0xCF9
#define EXP_HARD_RESET     0x06
#define EXP_FULL_RESET     0x0E

/* The capability for one I/O port (ke/ioport.c keeps it: the kernel issues
 * each port once, and drivers reach the same ports); seL4_CapNull when it
 * cannot be had. */
static seL4_CPtr ExpIssuePort(USHORT Port)
{
    seL4_CPtr Cap;

    return NT_SUCCESS(KeGetIoPortCap(Port, 1, &Cap)) ? Cap : seL4_CapNull;
}

static void ExpReleasePort(seL4_CPtr Slot)
{
    (void)Slot; /* kept by ke/ioport.c */
}

static void ExpWritePort(USHORT Port, UCHAR Value)
{
    seL4_CPtr Slot = ExpIssuePort(Port);

    if (Slot == seL4_CapNull)
        return;
    seL4_X86_IOPort_Out8(Slot, Port, Value);
    ExpReleasePort(Slot);
}

/* The keyboard controller's reset: wait (bounded) until it takes a
 * command, then send it. */
static void ExpResetThroughKeyboardController(void)
{
    seL4_CPtr Slot = ExpIssuePort(EXP_I8042_STATUS);

    if (Slot == seL4_CapNull)
        return;
    for (ULONG i = 0; i < 100000; i++) {
        seL4_X86_IOPort_In8_t In = seL4_X86_IOPort_In8(Slot, EXP_I8042_STATUS);
        if (In.error != seL4_NoError || !(In.result & EXP_I8042_BUSY))
            break;
    }
    seL4_X86_IOPort_Out8(Slot, EXP_I8042_STATUS, EXP_I8042_RESET);
    ExpReleasePort(Slot);
}

/* End every process and idle. The caller's request gets no answer. */
static NTSTATUS ExpHalt(void)
{
    PsTerminateAllProcesses(STATUS_SYSTEM_SHUTDOWN);
    KePrint("ntos: every process ended; the system is halted\n");
    return STATUS_SYSTEM_SHUTDOWN;
}

NTSTATUS NtShutdownSystem(ULONG Action)
{
    if (Action > ShutdownPowerOff)
        return STATUS_INVALID_PARAMETER;
    IoPnpShutdown(Action); /* pnp: the power IRP of every PnP stack, bounded */
    switch (Action) {
    case ShutdownNoReboot:
        KePrint("ntos: shutdown (halt)\n");
        break;
    case ShutdownReboot:
        KePrint("ntos: shutdown (reboot)\n");
        ExpResetThroughKeyboardController();
        ExpWritePort(EXP_RESET_CONTROL, EXP_HARD_RESET);
        ExpWritePort(EXP_RESET_CONTROL, EXP_FULL_RESET);
        KePrint("ntos: the machine did not reset\n");
        break;
    case ShutdownPowerOff:
        KePrint("ntos: shutdown (power off)\n");
        ExpWritePort(EXP_QEMU_EXIT_PORT, 0);
        KePrint("ntos: the machine did not power off\n");
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    return ExpHalt();
}
