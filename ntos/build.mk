# SPDX-License-Identifier: BSD-2-Clause
#
# ntos/build.mk: the NT Executive, included by the top Makefile. Builds
# build/ntos/ntos.elf, a static ELF64 root task linked at 0x400000 with
# ntos/ntos.ld, from every .c and .S under ntos/ (by wildcard, so a component
# adds files freely; ntos/tests/ excepted), the pure run-time library of
# ntdll/rtl and ntdll/crt/mem.c compiled for ntos, the generated sources in
# NTOS_GENERATED_SRCS (ntos/services.mk appends build/ntos/ntsvc_table.c),
# and the system archive $(NTOS_ARCHIVE), incbin'ed by ntos/ke/archive.S.
#
# The self-test image build/ntos/ntos-selftest.elf is the same objects plus
# ntos/tests/*.c, with ntos/ke/main.c compiled again with -DNTOS_SELFTEST so
# that main runs the tests (suite ntos-core) instead of the first process.
#
# Contracts with the other fragments:
#   NTOS_GENERATED_SRCS  generated .c files (build/ntos/...) linked into ntos
#   NTOS_GENERATED_HDRS  generated headers every ntos object depends on
#   NTOS_ARCHIVE         the archive image; whoever defines its rule sets
#                        NTOS_ARCHIVE_RULE := 1 (tools/mkarchive.py's owner),
#                        else an empty archive is built here.

NTOS_DIR := ntos
NTOS_OUT := $(BUILD)/ntos
NTOS_LDSCRIPT := $(NTOS_DIR)/ntos.ld
NTOS_ELF := $(NTOS_OUT)/ntos.elf
NTOS_SELFTEST_ELF := $(NTOS_OUT)/ntos-selftest.elf

NTOS_GENERATED_SRCS ?=
NTOS_GENERATED_HDRS ?=
-include $(NTOS_DIR)/services.mk
NTOS_ARCHIVE ?= $(NTOS_OUT)/archive.bin

NTOS_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -no-pie -mno-red-zone -mgeneral-regs-only -O2 -g \
    -fno-stack-protector -fno-omit-frame-pointer -fno-tree-loop-distribute-patterns \
    -Wall -Wextra -Wno-unused-parameter \
    -I$(NTOS_DIR)/include -Iinclude -I$(BUILD)/include -I$(NTOS_OUT) -I$(BUILD)/ntdll/rtl \
    $(LIBSEL4_INC) $(NTOS_EXTRA_CFLAGS)
NTOS_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(NTOS_LDSCRIPT) -Wl,--build-id=none \
    -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack

# Sources: every ntos/**/*.{c,S} except the self-tests.
NTOS_SRCS := $(sort $(filter-out $(NTOS_DIR)/tests/%,\
    $(call rwildcard,$(NTOS_DIR),*.c) $(call rwildcard,$(NTOS_DIR),*.S)))
NTOS_MAIN_SRC := $(NTOS_DIR)/ke/main.c
# Objects keep the source's suffix (ke/fiber.c.o, ke/fiber.S.o): a .c and a
# .S may share a name.
NTOS_OBJS := $(patsubst %,$(BUILD)/%.o,$(NTOS_SRCS))
NTOS_GEN_OBJS := $(addsuffix .o,$(NTOS_GENERATED_SRCS))
# ntdll's pure rtl and mem routines, compiled for ntos (SysV) into their own folder.
NTOS_RTL_SRCS := $(sort $(wildcard ntdll/rtl/*.c)) ntdll/crt/mem.c
NTOS_RTL_OBJS := $(patsubst ntdll/%,$(NTOS_OUT)/ntdll/%.o,$(NTOS_RTL_SRCS))
NTOS_ALL_OBJS := $(NTOS_OBJS) $(NTOS_GEN_OBJS) $(NTOS_RTL_OBJS)

NTOS_TEST_SRCS := $(sort $(wildcard $(NTOS_DIR)/tests/*.c))
NTOS_TEST_OBJS := $(patsubst %,$(BUILD)/%.o,$(NTOS_TEST_SRCS))
NTOS_SELFTEST_MAIN_OBJ := $(NTOS_OUT)/selftest/main.o
NTOS_MAIN_OBJ := $(BUILD)/$(NTOS_MAIN_SRC).o
NTOS_SELFTEST_OBJS := $(filter-out $(NTOS_MAIN_OBJ),$(NTOS_ALL_OBJS)) \
    $(NTOS_SELFTEST_MAIN_OBJ) $(NTOS_TEST_OBJS)

# Everything an ntos object may include that the build generates.
NTOS_PREREQS := $(LIBSEL4_HEADERS) $(NT_GENERATED) $(NTOS_GENERATED_HDRS)

$(BUILD)/$(NTOS_DIR)/%.c.o: $(NTOS_DIR)/%.c $(NTOS_PREREQS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTOS_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(BUILD)/$(NTOS_DIR)/%.S.o: $(NTOS_DIR)/%.S $(NTOS_PREREQS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTOS_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(NTOS_OUT)/ntdll/%.c.o: ntdll/%.c $(NTOS_PREREQS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTOS_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(NTOS_GEN_OBJS): %.c.o: %.c $(NTOS_PREREQS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTOS_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(NTOS_SELFTEST_MAIN_OBJ): $(NTOS_MAIN_SRC) $(NTOS_PREREQS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_SELFTEST -MMD -MP -c $< -o $@
	@$(ECHO_CC)

# The archive is incbin'ed: its object must be rebuilt when the image changes.
$(BUILD)/$(NTOS_DIR)/ke/archive.S.o: $(NTOS_ARCHIVE)
$(BUILD)/$(NTOS_DIR)/ke/archive.S.o: NTOS_CFLAGS += -DNTOS_ARCHIVE_PATH='"$(abspath $(NTOS_ARCHIVE))"'

ifndef NTOS_ARCHIVE_RULE
# Fallback until tools/mkarchive.py exists: an empty archive (magic, count 0).
$(NTOS_ARCHIVE):
	@mkdir -p $(@D)
	$(Q)printf 'NRDARC01\0\0\0\0' > $@
	@echo "  GEN     $@ (empty)"
endif

$(NTOS_ELF): $(NTOS_ALL_OBJS) $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NTOS_ALL_OBJS) -lgcc
	@echo "  LD      $@"

$(NTOS_SELFTEST_ELF): $(NTOS_SELFTEST_OBJS) $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NTOS_SELFTEST_OBJS) -lgcc
	@echo "  LD      $@"

-include $(NTOS_ALL_OBJS:.o=.d) $(NTOS_TEST_OBJS:.o=.d) $(NTOS_SELFTEST_MAIN_OBJ:.o=.d)

.PHONY: ntos run-ntos
ntos: $(NTOS_ELF) $(if $(NTOS_TEST_SRCS),$(NTOS_SELFTEST_ELF))
all: $(NTOS_ELF)

run-ntos: $(KERNEL32_ELF) $(NTOS_ELF)
	$(PYTHON) tools/qemu.py --interactive --module $(NTOS_ELF)

# ---- suite ntos-core: the executive's core self-tests --------------------------
ifneq ($(NTOS_TEST_SRCS),)
TEST_SUITES += ntos-core
ntos-core_DEPS := $(KERNEL32_ELF) $(NTOS_SELFTEST_ELF)
ntos-core_ARGS := --module $(NTOS_SELFTEST_ELF) --timeout $(KERNEL_TEST_TIMEOUT)
endif
