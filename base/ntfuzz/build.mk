# SPDX-License-Identifier: BSD-2-Clause
#
# base/ntfuzz/build.mk: suite "nt-fuzz", the hostile test process. base/build.mk
# builds build/base/ntfuzz.exe like every program; this fragment adds its
# generated service table (svctable.py on ntos/services.def), an ntos image
# whose first program is ntfuzz.exe (a strong KeFirstProgram, as in
# tests/system/nt-loader) with an archive of ntdll.dll and ntfuzz.exe, and the
# suite. The seed and call count travel in ntfuzz.exe's configuration block,
# patched into the ntos image by testrun.py --config (tools/rtconfig.py).
# `make test` runs NTFUZZ_TEST_CALLS calls with seed 1; `make ntfuzz` runs
# NTFUZZ_CALLS calls with seed NTFUZZ_SEED (add NTFUZZ_CONFIG='trace=1' to
# print every request). Included by the top Makefile after ntos/build.mk.

NTFUZZ_OUT := $(BUILD)/base/ntfuzz
NTFUZZ_TABLE := $(NTFUZZ_OUT)/svctable.h

$(NTFUZZ_TABLE): base/ntfuzz/svctable.py ntos/services.def tools/ntsvcgen.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) base/ntfuzz/svctable.py ntos/services.def $@
	@echo "  GEN     $@"

$(BASE_ntfuzz_OBJS): $(NTFUZZ_TABLE)
$(BASE_ntfuzz_OBJS): BASE_CFLAGS += -I$(NTFUZZ_OUT)

ifdef NTOS_ELF
NTFUZZ_ARCHIVE := $(NTFUZZ_OUT)/archive.bin
NTFUZZ_ELF := $(NTFUZZ_OUT)/ntos-ntfuzz.elf
NTFUZZ_NTOS_OBJS := $(filter-out $(BUILD)/ntos/ke/archive.S.o,$(NTOS_ALL_OBJS))
NTFUZZ_TEST_SEED ?= 1
NTFUZZ_TEST_CALLS ?= 50000
NTFUZZ_TEST_TIMEOUT ?= 600
NTFUZZ_SEED ?= 1
NTFUZZ_CALLS ?= 1000000
NTFUZZ_TIMEOUT ?= 7200

$(NTFUZZ_ARCHIVE): tools/mkarchive.py $(NTDLL_DLL) $(BASE_OUT)/ntfuzz.exe
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(NTDLL_DLL) $(BASE_OUT)/ntfuzz.exe
	@echo "  GEN     $@"

$(NTFUZZ_OUT)/archive.S.o: ntos/ke/archive.S $(NTFUZZ_ARCHIVE)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_ARCHIVE_PATH='"$(abspath $(NTFUZZ_ARCHIVE))"' -c $< -o $@
	@$(ECHO_CC)

$(NTFUZZ_OUT)/first.o: base/ntfuzz/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "ntfuzz.exe";\n' | $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(NTFUZZ_ELF): $(NTFUZZ_NTOS_OBJS) $(NTFUZZ_OUT)/archive.S.o $(NTFUZZ_OUT)/first.o \
    $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NTFUZZ_NTOS_OBJS) $(NTFUZZ_OUT)/archive.S.o \
	    $(NTFUZZ_OUT)/first.o -lgcc
	@echo "  LD      $@"

TEST_SUITES += nt-fuzz
nt-fuzz_DEPS := $(KERNEL32_ELF) $(NTFUZZ_ELF)
nt-fuzz_ARGS := --module $(NTFUZZ_ELF) --timeout $(NTFUZZ_TEST_TIMEOUT) \
    --config 'seed=$(NTFUZZ_TEST_SEED) calls=$(NTFUZZ_TEST_CALLS) leaks=1'

.PHONY: ntfuzz test-nt-fuzz
test-nt-fuzz: $(KERNEL32_ELF) $(NTFUZZ_ELF)
	@$(PYTHON) tools/testrun.py run --suite nt-fuzz $(nt-fuzz_ARGS)

ntfuzz: $(KERNEL32_ELF) $(NTFUZZ_ELF)
	@mkdir -p $(BUILD)/ntfuzz-results
	@$(PYTHON) tools/testrun.py run --suite nt-fuzz --results $(BUILD)/ntfuzz-results \
	    --module $(NTFUZZ_ELF) --timeout $(NTFUZZ_TIMEOUT) \
	    --config 'seed=$(NTFUZZ_SEED) calls=$(NTFUZZ_CALLS) leaks=1 threads=1 $(NTFUZZ_CONFIG)'
endif
