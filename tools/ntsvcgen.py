#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# ntsvcgen.py: the system service generator. It reads ntos/services.def (the
# one list of NT services; its header describes the format), checks it, and
# writes every file that must agree on the services:
#
#   --ntdll-stubs   build/ntdll/ntsvc_stubs.c    Nt<Name> stubs + Zw<Name> aliases
#   --ntdll-header  build/ntdll/ntsvc.h          their prototypes, for ntdll's own use
#   --ntdll-exports build/ntdll/ntsvc_exports.txt the exported names, one a line
#   --ntos-header   build/ntos/ntsvc.h           numbers and handler prototypes
#   --ntos-table    build/ntos/ntsvc_table.c     unmarshallers, table, KiDispatchService
#
# Errors name the .def line and exit with status 1 before anything is written.
# Python 3 standard library only.

import argparse
import os
import re
import sys

KINDS = {"value", "handle", "addr", "in", "out", "inout", "ustring", "objattr", "inbuf", "outbuf"}
POINTER_KINDS = {"in", "out", "inout"}
TYPED_KINDS = {"value", "in", "out", "inout"}
BUFFER_KINDS = {"inbuf", "outbuf"}
FLAG_KEYS = {"null", "bad", "align", "write", "probe"}
WRITE_MODES = {"success", "always", "nonerror", "handler"}
PROBE_MODES = {"handler"}
# Names the generated unmarshallers use for themselves.
RESERVED = {"Thread", "Process", "Args", "Status", "CopyStatus", "out"}
MAX_ARGS = 16
# The pseudo-type ADDRESS: a user address held in user memory (PVOID *BaseAddress):
# PVOID for ntdll, USER_ADDRESS for ntos, so no handler holds a raw user pointer.
ADDRESS = "ADDRESS"
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CTYPE = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class DefError(Exception):
    pass


class Param:
    def __init__(self, kind, name, ctype, lenparam, opt, flags, note, line):
        self.kind, self.name, self.ctype, self.lenparam = kind, name, ctype, lenparam
        self.opt, self.flags, self.note, self.line = opt, flags, note, line


class Service:
    def __init__(self, number, name, line):
        self.number, self.name, self.line = number, name, line
        self.summary, self.owner, self.params = None, None, []
        self.statuses, self.notes, self.yields = [], [], False
        self.wrapped = False

    @property
    def base(self):
        return self.name[2:]


def fail(path, lineno, msg):
    raise DefError("%s:%d: %s" % (path, lineno, msg))


def parse_param(path, lineno, words, note):
    if len(words) < 2 or words[0] not in KINDS:
        fail(path, lineno, "param needs KIND NAME (kinds: %s)" % " ".join(sorted(KINDS)))
    kind, name, rest = words[0], words[1], words[2:]
    if not IDENT.match(name):
        fail(path, lineno, "bad parameter name %r" % name)
    if name in RESERVED:
        fail(path, lineno, "parameter name %r is reserved by the generated code" % name)
    ctype = lenparam = None
    if kind in TYPED_KINDS:
        if not rest or not CTYPE.match(rest[0]):
            fail(path, lineno, "%s parameter %s needs a TYPE (an NT type name)" % (kind, name))
        ctype, rest = rest[0], rest[1:]
        if ctype == ADDRESS and kind == "value":
            fail(path, lineno, "a value parameter holding an address is kind addr")
    elif kind in BUFFER_KINDS:
        if not rest or not IDENT.match(rest[0]):
            fail(path, lineno, "%s parameter %s needs its length parameter" % (kind, name))
        lenparam, rest = rest[0], rest[1:]
    opt, flags = False, {}
    for w in rest:
        if w == "opt":
            opt = True
            continue
        key, eq, val = w.partition("=")
        if not eq or key not in FLAG_KEYS or key in flags or not val:
            fail(path, lineno, "unknown or repeated flag %r" % w)
        flags[key] = val
    if "align" in flags:
        if not flags["align"].isdigit() or int(flags["align"]) not in (1, 2, 4, 8, 16):
            fail(path, lineno, "align must be 1, 2, 4, 8 or 16")
        if kind not in POINTER_KINDS | BUFFER_KINDS:
            fail(path, lineno, "align applies to in/out/inout pointers and inbuf/outbuf buffers")
    if "probe" in flags:
        if flags["probe"] not in PROBE_MODES:
            fail(path, lineno, "probe must be one of %s" % ", ".join(sorted(PROBE_MODES)))
        if kind not in BUFFER_KINDS:
            fail(path, lineno, "probe applies to inbuf/outbuf buffers")
        if opt or "null" in flags or "align" in flags:
            fail(path, lineno, "a buffer the handler probes takes no opt, null or align")
    if "write" in flags:
        if flags["write"] not in WRITE_MODES:
            fail(path, lineno, "write must be one of %s" % ", ".join(sorted(WRITE_MODES)))
        if kind not in ("out", "inout"):
            fail(path, lineno, "write applies to out/inout pointers")
    if "bad" in flags and kind not in ("ustring", "objattr"):
        fail(path, lineno, "bad applies to ustring/objattr parameters")
    pointerish = POINTER_KINDS | BUFFER_KINDS | {"ustring", "objattr"}
    if (opt or "null" in flags) and kind not in pointerish:
        fail(path, lineno, "opt/null apply to pointer parameters, not %s" % kind)
    if opt and "null" in flags:
        fail(path, lineno, "an optional pointer has no NULL status")
    return Param(kind, name, ctype, lenparam, opt, flags, note, lineno)


def check_service(path, svc, known_statuses):
    if svc.summary is None:
        fail(path, svc.line, "%s has no summary" % svc.name)
    if svc.owner is None:
        fail(path, svc.line, "%s has no owner" % svc.name)
    if not svc.statuses:
        fail(path, svc.line, "%s lists no status" % svc.name)
    if len(svc.params) > MAX_ARGS:
        fail(path, svc.line, "%s has more than %d parameters" % (svc.name, MAX_ARGS))
    names = {}
    for p in svc.params:
        if p.name in names:
            fail(path, p.line, "parameter %s declared twice" % p.name)
        names[p.name] = p
    for p in svc.params:
        if p.lenparam is not None:
            q = names.get(p.lenparam)
            if q is None or q.kind != "value":
                fail(path, p.line, "length parameter %s of %s is not a value parameter of %s"
                     % (p.lenparam, p.name, svc.name))
    for s in svc.statuses:
        if not CTYPE.match(s) or s.startswith("STATUS_"):
            fail(path, svc.line, "status %r: write the name without STATUS_" % s)
        if known_statuses is not None and "STATUS_" + s not in known_statuses:
            fail(path, svc.line, "unknown status STATUS_%s" % s)
    for p in svc.params:
        for key in ("null", "bad"):
            v = p.flags.get(key)
            if v is not None and known_statuses is not None and "STATUS_" + v not in known_statuses:
                fail(path, p.line, "unknown status STATUS_%s" % v)


def parse(path, text, known_statuses=None):
    services, svc = [], None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "*/" in line:
            fail(path, lineno, "text may not contain */ (it goes into C comments)")
        body, _, note = line.partition(" -- ")
        words = body.split()
        key, args = words[0], words[1:]
        if key == "service":
            if svc is not None:
                fail(path, lineno, "service inside %s (missing end)" % svc.name)
            if len(args) != 2 or not args[0].isdigit():
                fail(path, lineno, "service needs NUMBER NtName")
            number, name = int(args[0]), args[1]
            if number != len(services):
                fail(path, lineno, "%s has number %d, its position is %d (append only)"
                     % (name, number, len(services)))
            if not IDENT.match(name) or not name.startswith("Nt") or len(name) < 3:
                fail(path, lineno, "service name %r must be Nt<Name>" % name)
            if any(s.name == name for s in services):
                fail(path, lineno, "service %s declared twice" % name)
            svc = Service(number, name, lineno)
            continue
        if svc is None:
            fail(path, lineno, "%r outside a service" % key)
        if key == "end":
            if args:
                fail(path, lineno, "end takes nothing")
            check_service(path, svc, known_statuses)
            services.append(svc)
            svc = None
        elif key == "summary":
            if not args or svc.summary is not None:
                fail(path, lineno, "one non-empty summary per service")
            svc.summary = line.split(None, 1)[1]
        elif key == "owner":
            if len(args) != 1 or svc.owner is not None:
                fail(path, lineno, "owner needs one path, once")
            svc.owner = args[0]
        elif key == "param":
            svc.params.append(parse_param(path, lineno, args, note.strip()))
        elif key == "status":
            if not args:
                fail(path, lineno, "status needs names")
            svc.statuses += args
        elif key == "note":
            svc.notes.append(line.split(None, 1)[1] if args else "")
        elif key == "ntdll":
            if args == ["yield"]:
                svc.yields = True
            elif args == ["wrapped"]:
                svc.wrapped = True
            else:
                fail(path, lineno, "ntdll option must be: yield, wrapped")
        else:
            fail(path, lineno, "unknown statement %r" % key)
    if svc is not None:
        fail(path, svc.line, "service %s has no end" % svc.name)
    if not services:
        fail(path, 1, "no services")
    return services


def read_statuses(path):
    names = set()
    with open(path, encoding="utf-8") as f:
        for raw in f:
            w = raw.split()
            if w and w[0].startswith("STATUS_"):
                names.add(w[0])
    return names


# ---- output helpers ---------------------------------------------------------------------

def banner(what):
    return ("/* SPDX-License-Identifier: BSD-2-Clause */\n"
            "/*\n * %s\n *\n"
            " * GENERATED by tools/ntsvcgen.py from ntos/services.def. DO NOT EDIT: change\n"
            " * the declaration and regenerate.\n */\n" % what)


def c_comment_lines(svc):
    out = ["/* %d %s: %s" % (svc.number, svc.name, svc.summary)]
    for p in svc.params:
        if p.note:
            out.append(" * %s: %s" % (p.name, p.note))
    for n in svc.notes:
        out.append(" * %s" % n)
    out.append(" * Returns %s. */" % ", ".join("STATUS_" + s for s in svc.statuses))
    return out


# ---- ntdll ------------------------------------------------------------------------------

def user_type_name(ctype):
    return "PVOID" if ctype == ADDRESS else ctype


def ntos_type_name(ctype):
    return "USER_ADDRESS" if ctype == ADDRESS else ctype


def user_ctype(p):
    if p.kind == "value":
        return p.ctype
    if p.kind == "handle":
        return "HANDLE"
    if p.kind in POINTER_KINDS:
        return user_type_name(p.ctype) + " *"
    if p.kind == "ustring":
        return "PUNICODE_STRING"
    if p.kind == "objattr":
        return "POBJECT_ATTRIBUTES"
    return "PVOID"


def user_params(svc):
    if not svc.params:
        return "VOID"
    return ", ".join("%s%s%s" % (user_ctype(p), "" if user_ctype(p).endswith("*") else " ",
                                 p.name) for p in svc.params)


def gen_ntdll_header(services):
    out = [banner("ntdll's prototypes of the system service stubs (Nt<Name>, Zw<Name>).")]
    out.append("#pragma once\n\n#include <nt/nt.h>\n")
    for s in services:
        out += c_comment_lines(s)
        for prefix in ("Nt", "Zw"):
            out.append("NTSYSAPI NTSTATUS NTAPI %s%s(%s);" % (prefix, s.base, user_params(s)))
        if s.wrapped:
            out.append("NTSTATUS NTAPI %s(%s);" % (stub_name(s), user_params(s)))
        out.append("")
    return "\n".join(out)


def stub_name(s):
    """The stub's name: Nt<Name>, or Ntdllp<Name> when ntdll wraps it (its
    hand-written Nt<Name> and Zw<Name> call the stub)."""
    return "Ntdllp" + s.base if s.wrapped else s.name


def gen_ntdll_stubs(services):
    out = [banner("The system service stubs of ntdll.dll: each Nt<Name> passes its arguments\n"
                  " * as words to NtdllpSystemCall (ntdll/ntsvc.c: seL4_Call on the thread's\n"
                  " * service endpoint, label = the service number) and returns the NTSTATUS\n"
                  " * of the reply; Zw<Name> is the same function under its other name.")]
    out.append("#include \"ntsvc.h\"\n")
    out.append("NTSTATUS NtdllpSystemCall(ULONG Number, const ULONG_PTR *Args, ULONG Count);")
    out.append("VOID NtdllpYieldProcessor(VOID);\n")
    for s in services:
        out.append("NTSTATUS NTAPI %s(%s)" % (stub_name(s), user_params(s)))
        out.append("{")
        n = len(s.params)
        if n:
            out.append("    const ULONG_PTR Args[%d] = {" % n)
            for p in s.params:
                out.append("        (ULONG_PTR)%s," % p.name)
            out.append("    };")
            call = "NtdllpSystemCall(%d, Args, %d)" % (s.number, n)
        else:
            call = "NtdllpSystemCall(%d, NULL, 0)" % s.number
        if s.yields:
            out.append("    NTSTATUS Status = %s;\n" % call)
            out.append("    if (NT_SUCCESS(Status))")
            out.append("        NtdllpYieldProcessor();")
            out.append("    return Status;")
        else:
            out.append("    return %s;" % call)
        out.append("}")
        if s.wrapped:
            out.append("")
            continue
        out.append("NTSTATUS NTAPI Zw%s(%s) __attribute__((alias(\"%s\")));\n"
                   % (s.base, user_params(s), s.name))
    return "\n".join(out)


def gen_ntdll_exports(services):
    names = []
    for s in services:
        names += [s.name, "Zw" + s.base]
    return "\n".join(sorted(names)) + "\n"


# ---- ntos -------------------------------------------------------------------------------

def handler_ctype(p):
    t = ntos_type_name(p.ctype) if p.ctype else None
    return {
        "value": p.ctype,
        "handle": "HANDLE",
        "addr": "USER_ADDRESS",
        "in": "const %s *" % t,
        "out": "%s *" % t,
        "inout": "%s *" % t,
        "ustring": "const UNICODE_STRING *",
        "objattr": "const CAPTURED_OBJECT_ATTRIBUTES *",
        "inbuf": "USER_BUFFER",
        "outbuf": "USER_BUFFER",
    }[p.kind]


def handler_params(svc):
    if not svc.params:
        return "void"
    parts = []
    for p in svc.params:
        t = handler_ctype(p)
        parts.append("%s%s%s" % (t, "" if t.endswith("*") else " ", p.name))
    return ", ".join(parts)


def gen_ntos_header(services):
    out = [banner("The system services as ntos sees them: numbers, and the handler each\n"
                  " * owning component implements. User pointers never reach a handler: it\n"
                  " * gets captured copies (const T *), ntos-side results that the table\n"
                  " * writes back (T *), or typed wrappers (USER_BUFFER, USER_ADDRESS) to use\n"
                  " * with mm's copy routines. NULL means an optional pointer was NULL.")]
    out.append("#pragma once\n\n#include <ntos.h>\n#include <svc.h>\n")
    out.append("enum {")
    for s in services:
        out.append("    NTSVC_%s = %d," % (s.base, s.number))
    out.append("    NTSVC_COUNT = %d" % len(services))
    out.append("};\n")
    out.append("/* No service takes more argument words than this (services.def). */")
    out.append("#define NTSVC_MAX_ARGS %d\n" % MAX_ARGS)
    for s in services:
        out += c_comment_lines(s)
        out.append("/* implemented in %s */" % s.owner)
        out.append("NTSTATUS %s(%s);\n" % (s.name, handler_params(s)))
    return "\n".join(out)


def null_status(p):
    return "STATUS_" + p.flags.get("null", "ACCESS_VIOLATION")


WRITE_TESTS = {"success": "NT_SUCCESS(Status)", "always": "TRUE", "nonerror": "!NT_ERROR(Status)",
               "handler": "(NT_SUCCESS(Status) || memcmp(&Cap%(name)s, &Old%(name)s, "
                          "sizeof(Cap%(name)s)) != 0)"}
GOTO_OUT = "    if (!NT_SUCCESS(Status))\n        goto out;"


class Unmarshaller:
    """The C lines of one service's unmarshaller, built a parameter at a time:
    declarations, probes and captures before the handler, write-backs after
    it, releases at the single exit."""

    def __init__(self, svc):
        self.svc = svc
        self.byname = {p.name: p for p in svc.params}
        self.decls, self.body, self.after, self.cleanup = [], [], [], []
        self.uses_process = False

    def scalar(self, p, a):
        if p.kind == "value":
            self.decls.append("    %s %s = (%s)%s;" % (p.ctype, p.name, p.ctype, a))
        elif p.kind == "handle":
            self.decls.append("    HANDLE %s = (HANDLE)%s;" % (p.name, a))
        else:
            self.decls.append("    USER_ADDRESS %s = {%s};" % (p.name, a))

    def buffer(self, p, a):
        self.decls.append("    USER_BUFFER %s = {0, 0};" % p.name)
        length = self.byname[p.lenparam].name
        if p.flags.get("probe") == "handler":
            # Unchecked: the handler probes it (KiProbeClassBuffer) once it
            # knows the class, in Windows' order of checks.
            self.body.append("    %s.Address = %s;" % (p.name, a))
            self.body.append("    %s.Length = %s;" % (p.name, length))
            return
        self.body.append("    Status = KiProbeUserBuffer(%s, %s, %s, %s, &%s);"
                         % (a, length, "TRUE" if p.opt else "FALSE", null_status(p), p.name))
        self.body.append(GOTO_OUT)
        if "align" in p.flags:
            self.body.append("    Status = KiProbeClassBuffer(%s, %s, KI_PROBE_READ);"
                             % (p.name, p.flags["align"]))
            self.body.append(GOTO_OUT)

    def pointer(self, p, a):
        self.uses_process = True
        t = ntos_type_name(p.ctype)
        self.decls.append("    %s Cap%s;" % (t, p.name))
        self.decls.append("    %s%s *%s = NULL;" % ("const " if p.kind == "in" else "", t, p.name))
        probe = "KI_PROBE_READ" if p.kind == "in" else "KI_PROBE_WRITE"
        self.body.append("    memset(&Cap%s, 0, sizeof(Cap%s));" % (p.name, p.name))
        self.body.append("    Status = KiProbeUser(Process, %s, sizeof(%s), %s, %s, %s, %s);"
                         % (a, t, p.flags.get("align", "1"), "TRUE" if p.opt else "FALSE",
                            null_status(p), probe))
        self.body.append(GOTO_OUT)
        # write=handler: the handler sees the caller's value and decides by
        # changing it (or not) whether a failure reports it.
        if p.kind != "out" or p.flags.get("write") == "handler":
            cond = "    " if not p.opt else "    if (%s != 0)\n        " % a
            self.body.append("%sStatus = MmCopyFromUser(Process, &Cap%s, %s, sizeof(Cap%s));"
                             % (cond, p.name, a, p.name))
            self.body.append(GOTO_OUT)
        self.body.append("    if (%s != 0)\n        %s = &Cap%s;" % (a, p.name, p.name)
                         if p.opt else "    %s = &Cap%s;" % (p.name, p.name))
        if p.kind != "in":
            self.write_back(p, a)

    def write_back(self, p, a):
        test = WRITE_TESTS[p.flags.get("write", "success")]
        if p.flags.get("write") == "handler":
            t = ntos_type_name(p.ctype)
            self.decls.append("    %s Old%s;" % (t, p.name))
            self.body.append("    memcpy(&Old%s, &Cap%s, sizeof(Old%s));" % (p.name, p.name, p.name))
            test = test % {"name": p.name}
        self.after.append("    if (%s != NULL && %s) {" % (p.name, test))
        self.after.append("        CopyStatus = MmCopyToUser(Process, %s, &Cap%s, sizeof(Cap%s));"
                          % (a, p.name, p.name))
        self.after.append("        if (!NT_SUCCESS(CopyStatus))")
        self.after.append("            Status = CopyStatus;")
        self.after.append("    }")

    def capture(self, p, a):
        self.uses_process = True
        ctype = "UNICODE_STRING" if p.kind == "ustring" else "CAPTURED_OBJECT_ATTRIBUTES"
        fn = "UnicodeString" if p.kind == "ustring" else "ObjectAttributes"
        self.decls.append("    %s Cap%s;" % (ctype, p.name))
        self.decls.append("    const %s *%s = NULL;" % (ctype, p.name))
        # Zeroed first of all: the release at `out` runs whatever failed.
        self.body.insert(0, "    memset(&Cap%s, 0, sizeof(Cap%s));" % (p.name, p.name))
        self.body.append("    if (%s != 0) {" % a)
        self.body.append("        Status = KiCapture%s(Process, %s, &Cap%s, STATUS_%s);"
                         % (fn, a, p.name, p.flags.get("bad", "INVALID_PARAMETER")))
        self.body.append("        if (!NT_SUCCESS(Status))\n            goto out;")
        self.body.append("        %s = &Cap%s;" % (p.name, p.name))
        if p.opt:
            self.body.append("    }")
        else:
            self.body += ["    } else {", "        Status = %s;" % null_status(p),
                          "        goto out;", "    }"]
        self.cleanup.append("    KiRelease%s(&Cap%s);" % (fn, p.name))

    def add(self, p, a):
        if p.kind in ("value", "handle", "addr"):
            self.scalar(p, a)
        elif p.kind in BUFFER_KINDS:
            self.buffer(p, a)
        elif p.kind in POINTER_KINDS:
            self.pointer(p, a)
        else:
            self.capture(p, a)

    def lines(self):
        s = self.svc
        for i, p in enumerate(s.params):
            self.add(p, "Args[%d]" % i)
        out = ["static NTSTATUS KiSvc%s(PETHREAD Thread, const seL4_Word *Args)" % s.base, "{",
               "    NTSTATUS Status = STATUS_SUCCESS;"]
        if self.after:
            out.append("    NTSTATUS CopyStatus;")
        if self.uses_process:
            out.append("    PEPROCESS Process = Thread->Process;")
        out += self.decls + [""]
        if not self.uses_process:
            out.append("    (void)Thread;")
        if not s.params:
            out.append("    (void)Args;")
        out += ["    if (!KiHandlerLinked(%s))" % s.name, "        return STATUS_NOT_IMPLEMENTED;"]
        out += self.body
        out.append("    Status = %s(%s);" % (s.name, ", ".join(p.name for p in s.params)))
        out += self.after
        if any("goto out" in line for line in self.body):
            out.append("out:")
        out += self.cleanup + ["    return Status;", "}\n"]
        return out


def gen_unmarshaller(s):
    return Unmarshaller(s).lines()


def gen_ntos_table(services):
    out = [banner("The system service table of ntos: one unmarshaller per service (probe\n"
                  " * and capture the arguments, call the handler, write the results back)\n"
                  " * and KiDispatchService, which the service loop calls for each request.\n"
                  " * Handlers are weak references so that a service whose component has not\n"
                  " * landed answers STATUS_NOT_IMPLEMENTED instead of breaking the link.")]
    out.append("#include <string.h>\n#include \"ntsvc.h\"\n")
    out.append("#define KiHandlerLinked(f) ((void *)(f) != NULL)\n")
    for s in services:
        out.append("#pragma weak %s" % s.name)
    out.append("")
    for s in services:
        out += gen_unmarshaller(s)
    out.append("typedef NTSTATUS (*KI_SERVICE_UNMARSHALLER)(PETHREAD Thread, const seL4_Word *Args);\n")
    out.append("static const struct {")
    out.append("    const char *Name;")
    out.append("    ULONG ArgCount;")
    out.append("    KI_SERVICE_UNMARSHALLER Unmarshal;")
    out.append("} KiServiceTable[NTSVC_COUNT] = {")
    for s in services:
        out.append("    [NTSVC_%s] = {\"%s\", %d, KiSvc%s}," % (s.base, s.name, len(s.params), s.base))
    out.append("};\n")
    out.append("""const char *KiServiceName(seL4_Word Number)
{
    return Number < NTSVC_COUNT ? KiServiceTable[Number].Name : NULL;
}

BOOLEAN KiServiceImplemented(seL4_Word Number)
{
    switch (Number) {""")
    for s in services:
        out.append("    case NTSVC_%s:\n        return KiHandlerLinked(%s);" % (s.base, s.name))
    out.append("""    default:
        return FALSE;
    }
}

NTSTATUS KiDispatchService(PETHREAD Thread, seL4_Word Label, seL4_Word *Args, ULONG ArgCount)
{
    ASSERT(Thread != NULL && Thread->Process != NULL);
    if (Label >= NTSVC_COUNT)
        return STATUS_INVALID_SYSTEM_SERVICE;
    if (ArgCount != KiServiceTable[Label].ArgCount)
        return STATUS_INVALID_PARAMETER;
    return KiServiceTable[Label].Unmarshal(Thread, Args);
}
""")
    return "\n".join(out)


def write(path, text):
    if not path:
        return
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("def_file")
    ap.add_argument("--statuses", help="include/nt/ntstatus.def: check every status name")
    ap.add_argument("--ntdll-stubs")
    ap.add_argument("--ntdll-header")
    ap.add_argument("--ntdll-exports")
    ap.add_argument("--ntos-header")
    ap.add_argument("--ntos-table")
    a = ap.parse_args(argv)
    try:
        known = read_statuses(a.statuses) if a.statuses else None
        with open(a.def_file, encoding="utf-8") as f:
            services = parse(a.def_file, f.read(), known)
    except (DefError, OSError) as e:
        print("ntsvcgen: error: %s" % e, file=sys.stderr)
        return 1
    write(a.ntdll_stubs, gen_ntdll_stubs(services))
    write(a.ntdll_header, gen_ntdll_header(services))
    write(a.ntdll_exports, gen_ntdll_exports(services))
    write(a.ntos_header, gen_ntos_header(services))
    write(a.ntos_table, gen_ntos_table(services))
    return 0


if __name__ == "__main__":
    sys.exit(main())
