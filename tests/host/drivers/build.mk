# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/drivers/build.mk: suite "drivers", host unit tests of the
# drivers' code (console.sys's terminal and framebuffer drawing, i8042prt.sys's controller and IOCTL code,
# the keyboard record queue, serial.sys's UART/read/wait/write/IOCTL code),
# compiled for the host with the ddk doubles of fake.c and fake/ under
# ASan/UBSan against simulated devices. Included from tests/host/build.mk.

DRIVERS_TEST_DIR := tests/host/drivers
DRIVERS_TEST_BIN := $(BUILD)/tests/host/drivers/drivers_test
DRIVERS_TEST_SRCS := $(DRIVERS_TEST_DIR)/drivers_test.c $(DRIVERS_TEST_DIR)/console_test.c \
    $(DRIVERS_TEST_DIR)/keyboard_test.c $(DRIVERS_TEST_DIR)/serial_test.c \
    $(DRIVERS_TEST_DIR)/fake.c drivers/video/console/terminal.c \
    drivers/input/i8042prt/controller.c drivers/input/i8042prt/ioctl.c \
    $(addprefix drivers/serial/serial/,uart.c read.c wait.c write.c ioctl.c) \
    $(DRIVERS_TEST_DIR)/framebuffer_test.c drivers/video/console/framebuffer.c
DRIVERS_TEST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all \
    -Wall -Wextra -Wno-unused-parameter -Werror \
    -I$(DRIVERS_TEST_DIR)/fake -idirafter /usr/share/mingw-w64/include -Idrivers/video/console -Idrivers/input/i8042prt \
    -Idrivers/serial/serial -Idrivers/include -I$(dir $(CONSOLE_FONT))

$(DRIVERS_TEST_BIN): $(DRIVERS_TEST_SRCS) $(wildcard $(DRIVERS_TEST_DIR)/fake/*.h) \
    $(wildcard $(DRIVERS_TEST_DIR)/*.h) drivers/video/console/console.h \
    drivers/input/i8042prt/i8042prt.h drivers/serial/serial/serial.h $(wildcard drivers/include/*.h) \
    $(CONSOLE_FONT)
	@mkdir -p $(@D)
	$(Q)$(CC) $(DRIVERS_TEST_CFLAGS) $(DRIVERS_TEST_SRCS) -o $@
	@echo "  HOSTCC  $@"

TEST_SUITES += drivers
drivers_DEPS := $(DRIVERS_TEST_BIN)
drivers_ARGS := --cmd '$(DRIVERS_TEST_BIN)'

.PHONY: test-drivers
test-drivers: $(DRIVERS_TEST_BIN)
	@$(DRIVERS_TEST_BIN)
