#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# mkarchive.py: packs the system archive, the files ntos serves under
# \SystemRoot (ntdll.dll, native programs, later drivers and the hive), into
# one image that ntos links into its ELF (.incbin) and reads with
# ntos/ke/archive.c. Python 3 standard library only.
#
#   mkarchive.py -o build/ntos/archive.bin ntdll.dll=build/ntdll/ntdll.dll \
#       build/base/hello.exe ...      (NAME=PATH, or PATH: the name is its basename)
#   mkarchive.py --list build/ntos/archive.bin
#
# Format (all integers little-endian; version "01" of the magic):
#
#   offset 0   char  Magic[8]     "NRDARC01"
#   offset 8   u32   Count        number of directory entries
#   offset 12  u32   Reserved     0 (an archive with Count 0 may end before it)
#   offset 16  Count entries of 64 bytes each:
#                char Name[48]    ASCII, NUL-terminated and NUL-padded (at most
#                                 47 characters, no path separators); names are
#                                 unique ignoring ASCII case, and entries are
#                                 sorted by the lower-cased name
#                u64  Offset      of the file's data from the archive start
#                u64  Size        of the file's data in bytes
#   then the data of each file, in directory order, each starting at a
#   multiple of 4096 (so a reader may share the pages), padded with zeros.
#
# Readers look names up case-insensitively. The image is deterministic: the
# same inputs give the same bytes.

import argparse
import os
import struct
import sys

MAGIC = b"NRDARC01"
HEADER = struct.Struct("<8sII")
ENTRY = struct.Struct("<48sQQ")
NAME_MAX = 47
ALIGN = 4096


class ArchiveError(Exception):
    pass


def _align(n):
    return (n + ALIGN - 1) // ALIGN * ALIGN


def check_name(name):
    if not name or len(name) > NAME_MAX:
        raise ArchiveError("%r: a name has 1 to %d characters" % (name, NAME_MAX))
    if any(c in name for c in "\\/\0") or not name.isascii() or not name.isprintable():
        raise ArchiveError("%r: names are printable ASCII without path separators" % name)


def build(files):
    """files: list of (name, bytes). Returns the archive image."""
    seen = set()
    for name, _ in files:
        check_name(name)
        if name.lower() in seen:
            raise ArchiveError("%r: duplicate name (names ignore case)" % name)
        seen.add(name.lower())
    files = sorted(files, key=lambda f: f[0].lower())
    offset = _align(HEADER.size + ENTRY.size * len(files))
    directory, layout = [], []
    for name, data in files:
        directory.append(ENTRY.pack(name.encode("ascii"), offset, len(data)))
        layout.append((offset, data))
        offset = _align(offset + len(data))
    image = bytearray(HEADER.pack(MAGIC, len(files), 0) + b"".join(directory))
    for start, data in layout:
        image += bytes(start - len(image)) + data
    return bytes(image)


def parse(image):
    """Returns a list of (name, offset, bytes), checking every field."""
    if len(image) < 12 or image[:8] != MAGIC:
        raise ArchiveError("not an archive (magic)")
    count = struct.unpack_from("<I", image, 8)[0]
    if count == 0:
        return []
    if HEADER.size + ENTRY.size * count > len(image):
        raise ArchiveError("directory of %d entries runs past the end" % count)
    entries = []
    for i in range(count):
        raw, offset, size = ENTRY.unpack_from(image, HEADER.size + ENTRY.size * i)
        name = raw.split(b"\0", 1)[0].decode("ascii")
        check_name(name)
        if offset % ALIGN or offset + size > len(image):
            raise ArchiveError("%s: bad offset/size %#x/%#x" % (name, offset, size))
        entries.append((name, offset, image[offset:offset + size]))
    return entries


def main():
    ap = argparse.ArgumentParser(description="Pack or list Nereid's system archive.")
    ap.add_argument("-o", "--output", help="archive to write")
    ap.add_argument("--list", metavar="ARCHIVE", help="print the entries of an archive")
    ap.add_argument("files", nargs="*", help="NAME=PATH or PATH")
    a = ap.parse_args()
    try:
        if a.list:
            with open(a.list, "rb") as f:
                for name, offset, data in parse(f.read()):
                    print("%-47s %#10x %10d" % (name, offset, len(data)))
            return 0
        if not a.output:
            ap.error("-o is required to pack")
        files = []
        for spec in a.files:
            name, sep, path = spec.partition("=")
            if not sep:
                name, path = os.path.basename(spec), spec
            with open(path, "rb") as f:
                files.append((name, f.read()))
        image = build(files)
    except (ArchiveError, OSError) as e:
        print("mkarchive: %s" % e, file=sys.stderr)
        return 1
    tmp = a.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(image)
    os.replace(tmp, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
