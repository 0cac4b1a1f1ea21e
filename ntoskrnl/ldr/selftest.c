/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldr/selftest.c: the loader's part of the self-test (io/selftest.h): the
 * runtime's export lookup, and loads of the test drivers: broken images, a
 * missing import and a missing DLL fail with Windows' statuses, an import
 * of ntdll.dll binds through ntdll's loader, dhtest.sys loads at its base
 * with its sections protected as it asks.
 */

#include "ldrp.h"
#include "../io/selftest.h"

NTSYSAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                                             ULONG InformationClass, PVOID Information,
                                             SIZE_T Length, PSIZE_T ReturnLength);

static VOID LdrpSelfTestExports(VOID)
{
    UNICODE_STRING Ntdll = RTL_CONSTANT_STRING(L"ntdll.dll");
    ANSI_STRING Name = RTL_CONSTANT_STRING("DbgBreakPoint");
    PVOID Address = NULL, Expected = NULL, NtdllBase;

    ST_CHECK_EQ(LdrpFindRuntimeExport("IofCompleteRequest", 0, 0, &Address), STATUS_SUCCESS);
    ST_CHECK(Address == (PVOID)IofCompleteRequest);
    Address = NULL;
    ST_CHECK_EQ(LdrpFindRuntimeExport("IofCallDriver", 0xffff, 0, &Address), STATUS_SUCCESS);
    ST_CHECK(Address == (PVOID)IofCallDriver);
    /* A forwarder: ntdll's own routine. */
    if (ST_CHECK_EQ(LdrLoadDll(NULL, NULL, &Ntdll, &NtdllBase), STATUS_SUCCESS) &&
        ST_CHECK_EQ(LdrGetProcedureAddress(NtdllBase, &Name, 0, &Expected), STATUS_SUCCESS)) {
        ST_CHECK_EQ(LdrpFindRuntimeExport("DbgBreakPoint", 0, 0, &Address), STATUS_SUCCESS);
        ST_CHECK(Address == Expected);
    }
    ST_CHECK_EQ(LdrpFindRuntimeExport("NereidMissingRoutine", 0, 0, &Address),
                STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
    ST_CHECK_EQ(LdrpFindRuntimeExport("", 0, 0, &Address), STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
    ST_CHECK_EQ(LdrpFindRuntimeExport(NULL, 0, 0, &Address), STATUS_DRIVER_ORDINAL_NOT_FOUND);
    ST_CHECK_EQ(LdrpFindRuntimeExport(NULL, 0, 0x10000, &Address), STATUS_DRIVER_ORDINAL_NOT_FOUND);
}

/* Whether Address is in the image's import address table. */
static BOOLEAN LdrpSelfTestFindIat(PVOID Base, PVOID Address)
{
    PIMAGE_NT_HEADERS64 Nt =
        (PIMAGE_NT_HEADERS64)((PUCHAR)Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
    PIMAGE_DATA_DIRECTORY Iat = &Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IAT];
    PULONGLONG Slot = (PULONGLONG)((PUCHAR)Base + Iat->VirtualAddress);
    ULONG Index;

    for (Index = 0; Index < Iat->Size / sizeof(ULONGLONG); Index++)
        if (Slot[Index] == (ULONGLONG)(ULONG_PTR)Address)
            return TRUE;
    return FALSE;
}

static NTSTATUS LdrpSelfTestLoad(PCWSTR Name, PVOID *Base, SIZE_T *Size, PDRIVER_INITIALIZE *Entry)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, Name);
    return LdrpLoadDriverImage(&String, Base, Size, Entry);
}

static VOID LdrpSelfTestBadImages(VOID)
{
    PDRIVER_INITIALIZE Entry;
    PVOID Base;
    SIZE_T Size;

    ST_CHECK_EQ(LdrpSelfTestLoad(L"dhnoimp.sys", &Base, &Size, &Entry),
                STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
    ST_CHECK_EQ(LdrpSelfTestLoad(L"dhnodll.sys", &Base, &Size, &Entry), STATUS_DLL_NOT_FOUND);
    ST_CHECK_EQ(LdrpSelfTestLoad(L"dhtrunc.sys", &Base, &Size, &Entry),
                STATUS_INVALID_IMAGE_FORMAT);
    ST_CHECK_EQ(LdrpSelfTestLoad(L"dhmachine.sys", &Base, &Size, &Entry),
                STATUS_INVALID_IMAGE_FORMAT);
    ST_CHECK_EQ(LdrpSelfTestLoad(L"dhnosuch.sys", &Base, &Size, &Entry),
                STATUS_OBJECT_NAME_NOT_FOUND);
    ST_CHECK_EQ(LdrpSelfTestLoad(L"\\SystemRoot\\System32\\dhfail.sys\\x", &Base, &Size, &Entry),
                STATUS_OBJECT_PATH_NOT_FOUND);
}

/* dhdll.sys imports ntdll.dll!NtYieldExecution: bound through ntdll's
 * loader to ntdll's own routine, which DriverEntry then calls. */
static VOID LdrpSelfTestOtherDll(VOID)
{
    UNICODE_STRING Ntdll = RTL_CONSTANT_STRING(L"ntdll.dll");
    ANSI_STRING Name = RTL_CONSTANT_STRING("NtYieldExecution");
    PDRIVER_INITIALIZE Entry;
    PVOID Base, NtdllBase, Expected = NULL;
    SIZE_T Size;

    if (!ST_CHECK_EQ(LdrpSelfTestLoad(L"dhdll.sys", &Base, &Size, &Entry), STATUS_SUCCESS))
        return;
    if (ST_CHECK_EQ(LdrLoadDll(NULL, NULL, &Ntdll, &NtdllBase), STATUS_SUCCESS) &&
        ST_CHECK_EQ(LdrGetProcedureAddress(NtdllBase, &Name, 0, &Expected), STATUS_SUCCESS))
        ST_CHECK(LdrpSelfTestFindIat(Base, Expected));
    ST_CHECK_EQ(Entry(NULL, NULL), STATUS_SUCCESS);
    ZwUnmapViewOfSection(NtCurrentProcess(), Base);
}

/* The protection of the page at Address (MemoryBasicInformation). */
static ULONG LdrpSelfTestProtection(PVOID Address)
{
    struct { /* MEMORY_BASIC_INFORMATION, x64 (not in the ddk headers) */
        PVOID BaseAddress, AllocationBase;
        ULONG AllocationProtect;
        SIZE_T RegionSize;
        ULONG State, Protect, Type;
    } Info;

    if (!NT_SUCCESS(
            NtQueryVirtualMemory(NtCurrentProcess(), Address, 0, &Info, sizeof(Info), NULL)))
        return MAXULONG;
    return Info.Protect;
}

/* dhtest.sys: its base, size and entry; .text executable and read-only,
 * .data writable (copy-on-write until written). Left loaded: the ring
 * test drives it. */
VOID LdrpSelfTest(VOID)
{
    PIMAGE_NT_HEADERS64 Nt;
    PIMAGE_SECTION_HEADER Section;
    PDRIVER_INITIALIZE Entry;
    PVOID Base;
    SIZE_T Size;
    ULONG Index;

    LdrpSelfTestExports();
    LdrpSelfTestBadImages();
    LdrpSelfTestOtherDll();
    if (!ST_CHECK_EQ(LdrpSelfTestLoad(L"dhtest.sys", &Base, &Size, &Entry), STATUS_SUCCESS))
        return;
    ST_CHECK_EQ(Base, 0x140000000);
    Nt = (PIMAGE_NT_HEADERS64)((PUCHAR)Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
    ST_CHECK_EQ(Size, Nt->OptionalHeader.SizeOfImage);
    ST_CHECK((PUCHAR)Entry == (PUCHAR)Base + Nt->OptionalHeader.AddressOfEntryPoint);
    Section = IMAGE_FIRST_SECTION(Nt);
    for (Index = 0; Index < Nt->FileHeader.NumberOfSections; Index++, Section++) {
        if (memcmp(Section->Name, ".text", 6) == 0)
            ST_CHECK_EQ(LdrpSelfTestProtection((PUCHAR)Base + Section->VirtualAddress),
                        PAGE_EXECUTE_READ);
        if (memcmp(Section->Name, ".rdata", 7) == 0)
            ST_CHECK_EQ(LdrpSelfTestProtection((PUCHAR)Base + Section->VirtualAddress),
                        PAGE_READONLY);
    }
    ZwUnmapViewOfSection(NtCurrentProcess(), Base);
}
