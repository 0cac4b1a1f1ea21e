# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/cspace/build.mk: the host unit test of the CSpace code. It
# compiles kernel/kernel/cspace.c and kernel/object/{cnode,objecttype,
# untyped}.c for the host, with the test doubles of shim.c for every other
# kernel part they call, under ASan/UBSan, and prints the serial protocol of
# docs/layout.md as suite "cspace". Included from tests/host/build.mk.

CSPACE_TEST_DIR := tests/host/cspace
CSPACE_TEST_BIN := $(BUILD)/tests/host/cspace/cspace_test
CSPACE_TEST_SRCS := $(CSPACE_TEST_DIR)/cspace_test.c $(CSPACE_TEST_DIR)/shim.c \
    kernel/kernel/cspace.c kernel/object/cnode.c kernel/object/objecttype.c \
    kernel/object/untyped.c
CSPACE_TEST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all \
    -Wall -Wextra -Wno-unused-parameter -Werror -Ikernel/include $(LIBSEL4_INC)

$(CSPACE_TEST_BIN): $(CSPACE_TEST_SRCS) $(wildcard $(CSPACE_TEST_DIR)/*.h) \
    $(call rwildcard,kernel/include,*.h) $(LIBSEL4_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSPACE_TEST_CFLAGS) $(CSPACE_TEST_SRCS) -o $@
	@echo "  HOSTCC  $@"

TEST_SUITES += cspace
cspace_DEPS := $(CSPACE_TEST_BIN)
cspace_ARGS := --cmd '$(CSPACE_TEST_BIN)'

.PHONY: test-cspace
test-cspace: $(CSPACE_TEST_BIN)
	@$(CSPACE_TEST_BIN)
