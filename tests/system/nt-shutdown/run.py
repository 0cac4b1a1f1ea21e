#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `nt-shutdown` suite: boots, for each case, the ntos image
# build/tests/system/nt-shutdown/ntos-<case>.elf, whose first program calls
# NtShutdownSystem, and checks ntos's console lines and how QEMU ended:
#   poweroff  ShutdownPowerOff: "ntos: shutdown (power off)", then QEMU
#             exits by itself through isa-debug-exit with guest code 0
#             (QEMU status 1)
#   reboot    ShutdownReboot: "ntos: shutdown (reboot)", then the machine
#             resets, which QEMU (-no-reboot) turns into exit status 0
#   halt      ShutdownNoReboot: "ntos: shutdown (halt)", the program ended
#             with STATUS_SYSTEM_SHUTDOWN, ntos idle (QEMU still runs and is
#             stopped after the last line)
# In no case may the program's call return, ntos report a failed reset or
# power-off, or a bugcheck appear. Prints the serial protocol of
# docs/layout.md; logs go to --logs.

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tools"))
import qemu  # noqa: E402

# case -> (test name, lines that must appear, how QEMU must end:
#          ("guest", code) isa-debug-exit, ("status", n) a plain exit,
#          ("stopped", regex) still running after the line matching regex)
CASES = {
    "poweroff": ("power_off_exits_qemu", [r"^ntos: shutdown \(power off\)$"], ("guest", 0)),
    "reboot": ("reboot_resets_machine", [r"^ntos: shutdown \(reboot\)$"], ("status", 0)),
    "halt": ("halt_ends_every_process",
             [r"^ntos: shutdown \(halt\)$",
              r"process halt\.exe exited with status 0x0*c00002eb\b",
              r"^ntos: every process ended; the system is halted$"],
             ("stopped", r"the system is halted")),
    # pnp branch: the shutdown power IRP reaches a PnP stack before power off.
    "pnppower": ("power_irp_reaches_pnp_stack",
                 [r"pnppower: NtLoadDriver\(PnpTest\) = 0x00000000",
                  r"PnpTest: set power: system state 6, shutdown type 6$",
                  r"^ntos: shutdown \(power off\)$"],
                 ("guest", 0)),
    # pnp branch: a driver that never completes it delays power off, no more.
    "pnphang": ("hung_power_irp_does_not_stop_shutdown",
                [r"pnphang: NtLoadDriver\(PnpHang\) = 0x00000000",
                 r"PnpHang: set power: system state 6, shutdown type 6$",
                 r"^ntos: a driver did not answer the shutdown power IRP; going on$",
                 r"^ntos: shutdown \(power off\)$"],
                ("guest", 0)),
}

FORBIDDEN = [r"NtShutdownSystem returned", r"did not (reset|power off)", r"bugcheck"]


def how_it_ended(res, expected):
    """None if QEMU ended as expected, else why not."""
    kind, value = expected
    if res.error:
        return res.error
    if kind == "stopped":
        return None if res.stopped else "expected ntos to idle; " + res.describe()
    if res.stopped or res.timed_out:
        return "QEMU did not exit by itself (%s)" % res.describe()
    if kind == "guest":
        code = qemu.guest_exit_code(res.status)
        return None if code == value else "expected guest exit code %d; %s" % (
            value, res.describe())
    return None if res.status == value else "expected QEMU status %d; %s" % (
        value, res.describe())


def run_case(a, case, patterns, expected):
    image = os.path.join(a.images, "ntos-%s.elf" % case)
    if not os.path.exists(image):
        return "no image %s" % image
    cmd = qemu.qemu_command(kernel=a.kernel, module=image)
    stop = expected[1] if expected[0] == "stopped" else None
    res = qemu.run_capture(cmd, a.timeout, stop_on=stop,
                           log_path=os.path.join(a.logs, "nt-shutdown-%s.log" % case))
    lines = res.lines
    tail = " | ".join(lines[-6:])[-500:]
    for pattern in patterns:
        if not any(re.search(pattern, line) for line in lines):
            return "no line matches /%s/; last lines: %s" % (pattern, tail)
    for pattern in FORBIDDEN:
        bad = [line for line in lines if re.search(pattern, line)]
        if bad:
            return "unexpected line: %s" % bad[0][:300]
    why = how_it_ended(res, expected)
    return "%s; last lines: %s" % (why, tail) if why else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=qemu.DEFAULT_KERNEL)
    ap.add_argument("--images", default="build/tests/system/nt-shutdown")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--logs", default="build/test-results")
    a = ap.parse_args()
    os.makedirs(a.logs, exist_ok=True)
    failed = 0
    for case, (test, patterns, expected) in CASES.items():
        error = run_case(a, case, patterns, expected)
        if error:
            print("TEST-FAIL nt-shutdown.%s: %s" % (test, error))
            failed += 1
        else:
            print("TEST-PASS nt-shutdown.%s" % test)
    print("SUITE-END nt-shutdown")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
