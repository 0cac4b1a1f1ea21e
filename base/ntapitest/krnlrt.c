/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver runtime's library (ntoskrnl/ke ex mm ob ps rtl) as a
 * stock-built driver meets it in a real driver process:
 * drivers/test/krnltest runs its checks inside the driver and answers a
 * KRNLTEST_RESULT. What it shows: the IRQL byte is one for the runtime and
 * the ddk's inline `mov cr8` (ntos's emulation); a timer's DPC runs at
 * DISPATCH_LEVEL; the ddk's inline KeQuerySystemTime / KeQueryTickCount /
 * KeQueryInterruptTime work after the loader's patch and advance with
 * time; a system thread is waited for through `*PsThreadType` as mingw's
 * wdm.h imports it; pool and RtlStringCbPrintfW. The library's own
 * self-test is suite `ntoskrnl`.
 */
#include "ntapitest.h"
#include "ntdriver.h"
#include "../../drivers/test/krnltest/krnltest.h"

TEST(krnlrt, driver_library_in_driver_process)
{
    static const WCHAR Expected[] = L"krnl-42";
    HANDLE Device = NtapiLoadAndOpen(L"KrnlTest", L"\\Device\\KrnlTest");
    KRNLTEST_RESULT Result;
    ULONG_PTR Information = 0;

    if (!Device)
        return;
    memset(&Result, 0xcc, sizeof(Result));
    if (CHECK_STATUS(NtapiDeviceIoControl(Device, IOCTL_KRNLTEST_RUN, NULL, 0, &Result,
                                          sizeof(Result), &Information),
                     STATUS_SUCCESS)) {
        CHECK_EQ(Information, sizeof(Result));
        CHECK_EQ(Result.Failed, 0);
        CHECK_EQ(Result.DpcIrql, 2 /* DISPATCH_LEVEL */);
        CHECK_EQ(Result.ThreadDone, 1);
        /* 200 ms: about 12 ticks of 15.625 ms, 2,000,000 units of 100 ns. */
        CHECK(Result.Ticks >= 6 && Result.Ticks <= 40);
        CHECK(Result.SystemTimeDelta >= 1000000 && Result.SystemTimeDelta <= 20000000);
        CHECK(Result.InterruptTimeDelta >= 1000000 && Result.InterruptTimeDelta <= 20000000);
        CHECK(memcmp(Result.Text, Expected, sizeof(Expected)) == 0);
    }
    NtClose(Device);
}
