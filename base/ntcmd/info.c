/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the machine says about itself: ver (Nereid's version, and NT's from
 * the PEB and KUSER_SHARED_DATA), date and time (NtQuerySystemTime, which
 * ntos keeps from the CMOS clock, in UTC: Nereid has no time zone yet) and
 * sysinfo (NtQuerySystemInformation: memory from the basic and
 * performance classes, the process count from the process list, the
 * uptime from the time of day).
 */
#include "ntcmd.h"

#define CMD_USER_SHARED_DATA ((const volatile KUSER_SHARED_DATA *)0x7ffe0000)

static PCSTR const CmdWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                    "Thursday", "Friday", "Saturday"};

NTSTATUS CmdVer(CMD_ARGS *Args)
{
    PPEB Peb = CmdPeb();

    (void)Args;
    CmdPrint("Nereid %s, NT %lu.%lu build %u (x64)\n", CMD_NEREID_VERSION, Peb->OSMajorVersion,
             Peb->OSMinorVersion, Peb->OSBuildNumber);
    CmdPrint("kernel: NT %lu.%lu (KUSER_SHARED_DATA)\n", CMD_USER_SHARED_DATA->NtMajorVersion,
             CMD_USER_SHARED_DATA->NtMinorVersion);
    return STATUS_SUCCESS;
}

static NTSTATUS CmdNow(TIME_FIELDS *Fields, PCSTR Command)
{
    LARGE_INTEGER Now;
    NTSTATUS Status = NtQuerySystemTime(&Now);

    if (!NT_SUCCESS(Status)) {
        CmdPrintError(Command, Status);
        return Status;
    }
    RtlTimeToTimeFields(&Now, Fields);
    return STATUS_SUCCESS;
}

NTSTATUS CmdDate(CMD_ARGS *Args)
{
    TIME_FIELDS Now;
    NTSTATUS Status = CmdNow(&Now, Args->Argv[0]);

    if (NT_SUCCESS(Status))
        CmdPrint("%04u-%02u-%02u (%s)\n", Now.Year, Now.Month, Now.Day,
                 CmdWeekdays[Now.Weekday % 7]);
    return Status;
}

NTSTATUS CmdTime(CMD_ARGS *Args)
{
    TIME_FIELDS Now;
    NTSTATUS Status = CmdNow(&Now, Args->Argv[0]);

    if (NT_SUCCESS(Status))
        CmdPrint("%02u:%02u:%02u.%03u UTC\n", Now.Hour, Now.Minute, Now.Second, Now.Milliseconds);
    return Status;
}

/* The number of records in the process list. */
static NTSTATUS CmdCountProcesses(ULONG *Count)
{
    const SYSTEM_PROCESS_INFORMATION *Process = NULL;
    PUCHAR List;
    NTSTATUS Status = CmdQueryProcesses(&List);

    if (!NT_SUCCESS(Status))
        return Status;
    for (*Count = 0; (Process = CmdNextProcess(List, Process)) != NULL;)
        (*Count)++;
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, List);
    return STATUS_SUCCESS;
}

static VOID CmdSysinfoMemory(void)
{
    SYSTEM_BASIC_INFORMATION Basic;
    static SYSTEM_PERFORMANCE_INFORMATION Performance;
    NTSTATUS Status;

    Status = NtQuerySystemInformation(SystemBasicInformation, &Basic, sizeof(Basic), NULL);
    if (!NT_SUCCESS(Status)) {
        CmdPrintError("sysinfo: memory", Status);
        return;
    }
    CmdPrint("memory:    %lu KiB physical (%lu pages of %lu bytes), %u processor(s)\n",
             (ULONG)((ULONGLONG)Basic.NumberOfPhysicalPages * Basic.PageSize / 1024),
             Basic.NumberOfPhysicalPages, Basic.PageSize, (unsigned)Basic.NumberOfProcessors);
    Status = NtQuerySystemInformation(SystemPerformanceInformation, &Performance,
                                      sizeof(Performance), NULL);
    if (NT_SUCCESS(Status))
        CmdPrint("           %lu KiB available, %lu KiB committed\n",
                 (ULONG)((ULONGLONG)Performance.AvailablePages * Basic.PageSize / 1024),
                 (ULONG)((ULONGLONG)Performance.CommittedPages * Basic.PageSize / 1024));
    else
        CmdPrintError("sysinfo: available memory", Status);
}

NTSTATUS CmdSysinfo(CMD_ARGS *Args)
{
    SYSTEM_TIMEOFDAY_INFORMATION Time;
    ULONG Processes = 0;
    NTSTATUS Status;

    (void)Args;
    CmdSysinfoMemory();
    Status = CmdCountProcesses(&Processes);
    if (NT_SUCCESS(Status))
        CmdPrint("processes: %lu\n", Processes);
    else
        CmdPrintError("sysinfo: processes", Status);
    Status = NtQuerySystemInformation(SystemTimeOfDayInformation, &Time, sizeof(Time), NULL);
    if (NT_SUCCESS(Status)) {
        ULONGLONG Seconds =
            (ULONGLONG)(Time.CurrentTime.QuadPart - Time.BootTime.QuadPart) / 10000000ULL;

        CmdPrint("uptime:    %lu:%02lu:%02lu (%lu s)\n", (ULONG)(Seconds / 3600),
                 (ULONG)(Seconds / 60 % 60), (ULONG)(Seconds % 60), (ULONG)Seconds);
    } else {
        CmdPrintError("sysinfo: uptime", Status);
    }
    return Status;
}
