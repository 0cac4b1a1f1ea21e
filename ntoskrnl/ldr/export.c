/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldr/export.c: the runtime's own export table, which a driver's imports
 * of ntoskrnl.exe and hal.dll bind to. The runtime is the process's main
 * image (PEB.ImageBaseAddress); its exports are the definitions marked
 * NTKRNL_EXPORT plus forwarders "ntdll.Name" (ntoskrnl/build.mk), which
 * resolve through ntdll's loader. Lookup by name tries the import's hint
 * first, then a binary search of the sorted name table.
 */

#include "ldrp.h"

static LDRP_IMAGE LdrpRuntime;
static PIMAGE_EXPORT_DIRECTORY LdrpExports;
static ULONG LdrpExportsRva, LdrpExportsSize;

/* The runtime's export directory, checked once. */
static NTSTATUS LdrpRuntimeExports(VOID)
{
    PIMAGE_DATA_DIRECTORY Directory;
    PIMAGE_EXPORT_DIRECTORY Exports;
    NTSTATUS Status;

    if (LdrpExports != NULL)
        return STATUS_SUCCESS;
    LdrpRuntime.Base = *(PUCHAR *)((PUCHAR)KrnlCurrentPeb() + KRNL_PEB_IMAGE_BASE_ADDRESS);
    LdrpRuntime.Size = MAXULONG; /* bounded by SizeOfImage once the headers are read */
    Status = LdrpCheckImage(&LdrpRuntime);
    if (!NT_SUCCESS(Status))
        return Status;
    LdrpRuntime.Size = LdrpRuntime.Headers->OptionalHeader.SizeOfImage;
    Directory = &LdrpRuntime.Headers->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    Exports = LdrpImageArray(&LdrpRuntime, Directory->VirtualAddress, 1, sizeof(*Exports));
    if (Exports == NULL ||
        !LdrpImageArray(&LdrpRuntime, Exports->AddressOfFunctions, Exports->NumberOfFunctions,
                        sizeof(ULONG)) ||
        !LdrpImageArray(&LdrpRuntime, Exports->AddressOfNames, Exports->NumberOfNames,
                        sizeof(ULONG)) ||
        !LdrpImageArray(&LdrpRuntime, Exports->AddressOfNameOrdinals, Exports->NumberOfNames,
                        sizeof(USHORT)))
        return STATUS_INVALID_IMAGE_FORMAT;
    LdrpExportsRva = Directory->VirtualAddress;
    LdrpExportsSize = Directory->Size;
    LdrpExports = Exports;
    return STATUS_SUCCESS;
}

/* "ntdll.RtlInitUnicodeString": the DLL's export through ntdll's loader. */
static NTSTATUS LdrpFollowForwarder(PCSTR Forwarder, PVOID *Address)
{
    WCHAR DllName[64];
    UNICODE_STRING Dll;
    ANSI_STRING Name;
    PVOID Base;
    ULONG Index;
    NTSTATUS Status;

    for (Index = 0; Forwarder[Index] != '.'; Index++)
        if (Forwarder[Index] == 0 || Index + 5 >= ARRAYSIZE(DllName))
            return STATUS_INVALID_IMAGE_FORMAT;
        else
            DllName[Index] = (UCHAR)Forwarder[Index];
    RtlCopyMemory(&DllName[Index], L".dll", 5 * sizeof(WCHAR));
    RtlInitUnicodeString(&Dll, DllName);
    Status = LdrLoadDll(NULL, NULL, &Dll, &Base);
    if (!NT_SUCCESS(Status))
        return Status;
    RtlInitAnsiString(&Name, Forwarder + Index + 1);
    if (Name.Length != 0 && Name.Buffer[0] == '#')
        return STATUS_INVALID_IMAGE_FORMAT; /* forwarders by ordinal: the runtime has none */
    return LdrGetProcedureAddress(Base, &Name, 0, Address);
}

/* The function of export table index Index (from the ordinal table). */
static NTSTATUS LdrpExportAddress(ULONG Index, PVOID *Address)
{
    PULONG Functions = (PULONG)(LdrpRuntime.Base + LdrpExports->AddressOfFunctions);
    ULONG Rva;
    PCSTR Forwarder;

    if (Index >= LdrpExports->NumberOfFunctions || Functions[Index] == 0)
        return STATUS_DRIVER_ORDINAL_NOT_FOUND;
    Rva = Functions[Index];
    if (Rva >= LdrpExportsRva && Rva - LdrpExportsRva < LdrpExportsSize) {
        Forwarder = LdrpImageString(&LdrpRuntime, Rva);
        return Forwarder != NULL ? LdrpFollowForwarder(Forwarder, Address)
                                 : STATUS_INVALID_IMAGE_FORMAT;
    }
    *Address = LdrpRuntime.Base + Rva;
    return STATUS_SUCCESS;
}

static int LdrpCompareName(ULONG NameIndex, PCSTR Name)
{
    PULONG Names = (PULONG)(LdrpRuntime.Base + LdrpExports->AddressOfNames);
    PCSTR Candidate = LdrpImageString(&LdrpRuntime, Names[NameIndex]);

    return Candidate != NULL ? strcmp(Candidate, Name) : -1;
}

NTSTATUS LdrpFindRuntimeExport(PCSTR Name, USHORT Hint, ULONG Ordinal, PVOID *Address)
{
    PUSHORT Ordinals;
    LONG Low, High, Middle;
    int Order;
    NTSTATUS Status = LdrpRuntimeExports();

    if (!NT_SUCCESS(Status))
        return Status;
    if (Name == NULL) {
        if (Ordinal < LdrpExports->Base)
            return STATUS_DRIVER_ORDINAL_NOT_FOUND;
        return LdrpExportAddress(Ordinal - LdrpExports->Base, Address);
    }
    Ordinals = (PUSHORT)(LdrpRuntime.Base + LdrpExports->AddressOfNameOrdinals);
    if (Hint < LdrpExports->NumberOfNames && LdrpCompareName(Hint, Name) == 0)
        return LdrpExportAddress(Ordinals[Hint], Address);
    Low = 0;
    High = (LONG)LdrpExports->NumberOfNames - 1;
    while (Low <= High) {
        Middle = Low + (High - Low) / 2;
        Order = LdrpCompareName((ULONG)Middle, Name);
        if (Order == 0)
            return LdrpExportAddress(Ordinals[Middle], Address);
        if (Order < 0)
            Low = Middle + 1;
        else
            High = Middle - 1;
    }
    return STATUS_DRIVER_ENTRYPOINT_NOT_FOUND;
}
