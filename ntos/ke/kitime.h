/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ke's time keeping: the CMOS real-time clock's
 * registers (read by ke/rtc.c through an IOPort capability) and their
 * decoding (ke/time.c), kept apart so the decoding runs in host tests.
 */
#pragma once

#include <ntos.h>

/* The CMOS registers ke reads, by index in KI_CMOS_CLOCK.Regs. */
enum {
    KiCmosSeconds = 0x00,
    KiCmosMinutes = 0x02,
    KiCmosHours = 0x04,
    KiCmosDay = 0x07,
    KiCmosMonth = 0x08,
    KiCmosYear = 0x09,
    KiCmosStatusA = 0x0a, /* bit 7: an update is in progress */
    KiCmosStatusB = 0x0b, /* bit 2: binary (else BCD); bit 1: 24-hour */
    KiCmosCentury = 0x32, /* BCD/binary like the rest; 0 if the board has none */
    KiCmosRegisterCount = 0x33,
};

typedef struct _KI_CMOS_CLOCK {
    UCHAR Regs[KiCmosRegisterCount];
} KI_CMOS_CLOCK;

/* Read the clock registers once, between two updates (ke/rtc.c).
 * STATUS_NOT_SUPPORTED when the I/O ports cannot be had. */
NTSTATUS KiReadCmosClock(KI_CMOS_CLOCK *Clock);

/* Decode the registers into NT time (UTC, as the BIOS keeps it on QEMU);
 * STATUS_INVALID_PARAMETER for values that are not a date. */
NTSTATUS KiCmosClockToTime(const KI_CMOS_CLOCK *Clock, LARGE_INTEGER *Time);
