# SPDX-License-Identifier: BSD-2-Clause
#
# drivers/build.mk: every folder drivers/<class>/<name>/ holding .c files
# becomes build/drivers/<name>.sys, built the way a driver writer with
# stock mingw-w64 builds one (spec/nt-abi.md §1.1, §6): the ddk headers,
# entry DriverEntry, subsystem native, linked against mingw-w64's own
# import libraries libntoskrnl.a and libhal.a, nothing of Nereid's. Each
# .sys goes into the system archive (NTOS_ARCHIVE_EXTRA). Included by the
# top Makefile before base/build.mk.

DRIVERS_CC := x86_64-w64-mingw32-gcc
DRIVERS_OUT := $(BUILD)/drivers
DRIVER_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard drivers/*/*/*.c))))
DRIVER_NAMES := $(notdir $(DRIVER_DIRS))
DRIVER_SYS := $(patsubst %,$(DRIVERS_OUT)/%.sys,$(DRIVER_NAMES))

DRIVERS_CFLAGS := -std=gnu11 -O2 -Wall -Werror -fno-stack-protector \
    -I/usr/share/mingw-w64/include/ddk -Idrivers/include
DRIVERS_LDFLAGS := -shared -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,-e,DriverEntry \
    -Wl,--image-base,0x140000000 -Wl,--dynamicbase -Wl,--no-insert-timestamp

$(DRIVERS_OUT)/%.o: drivers/%.c
	@mkdir -p $(@D)
	$(Q)$(DRIVERS_CC) $(DRIVERS_CFLAGS) -MMD -MP -c $< -o $@
	@$(ECHO_CC)

# $(call driver_sys,DIR): the link rule of build/drivers/<basename DIR>.sys.
define driver_sys
DRIVER_$(notdir $(1))_OBJS := $$(patsubst drivers/%.c,$$(DRIVERS_OUT)/%.o,$$(sort $$(wildcard $(1)/*.c)))
$$(DRIVERS_OUT)/$(notdir $(1)).sys: $$(DRIVER_$(notdir $(1))_OBJS)
	$$(Q)$$(DRIVERS_CC) $$(DRIVERS_LDFLAGS) -o $$@ $$^ -lntoskrnl -lhal -lgcc
	@echo "  LD      $$@"
-include $$(DRIVER_$(notdir $(1))_OBJS:.o=.d)
endef
$(foreach d,$(DRIVER_DIRS),$(eval $(call driver_sys,$(d))))

# A driver folder may add rules of its own (generated headers): drivers
# branch, drivers/<class>/<name>/build.mk.
include $(wildcard drivers/*/*/build.mk)

NTOS_ARCHIVE_EXTRA += $(DRIVER_SYS)

.PHONY: drivers
drivers: $(DRIVER_SYS)
