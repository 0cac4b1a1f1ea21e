# SPDX-License-Identifier: BSD-2-Clause
#
# drivers/video/console/build.mk (included by drivers/build.mk): the 8x16
# font of the framebuffer text, generated from a PSF console font of
# Debian's console-setup-linux (tools/deps.sh installs it) by
# tools/psffont.py; never kept by hand (STYLE.md §4).

CONSOLE_PSF := /usr/share/consolefonts/Lat15-VGA16.psf.gz
CONSOLE_FONT := $(DRIVERS_OUT)/video/console/font8x16.h

$(CONSOLE_FONT): tools/psffont.py $(CONSOLE_PSF)
	@mkdir -p $(@D)
	$(Q)python3 tools/psffont.py $(CONSOLE_PSF) $@ ConFont
	@echo "  GEN     $@"

$(DRIVERS_OUT)/video/console/framebuffer.o: $(CONSOLE_FONT)
$(DRIVERS_OUT)/video/console/%.o: DRIVERS_CFLAGS += -I$(DRIVERS_OUT)/video/console
