# SPDX-License-Identifier: BSD-2-Clause
#
# GRUB ISO variants for the kernel-boot suite. tools/mkiso.sh builds the one
# ISO that `make iso` ships (multiboot 2, root task plus a 2 MiB padding
# module); the suite also needs the 64-bit kernel loaded with GRUB's
# `multiboot` (multiboot 1) command, layouts without the padding module (so
# that the root task may land below the end of the kernel image, spec §19.5),
# a kernel command line, and no module at all. This file owns those
# grub.cfg variants and builds each ISO with grub-mkrescue in its own
# staging folder (safe to run in parallel).

import os
import shutil
import subprocess

GRUB_DIR = "/usr/lib/grub/i386-pc"
PAD_BYTES = 2 * 1024 * 1024

# name: (kernel command, module command, kernel command line, modules)
# modules: "roottask" and/or "pad", in load order.
VARIANTS = {
    "mb1": ("multiboot", "module", "", ("roottask", "pad")),
    "mb1-nopad": ("multiboot", "module", "", ("roottask",)),
    "mb2-nopad": ("multiboot2", "module2", "", ("roottask",)),
    "mb2-cmdline": ("multiboot2", "module2", "debug_port=0x3f8 console_port=0x3f8",
                    ("roottask", "pad")),
    "mb2-nomodule": ("multiboot2", "module2", "", ()),
}


def grub_cfg(variant):
    kcmd, mcmd, cmdline, modules = VARIANTS[variant]
    lines = ["set timeout=0", "set default=0", 'menuentry "Nereid %s" {' % variant,
             ("    %s /boot/kernel.elf %s" % (kcmd, cmdline)).rstrip()]
    lines += ["    %s /boot/%s.bin %s" % (mcmd, m, m) for m in modules]
    lines += ["    boot", "}", ""]
    return "\n".join(lines)


def available():
    """None if grub-mkrescue can build BIOS ISOs here, else why not."""
    if not shutil.which("grub-mkrescue") or not os.path.isdir(GRUB_DIR):
        return "grub-mkrescue or %s missing (run tools/deps.sh)" % GRUB_DIR
    return None


def build(variant, kernel, roottask, out_dir):
    """Build out_dir/<variant>.iso; return its path. Raises RuntimeError."""
    staging = os.path.join(out_dir, "iso-" + variant)
    iso = os.path.join(out_dir, variant + ".iso")
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(os.path.join(staging, "boot", "grub"))
    shutil.copyfile(kernel, os.path.join(staging, "boot", "kernel.elf"))
    shutil.copyfile(roottask, os.path.join(staging, "boot", "roottask.bin"))
    with open(os.path.join(staging, "boot", "pad.bin"), "wb") as f:
        f.truncate(PAD_BYTES)
    with open(os.path.join(staging, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(grub_cfg(variant))
    p = subprocess.run(["grub-mkrescue", "-d", GRUB_DIR, "-o", iso, staging],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    if p.returncode != 0:
        tail = p.stdout.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError("grub-mkrescue failed: %s" % " | ".join(tail))
    return iso
