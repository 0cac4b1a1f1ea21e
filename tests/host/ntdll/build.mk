# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/ntdll/build.mk: suite "ntdll-build" (tests/host/ntdll/run.py):
# checks of ntdll.dll, libntdll.a, hello.exe and the system archive, plus the
# host loader test ldr_test (ntdll/ldr/ compiled for the host under
# ASan/UBSan, run on the real images, on fwd.dll, a DLL of forwarders, and on
# the programs of tests/compat/, linked against stock mingw's libntdll.a).
# Included from tests/host/build.mk.

include tests/compat/build.mk

NTDLL_TEST_DIR := tests/host/ntdll
NTDLL_TEST_OUT := $(BUILD)/tests/host/ntdll
NTDLL_LDR_TEST := $(NTDLL_TEST_OUT)/ldr_test
NTDLL_FWD_DLL := $(NTDLL_TEST_OUT)/fwd.dll
NTDLL_LDR_TEST_SRCS := $(NTDLL_TEST_DIR)/ldr_test.c ntdll/ldr/image.c ntdll/ldr/module.c \
    ntdll/ldr/export.c ntdll/ldr/import.c $(wildcard ntdll/rtl/*.c)
NTDLL_LDR_TEST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
    -Wno-unused-parameter -Intdll -Iinclude -I$(BUILD)/include -I$(BUILD)/ntdll/rtl

$(NTDLL_LDR_TEST): $(NTDLL_LDR_TEST_SRCS) $(wildcard ntdll/ldr/*.h ntdll/*.h ntdll/rtl/*.h) \
    $(BUILD)/include/nt/ntstatus.h $(BUILD)/include/nt/ntstatus_table.h $(BUILD)/ntdll/rtl/nlsdata.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTDLL_LDR_TEST_CFLAGS) $(NTDLL_LDR_TEST_SRCS) -o $@
	@echo "  HOSTCC  $@"

$(NTDLL_FWD_DLL): $(NTDLL_TEST_DIR)/fwd.c $(NTDLL_TEST_DIR)/fwd.def
	@mkdir -p $(@D)
	$(Q)$(NTDLL_CC) -O2 -c $< -o $@.o
	$(Q)$(NTDLL_CC) -shared -nostdlib -nostartfiles -Wl,-e,0 -Wl,--no-insert-timestamp \
	    $@.o $(NTDLL_TEST_DIR)/fwd.def -o $@
	@echo "  PELD    $@"

NTDLL_TEST_CMD := $(PYTHON) $(NTDLL_TEST_DIR)/run.py --dll $(NTDLL_DLL) --implib $(NTDLL_IMPLIB) \
    --hello $(BUILD)/base/hello.exe --archive $(NTOS_ARCHIVE) \
    --services $(BUILD)/ntdll/ntsvc_exports.txt --ldr-test $(NTDLL_LDR_TEST) \
    --fwd-dll $(NTDLL_FWD_DLL) $(addprefix --compat ,$(COMPAT_EXES))

TEST_SUITES += ntdll-build
ntdll-build_DEPS := $(NTDLL_DLL) $(NTDLL_IMPLIB) $(BUILD)/base/hello.exe $(NTOS_ARCHIVE) \
    $(NTDLL_LDR_TEST) $(NTDLL_FWD_DLL) $(COMPAT_EXES)
ntdll-build_ARGS := --cmd '$(NTDLL_TEST_CMD)'

.PHONY: test-ntdll-build
test-ntdll-build: $(ntdll-build_DEPS)
	@$(NTDLL_TEST_CMD)
