/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The framework of ntapitest.exe, the native API test suite (suite `nt`):
 * TEST(area, what) defines a test named `nt.<area>_<what>` and registers it
 * in the grouped PE section .rdata$ntapi_b (the linker sorts .rdata$* by
 * name, so the markers in .rdata$ntapi_a and .rdata$ntapi_c of main.c
 * bracket every entry). The checks print nothing when they hold; the first
 * one that fails prints `TEST-FAIL nt.<name>: <file>:<line> ...` and later
 * ones an indented `also:` line, so each test yields one protocol line
 * (docs/layout.md). Checks return whether they held and never leave the
 * test. Also here: the Windows records the tests read (layouts as Windows
 * defines them, not ntos's), access masks and information classes.
 */
#pragma once

#include <ntnative.h>
#include <ntsvc.h>

/* The C routines of ntdll the tests use (ntnative.h declares strlen). */
NTSYSAPI void *memset(void *Destination, int Value, size_t Count);
NTSYSAPI int memcmp(const void *First, const void *Second, size_t Count);

/* 16-aligned, so that the linker's padding between the sections of two
 * objects (16 bytes at most) never breaks the array. */
typedef struct __attribute__((aligned(16))) _NTAPI_TEST {
    PCSTR Name;
    VOID (*Routine)(VOID);
    PCSTR KnownBug; /* NULL, or why the executive fails it today */
} NTAPI_TEST;
_Static_assert(sizeof(NTAPI_TEST) == 32, "NTAPI_TEST");

#define NTAPI_REGISTER(area, what, bug)                                                            \
    static VOID NtapiTest_##area##_##what(VOID);                                                   \
    static const NTAPI_TEST NtapiEntry_##area##_##what                                             \
        __attribute__((used, section(".rdata$ntapi_b"))) = {#area "_" #what,                       \
                                                            NtapiTest_##area##_##what, bug};       \
    static VOID NtapiTest_##area##_##what(VOID)

#define TEST(area, what) NTAPI_REGISTER(area, what, NULL)
/* A test of Windows behaviour the executive gets wrong today: built always,
 * run only when ntapitest is built with NTAPITEST_KNOWN_BUGS=1 (`make test-nt
 * NTAPITEST_KNOWN_BUGS=1`), so the registered run stays green. Remove the
 * marker with the fix. */
#define TEST_KNOWN_BUG(area, what, bug) NTAPI_REGISTER(area, what, bug)

#define CHECK_STATUS(expr, expected) NtapiCheckStatus((expr), (expected), __FILE__, __LINE__)
#define CHECK(cond)                  NtapiCheck(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_EQ(a, b)                                                                             \
    NtapiCheckEq((ULONGLONG)(a), (ULONGLONG)(b), __FILE__, __LINE__, #a " == " #b)

BOOLEAN NtapiCheckStatus(NTSTATUS Got, NTSTATUS Expected, PCSTR File, int Line);
BOOLEAN NtapiCheck(BOOLEAN Ok, PCSTR File, int Line, PCSTR Expression);
BOOLEAN NtapiCheckEq(ULONGLONG Got, ULONGLONG Expected, PCSTR File, int Line, PCSTR Expression);

/* ---- helpers (main.c) ------------------------------------------------------------- */

/* An address no process has mapped (below the lowest one services accept). */
#define NTAPI_BAD_POINTER ((PVOID)(ULONG_PTR)0x1000)
/* A kernel-half address: never user memory. */
#define NTAPI_KERNEL_POINTER ((PVOID)(ULONG_PTR)0xFFFF800000001000ull)
/* KUSER_SHARED_DATA: mapped read-only in every process. */
#define NTAPI_READONLY_POINTER ((PVOID)(ULONG_PTR)0x7FFE0000)

/* A real handle to the caller's own process / thread (NtOpenProcess/NtOpenThread by
 * the TEB's client id), or NULL if the open failed. The caller closes it. */
HANDLE NtapiOpenSelfProcess(ACCESS_MASK Access);
HANDLE NtapiOpenSelfThread(ACCESS_MASK Access);
VOID NtapiInitializeObjectAttributes(POBJECT_ATTRIBUTES Attributes);

/* ---- Windows values and records the tests use ----------------------------------- */

#define MAXIMUM_ALLOWED           0x02000000u
#define GENERIC_READ              0x80000000u
#define GENERIC_ALL               0x10000000u
#define SYNCHRONIZE               0x00100000u
#define STANDARD_RIGHTS_REQUIRED  0x000F0000u
#define PROCESS_TERMINATE         0x0001u
#define PROCESS_DUP_HANDLE        0x0040u
#define PROCESS_QUERY_INFORMATION 0x0400u
#define PROCESS_ALL_ACCESS        (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFFu)
#define THREAD_TERMINATE          0x0001u
#define THREAD_QUERY_INFORMATION  0x0040u
#define THREAD_ALL_ACCESS         (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFFu)

#define DUPLICATE_CLOSE_SOURCE    0x1u
#define DUPLICATE_SAME_ACCESS     0x2u
#define DUPLICATE_SAME_ATTRIBUTES 0x4u

#define ObjectBasicInformation      0
#define ObjectNameInformation       1
#define ObjectTypeInformation       2
#define ObjectHandleFlagInformation 4

#define SystemBasicInformation 0

#define ProcessBasicInformation     0
#define ProcessTimes                4
#define ProcessDebugPort            7
#define ProcessDefaultHardErrorMode 12
#define ProcessPriorityClass        18
#define ProcessHandleCount          20
#define ProcessSessionInformation   24
#define ProcessWow64Information     26
#define ProcessDebugFlags           31
#define ProcessExecuteFlags         34
#define ProcessCookie               36

#define ThreadBasicInformation          0
#define ThreadTimes                     1
#define ThreadQuerySetWin32StartAddress 9
#define ThreadAmILastThread             12
#define ThreadIsTerminated              20

typedef struct _OBJECT_BASIC_INFORMATION {
    ULONG Attributes;
    ACCESS_MASK GrantedAccess;
    ULONG HandleCount;
    ULONG PointerCount;
    ULONG PagedPoolCharge;
    ULONG NonPagedPoolCharge;
    ULONG Reserved[3];
    ULONG NameInfoSize;
    ULONG TypeInfoSize;
    ULONG SecurityDescriptorSize;
    LARGE_INTEGER CreationTime;
} OBJECT_BASIC_INFORMATION;
_Static_assert(sizeof(OBJECT_BASIC_INFORMATION) == 0x38, "OBJECT_BASIC_INFORMATION");

typedef struct _OBJECT_HANDLE_FLAG_INFORMATION {
    BOOLEAN Inherit;
    BOOLEAN ProtectFromClose;
} OBJECT_HANDLE_FLAG_INFORMATION;

typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;
    ULONG TimerResolution;
    ULONG PageSize;
    ULONG NumberOfPhysicalPages;
    ULONG LowestPhysicalPageNumber;
    ULONG HighestPhysicalPageNumber;
    ULONG AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress;
    ULONG_PTR MaximumUserModeAddress;
    ULONG_PTR ActiveProcessorsAffinityMask;
    CHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION;
_Static_assert(sizeof(SYSTEM_BASIC_INFORMATION) == 0x40, "SYSTEM_BASIC_INFORMATION");

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PPEB PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;
_Static_assert(sizeof(PROCESS_BASIC_INFORMATION) == 0x30, "PROCESS_BASIC_INFORMATION");

typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PTEB TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} THREAD_BASIC_INFORMATION;
_Static_assert(sizeof(THREAD_BASIC_INFORMATION) == 0x30, "THREAD_BASIC_INFORMATION");

typedef struct _KERNEL_USER_TIMES {
    LARGE_INTEGER CreateTime, ExitTime, KernelTime, UserTime;
} KERNEL_USER_TIMES;
_Static_assert(sizeof(KERNEL_USER_TIMES) == 0x20, "KERNEL_USER_TIMES");
