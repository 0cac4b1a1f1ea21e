# SPDX-License-Identifier: BSD-2-Clause
#
# base/ntapitest/build.mk: suite "nt", the native API test suite. base/build.mk
# already builds build/base/ntapitest.exe (every base/<name>/ folder is a
# program) and packs it into the system archive; this fragment lets its
# objects see the generated service prototypes (build/ntdll/ntsvc.h) and
# libsel4 (services.c only: it calls the transport itself to reach numbers
# no stub has), links build/tests/system/nt/ntos-ntapitest.elf, the ntos
# image whose first program is ntapitest.exe (a strong KeFirstProgram
# overrides ntos's weak default, as in tests/system/nt-loader), and
# registers the suite: testrun.py boots that image and reads the protocol
# ntapitest.exe prints. Included by the top Makefile after ntos/build.mk.

# pschild.exe (base/pschild/), the child process of the process creation
# tests, calls services too.
$(BASE_pschild_OBJS): $(BUILD)/ntdll/ntsvc.h
$(BASE_pschild_OBJS): BASE_CFLAGS += -I$(BUILD)/ntdll

ifdef NTOS_ELF
NTAPITEST_OUT := $(BUILD)/tests/system/nt
NTAPITEST_ELF := $(NTAPITEST_OUT)/ntos-ntapitest.elf
NTAPITEST_FIRST := $(NTAPITEST_OUT)/first-ntapitest.o

$(BASE_ntapitest_OBJS): $(BUILD)/ntdll/ntsvc.h
$(BASE_ntapitest_OBJS): BASE_CFLAGS += -I$(BUILD)/ntdll -fno-toplevel-reorder
# NTAPITEST_KNOWN_BUGS=1 also runs the tests of known executive bugs (main.c);
# the flag is recorded so that changing it rebuilds the runner.
NTAPITEST_KNOWN_BUGS ?= 0
NTAPITEST_FLAG := $(BASE_OUT)/ntapitest/known-bugs-$(NTAPITEST_KNOWN_BUGS).flag
$(BASE_OUT)/ntapitest/main.o: BASE_CFLAGS += -DNTAPITEST_KNOWN_BUGS=$(NTAPITEST_KNOWN_BUGS)
$(BASE_OUT)/ntapitest/main.o: $(NTAPITEST_FLAG)
$(NTAPITEST_FLAG):
	@mkdir -p $(@D)
	@rm -f $(BASE_OUT)/ntapitest/known-bugs-*.flag
	@touch $@
$(BASE_OUT)/ntapitest/services.o: $(LIBSEL4_HEADERS)
$(BASE_OUT)/ntapitest/services.o: BASE_CFLAGS += $(LIBSEL4_INC)

$(NTAPITEST_FIRST): base/ntapitest/build.mk
	@mkdir -p $(@D)
	$(Q)printf 'const char *KeFirstProgram = "ntapitest.exe";\n' | \
	    $(CC) $(NTOS_CFLAGS) -x c -c - -o $@
	@$(ECHO_CC)

$(NTAPITEST_ELF): $(NTOS_ALL_OBJS) $(NTAPITEST_FIRST) $(NTOS_LDSCRIPT)
	$(Q)$(CC) $(NTOS_LDFLAGS) -o $@ $(NTOS_ALL_OBJS) $(NTAPITEST_FIRST) -lgcc
	@echo "  LD      $@"

TEST_SUITES += nt
nt_DEPS := $(KERNEL32_ELF) $(NTAPITEST_ELF)
nt_ARGS := --module $(NTAPITEST_ELF) --timeout $(KERNEL_TEST_TIMEOUT)

.PHONY: test-nt
test-nt: $(KERNEL32_ELF) $(NTAPITEST_ELF)
	$(PYTHON) tools/testrun.py run --suite nt --module $(NTAPITEST_ELF) \
	    --timeout $(KERNEL_TEST_TIMEOUT)
endif

# sections branch: sectimg.exe (base/sectimg/), the image ntapitest's
# section.c maps, is linked at a base no other program uses, so that its
# first view goes at its preferred base (the last --image-base wins).
$(BASE_OUT)/sectimg.exe: BASE_LDFLAGS += -Wl,--image-base,0x150000000
