# SPDX-License-Identifier: BSD-2-Clause
#
# tests/system/nt-loader/build.mk: suite "nt-loader", ntdll's loader in real
# processes under ntos. Each case is an ntos image whose first program is
# the case's program (a strong KeFirstProgram overrides ntos's weak
# default), linked with a test archive holding ntdll.dll, hello.exe, the
# programs of tests/compat/, the DLLs of base/ (base/ldr*dll) and the
# programs here (each a .c file and the .def of what it imports: a DLL that
# cannot be satisfied, or dllimport's test DLL). run.py boots
# each image and checks the program's output and exit status. Included by
# the top Makefile after ntos/build.mk.

ifdef NTOS_ELF
NT_LOADER_DIR := tests/system/nt-loader
NT_LOADER_OUT := $(BUILD)/tests/system/nt-loader
NT_LOADER_PROGRAMS := $(basename $(notdir $(wildcard $(NT_LOADER_DIR)/*.c)))
NT_LOADER_EXES := $(patsubst %,$(NT_LOADER_OUT)/%.exe,$(NT_LOADER_PROGRAMS))
NT_LOADER_ARCHIVE := $(NT_LOADER_OUT)/archive.bin
NT_LOADER_FILES := $(NTDLL_DLL) $(BUILD)/base/hello.exe $(COMPAT_EXES) $(NT_LOADER_EXES) \
    $(BASE_DLL_FILES) $(COMPAT_ARCHIVE_EXTRA)
# Cases: the programs here and those of tests/compat/.
NT_LOADER_CASES := $(NT_LOADER_PROGRAMS) $(COMPAT_PROGRAMS)
NT_LOADER_ELFS := $(patsubst %,$(NT_LOADER_OUT)/ntos-%.elf,$(NT_LOADER_CASES))
NT_LOADER_NTOS_OBJS := $(filter-out $(BUILD)/ntos/ke/archive.S.o,$(NTOS_ALL_OBJS))

$(NT_LOADER_OUT)/%.exe: $(NT_LOADER_DIR)/%.c $(NT_LOADER_DIR)/%.def $(NTDLL_IMPLIB) \
    $(BUILD)/include/nt/ntstatus.h
	@mkdir -p $(@D)
	$(Q)$(NTDLL_DLLTOOL) -m i386:x86-64 -d $(NT_LOADER_DIR)/$*.def -l $(@:.exe=-imports.a)
	$(Q)$(BASE_CC) $(BASE_CFLAGS) -c $< -o $(@:.exe=.o)
	$(Q)$(BASE_CC) $(BASE_LDFLAGS) -o $@ $(@:.exe=.o) $(@:.exe=-imports.a) -L$(NTDLL_OUT) \
	    -lntdll -lgcc
	@echo "  LD      $@"

$(NT_LOADER_ARCHIVE): tools/mkarchive.py $(NT_LOADER_FILES)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(NT_LOADER_FILES)
	@echo "  GEN     $@"

$(NT_LOADER_OUT)/archive.S.o: ntos/ke/archive.S $(NT_LOADER_ARCHIVE)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_ARCHIVE_PATH='"$(abspath $(NT_LOADER_ARCHIVE))"' -c $< -o $@
	@$(ECHO_CC)

$(NT_LOADER_OUT)/first-%.o: $(NT_LOADER_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "%s.exe";\n' '$*' | \
	    $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(NT_LOADER_OUT)/ntos-%.elf: $(NT_LOADER_NTOS_OBJS) $(NT_LOADER_OUT)/archive.S.o \
    $(NT_LOADER_OUT)/first-%.o $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NT_LOADER_NTOS_OBJS) $(NT_LOADER_OUT)/archive.S.o \
	    $(NT_LOADER_OUT)/first-$*.o -lgcc
	@echo "  LD      $@"

.SECONDARY: $(patsubst %,$(NT_LOADER_OUT)/first-%.o,$(NT_LOADER_CASES))

NT_LOADER_CMD := $(PYTHON) $(NT_LOADER_DIR)/run.py --kernel $(KERNEL32_ELF) \
    --images $(NT_LOADER_OUT) --timeout 120

TEST_SUITES += nt-loader
nt-loader_DEPS := $(KERNEL32_ELF) $(NT_LOADER_ELFS)
nt-loader_ARGS := --cmd '$(NT_LOADER_CMD)' --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-nt-loader
test-nt-loader: $(KERNEL32_ELF) $(NT_LOADER_ELFS)
	@$(NT_LOADER_CMD)
endif
