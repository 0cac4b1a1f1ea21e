# SPDX-License-Identifier: BSD-2-Clause
#
# tests/compat/build.mk: native programs linked against stock mingw-w64's
# libntdll.a (tests/compat/README.md), one per folder, into
# build/tests/compat/<name>.exe. Included from tests/host/ntdll/build.mk.

COMPAT_CC := x86_64-w64-mingw32-gcc
COMPAT_OUT := $(BUILD)/tests/compat
COMPAT_PROGRAMS := $(sort $(patsubst tests/compat/%/,%,$(dir $(wildcard tests/compat/*/*.c))))
COMPAT_EXES := $(patsubst %,$(COMPAT_OUT)/%.exe,$(COMPAT_PROGRAMS))
COMPAT_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-stack-protector -Wall -Wextra -Werror
COMPAT_LDFLAGS := -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,-e,NtProcessStartup \
    -Wl,--image-base,0x140000000 -Wl,--no-insert-timestamp

# $(call compat_program,NAME): the rule of build/tests/compat/NAME.exe.
define compat_program
$$(COMPAT_OUT)/$(1).exe: $$(wildcard tests/compat/$(1)/*.c)
	@mkdir -p $$(@D)
	$$(Q)$$(COMPAT_CC) $$(COMPAT_CFLAGS) $$(COMPAT_LDFLAGS) -o $$@ $$^ -lntdll -lgcc
	@echo "  LD      $$@"
endef
$(foreach p,$(COMPAT_PROGRAMS),$(eval $(call compat_program,$(p))))
