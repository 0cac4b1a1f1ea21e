# SPDX-License-Identifier: BSD-2-Clause
#
# drivers/test/xcallbad/build.mk (included by drivers/build.mk): the import
# library of the two ntdll.dll services xcallbad.sys calls directly
# (ntdllxcall.def), linked with it.

XCALLBAD_NTDLL := $(DRIVERS_OUT)/test/xcallbad/libntdllxcall.a

$(XCALLBAD_NTDLL): drivers/test/xcallbad/ntdllxcall.def
	@mkdir -p $(@D)
	$(Q)x86_64-w64-mingw32-dlltool -d $< -l $@

$(DRIVERS_OUT)/xcallbad.sys: $(XCALLBAD_NTDLL)
