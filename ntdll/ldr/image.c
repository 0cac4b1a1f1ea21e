/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading PE images in memory: the exported header helpers
 * (RtlImageNtHeader, RtlImageNtHeaderEx, RtlImageDirectoryEntryToData,
 * RtlImageRvaToSection, RtlImageRvaToVa) and
 * the loader's bounds-checked accessors, which refuse any RVA, size or
 * string that leaves the mapped image (SizeOfImage) so that a corrupt table
 * gives STATUS_INVALID_IMAGE_FORMAT rather than a fault.
 */
#include "ldrp.h"

#define RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK 0x00000001

NTSTATUS NTAPI RtlImageNtHeaderEx(ULONG Flags, PVOID Base, ULONG64 Size,
                                  PIMAGE_NT_HEADERS64 *OutHeaders)
{
    BOOLEAN RangeCheck = !(Flags & RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK);
    PIMAGE_DOS_HEADER Dos = Base;
    PIMAGE_NT_HEADERS64 Nt;
    ULONG Offset;

    if (OutHeaders)
        *OutHeaders = NULL;
    if (!Base || Base == (PVOID)-1 || !OutHeaders ||
        (Flags & ~RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK))
        return STATUS_INVALID_PARAMETER;
    if (RangeCheck && Size < sizeof(IMAGE_DOS_HEADER))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Dos->e_magic != IMAGE_DOS_SIGNATURE)
        return STATUS_INVALID_IMAGE_FORMAT;
    Offset = (ULONG)Dos->e_lfanew;
    /* Windows refuses headers placed 256 MiB or more into the file. Nereid
     * also wants them 8-byte aligned, as every linker writes them (the
     * structure has 64-bit fields); a misaligned e_lfanew is refused. */
    if (Offset >= 0x10000000 || Offset % 8 ||
        (RangeCheck && (ULONG64)Offset + sizeof(IMAGE_NT_HEADERS64) > Size))
        return STATUS_INVALID_IMAGE_FORMAT;
    Nt = (PIMAGE_NT_HEADERS64)((PUCHAR)Base + Offset);
    if (Nt->Signature != IMAGE_NT_SIGNATURE)
        return STATUS_INVALID_IMAGE_FORMAT;
    *OutHeaders = Nt;
    return STATUS_SUCCESS;
}

PIMAGE_NT_HEADERS64 NTAPI RtlImageNtHeader(PVOID Base)
{
    PIMAGE_NT_HEADERS64 Nt;

    if (!NT_SUCCESS(RtlImageNtHeaderEx(RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK, Base, 0, &Nt)))
        return NULL;
    return Nt;
}

PIMAGE_SECTION_HEADER NTAPI RtlImageRvaToSection(PIMAGE_NT_HEADERS64 Nt, PVOID Base, ULONG Rva)
{
    PIMAGE_SECTION_HEADER Section = IMAGE_FIRST_SECTION(Nt);

    (void)Base;
    for (ULONG i = 0; i < Nt->FileHeader.NumberOfSections; i++, Section++) {
        if (Rva >= Section->VirtualAddress &&
            Rva - Section->VirtualAddress < Section->SizeOfRawData)
            return Section;
    }
    return NULL;
}

/* For an image read as a file: where the byte at Rva lies in it. */
PVOID NTAPI RtlImageRvaToVa(PIMAGE_NT_HEADERS64 Nt, PVOID Base, ULONG Rva,
                            PIMAGE_SECTION_HEADER *LastRvaSection)
{
    PIMAGE_SECTION_HEADER Section = LastRvaSection ? *LastRvaSection : NULL;

    if (!Section || Rva < Section->VirtualAddress ||
        Rva - Section->VirtualAddress >= Section->SizeOfRawData) {
        Section = RtlImageRvaToSection(Nt, Base, Rva);
        if (!Section)
            return NULL;
        if (LastRvaSection)
            *LastRvaSection = Section;
    }
    return (PUCHAR)Base + Section->PointerToRawData + (Rva - Section->VirtualAddress);
}

PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT Directory,
                                         PULONG Size)
{
    PIMAGE_NT_HEADERS64 Nt = RtlImageNtHeader(Base);
    PIMAGE_DATA_DIRECTORY Entry;

    if (!Nt || Nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC ||
        Directory >= Nt->OptionalHeader.NumberOfRvaAndSizes ||
        Directory >= IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        return NULL;
    Entry = &Nt->OptionalHeader.DataDirectory[Directory];
    if (!Entry->VirtualAddress)
        return NULL;
    if (Size)
        *Size = Entry->Size;
    if (MappedAsImage || Entry->VirtualAddress < Nt->OptionalHeader.SizeOfHeaders)
        return (PUCHAR)Base + Entry->VirtualAddress;
    return RtlImageRvaToVa(Nt, Base, Entry->VirtualAddress, NULL);
}

PVOID LdrpImageRange(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva, SIZE_T Length)
{
    if (Rva > Module->SizeOfImage || Length > Module->SizeOfImage - Rva)
        return NULL;
    return (PUCHAR)Module->DllBase + Rva;
}

PVOID LdrpImageArray(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva, SIZE_T Count, SIZE_T Size)
{
    SIZE_T Alignment = Size & (0 - Size); /* the lowest set bit, at most 8 */

    if (Alignment > 8)
        Alignment = 8;
    if (Rva % Alignment || (Count && Size > ~(SIZE_T)0 / Count))
        return NULL;
    return LdrpImageRange(Module, Rva, Count * Size);
}

PCSTR LdrpImageString(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva)
{
    PCSTR String = LdrpImageRange(Module, Rva, 1);
    SIZE_T Room;

    if (!String)
        return NULL;
    Room = Module->SizeOfImage - Rva;
    for (SIZE_T i = 0; i < Room; i++) {
        if (!String[i])
            return String;
    }
    return NULL;
}

PIMAGE_SECTION_HEADER LdrpImageSection(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva)
{
    PIMAGE_NT_HEADERS64 Nt;
    PIMAGE_SECTION_HEADER Sections;
    ULONG Count;

    if (!NT_SUCCESS(RtlImageNtHeaderEx(0, Module->DllBase, Module->SizeOfImage, &Nt)))
        return NULL;
    Count = Nt->FileHeader.NumberOfSections;
    Sections =
        LdrpImageArray(Module, (ULONG)((PUCHAR)IMAGE_FIRST_SECTION(Nt) - (PUCHAR)Module->DllBase),
                       Count, sizeof(IMAGE_SECTION_HEADER));
    for (ULONG i = 0; Sections && i < Count; i++) {
        ULONG Size =
            Sections[i].Misc.VirtualSize ? Sections[i].Misc.VirtualSize : Sections[i].SizeOfRawData;
        if (Rva >= Sections[i].VirtualAddress && Rva - Sections[i].VirtualAddress < Size)
            return &Sections[i];
    }
    return NULL;
}

NTSTATUS LdrpImageDirectory(PLDR_DATA_TABLE_ENTRY Module, ULONG Index, PVOID *Data, PULONG Rva,
                            PULONG Size)
{
    PIMAGE_NT_HEADERS64 Nt;
    PIMAGE_DATA_DIRECTORY Entry;

    *Data = NULL;
    *Rva = *Size = 0;
    if (!NT_SUCCESS(RtlImageNtHeaderEx(0, Module->DllBase, Module->SizeOfImage, &Nt)))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Index >= Nt->OptionalHeader.NumberOfRvaAndSizes)
        return STATUS_SUCCESS;
    Entry = &Nt->OptionalHeader.DataDirectory[Index];
    if (!Entry->VirtualAddress || !Entry->Size)
        return STATUS_SUCCESS;
    *Data = Entry->VirtualAddress % 4 ? NULL
                                      : LdrpImageRange(Module, Entry->VirtualAddress, Entry->Size);
    if (!*Data)
        return STATUS_INVALID_IMAGE_FORMAT;
    *Rva = Entry->VirtualAddress;
    *Size = Entry->Size;
    return STATUS_SUCCESS;
}
