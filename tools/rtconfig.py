#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Writes a configuration string into a root task image. seL4 passes the root
# task neither the kernel command line nor other boot modules, so parameters
# such as the fuzz seed travel inside the ELF: tests/kernel/lib/config.c
# reserves a 256-byte block starting with the magic "NEREID-CONFIG-V1"; this
# tool copies the image and stores a NUL-terminated `key=value ...` string in
# the 240 bytes after the magic.
# Usage: tools/rtconfig.py IN.elf OUT.elf 'seed=1 iterations=1000'

import sys

MAGIC = b"NEREID-CONFIG-V1"
BLOCK = 256


def patch(src, dst, config):
    """Copy src to dst with config stored in its configuration block."""
    data = bytearray(open(src, "rb").read())
    at = data.find(MAGIC)
    if at < 0:
        raise SystemExit("rtconfig: %s has no configuration block "
                         "(not linked with tests/kernel/lib?)" % src)
    if data.find(MAGIC, at + 1) >= 0:
        raise SystemExit("rtconfig: %s has more than one configuration block" % src)
    value = config.encode("ascii")
    room = BLOCK - len(MAGIC) - 1
    if len(value) > room:
        raise SystemExit("rtconfig: configuration longer than %d bytes" % room)
    start = at + len(MAGIC)
    data[start:start + room + 1] = value + b"\0" * (room + 1 - len(value))
    with open(dst, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: rtconfig.py IN.elf OUT.elf 'key=value ...'")
    patch(sys.argv[1], sys.argv[2], sys.argv[3])
