# SPDX-License-Identifier: BSD-2-Clause
#
# tests/system/system/build.mk: suite "system", the whole system as a
# user meets it: ntos starts smss.exe, which loads the boot drivers, makes
# the \?? links and runs the shell. The image has an archive of its own:
# every program and driver of the normal one, with this folder's smss.cfg
# (the shell runs the script system.cmd: `ntcmd.exe /s system.cmd`; smss
# starts it once more, gives up after the second quick exit and powers off) instead of
# base/smss/smss.cfg. run.py boots it once and checks each command's
# output in the transcript. Included by the top Makefile after
# ntos/build.mk.

ifdef NTOS_ELF
SYSTEM_TEST_DIR := tests/system/system
SYSTEM_TEST_OUT := $(BUILD)/tests/system/system
SYSTEM_TEST_ELF := $(SYSTEM_TEST_OUT)/ntos-system.elf
SYSTEM_TEST_ARCHIVE := $(SYSTEM_TEST_OUT)/archive.bin
SYSTEM_TEST_FILES := $(NTDLL_DLL) $(BASE_EXES) $(BASE_DLL_FILES) \
    $(filter-out $(SMSS_CONFIG),$(NTOS_ARCHIVE_EXTRA)) \
    smss.cfg=$(SYSTEM_TEST_DIR)/smss.cfg system.cmd=$(SYSTEM_TEST_DIR)/system.cmd \
    keys.txt=$(SYSTEM_TEST_OUT)/keys.txt
SYSTEM_TEST_NTOS_OBJS := $(filter-out $(BUILD)/ntos/ke/archive.S.o,$(NTOS_ALL_OBJS))

# keys.txt: what the script's `ntcmd /k keys.txt` takes as typed on the
# serial line: lines edited with VT100 keys (Left, Home, End, Delete, Up
# for the history), Backspace as DEL, Ctrl-C; run.py checks the results.
SYSTEM_TEST_KEYS := 'echo typed\r' \
    'echo wrld\033[D\033[D\033[Do\r' \
    'echo abcx\177\r' \
    '\033[A\r' \
    'cho hi\033[He\033[F!\r' \
    'echo xyz\033[D\033[D\033[3~\r' \
    'ho cd\033OHec\033OF!\r' \
    'cho ef\001e\005!\r' \
    'echo never\003' \
    'cd \\Device\r' \
    'exit 5\r'

$(SYSTEM_TEST_OUT)/keys.txt: $(SYSTEM_TEST_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q)printf '%b' $(SYSTEM_TEST_KEYS) > $@
	@echo "  GEN     $@"

$(SYSTEM_TEST_ARCHIVE): tools/mkarchive.py $(NTDLL_DLL) $(BASE_EXES) $(BASE_DLL_FILES) \
    $(NTOS_ARCHIVE_EXTRA) $(SYSTEM_TEST_DIR)/smss.cfg $(SYSTEM_TEST_DIR)/system.cmd \
    $(SYSTEM_TEST_OUT)/keys.txt
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(SYSTEM_TEST_FILES)
	@echo "  GEN     $@"

$(SYSTEM_TEST_OUT)/archive.S.o: ntos/ke/archive.S $(SYSTEM_TEST_ARCHIVE)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_ARCHIVE_PATH='"$(abspath $(SYSTEM_TEST_ARCHIVE))"' -c $< -o $@
	@$(ECHO_CC)

$(SYSTEM_TEST_ELF): $(SYSTEM_TEST_NTOS_OBJS) $(SYSTEM_TEST_OUT)/archive.S.o $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(SYSTEM_TEST_NTOS_OBJS) $(SYSTEM_TEST_OUT)/archive.S.o -lgcc
	@echo "  LD      $@"

# The boot-to-prompt image of `make bench` (tools/bench.py --boot-image):
# `make run`'s system, its smss.cfg plus NTCMD_BOOT_BENCH=1 in the shell's
# environment, so ntcmd prints the TSC when its first prompt is due.
SYSTEM_BOOTBENCH_ELF := $(SYSTEM_TEST_OUT)/ntos-bootbench.elf
SYSTEM_BOOTBENCH_ARCHIVE := $(SYSTEM_TEST_OUT)/archive-bootbench.bin

$(SYSTEM_TEST_OUT)/bootbench.cfg: $(SMSS_CONFIG) $(SYSTEM_TEST_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q){ cat $(SMSS_CONFIG); echo 'set NTCMD_BOOT_BENCH=1'; } > $@

$(SYSTEM_BOOTBENCH_ARCHIVE): tools/mkarchive.py $(NTDLL_DLL) $(BASE_EXES) $(BASE_DLL_FILES) \
    $(NTOS_ARCHIVE_EXTRA) $(SYSTEM_TEST_OUT)/bootbench.cfg
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(NTDLL_DLL) $(BASE_EXES) $(BASE_DLL_FILES) \
	    $(filter-out $(SMSS_CONFIG),$(NTOS_ARCHIVE_EXTRA)) \
	    smss.cfg=$(SYSTEM_TEST_OUT)/bootbench.cfg
	@echo "  GEN     $@"

$(SYSTEM_TEST_OUT)/archive-bootbench.S.o: ntos/ke/archive.S $(SYSTEM_BOOTBENCH_ARCHIVE)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_ARCHIVE_PATH='"$(abspath $(SYSTEM_BOOTBENCH_ARCHIVE))"' \
	    -c $< -o $@
	@$(ECHO_CC)

$(SYSTEM_BOOTBENCH_ELF): $(SYSTEM_TEST_NTOS_OBJS) $(SYSTEM_TEST_OUT)/archive-bootbench.S.o \
    $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(SYSTEM_TEST_NTOS_OBJS) \
	    $(SYSTEM_TEST_OUT)/archive-bootbench.S.o -lgcc
	@echo "  LD      $@"

# The interactive part boots what `make run` boots: $(NTOS_ELF).
SYSTEM_TEST_CMD := $(PYTHON) $(SYSTEM_TEST_DIR)/run.py --kernel $(KERNEL32_ELF) \
    --module $(SYSTEM_TEST_ELF) --interactive-module $(NTOS_ELF) --timeout 240

TEST_SUITES += system
system_DEPS := $(KERNEL32_ELF) $(SYSTEM_TEST_ELF) $(NTOS_ELF)
system_ARGS := --cmd '$(SYSTEM_TEST_CMD)' --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-system
test-system: $(KERNEL32_ELF) $(SYSTEM_TEST_ELF) $(NTOS_ELF)
	@$(SYSTEM_TEST_CMD)
endif
