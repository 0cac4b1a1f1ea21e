/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Import snapping (nt-abi §4.3): for each import descriptor of a module,
 * find the named DLL among the loaded modules and fill the IAT slot of
 * every lookup-table entry, by ordinal (bit 63) or by name with a hint.
 * Descriptors, names and thunk arrays are bounds-checked against the image.
 * An IAT in a read-only section (MSVC puts it in .rdata) is made writable
 * with NtProtectVirtualMemory for the snap and protected again after.
 * A DLL that is not loaded yet is loaded (dll.c) and the importer keeps a
 * reference on it. FIXME: bound imports; an image without an IAT
 * directory is assumed to keep its IATs writable.
 */
#include "ldrp.h"

/* Resolve one lookup-table entry into *Slot. */
static NTSTATUS LdrpSnapThunk(PLDR_DATA_TABLE_ENTRY Module, PLDR_DATA_TABLE_ENTRY Target,
                              ULONGLONG Lookup, PCSTR DllName, PULONGLONG Slot)
{
    PIMAGE_IMPORT_BY_NAME ByName;
    PVOID Address = NULL;
    NTSTATUS Status;

    if (Lookup & IMAGE_ORDINAL_FLAG64) {
        Status = LdrpGetExportByOrdinal(Target, IMAGE_ORDINAL64(Lookup), 0, &Address);
        if (!NT_SUCCESS(Status))
            DbgPrint("LDR: %wZ: ordinal %u of %s not found (0x%08x)\n", &Module->BaseDllName,
                     (ULONG)IMAGE_ORDINAL64(Lookup), DllName, Status);
    } else {
        ByName = LdrpImageArray(Module, (ULONG)(Lookup & 0x7fffffff), 1, sizeof(USHORT));
        if (!ByName || (Lookup >> 31) || !LdrpImageString(Module, (ULONG)(Lookup & 0x7fffffff) + 2))
            return STATUS_INVALID_IMAGE_FORMAT;
        Status = LdrpGetExportByName(Target, ByName->Name, ByName->Hint, 0, &Address);
        if (!NT_SUCCESS(Status))
            DbgPrint("LDR: %wZ: %s!%s not found (0x%08x)\n", &Module->BaseDllName, DllName,
                     ByName->Name, Status);
    }
    if (NT_SUCCESS(Status))
        *Slot = (ULONGLONG)(ULONG_PTR)Address;
    return Status;
}

/* The module an import descriptor names: loaded (or found) with a
 * reference that Module keeps. */
static NTSTATUS LdrpImportTarget(PLDR_DATA_TABLE_ENTRY Module, PCSTR DllName,
                                 PLDR_DATA_TABLE_ENTRY *Target)
{
    WCHAR Name[256];
    SIZE_T Length = strlen(DllName), Index;
    NTSTATUS Status;

    *Target = LdrpFindModuleByName(DllName, Length, FALSE);
    if (*Target && (!((*Target)->Flags & LDRP_IMAGE_DLL) || (*Target)->ObsoleteLoadCount == 0xffff))
        return STATUS_SUCCESS; /* the program or a pinned DLL: nothing to count */
    if (Length >= ARRAYSIZE(Name))
        return STATUS_NAME_TOO_LONG;
    for (Index = 0; Index < Length; Index++)
        Name[Index] = (UCHAR)DllName[Index];
    Status = LdrpLoadDll(Name, Length, Target);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: %wZ needs %s, which cannot be loaded (0x%08x)\n", &Module->BaseDllName,
                 DllName, Status);
        return Status == STATUS_OBJECT_NAME_NOT_FOUND ? STATUS_DLL_NOT_FOUND : Status;
    }
    if ((*Target)->ObsoleteLoadCount != 0xffff && !((*Target)->Flags & LDRP_LOAD_IN_PROGRESS)) {
        Status = LdrpAddDependency(Module, *Target);
        if (!NT_SUCCESS(Status))
            LdrpDereferenceModule(*Target);
    }
    return Status;
}

static NTSTATUS LdrpSnapDescriptor(PLDR_DATA_TABLE_ENTRY Module,
                                   PIMAGE_IMPORT_DESCRIPTOR Descriptor)
{
    PLDR_DATA_TABLE_ENTRY Target;
    PULONGLONG Lookup, Iat;
    ULONG LookupRva;
    PCSTR DllName;
    NTSTATUS Status;

    DllName = LdrpImageString(Module, Descriptor->Name);
    if (!DllName)
        return STATUS_INVALID_IMAGE_FORMAT;
    Status = LdrpImportTarget(Module, DllName, &Target);
    if (!NT_SUCCESS(Status))
        return Status;
    LookupRva =
        Descriptor->OriginalFirstThunk ? Descriptor->OriginalFirstThunk : Descriptor->FirstThunk;
    for (ULONG i = 0;; i++) {
        Lookup = LdrpImageArray(Module, LookupRva + i * 8, 1, 8);
        Iat = LdrpImageArray(Module, Descriptor->FirstThunk + i * 8, 1, 8);
        if (!Lookup || !Iat || LookupRva + i * 8 < LookupRva)
            return STATUS_INVALID_IMAGE_FORMAT;
        if (*Lookup == 0)
            return STATUS_SUCCESS;
        Status = LdrpSnapThunk(Module, Target, *Lookup, DllName, Iat);
        if (!NT_SUCCESS(Status))
            return Status;
    }
}

static NTSTATUS LdrpSnapDescriptors(PLDR_DATA_TABLE_ENTRY Module)
{
    PIMAGE_IMPORT_DESCRIPTOR Descriptor;
    ULONG Rva, Size, Count;
    NTSTATUS Status;

    Status =
        LdrpImageDirectory(Module, IMAGE_DIRECTORY_ENTRY_IMPORT, (PVOID *)&Descriptor, &Rva, &Size);
    if (!NT_SUCCESS(Status) || !Descriptor)
        return Status;
    /* The array ends with an all-zero descriptor; Size only bounds it (a
     * directory without its terminator: trust only what it declared). */
    Count = Size / sizeof(*Descriptor);
    for (ULONG i = 0; i < Count; i++, Descriptor++) {
        if (!Descriptor->Name && !Descriptor->FirstThunk)
            return STATUS_SUCCESS;
        Status = LdrpSnapDescriptor(Module, Descriptor);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    return STATUS_SUCCESS;
}

/* When the IAT directory lies in a section that is not writable, make it
 * writable. Base, Size and OldProtect receive what to restore (Size 0:
 * nothing was changed). */
static NTSTATUS LdrpUnprotectIat(PLDR_DATA_TABLE_ENTRY Module, PVOID *Base, SIZE_T *Size,
                                 ULONG *OldProtect)
{
    PIMAGE_SECTION_HEADER Section;
    PVOID Iat;
    ULONG Rva, IatSize;
    NTSTATUS Status;

    *Size = 0;
    Status = LdrpImageDirectory(Module, IMAGE_DIRECTORY_ENTRY_IAT, &Iat, &Rva, &IatSize);
    if (!NT_SUCCESS(Status) || !Iat)
        return Status;
    Section = LdrpImageSection(Module, Rva);
    if (!Section)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Section->Characteristics & IMAGE_SCN_MEM_WRITE)
        return STATUS_SUCCESS;
    *Base = Iat;
    *Size = IatSize;
    Status = NtProtectVirtualMemory(NtCurrentProcess(), Base, Size, PAGE_READWRITE, OldProtect);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: %wZ: cannot make its IAT writable (0x%08x)\n", &Module->BaseDllName, Status);
        *Size = 0;
    }
    return Status;
}

NTSTATUS LdrpSnapModule(PLDR_DATA_TABLE_ENTRY Module)
{
    PVOID IatBase = NULL;
    SIZE_T IatSize = 0;
    ULONG OldProtect = 0, Ignored;
    NTSTATUS Status;

    Status = LdrpUnprotectIat(Module, &IatBase, &IatSize, &OldProtect);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = LdrpSnapDescriptors(Module);
    if (IatSize)
        NtProtectVirtualMemory(NtCurrentProcess(), &IatBase, &IatSize, OldProtect, &Ignored);
    return Status;
}
