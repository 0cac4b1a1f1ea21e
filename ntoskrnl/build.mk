# SPDX-License-Identifier: BSD-2-Clause
#
# ntoskrnl/build.mk: the driver runtime build/ntoskrnl/ntoskrnl.exe
# (docs/io.md), included by the top Makefile after ntdll/build.mk and before
# base/build.mk, which puts it in the system archive (NTOS_ARCHIVE_EXTRA).
#
# A PE32+ executable, subsystem native, entry NtProcessStartup, preferred
# base NTOSKRNL_BASE, linked against Nereid's ntdll. It compiles against
# mingw-w64's stock ddk headers (-I$(DDK_INC)), whose structure layouts are
# the ones drivers assume, plus ntoskrnl/include/ and the libsel4 headers.
# Exports: every definition marked NTKRNL_EXPORT (ntoskrnl/include/),
# plus the forwarders listed in ntoskrnl/*/forwards.txt ("Name ntdll.Name"
# a line), which become build/ntoskrnl/forwards.def (sorted, a line listed
# by two files once). The self-tests of the
# runtime's library live in ntoskrnl/tests/ (their own build.mk).

NTOSKRNL_CC := x86_64-w64-mingw32-gcc
NTOSKRNL_OUT := $(BUILD)/ntoskrnl
NTOSKRNL_EXE := $(NTOSKRNL_OUT)/ntoskrnl.exe
NTOSKRNL_BASE := 0x7ff600000000
DDK_INC := /usr/share/mingw-w64/include/ddk

NTOSKRNL_SRCS := $(sort $(filter-out ntoskrnl/tests/% ntoskrnl/testdrv/%,\
    $(call rwildcard,ntoskrnl,*.c) $(call rwildcard,ntoskrnl,*.S)))
NTOSKRNL_OBJS := $(patsubst ntoskrnl/%,$(NTOSKRNL_OUT)/%.o,$(basename $(NTOSKRNL_SRCS)))
NTOSKRNL_FORWARDS := $(sort $(wildcard ntoskrnl/*/forwards.txt))
NTOSKRNL_DEF := $(NTOSKRNL_OUT)/forwards.def

NTOSKRNL_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-stack-protector \
    -fno-tree-loop-distribute-patterns -Wall -Wextra -Werror -Wno-unused-parameter \
    -Wno-array-bounds \
    -D_NTOSKRNL_ -D_NTHAL_ -D_NTHALDLL_ -D_NTSYSTEM_ -I$(DDK_INC) -Intoskrnl/include -Iinclude \
    -I$(BUILD)/include $(LIBSEL4_INC)
NTOSKRNL_LDFLAGS := -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,-e,NtProcessStartup \
    -Wl,--image-base,$(NTOSKRNL_BASE) -Wl,--dynamicbase -Wl,--no-insert-timestamp \
    -Wl,--disable-auto-import -Wl,--disable-runtime-pseudo-reloc

$(NTOSKRNL_OUT)/%.o: ntoskrnl/%.c $(LIBSEL4_HEADERS) $(BUILD)/include/nt/ntstatus.h
	@mkdir -p $(@D)
	$(Q)$(NTOSKRNL_CC) $(NTOSKRNL_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(NTOSKRNL_OUT)/%.o: ntoskrnl/%.S
	@mkdir -p $(@D)
	$(Q)$(NTOSKRNL_CC) $(NTOSKRNL_CFLAGS) -c $< -o $@
	@$(ECHO_CC)

$(NTOSKRNL_DEF): $(NTOSKRNL_FORWARDS)
	@mkdir -p $(@D)
	$(Q){ echo EXPORTS; cat /dev/null $^ | sed -e 's/#.*//' -e '/^[[:space:]]*$$/d' \
	    -e 's/^[[:space:]]*\([^[:space:]]*\)[[:space:]]*\([^[:space:]]*\).*/    \1=\2/' | \
	    LC_ALL=C sort -u; } > $@

ifneq ($(NTOSKRNL_SRCS),)
$(NTOSKRNL_EXE): $(NTOSKRNL_OBJS) $(NTOSKRNL_DEF) $(NTDLL_IMPLIB)
	$(Q)$(NTOSKRNL_CC) $(NTOSKRNL_LDFLAGS) -o $@ $(NTOSKRNL_OBJS) $(NTOSKRNL_DEF) \
	    -L$(NTDLL_OUT) -lntdll -lgcc
	@echo "  LD      $@"
NTOS_ARCHIVE_EXTRA += $(NTOSKRNL_EXE)
endif

-include $(NTOSKRNL_OBJS:.o=.d)

# ---- the drivers of the runtime's tests (ntoskrnl/testdrv/) -----------------------------
# Built as drivers/build.mk builds drivers (stock ddk headers, mingw-w64's
# libntoskrnl.a and libhal.a) and put into the system archive: dhtest.sys,
# dhfail.sys, dhnoimp.sys (linked against missing.def, a routine no
# ntoskrnl.exe has), dhdll.sys (an ntdll.dll import, ntdllimp.def),
# dhnodll.sys (a DLL that does not exist, nodll.def), and two broken
# images made from dhtest.sys:
# dhtrunc.sys (cut after its headers) and dhmachine.sys (Machine = i386).
NTOSKRNL_TESTDRV_OUT := $(NTOSKRNL_OUT)/testdrv
NTOSKRNL_TESTDRV_NAMES := $(basename $(notdir $(wildcard ntoskrnl/testdrv/*.c)))
NTOSKRNL_TESTDRV := $(patsubst %,$(NTOSKRNL_TESTDRV_OUT)/%.sys,$(NTOSKRNL_TESTDRV_NAMES)) \
    $(NTOSKRNL_TESTDRV_OUT)/dhtrunc.sys $(NTOSKRNL_TESTDRV_OUT)/dhmachine.sys
NTOSKRNL_TESTDRV_CFLAGS := -std=gnu11 -O2 -Wall -Werror -fno-stack-protector -I$(DDK_INC)
NTOSKRNL_TESTDRV_LDFLAGS := -shared -nostdlib -nostartfiles -Wl,--subsystem,native \
    -Wl,-e,DriverEntry -Wl,--image-base,0x140000000 -Wl,--dynamicbase -Wl,--no-insert-timestamp

$(NTOSKRNL_TESTDRV_OUT)/%.o: ntoskrnl/testdrv/%.c
	@mkdir -p $(@D)
	$(Q)$(NTOSKRNL_CC) $(NTOSKRNL_TESTDRV_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

# Each testdrv/<name>.def (its LIBRARY line names the DLL) becomes
# libdh<name>.a; every test driver links them all, and only the routines it
# calls become imports.
NTOSKRNL_TESTDRV_DEFS := $(basename $(notdir $(wildcard ntoskrnl/testdrv/*.def)))
NTOSKRNL_TESTDRV_LIBS := $(patsubst %,$(NTOSKRNL_TESTDRV_OUT)/libdh%.a,$(NTOSKRNL_TESTDRV_DEFS))

$(NTOSKRNL_TESTDRV_OUT)/libdh%.a: ntoskrnl/testdrv/%.def
	@mkdir -p $(@D)
	$(Q)x86_64-w64-mingw32-dlltool -d $< -l $@

$(NTOSKRNL_TESTDRV_OUT)/%.sys: $(NTOSKRNL_TESTDRV_OUT)/%.o $(NTOSKRNL_TESTDRV_LIBS)
	$(Q)$(NTOSKRNL_CC) $(NTOSKRNL_TESTDRV_LDFLAGS) -o $@ $< -L$(NTOSKRNL_TESTDRV_OUT) \
	    $(patsubst %,-ldh%,$(NTOSKRNL_TESTDRV_DEFS)) -lntoskrnl -lhal -lgcc
	@echo "  LD      $@"

$(NTOSKRNL_TESTDRV_OUT)/dhtrunc.sys: $(NTOSKRNL_TESTDRV_OUT)/dhtest.sys
	$(Q)head -c 1024 $< > $@

# Machine (the u16 after the "PE\0\0" at e_lfanew) = 0x014c.
$(NTOSKRNL_TESTDRV_OUT)/dhmachine.sys: $(NTOSKRNL_TESTDRV_OUT)/dhtest.sys
	$(Q)$(PYTHON) -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); \
	    o = int.from_bytes(d[60:64], "little") + 4; d[o:o + 2] = (0x14c).to_bytes(2, "little"); \
	    open(sys.argv[2], "wb").write(d)' $< $@

.SECONDARY: $(patsubst %,$(NTOSKRNL_TESTDRV_OUT)/%.o,$(NTOSKRNL_TESTDRV_NAMES)) $(NTOSKRNL_TESTDRV_LIBS)
NTOS_ARCHIVE_EXTRA += $(NTOSKRNL_TESTDRV)
-include $(patsubst %,$(NTOSKRNL_TESTDRV_OUT)/%.d,$(NTOSKRNL_TESTDRV_NAMES))
-include ntoskrnl/tests/build.mk
