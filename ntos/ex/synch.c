/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the synchronisation objects of ex/ share: their start-up (the object
 * types, registered with ke as waitable, and the system's keyed event), the
 * query checks, and the signal half of NtSignalAndWaitForSingleObject.
 */
#include "exp.h"

NTSTATUS ExInitializeSynchronization(void)
{
    NTSTATUS Status = ExpInitializeEvent();

    if (NT_SUCCESS(Status))
        Status = ExpInitializeMutant();
    if (NT_SUCCESS(Status))
        Status = ExpInitializeSemaphore();
    if (NT_SUCCESS(Status))
        Status = ExpInitializeTimer();
    if (NT_SUCCESS(Status))
        Status = ExpInitializeKeyedEvent();
    return Status;
}

NTSTATUS ExpCheckQuery(ULONG Class, USER_BUFFER Buffer, ULONG Length, ULONG Size)
{
    if (Class != 0)
        return STATUS_INVALID_INFO_CLASS;
    if (Length != Size)
        return STATUS_INFO_LENGTH_MISMATCH;
    /* Windows probes the small record for writing: touched, so a NULL or
     * read-only buffer fails before the handle is looked at. */
    return KiProbeClassBuffer(Buffer, sizeof(ULONG), KI_PROBE_WRITE);
}

NTSTATUS ExpReturnQuery(const void *Record, ULONG Size, USER_BUFFER Buffer, ULONG *ReturnLength)
{
    NTSTATUS Status = MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address, Record, Size);

    if (NT_SUCCESS(Status) && ReturnLength)
        *ReturnLength = Size;
    return Status;
}

NTSTATUS ExSignalObject(PVOID Object, ACCESS_MASK GrantedAccess)
{
    POBJECT_TYPE Type = ObGetObjectType(Object);
    LONG Previous;

    if (Type == ExEventObjectType) {
        if (!(GrantedAccess & EVENT_MODIFY_STATE))
            return STATUS_ACCESS_DENIED;
        KeSetEvent((DISPATCHER_HEADER *)Object);
        return STATUS_SUCCESS;
    }
    if (Type == ExSemaphoreObjectType) {
        if (!(GrantedAccess & SEMAPHORE_MODIFY_STATE))
            return STATUS_ACCESS_DENIED;
        return KeReleaseSemaphore(Object, 1, &Previous);
    }
    if (Type == ExMutantObjectType) {
        if (!(GrantedAccess & SYNCHRONIZE))
            return STATUS_ACCESS_DENIED;
        return KeReleaseMutant(Object, KeGetCurrentThread(), &Previous);
    }
    return STATUS_OBJECT_TYPE_MISMATCH;
}
