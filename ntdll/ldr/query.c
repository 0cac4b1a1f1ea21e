/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LdrQueryProcessModuleInformation: the module list as an
 * RTL_PROCESS_MODULES array (the layout NtQuerySystemInformation's
 * SystemModuleInformation also uses), in load order, with each module's
 * full path in ANSI (cut to 255 characters) and the offset of its base
 * name. Read under the loader lock.
 */
#include "ldrp.h"

/* Indexes are counted from 0 in load order; InitOrderIndex is the
 * position on the initialisation list (0 when not on it). */
static ULONG LdrpInitOrderIndex(PLDR_DATA_TABLE_ENTRY Module)
{
    PLIST_ENTRY Head = LdrpInitOrderList(), Link;
    ULONG Index = 0;

    for (Link = Head->Flink; Link != Head; Link = Link->Flink, Index++) {
        if (Link == &Module->InInitializationOrderLinks)
            return Index;
    }
    return 0;
}

static VOID LdrpFillModuleInformation(PRTL_PROCESS_MODULE_INFORMATION Info,
                                      PLDR_DATA_TABLE_ENTRY Module, ULONG Index)
{
    ULONG Chars = Module->FullDllName.Length / sizeof(WCHAR), Written = 0, Base;

    memset(Info, 0, sizeof(*Info));
    Info->MappedBase = Module->DllBase;
    Info->ImageBase = Module->DllBase;
    Info->ImageSize = Module->SizeOfImage;
    Info->Flags = Module->Flags;
    Info->LoadOrderIndex = (USHORT)Index;
    Info->InitOrderIndex = (USHORT)LdrpInitOrderIndex(Module);
    Info->LoadCount = Module->ObsoleteLoadCount;
    if (Chars > sizeof(Info->FullPathName) - 1)
        Chars = sizeof(Info->FullPathName) - 1;
    RtlUnicodeToMultiByteN((PCHAR)Info->FullPathName, Chars, &Written, Module->FullDllName.Buffer,
                           Chars * sizeof(WCHAR));
    Info->FullPathName[Written] = 0;
    for (Base = Written; Base > 0 && Info->FullPathName[Base - 1] != '\\'; Base--)
        ;
    Info->OffsetToFileName = (USHORT)Base;
}

NTSTATUS NTAPI LdrQueryProcessModuleInformation(PRTL_PROCESS_MODULES ModuleInformation, ULONG Size,
                                                PULONG ReturnedSize)
{
    PLIST_ENTRY Head = LdrpLoadOrderList(), Link;
    ULONG Count = 0, Needed;
    NTSTATUS Status = STATUS_SUCCESS;

    LdrpAcquireLoaderLock();
    for (Link = Head->Flink; Link != Head; Link = Link->Flink)
        Count++;
    Needed = (ULONG)(offsetof(RTL_PROCESS_MODULES, Modules) +
                     Count * sizeof(RTL_PROCESS_MODULE_INFORMATION));
    if (Size < Needed || !ModuleInformation) {
        Status = STATUS_INFO_LENGTH_MISMATCH;
    } else {
        ModuleInformation->NumberOfModules = Count;
        Count = 0;
        for (Link = Head->Flink; Link != Head; Link = Link->Flink, Count++)
            LdrpFillModuleInformation(&ModuleInformation->Modules[Count],
                                      (PLDR_DATA_TABLE_ENTRY)Link, Count);
    }
    LdrpReleaseLoaderLock();
    if (ReturnedSize)
        *ReturnedSize = Needed;
    return Status;
}
