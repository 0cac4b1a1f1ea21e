#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# mkdef.py: writes ntdll.def, the export list of ntdll.dll, from what the
# sources define, so that no list of names is kept by hand:
#
#   * every global function of the objects whose name has an NT export
#     prefix (Rtl, Ldr, Dbg, Nt, Zw, Ki, Csr, Etw, Tp, Alpc; also vDbg*), except
#     the private forms <Prefix>p<Upper>... (Rtlp*, Ldrp*, Ntdllp*, ...);
#   * the compiler support routines of COMPILER_HELPERS (__C_specific_handler);
#   * every global function of the ntdll/crt objects (the C routines Windows'
#     ntdll exports: memcpy, strlen, _vsnprintf, ...): crt keeps its helpers
#     static;
#   * the names of the service export list (build/ntdll/ntsvc_exports.txt,
#     one a line, "Name" or "Name=Target"), when given.
#
# Usage: mkdef.py --nm NM --out ntdll.def [--crt OBJ...] [--services LIST] OBJ...
# The output is sorted, so it is the same for the same sources.

import argparse
import re
import subprocess
import sys

EXPORT = re.compile(r"^(?:Rtl|Ldr|Dbg|Nt|Zw|Ki|Csr|Etw|Tp|Alpc|vDbg)[A-Z_a-z0-9]*$")
# Compiler support routines Windows' ntdll exports (ntdll/exc/cspecific.c).
COMPILER_HELPERS = {"__C_specific_handler"}
PRIVATE = re.compile(r"^(?:Rtl|Ldr|Dbg|Nt|Zw|Ki|Csr|Etw|Tp|Alpc|Ntdll|Crt)p[A-Z]")


def defined_functions(nm, objects):
    if not objects:
        return set()
    out = subprocess.run([nm, "-g", "--defined-only"] + objects, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in ("T", "t"):
            names.add(parts[2])
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nm", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--library", default="ntdll.dll")
    ap.add_argument("--crt", nargs="*", default=[])
    ap.add_argument("--services")
    ap.add_argument("objects", nargs="*")
    a = ap.parse_args()

    exports = {n: None for n in defined_functions(a.nm, a.objects)
               if (EXPORT.match(n) and not PRIVATE.match(n)) or n in COMPILER_HELPERS}
    for n in defined_functions(a.nm, a.crt):
        exports[n] = None
    if a.services:
        with open(a.services) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    name, _, target = line.partition("=")
                    exports[name.strip()] = target.strip() or None
    lines = ["LIBRARY %s" % a.library, "EXPORTS"]
    for name in sorted(exports):
        target = exports[name]
        lines.append("    %s=%s" % (name, target) if target else "    %s" % name)
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
