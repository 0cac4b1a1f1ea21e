# SPDX-License-Identifier: BSD-2-Clause
#
# Build of the kernel, included by the top Makefile. Every kernel/**/*.c and
# kernel/**/*.S is found by wildcard (add files without editing this), compiled
# with the host gcc into build/kernel/ (mirroring the tree; a .c and a .S of
# the same stem in one folder would collide), linked with the kernel's own
# kernel/arch/x86_64/linker.ld into build/kernel/kernel.elf, and converted to
# the ELF32 copy that QEMU's multiboot loader accepts (build/kernel/kernel32.elf).

KERNEL_ELF := $(BUILD)/kernel/kernel.elf
KERNEL32_ELF := $(BUILD)/kernel/kernel32.elf
KERNEL_LDSCRIPT := kernel/arch/x86_64/linker.ld

KERNEL_SRCS := $(sort $(call rwildcard,kernel,*.c) $(call rwildcard,kernel,*.S))
KERNEL_OBJS := $(patsubst %,$(BUILD)/%,$(addsuffix .o,$(basename $(KERNEL_SRCS))))

KERNEL_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -mcmodel=kernel -mno-red-zone \
    -mno-mmx -mno-sse -mno-sse2 -fno-stack-protector -fno-asynchronous-unwind-tables \
    -O2 -g -Wall -Wextra -Wno-unused-parameter -Ikernel/include $(LIBSEL4_INC) \
    $(KERNEL_EXTRA_CFLAGS)
KERNEL_LDFLAGS := -nostdlib -static -n -z max-page-size=0x1000 --build-id=none

$(BUILD)/kernel/%.o: kernel/%.c $(LIBSEL4_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(BUILD)/kernel/%.o: kernel/%.S $(LIBSEL4_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

ifeq ($(KERNEL_SRCS),)
$(KERNEL_ELF):
	@echo "error: no kernel sources (kernel/**/*.c, kernel/**/*.S): the kernel is not written yet" >&2
	@exit 1
else
$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LDSCRIPT)
	@mkdir -p $(@D)
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T $(KERNEL_LDSCRIPT) -o $@ $(KERNEL_OBJS)
	@echo "  LD      $@"
endif

$(KERNEL32_ELF): $(KERNEL_ELF)
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@
	@echo "  OBJCOPY $@"

# Present when the kernel engineer has written it; a clear error otherwise.
$(KERNEL_LDSCRIPT):
	@echo "error: $@ is missing (the kernel's link map, written with the kernel)" >&2
	@exit 1

.PHONY: kernel
kernel: $(KERNEL_ELF) $(KERNEL32_ELF)

-include $(KERNEL_OBJS:.o=.d)
