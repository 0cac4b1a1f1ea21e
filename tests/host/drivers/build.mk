# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/drivers/build.mk: suite "drivers", host unit tests of the
# drivers' pure parts (console.sys's terminal, i8042prt.sys's controller
# code, the keyboard record queue), compiled for the host with the ddk
# doubles of fake/ under ASan/UBSan. Included from tests/host/build.mk.

DRIVERS_TEST_DIR := tests/host/drivers
DRIVERS_TEST_BIN := $(BUILD)/tests/host/drivers/drivers_test
DRIVERS_TEST_SRCS := $(DRIVERS_TEST_DIR)/drivers_test.c $(DRIVERS_TEST_DIR)/console_test.c \
    $(DRIVERS_TEST_DIR)/keyboard_test.c drivers/video/console/terminal.c \
    drivers/input/i8042prt/controller.c
DRIVERS_TEST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all \
    -Wall -Wextra -Wno-unused-parameter -Werror \
    -I$(DRIVERS_TEST_DIR)/fake -Idrivers/video/console -Idrivers/input/i8042prt -Idrivers/include

$(DRIVERS_TEST_BIN): $(DRIVERS_TEST_SRCS) $(wildcard $(DRIVERS_TEST_DIR)/fake/*.h) \
    $(wildcard $(DRIVERS_TEST_DIR)/*.h) drivers/video/console/console.h \
    drivers/input/i8042prt/i8042prt.h $(wildcard drivers/include/*.h)
	@mkdir -p $(@D)
	$(Q)$(CC) $(DRIVERS_TEST_CFLAGS) $(DRIVERS_TEST_SRCS) -o $@
	@echo "  HOSTCC  $@"

TEST_SUITES += drivers
drivers_DEPS := $(DRIVERS_TEST_BIN)
drivers_ARGS := --cmd '$(DRIVERS_TEST_BIN)'

.PHONY: test-drivers
test-drivers: $(DRIVERS_TEST_BIN)
	@$(DRIVERS_TEST_BIN)
