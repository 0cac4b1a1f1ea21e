# SPDX-License-Identifier: BSD-2-Clause
#
# base/ntbench/build.mk: the NT benchmarks of `make bench`. base/build.mk
# builds build/base/ntbench.exe like every program; this fragment gives its
# objects the service prototypes (build/ntdll/ntsvc.h) and links
# build/base/ntbench/ntos-ntbench.elf, the ntos image whose first program
# is ntbench.exe (a strong KeFirstProgram, as in base/ntapitest/build.mk),
# with an archive of ntdll.dll, ntbench.exe, the driver runtime and the
# null and iotest drivers. tools/bench.py boots it
# after the kernel benchmarks (`--nt-image`). Included by the top Makefile
# after ntos/build.mk.

NTBENCH_OUT := $(BUILD)/base/ntbench

$(BASE_ntbench_OBJS): $(BUILD)/ntdll/ntsvc.h
$(BASE_ntbench_OBJS): BASE_CFLAGS += -I$(BUILD)/ntdll

ifdef NTOS_ELF
NTBENCH_ARCHIVE := $(NTBENCH_OUT)/archive.bin
NTBENCH_ELF := $(NTBENCH_OUT)/ntos-ntbench.elf
NTBENCH_NTOS_OBJS := $(filter-out $(BUILD)/ntos/ke/archive.S.o,$(NTOS_ALL_OBJS))

# The I/O benchmarks load \Device\Null's and iotest's drivers.
NTBENCH_DRIVERS := $(NTOSKRNL_EXE) $(DRIVERS_OUT)/null.sys $(DRIVERS_OUT)/iotest.sys \
    $(DRIVERS_OUT)/iofilter.sys # xcall: irp_forward_roundtrip

$(NTBENCH_ARCHIVE): tools/mkarchive.py $(NTDLL_DLL) $(BASE_OUT)/ntbench.exe $(NTBENCH_DRIVERS)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(NTDLL_DLL) $(BASE_OUT)/ntbench.exe $(NTBENCH_DRIVERS)
	@echo "  GEN     $@"

$(NTBENCH_OUT)/archive.S.o: ntos/ke/archive.S $(NTBENCH_ARCHIVE)
	$(Q)$(CC) $(NTOS_CFLAGS) -DNTOS_ARCHIVE_PATH='"$(abspath $(NTBENCH_ARCHIVE))"' -c $< -o $@
	@$(ECHO_CC)

$(NTBENCH_OUT)/first.o: base/ntbench/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "ntbench.exe";\n' | $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(NTBENCH_ELF): $(NTBENCH_NTOS_OBJS) $(NTBENCH_OUT)/archive.S.o $(NTBENCH_OUT)/first.o \
    $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NTBENCH_NTOS_OBJS) $(NTBENCH_OUT)/archive.S.o \
	    $(NTBENCH_OUT)/first.o -lgcc
	@echo "  LD      $@"
endif
