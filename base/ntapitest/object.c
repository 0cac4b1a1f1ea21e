/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object manager's handle services: NtClose, NtDuplicateObject,
 * NtQueryObject and NtSetInformationObject on real handles (the caller's
 * own process and thread, opened by client id), on the pseudo-handles, on
 * NULL, stale and made-up handles and on handles of the wrong type; the
 * handle flags (Inherit, ProtectFromClose: OBJ_PROTECT_CLOSE makes NtClose
 * fail with STATUS_HANDLE_NOT_CLOSABLE and keeps the handle), the exact
 * record lengths Windows demands (STATUS_INFO_LENGTH_MISMATCH with the
 * needed ReturnLength) and the low two bits of a handle value, which the
 * kernel ignores. Bad and misaligned pointers are memory.c's.
 */
#include "ntapitest.h"

#define NTAPI_MADE_UP_HANDLE ((HANDLE)(ULONG_PTR)0x123450)

static NTSTATUS NtapiSetFlags(HANDLE Handle, BOOLEAN Inherit, BOOLEAN ProtectFromClose)
{
    OBJECT_HANDLE_FLAG_INFORMATION Flags = {Inherit, ProtectFromClose};

    return NtSetInformationObject(Handle, ObjectHandleFlagInformation, &Flags, sizeof(Flags));
}

static NTSTATUS NtapiQueryBasic(HANDLE Handle, OBJECT_BASIC_INFORMATION *Info)
{
    memset(Info, 0xcc, sizeof(*Info));
    return NtQueryObject(Handle, ObjectBasicInformation, Info, sizeof(*Info), NULL);
}

/* ---- NtClose ---------------------------------------------------------------------------- */

TEST(object, close_valid)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
}

TEST(object, close_twice)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_INVALID_HANDLE);
}

TEST(object, close_null)
{
    CHECK_STATUS(NtClose(NULL), STATUS_INVALID_HANDLE);
}

TEST(object, close_made_up)
{
    CHECK_STATUS(NtClose(NTAPI_MADE_UP_HANDLE), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtClose((HANDLE)(ULONG_PTR)0x7ffffffc), STATUS_INVALID_HANDLE);
}

/* The pseudo-handles are not in the handle table (services.def). */
TEST(object, close_pseudo_process)
{
    CHECK_STATUS(NtClose(NtCurrentProcess()), STATUS_INVALID_HANDLE);
}

TEST(object, close_pseudo_thread)
{
    CHECK_STATUS(NtClose(NtCurrentThread()), STATUS_INVALID_HANDLE);
}

/* Windows ignores the low two bits of a handle value (they are free for tags). */
TEST(object, close_tag_bits)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_EQ((ULONG_PTR)Process & 3, 0);
    CHECK_STATUS(NtClose((HANDLE)((ULONG_PTR)Process | 3)), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_INVALID_HANDLE);
}

TEST(object, close_protected)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtapiSetFlags(Process, FALSE, TRUE), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_HANDLE_NOT_CLOSABLE);
    /* The handle survives the refused close. */
    CHECK_STATUS(NtapiQueryBasic(Process, &Info), STATUS_SUCCESS);
    CHECK_STATUS(NtapiSetFlags(Process, FALSE, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
}

/* ---- NtQueryObject ---------------------------------------------------------------------- */

TEST(object, query_basic)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_BASIC_INFORMATION Info;
    ULONG Length = 0;

    if (!CHECK(Process != NULL))
        return;
    memset(&Info, 0xcc, sizeof(Info));
    CHECK_STATUS(NtQueryObject(Process, ObjectBasicInformation, &Info, sizeof(Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.GrantedAccess, PROCESS_QUERY_INFORMATION);
    CHECK_EQ(Info.Attributes, 0);
    CHECK(Info.HandleCount >= 1);
    CHECK(Info.PointerCount >= Info.HandleCount);
    NtClose(Process);
}

TEST(object, query_basic_handle_count)
{
    HANDLE First = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    HANDLE Second = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_BASIC_INFORMATION Before, After;

    if (!CHECK(First != NULL && Second != NULL))
        return;
    CHECK_STATUS(NtapiQueryBasic(First, &Before), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Second), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryBasic(First, &After), STATUS_SUCCESS);
    CHECK_EQ(After.HandleCount + 1, Before.HandleCount);
    NtClose(First);
}

TEST(object, query_basic_pseudo)
{
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiQueryBasic(NtCurrentProcess(), &Info), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryBasic(NtCurrentThread(), &Info), STATUS_SUCCESS);
}

TEST(object, query_basic_short)
{
    OBJECT_BASIC_INFORMATION Info;
    ULONG Length = 0;

    CHECK_STATUS(
        NtQueryObject(NtCurrentProcess(), ObjectBasicInformation, &Info, sizeof(Info) - 1, &Length),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(Info));
}

TEST(object, query_basic_long)
{
    UCHAR Buffer[sizeof(OBJECT_BASIC_INFORMATION) + 8];
    ULONG Length = 0;

    CHECK_STATUS(
        NtQueryObject(NtCurrentProcess(), ObjectBasicInformation, Buffer, sizeof(Buffer), &Length),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(OBJECT_BASIC_INFORMATION));
}

TEST(object, query_basic_zero_length)
{
    ULONG Length = 0;

    CHECK_STATUS(NtQueryObject(NtCurrentProcess(), ObjectBasicInformation, NULL, 0, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(OBJECT_BASIC_INFORMATION));
}

TEST(object, query_bad_class)
{
    UCHAR Buffer[256];

    CHECK_STATUS(NtQueryObject(NtCurrentProcess(), 0x1234, Buffer, sizeof(Buffer), NULL),
                 STATUS_INVALID_INFO_CLASS);
}

TEST(object, query_null_handle)
{
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiQueryBasic(NULL, &Info), STATUS_INVALID_HANDLE);
}

TEST(object, query_made_up_handle)
{
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiQueryBasic(NTAPI_MADE_UP_HANDLE, &Info), STATUS_INVALID_HANDLE);
}

TEST(object, query_closed_handle)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    NtClose(Process);
    CHECK_STATUS(NtapiQueryBasic(Process, &Info), STATUS_INVALID_HANDLE);
}

TEST(object, query_flags_default)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_HANDLE_FLAG_INFORMATION Flags = {TRUE, TRUE};
    ULONG Length = 0;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(
        NtQueryObject(Process, ObjectHandleFlagInformation, &Flags, sizeof(Flags), &Length),
        STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Flags));
    CHECK_EQ(Flags.Inherit, FALSE);
    CHECK_EQ(Flags.ProtectFromClose, FALSE);
    NtClose(Process);
}

/* ---- NtSetInformationObject ------------------------------------------------------------- */

TEST(object, set_flags_inherit)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_HANDLE_FLAG_INFORMATION Flags;
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtapiSetFlags(Process, TRUE, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Process, ObjectHandleFlagInformation, &Flags, sizeof(Flags), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Flags.Inherit, TRUE);
    CHECK_EQ(Flags.ProtectFromClose, FALSE);
    /* The basic record reports the handle's attributes too. */
    CHECK_STATUS(NtapiQueryBasic(Process, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.Attributes, OBJ_INHERIT);
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
}

TEST(object, set_flags_protect)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_HANDLE_FLAG_INFORMATION Flags;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtapiSetFlags(Process, FALSE, TRUE), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Process, ObjectHandleFlagInformation, &Flags, sizeof(Flags), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Flags.Inherit, FALSE);
    CHECK_EQ(Flags.ProtectFromClose, TRUE);
    CHECK_STATUS(NtapiSetFlags(Process, FALSE, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
}

TEST(object, set_bad_class)
{
    OBJECT_HANDLE_FLAG_INFORMATION Flags = {FALSE, FALSE};
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtSetInformationObject(Process, ObjectBasicInformation, &Flags, sizeof(Flags)),
                 STATUS_INVALID_INFO_CLASS);
    NtClose(Process);
}

TEST(object, set_length_mismatch)
{
    UCHAR Buffer[8] = {0};
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtSetInformationObject(Process, ObjectHandleFlagInformation, Buffer, 1),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtSetInformationObject(Process, ObjectHandleFlagInformation, Buffer, 3),
                 STATUS_INFO_LENGTH_MISMATCH);
    NtClose(Process);
}

TEST(object, set_bad_handle)
{
    CHECK_STATUS(NtapiSetFlags(NULL, FALSE, FALSE), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiSetFlags(NTAPI_MADE_UP_HANDLE, FALSE, FALSE), STATUS_INVALID_HANDLE);
}

/* The pseudo-handles have no entry whose flags could change (services.def). */
TEST(object, set_pseudo)
{
    CHECK_STATUS(NtapiSetFlags(NtCurrentProcess(), FALSE, FALSE), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiSetFlags(NtCurrentThread(), FALSE, FALSE), STATUS_INVALID_HANDLE);
}

/* ---- NtDuplicateObject ------------------------------------------------------------------ */

TEST(object, duplicate_same_access)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION | PROCESS_DUP_HANDLE);
    HANDLE Copy = NULL;
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Process, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    CHECK(Copy != NULL && Copy != Process);
    CHECK_STATUS(NtapiQueryBasic(Copy, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, PROCESS_QUERY_INFORMATION | PROCESS_DUP_HANDLE);
    CHECK_STATUS(NtClose(Copy), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
}

TEST(object, duplicate_access_asked)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION | PROCESS_DUP_HANDLE);
    HANDLE Copy = NULL;
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Process, NtCurrentProcess(), &Copy,
                                   PROCESS_QUERY_INFORMATION, 0, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryBasic(Copy, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, PROCESS_QUERY_INFORMATION);
    NtClose(Copy);
    NtClose(Process);
}

/* Duplicating a pseudo-handle gives a real handle to the same object. */
TEST(object, duplicate_pseudo)
{
    HANDLE Copy = NULL;
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(),
                                   &Copy, 0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    CHECK(Copy != NULL && Copy != NtCurrentProcess());
    CHECK_STATUS(NtapiQueryBasic(Copy, &Info), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Copy), STATUS_SUCCESS);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(), &Copy,
                                   0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Copy), STATUS_SUCCESS);
}

TEST(object, duplicate_same_attributes)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    HANDLE Copy = NULL;
    OBJECT_HANDLE_FLAG_INFORMATION Flags = {FALSE, FALSE};

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtapiSetFlags(Process, TRUE, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Process, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Copy, ObjectHandleFlagInformation, &Flags, sizeof(Flags), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Flags.Inherit, TRUE);
    NtClose(Copy);
    NtClose(Process);
}

TEST(object, duplicate_close_source)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    HANDLE Copy = NULL;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Process, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtClose(Copy), STATUS_SUCCESS);
}

/* No target process with DUPLICATE_CLOSE_SOURCE: the source is only closed. */
TEST(object, duplicate_close_only)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(
        NtDuplicateObject(NtCurrentProcess(), Process, NULL, NULL, 0, 0, DUPLICATE_CLOSE_SOURCE),
        STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_INVALID_HANDLE);
}

TEST(object, duplicate_bad_source_handle)
{
    HANDLE Copy = NULL;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NTAPI_MADE_UP_HANDLE, NtCurrentProcess(),
                                   &Copy, 0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NULL, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_INVALID_HANDLE);
}

TEST(object, duplicate_bad_process_handle)
{
    HANDLE Copy = NULL;

    CHECK_STATUS(NtDuplicateObject(NTAPI_MADE_UP_HANDLE, NtCurrentProcess(), NtCurrentProcess(),
                                   &Copy, 0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NTAPI_MADE_UP_HANDLE,
                                   &Copy, 0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_INVALID_HANDLE);
}

/* A thread handle where a process handle belongs. */
TEST(object, duplicate_wrong_type)
{
    HANDLE Copy = NULL;

    CHECK_STATUS(NtDuplicateObject(NtCurrentThread(), NtCurrentProcess(), NtCurrentProcess(), &Copy,
                                   0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentThread(), &Copy,
                                   0, 0, DUPLICATE_SAME_ACCESS),
                 STATUS_OBJECT_TYPE_MISMATCH);
}

/* The source process handle lacks PROCESS_DUP_HANDLE. */
TEST(object, duplicate_no_dup_access)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    HANDLE Copy = NULL;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtDuplicateObject(Process, NtCurrentProcess(), NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), Process, &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_ACCESS_DENIED);
    NtClose(Process);
}

TEST(object, duplicate_bad_options)
{
    HANDLE Copy = NULL;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(),
                                   &Copy, 0, 0, 0x8),
                 STATUS_INVALID_PARAMETER);
}

/* DUPLICATE_CLOSE_SOURCE on a pseudo-handle leaves the pseudo-handle working. */
TEST(object, duplicate_close_source_pseudo)
{
    HANDLE Copy = NULL;
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(),
                                   &Copy, 0, 0, DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Copy), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryBasic(NtCurrentProcess(), &Info), STATUS_SUCCESS);
}

/* No access asked and no DUPLICATE_SAME_ACCESS: a handle with no rights. */
TEST(object, duplicate_no_access)
{
    HANDLE Copy = NULL;
    OBJECT_BASIC_INFORMATION Info;
    PROCESS_BASIC_INFORMATION Process;

    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(),
                                   &Copy, 0, 0, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryBasic(Copy, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, 0);
    CHECK_STATUS(
        NtQueryInformationProcess(Copy, ProcessBasicInformation, &Process, sizeof(Process), NULL),
        STATUS_ACCESS_DENIED);
    NtClose(Copy);
}

TEST(object, query_flags_short)
{
    OBJECT_HANDLE_FLAG_INFORMATION Flags;
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    ULONG Length = 0;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtQueryObject(Process, ObjectHandleFlagInformation, &Flags, 1, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(Flags));
    NtClose(Process);
}

/* Enough handles to need more than the first chunk of the table, then none. */
TEST(object, many_handles)
{
    static HANDLE Handles[600];
    ULONG Index, Opened = 0, Before = 0, After = 0;

    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &Before, sizeof(Before),
                              NULL);
    for (Index = 0; Index < sizeof(Handles) / sizeof(Handles[0]); Index++) {
        Handles[Index] = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
        if (!CHECK(Handles[Index] != NULL))
            break;
        Opened++;
    }
    for (Index = 0; Index < Opened; Index++)
        CHECK_STATUS(NtClose(Handles[Index]), STATUS_SUCCESS);
    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &After, sizeof(After), NULL);
    CHECK_EQ(After, Before);
}

/* Each open gives a handle no other live handle has. */
TEST(object, handles_distinct)
{
    HANDLE Handles[8];
    ULONG Index, Other;

    for (Index = 0; Index < 8; Index++)
        Handles[Index] = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    for (Index = 0; Index < 8; Index++) {
        CHECK(Handles[Index] != NULL);
        for (Other = 0; Other < Index; Other++)
            CHECK(Handles[Index] != Handles[Other]);
    }
    for (Index = 0; Index < 8; Index++)
        NtClose(Handles[Index]);
}

/* Windows probes the record of every class but the handle flags for ULONG alignment. */
TEST(object, query_misaligned_buffer)
{
    static ULONG Buffer[16];

    CHECK_STATUS(NtQueryObject(NtCurrentProcess(), ObjectBasicInformation, (PUCHAR)Buffer + 2,
                               sizeof(OBJECT_BASIC_INFORMATION), NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
}

/* The handle flags are two BOOLEANs: any address will do. */
TEST(object, query_flags_unaligned_buffer)
{
    static UCHAR Buffer[8];
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtQueryObject(Process, ObjectHandleFlagInformation, Buffer + 1,
                               sizeof(OBJECT_HANDLE_FLAG_INFORMATION), NULL),
                 STATUS_SUCCESS);
    NtClose(Process);
}

/* The pseudo-handles carry every right of their type. */
TEST(object, query_pseudo_access)
{
    OBJECT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiQueryBasic(NtCurrentProcess(), &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, PROCESS_ALL_ACCESS);
    CHECK_STATUS(NtapiQueryBasic(NtCurrentThread(), &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, THREAD_ALL_ACCESS);
}

TEST(object, set_flags_both)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    OBJECT_HANDLE_FLAG_INFORMATION Flags = {FALSE, FALSE};

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NtapiSetFlags(Process, TRUE, TRUE), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Process, ObjectHandleFlagInformation, &Flags, sizeof(Flags), NULL),
                 STATUS_SUCCESS);
    CHECK(Flags.Inherit && Flags.ProtectFromClose);
    CHECK_STATUS(NtClose(Process), STATUS_HANDLE_NOT_CLOSABLE);
    CHECK_STATUS(NtapiSetFlags(Process, FALSE, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Process), STATUS_SUCCESS);
}

/* The object lives as long as any handle to it: a copy outlives its source. */
TEST(object, copy_outlives_source)
{
    HANDLE Thread = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);
    HANDLE Copy = NULL;
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Thread, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtClose(Thread), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryBasic(Copy, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, THREAD_QUERY_INFORMATION);
    CHECK_STATUS(NtClose(Copy), STATUS_SUCCESS);
}

TEST(object, query_basic_thread_handle)
{
    HANDLE Thread = NtapiOpenSelfThread(THREAD_QUERY_INFORMATION);
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK(Thread != NULL))
        return;
    CHECK_STATUS(NtapiQueryBasic(Thread, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, THREAD_QUERY_INFORMATION);
    CHECK(Info.HandleCount >= 1);
    NtClose(Thread);
}
