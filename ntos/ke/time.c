/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time services. The performance counter is the TSC scaled to 10 MHz, the
 * frequency modern Windows reports, so programs see the same units whatever
 * the CPU; the TSC rate comes from the kernel's bootinfo (TSC chunk, MHz).
 * The system time needs the CMOS clock, which ntos does not read yet.
 */

#include <ntsvc.h>
#include "kep.h"

#define KI_PERFORMANCE_FREQUENCY 10000000ull

static ULONGLONG KiTscMhz; /* 0 until found in the bootinfo */

static ULONGLONG KiReadTsc(void)
{
    ULONG Low, High;

    __asm__ volatile("rdtsc" : "=a"(Low), "=d"(High));
    return (ULONGLONG)High << 32 | Low;
}

/* The TSC rate in MHz from the bootinfo's TSC chunk; 0 when there is none. */
static ULONGLONG KiQueryTscMhz(void)
{
    const seL4_BootInfoHeader *Chunk;

    if (KiTscMhz != 0 || KiBootInfo == NULL)
        return KiTscMhz;
    Chunk = seL4_BootInfo_FindChunk(KiBootInfo, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    if (Chunk != NULL)
        KiTscMhz = ((const seL4_X86_BootInfo_TSCFreq *)Chunk)->freq_mhz;
    return KiTscMhz;
}

NTSTATUS NtQueryPerformanceCounter(LARGE_INTEGER *Counter, LARGE_INTEGER *Frequency)
{
    ULONGLONG Mhz = KiQueryTscMhz();

    if (Mhz == 0)
        return STATUS_NOT_IMPLEMENTED;
    /* ticks / (Mhz * 1e6) seconds = ticks * 10 / Mhz units of 100 ns. */
    Counter->QuadPart = (LONGLONG)((unsigned __int128)KiReadTsc() * 10 / Mhz);
    if (Frequency != NULL)
        Frequency->QuadPart = KI_PERFORMANCE_FREQUENCY;
    return STATUS_SUCCESS;
}

NTSTATUS NtQuerySystemTime(LARGE_INTEGER *SystemTime)
{
    /* FIXME: read the CMOS RTC (ports 0x70/0x71) at boot and keep time from
     * the TSC; until then there is no time to give. */
    (void)SystemTime;
    return STATUS_NOT_IMPLEMENTED;
}
