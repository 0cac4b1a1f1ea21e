/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memory counters: per address space (what ProcessVmCounters reports) and
 * for the system (SystemPerformanceInformation). Committed pages are the
 * commit charge: every committed PTE of every process, demand-zero or not,
 * counted where a PTE gains or loses MI_PTE_COMMITTED. Resident pages are
 * the materialised ones (a PTE with a page): the working set, as there is
 * no paging. The commit limit is the RAM ntos was given, there being no
 * page file: a commit that would pass it fails with
 * STATUS_COMMITMENT_LIMIT before anything changes.
 */
#include "mi.h"

static SIZE_T MiCommittedPages, MiPeakCommittedPages;
ULONG MiPageFaultTotal;

static void MiAdjust(SIZE_T *Value, SIZE_T *Peak, LONG_PTR Delta)
{
    ASSERT(Delta >= 0 || *Value >= (SIZE_T)-Delta); /* every charge is returned once */
    *Value += (SIZE_T)Delta;
    if (*Value > *Peak)
        *Peak = *Value;
}

void MiChargeCommit(MMADDRESS_SPACE *Space, LONG_PTR Pages)
{
    MiAdjust(&Space->CommittedPages, &Space->PeakCommittedPages, Pages);
    MiAdjust(&MiCommittedPages, &MiPeakCommittedPages, Pages);
}

void MiChargeResident(MMADDRESS_SPACE *Space, LONG_PTR Pages)
{
    MiAdjust(&Space->ResidentPages, &Space->PeakResidentPages, Pages);
}

void MiChargeReserve(MMADDRESS_SPACE *Space, LONG_PTR Bytes)
{
    MiAdjust(&Space->ReservedBytes, &Space->PeakReservedBytes, Bytes);
}

bool MiCommitFits(SIZE_T Pages)
{
    ULONGLONG Limit = MiRamPages();

    return MiCommittedPages <= Limit && Pages <= Limit - MiCommittedPages;
}

void MmQueryProcessCounters(PEPROCESS Process, MM_PROCESS_COUNTERS *Counters)
{
    const MMADDRESS_SPACE *Space = Process->AddressSpace;

    *Counters = (MM_PROCESS_COUNTERS){0};
    if (Space == NULL)
        return; /* the process has ended: nothing left */
    Counters->VirtualSize = Space->ReservedBytes;
    Counters->PeakVirtualSize = Space->PeakReservedBytes;
    Counters->PageFaultCount = Space->PageFaults;
    Counters->WorkingSetSize = Space->ResidentPages << PAGE_SHIFT;
    Counters->PeakWorkingSetSize = Space->PeakResidentPages << PAGE_SHIFT;
    Counters->PrivateBytes = Space->CommittedPages << PAGE_SHIFT;
    Counters->PeakPrivateBytes = Space->PeakCommittedPages << PAGE_SHIFT;
}

void MmQuerySystemCounters(MM_SYSTEM_COUNTERS *Counters)
{
    Counters->AvailablePages = MiFreePageCount() + MiUntypedFreePages();
    Counters->CommittedPages = MiCommittedPages;
    Counters->CommitLimit = MiRamPages();
    Counters->PeakCommitment = MiPeakCommittedPages;
    Counters->PageFaultCount = MiPageFaultTotal;
}
