/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sections: NtCreateSection of each kind (pagefile-backed SEC_COMMIT and
 * SEC_RESERVE, a file's data, a PE image) with Windows' argument checks;
 * NtMapViewOfSection (two views of one section see each other's writes, a
 * WRITECOPY view copies on write, offsets and sizes rounded as Windows
 * does, protection and rights checks, MEM_TOP_DOWN, an image at its
 * preferred base and then elsewhere with STATUS_IMAGE_NOT_AT_BASE and its
 * relocations applied); NtUnmapViewOfSection; NtQuerySection with
 * Windows' records. sectimg.exe is the image (base 0x150000000, free in
 * this process); hello.exe's base is ntapitest.exe's own.
 */
#include "ntfile.h"

#include <nt/image.h>

#define NTAPI_SECTIMG_BASE 0x150000000ull

typedef struct _SECTION_BASIC_INFORMATION {
    PVOID BaseAddress;
    ULONG AllocationAttributes;
    LARGE_INTEGER MaximumSize;
} SECTION_BASIC_INFORMATION;
_Static_assert(sizeof(SECTION_BASIC_INFORMATION) == 24, "SECTION_BASIC_INFORMATION");

static HANDLE NtapiPagefileSection(LONGLONG Size, ULONG Protect, ULONG Attributes)
{
    LARGE_INTEGER Maximum = {.QuadPart = Size};
    HANDLE Section = NULL;

    if (!NT_SUCCESS(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, &Maximum, Protect,
                                    Attributes, NULL)))
        return NULL;
    return Section;
}

/* A section of \SystemRoot\<Name> (the file handle is closed: the section keeps the file). */
static NTSTATUS NtapiFileSection(PCWSTR Name, LONGLONG Size, ULONG Protect, ULONG Attributes,
                                 HANDLE *Section)
{
    LARGE_INTEGER Maximum = {.QuadPart = Size};
    HANDLE File;
    NTSTATUS Status;

    *Section = NULL;
    Status = NtapiOpenSystemFile(Name, FILE_GENERIC_READ | FILE_EXECUTE, 0, &File);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(Section, SECTION_ALL_ACCESS, NULL, Size ? &Maximum : NULL, Protect,
                             Attributes, File);
    NtClose(File);
    return Status;
}

static NTSTATUS NtapiMap(HANDLE Section, PVOID *Base, LONGLONG Offset, SIZE_T *Size, ULONG Protect)
{
    LARGE_INTEGER SectionOffset = {.QuadPart = Offset};

    return NtMapViewOfSection(Section, NtCurrentProcess(), Base, 0, 0, &SectionOffset, Size,
                              ViewUnmap, 0, Protect);
}

static NTSTATUS NtapiQueryBasic(HANDLE Section, SECTION_BASIC_INFORMATION *Info)
{
    SIZE_T Length = 0;
    NTSTATUS Status;

    memset(Info, 0xcc, sizeof(*Info));
    Status = NtQuerySection(Section, SectionBasicInformation, Info, sizeof(*Info), &Length);
    if (NT_SUCCESS(Status))
        CHECK_EQ(Length, sizeof(*Info));
    return Status;
}

/* ---- creation and queries ----------------------------------------------------------------- */

TEST(section, create_pagefile_commit)
{
    HANDLE Section = NtapiPagefileSection(0x123, PAGE_READWRITE, SEC_COMMIT);
    SECTION_BASIC_INFORMATION Info;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiQueryBasic(Section, &Info), STATUS_SUCCESS);
    CHECK(Info.BaseAddress == NULL);
    CHECK_EQ(Info.AllocationAttributes, SEC_COMMIT);
    CHECK_EQ(Info.MaximumSize.QuadPart, 0x1000); /* whole pages */
    NtClose(Section);
}

TEST(section, create_pagefile_reserve)
{
    HANDLE Section = NtapiPagefileSection(0x1001, PAGE_READWRITE, SEC_RESERVE);
    SECTION_BASIC_INFORMATION Info;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiQueryBasic(Section, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.AllocationAttributes, SEC_RESERVE);
    CHECK_EQ(Info.MaximumSize.QuadPart, 0x2000);
    NtClose(Section);
}

TEST(section, create_argument_checks)
{
    LARGE_INTEGER Size = {.QuadPart = 0x1000};
    HANDLE Section;

    CHECK_STATUS(
        NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE, 0, NULL),
        STATUS_INVALID_PARAMETER_6);
    CHECK_STATUS(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE,
                                 SEC_COMMIT | SEC_RESERVE, NULL),
                 STATUS_INVALID_PARAMETER_6);
    CHECK_STATUS(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, &Size, 0, SEC_COMMIT, NULL),
                 STATUS_INVALID_PAGE_PROTECTION);
    CHECK_STATUS(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, &Size,
                                 PAGE_READWRITE | PAGE_READONLY, SEC_COMMIT, NULL),
                 STATUS_INVALID_PAGE_PROTECTION);
    CHECK_STATUS(
        NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_READWRITE, SEC_COMMIT, NULL),
        STATUS_INVALID_PARAMETER_4);
    Size.QuadPart = 0;
    CHECK_STATUS(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE,
                                 SEC_COMMIT, NULL),
                 STATUS_INVALID_PARAMETER_4);
}

TEST(section, create_wrong_file_handle)
{
    HANDLE Section, Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    CHECK_STATUS(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_READONLY,
                                 SEC_COMMIT, Process),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_READONLY,
                                 SEC_COMMIT, (HANDLE)(ULONG_PTR)0x123450),
                 STATUS_INVALID_HANDLE);
    NtClose(Process);
}

TEST(section, create_file_rights_and_size)
{
    HANDLE Section;

    /* A file opened for reading cannot back a writable shared section. */
    CHECK_STATUS(NtapiFileSection(L"hello.exe", 0, PAGE_READWRITE, SEC_COMMIT, &Section),
                 STATUS_ACCESS_DENIED);
    /* Nor grow. */
    CHECK_STATUS(NtapiFileSection(L"hello.exe", 0x1000000, PAGE_READONLY, SEC_COMMIT, &Section),
                 STATUS_SECTION_TOO_BIG);
}

TEST(section, file_query_basic)
{
    SECTION_BASIC_INFORMATION Info;
    HANDLE Section, File;
    LONGLONG FileSize = 0;
    FILE_STANDARD_INFORMATION Standard;
    IO_STATUS_BLOCK Iosb;

    if (NT_SUCCESS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, 0, &File))) {
        if (NT_SUCCESS(NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard),
                                              FileStandardInformation)))
            FileSize = Standard.EndOfFile.QuadPart;
        NtClose(File);
    }
    if (!CHECK_STATUS(NtapiFileSection(L"hello.exe", 0, PAGE_READONLY, SEC_COMMIT, &Section),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiQueryBasic(Section, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.AllocationAttributes, SEC_FILE); /* SEC_COMMIT means nothing for a file */
    CHECK_EQ(Info.MaximumSize.QuadPart, FileSize);
    NtClose(Section);
    if (!CHECK_STATUS(NtapiFileSection(L"hello.exe", 1, PAGE_READONLY, SEC_RESERVE, &Section),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiQueryBasic(Section, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.MaximumSize.QuadPart, 1);
    NtClose(Section);
}

TEST(section, image_query)
{
    SECTION_BASIC_INFORMATION Basic;
    SECTION_IMAGE_INFORMATION Image;
    SIZE_T Length = 0;
    HANDLE Section;

    if (!CHECK_STATUS(NtapiFileSection(L"sectimg.exe", 0, PAGE_READONLY, SEC_IMAGE, &Section),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiQueryBasic(Section, &Basic), STATUS_SUCCESS);
    CHECK(Basic.BaseAddress == NULL);
    CHECK_EQ(Basic.AllocationAttributes, SEC_FILE | SEC_IMAGE);
    CHECK(Basic.MaximumSize.QuadPart >= 3 * 0x1000);
    memset(&Image, 0xcc, sizeof(Image));
    CHECK_STATUS(NtQuerySection(Section, SectionImageInformation, &Image, sizeof(Image), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, 0x40);
    CHECK_EQ(Image.Machine, IMAGE_FILE_MACHINE_AMD64);
    CHECK_EQ(Image.SubSystemType, 1); /* native */
    CHECK_EQ(Image.ZeroBits, 0);
    CHECK((ULONG_PTR)Image.TransferAddress > NTAPI_SECTIMG_BASE &&
          (ULONG_PTR)Image.TransferAddress < NTAPI_SECTIMG_BASE + Basic.MaximumSize.QuadPart);
    CHECK(Image.ImageContainsCode);
    CHECK(Image.ImageFileSize > 0x400);
    CHECK(Image.MaximumStackSize >= Image.CommittedStackSize && Image.CommittedStackSize > 0);
    NtClose(Section);
}

TEST(section, query_errors)
{
    HANDLE Section = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT), Query = NULL;
    SECTION_IMAGE_INFORMATION Image;
    SIZE_T Length;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtQuerySection(NULL, SectionBasicInformation, &Image, 24, &Length),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtQuerySection(Section, 5, &Image, sizeof(Image), &Length),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQuerySection(Section, SectionBasicInformation, &Image, 23, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQuerySection(Section, SectionImageInformation, &Image, sizeof(Image), &Length),
                 STATUS_SECTION_NOT_IMAGE);
    CHECK_STATUS(NtQuerySection(NtCurrentProcess(), SectionBasicInformation, &Image, 24, &Length),
                 STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Section, NtCurrentProcess(), &Query,
                                       SECTION_MAP_READ, 0, 0),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtQuerySection(Query, SectionBasicInformation, &Image, 24, &Length),
                     STATUS_ACCESS_DENIED);
        NtClose(Query);
    }
    NtClose(Section);
}

/* ---- views of pagefile and data sections ---------------------------------------------------- */

TEST(section, two_views_share_pages)
{
    HANDLE Section = NtapiPagefileSection(0x3000, PAGE_READWRITE, SEC_COMMIT);
    PVOID A = NULL, B = NULL;
    SIZE_T SizeA = 0, SizeB = 0x1000;
    volatile ULONG *Pa, *Pb;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &A, 0, &SizeA, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_STATUS(NtapiMap(Section, &B, 0x2000, &SizeB, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(SizeA, 0x3000); /* 0: the whole section */
    CHECK_EQ(SizeB, 0x3000); /* the offset went down to 0 (64 KiB), the size grew as much */
    if (A && B && A != B) {
        Pa = (volatile ULONG *)((UCHAR *)A + 0x2010);
        Pb = (volatile ULONG *)((UCHAR *)B + 0x2010);
        CHECK_EQ(*Pa, 0); /* fresh pagefile-backed memory is zero */
        *Pa = 0xfeedface;
        CHECK_EQ(*Pb, 0xfeedface);
        *Pb = 0x600d;
        CHECK_EQ(*Pa, 0x600d);
    }
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), A), STATUS_SUCCESS);
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), B), STATUS_SUCCESS);
    NtClose(Section);
}

TEST(section, writecopy_view_copies_on_write)
{
    HANDLE Section = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT);
    PVOID Shared = NULL, Copy = NULL;
    SIZE_T Size = 0;
    volatile UCHAR *S, *C;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &Shared, 0, &Size, PAGE_READWRITE), STATUS_SUCCESS);
    Size = 0;
    CHECK_STATUS(NtapiMap(Section, &Copy, 0, &Size, PAGE_WRITECOPY), STATUS_SUCCESS);
    if (Shared && Copy) {
        S = Shared, C = Copy;
        S[0] = 1;
        CHECK_EQ(C[0], 1); /* before any write the copy view shows the section */
        C[0] = 2;          /* the write fault gives the view its own page */
        CHECK_EQ(S[0], 1);
        S[0] = 3;
        CHECK_EQ(C[0], 2); /* and it no longer follows the section */
    }
    NtUnmapViewOfSection(NtCurrentProcess(), Shared);
    NtUnmapViewOfSection(NtCurrentProcess(), Copy);
    NtClose(Section);
}

TEST(section, data_views_of_a_file)
{
    HANDLE Section;
    PVOID ReadOnly = NULL, Copy = NULL;
    SIZE_T Size = 0;
    volatile UCHAR *R, *C;

    if (!CHECK_STATUS(NtapiFileSection(L"hello.exe", 0, PAGE_WRITECOPY, SEC_COMMIT, &Section),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiMap(Section, &ReadOnly, 0, &Size, PAGE_READONLY), STATUS_SUCCESS);
    Size = 0;
    CHECK_STATUS(NtapiMap(Section, &Copy, 0, &Size, PAGE_WRITECOPY), STATUS_SUCCESS);
    if (ReadOnly && Copy) {
        R = ReadOnly, C = Copy;
        CHECK(R[0] == 'M' && R[1] == 'Z'); /* the file's bytes */
        C[0] = 'X';
        CHECK_EQ(C[0], 'X');
        CHECK_EQ(R[0], 'M');
    }
    NtUnmapViewOfSection(NtCurrentProcess(), ReadOnly);
    NtUnmapViewOfSection(NtCurrentProcess(), Copy);
    NtClose(Section);
}

TEST(section, readonly_view_refuses_writes)
{
    HANDLE Section = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT), File;
    PVOID View = NULL;
    SIZE_T Size = 0;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0};

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &View, 0, &Size, PAGE_READONLY), STATUS_SUCCESS);
    if (CHECK_STATUS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, 0, &File),
                     STATUS_SUCCESS)) {
        /* The service writes the caller's buffer as the caller would. */
        CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, View, 16, &Offset, NULL),
                     STATUS_ACCESS_VIOLATION);
        NtClose(File);
    }
    NtUnmapViewOfSection(NtCurrentProcess(), View);
    NtClose(Section);
}

TEST(section, reserve_view_is_not_committed)
{
    HANDLE Section = NtapiPagefileSection(0x2000, PAGE_READWRITE, SEC_RESERVE), File;
    PVOID View = NULL;
    SIZE_T Size = 0;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0};

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &View, 0, &Size, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ(Size, 0x2000);
    if (CHECK_STATUS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, 0, &File),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, View, 16, &Offset, NULL),
                     STATUS_ACCESS_VIOLATION);
        NtClose(File);
    }
    NtUnmapViewOfSection(NtCurrentProcess(), View);
    NtClose(Section);
}

TEST(section, map_argument_checks)
{
    HANDLE Section = NtapiPagefileSection(0x10000, PAGE_READWRITE, SEC_COMMIT);
    LARGE_INTEGER Offset = {.QuadPart = 0};
    PVOID Base = NULL;
    SIZE_T Size = 0;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, &Offset, &Size, 0, 0,
                                    PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_8);
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, &Offset, &Size,
                                    ViewShare, 0x1, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_9);
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, &Offset, &Size,
                                    ViewShare, 0, 0),
                 STATUS_INVALID_PAGE_PROTECTION);
    Base = (PVOID)0x30001000;
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, &Offset, &Size,
                                    ViewShare, 0, PAGE_READWRITE),
                 STATUS_MAPPED_ALIGNMENT);
    NtClose(Section);
}

TEST(section, map_zero_bits)
{
    HANDLE Section = NtapiPagefileSection(0x10000, PAGE_READWRITE, SEC_COMMIT);
    LARGE_INTEGER Offset = {.QuadPart = 0};
    PVOID Base = NULL;
    SIZE_T Size = 0;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 22, 0, &Offset, &Size,
                                    ViewShare, 0, PAGE_READWRITE),
                 STATUS_INVALID_PARAMETER_4);
    /* 1: the view must fit in 31 bits; with MEM_TOP_DOWN, as high as that allows. */
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 1, 0, &Offset, &Size,
                                    ViewShare, MEM_TOP_DOWN, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK((ULONG_PTR)Base + Size - 1 <= 0x7fffffffull);
    CHECK((ULONG_PTR)Base >= 0x70000000ull);
    NtUnmapViewOfSection(NtCurrentProcess(), Base);
    NtClose(Section);
}

TEST(section, map_view_size_checks)
{
    HANDLE Section = NtapiPagefileSection(0x20000, PAGE_READWRITE, SEC_COMMIT);
    PVOID Base = NULL;
    SIZE_T Size = 0;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &Base, 0x20000, &Size, PAGE_READWRITE),
                 STATUS_INVALID_VIEW_SIZE);
    Size = 0x21000;
    CHECK_STATUS(NtapiMap(Section, &Base, 0, &Size, PAGE_READWRITE), STATUS_INVALID_VIEW_SIZE);
    Size = 0x10000;
    CHECK_STATUS(NtapiMap(Section, &Base, 0x11000, &Size, PAGE_READWRITE),
                 STATUS_INVALID_VIEW_SIZE); /* 0x10000 + the 0x1000 the offset moved down */
    CHECK(Base == NULL);
    NtClose(Section);
}

TEST(section, map_offset_rounding)
{
    HANDLE Section = NtapiPagefileSection(0x30000, PAGE_READWRITE, SEC_COMMIT);
    LARGE_INTEGER Offset = {.QuadPart = 0x11000};
    PVOID Base = NULL;
    SIZE_T Size = 0x1800;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, &Offset, &Size,
                                    ViewShare, 0, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK_EQ(Offset.QuadPart, 0x10000); /* down to 64 KiB */
    CHECK_EQ(Size, 0x3000);             /* grown by 0x1000, up to whole pages */
    CHECK_EQ((ULONG_PTR)Base & 0xffff, 0);
    if (Base) {
        /* The view's first byte is the section's 0x10000th: the pages follow. */
        *(volatile ULONG *)((UCHAR *)Base + 0x1000) = 0xabcd;
        CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), Base), STATUS_SUCCESS);
        /* A given (aligned) base is where the rounded offset goes. */
        Size = 0x1000, Offset.QuadPart = 0x11000;
        CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, &Offset, &Size,
                                        ViewShare, 0, PAGE_READWRITE),
                     STATUS_SUCCESS);
        CHECK_EQ(*(volatile ULONG *)((UCHAR *)Base + 0x1000), 0xabcd);
    }
    NtUnmapViewOfSection(NtCurrentProcess(), Base);
    NtClose(Section);
}

TEST(section, map_protection_checks)
{
    HANDLE ReadOnly = NtapiPagefileSection(0x1000, PAGE_READONLY, SEC_COMMIT);
    HANDLE Writable = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT), MapRead = NULL;
    PVOID Base = NULL;
    SIZE_T Size = 0;

    if (!CHECK(ReadOnly && Writable))
        goto out;
    CHECK_STATUS(NtapiMap(ReadOnly, &Base, 0, &Size, PAGE_READWRITE), STATUS_SECTION_PROTECTION);
    CHECK_STATUS(NtapiMap(ReadOnly, &Base, 0, &Size, PAGE_EXECUTE_READ), STATUS_SECTION_PROTECTION);
    if (CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Writable, NtCurrentProcess(), &MapRead,
                                       SECTION_MAP_READ, 0, 0),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtapiMap(MapRead, &Base, 0, &Size, PAGE_READWRITE), STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtapiMap(MapRead, &Base, 0, &Size, PAGE_READONLY), STATUS_SUCCESS);
        NtUnmapViewOfSection(NtCurrentProcess(), Base);
        NtClose(MapRead);
    }
out:
    NtClose(ReadOnly);
    NtClose(Writable);
}

TEST(section, map_conflicting_and_top_down)
{
    HANDLE Section = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT);
    PVOID Low = NULL, High = NULL, Again;
    SIZE_T Size = 0;
    LARGE_INTEGER Offset = {.QuadPart = 0};

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &Low, 0, &Size, PAGE_READWRITE), STATUS_SUCCESS);
    Again = Low, Size = 0;
    CHECK_STATUS(NtapiMap(Section, &Again, 0, &Size, PAGE_READWRITE), STATUS_CONFLICTING_ADDRESSES);
    Size = 0;
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &High, 0, 0, &Offset, &Size,
                                    ViewShare, MEM_TOP_DOWN, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK((ULONG_PTR)High > (ULONG_PTR)Low);
    CHECK((ULONG_PTR)High > 0x7ff000000000ull); /* near the top of user space */
    NtUnmapViewOfSection(NtCurrentProcess(), Low);
    NtUnmapViewOfSection(NtCurrentProcess(), High);
    NtClose(Section);
}

TEST(section, map_handle_checks)
{
    HANDLE Section = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT), File;
    LARGE_INTEGER Offset = {.QuadPart = 0};
    PVOID Base = NULL;
    SIZE_T Size = 0;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(NULL, &Base, 0, &Size, PAGE_READWRITE), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiMap(NtCurrentProcess(), &Base, 0, &Size, PAGE_READWRITE),
                 STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK_STATUS(NtapiOpenSystemFile(L"hello.exe", FILE_GENERIC_READ, 0, &File),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtMapViewOfSection(Section, File, &Base, 0, 0, &Offset, &Size, ViewShare, 0,
                                        PAGE_READWRITE),
                     STATUS_OBJECT_TYPE_MISMATCH);
        NtClose(File);
    }
    NtClose(Section);
}

TEST(section, unmap)
{
    HANDLE Section = NtapiPagefileSection(0x2000, PAGE_READWRITE, SEC_COMMIT);
    PVOID Base = NULL;
    SIZE_T Size = 0;
    ULONG Local;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &Base, 0, &Size, PAGE_READWRITE), STATUS_SUCCESS);
    NtClose(Section); /* the view keeps the section */
    *(volatile ULONG *)Base = 5;
    CHECK_EQ(*(volatile ULONG *)Base, 5);
    /* Any address inside the view names it. */
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), (UCHAR *)Base + 0x1234), STATUS_SUCCESS);
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), Base), STATUS_NOT_MAPPED_VIEW);
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), &Local), STATUS_NOT_MAPPED_VIEW);
    CHECK_STATUS(NtUnmapViewOfSection(NULL, Base), STATUS_INVALID_HANDLE);
}

/* ---- image views ---------------------------------------------------------------------------- */

/* The target RVA of the first DIR64 relocation of the image at Base, or 0. */
static ULONG NtapiFirstRelocation(const UCHAR *Base)
{
    const IMAGE_NT_HEADERS64 *Nt =
        (const void *)(Base + ((const IMAGE_DOS_HEADER *)Base)->e_lfanew);
    const IMAGE_DATA_DIRECTORY *Dir =
        &Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    const IMAGE_BASE_RELOCATION *Block = (const void *)(Base + Dir->VirtualAddress);
    const USHORT *Entry = (const USHORT *)(Block + 1);

    if (Dir->Size < sizeof(*Block) + 2)
        return 0;
    for (ULONG i = 0; i < (Block->SizeOfBlock - sizeof(*Block)) / 2; i++)
        if ((Entry[i] >> 12) == IMAGE_REL_BASED_DIR64)
            return Block->VirtualAddress + (Entry[i] & 0xfff);
    return 0;
}

TEST(section, image_mapped_twice)
{
    HANDLE Section;
    PVOID First = NULL, Second = NULL;
    SIZE_T Size = 0, Size2 = 0;
    ULONG Rva;

    if (!CHECK_STATUS(NtapiFileSection(L"sectimg.exe", 0, PAGE_EXECUTE_READ, SEC_IMAGE, &Section),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiMap(Section, &First, 0, &Size, PAGE_READWRITE), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)First, NTAPI_SECTIMG_BASE);
    CHECK(Size >= 0x3000 && Size % 0x1000 == 0);
    CHECK_STATUS(NtapiMap(Section, &Second, 0, &Size2, PAGE_READWRITE), STATUS_IMAGE_NOT_AT_BASE);
    CHECK(Second != NULL && Second != First);
    CHECK_EQ(Size2, Size);
    if (First && Second) {
        Rva = NtapiFirstRelocation(First);
        if (CHECK(Rva != 0)) {
            ULONG_PTR A = *(ULONG_PTR *)((UCHAR *)First + Rva);
            ULONG_PTR B = *(ULONG_PTR *)((UCHAR *)Second + Rva);
            CHECK(A > (ULONG_PTR)First && A < (ULONG_PTR)First + Size); /* at the base: as linked */
            CHECK_EQ(B - (ULONG_PTR)Second, A - (ULONG_PTR)First);      /* relocated */
        }
        CHECK(memcmp(First, Second, 2) == 0);
    }
    NtUnmapViewOfSection(NtCurrentProcess(), First);
    NtUnmapViewOfSection(NtCurrentProcess(), Second);
    NtClose(Section);
}

/* The first page of a writable section of the image at Base, or NULL. */
static volatile UCHAR *NtapiWritablePage(UCHAR *Base)
{
    IMAGE_NT_HEADERS64 *Nt = (void *)(Base + ((IMAGE_DOS_HEADER *)Base)->e_lfanew);
    IMAGE_SECTION_HEADER *Sh = IMAGE_FIRST_SECTION(Nt);

    for (ULONG i = 0; i < Nt->FileHeader.NumberOfSections; i++)
        if ((Sh[i].Characteristics & IMAGE_SCN_MEM_WRITE) && Sh[i].VirtualAddress % 0x1000 == 0)
            return Base + Sh[i].VirtualAddress;
    return NULL;
}

TEST(section, image_writable_pages_copy_on_write)
{
    HANDLE Section;
    PVOID First = NULL, Second = NULL;
    SIZE_T Size = 0;
    volatile UCHAR *A, *B;
    UCHAR Before;

    if (!CHECK_STATUS(NtapiFileSection(L"sectimg.exe", 0, PAGE_EXECUTE_READ, SEC_IMAGE, &Section),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiMap(Section, &First, 0, &Size, PAGE_READWRITE), STATUS_SUCCESS);
    Size = 0;
    CHECK_STATUS(NtapiMap(Section, &Second, 0, &Size, PAGE_READWRITE), STATUS_IMAGE_NOT_AT_BASE);
    if (First && Second && CHECK((A = NtapiWritablePage(First)) != NULL)) {
        B = (volatile UCHAR *)Second + (A - (volatile UCHAR *)First);
        Before = B[8];
        A[8] = (UCHAR)(Before ^ 0x5a); /* a write fault copies the page for this view */
        CHECK_EQ(A[8], (UCHAR)(Before ^ 0x5a));
        CHECK_EQ(B[8], Before);
    }
    NtUnmapViewOfSection(NtCurrentProcess(), First);
    NtUnmapViewOfSection(NtCurrentProcess(), Second);
    NtClose(Section);
}

TEST(section, image_base_taken)
{
    HANDLE Section;
    PVOID Base = NULL;
    SIZE_T Size = 0;

    /* hello.exe wants 0x140000000, where ntapitest.exe itself lies. */
    if (!CHECK_STATUS(NtapiFileSection(L"hello.exe", 0, PAGE_EXECUTE_READ, SEC_IMAGE, &Section),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiMap(Section, &Base, 0, &Size, PAGE_READWRITE), STATUS_IMAGE_NOT_AT_BASE);
    CHECK(Base != NULL && (ULONG_PTR)Base != 0x140000000ull);
    CHECK_EQ((ULONG_PTR)Base & 0xffff, 0);
    CHECK(((UCHAR *)Base)[0] == 'M');
    NtUnmapViewOfSection(NtCurrentProcess(), Base);
    NtClose(Section);
}

TEST(section, named_create_and_open)
{
    UNICODE_STRING Name = {0, 0, (PWSTR)L"\\BaseNamedObjects\\NtapiSection"};
    OBJECT_ATTRIBUTES Attributes;
    LARGE_INTEGER Size = {.QuadPart = 0x1000};
    HANDLE Section = NULL, Opened = NULL;

    Name.Length = Name.MaximumLength = 31 * sizeof(WCHAR);
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    CHECK_STATUS(NtCreateSection(&Section, SECTION_ALL_ACCESS, &Attributes, &Size, PAGE_READWRITE,
                                 SEC_COMMIT, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtOpenSection(&Opened, SECTION_QUERY, &Attributes), STATUS_SUCCESS);
    NtClose(Opened);
    NtClose(Section);
}

/* ---- views seen by the virtual memory services ------------------------------------------------
 */

typedef struct _NTAPI_VIEW_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    USHORT PartitionId;
    SIZE_T RegionSize;
    ULONG State, Protect, Type;
} NTAPI_VIEW_BASIC_INFORMATION;
_Static_assert(sizeof(NTAPI_VIEW_BASIC_INFORMATION) == 0x30, "MEMORY_BASIC_INFORMATION");

#define NTAPI_MEM_COMMIT   0x1000u
#define NTAPI_MEM_MAPPED   0x40000u
#define NTAPI_MEM_IMAGE    0x1000000u
#define NTAPI_MEM_RELEASE  0x8000u
#define NTAPI_MEM_DECOMMIT 0x4000u

static NTSTATUS NtapiQueryView(PVOID Address, NTAPI_VIEW_BASIC_INFORMATION *Info)
{
    memset(Info, 0xcc, sizeof(*Info));
    return NtQueryVirtualMemory(NtCurrentProcess(), Address, 0, Info, sizeof(*Info), NULL);
}

TEST(section, views_in_query_virtual_memory)
{
    HANDLE Data = NtapiPagefileSection(0x2000, PAGE_READWRITE, SEC_COMMIT), Image = NULL;
    NTAPI_VIEW_BASIC_INFORMATION Info;
    PVOID View = NULL, ImageView = NULL;
    SIZE_T Size = 0;

    if (!CHECK(Data != NULL))
        return;
    CHECK_STATUS(NtapiMap(Data, &View, 0, &Size, PAGE_READONLY), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryView((UCHAR *)View + 0x1000, &Info), STATUS_SUCCESS);
    CHECK(Info.AllocationBase == View);
    CHECK_EQ(Info.AllocationProtect, PAGE_READONLY);
    CHECK_EQ(Info.State, NTAPI_MEM_COMMIT);
    CHECK_EQ(Info.Type, NTAPI_MEM_MAPPED);
    if (CHECK_STATUS(NtapiFileSection(L"sectimg.exe", 0, PAGE_EXECUTE_READ, SEC_IMAGE, &Image),
                     STATUS_SUCCESS)) {
        Size = 0;
        NtapiMap(Image, &ImageView, 0, &Size, PAGE_READWRITE);
        CHECK_STATUS(NtapiQueryView(ImageView, &Info), STATUS_SUCCESS);
        CHECK_EQ(Info.Type, NTAPI_MEM_IMAGE);
        CHECK_EQ(Info.Protect, PAGE_READONLY); /* the headers */
        NtUnmapViewOfSection(NtCurrentProcess(), ImageView);
        NtClose(Image);
    }
    /* The caller's own image and ntdll are image views too. */
    CHECK_STATUS(NtapiQueryView((PVOID)&NtapiQueryView, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.Type, NTAPI_MEM_IMAGE);
    NtUnmapViewOfSection(NtCurrentProcess(), View);
    NtClose(Data);
}

TEST(section, free_virtual_memory_refuses_views)
{
    HANDLE Section = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT);
    PVOID View = NULL, Base;
    SIZE_T Size = 0;

    if (!CHECK(Section != NULL))
        return;
    CHECK_STATUS(NtapiMap(Section, &View, 0, &Size, PAGE_READWRITE), STATUS_SUCCESS);
    Base = View, Size = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, NTAPI_MEM_RELEASE),
                 STATUS_UNABLE_TO_DELETE_SECTION);
    Base = View, Size = 0x1000;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, NTAPI_MEM_DECOMMIT),
                 STATUS_UNABLE_TO_DELETE_SECTION);
    *(volatile UCHAR *)View = 1; /* still there */
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), View), STATUS_SUCCESS);
    NtClose(Section);
}

/* ---- bad pointers ---------------------------------------------------------------------------- */

TEST(section, bad_pointers)
{
    HANDLE Section = NtapiPagefileSection(0x1000, PAGE_READWRITE, SEC_COMMIT);
    LARGE_INTEGER Size = {.QuadPart = 0x1000}, Offset = {.QuadPart = 0};
    SECTION_BASIC_INFORMATION Info;
    ULONG Before = 0, After = 0;
    PVOID Base = NULL;
    SIZE_T ViewSize = 0, Length;

    if (!CHECK(Section != NULL))
        return;
    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &Before, sizeof(Before),
                              NULL);
    CHECK_STATUS(NtCreateSection((PHANDLE)NTAPI_READONLY_POINTER, SECTION_ALL_ACCESS, NULL, &Size,
                                 PAGE_READWRITE, SEC_COMMIT, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        NtCreateSection(NULL, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE, SEC_COMMIT, NULL),
        STATUS_ACCESS_VIOLATION);
    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &After, sizeof(After), NULL);
    CHECK_EQ(After, Before);
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), NULL, 0, 0, &Offset, &ViewSize,
                                    ViewShare, 0, PAGE_READWRITE),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, &Offset, NULL,
                                    ViewShare, 0, PAGE_READWRITE),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtMapViewOfSection(Section, NtCurrentProcess(), (PVOID *)((UCHAR *)&Base + 4), 0,
                                    0, &Offset, &ViewSize, ViewShare, 0, PAGE_READWRITE),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK(Base == NULL); /* nothing was mapped */
    CHECK_STATUS(NtQuerySection(Section, SectionBasicInformation, NULL, sizeof(Info), &Length),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQuerySection(Section, SectionBasicInformation, NTAPI_KERNEL_POINTER,
                                sizeof(Info), &Length),
                 STATUS_ACCESS_VIOLATION);
    NtClose(Section);
}
