/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The service transport itself: requests no ntdll stub can make, sent with
 * the seL4 call ntdll's stubs use (ntdll/ntsvc.c: label = service number,
 * MR0.. = the arguments, the reply's MR0 = the NTSTATUS). An unknown
 * service number gives STATUS_INVALID_SYSTEM_SERVICE, a known one with the
 * wrong number of arguments STATUS_INVALID_PARAMETER, and a well-formed raw
 * request the same answer as the stub. Also the Zw aliases of the stubs
 * and NtYieldExecution. This is the one file of a program that includes
 * libsel4 (STYLE §1 keeps seL4 out of programs): it tests the transport,
 * which only seL4 can express; build.mk gives it the include path.
 */
#include "ntapitest.h"

/* The calling thread's IPC buffer, right after its TEB (ntos/README.md). */
#define NTAPI_IPC_BUFFER_OFFSET 0x2000
#define SEL4_IPC_BUFFER_GETTER                                                                     \
    ((seL4_IPCBuffer *)((ULONG_PTR)NtCurrentTeb() + NTAPI_IPC_BUFFER_OFFSET))
#include <sel4/sel4.h>

/* The thread's service endpoint in its process's CSpace (ntdll/ntsvc.c). */
#define NTAPI_SERVICE_SLOT 1

/* Service numbers of ntos/services.def the raw calls use. */
#define NTAPI_SVC_CLOSE             1
#define NTAPI_SVC_YIELD             4
#define NTAPI_SVC_QUERY_SYSTEM_TIME 6

/* Far beyond any service services.def will ever number. */
#define NTAPI_SVC_UNKNOWN 0xfffff

/* Send service Number with Count argument words, the first four (at most)
 * from Args, the rest whatever the IPC buffer holds; the NTSTATUS. */
static NTSTATUS NtapiRawCall(seL4_Word Number, const seL4_Word *Args, ULONG Count)
{
    seL4_Word Mr[4] = {0, 0, 0, 0};
    ULONG Index;

    for (Index = 0; Index < Count && Index < 4; Index++)
        Mr[Index] = Args[Index];
    seL4_CallWithMRs(NTAPI_SERVICE_SLOT, seL4_MessageInfo_new(Number, 0, 0, Count), &Mr[0], &Mr[1],
                     &Mr[2], &Mr[3]);
    return (NTSTATUS)Mr[0];
}

TEST(services, unknown_number)
{
    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_UNKNOWN, NULL, 0), STATUS_INVALID_SYSTEM_SERVICE);
}

TEST(services, unknown_number_with_arguments)
{
    seL4_Word Args[4] = {1, 2, 3, 4};

    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_UNKNOWN, Args, 4), STATUS_INVALID_SYSTEM_SERVICE);
    CHECK_STATUS(NtapiRawCall(0x400, Args, 1), STATUS_INVALID_SYSTEM_SERVICE);
}

TEST(services, too_few_arguments)
{
    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_CLOSE, NULL, 0), STATUS_INVALID_PARAMETER);
}

TEST(services, too_many_arguments)
{
    seL4_Word Args[4] = {0x123450, 0, 0, 0};

    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_CLOSE, Args, 2), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_YIELD, Args, 1), STATUS_INVALID_PARAMETER);
}

/* A well-formed raw request is answered as the stub's. */
TEST(services, raw_matches_stub)
{
    seL4_Word Args[1] = {0x123450};
    LARGE_INTEGER Time;

    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_CLOSE, Args, 1), STATUS_INVALID_HANDLE);
    Args[0] = (seL4_Word)&Time;
    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_QUERY_SYSTEM_TIME, Args, 1), STATUS_SUCCESS);
    Args[0] = 0;
    CHECK_STATUS(NtapiRawCall(NTAPI_SVC_QUERY_SYSTEM_TIME, Args, 1), STATUS_ACCESS_VIOLATION);
}

TEST(services, zw_aliases)
{
    LARGE_INTEGER Time = {.QuadPart = 0};

    CHECK_STATUS(ZwClose((HANDLE)(ULONG_PTR)0x123450), STATUS_INVALID_HANDLE);
    CHECK_STATUS(ZwQuerySystemTime(&Time), STATUS_SUCCESS);
    CHECK(Time.QuadPart != 0);
    CHECK_EQ((ULONG_PTR)&ZwClose, (ULONG_PTR)&NtClose);
}

TEST(services, yield)
{
    CHECK_STATUS(NtYieldExecution(), STATUS_SUCCESS);
    CHECK_STATUS(ZwYieldExecution(), STATUS_SUCCESS);
}

/* Every service checks its argument count before anything else: no request
 * with 15 words is carried out (not even NtTerminateProcess). */
TEST(services, argument_count_checked_everywhere)
{
    seL4_Word Args[4] = {0, 0, 0, 0}, Number;

    for (Number = 0; Number <= 22; Number++) {
        if (!CHECK_STATUS(NtapiRawCall(Number, Args, 15), STATUS_INVALID_PARAMETER))
            DbgPrint("    (service %lu)\n", (ULONG)Number);
    }
}

TEST(services, raw_display_null)
{
    seL4_Word Args[1] = {0};

    CHECK_STATUS(NtapiRawCall(0, Args, 1), STATUS_ACCESS_VIOLATION);
}
