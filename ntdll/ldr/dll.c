/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loading and unloading DLLs: LdrLoadDll and LdrUnloadDll, the search
 * (\SystemRoot\System32, then \SystemRoot), mapping an image section
 * (ntos relocates a view that is not at the preferred base), loading the
 * imports of a new DLL (each import holds a reference on the DLL it names,
 * dropped when the importer goes), and the notifications: DLL_PROCESS_ATTACH
 * in initialisation order (a DLL's imports are attached before it),
 * DLL_THREAD_ATTACH/DETACH as threads start and end, DLL_PROCESS_DETACH on
 * the last unload and at process end, in reverse order. DllMain and TLS
 * callbacks run with the loader lock held, as on Windows.
 * FIXME: the DllPath argument and the process's DLL search path are not
 * used; no API sets, no delay-load imports, no activation contexts.
 */
#include "ldrp.h"
#include <ntsvc.h>

#define LDRP_MAX_NAME 260

#define LDRP_FILE_READ_DATA               0x0001u
#define LDRP_FILE_EXECUTE                 0x0020u
#define LDRP_SYNCHRONIZE                  0x00100000u
#define LDRP_FILE_SHARE_READ              0x1u
#define LDRP_FILE_SHARE_DELETE            0x4u
#define LDRP_FILE_SYNCHRONOUS_IO_NONALERT 0x20u
#define LDRP_FILE_NON_DIRECTORY_FILE      0x40u
#define LDRP_SECTION_QUERY                0x0001u
#define LDRP_SECTION_MAP_WRITE            0x0002u
#define LDRP_SECTION_MAP_READ             0x0004u
#define LDRP_SECTION_MAP_EXECUTE          0x0008u
#define LDRP_SEC_IMAGE                    0x01000000u
#define LDRP_PAGE_EXECUTE                 0x10u
#define LDRP_VIEW_SHARE                   1

typedef BOOLEAN(NTAPI *PLDRP_DLL_MAIN)(PVOID DllHandle, ULONG Reason, PVOID Context);

BOOLEAN LdrpProcessInitializing;

PVOID LdrpHeap(void)
{
    return NtdllpCurrentPeb()->ProcessHeap;
}

/* ---- finding and mapping the file ----------------------------------------------------- */

/* Append Count WCHARs of Source to a buffer of Capacity, at *Length. */
static BOOLEAN LdrpAppend(PWSTR Buffer, SIZE_T Capacity, SIZE_T *Length, PCWSTR Source,
                          SIZE_T Count)
{
    if (*Length + Count >= Capacity)
        return FALSE;
    memcpy(Buffer + *Length, Source, Count * sizeof(WCHAR));
    *Length += Count;
    Buffer[*Length] = 0;
    return TRUE;
}

static SIZE_T LdrpWideLength(PCWSTR String)
{
    SIZE_T Length = 0;

    while (String[Length])
        Length++;
    return Length;
}

/* Does the name's last component have an extension? */
static BOOLEAN LdrpHasExtension(PCWSTR Name, SIZE_T Chars)
{
    while (Chars > 0 && Name[Chars - 1] != '\\' && Name[Chars - 1] != '/') {
        if (Name[--Chars] == '.')
            return TRUE;
    }
    return FALSE;
}

/* Map the image at NtPath. STATUS_OBJECT_NAME_NOT_FOUND and
 * STATUS_OBJECT_PATH_NOT_FOUND mean: try the next place. */
static NTSTATUS LdrpMapFile(PUNICODE_STRING NtPath, PVOID *Base)
{
    OBJECT_ATTRIBUTES Attributes = {sizeof(Attributes),   NULL, NtPath,
                                    OBJ_CASE_INSENSITIVE, NULL, NULL};
    IO_STATUS_BLOCK Io;
    HANDLE File = NULL, Section = NULL;
    SIZE_T ViewSize = 0;
    NTSTATUS Status;

    *Base = NULL;
    Status = NtOpenFile(&File, LDRP_SYNCHRONIZE | LDRP_FILE_EXECUTE | LDRP_FILE_READ_DATA,
                        &Attributes, &Io, LDRP_FILE_SHARE_READ | LDRP_FILE_SHARE_DELETE,
                        LDRP_FILE_SYNCHRONOUS_IO_NONALERT | LDRP_FILE_NON_DIRECTORY_FILE);
    if (Status == STATUS_NOT_IMPLEMENTED)
        return STATUS_OBJECT_NAME_NOT_FOUND; /* no file services yet: no file either */
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(&Section,
                             LDRP_SECTION_QUERY | LDRP_SECTION_MAP_READ | LDRP_SECTION_MAP_WRITE |
                                 LDRP_SECTION_MAP_EXECUTE,
                             NULL, NULL, LDRP_PAGE_EXECUTE, LDRP_SEC_IMAGE, File);
    NtClose(File);
    if (!NT_SUCCESS(Status))
        return Status == STATUS_OBJECT_NAME_NOT_FOUND ? STATUS_INVALID_IMAGE_FORMAT : Status;
    Status = NtMapViewOfSection(Section, NtCurrentProcess(), Base, 0, 0, NULL, &ViewSize,
                                LDRP_VIEW_SHARE, 0, PAGE_READWRITE);
    NtClose(Section);
    /* Away from its preferred base, ntos has already applied the image's
     * relocations (mm/image.c): the view is ready as it is. */
    if (Status == STATUS_IMAGE_NOT_AT_BASE)
        Status = STATUS_SUCCESS;
    return Status;
}

/* Search for Name and map it; *DosPath gets the heap-allocated DOS path
 * the module is known by. */
static NTSTATUS LdrpFindAndMap(PCWSTR Name, SIZE_T Chars, PVOID *Base, PWSTR *DosPath)
{
    static const PCWSTR Directories[] = {u"\\System32\\", u"\\"};
    const KUSER_SHARED_DATA *Shared = (const KUSER_SHARED_DATA *)KUSER_SHARED_DATA_USER_VA;
    PCWSTR Root = Shared->NtSystemRoot[0] ? Shared->NtSystemRoot : u"C:\\Windows";
    WCHAR NtBuffer[LDRP_MAX_NAME + 32], DosBuffer[LDRP_MAX_NAME + 64];
    BOOLEAN Extension = LdrpHasExtension(Name, Chars);
    UNICODE_STRING NtPath;
    NTSTATUS Status = STATUS_DLL_NOT_FOUND;
    SIZE_T Length, DosLength, Index;

    for (Index = 0; Index < ARRAYSIZE(Directories); Index++) {
        Length = DosLength = 0;
        if (!LdrpAppend(NtBuffer, ARRAYSIZE(NtBuffer), &Length, u"\\SystemRoot", 11) ||
            !LdrpAppend(NtBuffer, ARRAYSIZE(NtBuffer), &Length, Directories[Index],
                        LdrpWideLength(Directories[Index])) ||
            !LdrpAppend(NtBuffer, ARRAYSIZE(NtBuffer), &Length, Name, Chars) ||
            (!Extension && !LdrpAppend(NtBuffer, ARRAYSIZE(NtBuffer), &Length, u".dll", 4)))
            return STATUS_NAME_TOO_LONG;
        NtPath.Buffer = NtBuffer;
        NtPath.Length = (USHORT)(Length * sizeof(WCHAR));
        NtPath.MaximumLength = NtPath.Length + sizeof(WCHAR);
        Status = LdrpMapFile(&NtPath, Base);
        if (Status == STATUS_OBJECT_NAME_NOT_FOUND || Status == STATUS_OBJECT_PATH_NOT_FOUND) {
            Status = STATUS_DLL_NOT_FOUND;
            continue;
        }
        if (!NT_SUCCESS(Status))
            return Status;
        /* The DOS path: the system root in place of \SystemRoot. */
        LdrpAppend(DosBuffer, ARRAYSIZE(DosBuffer), &DosLength, Root, LdrpWideLength(Root));
        LdrpAppend(DosBuffer, ARRAYSIZE(DosBuffer), &DosLength, NtBuffer + 11, Length - 11);
        *DosPath = RtlAllocateHeap(LdrpHeap(), 0, (DosLength + 1) * sizeof(WCHAR));
        if (!*DosPath) {
            NtUnmapViewOfSection(NtCurrentProcess(), *Base);
            return STATUS_NO_MEMORY;
        }
        memcpy(*DosPath, DosBuffer, (DosLength + 1) * sizeof(WCHAR));
        return STATUS_SUCCESS;
    }
    return Status;
}

/* ---- references --------------------------------------------------------------------------- */

NTSTATUS LdrpAddDependency(PLDR_DATA_TABLE_ENTRY Module, PLDR_DATA_TABLE_ENTRY Target)
{
    PLDRP_MODULE Private = (PLDRP_MODULE)Module;
    PLDR_DATA_TABLE_ENTRY *Bigger;
    ULONG Capacity;

    if (Private->DependencyCount == Private->DependencyCapacity) {
        Capacity = Private->DependencyCapacity ? 2 * Private->DependencyCapacity : 4;
        Bigger =
            RtlReAllocateHeap(LdrpHeap(), 0, Private->Dependencies, Capacity * sizeof(*Bigger));
        if (!Private->Dependencies)
            Bigger = RtlAllocateHeap(LdrpHeap(), 0, Capacity * sizeof(*Bigger));
        if (!Bigger)
            return STATUS_NO_MEMORY;
        Private->Dependencies = Bigger;
        Private->DependencyCapacity = Capacity;
    }
    Private->Dependencies[Private->DependencyCount++] = Target;
    return STATUS_SUCCESS;
}

static VOID LdrpCallDllMain(PLDR_DATA_TABLE_ENTRY Module, ULONG Reason, PVOID Context,
                            BOOLEAN *Result)
{
    BOOLEAN Ok = TRUE;

    if (Reason == DLL_PROCESS_ATTACH || Reason == DLL_THREAD_ATTACH)
        LdrpCallTlsCallbacks(Module, Reason);
    if (Module->EntryPoint && (Module->Flags & LDRP_IMAGE_DLL))
        Ok = ((PLDRP_DLL_MAIN)Module->EntryPoint)(Module->DllBase, Reason, Context);
    if (Reason == DLL_PROCESS_DETACH || Reason == DLL_THREAD_DETACH)
        LdrpCallTlsCallbacks(Module, Reason);
    if (Result)
        *Result = Ok;
}

/* The last reference went: detach, release what it holds, unmap. */
static VOID LdrpUnloadModule(PLDR_DATA_TABLE_ENTRY Module)
{
    PLDRP_MODULE Private = (PLDRP_MODULE)Module;
    PVOID Base = Module->DllBase;
    BOOLEAN Mapped = Private->Mapped;
    ULONG Index;

    if (Module->Flags & LDRP_PROCESS_ATTACH_CALLED) {
        Module->Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
        LdrpCallDllMain(Module, DLL_PROCESS_DETACH, NULL, NULL);
    }
    LdrpRemoveTlsModule(Module);
    for (Index = Private->DependencyCount; Index-- > 0;)
        LdrpDereferenceModule(Private->Dependencies[Index]);
    Private->DependencyCount = 0;
    LdrpDeleteModule(Module);
    if (Mapped)
        NtUnmapViewOfSection(NtCurrentProcess(), Base);
}

VOID LdrpDereferenceModule(PLDR_DATA_TABLE_ENTRY Module)
{
    if (Module->ObsoleteLoadCount == 0xffff)
        return; /* pinned */
    if (Module->ReferenceCount)
        Module->ReferenceCount--;
    if (Module->ObsoleteLoadCount > 1) {
        Module->ObsoleteLoadCount--;
        return;
    }
    Module->ObsoleteLoadCount = 0;
    LdrpUnloadModule(Module);
}

/* ---- loading ------------------------------------------------------------------------------ */

/* A newly mapped image becomes a module: load and snap its imports, set
 * up its TLS, put it on the initialisation list. */
static NTSTATUS LdrpCompleteLoad(PLDR_DATA_TABLE_ENTRY Module)
{
    NTSTATUS Status = LdrpSnapModule(Module);

    if (NT_SUCCESS(Status))
        Status = LdrpAddTlsModule(Module);
    if (!NT_SUCCESS(Status))
        return Status;
    Module->Flags &= ~LDRP_LOAD_IN_PROGRESS;
    LdrpInsertInitOrder(Module);
    return STATUS_SUCCESS;
}

NTSTATUS LdrpLoadDll(PCWSTR Name, SIZE_T Chars, PLDR_DATA_TABLE_ENTRY *Module)
{
    UNICODE_STRING FullName;
    PLDRP_MODULE Private;
    PWSTR DosPath = NULL;
    PVOID Base;
    NTSTATUS Status;

    *Module = LdrpFindModuleByName(Name, Chars, TRUE);
    if (*Module) {
        if ((*Module)->Flags & LDRP_LOAD_IN_PROGRESS)
            return STATUS_SUCCESS; /* an import cycle: no extra reference */
        LdrpReferenceModule(*Module, LdrpProcessInitializing);
        return STATUS_SUCCESS;
    }
    if (!Chars || Chars > LDRP_MAX_NAME)
        return Chars ? STATUS_NAME_TOO_LONG : STATUS_INVALID_PARAMETER;
    Status = LdrpFindAndMap(Name, Chars, &Base, &DosPath);
    if (!NT_SUCCESS(Status))
        return Status;
    RtlInitUnicodeString(&FullName, DosPath);
    Status = LdrpCreateModule(Base, &FullName, LDRP_IMAGE_DLL | LDRP_LOAD_IN_PROGRESS, Module);
    if (!NT_SUCCESS(Status)) {
        NtUnmapViewOfSection(NtCurrentProcess(), Base);
        RtlFreeHeap(LdrpHeap(), 0, DosPath);
        return Status;
    }
    Private = (PLDRP_MODULE)*Module;
    Private->Mapped = TRUE;
    Private->PathBuffer = DosPath;
    (*Module)->ObsoleteLoadCount = LdrpProcessInitializing ? 0xffff : 1;
    (*Module)->Flags |= LdrpProcessInitializing ? LDRP_STATIC_LINK : 0;
    Status = LdrpCompleteLoad(*Module);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: loading %wZ failed: 0x%08x\n", &FullName, Status);
        (*Module)->ObsoleteLoadCount = 1;
        LdrpDereferenceModule(*Module);
        *Module = NULL;
    }
    return Status;
}

NTSTATUS LdrpRunInitializers(void)
{
    PLIST_ENTRY Head = LdrpInitOrderList(), Link;
    BOOLEAN Ok;

    for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
        PLDR_DATA_TABLE_ENTRY Module =
            CONTAINING_RECORD(Link, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (Module->Flags & (LDRP_PROCESS_ATTACH_CALLED | LDRP_ENTRY_PROCESSED))
            continue;
        Module->Flags |= LDRP_PROCESS_ATTACH_CALLED | LDRP_ENTRY_PROCESSED;
        LdrpCallDllMain(Module, DLL_PROCESS_ATTACH,
                        (Module->Flags & LDRP_STATIC_LINK) ? (PVOID)1 : NULL, &Ok);
        if (!Ok) {
            DbgPrint("LDR: %wZ: DllMain failed its DLL_PROCESS_ATTACH\n", &Module->BaseDllName);
            Module->Flags &= ~LDRP_PROCESS_ATTACH_CALLED; /* no detach for it */
            return STATUS_DLL_INIT_FAILED;
        }
    }
    return STATUS_SUCCESS;
}

VOID LdrpNotifyThread(ULONG Reason)
{
    PLIST_ENTRY Head = LdrpInitOrderList(), Link;
    PLDR_DATA_TABLE_ENTRY Program = (PLDR_DATA_TABLE_ENTRY)LdrpLoadOrderList()->Flink;
    BOOLEAN Detach = Reason == DLL_THREAD_DETACH;

    for (Link = Detach ? Head->Blink : Head->Flink; Link != Head;
         Link = Detach ? Link->Blink : Link->Flink) {
        PLDR_DATA_TABLE_ENTRY Module =
            CONTAINING_RECORD(Link, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if ((Module->Flags & LDRP_PROCESS_ATTACH_CALLED) &&
            !(Module->Flags & LDRP_DONT_CALL_FOR_THREADS))
            LdrpCallDllMain(Module, Reason, NULL, NULL);
    }
    LdrpCallTlsCallbacks(Program, Reason);
}

VOID LdrpShutdownProcess(void)
{
    PLIST_ENTRY Head = LdrpInitOrderList(), Link;
    PLDR_DATA_TABLE_ENTRY Program = (PLDR_DATA_TABLE_ENTRY)LdrpLoadOrderList()->Flink;

    NtdllpCurrentPeb()->Ldr->ShutdownInProgress = TRUE;
    for (Link = Head->Blink; Link != Head; Link = Link->Blink) {
        PLDR_DATA_TABLE_ENTRY Module =
            CONTAINING_RECORD(Link, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (Module->Flags & LDRP_PROCESS_ATTACH_CALLED) {
            Module->Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
            LdrpCallDllMain(Module, DLL_PROCESS_DETACH, (PVOID)1, NULL);
        }
    }
    LdrpCallTlsCallbacks(Program, DLL_PROCESS_DETACH);
}

/* ---- the exported functions ---------------------------------------------------------------- */

NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                          PVOID *BaseAddress)
{
    PLDR_DATA_TABLE_ENTRY Module;
    NTSTATUS Status;

    (void)DllPath;
    (void)DllCharacteristics;
    if (!BaseAddress || !DllName || (DllName->Length && !DllName->Buffer))
        return STATUS_INVALID_PARAMETER;
    *BaseAddress = NULL;
    LdrpAcquireLoaderLock();
    Status = LdrpLoadDll(DllName->Buffer, DllName->Length / sizeof(WCHAR), &Module);
    if (NT_SUCCESS(Status) && !LdrpProcessInitializing) {
        Status = LdrpRunInitializers();
        if (!NT_SUCCESS(Status))
            LdrpDereferenceModule(Module);
    }
    if (NT_SUCCESS(Status))
        *BaseAddress = Module->DllBase;
    LdrpReleaseLoaderLock();
    return Status;
}

NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress)
{
    PLDR_DATA_TABLE_ENTRY Module;
    NTSTATUS Status = STATUS_SUCCESS;

    LdrpAcquireLoaderLock();
    Module = LdrpFindModuleByBase(BaseAddress);
    if (!Module)
        Status = STATUS_DLL_NOT_FOUND;
    else
        LdrpDereferenceModule(Module);
    LdrpReleaseLoaderLock();
    return Status;
}
