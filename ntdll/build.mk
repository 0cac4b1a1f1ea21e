# SPDX-License-Identifier: BSD-2-Clause
#
# ntdll/build.mk: ntdll.dll and its import library, included by the top
# Makefile before ntos/build.mk (the system archive needs the DLL).
#
#   build/ntdll/ntdll.dll   PE32+ DLL (mingw-w64, Microsoft x64 ABI), no entry
#                           point, no imports, preferred base NTDLL_BASE,
#                           subsystem native; .reloc kept
#   build/ntdll/ntdll.def   its exports, written by ntdll/mkdef.py from the
#                           objects (NT-prefixed globals, the crt routines)
#                           and the service list build/ntdll/ntsvc_exports.txt
#   build/ntdll/libntdll.a  import library (dlltool) for Nereid's own programs
#
# Sources: every .c/.S under ntdll/ (rtl, crt, ldr, dbg, ...), plus the
# system service stubs once they exist: build/ntdll/ntsvc_stubs.c (generated
# by tools/ntsvcgen.py from ntos/services.def, rule in ntos/services.mk) and
# their transport ntdll/ntsvc.c. Until all of those are present,
# ntdll/ntsvc_none.c stands in for the two services ntdll calls itself.

NTDLL_CC := x86_64-w64-mingw32-gcc
NTDLL_NM := x86_64-w64-mingw32-nm
NTDLL_DLLTOOL := x86_64-w64-mingw32-dlltool
NTDLL_OUT := $(BUILD)/ntdll
NTDLL_DLL := $(NTDLL_OUT)/ntdll.dll
NTDLL_DEF := $(NTDLL_OUT)/ntdll.def
NTDLL_IMPLIB := $(NTDLL_OUT)/libntdll.a
# Where Windows x64 puts system DLLs (high in the 47-bit user space).
NTDLL_BASE := 0x7ffa00000000

# The generated headers every ntdll object may include.
NTDLL_GEN_HDRS := $(BUILD)/include/nt/ntstatus.h $(BUILD)/include/nt/ntstatus_table.h \
    $(BUILD)/ntdll/rtl/nlsdata.h $(LIBSEL4_HEADERS)

NTDLL_SVC_STUBS := $(NTDLL_OUT)/ntsvc_stubs.c
NTDLL_SVC_EXPORTS := $(NTDLL_OUT)/ntsvc_exports.txt
NTDLL_HAVE_SERVICES := $(and $(wildcard ntos/services.def),$(wildcard tools/ntsvcgen.py),\
    $(wildcard ntos/services.mk),$(wildcard ntdll/ntsvc.c))

NTDLL_OWN_SRCS := $(sort $(filter-out ntdll/ntsvc.c ntdll/ntsvc_none.c,\
    $(call rwildcard,ntdll,*.c) $(call rwildcard,ntdll,*.S)))
ifneq ($(NTDLL_HAVE_SERVICES),)
NTDLL_SVC_SRCS := ntdll/ntsvc.c
NTDLL_GEN_HDRS += $(NTDLL_OUT)/ntsvc.h
NTDLL_GEN_OBJS := $(NTDLL_OUT)/ntsvc_stubs.o
NTDLL_DEF_SERVICES := --services $(NTDLL_SVC_EXPORTS)
else
NTDLL_SVC_SRCS := ntdll/ntsvc_none.c
NTDLL_GEN_OBJS :=
NTDLL_DEF_SERVICES :=
endif

NTDLL_SRC_OBJS := $(patsubst ntdll/%,$(NTDLL_OUT)/%.o,$(basename $(NTDLL_OWN_SRCS) $(NTDLL_SVC_SRCS)))
NTDLL_CRT_OBJS := $(filter $(NTDLL_OUT)/crt/%,$(NTDLL_SRC_OBJS))
NTDLL_OBJS := $(NTDLL_SRC_OBJS) $(NTDLL_GEN_OBJS)

NTDLL_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-stack-protector \
    -fno-tree-loop-distribute-patterns -Wall -Wextra \
    -Iinclude -I$(BUILD)/include -I$(BUILD)/ntdll/rtl -I$(NTDLL_OUT) -Intdll $(LIBSEL4_INC)
# Generated code is not held to -Werror here (its generator's tests are).
NTDLL_OWN_CFLAGS := $(NTDLL_CFLAGS) -Werror
NTDLL_LDFLAGS := -shared -nostdlib -nostartfiles -Wl,-e,0 -Wl,--image-base,$(NTDLL_BASE) \
    -Wl,--subsystem,native -Wl,--dynamicbase -Wl,--high-entropy-va -Wl,--nxcompat \
    -Wl,--no-insert-timestamp -Wl,--disable-auto-import -Wl,--disable-runtime-pseudo-reloc

$(NTDLL_OUT)/%.o: ntdll/%.c $(NTDLL_GEN_HDRS)
	@mkdir -p $(@D)
	$(Q)$(NTDLL_CC) $(NTDLL_OWN_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(NTDLL_OUT)/%.o: ntdll/%.S
	@mkdir -p $(@D)
	$(Q)$(NTDLL_CC) $(NTDLL_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(NTDLL_OUT)/ntsvc_stubs.o: $(NTDLL_SVC_STUBS) $(NTDLL_GEN_HDRS)
	@mkdir -p $(@D)
	$(Q)$(NTDLL_CC) $(NTDLL_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

$(NTDLL_DEF): $(NTDLL_OBJS) ntdll/mkdef.py $(if $(NTDLL_HAVE_SERVICES),$(NTDLL_SVC_EXPORTS))
	$(Q)$(PYTHON) ntdll/mkdef.py --nm $(NTDLL_NM) --out $@ --crt $(NTDLL_CRT_OBJS) \
	    $(NTDLL_DEF_SERVICES) -- $(filter-out $(NTDLL_CRT_OBJS),$(NTDLL_OBJS))
	@echo "  GEN     $@"

$(NTDLL_DLL): $(NTDLL_OBJS) $(NTDLL_DEF)
	$(Q)$(NTDLL_CC) $(NTDLL_LDFLAGS) -o $@ $(NTDLL_OBJS) $(NTDLL_DEF) -lgcc
	@echo "  LD      $@"

$(NTDLL_IMPLIB): $(NTDLL_DEF)
	$(Q)$(NTDLL_DLLTOOL) -m i386:x86-64 -d $< -D ntdll.dll -l $@
	@echo "  DLLTOOL $@"

-include $(NTDLL_OBJS:.o=.d)

.PHONY: ntdll
ntdll: $(NTDLL_DLL) $(NTDLL_IMPLIB)
all: $(NTDLL_DLL) $(NTDLL_IMPLIB)
