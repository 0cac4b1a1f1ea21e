/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Export lookup (nt-abi §4.4): by name (the import's hint is tried first,
 * then a binary search of the sorted name table, byte-wise and
 * case-sensitive), by ordinal, and through forwarders ("Module.Name" or
 * "Module.#Ordinal") into other loaded modules, with a depth limit against
 * loops. LdrGetProcedureAddress is the exported form.
 */
#include "ldrp.h"

/* A module's export tables, each checked to lie inside the image. */
typedef struct _LDRP_EXPORTS {
    PIMAGE_EXPORT_DIRECTORY Directory;
    ULONG DirectoryRva, DirectorySize;
    PULONG Functions; /* RVAs by ordinal - Base */
    PULONG Names;     /* RVAs of the sorted names */
    PUSHORT NameOrdinals;
} LDRP_EXPORTS;

static NTSTATUS LdrpGetExports(PLDR_DATA_TABLE_ENTRY Module, LDRP_EXPORTS *Exports)
{
    PIMAGE_EXPORT_DIRECTORY Dir;
    NTSTATUS Status;

    Status = LdrpImageDirectory(Module, IMAGE_DIRECTORY_ENTRY_EXPORT, (PVOID *)&Dir,
                                &Exports->DirectoryRva, &Exports->DirectorySize);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!Dir)
        return STATUS_ENTRYPOINT_NOT_FOUND;
    if (Exports->DirectorySize < sizeof(*Dir))
        return STATUS_INVALID_IMAGE_FORMAT;
    Exports->Directory = Dir;
    Exports->Functions = LdrpImageArray(Module, Dir->AddressOfFunctions, Dir->NumberOfFunctions, 4);
    Exports->Names = LdrpImageArray(Module, Dir->AddressOfNames, Dir->NumberOfNames, 4);
    Exports->NameOrdinals =
        LdrpImageArray(Module, Dir->AddressOfNameOrdinals, Dir->NumberOfNames, 2);
    if ((Dir->NumberOfFunctions && !Exports->Functions) ||
        (Dir->NumberOfNames && (!Exports->Names || !Exports->NameOrdinals)))
        return STATUS_INVALID_IMAGE_FORMAT;
    return STATUS_SUCCESS;
}

/* strcmp of an export name with the counted Name[0, Length). */
static int LdrpCompareName(PCSTR ExportName, PCSTR Name, SIZE_T Length)
{
    SIZE_T i;

    for (i = 0; i < Length; i++) {
        UCHAR a = (UCHAR)ExportName[i], b = (UCHAR)Name[i];
        if (a != b)
            return a < b ? -1 : 1;
    }
    return ExportName[i] ? 1 : 0;
}

static NTSTATUS LdrpResolveForwarder(PCSTR Forwarder, ULONG Depth, PVOID *Address)
{
    PLDR_DATA_TABLE_ENTRY Target;
    SIZE_T Dot = 0, i;
    ULONG Ordinal = 0;

    if (Depth > LDRP_MAX_FORWARDER_DEPTH)
        return STATUS_INVALID_IMAGE_FORMAT;
    for (i = 0; Forwarder[i]; i++) {
        if (Forwarder[i] == '.')
            Dot = i;
    }
    if (Dot == 0 || !Forwarder[Dot + 1])
        return STATUS_INVALID_IMAGE_FORMAT;
    Target = LdrpFindModuleByName(Forwarder, Dot, FALSE);
    if (!Target) {
        DbgPrint("LDR: forwarder %s: module not loaded\n", Forwarder);
        return STATUS_DLL_NOT_FOUND;
    }
    if (Forwarder[Dot + 1] != '#')
        return LdrpGetExportByName(Target, Forwarder + Dot + 1, 0, Depth, Address);
    for (i = Dot + 2; Forwarder[i] >= '0' && Forwarder[i] <= '9' && Ordinal <= 0xffff; i++)
        Ordinal = Ordinal * 10 + (ULONG)(Forwarder[i] - '0');
    if (Forwarder[i] || i == Dot + 2)
        return STATUS_INVALID_IMAGE_FORMAT;
    return LdrpGetExportByOrdinal(Target, Ordinal, Depth, Address);
}

/* The address of export table entry Index, following a forwarder. */
static NTSTATUS LdrpResolveFunction(PLDR_DATA_TABLE_ENTRY Module, const LDRP_EXPORTS *Exports,
                                    ULONG Index, NTSTATUS NotFound, ULONG Depth, PVOID *Address)
{
    ULONG Rva;
    PCSTR Forwarder;

    if (Index >= Exports->Directory->NumberOfFunctions)
        return NotFound;
    Rva = Exports->Functions[Index];
    if (Rva == 0)
        return NotFound;
    if (Rva - Exports->DirectoryRva < Exports->DirectorySize) {
        Forwarder = LdrpImageString(Module, Rva);
        if (!Forwarder)
            return STATUS_INVALID_IMAGE_FORMAT;
        return LdrpResolveForwarder(Forwarder, Depth + 1, Address);
    }
    if (Rva >= Module->SizeOfImage)
        return STATUS_INVALID_IMAGE_FORMAT;
    *Address = (PUCHAR)Module->DllBase + Rva;
    return STATUS_SUCCESS;
}

/* Name-table index of Name[0, Length), or -1. */
static LONG LdrpFindName(PLDR_DATA_TABLE_ENTRY Module, const LDRP_EXPORTS *Exports, PCSTR Name,
                         SIZE_T Length, USHORT Hint)
{
    ULONG Low = 0, High = Exports->Directory->NumberOfNames;
    PCSTR Candidate;

    if (Hint < High) {
        Candidate = LdrpImageString(Module, Exports->Names[Hint]);
        if (Candidate && LdrpCompareName(Candidate, Name, Length) == 0)
            return Hint;
    }
    while (Low < High) {
        ULONG Middle = Low + (High - Low) / 2;
        int Order;

        Candidate = LdrpImageString(Module, Exports->Names[Middle]);
        if (!Candidate)
            return -1;
        Order = LdrpCompareName(Candidate, Name, Length);
        if (Order == 0)
            return (LONG)Middle;
        if (Order < 0)
            Low = Middle + 1;
        else
            High = Middle;
    }
    return -1;
}

static NTSTATUS LdrpGetExportByCountedName(PLDR_DATA_TABLE_ENTRY Module, PCSTR Name, SIZE_T Length,
                                           USHORT Hint, ULONG Depth, PVOID *Address)
{
    LDRP_EXPORTS Exports;
    NTSTATUS Status;
    LONG Index;

    Status = LdrpGetExports(Module, &Exports);
    if (!NT_SUCCESS(Status))
        return Status;
    Index = LdrpFindName(Module, &Exports, Name, Length, Hint);
    if (Index < 0)
        return STATUS_ENTRYPOINT_NOT_FOUND;
    return LdrpResolveFunction(Module, &Exports, Exports.NameOrdinals[Index],
                               STATUS_ENTRYPOINT_NOT_FOUND, Depth, Address);
}

NTSTATUS LdrpGetExportByName(PLDR_DATA_TABLE_ENTRY Module, PCSTR Name, USHORT Hint, ULONG Depth,
                             PVOID *Address)
{
    SIZE_T Length = 0;

    while (Name[Length])
        Length++;
    return LdrpGetExportByCountedName(Module, Name, Length, Hint, Depth, Address);
}

NTSTATUS LdrpGetExportByOrdinal(PLDR_DATA_TABLE_ENTRY Module, ULONG Ordinal, ULONG Depth,
                                PVOID *Address)
{
    LDRP_EXPORTS Exports;
    NTSTATUS Status;

    Status = LdrpGetExports(Module, &Exports);
    if (Status == STATUS_ENTRYPOINT_NOT_FOUND)
        return STATUS_ORDINAL_NOT_FOUND;
    if (!NT_SUCCESS(Status))
        return Status;
    if (Ordinal < Exports.Directory->Base)
        return STATUS_ORDINAL_NOT_FOUND;
    return LdrpResolveFunction(Module, &Exports, Ordinal - Exports.Directory->Base,
                               STATUS_ORDINAL_NOT_FOUND, Depth, Address);
}

/* Name NULL: look up Ordinal. BaseAddress must be a loaded module. */
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal,
                                      PVOID *ProcedureAddress)
{
    PLDR_DATA_TABLE_ENTRY Module;

    if (!ProcedureAddress || (Name && Name->Length && !Name->Buffer))
        return STATUS_INVALID_PARAMETER;
    *ProcedureAddress = NULL;
    Module = LdrpFindModuleByBase(BaseAddress);
    if (!Module)
        return STATUS_DLL_NOT_FOUND;
    if (Name)
        return LdrpGetExportByCountedName(Module, Name->Buffer, Name->Length, 0, 0,
                                          ProcedureAddress);
    return LdrpGetExportByOrdinal(Module, Ordinal, 0, ProcedureAddress);
}
