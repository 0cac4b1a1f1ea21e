/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQuerySystemInformation (ntos/ex/sysinfo.c) through the dispatcher:
 * SystemBasicInformation from a fake untyped list, exact lengths,
 * ReturnLength on a mismatch, unknown classes.
 */

#include <ex.h>
#include "test.h"

static void SetUntypeds(void)
{
    seL4_BootInfo *Info = FakeBootInfoBlock();

    FakeEnableTsc(1000);
    Info->untyped.start = 100;
    Info->untyped.end = 104;
    Info->untypedList[0] = (seL4_UntypedDesc){.paddr = 0x100000, .sizeBits = 20}; /* 256 pages */
    Info->untypedList[1] = (seL4_UntypedDesc){.paddr = 0xfee00000, .sizeBits = 12, .isDevice = 1};
    Info->untypedList[2] = (seL4_UntypedDesc){.paddr = 0x800000, .sizeBits = 23}; /* 2048 */
    Info->untypedList[3] = (seL4_UntypedDesc){.paddr = 0x2000, .sizeBits = 4};    /* < a page */
}

TEST(system_basic_information)
{
    SYSTEM_BASIC_INFORMATION *Out = (SYSTEM_BASIC_INFORMATION *)UserAlloc(sizeof(*Out));
    ULONG *Length = (ULONG *)UserAlloc(sizeof(ULONG));

    SetUntypeds();
    CHECK_STATUS(Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, (ULONG_PTR)Out,
                      sizeof(*Out), (ULONG_PTR)Length),
                 STATUS_SUCCESS);
    CHECK_EQ(*Length, 0x40);
    CHECK_EQ(Out->PageSize, 4096);
    CHECK_EQ(Out->AllocationGranularity, 0x10000);
    CHECK_EQ(Out->NumberOfPhysicalPages, 256 + 2048);
    CHECK_EQ(Out->LowestPhysicalPageNumber, 0x100);
    CHECK_EQ(Out->HighestPhysicalPageNumber, 0xfff);
    CHECK_EQ(Out->MinimumUserModeAddress, 0x10000);
    CHECK_EQ(Out->MaximumUserModeAddress, 0x7ffffffeffffull);
    CHECK_EQ(Out->NumberOfProcessors, 1);
    CHECK_EQ(Out->ActiveProcessorsAffinityMask, 1);
    CHECK_EQ(Out->TimerResolution, 156250);
}

TEST(system_information_rejects)
{
    ULONG_PTR Out = UserAlloc(0x80);
    ULONG *Length = (ULONG *)UserAlloc(sizeof(ULONG));

    SetUntypeds();
    CHECK_STATUS(
        Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, Out, 0x30, (ULONG_PTR)Length),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(*Length, 0x40);
    CHECK_STATUS(
        Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, 0, 0, (ULONG_PTR)Length),
        STATUS_INFO_LENGTH_MISMATCH);
    *Length = 7;
    CHECK_STATUS(Call(NTSVC_QuerySystemInformation, 4, 12345, Out, 0x40, (ULONG_PTR)Length),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_EQ(*Length, 0); /* write=always: nothing to report */
    CHECK_STATUS(
        Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, FAKE_UNMAPPED, 0x40, 0),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, Out, 0x40,
                      (ULONG_PTR)Length + 1),
                 STATUS_DATATYPE_MISALIGNMENT);
    /* The buffer is probed first (probe=handler): ULONG-aligned, written. */
    CHECK_STATUS(Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, Out + 2, 0x40, 0),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, Out + 2, 0, 0),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(Call(NTSVC_QuerySystemInformation, 4, 12345, FAKE_UNMAPPED, 0x40, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, 0, 0x40, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        Call(NTSVC_QuerySystemInformation, 4, SystemBasicInformation, FAKE_READONLY_PAGE, 0x40, 0),
        STATUS_ACCESS_VIOLATION);
}
