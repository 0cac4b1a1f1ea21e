/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual memory services on the caller's own process:
 * NtAllocateVirtualMemory (reservations on 64 KiB boundaries, commits and
 * MEM_RESET on pages, MEM_TOP_DOWN, ZeroBits), NtFreeVirtualMemory
 * (decommit and release, whole and partial, size 0), NtProtectVirtualMemory
 * (old protections, runs) and NtQueryVirtualMemory (free, reserved,
 * committed and guard regions and their boundaries), with every argument
 * error and the rounded base and size each one reports. Expected values
 * are Windows' (x64).
 */
#include "ntapitest.h"

#define MEM_COMMIT       0x00001000u
#define MEM_RESERVE      0x00002000u
#define MEM_DECOMMIT     0x00004000u
#define MEM_RELEASE      0x00008000u
#define MEM_FREE         0x00010000u
#define MEM_PRIVATE      0x00020000u
#define MEM_RESET        0x00080000u
#define MEM_TOP_DOWN     0x00100000u
#define AT_ROUND_TO_PAGE 0x40000000u

#define PAGE_NOACCESS          0x01u
#define PAGE_READONLY          0x02u
#define PAGE_READWRITE         0x04u
#define PAGE_WRITECOPY         0x08u
#define PAGE_EXECUTE           0x10u
#define PAGE_EXECUTE_READ      0x20u
#define PAGE_EXECUTE_READWRITE 0x40u
#define PAGE_EXECUTE_WRITECOPY 0x80u
#define PAGE_GUARD             0x100u
#define PAGE_NOCACHE           0x200u
#define PAGE_WRITECOMBINE      0x400u

#define PROCESS_VM_OPERATION   0x0008u
#define MemoryBasicInformation 0

typedef struct _NTAPI_MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    USHORT PartitionId;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
} NTAPI_MEMORY_BASIC_INFORMATION;
_Static_assert(sizeof(NTAPI_MEMORY_BASIC_INFORMATION) == 0x30, "MEMORY_BASIC_INFORMATION");

#define NTAPI_PAGE 0x1000u
#define NTAPI_64K  0x10000u

/* ---- helpers ---------------------------------------------------------------------------- */

static NTSTATUS NtapiAllocate(PVOID *Base, SIZE_T *Size, ULONG Type, ULONG Protect)
{
    return NtAllocateVirtualMemory(NtCurrentProcess(), Base, 0, Size, Type, Protect);
}

/* A fresh reservation of Size bytes (committed with Commit), or NULL. */
static PUCHAR NtapiReserve(SIZE_T Size, BOOLEAN Commit)
{
    PVOID Base = NULL;
    ULONG Type = MEM_RESERVE | (Commit ? MEM_COMMIT : 0);

    if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, Type, PAGE_READWRITE), STATUS_SUCCESS))
        return NULL;
    return Base;
}

static VOID NtapiRelease(PVOID Base)
{
    SIZE_T Size = 0;

    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
}

static NTSTATUS NtapiQuery(PVOID Address, NTAPI_MEMORY_BASIC_INFORMATION *Info)
{
    memset(Info, 0xcc, sizeof(*Info));
    return NtQueryVirtualMemory(NtCurrentProcess(), Address, MemoryBasicInformation, Info,
                                sizeof(*Info), NULL);
}

/* Check the region around Address: its base, size, state and protection. */
static VOID NtapiCheckRegion(PVOID Address, PVOID Base, SIZE_T Size, ULONG State, ULONG Protect)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;

    if (!CHECK_STATUS(NtapiQuery(Address, &Info), STATUS_SUCCESS))
        return;
    CHECK_EQ(Info.BaseAddress, Base);
    CHECK_EQ(Info.RegionSize, Size);
    CHECK_EQ(Info.State, State);
    CHECK_EQ(Info.Protect, Protect);
}

static NTSTATUS NtapiProtect(PVOID Address, SIZE_T Size, ULONG Protect, ULONG *Old)
{
    return NtProtectVirtualMemory(NtCurrentProcess(), &Address, &Size, Protect, Old);
}

/* ---- life cycles -------------------------------------------------------------------------- */

TEST(virtual, reserve_commit_release)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PVOID Base = NULL;
    SIZE_T Size = 0x1000;
    PUCHAR Bytes;

    if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ((ULONG_PTR)Base % NTAPI_64K, 0);
    CHECK_EQ(Size, 0x1000);
    Bytes = Base;
    CHECK_EQ(Bytes[0] | Bytes[0xfff], 0); /* demand-zero */
    Bytes[0] = 0x5a;
    Bytes[0xfff] = 0xa5;
    CHECK_EQ(Bytes[0] + Bytes[0xfff], 0xff);
    CHECK_STATUS(NtapiQuery(Bytes + 0x800, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.BaseAddress, Base);
    CHECK_EQ(Info.AllocationBase, Base);
    CHECK_EQ(Info.AllocationProtect, PAGE_READWRITE);
    CHECK_EQ(Info.RegionSize, 0x1000);
    CHECK_EQ(Info.State, MEM_COMMIT);
    CHECK_EQ(Info.Protect, PAGE_READWRITE);
    CHECK_EQ(Info.Type, MEM_PRIVATE);
    Size = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
    CHECK_EQ(Size, 0x1000);
    CHECK_STATUS(NtapiQuery(Bytes, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_FREE);
    CHECK_EQ(Info.Protect, PAGE_NOACCESS);
    CHECK_EQ(Info.AllocationBase, NULL);
    CHECK_EQ(Info.AllocationProtect, 0);
    CHECK_EQ(Info.Type, 0);
}

TEST(virtual, reserve_then_commit_pages)
{
    PUCHAR Base = NtapiReserve(0x10000, FALSE);
    PVOID Address;
    SIZE_T Size;

    if (Base == NULL)
        return;
    NtapiCheckRegion(Base, Base, 0x10000, MEM_RESERVE, 0);
    Address = Base + 0x1800; /* commits round out to whole pages */
    Size = 0x1000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READONLY), STATUS_SUCCESS);
    CHECK_EQ(Address, Base + 0x1000);
    CHECK_EQ(Size, 0x2000);
    NtapiCheckRegion(Base, Base, 0x1000, MEM_RESERVE, 0);
    NtapiCheckRegion(Base + 0x1000, Base + 0x1000, 0x2000, MEM_COMMIT, PAGE_READONLY);
    NtapiCheckRegion(Base + 0x2fff, Base + 0x2000, 0x1000, MEM_COMMIT, PAGE_READONLY);
    NtapiCheckRegion(Base + 0x3000, Base + 0x3000, 0xd000, MEM_RESERVE, 0);
    CHECK_EQ(Base[0x1000] | Base[0x2fff], 0);
    NtapiRelease(Base);
}

TEST(virtual, reserve_rounds_base_to_64k)
{
    PUCHAR Base = NtapiReserve(0x20000, FALSE);
    PVOID Address;
    SIZE_T Size = 0x2000;

    if (Base == NULL)
        return;
    NtapiRelease(Base); /* a free range now known */
    Address = Base + 0x1234;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(Address, Base);
    CHECK_EQ(Size, 0x4000); /* from the 64 KiB boundary to the page after the end */
    NtapiCheckRegion(Base, Base, 0x4000, MEM_RESERVE, 0);
    NtapiRelease(Address);
}

TEST(virtual, commit_without_base_reserves)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PVOID Base = NULL;
    SIZE_T Size = 0x1801;

    if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS))
        return;
    CHECK_EQ(Size, 0x2000);
    CHECK_STATUS(NtapiQuery(Base, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_COMMIT);
    CHECK_EQ(Info.AllocationBase, Base);
    CHECK_EQ(Info.RegionSize, 0x2000);
    NtapiRelease(Base);
}

TEST(virtual, recommit_changes_protection_keeps_data)
{
    PUCHAR Base = NtapiReserve(0x2000, TRUE);
    PVOID Address;
    SIZE_T Size = 0x1000;

    if (Base == NULL)
        return;
    Base[5] = 7;
    Address = Base;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READONLY), STATUS_SUCCESS);
    CHECK_EQ(Base[5], 7);
    NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, PAGE_READONLY);
    NtapiCheckRegion(Base + 0x1000, Base + 0x1000, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    NtapiRelease(Base);
}

TEST(virtual, decommit_drops_contents)
{
    PUCHAR Base = NtapiReserve(0x3000, TRUE);
    PVOID Address;
    SIZE_T Size;

    if (Base == NULL)
        return;
    Base[0x1000] = 1;
    Base[0x2000] = 2;
    Address = Base + 0x1fff; /* 2 bytes over a page boundary: both pages */
    Size = 2;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_DECOMMIT),
                 STATUS_SUCCESS);
    CHECK_EQ(Address, Base + 0x1000);
    CHECK_EQ(Size, 0x2000);
    NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    NtapiCheckRegion(Base + 0x1000, Base + 0x1000, 0x2000, MEM_RESERVE, 0);
    Address = Base + 0x1000;
    Size = 0x2000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(Base[0x1000] | Base[0x2000], 0);
    NtapiRelease(Base);
}

TEST(virtual, decommit_whole_reservation)
{
    PUCHAR Base = NtapiReserve(0x10000, TRUE);
    PVOID Address;
    SIZE_T Size = 0;

    if (Base == NULL)
        return;
    Address = Base + 0xffe; /* size 0: from the reservation's first page */
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_DECOMMIT),
                 STATUS_SUCCESS);
    CHECK_EQ(Address, Base);
    CHECK_EQ(Size, 0); /* Windows 10 1803 and later */
    NtapiCheckRegion(Base, Base, 0x10000, MEM_RESERVE, 0);
    NtapiRelease(Base);
}

TEST(virtual, release_rounds_to_base)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PUCHAR Base = NtapiReserve(0x10000, TRUE);
    PVOID Address;
    SIZE_T Size = 0;

    if (Base == NULL)
        return;
    Address = Base + 0xfff;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
    CHECK_EQ(Address, Base);
    CHECK_EQ(Size, 0x10000);
    CHECK_STATUS(NtapiQuery(Base, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_FREE);
}

TEST(virtual, release_with_exact_size)
{
    PUCHAR Base = NtapiReserve(0x3000, FALSE);
    PVOID Address = Base;
    SIZE_T Size = 0x3000;
    NTAPI_MEMORY_BASIC_INFORMATION Info;

    if (Base == NULL)
        return;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
    CHECK_EQ(Size, 0x3000);
    CHECK_STATUS(NtapiQuery(Base, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_FREE);
}

TEST(virtual, reset_keeps_commit)
{
    PUCHAR Base = NtapiReserve(0x2000, TRUE);
    PVOID Address;
    SIZE_T Size = 0x10;

    if (Base == NULL)
        return;
    Base[0x1008] = 9;
    Address = Base + 0x1008;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_RESET, PAGE_NOACCESS), STATUS_SUCCESS);
    CHECK_EQ(Address, Base + 0x1000);
    CHECK_EQ(Size, 0x1000);
    NtapiCheckRegion(Base, Base, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    Base[0x1008] = 10; /* still writable */
    CHECK_EQ(Base[0x1008], 10);
    NtapiRelease(Base);
}

TEST(virtual, reserve_sizes_from_unaligned_bases)
{
    static const struct {
        ULONG Offset;
        SIZE_T Size, Expected;
    } Cases[] = {{0, 1, 0x1000},           {0x8000, 1, 0x9000},
                 {0x10, 0x1000, 0x2000},   {0xffff, 0x3000, 0x13000},
                 {0x1010, 0x7000, 0x9000}, {0x1010, 0xc000, 0xe000}};
    PUCHAR Free = NtapiReserve(0x30000, FALSE);
    ULONG Index;

    if (Free == NULL)
        return;
    NtapiRelease(Free);
    for (Index = 0; Index < sizeof(Cases) / sizeof(Cases[0]); Index++) {
        PVOID Base = Free + Cases[Index].Offset;
        SIZE_T Size = Cases[Index].Size;
        if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_NOACCESS), STATUS_SUCCESS))
            continue;
        CHECK_EQ(Base, Free);
        if (!CHECK_EQ(Size, Cases[Index].Expected))
            DbgPrint("    (offset 0x%lx size 0x%I64x)\n", Cases[Index].Offset,
                     (ULONGLONG)Cases[Index].Size);
        NtapiRelease(Base);
    }
}

TEST(virtual, release_middle_of_reservation)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PUCHAR Base = NtapiReserve(0x30000, FALSE);
    PVOID Address;
    SIZE_T Size;

    if (Base == NULL)
        return;
    Address = Base + 0x10000;
    Size = 0x10000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
    NtapiCheckRegion(Base + 0x10000, Base + 0x10000, 0x10000, MEM_FREE, PAGE_NOACCESS);
    NtapiCheckRegion(Base, Base, 0x10000, MEM_RESERVE, 0);
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_MEMORY_NOT_ALLOCATED);
    /* Two reservations now: a range over both cannot be freed at once. */
    Address = Base;
    Size = 0x30000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_UNABLE_TO_FREE_VM);
    Address = Base;
    Size = 0x10000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
    Address = Base + 0x20000;
    Size = 0x10000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiQuery(Base, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.State, MEM_FREE);
    CHECK(Info.RegionSize >= 0x30000);
}

TEST(virtual, release_wrong_size_and_address)
{
    PVOID Base = NULL, Address;
    SIZE_T Size = 0x3000;

    if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_NOACCESS), STATUS_SUCCESS))
        return;
    Address = (PUCHAR)Base + 0x8000; /* same 64 KiB block, past the reservation */
    Size = 0x1000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_MEMORY_NOT_ALLOCATED);
    Address = Base;
    Size = 0x4000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_UNABLE_TO_FREE_VM);
    Size = 0x3000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_SUCCESS);
}

TEST(virtual, commit_over_two_reservations)
{
    PUCHAR Base = NtapiReserve(0x20000, FALSE);
    PVOID Address;
    SIZE_T Size;

    if (Base == NULL)
        return;
    NtapiRelease(Base);
    Address = Base;
    Size = 0x10000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_RESERVE, PAGE_NOACCESS), STATUS_SUCCESS);
    Address = Base + 0x10000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_RESERVE, PAGE_NOACCESS), STATUS_SUCCESS);
    Address = Base + 0x4000;
    Size = 0x10000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
    NtapiCheckRegion(Base + 0x4000, Base + 0x4000, 0xc000, MEM_RESERVE, 0);
    NtapiRelease(Base);
    NtapiRelease(Base + 0x10000);
}

TEST(virtual, reserve_in_first_64k)
{
    PVOID Base = (PVOID)0xfff;
    SIZE_T Size = 0x1000;

    /* x64 Windows keeps the first 64 KiB out of reach. */
    CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_2);
    Base = (PVOID)0xf000;
    CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_2);
}

/* ---- NtAllocateVirtualMemory's argument errors ------------------------------------------ */

TEST(virtual, conflicting_reservation)
{
    PUCHAR Base = NtapiReserve(0x1000, TRUE);
    PVOID Address;
    SIZE_T Size = 0x1000;

    if (Base == NULL)
        return;
    /* The next page is free, but its 64 KiB block starts at Base. */
    Address = Base + 0x1000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
    CHECK_EQ(Address, Base + 0x1000); /* untouched on failure */
    Address = Base + 0x1000;
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Address, 12, &Size,
                                         MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
    NtapiRelease(Base);
}

TEST(virtual, commit_outside_reservation)
{
    PUCHAR Base = NtapiReserve(0x20000, FALSE);
    PVOID Address;
    SIZE_T Size = 0x2000;

    if (Base == NULL)
        return;
    NtapiRelease(Base);
    Address = Base; /* free memory */
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
    Size = 0x10000;
    Address = Base;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    Address = Base + 0xf000; /* crosses the reservation's end */
    Size = 0x2000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_CONFLICTING_ADDRESSES);
    NtapiCheckRegion(Base, Base, 0x10000, MEM_RESERVE, 0);
    NtapiRelease(Base);
}

TEST(virtual, zero_size)
{
    PVOID Base = NULL;
    SIZE_T Size = 0;

    CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_4);
}

TEST(virtual, size_and_base_out_of_range)
{
    PVOID Base = (PVOID)0x10000;
    SIZE_T Size = ~(SIZE_T)0 - 0x1000; /* wraps */

    CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_4);
    Size = 0x800000000000ull; /* past the end of user space */
    CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_4);
    Base = (PVOID)0x800000000000ull;
    Size = 0x1000;
    CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_2);
    Base = (PVOID)0xffff800000000000ull;
    CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_2);
}

TEST(virtual, allocation_type_invalid)
{
    static const ULONG Bad[] = {0,
                                MEM_DECOMMIT,
                                MEM_RELEASE,
                                MEM_TOP_DOWN,
                                MEM_RESET | MEM_COMMIT,
                                MEM_RESET | MEM_RESERVE,
                                MEM_COMMIT | AT_ROUND_TO_PAGE,
                                MEM_COMMIT | 0x1};
    ULONG Index;

    for (Index = 0; Index < sizeof(Bad) / sizeof(Bad[0]); Index++) {
        PVOID Base = NULL;
        SIZE_T Size = 0x1000;
        if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, Bad[Index], PAGE_READWRITE),
                          STATUS_INVALID_PARAMETER_5))
            DbgPrint("    (type 0x%lx)\n", Bad[Index]);
    }
}

TEST(virtual, protection_invalid)
{
    static const ULONG Bad[] = {0,
                                0x3,
                                PAGE_GUARD,
                                PAGE_NOACCESS | PAGE_GUARD,
                                PAGE_NOACCESS | PAGE_NOCACHE,
                                PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE,
                                PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE,
                                PAGE_READWRITE | PAGE_GUARD | PAGE_WRITECOMBINE,
                                PAGE_WRITECOPY,
                                PAGE_EXECUTE_WRITECOPY,
                                PAGE_READWRITE | 0x800};
    ULONG Index;

    for (Index = 0; Index < sizeof(Bad) / sizeof(Bad[0]); Index++) {
        PVOID Base = NULL;
        SIZE_T Size = 0x1000;
        if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE | MEM_COMMIT, Bad[Index]),
                          STATUS_INVALID_PAGE_PROTECTION))
            DbgPrint("    (protection 0x%lx)\n", Bad[Index]);
    }
}

TEST(virtual, protection_modifiers_valid)
{
    static const ULONG Good[] = {PAGE_READWRITE | PAGE_NOCACHE, PAGE_READONLY | PAGE_GUARD,
                                 PAGE_EXECUTE_READ | PAGE_WRITECOMBINE, PAGE_NOACCESS,
                                 PAGE_EXECUTE};
    ULONG Index;

    for (Index = 0; Index < sizeof(Good) / sizeof(Good[0]); Index++) {
        PVOID Base = NULL;
        SIZE_T Size = 0x1000;
        if (!CHECK_STATUS(NtapiAllocate(&Base, &Size, MEM_RESERVE | MEM_COMMIT, Good[Index]),
                          STATUS_SUCCESS)) {
            DbgPrint("    (protection 0x%lx)\n", Good[Index]);
            continue;
        }
        NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, Good[Index]);
        NtapiRelease(Base);
    }
}

TEST(virtual, argument_check_order)
{
    PVOID Base = (PVOID)0x800000000000ull;
    SIZE_T Size = 0;

    /* ZeroBits, then the type, then the protection, then base and size. */
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 25, &Size, 0, 0),
                 STATUS_INVALID_PARAMETER_3);
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, 0, 0),
                 STATUS_INVALID_PARAMETER_5);
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_COMMIT, 0),
                 STATUS_INVALID_PAGE_PROTECTION);
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_COMMIT, PAGE_READWRITE),
        STATUS_INVALID_PARAMETER_2);
}

TEST(virtual, zero_bits)
{
    PVOID Base = NULL;
    SIZE_T Size = 0x1000;
    ULONG_PTR ZeroBits;

    for (ZeroBits = 22; ZeroBits < 32; ZeroBits++) {
        Base = NULL;
        CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, ZeroBits, &Size,
                                             MEM_RESERVE, PAGE_READWRITE),
                     STATUS_INVALID_PARAMETER_3);
    }
    Base = NULL; /* 21: no room above the first 64 KiB */
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 21, &Size, MEM_RESERVE, PAGE_READWRITE),
        STATUS_NO_MEMORY);
    Base = NULL;
    if (CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 1, &Size,
                                             MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE),
                     STATUS_SUCCESS)) {
        CHECK_EQ((ULONG_PTR)Base >> 31, 0);
        CHECK((ULONG_PTR)Base >= 0x70000000); /* top-down below 2 GiB */
        NtapiRelease(Base);
    }
    Base = NULL; /* from 32 on, a mask: its leading zeros count */
    if (CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0x1aaaaaaa, &Size,
                                             MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE),
                     STATUS_SUCCESS)) {
        CHECK_EQ((ULONG_PTR)Base >> 29, 0);
        NtapiRelease(Base);
    }
}

TEST(virtual, top_down)
{
    PVOID Low = NULL, High = NULL;
    SIZE_T Size = 0x1000;

    if (!CHECK_STATUS(NtapiAllocate(&Low, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtapiAllocate(&High, &Size, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE),
                     STATUS_SUCCESS)) {
        CHECK((ULONG_PTR)High > (ULONG_PTR)Low);
        CHECK((ULONG_PTR)High >= 0x7ff000000000ull);
        CHECK_EQ((ULONG_PTR)High % NTAPI_64K, 0);
        NtapiRelease(High);
    }
    NtapiRelease(Low);
}

/* ---- NtFreeVirtualMemory's errors -------------------------------------------------------- */

TEST(virtual, free_type_invalid)
{
    static const ULONG Bad[] = {0, MEM_DECOMMIT | MEM_RELEASE, MEM_COMMIT, MEM_RELEASE | 0x1,
                                MEM_FREE};
    PUCHAR Base = NtapiReserve(0x1000, TRUE);
    ULONG Index;

    if (Base == NULL)
        return;
    for (Index = 0; Index < sizeof(Bad) / sizeof(Bad[0]); Index++) {
        PVOID Address = Base;
        SIZE_T Size = 0;
        if (!CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, Bad[Index]),
                          STATUS_INVALID_PARAMETER_4))
            DbgPrint("    (free type 0x%lx)\n", Bad[Index]);
    }
    NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    NtapiRelease(Base);
}

TEST(virtual, free_not_at_base)
{
    PUCHAR Base = NtapiReserve(0x10000, TRUE);
    PVOID Address;
    SIZE_T Size;

    if (Base == NULL)
        return;
    Address = Base + 0x1001;
    Size = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_FREE_VM_NOT_AT_BASE);
    CHECK_EQ(Address, Base + 0x1001);
    CHECK_EQ(Size, 0);
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_DECOMMIT),
                 STATUS_FREE_VM_NOT_AT_BASE);
    NtapiCheckRegion(Base, Base, 0x10000, MEM_COMMIT, PAGE_READWRITE);
    NtapiRelease(Base);
}

TEST(virtual, free_not_allocated)
{
    PUCHAR Base = NtapiReserve(0x10000, FALSE);
    PVOID Address;
    SIZE_T Size = 0;

    if (Base == NULL)
        return;
    NtapiRelease(Base);
    Address = Base;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_MEMORY_NOT_ALLOCATED);
    Size = 0x1000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_DECOMMIT),
                 STATUS_MEMORY_NOT_ALLOCATED);
}

TEST(virtual, free_past_reservation)
{
    PUCHAR Base = NtapiReserve(0x2000, TRUE);
    PVOID Address = Base;
    SIZE_T Size = 0x3000;

    if (Base == NULL)
        return;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_UNABLE_TO_FREE_VM);
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_DECOMMIT),
                 STATUS_UNABLE_TO_FREE_VM);
    NtapiCheckRegion(Base, Base, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    NtapiRelease(Base);
}

TEST(virtual, free_out_of_range)
{
    PVOID Address = (PVOID)0x800000000000ull;
    SIZE_T Size = 0;

    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_INVALID_PARAMETER_2);
    Address = (PVOID)0x10000;
    Size = ~(SIZE_T)0 - 0x10;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE),
                 STATUS_INVALID_PARAMETER_3);
}

/* ---- NtProtectVirtualMemory -------------------------------------------------------------- */

TEST(virtual, protect_reports_old_protection)
{
    PUCHAR Base = NtapiReserve(0x3000, TRUE);
    PVOID Address;
    SIZE_T Size;
    ULONG Old = 0;

    if (Base == NULL)
        return;
    Address = Base + 0x10;
    Size = 0x10;
    CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &Address, &Size, PAGE_READONLY, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Address, Base);
    CHECK_EQ(Size, 0x1000);
    CHECK_EQ(Old, PAGE_READWRITE);
    NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, PAGE_READONLY);
    NtapiCheckRegion(Base + 0x1000, Base + 0x1000, 0x2000, MEM_COMMIT, PAGE_READWRITE);
    /* Several runs: the old protection is the first page's. */
    CHECK_STATUS(NtapiProtect(Base, 0x3000, PAGE_EXECUTE_READ, &Old), STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READONLY);
    NtapiCheckRegion(Base, Base, 0x3000, MEM_COMMIT, PAGE_EXECUTE_READ);
    CHECK_STATUS(NtapiProtect(Base + 0x1000, 0x1000, PAGE_READWRITE, &Old), STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_EXECUTE_READ);
    Base[0x1000] = 3; /* writable again */
    CHECK_EQ(Base[0x1000], 3);
    NtapiRelease(Base);
}

TEST(virtual, protect_not_committed)
{
    PUCHAR Base = NtapiReserve(0x10000, FALSE);
    PVOID Address;
    SIZE_T Size = 0x1000;
    ULONG Old = 0x55;

    if (Base == NULL)
        return;
    Address = Base;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    /* The second page is only reserved: nothing changes. */
    CHECK_STATUS(NtapiProtect(Base, 0x2000, PAGE_READONLY, &Old), STATUS_NOT_COMMITTED);
    CHECK_EQ(Old, 0x55);
    NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    NtapiRelease(Base);
}

TEST(virtual, protect_invalid)
{
    PUCHAR Base = NtapiReserve(0x1000, TRUE);
    ULONG Old;

    if (Base == NULL)
        return;
    CHECK_STATUS(NtapiProtect(Base, 0x1000, 0, &Old), STATUS_INVALID_PAGE_PROTECTION);
    CHECK_STATUS(NtapiProtect(Base, 0x1000, PAGE_NOACCESS | PAGE_GUARD, &Old),
                 STATUS_INVALID_PAGE_PROTECTION);
    CHECK_STATUS(NtapiProtect(Base, 0x1000, PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE, &Old),
                 STATUS_INVALID_PAGE_PROTECTION);
    /* Private memory is never copy-on-write. */
    CHECK_STATUS(NtapiProtect(Base, 0x1000, PAGE_WRITECOPY, &Old), STATUS_INVALID_PAGE_PROTECTION);
    NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    NtapiRelease(Base);
}

TEST(virtual, protect_out_of_range)
{
    ULONG Old;

    CHECK_STATUS(NtapiProtect((PVOID)0x800000000000ull, 0x1000, PAGE_READONLY, &Old),
                 STATUS_INVALID_PARAMETER_2);
    CHECK_STATUS(NtapiProtect((PVOID)0x10000, ~(SIZE_T)0 - 0x10, PAGE_READONLY, &Old),
                 STATUS_INVALID_PARAMETER_3);
}

TEST(virtual, protect_guard_run)
{
    PUCHAR Base = NtapiReserve(0x4000, TRUE);
    ULONG Old;

    if (Base == NULL)
        return;
    CHECK_STATUS(NtapiProtect(Base + 0x1000, 0x2000, PAGE_READWRITE | PAGE_GUARD, &Old),
                 STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READWRITE);
    NtapiCheckRegion(Base, Base, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    NtapiCheckRegion(Base + 0x1000, Base + 0x1000, 0x2000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    NtapiCheckRegion(Base + 0x3000, Base + 0x3000, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    CHECK_STATUS(NtapiProtect(Base + 0x1000, 0x1000, PAGE_READONLY, &Old), STATUS_SUCCESS);
    CHECK_EQ(Old, PAGE_READWRITE | PAGE_GUARD);
    NtapiRelease(Base);
}

/* ---- NtQueryVirtualMemory ---------------------------------------------------------------- */

TEST(virtual, query_free_region_bounds)
{
    PUCHAR Base = NtapiReserve(0x30000, FALSE);
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PVOID Address;
    SIZE_T Size = 0x10000;

    if (Base == NULL)
        return;
    NtapiRelease(Base);
    Address = Base + 0x20000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    /* A free address inside the hole: the region runs from its page to the next reservation. */
    NtapiCheckRegion(Base + 0x1234, Base + 0x1000, 0x1f000, MEM_FREE, PAGE_NOACCESS);
    CHECK_STATUS(NtapiQuery(Base + 0x1234, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.AllocationBase, NULL);
    CHECK_EQ(Info.Type, 0);
    NtapiRelease(Address);
}

TEST(virtual, query_reserved_then_committed_runs)
{
    PUCHAR Base = NtapiReserve(0x10000, FALSE);
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PVOID Address;
    SIZE_T Size = 0x2000;

    if (Base == NULL)
        return;
    Address = Base + 0x4000;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_EXECUTE_READWRITE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiQuery(Base, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.BaseAddress, Base);
    CHECK_EQ(Info.AllocationBase, Base);
    CHECK_EQ(Info.AllocationProtect, PAGE_READWRITE);
    CHECK_EQ(Info.RegionSize, 0x4000);
    CHECK_EQ(Info.State, MEM_RESERVE);
    CHECK_EQ(Info.Protect, 0);
    CHECK_EQ(Info.Type, MEM_PRIVATE);
    CHECK_STATUS(NtapiQuery(Base + 0x5fff, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.BaseAddress, Base + 0x5000); /* from the queried page on */
    CHECK_EQ(Info.RegionSize, 0x1000);
    CHECK_EQ(Info.State, MEM_COMMIT);
    CHECK_EQ(Info.Protect, PAGE_EXECUTE_READWRITE);
    CHECK_EQ(Info.AllocationBase, Base);
    NtapiCheckRegion(Base + 0x6000, Base + 0x6000, 0xa000, MEM_RESERVE, 0);
    NtapiRelease(Base);
}

TEST(virtual, query_own_image)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PVOID Image = NtCurrentTeb()->ProcessEnvironmentBlock->ImageBaseAddress;

    CHECK_STATUS(NtapiQuery((PVOID)NtapiQuery, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.AllocationBase, Image);
    CHECK_EQ(Info.State, MEM_COMMIT);
    CHECK(Info.Protect == PAGE_EXECUTE_READ || Info.Protect == PAGE_EXECUTE);
}

TEST(virtual, query_arguments)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    UCHAR Large[sizeof(Info) + 16];
    SIZE_T Length = 0;

    CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)NtapiQuery, MemoryBasicInformation,
                                      &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    Length = 0;
    CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)NtapiQuery, MemoryBasicInformation,
                                      Large, sizeof(Large), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)NtapiQuery, MemoryBasicInformation,
                                      &Info, sizeof(Info) - 1, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(
        NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)NtapiQuery, 99, &Info, sizeof(Info), NULL),
        STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)0xffff800000000000ull,
                                      MemoryBasicInformation, &Info, sizeof(Info), NULL),
                 STATUS_INVALID_PARAMETER);
}

TEST(virtual, query_kuser_shared_data)
{
    NTAPI_MEMORY_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiQuery((PVOID)0x7ffe0000, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.BaseAddress, (PVOID)0x7ffe0000);
    CHECK_EQ(Info.State, MEM_COMMIT);
    CHECK_EQ(Info.Protect, PAGE_READONLY);
}

/* ---- handles ------------------------------------------------------------------------------ */

TEST(virtual, process_handles)
{
    HANDLE Limited = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    HANDLE Full = NtapiOpenSelfProcess(PROCESS_VM_OPERATION | PROCESS_QUERY_INFORMATION);
    NTAPI_MEMORY_BASIC_INFORMATION Info;
    PVOID Base = NULL;
    SIZE_T Size = 0x1000;

    CHECK_STATUS(NtAllocateVirtualMemory(NULL, &Base, 0, &Size, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentThread(), &Base, 0, &Size, MEM_COMMIT, PAGE_READWRITE),
        STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK(Limited != NULL)) {
        CHECK_STATUS(NtAllocateVirtualMemory(Limited, &Base, 0, &Size, MEM_COMMIT, PAGE_READWRITE),
                     STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtQueryVirtualMemory(Limited, (PVOID)NtapiQuery, MemoryBasicInformation, &Info,
                                          sizeof(Info), NULL),
                     STATUS_SUCCESS);
        NtClose(Limited);
    }
    if (CHECK(Full != NULL)) {
        if (CHECK_STATUS(NtAllocateVirtualMemory(Full, &Base, 0, &Size, MEM_COMMIT, PAGE_READWRITE),
                         STATUS_SUCCESS)) {
            ((PUCHAR)Base)[1] = 1; /* the same address space */
            Size = 0;
            CHECK_STATUS(NtFreeVirtualMemory(Full, &Base, &Size, MEM_RELEASE), STATUS_SUCCESS);
        }
        NtClose(Full);
    }
}

/* ---- NtReadVirtualMemory, NtWriteVirtualMemory, NtFlushInstructionCache ------------------ */

#define PROCESS_VM_READ  0x0010u
#define PROCESS_VM_WRITE 0x0020u

TEST(virtual, read_write_own_process)
{
    PUCHAR Base = NtapiReserve(0x2000, TRUE);
    UCHAR Out[0x20], In[0x20];
    SIZE_T Done = 99;
    ULONG Index;

    if (Base == NULL)
        return;
    for (Index = 0; Index < sizeof(Out); Index++)
        Out[Index] = (UCHAR)(Index * 7 + 1);
    /* Across the page boundary of the target. */
    CHECK_STATUS(NtWriteVirtualMemory(NtCurrentProcess(), Base + 0xff0, Out, sizeof(Out), &Done),
                 STATUS_SUCCESS);
    CHECK_EQ(Done, sizeof(Out));
    CHECK_EQ(memcmp(Base + 0xff0, Out, sizeof(Out)), 0);
    memset(In, 0, sizeof(In));
    Done = 99;
    CHECK_STATUS(NtReadVirtualMemory(NtCurrentProcess(), Base + 0xff0, In, sizeof(In), &Done),
                 STATUS_SUCCESS);
    CHECK_EQ(Done, sizeof(In));
    CHECK_EQ(memcmp(In, Out, sizeof(In)), 0);
    CHECK_STATUS(NtReadVirtualMemory(NtCurrentProcess(), Base, In, 4, NULL), STATUS_SUCCESS);
    NtapiRelease(Base);
}

TEST(virtual, read_partial_copy)
{
    PUCHAR Base = NtapiReserve(0x10000, FALSE);
    UCHAR In[0x40];
    PVOID Address;
    SIZE_T Size = 0x1000, Done = 99;

    if (Base == NULL)
        return;
    Address = Base;
    CHECK_STATUS(NtapiAllocate(&Address, &Size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    Base[0xff0] = 0x42;
    /* The second page is only reserved: the first 0x10 bytes come across. */
    CHECK_STATUS(NtReadVirtualMemory(NtCurrentProcess(), Base + 0xff0, In, sizeof(In), &Done),
                 STATUS_PARTIAL_COPY);
    CHECK_EQ(Done, 0x10);
    CHECK_EQ(In[0], 0x42);
    Done = 99;
    CHECK_STATUS(NtReadVirtualMemory(NtCurrentProcess(), Base + 0x2000, In, sizeof(In), &Done),
                 STATUS_PARTIAL_COPY);
    CHECK_EQ(Done, 0);
    NtapiRelease(Base);
}

TEST(virtual, write_partial_copy)
{
    PUCHAR Base = NtapiReserve(0x2000, TRUE);
    UCHAR Out[0x30];
    SIZE_T Done = 99;
    ULONG Old;

    if (Base == NULL)
        return;
    memset(Out, 0x77, sizeof(Out));
    CHECK_STATUS(NtapiProtect(Base + 0x1000, 0x1000, PAGE_READONLY, &Old), STATUS_SUCCESS);
    CHECK_STATUS(NtWriteVirtualMemory(NtCurrentProcess(), Base + 0xfe0, Out, sizeof(Out), &Done),
                 STATUS_PARTIAL_COPY);
    CHECK_EQ(Done, 0x20);
    CHECK_EQ(Base[0xfe0] + Base[0xfff], 0xee);
    CHECK_EQ(Base[0x1000], 0);
    Done = 99;
    CHECK_STATUS(NtWriteVirtualMemory(NtCurrentProcess(), Base + 0x1000, Out, 1, &Done),
                 STATUS_PARTIAL_COPY);
    CHECK_EQ(Done, 0);
    NtapiRelease(Base);
}

TEST(virtual, read_write_range_errors)
{
    UCHAR Buffer[16];
    SIZE_T Done = 99;

    CHECK_STATUS(NtReadVirtualMemory(NtCurrentProcess(), (PVOID)0xffff800000000000ull, Buffer,
                                     sizeof(Buffer), &Done),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(Done, 0);
    CHECK_STATUS(NtWriteVirtualMemory(NtCurrentProcess(), (PVOID)0x7ffffffefff8ull, Buffer,
                                      sizeof(Buffer), NULL),
                 STATUS_ACCESS_VIOLATION);
    /* Nothing to copy: the handle is not even looked at. */
    Done = 99;
    CHECK_STATUS(NtReadVirtualMemory(NULL, (PVOID)0x10000, Buffer, 0, &Done), STATUS_SUCCESS);
    CHECK_EQ(Done, 0);
    CHECK_STATUS(NtReadVirtualMemory(NULL, (PVOID)0x10000, Buffer, 1, &Done),
                 STATUS_INVALID_HANDLE);
}

TEST(virtual, read_write_rights)
{
    HANDLE ReadOnly = NtapiOpenSelfProcess(PROCESS_VM_READ);
    HANDLE WriteOnly = NtapiOpenSelfProcess(PROCESS_VM_WRITE);
    ULONG Value = 0x1234, Copy = 0;
    SIZE_T Done;

    if (CHECK(ReadOnly != NULL)) {
        CHECK_STATUS(NtReadVirtualMemory(ReadOnly, &Value, &Copy, sizeof(Copy), &Done),
                     STATUS_SUCCESS);
        CHECK_EQ(Copy, 0x1234);
        CHECK_STATUS(NtWriteVirtualMemory(ReadOnly, &Copy, &Value, sizeof(Value), &Done),
                     STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtFlushInstructionCache(ReadOnly, NULL, 0), STATUS_ACCESS_DENIED);
        NtClose(ReadOnly);
    }
    if (CHECK(WriteOnly != NULL)) {
        Value = 0x5678;
        CHECK_STATUS(NtWriteVirtualMemory(WriteOnly, &Copy, &Value, sizeof(Value), &Done),
                     STATUS_SUCCESS);
        CHECK_EQ(Copy, 0x5678);
        CHECK_STATUS(NtReadVirtualMemory(WriteOnly, &Value, &Copy, sizeof(Copy), &Done),
                     STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtFlushInstructionCache(WriteOnly, NULL, 0), STATUS_SUCCESS);
        NtClose(WriteOnly);
    }
}

TEST(virtual, flush_instruction_cache)
{
    CHECK_STATUS(NtFlushInstructionCache(NtCurrentProcess(), NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtFlushInstructionCache(NtCurrentProcess(), (PVOID)NtapiQuery, 0x100),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtFlushInstructionCache(NtCurrentProcess(), (PVOID)0xffff800000000000ull, 0x10),
                 STATUS_ACCESS_VIOLATION);
    /* A base with length 0: done before the handle is looked at. */
    CHECK_STATUS(NtFlushInstructionCache(NULL, (PVOID)0xffff800000000000ull, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtFlushInstructionCache(NULL, NULL, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtFlushInstructionCache(NtCurrentThread(), NULL, 0), STATUS_OBJECT_TYPE_MISMATCH);
}
