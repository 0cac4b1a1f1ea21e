#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `nt-boot` suite: boots the kernel with the ntos image whose
# first program is hello.exe (build/tests/system/nt-boot/ntos-hello.elf,
# see build.mk) under QEMU, lets ntos start hello.exe, and checks the serial output: ntos's banner, hello's two
# lines (a fixed greeting, then its image base and command line read from
# the PEB and the process parameters), its line on the loader's data (the
# module list, LdrGetProcedureAddress) and ntos's exit line with hello's
# status (HELLO_EXIT_STATUS in base/hello/hello.c). No bugcheck may appear.
# Prints the serial protocol of docs/layout.md; the full log goes to --log.

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tools"))
import qemu  # noqa: E402

EXIT_LINE = r"process hello\.exe exited with status 0x[0-9a-fA-F]+"

# (test, regular expression that some output line must match)
CHECKS = [
    ("ntos_starts", r"ntos: Nereid NT Executive starting"),
    ("hello_prints", r"Hello from a native NT program"),
    ("hello_reads_peb", r"hello: image base (0x)?0*140000000\b"),
    ("hello_command_line", r"command line: hello\.exe"),
    ("hello_loader_data", r"hello: modules hello\.exe ntdll\.dll, LdrGetProcedureAddress ok"),
    ("hello_exit_status", r"process hello\.exe exited with status 0x0*1234\b"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=qemu.DEFAULT_KERNEL)
    ap.add_argument("--module", default="build/tests/system/nt-boot/ntos-hello.elf")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--log", default="build/test-results/nt-boot-serial.log")
    a = ap.parse_args()
    os.makedirs(os.path.dirname(a.log), exist_ok=True)
    cmd = qemu.qemu_command(kernel=a.kernel, module=a.module)
    res = qemu.run_capture(cmd, a.timeout, log_path=a.log, stop_on=EXIT_LINE)
    lines = res.lines
    failed = 0
    if res.error:
        print("TEST-FAIL nt-boot.qemu: %s" % res.error)
        failed += 1
    for name, pattern in CHECKS:
        if any(re.search(pattern, line) for line in lines):
            print("TEST-PASS nt-boot.%s" % name)
        else:
            tail = " | ".join(lines[-8:])[-600:]
            print("TEST-FAIL nt-boot.%s: no line matches /%s/; last lines: %s"
                  % (name, pattern, tail))
            failed += 1
    bugchecks = [line for line in lines if "bugcheck" in line]
    if bugchecks:
        print("TEST-FAIL nt-boot.no_bugcheck: %s" % bugchecks[0][:300])
        failed += 1
    else:
        print("TEST-PASS nt-boot.no_bugcheck")
    print("SUITE-END nt-boot")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
