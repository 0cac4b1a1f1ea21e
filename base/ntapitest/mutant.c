/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mutants: creation owned and not, NtQueryMutant (count, owned by the
 * caller, abandoned; class and length), recursion through waits, release
 * by a non-owner (STATUS_MUTANT_NOT_OWNED), previous counts, access and
 * wrong types. Abandonment needs a second thread that ends holding the
 * mutant (NtCreateThreadEx, ps branch).
 */
#include "synch.h"

static BOOLEAN NtapiQueryMutant(HANDLE Mutant, MUTANT_BASIC_INFORMATION *Info)
{
    memset(Info, 0xcc, sizeof(*Info));
    return NT_SUCCESS(NtQueryMutant(Mutant, 0, Info, sizeof(*Info), NULL));
}

TEST(mutant, create_free)
{
    HANDLE Mutant = NULL;
    MUTANT_BASIC_INFORMATION Info;
    ULONG Length = 0;

    CHECK_STATUS(NtCreateMutant(&Mutant, MUTANT_ALL_ACCESS, NULL, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryMutant(Mutant, 0, &Info, sizeof(Info), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.CurrentCount, 1);
    CHECK_EQ(Info.OwnedByCaller, FALSE);
    CHECK_EQ(Info.AbandonedState, FALSE);
    NtClose(Mutant);
}

TEST(mutant, create_owned)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, TRUE);
    MUTANT_BASIC_INFORMATION Info;

    CHECK(NtapiQueryMutant(Mutant, &Info));
    CHECK_EQ(Info.CurrentCount, 0);
    CHECK_EQ(Info.OwnedByCaller, TRUE);
    CHECK_EQ(Info.AbandonedState, FALSE);
    NtClose(Mutant);
}

TEST(mutant, release_not_owned)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, FALSE);
    LONG Previous = 7;

    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_MUTANT_NOT_OWNED);
    CHECK_EQ(Previous, 7);
    NtClose(Mutant);
}

TEST(mutant, release_previous_count)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, TRUE);
    MUTANT_BASIC_INFORMATION Info;
    LONG Previous = 7;

    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK(NtapiQueryMutant(Mutant, &Info));
    CHECK_EQ(Info.CurrentCount, 1);
    CHECK_EQ(Info.OwnedByCaller, FALSE);
    CHECK_STATUS(NtReleaseMutant(Mutant, NULL), STATUS_MUTANT_NOT_OWNED);
    NtClose(Mutant);
}

TEST(mutant, recursion)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, TRUE);
    MUTANT_BASIC_INFORMATION Info;
    LONG Previous = 7;

    CHECK_STATUS(NtapiWait(Mutant, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Mutant, 0), STATUS_SUCCESS);
    CHECK(NtapiQueryMutant(Mutant, &Info));
    CHECK_EQ(Info.CurrentCount, -2);
    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, -2);
    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, -1);
    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 0);
    CHECK_STATUS(NtReleaseMutant(Mutant, &Previous), STATUS_MUTANT_NOT_OWNED);
    NtClose(Mutant);
}

TEST(mutant, wait_takes_ownership)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, FALSE);
    MUTANT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtapiWait(Mutant, -NTAPI_MS), STATUS_SUCCESS);
    CHECK(NtapiQueryMutant(Mutant, &Info));
    CHECK_EQ(Info.CurrentCount, 0);
    CHECK_EQ(Info.OwnedByCaller, TRUE);
    CHECK_STATUS(NtReleaseMutant(Mutant, NULL), STATUS_SUCCESS);
    NtClose(Mutant);
}

TEST(mutant, close_owned_and_make_another)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, TRUE);
    HANDLE Other;
    MUTANT_BASIC_INFORMATION Info;

    /* Closing the last handle of an owned mutant frees it (the owner forgets it). */
    CHECK_STATUS(NtClose(Mutant), STATUS_SUCCESS);
    Other = NtapiMutant(MUTANT_ALL_ACCESS, FALSE);
    CHECK(NtapiQueryMutant(Other, &Info));
    CHECK_EQ(Info.OwnedByCaller, FALSE);
    CHECK_EQ(Info.CurrentCount, 1);
    NtClose(Other);
}

TEST(mutant, query_class_and_length)
{
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, FALSE);
    UCHAR Buffer[16];

    CHECK_STATUS(NtQueryMutant(Mutant, 1, Buffer, 8, NULL), STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQueryMutant(Mutant, 0, Buffer, 7, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryMutant(Mutant, 0, Buffer, 16, NULL), STATUS_INFO_LENGTH_MISMATCH);
    NtClose(Mutant);
}

TEST(mutant, access_rights)
{
    HANDLE Sync = NtapiMutant(SYNCHRONIZE, TRUE);
    MUTANT_BASIC_INFORMATION Info;

    CHECK(Sync != NULL);
    CHECK_STATUS(NtQueryMutant(Sync, 0, &Info, sizeof(Info), NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtReleaseMutant(Sync, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiGrantedAccess(Sync), SYNCHRONIZE);
    NtClose(Sync);
    Sync = NtapiMutant(GENERIC_READ, FALSE);
    CHECK_EQ(NtapiGrantedAccess(Sync), 0x00020001u);
    NtClose(Sync);
    Sync = NtapiMutant(MAXIMUM_ALLOWED, FALSE);
    CHECK_EQ(NtapiGrantedAccess(Sync), MUTANT_ALL_ACCESS);
    NtClose(Sync);
}

TEST(mutant, wrong_handles)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    CHECK_STATUS(NtReleaseMutant(Event, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtReleaseMutant(NULL, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtReleaseMutant(NtCurrentThread(), NULL), STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(Event);
}

/* A second thread: take the mutant and end holding it. */
static ULONG NTAPI NtapiTakeMutantAndEnd(PVOID Mutant)
{
    NtapiWait(Mutant, 0);
    NtTerminateThread(NtCurrentThread(), 0);
    return 0;
}

TEST(mutant, abandoned_by_ended_thread)
{
    /* A thread that ends owning the mutant: the next wait returns
     * STATUS_ABANDONED_WAIT_0 and takes it; the state is then clear. */
    HANDLE Mutant = NtapiMutant(MUTANT_ALL_ACCESS, FALSE);
    HANDLE Thread = NULL;
    MUTANT_BASIC_INFORMATION Info;

    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  (PVOID)NtapiTakeMutantAndEnd, Mutant, 0, 0, 0, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Thread, -1000 * NTAPI_MS), STATUS_SUCCESS);
    CHECK(NtapiQueryMutant(Mutant, &Info));
    CHECK_EQ(Info.AbandonedState, TRUE);
    CHECK_STATUS(NtapiWait(Mutant, 0), STATUS_ABANDONED_WAIT_0);
    CHECK(NtapiQueryMutant(Mutant, &Info));
    CHECK_EQ(Info.AbandonedState, FALSE);
    CHECK_EQ(Info.OwnedByCaller, TRUE);
    NtReleaseMutant(Mutant, NULL);
    NtClose(Thread);
    NtClose(Mutant);
}

TEST(mutant, named_create_and_open)
{
    static WCHAR Name[] = L"\\BaseNamedObjects\\NtapiTest_mutant";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE First = NULL, Second = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtCreateMutant(&First, MUTANT_ALL_ACCESS, &Attributes, TRUE), STATUS_SUCCESS);
    CHECK_STATUS(NtOpenMutant(&Second, MUTANT_ALL_ACCESS, &Attributes), STATUS_SUCCESS);
    CHECK(Second != NULL && Second != First);
    /* The same mutant: owned through either handle. */
    CHECK_STATUS(NtReleaseMutant(Second, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtReleaseMutant(First, NULL), STATUS_MUTANT_NOT_OWNED);
    NtClose(First);
    NtClose(Second);
}
