# SPDX-License-Identifier: BSD-2-Clause
#
# drivers/test/pnptest/build.mk: pnpfail.sys, a copy of pnptest.sys that
# the tests load as service PnpFail (the driver fails START when its
# service is named so: a load-time parameter, as no registry exists yet).
# Both go into the system archive.

$(DRIVERS_OUT)/pnpfail.sys: $(DRIVERS_OUT)/pnptest.sys
	$(Q)cp $< $@
	@echo "  GEN     $@"

NTOS_ARCHIVE_EXTRA += $(DRIVERS_OUT)/pnpfail.sys
drivers: $(DRIVERS_OUT)/pnpfail.sys
