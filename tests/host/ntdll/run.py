#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# The `ntdll-build` suite: checks what ntdll/build.mk and base/build.mk
# produce, in the serial test protocol (docs/layout.md):
#   * ntdll.dll: PE32+ for machine 0x8664, a DLL with the characteristics
#     ntdll/README.md promises (no entry point, native subsystem, preferred
#     base, DYNAMIC_BASE|NX_COMPAT, a .reloc directory), no imports at all,
#     every expected export (each service as Nt and Zw, the Rtl names of
#     include/nt/rtl.h, the loader, Dbg and C names) and no private name;
#     objdump -p must agree with our own parse of the export table;
#   * libntdll.a: an import symbol for every export;
#   * hello.exe: native, entry set, imports only from ntdll.dll, and only
#     names ntdll exports;
#   * the system archive: tools/mkarchive.py round trip, refusals, and that
#     build/ntos/archive.bin holds the very bytes of ntdll.dll and hello.exe;
#   * crt_test (ntdll/crt/ against the host C library) and
#   * the host loader test (ldr_test, ntdll/ldr/ under ASan/UBSan), whose
#     protocol lines are passed through; it also snaps the imports of the
#     tests/compat/ programs (stock mingw libntdll.a).

import argparse
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import mkarchive  # noqa: E402

SUITE = "ntdll-build"
NTDLL_BASE = 0x7FFA00000000
failures = 0


def report(name, ok, reason=""):
    global failures
    if ok:
        print("TEST-PASS %s.%s" % (SUITE, name))
    else:
        failures += 1
        print("TEST-FAIL %s.%s: %s" % (SUITE, name, reason))


class Pe:
    """Just enough of a PE32+ file parser for these checks."""

    def __init__(self, data):
        self.data = data
        if data[:2] != b"MZ":
            raise ValueError("no MZ header")
        self.nt = struct.unpack_from("<I", data, 0x3C)[0]
        if data[self.nt:self.nt + 4] != b"PE\0\0":
            raise ValueError("no PE signature")
        (self.machine, nsec, _, _, _, optsize,
         self.characteristics) = struct.unpack_from("<HHIIIHH", data, self.nt + 4)
        opt = self.nt + 24
        self.magic = struct.unpack_from("<H", data, opt)[0]
        self.entry = struct.unpack_from("<I", data, opt + 0x10)[0]
        self.image_base = struct.unpack_from("<Q", data, opt + 0x18)[0]
        self.subsystem, self.dll_characteristics = struct.unpack_from("<HH", data, opt + 0x44)
        ndirs = struct.unpack_from("<I", data, opt + 0x6C)[0]
        self.dirs = [struct.unpack_from("<II", data, opt + 0x70 + 8 * i) for i in range(ndirs)]
        self.sections = []
        for i in range(nsec):
            s = opt + optsize + 40 * i
            vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", data, s + 8)
            self.sections.append((va, max(vsize, rawsize), rawptr, rawsize))

    def read(self, rva, size):
        for va, vsize, rawptr, rawsize in self.sections:
            if va <= rva < va + vsize:
                off = rva - va
                chunk = self.data[rawptr + off:rawptr + min(rawsize, off + size)]
                return chunk + bytes(size - len(chunk))
        raise ValueError("RVA %#x is in no section" % rva)

    def cstring(self, rva):
        out = b""
        while True:
            chunk = self.read(rva + len(out), 64)
            if b"\0" in chunk:
                return (out + chunk.split(b"\0", 1)[0]).decode("ascii")
            out += chunk

    def exports(self):
        rva, size = self.dirs[0]
        if not rva:
            return {}
        (_, _, _, _, _, base, nfuncs, nnames, funcs, names,
         ords) = struct.unpack("<IIHHIIIIIII", self.read(rva, 40))
        result = {}
        for i in range(nnames):
            name = self.cstring(struct.unpack("<I", self.read(names + 4 * i, 4))[0])
            index = struct.unpack("<H", self.read(ords + 2 * i, 2))[0]
            result[name] = struct.unpack("<I", self.read(funcs + 4 * index, 4))[0]
        return result

    def imports(self):
        """{dll name: [imported names or #ordinals]}"""
        rva, size = self.dirs[1] if len(self.dirs) > 1 else (0, 0)
        result = {}
        while rva:
            oft, _, _, name, ft = struct.unpack("<IIIII", self.read(rva, 20))
            if not name and not ft:
                break
            entries, lookup = [], oft or ft
            while True:
                thunk = struct.unpack("<Q", self.read(lookup, 8))[0]
                if not thunk:
                    break
                entries.append("#%d" % (thunk & 0xFFFF) if thunk >> 63
                               else self.cstring((thunk & 0x7FFFFFFF) + 2))
                lookup += 8
            result[self.cstring(name)] = entries
            rva += 20
        return result


def expected_exports(services):
    names = {"LdrInitializeThunk", "LdrGetProcedureAddress", "LdrGetDllHandle",
             "LdrFindEntryForAddress", "RtlExitUserThread", "RtlExitUserProcess",
             "RtlUserThreadStart", "DbgPrint", "DbgPrintEx", "vDbgPrintEx", "DbgBreakPoint", "DbgUserBreakPoint", "NtCurrentTeb",
             "RtlGetCurrentPeb", "RtlNormalizeProcessParams", "RtlImageNtHeader",
             "RtlImageNtHeaderEx", "RtlImageDirectoryEntryToData", "RtlImageRvaToSection",
             "RtlImageRvaToVa", "RtlPcToFileHeader", "LdrGetDllHandleEx", "LdrGetDllFullName",
             "LdrAddRefDll", "LdrDisableThreadCalloutsForDll", "LdrLoadDll", "LdrUnloadDll", "memcpy", "memmove", "memset",
             "memcmp", "strlen", "_vsnprintf", "_snprintf", "memchr", "strcmp", "strncmp",
             "strchr", "strrchr", "strcpy", "strcat", "strstr", "strpbrk", "strtol", "_stricmp",
             "_strnicmp", "wcslen", "wcscmp", "wcschr", "wcsrchr", "wcscpy", "wcscat", "wcsstr",
             "wcstol", "wcstoul", "_wcsicmp", "_wcsnicmp", "towupper", "tolower", "isalpha"}
    with open(os.path.join(ROOT, "include", "nt", "rtl.h")) as f:
        names |= set(re.findall(r"NTAPI\s+(Rtl\w+)\s*\(", f.read()))
    if services and os.path.exists(services):
        with open(services) as f:
            for line in f:
                name = line.split("=")[0].strip()
                if name:
                    names.add(name)
    return names


def check_dll(a):
    try:
        with open(a.dll, "rb") as f:
            dll = Pe(f.read())
    except (OSError, ValueError) as e:
        report("dll_parses", False, str(e))
        return None
    report("dll_parses", True)
    report("dll_machine", dll.machine == 0x8664 and dll.magic == 0x20B,
           "machine %#x magic %#x" % (dll.machine, dll.magic))
    report("dll_is_dll", dll.characteristics & 0x2002 == 0x2002 and not dll.characteristics & 1,
           "characteristics %#x" % dll.characteristics)
    report("dll_characteristics", dll.dll_characteristics & 0x140 == 0x140,
           "DllCharacteristics %#x lacks DYNAMIC_BASE|NX_COMPAT" % dll.dll_characteristics)
    report("dll_no_entry", dll.entry == 0, "AddressOfEntryPoint %#x" % dll.entry)
    report("dll_native", dll.subsystem == 1, "subsystem %d" % dll.subsystem)
    report("dll_base", dll.image_base == NTDLL_BASE, "ImageBase %#x" % dll.image_base)
    report("dll_reloc", len(dll.dirs) > 5 and dll.dirs[5][0] != 0, "no .reloc directory")
    imports = dll.imports()
    report("dll_no_imports", not imports, "imports %s" % sorted(imports))

    exports = dll.exports()
    missing = sorted(expected_exports(a.services) - set(exports))
    report("dll_exports_expected", not missing, "missing %s" % missing[:20])
    unpaired = sorted(n for n in exports if n.startswith("Nt") and n not in
                      ("NtCurrentTeb",) and "Zw" + n[2:] not in exports)
    unpaired += sorted(n for n in exports if n.startswith("Zw") and "Nt" + n[2:] not in exports)
    report("dll_exports_nt_zw_pairs", not unpaired, "unpaired %s" % unpaired[:20])
    private = sorted(n for n in exports if re.match(r"^(Rtl|Ldr|Dbg|Nt|Zw|Ntdll|Crt)p[A-Z]", n))
    report("dll_exports_no_private", not private, "private names exported: %s" % private[:20])
    bad = sorted(n for n, rva in exports.items() if not any(
        va <= rva < va + size for va, size, _, _ in dll.sections))
    report("dll_exports_in_image", not bad, "RVAs outside the image: %s" % bad[:10])

    out = subprocess.run([a.objdump, "-p", a.dll], stdout=subprocess.PIPE, text=True).stdout
    table = out.split("[Ordinal/Name Pointer] Table", 1)[-1]
    listed = set(re.findall(r"^\s*\[\s*\d+\]\s+(\S+)\s*$", table, re.M))
    report("dll_objdump_agrees", "pei-x86-64" in out and listed == set(exports),
           "objdump lists %d names, our parse %d" % (len(listed), len(exports)))
    return exports


def check_implib(a, exports):
    out = subprocess.run([a.nm, a.implib], stdout=subprocess.PIPE, text=True).stdout
    symbols = set(re.findall(r"\b__imp_(\S+)$", out, re.M))
    missing = sorted(set(exports or ()) - symbols)
    report("implib_complete", exports is not None and not missing, "missing %s" % missing[:20])


def check_hello(a, exports):
    try:
        with open(a.hello, "rb") as f:
            exe = Pe(f.read())
    except (OSError, ValueError) as e:
        report("hello_parses", False, str(e))
        return
    report("hello_parses", True)
    report("hello_native",
           exe.subsystem == 1 and exe.entry != 0 and not exe.characteristics & 0x2000,
           "subsystem %d entry %#x" % (exe.subsystem, exe.entry))
    imports = exe.imports()
    report("hello_imports_only_ntdll", [d.lower() for d in imports] == ["ntdll.dll"],
           "imports from %s" % sorted(imports))
    unknown = sorted(n for names in imports.values() for n in names
                     if exports is None or n not in exports)
    report("hello_imports_exported", not unknown, "not exported by ntdll: %s" % unknown)


def check_archive(a):
    files = [("ntdll.dll", b"N" * 5000), ("Hello.exe", b"hello"), ("empty.txt", b"")]
    image = mkarchive.build(files)
    parsed = mkarchive.parse(image)
    report("archive_round_trip",
           sorted((n, d) for n, _, d in parsed) == sorted(files) and
           [n for n, _, _ in parsed] == ["empty.txt", "Hello.exe", "ntdll.dll"] and
           all(off % 4096 == 0 for _, off, _ in parsed),
           "parsed %s" % [(n, off, len(d)) for n, off, d in parsed])
    report("archive_deterministic", mkarchive.build(list(reversed(files))) == image,
           "input order changed the image")
    report("archive_empty", mkarchive.parse(b"NRDARC01\0\0\0\0") == [] and
           mkarchive.build([])[:12] == b"NRDARC01\0\0\0\0", "empty archive")
    refused = 0
    for bad in ([("a.dll", b""), ("A.DLL", b"")], [("x" * 48, b"")], [("dir\\a.exe", b"")]):
        try:
            mkarchive.build(bad)
        except mkarchive.ArchiveError:
            refused += 1
    for bad in (b"NRDARC02" + bytes(8), image[:40], image[:-1]):
        try:
            mkarchive.parse(bad)
        except mkarchive.ArchiveError:
            refused += 1
    report("archive_refuses_bad", refused == 6, "%d of 6 refused" % refused)
    try:
        with open(a.archive, "rb") as f:
            built = {n: d for n, _, d in mkarchive.parse(f.read())}
        with open(a.dll, "rb") as f1, open(a.hello, "rb") as f2:
            ok = built.get("ntdll.dll") == f1.read() and built.get("hello.exe") == f2.read()
        report("archive_built", ok, "build/ntos/archive.bin: %s" % sorted(built))
    except (OSError, mkarchive.ArchiveError) as e:
        report("archive_built", False, str(e))


def run_host_test(name, cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = p.stdout.splitlines()
    for line in lines:
        if line.startswith("TEST-PASS") or line.startswith("TEST-FAIL"):
            print(line)
    global failures
    failures += p.stdout.count("TEST-FAIL")
    if p.returncode != 0 and "TEST-FAIL" not in p.stdout:
        report("%s_program" % name, False,
               "exit status %d: %s" % (p.returncode, " ".join(p.stdout.split()[-40:])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dll", required=True)
    ap.add_argument("--implib", required=True)
    ap.add_argument("--hello", required=True)
    ap.add_argument("--archive", required=True)
    ap.add_argument("--services")
    ap.add_argument("--ldr-test")
    ap.add_argument("--fwd-dll")
    ap.add_argument("--crt-test")
    ap.add_argument("--compat", action="append", default=[],
                    help="a program linked with stock libntdll.a (repeatable)")
    ap.add_argument("--objdump", default="x86_64-w64-mingw32-objdump")
    ap.add_argument("--nm", default="x86_64-w64-mingw32-nm")
    a = ap.parse_args()
    exports = check_dll(a)
    check_implib(a, exports)
    check_hello(a, exports)
    check_archive(a)
    if a.crt_test:
        run_host_test("crt_test", [a.crt_test])
    if a.ldr_test:
        run_host_test("ldr_test", [a.ldr_test, a.dll, a.hello, a.fwd_dll] + a.compat)
    print("SUITE-END %s" % SUITE)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
