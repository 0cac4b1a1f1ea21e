/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes: NtQueryInformationProcess on every class ntos answers (basic
 * information checked against the PEB and TEB, the fixed values of a
 * process without debugger, WOW64 or session), the exact lengths Windows
 * demands, an unknown class, and bad, wrong-type and too-weak handles;
 * NtOpenProcess by client id (own id, own id with its thread, unknown and
 * mismatched ids, neither or both of a name and an id); NtTerminateProcess
 * with handles it must refuse (the test never ends itself here). Bad
 * pointers are memory.c's, but the order of the checks is here: Windows
 * checks the length first, then the buffer's alignment (4), then the
 * handle, and only then finds a buffer it cannot write; on a length
 * mismatch of these fixed-size classes it leaves ReturnLength alone (the
 * ReactOS apitests of NtQueryInformationProcess, run on Windows, record
 * both).
 */
#include "ntapitest.h"

#define NTAPI_UNKNOWN_ID ((HANDLE)(ULONG_PTR)0xfffffff0)

static NTSTATUS NtapiOpenProcessById(HANDLE ProcessId, HANDLE ThreadId, HANDLE *Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {ProcessId, ThreadId};

    NtapiInitializeObjectAttributes(&Attributes);
    *Handle = NULL;
    return NtOpenProcess(Handle, PROCESS_QUERY_INFORMATION, &Attributes, &Id);
}

/* Query a class of the caller's process whose record is Size bytes. */
static NTSTATUS NtapiQuerySelf(ULONG Class, PVOID Buffer, ULONG Size, ULONG *Length)
{
    memset(Buffer, 0xcc, Size);
    *Length = 0;
    return NtQueryInformationProcess(NtCurrentProcess(), Class, Buffer, Size, Length);
}

/* ---- NtQueryInformationProcess ---------------------------------------------------------- */

TEST(process, query_basic)
{
    PROCESS_BASIC_INFORMATION Info;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessBasicInformation, &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.ExitStatus, STATUS_PENDING);
    CHECK_EQ(Info.PebBaseAddress, NtCurrentTeb()->ProcessEnvironmentBlock);
    CHECK_EQ(Info.PebBaseAddress, RtlGetCurrentPeb());
    CHECK_EQ(Info.UniqueProcessId, (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
    CHECK(Info.AffinityMask != 0);
}

/* PROCESS_QUERY_INFORMATION implies PROCESS_QUERY_LIMITED_INFORMATION (Windows). */
TEST(process, query_basic_real_handle)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    PROCESS_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Info.UniqueProcessId, (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
    NtClose(Process);
}

TEST(process, query_basic_short)
{
    PROCESS_BASIC_INFORMATION Info;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessBasicInformation, &Info, sizeof(Info) - 8, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

/* 0x40 is the extended record newer Windows also accepts; 0x38 is neither. */
TEST(process, query_basic_long)
{
    UCHAR Buffer[0x38];
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessBasicInformation, Buffer, sizeof(Buffer), &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(process, query_basic_zero_length)
{
    ULONG Length = 0;

    CHECK_STATUS(
        NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, NULL, 0, &Length),
        STATUS_INFO_LENGTH_MISMATCH);
}

TEST(process, query_times)
{
    KERNEL_USER_TIMES Times;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessTimes, &Times, sizeof(Times), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Times));
    CHECK_EQ(Times.ExitTime.QuadPart, 0);
}

TEST(process, query_debug_port)
{
    ULONG_PTR Port;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessDebugPort, &Port, sizeof(Port), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Port));
    CHECK_EQ(Port, 0);
    CHECK_STATUS(NtapiQuerySelf(ProcessDebugPort, &Port, sizeof(ULONG), &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(process, query_debug_flags)
{
    ULONG Flags;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessDebugFlags, &Flags, sizeof(Flags), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Flags));
    CHECK_EQ(Flags, 1); /* no debug object */
}

TEST(process, query_wow64)
{
    ULONG_PTR Wow64;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessWow64Information, &Wow64, sizeof(Wow64), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Wow64));
    CHECK_EQ(Wow64, 0);
}

TEST(process, query_handle_count)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    ULONG Before, After, Length;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtapiQuerySelf(ProcessHandleCount, &Before, sizeof(Before), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(ULONG));
    CHECK(Before >= 1);
    NtClose(Process);
    CHECK_STATUS(NtapiQuerySelf(ProcessHandleCount, &After, sizeof(After), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(After + 1, Before);
}

TEST(process, query_small_classes)
{
    ULONG Value, Length;
    ULONG PriorityClass; /* a 2-byte record, in a buffer Windows wants ULONG-aligned */

    CHECK_STATUS(NtapiQuerySelf(ProcessDefaultHardErrorMode, &Value, sizeof(Value), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(ULONG));
    CHECK_STATUS(NtapiQuerySelf(ProcessSessionInformation, &Value, sizeof(Value), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Value, 0);
    CHECK_STATUS(NtapiQuerySelf(ProcessExecuteFlags, &Value, sizeof(Value), &Length),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiQuerySelf(ProcessCookie, &Value, sizeof(Value), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(ULONG));
    CHECK_STATUS(NtapiQuerySelf(ProcessPriorityClass, &PriorityClass, sizeof(USHORT), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(USHORT));
}

TEST(process, query_cookie_stable)
{
    ULONG First, Second, Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessCookie, &First, sizeof(First), &Length), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQuerySelf(ProcessCookie, &Second, sizeof(Second), &Length), STATUS_SUCCESS);
    CHECK_EQ(First, Second);
}

TEST(process, query_bad_class)
{
    UCHAR Buffer[64];
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(0x7fff, Buffer, sizeof(Buffer), &Length),
                 STATUS_INVALID_INFO_CLASS);
}

TEST(process, query_bad_handle)
{
    PROCESS_BASIC_INFORMATION Info;

    CHECK_STATUS(
        NtQueryInformationProcess(NULL, ProcessBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtQueryInformationProcess((HANDLE)(ULONG_PTR)0x123450, ProcessBasicInformation,
                                           &Info, sizeof(Info), NULL),
                 STATUS_INVALID_HANDLE);
}

TEST(process, query_thread_handle)
{
    PROCESS_BASIC_INFORMATION Info;

    CHECK_STATUS(NtQueryInformationProcess(NtCurrentThread(), ProcessBasicInformation, &Info,
                                           sizeof(Info), NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
}

/* A handle with only PROCESS_TERMINATE may not query. */
TEST(process, query_no_access)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_TERMINATE);
    PROCESS_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_ACCESS_DENIED);
    NtClose(Process);
}

/* ---- NtOpenProcess ---------------------------------------------------------------------- */

TEST(process, open_own_id)
{
    HANDLE Process;
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiOpenProcessById(NtCurrentTeb()->ClientId.UniqueProcess, NULL, &Process),
                 STATUS_SUCCESS);
    CHECK(Process != NULL);
    CHECK_STATUS(NtQueryObject(Process, ObjectBasicInformation, &Info, sizeof(Info), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, PROCESS_QUERY_INFORMATION);
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
}

TEST(process, open_own_id_and_thread)
{
    HANDLE Process;

    CHECK_STATUS(NtapiOpenProcessById(NtCurrentTeb()->ClientId.UniqueProcess,
                                      NtCurrentTeb()->ClientId.UniqueThread, &Process),
                 STATUS_SUCCESS);
    NtClose(Process);
}

TEST(process, open_unknown_id)
{
    HANDLE Process;

    CHECK_STATUS(NtapiOpenProcessById(NTAPI_UNKNOWN_ID, NULL, &Process), STATUS_INVALID_CID);
    CHECK_STATUS(NtapiOpenProcessById(NULL, NULL, &Process), STATUS_INVALID_CID);
}

TEST(process, open_wrong_thread)
{
    HANDLE Process;

    CHECK_STATUS(
        NtapiOpenProcessById(NtCurrentTeb()->ClientId.UniqueProcess, NTAPI_UNKNOWN_ID, &Process),
        STATUS_INVALID_CID);
}

TEST(process, open_neither_name_nor_id)
{
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Process = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    CHECK_STATUS(NtOpenProcess(&Process, PROCESS_QUERY_INFORMATION, &Attributes, NULL),
                 STATUS_INVALID_PARAMETER);
}

TEST(process, open_name_and_id)
{
    static WCHAR NameText[] = u"\\Process";
    UNICODE_STRING Name = {sizeof(NameText) - sizeof(WCHAR), sizeof(NameText), NameText};
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NtCurrentTeb()->ClientId.UniqueProcess, NULL};
    HANDLE Process = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    CHECK_STATUS(NtOpenProcess(&Process, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                 STATUS_INVALID_PARAMETER_MIX);
}

TEST(process, open_bad_attributes_length)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NtCurrentTeb()->ClientId.UniqueProcess, NULL};
    HANDLE Process = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.Length = sizeof(Attributes) - 8;
    CHECK_STATUS(NtOpenProcess(&Process, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                 STATUS_INVALID_PARAMETER);
}

/* Attributes outside OBJ_VALID_ATTRIBUTES. */
TEST(process, open_bad_attributes_flags)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NtCurrentTeb()->ClientId.UniqueProcess, NULL};
    HANDLE Process = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.Attributes = 0x80000000u;
    CHECK_STATUS(NtOpenProcess(&Process, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                 STATUS_INVALID_PARAMETER);
}

TEST(process, open_inherit)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NtCurrentTeb()->ClientId.UniqueProcess, NULL};
    OBJECT_HANDLE_FLAG_INFORMATION Flags = {FALSE, FALSE};
    HANDLE Process = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.Attributes = OBJ_INHERIT;
    CHECK_STATUS(NtOpenProcess(&Process, PROCESS_QUERY_INFORMATION, &Attributes, &Id),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Process, ObjectHandleFlagInformation, &Flags, sizeof(Flags), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Flags.Inherit, TRUE);
    NtClose(Process);
}

/* ---- NtTerminateProcess (only calls that must not end the caller) ----------------------- */

TEST(process, terminate_bad_handle)
{
    CHECK_STATUS(NtTerminateProcess((HANDLE)(ULONG_PTR)0x123450, 0x55), STATUS_INVALID_HANDLE);
}

TEST(process, terminate_thread_handle)
{
    CHECK_STATUS(NtTerminateProcess(NtCurrentThread(), 0x55), STATUS_OBJECT_TYPE_MISMATCH);
}

TEST(process, terminate_no_access)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtTerminateProcess(Process, 0x55), STATUS_ACCESS_DENIED);
    NtClose(Process);
}

/* NULL ends every other thread of the caller's process; there are none. */
TEST(process, terminate_null_others)
{
    CHECK_STATUS(NtTerminateProcess(NULL, 0x55), STATUS_SUCCESS);
}

/* ---- every class: the exact length only ------------------------------------------------- */

/* Class answers a record of Size bytes: shorter, longer and empty buffers
 * give STATUS_INFO_LENGTH_MISMATCH (ReturnLength: see
 * length_mismatch_keeps_return_length). */
static VOID NtapiCheckProcessLengths(ULONG Class, ULONG Size)
{
    UCHAR Buffer[0x80];
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(Class, Buffer, Size, &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, Size);
    CHECK_STATUS(NtapiQuerySelf(Class, Buffer, Size - 1, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtapiQuerySelf(Class, Buffer, Size + 1, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), Class, NULL, 0, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(process, lengths_basic)
{
    NtapiCheckProcessLengths(ProcessBasicInformation, sizeof(PROCESS_BASIC_INFORMATION));
}

TEST(process, lengths_times)
{
    NtapiCheckProcessLengths(ProcessTimes, sizeof(KERNEL_USER_TIMES));
}

TEST(process, lengths_debug_port)
{
    NtapiCheckProcessLengths(ProcessDebugPort, sizeof(ULONG_PTR));
}

TEST(process, lengths_hard_error_mode)
{
    NtapiCheckProcessLengths(ProcessDefaultHardErrorMode, sizeof(ULONG));
}

TEST(process, lengths_priority_class)
{
    NtapiCheckProcessLengths(ProcessPriorityClass, 2);
}

TEST(process, lengths_handle_count)
{
    NtapiCheckProcessLengths(ProcessHandleCount, sizeof(ULONG));
}

TEST(process, lengths_session)
{
    NtapiCheckProcessLengths(ProcessSessionInformation, sizeof(ULONG));
}

TEST(process, lengths_wow64)
{
    NtapiCheckProcessLengths(ProcessWow64Information, sizeof(ULONG_PTR));
}

TEST(process, lengths_debug_flags)
{
    NtapiCheckProcessLengths(ProcessDebugFlags, sizeof(ULONG));
}

TEST(process, lengths_execute_flags)
{
    NtapiCheckProcessLengths(ProcessExecuteFlags, sizeof(ULONG));
}

TEST(process, lengths_cookie)
{
    NtapiCheckProcessLengths(ProcessCookie, sizeof(ULONG));
}

/* ---- the order of the checks (Windows) -------------------------------------------------- */

static ULONG NtapiMisaligned[16];

/* A wrong length is reported before a misaligned buffer. */
TEST(process, query_misaligned_wrong_size)
{
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
                                           (PVOID)(ULONG_PTR)1, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes,
                                           (PUCHAR)NtapiMisaligned + 2, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(process, query_null_buffer)
{
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes, NULL,
                                           sizeof(KERNEL_USER_TIMES), NULL),
                 STATUS_ACCESS_VIOLATION);
}

TEST(process, query_misaligned_buffer)
{
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
                                           (PUCHAR)NtapiMisaligned + 1,
                                           sizeof(PROCESS_BASIC_INFORMATION), NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes,
                                           (PUCHAR)NtapiMisaligned + 2, sizeof(KERNEL_USER_TIMES),
                                           NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessPriorityClass,
                                           (PUCHAR)NtapiMisaligned + 2, 2, NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
                                           (PVOID)(ULONG_PTR)2, sizeof(PROCESS_BASIC_INFORMATION),
                                           NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
}

TEST(process, query_null_buffer_bad_handle)
{
    CHECK_STATUS(
        NtQueryInformationProcess(NULL, ProcessTimes, NULL, sizeof(KERNEL_USER_TIMES), NULL),
        STATUS_INVALID_HANDLE);
}

TEST(process, query_null_buffer_wrong_size)
{
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes, NULL,
                                           sizeof(KERNEL_USER_TIMES) - 1, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes, NULL,
                                           sizeof(KERNEL_USER_TIMES) + 1, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(process, length_mismatch_keeps_return_length)
{
    KERNEL_USER_TIMES Times;
    ULONG Length = 0x55555555;

    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes, &Times,
                                           sizeof(Times) - 1, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, 0x55555555);
}

/* ---- access masks: generic rights map to the process type's specific ones --------------- */

static ACCESS_MASK NtapiGrantedProcessAccess(ACCESS_MASK Desired)
{
    HANDLE Process = NtapiOpenSelfProcess(Desired);
    OBJECT_BASIC_INFORMATION Info;

    Info.GrantedAccess = 0xdeadbeef;
    if (Process == NULL)
        return 0xdeadbeef;
    NtQueryObject(Process, ObjectBasicInformation, &Info, sizeof(Info), NULL);
    NtClose(Process);
    return Info.GrantedAccess;
}

/* STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION |
 * PROCESS_QUERY_LIMITED_INFORMATION. */
TEST(process, open_generic_read)
{
    CHECK_EQ(NtapiGrantedProcessAccess(GENERIC_READ), 0x00021410);
}

TEST(process, open_generic_all)
{
    CHECK_EQ(NtapiGrantedProcessAccess(GENERIC_ALL), PROCESS_ALL_ACCESS);
}

TEST(process, open_maximum_allowed)
{
    CHECK_EQ(NtapiGrantedProcessAccess(MAXIMUM_ALLOWED), PROCESS_ALL_ACCESS);
}

TEST(process, query_generic_read_handle)
{
    HANDLE Process = NtapiOpenSelfProcess(GENERIC_READ);
    PROCESS_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(
        NtQueryInformationProcess(Process, ProcessBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_SUCCESS);
    NtClose(Process);
}

/* The process started during this boot: after 2024, not in the future. */
TEST(process, times_create_time)
{
    KERNEL_USER_TIMES Times;
    LARGE_INTEGER Now;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ProcessTimes, &Times, sizeof(Times), &Length), STATUS_SUCCESS);
    CHECK_STATUS(NtQuerySystemTime(&Now), STATUS_SUCCESS);
    CHECK(Times.CreateTime.QuadPart > 133485408000000000ll);
    CHECK(Times.CreateTime.QuadPart <= Now.QuadPart);
}

/* A real handle made from the pseudo-handle names the same process. */
TEST(process, query_duplicated_pseudo)
{
    PROCESS_BASIC_INFORMATION Info;
    HANDLE Copy = NULL;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(),
                                   &Copy, 0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    CHECK_STATUS(
        NtQueryInformationProcess(Copy, ProcessBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Info.UniqueProcessId, (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
    NtClose(Copy);
}
