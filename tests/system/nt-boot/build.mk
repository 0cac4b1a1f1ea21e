# SPDX-License-Identifier: BSD-2-Clause
#
# tests/system/nt-boot/build.mk: suite "nt-boot", the end-to-end test of
# process start. run.py boots build/tests/system/nt-boot/ntos-hello.elf,
# the ntos image whose first program is hello.exe (a strong KeFirstProgram
# overrides ntos's default, smss.exe, as in tests/system/nt-loader): hello
# prints through NtDisplayString and exits with 0x1234, and run.py checks
# the serial output. Registered only when the executive's build
# (ntos/build.mk, NTOS_ELF) is part of the tree.

ifdef NTOS_ELF
NT_BOOT_OUT := $(BUILD)/tests/system/nt-boot
NT_BOOT_ELF := $(NT_BOOT_OUT)/ntos-hello.elf
NT_BOOT_FIRST := $(NT_BOOT_OUT)/first-hello.o

$(NT_BOOT_FIRST): tests/system/nt-boot/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "hello.exe";\n' | \
	    $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(NT_BOOT_ELF): $(NTOS_ALL_OBJS) $(NT_BOOT_FIRST) $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NTOS_ALL_OBJS) $(NT_BOOT_FIRST) -lgcc
	@echo "  LD      $@"

NT_BOOT_CMD := $(PYTHON) tests/system/nt-boot/run.py --kernel $(KERNEL32_ELF) \
    --module $(NT_BOOT_ELF) --timeout 120

TEST_SUITES += nt-boot
nt-boot_DEPS := $(KERNEL32_ELF) $(NT_BOOT_ELF)
nt-boot_ARGS := --cmd '$(NT_BOOT_CMD)' --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-nt-boot
test-nt-boot: $(KERNEL32_ELF) $(NT_BOOT_ELF)
	@$(NT_BOOT_CMD)
endif
