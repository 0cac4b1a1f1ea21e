#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `rtl` host suite: runs the sanitised host test program
# (its TEST-PASS/TEST-FAIL lines pass through), then compiles every
# ntdll/rtl and ntdll/crt source with mingw-w64 the way ntdll.dll will be
# built (-ffreestanding, warnings are errors), one test per file, and prints
# `SUITE-END rtl`.

import argparse
import glob
import os
import shlex
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--include", action="append", required=True)
    ap.add_argument("--pe-cc", default="x86_64-w64-mingw32-gcc")
    ap.add_argument("--build", required=True)
    a = ap.parse_args()
    failed = 0
    p = subprocess.run([a.bin], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(p.stdout)
    if p.returncode != 0 and "TEST-FAIL" not in p.stdout:
        print("TEST-FAIL rtl.host_program: exit status %d: %s"
              % (p.returncode, " ".join(p.stdout.split()[-30:])))
        failed += 1
    failed += p.stdout.count("TEST-FAIL")
    os.makedirs(a.build, exist_ok=True)
    for src in sorted(glob.glob("ntdll/rtl/*.c") + glob.glob("ntdll/crt/*.c")):
        name = os.path.splitext(os.path.basename(src))[0]
        obj = os.path.join(a.build, name + ".o")
        cmd = shlex.split(a.pe_cc) + ["-std=gnu11", "-O2", "-ffreestanding", "-Wall", "-Wextra",
                                      "-Werror", "-c", src, "-o", obj]
        cmd += ["-I" + i for i in a.include]
        c = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        test = "mingw_%s_%s" % (os.path.basename(os.path.dirname(src)), name)
        if c.returncode != 0 or c.stdout.strip():
            print("TEST-FAIL rtl.%s: %s" % (test, " ".join(c.stdout.split())[:300]))
            failed += 1
        else:
            print("TEST-PASS rtl.%s" % test)
    print("SUITE-END rtl")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
