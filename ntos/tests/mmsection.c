/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of sections (mm/section.c, view.c, image.c): two processes
 * started from the archive show the same frame behind ntdll's code pages
 * (one image section per file), a write to a copy-on-write page gives the
 * writer a private copy and leaves the other process's page alone, views
 * of one pagefile section in two processes see each other's writes, and
 * unmapping gives every page back. The hello.exe threads never run (ntos
 * runs above user priority and these tests never block).
 */
#include "ktest.h"

#include <ob.h>
#include <ps.h>
#include <string.h>

#include "../mm/misect.h"

static PEPROCESS KtStartHello(void)
{
    PEPROCESS Process = NULL;

    if (!CHECK_EQ(PsCreateProcessFromArchive("hello.exe", u"hello.exe", &Process), STATUS_SUCCESS))
        return NULL;
    ObReferenceObject(Process);
    return Process;
}

static void KtStopHello(PEPROCESS Process)
{
    PsTerminateProcess(Process, 0);
    ObDereferenceObject(Process);
}

/* The PTE of a process page, after touching it (read or write) as ntos does. */
static MMPTE *KtTouch(PEPROCESS Process, ULONG_PTR Va, bool Write)
{
    if (MmLookupUserPage(Process->AddressSpace, Va, Write) == NULL)
        return NULL;
    return MiGetPte(Process->AddressSpace, PAGE_ALIGN_DOWN(Va), false);
}

/* The RVA of the first page of ntdll with the protection Protect, or 0. */
static ULONG KtNtdllPage(PEPROCESS Process, ULONG Protect)
{
    for (ULONG Rva = PAGE_SIZE; Rva < 0x100000; Rva += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Process->AddressSpace, Process->NtdllBase + Rva, false);
        if (Pte == NULL || !(Pte->Flags & MI_PTE_COMMITTED))
            return 0;
        if (Pte->Protect == Protect)
            return Rva;
    }
    return 0;
}

KTEST(mm_section_ntdll_code_shared)
{
    PEPROCESS A = KtStartHello(), B = KtStartHello();
    ULONG Rva;
    MMPTE *Pa, *Pb;

    if (A && B) {
        CHECK_EQ(A->NtdllBase, B->NtdllBase);
        Rva = KtNtdllPage(A, PAGE_EXECUTE_READ);
        CHECK(Rva != 0);
        Pa = KtTouch(A, A->NtdllBase + Rva, false);
        Pb = KtTouch(B, B->NtdllBase + Rva, false);
        if (CHECK(Pa && Pb)) {
            CHECK(Pa->Pfn == Pb->Pfn); /* the same frame */
            CHECK(Pa->Flags & MI_PTE_SHARED);
        }
        /* The headers too. */
        Pa = KtTouch(A, A->NtdllBase, false);
        Pb = KtTouch(B, B->NtdllBase, false);
        CHECK(Pa && Pb && Pa->Pfn == Pb->Pfn);
    }
    if (A)
        KtStopHello(A);
    if (B)
        KtStopHello(B);
}

KTEST(mm_section_copy_on_write_is_private)
{
    PEPROCESS A = KtStartHello(), B = KtStartHello();
    ULONG Rva;
    MMPTE *Pa, *Pb;
    PMMPFN Shared;
    UCHAR Before, Byte = 0x5a;

    if (A && B && CHECK((Rva = KtNtdllPage(A, PAGE_WRITECOPY)) != 0)) {
        ULONG_PTR Va = A->NtdllBase + Rva;
        Pa = KtTouch(A, Va, false);
        Pb = KtTouch(B, Va, false);
        if (CHECK(Pa && Pb && Pa->Pfn == Pb->Pfn)) {
            Shared = Pa->Pfn;
            CHECK_EQ(MmCopyFromUser(B, &Before, Va, 1), STATUS_SUCCESS);
            Byte = (UCHAR)(Before ^ 0xff);
            CHECK_EQ(MmCopyToUser(A, Va, &Byte, 1), STATUS_SUCCESS); /* the write breaks sharing */
            Pa = MiGetPte(A->AddressSpace, Va, false);
            CHECK(Pa->Pfn != Shared);
            CHECK(!(Pa->Flags & MI_PTE_SHARED));
            CHECK_EQ(Pa->Protect, PAGE_READWRITE); /* as NT reports a copied page */
            CHECK(Pb->Pfn == Shared);
            /* The copy holds the page's bytes (past the one written) ... */
            CHECK(memcmp((UCHAR *)MmPageAddress(Shared) + 1, (UCHAR *)MmPageAddress(Pa->Pfn) + 1,
                         PAGE_SIZE - 1) == 0);
            CHECK_EQ(MmCopyFromUser(B, &Byte, Va, 1), STATUS_SUCCESS);
            CHECK_EQ(Byte, Before); /* ... and B does not see A's write */
        }
    }
    if (A)
        KtStopHello(A);
    if (B)
        KtStopHello(B);
}

/* A pagefile section of Pages pages with a view in each of two processes. */
KTEST(mm_section_pagefile_views_share_pages)
{
    PEPROCESS A = KtStartHello(), B = KtStartHello();
    MI_SEGMENT *Segment;
    PSECTION Section = NULL;
    ULONG_PTR BaseA = 0, BaseB = 0;
    MMVAD *Vad;
    ULONG Value = 0x12345678, Read = 0;

    if (!A || !B)
        goto out;
    if (!CHECK_EQ(MiCreatePagefileSegment(2 * PAGE_SIZE, &Segment), STATUS_SUCCESS) ||
        !CHECK_EQ(
            MiCreateSectionObject(Segment, 2 * PAGE_SIZE, PAGE_READWRITE, SEC_COMMIT, &Section),
            STATUS_SUCCESS))
        goto out;
    CHECK_EQ(MiInsertView(A->AddressSpace, Section, 0, 2, &BaseA, &MiViewAnywhere, &Vad),
             STATUS_SUCCESS);
    CHECK_EQ(MiInsertView(B->AddressSpace, Section, 0, 2, &BaseB, &MiViewTopDown, &Vad),
             STATUS_SUCCESS);
    CHECK(BaseB > BaseA); /* top-down */
    for (ULONG i = 0; i < 2; i++) {
        CHECK_EQ(MiCommitViewPage(A->AddressSpace, BaseA + i * PAGE_SIZE, PAGE_READWRITE),
                 STATUS_SUCCESS);
        CHECK_EQ(MiCommitViewPage(B->AddressSpace, BaseB + i * PAGE_SIZE, PAGE_READWRITE),
                 STATUS_SUCCESS);
    }
    CHECK_EQ(ObGetObjectPointerCount(Section), 3); /* ours and the two views' */
    CHECK_EQ(MmCopyToUser(A, BaseA + PAGE_SIZE + 8, &Value, 4), STATUS_SUCCESS);
    CHECK_EQ(MmCopyFromUser(B, &Read, BaseB + PAGE_SIZE + 8, 4), STATUS_SUCCESS);
    CHECK_EQ(Read, Value);
    CHECK_EQ(MmUnmapViewOfSection(A->AddressSpace, BaseA + 5), STATUS_SUCCESS);
    CHECK_EQ(MmUnmapViewOfSection(A->AddressSpace, BaseA), STATUS_NOT_MAPPED_VIEW);
    CHECK_EQ(ObGetObjectPointerCount(Section), 2);
out:
    if (Section)
        ObDereferenceObject(Section);
    if (A)
        KtStopHello(A); /* B's view goes with B's address space */
    if (B)
        KtStopHello(B);
}

KTEST(mm_section_unmap_leaks_nothing)
{
    PEPROCESS A = KtStartHello();
    MI_SEGMENT *Segment;
    PSECTION Section;
    ULONG_PTR Base;
    MMVAD *Vad;
    ULONG Pages = 0, Slots = 0, Value = 7;

    if (!A)
        return;
    /* Warm up (tables, pool, slots), then the same again must give back all. */
    for (int Round = 0; Round < 2; Round++) {
        if (Round == 1)
            Pages = MiFreePageCount(), Slots = MiFreeSlotCount();
        Base = 0;
        if (!CHECK_EQ(MiCreatePagefileSegment(4 * PAGE_SIZE, &Segment), STATUS_SUCCESS) ||
            !CHECK_EQ(
                MiCreateSectionObject(Segment, 4 * PAGE_SIZE, PAGE_READWRITE, SEC_COMMIT, &Section),
                STATUS_SUCCESS))
            break;
        CHECK_EQ(MiInsertView(A->AddressSpace, Section, 0, 4, &Base, &MiViewAnywhere, &Vad),
                 STATUS_SUCCESS);
        for (ULONG i = 0; i < 4; i++) {
            MiCommitViewPage(A->AddressSpace, Base + i * PAGE_SIZE, PAGE_WRITECOPY);
            CHECK_EQ(MmCopyToUser(A, Base + i * PAGE_SIZE, &Value, 4), STATUS_SUCCESS);
        }
        ObDereferenceObject(Section); /* the view keeps it */
        CHECK_EQ(MmUnmapViewOfSection(A->AddressSpace, Base), STATUS_SUCCESS);
    }
    CHECK_EQ(MiFreePageCount(), Pages);
    CHECK_EQ(MiFreeSlotCount(), Slots);
    KtStopHello(A);
}

/* ntdll mapped a second time in one process: relocated, and only the pages
 * the relocations wrote are the view's own; the rest is still shared. */
KTEST(mm_section_relocated_pages_private)
{
    PEPROCESS A = KtStartHello();
    const void *File;
    SIZE_T Size;
    ULONG_PTR Base = 0, Entry = 0;
    ULONG Shared = 0, Private = 0;

    if (!A)
        return;
    CHECK(KeFindArchiveFile("ntdll.dll", &File, &Size));
    if (CHECK_EQ(PspMapImage(A, File, Size, &Base, &Entry), STATUS_SUCCESS) &&
        CHECK(Base != A->NtdllBase)) {
        for (ULONG_PTR Rva = 0;; Rva += PAGE_SIZE) {
            MMPTE *Pa = MiGetPte(A->AddressSpace, A->NtdllBase + Rva, false);
            MMPTE *Pb;
            if (Pa == NULL || !(Pa->Flags & MI_PTE_COMMITTED))
                break;
            Pa = KtTouch(A, A->NtdllBase + Rva, false);
            Pb = KtTouch(A, Base + Rva, false);
            if (Pa == NULL || Pb == NULL)
                continue; /* PAGE_NOACCESS */
            if (Pa->Pfn == Pb->Pfn)
                Shared++;
            else
                Private++;
            if (Rva == 0)
                CHECK(Pa->Pfn == Pb->Pfn); /* no relocation in the headers */
        }
        CHECK(Shared > 0);
        CHECK(Private > 0);
        CHECK_EQ(MmUnmapViewOfSection(A->AddressSpace, Base), STATUS_SUCCESS);
    }
    KtStopHello(A);
}
