/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KUSER_SHARED_DATA (nt-abi §2.6): one page ntos fills once and maps
 * read-only at 0x7FFE0000 in every process. It carries the version
 * (10.0.19041, workstation), the processor (AMD64, one CPU, its features),
 * the physical memory size and the time fields.
 *
 * FIXME: the times (SystemTime, InterruptTime, TickCount) are refreshed
 * only when a process is created, from ke's clock and performance counter
 * (TSC since boot); a periodic update belongs to ke's timer once it has
 * one. TimeZoneBias is 0 (UTC).
 */
#include "psp.h"

#include <ke.h>
#include <mm.h>
#include <nt/kuser.h>
#include <string.h>

#include "ntsvc.h"

#define PF_COMPARE_EXCHANGE_DOUBLE       2
#define PF_MMX_INSTRUCTIONS_AVAILABLE    3
#define PF_XMMI_INSTRUCTIONS_AVAILABLE   6
#define PF_RDTSC_INSTRUCTION_AVAILABLE   8
#define PF_PAE_ENABLED                   9
#define PF_XMMI64_INSTRUCTIONS_AVAILABLE 10
#define PF_COMPARE_EXCHANGE128           14
#define PF_FASTFAIL_AVAILABLE            23

#define VER_NT_WORKSTATION           1
#define VER_SUITE_SINGLEUSERTS       0x100
#define PROCESSOR_ARCHITECTURE_AMD64 9
#define PSP_BUILD_NUMBER             19041

/* The boot information ke/ keeps (ke/kep.h). FIXME: ask mm for the RAM size. */
extern seL4_BootInfo *KiBootInfo;

static PMMPFN PspSharedUserDataPage;

/* RAM pages the kernel handed ntos as untyped memory (device memory aside). */
static ULONG PspCountPhysicalPages(void)
{
    ULONGLONG Pages = 0;

    if (!KiBootInfo)
        return 0;
    for (seL4_Word i = 0; i < KiBootInfo->untyped.end - KiBootInfo->untyped.start; i++) {
        if (!KiBootInfo->untypedList[i].isDevice)
            Pages += (1ull << KiBootInfo->untypedList[i].sizeBits) / PAGE_SIZE;
    }
    return (ULONG)Pages;
}

ULONG PspRandomUlong(void)
{
    ULONG Lo, Hi;
    ULONGLONG x;

    __asm__ volatile("rdtsc" : "=a"(Lo), "=d"(Hi));
    x = ((ULONGLONG)Hi << 32 | Lo) * 0x9e3779b97f4a7c15ull;
    return (ULONG)(x >> 32) ^ (ULONG)x;
}

static void PspFillSharedUserData(KUSER_SHARED_DATA *Data)
{
    static const WCHAR SystemRoot[] = u"C:\\Windows";
    static const UCHAR Features[] = {
        PF_COMPARE_EXCHANGE_DOUBLE,
        PF_MMX_INSTRUCTIONS_AVAILABLE,
        PF_XMMI_INSTRUCTIONS_AVAILABLE,
        PF_RDTSC_INSTRUCTION_AVAILABLE,
        PF_PAE_ENABLED,
        PF_XMMI64_INSTRUCTIONS_AVAILABLE,
        PF_COMPARE_EXCHANGE128,
        PF_FASTFAIL_AVAILABLE,
    };

    Data->TickCountMultiplier = 1u << 24; /* TickCount in ms for both readers (§2.6) */
    Data->ImageNumberLow = Data->ImageNumberHigh = IMAGE_FILE_MACHINE_AMD64;
    memcpy(Data->NtSystemRoot, SystemRoot, sizeof(SystemRoot));
    Data->CryptoExponent = 0x10001;
    Data->LargePageMinimum = 0x200000;
    Data->NtBuildNumber = PSP_BUILD_NUMBER;
    Data->NtProductType = VER_NT_WORKSTATION;
    Data->ProductTypeIsValid = TRUE;
    Data->NativeProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    Data->NtMajorVersion = 10;
    Data->NtMinorVersion = 0;
    for (SIZE_T i = 0; i < ARRAYSIZE(Features); i++)
        Data->ProcessorFeatures[Features[i]] = TRUE;
    Data->SuiteMask = VER_SUITE_SINGLEUSERTS;
    Data->NXSupportPolicy = 0; /* the kernel never sets NX on user pages (sel4-abi §18.2) */
    Data->NumberOfPhysicalPages = PspCountPhysicalPages();
    Data->QpcFrequency = 10000000; /* NtQueryPerformanceCounter's 10 MHz */
    Data->Cookie = PspRandomUlong();
    Data->UnparkedProcessorCount = 1;
    Data->ActiveProcessorCount = 1;
    Data->ActiveGroupCount = 1;
}

/* Writer order of nt-abi §2.6: High2Time, LowPart, High1Time. */
static void PspStoreTime(volatile KSYSTEM_TIME *Time, LONGLONG Value)
{
    Time->High2Time = (LONG)(Value >> 32);
    Time->LowPart = (ULONG)Value;
    Time->High1Time = (LONG)(Value >> 32);
}

/* Times now: SystemTime from ke's clock, InterruptTime (100 ns) and
 * TickCount (ms) from the performance counter, which counts since boot. */
static void PspRefreshTimes(KUSER_SHARED_DATA *Data)
{
    LARGE_INTEGER Now = {0}, Counter = {0}, Frequency = {0};

    if (NT_SUCCESS(NtQuerySystemTime(&Now)))
        PspStoreTime(&Data->SystemTime, Now.QuadPart);
    if (NT_SUCCESS(NtQueryPerformanceCounter(&Counter, &Frequency)) &&
        Frequency.QuadPart == 10000000) {
        PspStoreTime(&Data->InterruptTime, Counter.QuadPart);
        PspStoreTime(&Data->TickCount, Counter.QuadPart / 10000);
        Data->TickCountLowDeprecated = (ULONG)(Counter.QuadPart / 10000);
    }
}

/* The page, made on first use. */
static NTSTATUS PspGetSharedUserData(PMMPFN *Pfn)
{
    NTSTATUS Status = STATUS_SUCCESS;

    if (!PspSharedUserDataPage) {
        Status = MmAllocatePhysicalPage(&PspSharedUserDataPage);
        if (NT_SUCCESS(Status))
            PspFillSharedUserData(MmPageAddress(PspSharedUserDataPage));
    }
    *Pfn = PspSharedUserDataPage;
    return Status;
}

NTSTATUS PspMapSharedUserData(PEPROCESS Process)
{
    PMMPFN Pfn;
    NTSTATUS Status;

    Status = PspGetSharedUserData(&Pfn);
    if (!NT_SUCCESS(Status))
        goto out;
    PspRefreshTimes(MmPageAddress(Pfn));
    /* Outside every reservation: mm gives the page a reservation of its own. */
    Status = MmMapPage(Process->AddressSpace, KUSER_SHARED_DATA_USER_VA, Pfn, PAGE_READONLY);
out:
    return Status;
}
