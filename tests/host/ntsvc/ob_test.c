/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object manager (ntos/ob/): reference counts step by step, handle
 * values, lookups with type and access checks, pseudo-handles, closing,
 * table growth and exhaustion, and the services NtClose, NtDuplicateObject
 * and NtQueryObject through the generated dispatcher.
 */

#include "test.h"

#define EVENT_QUERY               0x1u
#define EVENT_MODIFY              0x2u
#define EVENT_ALL_ACCESS_FOR_TEST (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3u)

static PVOID NewEvent(void)
{
    PVOID Event = NULL;

    if (!NT_SUCCESS(ObCreateObject(FakeEventType, 24, &Event)))
        KeBugCheck("NewEvent");
    return Event;
}

static HANDLE NewHandle(PVOID Object, ACCESS_MASK Access, ULONG Attributes)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(ObCreateHandle(FakeProcess, Object, Access, Attributes, &Handle)))
        KeBugCheck("NewHandle");
    return Handle;
}

TEST(object_references_step_by_step)
{
    ULONG Before = FakeEventType->TotalNumberOfObjects;
    PVOID Event = NewEvent();

    CHECK_EQ(ObGetObjectPointerCount(Event), 1);
    CHECK_EQ(ObGetObjectHandleCount(Event), 0);
    CHECK(ObGetObjectType(Event) == FakeEventType);
    CHECK_EQ(FakeEventType->TotalNumberOfObjects, Before + 1);
    ObReferenceObject(Event);
    CHECK_EQ(ObGetObjectPointerCount(Event), 2);
    ObDereferenceObject(Event);
    CHECK_EQ(ObGetObjectPointerCount(Event), 1);
    CHECK_EQ(FakeEventDeletes, 0);
    ObDereferenceObject(Event);
    CHECK_EQ(FakeEventDeletes, 1); /* the delete procedure ran once */
    CHECK_EQ(FakeEventType->TotalNumberOfObjects, Before);
}

TEST(handle_references_step_by_step)
{
    PVOID Event = NewEvent(), Found = NULL;
    HANDLE Handle = NewHandle(Event, EVENT_ALL_ACCESS_FOR_TEST, 0);

    CHECK_EQ(ObGetObjectPointerCount(Event), 2); /* ours + the handle's */
    CHECK_EQ(ObGetObjectHandleCount(Event), 1);
    CHECK_STATUS(ObReferenceObjectByHandle(Handle, FakeEventType, EVENT_QUERY, &Found),
                 STATUS_SUCCESS);
    CHECK(Found == Event);
    CHECK_EQ(ObGetObjectPointerCount(Event), 3);
    ObDereferenceObject(Found);
    CHECK_EQ(ObGetObjectPointerCount(Event), 2);
    ObDereferenceObject(Event); /* the handle keeps it alive */
    CHECK_EQ(ObGetObjectPointerCount(Event), 1);
    CHECK_EQ(FakeEventDeletes, 0);
    CHECK_STATUS(ObCloseHandle(FakeProcess, Handle), STATUS_SUCCESS);
    CHECK_EQ(FakeEventDeletes, 1);
}

TEST(handle_values)
{
    PVOID Event = NewEvent();
    HANDLE A = NewHandle(Event, 0, 0), B = NewHandle(Event, 0, 0), C = NewHandle(Event, 0, 0);

    CHECK_EQ((ULONG_PTR)A, 4);
    CHECK_EQ((ULONG_PTR)B, 8);
    CHECK_EQ((ULONG_PTR)C, 12);
    CHECK_EQ(ObGetProcessHandleCount(FakeProcess), 3);
    CHECK_EQ(ObGetObjectHandleCount(Event), 3);
    CHECK_EQ(FakeEventType->TotalNumberOfHandles, 3);
    /* A freed slot is used again first. */
    CHECK_STATUS(ObCloseHandle(FakeProcess, B), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)NewHandle(Event, 0, 0), 8);
    ObDereferenceObject(Event);
}

TEST(handle_bad_values)
{
    PVOID Event = NewEvent(), Found = (PVOID)1;
    HANDLE Handle = NewHandle(Event, 0, 0);
    static const ULONG_PTR Bad[] = {
        0, 1, 3, 8, 400, 0x10000, (ULONG_PTR)-3, (ULONG_PTR)-4, 0x8000000000000004ull};
    ULONG Index;

    for (Index = 0; Index < ARRAYSIZE(Bad); Index++) {
        CHECK_STATUS(ObReferenceObjectByHandle((HANDLE)Bad[Index], NULL, 0, &Found),
                     STATUS_INVALID_HANDLE);
        CHECK(Found == NULL);
        CHECK_STATUS(ObCloseHandle(FakeProcess, (HANDLE)Bad[Index]), STATUS_INVALID_HANDLE);
    }
    CHECK_EQ(ObGetObjectPointerCount(Event), 2);
    (void)Handle;
    ObDereferenceObject(Event);
}

TEST(handle_low_bits_ignored)
{
    PVOID Event = NewEvent(), Found;
    HANDLE Handle = NewHandle(Event, 0, 0);
    ULONG Bits;

    for (Bits = 1; Bits < 4; Bits++) {
        CHECK_STATUS(ObReferenceObjectByHandle((HANDLE)((ULONG_PTR)Handle | Bits), NULL, 0, &Found),
                     STATUS_SUCCESS);
        CHECK(Found == Event);
        ObDereferenceObject(Found);
    }
    CHECK_STATUS(ObCloseHandle(FakeProcess, (HANDLE)((ULONG_PTR)Handle | 3)), STATUS_SUCCESS);
    CHECK_EQ(ObGetObjectHandleCount(Event), 0);
    ObDereferenceObject(Event);
}

TEST(handle_type_mismatch)
{
    PVOID Event = NewEvent(), Found = (PVOID)1;
    HANDLE Handle = NewHandle(Event, 0, 0);

    CHECK_STATUS(ObReferenceObjectByHandle(Handle, PsProcessType, 0, &Found),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK(Found == NULL);
    CHECK_EQ(ObGetObjectPointerCount(Event), 2); /* no reference taken */
    ObDereferenceObject(Event);
}

TEST(handle_access_checks)
{
    PVOID Event = NewEvent(), Found;
    HANDLE Read = NewHandle(Event, GENERIC_READ, 0);
    HANDLE Max = NewHandle(Event, MAXIMUM_ALLOWED, 0);
    HANDLE Modify = NewHandle(Event, EVENT_MODIFY, 0);

    CHECK_STATUS(ObReferenceObjectByHandle(Read, FakeEventType, EVENT_QUERY, &Found),
                 STATUS_SUCCESS);
    ObDereferenceObject(Found);
    CHECK_STATUS(ObReferenceObjectByHandle(Read, FakeEventType, READ_CONTROL, &Found),
                 STATUS_SUCCESS);
    ObDereferenceObject(Found);
    CHECK_STATUS(ObReferenceObjectByHandle(Read, FakeEventType, EVENT_MODIFY, &Found),
                 STATUS_ACCESS_DENIED);
    CHECK_STATUS(ObReferenceObjectByHandle(Read, FakeEventType, GENERIC_WRITE, &Found),
                 STATUS_ACCESS_DENIED);
    CHECK_STATUS(ObReferenceObjectByHandle(Modify, FakeEventType, GENERIC_WRITE, &Found),
                 STATUS_SUCCESS);
    ObDereferenceObject(Found);
    CHECK_STATUS(ObReferenceObjectByHandle(Max, FakeEventType, GENERIC_ALL, &Found),
                 STATUS_SUCCESS);
    ObDereferenceObject(Found);
    CHECK_EQ(ObGetObjectPointerCount(Event), 4);
    ObDereferenceObject(Event);
}

TEST(handle_protected_from_close)
{
    PVOID Event = NewEvent();
    HANDLE Handle = NewHandle(Event, 0, OBJ_PROTECT_CLOSE | OBJ_CASE_INSENSITIVE);

    CHECK_STATUS(ObCloseHandle(FakeProcess, Handle), STATUS_HANDLE_NOT_CLOSABLE);
    CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)Handle), STATUS_HANDLE_NOT_CLOSABLE);
    ObDereferenceObject(Event);
    CHECK_EQ(FakeEventDeletes, 0);
    /* The end of the process closes it anyway. */
    ObKillProcessHandleTable(FakeProcess);
    CHECK_EQ(FakeEventDeletes, 1);
    CHECK(FakeProcess->HandleTable == NULL);
}

TEST(handle_pseudo_handles)
{
    PVOID Found;
    LONG_PTR ProcessRefs = ObGetObjectPointerCount(FakeProcess);

    CHECK_STATUS(
        ObReferenceObjectByHandle(NtCurrentProcess(), PsProcessType, PROCESS_ALL_ACCESS, &Found),
        STATUS_SUCCESS);
    CHECK(Found == FakeProcess);
    CHECK_EQ(ObGetObjectPointerCount(FakeProcess), ProcessRefs + 1);
    ObDereferenceObject(Found);
    CHECK_STATUS(ObReferenceObjectByHandle(NtCurrentThread(), NULL, 0, &Found), STATUS_SUCCESS);
    CHECK(Found == FakeThread);
    ObDereferenceObject(Found);
    CHECK_STATUS(ObReferenceObjectByHandle(NtCurrentProcess(), PsThreadType, 0, &Found),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)-1), STATUS_INVALID_HANDLE);
    CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)-2), STATUS_INVALID_HANDLE);
    CHECK_EQ(ObGetObjectPointerCount(FakeProcess), ProcessRefs);
}

TEST(handle_pseudo_without_process_type)
{
    POBJECT_TYPE Saved = PsProcessType;
    PVOID Found;
    NTSTATUS Status;

    PsProcessType = NULL; /* ps/ has not initialised */
    Status = ObReferenceObjectByHandle(NtCurrentProcess(), NULL, 0, &Found);
    PsProcessType = Saved;
    CHECK_STATUS(Status, STATUS_INVALID_HANDLE);
}

TEST(handle_table_grows)
{
    PVOID Event = NewEvent(), Found;
    HANDLE Handles[300];
    ULONG Index;

    for (Index = 0; Index < ARRAYSIZE(Handles); Index++) {
        CHECK_STATUS(ObCreateHandle(FakeProcess, Event, 0, 0, &Handles[Index]), STATUS_SUCCESS);
        CHECK_EQ((ULONG_PTR)Handles[Index], (Index + 1) * 4);
    }
    CHECK_EQ(ObGetObjectHandleCount(Event), 300);
    CHECK_STATUS(ObReferenceObjectByHandle(Handles[299], NULL, 0, &Found), STATUS_SUCCESS);
    ObDereferenceObject(Found);
    for (Index = 0; Index < ARRAYSIZE(Handles); Index++)
        CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)Handles[Index]), STATUS_SUCCESS);
    CHECK_EQ(ObGetObjectPointerCount(Event), 1);
    CHECK_EQ(ObGetProcessHandleCount(FakeProcess), 0);
    ObDereferenceObject(Event);
}

TEST(handle_table_full)
{
    PVOID Event = NewEvent();
    HANDLE Handle;
    ULONG Index;

    for (Index = 0; Index < 32768; Index++) {
        if (!NT_SUCCESS(ObCreateHandle(FakeProcess, Event, 0, 0, &Handle)))
            break;
    }
    CHECK_EQ(Index, 32768);
    CHECK_STATUS(ObCreateHandle(FakeProcess, Event, 0, 0, &Handle), STATUS_INSUFFICIENT_RESOURCES);
    CHECK(Handle == NULL);
    CHECK_EQ(ObGetObjectPointerCount(Event), 32769);
    ObKillProcessHandleTable(FakeProcess);
    CHECK_EQ(ObGetObjectPointerCount(Event), 1);
    ObDereferenceObject(Event);
}

TEST(handle_pool_exhausted)
{
    PVOID Event = NewEvent(), Object = (PVOID)1;
    HANDLE Handle = (HANDLE)1;

    FakePoolFailAfter = 0; /* the table itself cannot be made */
    CHECK_STATUS(ObCreateHandle(FakeProcess, Event, 0, 0, &Handle), STATUS_INSUFFICIENT_RESOURCES);
    CHECK(Handle == NULL);
    FakePoolFailAfter = 1; /* the table, but not its first chunk */
    CHECK_STATUS(ObCreateHandle(FakeProcess, Event, 0, 0, &Handle), STATUS_INSUFFICIENT_RESOURCES);
    CHECK_EQ(ObGetObjectPointerCount(Event), 1);
    CHECK_EQ(ObGetObjectHandleCount(Event), 0);
    FakePoolFailAfter = 0;
    CHECK_STATUS(ObCreateObject(FakeEventType, 16, &Object), STATUS_INSUFFICIENT_RESOURCES);
    CHECK(Object == NULL);
    FakePoolFailAfter = -1;
    ObDereferenceObject(Event);
}

TEST(kill_table_deletes_objects)
{
    PVOID A = NewEvent(), B = NewEvent();

    NewHandle(A, 0, 0);
    NewHandle(B, 0, 0);
    NewHandle(B, 0, 0);
    ObDereferenceObject(A);
    ObDereferenceObject(B);
    CHECK_EQ(FakeEventDeletes, 0);
    ObKillProcessHandleTable(FakeProcess);
    CHECK_EQ(FakeEventDeletes, 2);
    ObKillProcessHandleTable(FakeProcess); /* twice is harmless */
}

/* ---- NtDuplicateObject ----------------------------------------------------------------- */

TEST(duplicate_same_access)
{
    PVOID Event = NewEvent();
    HANDLE Source = NewHandle(Event, GENERIC_READ, OBJ_INHERIT);
    HANDLE *Target = (HANDLE *)UserAlloc(sizeof(HANDLE));
    ULONG_PTR Info = UserAlloc(sizeof(OBJECT_BASIC_INFORMATION));

    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, -1, (ULONG_PTR)Target, 0, 0,
                      DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES),
                 STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)*Target, 8);
    CHECK_EQ(ObGetObjectHandleCount(Event), 2);
    CHECK_EQ(ObGetObjectPointerCount(Event), 3);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)*Target, 0, Info,
                      sizeof(OBJECT_BASIC_INFORMATION), 0),
                 STATUS_SUCCESS);
    CHECK_EQ(((OBJECT_BASIC_INFORMATION *)Info)->GrantedAccess, READ_CONTROL | EVENT_QUERY);
    CHECK_EQ(((OBJECT_BASIC_INFORMATION *)Info)->Attributes, OBJ_INHERIT);
    ObDereferenceObject(Event);
}

TEST(duplicate_new_access_and_close_source)
{
    PVOID Event = NewEvent(), Found;
    HANDLE Source = NewHandle(Event, EVENT_QUERY, 0);
    HANDLE *Target = (HANDLE *)UserAlloc(sizeof(HANDLE));

    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, -1, (ULONG_PTR)Target,
                      EVENT_MODIFY, 0, DUPLICATE_CLOSE_SOURCE),
                 STATUS_SUCCESS);
    CHECK_STATUS(ObReferenceObjectByHandle(Source, NULL, 0, &Found), STATUS_INVALID_HANDLE);
    CHECK_STATUS(ObReferenceObjectByHandle(*Target, FakeEventType, EVENT_MODIFY, &Found),
                 STATUS_SUCCESS);
    ObDereferenceObject(Found);
    CHECK_EQ(ObGetObjectHandleCount(Event), 1);
    ObDereferenceObject(Event);
}

TEST(duplicate_close_source_only)
{
    PVOID Event = NewEvent();
    HANDLE Source = NewHandle(Event, 0, 0);
    HANDLE *Target = (HANDLE *)UserAlloc(sizeof(HANDLE));

    *Target = (HANDLE)0x55;
    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, 0, (ULONG_PTR)Target, 0, 0,
                      DUPLICATE_CLOSE_SOURCE),
                 STATUS_SUCCESS);
    CHECK_EQ(ObGetObjectHandleCount(Event), 0);
    CHECK_EQ((ULONG_PTR)*Target, 0); /* no new handle: reported as NULL */
    ObDereferenceObject(Event);
}

TEST(duplicate_rejects)
{
    PVOID Event = NewEvent();
    HANDLE Source = NewHandle(Event, 0, 0);
    ULONG_PTR Target = UserAlloc(sizeof(HANDLE));

    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, 400, -1, Target, 0, 0, 0),
                 STATUS_INVALID_HANDLE);
    /* The source process handle must be a process. */
    CHECK_STATUS(
        Call(NTSVC_DuplicateObject, 7, (ULONG_PTR)Source, (ULONG_PTR)Source, -1, Target, 0, 0, 0),
        STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, -1, Target, 0, 0, 0x80),
                 STATUS_INVALID_PARAMETER);
    /* A bad out pointer fails before a handle is made. */
    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, -1, FAKE_UNMAPPED, 0, 0,
                      DUPLICATE_SAME_ACCESS),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, -1, Target + 4, 0, 0,
                      DUPLICATE_SAME_ACCESS),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_EQ(*(ULONG_PTR *)Target, 0);
    CHECK_EQ(ObGetObjectHandleCount(Event), 1);
    CHECK_EQ(ObGetProcessHandleCount(FakeProcess), 1);
    ObDereferenceObject(Event);
}

TEST(duplicate_pseudo_handle_gives_real_handle)
{
    HANDLE *Target = (HANDLE *)UserAlloc(sizeof(HANDLE));
    PVOID Found;

    CHECK_STATUS(
        Call(NTSVC_DuplicateObject, 7, -1, -1, -1, (ULONG_PTR)Target, 0, 0, DUPLICATE_SAME_ACCESS),
        STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)*Target, 4);
    CHECK_STATUS(ObReferenceObjectByHandle(*Target, PsProcessType, PROCESS_DUP_HANDLE, &Found),
                 STATUS_SUCCESS);
    CHECK(Found == FakeProcess);
    ObDereferenceObject(Found);
    /* The runner's ObKillProcessHandleTable breaks the self-reference. */
}

TEST(duplicate_into_other_process)
{
    PEPROCESS Other = FakeCreateProcess();
    PVOID Event = NewEvent(), Found;
    HANDLE OtherHandle = NewHandle(Other, PROCESS_DUP_HANDLE, 0);
    HANDLE Source = NewHandle(Event, 0, 0);
    HANDLE *Target = (HANDLE *)UserAlloc(sizeof(HANDLE));
    ACCESS_MASK Granted;

    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, (ULONG_PTR)OtherHandle,
                      (ULONG_PTR)Target, EVENT_QUERY, 0, 0),
                 STATUS_SUCCESS);
    CHECK_EQ(ObGetProcessHandleCount(Other), 1);
    CHECK_STATUS(ObReferenceObjectByHandleInProcess(Other, *Target, FakeEventType, EVENT_QUERY,
                                                    &Found, &Granted, NULL),
                 STATUS_SUCCESS);
    CHECK(Found == Event);
    CHECK_EQ(Granted, EVENT_QUERY);
    ObDereferenceObject(Found);
    /* A target process handle without PROCESS_DUP_HANDLE is refused. */
    CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)OtherHandle), STATUS_SUCCESS);
    OtherHandle = NewHandle(Other, SYNCHRONIZE, 0);
    CHECK_STATUS(Call(NTSVC_DuplicateObject, 7, -1, (ULONG_PTR)Source, (ULONG_PTR)OtherHandle,
                      (ULONG_PTR)Target, 0, 0, 0),
                 STATUS_ACCESS_DENIED);
    CHECK_EQ(ObGetProcessHandleCount(Other), 1);
    CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)OtherHandle), STATUS_SUCCESS);
    CHECK_EQ(ObGetObjectPointerCount(Other), 1);
    ObDereferenceObject(Other); /* its delete procedure closes its handle */
    CHECK_EQ(ObGetObjectHandleCount(Event), 1);
    ObDereferenceObject(Event);
}

/* ---- NtQueryObject ---------------------------------------------------------------------- */

TEST(query_basic_information)
{
    PVOID Event = NewEvent();
    HANDLE Handle = NewHandle(Event, EVENT_MODIFY | SYNCHRONIZE, OBJ_PROTECT_CLOSE);
    OBJECT_BASIC_INFORMATION *Info = (OBJECT_BASIC_INFORMATION *)UserAlloc(sizeof(*Info));
    ULONG *Length = (ULONG *)UserAlloc(sizeof(ULONG));

    NewHandle(Event, 0, 0);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, (ULONG_PTR)Info, sizeof(*Info),
                      (ULONG_PTR)Length),
                 STATUS_SUCCESS);
    CHECK_EQ(*Length, 0x38);
    CHECK_EQ(Info->Attributes, OBJ_PROTECT_CLOSE);
    CHECK_EQ(Info->GrantedAccess, EVENT_MODIFY | SYNCHRONIZE);
    CHECK_EQ(Info->HandleCount, 2);
    CHECK_EQ(Info->PointerCount, 3);
    ObDereferenceObject(Event);
}

TEST(query_length_mismatch_reports_length)
{
    PVOID Event = NewEvent();
    HANDLE Handle = NewHandle(Event, 0, 0);
    ULONG_PTR Info = UserAlloc(0x40);
    ULONG *Length = (ULONG *)UserAlloc(sizeof(ULONG));

    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, Info, 0x30, (ULONG_PTR)Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(*Length, 0x38); /* write=always */
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, 0, 0, (ULONG_PTR)Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, Info, 0x30, 0),
                 STATUS_INFO_LENGTH_MISMATCH);
    ObDereferenceObject(Event);
}

TEST(query_rejects)
{
    PVOID Event = NewEvent();
    HANDLE Handle = NewHandle(Event, 0, 0);
    ULONG_PTR Info = UserAlloc(0x40);

    CHECK_STATUS(Call(NTSVC_QueryObject, 5, 400, 0, Info, 0x38, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 77, Info, 0x38, 0),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, FAKE_UNMAPPED, 0x38, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, 0, 0x38, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, MM_USER_TOP + 1 - 8, 0x38, 0),
                 STATUS_ACCESS_VIOLATION);
    /* The alignment is probed first, with the class's: ULONG, bytes for the flags. */
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, MM_USER_TOP - 8, 0x38, 0),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, 400, 0, Info + 2, 0x38, 0),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, 400, ObjectHandleFlagInformation, Info + 1, 2, 0),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, Info + 2, 0, 0),
                 STATUS_INFO_LENGTH_MISMATCH);
    /* A NULL buffer passes the probe and fails at the copy, after the handle. */
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, 400, 0, 0, 0x38, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, 0, Info, 0x38, Info + 0x3e),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_EQ(ObGetObjectPointerCount(Event), 2);
    ObDereferenceObject(Event);
}

TEST(query_pseudo_handle)
{
    OBJECT_BASIC_INFORMATION *Info = (OBJECT_BASIC_INFORMATION *)UserAlloc(sizeof(*Info));

    CHECK_STATUS(Call(NTSVC_QueryObject, 5, -1, 0, (ULONG_PTR)Info, sizeof(*Info), 0),
                 STATUS_SUCCESS);
    CHECK_EQ(Info->GrantedAccess, PROCESS_ALL_ACCESS);
    CHECK_EQ(Info->HandleCount, 0);
}

/* ---- handle flags: NtQueryObject class 4, NtSetInformationObject ------------------------ */

TEST(handle_flags_query_and_set)
{
    PVOID Event = NewEvent();
    HANDLE Handle = NewHandle(Event, 0, OBJ_INHERIT);
    OBJECT_HANDLE_FLAG_INFORMATION *Flags =
        (OBJECT_HANDLE_FLAG_INFORMATION *)UserAlloc(sizeof(*Flags));
    ULONG *Length = (ULONG *)UserAlloc(sizeof(ULONG));

    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, ObjectHandleFlagInformation,
                      (ULONG_PTR)Flags, 2, (ULONG_PTR)Length),
                 STATUS_SUCCESS);
    CHECK_EQ(*Length, 2);
    CHECK(Flags->Inherit && !Flags->ProtectFromClose);
    Flags->Inherit = FALSE;
    Flags->ProtectFromClose = TRUE;
    CHECK_STATUS(Call(NTSVC_SetInformationObject, 4, (ULONG_PTR)Handle, ObjectHandleFlagInformation,
                      (ULONG_PTR)Flags, 2),
                 STATUS_SUCCESS);
    CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)Handle), STATUS_HANDLE_NOT_CLOSABLE);
    memset(Flags, 0xff, sizeof(*Flags));
    CHECK_STATUS(Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, ObjectHandleFlagInformation,
                      (ULONG_PTR)Flags, 2, 0),
                 STATUS_SUCCESS);
    CHECK(!Flags->Inherit && Flags->ProtectFromClose);
    Flags->ProtectFromClose = FALSE;
    CHECK_STATUS(Call(NTSVC_SetInformationObject, 4, (ULONG_PTR)Handle, ObjectHandleFlagInformation,
                      (ULONG_PTR)Flags, 2),
                 STATUS_SUCCESS);
    CHECK_STATUS(Call(NTSVC_Close, 1, (ULONG_PTR)Handle), STATUS_SUCCESS);
    ObDereferenceObject(Event);
}

TEST(handle_flags_rejects)
{
    PVOID Event = NewEvent();
    HANDLE Handle = NewHandle(Event, 0, 0);
    ULONG_PTR Flags = UserAlloc(8);

    CHECK_STATUS(Call(NTSVC_SetInformationObject, 4, (ULONG_PTR)Handle, 0, Flags, 2),
                 STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(Call(NTSVC_SetInformationObject, 4, (ULONG_PTR)Handle, ObjectHandleFlagInformation,
                      Flags, 3),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(Call(NTSVC_SetInformationObject, 4, 400, ObjectHandleFlagInformation, Flags, 2),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(Call(NTSVC_SetInformationObject, 4, -1, ObjectHandleFlagInformation, Flags, 2),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(Call(NTSVC_SetInformationObject, 4, (ULONG_PTR)Handle, ObjectHandleFlagInformation,
                      FAKE_UNMAPPED, 2),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        Call(NTSVC_SetInformationObject, 4, (ULONG_PTR)Handle, ObjectHandleFlagInformation, 0, 2),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        Call(NTSVC_QueryObject, 5, (ULONG_PTR)Handle, ObjectHandleFlagInformation, Flags, 8, 0),
        STATUS_INFO_LENGTH_MISMATCH);
    ObDereferenceObject(Event);
}
