#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `libsel4` host test suite. It owns the checks that need
# toolchains or the generator rather than a running program: it builds and
# runs the sanitised host test program (layout_test.c, stub_test.c), compiles
# the headers the way the kernel, the root task and PE images will (gcc
# -mcmodel=kernel, assembler, mingw-w64), compares the structure layout table
# produced by both compilers with the declaration, looks at the stubs' machine
# code, and feeds the generator broken declarations. It prints one
# TEST-PASS/TEST-FAIL line per test and `SUITE-END libsel4` last, and exits
# non-zero when anything failed.

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = "libsel4"
KERNEL_CFLAGS = ["-std=gnu11", "-O2", "-ffreestanding", "-fno-pie", "-mcmodel=kernel",
                 "-mno-red-zone", "-mgeneral-regs-only", "-Wall", "-Wextra", "-Werror"]
STRICT_CFLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion",
                 "-Wsign-conversion", "-Wshadow", "-Wstrict-prototypes", "-Wcast-qual",
                 "-Wmissing-prototypes", "-Wundef", "-Werror"]
PE_CFLAGS = ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wconversion", "-Werror"]

# Every invocation label of §11.2 (except InvalidInvocation) needs a wrapper.
LABELS_11_2 = """UntypedRetype TCBReadRegisters TCBWriteRegisters TCBCopyRegisters
TCBConfigure TCBSetPriority TCBSetMCPriority TCBSetSchedParams TCBSetIPCBuffer
TCBSetSpace TCBSuspend TCBResume TCBBindNotification TCBUnbindNotification
TCBSetTLSBase TCBSetFlags CNodeRevoke CNodeDelete CNodeCancelBadgedSends CNodeCopy
CNodeMint CNodeMove CNodeMutate CNodeRotate CNodeSaveCaller IRQIssueIRQHandler
IRQAckIRQ IRQSetIRQHandler IRQClearIRQHandler DomainSetSet DomainScheduleConfigure
DomainScheduleSetStart X86PDPTMap X86PDPTUnmap X86PageDirectoryMap
X86PageDirectoryUnmap X86PageTableMap X86PageTableUnmap X86PageMap X86PageUnmap
X86PageGetAddress X86ASIDControlMakePool X86ASIDPoolAssign X86IOPortControlIssue
X86IOPortIn8 X86IOPortIn16 X86IOPortIn32 X86IOPortOut8 X86IOPortOut16
X86IOPortOut32 X86IRQIssueIRQHandlerIOAPIC X86IRQIssueIRQHandlerMSI""".split()

STUB_NAMES = """seL4_Send seL4_NBSend seL4_Call seL4_Recv seL4_NBRecv seL4_Reply
seL4_ReplyRecv seL4_Yield seL4_Signal seL4_Wait seL4_Poll seL4_SendWithMRs
seL4_NBSendWithMRs seL4_CallWithMRs seL4_RecvWithMRs seL4_ReplyWithMRs
seL4_ReplyRecvWithMRs seL4_DebugPutChar seL4_DebugDumpScheduler seL4_DebugHalt
seL4_DebugCapIdentify seL4_DebugSnapshot seL4_DebugNameThread seL4_GetMR seL4_SetMR
seL4_GetUserData seL4_SetUserData seL4_GetBadge seL4_GetCap seL4_SetCap
seL4_GetCapReceivePath seL4_SetCapReceivePath seL4_GetIPCBuffer
seL4_SetIPCBuffer""".split()


class Runner:
    def __init__(self, args):
        self.a = args
        self.failed = 0
        self.tmp = tempfile.mkdtemp(prefix="libsel4-test-", dir=args.build)
        self.inc = ["-I", args.include]

    def report(self, name, why):
        if why is None:
            print("TEST-PASS %s.%s" % (SUITE, name))
        else:
            self.failed += 1
            why = " ".join(str(why).split())[:300]
            print("TEST-FAIL %s.%s: %s" % (SUITE, name, why))
        sys.stdout.flush()

    def run(self, cmd, **kw):
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, **kw)
        return p.returncode, p.stdout

    def compile(self, cc, flags, src, out, extra=()):
        rc, text = self.run(shlex.split(cc) + flags + self.inc + list(extra)
                            + ["-c", src, "-o", out])
        if rc != 0 or text.strip():
            return "%s: %s" % (os.path.basename(src), text.strip() or "rc %d" % rc)
        return None

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def gen(self, abi_path, outdir, *extra):
        return self.run([sys.executable, self.a.gen, abi_path, "-o", outdir] + list(extra))


def t_host_program(r):
    """Build the sanitised host program and run it; it prints its own lines."""
    exe = os.path.join(r.tmp, "libsel4_host")
    srcs = [os.path.join(HERE, f) for f in ("layout_test.c", "stub_test.c")]
    rc, text = r.run(shlex.split(r.a.cc) + [
        "-std=gnu11", "-g", "-O1", "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all", "-Wall", "-Wextra", "-Werror",
        "-DSEL4_SYSCALL_HOOK=fake_kernel_syscall"] + r.inc + srcs + ["-o", exe])
    if rc != 0:
        r.report("host_build", text.strip())
        return
    r.report("host_build", None)
    rc, text = r.run([exe])
    seen = 0
    for line in text.splitlines():
        if line.startswith(("TEST-PASS ", "TEST-FAIL ")):
            print(line)
            seen += 1
            if line.startswith("TEST-FAIL"):
                r.failed += 1
    bad = rc != 0 and r.failed == 0
    r.report("host_run", "exit %d: %s" % (rc, text[-300:]) if bad or seen < 20 else None)


def t_compile_checks(r):
    o = os.path.join(r.tmp, "x.o")
    r.report("kernel_constants_h", r.compile(r.a.cc, KERNEL_CFLAGS,
                                             os.path.join(HERE, "kernel_test.c"), o))
    src = r.write("kernel_all.c", "#include <sel4/sel4.h>\n"
                  "void k(void);\nvoid k(void) { seL4_Yield(); seL4_DebugPutChar('k'); }\n")
    r.report("kernel_sel4_h", r.compile(r.a.cc, KERNEL_CFLAGS, src, o))
    r.report("asm_constants_h", r.compile(r.a.cc, ["-Werror"],
                                          os.path.join(HERE, "asm_test.S"), o))
    src = r.write("strict.c", "#include <sel4/sel4.h>\n"
                  "seL4_Word s(seL4_CPtr c);\nseL4_Word s(seL4_CPtr c)\n"
                  "{\n    seL4_Word b = 0;\n    (void)seL4_Recv(c, &b);\n"
                  "    return b + seL4_CNode_Copy(c, 1, 64, c, 2, 64, seL4_AllRights);\n}\n")
    r.report("strict_warnings", r.compile(r.a.cc, STRICT_CFLAGS, src, o))
    r.report("pe_mingw", r.compile(r.a.pe_cc, PE_CFLAGS,
                                   os.path.join(HERE, "pe_test.c"), o))
    src = r.write("pe_tls.c", "#define SEL4_IPC_BUFFER_DEFINE\n#include <sel4/sel4.h>\n"
                  "seL4_Word p(void);\nseL4_Word p(void) { return seL4_GetMR(5); }\n")
    r.report("pe_mingw_tls", r.compile(r.a.pe_cc, PE_CFLAGS, src, o))


def disassemble(r, cc, objdump, name):
    src = r.write(name + ".c", "#include <sel4/sel4.h>\n"
                  "seL4_Word f(seL4_CPtr ep);\nseL4_Word f(seL4_CPtr ep)\n"
                  "{\n    seL4_Word m0 = 7;\n"
                  "    seL4_MessageInfo_t i = seL4_CallWithMRs(ep, seL4_MessageInfo_new(2, 0, 0, 1),"
                  " &m0, 0, 0, 0);\n    return m0 + i.words[0];\n}\n")
    obj = os.path.join(r.tmp, name + ".o")
    why = r.compile(cc, ["-O2", "-fno-pie"] if "mingw" not in cc else ["-O2"], src, obj)
    if why:
        return None, why
    rc, text = r.run([objdump, "-d", "--no-show-raw-insn", obj])
    if rc != 0:
        return None, text
    ins = [" ".join(ln.split("\t")[-1].split()) for ln in text.splitlines() if "\t" in ln]
    return ins, None


def check_stub_code(ins):
    """§4: RSP saved in RBX around syscall, RDX = -1, MR0 in R10, RSI = info."""
    if ins is None:
        return "no code"
    try:
        k = ins.index("syscall")
    except ValueError:
        return "no syscall instruction"
    if ins[k - 1] != "mov %rsp,%rbx" or ins[k + 1] != "mov %rbx,%rsp":
        return "RSP not kept in RBX around syscall: %s" % ins[k - 1:k + 2]
    before = " ; ".join(ins[:k])
    for want in ("$0xffffffffffffffff,%rdx", "$0x2001,%esi", "$0x7,%r10d"):
        if want not in before:
            return "missing %s before syscall: %s" % (want, before)
    return None


def t_stub_code(r):
    ins, why = disassemble(r, r.a.cc, "objdump", "elf_call")
    r.report("stub_code_sysv", why or check_stub_code(ins))
    ins, why = disassemble(r, r.a.pe_cc, r.a.pe_objdump, "pe_call")
    why = why or check_stub_code(ins)
    # Microsoft x64: RSI, RDI, RBX and R15 are callee-saved.
    for reg in ("%rsi", "%rdi", "%rbx", "%r15"):
        if why is None and "push %s" % reg not in ins:
            why = "callee-saved %s not preserved under the MS ABI" % reg
    r.report("stub_code_ms_abi", why)


def quads(asm):
    """The .quad/.zero data of the probe array, as integers."""
    vals, on = [], False
    for ln in asm.splitlines():
        s = ln.strip()
        if s.startswith("sel4_layout_probe:"):
            on = True
            continue
        if not on:
            continue
        if s.startswith(".quad"):
            vals.append(int(s.split()[1], 0))
        elif s.startswith(".zero"):
            vals += [0] * (int(s.split()[1], 0) // 8)
        elif s and not s.startswith((".", "#")):
            break
        elif s.startswith((".size", ".section", ".globl", ".text", ".ident")):
            break
    return vals


def t_layout(r):
    probe = os.path.join(r.tmp, "probe.c")
    expect = os.path.join(r.tmp, "layout.json")
    rc, text = r.run([sys.executable, r.a.gen, r.a.abi, "--probe", probe,
                      "--layout-json", expect])
    if rc != 0:
        r.report("layout_probe", text)
        return
    with open(expect) as f:
        table = json.load(f)
    got = {}
    for tag, cc in (("sysv", r.a.cc), ("ms", r.a.pe_cc)):
        out = os.path.join(r.tmp, "probe-%s.s" % tag)
        rc, text = r.run(shlex.split(cc) + ["-std=gnu11", "-O2", "-S", "-Werror"] + r.inc
                         + [probe, "-o", out])
        if rc != 0:
            r.report("layout_probe", text)
            return
        with open(out) as f:
            got[tag] = quads(f.read())
    r.report("layout_probe", None if len(got["sysv"]) == len(table) else
             "%d values for %d rows" % (len(got["sysv"]), len(table)))
    diff = [row[0] for row, a, b in zip(table, got["sysv"], got["ms"]) if a != b]
    r.report("layout_sysv_vs_ms", "differ: %s" % diff[:5] if diff or not got["ms"] else None)
    diff = [row[0] for row, a in zip(table, got["sysv"]) if a != row[1]]
    r.report("layout_vs_declaration", "differ: %s" % diff[:5] if diff else None)


def t_generator(r):
    outs = [os.path.join(r.tmp, "g1"), os.path.join(r.tmp, "g2")]
    texts = []
    for d in outs:
        rc, text = r.gen(r.a.abi, d)
        if rc != 0:
            r.report("generator_deterministic", text)
            return
        texts.append({f: open(os.path.join(d, "sel4", f)).read()
                      for f in sorted(os.listdir(os.path.join(d, "sel4")))})
    r.report("generator_deterministic", None if texts[0] == texts[1] else "runs differ")
    built = os.path.join(r.a.include, "sel4")
    stale = [f for f, t in texts[0].items()
             if not os.path.exists(os.path.join(built, f))
             or open(os.path.join(built, f)).read() != t]
    r.report("headers_up_to_date", "stale: %s" % stale if stale else None)
    bad = [f for f, t in texts[0].items()
           if "DO NOT EDIT" not in t or not t.startswith("/* SPDX-License-Identifier")]
    r.report("headers_banner", "no banner: %s" % bad if bad else None)
    uncited = [ln for ln in texts[0]["constants.h"].splitlines()
               if re.match(r"^(#define seL4|#define SEL4_[A-Z]|\s+\w+ = )", ln)
               and "§" not in ln and "SEL4_CONFIG_" not in ln]
    r.report("constants_cite_spec", "uncited: %s" % uncited[:3] if uncited else None)
    inv = texts[0]["invocations.h"]
    missing = [lb for lb in LABELS_11_2 if "seL4_MessageInfo_new(%s," % lb not in inv]
    r.report("invocations_complete", "no wrapper for %s" % missing if missing else None)
    sc = texts[0]["syscalls.h"]
    missing = [n for n in STUB_NAMES if not re.search(r"\b%s\(" % n, sc)]
    r.report("stubs_complete", "missing %s" % missing if missing else None)


# Broken declarations the generator must refuse: (name, old, new).
MUTATIONS = [
    ("generator_rejects_bad_offset", "field userData         seL4_Word           @968",
     "field userData         seL4_Word           @960"),
    ("generator_rejects_bad_label", "X86PageMap                      §11.2 check=39",
     "X86PageMapIO_typo               §11.2 check=39\n  X86PageMap §11.2 check=39"),
    ("generator_rejects_bad_syscall", "syscall Yield                             -7",
     "syscall Yield                             -9"),
    ("generator_rejects_overlap", "field extraCaps           8..7", "field extraCaps 9..7"),
    ("generator_rejects_bad_size", "struct seL4_BootInfo 3848", "struct seL4_BootInfo 3840"),
]


def t_mutations(r):
    with open(r.a.abi, encoding="utf-8") as f:
        text = f.read()
    for name, old, new in MUTATIONS:
        if old not in text:
            r.report(name, "mutation target not found: %s" % old)
            continue
        path = r.write(name + ".abi", text.replace(old, new, 1))
        rc, out = r.gen(path, os.path.join(r.tmp, name))
        r.report(name, None if rc != 0 and "sel4.abi:" in out else
                 "accepted (rc %d): %s" % (rc, out.strip()))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--abi", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--include", required=True, help="directory holding sel4/*.h")
    ap.add_argument("--build", required=True, help="scratch directory")
    ap.add_argument("--cc", default=os.environ.get("HOSTCC", "gcc"))
    ap.add_argument("--pe-cc", default="x86_64-w64-mingw32-gcc")
    ap.add_argument("--pe-objdump", default="x86_64-w64-mingw32-objdump")
    args = ap.parse_args()
    os.makedirs(args.build, exist_ok=True)
    r = Runner(args)
    for t in (t_host_program, t_compile_checks, t_stub_code, t_layout, t_generator,
              t_mutations):
        try:
            t(r)
        except Exception as e:  # a broken check is a failure, not a crash
            r.report(t.__name__[2:], "runner error: %r" % e)
    print("SUITE-END %s" % SUITE)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
