/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KUSER_SHARED_DATA: the read-only page ntos maps at 0x7FFE0000 in every
 * process (Windows 10 layout, 0x710 bytes; spec/nt-abi.md §2.6). ntos is
 * its only writer: times as KSYSTEM_TIME (High2Time, LowPart, High1Time in
 * that order), TickCount in milliseconds with TickCountMultiplier 1 << 24
 * so Windows' and Wine's GetTickCount agree. mingw's ddk/ntddk.h carries
 * the older Windows 7 layout from 0x2f8 on; ours wins.
 */
#pragma once

#include <nt/types.h>

#define KUSER_SHARED_DATA_USER_VA   0x7FFE0000ULL
#define KUSER_SHARED_DATA_KERNEL_VA 0xFFFFF78000000000ULL
#define PROCESSOR_FEATURE_MAX       64

typedef struct _KUSER_SHARED_DATA {
    ULONG TickCountLowDeprecated;
    ULONG TickCountMultiplier;
    volatile KSYSTEM_TIME InterruptTime; /* 100 ns since boot */
    volatile KSYSTEM_TIME SystemTime;    /* 100 ns since 1601 UTC */
    volatile KSYSTEM_TIME TimeZoneBias;
    USHORT ImageNumberLow;
    USHORT ImageNumberHigh;
    WCHAR NtSystemRoot[260];
    ULONG MaxStackTraceDepth;
    ULONG CryptoExponent;
    ULONG TimeZoneId;
    ULONG LargePageMinimum;
    ULONG AitSamplingValue;
    ULONG AppCompatFlag;
    ULONGLONG RNGSeedVersion;
    ULONG GlobalValidationRunlevel;
    volatile LONG TimeZoneBiasStamp;
    ULONG NtBuildNumber;
    ULONG NtProductType; /* 1 WinNt, 2 LanManNt, 3 Server */
    BOOLEAN ProductTypeIsValid;
    UCHAR Reserved0[1];
    USHORT NativeProcessorArchitecture; /* 9 = AMD64 */
    ULONG NtMajorVersion;
    ULONG NtMinorVersion;
    BOOLEAN ProcessorFeatures[PROCESSOR_FEATURE_MAX];
    ULONG Reserved1;
    ULONG Reserved3;
    volatile ULONG TimeSlip;
    ULONG AlternativeArchitecture;
    ULONG BootId;
    LARGE_INTEGER SystemExpirationDate;
    ULONG SuiteMask;
    BOOLEAN KdDebuggerEnabled;
    UCHAR NXSupportPolicy;
    USHORT CyclesPerYield;
    volatile ULONG ActiveConsoleId;
    volatile ULONG DismountCount;
    ULONG ComPlusPackage;
    ULONG LastSystemRITEventTickCount;
    ULONG NumberOfPhysicalPages;
    BOOLEAN SafeBootMode;
    UCHAR VirtualizationFlags;
    UCHAR Reserved12[2];
    ULONG SharedDataFlags;
    ULONG DataFlagsPad[1];
    ULONGLONG TestRetInstruction;
    LONGLONG QpcFrequency;
    ULONG SystemCall; /* 0: the syscall instruction */
    ULONG Reserved2;
    ULONGLONG SystemCallPad[2];
    union {
        volatile KSYSTEM_TIME TickCount;
        volatile ULONG64 TickCountQuad;
        struct {
            ULONG ReservedTickCountOverlay[3];
            ULONG TickCountPad[1];
        };
    };
    ULONG Cookie;
    ULONG CookiePad[1];
    LONGLONG ConsoleSessionForegroundProcessId;
    ULONGLONG TimeUpdateLock;
    ULONGLONG BaselineSystemTimeQpc;
    ULONGLONG BaselineInterruptTimeQpc;
    ULONGLONG QpcSystemTimeIncrement;
    ULONGLONG QpcInterruptTimeIncrement;
    UCHAR QpcSystemTimeIncrementShift;
    UCHAR QpcInterruptTimeIncrementShift;
    USHORT UnparkedProcessorCount;
    ULONG EnclaveFeatureMask[4];
    ULONG TelemetryCoverageRound;
    USHORT UserModeGlobalLogger[16];
    ULONG ImageFileExecutionOptions;
    ULONG LangGenerationCount;
    ULONGLONG Reserved4;
    volatile ULONGLONG InterruptTimeBias;
    volatile ULONGLONG QpcBias;
    ULONG ActiveProcessorCount;
    volatile UCHAR ActiveGroupCount;
    UCHAR Reserved9;
    USHORT QpcData; /* low byte QpcBypassEnabled, high byte QpcShift */
    LARGE_INTEGER TimeZoneBiasEffectiveStart;
    LARGE_INTEGER TimeZoneBiasEffectiveEnd;
    /* FIXME: XSTATE_CONFIGURATION spelled out once the context code needs it. */
    UCHAR XState[0x338];
} KUSER_SHARED_DATA, *PKUSER_SHARED_DATA;

#define KUSD_ASSERT(f, o) _Static_assert(offsetof(KUSER_SHARED_DATA, f) == (o), "KUSD." #f)
KUSD_ASSERT(TickCountMultiplier, 0x004);
KUSD_ASSERT(InterruptTime, 0x008);
KUSD_ASSERT(SystemTime, 0x014);
KUSD_ASSERT(TimeZoneBias, 0x020);
KUSD_ASSERT(ImageNumberLow, 0x02c);
KUSD_ASSERT(ImageNumberHigh, 0x02e);
KUSD_ASSERT(NtSystemRoot, 0x030);
KUSD_ASSERT(MaxStackTraceDepth, 0x238);
KUSD_ASSERT(CryptoExponent, 0x23c);
KUSD_ASSERT(TimeZoneId, 0x240);
KUSD_ASSERT(LargePageMinimum, 0x244);
KUSD_ASSERT(NtBuildNumber, 0x260);
KUSD_ASSERT(NtProductType, 0x264);
KUSD_ASSERT(ProductTypeIsValid, 0x268);
KUSD_ASSERT(NativeProcessorArchitecture, 0x26a);
KUSD_ASSERT(NtMajorVersion, 0x26c);
KUSD_ASSERT(NtMinorVersion, 0x270);
KUSD_ASSERT(ProcessorFeatures, 0x274);
KUSD_ASSERT(TimeSlip, 0x2bc);
KUSD_ASSERT(AlternativeArchitecture, 0x2c0);
KUSD_ASSERT(BootId, 0x2c4);
KUSD_ASSERT(SystemExpirationDate, 0x2c8);
KUSD_ASSERT(SuiteMask, 0x2d0);
KUSD_ASSERT(KdDebuggerEnabled, 0x2d4);
KUSD_ASSERT(NXSupportPolicy, 0x2d5);
KUSD_ASSERT(ActiveConsoleId, 0x2d8);
KUSD_ASSERT(DismountCount, 0x2dc);
KUSD_ASSERT(ComPlusPackage, 0x2e0);
KUSD_ASSERT(LastSystemRITEventTickCount, 0x2e4);
KUSD_ASSERT(NumberOfPhysicalPages, 0x2e8);
KUSD_ASSERT(SafeBootMode, 0x2ec);
KUSD_ASSERT(SharedDataFlags, 0x2f0);
KUSD_ASSERT(TestRetInstruction, 0x2f8);
KUSD_ASSERT(QpcFrequency, 0x300);
KUSD_ASSERT(SystemCall, 0x308);
KUSD_ASSERT(TickCount, 0x320);
KUSD_ASSERT(TickCountQuad, 0x320);
KUSD_ASSERT(Cookie, 0x330);
KUSD_ASSERT(ConsoleSessionForegroundProcessId, 0x338);
KUSD_ASSERT(TimeUpdateLock, 0x340);
KUSD_ASSERT(BaselineSystemTimeQpc, 0x348);
KUSD_ASSERT(BaselineInterruptTimeQpc, 0x350);
KUSD_ASSERT(QpcSystemTimeIncrement, 0x358);
KUSD_ASSERT(QpcInterruptTimeIncrement, 0x360);
KUSD_ASSERT(QpcSystemTimeIncrementShift, 0x368);
KUSD_ASSERT(QpcInterruptTimeIncrementShift, 0x369);
KUSD_ASSERT(UnparkedProcessorCount, 0x36a);
KUSD_ASSERT(UserModeGlobalLogger, 0x380);
KUSD_ASSERT(ImageFileExecutionOptions, 0x3a0);
KUSD_ASSERT(LangGenerationCount, 0x3a4);
KUSD_ASSERT(InterruptTimeBias, 0x3b0);
KUSD_ASSERT(QpcBias, 0x3b8);
KUSD_ASSERT(ActiveProcessorCount, 0x3c0);
KUSD_ASSERT(ActiveGroupCount, 0x3c4);
KUSD_ASSERT(QpcData, 0x3c6);
KUSD_ASSERT(TimeZoneBiasEffectiveStart, 0x3c8);
KUSD_ASSERT(TimeZoneBiasEffectiveEnd, 0x3d0);
KUSD_ASSERT(XState, 0x3d8);
_Static_assert(sizeof(KUSER_SHARED_DATA) == 0x710, "KUSER_SHARED_DATA size");
#undef KUSD_ASSERT
