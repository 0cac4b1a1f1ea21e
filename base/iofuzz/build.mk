# SPDX-License-Identifier: BSD-2-Clause
#
# base/iofuzz/build.mk: suite "io-fuzz", random I/O requests against every
# driver (base/iofuzz/README.md). base/build.mk builds
# build/base/iofuzz.exe like every program (with the generated service
# prototypes, as smss); this fragment adds an ntos image whose first
# program is iofuzz.exe (a strong KeFirstProgram, as base/ntfuzz) with an
# archive of ntdll.dll, iofuzz.exe, the runtime ntoskrnl.exe and every
# driver, and registers the suite. The configuration travels in
# iofuzz.exe's configuration block (testrun.py --config). `make test` runs
# IOFUZZ_TEST_CALLS calls with seed IOFUZZ_TEST_SEED; `make iofuzz` (and
# `make fuzz`) IOFUZZ_CALLS with IOFUZZ_SEED (IOFUZZ_CONFIG='trace=1' prints
# every request). Included by the top Makefile after ntos/build.mk.

IOFUZZ_OUT := $(BUILD)/base/iofuzz
$(BASE_iofuzz_OBJS): $(BUILD)/ntdll/ntsvc.h
$(BASE_iofuzz_OBJS): BASE_CFLAGS += -I$(BUILD)/ntdll

ifdef NTOS_ELF
IOFUZZ_ARCHIVE := $(IOFUZZ_OUT)/archive.bin
IOFUZZ_ELF := $(IOFUZZ_OUT)/ntos-iofuzz.elf
IOFUZZ_NTOS_OBJS := $(filter-out $(BUILD)/ntos/ke/archive.S.o,$(NTOS_ALL_OBJS))
IOFUZZ_FILES := $(NTDLL_DLL) $(BASE_OUT)/iofuzz.exe $(NTOSKRNL_EXE) $(DRIVER_SYS)
IOFUZZ_TEST_SEED ?= 1
IOFUZZ_TEST_CALLS ?= 10000
IOFUZZ_TEST_TIMEOUT ?= 900
IOFUZZ_SEED ?= 1
IOFUZZ_CALLS ?= 200000
IOFUZZ_TIMEOUT ?= 7200

$(IOFUZZ_ARCHIVE): tools/mkarchive.py $(IOFUZZ_FILES)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(IOFUZZ_FILES)
	@echo "  GEN     $@"

$(IOFUZZ_OUT)/archive.S.o: ntos/ke/archive.S $(IOFUZZ_ARCHIVE)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_ARCHIVE_PATH='"$(abspath $(IOFUZZ_ARCHIVE))"' -c $< -o $@
	@$(ECHO_CC)

$(IOFUZZ_OUT)/first.o: base/iofuzz/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "iofuzz.exe";\n' | $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(IOFUZZ_ELF): $(IOFUZZ_NTOS_OBJS) $(IOFUZZ_OUT)/archive.S.o $(IOFUZZ_OUT)/first.o \
    $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(IOFUZZ_NTOS_OBJS) $(IOFUZZ_OUT)/archive.S.o \
	    $(IOFUZZ_OUT)/first.o -lgcc
	@echo "  LD      $@"

TEST_SUITES += io-fuzz
io-fuzz_DEPS := $(KERNEL32_ELF) $(IOFUZZ_ELF)
io-fuzz_ARGS := --module $(IOFUZZ_ELF) --timeout $(IOFUZZ_TEST_TIMEOUT) \
    --config 'seed=$(IOFUZZ_TEST_SEED) calls=$(IOFUZZ_TEST_CALLS) leaks=1'
IOFUZZ_LONG_ARGS = --module $(IOFUZZ_ELF) --timeout $(IOFUZZ_TIMEOUT) \
    --config 'seed=$(IOFUZZ_SEED) calls=$(IOFUZZ_CALLS) leaks=1 $(IOFUZZ_CONFIG)'

.PHONY: iofuzz test-io-fuzz
test-io-fuzz: $(KERNEL32_ELF) $(IOFUZZ_ELF)
	@$(PYTHON) tools/testrun.py run --suite io-fuzz $(io-fuzz_ARGS)

iofuzz: $(KERNEL32_ELF) $(IOFUZZ_ELF)
	@mkdir -p $(BUILD)/iofuzz-results
	@$(PYTHON) tools/testrun.py run --suite io-fuzz --results $(BUILD)/iofuzz-results \
	    $(IOFUZZ_LONG_ARGS)
endif
