# SPDX-License-Identifier: BSD-2-Clause
#
# tests/host/build.mk: host-side test suites (programs and checks that run on
# the build machine, no QEMU). Each section registers one suite with the top
# Makefile's TEST_SUITES / <suite>_DEPS / <suite>_ARGS (docs/testing.md) and
# may add a convenience target test-<suite>.

# ---- libsel4: generated headers (tests/host/libsel4/) ------------------------
#
# run.py builds the sanitised host program, compiles the headers with the
# kernel's flags, as assembly and with mingw-w64, compares layouts across
# both compilers and checks the generator; it prints the serial protocol.
LIBSEL4_TEST_DIR := tests/host/libsel4
LIBSEL4_TEST_CMD := $(PYTHON) $(LIBSEL4_TEST_DIR)/run.py --abi $(LIBSEL4_ABI) \
    --gen $(LIBSEL4_GEN) --include $(LIBSEL4_OUT) --build $(BUILD)/tests/host/libsel4

TEST_SUITES += libsel4
libsel4_DEPS := $(LIBSEL4_HEADERS)
libsel4_ARGS := --cmd '$(LIBSEL4_TEST_CMD)'

.PHONY: test-libsel4
test-libsel4: $(LIBSEL4_HEADERS)
	@$(LIBSEL4_TEST_CMD)

# ---- cspace: CSpace / CNode / Retype unit test (tests/host/cspace/) --------
include tests/host/cspace/build.mk

# ---- NT headers and run-time library (tests/host/nt.mk) -----------------------
-include tests/host/nt.mk

# ---- pe-image: ntos's PE reader (tests/host/pe-image/) ----------------------------
-include tests/host/pe-image/build.mk

# ---- ntdll.dll, native programs and the archive (tests/host/ntdll/) ------------
-include tests/host/ntdll/build.mk

# ---- ntsvc: system service generator, unmarshallers, object manager ------------
-include tests/host/ntsvc/build.mk

# ---- ntcmd: the native shell's decoders and path rules (tests/host/ntcmd/) ------
-include tests/host/ntcmd/build.mk
# ---- drivers: the drivers' pure parts on the host (tests/host/drivers/) ----------
-include tests/host/drivers/build.mk
