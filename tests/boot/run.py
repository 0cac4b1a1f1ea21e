#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Driver of the `kernel-boot` suite: boot-level tests of the kernel, run on
# the host. It owns the case list, writes each case's input (a broken root
# task from elfimage.py, a GRUB ISO from isoimage.py), boots it in QEMU
# through tools/qemu.py, two cases at a time, and judges the serial output:
# a bad root task must make the kernel print a line naming the root task and
# what is wrong with it (ROOTTASK_ERROR below) and then stay halted; a good
# one must reach the demo root task, whose bootinfo summary is checked.
# QEMU runs with -no-reboot, so a triple fault or reset makes it exit: that,
# like a silent hang until the timeout, is a failure. It prints
# `TEST-PASS kernel-boot.<case>` / `TEST-FAIL kernel-boot.<case>: why` (the
# failing output's tail follows, indented) and `SUITE-END kernel-boot` last,
# and exits 1 if anything failed. Inputs and logs go to BUILD/tests/boot/.
#
#   run.py [--build build] [--seed 1] [--mutations 32] [--jobs 2] [--only REGEX]
#   run.py --list            case names
#   run.py --check-generators  check the broken images against the model only

import argparse
import concurrent.futures
import os
import random
import re
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)
import elfimage  # noqa: E402
import isoimage  # noqa: E402
import qemu  # noqa: E402
import rtconfig  # noqa: E402

SUITE = "kernel-boot"
# After the line a case waits for, QEMU must stay up (halted, not reset) this
# long before it is killed; a triple fault right after the message shows here.
qemu.STOP_GRACE_SECONDS = 1.0

# The kernel's verdict on a root task it refuses: one line naming the root
# task and saying it cannot be used, in either order. Today's kernel prints
# "boot: the root task (module 0) is not a usable ELF image: <reason>"
# (kernel/boot/elf.c), or panics with "... for the root task" when the image
# does not fit in RAM.
# (Flags are scoped, (?i:...), because stop_pattern() joins these patterns.)
ROOTTASK_ERROR = re.compile(r"(?i:^(?=.*root task)(?=.*\b(not a usable|invalid|error|cannot|"
                            r"out of memory|too (big|large))\b))")
NO_MODULE_ERROR = re.compile(r"(?i:\bno (boot )?modules?\b|lacks .*modules|"
                             r"root task .*(missing|not found))")
NO_1G_PAGES_ERROR = re.compile(r"(?i:1 ?GiB pages|pdpe1gb)")
PANIC = re.compile(r"KERNEL PANIC|(?i:\bpanic\b|exception|double fault|assertion failed)|"
                   r"Caught .* in thread")
BOOTING = re.compile(r"Booting the root task|Nereid demo root task")
DEMO_FIRST = "Nereid demo root task"
DEMO_END = re.compile(r"SUITE-END demo\b|TEST-FAIL demo\.")
# The model calls a longer image span "too big": 4096 frame caps cannot fit in
# the 2^12-slot root CNode next to the 16 fixed slots (spec §20.3).
IMAGE_LIMIT = 16 << 20
TAIL = 15


class Case:
    """One boot: how to make its input and what its output must show.

    kind "boot": the demo must run and `checks` (functions of the output
    lines returning None or why not) must hold. kind "halt": a line matching
    `expect` must appear and QEMU must then stay up (halted)."""

    def __init__(self, name, kind, about, make, timeout, checks=(), expect=None, image=None):
        self.name, self.kind, self.about = name, kind, about
        self.make = make        # ctx -> qemu command (list); raises CaseError
        self.timeout = timeout
        self.checks = checks
        self.expect = expect
        self.image = image      # ctx -> root task bytes, for the broken-image cases
        self.verdict = ""


class CaseError(Exception):
    """The case could not be set up (missing input, generator bug)."""


class Ctx:
    """Paths and options shared by the cases."""

    def __init__(self, args):
        self.args = args
        b = args.build
        self.kernel32 = args.kernel32 or os.path.join(b, "kernel", "kernel32.elf")
        self.kernel64 = args.kernel64 or os.path.join(b, "kernel", "kernel.elf")
        self.demo = args.demo or os.path.join(b, "tests", "kernel", "demo.elf")
        self.iso = args.iso or os.path.join(b, "nereid.iso")
        self.out = os.path.join(b, "tests", "boot")
        for d in ("modules", "logs", "iso"):
            os.makedirs(os.path.join(self.out, d), exist_ok=True)
        self._base = None

    def need(self, *paths):
        for p in paths:
            if not os.path.isfile(p):
                raise CaseError("missing input %s (make all / make iso)" % p)

    def base(self):
        """The valid root task the broken ones are made from."""
        if self._base is None:
            self.need(self.demo)
            with open(self.demo, "rb") as f:
                self._base = f.read()
            try:
                elfimage.check(self._base, IMAGE_LIMIT)
            except elfimage.Reject as r:
                raise CaseError("generator: the model rejects %s itself: %s" % (self.demo, r))
        return self._base

    def module(self, name, data):
        path = os.path.join(self.out, "modules", name + ".elf")
        with open(path, "wb") as f:
            f.write(data)
        return path


def kernel_cmd(ctx, module, append=None, icount=False, cpu=None):
    """QEMU -kernel (multiboot 1) command; module None boots without -initrd."""
    ctx.need(ctx.kernel32)
    cmd = qemu.qemu_command(ctx.kernel32, module or "-", None, append, icount)
    if module is None:
        i = cmd.index("-initrd")
        del cmd[i:i + 2]
    if cpu:
        cmd[cmd.index("-cpu") + 1] = cpu
    return cmd


def iso_cmd(ctx, variant):
    if variant == "release":
        ctx.need(ctx.iso)
        return qemu.qemu_command(cdrom=ctx.iso)
    why = isoimage.available()
    if why:
        raise CaseError(why)
    ctx.need(ctx.kernel64, ctx.demo)
    try:
        iso = isoimage.build(variant, ctx.kernel64, ctx.demo, os.path.join(ctx.out, "iso"))
    except (RuntimeError, OSError) as e:
        raise CaseError(str(e))
    return qemu.qemu_command(cdrom=iso)


# ---- checks of a good boot (the demo's bootinfo summary, kernel log) -----------

def _find(lines, pattern):
    rx = re.compile(pattern)
    for line in lines:
        m = rx.search(line)
        if m:
            return m
    return None


def chunks_present(*ids):
    names = {1: "VBE", 2: "memory map", 3: "ACPI RSDP", 4: "framebuffer", 5: "TSC frequency"}

    def check(lines):
        seen = {int(m.group(1)) for m in
                (re.search(r"extra chunk\s+id (\d+)", line) for line in lines) if m}
        missing = [names.get(i, str(i)) for i in ids if i not in seen]
        if missing:
            return "bootinfo lacks the extra chunk(s) %s (has ids %s)" % (
                ", ".join(missing), sorted(seen))
        return None
    return check


def framebuffer_is(width, height, bpp):
    """shell branch: the FRAMEBUFFER chunk holds the linear (RGB, type 1)
    mode the kernel's multiboot 2 header asks GRUB for."""
    def check(lines):
        m = _find(lines, r"0x[0-9a-f]+ (\d+)x(\d+), (\d+) bpp, pitch (\d+), type (\d+)")
        want = (width, height, bpp, 1)
        if not m or tuple(int(m.group(i)) for i in (1, 2, 3, 5)) != want or \
                int(m.group(4)) < width * bpp // 8:
            return "framebuffer chunk %s, not %dx%d, %d bpp, type 1" % (
                m.group(0) if m else "not printed", width, height, bpp)
        return None
    return check


def tsc_mhz(lo=1, hi=100000):
    def check(lines):
        m = _find(lines, r"^\s+(\d+) MHz\s*$")
        if not m:
            return "the demo printed no TSC frequency"
        if not lo <= int(m.group(1)) <= hi:
            return "TSC frequency %s MHz outside [%d, %d]" % (m.group(1), lo, hi)
        return None
    return check


def bootinfo_shape(lines):
    """Spec §20.2-§20.4: bootinfo right after the IPC buffer, 2^12-slot root
    CNode with the empty region reaching its end, RAM untypeds present."""
    m = _find(lines, r"bootinfo at (0x[0-9a-f]+), IPC buffer (0x[0-9a-f]+), node (\d+) of (\d+)")
    if not m:
        return "the demo printed no bootinfo line"
    if int(m.group(1), 16) != int(m.group(2), 16) + 0x1000 or m.group(3, 4) != ("0", "1"):
        return "bootinfo line inconsistent: %s" % m.group(0)
    m = _find(lines, r"empty slots\s+\[(\d+), (\d+)\) of 2\^(\d+)")
    if not m or m.group(2, 3) != ("4096", "12") or int(m.group(1)) >= 4096:
        return "empty slot region wrong: %s" % (m.group(0) if m else "not printed")
    m = _find(lines, r"untypeds\s+(\d+) caps \[(\d+), (\d+)\): (\d+) RAM \((\d+) KiB\)")
    if not m:
        return "the demo printed no untyped summary"
    n, start, end, _, kib = map(int, m.groups())
    if n != end - start or n > 230 or kib < 256 * 1024:
        return "untyped summary implausible for a 512 MiB guest: %s" % m.group(0)
    return None


def mmap_has_ram(lines):
    if not _find(lines, r"^\s+[0-9a-f]{16} \+[0-9a-f]{12} type 1\b"):
        return "the multiboot memory map chunk lists no RAM (type 1) entry"
    return None


def loader_is(n):
    def check(lines):
        m = _find(lines, r"(?i)\bmultiboot ?([12])\b")
        if m and m.group(1) != str(n):
            return "kernel reports multiboot %s, expected %d: %s" % (m.group(1), n, m.string)
        return None
    return check


def cmdline_seen(text):
    def check(lines):
        if not any(text in line for line in lines):
            return "the kernel never echoed its command line %r" % text
        return None
    return check


def module_below_kernel(lines):
    """Informational: did the root task really land below the kernel's end?"""
    mod = _find(lines, r"module\s+(0x[0-9a-f]+)\.\.(0x[0-9a-f]+).*root task")
    ker = _find(lines, r"kernel\s+(0x[0-9a-f]+)\.\.(0x[0-9a-f]+)")
    if mod and ker:
        end, kend = int(mod.group(2), 16), int(ker.group(2), 16)
        where = "below" if end <= kend else "above (this case did not test the gap)"
        return "note: root task ends at 0x%x, %s the kernel end 0x%x" % (end, where, kend)
    return "note: kernel printed no module/kernel layout"


def _capdl_blocks(dump):
    """Split a capDL dump into its top-level sections: {header: [lines]}.
    Returns (sections, why) where why names an unbalanced brace."""
    sections, depth, cur = {}, 0, None
    for line in dump:
        opens, closes = line.count("{"), line.count("}")
        if depth == 0 and opens:
            cur = line.split("{")[0].strip()
            sections[cur] = []
        elif depth > 0 and cur is not None:
            sections[cur].append(line)
        depth += opens - closes
        if depth < 0:
            return None, "a '}' without its '{': %r" % line
        if depth == 0:
            cur = None
    if depth:
        return None, "%d '{' never closed" % depth
    return sections, None


def _capdl_slot_blocks(lines):
    """The `name { 0x<slot>: target ... }` blocks of the caps section."""
    blocks, cur = {}, None
    for line in lines:
        m = re.match(r"^(\S+) \{$", line)
        if m:
            cur = blocks.setdefault(m.group(1), {})
        elif line == "}":
            cur = None
        elif cur is not None:
            m = re.match(r"^(0x[0-9a-f]+|[a-z_]+): (\S+)", line)
            if m:
                cur[m.group(1)] = m.group(2)
    return blocks


def capdl_shape(lines):
    """seL4_DebugSnapshot from the root task: a capDL dump with the root TCB,
    CNode (2^12 slots), PML4 and IPC buffer frame as objects, each named
    once, and the root CNode's slots 1-3 naming them (upstream's x86_64
    capDL layout); the demo's cyclic ring of CNodes cut short by a
    truncation line."""
    start = next((i for i, line in enumerate(lines) if line.strip() == "arch x86_64"), None)
    if start is None:
        return "no `arch x86_64` line: the snapshot printed no capDL"
    end = next((i for i in range(start, len(lines)) if "demo: snapshot done" in lines[i]), None)
    if end is None:
        return "the demo did not return from seL4_DebugSnapshot"
    dump = [line.strip() for line in lines[start + 1:end]]
    sections, why = _capdl_blocks(dump)
    if why:
        return "capDL braces unbalanced: " + why
    for name in ("objects", "caps", "irq maps"):
        if name not in sections:
            return "capDL dump lacks its `%s {` section (has %s)" % (name, sorted(sections))
    objects = {}
    for line in sections["objects"]:
        m = re.match(r"^(\S+) = (\w+)(.*)$", line)
        if m:
            if m.group(1) in objects:
                return "objects: %s defined twice" % m.group(1)
            objects[m.group(1)] = (m.group(2), m.group(3))
    # The demo's ring of 80 CNodes is more than the kernel's walk takes
    # (64 CNodes/TCBs) and is a cycle: the dump must end, say it is cut short.
    ring = _find(lines, r"demo: ring of (\d+) CNodes built")
    if ring and not any(line.startswith("-- truncated") for line in dump):
        return "the demo built a ring of %s CNodes but the dump has no truncation line" % (
            ring.group(1))
    if not ring:
        return "the demo did not build its ring of CNodes"
    slots = _capdl_slot_blocks(sections["caps"])
    roots = [n for n, (t, a) in objects.items() if t == "cnode" and "(12 bits)" in a]
    if len(roots) != 1:
        return "objects: expected one 12-bit cnode (the root CNode), found %s" % roots
    root = roots[0]
    cnode = slots.get(root)
    if cnode is None:
        return "caps: no slot block for the root CNode %s" % root
    want = {"0x1": "tcb", "0x2": "cnode", "0x3": "pml4"}
    for slot, kind in want.items():
        target = cnode.get(slot)
        if target is None or objects.get(target, ("",))[0] != kind:
            return "caps: root CNode slot %s is %r, not a %s defined in objects" % (
                slot, target, kind)
    if cnode["0x2"] != root:
        return "caps: root CNode slot 0x2 names %s, not the root CNode %s" % (cnode["0x2"], root)
    tcb = slots.get(cnode["0x1"], {})
    if tcb.get("cspace") != root or tcb.get("vspace") != cnode["0x3"]:
        return "caps: root TCB's cspace/vspace %s/%s, not %s/%s" % (
            tcb.get("cspace"), tcb.get("vspace"), root, cnode["0x3"])
    ipc = tcb.get("ipc_buffer_slot")
    if objects.get(ipc, ("",))[0] != "frame":
        return "caps: root TCB's ipc_buffer_slot %r is not a frame defined in objects" % ipc
    return None


# ---- the case list -----------------------------------------------------------------

def _reject_case(name, gen, keys, about):
    def image(ctx):
        img = gen(ctx.base(), random.Random(name))
        try:
            elfimage.check(img, IMAGE_LIMIT)
        except elfimage.Reject as r:
            if r.key not in keys:
                raise CaseError("generator: model says %s (%s), expected %s"
                                % (r.key, r, "/".join(sorted(keys))))
            return img
        raise CaseError("generator: the model accepts the %s image" % name)
    return Case(name, "halt", about, lambda ctx: kernel_cmd(ctx, ctx.module(name, image(ctx))),
                20, expect=ROOTTASK_ERROR, image=image)


def _mutation_case(i, seed):
    name = "mutation_%03d" % i

    def image(ctx):
        img, flips, key = elfimage.mutate(ctx.base(), seed, i, IMAGE_LIMIT)
        case.about = "seed %d: %s (model: %s)" % (seed, flips, key)
        return img
    case = Case(name, "halt", "seeded header mutation",
                lambda ctx: kernel_cmd(ctx, ctx.module(name, image(ctx))), 20,
                expect=ROOTTASK_ERROR, image=image)
    return case


BOOT_CHECKS = (bootinfo_shape, chunks_present(2, 3, 5), tsc_mhz())


def snapshot_cmd(ctx):
    """The demo with `snapshot=1` patched in, so it calls seL4_DebugSnapshot."""
    ctx.need(ctx.demo)
    path = os.path.join(ctx.out, "modules", "debug_snapshot.elf")
    rtconfig.patch(ctx.demo, path, "snapshot=1")
    return kernel_cmd(ctx, path)


def cases(args):
    out = [Case("iso_multiboot2", "boot", "make iso output: GRUB multiboot 2 + padding module",
                lambda c: iso_cmd(c, "release"), 90,
                BOOT_CHECKS + (chunks_present(4), loader_is(2), framebuffer_is(1024, 768, 32))),
           Case("iso_multiboot1", "boot", "GRUB `multiboot` with the 64-bit kernel.elf",
                lambda c: iso_cmd(c, "mb1"), 90,
                BOOT_CHECKS + (chunks_present(1), mmap_has_ram, loader_is(1))),
           Case("iso_multiboot2_nopad", "boot", "GRUB multiboot 2, root task only (may lie "
                "below the kernel end)", lambda c: iso_cmd(c, "mb2-nopad"), 90,
                BOOT_CHECKS + (loader_is(2), module_below_kernel)),
           Case("iso_multiboot1_nopad", "boot", "GRUB multiboot 1, root task only",
                lambda c: iso_cmd(c, "mb1-nopad"), 90,
                BOOT_CHECKS + (loader_is(1), module_below_kernel)),
           Case("iso_multiboot2_cmdline", "boot", "GRUB multiboot 2 with debug_port=0x3f8",
                lambda c: iso_cmd(c, "mb2-cmdline"), 90,
                BOOT_CHECKS + (cmdline_seen("debug_port=0x3f8"),)),
           Case("iso_no_module", "halt", "GRUB multiboot 2 without any module",
                lambda c: iso_cmd(c, "mb2-nomodule"), 90, expect=NO_MODULE_ERROR),
           Case("boot_multiboot1", "boot", "QEMU -kernel/-initrd with the demo",
                lambda c: kernel_cmd(c, c.demo), 30,
                BOOT_CHECKS + (mmap_has_ram, loader_is(1))),
           Case("boot_icount", "boot", "QEMU -kernel under -icount shift=0,sleep=off",
                lambda c: kernel_cmd(c, c.demo, icount=True), 60,
                (bootinfo_shape, chunks_present(2, 3, 5), tsc_mhz(900, 1100))),
           Case("boot_cmdline_debug_port", "boot", "-append debug_port=0x3f8",
                lambda c: kernel_cmd(c, c.demo, append="debug_port=0x3f8"), 30,
                BOOT_CHECKS + (cmdline_seen("debug_port=0x3f8"),)),
           Case("boot_debug_snapshot", "boot", "the demo calls seL4_DebugSnapshot: capDL dump",
                snapshot_cmd, 30, BOOT_CHECKS + (capdl_shape,)),
           Case("no_module", "halt", "QEMU -kernel without -initrd",
                lambda c: kernel_cmd(c, None), 20, expect=NO_MODULE_ERROR),
           Case("cpu_no_1g_pages", "halt", "-cpu Skylake-Client: no 1 GiB pages (spec §19.4)",
                lambda c: kernel_cmd(c, c.demo, cpu="Skylake-Client"), 20,
                expect=NO_1G_PAGES_ERROR),
           Case("cpu_skylake_1g_pages", "boot", "-cpu Skylake-Client,+pdpe1gb (spec §19.4)",
                lambda c: kernel_cmd(c, c.demo, cpu="Skylake-Client,+pdpe1gb"), 30,
                BOOT_CHECKS)]
    for name, (gen, keys, about) in elfimage.BAD_IMAGES.items():
        out.append(_reject_case(name, gen, keys, about))
    for i in range(args.mutations):
        out.append(_mutation_case(i, args.seed))
    return out


# ---- running and judging ----------------------------------------------------------

def stop_pattern(case):
    if case.kind == "boot":
        return "|".join(p.pattern for p in (DEMO_END, PANIC, ROOTTASK_ERROR))
    return "|".join(p.pattern for p in (case.expect, PANIC, BOOTING))


def ended_how(res):
    if res.error:
        return res.error
    if res.timed_out:
        return "timed out"
    code = qemu.guest_exit_code(res.status)
    if code is not None:
        return "guest wrote %d to isa-debug-exit" % code
    return "QEMU exited with status %s (reset or triple fault under -no-reboot)" % res.status


def judge(case, res):
    """None if the case passed, else the reason."""
    lines = res.lines
    if res.error:
        return res.error
    qemu_err = [line for line in lines
                if line.startswith("qemu-system") and ": warning:" not in line]
    if qemu_err:
        return "QEMU refused: %s" % qemu_err[0]
    if case.kind == "boot":
        return judge_boot(case, res)
    hit = next((i for i, line in enumerate(lines) if case.expect.search(line)), None)
    if hit is None:
        other = next((line for line in lines if PANIC.search(line) or BOOTING.search(line)),
                     None)
        if other:
            return "no expected error line; the kernel printed %r" % other.strip()
        if res.timed_out:
            return "hung silently: no error line within %gs" % case.timeout
        return "no error line; %s" % ended_how(res)
    msg = lines[hit].strip()
    if not res.stopped:
        return "printed %r, then did not stay halted: %s" % (msg, ended_how(res))
    later = next((line for line in lines[hit + 1:] if BOOTING.search(line)), None)
    if later:
        return "printed %r but went on: %r" % (msg, later.strip())
    case.verdict = msg
    return None


def judge_boot(case, res):
    lines = res.lines
    bad = next((line for line in lines if PANIC.search(line) or ROOTTASK_ERROR.search(line)),
               None)
    if bad:
        return "kernel stopped the boot: %r" % bad.strip()
    if not any(DEMO_FIRST in line for line in lines):
        return "the demo never printed %r; %s" % (DEMO_FIRST, ended_how(res))
    fail = next((line for line in lines if "TEST-FAIL demo." in line), None)
    if fail:
        return "demo reported %r" % fail.strip()
    if not any(re.search(r"SUITE-END demo\b", line) for line in lines):
        return "the demo did not finish (no SUITE-END demo); %s" % ended_how(res)
    if not res.stopped:
        return "the demo finished but QEMU did not stay up: %s" % ended_how(res)
    notes = []
    for check in case.checks:
        why = check(lines)
        if why and why.startswith("note: "):
            notes.append(why[6:])
        elif why:
            return why
    case.verdict = "; ".join(notes)
    return None


def run_case(ctx, case):
    """Returns (case, reason or None, output lines); never raises, so one
    broken case cannot cost the suite its SUITE-END line."""
    try:
        cmd = case.make(ctx)
        log = os.path.join(ctx.out, "logs", case.name + ".log")
        res = qemu.run_capture(cmd, case.timeout, log_path=log, stop_on=stop_pattern(case))
        return case, judge(case, res), res.lines
    except CaseError as e:
        return case, str(e), []
    except Exception as e:  # a driver bug: report it as this case's failure
        return case, "driver error: %s: %s" % (type(e).__name__, e), []


def report(case, why, lines, verbose, lock):
    with lock:
        if why is None:
            print("TEST-PASS %s.%s" % (SUITE, case.name))
            if verbose or case.verdict:
                print("    = %s%s" % (case.about, ": " + case.verdict if case.verdict else ""))
        else:
            print("TEST-FAIL %s.%s: %s" % (SUITE, case.name, why))
            print("    = %s" % case.about)
            for line in lines[-TAIL:]:
                print("    | " + line)
        sys.stdout.flush()


def check_generators(args):
    """Offline: every broken image has its defect; the mutations are rejected."""
    ctx = Ctx(args)
    failed = 0
    for case in cases(args):
        if not case.image:
            continue
        try:
            case.image(ctx)
            print("ok   %-26s %s" % (case.name, case.about))
        except CaseError as e:
            print("BAD  %-26s %s" % (case.name, e))
            failed += 1
    print("generators: %d bad" % failed)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description="Boot-level kernel tests (suite kernel-boot).")
    ap.add_argument("--build", default="build", help="build folder")
    ap.add_argument("--kernel32", help="ELF32 kernel for -kernel (BUILD/kernel/kernel32.elf)")
    ap.add_argument("--kernel64", help="64-bit kernel for GRUB (BUILD/kernel/kernel.elf)")
    ap.add_argument("--demo", help="valid root task (BUILD/tests/kernel/demo.elf)")
    ap.add_argument("--iso", help="the `make iso` output (BUILD/nereid.iso)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the header mutations")
    ap.add_argument("--mutations", type=int, default=32, help="number of mutated images")
    ap.add_argument("--jobs", type=int, default=2, help="QEMUs at a time")
    ap.add_argument("--only", help="run only the cases whose name matches this regex")
    ap.add_argument("--verbose", action="store_true", help="describe passing cases too")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--check-generators", action="store_true",
                    help="check the broken images against the model, boot nothing")
    args = ap.parse_args()
    os.chdir(ROOT)
    todo = cases(args)
    if args.only:
        todo = [c for c in todo if re.search(args.only, c.name)]
    if args.list:
        for c in todo:
            print("%-26s %-9s %s" % (c.name, c.kind, c.about))
        return 0
    if args.check_generators:
        return check_generators(args)
    ctx = Ctx(args)
    lock = threading.Lock()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for fut in concurrent.futures.as_completed([pool.submit(run_case, ctx, c) for c in todo]):
            case, why, lines = fut.result()
            failed += why is not None
            report(case, why, lines, args.verbose, lock)
    print("SUITE-END %s" % SUITE, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
