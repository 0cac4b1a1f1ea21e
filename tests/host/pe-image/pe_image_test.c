/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host test of ntos's PE reader (ntos/ps/image.c) under ASan/UBSan: good
 * images built by mingw-w64 (good.exe, good.dll) must parse, lay out,
 * relocate and export as objdump says; seeded mutations and truncations
 * of them must give the expected NTSTATUS; random corruption and every
 * truncation must never crash. Each file is read into a buffer of exactly
 * its size, so any read past the end trips ASan. Prints the serial
 * protocol of docs/layout.md as suite "pe-image".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../ntos/ps/psp.h"

typedef struct {
    UCHAR *Data;
    SIZE_T Size;
} FILEBUF;

static FILEBUF GoodExe, GoodDll, FlatDll, FlatBssExe;
static int Failures;
static char FailReason[256];

/* ---- the ntos functions image.c needs ------------------------------------------- */

void KeBugCheck(const char *Fmt, ...)
{
    va_list Ap;

    va_start(Ap, Fmt);
    printf("TEST-FAIL pe-image.bugcheck: ");
    vprintf(Fmt, Ap);
    printf("\n");
    va_end(Ap);
    exit(2);
}

void KiLogFailure(const char *Expr, const char *File, int Line, NTSTATUS Status)
{
    (void)Expr, (void)File, (void)Line, (void)Status;
}

/* ---- helpers ------------------------------------------------------------------- */

static FILEBUF ReadWholeFile(const char *Path)
{
    FILEBUF f = {0};
    FILE *fp = fopen(Path, "rb");

    if (!fp) {
        printf("TEST-FAIL pe-image.open: cannot open %s\n", Path);
        exit(1);
    }
    fseek(fp, 0, SEEK_END);
    f.Size = (SIZE_T)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f.Data = malloc(f.Size);
    if (fread(f.Data, 1, f.Size, fp) != f.Size)
        exit(1);
    fclose(fp);
    return f;
}

static FILEBUF CopyFile(FILEBUF *f, SIZE_T Size)
{
    FILEBUF c = {malloc(Size ? Size : 1), Size};

    memcpy(c.Data, f->Data, Size < f->Size ? Size : f->Size);
    return c;
}

static UCHAR *BufferPage(void *Context, ULONG PageRva)
{
    return (UCHAR *)Context + PageRva;
}

/* A laid-out image in a heap buffer of exactly SizeOfImage bytes. */
typedef struct {
    PSP_IMAGE_INFO Info;
    UCHAR *Image;
    PSP_IMAGE_VIEW View;
} LOADED;

static NTSTATUS Layout(FILEBUF *f, LOADED *l)
{
    NTSTATUS Status = PspParseImage(f->Data, f->Size, &l->Info);

    l->Image = NULL;
    if (!NT_SUCCESS(Status))
        return Status;
    l->Image = malloc(l->Info.SizeOfImage);
    for (ULONG Rva = 0; Rva < l->Info.SizeOfImage; Rva += PAGE_SIZE)
        PspBuildImagePage(&l->Info, f->Data, f->Size, Rva, l->Image + Rva);
    l->View = (PSP_IMAGE_VIEW){l->Image, BufferPage, l->Info.SizeOfImage, NULL};
    return STATUS_SUCCESS;
}

/* Parse, lay out, relocate by +Delta and (for a DLL) find PeTestAlpha. */
static NTSTATUS Load(FILEBUF *f, ULONGLONG Delta)
{
    LOADED l;
    ULONG Rva;
    NTSTATUS Status = Layout(f, &l);

    if (NT_SUCCESS(Status))
        Status = PspRelocateImage(&l.View, &l.Info, l.Info.ImageBase + Delta);
    if (NT_SUCCESS(Status) && (l.Info.Characteristics & IMAGE_FILE_DLL))
        Status = PspFindExport(&l.View, &l.Info, "PeTestAlpha", &Rva);
    free(l.Image);
    return Status;
}

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            snprintf(FailReason, sizeof(FailReason), "%s:%d: %s", __FILE__, __LINE__, #c);         \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

#define CHECK_STATUS(got, want)                                                                    \
    do {                                                                                           \
        NTSTATUS g_ = (got), w_ = (want);                                                          \
        if (g_ != w_) {                                                                            \
            snprintf(FailReason, sizeof(FailReason), "%s:%d: status 0x%08x, want 0x%08x",          \
                     __FILE__, __LINE__, (unsigned)g_, (unsigned)w_);                              \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

/* ---- offsets in the good files --------------------------------------------------- */

static ULONG NtOffset(FILEBUF *f)
{
    LONG Lfanew;

    memcpy(&Lfanew, f->Data + 0x3c, 4);
    return (ULONG)Lfanew;
}

#define FH(f)                   (NtOffset(f) + 4)
#define OPT(f)                  (NtOffset(f) + 0x18)
#define SECT(f)                 (OPT(f) + sizeof(IMAGE_OPTIONAL_HEADER64))
#define OPT_FIELD(f, field)     (OPT(f) + offsetof(IMAGE_OPTIONAL_HEADER64, field))
#define SECT_FIELD(f, i, field) (SECT(f) + (i)*0x28 + offsetof(IMAGE_SECTION_HEADER, field))

static void Put16(FILEBUF *f, SIZE_T Off, USHORT v)
{
    memcpy(f->Data + Off, &v, 2);
}
static void Put32(FILEBUF *f, SIZE_T Off, ULONG v)
{
    memcpy(f->Data + Off, &v, 4);
}
static void Put64(FILEBUF *f, SIZE_T Off, ULONGLONG v)
{
    memcpy(f->Data + Off, &v, 8);
}
static ULONG Get32(FILEBUF *f, SIZE_T Off)
{
    ULONG v;

    memcpy(&v, f->Data + Off, 4);
    return v;
}

/* File offset of an RVA of a good file (through its section table). */
static ULONG RvaToOffset(FILEBUF *f, ULONG Rva)
{
    PSP_IMAGE_INFO Info;

    if (!NT_SUCCESS(PspParseImage(f->Data, f->Size, &Info)))
        abort();
    for (ULONG i = 0; i < Info.NumberOfSections; i++) {
        PIMAGE_SECTION_HEADER Sh = &Info.Sections[i];

        if (Rva >= Sh->VirtualAddress && Rva - Sh->VirtualAddress < Sh->SizeOfRawData)
            return Sh->PointerToRawData + (Rva - Sh->VirtualAddress);
    }
    abort();
}

static ULONG DirOffset(FILEBUF *f, ULONG Index)
{
    return RvaToOffset(f, Get32(f, OPT_FIELD(f, DataDirectory) + Index * 8));
}

static ULONG ExportField(FILEBUF *f, SIZE_T Field)
{
    return DirOffset(f, IMAGE_DIRECTORY_ENTRY_EXPORT) + (ULONG)Field;
}

/* ---- good images -------------------------------------------------------------------- */

static bool test_exe_parses(void)
{
    PSP_IMAGE_INFO Info;

    CHECK_STATUS(PspParseImage(GoodExe.Data, GoodExe.Size, &Info), STATUS_SUCCESS);
    CHECK(Info.ImageBase == 0x140000000ull);
    CHECK(Info.EntryPointRva == 0x1000);
    CHECK(Info.Subsystem == IMAGE_SUBSYSTEM_NATIVE);
    CHECK(Info.SizeOfImage == 0xc000 && Info.SizeOfHeaders == 0x400);
    CHECK(Info.NumberOfSections == 8 && memcmp(Info.Sections[5].Name, ".bss", 5) == 0);
    CHECK(Info.StackReserve == 0x200000 && Info.StackCommit == 0x1000);
    CHECK(!(Info.Characteristics & IMAGE_FILE_DLL));
    return true;
}

static bool test_exe_layout(void)
{
    LOADED l;
    PIMAGE_SECTION_HEADER Text, Bss;
    bool Zero = true;

    CHECK_STATUS(Layout(&GoodExe, &l), STATUS_SUCCESS);
    Text = &l.Info.Sections[0], Bss = &l.Info.Sections[5];
    CHECK(memcmp(l.Image, GoodExe.Data, 0x400) == 0);
    for (ULONG i = 0x400; i < PAGE_SIZE; i++)
        Zero &= l.Image[i] == 0;
    CHECK(memcmp(l.Image + Text->VirtualAddress, GoodExe.Data + Text->PointerToRawData,
                 Text->Misc.VirtualSize) == 0);
    for (ULONG i = Text->Misc.VirtualSize; i < PAGE_SIZE; i++)
        Zero &= l.Image[Text->VirtualAddress + i] == 0;
    for (ULONG i = 0; i < 0x4000; i++)
        Zero &= l.Image[Bss->VirtualAddress + i] == 0;
    free(l.Image);
    CHECK(Zero);
    return true;
}

static bool test_protections(void)
{
    LOADED l;

    CHECK_STATUS(Layout(&GoodExe, &l), STATUS_SUCCESS);
    free(l.Image);
    CHECK(PspImagePageProtection(&l.Info, 0) == PAGE_READONLY);
    CHECK(PspImagePageProtection(&l.Info, 0x1000) == PAGE_EXECUTE_READ); /* .text */
    CHECK(PspImagePageProtection(&l.Info, 0x2000) == PAGE_WRITECOPY);    /* .data */
    CHECK(PspImagePageProtection(&l.Info, 0x3000) == PAGE_READONLY);     /* .rdata */
    CHECK(PspImagePageProtection(&l.Info, 0x9000) == PAGE_WRITECOPY);    /* .bss tail */
    CHECK(PspSectionProtection(0) == PAGE_NOACCESS);
    CHECK(PspSectionProtection(IMAGE_SCN_MEM_EXECUTE) == PAGE_EXECUTE);
    CHECK(PspSectionProtection(IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE) ==
          PAGE_EXECUTE_WRITECOPY);
    CHECK(PspSectionProtection(IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_SHARED) ==
          PAGE_READWRITE);
    return true;
}

static bool test_dll_exports(void)
{
    static const char *Present[] = {"LdrInitializeThunk", "PeTestAlpha", "PeTestBeta",
                                    "PeTestGamma",        "PeTestMagic", "PeTestSelf"};
    static const char *Absent[] = {"", "A", "PeTestAlph", "PeTestAlphaX", "PeTestDelta", "zzz"};
    LOADED l;
    ULONG Rva;
    ULONGLONG Magic;

    CHECK_STATUS(Layout(&GoodDll, &l), STATUS_SUCCESS);
    for (SIZE_T i = 0; i < ARRAYSIZE(Present); i++) {
        CHECK_STATUS(PspFindExport(&l.View, &l.Info, Present[i], &Rva), STATUS_SUCCESS);
        CHECK(Rva >= 0x1000 && Rva < l.Info.SizeOfImage);
    }
    for (SIZE_T i = 0; i < ARRAYSIZE(Absent); i++)
        CHECK_STATUS(PspFindExport(&l.View, &l.Info, Absent[i], &Rva), STATUS_PROCEDURE_NOT_FOUND);
    CHECK_STATUS(PspFindExport(&l.View, &l.Info, "PeTestMagic", &Rva), STATUS_SUCCESS);
    memcpy(&Magic, l.Image + Rva, 8);
    free(l.Image);
    CHECK(Magic == 0x1122334455667788ull);
    return true;
}

/* PeTestSelf must hold Base + RVA(PeTestMagic) after relocation to Base. */
static bool CheckSelfPointer(ULONGLONG Base)
{
    LOADED l;
    ULONG MagicRva, SelfRva;
    ULONGLONG Self;

    CHECK_STATUS(Layout(&GoodDll, &l), STATUS_SUCCESS);
    CHECK_STATUS(PspRelocateImage(&l.View, &l.Info, Base), STATUS_SUCCESS);
    CHECK_STATUS(PspFindExport(&l.View, &l.Info, "PeTestMagic", &MagicRva), STATUS_SUCCESS);
    CHECK_STATUS(PspFindExport(&l.View, &l.Info, "PeTestSelf", &SelfRva), STATUS_SUCCESS);
    CHECK_STATUS(PspReadImage(&l.View, SelfRva, &Self, 8), STATUS_SUCCESS);
    free(l.Image);
    CHECK(Self == Base + MagicRva);
    return true;
}

static bool test_dll_relocated_up(void)
{
    return CheckSelfPointer(0x7ff000000000ull);
}
static bool test_dll_relocated_down(void)
{
    return CheckSelfPointer(0x10000ull);
}
static bool test_dll_at_base(void)
{
    return CheckSelfPointer(0x180000000ull);
}

static bool test_view_bounds(void)
{
    LOADED l;
    UCHAR b[16];

    CHECK_STATUS(Layout(&GoodDll, &l), STATUS_SUCCESS);
    CHECK_STATUS(PspReadImage(&l.View, l.Info.SizeOfImage - 8, b, 8), STATUS_SUCCESS);
    CHECK_STATUS(PspReadImage(&l.View, l.Info.SizeOfImage - 8, b, 9), STATUS_INVALID_IMAGE_FORMAT);
    CHECK_STATUS(PspReadImage(&l.View, 0xfffffff8u, b, 16), STATUS_INVALID_IMAGE_FORMAT);
    CHECK_STATUS(PspReadImage(&l.View, 0xffc, b, 8), STATUS_SUCCESS); /* across a page */
    free(l.Image);
    return true;
}

/* Section alignment 0x200: the image is the file, byte for byte. */
static bool test_flat_dll(void)
{
    LOADED l;
    ULONG Rva;

    CHECK_STATUS(Layout(&FlatDll, &l), STATUS_SUCCESS);
    CHECK(l.Info.SectionAlignment == 0x200 && l.Info.SizeOfImage == PAGE_SIZE * 2);
    CHECK(memcmp(l.Image, FlatDll.Data, FlatDll.Size < 0x1400 ? FlatDll.Size : 0x1400) == 0);
    CHECK_STATUS(PspRelocateImage(&l.View, &l.Info, 0x7ff000000000ull), STATUS_SUCCESS);
    CHECK_STATUS(PspFindExport(&l.View, &l.Info, "PeTestGamma", &Rva), STATUS_SUCCESS);
    free(l.Image);
    CHECK(PspImagePageProtection(&l.Info, 0) == PAGE_READONLY);
    return true;
}

/* ld puts .bss at an RVA the file does not have: not 1:1, so refused. */
static bool test_flat_with_bss_refused(void)
{
    PSP_IMAGE_INFO Info;

    CHECK_STATUS(PspParseImage(FlatBssExe.Data, FlatBssExe.Size, &Info),
                 STATUS_INVALID_IMAGE_FORMAT);
    return true;
}

/* ---- mutations: (name, change, expected status of Load with a moved base) ---------------- */

typedef void MUTATE(FILEBUF *f);

#define MUTATIONS(X)                                                                               \
    X(trunc_empty, GoodDll, STATUS_INVALID_IMAGE_NOT_MZ, f->Size = 0)                              \
    X(trunc_dos_header, GoodDll, STATUS_INVALID_IMAGE_NOT_MZ, f->Size = 0x3f)                      \
    X(bad_mz, GoodDll, STATUS_INVALID_IMAGE_NOT_MZ, f->Data[1] = 'X')                              \
    X(lfanew_negative, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put32(f, 0x3c, 0xfffffff8u))          \
    X(lfanew_past_end, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put32(f, 0x3c, (ULONG)f->Size - 2))   \
    X(lfanew_huge, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put32(f, 0x3c, 0x7ffffff0))               \
    X(trunc_in_file_header, GoodDll, STATUS_INVALID_IMAGE_FORMAT, f->Size = NtOffset(f) + 10)      \
    X(trunc_in_optional_header, GoodDll, STATUS_INVALID_IMAGE_FORMAT, f->Size = OPT(f) + 0x40)     \
    X(pe_signature, GoodDll, STATUS_INVALID_IMAGE_FORMAT, f->Data[NtOffset(f)] = 'X')              \
    X(ne_signature, GoodDll, STATUS_INVALID_IMAGE_NE_FORMAT, Put32(f, NtOffset(f), 0x454e))        \
    X(le_signature, GoodDll, STATUS_INVALID_IMAGE_LE_FORMAT, Put32(f, NtOffset(f), 0x454c))        \
    X(machine_i386, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put16(f, FH(f), 0x14c))                  \
    X(not_executable, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put16(f, FH(f) + 18, 0x2024))          \
    X(magic_pe32, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put16(f, OPT(f), 0x10b))                   \
    X(optional_header_short, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put16(f, FH(f) + 16, 0x60))     \
    X(directories_past_optional_header, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                      \
      Put16(f, FH(f) + 16, 0x70 + 8 * 8))                                                          \
    X(sections_97, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put16(f, FH(f) + 2, 97))                  \
    X(sections_past_headers, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put16(f, FH(f) + 2, 96))        \
    X(file_alignment_small, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                  \
      Put32(f, OPT_FIELD(f, FileAlignment), 0x100))                                                \
    X(file_alignment_not_power_of_two, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                       \
      Put32(f, OPT_FIELD(f, FileAlignment), 0x300))                                                \
    X(section_alignment_zero, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                \
      Put32(f, OPT_FIELD(f, SectionAlignment), 0))                                                 \
    X(section_alignment_below_file, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                          \
      Put32(f, OPT_FIELD(f, SectionAlignment), 0x100))                                             \
    X(low_alignment_not_flat, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                \
      Put32(f, OPT_FIELD(f, SectionAlignment), 0x200))                                             \
    X(image_base_unaligned, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                  \
      Put64(f, OPT_FIELD(f, ImageBase), 0x180001000ull))                                           \
    X(image_base_zero, GoodDll, STATUS_INVALID_IMAGE_FORMAT, Put64(f, OPT_FIELD(f, ImageBase), 0)) \
    X(size_of_image_zero, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                    \
      Put32(f, OPT_FIELD(f, SizeOfImage), 0))                                                      \
    X(size_of_image_short, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                   \
      Put32(f, OPT_FIELD(f, SizeOfImage), 0x3000))                                                 \
    X(size_of_image_huge, GoodDll, STATUS_SECTION_TOO_BIG,                                         \
      Put32(f, OPT_FIELD(f, SizeOfImage), 0xfffff000u))                                            \
    X(size_of_headers_past_file, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                             \
      Put32(f, OPT_FIELD(f, SizeOfHeaders), 0x100000))                                             \
    X(size_of_headers_below_table, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                           \
      Put32(f, OPT_FIELD(f, SizeOfHeaders), 0x100))                                                \
    X(section_va_unaligned, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                  \
      Put32(f, SECT_FIELD(f, 1, VirtualAddress), 0x2010))                                          \
    X(section_overlap, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                       \
      Put32(f, SECT_FIELD(f, 1, VirtualAddress), 0x1000))                                          \
    X(section_gap, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                           \
      Put32(f, SECT_FIELD(f, 1, VirtualAddress), 0x3000))                                          \
    X(section_below_headers, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                 \
      Put32(f, SECT_FIELD(f, 0, VirtualAddress), 0))                                               \
    X(section_raw_past_file, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                 \
      Put32(f, SECT_FIELD(f, 0, PointerToRawData), 0x100000))                                      \
    X(section_raw_size_wraps, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                \
      Put32(f, SECT_FIELD(f, 0, SizeOfRawData), 0xfffffe00u))                                      \
    X(section_raw_unaligned, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                 \
      Put32(f, SECT_FIELD(f, 0, PointerToRawData),                                                 \
            Get32(f, SECT_FIELD(f, 0, PointerToRawData)) + 1))                                     \
    X(section_virtual_size_huge, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                             \
      Put32(f, SECT_FIELD(f, 7, Misc.VirtualSize), 0x7fffffff))                                    \
    X(section_virtual_size_wraps, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                            \
      Put32(f, SECT_FIELD(f, 7, Misc.VirtualSize), 0xffffffffu))                                   \
    X(section_empty, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                         \
      Put32(f, SECT_FIELD(f, 0, Misc.VirtualSize), 0);                                             \
      Put32(f, SECT_FIELD(f, 0, SizeOfRawData), 0))                                                \
    X(trunc_last_section, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                    \
      f->Size = Get32(f, SECT_FIELD(f, 7, PointerToRawData)) + 4)                                  \
    X(entry_past_image, GoodExe, STATUS_INVALID_IMAGE_FORMAT,                                      \
      Put32(f, OPT_FIELD(f, AddressOfEntryPoint), 0xc000))                                         \
    X(exe_without_entry, GoodExe, STATUS_INVALID_IMAGE_FORMAT,                                     \
      Put32(f, OPT_FIELD(f, AddressOfEntryPoint), 0))                                              \
    X(directory_past_image, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                  \
      Put32(f, OPT_FIELD(f, DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress), 0x8ff0))  \
    X(directory_size_wraps, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                  \
      Put32(f, OPT_FIELD(f, DataDirectory[IMAGE_DIRECTORY_ENTRY_DEBUG].Size), 0xffffffffu))        \
    X(reloc_block_size_zero, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                 \
      Put32(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC) + 4, 0))                              \
    X(reloc_block_size_past_directory, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                       \
      Put32(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC) + 4, 0x10000))                        \
    X(reloc_block_size_odd, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                  \
      Put32(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC) + 4, 9))                              \
    X(reloc_type_high, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                       \
      Put16(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC) + 8, 0x1000))                         \
    X(reloc_type_unknown, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                    \
      Put16(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC) + 8, 0xb000))                         \
    X(reloc_target_past_image, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                               \
      Put32(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC), 0x8000);                             \
      Put16(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC) + 8, 0xaffc))                         \
    X(reloc_page_past_image, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                 \
      Put32(f, DirOffset(f, IMAGE_DIRECTORY_ENTRY_BASERELOC), 0xfffff000u))                        \
    X(relocs_stripped_moved, GoodDll, STATUS_CONFLICTING_ADDRESSES, Put16(f, FH(f) + 18, 0x2227))  \
    X(export_names_huge, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                     \
      Put32(f, ExportField(f, offsetof(IMAGE_EXPORT_DIRECTORY, NumberOfNames)), 0x40000000))       \
    X(export_functions_huge, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                                 \
      Put32(f, ExportField(f, offsetof(IMAGE_EXPORT_DIRECTORY, NumberOfFunctions)), 0xffffffffu))  \
    X(export_ordinal_past_functions, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                         \
      Put32(f, ExportField(f, offsetof(IMAGE_EXPORT_DIRECTORY, NumberOfFunctions)), 0))            \
    X(export_name_table_past_image, GoodDll, STATUS_INVALID_IMAGE_FORMAT,                          \
      Put32(f, ExportField(f, offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfNames)), 0x8ffc))          \
    X(export_function_forwarded, GoodDll, STATUS_PROCEDURE_NOT_FOUND, ForwardAll(f))               \
    X(export_function_past_image, GoodDll, STATUS_INVALID_IMAGE_FORMAT, FunctionsTo(f, 0x9000))    \
    X(export_name_rva_past_image, GoodDll, STATUS_INVALID_IMAGE_FORMAT, NamesTo(f, 0xfffffff0u))

/* Every function RVA / name RVA of the good DLL's export directory set to Rva. */
static void SetTable(FILEBUF *f, SIZE_T CountField, SIZE_T TableField, ULONG Rva)
{
    ULONG Count = Get32(f, ExportField(f, CountField));
    ULONG Table = RvaToOffset(f, Get32(f, ExportField(f, TableField)));

    for (ULONG i = 0; i < Count; i++)
        Put32(f, Table + i * 4, Rva);
}

static void FunctionsTo(FILEBUF *f, ULONG Rva)
{
    SetTable(f, offsetof(IMAGE_EXPORT_DIRECTORY, NumberOfFunctions),
             offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfFunctions), Rva);
}

static void NamesTo(FILEBUF *f, ULONG Rva)
{
    SetTable(f, offsetof(IMAGE_EXPORT_DIRECTORY, NumberOfNames),
             offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfNames), Rva);
}

static void ForwardAll(FILEBUF *f)
{
    FunctionsTo(f, Get32(f, OPT_FIELD(f, DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT])) + 4);
}

#define X_DEFINE(name, file, want, ...)                                                            \
    static void mutate_##name(FILEBUF *f)                                                          \
    {                                                                                              \
        __VA_ARGS__;                                                                               \
    }
MUTATIONS(X_DEFINE)

typedef struct {
    const char *Name;
    FILEBUF *File;
    NTSTATUS Want;
    MUTATE *Mutate;
} MUTATION_CASE;

#define X_CASE(name, file, want, ...) {#name, &file, want, mutate_##name},
static const MUTATION_CASE Mutations[] = {MUTATIONS(X_CASE)};

static bool RunMutation(const MUTATION_CASE *m)
{
    FILEBUF f = CopyFile(m->File, m->File->Size);
    NTSTATUS Status;

    m->Mutate(&f);
    /* Shrink to the (possibly truncated) size so ASan sees any overread. */
    f = (FILEBUF){realloc(f.Data, f.Size ? f.Size : 1), f.Size};
    Status = Load(&f, 0x10000000);
    free(f.Data);
    CHECK_STATUS(Status, m->Want);
    return true;
}

static bool test_relocs_stripped_at_base(void)
{
    FILEBUF f = CopyFile(&GoodDll, GoodDll.Size);
    NTSTATUS Status;

    Put16(&f, FH(&f) + 18, 0x2227);
    Status = Load(&f, 0);
    free(f.Data);
    CHECK_STATUS(Status, STATUS_SUCCESS);
    return true;
}

static bool test_no_reloc_directory_moves(void)
{
    FILEBUF f = CopyFile(&GoodDll, GoodDll.Size);
    NTSTATUS Status;

    Put32(&f, OPT_FIELD(&f, DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size), 0);
    Status = Load(&f, 0x10000000);
    free(f.Data);
    CHECK_STATUS(Status, STATUS_SUCCESS);
    return true;
}

/* ---- robustness: random corruption and every truncation ------------------------------------ */

static ULONGLONG Seed = 0x9e3779b97f4a7c15ull;

static ULONGLONG Random(void)
{
    Seed ^= Seed << 13, Seed ^= Seed >> 7, Seed ^= Seed << 17;
    return Seed;
}

static bool FuzzOne(FILEBUF *Good, int Iterations)
{
    for (int n = 0; n < Iterations; n++) {
        FILEBUF f = CopyFile(Good, Good->Size);
        int Flips = 1 + (int)(Random() % 6);

        for (int i = 0; i < Flips; i++) {
            SIZE_T Off = Random() % 4 ? Random() % 0x400 : Random() % f.Size;
            ULONGLONG r = Random();

            /* Mostly small changes of a byte; sometimes an extreme word. */
            if (r % 3 == 0 && Off + 4 <= f.Size)
                Put32(&f, Off, (r >> 8) % 2 ? 0xffffffffu : (ULONG)(r >> 16) & 0xffff);
            else
                f.Data[Off] ^= (UCHAR)(1u << (r >> 8) % 8);
        }
        (void)Load(&f, Random() % 2 ? 0x10000000 : 0);
        free(f.Data);
    }
    return true;
}

static bool test_fuzz_dll(void)
{
    return FuzzOne(&GoodDll, 4000);
}
static bool test_fuzz_exe(void)
{
    return FuzzOne(&GoodExe, 4000);
}

static bool test_every_truncation(void)
{
    FILEBUF *Files[] = {&GoodDll, &GoodExe};

    for (SIZE_T k = 0; k < ARRAYSIZE(Files); k++) {
        PSP_IMAGE_INFO Info;
        ULONGLONG Needed = 0;

        CHECK_STATUS(PspParseImage(Files[k]->Data, Files[k]->Size, &Info), STATUS_SUCCESS);
        for (ULONG i = 0; i < Info.NumberOfSections; i++) {
            ULONGLONG End =
                (ULONGLONG)Info.Sections[i].PointerToRawData + Info.Sections[i].SizeOfRawData;
            if (Info.Sections[i].SizeOfRawData && End > Needed)
                Needed = End;
        }
        for (SIZE_T Size = 0; Size <= Files[k]->Size; Size++) {
            FILEBUF f = CopyFile(Files[k], Size);
            NTSTATUS Status = Load(&f, 0x10000000);

            free(f.Data);
            CHECK(NT_SUCCESS(Status) == (Size >= Needed));
        }
    }
    return true;
}

/* ---- driver ------------------------------------------------------------------------------ */

#define TEST(name)                                                                                 \
    {                                                                                              \
#name, test_##name                                                                         \
    }
static const struct {
    const char *Name;
    bool (*Run)(void);
} Tests[] = {
    TEST(exe_parses),
    TEST(exe_layout),
    TEST(protections),
    TEST(dll_exports),
    TEST(dll_relocated_up),
    TEST(dll_relocated_down),
    TEST(dll_at_base),
    TEST(view_bounds),
    TEST(relocs_stripped_at_base),
    TEST(no_reloc_directory_moves),
    TEST(flat_dll),
    TEST(flat_with_bss_refused),
    TEST(fuzz_dll),
    TEST(fuzz_exe),
    TEST(every_truncation),
};

static void Report(const char *Name, bool Passed)
{
    if (Passed) {
        printf("TEST-PASS pe-image.%s\n", Name);
    } else {
        printf("TEST-FAIL pe-image.%s: %s\n", Name, FailReason);
        Failures++;
    }
    fflush(stdout);
}

/* A system image of the build (ntdll.dll or a program of the archive): it
 * must load at a moved base, and ntdll must export the thread start. */
static bool CheckSystemImage(const char *Path)
{
    FILEBUF f = ReadWholeFile(Path);
    bool Ntdll = strstr(Path, "ntdll.dll") != NULL;
    LOADED l;
    ULONG Rva = 0;
    NTSTATUS Status = Layout(&f, &l);

    if (NT_SUCCESS(Status))
        Status = PspRelocateImage(&l.View, &l.Info, l.Info.ImageBase + 0x100000000ull);
    if (NT_SUCCESS(Status) && Ntdll)
        Status = PspFindExport(&l.View, &l.Info, "LdrInitializeThunk", &Rva);
    free(l.Image);
    free(f.Data);
    CHECK_STATUS(Status, STATUS_SUCCESS);
    CHECK(Ntdll ? Rva != 0 : l.Info.EntryPointRva != 0);
    return true;
}

int main(int argc, char **argv)
{
    char Name[128];

    if (argc < 5) {
        fprintf(stderr, "usage: %s good.exe good.dll flat.dll flat_bss.exe [system images...]\n",
                argv[0]);
        return 2;
    }
    GoodExe = ReadWholeFile(argv[1]);
    GoodDll = ReadWholeFile(argv[2]);
    FlatDll = ReadWholeFile(argv[3]);
    FlatBssExe = ReadWholeFile(argv[4]);
    for (SIZE_T i = 0; i < ARRAYSIZE(Tests); i++)
        Report(Tests[i].Name, Tests[i].Run());
    for (SIZE_T i = 0; i < ARRAYSIZE(Mutations); i++) {
        snprintf(Name, sizeof(Name), "mutation_%s", Mutations[i].Name);
        Report(Name, RunMutation(&Mutations[i]));
    }
    for (int i = 5; i < argc; i++) {
        const char *Base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

        snprintf(Name, sizeof(Name), "system_%s", Base);
        for (char *c = Name; *c; c++)
            *c = *c == '.' ? '_' : *c;
        Report(Name, CheckSystemImage(argv[i]));
    }
    printf("SUITE-END pe-image\n");
    return Failures ? 1 : 0;
}
