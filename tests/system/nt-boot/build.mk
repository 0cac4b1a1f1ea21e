# SPDX-License-Identifier: BSD-2-Clause
#
# tests/system/nt-boot/build.mk: suite "nt-boot", the end-to-end test of
# process start. run.py boots build/ntos/ntos.elf, which starts hello.exe
# from its system archive (hello prints through NtDisplayString and exits
# with 0x1234), and checks the serial output. Registered only when the
# executive's build (ntos/build.mk, NTOS_ELF) is part of the tree.

ifdef NTOS_ELF
NT_BOOT_CMD := $(PYTHON) tests/system/nt-boot/run.py --kernel $(KERNEL32_ELF) \
    --module $(NTOS_ELF) --timeout 120

TEST_SUITES += nt-boot
nt-boot_DEPS := $(KERNEL32_ELF) $(NTOS_ELF)
nt-boot_ARGS := --cmd '$(NT_BOOT_CMD)' --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-nt-boot
test-nt-boot: $(KERNEL32_ELF) $(NTOS_ELF)
	@$(NT_BOOT_CMD)
endif
