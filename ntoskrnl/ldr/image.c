/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldr/image.c: bounds-checked access to the mapped driver image and its
 * section protections. ntos checked the file when it made the image
 * section; the runtime checks again what it reads, because a mapped view
 * is only as sound as the checks of the side that made it.
 */

#include "ldrp.h"

PVOID LdrpImageArray(const LDRP_IMAGE *Image, ULONG Rva, SIZE_T Count, SIZE_T Element)
{
    if (Element != 0 && Count > Image->Size / Element)
        return NULL;
    if (Rva > Image->Size || Count * Element > Image->Size - Rva)
        return NULL;
    return Image->Base + Rva;
}

PCSTR LdrpImageString(const LDRP_IMAGE *Image, ULONG Rva)
{
    SIZE_T Index;

    if (Rva >= Image->Size)
        return NULL;
    for (Index = Rva; Index < Image->Size; Index++)
        if (Image->Base[Index] == 0)
            return (PCSTR)Image->Base + Rva;
    return NULL;
}

NTSTATUS LdrpCheckImage(LDRP_IMAGE *Image)
{
    PIMAGE_DOS_HEADER Dos = LdrpImageArray(Image, 0, 1, sizeof(IMAGE_DOS_HEADER));
    PIMAGE_NT_HEADERS64 Nt;

    if (Dos == NULL || Dos->e_magic != IMAGE_DOS_SIGNATURE || Dos->e_lfanew < 0)
        return STATUS_INVALID_IMAGE_FORMAT;
    Nt = LdrpImageArray(Image, (ULONG)Dos->e_lfanew, 1, sizeof(IMAGE_NT_HEADERS64));
    if (Nt == NULL || Nt->Signature != IMAGE_NT_SIGNATURE ||
        Nt->FileHeader.Machine != IMAGE_FILE_MACHINE_AMD64 ||
        Nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC ||
        Nt->OptionalHeader.SizeOfImage > Image->Size ||
        Nt->OptionalHeader.AddressOfEntryPoint == 0 ||
        Nt->OptionalHeader.AddressOfEntryPoint >= Nt->OptionalHeader.SizeOfImage)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (LdrpImageArray(Image,
                       (ULONG)Dos->e_lfanew + FIELD_OFFSET(IMAGE_NT_HEADERS64, OptionalHeader) +
                           Nt->FileHeader.SizeOfOptionalHeader,
                       Nt->FileHeader.NumberOfSections, sizeof(IMAGE_SECTION_HEADER)) == NULL)
        return STATUS_INVALID_IMAGE_FORMAT;
    Image->Headers = Nt;
    return STATUS_SUCCESS;
}

/* The page protection of a section's characteristics, as NT gives it. */
static ULONG LdrpSectionProtection(ULONG Characteristics)
{
    static const ULONG Protections[8] = {
        PAGE_NOACCESS,  PAGE_EXECUTE,           PAGE_READONLY,  PAGE_EXECUTE_READ,
        PAGE_WRITECOPY, PAGE_EXECUTE_WRITECOPY, PAGE_WRITECOPY, PAGE_EXECUTE_WRITECOPY,
    };
    ULONG Index = 0;

    if (Characteristics & IMAGE_SCN_MEM_EXECUTE)
        Index |= 1;
    if (Characteristics & IMAGE_SCN_MEM_READ)
        Index |= 2;
    if (Characteristics & IMAGE_SCN_MEM_WRITE)
        Index |= 4;
    return Protections[Index];
}

NTSTATUS LdrpProtectSections(const LDRP_IMAGE *Image)
{
    PIMAGE_NT_HEADERS64 Nt = Image->Headers;
    PIMAGE_SECTION_HEADER Section = IMAGE_FIRST_SECTION(Nt);
    ULONG Index, Old;
    NTSTATUS Status;

    for (Index = 0; Index < Nt->FileHeader.NumberOfSections; Index++, Section++) {
        ULONG Length =
            Section->Misc.VirtualSize ? Section->Misc.VirtualSize : Section->SizeOfRawData;
        PVOID Base = Image->Base + Section->VirtualAddress;
        SIZE_T Size = Length;

        if (Length == 0 || Section->VirtualAddress >= Image->Size ||
            Length > Image->Size - Section->VirtualAddress)
            continue; /* nothing mapped for it (ntos refused images where it matters) */
        Status = NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size,
                                        LdrpSectionProtection(Section->Characteristics), &Old);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    return STATUS_SUCCESS;
}

/* The ddk's inline KeQuerySystemTime & co. read KUSER_SHARED_DATA at its
 * kernel address, which no user process can map: krnlrt rewrites those
 * references in every executable section (writable for the patch; the
 * copy-on-write view makes the patched pages private; LdrpProtectSections
 * restores the protections). */
NTSTATUS LdrpPatchSharedData(const LDRP_IMAGE *Image)
{
    PIMAGE_NT_HEADERS64 Nt = Image->Headers;
    PIMAGE_SECTION_HEADER Section = IMAGE_FIRST_SECTION(Nt);
    ULONG Index, Old;
    NTSTATUS Status;

    for (Index = 0; Index < Nt->FileHeader.NumberOfSections; Index++, Section++) {
        ULONG Length =
            Section->Misc.VirtualSize ? Section->Misc.VirtualSize : Section->SizeOfRawData;
        PVOID Base = Image->Base + Section->VirtualAddress;
        SIZE_T Size = Length;

        if (!(Section->Characteristics & IMAGE_SCN_MEM_EXECUTE) || Length == 0 ||
            Section->VirtualAddress >= Image->Size ||
            Length > Image->Size - Section->VirtualAddress)
            continue;
        Status = NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, PAGE_READWRITE, &Old);
        if (!NT_SUCCESS(Status))
            return Status;
        KiPatchSharedUserData(Image->Base + Section->VirtualAddress, Length);
    }
    return STATUS_SUCCESS;
}
