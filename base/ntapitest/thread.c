/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads: NtQueryInformationThread on every class ntos answers (basic
 * information checked against the TEB, times, start address, "am I the
 * last thread", "is terminated"), exact lengths, an unknown class, bad and
 * wrong-type handles; NtOpenThread by client id (own id, with and without
 * its process id, unknown and mismatched ids, no id); NtTerminateThread of
 * the caller when it is its process's last thread
 * (STATUS_CANT_TERMINATE_SELF) and with handles it must refuse. Ending
 * another thread needs a service that creates one (NtCreateThreadEx is not
 * in services.def yet): FIXME, add it then.
 */
#include "ntapitest.h"

#define NTAPI_UNKNOWN_ID ((HANDLE)(ULONG_PTR)0xfffffff0)

static NTSTATUS NtapiOpenThreadById(HANDLE ProcessId, HANDLE ThreadId, HANDLE *Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {ProcessId, ThreadId};

    NtapiInitializeObjectAttributes(&Attributes);
    *Handle = NULL;
    return NtOpenThread(Handle, THREAD_QUERY_INFORMATION, &Attributes, &Id);
}

static NTSTATUS NtapiQuerySelf(ULONG Class, PVOID Buffer, ULONG Size, ULONG *Length)
{
    memset(Buffer, 0xcc, Size);
    *Length = 0;
    return NtQueryInformationThread(NtCurrentThread(), Class, Buffer, Size, Length);
}

/* ---- NtQueryInformationThread ----------------------------------------------------------- */

TEST(thread, query_basic)
{
    THREAD_BASIC_INFORMATION Info;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadBasicInformation, &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.ExitStatus, STATUS_PENDING);
    CHECK_EQ(Info.TebBaseAddress, NtCurrentTeb());
    CHECK_EQ(Info.ClientId.UniqueProcess, NtCurrentTeb()->ClientId.UniqueProcess);
    CHECK_EQ(Info.ClientId.UniqueThread, NtCurrentTeb()->ClientId.UniqueThread);
    CHECK(Info.AffinityMask != 0);
}

/* THREAD_QUERY_INFORMATION implies THREAD_QUERY_LIMITED_INFORMATION (Windows). */
TEST(thread, query_basic_real_handle)
{
    HANDLE Thread = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);
    THREAD_BASIC_INFORMATION Info;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(
        NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Info.TebBaseAddress, NtCurrentTeb());
    NtClose(Thread);
}

TEST(thread, query_basic_short)
{
    THREAD_BASIC_INFORMATION Info;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadBasicInformation, &Info, sizeof(Info) - 1, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(thread, query_basic_long)
{
    UCHAR Buffer[sizeof(THREAD_BASIC_INFORMATION) + 8];
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadBasicInformation, Buffer, sizeof(Buffer), &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(thread, query_times)
{
    KERNEL_USER_TIMES Times;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadTimes, &Times, sizeof(Times), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Times));
    CHECK_EQ(Times.ExitTime.QuadPart, 0);
}

TEST(thread, query_start_address)
{
    ULONG_PTR Start;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadQuerySetWin32StartAddress, &Start, sizeof(Start), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Start));
    CHECK(Start != 0);
}

TEST(thread, query_am_last_thread)
{
    ULONG Last;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadAmILastThread, &Last, sizeof(Last), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Last));
    CHECK_EQ(Last, 1);
}

TEST(thread, query_is_terminated)
{
    ULONG Terminated;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadIsTerminated, &Terminated, sizeof(Terminated), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Terminated));
    CHECK_EQ(Terminated, 0);
}

TEST(thread, query_bad_class)
{
    UCHAR Buffer[64];
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(0x7fff, Buffer, sizeof(Buffer), &Length),
                 STATUS_INVALID_INFO_CLASS);
}

TEST(thread, query_bad_handle)
{
    THREAD_BASIC_INFORMATION Info;

    CHECK_STATUS(NtQueryInformationThread(NULL, ThreadBasicInformation, &Info, sizeof(Info), NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtQueryInformationThread((HANDLE)(ULONG_PTR)0x123450, ThreadBasicInformation,
                                          &Info, sizeof(Info), NULL),
                 STATUS_INVALID_HANDLE);
}

TEST(thread, query_process_handle)
{
    THREAD_BASIC_INFORMATION Info;

    CHECK_STATUS(NtQueryInformationThread(NtCurrentProcess(), ThreadBasicInformation, &Info,
                                          sizeof(Info), NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
}

TEST(thread, query_no_access)
{
    HANDLE Thread = NtapiOpenSelfThread(THREAD_TERMINATE);
    THREAD_BASIC_INFORMATION Info;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(
        NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_ACCESS_DENIED);
    NtClose(Thread);
}

/* ---- NtOpenThread ----------------------------------------------------------------------- */

TEST(thread, open_own_id)
{
    HANDLE Thread;
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiOpenThreadById(NULL, NtCurrentTeb()->ClientId.UniqueThread, &Thread),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Thread, ObjectBasicInformation, &Info, sizeof(Info), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, THREAD_QUERY_INFORMATION);
    CHECK_STATUS(NtClose(Thread), STATUS_SUCCESS);
}

TEST(thread, open_own_id_and_process)
{
    HANDLE Thread;

    CHECK_STATUS(NtapiOpenThreadById(NtCurrentTeb()->ClientId.UniqueProcess,
                                     NtCurrentTeb()->ClientId.UniqueThread, &Thread),
                 STATUS_SUCCESS);
    NtClose(Thread);
}

TEST(thread, open_unknown_id)
{
    HANDLE Thread;

    CHECK_STATUS(NtapiOpenThreadById(NULL, NTAPI_UNKNOWN_ID, &Thread), STATUS_INVALID_CID);
    CHECK_STATUS(NtapiOpenThreadById(NULL, NULL, &Thread), STATUS_INVALID_CID);
}

TEST(thread, open_wrong_process)
{
    HANDLE Thread;

    CHECK_STATUS(
        NtapiOpenThreadById(NTAPI_UNKNOWN_ID, NtCurrentTeb()->ClientId.UniqueThread, &Thread),
        STATUS_INVALID_CID);
}

TEST(thread, open_no_id)
{
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Thread = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    CHECK_STATUS(NtOpenThread(&Thread, THREAD_QUERY_INFORMATION, &Attributes, NULL),
                 STATUS_INVALID_PARAMETER);
}

/* ---- NtTerminateThread ------------------------------------------------------------------ */

/* The last thread of a process ends through NtTerminateProcess (Windows). */
TEST(thread, terminate_self_last)
{
    CHECK_STATUS(NtTerminateThread(NtCurrentThread(), 0x55), STATUS_CANT_TERMINATE_SELF);
    CHECK_STATUS(NtTerminateThread(NULL, 0x55), STATUS_CANT_TERMINATE_SELF);
}

TEST(thread, terminate_bad_handle)
{
    CHECK_STATUS(NtTerminateThread((HANDLE)(ULONG_PTR)0x123450, 0x55), STATUS_INVALID_HANDLE);
}

TEST(thread, terminate_process_handle)
{
    CHECK_STATUS(NtTerminateThread(NtCurrentProcess(), 0x55), STATUS_OBJECT_TYPE_MISMATCH);
}

TEST(thread, terminate_no_access)
{
    HANDLE Thread = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(NtTerminateThread(Thread, 0x55), STATUS_ACCESS_DENIED);
    NtClose(Thread);
}

TEST(thread, open_inherit)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NULL, NtCurrentTeb()->ClientId.UniqueThread};
    OBJECT_HANDLE_FLAG_INFORMATION Flags = {FALSE, FALSE};
    HANDLE Thread = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.Attributes = OBJ_INHERIT;
    CHECK_STATUS(NtOpenThread(&Thread, THREAD_QUERY_INFORMATION, &Attributes, &Id), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Thread, ObjectHandleFlagInformation, &Flags, sizeof(Flags), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Flags.Inherit, TRUE);
    NtClose(Thread);
}

TEST(thread, open_bad_attributes_length)
{
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Id = {NULL, NtCurrentTeb()->ClientId.UniqueThread};
    HANDLE Thread = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.Length = 0;
    CHECK_STATUS(NtOpenThread(&Thread, THREAD_QUERY_INFORMATION, &Attributes, &Id),
                 STATUS_INVALID_PARAMETER);
}

/* ---- every class: the exact length only ------------------------------------------------- */

static VOID NtapiCheckThreadLengths(ULONG Class, ULONG Size)
{
    UCHAR Buffer[0x80];
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(Class, Buffer, Size, &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, Size);
    CHECK_STATUS(NtapiQuerySelf(Class, Buffer, Size - 1, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtapiQuerySelf(Class, Buffer, Size + 1, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationThread(NtCurrentThread(), Class, NULL, 0, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
}

TEST(thread, lengths_basic)
{
    NtapiCheckThreadLengths(ThreadBasicInformation, sizeof(THREAD_BASIC_INFORMATION));
}

TEST(thread, lengths_times)
{
    NtapiCheckThreadLengths(ThreadTimes, sizeof(KERNEL_USER_TIMES));
}

TEST(thread, lengths_start_address)
{
    NtapiCheckThreadLengths(ThreadQuerySetWin32StartAddress, sizeof(ULONG_PTR));
}

TEST(thread, lengths_am_last_thread)
{
    NtapiCheckThreadLengths(ThreadAmILastThread, sizeof(ULONG));
}

TEST(thread, lengths_is_terminated)
{
    NtapiCheckThreadLengths(ThreadIsTerminated, sizeof(ULONG));
}

/* ---- access masks ----------------------------------------------------------------------- */

static ACCESS_MASK NtapiGrantedThreadAccess(ACCESS_MASK Desired)
{
    HANDLE Thread = NtapiOpenSelfThread(Desired);
    OBJECT_BASIC_INFORMATION Info;

    Info.GrantedAccess = 0xdeadbeef;
    if (Thread == NULL)
        return 0xdeadbeef;
    NtQueryObject(Thread, ObjectBasicInformation, &Info, sizeof(Info), NULL);
    NtClose(Thread);
    return Info.GrantedAccess;
}

/* STANDARD_RIGHTS_READ | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION |
 * THREAD_QUERY_LIMITED_INFORMATION. */
TEST(thread, open_generic_read)
{
    CHECK_EQ(NtapiGrantedThreadAccess(GENERIC_READ), 0x00020848);
}

TEST(thread, open_generic_all)
{
    CHECK_EQ(NtapiGrantedThreadAccess(GENERIC_ALL), THREAD_ALL_ACCESS);
}

TEST(thread, open_maximum_allowed)
{
    CHECK_EQ(NtapiGrantedThreadAccess(MAXIMUM_ALLOWED), THREAD_ALL_ACCESS);
}

TEST(thread, times_create_time)
{
    KERNEL_USER_TIMES Times;
    LARGE_INTEGER Now;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadTimes, &Times, sizeof(Times), &Length), STATUS_SUCCESS);
    CHECK_STATUS(NtQuerySystemTime(&Now), STATUS_SUCCESS);
    CHECK(Times.CreateTime.QuadPart > 133485408000000000ll);
    CHECK(Times.CreateTime.QuadPart <= Now.QuadPart);
}

/* The first thread's Win32 start address is the image's entry point (Windows). */
TEST(thread, start_address_is_entry)
{
    PUCHAR Base = (PUCHAR)RtlGetCurrentPeb()->ImageBaseAddress;
    PIMAGE_NT_HEADERS64 Headers = (PIMAGE_NT_HEADERS64)(Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
    ULONG_PTR Start = 0;
    ULONG Length;

    CHECK_STATUS(NtapiQuerySelf(ThreadQuerySetWin32StartAddress, &Start, sizeof(Start), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Start, (ULONG_PTR)Base + Headers->OptionalHeader.AddressOfEntryPoint);
}

TEST(thread, query_duplicated_pseudo)
{
    THREAD_BASIC_INFORMATION Info;
    HANDLE Copy = NULL;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(), &Copy,
                                   0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryInformationThread(Copy, ThreadBasicInformation, &Info, sizeof(Info), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Info.ClientId.UniqueThread, NtCurrentTeb()->ClientId.UniqueThread);
    NtClose(Copy);
}
