# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/ntcmd/build.mk: suite "ntcmd", the pure part of the native
# shell (base/ntcmd/cmdcore.h: the serial and keyboard decoders, words,
# commands, numbers, paths) compiled for the build machine under
# ASan/UBSan. Included by tests/host/build.mk.

NTCMD_TEST_BIN := $(BUILD)/tests/host/ntcmd/ntcmd_test
NTCMD_TEST_SRCS := tests/host/ntcmd/ntcmd_test.c base/ntcmd/vt100.c base/ntcmd/keyboard.c \
    base/ntcmd/words.c
NTCMD_TEST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
    -Iinclude -I$(BUILD)/include

$(NTCMD_TEST_BIN): $(NTCMD_TEST_SRCS) base/ntcmd/cmdcore.h $(wildcard include/nt/*.h)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTCMD_TEST_CFLAGS) $(NTCMD_TEST_SRCS) -o $@
	@echo "  HOSTCC  $@"

TEST_SUITES += ntcmd
ntcmd_DEPS := $(NTCMD_TEST_BIN)
ntcmd_ARGS := --cmd '$(NTCMD_TEST_BIN)'

.PHONY: test-ntcmd
test-ntcmd: $(NTCMD_TEST_BIN)
	@$(NTCMD_TEST_BIN)
