# SPDX-License-Identifier: BSD-2-Clause
#
# drivers/test/pnptest/build.mk: pnpfail.sys and pnphang.sys, copies of
# pnptest.sys that the tests load as services PnpFail (the driver fails
# START) and PnpHang (it never completes the shutdown power IRP): the
# service's name is the load-time parameter, as no registry exists yet.
# They go into the system archive with pnptest.sys.

PNPTEST_COPIES := $(DRIVERS_OUT)/pnpfail.sys $(DRIVERS_OUT)/pnphang.sys

$(PNPTEST_COPIES): $(DRIVERS_OUT)/pnptest.sys
	$(Q)cp $< $@
	@echo "  GEN     $@"

NTOS_ARCHIVE_EXTRA += $(PNPTEST_COPIES)
drivers: $(PNPTEST_COPIES)
