#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# A stand-in test suite for checking tools/testrun.py: prints the serial test
# protocol for suite `fake` the way a root task would, in one of several
# shapes chosen by the argument: pass, fail, crash (no SUITE-END, non-zero
# exit), hang (no SUITE-END, never exits), noise (markers behind other
# output and lines of other suites), linger (SUITE-END, then keeps running).

import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "pass"


def say(line):
    print(line, flush=True)


say("fake: booting")
say("TEST-PASS fake.first")
if mode == "pass":
    say("TEST-PASS fake.second")
elif mode == "fail":
    say("TEST-FAIL fake.second: fake.c:12 x == 1 (a=0x0 b=0x1)")
elif mode == "crash":
    say("fake: page fault at 0xdead")
    sys.exit(3)
elif mode == "hang":
    time.sleep(600)
elif mode == "noise":
    say("kernel: some message TEST-PASS fake.second")
    say("TEST-PASS other.ignored")
    say("TEST-FAIL other.ignored: not ours")
    say("SUITE-END other")
elif mode == "linger":
    say("TEST-PASS fake.second")
    say("SUITE-END fake")
    time.sleep(600)
say("SUITE-END fake")
