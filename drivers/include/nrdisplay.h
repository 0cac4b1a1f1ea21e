/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a Nereid driver may ask the runtime about the display the boot
 * loader left. Windows has no such export: a driver finds the routine with
 * MmGetSystemRoutineAddress(L"NrQueryDisplayInfo") and falls back to the
 * PC's VGA text mode without it. The record is the runtime's
 * DRIVER_DISPLAY_INFO (include/nt/iohost.h, NtDriverQueryDisplay) field
 * for field; both sides pin its size.
 */
#pragma once

#include <ntddk.h>

#define NR_DISPLAY_NONE        0
#define NR_DISPLAY_VGA_TEXT    1 /* VGA text mode at 0xB8000 */
#define NR_DISPLAY_FRAMEBUFFER 2 /* a linear framebuffer */

typedef struct _NR_DISPLAY_INFO {
    ULONG Kind;          /* NR_DISPLAY_* */
    ULONG Width, Height; /* pixels, or characters for VGA text */
    ULONG Pitch;         /* bytes a line */
    ULONG BitsPerPixel;  /* 0 for text */
    ULONG Reserved;
    ULONGLONG PhysicalAddress;
    ULONGLONG Size; /* bytes */
    UCHAR RedShift, RedSize, GreenShift, GreenSize, BlueShift, BlueSize, Pad[2];
} NR_DISPLAY_INFO, *PNR_DISPLAY_INFO;

_Static_assert(sizeof(NR_DISPLAY_INFO) == 48, "NR_DISPLAY_INFO is DRIVER_DISPLAY_INFO");

/* NTSTATUS NrQueryDisplayInfo(PNR_DISPLAY_INFO Info, ULONG Length): Length
 * must be sizeof(NR_DISPLAY_INFO) (else STATUS_INFO_LENGTH_MISMATCH). */
typedef NTSTATUS(NTAPI *PNR_QUERY_DISPLAY_INFO)(PNR_DISPLAY_INFO Info, ULONG Length);
