/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host test of ntdll's loader (ntdll/ldr/image.c, module.c, export.c,
 * import.c) under ASan/UBSan, on the real build outputs: ntdll.dll,
 * hello.exe and fwd.dll (a DLL of forwarders, fwd.def) are "mapped" into
 * host memory section by section, registered as modules, and then: the
 * program's imports are snapped and compared with ntdll's export table,
 * every export is looked up by name and by ordinal, forwarders are
 * followed (by name, by ordinal, into a missing module, in a loop), the
 * name and address lookups are checked, and seeded random corruption of
 * the import and export tables must give a status, never a fault.
 * Prints the serial test protocol (suite ntdll-build, tests ldr_*).
 * Usage: ldr_test NTDLL.DLL HELLO.EXE FWD.DLL [COMPAT.EXE...]
 * (COMPAT: programs linked with stock mingw's libntdll.a, snapped too).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldr/ldrp.h"

static int Failures;
static char LastMessage[512];

#define CHECK(name, cond, ...)                                                                     \
    do {                                                                                           \
        if (cond) {                                                                                \
            printf("TEST-PASS ntdll-build.%s\n", name);                                            \
        } else {                                                                                   \
            printf("TEST-FAIL ntdll-build.%s: ", name);                                            \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
            Failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* ---- what the loader needs from the rest of ntdll --------------------------------- */

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list Arguments;

    /* The loader's messages use %wZ, which the host printf lacks: keep the
     * format only. */
    va_start(Arguments, Format);
    snprintf(LastMessage, sizeof(LastMessage), "%s", Format);
    va_end(Arguments);
    return 0;
}

/* NtProtectVirtualMemory as the loader uses it for read-only IATs: the
 * calls are recorded; ProtectStatus is what they return. */
static struct {
    int Calls;
    PVOID Base[2];
    SIZE_T Size[2];
    ULONG Protect[2];
} Protects;
static NTSTATUS ProtectStatus;

NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, SIZE_T *RegionSize,
                                      ULONG NewProtect, ULONG *OldProtect)
{
    if (ProcessHandle == (HANDLE)-1 && Protects.Calls < 2) {
        Protects.Base[Protects.Calls] = *BaseAddress;
        Protects.Size[Protects.Calls] = *RegionSize;
        Protects.Protect[Protects.Calls] = NewProtect;
    }
    Protects.Calls++;
    *OldProtect = 0x02; /* PAGE_READONLY */
    return ProtectStatus;
}

/* What the loader needs of the rest of ntdll, for the host: the heap
 * (calloc/free), and the DLL loading of dll.c, which needs ntos's file and
 * section services: no DLL can be loaded here. */
VOID LdrpAcquireLoaderLock(void)
{
}

VOID LdrpReleaseLoaderLock(void)
{
}

PVOID LdrpHeap(void)
{
    return NULL;
}

PVOID NTAPI RtlAllocateHeap(PVOID Heap, ULONG Flags, SIZE_T Size)
{
    (void)Heap;
    (void)Flags;
    return calloc(1, Size);
}

BOOLEAN NTAPI RtlFreeHeap(PVOID Heap, ULONG Flags, PVOID Block)
{
    (void)Heap;
    (void)Flags;
    free(Block);
    return TRUE;
}

NTSTATUS LdrpLoadDll(PCWSTR Name, SIZE_T Chars, PLDR_DATA_TABLE_ENTRY *Module)
{
    (void)Name;
    (void)Chars;
    *Module = NULL;
    return STATUS_DLL_NOT_FOUND;
}

NTSTATUS LdrpAddDependency(PLDR_DATA_TABLE_ENTRY Module, PLDR_DATA_TABLE_ENTRY Target)
{
    (void)Module;
    (void)Target;
    return STATUS_SUCCESS;
}

VOID LdrpDereferenceModule(PLDR_DATA_TABLE_ENTRY Module)
{
    (void)Module;
}

VOID RtlpQueryCurrentDirectory(PUNICODE_STRING CurrentDirectory)
{
    static WCHAR Root[] = u"C:\\";

    CurrentDirectory->Buffer = Root;
    CurrentDirectory->Length = 6;
    CurrentDirectory->MaximumLength = 8;
}

/* ---- images ----------------------------------------------------------------------------- */

typedef struct {
    UCHAR *File;
    size_t FileSize;
    UCHAR *Image; /* mapped copy, SizeOfImage bytes */
    UCHAR *Pristine;
    ULONG SizeOfImage;
} TEST_IMAGE;

static int LoadImage(const char *Path, TEST_IMAGE *Out)
{
    FILE *f = fopen(Path, "rb");
    PIMAGE_NT_HEADERS64 Nt;
    PIMAGE_SECTION_HEADER Section;

    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    Out->FileSize = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    Out->File = malloc(Out->FileSize);
    if (fread(Out->File, 1, Out->FileSize, f) != Out->FileSize) {
        fclose(f);
        return 0;
    }
    fclose(f);
    Nt = (PIMAGE_NT_HEADERS64)(Out->File + ((PIMAGE_DOS_HEADER)Out->File)->e_lfanew);
    Out->SizeOfImage = Nt->OptionalHeader.SizeOfImage;
    Out->Image = aligned_alloc(4096, Out->SizeOfImage);
    Out->Pristine = malloc(Out->SizeOfImage);
    memset(Out->Image, 0, Out->SizeOfImage);
    memcpy(Out->Image, Out->File, Nt->OptionalHeader.SizeOfHeaders);
    Section = IMAGE_FIRST_SECTION(Nt);
    for (int i = 0; i < Nt->FileHeader.NumberOfSections; i++, Section++) {
        ULONG Size = Section->SizeOfRawData;
        if (Section->Misc.VirtualSize && Size > Section->Misc.VirtualSize)
            Size = Section->Misc.VirtualSize;
        memcpy(Out->Image + Section->VirtualAddress, Out->File + Section->PointerToRawData, Size);
    }
    memcpy(Out->Pristine, Out->Image, Out->SizeOfImage);
    return 1;
}

static void Restore(TEST_IMAGE *Image)
{
    memcpy(Image->Image, Image->Pristine, Image->SizeOfImage);
}

static UNICODE_STRING Name(PCWSTR Text)
{
    UNICODE_STRING String;
    size_t Length = 0;

    while (Text[Length])
        Length++;
    String.Buffer = (PWSTR)Text;
    String.Length = (USHORT)(Length * 2);
    String.MaximumLength = String.Length;
    return String;
}

/* Independent of the loader: the RVA ntdll's EAT gives Name, or 0. */
static ULONG NaiveExportRva(TEST_IMAGE *Dll, const char *Wanted)
{
    PIMAGE_NT_HEADERS64 Nt =
        (PIMAGE_NT_HEADERS64)(Dll->Image + ((PIMAGE_DOS_HEADER)Dll->Image)->e_lfanew);
    PIMAGE_EXPORT_DIRECTORY Dir =
        (PIMAGE_EXPORT_DIRECTORY)(Dll->Image +
                                  Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT]
                                      .VirtualAddress);
    ULONG *Names = (ULONG *)(Dll->Image + Dir->AddressOfNames);
    USHORT *Ordinals = (USHORT *)(Dll->Image + Dir->AddressOfNameOrdinals);
    ULONG *Functions = (ULONG *)(Dll->Image + Dir->AddressOfFunctions);

    for (ULONG i = 0; i < Dir->NumberOfNames; i++) {
        if (!strcmp((char *)Dll->Image + Names[i], Wanted))
            return Functions[Ordinals[i]];
    }
    return 0;
}

static PIMAGE_EXPORT_DIRECTORY ExportDirectory(TEST_IMAGE *Dll, ULONG *Size)
{
    PIMAGE_NT_HEADERS64 Nt =
        (PIMAGE_NT_HEADERS64)(Dll->Image + ((PIMAGE_DOS_HEADER)Dll->Image)->e_lfanew);
    PIMAGE_DATA_DIRECTORY Entry = &Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];

    *Size = Entry->Size;
    return (PIMAGE_EXPORT_DIRECTORY)(Dll->Image + Entry->VirtualAddress);
}

/* Replace the first occurrence of From (with its NUL) inside the image. */
static int Patch(TEST_IMAGE *Image, const char *From, const char *To)
{
    size_t Length = strlen(From) + 1;

    for (ULONG i = 0; i + Length <= Image->SizeOfImage; i++) {
        if (!memcmp(Image->Image + i, From, Length)) {
            memset(Image->Image + i, 0, Length);
            memcpy(Image->Image + i, To, strlen(To));
            return 1;
        }
    }
    return 0;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static TEST_IMAGE Ntdll, Hello, Fwd;
static PLDR_DATA_TABLE_ENTRY NtdllModule, HelloModule, FwdModule;
static PEB Peb;

static void TestSnapProgram(const char *Test, TEST_IMAGE *Program, PLDR_DATA_TABLE_ENTRY Module)
{
    PIMAGE_NT_HEADERS64 Nt =
        (PIMAGE_NT_HEADERS64)(Program->Image + ((PIMAGE_DOS_HEADER)Program->Image)->e_lfanew);
    PIMAGE_IMPORT_DESCRIPTOR Descriptor =
        (PIMAGE_IMPORT_DESCRIPTOR)(Program->Image +
                                   Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT]
                                       .VirtualAddress);
    NTSTATUS Status = LdrpSnapModule(Module);
    int Slots = 0, Wrong = 0;

    for (; Descriptor->Name; Descriptor++) {
        ULONGLONG *Lookup = (ULONGLONG *)(Program->Image + Descriptor->OriginalFirstThunk);
        ULONGLONG *Iat = (ULONGLONG *)(Program->Image + Descriptor->FirstThunk);
        for (; *Lookup; Lookup++, Iat++, Slots++) {
            const char *Import = (const char *)Program->Image + (*Lookup & 0x7fffffff) + 2;
            ULONG Rva = NaiveExportRva(&Ntdll, Import);
            if (!Rva || *Iat != (ULONGLONG)(ULONG_PTR)(Ntdll.Image + Rva))
                Wrong++;
        }
    }
    CHECK(Test, Status == STATUS_SUCCESS && Slots > 0 && Wrong == 0,
          "status 0x%08x, %d slots, %d wrong", (unsigned)Status, Slots, Wrong);
}

/* Programs linked with stock mingw's libntdll.a: named ldr_compat_<file>. */
static void TestCompat(int Count, char **Paths)
{
    static TEST_IMAGE Programs[4];
    UNICODE_STRING Path = Name(u"C:\\bin\\compat.exe");

    for (int i = 0; i < Count && i < 4; i++) {
        PLDR_DATA_TABLE_ENTRY Module = NULL;
        const char *Base = strrchr(Paths[i], '/') ? strrchr(Paths[i], '/') + 1 : Paths[i];
        char Test[96];

        snprintf(Test, sizeof(Test), "ldr_compat_%.*s", (int)strcspn(Base, "."), Base);
        if (!LoadImage(Paths[i], &Programs[i]) ||
            LdrpCreateModule(Programs[i].Image, &Path, 0, &Module)) {
            CHECK(Test, 0, "cannot load %s", Paths[i]);
            continue;
        }
        TestSnapProgram(Test, &Programs[i], Module);
    }
}

static void TestEveryExport(void)
{
    ULONG Size;
    PIMAGE_EXPORT_DIRECTORY Dir = ExportDirectory(&Ntdll, &Size);
    ULONG *Names = (ULONG *)(Ntdll.Image + Dir->AddressOfNames);
    ULONG *Functions = (ULONG *)(Ntdll.Image + Dir->AddressOfFunctions);
    int Wrong = 0;

    for (ULONG i = 0; i < Dir->NumberOfNames; i++) {
        const char *Export = (const char *)Ntdll.Image + Names[i];
        ANSI_STRING String = {(USHORT)strlen(Export), (USHORT)strlen(Export), (PCHAR)Export};
        PVOID Address = NULL;
        NTSTATUS Status = LdrGetProcedureAddress(Ntdll.Image, &String, 0, &Address);
        /* A wrong hint must not matter either. */
        PVOID Hinted = NULL;
        NTSTATUS HintStatus =
            LdrpGetExportByName(NtdllModule, Export, (USHORT)((i * 7 + 3) % 0x10000), 0, &Hinted);
        if (Status || HintStatus || Address != Ntdll.Image + NaiveExportRva(&Ntdll, Export) ||
            Hinted != Address)
            Wrong++;
    }
    CHECK("ldr_every_export_by_name", Wrong == 0 && Dir->NumberOfNames > 50, "%d of %u wrong",
          Wrong, Dir->NumberOfNames);
    Wrong = 0;
    for (ULONG i = 0; i < Dir->NumberOfFunctions; i++) {
        PVOID Address = NULL;
        NTSTATUS Status = LdrGetProcedureAddress(Ntdll.Image, NULL, Dir->Base + i, &Address);
        if (Status || Address != Ntdll.Image + Functions[i])
            Wrong++;
    }
    CHECK("ldr_every_export_by_ordinal", Wrong == 0, "%d wrong", Wrong);
}

static void TestNotFound(void)
{
    ANSI_STRING Missing = {6, 6, "NtNone"}, Prefix = {6, 6, "memcpyX"}; /* counted: "memcpy" */
    PVOID Address = (PVOID)1;
    NTSTATUS a = LdrGetProcedureAddress(Ntdll.Image, &Missing, 0, &Address);
    PVOID PrefixAddress = NULL;
    NTSTATUS b = LdrGetProcedureAddress(Ntdll.Image, &Prefix, 0, &PrefixAddress);
    NTSTATUS c = LdrGetProcedureAddress(Ntdll.Image, NULL, 0, &Address);
    NTSTATUS d = LdrGetProcedureAddress(Ntdll.Image, NULL, 0xffff, &Address);
    NTSTATUS e = LdrGetProcedureAddress((PVOID)0x1000, NULL, 1, &Address);

    CHECK("ldr_not_found",
          a == STATUS_ENTRYPOINT_NOT_FOUND && b == STATUS_SUCCESS &&
              PrefixAddress == Ntdll.Image + NaiveExportRva(&Ntdll, "memcpy") &&
              c == STATUS_ORDINAL_NOT_FOUND && d == STATUS_ORDINAL_NOT_FOUND &&
              e == STATUS_DLL_NOT_FOUND,
          "0x%08x 0x%08x 0x%08x 0x%08x 0x%08x", (unsigned)a, (unsigned)b, (unsigned)c, (unsigned)d,
          (unsigned)e);
}

static void TestForwarders(void)
{
    PVOID Address = NULL, Expected = Ntdll.Image + NaiveExportRva(&Ntdll, "RtlInitUnicodeString");
    NTSTATUS ByName = LdrpGetExportByName(FwdModule, "FwdByName", 0, 0, &Address);
    PVOID Real = NULL;
    NTSTATUS RealStatus = LdrpGetExportByName(FwdModule, "FwdReal", 0, 0, &Real);
    PVOID Dummy;
    NTSTATUS Missing = LdrpGetExportByName(FwdModule, "FwdMissing", 0, 0, &Dummy);
    NTSTATUS NoModule = LdrpGetExportByName(FwdModule, "FwdNoModule", 0, 0, &Dummy);
    NTSTATUS Loop = LdrpGetExportByName(FwdModule, "FwdLoop", 0, 0, &Dummy);
    PVOID ByOrdinal = NULL;
    NTSTATUS OrdinalStatus;
    ULONG Size;
    PIMAGE_EXPORT_DIRECTORY Dir = ExportDirectory(&Ntdll, &Size);

    Patch(&Fwd, "ntdll.NoSuchFunction", "NTDLL.#1");
    OrdinalStatus = LdrpGetExportByName(FwdModule, "FwdMissing", 0, 0, &ByOrdinal);
    CHECK("ldr_forwarders",
          ByName == STATUS_SUCCESS && Address == Expected && RealStatus == STATUS_SUCCESS &&
              Real == Fwd.Image + 0x1000 && Missing == STATUS_ENTRYPOINT_NOT_FOUND &&
              NoModule == STATUS_DLL_NOT_FOUND && Loop == STATUS_INVALID_IMAGE_FORMAT &&
              OrdinalStatus == STATUS_SUCCESS &&
              ByOrdinal == Ntdll.Image + ((ULONG *)(Ntdll.Image + Dir->AddressOfFunctions))[0],
          "byname 0x%08x real 0x%08x missing 0x%08x nomodule 0x%08x loop 0x%08x ord 0x%08x",
          (unsigned)ByName, (unsigned)RealStatus, (unsigned)Missing, (unsigned)NoModule,
          (unsigned)Loop, (unsigned)OrdinalStatus);
    Restore(&Fwd);
}

static void TestModuleLookup(void)
{
    static const WCHAR *Found[] = {u"ntdll.dll", u"NTDLL", u"C:\\x\\NtDll.DLL", u"a/ntdll.dll"};
    static const WCHAR *NotFound[] = {u"ntdll.", u"kernel32.dll", u"ntdll.dl", u"", u"C:\\"};
    PVOID Handle;
    int Wrong = 0;
    PLDR_DATA_TABLE_ENTRY Entry = NULL;

    for (size_t i = 0; i < sizeof(Found) / sizeof(*Found); i++) {
        UNICODE_STRING String = Name(Found[i]);
        Handle = NULL;
        if (LdrGetDllHandle(NULL, NULL, &String, &Handle) || Handle != Ntdll.Image)
            Wrong++;
    }
    for (size_t i = 0; i < sizeof(NotFound) / sizeof(*NotFound); i++) {
        UNICODE_STRING String = Name(NotFound[i]);
        if (LdrGetDllHandle(NULL, NULL, &String, &Handle) != STATUS_DLL_NOT_FOUND)
            Wrong++;
    }
    CHECK("ldr_dll_handle", Wrong == 0, "%d wrong", Wrong);
    CHECK("ldr_find_entry_for_address",
          LdrFindEntryForAddress(Ntdll.Image + 0x1234, &Entry) == STATUS_SUCCESS &&
              Entry == NtdllModule &&
              LdrFindEntryForAddress(Hello.Image, &Entry) == STATUS_SUCCESS &&
              Entry == HelloModule &&
              LdrFindEntryForAddress((PVOID)16, &Entry) == STATUS_NO_MORE_ENTRIES,
          "lookup by address");
    CHECK("ldr_list_order",
          Peb.Ldr->InLoadOrderModuleList.Flink == &HelloModule->InLoadOrderLinks &&
              HelloModule->InLoadOrderLinks.Flink == &NtdllModule->InLoadOrderLinks &&
              Peb.Ldr->InMemoryOrderModuleList.Flink == &HelloModule->InMemoryOrderLinks &&
              NtdllModule->BaseDllName.Length == 18,
          "program first, then ntdll");
}

static void TestModuleApi(void)
{
    UNICODE_STRING NtdllName = Name(u"ntdll.dll");
    WCHAR Buffer[64];
    UNICODE_STRING Full = {0, sizeof(Buffer), Buffer}, Small = {0, 8, Buffer};
    PVOID Handle = NULL, Base = (PVOID)1;
    int Wrong = 0;

    Wrong += LdrGetDllHandleEx(4, NULL, NULL, &NtdllName, &Handle) != STATUS_INVALID_PARAMETER;
    Wrong += LdrGetDllHandleEx(3, NULL, NULL, &NtdllName, &Handle) != STATUS_INVALID_PARAMETER;
    Wrong += LdrGetDllHandleEx(0, NULL, NULL, &NtdllName, &Handle) != 0 || Handle != Ntdll.Image;
    Wrong += LdrGetDllFullName(NULL, &Full) != 0 || Full.Length != 32 ||
             memcmp(Buffer, u"C:\\bin\\hello.exe", 34) != 0;
    Wrong += LdrGetDllFullName(Ntdll.Image, &Small) != STATUS_BUFFER_TOO_SMALL;
    Wrong += LdrGetDllFullName((PVOID)16, &Full) != STATUS_DLL_NOT_FOUND;
    Wrong += LdrAddRefDll(2, Ntdll.Image) != STATUS_INVALID_PARAMETER;
    Wrong += LdrAddRefDll(0, (PVOID)16) != STATUS_DLL_NOT_FOUND;
    Wrong += LdrAddRefDll(LDR_ADDREF_DLL_PIN, Ntdll.Image) != 0;
    Wrong += LdrDisableThreadCalloutsForDll(Ntdll.Image) != 0 ||
             !(NtdllModule->Flags & LDRP_DONT_CALL_FOR_THREADS);
    Wrong += RtlPcToFileHeader(Ntdll.Image + 0x1000, &Base) != Ntdll.Image || Base != Ntdll.Image ||
             RtlPcToFileHeader((PVOID)16, &Base) != NULL || Base;
    {
        /* LdrLoadDll / LdrUnloadDll need the file and section services:
         * base/ntapitest/ldr.c tests them in a real process. */
        Wrong += NtdllModule->ObsoleteLoadCount != 0xffff;
    }
    CHECK("ldr_module_api", Wrong == 0, "%d wrong", Wrong);
}

/* The file-layout helpers, on ntdll.dll as read from disk. */
static void TestFileImage(void)
{
    PIMAGE_NT_HEADERS64 Nt = RtlImageNtHeader(Ntdll.File);
    ULONG Size = 0, MappedSize;
    PIMAGE_EXPORT_DIRECTORY FileDir =
        RtlImageDirectoryEntryToData(Ntdll.File, FALSE, IMAGE_DIRECTORY_ENTRY_EXPORT, &Size);
    PIMAGE_EXPORT_DIRECTORY Mapped = ExportDirectory(&Ntdll, &MappedSize);
    PIMAGE_SECTION_HEADER Last = NULL;
    int Wrong = !Nt || !FileDir || Size != MappedSize || memcmp(FileDir, Mapped, sizeof(*Mapped));

    for (ULONG i = 0; !Wrong && i < Mapped->NumberOfNames; i++) {
        ULONG Rva = ((ULONG *)(Ntdll.Image + Mapped->AddressOfNames))[i];
        const char *FromFile = RtlImageRvaToVa(Nt, Ntdll.File, Rva, &Last);
        Wrong += !FromFile || strcmp(FromFile, (const char *)Ntdll.Image + Rva) != 0;
    }
    Wrong += RtlImageRvaToSection(Nt, Ntdll.File, Ntdll.SizeOfImage + 0x1000) != NULL;
    Wrong += RtlImageNtHeader(Hello.Image + 8) != NULL; /* no MZ there */
    CHECK("ldr_file_image", Wrong == 0, "%d wrong", Wrong);
}

/* An IAT in a read-only section (as MSVC lays images out) is made writable
 * for the snap and read-only again after; a failure to do so fails the
 * snap. */
static void TestReadOnlyIat(void)
{
    PIMAGE_NT_HEADERS64 Nt =
        (PIMAGE_NT_HEADERS64)(Hello.Image + ((PIMAGE_DOS_HEADER)Hello.Image)->e_lfanew);
    PIMAGE_DATA_DIRECTORY Iat = &Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IAT];
    PIMAGE_SECTION_HEADER Section = IMAGE_FIRST_SECTION(Nt);
    NTSTATUS Writable, ReadOnly, Refused;
    int Calls[3];

    memset(&Protects, 0, sizeof(Protects));
    Writable = LdrpSnapModule(HelloModule);
    Calls[0] = Protects.Calls;
    for (int i = 0; i < Nt->FileHeader.NumberOfSections; i++, Section++) {
        if (Iat->VirtualAddress - Section->VirtualAddress < Section->Misc.VirtualSize)
            Section->Characteristics &= ~IMAGE_SCN_MEM_WRITE;
    }
    Protects.Calls = 0;
    ReadOnly = LdrpSnapModule(HelloModule);
    Calls[1] = Protects.Calls;
    Protects.Calls = 0;
    ProtectStatus = STATUS_ACCESS_DENIED;
    Refused = LdrpSnapModule(HelloModule);
    Calls[2] = Protects.Calls;
    ProtectStatus = STATUS_SUCCESS;
    Restore(&Hello);
    CHECK("ldr_read_only_iat",
          Iat->VirtualAddress && Writable == STATUS_SUCCESS && Calls[0] == 0 &&
              ReadOnly == STATUS_SUCCESS && Calls[1] == 2 &&
              Protects.Base[0] == Hello.Image + Iat->VirtualAddress &&
              Protects.Size[0] == Iat->Size && Protects.Protect[0] == PAGE_READWRITE &&
              Protects.Protect[1] == 0x02 && Refused == STATUS_ACCESS_DENIED && Calls[2] == 1,
          "writable 0x%08x/%d calls, read-only 0x%08x/%d calls, refused 0x%08x/%d calls",
          (unsigned)Writable, Calls[0], (unsigned)ReadOnly, Calls[1], (unsigned)Refused, Calls[2]);
}

static void TestBadImports(void)
{
    NTSTATUS DllMissing, NameMissing, OutOfRange;
    PIMAGE_NT_HEADERS64 Nt =
        (PIMAGE_NT_HEADERS64)(Hello.Image + ((PIMAGE_DOS_HEADER)Hello.Image)->e_lfanew);

    Patch(&Hello, "ntdll.dll", "kernel32.dll");
    DllMissing = LdrpSnapModule(HelloModule);
    Restore(&Hello);
    Patch(&Hello, "strlen", "strlex");
    NameMissing = LdrpSnapModule(HelloModule);
    Restore(&Hello);
    Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress =
        Hello.SizeOfImage - 8;
    OutOfRange = LdrpSnapModule(HelloModule);
    Restore(&Hello);
    CHECK("ldr_bad_imports",
          DllMissing == STATUS_DLL_NOT_FOUND && NameMissing == STATUS_ENTRYPOINT_NOT_FOUND &&
              OutOfRange == STATUS_INVALID_IMAGE_FORMAT,
          "dll 0x%08x name 0x%08x range 0x%08x", (unsigned)DllMissing, (unsigned)NameMissing,
          (unsigned)OutOfRange);
}

static ULONG Random(ULONGLONG *State)
{
    *State = *State * 6364136223846793005ULL + 1442695040888963407ULL;
    return (ULONG)(*State >> 33);
}

/* Corrupt Count random bytes (or 32-bit words) of [Start, Start + Length). */
static void Corrupt(TEST_IMAGE *Image, ULONG Start, ULONG Length, ULONGLONG *State)
{
    ULONG Count = 1 + Random(State) % 4;

    for (ULONG i = 0; i < Count && Length >= 4; i++) {
        ULONG Offset = Start + Random(State) % (Length - 3);
        if (Random(State) & 1)
            Image->Image[Offset] = (UCHAR)Random(State);
        else
            memcpy(Image->Image + Offset, &(ULONG){Random(State) % (Image->SizeOfImage + 64)}, 4);
    }
}

static void TestFuzz(void)
{
    PIMAGE_NT_HEADERS64 HelloNt =
        (PIMAGE_NT_HEADERS64)(Hello.Image + ((PIMAGE_DOS_HEADER)Hello.Image)->e_lfanew);
    PIMAGE_DATA_DIRECTORY Imports =
        &HelloNt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    ULONG ImportStart = Imports->VirtualAddress, ExportSize;
    ULONG ExportStart = (ULONG)((UCHAR *)ExportDirectory(&Ntdll, &ExportSize) - Ntdll.Image);
    ULONGLONG State = 1;
    ULONG Failed = 0;

    for (int i = 0; i < 20000; i++) {
        /* The import area: descriptors, lookup tables, names (hello keeps
         * them together in .idata). */
        Corrupt(&Hello, ImportStart, 0x200, &State);
        if (i % 3 == 0)
            Corrupt(&Ntdll, ExportStart, ExportSize, &State);
        if (i % 5 == 0) /* the headers: e_lfanew, data directories, sizes */
            Corrupt(&Hello, 0, 0x200, &State);
        if (!NT_SUCCESS(LdrpSnapModule(HelloModule)))
            Failed++;
        Restore(&Hello);
        if (i % 3 == 0)
            Restore(&Ntdll);
    }
    CHECK("ldr_fuzz_tables", Failed > 0 && Failed < 20000,
          "%u of 20000 corrupted snaps failed (all or none is suspicious)", Failed);
}

int main(int argc, char **argv)
{
    UNICODE_STRING HelloPath = Name(u"C:\\bin\\hello.exe");
    UNICODE_STRING NtdllPath = Name(u"C:\\Windows\\System32\\ntdll.dll");
    UNICODE_STRING FwdPath = Name(u"C:\\bin\\fwd.dll");
    NTSTATUS a, b, c;

    if (argc < 4 || !LoadImage(argv[1], &Ntdll) || !LoadImage(argv[2], &Hello) ||
        !LoadImage(argv[3], &Fwd)) {
        printf("TEST-FAIL ntdll-build.ldr_setup: usage: ldr_test NTDLL HELLO FWD\n");
        return 1;
    }
    LdrpInitializeModuleList(&Peb);
    a = LdrpCreateModule(Hello.Image, &HelloPath, 0, &HelloModule);
    b = LdrpCreateModule(Ntdll.Image, &NtdllPath, LDRP_IMAGE_DLL, &NtdllModule);
    c = LdrpCreateModule(Fwd.Image, &FwdPath, LDRP_IMAGE_DLL, &FwdModule);
    CHECK("ldr_create_modules", !a && !b && !c, "0x%08x 0x%08x 0x%08x", (unsigned)a, (unsigned)b,
          (unsigned)c);
    if (a || b || c)
        return 1;
    TestSnapProgram("ldr_snap_hello", &Hello, HelloModule);
    TestEveryExport();
    TestNotFound();
    TestForwarders();
    TestModuleLookup();
    TestModuleApi();
    TestFileImage();
    TestReadOnlyIat();
    TestBadImports();
    TestFuzz();
    TestCompat(argc - 4, argv + 4);
    return Failures ? 1 : 0;
}
