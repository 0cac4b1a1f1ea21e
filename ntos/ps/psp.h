/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interfaces of ps/: the PE reader (image.c, pure code that the
 * pe-image host suite compiles too), image mapping (imagemap.c), the
 * process and thread tables (process.c, thread.c), the user-mode blocks
 * ntos builds in a new process (peb.c, teb.c, kuser.c) and thread start.
 */
#pragma once

#include <ntos.h>
#include <nt/image.h>

/* NT page protections (mm.h speaks them; defined here until include/nt has them). */
#ifndef PAGE_NOACCESS
#define PAGE_NOACCESS          0x01
#define PAGE_READONLY          0x02
#define PAGE_READWRITE         0x04
#define PAGE_WRITECOPY         0x08
#define PAGE_EXECUTE           0x10
#define PAGE_EXECUTE_READ      0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD             0x100
#endif

/* ---- the PE reader (image.c) ------------------------------------------------------ */

#define PSP_MAX_SECTIONS         96          /* Windows' limit */
#define PSP_MAX_IMAGE_SIZE       0x40000000u /* 1 GiB: larger gives STATUS_SECTION_TOO_BIG */
#define PSP_IMAGE_BASE_ALIGNMENT 0x10000ull

/* What PspParseImage learnt from a validated PE32+ file. Sections points
 * into a copy owned by the structure, so the file may be unaligned. */
typedef struct _PSP_IMAGE_INFO {
    ULONGLONG ImageBase; /* preferred base, 64 KiB aligned */
    ULONG SizeOfImage;   /* rounded up to whole pages */
    ULONG SizeOfHeaders;
    ULONG EntryPointRva; /* 0: none (DLL) */
    ULONG SectionAlignment, FileAlignment;
    USHORT Characteristics, DllCharacteristics;
    USHORT Subsystem, SubsystemMajorVersion, SubsystemMinorVersion;
    ULONGLONG StackReserve, StackCommit;
    ULONG NumberOfSections;
    IMAGE_SECTION_HEADER Sections[PSP_MAX_SECTIONS];
    IMAGE_DATA_DIRECTORY Directories[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
} PSP_IMAGE_INFO, *PPSP_IMAGE_INFO;

/* Validate File as a PE32+ image for x64 (nt-abi §4.1) and describe it.
 * Errors: STATUS_INVALID_IMAGE_NOT_MZ, STATUS_INVALID_IMAGE_NE_FORMAT,
 * STATUS_INVALID_IMAGE_LE_FORMAT, STATUS_INVALID_IMAGE_FORMAT,
 * STATUS_SECTION_TOO_BIG. Never reads outside [File, File + FileSize). */
NTSTATUS PspParseImage(const void *File, SIZE_T FileSize, PPSP_IMAGE_INFO Info);

/* The bytes of one image page (PageRva page aligned, < SizeOfImage) as the
 * loader lays it out: headers, section raw data, zeros elsewhere. */
void PspBuildImagePage(PPSP_IMAGE_INFO Info, const void *File, SIZE_T FileSize, ULONG PageRva,
                       UCHAR *Page);

/* The NT protection of image page PageRva (headers read-only; a section's
 * pages, including its tail up to the next section, per nt-abi §4.2). */
ULONG PspImagePageProtection(PPSP_IMAGE_INFO Info, ULONG PageRva);
ULONG PspSectionProtection(ULONG Characteristics);

/* Access to a laid-out image, a page at a time: the mapper reaches pages
 * through the physmap, the host test through a buffer. PageAddress
 * returns the page that holds PageRva (page aligned, < Size), or NULL. */
typedef struct _PSP_IMAGE_VIEW {
    void *Context;
    UCHAR *(*PageAddress)(void *Context, ULONG PageRva);
    ULONG Size; /* SizeOfImage */
} PSP_IMAGE_VIEW, *PPSP_IMAGE_VIEW;

NTSTATUS PspReadImage(PPSP_IMAGE_VIEW View, ULONG Rva, void *Buffer, ULONG Length);
NTSTATUS PspWriteImage(PPSP_IMAGE_VIEW View, ULONG Rva, const void *Buffer, ULONG Length);

/* Apply the base relocations for a view laid out at NewBase (nt-abi §4.5:
 * DIR64, HIGHLOW, ABSOLUTE). A bad block or entry is
 * STATUS_INVALID_IMAGE_FORMAT; an image with IMAGE_FILE_RELOCS_STRIPPED
 * that must move is STATUS_CONFLICTING_ADDRESSES. */
NTSTATUS PspRelocateImage(PPSP_IMAGE_VIEW View, PPSP_IMAGE_INFO Info, ULONGLONG NewBase);

/* The RVA of the export Name (case-sensitive, binary search of the sorted
 * name table, nt-abi §4.4). Errors: STATUS_PROCEDURE_NOT_FOUND (absent or a
 * forwarder), STATUS_INVALID_IMAGE_FORMAT (a broken export directory). */
NTSTATUS PspFindExport(PPSP_IMAGE_VIEW View, PPSP_IMAGE_INFO Info, const char *Name, ULONG *Rva);
