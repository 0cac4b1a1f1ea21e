/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The buffer checks the query services share, service by service, with
 * Windows' answers: the alignment of the class's record (ULONG for the
 * records here, none for NtQueryObject's handle flags, WCHAR for the
 * directory listing), the order of the checks (which comes first of a
 * misaligned or NULL buffer, a wrong class or length and a bad handle),
 * and whether ReturnLength is written with STATUS_INFO_LENGTH_MISMATCH
 * (never for the fixed-size records of the thread, event, mutant,
 * semaphore and timer queries). More of NtQueryInformationProcess's and
 * NtQueryObject's are in process.c and object.c.
 */
#include "ntapitest.h"

/* The single records of the ex/ queries (class 0 each), as Windows has them. */
typedef struct _QY_EVENT_BASIC_INFORMATION {
    ULONG EventType;
    LONG EventState;
} QY_EVENT_BASIC_INFORMATION;

typedef struct _QY_MUTANT_BASIC_INFORMATION {
    LONG CurrentCount;
    BOOLEAN OwnedByCaller;
    BOOLEAN AbandonedState;
} QY_MUTANT_BASIC_INFORMATION;

typedef struct _QY_SEMAPHORE_BASIC_INFORMATION {
    LONG CurrentCount;
    LONG MaximumCount;
} QY_SEMAPHORE_BASIC_INFORMATION;

typedef struct _QY_TIMER_BASIC_INFORMATION {
    LARGE_INTEGER RemainingTime;
    BOOLEAN TimerState;
} QY_TIMER_BASIC_INFORMATION;
_Static_assert(sizeof(QY_TIMER_BASIC_INFORMATION) == 16, "TIMER_BASIC_INFORMATION");

#define QY_NOTIFICATION    0 /* NotificationEvent, NotificationTimer */
#define QY_DIRECTORY_QUERY 0x0001u
#define QY_UNTOUCHED       0x55555555u

/* ULONG-aligned scratch; callers offset it to misalign. */
static ULONG QyBuffer[64];
#define QY_AT(Offset) ((PVOID)((PUCHAR)QyBuffer + (Offset)))

typedef NTSTATUS(NTAPI *QY_QUERY)(HANDLE Handle, ULONG Class, PVOID Buffer, ULONG Length,
                                  PULONG ReturnLength);

/*
 * The ex/ queries: class and length are checked first, then the buffer
 * (ULONG-aligned, written), then the handle; ReturnLength only on success.
 */
static VOID QyCheckSingleClass(HANDLE Handle, QY_QUERY Query, ULONG Size)
{
    ULONG Length = QY_UNTOUCHED;

    if (!CHECK(Handle != NULL))
        return;
    CHECK_STATUS(Query(Handle, 0, QyBuffer, Size, &Length), STATUS_SUCCESS);
    CHECK_EQ(Length, Size);
    CHECK_STATUS(Query(Handle, 0, QY_AT(1), Size, NULL), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Query(Handle, 0, QY_AT(2), Size, NULL), STATUS_DATATYPE_MISALIGNMENT);
    /* The class and the length come before the buffer... */
    CHECK_STATUS(Query(Handle, 1, QY_AT(1), Size, NULL), STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(Query(Handle, 0, QY_AT(1), Size + 1, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(Query(Handle, 0, NULL, Size - 1, NULL), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(Query(Handle, 0, NULL, 0, NULL), STATUS_INFO_LENGTH_MISMATCH);
    /* ...the buffer before the handle. */
    CHECK_STATUS(Query(NULL, 0, QY_AT(2), Size, NULL), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Query(NULL, 0, QyBuffer, Size, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(Query(Handle, 0, NULL, Size, NULL), STATUS_ACCESS_VIOLATION);
    /* A fixed-size record: a wrong length leaves ReturnLength alone. */
    Length = QY_UNTOUCHED;
    CHECK_STATUS(Query(Handle, 0, QyBuffer, Size - 1, &Length), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, QY_UNTOUCHED);
    CHECK_STATUS(Query(Handle, 1, QyBuffer, Size, &Length), STATUS_INVALID_INFO_CLASS);
    CHECK_EQ(Length, QY_UNTOUCHED);
    NtClose(Handle);
}

TEST(query, event_buffer_checks)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateEvent(&Handle, GENERIC_ALL, NULL, QY_NOTIFICATION, FALSE)))
        Handle = NULL;
    QyCheckSingleClass(Handle, NtQueryEvent, sizeof(QY_EVENT_BASIC_INFORMATION));
}

TEST(query, mutant_buffer_checks)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateMutant(&Handle, GENERIC_ALL, NULL, FALSE)))
        Handle = NULL;
    QyCheckSingleClass(Handle, NtQueryMutant, sizeof(QY_MUTANT_BASIC_INFORMATION));
}

TEST(query, semaphore_buffer_checks)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateSemaphore(&Handle, GENERIC_ALL, NULL, 1, 2)))
        Handle = NULL;
    QyCheckSingleClass(Handle, NtQuerySemaphore, sizeof(QY_SEMAPHORE_BASIC_INFORMATION));
}

TEST(query, timer_buffer_checks)
{
    HANDLE Handle = NULL;

    if (!NT_SUCCESS(NtCreateTimer(&Handle, GENERIC_ALL, NULL, QY_NOTIFICATION)))
        Handle = NULL;
    QyCheckSingleClass(Handle, NtQueryTimer, sizeof(QY_TIMER_BASIC_INFORMATION));
}

/* ---- NtQuerySystemInformation: the buffer first, ULONG-aligned --------------------------------
 */

TEST(query, system_misaligned_buffer)
{
    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, QY_AT(2),
                                          sizeof(SYSTEM_BASIC_INFORMATION), NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, QY_AT(1), 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQuerySystemInformation(SystemBasicInformation, QY_AT(4),
                                          sizeof(SYSTEM_BASIC_INFORMATION), NULL),
                 STATUS_SUCCESS);
}

/* ---- NtQueryObject: ULONG alignment for every class but the handle flags, first of all ---- */

TEST(query, object_alignment_by_class)
{
    CHECK_STATUS(NtQueryObject(NtCurrentProcess(), ObjectNameInformation, QY_AT(2), 0x100, NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryObject(NtCurrentProcess(), ObjectTypeInformation, QY_AT(2), 0x100, NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryObject(NULL, ObjectBasicInformation, QY_AT(1),
                               sizeof(OBJECT_BASIC_INFORMATION), NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryObject(NULL, ObjectHandleFlagInformation, QY_AT(1),
                               sizeof(OBJECT_HANDLE_FLAG_INFORMATION), NULL),
                 STATUS_INVALID_HANDLE);
}

/* ---- NtQueryInformationThread: the rules of NtQueryInformationProcess ----------------------- */

static NTSTATUS QyThread(HANDLE Thread, ULONG Class, PVOID Buffer, ULONG Length, PULONG Return)
{
    return NtQueryInformationThread(Thread, Class, Buffer, Length, Return);
}

/* Every record is probed for ULONG alignment, first of all. */
TEST(query, thread_misaligned_buffer)
{
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadBasicInformation, QY_AT(1),
                          sizeof(THREAD_BASIC_INFORMATION), NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(
        QyThread(NtCurrentThread(), ThreadTimes, QY_AT(2), sizeof(KERNEL_USER_TIMES), NULL),
        STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadBasicInformation, (PVOID)(ULONG_PTR)2,
                          sizeof(THREAD_BASIC_INFORMATION), NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(QyThread(NULL, ThreadTimes, QY_AT(2), sizeof(KERNEL_USER_TIMES), NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    /* ULONG alignment is enough for the 8-byte fields. */
    CHECK_STATUS(
        QyThread(NtCurrentThread(), ThreadTimes, QY_AT(4), sizeof(KERNEL_USER_TIMES), NULL),
        STATUS_SUCCESS);
}

/* Length 0: nothing to probe, the length is wrong. */
TEST(query, thread_misaligned_wrong_size)
{
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadBasicInformation, QY_AT(1), 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}

/* The buffer is only bounded by the probe: a NULL one fails when written,
 * after the handle and the length. */
TEST(query, thread_null_buffer_order)
{
    CHECK_STATUS(QyThread(NULL, ThreadTimes, NULL, sizeof(KERNEL_USER_TIMES), NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(
        QyThread(NtCurrentThread(), ThreadTimes, NULL, sizeof(KERNEL_USER_TIMES) - 1, NULL),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadTimes, NULL, sizeof(KERNEL_USER_TIMES), NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadTimes, NTAPI_KERNEL_POINTER,
                          sizeof(KERNEL_USER_TIMES), NULL),
                 STATUS_ACCESS_VIOLATION);
}

/* The record's length is checked before the handle (ReactOS' tests of Windows). */
TEST(query, thread_length_before_handle)
{
    CHECK_STATUS(QyThread(NULL, ThreadBasicInformation, NULL, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(QyThread(NULL, ThreadTimes, QyBuffer, sizeof(KERNEL_USER_TIMES) + 1, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(
        QyThread(NULL, ThreadBasicInformation, QyBuffer, sizeof(THREAD_BASIC_INFORMATION), NULL),
        STATUS_INVALID_HANDLE);
    /* An aligned address nothing is mapped at passes the probe. */
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadBasicInformation, (PVOID)(ULONG_PTR)4,
                          sizeof(THREAD_BASIC_INFORMATION), NULL),
                 STATUS_ACCESS_VIOLATION);
}

TEST(query, process_length_before_handle)
{
    CHECK_STATUS(NtQueryInformationProcess(NULL, ProcessTimes, NULL, 0, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationProcess(NULL, ProcessBasicInformation, QyBuffer, 8, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryInformationProcess(NULL, ProcessBasicInformation, QY_AT(2), 8, NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes, (PVOID)(ULONG_PTR)4,
                                           sizeof(KERNEL_USER_TIMES), NULL),
                 STATUS_ACCESS_VIOLATION);
}

TEST(query, thread_length_mismatch_keeps_return_length)
{
    ULONG Length = QY_UNTOUCHED;

    CHECK_STATUS(
        QyThread(NtCurrentThread(), ThreadTimes, QyBuffer, sizeof(KERNEL_USER_TIMES) - 1, &Length),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, QY_UNTOUCHED);
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadBasicInformation, QyBuffer, 0, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, QY_UNTOUCHED);
    /* Written on success, also when it already held the size. */
    CHECK_STATUS(
        QyThread(NtCurrentThread(), ThreadTimes, QyBuffer, sizeof(KERNEL_USER_TIMES), &Length),
        STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(KERNEL_USER_TIMES));
    CHECK_STATUS(
        QyThread(NtCurrentThread(), ThreadTimes, QyBuffer, sizeof(KERNEL_USER_TIMES), &Length),
        STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(KERNEL_USER_TIMES));
    /* A failed copy reports no length. */
    Length = QY_UNTOUCHED;
    CHECK_STATUS(QyThread(NtCurrentThread(), ThreadTimes, NULL, sizeof(KERNEL_USER_TIMES), &Length),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(Length, QY_UNTOUCHED);
}

/* ---- NtQueryDirectoryObject: the listing is probed for WCHAR alignment, before the handle - */

TEST(query, directory_misaligned_buffer)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    ULONG Context = 0, Length = 0;
    HANDLE Directory = NULL;
    static const WCHAR Root[] = L"\\";

    Name.Buffer = (PWSTR)Root;
    Name.Length = sizeof(WCHAR);
    Name.MaximumLength = sizeof(Root);
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Name;
    if (!CHECK_STATUS(NtOpenDirectoryObject(&Directory, QY_DIRECTORY_QUERY, &Attributes),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtQueryDirectoryObject(Directory, QY_AT(1), sizeof(QyBuffer) - 8, TRUE, TRUE,
                                        &Context, &Length),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(
        NtQueryDirectoryObject(NULL, QY_AT(1), sizeof(QyBuffer) - 8, TRUE, TRUE, &Context, &Length),
        STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryDirectoryObject(Directory, QyBuffer, sizeof(QyBuffer), TRUE, TRUE, &Context,
                                        &Length),
                 STATUS_SUCCESS);
    NtClose(Directory);
}
