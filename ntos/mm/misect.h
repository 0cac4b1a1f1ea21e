/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of mm's sections: segments (the pages a section's
 * views share: segment.c), section objects (section.c), views (view.c) and
 * image sections (image.c). Kept apart from mi.h so that the rest of mm
 * needs none of it.
 */
#pragma once

#include "mi.h"
#include <ob.h>
#include <svc.h>
#include "../ps/psp.h" /* the PE reader (ps/image.c), shared with process start */

#define MI_SECTION_TAG 0x74636553 /* 'Sect' */
#define MI_SEGMENT_TAG 0x6d676553 /* 'Segm' */

#define SEC_FILE    0x00800000u
#define SEC_IMAGE   0x01000000u
#define SEC_RESERVE 0x04000000u
#define SEC_COMMIT  0x08000000u
#define SEC_NOCACHE 0x10000000u

#define SECTION_QUERY       0x0001u
#define SECTION_MAP_WRITE   0x0002u
#define SECTION_MAP_READ    0x0004u
#define SECTION_MAP_EXECUTE 0x0008u
#define SECTION_EXTEND_SIZE 0x0010u
#define SECTION_ALL_ACCESS  (STANDARD_RIGHTS_REQUIRED | 0x1fu)

#define MI_ALLOCATION_GRANULARITY 0x10000ull

typedef enum _MI_SEGMENT_KIND {
    MiSegmentPagefile, /* memory of its own, zero at first */
    MiSegmentData,     /* a file's bytes */
    MiSegmentImage,    /* a PE file laid out as the loader does */
} MI_SEGMENT_KIND;

/*
 * The pages behind every view of a section (NT's segment and control area
 * in one). Pagefile segments belong to one section; a file's data and
 * image segments are cached (one each per archive file, never freed), so
 * every section of that file shares them. Pages[i] holds a reference of
 * the segment's own; NULL until first needed.
 */
typedef struct _MI_SEGMENT {
    ULONG References;
    MI_SEGMENT_KIND Kind;
    const void *File; /* data / image: the file's bytes */
    SIZE_T FileSize;
    ULONGLONG Size; /* bytes the segment covers */
    ULONG_PTR PageCount;
    PMMPFN *Pages;
    PPSP_IMAGE_INFO Image; /* image: the validated header */
    struct _MI_SEGMENT *NextCached;
} MI_SEGMENT;

/* The body of a "Section" object. */
typedef struct _SECTION {
    MI_SEGMENT *Segment; /* referenced */
    LONGLONG MaximumSize;
    ULONG Protect;    /* SectionPageProtection */
    ULONG Attributes; /* SEC_* as NtQuerySection reports them */
} SECTION, *PSECTION;

extern POBJECT_TYPE MmSectionObjectType;

/* segment.c */
NTSTATUS MiAllocateSegment(MI_SEGMENT_KIND Kind, ULONGLONG Size, MI_SEGMENT **Segment);
NTSTATUS MiCreatePagefileSegment(ULONGLONG Size, MI_SEGMENT **Segment);
/* The data or image segment of File, from the cache for archive files;
 * referenced. Image: the PE reader's errors. */
NTSTATUS MiGetFileSegment(const void *File, SIZE_T FileSize, MI_SEGMENT_KIND Kind,
                          MI_SEGMENT **Segment);
void MiReferenceSegment(MI_SEGMENT *Segment);
void MiDereferenceSegment(MI_SEGMENT *Segment);
/* Page Index of the segment, made if needed (the segment keeps it). */
NTSTATUS MiSegmentPage(MI_SEGMENT *Segment, ULONG_PTR Index, PMMPFN *Pfn);

/* section.c: a new section object over Segment (reference consumed). */
NTSTATUS MiCreateSectionObject(MI_SEGMENT *Segment, LONGLONG MaximumSize, ULONG Protect,
                               ULONG Attributes, PSECTION *Section);

/* The highest address ZeroBits allows (virtual.c); STATUS_INVALID_PARAMETER_3
 * for 22..31 (NtMapViewOfSection reports it as its parameter 4). */
NTSTATUS MiZeroBitsLimit(ULONG_PTR ZeroBits, ULONG_PTR *Highest);

/* Where a view may go: *Base if not 0, else the lowest (TopDown: highest)
 * free range ending at or below Highest. */
typedef struct _MI_VIEW_PLACE {
    ULONG_PTR Highest;
    bool TopDown;
} MI_VIEW_PLACE;
extern const MI_VIEW_PLACE MiViewAnywhere, MiViewTopDown;

/* view.c: reserve and describe a view of Section of PageCount pages from
 * FirstPage at *Base (0: placed as Place says); its pages are committed by
 * the caller (MiCommitViewPage). */
NTSTATUS MiInsertView(MMADDRESS_SPACE *Space, PSECTION Section, ULONG_PTR FirstPage,
                      ULONG_PTR PageCount, ULONG_PTR *Base, const MI_VIEW_PLACE *Place,
                      MMVAD **Vad);

NTSTATUS MiCommitViewPage(MMADDRESS_SPACE *Space, ULONG_PTR Va, ULONG Protect);

/* image.c: validate File and lay it out in a new segment (every page made). */
NTSTATUS MiBuildImageSegment(const void *File, SIZE_T FileSize, MI_SEGMENT **Segment);
/* Map an image section into Space: preferred base if free (else anywhere,
 * relocated: STATUS_IMAGE_NOT_AT_BASE), per-section protections. */
NTSTATUS MiMapImageView(MMADDRESS_SPACE *Space, PSECTION Section, ULONG_PTR *Base,
                        const MI_VIEW_PLACE *Place);
