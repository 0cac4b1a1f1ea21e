/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stock-memory.exe: virtual memory services from a program built with the
 * SDK's <windows.h> and <winternl.h> as mingw-w64 installs them, linked
 * with mingw-w64's own libntdll.a. The records and constants are the SDK's
 * (MEMORY_BASIC_INFORMATION, MEM_*, PAGE_*); the four services, which the
 * SDK's user-mode headers do not declare, are declared below with their
 * Windows prototypes. Expected values are Windows': 64 KiB reservations,
 * demand-zero commits, protections reported back, release of the whole
 * reservation with size 0, refusals of bad arguments.
 */
#include <windows.h>
#include <winternl.h>

#include "../lib/compat.h"

const char CompatProgram[] = "memory";

NTSYSAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                                ULONG AllocationType, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                            PSIZE_T RegionSize, ULONG FreeType);
NTSYSAPI NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                               PSIZE_T RegionSize, ULONG NewProtect,
                                               PULONG OldProtect);
NTSYSAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                                             ULONG MemoryInformationClass, PVOID Buffer,
                                             SIZE_T Length, PSIZE_T ResultLength);

#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif
#define MemoryBasicInformation         0
#define STATUS_SUCCESS                 ((NTSTATUS)0x00000000L)
#define STATUS_INVALID_PARAMETER_5     ((NTSTATUS)0xC00000F3L)
#define STATUS_INVALID_PAGE_PROTECTION ((NTSTATUS)0xC0000045L)
#define STATUS_MEMORY_NOT_ALLOCATED    ((NTSTATUS)0xC00000A0L)
#define STATUS_CONFLICTING_ADDRESSES   ((NTSTATUS)0xC0000018L)

#define COMPAT_64K  0x10000ull
#define COMPAT_PAGE 0x1000ull

static NTSTATUS CompatQuery(PVOID Address, MEMORY_BASIC_INFORMATION *Info)
{
    SIZE_T Length = 0;
    NTSTATUS Status;

    memset(Info, 0xcc, sizeof(*Info));
    Status = NtQueryVirtualMemory(NtCurrentProcess(), Address, MemoryBasicInformation, Info,
                                  sizeof(*Info), &Length);
    if (NT_SUCCESS(Status))
        CHECK_EQ(Length, sizeof(*Info));
    return Status;
}

static VOID CompatRelease(PVOID Base)
{
    SIZE_T Size = 0;

    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
}

static VOID CommitUseRelease(VOID)
{
    PVOID Base = NULL;
    SIZE_T Size = 3 * COMPAT_PAGE + 1;
    volatile UCHAR *Bytes;
    MEMORY_BASIC_INFORMATION Info;

    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size,
                                              MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ((ULONG_PTR)Base % COMPAT_64K, 0);
    CHECK_EQ(Size, 4 * COMPAT_PAGE); /* rounded up to whole pages */
    Bytes = Base;
    CHECK_EQ(Bytes[0] | Bytes[Size - 1], 0); /* demand-zero */
    Bytes[0x1234] = 0x5a;
    CHECK_EQ(Bytes[0x1234], 0x5a);
    if (CHECK_STATUS(CompatQuery((PVOID)(Bytes + 0x800), &Info), STATUS_SUCCESS)) {
        CHECK(Info.BaseAddress == Base);
        CHECK(Info.AllocationBase == Base);
        CHECK_EQ(Info.AllocationProtect, PAGE_READWRITE);
        CHECK_EQ(Info.RegionSize, 4 * COMPAT_PAGE);
        CHECK_EQ(Info.State, MEM_COMMIT);
        CHECK_EQ(Info.Protect, PAGE_READWRITE);
        CHECK_EQ(Info.Type, MEM_PRIVATE);
    }
    CompatRelease(Base);
    if (CHECK_STATUS(CompatQuery(Base, &Info), STATUS_SUCCESS))
        CHECK_EQ(Info.State, MEM_FREE);
}

static VOID ReserveThenCommit(VOID)
{
    PVOID Base = NULL, Page;
    SIZE_T Size = 16 * COMPAT_64K;
    MEMORY_BASIC_INFORMATION Info;

    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE,
                                              PAGE_READWRITE),
                      STATUS_SUCCESS))
        return;
    Page = (PUCHAR)Base + 5 * COMPAT_PAGE;
    Size = COMPAT_PAGE;
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &Page, 0, &Size, MEM_COMMIT, PAGE_READWRITE),
        STATUS_SUCCESS);
    if (CHECK_STATUS(CompatQuery(Base, &Info), STATUS_SUCCESS)) {
        CHECK_EQ(Info.State, MEM_RESERVE);
        CHECK_EQ(Info.RegionSize, 5 * COMPAT_PAGE);
        CHECK_EQ(Info.AllocationProtect, PAGE_READWRITE);
    }
    if (CHECK_STATUS(CompatQuery(Page, &Info), STATUS_SUCCESS)) {
        CHECK_EQ(Info.State, MEM_COMMIT);
        CHECK_EQ(Info.RegionSize, COMPAT_PAGE);
        CHECK(Info.AllocationBase == Base);
    }
    /* A second reservation over the first conflicts. */
    Page = Base, Size = COMPAT_64K;
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &Page, 0, &Size, MEM_RESERVE, PAGE_READWRITE),
        STATUS_CONFLICTING_ADDRESSES);
    CompatRelease(Base);
}

static VOID ProtectReportsOld(VOID)
{
    PVOID Base = NULL, Address;
    SIZE_T Size = 2 * COMPAT_PAGE;
    ULONG Old = 0;
    MEMORY_BASIC_INFORMATION Info;

    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size,
                                              MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                      STATUS_SUCCESS))
        return;
    Address = Base, Size = COMPAT_PAGE;
    CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &Address, &Size, PAGE_READONLY, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READWRITE);
    if (CHECK_STATUS(CompatQuery(Base, &Info), STATUS_SUCCESS)) {
        CHECK_EQ(Info.Protect, PAGE_READONLY);
        CHECK_EQ(Info.RegionSize, COMPAT_PAGE);
        CHECK_EQ(Info.AllocationProtect, PAGE_READWRITE);
    }
    Address = Base, Size = COMPAT_PAGE;
    CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &Address, &Size, PAGE_READWRITE, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READONLY);
    CompatRelease(Base);
}

static VOID Refusals(VOID)
{
    PVOID Base = NULL;
    SIZE_T Size = COMPAT_PAGE;
    UCHAR Local = 0;

    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, 0, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_5);
    Base = NULL, Size = COMPAT_PAGE;
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, 0),
        STATUS_INVALID_PAGE_PROTECTION);
    /* The stack is not a private allocation of its own at this address. */
    Base = &Local, Size = 0;
    CHECK(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE) != STATUS_SUCCESS);
    Base = (PVOID)(ULONG_PTR)0x7ff00000000ull, Size = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE),
                 STATUS_MEMORY_NOT_ALLOCATED);
}

NTSTATUS NTAPI NtProcessStartup(PVOID Peb)
{
    (void)Peb;
    CompatRun("commit_use_release", CommitUseRelease);
    CompatRun("reserve_then_commit", ReserveThenCommit);
    CompatRun("protect_reports_old", ProtectReportsOld);
    CompatRun("refusals", Refusals);
    CompatFinish();
}
