/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's loader exports that programs call (ntdll/ldr/): loading and
 * unloading DLLs, module lookups, the loader lock, and the version the
 * system reports (RtlGetVersion, RtlGetNtVersionNumbers: the PEB's
 * OSMajorVersion/OSMinorVersion/OSBuildNumber, which ntos fills in
 * agreement with KUSER_SHARED_DATA). Component: ntdllrt.
 */
#pragma once

#include <nt/types.h>

/* Load Name (a base name, searched in \SystemRoot\System32 and
 * \SystemRoot; ".dll" implied without an extension) with its imports and
 * call DllMain(DLL_PROCESS_ATTACH) of every DLL newly loaded; a loaded one
 * gets a reference. DllPath and DllCharacteristics are ignored. */
NTSYSAPI NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics,
                                   PUNICODE_STRING DllName, PVOID *BaseAddress);
/* Drop a reference; the last one calls DllMain(DLL_PROCESS_DETACH),
 * releases the DLL's imports and unmaps it. */
NTSYSAPI NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress);
NTSYSAPI NTSTATUS NTAPI LdrGetDllHandleEx(ULONG Flags, PWSTR DllPath, PULONG DllCharacteristics,
                                          PUNICODE_STRING DllName, PVOID *DllHandle);
NTSYSAPI NTSTATUS NTAPI LdrAddRefDll(ULONG Flags, PVOID BaseAddress);
NTSYSAPI NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID BaseAddress);
NTSYSAPI NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address,
                                               struct _LDR_DATA_TABLE_ENTRY **Module);
NTSYSAPI NTSTATUS NTAPI LdrLockLoaderLock(ULONG Flags, PULONG Disposition, PULONG_PTR Cookie);
NTSYSAPI NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG Flags, ULONG_PTR Cookie);
NTSYSAPI VOID NTAPI RtlAcquirePebLock(void);
NTSYSAPI VOID NTAPI RtlReleasePebLock(void);

typedef struct _RTL_PROCESS_MODULE_INFORMATION {
    HANDLE Section;
    PVOID MappedBase;
    PVOID ImageBase;
    ULONG ImageSize;
    ULONG Flags;
    USHORT LoadOrderIndex;
    USHORT InitOrderIndex;
    USHORT LoadCount;
    USHORT OffsetToFileName;
    UCHAR FullPathName[256];
} RTL_PROCESS_MODULE_INFORMATION, *PRTL_PROCESS_MODULE_INFORMATION;
_Static_assert(sizeof(RTL_PROCESS_MODULE_INFORMATION) == 0x128, "RTL_PROCESS_MODULE_INFORMATION");

typedef struct _RTL_PROCESS_MODULES {
    ULONG NumberOfModules;
    RTL_PROCESS_MODULE_INFORMATION Modules[1];
} RTL_PROCESS_MODULES, *PRTL_PROCESS_MODULES;

/* The loaded modules in load order; STATUS_INFO_LENGTH_MISMATCH (with
 * *ReturnedSize the size needed) when Size is too small. */
NTSYSAPI NTSTATUS NTAPI LdrQueryProcessModuleInformation(PRTL_PROCESS_MODULES ModuleInformation,
                                                         ULONG Size, PULONG ReturnedSize);

typedef struct _RTL_OSVERSIONINFOEXW {
    ULONG dwOSVersionInfoSize;
    ULONG dwMajorVersion;
    ULONG dwMinorVersion;
    ULONG dwBuildNumber;
    ULONG dwPlatformId;
    WCHAR szCSDVersion[128];
    USHORT wServicePackMajor;
    USHORT wServicePackMinor;
    USHORT wSuiteMask;
    UCHAR wProductType;
    UCHAR wReserved;
} RTL_OSVERSIONINFOEXW, *PRTL_OSVERSIONINFOEXW;
_Static_assert(sizeof(RTL_OSVERSIONINFOEXW) == 0x11c, "RTL_OSVERSIONINFOEXW");
#define RTL_OSVERSIONINFOW_SIZE 0x114 /* the form without the Ex fields */

/* dwOSVersionInfoSize must be one of the two sizes (STATUS_INVALID_PARAMETER). */
NTSYSAPI NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOEXW VersionInformation);
/* Any pointer may be NULL. The build number carries 0xF0000000 (a free build). */
NTSYSAPI VOID NTAPI RtlGetNtVersionNumbers(PULONG MajorVersion, PULONG MinorVersion,
                                           PULONG BuildNumber);
