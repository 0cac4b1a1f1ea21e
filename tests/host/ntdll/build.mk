# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/ntdll/build.mk: suite "ntdll-build" (tests/host/ntdll/run.py):
# checks of ntdll.dll, libntdll.a, hello.exe and the system archive, plus the
# host tests crt_test (ntdll/crt/ against the host C library) and ldr_test (ntdll/ldr/ compiled for the host under
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

# ntdll's C routines for the host, renamed to crt_<name> so that crt_test
# can compare them with the host C library in one program.
NTDLL_CRT_TEST := $(NTDLL_TEST_OUT)/crt_test
NTDLL_CRT_HOST_SRCS := $(sort $(wildcard ntdll/crt/*.c))
NTDLL_CRT_HOST_OBJ := $(NTDLL_TEST_OUT)/crt_host.o

$(NTDLL_CRT_HOST_OBJ): $(NTDLL_CRT_HOST_SRCS) $(wildcard ntdll/crt/*.h)
	@mkdir -p $(@D)/crt
	$(Q)for f in $(NTDLL_CRT_HOST_SRCS); do \
	    $(CC) -std=gnu11 -O1 -g -fno-builtin -ffreestanding -Wall -Wextra -Werror \
	        -fno-tree-loop-distribute-patterns -c $$f -o $(@D)/crt/$$(basename $$f .c).o || exit 1; \
	done
	$(Q)ld -r -o $@.tmp $(@D)/crt/*.o
	$(Q)nm -g --defined-only $@.tmp | awk '{print $$3 " crt_" $$3}' > $@.syms
	$(Q)objcopy --redefine-syms=$@.syms $@.tmp $@
	@echo "  HOSTCC  $@"

$(NTDLL_CRT_TEST): $(NTDLL_TEST_DIR)/crt_test.c $(NTDLL_CRT_HOST_OBJ)
	$(Q)$(CC) -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -Wall -Wextra -Werror -Wno-format-truncation $^ -o $@
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
    --fwd-dll $(NTDLL_FWD_DLL) --crt-test $(NTDLL_CRT_TEST) $(addprefix --compat ,$(COMPAT_EXES))

TEST_SUITES += ntdll-build
ntdll-build_DEPS := $(NTDLL_DLL) $(NTDLL_IMPLIB) $(BUILD)/base/hello.exe $(NTOS_ARCHIVE) \
    $(NTDLL_LDR_TEST) $(NTDLL_FWD_DLL) $(NTDLL_CRT_TEST) $(COMPAT_EXES)
ntdll-build_ARGS := --cmd '$(NTDLL_TEST_CMD)'

.PHONY: test-ntdll-build
test-ntdll-build: $(ntdll-build_DEPS)
	@$(NTDLL_TEST_CMD)
