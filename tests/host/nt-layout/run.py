#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `nt-layout` host suite: checks that include/nt/ means the
# same under both of Nereid's compilers and agrees with mingw-w64's own
# headers. There is no Windows to run on, so everything is compile-time:
# probe files that emit sizeof/offsetof values as a data array are compiled
# to assembly (-S) and the .quad values are read back:
#   ours.c   <nt/nt.h>                               by host gcc and by mingw
#   win.c    <windows.h> <winternl.h> <ntstatus.h>   by mingw
#   ddk.c    <ntddk.h> (ddk headers)                 by mingw
# It reports one test per structure (ours under gcc == ours under mingw ==
# mingw's own, for every member mingw also defines), one for the headers
# compiling warning-free, and one for the STATUS_* values of ntstatus.def.
# Prints TEST-PASS/TEST-FAIL lines and `SUITE-END nt-layout`.

import argparse
import os
import re
import shlex
import subprocess
import sys

SUITE = "nt-layout"
DDK = "/usr/share/mingw-w64/include/ddk"

# (our type, mingw type or None, mingw header group, compare sizes?, members)
# A member "ours=theirs" has another name in mingw; "ours=-" exists only in
# ours (its offset is still compared between gcc and mingw builds of ours).
STRUCTS = [
    ("UNICODE_STRING", "UNICODE_STRING", "win", True, "Length MaximumLength Buffer"),
    ("ANSI_STRING", "ANSI_STRING", "win", True, "Length MaximumLength Buffer"),
    ("LIST_ENTRY", "LIST_ENTRY", "win", True, "Flink Blink"),
    ("LARGE_INTEGER", "LARGE_INTEGER", "win", True, "LowPart HighPart QuadPart"),
    ("GUID", "GUID", "win", True, "Data1 Data2 Data3 Data4"),
    ("OBJECT_ATTRIBUTES", "OBJECT_ATTRIBUTES", "win", True,
     "Length RootDirectory ObjectName Attributes SecurityDescriptor SecurityQualityOfService"),
    ("CLIENT_ID", "CLIENT_ID", "win", True, "UniqueProcess UniqueThread"),
    ("IO_STATUS_BLOCK", "IO_STATUS_BLOCK", "win", True, "Status Pointer Information"),
    ("NT_TIB", "NT_TIB", "win", True,
     "ExceptionList StackBase StackLimit SubSystemTib FiberData Version "
     "ArbitraryUserPointer Self"),
    ("TEB", "TEB", "win", False,
     "ProcessEnvironmentBlock TlsSlots ReservedForOle TlsExpansionSlots NtTib=- ClientId=- "
     "LastErrorValue=- StaticUnicodeString=- DeallocationStack=- FlsData=- EffectiveContainerId=-"),
    ("PEB", "PEB", "win", False,
     "BeingDebugged Ldr ProcessParameters AtlThunkSListPtr AtlThunkSListPtr32 "
     "PostProcessInitRoutine SessionId ImageBaseAddress=- ProcessHeap=- TlsBitmap=- "
     "AnsiCodePageData=- OSMajorVersion=- NtGlobalFlag2=-"),
    ("PEB_LDR_DATA", "PEB_LDR_DATA", "win", False,
     "InMemoryOrderModuleList InLoadOrderModuleList=- ShutdownThreadId=-"),
    ("LDR_DATA_TABLE_ENTRY", "LDR_DATA_TABLE_ENTRY", "win", False,
     "InMemoryOrderLinks DllBase FullDllName TimeDateStamp BaseDllName=- LoadReason=-"),
    ("RTL_USER_PROCESS_PARAMETERS", "RTL_USER_PROCESS_PARAMETERS", "win", False,
     "ImagePathName CommandLine CurrentDirectory=- Environment=- CurrentDirectories=- "
     "LoaderThreads=-"),
    ("CURDIR", None, "-", True, "DosPath Handle"),
    ("RTL_DRIVE_LETTER_CURDIR", None, "-", True, "Flags Length TimeStamp DosPath"),
    ("M128A", "M128A", "win", True, "Low High"),
    ("XMM_SAVE_AREA32", "XMM_SAVE_AREA32", "win", True,
     "ControlWord StatusWord TagWord ErrorOpcode ErrorOffset ErrorSelector DataOffset "
     "DataSelector MxCsr MxCsr_Mask FloatRegisters XmmRegisters Reserved4"),
    ("CONTEXT", "CONTEXT", "win", True,
     "P1Home P6Home ContextFlags MxCsr SegCs SegDs SegEs SegFs SegGs SegSs EFlags Dr0 Dr3 Dr6 "
     "Dr7 Rax Rcx Rdx Rbx Rsp Rbp Rsi Rdi R8 R15 Rip FltSave Xmm0 Xmm15 VectorRegister "
     "VectorControl DebugControl LastBranchToRip LastBranchFromRip LastExceptionToRip "
     "LastExceptionFromRip"),
    ("EXCEPTION_RECORD", "EXCEPTION_RECORD", "win", True,
     "ExceptionCode ExceptionFlags ExceptionRecord ExceptionAddress NumberParameters "
     "ExceptionInformation"),
    ("EXCEPTION_REGISTRATION_RECORD", "EXCEPTION_REGISTRATION_RECORD", "win", True,
     "Next Handler"),
    ("DISPATCHER_CONTEXT", None, "-", True,
     "ControlPc ImageBase FunctionEntry EstablisherFrame TargetIp ContextRecord "
     "LanguageHandler HandlerData HistoryTable ScopeIndex Fill0"),
    ("IMAGE_DOS_HEADER", "IMAGE_DOS_HEADER", "win", True, "e_magic e_cblp e_res e_oemid e_res2 e_lfanew"),
    ("IMAGE_FILE_HEADER", "IMAGE_FILE_HEADER", "win", True,
     "Machine NumberOfSections TimeDateStamp PointerToSymbolTable NumberOfSymbols "
     "SizeOfOptionalHeader Characteristics"),
    ("IMAGE_DATA_DIRECTORY", "IMAGE_DATA_DIRECTORY", "win", True, "VirtualAddress Size"),
    ("IMAGE_OPTIONAL_HEADER64", "IMAGE_OPTIONAL_HEADER64", "win", True,
     "Magic MajorLinkerVersion SizeOfCode AddressOfEntryPoint BaseOfCode ImageBase "
     "SectionAlignment FileAlignment MajorOperatingSystemVersion MajorSubsystemVersion "
     "Win32VersionValue SizeOfImage SizeOfHeaders CheckSum Subsystem DllCharacteristics "
     "SizeOfStackReserve SizeOfStackCommit SizeOfHeapReserve SizeOfHeapCommit LoaderFlags "
     "NumberOfRvaAndSizes DataDirectory"),
    ("IMAGE_NT_HEADERS64", "IMAGE_NT_HEADERS64", "win", True, "Signature FileHeader OptionalHeader"),
    ("IMAGE_SECTION_HEADER", "IMAGE_SECTION_HEADER", "win", True,
     "Name Misc VirtualAddress SizeOfRawData PointerToRawData PointerToRelocations "
     "PointerToLinenumbers NumberOfRelocations NumberOfLinenumbers Characteristics"),
    ("IMAGE_IMPORT_DESCRIPTOR", "IMAGE_IMPORT_DESCRIPTOR", "win", True,
     "OriginalFirstThunk TimeDateStamp ForwarderChain Name FirstThunk"),
    ("IMAGE_IMPORT_BY_NAME", "IMAGE_IMPORT_BY_NAME", "win", True, "Hint Name"),
    ("IMAGE_THUNK_DATA64", "IMAGE_THUNK_DATA64", "win", True, "u1"),
    ("IMAGE_EXPORT_DIRECTORY", "IMAGE_EXPORT_DIRECTORY", "win", True,
     "Characteristics TimeDateStamp MajorVersion Name Base NumberOfFunctions NumberOfNames "
     "AddressOfFunctions AddressOfNames AddressOfNameOrdinals"),
    ("IMAGE_BASE_RELOCATION", "IMAGE_BASE_RELOCATION", "win", True, "VirtualAddress SizeOfBlock"),
    ("IMAGE_TLS_DIRECTORY64", "IMAGE_TLS_DIRECTORY64", "win", True,
     "StartAddressOfRawData EndAddressOfRawData AddressOfIndex AddressOfCallBacks "
     "SizeOfZeroFill Characteristics"),
    ("IMAGE_DELAYLOAD_DESCRIPTOR", "IMAGE_DELAYLOAD_DESCRIPTOR", "win", True,
     "Attributes DllNameRVA ModuleHandleRVA ImportAddressTableRVA ImportNameTableRVA "
     "BoundImportAddressTableRVA UnloadInformationTableRVA TimeDateStamp"),
    ("IMAGE_DEBUG_DIRECTORY", "IMAGE_DEBUG_DIRECTORY", "win", True,
     "Characteristics TimeDateStamp Type SizeOfData AddressOfRawData PointerToRawData"),
    ("IMAGE_LOAD_CONFIG_DIRECTORY64", "IMAGE_LOAD_CONFIG_DIRECTORY64", "win", False,
     "Size GlobalFlagsClear CriticalSectionDefaultTimeout DeCommitFreeBlockThreshold "
     "LockPrefixTable ProcessAffinityMask ProcessHeapFlags CSDVersion EditList SecurityCookie "
     "SEHandlerTable SEHandlerCount GuardCFCheckFunctionPointer=- GuardFlags=- "
     "GuardLongJumpTargetCount=-"),
    ("RUNTIME_FUNCTION", "RUNTIME_FUNCTION", "win", True, "BeginAddress EndAddress UnwindData"),
    ("UNWIND_INFO", None, "-", True, "SizeOfProlog CountOfCodes UnwindCode"),
    ("RTL_BITMAP", "RTL_BITMAP", "ddk", True, "SizeOfBitMap Buffer"),
    ("KSYSTEM_TIME", "KSYSTEM_TIME", "ddk", True, "LowPart High1Time High2Time"),
    ("TIME_FIELDS", "TIME_FIELDS", "ddk", True,
     "Year Month Day Hour Minute Second Milliseconds Weekday"),
    # mingw's KUSER_SHARED_DATA is the Windows 7 layout after 0x2f8 (spec §1.5):
    # only the members that layout shares are compared with it.
    ("KUSER_SHARED_DATA", "KUSER_SHARED_DATA", "ddk", False,
     "TickCountMultiplier InterruptTime SystemTime TimeZoneBias ImageNumberLow "
     "ImageNumberHigh NtSystemRoot MaxStackTraceDepth CryptoExponent TimeZoneId "
     "LargePageMinimum NtProductType ProductTypeIsValid NtMajorVersion NtMinorVersion "
     "ProcessorFeatures TimeSlip AlternativeArchitecture SystemExpirationDate SuiteMask "
     "KdDebuggerEnabled NXSupportPolicy ActiveConsoleId DismountCount ComPlusPackage "
     "LastSystemRITEventTickCount NumberOfPhysicalPages SafeBootMode SharedDataFlags "
     "TestRetInstruction TickCount Cookie QpcFrequency=- SystemCall=- XState=-"),
]


def rows():
    """(struct, label, our expr, group, mingw expr or None) per value."""
    out = []
    for ours, theirs, group, sizes, members in STRUCTS:
        mine = theirs if sizes else None
        out.append((ours, "sizeof", "sizeof(%s)" % ours, group, mine and "sizeof(%s)" % mine))
        for m in members.split():
            name, _, alias = m.partition("=")
            other = None if (theirs is None or alias == "-") else (alias or name)
            out.append((ours, name, "offsetof(%s, %s)" % (ours, name), group,
                        other and "offsetof(%s, %s)" % (theirs, other)))
    return out


def probe(includes, exprs):
    lines = ["#include <stddef.h>"] + ["#include <%s>" % i for i in includes]
    lines.append("const unsigned long long nt_layout_probe[] = {")
    lines += ["    (unsigned long long)(%s)," % e for e in exprs]
    lines.append("};")
    return "\n".join(lines) + "\n"


def quads(asm):
    vals, on = [], False
    for ln in asm.splitlines():
        s = ln.strip()
        if s.startswith("nt_layout_probe:"):
            on = True
        elif on and s.startswith(".quad"):
            vals.append(int(s.split()[1], 0) & 0xFFFFFFFFFFFFFFFF)
        elif on and s.startswith(".zero"):
            vals += [0] * (int(s.split()[1], 0) // 8)
        elif on and s and not s.startswith(("#", ".align", ".p2align")):
            break
    return vals


class Runner:
    def __init__(self, a):
        self.a, self.failed = a, 0
        os.makedirs(a.build, exist_ok=True)

    def report(self, name, why):
        if why:
            self.failed += 1
            print("TEST-FAIL %s.%s: %s" % (SUITE, name, " ".join(str(why).split())[:400]))
        else:
            print("TEST-PASS %s.%s" % (SUITE, name))
        sys.stdout.flush()

    def compile(self, cc, flags, text, tag):
        src = os.path.join(self.a.build, tag + ".c")
        out = os.path.join(self.a.build, tag + ".s")
        with open(src, "w") as f:
            f.write(text)
        p = subprocess.run(shlex.split(cc) + ["-std=gnu11", "-O2", "-S", "-Wall", "-Wextra",
                                              "-Werror"] + flags + [src, "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0 or p.stdout.strip():
            return None, "%s: %s" % (tag, p.stdout.strip()[:300] or "rc %d" % p.returncode)
        with open(out) as f:
            return quads(f.read()), None


def check_layout(r, inc):
    table = rows()
    ours = probe(["nt/nt.h"], [row[2] for row in table])
    got, errors = {}, []
    for tag, cc in (("ours-gcc", r.a.cc), ("ours-mingw", r.a.pe_cc)):
        got[tag], why = r.compile(cc, ["-ffreestanding"] + inc, ours, tag)
        if not why and len(got[tag]) != len(table):
            why = "%s: %d values for %d rows" % (tag, len(got[tag]), len(table))
        errors.append(why)
    for group, extra, headers in (("win", [], ["windows.h", "winternl.h"]),
                                  ("ddk", ["-I" + DDK], ["ntddk.h"])):
        idx = [i for i, row in enumerate(table) if row[3] == group and row[4]]
        vals, why = r.compile(r.a.pe_cc, extra, probe(headers, [table[i][4] for i in idx]),
                              "mingw-" + group)
        if not why and len(vals) != len(idx):
            why = "mingw-%s: %d values for %d rows" % (group, len(vals), len(idx))
        errors.append(why)
        got[group] = dict(zip(idx, vals or []))
    errors = [e for e in errors if e]
    r.report("headers_compile", "; ".join(errors) if errors else None)
    if errors:
        return
    for struct, *_ in STRUCTS:
        bad = []
        for i, row in enumerate(table):
            if row[0] != struct:
                continue
            a, b = got["ours-gcc"][i], got["ours-mingw"][i]
            if a != b:
                bad.append("%s gcc 0x%x mingw-built 0x%x" % (row[1], a, b))
            theirs = got.get(row[3], {}).get(i)
            if theirs is not None and theirs != b:
                bad.append("%s ours 0x%x mingw-w64 0x%x" % (row[1], b, theirs))
        r.report("layout_" + struct, "; ".join(bad) if bad else None)


def check_status(r, inc, deffile):
    names, values = [], []
    with open(deffile) as f:
        for line in f:
            p = line.split()
            if len(p) >= 2 and p[0].startswith("STATUS_") and p[1].startswith("0x"):
                names.append(p[0])
                values.append(int(p[1], 16))
    exprs = ["(unsigned int)%s" % n for n in names]
    vals, why = r.compile(r.a.pe_cc, [], probe(["windows.h", "ntstatus.h"], exprs), "status")
    if not why and len(vals) != len(names):
        why = "%d values for %d names" % (len(vals), len(names))
    if why:
        r.report("ntstatus_values", why)
        return
    bad = ["%s 0x%08X vs 0x%08X" % (n, v, m) for n, v, m in zip(names, values, vals) if v != m]
    r.report("ntstatus_values", "; ".join(bad[:10]) if bad else None)
    r.report("ntstatus_count", None if len(names) >= 300 else "only %d statuses" % len(names))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", action="append", required=True)
    ap.add_argument("--def", dest="deffile", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--pe-cc", default="x86_64-w64-mingw32-gcc")
    a = ap.parse_args()
    r = Runner(a)
    inc = ["-I" + i for i in a.include]
    check_layout(r, inc)
    check_status(r, inc, a.deffile)
    print("SUITE-END %s" % SUITE)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
