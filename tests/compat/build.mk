# SPDX-License-Identifier: BSD-2-Clause
#
# tests/compat/build.mk: native programs linked against stock mingw-w64's
# libntdll.a (tests/compat/README.md), one per folder, into
# build/tests/compat/<name>.exe, and the suite `compat`. Included from
# tests/host/ntdll/build.mk. A program whose sources include lib/compat.h
# is linked with lib/*.c (the checks and the C routines), and it is a case
# of the suite: tests/compat/run.py boots the ntos image the nt-loader
# build makes for every program here (build/tests/system/nt-loader/
# ntos-<name>.elf, first program <name>.exe) and passes on the protocol
# lines the program prints.

COMPAT_CC := x86_64-w64-mingw32-gcc
COMPAT_OUT := $(BUILD)/tests/compat
COMPAT_PROGRAMS := $(sort $(patsubst tests/compat/%/,%,$(dir $(wildcard tests/compat/*/*.c))))
COMPAT_PROGRAMS := $(filter-out lib,$(COMPAT_PROGRAMS))
COMPAT_EXES := $(patsubst %,$(COMPAT_OUT)/%.exe,$(COMPAT_PROGRAMS))
COMPAT_LIB_SRCS := $(wildcard tests/compat/lib/*.c)
# Only the stock headers: no -I of the project. -Wno-array-bounds: gcc 12
# misreads the gs-relative __readgsqword that winnt.h's NtCurrentTeb() is.
COMPAT_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-stack-protector -Wall -Wextra -Werror \
    -Wno-array-bounds
# The DDK headers include each other by bare name: driver builds put the
# ddk folder of mingw-w64's headers on the include path; so do we.
COMPAT_DDK_DIR := $(firstword $(wildcard /usr/share/mingw-w64/include/ddk \
    /usr/x86_64-w64-mingw32/include/ddk))
COMPAT_CFLAGS += $(if $(COMPAT_DDK_DIR),-idirafter $(COMPAT_DDK_DIR))
COMPAT_LDFLAGS := -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,-e,NtProcessStartup \
    -Wl,--image-base,0x140000000 -Wl,--no-insert-timestamp

# $(call compat_uses_lib,NAME): non-empty if the program includes lib/compat.h.
compat_uses_lib = $(shell grep -l 'lib/compat\.h' tests/compat/$(1)/*.c 2>/dev/null)
COMPAT_SUITE_PROGRAMS := $(foreach p,$(COMPAT_PROGRAMS),$(if $(call compat_uses_lib,$(p)),$(p)))

# $(call compat_program,NAME): the rule of build/tests/compat/NAME.exe.
define compat_program
$$(COMPAT_OUT)/$(1).exe: $$(wildcard tests/compat/$(1)/*.c) \
    $$(if $$(call compat_uses_lib,$(1)),$$(COMPAT_LIB_SRCS) tests/compat/lib/compat.h)
	@mkdir -p $$(@D)
	$$(Q)$$(COMPAT_CC) $$(COMPAT_CFLAGS) $$(COMPAT_LDFLAGS) -o $$@ $$(filter %.c,$$^) -lntdll -lgcc
	@echo "  LD      $$@"
endef
$(foreach p,$(COMPAT_PROGRAMS),$(eval $(call compat_program,$(p))))

# Drivers: tests/compat/<program>/sys/<name>.c becomes build/tests/compat/<name>.sys,
# built with exactly the commands of spec/nt-abi.md §1.1 (the ddk headers,
# mingw-w64's own libntoskrnl.a and libhal.a, no Nereid header or library).
# They go into the nt-loader archive with the runtime ntoskrnl.exe
# (COMPAT_ARCHIVE_EXTRA), so the program can NtLoadDriver them.
COMPAT_DDK := /usr/share/mingw-w64/include/ddk
COMPAT_DRIVER_SRCS := $(wildcard tests/compat/*/sys/*.c)
COMPAT_DRIVERS := $(patsubst %.c,$(COMPAT_OUT)/%.sys,$(notdir $(COMPAT_DRIVER_SRCS)))
define compat_driver
$$(COMPAT_OUT)/$(basename $(notdir $(1))).sys: $(1) $$(wildcard $(dir $(1))../*.h)
	@mkdir -p $$(@D)
	$$(Q)$$(COMPAT_CC) -O2 -Wall -I$$(COMPAT_DDK) -c $(1) -o $$(@:.sys=.o)
	$$(Q)$$(COMPAT_CC) -shared -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,-e,DriverEntry \
	    -Wl,--image-base,0x140000000 $$(@:.sys=.o) -lntoskrnl -lhal -o $$@
	@echo "  LD      $$@"
endef
$(foreach s,$(COMPAT_DRIVER_SRCS),$(eval $(call compat_driver,$(s))))
COMPAT_ARCHIVE_EXTRA = $(COMPAT_DRIVERS) $(if $(COMPAT_DRIVERS),$(NTOSKRNL_EXE))

# The suite: the images come from tests/system/nt-loader/build.mk (defined
# later, hence the deferred variables).
COMPAT_ELFS = $(patsubst %,$(NT_LOADER_OUT)/ntos-%.elf,$(COMPAT_SUITE_PROGRAMS))
COMPAT_CMD = $(PYTHON) tests/compat/run.py --kernel $(KERNEL32_ELF) --images $(NT_LOADER_OUT) \
    --timeout 120 $(COMPAT_SUITE_PROGRAMS)

TEST_SUITES += compat
compat_DEPS = $(KERNEL32_ELF) $(COMPAT_ELFS)
compat_ARGS = --cmd '$(COMPAT_CMD)' --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-compat
test-compat: $(KERNEL32_ELF) $(COMPAT_ELFS)
	@$(COMPAT_CMD)
