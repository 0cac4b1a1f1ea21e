# SPDX-License-Identifier: BSD-2-Clause
#
# tests/system/nt-shutdown/build.mk: suite "nt-shutdown", NtShutdownSystem
# seen from outside the machine. Each case (poweroff, reboot, halt) is an
# ntos image whose first program (a strong KeFirstProgram, as in
# tests/system/nt-loader) is the case's program, linked with an archive of
# ntdll.dll and the programs here; run.py boots each and checks ntos's
# lines and how QEMU ended. Included by the top Makefile after
# ntos/build.mk.

ifdef NTOS_ELF
NT_SHUTDOWN_DIR := tests/system/nt-shutdown
NT_SHUTDOWN_OUT := $(BUILD)/tests/system/nt-shutdown
NT_SHUTDOWN_CASES := $(basename $(notdir $(wildcard $(NT_SHUTDOWN_DIR)/*.c)))
NT_SHUTDOWN_EXES := $(patsubst %,$(NT_SHUTDOWN_OUT)/%.exe,$(NT_SHUTDOWN_CASES))
NT_SHUTDOWN_ARCHIVE := $(NT_SHUTDOWN_OUT)/archive.bin
NT_SHUTDOWN_ELFS := $(patsubst %,$(NT_SHUTDOWN_OUT)/ntos-%.elf,$(NT_SHUTDOWN_CASES))
NT_SHUTDOWN_NTOS_OBJS := $(filter-out $(BUILD)/ntos/ke/archive.S.o,$(NTOS_ALL_OBJS))

$(NT_SHUTDOWN_OUT)/%.exe: $(NT_SHUTDOWN_DIR)/%.c $(NTDLL_IMPLIB) $(BUILD)/include/nt/ntstatus.h
	@mkdir -p $(@D)
	$(Q)$(BASE_CC) $(BASE_CFLAGS) -c $< -o $(@:.exe=.o)
	$(Q)$(BASE_CC) $(BASE_LDFLAGS) -o $@ $(@:.exe=.o) -L$(NTDLL_OUT) -lntdll -lgcc
	@echo "  LD      $@"

# pnp branch: the pnppower and pnphang cases load pnptest.sys (as PnpTest
# and PnpHang), so the archive holds the driver runtime and those images.
NT_SHUTDOWN_DRIVERS := $(NTOSKRNL_EXE) $(DRIVERS_OUT)/pnptest.sys $(DRIVERS_OUT)/pnphang.sys

$(NT_SHUTDOWN_ARCHIVE): tools/mkarchive.py $(NTDLL_DLL) $(NT_SHUTDOWN_EXES) $(NT_SHUTDOWN_DRIVERS)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(NTDLL_DLL) $(NT_SHUTDOWN_EXES) $(NT_SHUTDOWN_DRIVERS)
	@echo "  GEN     $@"

$(NT_SHUTDOWN_OUT)/archive.S.o: ntos/ke/archive.S $(NT_SHUTDOWN_ARCHIVE)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_ARCHIVE_PATH='"$(abspath $(NT_SHUTDOWN_ARCHIVE))"' \
	    -c $< -o $@
	@$(ECHO_CC)

$(NT_SHUTDOWN_OUT)/first-%.o: $(NT_SHUTDOWN_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "%s.exe";\n' '$*' | \
	    $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(NT_SHUTDOWN_OUT)/ntos-%.elf: $(NT_SHUTDOWN_NTOS_OBJS) $(NT_SHUTDOWN_OUT)/archive.S.o \
    $(NT_SHUTDOWN_OUT)/first-%.o $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NT_SHUTDOWN_NTOS_OBJS) $(NT_SHUTDOWN_OUT)/archive.S.o \
	    $(NT_SHUTDOWN_OUT)/first-$*.o -lgcc
	@echo "  LD      $@"

.SECONDARY: $(patsubst %,$(NT_SHUTDOWN_OUT)/first-%.o,$(NT_SHUTDOWN_CASES)) $(NT_SHUTDOWN_EXES)

NT_SHUTDOWN_CMD := $(PYTHON) $(NT_SHUTDOWN_DIR)/run.py --kernel $(KERNEL32_ELF) \
    --images $(NT_SHUTDOWN_OUT) --timeout 120

TEST_SUITES += nt-shutdown
nt-shutdown_DEPS := $(KERNEL32_ELF) $(NT_SHUTDOWN_ELFS)
nt-shutdown_ARGS := --cmd '$(NT_SHUTDOWN_CMD)' --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-nt-shutdown
test-nt-shutdown: $(KERNEL32_ELF) $(NT_SHUTDOWN_ELFS)
	@$(NT_SHUTDOWN_CMD)
endif
