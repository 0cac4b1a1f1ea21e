/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The loader's list of modules: PEB_LDR_DATA (Peb->Ldr) and one
 * LDR_DATA_TABLE_ENTRY per mapped image, linked in load and memory order
 * (the program first, then ntdll, as nt-abi §4.11 requires), the lookups
 * over it: by base name (LdrGetDllHandle(Ex) and import/forwarder
 * resolution), by base and by address (LdrFindEntryForAddress,
 * RtlPcToFileHeader), and the per-module exports that read or mark an
 * entry (LdrGetDllFullName, LdrAddRefDll, LdrDisableThreadCalloutsForDll,
 * the reference counts). Entries (LDRP_MODULE) come from the process
 * heap. The lists change only under the loader lock (dll.c, init.c);
 * lookups from the exported functions take it too.
 */
#include "ldrp.h"

static PEB_LDR_DATA LdrpData;

static VOID LdrpInitializeListHead(PLIST_ENTRY Head)
{
    Head->Flink = Head->Blink = Head;
}

static VOID LdrpInsertTailList(PLIST_ENTRY Head, PLIST_ENTRY Entry)
{
    Entry->Flink = Head;
    Entry->Blink = Head->Blink;
    Head->Blink->Flink = Entry;
    Head->Blink = Entry;
}

VOID LdrpInitializeModuleList(PPEB Peb)
{
    LdrpData.Length = sizeof(LdrpData);
    LdrpInitializeListHead(&LdrpData.InLoadOrderModuleList);
    LdrpInitializeListHead(&LdrpData.InMemoryOrderModuleList);
    LdrpInitializeListHead(&LdrpData.InInitializationOrderModuleList);
    Peb->Ldr = &LdrpData;
}

/* BaseDllName: the part of FullName after its last separator. */
static VOID LdrpSetNames(PLDR_DATA_TABLE_ENTRY Module, PCUNICODE_STRING FullName)
{
    USHORT Chars = FullName->Length / sizeof(WCHAR), Start = Chars;

    while (Start > 0 && FullName->Buffer[Start - 1] != '\\' && FullName->Buffer[Start - 1] != '/')
        Start--;
    Module->FullDllName = *FullName;
    Module->BaseDllName.Buffer = FullName->Buffer + Start;
    Module->BaseDllName.Length = (USHORT)((Chars - Start) * sizeof(WCHAR));
    Module->BaseDllName.MaximumLength = Module->BaseDllName.Length;
}

NTSTATUS LdrpCreateModule(PVOID Base, PCUNICODE_STRING FullName, ULONG Flags,
                          PLDR_DATA_TABLE_ENTRY *Module)
{
    PIMAGE_NT_HEADERS64 Nt = RtlImageNtHeader(Base);
    PLDR_DATA_TABLE_ENTRY Entry;

    *Module = NULL;
    if (!Nt || Nt->FileHeader.Machine != IMAGE_FILE_MACHINE_AMD64 ||
        Nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC ||
        Nt->OptionalHeader.AddressOfEntryPoint >= Nt->OptionalHeader.SizeOfImage)
        return STATUS_INVALID_IMAGE_FORMAT;
    Entry = RtlAllocateHeap(LdrpHeap(), HEAP_ZERO_MEMORY, sizeof(LDRP_MODULE));
    if (!Entry)
        return STATUS_NO_MEMORY;
    Entry->DllBase = Base;
    Entry->SizeOfImage = Nt->OptionalHeader.SizeOfImage;
    Entry->EntryPoint = Nt->OptionalHeader.AddressOfEntryPoint
                            ? (PUCHAR)Base + Nt->OptionalHeader.AddressOfEntryPoint
                            : NULL;
    Entry->TimeDateStamp = Nt->FileHeader.TimeDateStamp;
    Entry->OriginalBase = Nt->OptionalHeader.ImageBase;
    Entry->Flags = Flags;
    Entry->ObsoleteLoadCount = 0xffff; /* statically loaded: never unloaded */
    Entry->ReferenceCount = 1;
    LdrpSetNames(Entry, FullName);
    LdrpInitializeListHead(&Entry->HashLinks);
    LdrpInitializeListHead(&Entry->InInitializationOrderLinks);
    LdrpInsertTailList(&LdrpData.InLoadOrderModuleList, &Entry->InLoadOrderLinks);
    LdrpInsertTailList(&LdrpData.InMemoryOrderModuleList, &Entry->InMemoryOrderLinks);
    *Module = Entry;
    return STATUS_SUCCESS;
}

PLIST_ENTRY LdrpLoadOrderList(void)
{
    return &LdrpData.InLoadOrderModuleList;
}

PLIST_ENTRY LdrpInitOrderList(void)
{
    return &LdrpData.InInitializationOrderModuleList;
}

VOID LdrpInsertInitOrder(PLDR_DATA_TABLE_ENTRY Module)
{
    LdrpInsertTailList(&LdrpData.InInitializationOrderModuleList,
                       &Module->InInitializationOrderLinks);
}

static VOID LdrpRemoveEntryList(PLIST_ENTRY Entry)
{
    Entry->Blink->Flink = Entry->Flink;
    Entry->Flink->Blink = Entry->Blink;
    Entry->Flink = Entry->Blink = Entry;
}

VOID LdrpDeleteModule(PLDR_DATA_TABLE_ENTRY Module)
{
    PLDRP_MODULE Private = (PLDRP_MODULE)Module;
    PVOID Heap = LdrpHeap();

    LdrpRemoveEntryList(&Module->InLoadOrderLinks);
    LdrpRemoveEntryList(&Module->InMemoryOrderLinks);
    LdrpRemoveEntryList(&Module->InInitializationOrderLinks);
    RtlFreeHeap(Heap, 0, Private->Dependencies);
    RtlFreeHeap(Heap, 0, Private->PathBuffer);
    RtlFreeHeap(Heap, 0, Private);
}

static WCHAR LdrpNameChar(const void *Name, SIZE_T Index, BOOLEAN Wide)
{
    return Wide ? ((PCWSTR)Name)[Index] : (WCHAR)((const UCHAR *)Name)[Index];
}

/* Does the base name Name[Start, End) (".dll" added when it has no
 * extension, a final '.' dropped) equal Module's base name? */
static BOOLEAN LdrpBaseNameMatches(PLDR_DATA_TABLE_ENTRY Module, const void *Name, SIZE_T Start,
                                   SIZE_T End, BOOLEAN Wide)
{
    static const WCHAR DllExtension[] = u".dll";
    PCUNICODE_STRING Base = &Module->BaseDllName;
    SIZE_T BaseChars = Base->Length / sizeof(WCHAR), Chars, i;
    BOOLEAN HasDot = FALSE;

    for (i = Start; i < End; i++)
        HasDot |= LdrpNameChar(Name, i, Wide) == '.';
    if (End > Start && LdrpNameChar(Name, End - 1, Wide) == '.')
        End--;
    Chars = End - Start;
    if (Chars + (HasDot ? 0 : 4) != BaseChars)
        return FALSE;
    for (i = 0; i < BaseChars; i++) {
        WCHAR Char = i < Chars ? LdrpNameChar(Name, Start + i, Wide) : DllExtension[i - Chars];
        if (RtlUpcaseUnicodeChar(Char) != RtlUpcaseUnicodeChar(Base->Buffer[i]))
            return FALSE;
    }
    return TRUE;
}

PLDR_DATA_TABLE_ENTRY LdrpFindModuleByName(const void *Name, SIZE_T Length, BOOLEAN Wide)
{
    PLIST_ENTRY Head = &LdrpData.InLoadOrderModuleList, Link;
    SIZE_T Start = Length;

    if (!Head->Flink)
        return NULL;
    while (Start > 0 && LdrpNameChar(Name, Start - 1, Wide) != '\\' &&
           LdrpNameChar(Name, Start - 1, Wide) != '/')
        Start--;
    if (Start == Length)
        return NULL;
    for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
        PLDR_DATA_TABLE_ENTRY Module = (PLDR_DATA_TABLE_ENTRY)Link; /* InLoadOrderLinks is first */
        if (LdrpBaseNameMatches(Module, Name, Start, Length, Wide))
            return Module;
    }
    return NULL;
}

PLDR_DATA_TABLE_ENTRY LdrpFindModuleByBase(PVOID Base)
{
    PLIST_ENTRY Head = &LdrpData.InLoadOrderModuleList, Link;

    if (!Head->Flink)
        return NULL;
    for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
        PLDR_DATA_TABLE_ENTRY Module = (PLDR_DATA_TABLE_ENTRY)Link;
        if (Module->DllBase == Base)
            return Module;
    }
    return NULL;
}

/* A reference for a loaded module; a pinned one (load count 0xffff) is
 * never unloaded and counts nothing more. */
VOID LdrpReferenceModule(PLDR_DATA_TABLE_ENTRY Module, BOOLEAN Pin)
{
    if (Pin)
        Module->ObsoleteLoadCount = 0xffff;
    if (Module->ObsoleteLoadCount == 0xffff)
        return;
    Module->ObsoleteLoadCount++;
    Module->ReferenceCount++;
}

/* Only loaded modules are found: DllPath and DllCharacteristics are not
 * needed for that. */
NTSTATUS NTAPI LdrGetDllHandleEx(ULONG Flags, PWSTR DllPath, PULONG DllCharacteristics,
                                 PUNICODE_STRING DllName, PVOID *DllHandle)
{
    const ULONG Valid = LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT | LDR_GET_DLL_HANDLE_EX_PIN;
    PLDR_DATA_TABLE_ENTRY Module;

    (void)DllPath;
    (void)DllCharacteristics;
    if (!DllHandle)
        return STATUS_INVALID_PARAMETER;
    *DllHandle = NULL;
    if ((Flags & ~Valid) || Flags == Valid || !DllName || (DllName->Length && !DllName->Buffer))
        return STATUS_INVALID_PARAMETER;
    LdrpAcquireLoaderLock();
    Module = LdrpFindModuleByName(DllName->Buffer, DllName->Length / sizeof(WCHAR), TRUE);
    if (Module && !(Flags & LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT))
        LdrpReferenceModule(Module, (Flags & LDR_GET_DLL_HANDLE_EX_PIN) != 0);
    if (Module)
        *DllHandle = Module->DllBase;
    LdrpReleaseLoaderLock();
    return Module ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

NTSTATUS NTAPI LdrGetDllHandle(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                               PVOID *DllHandle)
{
    return LdrGetDllHandleEx(LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT, DllPath, DllCharacteristics,
                             DllName, DllHandle);
}

NTSTATUS NTAPI LdrGetDllFullName(PVOID DllHandle, PUNICODE_STRING FullDllName)
{
    PLDR_DATA_TABLE_ENTRY Module;

    if (!FullDllName)
        return STATUS_INVALID_PARAMETER;
    Module = DllHandle ? LdrpFindModuleByBase(DllHandle)
                       : (PLDR_DATA_TABLE_ENTRY)LdrpData.InLoadOrderModuleList.Flink;
    if (!Module || (PLIST_ENTRY)Module == &LdrpData.InLoadOrderModuleList)
        return STATUS_DLL_NOT_FOUND;
    RtlCopyUnicodeString(FullDllName, &Module->FullDllName);
    if (FullDllName->MaximumLength < Module->FullDllName.Length + sizeof(WCHAR))
        return STATUS_BUFFER_TOO_SMALL;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI LdrAddRefDll(ULONG Flags, PVOID BaseAddress)
{
    PLDR_DATA_TABLE_ENTRY Module;

    if (Flags & ~LDR_ADDREF_DLL_PIN)
        return STATUS_INVALID_PARAMETER;
    LdrpAcquireLoaderLock();
    Module = LdrpFindModuleByBase(BaseAddress);
    if (Module)
        LdrpReferenceModule(Module, (Flags & LDR_ADDREF_DLL_PIN) != 0);
    LdrpReleaseLoaderLock();
    return Module ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID BaseAddress)
{
    PLDR_DATA_TABLE_ENTRY Module;

    LdrpAcquireLoaderLock();
    Module = LdrpFindModuleByBase(BaseAddress);
    if (Module)
        Module->Flags |= LDRP_DONT_CALL_FOR_THREADS;
    LdrpReleaseLoaderLock();
    return Module ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

PVOID NTAPI RtlPcToFileHeader(PVOID PcValue, PVOID *BaseOfImage)
{
    PLDR_DATA_TABLE_ENTRY Module;
    PVOID Base = NULL;

    if (NT_SUCCESS(LdrFindEntryForAddress(PcValue, &Module)))
        Base = Module->DllBase;
    if (BaseOfImage)
        *BaseOfImage = Base;
    return Base;
}

NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address, PLDR_DATA_TABLE_ENTRY *Module)
{
    PLIST_ENTRY Head = &LdrpData.InLoadOrderModuleList, Link;

    if (!Module)
        return STATUS_INVALID_PARAMETER;
    *Module = NULL;
    if (!Head->Flink)
        return STATUS_NO_MORE_ENTRIES;
    LdrpAcquireLoaderLock();
    for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
        PLDR_DATA_TABLE_ENTRY Entry = (PLDR_DATA_TABLE_ENTRY)Link;
        if ((ULONG_PTR)Address - (ULONG_PTR)Entry->DllBase < Entry->SizeOfImage) {
            *Module = Entry;
            break;
        }
    }
    LdrpReleaseLoaderLock();
    return *Module ? STATUS_SUCCESS : STATUS_NO_MORE_ENTRIES;
}
