/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guard pages seen from user mode: the first touch of a PAGE_GUARD page
 * raises STATUS_GUARD_PAGE_VIOLATION (a vectored handler sees it with the
 * access kind and the address, as on Windows), the guard is gone after
 * it (one shot: the retry and later touches run through), and
 * NtQueryVirtualMemory shows the page without PAGE_GUARD from then on.
 */
#include "ntapitest.h"
#include "ntapiexc.h"

#define MEM_COMMIT_RESERVE 0x3000u
#define MEM_RELEASE        0x8000u
#define PAGE_READWRITE_    0x04u
#define PAGE_GUARD_        0x100u

typedef struct _NTAPI_MBI {
    PVOID BaseAddress, AllocationBase;
    ULONG AllocationProtect;
    SIZE_T RegionSize;
    ULONG State, Protect, Type;
} NTAPI_MBI;

static volatile ULONG NtapiGuardHits;
static volatile ULONG_PTR NtapiGuardAccess, NtapiGuardAddress;

static LONG NTAPI NtapiGuardHandler(PEXCEPTION_POINTERS Pointers)
{
    PEXCEPTION_RECORD Record = Pointers->ExceptionRecord;

    if (Record->ExceptionCode != STATUS_GUARD_PAGE_VIOLATION)
        return EXCEPTION_CONTINUE_SEARCH;
    NtapiGuardHits++;
    if (Record->NumberParameters >= 2) {
        NtapiGuardAccess = Record->ExceptionInformation[0];
        NtapiGuardAddress = Record->ExceptionInformation[1];
    }
    return EXCEPTION_CONTINUE_EXECUTION; /* the guard is gone: the access runs again */
}

static ULONG NtapiProtection(PVOID Address)
{
    NTAPI_MBI Info;

    if (!CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), Address, 0, &Info, 0x30, NULL),
                      STATUS_SUCCESS))
        return 0;
    return Info.Protect;
}

static BOOLEAN NtapiGuard(PUCHAR Page)
{
    PVOID Base = Page;
    SIZE_T Size = 0x1000;
    ULONG Old;

    return CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size,
                                               PAGE_READWRITE_ | PAGE_GUARD_, &Old),
                        STATUS_SUCCESS);
}

TEST(virtual, guard_page_fires_once)
{
    PVOID Base = NULL, Handler;
    SIZE_T Size = 0x2000;
    volatile UCHAR *Bytes;
    UCHAR Value;

    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size,
                                              MEM_COMMIT_RESERVE, PAGE_READWRITE_),
                      STATUS_SUCCESS))
        return;
    Bytes = Base;
    Handler = RtlAddVectoredExceptionHandler(1, NtapiGuardHandler);
    if (CHECK(Handler != NULL) && NtapiGuard((PUCHAR)Bytes + 0x1000)) {
        NtapiGuardHits = 0;
        CHECK_EQ(NtapiProtection((PUCHAR)Bytes + 0x1000), PAGE_READWRITE_ | PAGE_GUARD_);
        Value = Bytes[0x1010]; /* a read: raised once */
        CHECK_EQ(Value, 0);
        CHECK_EQ(NtapiGuardHits, 1);
        CHECK_EQ(NtapiGuardAccess, 0);
        CHECK_EQ(NtapiGuardAddress, (ULONG_PTR)Bytes + 0x1010);
        CHECK_EQ(NtapiProtection((PUCHAR)Bytes + 0x1000), PAGE_READWRITE_);
        Bytes[0x1020] = 5; /* the guard is gone */
        CHECK_EQ(NtapiGuardHits, 1);
        CHECK_EQ(Bytes[0x1020], 5);
        if (NtapiGuard((PUCHAR)Bytes + 0x1000)) {
            Bytes[0x1030] = 6; /* a write: raised once more */
            CHECK_EQ(NtapiGuardHits, 2);
            CHECK_EQ(NtapiGuardAccess, 1);
            CHECK_EQ(NtapiGuardAddress, (ULONG_PTR)Bytes + 0x1030);
            CHECK_EQ(Bytes[0x1030], 6);
        }
        Bytes[0] = 1; /* the page without a guard never raised */
        CHECK_EQ(NtapiGuardHits, 2);
    }
    if (Handler != NULL)
        RtlRemoveVectoredExceptionHandler(Handler);
    Size = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
}

/* The thread's own stack as ps lays it out (Windows' layout): committed
 * down to the TEB's StackLimit, a guard page just below. Touching the
 * guard moves it one page down and StackLimit follows, nothing raised; a
 * service writing its result into the new guard page grows the stack the
 * same way. The test touches only pages below its own frames. */
TEST(virtual, stack_guard_moves_down)
{
    PNT_TIB Tib = &NtCurrentTeb()->NtTib;
    ULONG_PTR Guard = (ULONG_PTR)Tib->StackLimit - 0x1000;
    volatile UCHAR *Bytes = (volatile UCHAR *)Guard;
    LARGE_INTEGER *Time = (LARGE_INTEGER *)(Guard - 0x1000 + 0x100);
    PVOID Handler;

    if (!CHECK((ULONG_PTR)&Handler > Guard + 0x2000))
        return;
    CHECK_EQ(NtapiProtection((PVOID)Guard), PAGE_READWRITE_ | PAGE_GUARD_);
    Handler = RtlAddVectoredExceptionHandler(1, NtapiGuardHandler);
    NtapiGuardHits = 0;
    (void)Bytes[8]; /* the guard moves one page down: nothing raised */
    CHECK_EQ(NtapiGuardHits, 0);
    CHECK_EQ((ULONG_PTR)Tib->StackLimit, Guard);
    CHECK_EQ(NtapiProtection((PVOID)Guard), PAGE_READWRITE_);
    CHECK_EQ(NtapiProtection((PVOID)(Guard - 0x1000)), PAGE_READWRITE_ | PAGE_GUARD_);
    /* ntos writing for the thread fires the stack's guard too. */
    CHECK_STATUS(NtQuerySystemTime(Time), STATUS_SUCCESS);
    CHECK(Time->QuadPart != 0);
    CHECK_EQ(NtapiGuardHits, 0);
    CHECK_EQ((ULONG_PTR)Tib->StackLimit, Guard - 0x1000);
    CHECK_EQ(NtapiProtection((PVOID)(Guard - 0x2000)), PAGE_READWRITE_ | PAGE_GUARD_);
    if (Handler != NULL)
        RtlRemoveVectoredExceptionHandler(Handler);
}
