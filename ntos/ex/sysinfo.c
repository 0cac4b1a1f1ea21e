/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQuerySystemInformation: facts about the machine and the executive by
 * class. SystemBasicInformation describes memory from the kernel's
 * untyped list (RAM ntos may use, device memory excluded) and the user
 * address range services accept; SystemPerformanceInformation the memory
 * manager's page counts (mm/counters.c).
 */

#include <string.h>
#include <ntsvc.h>
#include <ex.h>
#include <ke.h>
#include <mm.h>
#include <io.h>

#include "exp.h"

#define EXP_DEVICE_LIST_TAG        0x76654449 /* 'IDev' */
#define EXP_TIMER_RESOLUTION       156250u    /* 15.625 ms, Windows' default tick */
#define EXP_ALLOCATION_GRANULARITY 0x10000u

/* ---- SystemPerformanceInformation (vm) ---------------------------------------------------- */

/* SYSTEM_PERFORMANCE_INFORMATION (include/nt/sysinfo.h): the memory
 * manager's page counts are real; the I/O, cache and pool counters stay
 * zero until those components count (FIXME). */

/* Windows 10 takes the record at its older size too (0x138), and any
 * larger buffer: ReturnLength is what was written. */
static NTSTATUS ExpQueryPerformanceInformation(USER_BUFFER Buffer, ULONG Length,
                                               ULONG *ReturnLength)
{
    SYSTEM_PERFORMANCE_INFORMATION Info = {0};
    MM_SYSTEM_COUNTERS Memory;
    ULONG Size = Length >= sizeof(Info) ? sizeof(Info) : SYSTEM_PERFORMANCE_INFORMATION_OLD_SIZE;

    if (ReturnLength != NULL)
        *ReturnLength = Length < SYSTEM_PERFORMANCE_INFORMATION_OLD_SIZE ? sizeof(Info) : Size;
    if (Length < SYSTEM_PERFORMANCE_INFORMATION_OLD_SIZE)
        return STATUS_INFO_LENGTH_MISMATCH;
    MmQuerySystemCounters(&Memory);
    Info.AvailablePages = (ULONG)Memory.AvailablePages;
    Info.CommittedPages = (ULONG)Memory.CommittedPages;
    Info.CommitLimit = (ULONG)Memory.CommitLimit;
    Info.PeakCommitment = (ULONG)Memory.PeakCommitment;
    Info.PageFaultCount = Memory.PageFaultCount;
    Info.ResidentAvailablePages = (LONGLONG)Memory.AvailablePages;
    return MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address, &Info, Size);
}

/* Count the RAM pages of the boot untypeds and their lowest/highest numbers. */
static void ExpCountPhysicalPages(const seL4_BootInfo *BootInfo, SYSTEM_BASIC_INFORMATION *Info)
{
    ULONGLONG Pages = 0, Lowest = ~0ull, Highest = 0;
    seL4_Word Index;

    for (Index = 0; BootInfo && Index < BootInfo->untyped.end - BootInfo->untyped.start; Index++) {
        const seL4_UntypedDesc *Untyped = &BootInfo->untypedList[Index];
        ULONGLONG First = Untyped->paddr >> PAGE_SHIFT;
        ULONGLONG Count =
            Untyped->sizeBits >= PAGE_SHIFT ? 1ull << (Untyped->sizeBits - PAGE_SHIFT) : 0;

        if (Untyped->isDevice || Count == 0)
            continue;
        Pages += Count;
        Lowest = First < Lowest ? First : Lowest;
        Highest = First + Count - 1 > Highest ? First + Count - 1 : Highest;
    }
    Info->NumberOfPhysicalPages = (ULONG)Pages;
    Info->LowestPhysicalPageNumber = Pages ? (ULONG)Lowest : 0;
    Info->HighestPhysicalPageNumber = (ULONG)Highest;
}

void ExQueryBasicInformation(SYSTEM_BASIC_INFORMATION *Info)
{
    memset(Info, 0, sizeof(*Info));
    Info->TimerResolution = EXP_TIMER_RESOLUTION;
    Info->PageSize = PAGE_SIZE;
    Info->AllocationGranularity = EXP_ALLOCATION_GRANULARITY;
    Info->MinimumUserModeAddress = KI_USER_PROBE_LOW;
    Info->MaximumUserModeAddress = MM_USER_TOP;
    Info->ActiveProcessorsAffinityMask = 1; /* single core */
    Info->NumberOfProcessors = 1;
    ExpCountPhysicalPages(KeQueryBootInfo(), Info);
}

/* ---- SystemNereidDeviceInformation (shell branch) ------------------------------------------ */

/* Every device object and its driver (io/device.c builds the records):
 * the whole list or STATUS_INFO_LENGTH_MISMATCH with the size needed, as
 * SystemProcessInformation answers. */
static NTSTATUS ExpQueryDeviceList(USER_BUFFER Buffer, ULONG Length, ULONG *ReturnLength)
{
    ULONG Needed = IoQueryDeviceList(NULL, 0, Buffer.Address);
    UCHAR *Block;
    NTSTATUS Status;

    if (ReturnLength != NULL)
        *ReturnLength = Needed;
    if (Length < Needed)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (Needed == 0)
        return STATUS_SUCCESS;
    Block = ExAllocatePoolWithTag(Needed, EXP_DEVICE_LIST_TAG);
    if (Block == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    IoQueryDeviceList(Block, Needed, Buffer.Address);
    Status = MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address, Block, Needed);
    ExFreePoolWithTag(Block, EXP_DEVICE_LIST_TAG);
    return Status;
}

/* The classes, once the buffer has passed the probe (NtQuerySystemInformation below). */
static NTSTATUS ExpQuerySystemInformation(ULONG SystemInformationClass,
                                          USER_BUFFER SystemInformation,
                                          ULONG SystemInformationLength, ULONG *ReturnLength)
{
    NTSTATUS Status;
    SYSTEM_BASIC_INFORMATION Basic;

    if (SystemInformationClass == SystemPerformanceInformation)
        return ExpQueryPerformanceInformation(SystemInformation, SystemInformationLength,
                                              ReturnLength);
    if (SystemInformationClass == SystemNereidDeviceInformation)
        return ExpQueryDeviceList(SystemInformation, SystemInformationLength, ReturnLength);
    /* ps: the process, processor and time-of-day classes (sysproc.c). */
    Status = ExpQueryProcessClasses(SystemInformationClass, SystemInformation,
                                    SystemInformationLength, ReturnLength);
    if (Status != STATUS_INVALID_INFO_CLASS)
        goto out;
    if (SystemInformationClass != SystemBasicInformation) {
        Status = STATUS_INVALID_INFO_CLASS;
        goto out;
    }
    if (ReturnLength != NULL)
        *ReturnLength = sizeof(Basic);
    if (SystemInformationLength != sizeof(Basic)) {
        Status = STATUS_INFO_LENGTH_MISMATCH;
        goto out;
    }
    ExQueryBasicInformation(&Basic);
    Status = MmCopyToUser(KeGetCurrentThread()->Process, SystemInformation.Address, &Basic,
                          sizeof(Basic));
out:
    return Status;
}

/* ---- the buffer check (services.def: probe=handler) ---------------------------------------- */

/*
 * Windows probes the buffer first, for writing, with the alignment of the
 * class's record: ULONG for every class so far; a class whose record is
 * BOOLEANs only answers 1 here.
 */
static ULONG ExpSystemClassAlignment(ULONG Class)
{
    switch (Class) {
    default:
        return sizeof(ULONG);
    }
}

NTSTATUS NtQuerySystemInformation(ULONG SystemInformationClass, USER_BUFFER SystemInformation,
                                  ULONG SystemInformationLength, ULONG *ReturnLength)
{
    NTSTATUS Status = KiProbeClassBuffer(
        SystemInformation, ExpSystemClassAlignment(SystemInformationClass), KI_PROBE_WRITE);

    if (!NT_SUCCESS(Status))
        return Status;
    return ExpQuerySystemInformation(SystemInformationClass, SystemInformation,
                                     SystemInformationLength, ReturnLength);
}
