/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The loader as programs see it: the module lists after start-up (ntdll
 * first in initialisation order, the program not in it), the loader lock
 * free between calls, LdrLoadDll / LdrUnloadDll of ntdll (pinned) and of
 * the test DLLs (base/ldrtestdll, ldrdepdll, ldrfaildll: DllMain and TLS
 * callback order and arguments, imports loaded and snapped, relocation,
 * reference counts down to the unmapping, a DllMain that fails), and the
 * version numbers. DLL_THREAD_ATTACH/DETACH needs a second thread.
 */
#include "ntapitest.h"
#include <ldrtest.h>

NTSYSAPI int strcmp(const char *First, const char *Second);

#define LDRTEST_MEM_FREE 0x10000u
#ifndef CONTAINING_RECORD
#define CONTAINING_RECORD(address, type, field) ((type *)((PUCHAR)(address)-offsetof(type, field)))
#endif

static UNICODE_STRING LdrTestName(PCWSTR Text)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, Text);
    return String;
}

static PVOID LdrTestProc(PVOID Base, PCSTR Name)
{
    ANSI_STRING String;
    PVOID Address = NULL;

    RtlInitAnsiString(&String, Name);
    if (!NT_SUCCESS(LdrGetProcedureAddress(Base, &String, 0, &Address)))
        return NULL;
    return Address;
}

static PLDR_DATA_TABLE_ENTRY LdrTestEntry(PVOID Base)
{
    PLDR_DATA_TABLE_ENTRY Entry = NULL;

    LdrFindEntryForAddress(Base, &Entry);
    return Entry;
}

static BOOLEAN LdrTestLoaded(PCWSTR Name)
{
    UNICODE_STRING String = LdrTestName(Name);
    PVOID Base = NULL;

    return NT_SUCCESS(LdrGetDllHandle(NULL, NULL, &String, &Base));
}

static ULONG LdrTestRegionState(PVOID Address)
{
    struct {
        PVOID BaseAddress, AllocationBase;
        ULONG AllocationProtect;
        SIZE_T RegionSize;
        ULONG State, Protect, Type;
    } Info;

    if (!NT_SUCCESS(NtQueryVirtualMemory(NtCurrentProcess(), Address, 0, &Info, 0x30, NULL)))
        return 0;
    return Info.State;
}

/* ---- after start-up ------------------------------------------------------------------ */

TEST(ldr, module_lists_after_startup)
{
    PPEB Peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    PLIST_ENTRY Init = &Peb->Ldr->InInitializationOrderModuleList, Link;
    PLDR_DATA_TABLE_ENTRY First, Program;
    UNICODE_STRING Ntdll = LdrTestName(u"ntdll.dll");
    PVOID NtdllBase = NULL;

    CHECK(Peb->Ldr->Initialized);
    Program = (PLDR_DATA_TABLE_ENTRY)Peb->Ldr->InLoadOrderModuleList.Flink;
    CHECK_EQ(Program->DllBase, Peb->ImageBaseAddress);
    CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &Ntdll, &NtdllBase), STATUS_SUCCESS);
    if (!CHECK(Init->Flink != Init))
        return;
    First = CONTAINING_RECORD(Init->Flink, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
    CHECK_EQ(First->DllBase, NtdllBase);
    for (Link = Init->Flink; Link != Init; Link = Link->Flink)
        CHECK(CONTAINING_RECORD(Link, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks) != Program);
    CHECK_EQ(Program->ObsoleteLoadCount, 0xffff);
}

TEST(ldr, loader_lock_free_between_calls)
{
    PRTL_CRITICAL_SECTION Lock = NtCurrentTeb()->ProcessEnvironmentBlock->LoaderLock;

    CHECK(Lock != NULL);
    CHECK(Lock && !RtlIsCriticalSectionLocked(Lock));
}

TEST(ldr, ntdll_is_pinned)
{
    UNICODE_STRING Name = LdrTestName(u"ntdll.dll"), Upper = LdrTestName(u"NTDLL");
    PVOID Base = NULL, Again = NULL;
    PLDR_DATA_TABLE_ENTRY Entry;

    CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_SUCCESS);
    CHECK(Base != NULL);
    CHECK_STATUS(LdrLoadDll(NULL, NULL, &Upper, &Again), STATUS_SUCCESS);
    CHECK_EQ(Again, Base);
    Entry = LdrTestEntry(Base);
    CHECK(Entry && Entry->ObsoleteLoadCount == 0xffff);
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
    CHECK(LdrTestLoaded(u"ntdll.dll"));
}

TEST(ldr, bad_arguments)
{
    UNICODE_STRING Name = LdrTestName(u"ntdll.dll");
    PVOID Base = (PVOID)1;

    CHECK_STATUS(LdrLoadDll(NULL, NULL, NULL, &Base), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(LdrUnloadDll((PVOID)0x10000), STATUS_DLL_NOT_FOUND);
    CHECK_STATUS(LdrUnloadDll(NULL), STATUS_DLL_NOT_FOUND);
}

TEST(ldr, version_matches_peb_and_shared_data)
{
    PPEB Peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    const KUSER_SHARED_DATA *Shared = (const KUSER_SHARED_DATA *)NTAPI_READONLY_POINTER;
    RTL_OSVERSIONINFOEXW Info;
    ULONG Major = 0, Minor = 7, Build = 0;

    memset(&Info, 0xcc, sizeof(Info));
    Info.dwOSVersionInfoSize = sizeof(Info);
    CHECK_STATUS(RtlGetVersion(&Info), STATUS_SUCCESS);
    CHECK_EQ(Info.dwMajorVersion, Peb->OSMajorVersion);
    CHECK_EQ(Info.dwMinorVersion, Peb->OSMinorVersion);
    CHECK_EQ(Info.dwBuildNumber, Peb->OSBuildNumber);
    CHECK_EQ(Info.dwPlatformId, 2);
    CHECK_EQ(Info.dwMajorVersion, Shared->NtMajorVersion);
    CHECK_EQ(Info.dwMinorVersion, Shared->NtMinorVersion);
    CHECK_EQ(Info.dwBuildNumber, Shared->NtBuildNumber);
    CHECK_EQ(Info.szCSDVersion[0], 0);
    CHECK_EQ(Info.wProductType, Shared->NtProductType);
    CHECK_EQ(Info.wSuiteMask, (USHORT)Shared->SuiteMask);
    RtlGetNtVersionNumbers(&Major, &Minor, &Build);
    CHECK_EQ(Major, Info.dwMajorVersion);
    CHECK_EQ(Minor, Info.dwMinorVersion);
    CHECK_EQ(Build, 0xf0000000u | Info.dwBuildNumber);
    RtlGetNtVersionNumbers(NULL, NULL, NULL);
}

TEST(ldr, version_size_checked)
{
    RTL_OSVERSIONINFOEXW Info;

    memset(&Info, 0, sizeof(Info));
    Info.dwOSVersionInfoSize = RTL_OSVERSIONINFOW_SIZE;
    CHECK_STATUS(RtlGetVersion(&Info), STATUS_SUCCESS);
    CHECK(Info.dwMajorVersion >= 6);
    CHECK_EQ(Info.wProductType, 0); /* the short form has no Ex fields */
    Info.dwOSVersionInfoSize = 100;
    CHECK_STATUS(RtlGetVersion(&Info), STATUS_INVALID_PARAMETER);
}

/* ---- DLLs from disk ------------------------------------------------------------------- */

TEST(ldr, missing_dll_not_found)
{
    UNICODE_STRING Name = LdrTestName(u"nosuchdll.dll");
    PVOID Base = (PVOID)1;

    CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_DLL_NOT_FOUND);
    CHECK(Base == NULL);
    CHECK(!RtlIsCriticalSectionLocked(NtCurrentTeb()->ProcessEnvironmentBlock->LoaderLock));
}

TEST(ldr, load_calls_dllmain_after_imports)
{
    UNICODE_STRING Name = LdrTestName(u"ldrtestdll.dll");
    const LDRTEST_EVENT *Events = NULL;
    LDRTEST_GET_EVENTS GetEvents;
    PVOID Base = NULL;
    ULONG Count;

    if (!CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_SUCCESS))
        return;
    CHECK(LdrTestLoaded(u"ldrdepdll.dll"));
    GetEvents = (LDRTEST_GET_EVENTS)LdrTestProc(Base, "LdrTestGetEvents");
    if (CHECK(GetEvents != NULL)) {
        Count = GetEvents(&Events);
        CHECK_EQ(Count, 2); /* the TLS callback, then DllMain */
        if (Count >= 2) {
            CHECK_EQ(Events[0].Kind, LDRTEST_KIND_TLS);
            CHECK_EQ(Events[1].Kind, LDRTEST_KIND_DLLMAIN);
            CHECK_EQ(Events[1].Reason, 1);
            CHECK(!Events[1].ReservedSet); /* a dynamic load */
            CHECK(Events[1].LoaderLocked);
            CHECK(Events[1].OwnBase);
            CHECK(Events[1].DepAttached);
            CHECK_EQ(Events[1].ThreadId, NtCurrentTeb()->ClientId.UniqueThread);
        }
    }
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
    CHECK(!LdrTestLoaded(u"ldrtestdll.dll"));
    CHECK(!LdrTestLoaded(u"ldrdepdll.dll"));
}

TEST(ldr, imports_snapped_and_relocated)
{
    UNICODE_STRING Name = LdrTestName(u"ldrtestdll"), Dep = LdrTestName(u"ldrdepdll.dll");
    PVOID Base = NULL, DepBase = NULL;
    LDRTEST_DEP_SUM Sum;
    LDRDEP_RELOCATED Relocated;

    if (!CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_SUCCESS))
        return;
    CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &Dep, &DepBase), STATUS_SUCCESS);
    /* Both were linked for 0x180000000: at most one can be there. */
    CHECK(Base != DepBase);
    CHECK((ULONG_PTR)Base != 0x180000000ull || (ULONG_PTR)DepBase != 0x180000000ull);
    Sum = (LDRTEST_DEP_SUM)LdrTestProc(Base, "LdrTestDepSum");
    Relocated = (LDRDEP_RELOCATED)LdrTestProc(DepBase, "LdrDepRelocated");
    CHECK(Sum && Sum(2, 3) == 5);
    CHECK(Relocated && Relocated());
    CHECK(LdrTestProc(DepBase, "NoSuchExport") == NULL);
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
}

TEST(ldr, reference_counts_and_unload)
{
    UNICODE_STRING Name = LdrTestName(u"ldrtestdll.dll");
    PVOID Base = NULL, Again = NULL;
    volatile ULONG Detached = 0;
    LDRTEST_SET_DETACH_TARGET SetTarget;
    PLDR_DATA_TABLE_ENTRY Entry;

    if (!CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_SUCCESS))
        return;
    CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Again), STATUS_SUCCESS);
    CHECK_EQ(Again, Base);
    Entry = LdrTestEntry(Base);
    CHECK(Entry && Entry->ObsoleteLoadCount == 2);
    SetTarget = (LDRTEST_SET_DETACH_TARGET)LdrTestProc(Base, "LdrTestSetDetachTarget");
    if (!CHECK(SetTarget != NULL))
        return;
    SetTarget(&Detached);
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
    CHECK_EQ(Detached, 0); /* one reference left */
    CHECK(LdrTestLoaded(u"ldrtestdll.dll"));
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
    CHECK_EQ(Detached, 0x100); /* DLL_PROCESS_DETACH */
    CHECK(!LdrTestLoaded(u"ldrtestdll.dll"));
    CHECK(!LdrTestLoaded(u"ldrdepdll.dll")); /* its import went with it */
    CHECK_EQ(LdrTestRegionState(Base), LDRTEST_MEM_FREE);
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_DLL_NOT_FOUND);
}

TEST(ldr, shared_import_keeps_its_reference)
{
    UNICODE_STRING Name = LdrTestName(u"ldrtestdll.dll"), Dep = LdrTestName(u"ldrdepdll.dll");
    PVOID Base = NULL, DepBase = NULL;
    LDRDEP_ATTACHED Attached;

    if (!CHECK_STATUS(LdrLoadDll(NULL, NULL, &Dep, &DepBase), STATUS_SUCCESS))
        return;
    CHECK_EQ(LdrTestEntry(DepBase)->ObsoleteLoadCount, 1);
    if (CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_SUCCESS)) {
        CHECK_EQ(LdrTestEntry(DepBase)->ObsoleteLoadCount, 2);
        CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
    }
    CHECK(LdrTestLoaded(u"ldrdepdll.dll"));
    CHECK_EQ(LdrTestEntry(DepBase)->ObsoleteLoadCount, 1);
    Attached = (LDRDEP_ATTACHED)LdrTestProc(DepBase, "LdrDepAttached");
    CHECK(Attached && Attached() == 1); /* attached once, never detached meanwhile */
    CHECK_STATUS(LdrUnloadDll(DepBase), STATUS_SUCCESS);
    CHECK(!LdrTestLoaded(u"ldrdepdll.dll"));
}

TEST(ldr, failing_dllmain_unloads)
{
    UNICODE_STRING Name = LdrTestName(u"ldrfaildll.dll");
    PVOID Base = (PVOID)1;

    CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_DLL_INIT_FAILED);
    CHECK(Base == NULL);
    CHECK(!LdrTestLoaded(u"ldrfaildll.dll"));
}

TEST(ldr, dll_tls_for_this_thread)
{
    UNICODE_STRING Name = LdrTestName(u"ldrtestdll.dll");
    LDRTEST_THREAD_DATA ThreadData;
    LDRTEST_TLS *Data;
    PVOID Base = NULL;
    PUCHAR Fill;
    ULONG Index;

    if (!CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_SUCCESS))
        return;
    ThreadData = (LDRTEST_THREAD_DATA)LdrTestProc(Base, "LdrTestThreadData");
    Data = ThreadData ? ThreadData() : NULL;
    if (CHECK(Data != NULL)) {
        CHECK_EQ(Data->Magic, LDRTEST_TLS_MAGIC);
        CHECK_EQ(Data->Value, 5);
        Fill = (PUCHAR)(Data + 1);
        for (Index = 0; Index < LDRTEST_TLS_ZERO_FILL; Index++)
            CHECK_EQ(Fill[Index], 0);
    }
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
}

static NTSTATUS NTAPI LdrTestIdleThread(PVOID Parameter)
{
    (void)Parameter;
    return STATUS_SUCCESS;
}

TEST(ldr, thread_attach_and_detach)
{
    UNICODE_STRING Name = LdrTestName(u"ldrtestdll.dll");
    const LDRTEST_EVENT *Events = NULL;
    LDRTEST_GET_EVENTS GetEvents;
    HANDLE Thread = NULL;
    PVOID Base = NULL;
    ULONG Count, Index, Attach = 0, Detach = 0;

    if (!CHECK_STATUS(LdrLoadDll(NULL, NULL, &Name, &Base), STATUS_SUCCESS))
        return;
    if (CHECK_STATUS(NtCreateThreadEx(&Thread, 0x001fffff, NULL, NtCurrentProcess(),
                                      (PVOID)LdrTestIdleThread, NULL, 0, 0, 0, 0, NULL),
                     STATUS_SUCCESS)) {
        CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, NULL), STATUS_SUCCESS);
        NtClose(Thread);
    }
    GetEvents = (LDRTEST_GET_EVENTS)LdrTestProc(Base, "LdrTestGetEvents");
    Count = GetEvents ? GetEvents(&Events) : 0;
    for (Index = 0; Index < Count; Index++) {
        if (Events[Index].Kind != LDRTEST_KIND_DLLMAIN)
            continue;
        Attach += Events[Index].Reason == 2;
        Detach += Events[Index].Reason == 3;
        if (Events[Index].Reason >= 2)
            CHECK(Events[Index].ThreadId != NtCurrentTeb()->ClientId.UniqueThread);
    }
    CHECK_EQ(Attach, 1);
    CHECK_EQ(Detach, 1);
    CHECK_STATUS(LdrUnloadDll(Base), STATUS_SUCCESS);
}

TEST(ldr, query_process_module_information)
{
    static UCHAR Buffer[8 + 8 * sizeof(RTL_PROCESS_MODULE_INFORMATION)];
    PRTL_PROCESS_MODULES Modules = (PRTL_PROCESS_MODULES)Buffer;
    PPEB Peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    ULONG Needed = 0, Index;
    BOOLEAN SawNtdll = FALSE;

    CHECK_STATUS(LdrQueryProcessModuleInformation(Modules, 8, &Needed),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK(Needed >= 8 + 2 * sizeof(RTL_PROCESS_MODULE_INFORMATION));
    if (!CHECK(Needed <= sizeof(Buffer)))
        return;
    CHECK_STATUS(LdrQueryProcessModuleInformation(Modules, sizeof(Buffer), &Needed),
                 STATUS_SUCCESS);
    CHECK_EQ(8 + Modules->NumberOfModules * sizeof(RTL_PROCESS_MODULE_INFORMATION), Needed);
    CHECK_EQ(Modules->Modules[0].ImageBase, Peb->ImageBaseAddress);
    for (Index = 0; Index < Modules->NumberOfModules; Index++) {
        PRTL_PROCESS_MODULE_INFORMATION Info = &Modules->Modules[Index];
        CHECK_EQ(Info->LoadOrderIndex, Index);
        if (strcmp((PCSTR)Info->FullPathName + Info->OffsetToFileName, "ntdll.dll") == 0) {
            SawNtdll = TRUE;
            CHECK_EQ(Info->LoadCount, 0xffff);
            CHECK(Info->OffsetToFileName > 0);
        }
    }
    CHECK(SawNtdll);
}
