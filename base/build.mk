# SPDX-License-Identifier: BSD-2-Clause
#
# base/build.mk: the native programs and the system archive. Included by the
# top Makefile after ntdll/build.mk and before ntos/build.mk.
#
# Each folder base/<name>/ holding .c files becomes build/base/<name>.exe: a
# PE32+ executable, subsystem native, built freestanding with mingw-w64
# against Nereid's own import library build/ntdll/libntdll.a, entry
# NtProcessStartup(PPEB) (base/README.md). Headers: base/include/ and the NT
# types of include/.
#
# A folder whose name ends in "dll" (base/<name>dll/) becomes a DLL instead:
# build/base/<name>dll.dll, entry DllMain, its import library
# build/base/lib<name>dll.a; the names of other base DLLs it imports from go
# in base/<name>dll/imports, one a line (they are linked first).
#
# The system archive build/ntos/archive.bin (tools/mkarchive.py) holds
# ntdll.dll and every program; defining NTOS_ARCHIVE_RULE makes ntos/build.mk
# use it instead of its empty fallback.

BASE_CC := x86_64-w64-mingw32-gcc
BASE_OUT := $(BUILD)/base
BASE_PROGRAMS := $(sort $(patsubst base/%/,%,$(dir $(wildcard base/*/*.c))))
BASE_PROGRAMS := $(filter-out include,$(BASE_PROGRAMS))
BASE_DLLS := $(filter %dll,$(BASE_PROGRAMS))
BASE_PROGRAMS := $(filter-out %dll,$(BASE_PROGRAMS))
BASE_EXES := $(patsubst %,$(BASE_OUT)/%.exe,$(BASE_PROGRAMS))
BASE_DLL_FILES := $(patsubst %,$(BASE_OUT)/%.dll,$(BASE_DLLS))

BASE_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-stack-protector -Wall -Wextra -Werror \
    -Ibase/include -Iinclude -I$(BUILD)/include
BASE_LDFLAGS := -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,-e,NtProcessStartup \
    -Wl,--image-base,0x140000000 -Wl,--no-insert-timestamp -Wl,--disable-auto-import \
    -Wl,--disable-runtime-pseudo-reloc

$(BASE_OUT)/%.o: base/%.c $(BUILD)/include/nt/ntstatus.h
	@mkdir -p $(@D)
	$(Q)$(BASE_CC) $(BASE_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

# $(call base_program,NAME): the link rule of build/base/NAME.exe.
define base_program
BASE_$(1)_OBJS := $$(patsubst base/%.c,$$(BASE_OUT)/%.o,$$(sort $$(wildcard base/$(1)/*.c)))
$$(BASE_OUT)/$(1).exe: $$(BASE_$(1)_OBJS) $$(NTDLL_IMPLIB)
	$$(Q)$$(BASE_CC) $$(BASE_LDFLAGS) -o $$@ $$(BASE_$(1)_OBJS) -L$$(NTDLL_OUT) -lntdll -lgcc
	@echo "  LD      $$@"
-include $$(BASE_$(1)_OBJS:.o=.d)
endef
$(foreach p,$(BASE_PROGRAMS),$(eval $(call base_program,$(p))))

# $(call base_dll,NAME): the link rule of build/base/NAME.dll and its import library.
BASE_DLL_LDFLAGS := -shared -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,-e,DllMain \
    -Wl,--image-base,0x180000000 -Wl,--disable-auto-image-base \
    -Wl,--dynamicbase -Wl,--no-insert-timestamp -Wl,--disable-auto-import \
    -Wl,--disable-runtime-pseudo-reloc
define base_dll
BASE_$(1)_OBJS := $$(patsubst base/%.c,$$(BASE_OUT)/%.o,$$(sort $$(wildcard base/$(1)/*.c)))
BASE_$(1)_IMPORTS := $$(strip $$(if $$(wildcard base/$(1)/imports),$$(shell cat base/$(1)/imports)))
$$(BASE_OUT)/$(1).dll: $$(BASE_$(1)_OBJS) $$(NTDLL_IMPLIB) \
    $$(patsubst %,$$(BASE_OUT)/lib%.a,$$(BASE_$(1)_IMPORTS))
	$$(Q)$$(BASE_CC) $$(BASE_DLL_LDFLAGS) -o $$@ $$(BASE_$(1)_OBJS) \
	    -Wl,--out-implib,$$(BASE_OUT)/lib$(1).a -L$$(BASE_OUT) \
	    $$(patsubst %,-l%,$$(BASE_$(1)_IMPORTS)) -L$$(NTDLL_OUT) -lntdll -lgcc
	@echo "  LD      $$@"
$$(BASE_OUT)/lib$(1).a: $$(BASE_OUT)/$(1).dll
-include $$(BASE_$(1)_OBJS:.o=.d)
endef
$(foreach d,$(BASE_DLLS),$(eval $(call base_dll,$(d))))

# shell branch: smss.exe and ntcmd.exe call services by their generated
# prototypes (build/ntdll/ntsvc.h); smss's configuration goes into the
# archive as \SystemRoot\smss.cfg (base/smss/README.md).
$(BASE_smss_OBJS) $(BASE_ntcmd_OBJS) $(BASE_sleeper_OBJS): $(BUILD)/ntdll/ntsvc.h
$(BASE_smss_OBJS) $(BASE_ntcmd_OBJS) $(BASE_sleeper_OBJS): BASE_CFLAGS += -I$(BUILD)/ntdll
SMSS_CONFIG := base/smss/smss.cfg
# crashme.exe -t starts threads (NtCreateThreadEx); halprobe calls the
# NtDriver* services.
$(BASE_crashme_OBJS) $(BASE_halprobe_OBJS): $(BUILD)/ntdll/ntsvc.h
$(BASE_crashme_OBJS) $(BASE_halprobe_OBJS): BASE_CFLAGS += -I$(BUILD)/ntdll
NTOS_ARCHIVE_EXTRA += $(SMSS_CONFIG)

# ---- the system archive ----------------------------------------------------------------
NTOS_ARCHIVE := $(BUILD)/ntos/archive.bin
NTOS_ARCHIVE_RULE := 1

$(NTOS_ARCHIVE): tools/mkarchive.py $(NTDLL_DLL) $(BASE_EXES) $(BASE_DLL_FILES) $(NTOS_ARCHIVE_EXTRA)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mkarchive.py -o $@ $(NTDLL_DLL) $(BASE_EXES) $(BASE_DLL_FILES) \
	    $(NTOS_ARCHIVE_EXTRA)
	@echo "  GEN     $@"

.PHONY: base
base: $(BASE_EXES) $(BASE_DLL_FILES) $(NTOS_ARCHIVE)
all: $(BASE_EXES) $(BASE_DLL_FILES) $(NTOS_ARCHIVE)
