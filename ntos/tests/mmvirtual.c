/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of what the virtual memory services add to mm: the free-range
 * search below a limit and top-down, VAD splitting, the counters of an
 * address space and of the system (commit charge, resident pages,
 * reserved bytes, their peaks) and the commit limit.
 */
#include "ktest.h"

static MMADDRESS_SPACE *KtVmSpace(void)
{
    MMADDRESS_SPACE *Space = NULL;

    CHECK(NT_SUCCESS(MmCreateAddressSpace(&Space)));
    return Space;
}

KTEST(vm_free_range_below_and_top_down)
{
    MMADDRESS_SPACE *Space = KtVmSpace();
    ULONG_PTR Base = 0x20000, Start = 0;

    if (Space == NULL)
        return;
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x10000, PAGE_READWRITE, false)));
    CHECK(NT_SUCCESS(MiFindFreeRangeBelow(Space, 0x10000, MM_USER_TOP, false, &Start)));
    CHECK_EQ(Start, 0x10000); /* the hole below the reservation */
    CHECK(NT_SUCCESS(MiFindFreeRangeBelow(Space, 0x20000, MM_USER_TOP, false, &Start)));
    CHECK_EQ(Start, 0x30000); /* too big for the hole */
    CHECK(NT_SUCCESS(MiFindFreeRangeBelow(Space, 0x1000, 0x7fffffff, true, &Start)));
    CHECK_EQ(Start, 0x7fff0000); /* the highest 64 KiB block below 2 GiB */
    CHECK(NT_SUCCESS(MiFindFreeRangeBelow(Space, 0x1000, MM_USER_TOP, true, &Start)));
    CHECK(Start >= 0x7fff00000000ull && Start % 0x10000 == 0);
    CHECK_EQ(MiFindFreeRangeBelow(Space, 0x1000, 0xffff, false, &Start), STATUS_NO_MEMORY);
    /* The hole is too small and the space above the reservation is past the limit. */
    CHECK_EQ(MiFindFreeRangeBelow(Space, 0x20000, 0x3ffff, true, &Start), STATUS_NO_MEMORY);
    MmDeleteAddressSpace(Space);
}

KTEST(vm_split_vad)
{
    MMADDRESS_SPACE *Space = KtVmSpace();
    ULONG_PTR Base = 0x40000;
    MMVAD *Vad;

    if (Space == NULL)
        return;
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x4000, PAGE_EXECUTE_READ, false)));
    Vad = MiFindVad(Space, Base);
    Vad->Flags = MI_VAD_ALLOCATED;
    CHECK(NT_SUCCESS(MiSplitVad(Vad, Base + 0x1000)));
    CHECK_EQ(Vad->End, Base + 0x1000);
    CHECK(MiFindVad(Space, Base + 0x1000) == Vad->Next);
    CHECK_EQ(Vad->Next->Start, Base + 0x1000);
    CHECK_EQ(Vad->Next->End, Base + 0x4000);
    CHECK_EQ(Vad->Next->Protect, PAGE_EXECUTE_READ);
    CHECK_EQ(Vad->Next->Flags, MI_VAD_ALLOCATED);
    CHECK_EQ(Space->ReservedBytes, 0x4000); /* a split reserves nothing new */
    MmDeleteAddressSpace(Space);
}

KTEST(vm_counters_balance)
{
    MM_SYSTEM_COUNTERS Before, During, After;
    MMADDRESS_SPACE *Space;
    ULONG_PTR Base = 0x50000;

    MmQuerySystemCounters(&Before);
    if ((Space = KtVmSpace()) == NULL)
        return;
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 10 * PAGE_SIZE, PAGE_READWRITE, true)));
    CHECK_EQ(Space->CommittedPages, 10);
    CHECK_EQ(Space->ReservedBytes, 10 * PAGE_SIZE);
    for (ULONG i = 0; i < 3; i++)
        CHECK(MmLookupUserPage(Space, Base + i * PAGE_SIZE, true) != NULL);
    CHECK_EQ(Space->ResidentPages, 3);
    MmQuerySystemCounters(&During);
    CHECK_EQ(During.CommittedPages - Before.CommittedPages, 10);
    CHECK(During.AvailablePages + 3 <= Before.AvailablePages);
    /* Decommit a touched and an untouched page. */
    CHECK(NT_SUCCESS(MmDecommitRange(Space, Base + 2 * PAGE_SIZE, 2 * PAGE_SIZE)));
    CHECK_EQ(Space->CommittedPages, 8);
    CHECK_EQ(Space->ResidentPages, 2);
    CHECK_EQ(Space->PeakCommittedPages, 10);
    CHECK_EQ(Space->PeakResidentPages, 3);
    MmDeleteAddressSpace(Space);
    MmQuerySystemCounters(&After);
    CHECK_EQ(After.CommittedPages, Before.CommittedPages);
    CHECK(After.PeakCommitment >= During.CommittedPages);
}

KTEST(vm_commit_limit_refuses_whole)
{
    MMADDRESS_SPACE *Space = KtVmSpace();
    MM_SYSTEM_COUNTERS Counters;
    ULONG_PTR Base = 0x100000000ull;
    SIZE_T Size;

    if (Space == NULL)
        return;
    MmQuerySystemCounters(&Counters);
    Size = (Counters.CommitLimit + 16) * PAGE_SIZE;
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, Size, PAGE_READWRITE, false)));
    CHECK(NT_SUCCESS(MmCommitRange(Space, Base, 4 * PAGE_SIZE, PAGE_READWRITE)));
    CHECK_EQ(MmCommitRange(Space, Base, Size, PAGE_READWRITE), STATUS_COMMITMENT_LIMIT);
    CHECK_EQ(Space->CommittedPages, 4); /* nothing more was committed */
    CHECK(MiGetPte(Space, Base + Size - PAGE_SIZE, false) == NULL);
    MmDeleteAddressSpace(Space);
}
