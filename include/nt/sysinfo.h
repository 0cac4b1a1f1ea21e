/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQuerySystemInformation's classes and records that ntos answers and the
 * native programs read (x64 Windows 10 layouts; the offsets asserted are
 * the ones Windows' own tools rely on). Not part of nt.h: ntapitest keeps
 * copies of its own, written from Windows' facts, to check these.
 */
#pragma once

#include <nt/types.h>

typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
    SystemProcessorInformation = 1,
    SystemPerformanceInformation = 2,
    SystemTimeOfDayInformation = 3,
    SystemProcessInformation = 5,
    /* shell branch: Nereid's own class, far above Windows' (< 0x100) */
    SystemNereidDeviceInformation = 0x4E440000,
} SYSTEM_INFORMATION_CLASS;

typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;
    ULONG TimerResolution; /* 100 ns units */
    ULONG PageSize;
    ULONG NumberOfPhysicalPages;
    ULONG LowestPhysicalPageNumber;
    ULONG HighestPhysicalPageNumber;
    ULONG AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress;
    ULONG_PTR MaximumUserModeAddress;
    ULONG_PTR ActiveProcessorsAffinityMask;
    CHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION;
_Static_assert(sizeof(SYSTEM_BASIC_INFORMATION) == 0x40, "SYSTEM_BASIC_INFORMATION");
_Static_assert(offsetof(SYSTEM_BASIC_INFORMATION, MinimumUserModeAddress) == 0x20, "SBI.Min");
_Static_assert(offsetof(SYSTEM_BASIC_INFORMATION, NumberOfProcessors) == 0x38, "SBI.CPUs");

typedef struct _SYSTEM_PROCESSOR_INFORMATION {
    USHORT ProcessorArchitecture;
    USHORT ProcessorLevel;
    USHORT ProcessorRevision;
    USHORT MaximumProcessors;
    ULONG ProcessorFeatureBits;
} SYSTEM_PROCESSOR_INFORMATION;
_Static_assert(sizeof(SYSTEM_PROCESSOR_INFORMATION) == 12, "SYSTEM_PROCESSOR_INFORMATION");

/* Windows 10's record; Windows 7's ends at CcTotalDirtyPages (0x138). */
#define SYSTEM_PERFORMANCE_INFORMATION_OLD_SIZE 0x138
typedef struct _SYSTEM_PERFORMANCE_INFORMATION {
    LARGE_INTEGER IdleProcessTime;
    LARGE_INTEGER IoTransferCount[3]; /* read, write, other */
    ULONG IoOperationCount[3];
    ULONG AvailablePages;
    ULONG CommittedPages;
    ULONG CommitLimit;
    ULONG PeakCommitment;
    ULONG PageFaultCount;
    ULONG Counters[62]; /* CopyOnWriteCount .. SystemCalls */
    ULONGLONG CcTotalDirtyPages;
    ULONGLONG CcDirtyPageThreshold;
    LONGLONG ResidentAvailablePages;
    ULONGLONG SharedCommittedPages;
} SYSTEM_PERFORMANCE_INFORMATION;
_Static_assert(offsetof(SYSTEM_PERFORMANCE_INFORMATION, AvailablePages) == 0x2c, "SPI.Available");
_Static_assert(offsetof(SYSTEM_PERFORMANCE_INFORMATION, CcTotalDirtyPages) ==
                   SYSTEM_PERFORMANCE_INFORMATION_OLD_SIZE,
               "SPI up to SystemCalls");
_Static_assert(sizeof(SYSTEM_PERFORMANCE_INFORMATION) == 0x158, "SYSTEM_PERFORMANCE_INFORMATION");

typedef struct _SYSTEM_TIMEOFDAY_INFORMATION {
    LARGE_INTEGER BootTime;
    LARGE_INTEGER CurrentTime;
    LARGE_INTEGER TimeZoneBias;
    ULONG TimeZoneId;
    ULONG Reserved;
    ULONGLONG BootTimeBias;
    ULONGLONG SleepTimeBias;
} SYSTEM_TIMEOFDAY_INFORMATION;
_Static_assert(sizeof(SYSTEM_TIMEOFDAY_INFORMATION) == 0x30, "SYSTEM_TIMEOFDAY_INFORMATION");

/* One record per process, chained by NextEntryOffset (0 on the last),
 * followed by NumberOfThreads SYSTEM_THREAD_INFORMATION records. */
typedef struct _SYSTEM_PROCESS_INFORMATION {
    ULONG NextEntryOffset;
    ULONG NumberOfThreads;
    LARGE_INTEGER WorkingSetPrivateSize;
    ULONG HardFaultCount;
    ULONG NumberOfThreadsHighWatermark;
    ULONGLONG CycleTime;
    LARGE_INTEGER CreateTime, UserTime, KernelTime;
    UNICODE_STRING ImageName;
    LONG BasePriority;
    ULONG Padding;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
    ULONG HandleCount;
    ULONG SessionId;
    ULONG_PTR UniqueProcessKey;
    SIZE_T Counters[12]; /* PeakVirtualSize ... PrivatePageCount, Windows' order */
    LARGE_INTEGER IoCounters[6];
} SYSTEM_PROCESS_INFORMATION;
_Static_assert(sizeof(SYSTEM_PROCESS_INFORMATION) == 0x100, "SYSTEM_PROCESS_INFORMATION");
_Static_assert(offsetof(SYSTEM_PROCESS_INFORMATION, ImageName) == 0x38, "SPI.ImageName");
_Static_assert(offsetof(SYSTEM_PROCESS_INFORMATION, UniqueProcessId) == 0x50, "SPI.Id");
_Static_assert(offsetof(SYSTEM_PROCESS_INFORMATION, HandleCount) == 0x60, "SPI.Handles");

typedef struct _SYSTEM_THREAD_INFORMATION {
    LARGE_INTEGER KernelTime, UserTime, CreateTime;
    ULONG WaitTime;
    ULONG Padding;
    ULONG_PTR StartAddress;
    CLIENT_ID ClientId;
    LONG Priority;
    LONG BasePriority;
    ULONG ContextSwitches;
    ULONG ThreadState;
    ULONG WaitReason;
    ULONG Padding2;
} SYSTEM_THREAD_INFORMATION;
_Static_assert(sizeof(SYSTEM_THREAD_INFORMATION) == 0x50, "SYSTEM_THREAD_INFORMATION");

/* shell branch: SystemNereidDeviceInformation (0x4E440000, Nereid's own;
 * Windows has no class naming each device's driver). One record per device
 * object of every loaded driver, drivers in load order (then the root
 * PDOs of \Driver\PnpManager), each driver's devices newest first (its
 * DeviceList, as on Windows); chained by
 * NextEntryOffset (0 on the last), the two names' characters after each
 * record (8-byte aligned). Index is the record's number (1, 2, ...);
 * AttachedTo / AttachedDevice name the records of the devices below and
 * above it in its stack (0: none), so no ntos address is shown. A buffer
 * too small for all: STATUS_INFO_LENGTH_MISMATCH with the size needed in
 * ReturnLength, as SystemProcessInformation. */
typedef struct _SYSTEM_NEREID_DEVICE_INFORMATION {
    ULONG NextEntryOffset;
    ULONG Index;
    ULONG AttachedTo;
    ULONG AttachedDevice;
    ULONG DeviceType;      /* FILE_DEVICE_* */
    ULONG Characteristics; /* FILE_* characteristics */
    ULONG Flags;           /* DO_* */
    ULONG Reserved;
    ULONG_PTR DriverProcessId; /* 0 once its process is gone */
    UNICODE_STRING DeviceName; /* "\Device\Serial0"; empty: unnamed */
    UNICODE_STRING DriverName; /* "\Driver\Serial" */
} SYSTEM_NEREID_DEVICE_INFORMATION;
_Static_assert(sizeof(SYSTEM_NEREID_DEVICE_INFORMATION) == 0x48,
               "SYSTEM_NEREID_DEVICE_INFORMATION");
