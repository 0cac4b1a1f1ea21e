/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Objects and processes (ob/object.c, ps/): reference counts and deletion,
 * objects the runtime did not make, handles to threads and the process,
 * the exported type variables in mingw-w64's layout, versions.
 */
#include "ktest.h"

static volatile LONG KTestDeleted;

static VOID KTestDelete(PVOID Body)
{
    InterlockedIncrement(&KTestDeleted);
}

TEST(ob, reference_counts_and_delete)
{
    static struct _OBJECT_TYPE Type = {0, L"KTest", KTestDelete};
    PVOID Object = NULL;

    KTestDeleted = 0;
    CHECK_STATUS(ObpCreateObject(&Type, 64, &Object), STATUS_SUCCESS);
    if (!Object)
        return;
    CHECK_EQ(ObpPointerCount(Object), 1);
    CHECK_EQ(ObfReferenceObject(Object), 2);
    CHECK_STATUS(ObReferenceObjectByPointer(Object, 0, &Type, KernelMode), STATUS_SUCCESS);
    CHECK_EQ(ObpPointerCount(Object), 3);
    CHECK_STATUS(ObReferenceObjectByPointer(Object, 0, *PsThreadType, KernelMode),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_EQ(ObfDereferenceObject(Object), 2);
    ObDereferenceObject(Object);
    CHECK_EQ(KTestDeleted, 0);
    CHECK_EQ(ObfDereferenceObject(Object), 0);
    CHECK_EQ(KTestDeleted, 1);
}

TEST(ob, objects_without_header_are_not_counted)
{
    KEVENT Event __attribute__((aligned(16)));

    memset(&Event, 0, sizeof(Event));
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    CHECK_EQ(ObpPointerCount(&Event), -1);
    CHECK_EQ(ObfReferenceObject(&Event), 1);
    CHECK_EQ(ObfDereferenceObject(&Event), 1);
    CHECK_EQ(KeReadStateEvent(&Event), 0); /* untouched */
}

TEST(ob, exported_type_variables)
{
    /* mingw-w64's wdm.h: extern POBJECT_TYPE NTSYSAPI *PsThreadType; */
    CHECK(PsThreadType != NULL && *PsThreadType != NULL);
    CHECK(*PsProcessType != *PsThreadType);
    CHECK(*ExEventObjectType != NULL && *IoFileObjectType != NULL);
    CHECK(*ExSemaphoreObjectType != NULL);
}

TEST(ob, handles_of_threads_and_process)
{
    PVOID Object = (PVOID)1;
    PEPROCESS Process;

    CHECK_STATUS(
        ObReferenceObjectByHandle(NtCurrentThread(), 0, *PsThreadType, KernelMode, &Object, NULL),
        STATUS_SUCCESS);
    CHECK(Object == KeGetCurrentThread());
    if (Object == KeGetCurrentThread())
        ObDereferenceObject(Object);
    CHECK_STATUS(
        ObReferenceObjectByHandle(NtCurrentProcess(), 0, *PsProcessType, KernelMode, &Object, NULL),
        STATUS_SUCCESS);
    Process = KiGetCurrentProcess(); /* what PsGetCurrentProcess (IoGetCurrentProcess) returns */
    CHECK(Object == Process);
    CHECK(ObpGetObjectType(Process) == *PsProcessType);
    CHECK(PsGetProcessId(Process) == PsGetCurrentProcessId());
    if (Object == Process)
        ObDereferenceObject(Object);
    CHECK_STATUS(
        ObReferenceObjectByHandle(NtCurrentProcess(), 0, *PsThreadType, KernelMode, &Object, NULL),
        STATUS_OBJECT_TYPE_MISMATCH);
    CHECK(Object == NULL);
    CHECK_STATUS(ObReferenceObjectByHandle(NULL, 0, *PsThreadType, KernelMode, &Object, NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(ObReferenceObjectByHandle((HANDLE)(ULONG_PTR)0x7FF0, 0, *PsThreadType, KernelMode,
                                           &Object, NULL),
                 STATUS_INVALID_HANDLE);
}

static VOID NTAPI KTestNothing(PVOID Context)
{
}

TEST(ps, system_thread_arguments)
{
    HANDLE Handle = NULL;
    CLIENT_ID Cid = {0};

    CHECK_STATUS(PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, (HANDLE)0x1234, NULL,
                                      KTestNothing, NULL),
                 STATUS_NOT_IMPLEMENTED);
    CHECK_STATUS(PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), &Cid,
                                      KTestNothing, NULL),
                 STATUS_SUCCESS);
    CHECK(Cid.UniqueProcess == PsGetCurrentProcessId());
    CHECK(Cid.UniqueThread != NULL && Cid.UniqueThread != PsGetCurrentThreadId());
    if (Handle) {
        PVOID Thread = NULL;
        CHECK_STATUS(ObReferenceObjectByHandle(Handle, 0, *PsThreadType, KernelMode, &Thread, NULL),
                     STATUS_SUCCESS);
        CHECK(Thread && PsGetThreadId(Thread) == Cid.UniqueThread);
        CHECK(KTestJoin(Thread, 5000));
        NtClose(Handle);
    }
    /* Not a system thread: refused. */
    CHECK_STATUS(PsTerminateSystemThread(STATUS_SUCCESS), STATUS_INVALID_PARAMETER);
}

TEST(ps, version)
{
    ULONG Major = 0, Minor = 1, Build = 0;

    CHECK(!PsGetVersion(&Major, &Minor, &Build, NULL));
    CHECK_EQ(Major, 10);
    CHECK_EQ(Minor, 0);
    CHECK_EQ(Build, 19041);
    CHECK_EQ(ExGetPreviousMode(), KernelMode);
}
