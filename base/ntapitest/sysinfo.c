/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System information and time: NtQuerySystemInformation's basic class
 * (the record's fixed facts: page size, allocation granularity, the user
 * address range, processors, RAM) with the exact length, short, long, odd
 * and zero lengths (STATUS_INFO_LENGTH_MISMATCH with the needed
 * ReturnLength) and unknown classes; NtQueryPerformanceCounter (10 MHz,
 * monotonic, the frequency optional) and NtQuerySystemTime (after 2024 and
 * before 2100, never going back, agreeing with the performance counter).
 * While the TSC frequency is unknown the counter answers
 * STATUS_NOT_IMPLEMENTED (services.def) and its tests check only that.
 */
#include "ntapitest.h"

#define NTAPI_PERFORMANCE_FREQUENCY 10000000ll
#define NTAPI_TIME_2024             133485408000000000ll /* 2024-01-01 00:00 UTC */
#define NTAPI_TIME_2100             157469184000000000ll /* 2100-01-01 00:00 UTC */
#define NTAPI_SECOND                10000000ll

static NTSTATUS NtapiQueryBasic(PVOID Buffer, ULONG Size, ULONG *Length)
{
    *Length = 0;
    return NtQuerySystemInformation(SystemBasicInformation, Buffer, Size, Length);
}

/* ---- NtQuerySystemInformation ----------------------------------------------------------- */

TEST(sysinfo, basic)
{
    SYSTEM_BASIC_INFORMATION Info;
    ULONG Length;

    memset(&Info, 0xcc, sizeof(Info));
    CHECK_STATUS(NtapiQueryBasic(&Info, sizeof(Info), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.PageSize, 0x1000);
    CHECK_EQ(Info.AllocationGranularity, 0x10000);
    CHECK_EQ(Info.MinimumUserModeAddress, 0x10000);
    CHECK_EQ(Info.MaximumUserModeAddress, 0x7ffffffeffffull);
    CHECK(Info.NumberOfProcessors >= 1);
    CHECK(Info.ActiveProcessorsAffinityMask != 0);
    CHECK(Info.NumberOfPhysicalPages > 0);
    CHECK(Info.HighestPhysicalPageNumber >= Info.LowestPhysicalPageNumber);
    CHECK(Info.TimerResolution > 0);
}

TEST(sysinfo, basic_no_return_length)
{
    SYSTEM_BASIC_INFORMATION Info;

    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, &Info, sizeof(Info), NULL),
                 STATUS_SUCCESS);
}

TEST(sysinfo, basic_short)
{
    SYSTEM_BASIC_INFORMATION Info;
    ULONG Length;

    CHECK_STATUS(NtapiQueryBasic(&Info, sizeof(Info) - 4, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(Info));
}

TEST(sysinfo, basic_long)
{
    UCHAR Buffer[sizeof(SYSTEM_BASIC_INFORMATION) + 16];
    ULONG Length;

    CHECK_STATUS(NtapiQueryBasic(Buffer, sizeof(Buffer), &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(SYSTEM_BASIC_INFORMATION));
}

TEST(sysinfo, basic_odd_length)
{
    UCHAR Buffer[sizeof(SYSTEM_BASIC_INFORMATION) + 16];
    ULONG Length;

    CHECK_STATUS(NtapiQueryBasic(Buffer, 0x21, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(SYSTEM_BASIC_INFORMATION));
    CHECK_STATUS(NtapiQueryBasic(Buffer, sizeof(SYSTEM_BASIC_INFORMATION) + 1, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

/* Windows: a NULL buffer of length 0 asks for the size. */
TEST(sysinfo, basic_zero_length)
{
    ULONG Length;

    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, NULL, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtapiQueryBasic(NULL, 0, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(SYSTEM_BASIC_INFORMATION));
}

TEST(sysinfo, bad_class)
{
    UCHAR Buffer[64];
    ULONG Length;

    CHECK_STATUS(NtQuerySystemInformation(0x80000000u, Buffer, sizeof(Buffer), &Length),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQuerySystemInformation(0x80000000u, NULL, 0, NULL), STATUS_INVALID_INFO_CLASS);
}

/* ---- NtQueryPerformanceCounter ---------------------------------------------------------- */

TEST(sysinfo, performance_counter)
{
    LARGE_INTEGER Counter = {.QuadPart = -1}, Frequency = {.QuadPart = -1};
    NTSTATUS Status = NtQueryPerformanceCounter(&Counter, &Frequency);

    if (Status == STATUS_NOT_IMPLEMENTED)
        return;
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK_EQ(Frequency.QuadPart, NTAPI_PERFORMANCE_FREQUENCY);
    CHECK(Counter.QuadPart > 0);
}

TEST(sysinfo, performance_counter_no_frequency)
{
    LARGE_INTEGER Counter = {.QuadPart = -1};
    NTSTATUS Status = NtQueryPerformanceCounter(&Counter, NULL);

    if (Status == STATUS_NOT_IMPLEMENTED)
        return;
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK(Counter.QuadPart > 0);
}

TEST(sysinfo, performance_counter_monotonic)
{
    LARGE_INTEGER Previous, Now;
    ULONG Index;

    if (NtQueryPerformanceCounter(&Previous, NULL) == STATUS_NOT_IMPLEMENTED)
        return;
    for (Index = 0; Index < 100; Index++) {
        if (!CHECK_STATUS(NtQueryPerformanceCounter(&Now, NULL), STATUS_SUCCESS) ||
            !CHECK(Now.QuadPart >= Previous.QuadPart))
            return;
        Previous = Now;
    }
}

/* ---- NtQuerySystemTime ------------------------------------------------------------------ */

TEST(sysinfo, system_time)
{
    LARGE_INTEGER Time = {.QuadPart = 0};

    CHECK_STATUS(NtQuerySystemTime(&Time), STATUS_SUCCESS);
    CHECK(Time.QuadPart > NTAPI_TIME_2024);
    CHECK(Time.QuadPart < NTAPI_TIME_2100);
}

TEST(sysinfo, system_time_fields)
{
    LARGE_INTEGER Time = {.QuadPart = 0};
    TIME_FIELDS Fields;

    CHECK_STATUS(NtQuerySystemTime(&Time), STATUS_SUCCESS);
    RtlTimeToTimeFields(&Time, &Fields);
    CHECK(Fields.Year >= 2024 && Fields.Year < 2100);
    CHECK(Fields.Month >= 1 && Fields.Month <= 12);
    CHECK(Fields.Day >= 1 && Fields.Day <= 31);
}

TEST(sysinfo, system_time_monotonic)
{
    LARGE_INTEGER Previous, Now;
    ULONG Index;

    if (!CHECK_STATUS(NtQuerySystemTime(&Previous), STATUS_SUCCESS))
        return;
    for (Index = 0; Index < 100; Index++) {
        if (!CHECK_STATUS(NtQuerySystemTime(&Now), STATUS_SUCCESS) ||
            !CHECK(Now.QuadPart >= Previous.QuadPart))
            return;
        Previous = Now;
    }
}

/* Both clocks advance at the same rate: within a second over a short interval. */
TEST(sysinfo, system_time_matches_counter)
{
    LARGE_INTEGER Time0, Time1, Counter0, Counter1;
    LONGLONG Drift;
    ULONG Index;

    if (NtQueryPerformanceCounter(&Counter0, NULL) == STATUS_NOT_IMPLEMENTED)
        return;
    CHECK_STATUS(NtQuerySystemTime(&Time0), STATUS_SUCCESS);
    for (Index = 0; Index < 200; Index++)
        NtYieldExecution();
    CHECK_STATUS(NtQueryPerformanceCounter(&Counter1, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtQuerySystemTime(&Time1), STATUS_SUCCESS);
    Drift = (Time1.QuadPart - Time0.QuadPart) - (Counter1.QuadPart - Counter0.QuadPart);
    CHECK(Drift < NTAPI_SECOND && Drift > -NTAPI_SECOND);
}

TEST(sysinfo, performance_counter_advances)
{
    LARGE_INTEGER Before, After;
    ULONG Index;

    if (NtQueryPerformanceCounter(&Before, NULL) == STATUS_NOT_IMPLEMENTED)
        return;
    for (Index = 0; Index < 200; Index++)
        NtYieldExecution();
    CHECK_STATUS(NtQueryPerformanceCounter(&After, NULL), STATUS_SUCCESS);
    CHECK(After.QuadPart > Before.QuadPart);
}

/* The system time also reaches programs through KUSER_SHARED_DATA: both agree
 * within a minute (ntos refreshes the page from time to time, ps/kuser.c). */
TEST(sysinfo, system_time_matches_shared_data)
{
    const volatile KUSER_SHARED_DATA *Shared = (const volatile KUSER_SHARED_DATA *)0x7ffe0000;
    LARGE_INTEGER Time;
    LONGLONG SharedTime;

    CHECK_STATUS(NtQuerySystemTime(&Time), STATUS_SUCCESS);
    SharedTime = ((LONGLONG)Shared->SystemTime.High1Time << 32) | Shared->SystemTime.LowPart;
    CHECK(Time.QuadPart - SharedTime < 60 * NTAPI_SECOND &&
          SharedTime - Time.QuadPart < 60 * NTAPI_SECOND);
}

/* QEMU gives the machine 512 MiB: the RAM ntos reports is some of it. */
TEST(sysinfo, basic_physical_pages_plausible)
{
    SYSTEM_BASIC_INFORMATION Info;
    ULONG Length;

    CHECK_STATUS(NtapiQueryBasic(&Info, sizeof(Info), &Length), STATUS_SUCCESS);
    CHECK(Info.NumberOfPhysicalPages >= (16u << 20) / 0x1000);
    CHECK(Info.NumberOfPhysicalPages <= (512u << 20) / 0x1000);
    CHECK(Info.HighestPhysicalPageNumber < (1u << 20)); /* below 4 GiB */
}

TEST(sysinfo, performance_frequency_stable)
{
    LARGE_INTEGER Counter, First, Second;

    if (NtQueryPerformanceCounter(&Counter, &First) == STATUS_NOT_IMPLEMENTED)
        return;
    CHECK_STATUS(NtQueryPerformanceCounter(&Counter, &Second), STATUS_SUCCESS);
    CHECK_EQ(First.QuadPart, Second.QuadPart);
}

/* What Wine's kernelbase asks at start-up besides the basic class
 * (nt-abi §3): SystemDynamicTimeZoneInformation (102). Nereid has no time
 * zone data yet; the query must fail cleanly (kernelbase then reports
 * TIME_ZONE_ID_INVALID and skips loading tzres.dll), never succeed with
 * made-up zone names. */
TEST(sysinfo, dynamic_time_zone_fails_cleanly)
{
    static UCHAR Buffer[0x1b0];
    ULONG Length = 0x55555555;
    NTSTATUS Status = NtQuerySystemInformation(102, Buffer, sizeof(Buffer), &Length);

    CHECK(!NT_SUCCESS(Status));
    CHECK_EQ(Status, STATUS_INVALID_INFO_CLASS);
}
