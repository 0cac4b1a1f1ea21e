# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/ntsvc/build.mk: suite `ntsvc` (docs/testing.md), included from
# tests/host/build.mk. run.py checks tools/ntsvcgen.py on the real and on
# broken declarations, runs the host program built here, and compiles the
# ntdll side (ntdll/ntsvc.c and the generated stubs) with mingw-w64.
#
# The host program: the generated ntos table (build/ntos/ntsvc_table.c) with
# ntos/ke/svccapture.c, the ke handlers (display, yield, time) and every
# ntos/ob/*.c (and ntdll/rtl/time.c, which ke/time.c uses), against the
# fakes of fake.c (mm copy and pool, current thread, console, boot info, the
# CMOS clock's registers), under ASan/UBSan. The stub program: the generated
# ntdll stubs and ntdll/ntsvc.c for the host, with libsel4's SEL4_SYSCALL_HOOK
# playing the kernel (tests/host/ntsvc/stub/).

-include ntos/services.mk

NTSVC_TEST_DIR := tests/host/ntsvc
NTSVC_TEST_BIN := $(BUILD)/tests/host/ntsvc/ntsvc_test
NTSVC_TEST_SRCS := $(sort $(wildcard $(NTSVC_TEST_DIR)/*.c)) $(NTSVC_NTOS_TABLE) \
    ntos/ke/svccapture.c ntos/ke/display.c ntos/ke/yield.c ntos/ke/time.c ntdll/rtl/time.c \
    ntos/ke/bootinfo.c ntos/ex/sysinfo.c ntdll/rtl/nls.c ntdll/rtl/memory.c \
    $(sort $(wildcard ntos/ob/*.c))
NTSVC_TEST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all \
    -Wall -Wextra -Wno-unused-parameter -Werror \
    -Intos/include -Iinclude -I$(BUILD)/include -I$(BUILD)/ntos -I$(BUILD)/ntdll/rtl \
    $(LIBSEL4_INC)
NTSVC_STUB_BIN := $(BUILD)/tests/host/ntsvc/ntsvc_stub_test
NTSVC_STUB_SRCS := $(NTSVC_TEST_DIR)/stub/stub_test.c ntdll/ntsvc.c $(NTSVC_NTDLL_STUBS)
NTSVC_STUB_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
    -DSEL4_SYSCALL_HOOK=StubKernel -Iinclude -I$(BUILD)/include -I$(BUILD)/ntdll/rtl \
    -I$(BUILD)/ntdll -Intdll $(LIBSEL4_INC)
NTSVC_TEST_CMD := $(PYTHON) $(NTSVC_TEST_DIR)/run.py --bin $(NTSVC_TEST_BIN) \
    --stub-bin $(NTSVC_STUB_BIN) \
    --gen $(NTSVC_GEN) --def $(NTSVC_DEF) --statuses include/nt/ntstatus.def \
    --stubs $(NTSVC_NTDLL_STUBS) --ntdll-header $(NTSVC_NTDLL_H) \
    --exports $(NTSVC_NTDLL_EXPORTS) --ntos-header $(NTSVC_NTOS_H) \
    --ntos-table $(NTSVC_NTOS_TABLE) --build $(BUILD)/tests/host/ntsvc \
    --include include --include $(BUILD)/include --include $(BUILD)/ntdll/rtl \
    --include $(BUILD)/ntdll --include ntdll --include $(BUILD)/libsel4/include

$(NTSVC_TEST_BIN): $(NTSVC_TEST_SRCS) $(wildcard $(NTSVC_TEST_DIR)/*.h) \
    $(wildcard ntos/include/*.h ntos/ob/*.h ntos/ke/*.h ntos/rtl/*.h) $(NTSVC_NTOS_H) \
    $(LIBSEL4_HEADERS) $(NT_GENERATED)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTSVC_TEST_CFLAGS) $(NTSVC_TEST_SRCS) -o $@
	@echo "  HOSTCC  $@"

$(NTSVC_STUB_BIN): $(NTSVC_STUB_SRCS) $(wildcard ntdll/*.h ntdll/crt/*.h) $(NTSVC_NTDLL_H) \
    $(LIBSEL4_HEADERS) $(NT_GENERATED)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NTSVC_STUB_CFLAGS) $(NTSVC_STUB_SRCS) -o $@
	@echo "  HOSTCC  $@"

TEST_SUITES += ntsvc
ntsvc_DEPS := $(NTSVC_TEST_BIN) $(NTSVC_STUB_BIN) $(NTSVC_OUTPUTS)
ntsvc_ARGS := --cmd '$(NTSVC_TEST_CMD)'

.PHONY: test-ntsvc
test-ntsvc: $(NTSVC_TEST_BIN) $(NTSVC_STUB_BIN) $(NTSVC_OUTPUTS)
	@$(NTSVC_TEST_CMD)
