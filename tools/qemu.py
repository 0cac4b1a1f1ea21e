#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots Nereid in QEMU: the kernel (build/kernel/kernel32.elf through QEMU's
# multiboot loader) with one root task module, or a bootable ISO. Two modes:
# interactive (`make run`: serial console and QEMU monitor multiplexed on the
# terminal, Ctrl-A X quits) and capture (tests and benchmarks: serial output
# streamed line by line to a callback, a log file and optionally stdout, with
# a timeout, optionally stopping QEMU a moment after a given line appears).
# The module may first be patched with an in-image configuration string
# (tools/rtconfig.py). testrun.py and bench.py use this file as a library.

import argparse
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtconfig  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
DEFAULT_KERNEL = "build/kernel/kernel32.elf"
# After the stop line, how long QEMU may take to power itself off.
STOP_GRACE_SECONDS = 3.0


def qemu_command(kernel=DEFAULT_KERNEL, module=None, cdrom=None, append=None,
                 icount=False, interactive=False, memory="512M"):
    """The QEMU command line for a -kernel/-initrd boot or an ISO boot."""
    cmd = [QEMU, "-machine", "pc", "-cpu", "max", "-m", memory, "-no-reboot",
           "-nic", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if interactive:
        cmd += ["-nographic", "-serial", "mon:stdio"]
    else:
        cmd += ["-display", "none", "-serial", "stdio", "-monitor", "none"]
    if cdrom:
        cmd += ["-cdrom", cdrom]
    else:
        cmd += ["-kernel", kernel, "-initrd", module]
        if append:
            cmd += ["-append", append]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    return cmd


def guest_exit_code(status):
    """The code the guest wrote to isa-debug-exit, or None for other exits."""
    if status is not None and status > 0 and status & 1:
        return status >> 1
    return None


class Result:
    """What a captured run produced."""

    def __init__(self):
        self.lines = []
        self.status = None       # QEMU's exit status (None if killed)
        self.timed_out = False
        self.stopped = False     # killed by us after the stop line
        self.error = None        # could not start at all

    def describe(self):
        if self.error:
            return self.error
        if self.timed_out:
            return "timed out"
        if self.stopped:
            return "stopped after the final line"
        code = guest_exit_code(self.status)
        if code is not None:
            return "guest exited with code %d (QEMU status %d)" % (code, self.status)
        return "QEMU exited with status %s" % self.status


def _reader(stream, q):
    for raw in iter(stream.readline, b""):
        q.put(raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", ""))
    q.put(None)


def run_capture(cmd, timeout, on_line=None, log_path=None, stop_on=None, echo=False,
                shell=False):
    """Run cmd, feeding each output line to on_line; return a Result.

    stop_on is a regular expression: once a line matches, the process gets
    STOP_GRACE_SECONDS to exit by itself before it is killed."""
    res = Result()
    stop_re = re.compile(stop_on) if stop_on else None
    log = open(log_path, "w") if log_path else None
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, shell=shell,
                                start_new_session=True)
    except OSError as e:
        res.error = "cannot start %s: %s" % (cmd if shell else cmd[0], e)
        if log:
            log.close()
        return res
    q = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, q), daemon=True).start()
    deadline = time.monotonic() + timeout
    eof = False
    try:
        while not eof:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                line = q.get(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            if line is None:
                eof = True
                break
            res.lines.append(line)
            if log:
                log.write(line + "\n")
                log.flush()
            if echo:
                print(line, flush=True)
            if on_line:
                on_line(line)
            if stop_re and not res.stopped and stop_re.search(line):
                res.stopped = True
                deadline = min(deadline, time.monotonic() + STOP_GRACE_SECONDS)
    finally:
        try:
            # Output closed: the process is exiting; give it a moment.
            res.status = proc.wait(timeout=2 if eof else 0.01)
            res.stopped = False
        except subprocess.TimeoutExpired:
            _kill(proc)
            res.timed_out = not res.stopped
        if log:
            log.close()
    return res


def _kill(proc):
    try:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass


def prepare_module(module, config):
    """Path of the module to boot: a patched temporary copy if config is set.
    Returns (path, temporary file to delete or None)."""
    if not config:
        return module, None
    fd, tmp = tempfile.mkstemp(prefix="nereid-", suffix=".elf")
    os.close(fd)
    rtconfig.patch(module, tmp, config)
    return tmp, tmp


def check_inputs(kernel, module, cdrom):
    """A message naming the first missing input, or None."""
    wanted = [cdrom] if cdrom else [kernel, module]
    for f in wanted:
        if not f or not os.path.isfile(f):
            return "missing input %s (build it first: make all / make iso)" % f
    return None


def main():
    ap = argparse.ArgumentParser(description="Boot Nereid in QEMU.")
    ap.add_argument("--kernel", default=DEFAULT_KERNEL, help="ELF32 kernel for -kernel")
    ap.add_argument("--module", help="root task ELF (becomes -initrd)")
    ap.add_argument("--cdrom", help="boot this ISO instead of -kernel/-initrd")
    ap.add_argument("--append", help="kernel command line")
    ap.add_argument("--config", help="patch this key=value string into the root task")
    ap.add_argument("--icount", action="store_true", help="-icount shift=0,sleep=off")
    ap.add_argument("--timeout", type=float, default=None, help="seconds (capture mode)")
    ap.add_argument("--interactive", action="store_true", help="serial console on the terminal")
    ap.add_argument("--log", help="capture mode: also write the output here")
    ap.add_argument("--stop-on", help="capture mode: stop shortly after a line matching this")
    ap.add_argument("--dry-run", action="store_true", help="print the command only")
    args = ap.parse_args()

    if not args.cdrom and not args.module:
        ap.error("give --module or --cdrom")
    missing = check_inputs(args.kernel, args.module, args.cdrom)
    if missing:
        print("qemu.py: error: " + missing, file=sys.stderr)
        return 1
    module, tmp = prepare_module(args.module, args.config) if args.module else (None, None)
    try:
        cmd = qemu_command(args.kernel, module, args.cdrom, args.append, args.icount,
                           args.interactive)
        if args.dry_run:
            print(" ".join(cmd))
            return 0
        if args.interactive:
            print("qemu.py: serial console below; Ctrl-A X quits, Ctrl-A C is the monitor",
                  file=sys.stderr)
            try:
                status = subprocess.call(cmd, timeout=args.timeout)
                code = guest_exit_code(status)
                return code if code is not None else status
            except subprocess.TimeoutExpired:
                print("qemu.py: timed out", file=sys.stderr)
                return 124
        res = run_capture(cmd, args.timeout or 60, log_path=args.log, stop_on=args.stop_on,
                          echo=True)
        print("qemu.py: " + res.describe(), file=sys.stderr)
        if res.timed_out or res.error:
            return 124 if res.timed_out else 1
        if res.stopped:
            return 0
        code = guest_exit_code(res.status)
        return code if code is not None else (res.status or 0)
    finally:
        if tmp:
            os.unlink(tmp)


if __name__ == "__main__":
    sys.exit(main())
