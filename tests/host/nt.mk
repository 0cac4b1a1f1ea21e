# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/nt.mk: the NT headers and the pure run-time library on the
# host. It generates build/include/nt/ntstatus.h (+ ntstatus_table.h) from
# include/nt/ntstatus.def and build/ntdll/rtl/nlsdata.h from Python's codecs,
# and registers two suites (docs/testing.md):
#   rtl        ntdll/rtl under ASan/UBSan (tests/host/rtl/), plus every rtl and
#              crt file compiled warning-free by mingw-w64 -ffreestanding
#   nt-layout  include/nt/ under host gcc and mingw against mingw-w64's own
#              headers, and the STATUS_* values (tests/host/nt-layout/run.py)
# Included from tests/host/build.mk.

NT_INC_OUT := $(BUILD)/include
NT_STATUS_H := $(NT_INC_OUT)/nt/ntstatus.h
NT_STATUS_TABLE_H := $(NT_INC_OUT)/nt/ntstatus_table.h
NT_NLSDATA_H := $(BUILD)/ntdll/rtl/nlsdata.h
NT_GENERATED := $(NT_STATUS_H) $(NT_STATUS_TABLE_H) $(NT_NLSDATA_H)
NT_INC := -Iinclude -I$(NT_INC_OUT) -I$(BUILD)/ntdll/rtl

$(NT_STATUS_TABLE_H): $(NT_STATUS_H)
$(NT_STATUS_H): include/nt/ntstatus.def tools/ntstatusgen.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/ntstatusgen.py $< --header $@ --table $(NT_STATUS_TABLE_H)
	@echo "  GEN     $@"

$(NT_NLSDATA_H): tools/nlsgen.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/nlsgen.py --out $@
	@echo "  GEN     $@"

# ---- rtl ------------------------------------------------------------------------
RTL_TEST_BIN := $(BUILD)/tests/host/rtl/rtl_test
RTL_TEST_SRCS := $(wildcard tests/host/rtl/*.c) $(wildcard ntdll/rtl/*.c)
RTL_TEST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror $(NT_INC)
RTL_TEST_CMD := $(PYTHON) tests/host/rtl/run.py --bin $(RTL_TEST_BIN) --include include \
    --include $(NT_INC_OUT) --include $(BUILD)/ntdll/rtl --build $(BUILD)/tests/host/rtl/mingw

$(RTL_TEST_BIN): $(RTL_TEST_SRCS) $(wildcard tests/host/rtl/*.h ntdll/rtl/*.h ntdll/crt/*.h) \
    $(wildcard include/nt/*.h) $(NT_GENERATED)
	@mkdir -p $(@D)
	$(Q)$(CC) $(RTL_TEST_CFLAGS) $(RTL_TEST_SRCS) -o $@
	@echo "  HOSTCC  $@"

TEST_SUITES += rtl
rtl_DEPS := $(RTL_TEST_BIN)
rtl_ARGS := --cmd '$(RTL_TEST_CMD)'

# ---- nt-layout ------------------------------------------------------------------
NT_LAYOUT_CMD := $(PYTHON) tests/host/nt-layout/run.py --include include \
    --include $(NT_INC_OUT) --def include/nt/ntstatus.def --build $(BUILD)/tests/host/nt-layout

TEST_SUITES += nt-layout
nt-layout_DEPS := $(NT_GENERATED)
nt-layout_ARGS := --cmd '$(NT_LAYOUT_CMD)'

.PHONY: test-rtl test-nt-layout
test-rtl: $(RTL_TEST_BIN)
	@$(RTL_TEST_CMD)

test-nt-layout: $(NT_GENERATED)
	@$(NT_LAYOUT_CMD)
