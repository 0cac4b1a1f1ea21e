#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `nt-loader` suite: boots, for each case, the ntos image
# build/tests/system/nt-loader/ntos-<case>.elf (whose first program is the
# case's) under QEMU and checks the serial output: what the program or
# ntdll's loader prints, and ntos's exit line with the expected status.
#   stock-hello  linked with stock mingw libntdll.a: runs unchanged, 0x4321
#   badimport    imports from nosuch.dll: STATUS_DLL_NOT_FOUND before entry
#   badname      imports ntdll!NtNoSuchService: STATUS_ENTRYPOINT_NOT_FOUND
# Prints the serial protocol of docs/layout.md; logs go to --logs.

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tools"))
import qemu  # noqa: E402

# case -> (test name, [regular expressions some line must match], exit status)
CASES = {
    "stock-hello": ("stock_libntdll_program",
                    [r"Hello from a program linked with stock libntdll\.a"], 0x4321),
    "badimport": ("missing_dll", [r"LDR: badimport\.exe needs nosuch\.dll"], 0xC0000135),
    "dllimport": ("static_dll_imports",
                  [r"dllimport: 15 checks, 0 failed",
                   r"ldrtestdll: DLL_PROCESS_DETACH at the process's end"], 0x600D),
    "badname": ("missing_export",
                [r"LDR: badname\.exe: ntdll\.dll!NtNoSuchService not found \(0xc0000139\)"],
                0xC0000139),
}


def run_case(a, case, test, patterns, status):
    image = os.path.join(a.images, "ntos-%s.elf" % case)
    exit_line = r"process %s\.exe exited with status 0x0*%x\b" % (re.escape(case), status)
    if not os.path.exists(image):
        return "no image %s" % image
    cmd = qemu.qemu_command(kernel=a.kernel, module=image)
    res = qemu.run_capture(cmd, a.timeout, stop_on=r"process %s\.exe exited" % re.escape(case),
                           log_path=os.path.join(a.logs, "nt-loader-%s.log" % case))
    lines = res.lines
    for pattern in patterns + [exit_line]:
        if not any(re.search(pattern, line, re.I) for line in lines):
            return "no line matches /%s/; last lines: %s" % (
                pattern, " | ".join(lines[-6:])[-500:])
    bugchecks = [line for line in lines if "bugcheck" in line]
    if bugchecks:
        return bugchecks[0][:300]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=qemu.DEFAULT_KERNEL)
    ap.add_argument("--images", default="build/tests/system/nt-loader")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--logs", default="build/test-results")
    a = ap.parse_args()
    os.makedirs(a.logs, exist_ok=True)
    failed = 0
    for case, (test, patterns, status) in CASES.items():
        error = run_case(a, case, test, patterns, status)
        if error:
            print("TEST-FAIL nt-loader.%s: %s" % (test, error))
            failed += 1
        else:
            print("TEST-PASS nt-loader.%s" % test)
    print("SUITE-END nt-loader")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
