# SPDX-License-Identifier: BSD-2-Clause
#
# tests/boot/build.mk: the `kernel-boot` suite, included by the top Makefile.
# Boot-level tests of the kernel run from the host by tests/boot/run.py:
# broken root task modules (the kernel must print why and halt), good boots
# under QEMU -kernel, -icount and GRUB (the `make iso` output and variants
# built by the driver), a missing module, CPU models. It registers the suite
# with TEST_SUITES / kernel-boot_DEPS / kernel-boot_ARGS (docs/testing.md)
# and adds the convenience target `make test-boot`.

BOOT_TEST_SEED ?= 1
BOOT_TEST_MUTATIONS ?= 32
BOOT_TEST_JOBS ?= 2
BOOT_TEST_TIMEOUT ?= 300
BOOT_TEST_CMD := $(PYTHON) tests/boot/run.py --build $(BUILD) --seed $(BOOT_TEST_SEED) \
    --mutations $(BOOT_TEST_MUTATIONS) --jobs $(BOOT_TEST_JOBS)

TEST_SUITES += kernel-boot
kernel-boot_DEPS := $(KERNEL_ELF) $(KERNEL32_ELF) $(BUILD)/tests/kernel/demo.elf \
    $(BUILD)/nereid.iso
kernel-boot_ARGS := --cmd '$(BOOT_TEST_CMD)' --timeout $(BOOT_TEST_TIMEOUT)

.PHONY: test-boot
test-boot: $(kernel-boot_DEPS)
	@$(BOOT_TEST_CMD)
