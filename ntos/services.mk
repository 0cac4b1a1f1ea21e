# SPDX-License-Identifier: BSD-2-Clause
#
# ntos/services.mk: the system service files generated from ntos/services.def
# by tools/ntsvcgen.py (-include'd by ntos/build.mk). One run writes all of
# them, so ntdll's stubs and ntos's table always come from the same list:
#   build/ntos/ntsvc.h           service numbers and handler prototypes
#   build/ntos/ntsvc_table.c     unmarshallers + KiDispatchService (linked into ntos)
#   build/ntdll/ntsvc_stubs.c    Nt*/Zw* stubs (ntdll/build.mk compiles them)
#   build/ntdll/ntsvc.h          their prototypes, for ntdll's code
#   build/ntdll/ntsvc_exports.txt the exported names, one a line (ntdll/mkdef.py)

# Included by ntos/build.mk and by tests/host/ntsvc/build.mk: only once.
ifndef NTSVC_MK_INCLUDED
NTSVC_MK_INCLUDED := 1

NTSVC_DEF := ntos/services.def
NTSVC_GEN := tools/ntsvcgen.py
NTSVC_NTOS_H := $(BUILD)/ntos/ntsvc.h
NTSVC_NTOS_TABLE := $(BUILD)/ntos/ntsvc_table.c
NTSVC_NTDLL_STUBS := $(BUILD)/ntdll/ntsvc_stubs.c
NTSVC_NTDLL_H := $(BUILD)/ntdll/ntsvc.h
NTSVC_NTDLL_EXPORTS := $(BUILD)/ntdll/ntsvc_exports.txt
NTSVC_OUTPUTS := $(NTSVC_NTOS_H) $(NTSVC_NTOS_TABLE) $(NTSVC_NTDLL_STUBS) $(NTSVC_NTDLL_H) \
    $(NTSVC_NTDLL_EXPORTS)

NTOS_GENERATED_SRCS += $(NTSVC_NTOS_TABLE)
NTOS_GENERATED_HDRS += $(NTSVC_NTOS_H)

$(NTSVC_OUTPUTS) &: $(NTSVC_DEF) $(NTSVC_GEN) include/nt/ntstatus.def
	$(Q)$(PYTHON) $(NTSVC_GEN) $(NTSVC_DEF) --statuses include/nt/ntstatus.def \
	    --ntos-header $(NTSVC_NTOS_H) --ntos-table $(NTSVC_NTOS_TABLE) \
	    --ntdll-stubs $(NTSVC_NTDLL_STUBS) --ntdll-header $(NTSVC_NTDLL_H) \
	    --ntdll-exports $(NTSVC_NTDLL_EXPORTS)
	@echo "  GEN     $(NTSVC_OUTPUTS)"

.PHONY: ntsvc
ntsvc: $(NTSVC_OUTPUTS)

endif
