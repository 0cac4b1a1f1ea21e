/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time services. The performance counter is the TSC scaled to 10 MHz, the
 * frequency modern Windows reports, so programs see the same units whatever
 * the CPU; the TSC rate comes from the kernel's bootinfo (TSC chunk, MHz).
 * The system time is the CMOS clock read once (ke/rtc.c), carried forward
 * by the TSC; without a TSC rate the clock is read on every query.
 */

#include <ntsvc.h>
#include "kep.h"
#include "kitime.h"

#define KI_PERFORMANCE_FREQUENCY 10000000ull

static ULONGLONG KiTscMhz;      /* 0 until found in the bootinfo */
static LONGLONG KiBootTime;     /* NT time read from the CMOS clock ... */
static ULONGLONG KiBootTimeTsc; /* ... at this TSC value */
static BOOLEAN KiBootTimeValid;

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

/* TSC ticks as 100 ns units: ticks / (Mhz * 1e6) s = ticks * 10 / Mhz. */
static LONGLONG KiTscToTicks(ULONGLONG Tsc, ULONGLONG Mhz)
{
    return (LONGLONG)((unsigned __int128)Tsc * 10 / Mhz);
}

NTSTATUS NtQueryPerformanceCounter(LARGE_INTEGER *Counter, LARGE_INTEGER *Frequency)
{
    ULONGLONG Mhz = KiQueryTscMhz();

    if (Mhz == 0)
        return STATUS_NOT_IMPLEMENTED;
    Counter->QuadPart = KiTscToTicks(KiReadTsc(), Mhz);
    if (Frequency != NULL)
        Frequency->QuadPart = KI_PERFORMANCE_FREQUENCY;
    return STATUS_SUCCESS;
}

static UCHAR KiFromBcd(UCHAR Value, BOOLEAN Binary)
{
    return Binary ? Value : (UCHAR)((Value >> 4) * 10 + (Value & 0xf));
}

NTSTATUS KiCmosClockToTime(const KI_CMOS_CLOCK *Clock, LARGE_INTEGER *Time)
{
    UCHAR StatusB = Clock->Regs[KiCmosStatusB];
    BOOLEAN Binary = (StatusB & 0x04) != 0, Hours24 = (StatusB & 0x02) != 0;
    UCHAR Hour = Clock->Regs[KiCmosHours];
    BOOLEAN Pm = !Hours24 && (Hour & 0x80);
    UCHAR Century = KiFromBcd(Clock->Regs[KiCmosCentury], Binary);
    TIME_FIELDS Fields = {0};

    Hour = KiFromBcd(Hour & 0x7f, Binary);
    if (!Hours24) /* 12 AM is hour 0, 12 PM hour 12 */
        Hour = (UCHAR)(Hour % 12 + (Pm ? 12 : 0));
    Fields.Year = KiFromBcd(Clock->Regs[KiCmosYear], Binary);
    /* Without a century register: 1970..2069. */
    if (Century >= 19 && Century <= 99)
        Fields.Year += Century * 100;
    else
        Fields.Year += Fields.Year < 70 ? 2000 : 1900;
    Fields.Month = KiFromBcd(Clock->Regs[KiCmosMonth], Binary);
    Fields.Day = KiFromBcd(Clock->Regs[KiCmosDay], Binary);
    Fields.Hour = Hour;
    Fields.Minute = KiFromBcd(Clock->Regs[KiCmosMinutes], Binary);
    Fields.Second = KiFromBcd(Clock->Regs[KiCmosSeconds], Binary);
    return RtlTimeFieldsToTime(&Fields, Time) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

/* The CMOS clock as NT time, and the TSC when it was read. */
static NTSTATUS KiReadClock(LONGLONG *Time, ULONGLONG *Tsc)
{
    KI_CMOS_CLOCK Clock;
    LARGE_INTEGER Value;
    NTSTATUS Status;

    Status = KiReadCmosClock(&Clock);
    if (!NT_SUCCESS(Status))
        return Status;
    *Tsc = KiReadTsc();
    Status = KiCmosClockToTime(&Clock, &Value);
    if (NT_SUCCESS(Status))
        *Time = Value.QuadPart;
    return Status;
}

NTSTATUS NtQuerySystemTime(LARGE_INTEGER *SystemTime)
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONGLONG Mhz = KiQueryTscMhz();
    LONGLONG Now;
    ULONGLONG Tsc;

    if (Mhz == 0) {
        Status = KiReadClock(&Now, &Tsc);
        if (NT_SUCCESS(Status))
            SystemTime->QuadPart = Now;
        return Status;
    }
    if (!KiBootTimeValid) {
        Status = KiReadClock(&KiBootTime, &KiBootTimeTsc);
        if (!NT_SUCCESS(Status))
            return Status;
        KiBootTimeValid = TRUE;
    }
    SystemTime->QuadPart = KiBootTime + KiTscToTicks(KiReadTsc() - KiBootTimeTsc, Mhz);
    return Status;
}
