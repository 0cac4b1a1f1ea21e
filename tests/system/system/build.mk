# SPDX-License-Identifier: BSD-2-Clause
#
# tests/system/system/build.mk: suite "system", the whole system as a
# user meets it: ntos starts smss.exe, which loads the boot drivers, makes
# the \?? links and runs the shell. Each image here is ntos with an
# archive of its own: every program and driver of the normal one, with its
# own smss.cfg instead of base/smss/smss.cfg:
#   ntos-system.elf     smss.cfg: the shell runs the script system.cmd
#                       (`ntcmd.exe /s system.cmd`); smss starts it once
#                       more, gives up after the second quick exit and
#                       powers off. run.py checks each command's output.
#   ntos-poweroff.elf   poweroff.cfg: `ntcmd.exe /c "... & poweroff"`
#   ntos-reboot.elf     reboot.cfg: `ntcmd.exe /c "... & reboot"`
#   ntos-bootbench.elf  make run's smss.cfg with NTCMD_BOOT_BENCH=1: the
#                       boot-to-prompt image of `make bench`
#                       (tools/bench.py --boot-image), whose shell prints
#                       the TSC when its first prompt is due
# Included by the top Makefile after ntos/build.mk.

ifdef NTOS_ELF
SYSTEM_TEST_DIR := tests/system/system
SYSTEM_TEST_OUT := $(BUILD)/tests/system/system
SYSTEM_TEST_ELF := $(SYSTEM_TEST_OUT)/ntos-system.elf
SYSTEM_BOOTBENCH_ELF := $(SYSTEM_TEST_OUT)/ntos-bootbench.elf
SYSTEM_TEST_NTOS_OBJS := $(filter-out $(BUILD)/ntos/ke/archive.S.o,$(NTOS_ALL_OBJS))
SYSTEM_TEST_COMMON := $(NTDLL_DLL) $(BASE_EXES) $(BASE_DLL_FILES) \
    $(filter-out $(SMSS_CONFIG),$(NTOS_ARCHIVE_EXTRA))
SYSTEM_TEST_EXTRA := system.cmd=$(SYSTEM_TEST_DIR)/system.cmd keys.txt=$(SYSTEM_TEST_OUT)/keys.txt

# keys.txt: what the script's `ntcmd /k keys.txt` takes as typed on the
# serial line: lines edited with VT100 keys (Left, Home, End, Delete, Up
# for the history), Backspace as DEL, Ctrl-A/E, Ctrl-C; run.py checks the
# results.
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

$(SYSTEM_TEST_OUT)/bootbench.cfg: $(SMSS_CONFIG) $(SYSTEM_TEST_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q){ cat $(SMSS_CONFIG); echo 'set NTCMD_BOOT_BENCH=1'; } > $@

# $(call system_image,NAME,SMSS_CFG): $(SYSTEM_TEST_OUT)/ntos-NAME.elf, whose
# archive has SMSS_CFG as smss.cfg.
define system_image
$$(SYSTEM_TEST_OUT)/archive-$(1).bin: tools/mkarchive.py $$(SYSTEM_TEST_COMMON) $(2) \
    $$(SYSTEM_TEST_DIR)/system.cmd $$(SYSTEM_TEST_OUT)/keys.txt
	@mkdir -p $$(@D)
	$$(Q)$$(PYTHON) tools/mkarchive.py -o $$@ $$(SYSTEM_TEST_COMMON) $$(SYSTEM_TEST_EXTRA) \
	    smss.cfg=$(2)
	@echo "  GEN     $$@"

$$(SYSTEM_TEST_OUT)/archive-$(1).S.o: ntos/ke/archive.S $$(SYSTEM_TEST_OUT)/archive-$(1).bin
	$$(Q)$$(CC) $$(NTOS_CFLAGS) \
	    -DNTOS_ARCHIVE_PATH='"$$(abspath $$(SYSTEM_TEST_OUT)/archive-$(1).bin)"' -c $$< -o $$@
	@$$(ECHO_CC)

$$(SYSTEM_TEST_OUT)/ntos-$(1).elf: $$(SYSTEM_TEST_NTOS_OBJS) $$(SYSTEM_TEST_OUT)/archive-$(1).S.o \
    $$(NTOS_LDSCRIPT)
	$$(Q)$$(CC) $$(NTOS_LDFLAGS) -o $$@ $$(SYSTEM_TEST_NTOS_OBJS) \
	    $$(SYSTEM_TEST_OUT)/archive-$(1).S.o -lgcc
	@echo "  LD      $$@"
endef
$(eval $(call system_image,system,$(SYSTEM_TEST_DIR)/smss.cfg))
$(eval $(call system_image,poweroff,$(SYSTEM_TEST_DIR)/poweroff.cfg))
$(eval $(call system_image,reboot,$(SYSTEM_TEST_DIR)/reboot.cfg))
$(eval $(call system_image,bootbench,$(SYSTEM_TEST_OUT)/bootbench.cfg))

SYSTEM_TEST_ELFS := $(SYSTEM_TEST_ELF) $(SYSTEM_TEST_OUT)/ntos-poweroff.elf \
    $(SYSTEM_TEST_OUT)/ntos-reboot.elf

# The framebuffer boot (run.py part 4): GRUB loads kernel.elf, whose
# multiboot 2 header asks for a 1024x768x32 linear framebuffer, and what
# `make run` boots; console.sys draws there.
SYSTEM_FB_ISO := $(SYSTEM_TEST_OUT)/nereid-fb.iso
$(SYSTEM_FB_ISO): $(KERNEL_ELF) $(NTOS_ELF) tools/mkiso.sh
	$(Q)tools/mkiso.sh $@ $(SYSTEM_TEST_OUT)/iso-fb $(KERNEL_ELF) $(NTOS_ELF)
	@echo "  ISO     $@"
SYSTEM_TEST_ELFS += $(SYSTEM_FB_ISO)

# The interactive part boots what `make run` boots: $(NTOS_ELF).
SYSTEM_TEST_CMD := $(PYTHON) $(SYSTEM_TEST_DIR)/run.py --kernel $(KERNEL32_ELF) \
    --images $(SYSTEM_TEST_OUT) --interactive-module $(NTOS_ELF) --timeout 240 \
    --fb-iso $(SYSTEM_FB_ISO) --font $(CONSOLE_FONT)

TEST_SUITES += system
system_DEPS := $(KERNEL32_ELF) $(SYSTEM_TEST_ELFS) $(NTOS_ELF) $(CONSOLE_FONT)
system_ARGS := --cmd '$(SYSTEM_TEST_CMD)' --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-system
test-system: $(KERNEL32_ELF) $(SYSTEM_TEST_ELFS) $(NTOS_ELF)
	@$(SYSTEM_TEST_CMD)
endif
