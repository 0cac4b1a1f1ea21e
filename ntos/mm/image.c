/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Image sections: a PE file validated and laid out once (by ps's PE
 * reader, ps/image.c) into the pages of an image segment, and views of
 * it. Every page of an image view starts as the segment's page: the
 * read-only ones (headers, code, read-only data) stay shared by every
 * process that maps the image, the writable ones are copy-on-write. An
 * image that cannot go at its preferred base is relocated: the pages the
 * relocations write become private copies, and the map answers
 * STATUS_IMAGE_NOT_AT_BASE. Process start maps programs and ntdll.dll the
 * same way (MmMapImageFile), so their cached segments are shared.
 */
#include "misect.h"

NTSTATUS MiBuildImageSegment(const void *File, SIZE_T FileSize, MI_SEGMENT **Result)
{
    PPSP_IMAGE_INFO Info = ExAllocatePoolWithTag(sizeof(*Info), MI_SEGMENT_TAG);
    MI_SEGMENT *Segment;
    PMMPFN Pfn;
    NTSTATUS Status;

    if (Info == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = PspParseImage(File, FileSize, Info);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Info, MI_SEGMENT_TAG);
        return Status;
    }
    Status = MiAllocateSegment(MiSegmentImage, Info->SizeOfImage, &Segment);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Info, MI_SEGMENT_TAG);
        return Status;
    }
    Segment->Image = Info;
    /* Every page now: the file may be a copy its owner frees (ps's tests). */
    for (ULONG_PTR i = 0; i < Segment->PageCount && NT_SUCCESS(Status); i++) {
        Status = MiSegmentPage(Segment, i, &Pfn);
        if (NT_SUCCESS(Status))
            PspBuildImagePage(Info, File, FileSize, (ULONG)(i * PAGE_SIZE), MmPageAddress(Pfn));
    }
    if (!NT_SUCCESS(Status)) {
        MiDereferenceSegment(Segment);
        return Status;
    }
    *Result = Segment;
    return STATUS_SUCCESS;
}

/* ---- relocation of a view ----------------------------------------------------------------- */

typedef struct _MI_IMAGE_VIEW {
    MMADDRESS_SPACE *Space;
    MMVAD *Vad;
} MI_IMAGE_VIEW;

/* The page the view shows at PageRva (its own copy, or the segment's). */
static UCHAR *MiImageReadPage(void *Context, ULONG PageRva)
{
    MI_IMAGE_VIEW *View = Context;
    MMPTE *Pte = MiGetPte(View->Space, View->Vad->Start + PageRva, false);

    if (Pte && Pte->Pfn)
        return MmPageAddress(Pte->Pfn);
    return MmPageAddress(View->Vad->Section->Segment->Pages[PageRva / PAGE_SIZE]);
}

/* A private copy of the page at PageRva (relocated pages are the view's own). */
static UCHAR *MiImageWritePage(void *Context, ULONG PageRva)
{
    MI_IMAGE_VIEW *View = Context;
    ULONG_PTR Va = View->Vad->Start + PageRva;
    MMPTE *Pte = MiGetPte(View->Space, Va, false);

    if (Pte == NULL)
        return NULL;
    if (Pte->Pfn == NULL && !MiMaterializeViewPage(View->Space, View->Vad, Va, Pte, false))
        return NULL;
    if ((Pte->Flags & MI_PTE_SHARED) && !MiMakePtePrivate(View->Space, Va, Pte))
        return NULL;
    return MmPageAddress(Pte->Pfn);
}

static NTSTATUS MiRelocateView(MMADDRESS_SPACE *Space, MMVAD *Vad, PPSP_IMAGE_INFO Info)
{
    MI_IMAGE_VIEW Context = {Space, Vad};
    PSP_IMAGE_VIEW View = {&Context, MiImageReadPage, Info->SizeOfImage, MiImageWritePage};

    return PspRelocateImage(&View, Info, Vad->Start);
}

/* ---- mapping ------------------------------------------------------------------------------ */

/* The view at the preferred base, else (if the image may move) anywhere. */
static NTSTATUS MiPlaceImage(MMADDRESS_SPACE *Space, PSECTION Section, ULONG_PTR *Base,
                             const MI_VIEW_PLACE *Place, MMVAD **Vad)
{
    PPSP_IMAGE_INFO Info = Section->Segment->Image;
    ULONG_PTR Pages = Section->Segment->PageCount;
    ULONG_PTR Start = *Base;
    NTSTATUS Status = STATUS_CONFLICTING_ADDRESSES;

    if (Start != 0)
        return MiInsertView(Space, Section, 0, Pages, Base, Place, Vad);
    /* A base the file chose may be anywhere in 64 bits: compare without wrapping. */
    if (Info->ImageBase >= MI_ALLOCATION_GRANULARITY &&
        Info->ImageBase <= MM_USER_TOP + 1 - Info->SizeOfImage) {
        Start = Info->ImageBase;
        Status = MiInsertView(Space, Section, 0, Pages, &Start, Place, Vad);
    }
    if (!NT_SUCCESS(Status) && !(Info->Characteristics & IMAGE_FILE_RELOCS_STRIPPED)) {
        Start = 0;
        Status = MiInsertView(Space, Section, 0, Pages, &Start, Place, Vad);
    }
    if (NT_SUCCESS(Status))
        *Base = Start;
    return Status;
}

NTSTATUS MiMapImageView(MMADDRESS_SPACE *Space, PSECTION Section, ULONG_PTR *Base,
                        const MI_VIEW_PLACE *Place)
{
    PPSP_IMAGE_INFO Info = Section->Segment->Image;
    MMVAD *Vad;
    NTSTATUS Status = MiPlaceImage(Space, Section, Base, Place, &Vad);

    if (!NT_SUCCESS(Status))
        return Status;
    Vad->Protect = PAGE_EXECUTE_WRITECOPY; /* an image view's allocation protection on NT */
    for (ULONG Rva = 0; Rva < Info->SizeOfImage && NT_SUCCESS(Status); Rva += PAGE_SIZE)
        Status = MiCommitViewPage(Space, *Base + Rva, PspImagePageProtection(Info, Rva));
    if (NT_SUCCESS(Status) && *Base != Info->ImageBase) {
        Status = MiRelocateView(Space, Vad, Info);
        if (NT_SUCCESS(Status))
            Status = STATUS_IMAGE_NOT_AT_BASE;
    }
    if (!NT_SUCCESS(Status))
        MmUnmapViewOfSection(Space, *Base);
    return Status;
}

NTSTATUS MmMapImageFile(MMADDRESS_SPACE *Space, const void *File, SIZE_T FileSize, ULONG_PTR *Base,
                        struct _PSP_IMAGE_INFO *Info)
{
    MI_SEGMENT *Segment;
    PSECTION Section;
    NTSTATUS Status = MiGetFileSegment(File, FileSize, MiSegmentImage, &Segment);

    if (!NT_SUCCESS(Status))
        return Status;
    memcpy(Info, Segment->Image, sizeof(*Info));
    Status = MiCreateSectionObject(Segment, Segment->Image->SizeOfImage, PAGE_EXECUTE_WRITECOPY,
                                   SEC_FILE | SEC_IMAGE, &Section);
    if (!NT_SUCCESS(Status))
        return Status;
    *Base = 0;
    Status = MiMapImageView(Space, Section, Base, &MiViewAnywhere);
    ObDereferenceObject(Section); /* the view holds it */
    return Status;
}
