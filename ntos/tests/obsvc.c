/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of the object manager and the system service layer inside
 * ntos, with the real pool, the real bootinfo and the real CMOS clock: what
 * the host suite ntsvc cannot reach (it fakes mm and the hardware).
 */
#include <ob.h>
#include <ex.h>
#include <ntsvc.h>
#include "ktest.h"
#include "../ke/kitime.h"

static ULONG KtObDeletes;

static void KtObDelete(PVOID Object)
{
    KtObDeletes++;
}

KTEST(ob_objects_and_handles_on_the_pool)
{
    OBJECT_TYPE_INITIALIZER Init = {.PoolTag = 0x7473654b, .DeleteProcedure = KtObDelete};
    static EPROCESS Process; /* not an object: only its handle table is used */
    POBJECT_TYPE Type = NULL;
    PVOID Object = NULL, Found = NULL;
    HANDLE Handles[1000];
    ULONG Index;
    bool Ok = true;

    CHECK(NT_SUCCESS(ObCreateObjectType("KtestObject", &Init, &Type)));
    CHECK(NT_SUCCESS(ObCreateObject(Type, 200, &Object)));
    if (Type == NULL || Object == NULL)
        return;
    for (Index = 0; Index < ARRAYSIZE(Handles); Index++)
        Ok &= NT_SUCCESS(ObCreateHandle(&Process, Object, 0, 0, &Handles[Index])) &&
              (ULONG_PTR)Handles[Index] == (Index + 1) * 4;
    CHECK(Ok);
    CHECK_EQ(ObGetObjectPointerCount(Object), 1 + ARRAYSIZE(Handles));
    CHECK(NT_SUCCESS(
        ObReferenceObjectByHandleInProcess(&Process, Handles[999], Type, 0, &Found, NULL, NULL)));
    CHECK(Found == Object);
    if (Found != NULL)
        ObDereferenceObject(Found);
    CHECK_EQ(ObCloseHandle(&Process, Handles[0]), STATUS_SUCCESS);
    CHECK_EQ(ObCloseHandle(&Process, Handles[0]), STATUS_INVALID_HANDLE);
    ObKillProcessHandleTable(&Process);
    CHECK(Process.HandleTable == NULL);
    CHECK_EQ(ObGetObjectPointerCount(Object), 1);
    ObDereferenceObject(Object);
    CHECK_EQ(KtObDeletes, 1);
}

KTEST(svc_dispatch_rejects_unknown_and_miscounted)
{
    static EPROCESS Process;
    static ETHREAD Thread = {.Process = &Process};
    seL4_Word Args[seL4_MsgMaxLength] = {0};

    CHECK_EQ(KiDispatchService(&Thread, NTSVC_COUNT, Args, 0), STATUS_INVALID_SYSTEM_SERVICE);
    CHECK_EQ(KiDispatchService(&Thread, NTSVC_Close, Args, 2), STATUS_INVALID_PARAMETER);
    CHECK_EQ(KiDispatchService(&Thread, NTSVC_YieldExecution, Args, 0), STATUS_SUCCESS);
    CHECK(KiServiceImplemented(NTSVC_TerminateProcess));
}

KTEST(svc_performance_counter_from_tsc)
{
    LARGE_INTEGER A = {0}, B = {0}, Frequency = {0};

    CHECK_EQ(NtQueryPerformanceCounter(&A, &Frequency), STATUS_SUCCESS);
    CHECK_EQ(NtQueryPerformanceCounter(&B, NULL), STATUS_SUCCESS);
    CHECK_EQ(Frequency.QuadPart, 10000000);
    CHECK(A.QuadPart > 0 && B.QuadPart >= A.QuadPart);
}

KTEST(svc_system_time_from_cmos)
{
    KI_CMOS_CLOCK Clock;
    LARGE_INTEGER Cmos = {0}, A = {0}, B = {0};
    TIME_FIELDS Fields;

    CHECK_EQ(KiReadCmosClock(&Clock), STATUS_SUCCESS);
    CHECK_EQ(KiCmosClockToTime(&Clock, &Cmos), STATUS_SUCCESS);
    CHECK_EQ(NtQuerySystemTime(&A), STATUS_SUCCESS);
    CHECK_EQ(NtQuerySystemTime(&B), STATUS_SUCCESS);
    CHECK(B.QuadPart >= A.QuadPart);
    RtlTimeToTimeFields(&A, &Fields);
    CHECK(Fields.Year >= 2020 && Fields.Year < 2100);
    KePrint("ntos: system time %04d-%02d-%02d %02d:%02d:%02d UTC\n", Fields.Year, Fields.Month,
            Fields.Day, Fields.Hour, Fields.Minute, Fields.Second);
}

KTEST(svc_system_basic_information)
{
    SYSTEM_BASIC_INFORMATION Info;

    CHECK(KeQueryBootInfo() != NULL);
    ExQueryBasicInformation(&Info);
    /* QEMU runs with -m 512M: most of it is RAM ntos may use. */
    CHECK(Info.NumberOfPhysicalPages > 100000 && Info.NumberOfPhysicalPages <= 131072);
    CHECK(Info.HighestPhysicalPageNumber < 131072);
    CHECK(Info.LowestPhysicalPageNumber < Info.HighestPhysicalPageNumber);
    CHECK_EQ(Info.PageSize, PAGE_SIZE);
    CHECK_EQ(Info.NumberOfProcessors, 1);
    CHECK_EQ(NtQuerySystemInformation(77, (USER_BUFFER){0, 0}, sizeof(Info), NULL),
             STATUS_INVALID_INFO_CLASS);
}
