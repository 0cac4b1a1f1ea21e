# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/pe-image/build.mk: the host test of ntos's PE reader. It builds
# two small PE32+ images with mingw-w64 (a native program and a DLL with
# exports and base relocations), compiles ntos/ps/image.c for the host with
# the driver pe_image_test.c under ASan/UBSan, and registers suite
# "pe-image" (good images, seeded mutations and truncations, random
# corruption), plus the system images of the build when their rules exist
# (ntdll.dll and the programs of base/: each must load at a moved base).
# Included from tests/host/build.mk.

PE_IMAGE_DIR := tests/host/pe-image
PE_IMAGE_OUT := $(BUILD)/tests/host/pe-image
PE_IMAGE_BIN := $(PE_IMAGE_OUT)/pe_image_test
PE_IMAGE_GOOD := $(PE_IMAGE_OUT)/good.exe $(PE_IMAGE_OUT)/good.dll $(PE_IMAGE_OUT)/flat.dll \
    $(PE_IMAGE_OUT)/flat_bss.exe
# Section alignment below a page: the file is the image (1:1), nt-abi §4.1.
PE_IMAGE_FLAT := -Wl,--section-alignment,0x200 -Wl,--file-alignment,0x200
PE_IMAGE_PE_CC ?= x86_64-w64-mingw32-gcc
PE_IMAGE_PE_LDFLAGS := -nostdlib -nostartfiles -Wl,--no-insert-timestamp -s
PE_IMAGE_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
    -Intos/include -Iinclude -I$(BUILD)/include $(LIBSEL4_INC)

$(PE_IMAGE_OUT)/good.exe: $(PE_IMAGE_DIR)/good_exe.c
	@mkdir -p $(@D)
	$(Q)$(PE_IMAGE_PE_CC) -O2 -c $< -o $@.o
	$(Q)$(PE_IMAGE_PE_CC) $(PE_IMAGE_PE_LDFLAGS) -Wl,--subsystem,native -Wl,-e,NtProcessStartup \
	    -Wl,--image-base,0x140000000 $@.o -o $@
	@echo "  PELD    $@"

$(PE_IMAGE_OUT)/good.dll: $(PE_IMAGE_DIR)/good_dll.c
	@mkdir -p $(@D)
	$(Q)$(PE_IMAGE_PE_CC) -O2 -c $< -o $@.o
	$(Q)$(PE_IMAGE_PE_CC) $(PE_IMAGE_PE_LDFLAGS) -shared -Wl,-e,0 \
	    -Wl,--image-base,0x180000000 $@.o -o $@
	@echo "  PELD    $@"

$(PE_IMAGE_OUT)/flat.dll: $(PE_IMAGE_OUT)/good.dll
	$(Q)$(PE_IMAGE_PE_CC) $(PE_IMAGE_PE_LDFLAGS) $(PE_IMAGE_FLAT) -shared -Wl,-e,0 \
	    -Wl,--image-base,0x180000000 $<.o -o $@
	@echo "  PELD    $@"

# ld places .bss without file bytes, so this one is not 1:1 and must be refused.
$(PE_IMAGE_OUT)/flat_bss.exe: $(PE_IMAGE_OUT)/good.exe
	$(Q)$(PE_IMAGE_PE_CC) $(PE_IMAGE_PE_LDFLAGS) $(PE_IMAGE_FLAT) -Wl,--subsystem,native \
	    -Wl,-e,NtProcessStartup -Wl,--image-base,0x140000000 $<.o -o $@
	@echo "  PELD    $@"

$(PE_IMAGE_BIN): $(PE_IMAGE_DIR)/pe_image_test.c ntos/ps/image.c ntos/ps/psp.h \
    $(wildcard ntos/include/*.h) $(wildcard include/nt/*.h) $(NT_STATUS_H) $(LIBSEL4_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(PE_IMAGE_CFLAGS) $(PE_IMAGE_DIR)/pe_image_test.c ntos/ps/image.c -o $@
	@echo "  HOSTCC  $@"

PE_IMAGE_SYSTEM := $(NTDLL_DLL) $(BASE_EXES)
PE_IMAGE_CMD := $(PE_IMAGE_BIN) $(PE_IMAGE_GOOD) $(PE_IMAGE_SYSTEM)

TEST_SUITES += pe-image
pe-image_DEPS := $(PE_IMAGE_BIN) $(PE_IMAGE_GOOD) $(PE_IMAGE_SYSTEM)
pe-image_ARGS := --cmd '$(PE_IMAGE_CMD)'

.PHONY: test-pe-image
test-pe-image: $(PE_IMAGE_BIN) $(PE_IMAGE_GOOD) $(PE_IMAGE_SYSTEM)
	@$(PE_IMAGE_CMD)
