/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCreateThreadEx: threads that run their routine with its argument and
 * end with its result as exit status, many threads, suspended creation,
 * the client id and TEB outputs of the attribute list, the stack reserve
 * from MaximumStackSize / StackSize, the start address ntos reports, the
 * handle's access, and every argument error Windows refuses (flags, zero
 * bits, attribute list sizes and pointers, process handles and access).
 * Also the helpers of pstest.h.
 */
#include "pstest.h"

#define NTAPI_WAIT_BOUND 20000

static volatile LONG NtapiCounter;
static volatile ULONG_PTR NtapiStackReserve;

VOID NtapiYield(ULONG Count)
{
    while (Count--)
        NtYieldExecution();
}

NTSTATUS NtapiCreateThread(NTAPI_THREAD_ROUTINE Routine, PVOID Argument, ULONG Flags,
                           HANDLE *Thread)
{
    *Thread = NULL;
    return NtCreateThreadEx(Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), (PVOID)Routine,
                            Argument, Flags, 0, 0, 0, NULL);
}

/* Wait (10 s at most) for the object when the handle allows it; the
 * polling below then confirms at once. */
static VOID NtapiWaitObject(HANDLE Handle)
{
    LARGE_INTEGER Timeout;

    Timeout.QuadPart = -100000000ll;
    NtWaitForSingleObject(Handle, FALSE, &Timeout);
}

NTSTATUS NtapiWaitThread(HANDLE Thread)
{
    THREAD_BASIC_INFORMATION Info;

    NtapiWaitObject(Thread);

    for (ULONG i = 0; i < NTAPI_WAIT_BOUND; i++) {
        if (!NT_SUCCESS(NtQueryInformationThread(Thread, ThreadBasicInformation, &Info,
                                                 sizeof(Info), NULL)))
            return STATUS_INVALID_HANDLE;
        if (Info.ExitStatus != STATUS_PENDING)
            return Info.ExitStatus;
        NtYieldExecution();
    }
    return STATUS_PENDING;
}

NTSTATUS NtapiWaitProcess(HANDLE Process)
{
    PROCESS_BASIC_INFORMATION Info;

    NtapiWaitObject(Process);

    for (ULONG i = 0; i < NTAPI_WAIT_BOUND; i++) {
        if (!NT_SUCCESS(NtQueryInformationProcess(Process, ProcessBasicInformation, &Info,
                                                  sizeof(Info), NULL)))
            return STATUS_INVALID_HANDLE;
        if (Info.ExitStatus != STATUS_PENDING)
            return Info.ExitStatus;
        NtYieldExecution();
    }
    return STATUS_PENDING;
}

/* Resume a thread through a second handle opened by its id. */
static VOID NtapiResumeById(HANDLE Thread)
{
    THREAD_BASIC_INFORMATION Info;
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Full;

    NtapiInitializeObjectAttributes(&Attributes);
    if (!NT_SUCCESS(
            NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL)) ||
        !NT_SUCCESS(NtOpenThread(&Full, THREAD_ALL_ACCESS, &Attributes, &Info.ClientId)))
        return;
    NtResumeThread(Full, NULL);
    NtClose(Full);
}

static NTSTATUS NTAPI NtapiReturnArgument(PVOID Argument)
{
    __sync_fetch_and_add(&NtapiCounter, 1);
    return (NTSTATUS)(ULONG_PTR)Argument;
}

static NTSTATUS NTAPI NtapiRecordStack(PVOID Argument)
{
    PTEB Teb = NtCurrentTeb();

    (void)Argument;
    NtapiStackReserve = (ULONG_PTR)Teb->NtTib.StackBase - (ULONG_PTR)Teb->DeallocationStack;
    return STATUS_SUCCESS;
}

static NTSTATUS NtapiCreateWith(ULONG Flags, SIZE_T ZeroBits, SIZE_T Commit, SIZE_T Reserve,
                                PVOID AttributeList, HANDLE *Thread)
{
    *Thread = NULL;
    return NtCreateThreadEx(Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                            (PVOID)NtapiReturnArgument, (PVOID)0x77, Flags, ZeroBits, Commit,
                            Reserve, AttributeList);
}

TEST(create, thread_runs_and_exits)
{
    HANDLE Thread;
    LONG Before = NtapiCounter;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiReturnArgument, (PVOID)0x1234, 0, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitThread(Thread), 0x1234);
    CHECK_EQ(NtapiCounter, Before + 1);
    NtClose(Thread);
}

TEST(create, many_threads)
{
    HANDLE Threads[24];
    LONG Before = NtapiCounter;
    ULONG i;

    for (i = 0; i < sizeof(Threads) / sizeof(Threads[0]); i++) {
        if (!CHECK_STATUS(NtapiCreateThread(NtapiReturnArgument, (PVOID)(ULONG_PTR)(0x100 + i), 0,
                                            &Threads[i]),
                          STATUS_SUCCESS))
            break;
    }
    for (ULONG j = 0; j < i; j++) {
        CHECK_EQ(NtapiWaitThread(Threads[j]), 0x100 + j);
        NtClose(Threads[j]);
    }
    CHECK_EQ(NtapiCounter, Before + (LONG)i);
}

/* Threads that end give back what they held: the handle count returns. */
TEST(create, threads_leave_nothing)
{
    ULONG Before = 0, After = 0;
    HANDLE Thread;

    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &Before, sizeof(Before),
                              NULL);
    for (ULONG i = 0; i < 40; i++) {
        if (!CHECK_STATUS(NtapiCreateThread(NtapiReturnArgument, (PVOID)1, 0, &Thread),
                          STATUS_SUCCESS))
            break;
        CHECK_EQ(NtapiWaitThread(Thread), 1);
        NtClose(Thread);
    }
    NtQueryInformationProcess(NtCurrentProcess(), ProcessHandleCount, &After, sizeof(After), NULL);
    CHECK_EQ(After, Before);
}

TEST(create, suspended_does_not_run)
{
    HANDLE Thread;
    LONG Before = NtapiCounter;
    ULONG Previous = 99;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiReturnArgument, (PVOID)5,
                                        THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Thread),
                      STATUS_SUCCESS))
        return;
    NtapiYield(50);
    CHECK_EQ(NtapiCounter, Before);
    CHECK_STATUS(NtResumeThread(Thread, &Previous), STATUS_SUCCESS);
    CHECK_EQ(Previous, 1);
    CHECK_EQ(NtapiWaitThread(Thread), 5);
    CHECK_EQ(NtapiCounter, Before + 1);
    NtClose(Thread);
}

TEST(create, attribute_outputs)
{
    NTAPI_PS_ATTRIBUTE_LIST List;
    CLIENT_ID Id = {0};
    PTEB Teb = NULL;
    SIZE_T IdLength = 0;
    THREAD_BASIC_INFORMATION Info;
    HANDLE Thread;

    List.TotalLength = sizeof(List);
    List.Attributes[0] =
        (NTAPI_PS_ATTRIBUTE){PS_ATTRIBUTE_CLIENT_ID, sizeof(Id), (ULONG_PTR)&Id, &IdLength};
    List.Attributes[1] =
        (NTAPI_PS_ATTRIBUTE){PS_ATTRIBUTE_TEB_ADDRESS, sizeof(Teb), (ULONG_PTR)&Teb, NULL};
    if (!CHECK_STATUS(
            NtapiCreateWith(THREAD_CREATE_FLAGS_CREATE_SUSPENDED, 0, 0, 0, &List, &Thread),
            STATUS_SUCCESS))
        return;
    CHECK_STATUS(
        NtQueryInformationThread(Thread, ThreadBasicInformation, &Info, sizeof(Info), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Id.UniqueProcess, NtCurrentTeb()->ClientId.UniqueProcess);
    CHECK_EQ(Id.UniqueThread, Info.ClientId.UniqueThread);
    CHECK(Id.UniqueThread != NtCurrentTeb()->ClientId.UniqueThread);
    CHECK_EQ(IdLength, sizeof(Id));
    CHECK_EQ(Teb, Info.TebBaseAddress);
    NtResumeThread(Thread, NULL);
    CHECK_EQ(NtapiWaitThread(Thread), 0x77);
    NtClose(Thread);
}

TEST(create, win32_start_address)
{
    PVOID Start = NULL;
    HANDLE Thread;

    if (!CHECK_STATUS(NtapiCreateWith(THREAD_CREATE_FLAGS_CREATE_SUSPENDED, 0, 0, 0, NULL, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtQueryInformationThread(Thread, ThreadQuerySetWin32StartAddress, &Start,
                                          sizeof(Start), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Start, (PVOID)NtapiReturnArgument);
    NtResumeThread(Thread, NULL);
    NtapiWaitThread(Thread);
    NtClose(Thread);
}

/* MaximumStackSize is the reserve (64 KiB granularity); a commit at least
 * the reserve makes the reserve the commit rounded up to 1 MiB. */
TEST(create, stack_sizes)
{
    HANDLE Thread;

    NtapiStackReserve = 0;
    if (CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                      (PVOID)NtapiRecordStack, NULL, 0, 0, 0x1000, 0x230000, NULL),
                     STATUS_SUCCESS)) {
        CHECK_EQ(NtapiWaitThread(Thread), STATUS_SUCCESS);
        CHECK_EQ(NtapiStackReserve, 0x230000);
        NtClose(Thread);
    }
    NtapiStackReserve = 0;
    if (CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                      (PVOID)NtapiRecordStack, NULL, 0, 0, 0x280000, 0x10000, NULL),
                     STATUS_SUCCESS)) {
        CHECK_EQ(NtapiWaitThread(Thread), STATUS_SUCCESS);
        CHECK_EQ(NtapiStackReserve, 0x300000);
        NtClose(Thread);
    }
}

TEST(create, harmless_flags)
{
    HANDLE Thread;

    if (!CHECK_STATUS(NtapiCreateWith(THREAD_CREATE_FLAGS_SKIP_THREAD_ATTACH |
                                          THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER,
                                      0, 0, 0, NULL, &Thread),
                      STATUS_SUCCESS))
        return;
    CHECK_EQ(NtapiWaitThread(Thread), 0x77);
    NtClose(Thread);
}

TEST(create, unknown_flags)
{
    HANDLE Thread;

    CHECK_STATUS(NtapiCreateWith(0x8, 0, 0, 0, NULL, &Thread), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiCreateWith(0x100, 0, 0, 0, NULL, &Thread), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiCreateWith(0x80000000u, 0, 0, 0, NULL, &Thread), STATUS_INVALID_PARAMETER);
    CHECK(Thread == NULL);
}

TEST(create, zero_bits_too_large)
{
    HANDLE Thread;

    CHECK_STATUS(NtapiCreateWith(0, 54, 0, 0, NULL, &Thread), STATUS_INVALID_PARAMETER);
}

TEST(create, attribute_list_lengths)
{
    NTAPI_PS_ATTRIBUTE_LIST List;
    CLIENT_ID Id;
    HANDLE Thread;

    List.Attributes[0] =
        (NTAPI_PS_ATTRIBUTE){PS_ATTRIBUTE_CLIENT_ID, sizeof(Id), (ULONG_PTR)&Id, NULL};
    List.TotalLength = 7;
    CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, &List, &Thread), STATUS_INVALID_PARAMETER);
    List.TotalLength = 8 + sizeof(NTAPI_PS_ATTRIBUTE) - 1;
    CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, &List, &Thread), STATUS_INVALID_PARAMETER);
    List.TotalLength = 8 + 1000 * sizeof(NTAPI_PS_ATTRIBUTE);
    CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, &List, &Thread), STATUS_INVALID_PARAMETER);
    /* An empty list is fine. */
    List.TotalLength = 8;
    if (CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, &List, &Thread), STATUS_SUCCESS)) {
        NtapiWaitThread(Thread);
        NtClose(Thread);
    }
}

TEST(create, attribute_errors)
{
    NTAPI_PS_ATTRIBUTE_LIST List;
    CLIENT_ID Id;
    HANDLE Thread;

    List.TotalLength = 8 + sizeof(NTAPI_PS_ATTRIBUTE);
    /* Too small for a CLIENT_ID. */
    List.Attributes[0] = (NTAPI_PS_ATTRIBUTE){PS_ATTRIBUTE_CLIENT_ID, 8, (ULONG_PTR)&Id, NULL};
    CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, &List, &Thread), STATUS_INVALID_PARAMETER);
    /* An output that cannot be written. */
    List.Attributes[0] = (NTAPI_PS_ATTRIBUTE){PS_ATTRIBUTE_CLIENT_ID, sizeof(Id),
                                              (ULONG_PTR)NTAPI_READONLY_POINTER, NULL};
    CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, &List, &Thread), STATUS_ACCESS_VIOLATION);
    /* An attribute a thread does not take. */
    List.Attributes[0] = (NTAPI_PS_ATTRIBUTE){0x1ffff, sizeof(Id), (ULONG_PTR)&Id, NULL};
    CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, &List, &Thread), STATUS_INVALID_PARAMETER);
    /* An unreadable list. */
    CHECK_STATUS(NtapiCreateWith(0, 0, 0, 0, NTAPI_BAD_POINTER, &Thread), STATUS_ACCESS_VIOLATION);
}

TEST(create, bad_process_handles)
{
    HANDLE Query = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION);
    HANDLE Thread;

    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, (HANDLE)(ULONG_PTR)0x7ffc,
                                  (PVOID)NtapiReturnArgument, NULL, 0, 0, 0, 0, NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentThread(),
                                  (PVOID)NtapiReturnArgument, NULL, 0, 0, 0, 0, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    if (CHECK(Query != NULL)) {
        CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, Query,
                                      (PVOID)NtapiReturnArgument, NULL, 0, 0, 0, 0, NULL),
                     STATUS_ACCESS_DENIED);
        NtClose(Query);
    }
}

TEST(create, bad_handle_pointer)
{
    CHECK_STATUS(NtCreateThreadEx(NULL, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                  (PVOID)NtapiReturnArgument, NULL, 0, 0, 0, 0, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCreateThreadEx((HANDLE *)NTAPI_READONLY_POINTER, THREAD_ALL_ACCESS, NULL,
                                  NtCurrentProcess(), (PVOID)NtapiReturnArgument, NULL, 0, 0, 0, 0,
                                  NULL),
                 STATUS_ACCESS_VIOLATION);
}

/* The handle has the access asked for, no more. */
TEST(create, handle_access)
{
    HANDLE Thread;
    OBJECT_BASIC_INFORMATION Info;

    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, THREAD_QUERY_INFORMATION, NULL, NtCurrentProcess(),
                                       (PVOID)NtapiReturnArgument, (PVOID)9,
                                       THREAD_CREATE_FLAGS_CREATE_SUSPENDED, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtQueryObject(Thread, ObjectBasicInformation, &Info, sizeof(Info), NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Info.GrantedAccess, THREAD_QUERY_INFORMATION);
    CHECK_STATUS(NtResumeThread(Thread, NULL), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtTerminateThread(Thread, 0), STATUS_ACCESS_DENIED);
    /* Let it run and end through a handle that may. */
    NtapiResumeById(Thread);
    CHECK_EQ(NtapiWaitThread(Thread), 9);
    NtClose(Thread);
}
