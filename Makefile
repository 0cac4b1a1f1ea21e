# SPDX-License-Identifier: BSD-2-Clause
#
# Nereid's one, non-recursive build. This file owns the user-facing targets
# (all, run, test, bench, fuzz, iso, clean, format-check), the shared
# variables and helpers, and the list of test suites; each component adds its
# own rules from <component>/build.mk. Outputs go under build/, mirroring the
# source tree. See README.md for the targets and docs/testing.md for how a
# component registers a test suite.

.DEFAULT_GOAL := all
SHELL := /bin/bash
.DELETE_ON_ERROR:
.SUFFIXES:

BUILD := build
PYTHON ?= python3
CC := gcc
LD := ld
OBJCOPY := objcopy
CLANG_FORMAT ?= clang-format
GRUB_MKRESCUE ?= grub-mkrescue

# V=1 shows the commands.
ifeq ($(V),1)
Q :=
ECHO_CC := true
else
Q := @
ECHO_CC = echo "  CC      $@"
endif

# $(call rwildcard,DIR,PATTERN): files under DIR (recursively) matching PATTERN.
rwildcard = $(foreach d,$(wildcard $(1:=/*)),$(call rwildcard,$d,$2) $(filter $(subst *,%,$2),$d))

# ---- parameters of the test targets ------------------------------------------

KERNEL_TEST_TIMEOUT ?= 300
FUZZ_TEST_SEED ?= 1
FUZZ_TEST_ITERATIONS ?= 100000
FUZZ_TEST_TIMEOUT ?= 300
FUZZ_SEED ?= 1
FUZZ_ITERATIONS ?= 2000000
FUZZ_TIMEOUT ?= 3600
BENCH_TIMEOUT ?= 600

# ---- components ---------------------------------------------------------------

-include libsel4/build.mk

# libsel4/build.mk defines these; the fallbacks keep the contract of
# docs/layout.md and turn a missing generator into a clear error.
LIBSEL4_INC ?= -I$(BUILD)/libsel4/include
ifeq ($(wildcard libsel4/build.mk),)
LIBSEL4_HEADERS := $(BUILD)/libsel4/include/sel4/sel4.h
$(BUILD)/libsel4/include/sel4/sel4.h:
	@echo "error: libsel4/build.mk is missing, so the libsel4 headers cannot be generated" >&2
	@exit 1
endif

# ntdll and the native programs come before ntos: base/build.mk defines the
# system archive that ntos/build.mk links in (NTOS_ARCHIVE, NTOS_ARCHIVE_RULE).
-include ntdll/build.mk
# The driver runtime and the drivers add to the archive (NTOS_ARCHIVE_EXTRA).
-include ntoskrnl/build.mk
-include drivers/build.mk
-include base/build.mk

include kernel/build.mk
include tests/kernel/build.mk
-include tests/host/build.mk
-include tests/boot/build.mk
-include ntos/build.mk
# End-to-end: ntos images that start hello.exe, the loader's cases and
# smss.exe (need NTOS_ELF, so after ntos/build.mk).
-include tests/system/nt-boot/build.mk
-include tests/system/nt-loader/build.mk
# shell branch: smss + ntcmd booted whole (suite system).
-include tests/system/system/build.mk
# iocomp branch: NtShutdownSystem's power-off, reset and halt (suite nt-shutdown).
-include tests/system/nt-shutdown/build.mk
-include base/ntfuzz/build.mk
# iofuzz branch: random I/O requests against every driver (suite io-fuzz).
-include base/iofuzz/build.mk
-include base/ntapitest/build.mk
-include base/ntbench/build.mk

# ---- suites defined here ---------------------------------------------------------

# testrun.py's own test: a fake suite that passes, fails, crashes and hangs.
TEST_SUITES := harness $(filter-out harness,$(TEST_SUITES))
harness_DEPS :=
harness_ARGS := --cmd '$(PYTHON) tests/host/harness/selftest.py'

SUITES ?= $(TEST_SUITES)

# ---- targets ------------------------------------------------------------------------

.PHONY: run-demo all deps run test test-inputs bench fuzz iso clean format-check

all: $(KERNEL_ELF) $(KERNEL32_ELF) $(ROOTTASK_ELFS)

deps:
	@tools/deps.sh

DEMO_ELF := $(BUILD)/tests/kernel/demo.elf
BENCH_ELF := $(BUILD)/tests/kernel/bench.elf
FUZZ_ELF := $(BUILD)/tests/kernel/fuzz.elf

# `make run` boots the NT Executive, which starts smss.exe from its system
# archive; `make run-demo` boots the kernel's demonstration root task.
run: deps
	@$(MAKE) --no-print-directory $(KERNEL32_ELF) build/ntos/ntos.elf
	$(PYTHON) tools/qemu.py --interactive --module build/ntos/ntos.elf

run-demo: deps
	@$(MAKE) --no-print-directory $(KERNEL32_ELF) $(DEMO_ELF)
	$(PYTHON) tools/qemu.py --interactive --module $(DEMO_ELF)

test-inputs: $(foreach s,$(SUITES),$($(s)_DEPS))

# Every suite runs even if an earlier one failed; the summary is the last line.
test: deps
	@$(MAKE) --no-print-directory test-inputs
	@rm -rf $(BUILD)/test-results && mkdir -p $(BUILD)/test-results
	@$(foreach s,$(SUITES),$(PYTHON) tools/testrun.py run --suite $(s) \
	    --results $(BUILD)/test-results $($(s)_ARGS);) true
	@$(PYTHON) tools/testrun.py summary $(BUILD)/test-results $(SUITES)

# The kernel benchmarks, then the NT ones (base/ntbench/) when that image exists.
bench: deps
	@$(MAKE) --no-print-directory $(KERNEL32_ELF) $(BENCH_ELF) $(NTBENCH_ELF) \
	    $(SYSTEM_BOOTBENCH_ELF)
	$(PYTHON) tools/bench.py --image $(BENCH_ELF) --json $(BUILD)/bench.json \
	    --timeout $(BENCH_TIMEOUT) $(if $(NTBENCH_ELF),--nt-image $(NTBENCH_ELF)) \
	    $(if $(SYSTEM_BOOTBENCH_ELF),--boot-image $(SYSTEM_BOOTBENCH_ELF))

# The long runs: the kernel fuzzer, then the hostile NT process (base/ntfuzz/,
# NTFUZZ_SEED / NTFUZZ_CALLS / NTFUZZ_TIMEOUT) and the I/O fuzzer (base/iofuzz/,
# IOFUZZ_SEED / IOFUZZ_CALLS / IOFUZZ_TIMEOUT) when their images exist.
fuzz: deps
	@$(MAKE) --no-print-directory $(KERNEL32_ELF) $(FUZZ_ELF) $(NTFUZZ_ELF) $(IOFUZZ_ELF)
	@rm -rf $(BUILD)/fuzz-results && mkdir -p $(BUILD)/fuzz-results
	@$(PYTHON) tools/testrun.py run --suite kernel-fuzz --results $(BUILD)/fuzz-results \
	    --module $(FUZZ_ELF) --timeout $(FUZZ_TIMEOUT) \
	    --config 'seed=$(FUZZ_SEED) iterations=$(FUZZ_ITERATIONS)'; true
	@$(if $(NTFUZZ_ELF),$(PYTHON) tools/testrun.py run --suite nt-fuzz \
	    --results $(BUILD)/fuzz-results --module $(NTFUZZ_ELF) --timeout $(NTFUZZ_TIMEOUT) \
	    --config 'seed=$(NTFUZZ_SEED) calls=$(NTFUZZ_CALLS) leaks=1 threads=1 $(NTFUZZ_CONFIG)'; true)
	@$(if $(IOFUZZ_ELF),$(PYTHON) tools/testrun.py run --suite io-fuzz \
	    --results $(BUILD)/fuzz-results $(IOFUZZ_LONG_ARGS); true)
	@$(PYTHON) tools/testrun.py summary $(BUILD)/fuzz-results kernel-fuzz \
	    $(if $(NTFUZZ_ELF),nt-fuzz) $(if $(IOFUZZ_ELF),io-fuzz)

# ---- ISO: GRUB (BIOS), multiboot 2, kernel.elf + demo root task --------------------

ISO_DIR := $(BUILD)/iso
iso: $(BUILD)/nereid.iso

$(BUILD)/nereid.iso: $(KERNEL_ELF) $(DEMO_ELF) tools/mkiso.sh
	$(Q)tools/mkiso.sh $@ $(ISO_DIR) $(KERNEL_ELF) $(DEMO_ELF)
	@echo "  ISO     $@"

# ---- housekeeping ----------------------------------------------------------------------

clean:
	rm -rf $(BUILD)

FORMAT_DIRS := kernel libsel4 tests ntos ntdll ntoskrnl drivers base include
FORMAT_FILES = $(sort $(foreach d,$(FORMAT_DIRS),$(call rwildcard,$(d),*.c) $(call rwildcard,$(d),*.h)))

format-check:
	@command -v $(CLANG_FORMAT) >/dev/null || \
	    { echo "error: $(CLANG_FORMAT) not found (run tools/deps.sh)" >&2; exit 1; }
	@if [ -n "$(FORMAT_FILES)" ]; then \
	    $(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES) && \
	    echo "format-check: $(words $(FORMAT_FILES)) files clean"; \
	fi
