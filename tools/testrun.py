#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs one test suite and reads the serial test protocol of docs/layout.md,
# or adds up the results of several suites.
#
#   testrun.py run --suite NAME --results DIR (--module ELF | --cdrom ISO | --cmd CMD) ...
#   testrun.py summary DIR [SUITE ...]
#
# `run` boots a root task in QEMU (tools/qemu.py) or runs a host command,
# prints one line per test (`PASS <suite>.<name>` / `FAIL <suite>.<name>:
# <reason>`) as results arrive, then `<suite>: N passed, N failed`. Without a
# `SUITE-END <suite>` line (crash, hang, timeout, missing input) it adds the
# failure `<suite>.complete` and shows the last 20 lines of output. The full
# output goes to DIR/<suite>.log, the counts to DIR/<suite>.json. It exits 1
# if anything failed.
#
# `summary` prints each suite's counts and, as the very last line, the grand
# total `N passed, N failed`; a suite named but without results counts as one
# failure. It exits 1 if anything failed.

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

TAIL_LINES = 20
MARKER = re.compile(r"(TEST-PASS|TEST-FAIL|SUITE-END) (\S+)(.*)$")


class Suite:
    """Protocol state of one suite run."""

    def __init__(self, name, protocol_name):
        self.name = name
        self.protocol = protocol_name
        self.passed = []
        self.failed = []  # (test, reason)
        self.ended = False

    def feed(self, line):
        m = MARKER.search(line)
        if not m:
            return
        kind, ident, rest = m.groups()
        if kind == "SUITE-END":
            if ident == self.protocol:
                self.ended = True
            return
        if kind == "TEST-FAIL" and ident.endswith(":"):
            ident = ident[:-1]
        suite, dot, test = ident.partition(".")
        if suite != self.protocol or not dot:
            return
        full = "%s.%s" % (self.name, test)
        if kind == "TEST-PASS":
            self.passed.append(full)
            print("PASS %s" % full, flush=True)
        else:
            reason = rest.lstrip(": ").strip() or "failed"
            self.failed.append((full, reason))
            print("FAIL %s: %s" % (full, reason), flush=True)

    def incomplete(self, why, lines):
        full = "%s.complete" % self.name
        self.failed.append((full, why))
        print("FAIL %s: %s" % (full, why), flush=True)
        if lines:
            print("---- last %d lines of output ----" % min(TAIL_LINES, len(lines)))
            for line in lines[-TAIL_LINES:]:
                print("  | " + line)
            print("----")

    def save(self, results_dir):
        os.makedirs(results_dir, exist_ok=True)
        with open(os.path.join(results_dir, self.name + ".json"), "w") as f:
            json.dump({"suite": self.name, "passed": len(self.passed),
                       "failed": len(self.failed),
                       "failures": [{"test": t, "reason": r} for t, r in self.failed]},
                      f, indent=1)
        print("%s: %d passed, %d failed" % (self.name, len(self.passed), len(self.failed)),
              flush=True)


def run_suite(args):
    suite = Suite(args.suite, args.protocol_suite or args.suite)
    log_path = os.path.join(args.results, args.suite + ".log")
    os.makedirs(args.results, exist_ok=True)
    # The kernel's halt (seL4_DebugHalt: an ntos bugcheck, a root task that
    # gave up) ends the run at once instead of at the time-out.
    stop_on = r"SUITE-END %s\b|^Debug halt syscall" % re.escape(suite.protocol)
    tmp = None
    if args.cmd:
        res = qemu.run_capture(args.cmd, args.timeout, suite.feed, log_path, stop_on,
                               echo=args.verbose, shell=True)
    else:
        missing = qemu.check_inputs(args.kernel, args.module, args.cdrom)
        if missing:
            suite.incomplete(missing, [])
            suite.save(args.results)
            return 1
        module, tmp = qemu.prepare_module(args.module, args.config) if args.module \
            else (None, None)
        cmd = qemu.qemu_command(args.kernel, module, args.cdrom, args.append, args.icount)
        print("%s: %s" % (args.suite, " ".join(cmd)), flush=True)
        try:
            res = qemu.run_capture(cmd, args.timeout, suite.feed, log_path, stop_on,
                                   echo=args.verbose)
        finally:
            if tmp:
                os.unlink(tmp)
    if not suite.ended:
        if res.error:
            why = res.error
        elif res.timed_out:
            why = "no SUITE-END %s: timed out after %gs" % (suite.protocol, args.timeout)
        else:
            why = "no SUITE-END %s: %s" % (suite.protocol, res.describe())
        suite.incomplete(why, res.lines)
    suite.save(args.results)
    return 1 if suite.failed else 0


def summary(args):
    names = args.suites
    if not names:
        names = sorted(f[:-5] for f in os.listdir(args.results) if f.endswith(".json"))
    total_pass = total_fail = 0
    for name in names:
        path = os.path.join(args.results, name + ".json")
        try:
            with open(path) as f:
                r = json.load(f)
            p, n = r["passed"], r["failed"]
        except (OSError, ValueError, KeyError):
            p, n = 0, 1
            print("FAIL %s.complete: no results (suite did not run)" % name)
        print("  %-24s %5d passed, %5d failed" % (name, p, n))
        total_pass += p
        total_fail += n
    print("%d passed, %d failed" % (total_pass, total_fail), flush=True)
    return 1 if total_fail else 0


def main():
    ap = argparse.ArgumentParser(description="Run test suites and read their protocol.")
    sub = ap.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("run", help="run one suite")
    r.add_argument("--suite", required=True, help="suite name to report under")
    r.add_argument("--protocol-suite", help="suite name the image prints (default: --suite)")
    r.add_argument("--results", default="build/test-results", help="results folder")
    r.add_argument("--timeout", type=float, default=300.0, help="seconds")
    r.add_argument("--verbose", action="store_true", help="echo all output")
    src = r.add_mutually_exclusive_group(required=True)
    src.add_argument("--module", help="root task ELF booted with the kernel")
    src.add_argument("--cdrom", help="bootable ISO")
    src.add_argument("--cmd", help="host shell command printing the protocol")
    r.add_argument("--kernel", default=qemu.DEFAULT_KERNEL, help="ELF32 kernel")
    r.add_argument("--append", help="kernel command line")
    r.add_argument("--config", help="key=value string patched into the root task")
    r.add_argument("--icount", action="store_true", help="-icount shift=0,sleep=off")
    s = sub.add_parser("summary", help="add up results")
    s.add_argument("results", help="results folder")
    s.add_argument("suites", nargs="*", help="suites expected (default: all found)")
    args = ap.parse_args()
    return run_suite(args) if args.mode == "run" else summary(args)


if __name__ == "__main__":
    sys.exit(main())
