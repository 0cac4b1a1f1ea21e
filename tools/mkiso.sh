#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Builds the bootable BIOS ISO: GRUB (grub-mkrescue, i386-pc only) loading the
# 64-bit kernel with multiboot 2 and the root task as the first module.
# A 2 MiB zero module follows the root task: the kernel requires every module
# to end above the kernel image, and GRUB may place a small root task in a gap
# below it (sel4-abi.md §19.5, §22.4); the padding module's end lies above.
# Usage: tools/mkiso.sh OUT.iso STAGING_DIR KERNEL.elf ROOTTASK.elf
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 OUT.iso STAGING_DIR KERNEL.elf ROOTTASK.elf" >&2
    exit 2
fi
out=$1 staging=$2 kernel=$3 roottask=$4

for f in "$kernel" "$roottask"; do
    [ -f "$f" ] || { echo "error: $f is missing" >&2; exit 1; }
done
grub_dir=/usr/lib/grub/i386-pc
if ! command -v grub-mkrescue >/dev/null || [ ! -d "$grub_dir" ]; then
    echo "error: grub-mkrescue or $grub_dir missing (run tools/deps.sh)" >&2
    exit 1
fi

rm -rf "$staging"
mkdir -p "$staging/boot/grub"
cp "$kernel" "$staging/boot/kernel.elf"
cp "$roottask" "$staging/boot/roottask.elf"
head -c $((2 * 1024 * 1024)) /dev/zero > "$staging/boot/pad.bin"
cat > "$staging/boot/grub/grub.cfg" <<'CFG'
set timeout=0
set default=0
menuentry "Nereid" {
    multiboot2 /boot/kernel.elf
    module2 /boot/roottask.elf roottask
    module2 /boot/pad.bin pad
    boot
}
CFG

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! grub-mkrescue -d "$grub_dir" -o "$out" "$staging" >"$log" 2>&1; then
    cat "$log" >&2
    echo "error: grub-mkrescue failed" >&2
    exit 1
fi
