#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# The `harness` suite: checks tools/testrun.py against fake_suite.py in each
# of its shapes (counts, exit status, the `.complete` failure, the summary's
# last line) and reports the checks in the serial test protocol itself, so
# `make test` runs it like any other suite.

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TESTRUN = os.path.join(ROOT, "tools", "testrun.py")
FAKE = os.path.join(HERE, "fake_suite.py")

# mode -> (passed, failed, exit status of `testrun.py run`)
CASES = {
    "pass": (2, 0, 0),
    "fail": (1, 1, 1),
    "crash": (1, 1, 1),
    "hang": (1, 1, 1),
    "noise": (2, 0, 0),
    "linger": (2, 0, 0),
}


def run_case(mode, results):
    cmd = [sys.executable, TESTRUN, "run", "--suite", "fake", "--results", results,
           "--timeout", "4", "--cmd", "%s %s %s" % (sys.executable, FAKE, mode)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    out = p.stdout.decode()
    with open(os.path.join(results, "fake.json")) as f:
        r = json.load(f)
    return p.returncode, r, out


def check_case(mode):
    want_p, want_f, want_rc = CASES[mode]
    with tempfile.TemporaryDirectory() as results:
        rc, r, out = run_case(mode, results)
    problems = []
    if (r["passed"], r["failed"]) != (want_p, want_f):
        problems.append("counts %d/%d, want %d/%d" % (r["passed"], r["failed"], want_p, want_f))
    if rc != want_rc:
        problems.append("exit %d, want %d" % (rc, want_rc))
    last = out.strip().splitlines()[-1] if out.strip() else ""
    if mode in ("crash", "hang"):
        if not any(f["test"] == "fake.complete" for f in r["failures"]):
            problems.append("no fake.complete failure")
        if "last" not in out or "| fake: booting" not in out:
            problems.append("no output tail shown")
    if mode == "fail" and "FAIL fake.second: fake.c:12" not in out:
        problems.append("failure reason not shown")
    if "fake: %d passed, %d failed" % (want_p, want_f) != last:
        problems.append("last line %r" % last)
    return problems


def check_summary():
    with tempfile.TemporaryDirectory() as results:
        for name, (p, f) in {"one": (3, 0), "two": (1, 2)}.items():
            with open(os.path.join(results, name + ".json"), "w") as fh:
                json.dump({"suite": name, "passed": p, "failed": f, "failures": []}, fh)
        cmd = [sys.executable, TESTRUN, "summary", results, "one", "two", "missing"]
        pr = subprocess.run(cmd, stdout=subprocess.PIPE, timeout=60)
    lines = pr.stdout.decode().strip().splitlines()
    problems = []
    if not lines or lines[-1] != "4 passed, 3 failed":
        problems.append("last line %r" % (lines[-1] if lines else ""))
    if pr.returncode != 1:
        problems.append("exit %d, want 1" % pr.returncode)
    return problems


def report(name, problems):
    if problems:
        print("TEST-FAIL harness.%s: %s" % (name, "; ".join(problems)), flush=True)
    else:
        print("TEST-PASS harness.%s" % name, flush=True)


def main():
    for mode in CASES:
        report(mode, check_case(mode))
    report("summary", check_summary())
    print("SUITE-END harness", flush=True)


if __name__ == "__main__":
    main()
