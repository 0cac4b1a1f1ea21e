/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of hardware access for driver processes (io/hal*.c), each
 * running base/halprobe/halprobe.exe under the real service loop until it
 * ends (see that file for what each probe does): a driver process's port
 * I/O, string port I/O and cr8 emulated; a port drivers may not use, and
 * the same instructions in an ordinary process, raise
 * STATUS_PRIVILEGED_INSTRUCTION (which, unhandled, ends the process with
 * that code); the memory services on VGA memory and contiguous RAM; and
 * the interrupt lines (halirq: IRQ 8 from the RTC's periodic interrupt,
 * signalled on the notification the driver was given, and the line given
 * back when the process ends).
 */
#include "ktest.h"

#include <io.h>
#include <ob.h>

#include "../io/halp.h"

static PEPROCESS KtHalProcess;

static bool KtHalEnded(void)
{
    return KtHalProcess->ActiveThreads == 0;
}

/* Start halprobe.exe <Mode>, as a driver process or not. */
static PEPROCESS KtStartProbe(const WCHAR *CommandLine, bool Driver)
{
    PEPROCESS Process = NULL;

    if (!CHECK_EQ(PsCreateProcessFromArchive("halprobe.exe", CommandLine, &Process),
                  STATUS_SUCCESS))
        return NULL;
    /* Before its thread runs: ntos outranks it and has not waited yet. */
    Process->DriverHost = Driver;
    ObReferenceObject(Process); /* keep it past its end */
    KtHalProcess = Process;
    return Process;
}

static void KtRunProbe(const WCHAR *CommandLine, bool Driver, NTSTATUS Expected)
{
    PEPROCESS Process = KtStartProbe(CommandLine, Driver);

    if (Process == NULL)
        return;
    KiRunServiceLoop(KtHalEnded);
    CHECK_EQ(Process->ActiveThreads, 0);
    CHECK_EQ(Process->ExitStatus, Expected);
    ObDereferenceObject(Process);
}

KTEST(hal_ports_emulated_in_driver)
{
    KtRunProbe(u"halprobe.exe ports", true, STATUS_SUCCESS);
}

KTEST(hal_denied_port_raises)
{
    KtRunProbe(u"halprobe.exe denied", true, STATUS_PRIVILEGED_INSTRUCTION);
}

KTEST(hal_pit_channel_0_command_raises)
{
    KtRunProbe(u"halprobe.exe timer", true, STATUS_PRIVILEGED_INSTRUCTION);
}

KTEST(hal_ins_to_bad_address_raises)
{
    KtRunProbe(u"halprobe.exe Insfault", true, STATUS_ACCESS_VIOLATION);
}

KTEST(hal_ports_privileged_in_ordinary_process)
{
    KtRunProbe(u"halprobe.exe Privileged", false, STATUS_PRIVILEGED_INSTRUCTION);
    KtRunProbe(u"halprobe.exe cr8", false, STATUS_PRIVILEGED_INSTRUCTION);
}

KTEST(hal_memory_services)
{
    KtRunProbe(u"halprobe.exe memory", true, STATUS_SUCCESS);
}

KTEST(hal_ports_deny_table)
{
    CHECK(!HalpPortAllowed(0x40, 1));
    CHECK(!HalpPortAllowed(0x41, 1));
    CHECK(HalpPortAllowed(0x42, 1)); /* PIT channel 2: the speaker's */
    CHECK(!HalpPortAllowed(0x43, 1));
    CHECK(HalpPortWriteAllowed(0x43, 1, 0xb6));  /* channel 2, square wave */
    CHECK(HalpPortWriteAllowed(0x43, 1, 0x80));  /* channel 2, latch */
    CHECK(!HalpPortWriteAllowed(0x43, 1, 0x30)); /* channel 0 */
    CHECK(!HalpPortWriteAllowed(0x43, 1, 0x76)); /* channel 1 */
    CHECK(!HalpPortWriteAllowed(0x43, 1, 0xe2)); /* read-back */
    CHECK(!HalpPortWriteAllowed(0x43, 2, 0xb6));
    CHECK(!HalpPortWriteAllowed(0x40, 1, 0));
    CHECK(!HalpPortAllowed(0x3e, 4)); /* reaches 0x40 */
    CHECK(!HalpPortAllowed(0x42, 2)); /* reaches 0x43 */
    CHECK(!HalpPortAllowed(0x20, 1));
    CHECK(!HalpPortAllowed(0xa1, 1));
    CHECK(!HalpPortAllowed(0xf4, 1));
    CHECK(!HalpPortAllowed(0xffff, 2));
    CHECK(HalpPortAllowed(0x3f8, 1)); /* COM1: the serial driver's */
    CHECK(HalpPortAllowed(0x70, 2));
    CHECK(HalpPortAllowed(0x60, 1));
    CHECK(HalpPortAllowed(0xcf8, 4));
}
