/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Segments: the pages every view of a section shares. A pagefile-backed
 * segment's pages are zero at first; a data segment's hold the file's
 * bytes (zero past its end); an image segment's are the PE laid out once
 * (image.c). Pages are made at first need and kept until the segment goes.
 * The data and image segments of archive files are cached: one each per
 * file for the life of the system, so every section and every process
 * start of a file shares its pages.
 */
#include "misect.h"

#define MI_MAX_SEGMENT_PAGES (0x40000000ull / PAGE_SIZE) /* 1 GiB: FIXME, a sparse page table */

static MI_SEGMENT *MiSegmentCache;

NTSTATUS MiAllocateSegment(MI_SEGMENT_KIND Kind, ULONGLONG Size, MI_SEGMENT **Result)
{
    ULONGLONG Pages = ROUND_TO_PAGES(Size) / PAGE_SIZE;
    MI_SEGMENT *Segment;

    if (Pages > MI_MAX_SEGMENT_PAGES)
        return STATUS_SECTION_TOO_BIG;
    Segment = ExAllocatePoolWithTag(sizeof(*Segment), MI_SEGMENT_TAG);
    if (Segment == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Segment->Pages = ExAllocatePoolWithTag(Pages * sizeof(PMMPFN) + 1, MI_SEGMENT_TAG);
    if (Segment->Pages == NULL) {
        ExFreePoolWithTag(Segment, MI_SEGMENT_TAG);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Segment->References = 1;
    Segment->Kind = Kind;
    Segment->Size = Size;
    Segment->PageCount = Pages;
    *Result = Segment;
    return STATUS_SUCCESS;
}

NTSTATUS MiCreatePagefileSegment(ULONGLONG Size, MI_SEGMENT **Segment)
{
    return MiAllocateSegment(MiSegmentPagefile, Size, Segment);
}

void MiReferenceSegment(MI_SEGMENT *Segment)
{
    ASSERT(Segment->References > 0);
    Segment->References++;
}

void MiDereferenceSegment(MI_SEGMENT *Segment)
{
    ASSERT(Segment->References > 0);
    if (--Segment->References > 0)
        return;
    for (ULONG_PTR i = 0; i < Segment->PageCount; i++)
        if (Segment->Pages[i])
            MmDereferencePage(Segment->Pages[i]);
    ExFreePoolWithTag(Segment->Image, MI_SEGMENT_TAG);
    ExFreePoolWithTag(Segment->Pages, MI_SEGMENT_TAG);
    ExFreePoolWithTag(Segment, MI_SEGMENT_TAG);
}

NTSTATUS MiGetFileSegment(const void *File, SIZE_T FileSize, MI_SEGMENT_KIND Kind,
                          MI_SEGMENT **Result)
{
    bool Cache = KeIsArchiveData(File, FileSize);
    MI_SEGMENT *Segment;
    NTSTATUS Status;

    ASSERT(Kind != MiSegmentPagefile);
    for (Segment = MiSegmentCache; Cache && Segment; Segment = Segment->NextCached)
        if (Segment->File == File && Segment->FileSize == FileSize && Segment->Kind == Kind) {
            MiReferenceSegment(Segment);
            *Result = Segment;
            return STATUS_SUCCESS;
        }
    if (Kind == MiSegmentImage)
        Status = MiBuildImageSegment(File, FileSize, &Segment);
    else
        Status = MiAllocateSegment(Kind, FileSize, &Segment);
    if (!NT_SUCCESS(Status))
        return Status;
    Segment->File = File;
    Segment->FileSize = FileSize;
    if (Cache) {
        MiReferenceSegment(Segment); /* the cache's, for good */
        Segment->NextCached = MiSegmentCache;
        MiSegmentCache = Segment;
    }
    *Result = Segment;
    return STATUS_SUCCESS;
}

NTSTATUS MiSegmentPage(MI_SEGMENT *Segment, ULONG_PTR Index, PMMPFN *Result)
{
    PMMPFN Pfn;
    NTSTATUS Status;

    ASSERT(Index < Segment->PageCount);
    if (Segment->Pages[Index] != NULL) {
        *Result = Segment->Pages[Index];
        return STATUS_SUCCESS;
    }
    Status = MmAllocatePhysicalPage(&Pfn);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Image pages are all made by MiBuildImageSegment; data pages come from
     * the file (the archive, which stays). */
    if (Segment->Kind == MiSegmentData) {
        ULONGLONG Offset = (ULONGLONG)Index * PAGE_SIZE;
        SIZE_T Count =
            Segment->FileSize - Offset < PAGE_SIZE ? Segment->FileSize - Offset : PAGE_SIZE;
        memcpy(MmPageAddress(Pfn), (const char *)Segment->File + Offset, Count);
    }
    Segment->Pages[Index] = Pfn;
    *Result = Pfn;
    return STATUS_SUCCESS;
}
