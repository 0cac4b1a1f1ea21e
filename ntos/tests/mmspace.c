/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of physical pages and address spaces: the physmap, page
 * recycling, reservations, commits and mappings, demand-zero lookups,
 * copies to and from user memory with bad addresses, lengths and
 * protections, faults, and deletion giving everything back.
 */
#include "ktest.h"

static EPROCESS KtProcess;

static MMADDRESS_SPACE *KtNewSpace(void)
{
    MMADDRESS_SPACE *Space = NULL;

    CHECK(NT_SUCCESS(MmCreateAddressSpace(&Space)));
    KtProcess = (EPROCESS){.AddressSpace = Space};
    return Space;
}

KTEST(page_physmap_matches_frame)
{
    PMMPFN Pfn;

    if (!CHECK(NT_SUCCESS(MmAllocatePhysicalPage(&Pfn))))
        return;
    seL4_X86_Page_GetAddress_t Address = seL4_X86_Page_GetAddress(Pfn->Frame);
    CHECK_EQ(Address.paddr, MmPagePhysical(Pfn));
    CHECK_EQ((ULONG_PTR)MmPageAddress(Pfn), MM_PHYSMAP_BASE + Address.paddr);
    UCHAR *Bytes = MmPageAddress(Pfn);
    bool Zero = true;
    for (ULONG i = 0; i < PAGE_SIZE; i++)
        Zero &= Bytes[i] == 0;
    CHECK(Zero);
    Bytes[123] = 0x5a;
    MmDereferencePage(Pfn);
}

KTEST(page_recycled_zeroed_after_last_reference)
{
    PMMPFN Pfn, Again;

    if (!CHECK(NT_SUCCESS(MmAllocatePhysicalPage(&Pfn))))
        return;
    ((UCHAR *)MmPageAddress(Pfn))[7] = 1;
    MmReferencePage(Pfn);
    MmDereferencePage(Pfn);
    CHECK_EQ(Pfn->References, 1); /* still in use */
    MmDereferencePage(Pfn);
    CHECK(NT_SUCCESS(MmAllocatePhysicalPage(&Again)));
    CHECK(Again == Pfn); /* the free list comes first */
    CHECK_EQ(((UCHAR *)MmPageAddress(Again))[7], 0);
    MmDereferencePage(Again);
}

KTEST(space_reserve_choose_and_fixed)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR a = 0, b = 0, Fixed = 0x40000000;

    CHECK(NT_SUCCESS(MmReserveRange(Space, &a, 0x3000, PAGE_READWRITE, false)));
    CHECK(NT_SUCCESS(MmReserveRange(Space, &b, 0x1000, PAGE_READONLY, false)));
    CHECK(a != 0 && b != 0 && (b >= a + 0x3000 || b + 0x1000 <= a));
    CHECK_EQ(a & 0xffff, 0);
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Fixed, 0x2000, PAGE_READWRITE, true)));
    CHECK_EQ(Fixed, 0x40000000);
    ULONG_PTR Overlap = 0x40001000;
    CHECK_EQ(MmReserveRange(Space, &Overlap, 0x1000, PAGE_READWRITE, false),
             STATUS_CONFLICTING_ADDRESSES);
    ULONG_PTR High = MM_USER_TOP - 0xfff;
    CHECK(!NT_SUCCESS(MmReserveRange(Space, &High, 0x10000, PAGE_READWRITE, false)));
    ULONG_PTR Bad = 0;
    CHECK_EQ(MmReserveRange(Space, &Bad, 0x1000, 0x3, false), STATUS_INVALID_PAGE_PROTECTION);
    CHECK(!NT_SUCCESS(MmReserveRange(Space, &Bad, 0, PAGE_READWRITE, false)));
    MmDeleteAddressSpace(Space);
}

KTEST(space_demand_zero_commit)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0;

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x4000, PAGE_READWRITE, false)));
    CHECK(MmLookupUserPage(Space, Base, false) == NULL); /* reserved only */
    CHECK(NT_SUCCESS(MmCommitRange(Space, Base + 0x1000, 0x1000, PAGE_READWRITE)));
    PMMPFN Pfn = MmLookupUserPage(Space, Base + 0x1234, true);
    CHECK(Pfn != NULL);
    CHECK(MmLookupUserPage(Space, Base + 0x1fff, false) == Pfn); /* same page, once */
    CHECK(MmLookupUserPage(Space, Base + 0x2000, false) == NULL);
    CHECK_EQ(MmCommitRange(Space, Base + 0x3000, 0x2000, PAGE_READWRITE),
             STATUS_CONFLICTING_ADDRESSES);
    CHECK_EQ(MmCommitRange(Space, 0x7000000, 0x1000, PAGE_READWRITE), STATUS_INVALID_ADDRESS);
    MmDeleteAddressSpace(Space);
}

KTEST(space_map_page_and_protection)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    PMMPFN Pfn;

    if (!CHECK(NT_SUCCESS(MmAllocatePhysicalPage(&Pfn))))
        return;
    CHECK(NT_SUCCESS(MmMapPage(Space, 0x7ffe0000, Pfn, PAGE_READONLY)));
    CHECK_EQ(Pfn->References, 2);
    CHECK_EQ(Pfn->MapCount, 1);
    CHECK(MmLookupUserPage(Space, 0x7ffe0010, false) == Pfn);
    CHECK(MmLookupUserPage(Space, 0x7ffe0010, true) == NULL); /* read-only */
    CHECK_EQ(MmMapPage(Space, 0x7ffe0000, Pfn, PAGE_READONLY), STATUS_CONFLICTING_ADDRESSES);
    CHECK(!NT_SUCCESS(MmMapPage(Space, 0x7ffe0001, Pfn, PAGE_READONLY)));
    MmDeleteAddressSpace(Space);
    CHECK_EQ(Pfn->References, 1);
    CHECK_EQ(Pfn->MapCount, 0);
    MmDereferencePage(Pfn);
}

KTEST(copy_round_trip_across_pages)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0;
    static char Out[9000], In[9000];

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x4000, PAGE_READWRITE, true)));
    for (ULONG i = 0; i < sizeof(Out); i++)
        Out[i] = (char)(i * 7);
    CHECK(NT_SUCCESS(MmCopyToUser(&KtProcess, Base + 0x800, Out, sizeof(Out))));
    CHECK(NT_SUCCESS(MmCopyFromUser(&KtProcess, In, Base + 0x800, sizeof(In))));
    CHECK(memcmp(In, Out, sizeof(In)) == 0);
    CHECK(NT_SUCCESS(MmCopyFromUser(&KtProcess, In, 0, 0))); /* nothing to copy */
    MmDeleteAddressSpace(Space);
}

KTEST(copy_bad_ranges_fail_cleanly)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0x10000000, Ro = 0x20000000, None = 0x30000000;
    char Buffer[64] = {0};

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x2000, PAGE_READWRITE, true)));
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Ro, 0x1000, PAGE_READONLY, true)));
    CHECK(NT_SUCCESS(MmReserveRange(Space, &None, 0x1000, PAGE_NOACCESS, true)));
    const NTSTATUS Av = STATUS_ACCESS_VIOLATION;
    CHECK_EQ(MmCopyFromUser(&KtProcess, Buffer, 0, 8), Av);
    CHECK_EQ(MmCopyFromUser(&KtProcess, Buffer, Base + 0x2000 - 8, 16), Av); /* runs off */
    CHECK_EQ(MmCopyFromUser(&KtProcess, Buffer, (ULONG_PTR)-8, 16), Av);     /* wraps */
    CHECK_EQ(MmCopyFromUser(&KtProcess, Buffer, Base, (SIZE_T)-1), Av);
    CHECK_EQ(MmCopyFromUser(&KtProcess, Buffer, MM_PHYSMAP_BASE, 8), Av); /* not user */
    CHECK_EQ(MmCopyFromUser(&KtProcess, Buffer, 0xffff800000000000ull, 8), Av);
    CHECK_EQ(MmCopyToUser(&KtProcess, Ro, Buffer, 8), Av); /* read-only */
    CHECK(NT_SUCCESS(MmCopyFromUser(&KtProcess, Buffer, Ro, 8)));
    CHECK_EQ(MmCopyFromUser(&KtProcess, Buffer, None, 8), Av); /* no access */
    CHECK_EQ(MmCopyToUser(&KtProcess, MM_USER_TOP, Buffer, 2), Av);
    CHECK_EQ(MmCopyFromUser(NULL, Buffer, Base, 8), Av);
    MmDeleteAddressSpace(Space);
}

KTEST(fault_maps_demand_zero_page)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ETHREAD Thread = {.Process = &KtProcess};
    ULONG_PTR Base = 0x50000000, Ro = 0x60000000;

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x1000, PAGE_READWRITE, true)));
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Ro, 0x1000, PAGE_EXECUTE_READ, true)));
    CHECK(NT_SUCCESS(MmHandleFault(&Thread, Base + 8, true, false)));
    CHECK(MiGetPte(Space, Base, false)->MapCap != 0);
    CHECK_EQ(seL4_DebugCapIdentify(MiGetPte(Space, Base, false)->MapCap), seL4_CapType_Frame);
    CHECK(NT_SUCCESS(MmHandleFault(&Thread, Ro, false, true)));
    CHECK_EQ(MmHandleFault(&Thread, Ro, true, false), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(MmHandleFault(&Thread, 0x1000, false, false), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(MmHandleFault(&Thread, (ULONG_PTR)-1, false, false), STATUS_ACCESS_VIOLATION);
    MmDeleteAddressSpace(Space);
}

KTEST(space_delete_returns_everything)
{
    ULONG Slots, FreePages;
    ULONG_PTR Base = 0;

    /* Warm up: the pool and the frame free list reach a steady state. */
    for (int Round = 0; Round < 2; Round++) {
        MMADDRESS_SPACE *Space = KtNewSpace();
        CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x20000, PAGE_READWRITE, true)));
        for (ULONG_PTR Va = Base; Va < Base + 0x20000; Va += PAGE_SIZE)
            CHECK(MmLookupUserPage(Space, Va, true) != NULL);
        if (Round == 0) {
            MmDeleteAddressSpace(Space);
            Slots = MiFreeSlotCount();
            FreePages = MiFreePageCount();
            Base = 0;
            continue;
        }
        MmDeleteAddressSpace(Space);
    }
    CHECK_EQ(MiFreeSlotCount(), Slots);
    CHECK_EQ(MiFreePageCount(), FreePages);
}

KTEST(space_many_alive_need_new_asid_pools)
{
    /* More live spaces than the boot ASID pool holds: a new pool is made.
     * Deleted, their ASIDs come back for the next round. */
    static MMADDRESS_SPACE *Spaces[600];
    ULONG Made = 0;

    for (int Round = 0; Round < 2; Round++) {
        for (Made = 0; Made < ARRAYSIZE(Spaces); Made++)
            if (!NT_SUCCESS(MmCreateAddressSpace(&Spaces[Made])))
                break;
        CHECK_EQ(Made, ARRAYSIZE(Spaces));
        for (ULONG i = 0; i < Made; i++)
            MmDeleteAddressSpace(Spaces[i]);
    }
}

KTEST(space_release_range)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0;

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x2000, PAGE_READWRITE, true)));
    CHECK(MmLookupUserPage(Space, Base, true) != NULL);
    CHECK_EQ(MmReleaseRange(Space, Base + 0x1000), STATUS_INVALID_ADDRESS);
    CHECK(NT_SUCCESS(MmReleaseRange(Space, Base)));
    CHECK(MmLookupUserPage(Space, Base, false) == NULL);
    ULONG_PTR Again = Base;
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Again, 0x1000, PAGE_READWRITE, false)));
    MmDeleteAddressSpace(Space);
}

KTEST(protect_remaps_and_refuses)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0x11000000;
    ULONG Old = 0;
    char Byte = 1;

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x3000, PAGE_READWRITE, false)));
    CHECK(NT_SUCCESS(MmCommitRange(Space, Base, 0x2000, PAGE_READWRITE)));
    CHECK(NT_SUCCESS(MmCopyToUser(&KtProcess, Base, &Byte, 1)));
    CHECK(NT_SUCCESS(MmProtectRange(Space, Base, 0x2000, PAGE_READONLY, &Old)));
    CHECK_EQ(Old, PAGE_READWRITE);
    CHECK_EQ(MmCopyToUser(&KtProcess, Base, &Byte, 1), STATUS_ACCESS_VIOLATION);
    CHECK(NT_SUCCESS(MmCopyFromUser(&KtProcess, &Byte, Base, 1)));
    CHECK(NT_SUCCESS(MmProtectRange(Space, Base, 1, PAGE_NOACCESS, &Old)));
    CHECK_EQ(Old, PAGE_READONLY);
    CHECK_EQ(MmCopyFromUser(&KtProcess, &Byte, Base, 1), STATUS_ACCESS_VIOLATION);
    CHECK(NT_SUCCESS(MmProtectRange(Space, Base, 1, PAGE_EXECUTE_READWRITE, &Old)));
    CHECK(NT_SUCCESS(MmCopyToUser(&KtProcess, Base, &Byte, 1)));
    CHECK_EQ(seL4_DebugCapIdentify(MiGetPte(Space, Base, false)->MapCap), seL4_CapType_Frame);
    CHECK_EQ(MmProtectRange(Space, Base, 0x3000, PAGE_READONLY, &Old), STATUS_NOT_COMMITTED);
    CHECK_EQ(MmProtectRange(Space, Base, 0x1000, 0x6, &Old), STATUS_INVALID_PAGE_PROTECTION);
    CHECK_EQ(MmProtectRange(Space, 0x70000000, 0x1000, PAGE_READONLY, &Old),
             STATUS_MEMORY_NOT_ALLOCATED);
    MmDeleteAddressSpace(Space);
}

KTEST(decommit_and_query_regions)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0x12000000;
    MM_REGION_INFO Info;

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x4000, PAGE_READWRITE, true)));
    CHECK(MmLookupUserPage(Space, Base + 0x1000, true) != NULL);
    CHECK(NT_SUCCESS(MmDecommitRange(Space, Base + 0x1000, 0x1000)));
    CHECK(MmLookupUserPage(Space, Base + 0x1000, false) == NULL);
    CHECK(NT_SUCCESS(MmQueryRange(Space, Base + 0x10, &Info)));
    CHECK_EQ(Info.BaseAddress, Base);
    CHECK_EQ(Info.AllocationBase, Base);
    CHECK_EQ(Info.RegionSize, 0x1000);
    CHECK_EQ(Info.State, MM_STATE_COMMIT);
    CHECK_EQ(Info.Protect, PAGE_READWRITE);
    CHECK(NT_SUCCESS(MmQueryRange(Space, Base + 0x1000, &Info)));
    CHECK_EQ(Info.State, MM_STATE_RESERVE);
    CHECK_EQ(Info.RegionSize, 0x1000);
    CHECK(NT_SUCCESS(MmQueryRange(Space, Base + 0x2000, &Info)));
    CHECK_EQ(Info.RegionSize, 0x2000);
    CHECK(NT_SUCCESS(MmQueryRange(Space, Base + 0x4000, &Info)));
    CHECK_EQ(Info.State, MM_STATE_FREE);
    CHECK_EQ(Info.BaseAddress, Base + 0x4000);
    CHECK(!NT_SUCCESS(MmQueryRange(Space, MM_USER_TOP + 1, &Info)));
    CHECK_EQ(MmDecommitRange(Space, 0x70000000, 0x1000), STATUS_MEMORY_NOT_ALLOCATED);
    MmDeleteAddressSpace(Space);
}

KTEST(guard_page_of_stack_moves_down)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0x13000000;
    ETHREAD Thread = {.Process = &KtProcess, .StackBase = Base + 0x6000};

    /* A stack: reserved, top page committed, the one below it a guard. */
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x6000, PAGE_READWRITE, false)));
    CHECK(NT_SUCCESS(MmCommitRange(Space, Base + 0x5000, 0x1000, PAGE_READWRITE)));
    CHECK(NT_SUCCESS(MmCommitRange(Space, Base + 0x4000, 0x1000, PAGE_READWRITE | PAGE_GUARD)));
    CHECK(MmLookupUserPage(Space, Base + 0x4000, false) == NULL); /* ntos never fires it */
    CHECK(NT_SUCCESS(MmHandleFault(&Thread, Base + 0x4ff8, true, false)));
    CHECK(MmLookupUserPage(Space, Base + 0x4000, true) != NULL);
    CHECK_EQ(MiGetPte(Space, Base + 0x3000, false)->Protect, PAGE_READWRITE | PAGE_GUARD);
    CHECK_EQ(Thread.StackLimit, Base + 0x4000);
    CHECK(NT_SUCCESS(MmHandleFault(&Thread, Base + 0x3000, true, false)));
    CHECK_EQ(Thread.StackLimit, Base + 0x3000);
    /* The next guard would leave no reserved page below it: overflow, and
     * the page touched is usable for the handler. */
    CHECK_EQ(MmHandleFault(&Thread, Base + 0x2000, true, false), STATUS_STACK_OVERFLOW);
    CHECK(NT_SUCCESS(MmHandleFault(&Thread, Base + 0x2000, true, false)));
    CHECK_EQ(MmHandleFault(&Thread, Base + 0x1ff8, true, false), STATUS_ACCESS_VIOLATION);
    MmDeleteAddressSpace(Space);
}

KTEST(guard_page_elsewhere_raises_once)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Stack = 0x14000000, Data = 0x15000000;
    ETHREAD Thread = {.Process = &KtProcess, .StackBase = Stack + 0x4000};
    MM_REGION_INFO Info;

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Stack, 0x4000, PAGE_READWRITE, true)));
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Data, 0x3000, PAGE_READWRITE, true)));
    CHECK(NT_SUCCESS(
        MmProtectRange(Space, Data + 0x1000, 0x1000, PAGE_READONLY | PAGE_GUARD, &(ULONG){0})));
    CHECK_EQ(MmHandleFault(&Thread, Data + 0x1010, false, false), STATUS_GUARD_PAGE_VIOLATION);
    /* One shot: cleared, nothing committed below, the retry maps the page. */
    CHECK_EQ(MiGetPte(Space, Data + 0x1000, false)->Protect, PAGE_READONLY);
    CHECK(NT_SUCCESS(MmQueryRange(Space, Data, &Info)));
    CHECK_EQ(Info.RegionSize, 0x1000);
    CHECK_EQ(Info.Protect, PAGE_READWRITE);
    CHECK(NT_SUCCESS(MmHandleFault(&Thread, Data + 0x1010, false, false)));
    CHECK_EQ(Thread.StackLimit, 0); /* not a stack: the limit stays */
    MmDeleteAddressSpace(Space);
}

KTEST(guard_page_of_other_stack_raises)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Own = 0x16000000, Other = 0x17000000;
    ETHREAD Thread = {.Process = &KtProcess, .StackBase = Own + 0x4000};

    CHECK(NT_SUCCESS(MmReserveRange(Space, &Own, 0x4000, PAGE_READWRITE, true)));
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Other, 0x4000, PAGE_READWRITE, false)));
    CHECK(NT_SUCCESS(MmCommitRange(Space, Other + 0x2000, 0x1000, PAGE_READWRITE | PAGE_GUARD)));
    CHECK_EQ(MmHandleFault(&Thread, Other + 0x2000, true, false), STATUS_GUARD_PAGE_VIOLATION);
    CHECK(MiGetPte(Space, Other + 0x1000, false) == NULL ||
          !(MiGetPte(Space, Other + 0x1000, false)->Flags & MI_PTE_COMMITTED));
    MmDeleteAddressSpace(Space);
}

KTEST(guard_page_of_stack_over_committed_page)
{
    MMADDRESS_SPACE *Space = KtNewSpace();
    ULONG_PTR Base = 0x18000000;
    ETHREAD Thread = {.Process = &KtProcess, .StackBase = Base + 0x8000};

    /* A stack committed but for its lowest page, a guard put in its middle:
     * the committed page below becomes the next guard. */
    CHECK(NT_SUCCESS(MmReserveRange(Space, &Base, 0x8000, PAGE_READWRITE, false)));
    CHECK(NT_SUCCESS(MmCommitRange(Space, Base + 0x1000, 0x7000, PAGE_READWRITE)));
    CHECK(MmLookupUserPage(Space, Base + 0x3000, true) != NULL); /* materialised and mapped */
    CHECK(NT_SUCCESS(
        MmProtectRange(Space, Base + 0x4000, 0x1000, PAGE_READWRITE | PAGE_GUARD, &(ULONG){0})));
    CHECK(NT_SUCCESS(MmHandleFault(&Thread, Base + 0x4100, false, false)));
    CHECK_EQ(Thread.StackLimit, Base + 0x4000);
    CHECK_EQ(MiGetPte(Space, Base + 0x4000, false)->Protect, PAGE_READWRITE);
    CHECK_EQ(MiGetPte(Space, Base + 0x3000, false)->Protect, PAGE_READWRITE | PAGE_GUARD);
    CHECK(MmLookupUserPage(Space, Base + 0x3000, false) == NULL); /* a guard to ntos too */
    MmDeleteAddressSpace(Space);
}
