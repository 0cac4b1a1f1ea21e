/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NrQueryDisplayInfo: what the boot loader left on the display, for the
 * console driver (drivers/video/console). Windows has no such routine and
 * mingw's libntoskrnl.a cannot name it, so a driver finds it with
 * MmGetSystemRoutineAddress(L"NrQueryDisplayInfo"); its record is
 * DRIVER_DISPLAY_INFO (include/nt/iohost.h), which drivers see as
 * NR_DISPLAY_INFO (drivers/include/nrdisplay.h), field for field. It is
 * NtDriverQueryDisplay (ntos/io/halmem.c) unchanged: Length must be
 * sizeof(DRIVER_DISPLAY_INFO), else STATUS_INFO_LENGTH_MISMATCH. Added by
 * the drivers branch to the hal section of the runtime.
 */
#include "ntoskrnl.h"

_Static_assert(sizeof(DRIVER_DISPLAY_INFO) == 48, "NR_DISPLAY_INFO (drivers/include/nrdisplay.h)");

/* ntdll's stub of service 111 (the runtime links against Nereid's ntdll). */
NTSYSAPI NTSTATUS NTAPI NtDriverQueryDisplay(PVOID Info, ULONG Length);

NTKRNL_EXPORT NTSTATUS NTAPI NrQueryDisplayInfo(PVOID Info, ULONG Length)
{
    return NtDriverQueryDisplay(Info, Length);
}
