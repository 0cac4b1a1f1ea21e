/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time for drivers. The interrupt time (100 ns since boot) is ntos's
 * performance counter, NtQueryPerformanceCounter, scaled to 10 MHz; the
 * system time is NtQuerySystemTime. The clock "tick" drivers count with
 * KeQueryTickCount is KeQueryTimeIncrement (15.625 ms, Windows' default)
 * of interrupt time. On amd64 the ddk inlines KeQuerySystemTime,
 * KeQueryTickCount and KeQueryInterruptTime as loads from
 * KUSER_SHARED_DATA: ke/kuser.c makes those work; the exported forms here
 * serve the names that import tables carry.
 */
#include "ntoskrnl.h"

#define KI_TIME_INCREMENT 156250 /* 100 ns units: 15.625 ms */

LONGLONG KiQueryInterruptTime(VOID)
{
    LARGE_INTEGER Counter, Frequency;

    if (!NT_SUCCESS(NtQueryPerformanceCounter(&Counter, &Frequency)) || Frequency.QuadPart <= 0)
        return 0;
    if (Frequency.QuadPart == 10000000)
        return Counter.QuadPart;
    return Counter.QuadPart / Frequency.QuadPart * 10000000 +
           Counter.QuadPart % Frequency.QuadPart * 10000000 / Frequency.QuadPart;
}

NTKRNL_EXPORT ULONG NTAPI KeQueryTimeIncrement(VOID)
{
    return KI_TIME_INCREMENT;
}

NTKRNL_EXPORT ULONGLONG NTAPI KeQueryUnbiasedInterruptTime(VOID)
{
    return KiQueryInterruptTime();
}

/* Exported under the names of the x86 ddk (and of later ones) for import
 * tables that carry them; an amd64 mingw driver inlines these. */
NTKRNL_EXPORT ULONGLONG NTAPI KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp)
{
    LONGLONG Now = KiQueryInterruptTime();

    if (QpcTimeStamp)
        *QpcTimeStamp = Now;
    return Now;
}

NTKRNL_EXPORT VOID NTAPI KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
    NtQuerySystemTime(CurrentTime);
}

NTKRNL_EXPORT VOID NTAPI
KeQueryTickCountExport(PLARGE_INTEGER TickCount) __asm__("KeQueryTickCount");
NTKRNL_EXPORT VOID NTAPI KeQueryTickCountExport(PLARGE_INTEGER TickCount)
{
    TickCount->QuadPart = KiQueryInterruptTime() / KI_TIME_INCREMENT;
}

NTKRNL_EXPORT VOID NTAPI
KeQuerySystemTimeExport(PLARGE_INTEGER CurrentTime) __asm__("KeQuerySystemTime");
NTKRNL_EXPORT VOID NTAPI KeQuerySystemTimeExport(PLARGE_INTEGER CurrentTime)
{
    NtQuerySystemTime(CurrentTime);
}

NTKRNL_EXPORT ULONGLONG NTAPI KeQueryInterruptTimeExport(VOID) __asm__("KeQueryInterruptTime");
NTKRNL_EXPORT ULONGLONG NTAPI KeQueryInterruptTimeExport(VOID)
{
    return KiQueryInterruptTime();
}

/* A HAL routine (libhal.a imports it from hal.dll): ntos's counter at its
 * own frequency. */
NTKRNL_EXPORT LARGE_INTEGER NTAPI KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER Counter = {{0, 0}}, Frequency = {{0, 0}};

    NtQueryPerformanceCounter(&Counter, &Frequency);
    if (PerformanceFrequency)
        *PerformanceFrequency = Frequency;
    return Counter;
}
