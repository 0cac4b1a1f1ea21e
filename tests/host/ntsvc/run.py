#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `ntsvc` host suite (docs/testing.md protocol):
#   gen_*     tools/ntsvcgen.py on ntos/services.def (deterministic, the build's
#             copies fresh, numbers by position in every output, Nt/Zw exports,
#             parameter counts equal to Windows') and on broken declarations
#             (each refused with its line named, nothing written)
#   host program lines (build/tests/host/ntsvc/ntsvc_test, ASan/UBSan) and
#   stub program lines (ntsvc_stub_test: the ntdll stubs against a fake kernel)
#   mingw_*   ntdll/ntsvc.c and the generated stubs compiled by mingw-w64
#             freestanding with -Werror; Zw<Name> is the same code as Nt<Name>
# then `SUITE-END ntsvc`.

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

SUITE = "ntsvc"
failed = 0

# Argument slots of the services on Windows x64 (spec/nt-abi.md §5.2).
WINDOWS_COUNTS = {
    "NtDisplayString": 1, "NtClose": 1, "NtTerminateProcess": 2, "NtTerminateThread": 2,
    "NtYieldExecution": 0, "NtQueryPerformanceCounter": 2, "NtQuerySystemTime": 1,
    "NtDuplicateObject": 7, "NtQueryObject": 5, "NtSetInformationObject": 4,
    "NtAllocateVirtualMemory": 6, "NtFreeVirtualMemory": 4, "NtProtectVirtualMemory": 5,
    "NtQueryVirtualMemory": 6, "NtDelayExecution": 2, "NtWaitForSingleObject": 3,
    "NtQueryInformationProcess": 5, "NtQuerySystemInformation": 4,
    "NtQueryInformationThread": 5, "NtOpenProcess": 4, "NtOpenThread": 4,
    "NtReadVirtualMemory": 5, "NtWriteVirtualMemory": 5,
    # services 23..: the parameter counts of phnt / Wine's ntdll.spec
    "NtCreateDirectoryObject": 3, "NtOpenDirectoryObject": 3, "NtQueryDirectoryObject": 7,
    "NtCreateSymbolicLinkObject": 4, "NtOpenSymbolicLinkObject": 3, "NtQuerySymbolicLinkObject": 3,
    "NtMakeTemporaryObject": 1, "NtWaitForMultipleObjects": 5, "NtSignalAndWaitForSingleObject": 4,
    "NtCreateEvent": 5, "NtOpenEvent": 3, "NtSetEvent": 2, "NtResetEvent": 2, "NtClearEvent": 1,
    "NtPulseEvent": 2, "NtQueryEvent": 5, "NtCreateMutant": 4, "NtOpenMutant": 3,
    "NtReleaseMutant": 2, "NtQueryMutant": 5, "NtCreateSemaphore": 5, "NtOpenSemaphore": 3,
    "NtReleaseSemaphore": 3, "NtQuerySemaphore": 5, "NtCreateTimer": 4, "NtOpenTimer": 3,
    "NtSetTimer": 7, "NtCancelTimer": 2, "NtQueryTimer": 5, "NtCreateKeyedEvent": 4,
    "NtOpenKeyedEvent": 3, "NtWaitForKeyedEvent": 4, "NtReleaseKeyedEvent": 4,
    "NtQueryTimerResolution": 3, "NtSetTimerResolution": 3, "NtFlushInstructionCache": 3,
    "NtCreateFile": 11, "NtOpenFile": 6, "NtReadFile": 9, "NtWriteFile": 9,
    "NtQueryInformationFile": 5, "NtSetInformationFile": 5, "NtCreateSection": 7,
    "NtOpenSection": 3, "NtMapViewOfSection": 10, "NtUnmapViewOfSection": 2, "NtQuerySection": 5,
    "NtCreateUserProcess": 11, "NtCreateProcessEx": 9, "NtCreateThreadEx": 11,
    "NtSuspendThread": 2, "NtResumeThread": 2, "NtGetContextThread": 2, "NtSetContextThread": 2,
    "NtSetInformationProcess": 4, "NtSetInformationThread": 4, "NtContinue": 2,
    "NtRaiseException": 3, "NtQueueApcThread": 5, "NtTestAlert": 0, "NtAlertThread": 1,
    # issue 4 (Windows' counts, nt-services.tsv)
    "NtLoadDriver": 1, "NtUnloadDriver": 1, "NtDeviceIoControlFile": 10, "NtFsControlFile": 10,
    "NtQueryVolumeInformationFile": 5, "NtFlushBuffersFile": 2, "NtCancelIoFile": 2,
    "NtCreateIoCompletion": 4, "NtOpenIoCompletion": 3, "NtSetIoCompletion": 5,
    "NtRemoveIoCompletion": 5, "NtQueryIoCompletion": 5, "NtShutdownSystem": 1,
    "NtQueryDirectoryFile": 11, "NtNotifyChangeDirectoryFile": 9,
}

GOOD = """service 0 NtFirst
  summary one
  owner x.c
  param handle H
  status SUCCESS
end
"""

# (test name, declaration, line the error must name)
BAD = [
    ("number_out_of_position", GOOD.replace("service 0", "service 1"), 1),
    ("duplicate_service", GOOD + GOOD.replace("service 0", "service 1"), 7),
    ("missing_end", GOOD.replace("end\n", ""), 1),
    ("unknown_kind", GOOD.replace("param handle H", "param pointer H"), 4),
    ("reserved_name", GOOD.replace("param handle H", "param handle Status"), 4),
    ("unknown_status", GOOD.replace("status SUCCESS", "status SUCCESS NO_SUCH_THING"), 1),
    ("status_with_prefix", GOOD.replace("status SUCCESS", "status STATUS_SUCCESS"), 1),
    ("length_param_missing", GOOD.replace("param handle H", "param inbuf B Len"), 4),
    ("length_param_not_value", GOOD.replace("param handle H",
                                            "param handle Len\n  param inbuf B Len"), 5),
    ("no_summary", GOOD.replace("  summary one\n", ""), 1),
    ("no_status", GOOD.replace("  status SUCCESS\n", ""), 1),
    ("opt_on_value", GOOD.replace("param handle H", "param value V ULONG opt"), 4),
    ("type_missing", GOOD.replace("param handle H", "param out V"), 4),
    ("align_bad", GOOD.replace("param handle H", "param out V ULONG align=3"), 4),
    ("write_on_in", GOOD.replace("param handle H", "param in V ULONG write=always"), 4),
    ("unknown_flag", GOOD.replace("param handle H", "param out V ULONG fast"), 4),
    ("duplicate_param", GOOD.replace("param handle H", "param handle H\n  param handle H"), 5),
    ("unknown_statement", GOOD.replace("owner x.c", "owner x.c\n  colour red"), 4),
    ("outside_service", "summary lost\n" + GOOD, 1),
    ("not_nt_name", GOOD.replace("NtFirst", "ZwFirst"), 1),
    ("comment_terminator", GOOD.replace("summary one", "summary one */ two"), 2),
    ("address_by_value", GOOD.replace("param handle H", "param value A ADDRESS"), 4),
    ("probe_unknown", GOOD.replace("param handle H",
                                   "param value L ULONG\n  param outbuf B L probe=kernel"), 5),
    ("probe_on_pointer", GOOD.replace("param handle H", "param out V ULONG probe=handler"), 4),
    ("probe_with_opt", GOOD.replace("param handle H",
                                    "param value L ULONG\n  param outbuf B L opt probe=handler"), 5),
    ("probe_with_align", GOOD.replace(
        "param handle H", "param value L ULONG\n  param outbuf B L align=4 probe=handler"), 5),
    ("align_on_value", GOOD.replace("param handle H", "param value V ULONG align=4"), 4),
    ("write_handler_on_in", GOOD.replace("param handle H", "param in V ULONG write=handler"), 4),
    ("too_many_params", GOOD.replace("param handle H", "\n".join(
        "  param handle H%d" % i for i in range(17))), 1),
]


def report(name, ok, why=""):
    global failed
    if ok:
        print("TEST-PASS %s.%s" % (SUITE, name))
    else:
        failed += 1
        print("TEST-FAIL %s.%s: %s" % (SUITE, name, " ".join(str(why).split())[:400]))
    sys.stdout.flush()


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


OUTPUTS = ("ntos_header", "ntos_table", "stubs", "ntdll_header", "exports")
FLAGS = {"ntos_header": "--ntos-header", "ntos_table": "--ntos-table",
         "stubs": "--ntdll-stubs", "ntdll_header": "--ntdll-header",
         "exports": "--ntdll-exports"}


def generate(a, def_file, out_dir):
    paths = {k: os.path.join(out_dir, k) for k in OUTPUTS}
    cmd = [sys.executable, a.gen, def_file, "--statuses", a.statuses]
    for k in OUTPUTS:
        cmd += [FLAGS[k], paths[k]]
    return run(cmd), paths


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def wrapped_services(text):
    """The services whose ntdll stub is Ntdllp<Name> (option `ntdll wrapped`)."""
    out, cur = set(), None
    for line in text.splitlines():
        w = line.split()
        if w[:1] == ["service"]:
            cur = w[2]
        elif w == ["ntdll", "wrapped"]:
            out.add(cur)
    return out


def def_services(text):
    """(number, name, parameter count) of each service, read independently."""
    out, cur = [], None
    for line in text.splitlines():
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "service":
            cur = [int(w[1]), w[2], 0]
        elif w[0] == "param":
            cur[2] += 1
        elif w[0] == "end":
            out.append(tuple(cur))
    return out


# A service with a buffer the handler probes, a statically aligned buffer and
# a ReturnLength the handler decides about.
HANDLER_DEF = """service 0 NtQueryThing
  summary query
  owner x.c
  param value Class ULONG
  param outbuf Info Len probe=handler
  param value Len ULONG
  param outbuf List ListLen opt align=2
  param value ListLen ULONG
  param out ReturnLength ULONG opt align=4 write=handler
  status SUCCESS INFO_LENGTH_MISMATCH
end
"""


def handler_probe_tests(a, tmp):
    path = os.path.join(tmp, "handler.def")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HANDLER_DEF)
    p, paths = generate(a, path, os.path.join(tmp, "handler"))
    if p.returncode != 0:
        report("gen_probe_handler_passes_buffer", False, p.stderr)
        return
    table = read(paths["ntos_table"])
    m = re.search(r"static NTSTATUS KiSvcQueryThing\(.*?\n}\n", table, re.S)
    body = m.group(0) if m else ""
    # probe=handler: the raw address and length, no probe before the handler.
    ok = ("Info.Address = Args[1];" in body and "Info.Length = Len;" in body
          and "KiProbeUserBuffer(Args[1]" not in body)
    report("gen_probe_handler_passes_buffer", ok, body)
    # align=2 on a buffer: the range probe, then the alignment.
    ok = ("KiProbeUserBuffer(Args[3], ListLen, TRUE" in body
          and "KiProbeClassBuffer(List, 2, KI_PROBE_READ)" in body
          and body.index("KiProbeUserBuffer(Args[3]") < body.index("KiProbeClassBuffer"))
    report("gen_buffer_align", ok, body)
    # write=handler: read in, remembered, written back on success or if changed.
    call = body.find("Status = NtQueryThing(")
    ok = (call > 0 and "MmCopyFromUser(Process, &CapReturnLength, Args[5]" in body[:call]
          and "memcpy(&OldReturnLength, &CapReturnLength" in body[:call]
          and "NT_SUCCESS(Status) || memcmp(&CapReturnLength, &OldReturnLength" in body[call:])
    report("gen_write_handler", ok, body)


def generator_tests(a, tmp):
    handler_probe_tests(a, tmp)
    p, paths = generate(a, a.defn, os.path.join(tmp, "one"))
    report("gen_real_declaration", p.returncode == 0 and not p.stderr, p.stderr)
    if p.returncode != 0:
        return
    q, paths2 = generate(a, a.defn, os.path.join(tmp, "two"))
    same = q.returncode == 0 and all(read(paths[k]) == read(paths2[k]) for k in OUTPUTS)
    report("gen_deterministic", same, "two runs differ")
    built = {"ntos_header": a.ntos_header, "ntos_table": a.ntos_table, "stubs": a.stubs,
             "ntdll_header": a.ntdll_header, "exports": a.exports}
    stale = [k for k in OUTPUTS if not os.path.exists(built[k]) or read(built[k]) != read(paths[k])]
    report("gen_build_outputs_fresh", not stale, "stale: %s" % stale)
    services = def_services(read(a.defn))
    header, table, stubs = read(paths["ntos_header"]), read(paths["ntos_table"]), read(paths["stubs"])
    errors = []
    wrapped = wrapped_services(read(a.defn))
    for number, name, count in services:
        if "NTSVC_%s = %d," % (name[2:], number) not in header:
            errors.append("header number of " + name)
        if '[NTSVC_%s] = {"%s", %d, KiSvc%s}' % (name[2:], name, count, name[2:]) not in table:
            errors.append("table entry of " + name)
        stub = "Ntdllp" + name[2:] if name in wrapped else name
        m = re.search(r"NTSTATUS NTAPI %s\(.*?\n}\n" % stub, stubs, re.S)
        call = "NtdllpSystemCall(%d, %s, %d)" % (number, "Args" if count else "NULL", count)
        if not m or call not in m.group(0):
            errors.append("stub of " + name)
    report("gen_numbers_by_position", not errors and services, errors)
    # A wrapped service leaves Nt<Name>/Zw<Name> to ntdll's own code.
    taken = [n for n in wrapped if re.search(r"NTAPI (Nt|Zw)%s\(" % n[2:], stubs)]
    report("gen_wrapped_stub_renamed", wrapped and not taken, "stubs still define: %s" % taken)
    wrong = [(n, c, WINDOWS_COUNTS.get(n)) for _, n, c in services
             if not n.startswith("NtDriver") and WINDOWS_COUNTS.get(n) != c]
    report("gen_windows_parameter_counts", not wrong, "name, ours, Windows: %s" % wrong)
    exports = read(paths["exports"]).split()
    want = sorted([n for _, n, _ in services] + ["Zw" + n[2:] for _, n, _ in services])
    report("gen_exports", exports == want, "%s != %s" % (exports, want))
    for name, text, line in BAD:
        path = os.path.join(tmp, "bad_%s.def" % name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(tmp, "bad_" + name)
        p, bpaths = generate(a, path, out)
        where = "%s:%d:" % (path, line)
        ok = p.returncode == 1 and where in p.stderr and not os.path.exists(out)
        report("gen_refuses_" + name, ok, "rc %d, want %r in %r" % (p.returncode, where, p.stderr))


def mingw_tests(a):
    inc = ["-I" + i for i in a.include]
    flags = ["-std=gnu11", "-O2", "-ffreestanding", "-fno-stack-protector", "-Wall", "-Wextra",
             "-Werror"]
    os.makedirs(a.build, exist_ok=True)
    objs = {}
    for name, src in (("transport", "ntdll/ntsvc.c"), ("stubs", a.stubs)):
        obj = os.path.join(a.build, "mingw_%s.o" % name)
        c = run(shlex.split(a.pe_cc) + flags + inc + ["-c", src, "-o", obj])
        report("mingw_" + name, c.returncode == 0 and not c.stderr.strip(), c.stderr)
        objs[name] = obj
    if not os.path.exists(objs["stubs"]):
        return
    nm = run([a.pe_nm, objs["stubs"]])
    addr = {}
    for line in nm.stdout.splitlines():
        w = line.split()
        if len(w) == 3 and w[1] == "T":
            addr[w[2]] = w[0]
    wrapped = wrapped_services(read(a.defn))
    services = [n for _, n, _ in def_services(read(a.defn)) if n not in wrapped]
    bad = [n for n in services if n not in addr or addr.get("Zw" + n[2:]) != addr[n]]
    report("mingw_zw_aliases_nt", not bad and services, "not aliased: %s" % bad)
    if os.path.exists(objs["transport"]):
        dis = run([a.pe_objdump, "-d", objs["transport"]]).stdout
        # The call goes to cptr 1 (RDI) with the seL4_Call number (RDX = -1).
        ok = "syscall" in dis and re.search(r"mov\s+\$0x1,%edi", dis) and \
            re.search(r"mov\s+\$0xffffffffffffffff,%rdx", dis)
        report("mingw_transport_calls_slot_1", bool(ok), "no seL4_Call on slot 1 found")


def main():
    ap = argparse.ArgumentParser()
    for opt in ("bin", "stub-bin", "gen", "def", "statuses", "stubs", "ntdll-header", "exports",
                "ntos-header", "ntos-table", "build"):
        ap.add_argument("--" + opt, required=True, dest=opt.replace("-", "_") if opt != "def"
                        else "defn")
    ap.add_argument("--include", action="append", required=True)
    ap.add_argument("--pe-cc", default="x86_64-w64-mingw32-gcc")
    ap.add_argument("--pe-nm", default="x86_64-w64-mingw32-nm")
    ap.add_argument("--pe-objdump", default="x86_64-w64-mingw32-objdump")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generator_tests(a, tmp)
    global failed
    for name, binary in (("host_program", a.bin), ("stub_program", a.stub_bin)):
        p = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sys.stdout.write(p.stdout)
        failed += p.stdout.count("TEST-FAIL")
        if p.returncode != 0:
            report(name, False, "exit status %d: %s" % (p.returncode,
                                                        " ".join(p.stdout.split()[-40:])))
    mingw_tests(a)
    print("SUITE-END %s" % SUITE)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
