#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Makes sure the Debian packages the build and the tests need are installed.
# Silent when everything is present; otherwise installs the missing ones with
# apt-get (as root, or through sudo), running `apt-get update` first.
set -euo pipefail

packages=(make gcc binutils python3 qemu-system-x86 gcc-mingw-w64-x86-64 grub-pc-bin
          grub-common xorriso mtools dosfstools clang-format
          console-setup-linux) # console-setup-linux: the PSF font of drivers/video/console

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "error: missing packages (${missing[*]}) and not root; install them as root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
