/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memory counters: ProcessVmCounters (VM_COUNTERS, _EX, _EX2 sizes) and
 * SystemPerformanceInformation's page counts, moving as memory is
 * reserved, committed, touched and released; the commit limit. Values
 * that only this process changes (reserved and committed bytes, the
 * commit charge) are checked exactly, the ones ntapitest's own stack may
 * move too (working set, faults, available pages) as bounds.
 */
#include "ntapitest.h"

#define MEM_COMMIT                   0x1000u
#define MEM_RESERVE                  0x2000u
#define MEM_RELEASE                  0x8000u
#define PAGE_RW                      0x04u
#define PAGE                         0x1000u
#define VM_COUNTERS_SIZE             0x58u
#define VM_COUNTERS_EX_SIZE          0x60u
#define VM_COUNTERS_EX2_SIZE         0x70u
#define ProcessVmCounters            3
#define SystemPerformanceInformation 2

typedef struct _NTAPI_VM_COUNTERS {
    SIZE_T PeakVirtualSize;
    SIZE_T VirtualSize;
    ULONG PageFaultCount;
    SIZE_T PeakWorkingSetSize;
    SIZE_T WorkingSetSize;
    SIZE_T QuotaPeakPagedPoolUsage;
    SIZE_T QuotaPagedPoolUsage;
    SIZE_T QuotaPeakNonPagedPoolUsage;
    SIZE_T QuotaNonPagedPoolUsage;
    SIZE_T PagefileUsage;
    SIZE_T PeakPagefileUsage;
    SIZE_T PrivateUsage;
    SIZE_T PrivateWorkingSetSize;
    ULONGLONG SharedCommitUsage;
} NTAPI_VM_COUNTERS;
_Static_assert(sizeof(NTAPI_VM_COUNTERS) == VM_COUNTERS_EX2_SIZE, "VM_COUNTERS_EX2");

typedef struct _NTAPI_PERFORMANCE_INFORMATION {
    LARGE_INTEGER IdleProcessTime;
    LARGE_INTEGER IoTransferCount[3];
    ULONG IoOperationCount[3];
    ULONG AvailablePages;
    ULONG CommittedPages;
    ULONG CommitLimit;
    ULONG PeakCommitment;
    ULONG PageFaultCount;
    ULONG Others[62];
    ULONGLONG Threshold[4];
} NTAPI_PERFORMANCE_INFORMATION;
_Static_assert(sizeof(NTAPI_PERFORMANCE_INFORMATION) == 0x158, "SYSTEM_PERFORMANCE_INFORMATION");

static BOOLEAN NtapiVmCounters(NTAPI_VM_COUNTERS *Counters)
{
    ULONG Length = 0;

    memset(Counters, 0xcc, sizeof(*Counters));
    return CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessVmCounters, Counters,
                                                  VM_COUNTERS_EX_SIZE, &Length),
                        STATUS_SUCCESS) &&
           CHECK_EQ(Length, VM_COUNTERS_EX_SIZE);
}

static BOOLEAN NtapiPerformance(NTAPI_PERFORMANCE_INFORMATION *Info)
{
    return CHECK_STATUS(
        NtQuerySystemInformation(SystemPerformanceInformation, Info, sizeof(*Info), NULL),
        STATUS_SUCCESS);
}

static PUCHAR NtapiAllocatePages(SIZE_T Size, ULONG Type)
{
    PVOID Base = NULL;

    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, Type, PAGE_RW),
                      STATUS_SUCCESS))
        return NULL;
    return Base;
}

static VOID NtapiReleasePages(PVOID Base)
{
    SIZE_T Size = 0;

    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
}

TEST(virtual, vm_counters_sizes)
{
    static const ULONG Good[] = {VM_COUNTERS_SIZE, VM_COUNTERS_EX_SIZE, VM_COUNTERS_EX2_SIZE};
    static const ULONG Bad[] = {0x50, 0x5c, 0x68, 0x78};
    NTAPI_VM_COUNTERS Counters;
    UCHAR Large[0x80];
    ULONG Index, Length;

    for (Index = 0; Index < sizeof(Good) / sizeof(Good[0]); Index++) {
        Length = 0;
        CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessVmCounters, &Counters,
                                               Good[Index], &Length),
                     STATUS_SUCCESS);
        CHECK_EQ(Length, Good[Index]);
    }
    for (Index = 0; Index < sizeof(Bad) / sizeof(Bad[0]); Index++)
        CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessVmCounters, Large,
                                               Bad[Index], NULL),
                     STATUS_INFO_LENGTH_MISMATCH);
}

TEST(virtual, vm_counters_plausible)
{
    NTAPI_VM_COUNTERS Counters;

    if (!NtapiVmCounters(&Counters))
        return;
    CHECK(Counters.VirtualSize > 0);
    CHECK(Counters.PeakVirtualSize >= Counters.VirtualSize);
    CHECK(Counters.WorkingSetSize > 0); /* the image and stack pages touched so far */
    CHECK(Counters.PeakWorkingSetSize >= Counters.WorkingSetSize);
    CHECK(Counters.PageFaultCount > 0);
    CHECK(Counters.PrivateUsage >= Counters.WorkingSetSize);
    CHECK_EQ(Counters.PagefileUsage, Counters.PrivateUsage);
    CHECK(Counters.PeakPagefileUsage >= Counters.PagefileUsage);
    CHECK(Counters.VirtualSize >= Counters.PrivateUsage);
}

/* One reserve / commit / touch / release cycle. The first, unchecked run
 * makes resident every page this code and its callees touch (the test's
 * own code pages included, wherever the link puts them), so that in the
 * checked run the test's pages are the only ones that come and go. */
static VOID NtapiVmCycle(BOOLEAN Check)
{
    NTAPI_VM_COUNTERS Before, Reserved, Committed, Touched, After;
    PUCHAR Base;
    PVOID Address;
    SIZE_T Size = 64 * PAGE;
    ULONG Index;
    NTSTATUS Status;

    if (!NtapiVmCounters(&Before) || (Base = NtapiAllocatePages(0x100000, MEM_RESERVE)) == NULL) {
        if (Check)
            CHECK(FALSE);
        return;
    }
    NtapiVmCounters(&Reserved);
    Address = Base;
    Status = NtAllocateVirtualMemory(NtCurrentProcess(), &Address, 0, &Size, MEM_COMMIT, PAGE_RW);
    NtapiVmCounters(&Committed);
    for (Index = 0; Index < 16; Index++)
        Base[Index * PAGE] = 1; /* 16 demand-zero faults */
    NtapiVmCounters(&Touched);
    NtapiReleasePages(Base);
    NtapiVmCounters(&After);
    if (!Check)
        return;
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK_EQ(Reserved.VirtualSize - Before.VirtualSize, 0x100000);
    CHECK_EQ(Reserved.PrivateUsage, Before.PrivateUsage);
    CHECK_EQ(Committed.PrivateUsage - Before.PrivateUsage, 64 * PAGE);
    CHECK(Committed.PeakPagefileUsage >= Committed.PagefileUsage);
    CHECK(Touched.WorkingSetSize >= Committed.WorkingSetSize + 16 * PAGE);
    CHECK(Touched.PageFaultCount >= Committed.PageFaultCount + 16);
    CHECK_EQ(Touched.PrivateUsage, Committed.PrivateUsage);
    CHECK_EQ(After.VirtualSize, Before.VirtualSize);
    CHECK_EQ(After.PrivateUsage, Before.PrivateUsage);
    CHECK(After.WorkingSetSize + 16 * PAGE <= Touched.WorkingSetSize);
    CHECK(After.PeakVirtualSize >= Reserved.VirtualSize); /* peaks stay */
    CHECK(After.PeakWorkingSetSize >= Touched.WorkingSetSize);
}

TEST(virtual, vm_counters_follow_memory)
{
    NtapiVmCycle(FALSE);
    NtapiVmCycle(TRUE);
}

TEST(virtual, system_performance_sizes)
{
    NTAPI_PERFORMANCE_INFORMATION Info;
    ULONG Length = 0;

    CHECK_STATUS(
        NtQuerySystemInformation(SystemPerformanceInformation, &Info, sizeof(Info), &Length),
        STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    Length = 0; /* the record's size before Windows 10 */
    CHECK_STATUS(NtQuerySystemInformation(SystemPerformanceInformation, &Info, 0x138, &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, 0x138);
    Length = 0;
    CHECK_STATUS(NtQuerySystemInformation(SystemPerformanceInformation, &Info, 0x100, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(Info));
}

TEST(virtual, system_performance_pages)
{
    NTAPI_PERFORMANCE_INFORMATION Before, Committed, Touched, After;
    SYSTEM_BASIC_INFORMATION Basic;
    PUCHAR Base;
    ULONG Index;

    if (!CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, &Basic, sizeof(Basic), NULL),
                      STATUS_SUCCESS) ||
        !NtapiPerformance(&Before))
        return;
    CHECK(Before.AvailablePages > 0);
    CHECK(Before.AvailablePages < Basic.NumberOfPhysicalPages);
    CHECK(Before.CommittedPages > 0);
    CHECK(Before.CommittedPages <= Before.CommitLimit);
    CHECK(Before.PeakCommitment >= Before.CommittedPages);
    CHECK(Before.PageFaultCount > 0);
    if ((Base = NtapiAllocatePages(64 * PAGE, MEM_RESERVE | MEM_COMMIT)) == NULL)
        return;
    NtapiPerformance(&Committed);
    CHECK_EQ(Committed.CommittedPages - Before.CommittedPages, 64);
    CHECK(Committed.PeakCommitment >= Committed.CommittedPages);
    for (Index = 0; Index < 64; Index++)
        Base[Index * PAGE] = 1;
    NtapiPerformance(&Touched);
    CHECK(Touched.AvailablePages + 64 <= Committed.AvailablePages);
    CHECK(Touched.PageFaultCount >= Committed.PageFaultCount + 64);
    NtapiReleasePages(Base);
    NtapiPerformance(&After);
    CHECK_EQ(After.CommittedPages, Before.CommittedPages);
    CHECK(After.AvailablePages >= Touched.AvailablePages + 64);
}

TEST(virtual, commitment_limit)
{
    NTAPI_PERFORMANCE_INFORMATION Info;
    SIZE_T Size;
    PUCHAR Base;
    PVOID Address;

    if (!NtapiPerformance(&Info))
        return;
    /* Reserving more than the limit costs nothing; committing it fails whole. */
    Size = ((SIZE_T)Info.CommitLimit + 0x1000) * PAGE;
    if ((Base = NtapiAllocatePages(Size, MEM_RESERVE)) == NULL)
        return;
    Address = Base;
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &Address, 0, &Size, MEM_COMMIT, PAGE_RW),
        STATUS_COMMITMENT_LIMIT);
    Size = 0x1000;
    Address = NULL;
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Address, 0, &Size,
                                         MEM_RESERVE | MEM_COMMIT, PAGE_RW),
                 STATUS_SUCCESS);
    NtapiReleasePages(Address);
    NtapiReleasePages(Base);
}
