# SPDX-License-Identifier: BSD-2-Clause
#
# Root task images for the kernel-boot suite: a model of the kernel's
# root-task ELF rules (spec §19.5, plus the stricter checks our kernel makes:
# e_machine, byte order, truncation, overlapping PT_LOAD segments), the
# generators of each deliberately broken image, and the seeded header
# mutations. Everything is pure (bytes in, bytes out), so the generators are
# checked against the model before any image is booted: a case whose image
# does not have the defect it claims fails as a generator bug, not as a
# kernel bug.

import random
import struct

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")   # Elf64_Ehdr, 64 bytes
PHDR = struct.Struct("<IIQQQQQQ")           # Elf64_Phdr, 56 bytes
EHDR_FIELDS = ("ident type machine version entry phoff shoff flags ehsize "
               "phentsize phnum shentsize shnum shstrndx").split()
PHDR_FIELDS = "type flags offset vaddr paddr filesz memsz align".split()
PT_LOAD = 1
EM_X86_64 = 62
EM_386 = 3
PAGE = 0x1000
USER_TOP = 0x7fffffffffff   # span end + 8 KiB (IPC buffer, bootinfo) must stay below
MASK64 = (1 << 64) - 1


class Reject(Exception):
    """The model refuses an image; .key names the rule (stable, for cases)."""

    def __init__(self, key, why):
        super().__init__(why)
        self.key = key


class Elf:
    """An ELF64 image as header fields, program headers and the raw bytes."""

    def __init__(self, data):
        self.data = bytearray(data)
        self.eh = dict(zip(EHDR_FIELDS, EHDR.unpack_from(self.data, 0)))
        self.ph = [dict(zip(PHDR_FIELDS, PHDR.unpack_from(self.data, self.phoff(i))))
                   for i in range(self.eh["phnum"])]

    def phoff(self, i):
        return self.eh["phoff"] + i * self.eh["phentsize"]

    def loads(self):
        """Indices of the PT_LOAD headers with contents, in file order."""
        return [i for i, p in enumerate(self.ph) if p["type"] == PT_LOAD and p["memsz"]]

    def pack(self):
        """The bytes, with the header fields and program headers written back."""
        out = bytearray(self.data)
        EHDR.pack_into(out, 0, *(self.eh[f] for f in EHDR_FIELDS))
        for i, p in enumerate(self.ph):
            PHDR.pack_into(out, self.phoff(i), *(p[f] & MASK64 for f in PHDR_FIELDS))
        return bytes(out)


def check(data, ram_limit=None):
    """Apply the kernel's root task rules; return (lo, hi, entry) or raise Reject.

    ram_limit (bytes), if given, also rejects a longer span: one the machine
    cannot hold, or whose frame caps cannot fit in the root CNode."""
    if len(data) < EHDR.size or data[:4] != b"\x7fELF":
        raise Reject("magic", "no ELF magic or shorter than the ELF header")
    if data[4] != 2:
        raise Reject("class", "not ELFCLASS64")
    if data[5] != 1:
        raise Reject("data", "not little-endian")
    eh = dict(zip(EHDR_FIELDS, EHDR.unpack_from(data, 0)))
    if eh["machine"] != EM_X86_64:
        raise Reject("machine", "e_machine is not EM_X86_64")
    if eh["phentsize"] < PHDR.size or eh["phnum"] == 0:
        raise Reject("phdrs", "no usable program headers (e_phnum 0 or e_phentsize < 56)")
    if eh["phoff"] > len(data) or eh["phnum"] * eh["phentsize"] > len(data) - eh["phoff"]:
        raise Reject("phdrs_truncated", "program headers run past the end of the file")
    lo, hi, loads = None, 0, []
    for i in range(eh["phnum"]):
        p = dict(zip(PHDR_FIELDS, PHDR.unpack_from(data, eh["phoff"] + i * eh["phentsize"])))
        if not p["memsz"]:
            continue
        _check_segment(p, len(data))
        lo = p["vaddr"] if lo is None else min(lo, p["vaddr"])
        hi = max(hi, p["vaddr"] + p["memsz"])
        if p["type"] == PT_LOAD:
            loads.append((p["vaddr"], p["vaddr"] + p["memsz"]))
    if lo is None:
        raise Reject("no_segments", "no segment with p_memsz > 0")
    if lo % PAGE:
        raise Reject("unaligned", "lowest p_vaddr 0x%x not 4 KiB aligned" % lo)
    if not lo <= eh["entry"] < hi:
        raise Reject("entry", "entry 0x%x outside [0x%x, 0x%x)" % (eh["entry"], lo, hi))
    hi = (hi + PAGE - 1) & ~(PAGE - 1)
    if hi + 2 * PAGE > USER_TOP:
        raise Reject("too_high", "image end 0x%x leaves no room below 0x%x" % (hi, USER_TOP))
    for a in range(len(loads)):
        for b in range(a + 1, len(loads)):
            if loads[a][0] < loads[b][1] and loads[b][0] < loads[a][1]:
                raise Reject("overlap", "PT_LOAD segments overlap")
    if ram_limit is not None and hi - lo > ram_limit:
        raise Reject("too_big", "image of 0x%x bytes exceeds RAM" % (hi - lo))
    return lo, hi, eh["entry"]


def _check_segment(p, size):
    if p["filesz"] > p["memsz"]:
        raise Reject("filesz", "p_filesz > p_memsz")
    if p["offset"] > size or p["filesz"] > size - p["offset"]:
        raise Reject("outside_file", "segment file data runs past the end of the file")
    if p["vaddr"] > USER_TOP or p["memsz"] > USER_TOP - p["vaddr"]:
        raise Reject("outside_user", "segment outside the user address range")


# ---- broken images ---------------------------------------------------------
#
# Each generator takes the valid image (bytes) and a random.Random and returns
# the broken image. BAD_IMAGES maps a stable case name to (generator, the
# model's Reject keys that prove the defect, what the case is about).

def _edit(base, fn):
    elf = Elf(base)
    fn(elf)
    return elf.pack()


def _set_eh(base, **fields):
    """The image with ELF header fields replaced, program headers untouched."""
    eh = dict(zip(EHDR_FIELDS, EHDR.unpack_from(base, 0)), **fields)
    out = bytearray(base)
    EHDR.pack_into(out, 0, *(eh[f] for f in EHDR_FIELDS))
    return bytes(out)


def _first_load(elf):
    return elf.ph[elf.loads()[0]]


def _last_load(elf):
    return elf.ph[elf.loads()[-1]]


def _file_load(elf):
    """The PT_LOAD with the most file data (where truncation bites)."""
    return max((elf.ph[i] for i in elf.loads()), key=lambda p: p["filesz"])


def _with_extra_phdr(base, extra):
    """The image with one more program header: the table is copied to the end
    of the file (8-aligned) with `extra` appended."""
    elf = Elf(base)
    at = (len(elf.data) + 7) & ~7
    elf.data += bytes(at - len(elf.data) + (len(elf.ph) + 1) * PHDR.size)
    elf.eh.update(phoff=at, phentsize=PHDR.size, phnum=len(elf.ph) + 1)
    elf.ph.append(dict(dict.fromkeys(PHDR_FIELDS, 0), **extra))
    return elf.pack()


def gen_garbage(base, rng):
    return bytes(rng.getrandbits(8) for _ in range(64 * 1024))


def gen_empty(base, rng):
    return b""


def gen_trunc_ehdr(base, rng):
    return base[:40]


def gen_trunc_phdrs(base, rng):
    elf = Elf(base)
    return base[:elf.phoff(len(elf.ph) - 1) + 20]


def gen_trunc_segment(base, rng):
    p = _file_load(Elf(base))
    return base[:p["offset"] + p["filesz"] // 2]


def gen_class32(base, rng):
    return base[:4] + b"\x01" + base[5:]


def gen_elf32_i386(base, rng):
    """A genuine little ELF32 i386 executable, built from scratch."""
    code = b"\xf4\xeb\xfd"  # hlt; jmp .-1
    eh = struct.pack("<16sHHIIIIIHHHHHH", b"\x7fELF\x01\x01\x01" + bytes(9), 2, EM_386, 1,
                     0x400054, 52, 0, 0, 52, 32, 1, 40, 0, 0)
    ph = struct.pack("<IIIIIIII", PT_LOAD, 0, 0x400000, 0x400000, 84 + len(code),
                     84 + len(code), 5, PAGE)
    return eh + ph + code


def gen_machine(base, rng):
    return _set_eh(base, machine=EM_386)


def gen_bigendian(base, rng):
    return base[:5] + b"\x02" + base[6:]


def gen_overlap(base, rng):
    def fn(elf):
        a, b = elf.ph[elf.loads()[0]], elf.ph[elf.loads()[1]]
        b["vaddr"] = b["paddr"] = a["vaddr"] + (a["memsz"] & ~(PAGE - 1)) - PAGE
    return _edit(base, fn)


def gen_overlap_extra(base, rng):
    """A third PT_LOAD, appended, covering the middle of the first."""
    a = _first_load(Elf(base))
    return _with_extra_phdr(base, dict(type=PT_LOAD, flags=6, offset=0, vaddr=a["vaddr"] + PAGE,
                                       filesz=0, memsz=PAGE, align=PAGE))


def gen_offset_past_end(base, rng):
    def fn(elf):
        p = _file_load(elf)
        p["offset"] = len(elf.data) - p["filesz"] // 2
    return _edit(base, fn)


def gen_filesz_gt_memsz(base, rng):
    def fn(elf):
        p = _first_load(elf)
        p["filesz"], p["memsz"] = p["memsz"], p["memsz"] // 2
    return _edit(base, fn)


def gen_vaddr_unaligned(base, rng):
    def fn(elf):
        p = _first_load(elf)
        p["vaddr"] += 0x10
        p["paddr"] += 0x10
    return _edit(base, fn)


def gen_entry_above(base, rng):
    def fn(elf):
        p = _last_load(elf)
        elf.eh["entry"] = p["vaddr"] + p["memsz"] + 0x100
    return _edit(base, fn)


def gen_entry_below(base, rng):
    return _edit(base, lambda e: e.eh.update(entry=_first_load(e)["vaddr"] - 0x100))


def gen_above_user_top(base, rng):
    """The last PT_LOAD straddles 0x7fffffffffff."""
    def fn(elf):
        p = _last_load(elf)
        p["vaddr"] = p["paddr"] = 0x7fffffffe000
        p["memsz"] = max(p["memsz"], 0x4000)
    return _edit(base, fn)


def gen_no_room_for_bootinfo(base, rng):
    """The image ends 4 KiB below the top: the IPC buffer and bootinfo frames
    would not fit (spec §19.5: span end + 8 KiB <= 0x7fffffffffff)."""
    def fn(elf):
        p = _last_load(elf)
        p["memsz"] = max(p["memsz"], p["filesz"], PAGE)
        p["vaddr"] = p["paddr"] = 0x7ffffffff000 - ((p["memsz"] + PAGE - 1) & ~(PAGE - 1))
    return _edit(base, fn)


def gen_kernel_half(base, rng):
    def fn(elf):
        p = _last_load(elf)
        p["vaddr"] = p["paddr"] = 0xffffffff80000000
    return _edit(base, fn)


def gen_vaddr_wraps(base, rng):
    """vaddr + memsz wraps around 2^64."""
    def fn(elf):
        p = _last_load(elf)
        p["memsz"] = MASK64 - p["vaddr"] + 0x2000
    return _edit(base, fn)


def gen_huge_memsz(base, rng):
    return _edit(base, lambda e: _last_load(e).update(memsz=1 << 40))


def gen_too_many_frames(base, rng):
    """20 MiB of BSS: fits in RAM, but 5120 frame caps do not fit in the
    2^12-slot root CNode (spec §20.3)."""
    return _edit(base, lambda e: _last_load(e).update(memsz=20 << 20))


def gen_sparse(base, rng):
    """Two small segments 1 TiB apart: the span, not the contents, is huge."""
    a = _first_load(Elf(base))
    return _with_extra_phdr(base, dict(type=PT_LOAD, flags=6, offset=0,
                                       vaddr=a["vaddr"] + (1 << 40), filesz=0, memsz=PAGE,
                                       align=PAGE))


def gen_no_phdrs(base, rng):
    return _set_eh(base, phnum=0)


def gen_phentsize_small(base, rng):
    return _set_eh(base, phentsize=32)


def gen_phentsize_zero(base, rng):
    return _set_eh(base, phentsize=0)


def gen_phoff_huge(base, rng):
    return _set_eh(base, phoff=MASK64 - 7)


def gen_phnum_max(base, rng):
    return _set_eh(base, phnum=0xffff)


def gen_no_segments(base, rng):
    def fn(elf):
        for p in elf.ph:
            p["memsz"] = p["filesz"] = 0
    return _edit(base, fn)


BAD_IMAGES = {
    "elf_garbage": (gen_garbage, {"magic"}, "64 KiB of random bytes"),
    "elf_empty": (gen_empty, {"magic"}, "an empty module"),
    "elf_trunc_ehdr": (gen_trunc_ehdr, {"magic"}, "cut inside the ELF header"),
    "elf_trunc_phdrs": (gen_trunc_phdrs, {"phdrs_truncated"}, "cut inside the program headers"),
    "elf_trunc_segment": (gen_trunc_segment, {"outside_file"}, "cut inside a segment's data"),
    "elf_class32": (gen_class32, {"class"}, "EI_CLASS = ELFCLASS32"),
    "elf32_i386": (gen_elf32_i386, {"class"}, "a real ELF32 i386 executable"),
    "elf_machine": (gen_machine, {"machine"}, "e_machine = EM_386"),
    "elf_bigendian": (gen_bigendian, {"data"}, "EI_DATA = ELFDATA2MSB"),
    "elf_overlap": (gen_overlap, {"overlap"}, "the second PT_LOAD moved onto the first"),
    "elf_overlap_extra": (gen_overlap_extra, {"overlap"}, "an extra PT_LOAD inside the first"),
    "elf_offset_past_end": (gen_offset_past_end, {"outside_file"},
                            "p_offset + p_filesz past the end of the file"),
    "elf_filesz_gt_memsz": (gen_filesz_gt_memsz, {"filesz"}, "p_filesz > p_memsz"),
    "elf_vaddr_unaligned": (gen_vaddr_unaligned, {"unaligned"}, "lowest p_vaddr = 0x400010"),
    "elf_entry_above": (gen_entry_above, {"entry"}, "entry past the image end"),
    "elf_entry_below": (gen_entry_below, {"entry"}, "entry below the image"),
    "elf_above_user_top": (gen_above_user_top, {"outside_user"},
                           "a segment reaching above 0x7fffffffffff"),
    "elf_no_room_for_bootinfo": (gen_no_room_for_bootinfo, {"too_high"},
                                 "image ends 4 KiB below 0x7fffffffffff"),
    "elf_kernel_half": (gen_kernel_half, {"outside_user"}, "a segment at 0xffffffff80000000"),
    "elf_vaddr_wraps": (gen_vaddr_wraps, {"outside_user"}, "p_vaddr + p_memsz wraps 2^64"),
    "elf_huge_memsz": (gen_huge_memsz, {"too_big"}, "p_memsz = 2^40"),
    "elf_too_many_frames": (gen_too_many_frames, {"too_big"},
                            "p_memsz = 20 MiB: more frames than root CNode slots"),
    "elf_sparse": (gen_sparse, {"too_big"}, "a second PT_LOAD 1 TiB above the first"),
    "elf_no_phdrs": (gen_no_phdrs, {"phdrs"}, "e_phnum = 0"),
    "elf_phentsize_small": (gen_phentsize_small, {"phdrs"}, "e_phentsize = 32"),
    "elf_phentsize_zero": (gen_phentsize_zero, {"phdrs"}, "e_phentsize = 0"),
    "elf_phoff_huge": (gen_phoff_huge, {"phdrs_truncated"}, "e_phoff = 2^64 - 8"),
    "elf_phnum_max": (gen_phnum_max, {"phdrs_truncated"}, "e_phnum = 65535"),
    "elf_no_segments": (gen_no_segments, {"no_segments"}, "every p_memsz = 0"),
}


def mutate(base, seed, index, ram_limit, attempts=500):
    """Seeded mutation `index`: 1-4 random byte flips in the ELF header or the
    program headers, retried until the model rejects the result (a flip in
    e.g. e_shoff changes nothing). Returns (image, description, reject key)."""
    rng = random.Random("%d/%d" % (seed, index))
    elf = Elf(base)
    end = elf.phoff(len(elf.ph))
    targets = list(range(EHDR.size)) + list(range(elf.eh["phoff"], end))
    for _ in range(attempts):
        data = bytearray(base)
        flips = []
        for _ in range(rng.randint(1, 4)):
            at = rng.choice(targets)
            x = rng.randint(1, 255)
            data[at] ^= x
            flips.append("0x%x^=0x%02x" % (at, x))
        try:
            check(bytes(data), ram_limit)
        except Reject as r:
            return bytes(data), " ".join(flips), r.key
    raise RuntimeError("no rejected mutation after %d attempts" % attempts)
