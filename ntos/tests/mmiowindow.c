/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of I/O windows (neither branch, mm/iowindow.c): pages mapped
 * with their protection and references, unmapped with nothing left
 * visible, frame caps kept and reused for the same frames (no new slot),
 * buffers that do not fit refused, a window whose PTEs the process
 * changed refusing to map there, the process's own memory services kept
 * off the window, and deletion giving back every slot, reference and
 * pool block, mappings still in place included.
 */
#include "ktest.h"

#define KT_IO_PAGES 3

static bool KtIoAllocate(PMMPFN Pages[KT_IO_PAGES])
{
    for (ULONG i = 0; i < KT_IO_PAGES; i++)
        if (!CHECK(NT_SUCCESS(MmAllocatePhysicalPage(&Pages[i]))))
            return false;
    return true;
}

KTEST(mm_io_window_maps_unmaps_and_reuses_caps)
{
    MMADDRESS_SPACE *Space = NULL;
    MM_IO_WINDOW *Window = NULL;
    PMMPFN Pages[KT_IO_PAGES];
    ULONG_PTR Va = 0, Again = 0;
    SIZE_T Blocks, Bytes, BlocksAfter, BytesAfter;
    ULONG Slots, Cached;

    MiQueryPoolUsage(&Blocks, &Bytes);
    Slots = MiFreeSlotCount();
    if (!CHECK(NT_SUCCESS(MmCreateAddressSpace(&Space))) || !KtIoAllocate(Pages) ||
        !CHECK(NT_SUCCESS(MmCreateIoWindow(Space, &Window))))
        return;
    if (!CHECK(NT_SUCCESS(MmMapIoPages(Window, Pages, KT_IO_PAGES, PAGE_READWRITE, &Va))))
        return;
    for (ULONG i = 0; i < KT_IO_PAGES; i++) {
        CHECK(MmLookupUserPage(Space, Va + i * PAGE_SIZE, true) == Pages[i]);
        CHECK_EQ(Pages[i]->References, 2);
        CHECK_EQ(Pages[i]->MapCount, 1);
    }
    CHECK(MiFindVad(Space, Va)->Flags & MI_VAD_SYSTEM);
    MmUnmapIoPages(Window, Va, KT_IO_PAGES);
    for (ULONG i = 0; i < KT_IO_PAGES; i++) {
        CHECK(MmLookupUserPage(Space, Va + i * PAGE_SIZE, false) == NULL);
        CHECK_EQ(Pages[i]->References, 1);
        CHECK_EQ(Pages[i]->MapCount, 0);
    }
    /* The same frames again: the cached caps, no new slot; read-only. */
    Cached = MiFreeSlotCount();
    CHECK(NT_SUCCESS(MmMapIoPages(Window, Pages, KT_IO_PAGES, PAGE_READONLY, &Again)));
    CHECK_EQ(Again, Va);
    CHECK_EQ(MiFreeSlotCount(), Cached);
    CHECK(MmLookupUserPage(Space, Va, false) == Pages[0]);
    CHECK(MmLookupUserPage(Space, Va, true) == NULL);
    /* More than the window holds. */
    CHECK_EQ(MmMapIoPages(Window, Pages, MM_IO_WINDOW_PAGES + 1, PAGE_READWRITE, &Again),
             STATUS_NO_MEMORY);
    /* Deleted with a mapping still in place: everything comes back. */
    MmDeleteIoWindow(Window, false);
    for (ULONG i = 0; i < KT_IO_PAGES; i++) {
        CHECK_EQ(Pages[i]->References, 1);
        CHECK_EQ(Pages[i]->MapCount, 0);
        MmDereferencePage(Pages[i]);
    }
    MmDeleteAddressSpace(Space);
    CHECK_EQ(MiFreeSlotCount(), Slots);
    MiQueryPoolUsage(&BlocksAfter, &BytesAfter);
    CHECK_EQ(BlocksAfter, Blocks);
}

/* A window page the process committed itself is not mapped over. */
KTEST(mm_io_window_refuses_changed_ptes)
{
    MMADDRESS_SPACE *Space = NULL;
    MM_IO_WINDOW *Window = NULL;
    PMMPFN Pages[KT_IO_PAGES];
    ULONG_PTR Va = 0, Again = 0;

    if (!CHECK(NT_SUCCESS(MmCreateAddressSpace(&Space))) || !KtIoAllocate(Pages) ||
        !CHECK(NT_SUCCESS(MmCreateIoWindow(Space, &Window))))
        return;
    if (CHECK(NT_SUCCESS(MmMapIoPages(Window, Pages, 1, PAGE_READWRITE, &Va)))) {
        MmUnmapIoPages(Window, Va, 1);
        CHECK(NT_SUCCESS(MmCommitRange(Space, Va + PAGE_SIZE, PAGE_SIZE, PAGE_READWRITE)));
        CHECK_EQ(MmMapIoPages(Window, Pages, 2, PAGE_READWRITE, &Again),
                 STATUS_CONFLICTING_ADDRESSES);
        CHECK_EQ(Pages[0]->References, 1); /* the first page was taken back */
        CHECK_EQ(Pages[0]->MapCount, 0);
        CHECK(MmLookupUserPage(Space, Va, false) == NULL);
    }
    MmDeleteIoWindow(Window, false);
    MmDeleteAddressSpace(Space);
    for (ULONG i = 0; i < KT_IO_PAGES; i++)
        MmDereferencePage(Pages[i]);
}
