# SPDX-License-Identifier: BSD-2-Clause
#
# Build of the test root tasks, included by the top Makefile. Every folder
# tests/kernel/<name>/ other than lib/ that holds .c or .S files (searched
# recursively) becomes build/tests/kernel/<name>.elf: its objects plus the
# runtime in tests/kernel/lib/, linked static at 0x400000 with
# tests/kernel/lib/roottask.ld. Also registers the in-QEMU suites of the
# root tasks with `make test` (see docs/testing.md for the suite variables).

RT_LIB_DIR := tests/kernel/lib
RT_LDSCRIPT := $(RT_LIB_DIR)/roottask.ld

# Root tasks other components rely on (docs/layout.md); a missing one is a
# clear error instead of "no rule to make target".
RT_REQUIRED := conformance fuzz bench demo

RT_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -no-pie -mno-red-zone -O2 -g \
    -fno-stack-protector -fno-toplevel-reorder -fno-tree-loop-distribute-patterns \
    -Wall -Wextra -Wno-unused-parameter -I$(RT_LIB_DIR) $(LIBSEL4_INC) $(RT_EXTRA_CFLAGS)
RT_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(RT_LDSCRIPT) -Wl,--build-id=none \
    -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack

rt_sources = $(sort $(call rwildcard,$(1),*.c) $(call rwildcard,$(1),*.S))
rt_objects = $(patsubst %,$(BUILD)/%,$(addsuffix .o,$(basename $(1))))

RT_LIB_SRCS := $(call rt_sources,$(RT_LIB_DIR))
RT_LIB_OBJS := $(call rt_objects,$(RT_LIB_SRCS))

RT_NAMES := $(sort $(foreach d,$(filter-out lib,$(notdir $(patsubst %/,%,$(wildcard tests/kernel/*/)))),\
    $(if $(call rt_sources,tests/kernel/$(d)),$(d))))
ROOTTASK_ELFS := $(RT_NAMES:%=$(BUILD)/tests/kernel/%.elf)

$(BUILD)/tests/kernel/%.o: tests/kernel/%.c $(LIBSEL4_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(BUILD)/tests/kernel/%.o: tests/kernel/%.S $(LIBSEL4_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

define rt_image_rule
RT_OBJS_$(1) := $$(call rt_objects,$$(call rt_sources,tests/kernel/$(1)))
$(BUILD)/tests/kernel/$(1).elf: $$(RT_OBJS_$(1)) $$(RT_LIB_OBJS) $$(RT_LDSCRIPT)
	$$(Q)$$(CC) $$(RT_LDFLAGS) -o $$@ $$(RT_OBJS_$(1)) $$(RT_LIB_OBJS) -lgcc
	@echo "  LD      $$@"
-include $$(RT_OBJS_$(1):.o=.d)
endef
$(foreach n,$(RT_NAMES),$(eval $(call rt_image_rule,$(n))))

define rt_missing_rule
$(BUILD)/tests/kernel/$(1).elf:
	@echo "error: tests/kernel/$(1)/ has no sources yet, so $$@ cannot be built" >&2
	@exit 1
endef
$(foreach n,$(filter-out $(RT_NAMES),$(RT_REQUIRED)),$(eval $(call rt_missing_rule,$(n))))

-include $(RT_LIB_OBJS:.o=.d)

.PHONY: roottasks
roottasks: $(ROOTTASK_ELFS)

# ---- suites run by `make test` (protocol: docs/layout.md) --------------------

# The conformance suite: every seL4 invocation, valid and invalid.
TEST_SUITES += kernel
kernel_DEPS := $(KERNEL32_ELF) $(BUILD)/tests/kernel/conformance.elf
kernel_ARGS := --module $(BUILD)/tests/kernel/conformance.elf --timeout $(KERNEL_TEST_TIMEOUT)

# A short fuzz run with a fixed seed (`make fuzz` is the long one). Joins
# `make test` once tests/kernel/fuzz/ has sources.
ifneq ($(filter fuzz,$(RT_NAMES)),)
TEST_SUITES += kernel-fuzz
kernel-fuzz_DEPS := $(KERNEL32_ELF) $(BUILD)/tests/kernel/fuzz.elf
kernel-fuzz_ARGS := --module $(BUILD)/tests/kernel/fuzz.elf --timeout $(FUZZ_TEST_TIMEOUT) \
    --config 'seed=$(FUZZ_TEST_SEED) iterations=$(FUZZ_TEST_ITERATIONS)'
endif

# Long kernel operations must not hold off a higher-priority interrupt
# thread, and must still complete (spec §8 preemption).
TEST_SUITES += kernel-preempt
kernel-preempt_DEPS := $(KERNEL32_ELF) $(BUILD)/tests/kernel/preempt.elf
# Under -icount the guest clock counts instructions, so the latency checks
# do not depend on how busy the host is.
kernel-preempt_ARGS := --module $(BUILD)/tests/kernel/preempt.elf --icount --timeout $(KERNEL_TEST_TIMEOUT)
