#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# `make bench`: boots build/tests/kernel/bench.elf twice, first under
# `-icount shift=0,sleep=off` (the guest TSC then counts instructions, so the
# figures are exact and repeatable) and then under plain TCG (wall-clock
# figures, noisy, only meaningful as ratios within one run), collects the
# `BENCH <metric> <value>` lines, prints a table and writes a flat JSON object
# metric -> number. With --nt-image (the ntos image whose first program is
# base/ntbench/, `make bench` passes it) the NT benchmarks run the same way
# after the kernel's; each image's _ns figures use its own tsc_mhz. With
# --boot-image (shell branch: `make run`'s system whose shell prints
# `BENCH boot_to_prompt_tsc <tsc>` when its first prompt is due,
# tests/system/system/build.mk) boot_to_prompt_instructions comes from an
# icount boot and boot_to_prompt_seconds is the wall time from QEMU's start
# to that line in a plain TCG boot.
#
# Protocol (also in docs/testing.md): the bench root task prints
#   BENCH tsc_mhz <n>          TSC frequency from the bootinfo
#   BENCH <name>_tsc <ticks>   a cost measured in TSC ticks (may be fractional)
#   BENCH <name> <value>       any other figure, reported as is
#   BENCH-MISSING <name> <why> a metric the system cannot measure yet (the NT
#                              image: a service not merged); shown as missing,
#                              never as a number
# and ends with `SUITE-END bench` (or powers QEMU off). Output metrics:
#   <name>_instructions  = <ticks> of the icount run
#   <name>_ns            = <ticks> * 1000 / tsc_mhz of the TCG run
#   <name>               = plain figures, from the icount run when present there
#   tsc_mhz              = the TCG run's TSC frequency

import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

BENCH_RE = re.compile(r"BENCH (\S+) (-?[0-9]+(?:\.[0-9]+)?)\s*$")
MISSING_RE = re.compile(r"BENCH-MISSING (\S+) (.*?)\s*$")
# The metrics of base/ntbench/ (docs/testing.md): listed so that one the
# image never printed still shows, as missing.
NT_METRICS = ["nt_null_service", "page_fault", "thread_create_exit", "process_create_exit",
              "irp_null_roundtrip", "read4k_buffered", "read4k_direct",  # iocore: these three
              "irp_forward_roundtrip"]  # xcall


class BenchError(Exception):
    pass


def run_once(image, kernel, icount, timeout, log_path, missing=None):
    values = {}

    def on_line(line):
        m = BENCH_RE.search(line)
        if m:
            values[m.group(1)] = float(m.group(2))
        m = MISSING_RE.search(line)
        if m and missing is not None:
            missing.setdefault(m.group(1), m.group(2))

    cmd = qemu.qemu_command(kernel, image, icount=icount)
    res = qemu.run_capture(cmd, timeout, on_line, log_path, r"SUITE-END bench\b")
    ended = any("SUITE-END bench" in line for line in res.lines) or \
        qemu.guest_exit_code(res.status) is not None
    if not ended:
        tail = "\n".join("  | " + line for line in res.lines[-20:])
        raise BenchError("bench: %s run %s did not finish: %s\n%s" %
                         (image, "icount" if icount else "TCG", res.describe(), tail))
    return values


def combine(ic, tcg):
    out = {}
    mhz = tcg.get("tsc_mhz", 0)
    for name, v in ic.items():
        if name.endswith("_tsc"):
            out[name[:-4] + "_instructions"] = v
        elif name != "tsc_mhz":
            out[name] = v
    for name, v in tcg.items():
        if name.endswith("_tsc"):
            if mhz > 0:
                out[name[:-4] + "_ns"] = round(v * 1000.0 / mhz, 3)
        elif name != "tsc_mhz" and name not in out:
            out[name] = v
    if mhz:
        out["tsc_mhz"] = mhz
    return out


def as_number(v):
    return int(v) if float(v).is_integer() else v


def run_nt(args, logdir):
    """The NT image in both modes: (metrics, missing metric -> why). A run
    that does not finish makes the metrics it did not give missing."""
    missing = {}
    runs = []
    for icount, log in ((True, "bench-nt-icount.log"), (False, "bench-nt-tcg.log")):
        try:
            runs.append(run_once(args.nt_image, args.kernel, icount, args.timeout,
                                 os.path.join(logdir, log), missing))
        except BenchError as e:
            print(str(e), file=sys.stderr)
            runs.append({})
    out = combine(*runs)
    out.pop("tsc_mhz", None)  # the kernel run's is the one reported
    for name in NT_METRICS:
        if name + "_instructions" not in out and name + "_ns" not in out:
            missing.setdefault(name, "not measured (the NT image did not report it)")
    for name in list(missing):
        if name + "_instructions" in out or name + "_ns" in out:
            del missing[name]
    return out, missing


def run_boot(args, logdir):
    """shell branch: boot to the shell's prompt, (metrics, missing)."""
    out, missing = {}, {}
    try:
        ic = run_once(args.boot_image, args.kernel, True, args.timeout,
                      os.path.join(logdir, "bench-boot-icount.log"))
        if "boot_to_prompt_tsc" in ic:
            out["boot_to_prompt_instructions"] = ic["boot_to_prompt_tsc"]
    except BenchError as e:
        print(str(e), file=sys.stderr)
    seen = []
    start = time.monotonic()
    res = qemu.run_capture(qemu.qemu_command(args.kernel, args.boot_image), args.timeout,
                           lambda line: seen.append(time.monotonic())
                           if "BENCH boot_to_prompt_tsc" in line and not seen else None,
                           os.path.join(logdir, "bench-boot-tcg.log"), r"SUITE-END bench\b")
    if seen:
        out["boot_to_prompt_seconds"] = round(seen[0] - start, 3)
    else:
        print("bench: the boot image's TCG run did not reach the prompt: %s" % res.describe(),
              file=sys.stderr)
    for name in ("boot_to_prompt_instructions", "boot_to_prompt_seconds"):
        if name not in out:
            missing[name] = "the shell's prompt never came"
    return out, missing


def print_table(ic, tcg, out, missing):
    bases = sorted({n[:-4] for n in list(ic) + list(tcg) if n.endswith("_tsc")} |
                   {n[:-len("_instructions")] for n in out if n.endswith("_instructions")})
    print("%-32s %18s %14s" % ("metric", "instructions", "TCG ns"))
    print("-" * 66)
    for b in bases:
        i = out.get(b + "_instructions")
        n = out.get(b + "_ns")
        print("%-32s %18s %14s" % (b, "-" if i is None else as_number(i),
                                    "-" if n is None else as_number(n)))
    for name in sorted(missing):
        print("%-32s %18s %14s  %s" % (name, "missing", "missing", missing[name]))
    others = [k for k in out if not k.endswith(("_instructions", "_ns"))]
    for k in sorted(others):
        print("%-32s %18s" % (k, as_number(out[k])))


def main():
    ap = argparse.ArgumentParser(description="Run the kernel benchmarks.")
    ap.add_argument("--image", default="build/tests/kernel/bench.elf")
    ap.add_argument("--kernel", default=qemu.DEFAULT_KERNEL)
    ap.add_argument("--json", default="build/bench.json")
    ap.add_argument("--nt-image", default=None,
                    help="the ntos image of base/ntbench/ (NT benchmarks)")
    ap.add_argument("--boot-image", default=None,
                    help="the ntos image whose shell reports boot_to_prompt_tsc")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()

    missing = qemu.check_inputs(args.kernel, args.image, None)
    if missing:
        raise SystemExit("bench: error: " + missing)
    logdir = os.path.dirname(args.json) or "."
    os.makedirs(logdir, exist_ok=True)
    try:
        ic = run_once(args.image, args.kernel, True, args.timeout,
                      os.path.join(logdir, "bench-icount.log"))
        tcg = run_once(args.image, args.kernel, False, args.timeout,
                       os.path.join(logdir, "bench-tcg.log"))
    except BenchError as e:
        raise SystemExit(str(e))
    if not ic and not tcg:
        raise SystemExit("bench: error: no BENCH lines in the output")
    out = combine(ic, tcg)
    missing = {}
    if args.nt_image:
        if not os.path.exists(args.nt_image):
            missing = {n: "no NT image %s" % args.nt_image for n in NT_METRICS}
        else:
            nt, missing = run_nt(args, logdir)
            out.update(nt)
    if args.boot_image:
        boot, boot_missing = run_boot(args, logdir)
        out.update(boot)
        missing.update(boot_missing)
    print_table(ic, tcg, out, missing)
    with open(args.json, "w") as f:
        json.dump({k: as_number(v) for k, v in sorted(out.items())}, f, indent=1)
        f.write("\n")
    print("bench: wrote %s" % args.json)


if __name__ == "__main__":
    main()
