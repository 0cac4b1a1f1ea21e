/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Semaphores: a count between 0 and a limit fixed at creation. A satisfied
 * wait takes one (ke); NtReleaseSemaphore adds, never past the limit.
 */
#include "exp.h"

#define SEMAPHORE_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3u)

typedef struct _SEMAPHORE_BASIC_INFORMATION {
    LONG CurrentCount;
    LONG MaximumCount;
} SEMAPHORE_BASIC_INFORMATION;
_Static_assert(sizeof(SEMAPHORE_BASIC_INFORMATION) == 8, "SEMAPHORE_BASIC_INFORMATION");

POBJECT_TYPE ExSemaphoreObjectType;

NTSTATUS ExpInitializeSemaphore(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = SEMAPHORE_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | SEMAPHORE_QUERY_STATE,
                           READ_CONTROL | SEMAPHORE_MODIFY_STATE, READ_CONTROL | SYNCHRONIZE,
                           SEMAPHORE_ALL_ACCESS},
        .PoolTag = EXP_SEMAPHORE_TAG,
    };
    NTSTATUS Status = STATUS_SUCCESS;

    if (ExSemaphoreObjectType == NULL) {
        Status = ObCreateObjectType("Semaphore", &Init, &ExSemaphoreObjectType);
        if (NT_SUCCESS(Status))
            KeRegisterWaitableType(ExSemaphoreObjectType, 0);
    }
    return Status;
}

NTSTATUS NtCreateSemaphore(HANDLE *SemaphoreHandle, ACCESS_MASK DesiredAccess,
                           const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, LONG InitialCount,
                           LONG MaximumCount)
{
    KSEMAPHORE *Semaphore;
    NTSTATUS Status;

    if (MaximumCount <= 0 || InitialCount < 0 || InitialCount > MaximumCount)
        return STATUS_INVALID_PARAMETER;
    Status = ObCreateObject(ExSemaphoreObjectType, sizeof(*Semaphore), (PVOID *)&Semaphore);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeSemaphore(Semaphore, InitialCount, MaximumCount);
    return ObInsertObject(Semaphore, ObjectAttributes, DesiredAccess, SemaphoreHandle);
}

NTSTATUS NtOpenSemaphore(HANDLE *SemaphoreHandle, ACCESS_MASK DesiredAccess,
                         const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    return ObOpenObjectByName(ObjectAttributes, ExSemaphoreObjectType, DesiredAccess, NULL,
                              SemaphoreHandle);
}

NTSTATUS NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, LONG *PreviousCount)
{
    KSEMAPHORE *Semaphore;
    NTSTATUS Status;
    LONG Previous;

    if (ReleaseCount <= 0)
        return STATUS_INVALID_PARAMETER;
    Status = ObReferenceObjectByHandle(SemaphoreHandle, ExSemaphoreObjectType,
                                       SEMAPHORE_MODIFY_STATE, (PVOID *)&Semaphore);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KeReleaseSemaphore(Semaphore, ReleaseCount, &Previous);
    if (NT_SUCCESS(Status) && PreviousCount)
        *PreviousCount = Previous;
    ObDereferenceObject(Semaphore);
    return Status;
}

NTSTATUS NtQuerySemaphore(HANDLE SemaphoreHandle, ULONG SemaphoreInformationClass,
                          USER_BUFFER SemaphoreInformation, ULONG SemaphoreInformationLength,
                          ULONG *ReturnLength)
{
    SEMAPHORE_BASIC_INFORMATION Info;
    KSEMAPHORE *Semaphore;
    NTSTATUS Status;

    Status = ExpCheckQuery(SemaphoreInformationClass, SemaphoreInformation,
                           SemaphoreInformationLength, sizeof(Info));
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(SemaphoreHandle, ExSemaphoreObjectType,
                                       SEMAPHORE_QUERY_STATE, (PVOID *)&Semaphore);
    if (!NT_SUCCESS(Status))
        return Status;
    Info.CurrentCount = Semaphore->Header.SignalState;
    Info.MaximumCount = Semaphore->Limit;
    ObDereferenceObject(Semaphore);
    return ExpReturnQuery(&Info, sizeof(Info), SemaphoreInformation, ReturnLength);
}
