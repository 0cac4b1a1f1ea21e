# SPDX-License-Identifier: BSD-2-Clause
#
# ntoskrnl/tests/build.mk: suite "ntoskrnl", the self-test of the runtime's
# library (krnlrt: ke ex mm ob ps rtl). build/ntoskrnl/tests/ntoskrnltest.exe
# is the test files of this folder linked with the library's objects (not
# the runtime's start-up, I/O part or HAL), compiled like the runtime
# (NTOSKRNL_CFLAGS: stock ddk headers) and exporting what the runtime
# exports (MmGetSystemRoutineAddress reads its own export table). It goes
# into the system archive, and build/tests/system/ntoskrnl/ntos-ntoskrnltest.elf
# is the ntos image whose first program it is (a strong KeFirstProgram, as
# in base/ntapitest). Included from ntoskrnl/build.mk, before ntos/build.mk:
# the image's rule reaches ntos's objects through build/ntos/ntos.elf (they
# are its prerequisites) and names them only in its recipe.

NTOSKRNL_TEST_OUT := $(NTOSKRNL_OUT)/tests
NTOSKRNL_TEST_EXE := $(NTOSKRNL_TEST_OUT)/ntoskrnltest.exe
NTOSKRNL_TEST_OBJS := $(patsubst ntoskrnl/%.c,$(NTOSKRNL_OUT)/%.o,$(sort $(wildcard ntoskrnl/tests/*.c)))
NTOSKRNL_LIB_OBJS := $(filter-out $(NTOSKRNL_OUT)/mm/iospace.o,\
    $(foreach d,ke ex mm ob ps rtl,$(filter $(NTOSKRNL_OUT)/$(d)/%,$(NTOSKRNL_OBJS))))
NTOSKRNL_TEST_LDFLAGS := -nostdlib -nostartfiles -Wl,--subsystem,native \
    -Wl,-e,NtProcessStartup -Wl,--image-base,0x140000000 -Wl,--no-insert-timestamp \
    -Wl,--disable-auto-import -Wl,--disable-runtime-pseudo-reloc

ifneq ($(NTOSKRNL_TEST_OBJS),)
# The tests use the ddk's inline gs reads (KeGetCurrentThread), which trip
# gcc's array-bounds check; their PsThreadType & co. are the library's own
# definitions, not imports (_NTSYSTEM_, _NTHALDLL_). Tests run in source order.
$(NTOSKRNL_TEST_OBJS): NTOSKRNL_CFLAGS += -Wno-array-bounds -D_NTSYSTEM_ -D_NTHALDLL_ \
    -fno-toplevel-reorder

$(NTOSKRNL_TEST_EXE): $(NTOSKRNL_TEST_OBJS) $(NTOSKRNL_LIB_OBJS) $(NTOSKRNL_DEF) $(NTDLL_IMPLIB)
	$(Q)$(NTOSKRNL_CC) $(NTOSKRNL_TEST_LDFLAGS) -o $@ $(NTOSKRNL_TEST_OBJS) $(NTOSKRNL_LIB_OBJS) \
	    $(NTOSKRNL_DEF) -L$(NTDLL_OUT) -lntdll -lgcc
	@echo "  LD      $@"
NTOS_ARCHIVE_EXTRA += $(NTOSKRNL_TEST_EXE)

NTOSKRNL_TEST_IMAGE_OUT := $(BUILD)/tests/system/ntoskrnl
NTOSKRNL_TEST_ELF := $(NTOSKRNL_TEST_IMAGE_OUT)/ntos-ntoskrnltest.elf
NTOSKRNL_TEST_FIRST := $(NTOSKRNL_TEST_IMAGE_OUT)/first-ntoskrnltest.o

$(NTOSKRNL_TEST_FIRST): ntoskrnl/tests/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "ntoskrnltest.exe";\n' | \
	    $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(NTOSKRNL_TEST_ELF): $(BUILD)/ntos/ntos.elf $(NTOSKRNL_TEST_FIRST)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NTOS_ALL_OBJS) $(NTOSKRNL_TEST_FIRST) -lgcc
	@echo "  LD      $@"

TEST_SUITES += ntoskrnl
ntoskrnl_DEPS = $(KERNEL32_ELF) $(NTOSKRNL_TEST_ELF)
ntoskrnl_ARGS = --module $(NTOSKRNL_TEST_ELF) --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-ntoskrnl
test-ntoskrnl: $(KERNEL32_ELF) $(NTOSKRNL_TEST_ELF)
	$(PYTHON) tools/testrun.py run --suite ntoskrnl --module $(NTOSKRNL_TEST_ELF) \
	    --timeout $(KERNEL_TEST_TIMEOUT)
endif
