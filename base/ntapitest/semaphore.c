/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Semaphores: the counts creation accepts, NtReleaseSemaphore's previous
 * count, the limit (nothing changes when it would be passed, also near
 * MAXLONG), zero and negative releases, waits taking one each,
 * NtQuerySemaphore's class and length, access rights.
 */
#include "synch.h"

TEST(semaphore, create_and_query)
{
    HANDLE Semaphore = NULL;
    SEMAPHORE_BASIC_INFORMATION Info;
    ULONG Length = 0;

    CHECK_STATUS(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, NULL, 2, 5), STATUS_SUCCESS);
    CHECK_STATUS(NtQuerySemaphore(Semaphore, 0, &Info, sizeof(Info), &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(Info));
    CHECK_EQ(Info.CurrentCount, 2);
    CHECK_EQ(Info.MaximumCount, 5);
    NtClose(Semaphore);
}

TEST(semaphore, create_bad_counts)
{
    HANDLE Semaphore = NULL;

    CHECK_STATUS(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, NULL, 0, 0),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, NULL, 0, -1),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, NULL, -1, 1),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, NULL, 3, 2),
                 STATUS_INVALID_PARAMETER);
    CHECK(Semaphore == NULL);
}

TEST(semaphore, create_full)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 0x7fffffff, 0x7fffffff);

    CHECK(Semaphore != NULL);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 0x7fffffff);
    NtClose(Semaphore);
}

TEST(semaphore, release_previous_count)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 1, 10);
    LONG Previous = 77;

    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 2, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 7, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 3);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 10);
    NtClose(Semaphore);
}

TEST(semaphore, release_past_limit)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 2, 3);
    LONG Previous = 77;

    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 2, &Previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(Previous, 77);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 2);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 1, &Previous), STATUS_SUCCESS);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 1, NULL), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    NtClose(Semaphore);
}

TEST(semaphore, release_no_overflow)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 1, 0x7fffffff);

    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 0x7fffffff, NULL), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 1);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 0x7ffffffe, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 0x7fffffff);
    NtClose(Semaphore);
}

TEST(semaphore, release_zero_or_negative)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 0, 3);

    CHECK_STATUS(NtReleaseSemaphore(Semaphore, 0, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtReleaseSemaphore(Semaphore, -1, NULL), STATUS_INVALID_PARAMETER);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 0);
    NtClose(Semaphore);
}

TEST(semaphore, wait_takes_one)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 2, 2);

    CHECK_STATUS(NtapiWait(Semaphore, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 1);
    CHECK_STATUS(NtapiWait(Semaphore, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Semaphore, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiWait(Semaphore, -NTAPI_MS), STATUS_TIMEOUT);
    CHECK_EQ(NtapiSemaphoreCount(Semaphore), 0);
    NtClose(Semaphore);
}

TEST(semaphore, query_class_and_length)
{
    HANDLE Semaphore = NtapiSemaphore(SEMAPHORE_ALL_ACCESS, 0, 1);
    UCHAR Buffer[16];

    CHECK_STATUS(NtQuerySemaphore(Semaphore, 2, Buffer, 8, NULL), STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQuerySemaphore(Semaphore, 0, Buffer, 4, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQuerySemaphore(Semaphore, 0, Buffer, 12, NULL), STATUS_INFO_LENGTH_MISMATCH);
    NtClose(Semaphore);
}

TEST(semaphore, access_rights)
{
    HANDLE Query = NtapiSemaphore(SEMAPHORE_QUERY_STATE, 0, 2);
    HANDLE Modify = NtapiSemaphore(SEMAPHORE_MODIFY_STATE, 0, 2);
    SEMAPHORE_BASIC_INFORMATION Info;

    CHECK_STATUS(NtReleaseSemaphore(Query, 1, NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtQuerySemaphore(Modify, 0, &Info, sizeof(Info), NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtReleaseSemaphore(Modify, 1, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiGrantedAccess(Query), SEMAPHORE_QUERY_STATE);
    NtClose(Query);
    NtClose(Modify);
    Query = NtapiSemaphore(MAXIMUM_ALLOWED, 0, 2);
    CHECK_EQ(NtapiGrantedAccess(Query), SEMAPHORE_ALL_ACCESS);
    NtClose(Query);
}

TEST(semaphore, wrong_handles)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);

    CHECK_STATUS(NtReleaseSemaphore(Event, 1, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtReleaseSemaphore((HANDLE)0x7770, 1, NULL), STATUS_INVALID_HANDLE);
    NtClose(Event);
}

TEST(semaphore, named_create_and_open)
{
    static WCHAR Name[] = L"\\BaseNamedObjects\\NtapiTest_semaphore";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE First = NULL, Second = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtCreateSemaphore(&First, SEMAPHORE_ALL_ACCESS, &Attributes, 0, 4),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtOpenSemaphore(&Second, SEMAPHORE_ALL_ACCESS, &Attributes), STATUS_SUCCESS);
    CHECK(Second != NULL && Second != First);
    CHECK_STATUS(NtReleaseSemaphore(Second, 3, NULL), STATUS_SUCCESS);
    CHECK_EQ(NtapiSemaphoreCount(First), 3);
    NtClose(First);
    NtClose(Second);
}
