/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bad user pointers, swept over every pointer parameter of every service
 * ntos implements: each is called with addresses no user buffer can have
 * (below the lowest user address, unmapped, the last user page, past the
 * end of user space, non-canonical, the kernel half, a range straddling
 * the end of user space) and, for what the service writes, read-only
 * memory (KUSER_SHARED_DATA, the image's .rdata and .text): always
 * STATUS_ACCESS_VIOLATION. Required pointers given NULL give
 * STATUS_ACCESS_VIOLATION too, optional ones succeed; pointers the service
 * probes with an alignment give STATUS_DATATYPE_MISALIGNMENT when off by a
 * little. Windows probes before acting, so a failed call leaves nothing
 * behind: no handle is created for an out pointer it cannot write.
 */
#include "ntapitest.h"

typedef NTSTATUS (*NTAPI_POINTER_CALL)(ULONG_PTR Address);

typedef struct _NTAPI_BAD_ADDRESS {
    PCSTR What;
    ULONG_PTR Address;
} NTAPI_BAD_ADDRESS;

static const UCHAR NtapiReadOnlyData[64] = {1};

/* Addresses that are never readable user memory, 16-aligned so that no
 * alignment probe answers first. */
static const NTAPI_BAD_ADDRESS NtapiBadAddresses[] = {
    {"low", 0x1000},
    {"below-user", 0xfff0},
    {"unmapped", 0x0000700000000000ull},
    {"straddling-user-end", 0x00007ffffffefff0ull},
    {"past-user-end", 0x00007ffffffff000ull},
    {"non-canonical", 0x0000800000000000ull},
    {"kernel", 0xffff800000001000ull},
    {"top", 0xfffffffffffffff0ull},
};

/* Call with every bad address; each must give STATUS_ACCESS_VIOLATION. */
static VOID NtapiSweep(NTAPI_POINTER_CALL Call)
{
    ULONG Index;

    for (Index = 0; Index < sizeof(NtapiBadAddresses) / sizeof(NtapiBadAddresses[0]); Index++) {
        if (!CHECK_STATUS(Call(NtapiBadAddresses[Index].Address), STATUS_ACCESS_VIOLATION))
            DbgPrint("    (address %s 0x%I64x)\n", NtapiBadAddresses[Index].What,
                     (ULONGLONG)NtapiBadAddresses[Index].Address);
    }
}

/* The same for what a service writes: also memory it may only read. */
static VOID NtapiSweepWrite(NTAPI_POINTER_CALL Call)
{
    const NTAPI_BAD_ADDRESS ReadOnly[] = {
        {"kuser-shared-data", (ULONG_PTR)NTAPI_READONLY_POINTER},
        {"rdata", ((ULONG_PTR)NtapiReadOnlyData + 15) & ~(ULONG_PTR)15},
        {"text", ((ULONG_PTR)NtapiSweep + 15) & ~(ULONG_PTR)15},
    };
    ULONG Index;

    NtapiSweep(Call);
    for (Index = 0; Index < sizeof(ReadOnly) / sizeof(ReadOnly[0]); Index++) {
        if (!CHECK_STATUS(Call(ReadOnly[Index].Address), STATUS_ACCESS_VIOLATION))
            DbgPrint("    (address %s 0x%I64x)\n", ReadOnly[Index].What,
                     (ULONGLONG)ReadOnly[Index].Address);
    }
}

/* A 16-aligned scratch buffer: Address(Offset) is Offset bytes into it. */
static ULONGLONG NtapiScratch[16];
#define NTAPI_SCRATCH(Offset) ((ULONG_PTR)NtapiScratch + (Offset))

static VOID NtapiOwnClientId(CLIENT_ID *Id, BOOLEAN Process)
{
    Id->UniqueProcess = Process ? NtCurrentTeb()->ClientId.UniqueProcess : NULL;
    Id->UniqueThread = Process ? NULL : NtCurrentTeb()->ClientId.UniqueThread;
}

/* ---- NtDisplayString -------------------------------------------------------------------- */

static NTSTATUS NtapiDisplayString(ULONG_PTR Address)
{
    return NtDisplayString((PUNICODE_STRING)Address);
}

static NTSTATUS NtapiDisplayBuffer(ULONG_PTR Address)
{
    UNICODE_STRING String = {2, 2, (PWSTR)Address};
    return NtDisplayString(&String);
}

TEST(memory, display_string)
{
    NtapiSweep(NtapiDisplayString);
    CHECK_STATUS(NtapiDisplayString(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiDisplayString(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
}

TEST(memory, display_buffer)
{
    NtapiSweep(NtapiDisplayBuffer);
    CHECK_STATUS(NtapiDisplayBuffer(0), STATUS_ACCESS_VIOLATION);
}

/* ---- NtQueryPerformanceCounter, NtQuerySystemTime --------------------------------------- */

static NTSTATUS NtapiCounter(ULONG_PTR Address)
{
    return NtQueryPerformanceCounter((PLARGE_INTEGER)Address, NULL);
}

static NTSTATUS NtapiFrequency(ULONG_PTR Address)
{
    LARGE_INTEGER Counter;
    return NtQueryPerformanceCounter(&Counter, (PLARGE_INTEGER)Address);
}

TEST(memory, performance_counter)
{
    LARGE_INTEGER Counter;

    if (NtQueryPerformanceCounter(&Counter, NULL) == STATUS_NOT_IMPLEMENTED)
        return;
    NtapiSweepWrite(NtapiCounter);
    CHECK_STATUS(NtapiCounter(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiCounter(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtapiCounter(NTAPI_SCRATCH(4)), STATUS_SUCCESS); /* LARGE_INTEGER: 4 */
}

TEST(memory, performance_frequency)
{
    LARGE_INTEGER Counter;

    if (NtQueryPerformanceCounter(&Counter, NULL) == STATUS_NOT_IMPLEMENTED)
        return;
    NtapiSweepWrite(NtapiFrequency);
    CHECK_STATUS(NtapiFrequency(0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiFrequency(NTAPI_SCRATCH(1)), STATUS_DATATYPE_MISALIGNMENT);
}

static NTSTATUS NtapiSystemTime(ULONG_PTR Address)
{
    return NtQuerySystemTime((PLARGE_INTEGER)Address);
}

TEST(memory, system_time)
{
    NtapiSweepWrite(NtapiSystemTime);
    CHECK_STATUS(NtapiSystemTime(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiSystemTime(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtapiSystemTime(NTAPI_SCRATCH(4)), STATUS_SUCCESS);
}

/* ---- the query services: the record and ReturnLength ------------------------------------ */

static NTSTATUS NtapiSystemInformation(ULONG_PTR Address)
{
    return NtQuerySystemInformation(SystemBasicInformation, (PVOID)Address,
                                    sizeof(SYSTEM_BASIC_INFORMATION), NULL);
}

static NTSTATUS NtapiSystemReturnLength(ULONG_PTR Address)
{
    SYSTEM_BASIC_INFORMATION Info;
    return NtQuerySystemInformation(SystemBasicInformation, &Info, sizeof(Info), (PULONG)Address);
}

TEST(memory, system_information)
{
    NtapiSweepWrite(NtapiSystemInformation);
    CHECK_STATUS(NtapiSystemInformation(0), STATUS_ACCESS_VIOLATION);
}

TEST(memory, system_information_return_length)
{
    NtapiSweepWrite(NtapiSystemReturnLength);
    CHECK_STATUS(NtapiSystemReturnLength(NTAPI_SCRATCH(1)), STATUS_DATATYPE_MISALIGNMENT);
}

static NTSTATUS NtapiObjectInformation(ULONG_PTR Address)
{
    return NtQueryObject(NtCurrentProcess(), ObjectBasicInformation, (PVOID)Address,
                         sizeof(OBJECT_BASIC_INFORMATION), NULL);
}

static NTSTATUS NtapiObjectReturnLength(ULONG_PTR Address)
{
    OBJECT_BASIC_INFORMATION Info;
    return NtQueryObject(NtCurrentProcess(), ObjectBasicInformation, &Info, sizeof(Info),
                         (PULONG)Address);
}

TEST(memory, object_information)
{
    NtapiSweepWrite(NtapiObjectInformation);
    CHECK_STATUS(NtapiObjectInformation(0), STATUS_ACCESS_VIOLATION);
}

TEST(memory, object_return_length)
{
    NtapiSweepWrite(NtapiObjectReturnLength);
    CHECK_STATUS(NtapiObjectReturnLength(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
}

static NTSTATUS NtapiSetObjectInformation(ULONG_PTR Address)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    NTSTATUS Status = NtSetInformationObject(Process, ObjectHandleFlagInformation, (PVOID)Address,
                                             sizeof(OBJECT_HANDLE_FLAG_INFORMATION));

    NtClose(Process);
    return Status;
}

TEST(memory, set_object_information)
{
    NtapiSweep(NtapiSetObjectInformation);
    CHECK_STATUS(NtapiSetObjectInformation(0), STATUS_ACCESS_VIOLATION);
}

static NTSTATUS NtapiProcessInformation(ULONG_PTR Address)
{
    return NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, (PVOID)Address,
                                     sizeof(PROCESS_BASIC_INFORMATION), NULL);
}

static NTSTATUS NtapiProcessReturnLength(ULONG_PTR Address)
{
    PROCESS_BASIC_INFORMATION Info;
    return NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &Info,
                                     sizeof(Info), (PULONG)Address);
}

TEST(memory, process_information)
{
    NtapiSweepWrite(NtapiProcessInformation);
    CHECK_STATUS(NtapiProcessInformation(0), STATUS_ACCESS_VIOLATION);
}

TEST(memory, process_return_length)
{
    NtapiSweepWrite(NtapiProcessReturnLength);
    CHECK_STATUS(NtapiProcessReturnLength(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
}

static NTSTATUS NtapiThreadInformation(ULONG_PTR Address)
{
    return NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation, (PVOID)Address,
                                    sizeof(THREAD_BASIC_INFORMATION), NULL);
}

static NTSTATUS NtapiThreadReturnLength(ULONG_PTR Address)
{
    THREAD_BASIC_INFORMATION Info;
    return NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation, &Info, sizeof(Info),
                                    (PULONG)Address);
}

TEST(memory, thread_information)
{
    NtapiSweepWrite(NtapiThreadInformation);
    CHECK_STATUS(NtapiThreadInformation(0), STATUS_ACCESS_VIOLATION);
}

TEST(memory, thread_return_length)
{
    NtapiSweepWrite(NtapiThreadReturnLength);
    CHECK_STATUS(NtapiThreadReturnLength(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
}

/* ---- NtDuplicateObject ------------------------------------------------------------------ */

static NTSTATUS NtapiDuplicateTarget(ULONG_PTR Address)
{
    return NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(),
                             (PHANDLE)Address, 0, 0, DUPLICATE_SAME_ACCESS);
}

TEST(memory, duplicate_target_handle)
{
    NtapiSweep(NtapiDuplicateTarget);
    CHECK_STATUS(NtapiDuplicateTarget(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
}

/* ---- NtOpenProcess, NtOpenThread -------------------------------------------------------- */

static NTSTATUS NtapiOpen(BOOLEAN Process, ULONG_PTR Handle, ULONG_PTR Attributes,
                          ULONG_PTR ClientId)
{
    if (Process)
        return NtOpenProcess((PHANDLE)Handle, PROCESS_QUERY_INFORMATION,
                             (POBJECT_ATTRIBUTES)Attributes, (PCLIENT_ID)ClientId);
    return NtOpenThread((PHANDLE)Handle, THREAD_QUERY_INFORMATION, (POBJECT_ATTRIBUTES)Attributes,
                        (PCLIENT_ID)ClientId);
}

static BOOLEAN NtapiOpenProcessNotThread;

static NTSTATUS NtapiOpenHandle(ULONG_PTR Address)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id;

    NtapiInitializeObjectAttributes(&Attributes);
    NtapiOwnClientId(&Id, NtapiOpenProcessNotThread);
    return NtapiOpen(NtapiOpenProcessNotThread, Address, (ULONG_PTR)&Attributes, (ULONG_PTR)&Id);
}

static NTSTATUS NtapiOpenAttributes(ULONG_PTR Address)
{
    HANDLE Handle = NULL;
    CLIENT_ID Id;
    NTSTATUS Status;

    NtapiOwnClientId(&Id, NtapiOpenProcessNotThread);
    Status = NtapiOpen(NtapiOpenProcessNotThread, (ULONG_PTR)&Handle, Address, (ULONG_PTR)&Id);
    if (NT_SUCCESS(Status))
        NtClose(Handle);
    return Status;
}

static NTSTATUS NtapiOpenClientId(ULONG_PTR Address)
{
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Handle = NULL;
    NTSTATUS Status;

    NtapiInitializeObjectAttributes(&Attributes);
    Status =
        NtapiOpen(NtapiOpenProcessNotThread, (ULONG_PTR)&Handle, (ULONG_PTR)&Attributes, Address);
    if (NT_SUCCESS(Status))
        NtClose(Handle);
    return Status;
}

static NTSTATUS NtapiOpenObjectName(ULONG_PTR Address)
{
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Handle = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = (PUNICODE_STRING)Address;
    return NtapiOpen(NtapiOpenProcessNotThread, (ULONG_PTR)&Handle, (ULONG_PTR)&Attributes, 0);
}

/* Every pointer of NtOpenProcess (Process) or NtOpenThread. */
static VOID NtapiOpenPointers(BOOLEAN Process)
{
    NtapiOpenProcessNotThread = Process;
    NtapiSweep(NtapiOpenHandle);
    CHECK_STATUS(NtapiOpenHandle(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiOpenHandle(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
    NtapiSweep(NtapiOpenAttributes);
    CHECK_STATUS(NtapiOpenAttributes(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiOpenAttributes(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
    NtapiSweep(NtapiOpenClientId);
    CHECK_STATUS(NtapiOpenClientId(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
    NtapiSweep(NtapiOpenObjectName);
}

TEST(memory, open_process)
{
    NtapiOpenPointers(TRUE);
}

TEST(memory, open_thread)
{
    NtapiOpenPointers(FALSE);
}

/* ---- a failed out pointer leaves no handle behind --------------------------------------- */

static ULONG NtapiHandleCount(VOID)
{
    ULONG Count = 0;

    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &Count, sizeof(Count), NULL);
    return Count;
}

TEST(memory, open_read_only_handle_no_leak)
{
    ULONG Before = NtapiHandleCount();

    NtapiOpenProcessNotThread = TRUE;
    CHECK_STATUS(NtapiOpenHandle((ULONG_PTR)NTAPI_READONLY_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiOpenHandle(((ULONG_PTR)NtapiReadOnlyData + 15) & ~(ULONG_PTR)15),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiHandleCount(), Before);
}

TEST(memory, duplicate_read_only_target_no_leak)
{
    ULONG Before = NtapiHandleCount();

    CHECK_STATUS(NtapiDuplicateTarget((ULONG_PTR)NTAPI_READONLY_POINTER), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(NtapiHandleCount(), Before);
}

/* ---- the virtual memory services (vm) ------------------------------------------------- */

#define NTAPI_MEM_COMMIT_RESERVE 0x3000u /* MEM_COMMIT | MEM_RESERVE */
#define NTAPI_MEM_RELEASE        0x8000u
#define NTAPI_PAGE_READWRITE     0x04u

static NTSTATUS NtapiAllocateBase(ULONG_PTR Address)
{
    SIZE_T Size = 0x1000;
    return NtAllocateVirtualMemory(NtCurrentProcess(), (PVOID *)Address, 0, &Size,
                                   NTAPI_MEM_COMMIT_RESERVE, NTAPI_PAGE_READWRITE);
}

static NTSTATUS NtapiAllocateSize(ULONG_PTR Address)
{
    PVOID Base = NULL;
    return NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, (SIZE_T *)Address,
                                   NTAPI_MEM_COMMIT_RESERVE, NTAPI_PAGE_READWRITE);
}

TEST(memory, allocate_virtual_base)
{
    NtapiSweepWrite(NtapiAllocateBase);
    CHECK_STATUS(NtapiAllocateBase(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiAllocateBase(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
}

TEST(memory, allocate_virtual_size)
{
    NtapiSweepWrite(NtapiAllocateSize);
    CHECK_STATUS(NtapiAllocateSize(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiAllocateSize(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
}

static NTSTATUS NtapiFreeBase(ULONG_PTR Address)
{
    SIZE_T Size = 0;
    return NtFreeVirtualMemory(NtCurrentProcess(), (PVOID *)Address, &Size, NTAPI_MEM_RELEASE);
}

static NTSTATUS NtapiFreeSize(ULONG_PTR Address)
{
    PVOID Base = NTAPI_BAD_POINTER;
    return NtFreeVirtualMemory(NtCurrentProcess(), &Base, (SIZE_T *)Address, NTAPI_MEM_RELEASE);
}

TEST(memory, free_virtual)
{
    NtapiSweepWrite(NtapiFreeBase);
    NtapiSweepWrite(NtapiFreeSize);
    CHECK_STATUS(NtapiFreeBase(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtapiFreeSize(0), STATUS_ACCESS_VIOLATION);
}

static NTSTATUS NtapiProtectOld(ULONG_PTR Address)
{
    PVOID Base = (PVOID)NtapiProtectOld;
    SIZE_T Size = 1;
    return NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, 0x20 /* PAGE_EXECUTE_READ */,
                                  (PULONG)Address);
}

TEST(memory, protect_virtual_old_protection)
{
    NtapiSweepWrite(NtapiProtectOld);
    CHECK_STATUS(NtapiProtectOld(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiProtectOld(NTAPI_SCRATCH(2)), STATUS_DATATYPE_MISALIGNMENT);
}

static NTSTATUS NtapiQueryVirtualBuffer(ULONG_PTR Address)
{
    return NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)NtapiQueryVirtualBuffer, 0,
                                (PVOID)Address, 0x30, NULL);
}

static NTSTATUS NtapiQueryVirtualLength(ULONG_PTR Address)
{
    return NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)NtapiQueryVirtualBuffer, 0, NtapiScratch,
                                0x30, (SIZE_T *)Address);
}

TEST(memory, query_virtual)
{
    NtapiSweepWrite(NtapiQueryVirtualBuffer);
    NtapiSweepWrite(NtapiQueryVirtualLength);
    CHECK_STATUS(NtapiQueryVirtualBuffer(0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtapiQueryVirtualLength(0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryVirtualLength(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
}

static NTSTATUS NtapiReadVirtualCount(ULONG_PTR Address)
{
    ULONGLONG Value = 1, Copy;
    return NtReadVirtualMemory(NtCurrentProcess(), &Value, &Copy, sizeof(Copy), (SIZE_T *)Address);
}

static NTSTATUS NtapiWriteVirtualCount(ULONG_PTR Address)
{
    ULONGLONG Value = 1, Copy;
    return NtWriteVirtualMemory(NtCurrentProcess(), &Copy, &Value, sizeof(Value),
                                (SIZE_T *)Address);
}

TEST(memory, read_write_virtual_counts)
{
    NtapiSweepWrite(NtapiReadVirtualCount);
    NtapiSweepWrite(NtapiWriteVirtualCount);
    CHECK_STATUS(NtapiReadVirtualCount(0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWriteVirtualCount(0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiReadVirtualCount(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtapiWriteVirtualCount(NTAPI_SCRATCH(4)), STATUS_DATATYPE_MISALIGNMENT);
}

/* ---- a zero length touches nothing: the length is what is wrong ------------------------- */

TEST(memory, zero_length_system_information)
{
    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, NTAPI_BAD_POINTER, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(memory, zero_length_object_information)
{
    CHECK_STATUS(
        NtQueryObject(NtCurrentProcess(), ObjectBasicInformation, NTAPI_KERNEL_POINTER, 0, NULL),
        STATUS_INFO_LENGTH_MISMATCH);
}

TEST(memory, zero_length_process_information)
{
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
                                           NTAPI_BAD_POINTER, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(memory, zero_length_thread_information)
{
    CHECK_STATUS(NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation,
                                          NTAPI_KERNEL_POINTER, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}
