#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `compat` suite: for each program named on the command line,
# boots build/tests/system/nt-loader/ntos-<program>.elf (ntos whose first
# program is <program>.exe, a native program built with stock mingw-w64
# headers and libntdll.a, tests/compat/README.md) under QEMU and passes on
# the `TEST-PASS compat.*` / `TEST-FAIL compat.*` lines it prints. Then
#   compat.<name>_ran      (<name>: the folder without `stock-`) it printed
#                          `compat: <name> done`
#                          and ntos saw it exit with the number of its
#                          failed tests (no crash, no hang, no bugcheck)
# and `SUITE-END compat`. Logs: <logs>/compat-<program>.log.

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tools"))
import qemu  # noqa: E402

TEST_RE = re.compile(r"(TEST-(?:PASS|FAIL) compat\.\S+.*)$")
EXIT_RE = r"process %s\.exe exited with status 0x([0-9a-fA-F]+)"


def short_name(program):
    """The name in the program's test names: its folder without `stock-`."""
    return program.replace("stock-", "", 1).replace("-", "_")


def run_program(a, program):
    """Returns (protocol lines, error of the _ran test or None)."""
    image = os.path.join(a.images, "ntos-%s.elf" % program)
    if not os.path.exists(image):
        return [], "no image %s" % image
    cmd = qemu.qemu_command(kernel=a.kernel, module=image)
    res = qemu.run_capture(cmd, a.timeout, stop_on=EXIT_RE % re.escape(program),
                           log_path=os.path.join(a.logs, "compat-%s.log" % program))
    found, failed, done, status = [], 0, False, None
    for line in res.lines:
        m = TEST_RE.search(line)
        if m:
            found.append(m.group(1))
            failed += m.group(1).startswith("TEST-FAIL")
        if "compat: %s done" % short_name(program) in line:
            done = True
        m = re.search(EXIT_RE % re.escape(program), line)
        if m:
            status = int(m.group(1), 16)
        if "bugcheck" in line:
            return found, line.strip()[:300]
    tail = " | ".join(res.lines[-6:])[-500:]
    if status is None:
        return found, "no exit line (%s); last lines: %s" % (res.describe(), tail)
    if not done:
        return found, "exited with 0x%08x before its last line; last lines: %s" % (status, tail)
    if status != failed:
        return found, "exit status 0x%08x, but %d failed tests were printed" % (status, failed)
    return found, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=qemu.DEFAULT_KERNEL)
    ap.add_argument("--images", default="build/tests/system/nt-loader")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--logs", default="build/test-results")
    ap.add_argument("programs", nargs="*")
    a = ap.parse_args()
    os.makedirs(a.logs, exist_ok=True)
    bad = 0
    for program in a.programs:
        lines, error = run_program(a, program)
        for line in lines:
            print(line)
            bad += line.startswith("TEST-FAIL")
        test = "compat.%s_ran" % short_name(program)
        if error:
            print("TEST-FAIL %s: %s" % (test, error))
            bad += 1
        else:
            print("TEST-PASS %s" % test)
    print("SUITE-END compat")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
