/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MmGetSystemRoutineAddress: a routine of the runtime by name, found in
 * the runtime's own export directory (the image holding this code), as a
 * driver would find it in ntoskrnl.exe or hal.dll. A forwarder
 * ("ntdll.Name") is followed through LdrGetProcedureAddress.
 */
#include "ntoskrnl.h"

#include <ntimage.h>

NTSYSAPI NTSTATUS NTAPI LdrGetDllHandle(PWSTR Path, PULONG Characteristics, PUNICODE_STRING Name,
                                        PVOID *Base);
NTSYSAPI NTSTATUS NTAPI LdrGetProcedureAddress(PVOID Base, PANSI_STRING Name, ULONG Ordinal,
                                               PVOID *Address);

extern IMAGE_DOS_HEADER __ImageBase;

#define MMP_NAME_MAX 128

static PVOID MmpForward(PCSTR Forwarder)
{
    UNICODE_STRING Ntdll = RTL_CONSTANT_STRING(L"ntdll.dll");
    ANSI_STRING Name;
    PCSTR Dot = Forwarder;
    PVOID Base, Address = NULL;

    while (*Dot && *Dot != '.')
        Dot++;
    if (*Dot != '.' || (Dot - Forwarder) != 5 || memcmp(Forwarder, "ntdll", 5) != 0)
        return NULL;
    if (!NT_SUCCESS(LdrGetDllHandle(NULL, NULL, &Ntdll, &Base)))
        return NULL;
    Name.Buffer = (PCHAR)Dot + 1;
    Name.Length = Name.MaximumLength = (USHORT)strlen(Dot + 1);
    if (!NT_SUCCESS(LdrGetProcedureAddress(Base, &Name, 0, &Address)))
        return NULL;
    return Address;
}

static PVOID MmpFindExport(PCSTR Wanted)
{
    PUCHAR Base = (PUCHAR)&__ImageBase;
    PIMAGE_NT_HEADERS Nt;
    PIMAGE_DATA_DIRECTORY Dir;
    PIMAGE_EXPORT_DIRECTORY Exports;
    PULONG Names, Functions;
    PUSHORT Ordinals;

    /* Hide the image's base from the compiler's object-size reasoning. */
    __asm__("" : "+r"(Base));
    Nt = (PIMAGE_NT_HEADERS)(Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
    Dir = &Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    if (!Dir->VirtualAddress || !Dir->Size)
        return NULL;
    Exports = (PIMAGE_EXPORT_DIRECTORY)(Base + Dir->VirtualAddress);
    Names = (PULONG)(Base + Exports->AddressOfNames);
    Functions = (PULONG)(Base + Exports->AddressOfFunctions);
    Ordinals = (PUSHORT)(Base + Exports->AddressOfNameOrdinals);
    for (ULONG i = 0; i < Exports->NumberOfNames; i++) {
        ULONG Rva;
        if (strcmp((PCSTR)(Base + Names[i]), Wanted) != 0)
            continue;
        if (Ordinals[i] >= Exports->NumberOfFunctions)
            return NULL;
        Rva = Functions[Ordinals[i]];
        if (Rva >= Dir->VirtualAddress && Rva < Dir->VirtualAddress + Dir->Size)
            return MmpForward((PCSTR)(Base + Rva));
        return Base + Rva;
    }
    return NULL;
}

NTKRNL_EXPORT PVOID NTAPI MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName)
{
    CHAR Name[MMP_NAME_MAX];
    ULONG Length;

    if (!SystemRoutineName || !SystemRoutineName->Buffer)
        return NULL;
    Length = SystemRoutineName->Length / sizeof(WCHAR);
    if (Length == 0 || Length >= sizeof(Name))
        return NULL;
    for (ULONG i = 0; i < Length; i++) {
        WCHAR c = SystemRoutineName->Buffer[i];
        if (c == 0 || c > 0x7F)
            return NULL; /* export names are ASCII */
        Name[i] = (CHAR)c;
    }
    Name[Length] = 0;
    return MmpFindExport(Name);
}
