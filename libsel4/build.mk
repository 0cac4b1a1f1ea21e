# SPDX-License-Identifier: BSD-2-Clause
#
# libsel4/build.mk: builds the generated libsel4 headers. This fragment owns
# the rule that runs tools/sel4gen.py over libsel4/sel4.abi and writes
# build/libsel4/include/sel4/{constants,types,syscalls,invocations,sel4}.h.
# Other fragments depend on $(LIBSEL4_HEADERS) and compile with
# $(LIBSEL4_INC). Included by the top Makefile, with the repository root as
# the working directory.

BUILD ?= build
PYTHON ?= python3

LIBSEL4_ABI := libsel4/sel4.abi
LIBSEL4_GEN := tools/sel4gen.py
LIBSEL4_GEN_DEPS := $(LIBSEL4_GEN) tools/sel4gen_templates.py
LIBSEL4_OUT := $(BUILD)/libsel4/include
LIBSEL4_INC := -I$(LIBSEL4_OUT)
LIBSEL4_HEADERS := $(addprefix $(LIBSEL4_OUT)/sel4/,constants.h types.h syscalls.h invocations.h sel4.h)
LIBSEL4_STAMP := $(BUILD)/libsel4/headers.stamp

# One generator run writes all five headers (only those whose text changed,
# so dependants rebuild only when needed); the stamp makes that one rule that
# a parallel make runs once.
$(LIBSEL4_HEADERS): $(LIBSEL4_STAMP)
	@:

$(LIBSEL4_STAMP): $(LIBSEL4_ABI) $(LIBSEL4_GEN_DEPS)
	@mkdir -p $(LIBSEL4_OUT)/sel4
	@echo "  GEN     $(LIBSEL4_OUT)/sel4/*.h"
	@$(PYTHON) $(LIBSEL4_GEN) $(LIBSEL4_ABI) -o $(LIBSEL4_OUT)
	@touch $@

.PHONY: libsel4
libsel4: $(LIBSEL4_HEADERS)
