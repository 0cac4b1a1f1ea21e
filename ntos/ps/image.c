/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PE reader: validation of a PE32+ x64 image file (nt-abi §4.1), the
 * page-by-page layout of its headers and sections, section protections
 * (§4.2), base relocations (§4.5) and export lookup (§4.4). Everything a
 * file says is untrusted: every offset, size, RVA and sum is checked
 * before it is used, and a bad file gives an NTSTATUS, never a fault. The
 * code is pure (no mm, no seL4) so the pe-image host suite runs it under
 * ASan/UBSan; imagemap.c puts the pages into a process.
 */
#include "psp.h"

#include <string.h>

#define PSP_MAX_RVA 0xffffffffull

/* Checked copy out of the file: false if [Offset, Offset + Length) is not inside it. */
static bool PspReadFile(const void *File, SIZE_T FileSize, ULONGLONG Offset, void *Dst,
                        SIZE_T Length)
{
    if (Offset > FileSize || Length > FileSize - Offset)
        return false;
    memcpy(Dst, (const UCHAR *)File + Offset, Length);
    return true;
}

static bool PspIsPowerOfTwo(ULONGLONG x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

static ULONGLONG PspAlignUp(ULONGLONG x, ULONGLONG Alignment)
{
    return (x + Alignment - 1) & ~(Alignment - 1);
}

/* The DOS header and the NT signature: returns the file offset of the file header. */
static NTSTATUS PspCheckSignatures(const void *File, SIZE_T FileSize, ULONG *FileHeaderOffset)
{
    IMAGE_DOS_HEADER Dos;
    ULONG Signature;

    if (!PspReadFile(File, FileSize, 0, &Dos, sizeof(Dos)) || Dos.e_magic != IMAGE_DOS_SIGNATURE)
        return STATUS_INVALID_IMAGE_NOT_MZ;
    if (Dos.e_lfanew < 4 || !PspReadFile(File, FileSize, (ULONG)Dos.e_lfanew, &Signature, 4))
        return STATUS_INVALID_IMAGE_FORMAT;
    if ((Signature & 0xffff) == 0x454e) /* "NE" */
        return STATUS_INVALID_IMAGE_NE_FORMAT;
    if ((Signature & 0xffff) == 0x454c) /* "LE" */
        return STATUS_INVALID_IMAGE_LE_FORMAT;
    if (Signature != IMAGE_NT_SIGNATURE)
        return STATUS_INVALID_IMAGE_FORMAT;
    *FileHeaderOffset = (ULONG)Dos.e_lfanew + 4;
    return STATUS_SUCCESS;
}

/* The file header and the optional header (copied into Opt, zero-extended). */
static NTSTATUS PspReadHeaders(const void *File, SIZE_T FileSize, ULONG Offset,
                               PIMAGE_FILE_HEADER Fh, PIMAGE_OPTIONAL_HEADER64 Opt)
{
    SIZE_T OptSize;

    if (!PspReadFile(File, FileSize, Offset, Fh, sizeof(*Fh)))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Fh->Machine != IMAGE_FILE_MACHINE_AMD64 ||
        !(Fh->Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Fh->SizeOfOptionalHeader < offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory) ||
        Fh->NumberOfSections > PSP_MAX_SECTIONS)
        return STATUS_INVALID_IMAGE_FORMAT;
    memset(Opt, 0, sizeof(*Opt));
    OptSize = Fh->SizeOfOptionalHeader < sizeof(*Opt) ? Fh->SizeOfOptionalHeader : sizeof(*Opt);
    if (!PspReadFile(File, FileSize, (ULONGLONG)Offset + sizeof(*Fh), Opt, OptSize))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Opt->Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC)
        return STATUS_INVALID_IMAGE_FORMAT;
    /* Directories the header claims must lie inside the optional header. */
    if (Opt->NumberOfRvaAndSizes > IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        Opt->NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
    if (offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory) +
            Opt->NumberOfRvaAndSizes * sizeof(IMAGE_DATA_DIRECTORY) >
        Fh->SizeOfOptionalHeader)
        return STATUS_INVALID_IMAGE_FORMAT;
    for (ULONG i = Opt->NumberOfRvaAndSizes; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; i++)
        Opt->DataDirectory[i] = (IMAGE_DATA_DIRECTORY){0, 0};
    return STATUS_SUCCESS;
}

/* Alignments, base and sizes of the optional header (§4.1). */
static NTSTATUS PspCheckOptionalHeader(PIMAGE_OPTIONAL_HEADER64 Opt, SIZE_T FileSize,
                                       ULONGLONG HeadersEnd)
{
    ULONG Sa = Opt->SectionAlignment, Fa = Opt->FileAlignment;

    if (!PspIsPowerOfTwo(Sa) || !PspIsPowerOfTwo(Fa) || Sa < Fa || Sa > 0x10000000u)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Sa < PAGE_SIZE ? (Fa != Sa || Fa < 0x200) : (Fa < 0x200 || Fa > 0x10000))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Opt->ImageBase == 0 || Opt->ImageBase % PSP_IMAGE_BASE_ALIGNMENT)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Opt->SizeOfImage == 0)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (PspAlignUp(Opt->SizeOfImage, PAGE_SIZE) > PSP_MAX_IMAGE_SIZE)
        return STATUS_SECTION_TOO_BIG;
    if (Opt->SizeOfHeaders < HeadersEnd || Opt->SizeOfHeaders > FileSize ||
        Opt->SizeOfHeaders > Opt->SizeOfImage)
        return STATUS_INVALID_IMAGE_FORMAT;
    return STATUS_SUCCESS;
}

/* One section against the previous one and the image (§4.1): ascending,
 * contiguous, aligned, inside SizeOfImage and, for its raw data, the file. */
static NTSTATUS PspCheckSection(PPSP_IMAGE_INFO Info, PIMAGE_SECTION_HEADER Sh, ULONGLONG *NextVa,
                                SIZE_T FileSize)
{
    ULONGLONG VirtualSize = Sh->Misc.VirtualSize ? Sh->Misc.VirtualSize : Sh->SizeOfRawData;
    ULONGLONG End;

    if (VirtualSize == 0 || Sh->VirtualAddress != *NextVa)
        return STATUS_INVALID_IMAGE_FORMAT;
    End = Sh->VirtualAddress + PspAlignUp(VirtualSize, Info->SectionAlignment);
    if (End > PspAlignUp(Info->SizeOfImage, Info->SectionAlignment))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Sh->SizeOfRawData != 0) {
        if (Sh->PointerToRawData % Info->FileAlignment ||
            (ULONGLONG)Sh->PointerToRawData + Sh->SizeOfRawData > FileSize)
            return STATUS_INVALID_IMAGE_FORMAT;
        /* Below a page of alignment the file is the image, byte for byte. */
        if (Info->SectionAlignment < PAGE_SIZE && Sh->PointerToRawData != Sh->VirtualAddress)
            return STATUS_INVALID_IMAGE_FORMAT;
    }
    *NextVa = End;
    return STATUS_SUCCESS;
}

static NTSTATUS PspReadSections(const void *File, SIZE_T FileSize, ULONGLONG TableOffset,
                                PPSP_IMAGE_INFO Info)
{
    ULONGLONG NextVa = PspAlignUp(Info->SizeOfHeaders, Info->SectionAlignment);
    NTSTATUS Status = STATUS_SUCCESS;

    if (!PspReadFile(File, FileSize, TableOffset, Info->Sections,
                     Info->NumberOfSections * sizeof(IMAGE_SECTION_HEADER)))
        return STATUS_INVALID_IMAGE_FORMAT;
    for (ULONG i = 0; i < Info->NumberOfSections && NT_SUCCESS(Status); i++)
        Status = PspCheckSection(Info, &Info->Sections[i], &NextVa, FileSize);
    return Status;
}

/* Every RVA-based directory lies inside the image (4, security, is a file offset). */
static NTSTATUS PspCheckDirectories(PPSP_IMAGE_INFO Info)
{
    for (ULONG i = 0; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; i++) {
        PIMAGE_DATA_DIRECTORY Dir = &Info->Directories[i];

        if (i == IMAGE_DIRECTORY_ENTRY_SECURITY || Dir->Size == 0)
            continue;
        if ((ULONGLONG)Dir->VirtualAddress + Dir->Size > Info->SizeOfImage)
            return STATUS_INVALID_IMAGE_FORMAT;
    }
    if (Info->EntryPointRva >= Info->SizeOfImage)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Info->EntryPointRva == 0 && !(Info->Characteristics & IMAGE_FILE_DLL))
        return STATUS_INVALID_IMAGE_FORMAT;
    return STATUS_SUCCESS;
}

static void PspFillInfo(PPSP_IMAGE_INFO Info, PIMAGE_FILE_HEADER Fh, PIMAGE_OPTIONAL_HEADER64 Opt)
{
    Info->ImageBase = Opt->ImageBase;
    Info->SizeOfImage = (ULONG)PspAlignUp(Opt->SizeOfImage, PAGE_SIZE);
    Info->SizeOfHeaders = Opt->SizeOfHeaders;
    Info->EntryPointRva = Opt->AddressOfEntryPoint;
    Info->SectionAlignment = Opt->SectionAlignment;
    Info->FileAlignment = Opt->FileAlignment;
    Info->Characteristics = Fh->Characteristics;
    Info->DllCharacteristics = Opt->DllCharacteristics;
    Info->Subsystem = Opt->Subsystem;
    Info->SubsystemMajorVersion = Opt->MajorSubsystemVersion;
    Info->SubsystemMinorVersion = Opt->MinorSubsystemVersion;
    Info->StackReserve = Opt->SizeOfStackReserve;
    Info->StackCommit = Opt->SizeOfStackCommit;
    Info->NumberOfSections = Fh->NumberOfSections;
    memcpy(Info->Directories, Opt->DataDirectory, sizeof(Info->Directories));
}

NTSTATUS PspParseImage(const void *File, SIZE_T FileSize, PPSP_IMAGE_INFO Info)
{
    IMAGE_FILE_HEADER Fh;
    IMAGE_OPTIONAL_HEADER64 Opt;
    ULONG FhOffset;
    ULONGLONG TableOffset, HeadersEnd;
    NTSTATUS Status;

    memset(Info, 0, sizeof(*Info));
    Status = PspCheckSignatures(File, FileSize, &FhOffset);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = PspReadHeaders(File, FileSize, FhOffset, &Fh, &Opt);
    if (!NT_SUCCESS(Status))
        goto out;
    TableOffset = (ULONGLONG)FhOffset + sizeof(Fh) + Fh.SizeOfOptionalHeader;
    HeadersEnd = TableOffset + (ULONGLONG)Fh.NumberOfSections * sizeof(IMAGE_SECTION_HEADER);
    Status = PspCheckOptionalHeader(&Opt, FileSize, HeadersEnd);
    if (!NT_SUCCESS(Status))
        goto out;
    PspFillInfo(Info, &Fh, &Opt);
    Status = PspReadSections(File, FileSize, TableOffset, Info);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = PspCheckDirectories(Info);
out:
    return Status;
}

/* ---- layout ------------------------------------------------------------------------ */

static ULONG PspSectionVirtualSize(PIMAGE_SECTION_HEADER Sh)
{
    return Sh->Misc.VirtualSize ? Sh->Misc.VirtualSize : Sh->SizeOfRawData;
}

/* Copy the part of [Start, Start + Length) (RVAs, bytes at FileOffset) that falls in the page. */
static void PspCopyRange(const void *File, ULONG Start, ULONG Length, ULONG FileOffset,
                         ULONG PageRva, UCHAR *Page)
{
    ULONGLONG Lo = Start > PageRva ? Start : PageRva;
    ULONGLONG Hi = (ULONGLONG)Start + Length;

    if (Hi > PageRva + PAGE_SIZE)
        Hi = PageRva + PAGE_SIZE;
    if (Lo >= Hi)
        return;
    memcpy(Page + (Lo - PageRva), (const UCHAR *)File + FileOffset + (Lo - Start), Hi - Lo);
}

void PspBuildImagePage(PPSP_IMAGE_INFO Info, const void *File, SIZE_T FileSize, ULONG PageRva,
                       UCHAR *Page)
{
    ASSERT(PageRva % PAGE_SIZE == 0 && PageRva < Info->SizeOfImage);
    ASSERT(Info->SizeOfHeaders <= FileSize);
    memset(Page, 0, PAGE_SIZE);
    PspCopyRange(File, 0, Info->SizeOfHeaders, 0, PageRva, Page);
    for (ULONG i = 0; i < Info->NumberOfSections; i++) {
        PIMAGE_SECTION_HEADER Sh = &Info->Sections[i];
        ULONG Raw = Sh->SizeOfRawData;

        /* Only VirtualSize bytes are mapped when the raw data is longer (§4.1). */
        if (Raw > PspSectionVirtualSize(Sh))
            Raw = PspSectionVirtualSize(Sh);
        PspCopyRange(File, Sh->VirtualAddress, Raw, Sh->PointerToRawData, PageRva, Page);
    }
}

ULONG PspSectionProtection(ULONG Characteristics)
{
    bool X = Characteristics & IMAGE_SCN_MEM_EXECUTE, R = Characteristics & IMAGE_SCN_MEM_READ;
    bool W = Characteristics & IMAGE_SCN_MEM_WRITE;

    if (W && (Characteristics & IMAGE_SCN_MEM_SHARED))
        return X ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    if (W)
        return X ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
    if (X)
        return R ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
    return R ? PAGE_READONLY : PAGE_NOACCESS;
}

ULONG PspImagePageProtection(PPSP_IMAGE_INFO Info, ULONG PageRva)
{
    ULONG Protect = PAGE_READONLY; /* the headers */

    /* Sections ascend; the last one starting at or below the page owns it. */
    for (ULONG i = 0; i < Info->NumberOfSections; i++) {
        if (Info->Sections[i].VirtualAddress > PageRva)
            break;
        Protect = PspSectionProtection(Info->Sections[i].Characteristics);
    }
    return Protect;
}

/* ---- access to a laid-out image -------------------------------------------------------- */

static NTSTATUS PspCopyImage(PPSP_IMAGE_VIEW View, ULONG Rva, void *Buffer, ULONG Length,
                             bool Write)
{
    UCHAR *Bytes = Buffer;

    if ((ULONGLONG)Rva + Length > View->Size)
        return STATUS_INVALID_IMAGE_FORMAT;
    while (Length != 0) {
        ULONG InPage = Rva % PAGE_SIZE, Chunk = PAGE_SIZE - InPage;
        UCHAR *Page = Write && View->WritablePageAddress
                          ? View->WritablePageAddress(View->Context, Rva - InPage)
                          : View->PageAddress(View->Context, Rva - InPage);

        if (Page == NULL)
            return STATUS_INVALID_IMAGE_FORMAT;
        if (Chunk > Length)
            Chunk = Length;
        if (Write)
            memcpy(Page + InPage, Bytes, Chunk);
        else
            memcpy(Bytes, Page + InPage, Chunk);
        Bytes += Chunk, Rva += Chunk, Length -= Chunk;
    }
    return STATUS_SUCCESS;
}

NTSTATUS PspReadImage(PPSP_IMAGE_VIEW View, ULONG Rva, void *Buffer, ULONG Length)
{
    return PspCopyImage(View, Rva, Buffer, Length, false);
}

NTSTATUS PspWriteImage(PPSP_IMAGE_VIEW View, ULONG Rva, const void *Buffer, ULONG Length)
{
    return PspCopyImage(View, Rva, (void *)Buffer, Length, true);
}

/* ---- base relocations ----------------------------------------------------------------- */

static NTSTATUS PspRelocateEntry(PPSP_IMAGE_VIEW View, ULONG PageRva, USHORT Entry, ULONGLONG Delta)
{
    ULONGLONG Target = (ULONGLONG)PageRva + (Entry & 0xfff);
    NTSTATUS Status = STATUS_SUCCESS;
    ULONGLONG Value64;
    ULONG Value32;

    if (Target > PSP_MAX_RVA)
        return STATUS_INVALID_IMAGE_FORMAT;
    switch (Entry >> 12) {
    case IMAGE_REL_BASED_ABSOLUTE:
        break;
    case IMAGE_REL_BASED_DIR64:
        Status = PspReadImage(View, (ULONG)Target, &Value64, sizeof(Value64));
        Value64 += Delta;
        if (NT_SUCCESS(Status))
            Status = PspWriteImage(View, (ULONG)Target, &Value64, sizeof(Value64));
        break;
    case IMAGE_REL_BASED_HIGHLOW:
        Status = PspReadImage(View, (ULONG)Target, &Value32, sizeof(Value32));
        Value32 += (ULONG)Delta;
        if (NT_SUCCESS(Status))
            Status = PspWriteImage(View, (ULONG)Target, &Value32, sizeof(Value32));
        break;
    default: /* HIGH, LOW and other machines' types never occur on x64 (§4.5) */
        Status = STATUS_INVALID_IMAGE_FORMAT;
        break;
    }
    return Status;
}

/* One block at Rva, SizeOfBlock bytes at most Left; returns its size in *Used. */
static NTSTATUS PspRelocateBlock(PPSP_IMAGE_VIEW View, ULONG Rva, ULONG Left, ULONGLONG Delta,
                                 ULONG *Used)
{
    IMAGE_BASE_RELOCATION Block;
    USHORT Entry;
    NTSTATUS Status;

    if (Left < sizeof(Block))
        return STATUS_INVALID_IMAGE_FORMAT;
    Status = PspReadImage(View, Rva, &Block, sizeof(Block));
    if (!NT_SUCCESS(Status))
        return Status;
    if (Block.SizeOfBlock < sizeof(Block) || Block.SizeOfBlock > Left || Block.SizeOfBlock % 2 ||
        Block.VirtualAddress >= View->Size)
        return STATUS_INVALID_IMAGE_FORMAT;
    for (ULONG Off = sizeof(Block); Off < Block.SizeOfBlock && NT_SUCCESS(Status); Off += 2) {
        Status = PspReadImage(View, Rva + Off, &Entry, sizeof(Entry));
        if (NT_SUCCESS(Status))
            Status = PspRelocateEntry(View, Block.VirtualAddress, Entry, Delta);
    }
    *Used = Block.SizeOfBlock;
    return Status;
}

NTSTATUS PspRelocateImage(PPSP_IMAGE_VIEW View, PPSP_IMAGE_INFO Info, ULONGLONG NewBase)
{
    PIMAGE_DATA_DIRECTORY Dir = &Info->Directories[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    ULONGLONG Delta = NewBase - Info->ImageBase;
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Used;

    if (Delta == 0)
        return STATUS_SUCCESS;
    if (Info->Characteristics & IMAGE_FILE_RELOCS_STRIPPED)
        return STATUS_CONFLICTING_ADDRESSES;
    /* No directory: nothing to fix, the image moves as it is (§4.1). */
    for (ULONG Off = 0; Off < Dir->Size && NT_SUCCESS(Status); Off += Used) {
        Status = PspRelocateBlock(View, Dir->VirtualAddress + Off, Dir->Size - Off, Delta, &Used);
    }
    return Status;
}

/* ---- exports ------------------------------------------------------------------------------- */

/* Compare Name with the NUL-terminated string at Rva: <0, 0, >0 as strcmp (bytes unsigned). */
static NTSTATUS PspCompareName(PPSP_IMAGE_VIEW View, ULONG Rva, const char *Name, int *Order)
{
    UCHAR c;
    NTSTATUS Status;

    for (SIZE_T i = 0;; i++) {
        if ((ULONGLONG)Rva + i > PSP_MAX_RVA)
            return STATUS_INVALID_IMAGE_FORMAT;
        Status = PspReadImage(View, (ULONG)(Rva + i), &c, 1);
        if (!NT_SUCCESS(Status))
            return Status;
        if ((UCHAR)Name[i] != c || c == 0) {
            *Order = (int)(UCHAR)Name[i] - (int)c;
            return STATUS_SUCCESS;
        }
    }
}

/* Binary search of the name table: the index of Name in the ordinal table. */
static NTSTATUS PspFindExportName(PPSP_IMAGE_VIEW View, PIMAGE_EXPORT_DIRECTORY Exp,
                                  const char *Name, USHORT *Index)
{
    ULONG Lo = 0, Hi = Exp->NumberOfNames, NameRva;
    int Order;
    NTSTATUS Status;

    while (Lo < Hi) {
        ULONG Mid = Lo + (Hi - Lo) / 2;

        Status = PspReadImage(View, Exp->AddressOfNames + Mid * 4, &NameRva, 4);
        if (NT_SUCCESS(Status))
            Status = PspCompareName(View, NameRva, Name, &Order);
        if (!NT_SUCCESS(Status))
            return Status;
        if (Order == 0)
            return PspReadImage(View, Exp->AddressOfNameOrdinals + Mid * 2, Index, 2);
        if (Order < 0)
            Hi = Mid;
        else
            Lo = Mid + 1;
    }
    return STATUS_PROCEDURE_NOT_FOUND;
}

NTSTATUS PspFindExport(PPSP_IMAGE_VIEW View, PPSP_IMAGE_INFO Info, const char *Name, ULONG *Rva)
{
    PIMAGE_DATA_DIRECTORY Dir = &Info->Directories[IMAGE_DIRECTORY_ENTRY_EXPORT];
    IMAGE_EXPORT_DIRECTORY Exp;
    USHORT Index;
    NTSTATUS Status;

    if (Dir->Size < sizeof(Exp))
        return STATUS_PROCEDURE_NOT_FOUND;
    Status = PspReadImage(View, Dir->VirtualAddress, &Exp, sizeof(Exp));
    if (!NT_SUCCESS(Status))
        goto out;
    /* The tables must fit the image; 32-bit products of the counts could wrap. */
    if ((ULONGLONG)Exp.NumberOfNames * 4 + Exp.AddressOfNames > View->Size ||
        (ULONGLONG)Exp.NumberOfNames * 2 + Exp.AddressOfNameOrdinals > View->Size ||
        (ULONGLONG)Exp.NumberOfFunctions * 4 + Exp.AddressOfFunctions > View->Size) {
        Status = STATUS_INVALID_IMAGE_FORMAT;
        goto out;
    }
    Status = PspFindExportName(View, &Exp, Name, &Index);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = Index < Exp.NumberOfFunctions
                 ? PspReadImage(View, Exp.AddressOfFunctions + Index * 4u, Rva, 4)
                 : STATUS_INVALID_IMAGE_FORMAT;
    if (!NT_SUCCESS(Status))
        goto out;
    /* A forwarder string lies inside the export directory (§4.4): no code here. */
    if (*Rva >= Dir->VirtualAddress && *Rva - Dir->VirtualAddress < Dir->Size)
        Status = STATUS_PROCEDURE_NOT_FOUND;
    else if (*Rva == 0 || *Rva >= Info->SizeOfImage)
        Status = STATUS_INVALID_IMAGE_FORMAT;
out:
    return Status;
}

void PspFillImageInformation(PPSP_IMAGE_INFO Info, const void *Headers, SIZE_T HeadersSize,
                             SIZE_T FileSize, SECTION_IMAGE_INFORMATION *Out)
{
    IMAGE_DOS_HEADER Dos;
    IMAGE_NT_HEADERS64 Nt = {0};

    /* PspParseImage checked e_lfanew against the file; copy only what the
     * given bytes hold. */
    memcpy(&Dos, Headers, sizeof(Dos));
    if (HeadersSize >= sizeof(Nt) && (SIZE_T)(ULONG)Dos.e_lfanew <= HeadersSize - sizeof(Nt))
        memcpy(&Nt, (const UCHAR *)Headers + Dos.e_lfanew, sizeof(Nt));
    *Out = (SECTION_IMAGE_INFORMATION){
        .TransferAddress =
            Info->EntryPointRva ? (PVOID)(ULONG_PTR)(Info->ImageBase + Info->EntryPointRva) : NULL,
        .MaximumStackSize = Info->StackReserve,
        .CommittedStackSize = Info->StackCommit,
        .SubSystemType = Info->Subsystem,
        .SubSystemMinorVersion = Info->SubsystemMinorVersion,
        .SubSystemMajorVersion = Info->SubsystemMajorVersion,
        .MajorOperatingSystemVersion = Nt.OptionalHeader.MajorOperatingSystemVersion,
        .MinorOperatingSystemVersion = Nt.OptionalHeader.MinorOperatingSystemVersion,
        .ImageCharacteristics = Info->Characteristics,
        .DllCharacteristics = Info->DllCharacteristics,
        .Machine = Nt.FileHeader.Machine,
        .LoaderFlags = Nt.OptionalHeader.LoaderFlags,
        .ImageFileSize = (ULONG)FileSize,
        .CheckSum = Nt.OptionalHeader.CheckSum,
    };
    for (ULONG i = 0; i < Info->NumberOfSections; i++)
        if (Info->Sections[i].Characteristics & (IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE))
            Out->ImageContainsCode = TRUE;
}
