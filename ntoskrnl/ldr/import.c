/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldr/import.c: binding the driver's imports. ntoskrnl.exe and hal.dll
 * are the runtime itself (export.c): the driver gets the runtime's
 * routines, or ntdll's through the runtime's forwarders. Any other DLL
 * (a kernel-mode DLL the driver links with) is loaded by ntdll's loader
 * (LdrLoadDll) and its exports found with LdrGetProcedureAddress. The
 * first import that does not resolve fails the load and is named on the
 * debug output; as in Windows the load then fails with
 * STATUS_DRIVER_ENTRYPOINT_NOT_FOUND (a name) or
 * STATUS_DRIVER_ORDINAL_NOT_FOUND (an ordinal), whichever DLL it was
 * missing from. A DLL that cannot be loaded gives LdrLoadDll's status; a
 * lookup table that leaves the image INVALID_IMAGE_FORMAT.
 *
 * FIXME: bound imports and delay-load imports are ignored (drivers built by
 * mingw-w64 have neither).
 */

#include "ldrp.h"

/* Is DllName one of the names the runtime answers for? */
static BOOLEAN LdrpIsRuntimeDll(PCSTR DllName)
{
    static const PCSTR Names[] = {"ntoskrnl.exe", "hal.dll", "ntkrnlpa.exe", "ntkrnlmp.exe"};
    ULONG Index;

    for (Index = 0; Index < ARRAYSIZE(Names); Index++)
        if (_stricmp(DllName, Names[Index]) == 0)
            return TRUE;
    return FALSE;
}

/* A DLL other than the runtime: ntdll's loader maps it (and its imports). */
static NTSTATUS LdrpLoadImportDll(PCSTR DllName, PVOID *Base)
{
    ANSI_STRING Ansi;
    UNICODE_STRING Name;
    NTSTATUS Status;

    RtlInitAnsiString(&Ansi, DllName);
    Status = RtlAnsiStringToUnicodeString(&Name, &Ansi, TRUE);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = LdrLoadDll(NULL, NULL, &Name, Base);
    RtlFreeUnicodeString(&Name);
    if (!NT_SUCCESS(Status))
        DbgPrint("the driver needs %s, which cannot be loaded (0x%08lx)\n", DllName, (ULONG)Status);
    return Status;
}

/* Resolve one lookup-table entry of DllName (Dll: its base, NULL for the
 * runtime). */
static NTSTATUS LdrpResolveImport(const LDRP_IMAGE *Image, PCSTR DllName, PVOID Dll,
                                  ULONGLONG Lookup, PVOID *Address)
{
    PIMAGE_IMPORT_BY_NAME ByName;
    ANSI_STRING Name;
    NTSTATUS Status;
    ULONG Ordinal;

    if (Lookup & IMAGE_ORDINAL_FLAG64) {
        Ordinal = (ULONG)IMAGE_ORDINAL64(Lookup);
        Status = Dll == NULL ? LdrpFindRuntimeExport(NULL, 0, Ordinal, Address)
                             : LdrGetProcedureAddress(Dll, NULL, Ordinal, Address);
        if (!NT_SUCCESS(Status)) {
            DbgPrint("import %s!#%lu not found (0x%08lx)\n", DllName, Ordinal, (ULONG)Status);
            Status = STATUS_DRIVER_ORDINAL_NOT_FOUND;
        }
        return Status;
    }
    if (Lookup >> 31)
        return STATUS_INVALID_IMAGE_FORMAT;
    ByName = LdrpImageArray(Image, (ULONG)Lookup, 1, sizeof(IMAGE_IMPORT_BY_NAME));
    if (ByName == NULL || LdrpImageString(Image, (ULONG)Lookup + 2) == NULL)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Dll == NULL) {
        Status = LdrpFindRuntimeExport((PCSTR)ByName->Name, ByName->Hint, 0, Address);
    } else {
        RtlInitAnsiString(&Name, (PCSTR)ByName->Name);
        Status = LdrGetProcedureAddress(Dll, &Name, 0, Address);
    }
    if (!NT_SUCCESS(Status)) {
        DbgPrint("import %s!%s not found (0x%08lx)\n", DllName, ByName->Name, (ULONG)Status);
        Status = STATUS_DRIVER_ENTRYPOINT_NOT_FOUND;
    }
    return Status;
}

/* The IAT of one descriptor may lie in a read-only section (MSVC puts it
 * in .rdata): writable for the binding; LdrpProtectSections restores the
 * image's protections afterwards. */
static NTSTATUS LdrpMakeWritable(PVOID Address, SIZE_T Size)
{
    ULONG Old;

    return NtProtectVirtualMemory(NtCurrentProcess(), &Address, &Size, PAGE_READWRITE, &Old);
}

static ULONG LdrpThunkCount(const LDRP_IMAGE *Image, ULONG Rva)
{
    PULONGLONG Thunk;
    ULONG Count = 0;

    for (;;) {
        Thunk = LdrpImageArray(Image, Rva + Count * sizeof(ULONGLONG), 1, sizeof(ULONGLONG));
        if (Thunk == NULL)
            return MAXULONG;
        if (*Thunk == 0)
            return Count;
        Count++;
    }
}

static NTSTATUS LdrpBindDescriptor(const LDRP_IMAGE *Image, PIMAGE_IMPORT_DESCRIPTOR Descriptor)
{
    ULONG LookupRva =
        Descriptor->OriginalFirstThunk ? Descriptor->OriginalFirstThunk : Descriptor->FirstThunk;
    PCSTR DllName = LdrpImageString(Image, Descriptor->Name);
    ULONG Count = LdrpThunkCount(Image, LookupRva), Index;
    PULONGLONG Lookup, Iat;
    PVOID Dll = NULL, Address;
    NTSTATUS Status;

    if (DllName == NULL || Count == MAXULONG)
        return STATUS_INVALID_IMAGE_FORMAT;
    Lookup = LdrpImageArray(Image, LookupRva, Count, sizeof(ULONGLONG));
    Iat = LdrpImageArray(Image, Descriptor->FirstThunk, Count, sizeof(ULONGLONG));
    if (Lookup == NULL || Iat == NULL)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (!LdrpIsRuntimeDll(DllName)) {
        Status = LdrpLoadImportDll(DllName, &Dll);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = LdrpMakeWritable(Iat, Count * sizeof(ULONGLONG));
    if (!NT_SUCCESS(Status))
        return Status;
    for (Index = 0; Index < Count; Index++) {
        Status = LdrpResolveImport(Image, DllName, Dll, Lookup[Index], &Address);
        if (!NT_SUCCESS(Status))
            return Status;
        Iat[Index] = (ULONGLONG)(ULONG_PTR)Address;
    }
    return STATUS_SUCCESS;
}

NTSTATUS LdrpBindImports(const LDRP_IMAGE *Image)
{
    PIMAGE_DATA_DIRECTORY Directory;
    PIMAGE_IMPORT_DESCRIPTOR Descriptor;
    ULONG Rva;
    NTSTATUS Status;

    if (Image->Headers->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_IMPORT)
        return STATUS_SUCCESS;
    Directory = &Image->Headers->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (Directory->VirtualAddress == 0 || Directory->Size == 0)
        return STATUS_SUCCESS;
    for (Rva = Directory->VirtualAddress;; Rva += sizeof(IMAGE_IMPORT_DESCRIPTOR)) {
        Descriptor = LdrpImageArray(Image, Rva, 1, sizeof(IMAGE_IMPORT_DESCRIPTOR));
        if (Descriptor == NULL)
            return STATUS_INVALID_IMAGE_FORMAT;
        if (Descriptor->Name == 0 && Descriptor->FirstThunk == 0)
            return STATUS_SUCCESS;
        Status = LdrpBindDescriptor(Image, Descriptor);
        if (!NT_SUCCESS(Status))
            return Status;
    }
}
