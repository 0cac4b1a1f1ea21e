/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mutants (mutexes): owned by one thread, taken again by it recursively,
 * released only by it (ke's KMUTANT). A thread that ends holding one leaves
 * it abandoned: the next wait that takes it says STATUS_ABANDONED_WAIT_0+i.
 */
#include "exp.h"

#define MUTANT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE)

typedef struct _MUTANT_BASIC_INFORMATION {
    LONG CurrentCount;
    BOOLEAN OwnedByCaller;
    BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION;
_Static_assert(sizeof(MUTANT_BASIC_INFORMATION) == 8, "MUTANT_BASIC_INFORMATION");

POBJECT_TYPE ExMutantObjectType;

static void ExpDeleteMutant(PVOID Object)
{
    KeDeleteMutant(Object);
}

NTSTATUS ExpInitializeMutant(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = MUTANT_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | MUTANT_QUERY_STATE, READ_CONTROL,
                           READ_CONTROL | SYNCHRONIZE, MUTANT_ALL_ACCESS},
        .PoolTag = EXP_MUTANT_TAG,
        .DeleteProcedure = ExpDeleteMutant,
    };
    NTSTATUS Status = STATUS_SUCCESS;

    if (ExMutantObjectType == NULL) {
        Status = ObCreateObjectType("Mutant", &Init, &ExMutantObjectType);
        if (NT_SUCCESS(Status))
            KeRegisterWaitableType(ExMutantObjectType, 0);
    }
    return Status;
}

NTSTATUS NtCreateMutant(HANDLE *MutantHandle, ACCESS_MASK DesiredAccess,
                        const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, BOOLEAN InitialOwner)
{
    KMUTANT *Mutant;
    NTSTATUS Status;

    Status = ObCreateObject(ExMutantObjectType, sizeof(*Mutant), (PVOID *)&Mutant);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeMutant(Mutant, InitialOwner ? KeGetCurrentThread() : NULL);
    /* On failure the object goes, and its delete procedure unlinks it
     * from the owner's list. */
    return ObInsertObject(Mutant, ObjectAttributes, DesiredAccess, MutantHandle);
}

NTSTATUS NtOpenMutant(HANDLE *MutantHandle, ACCESS_MASK DesiredAccess,
                      const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    return ObOpenObjectByName(ObjectAttributes, ExMutantObjectType, DesiredAccess, NULL,
                              MutantHandle);
}

/* Any handle may release (the owner check is what matters), as on Windows. */
NTSTATUS NtReleaseMutant(HANDLE MutantHandle, LONG *PreviousCount)
{
    KMUTANT *Mutant;
    NTSTATUS Status;
    LONG Previous;

    Status = ObReferenceObjectByHandle(MutantHandle, ExMutantObjectType, 0, (PVOID *)&Mutant);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KeReleaseMutant(Mutant, KeGetCurrentThread(), &Previous);
    if (NT_SUCCESS(Status) && PreviousCount)
        *PreviousCount = Previous;
    ObDereferenceObject(Mutant);
    return Status;
}

NTSTATUS NtQueryMutant(HANDLE MutantHandle, ULONG MutantInformationClass,
                       USER_BUFFER MutantInformation, ULONG MutantInformationLength,
                       ULONG *ReturnLength)
{
    MUTANT_BASIC_INFORMATION Info;
    KMUTANT *Mutant;
    NTSTATUS Status;

    Status = ExpCheckQuery(MutantInformationClass, MutantInformation, MutantInformationLength,
                           sizeof(Info));
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(MutantHandle, ExMutantObjectType, MUTANT_QUERY_STATE,
                                       (PVOID *)&Mutant);
    if (!NT_SUCCESS(Status))
        return Status;
    Info.CurrentCount = Mutant->Header.SignalState;
    Info.OwnedByCaller = Mutant->Owner == KeGetCurrentThread();
    Info.AbandonedState = Mutant->Abandoned;
    ObDereferenceObject(Mutant);
    return ExpReturnQuery(&Info, sizeof(Info), MutantInformation, ReturnLength);
}
