/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wait services: NtWaitForSingleObject, NtWaitForMultipleObjects,
 * NtSignalAndWaitForSingleObject, NtDelayExecution, and the timer
 * resolution services. Handles are referenced with SYNCHRONIZE for the
 * whole wait (so the objects outlive it) and turned into the dispatcher
 * headers ke/wait.c waits on; an object of a type without one is waited
 * on through ke's default object, which is always signalled (Windows'
 * behaviour for keyed events, directories and the like).
 */
#include "kep.h"

#include <ex.h>
#include <ob.h>
#include <svc.h>

#include "ntsvc.h"

#define KI_WAIT_ALL 0 /* WAIT_TYPE */
#define KI_WAIT_ANY 1

/* Reference Handle for a wait and find its dispatcher header. */
static NTSTATUS KiReferenceWaitObject(HANDLE Handle, PVOID *Object, DISPATCHER_HEADER **Header)
{
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, NULL, SYNCHRONIZE, Object);

    if (NT_SUCCESS(Status))
        *Header = KeGetDispatcherHeader(*Object);
    return Status;
}

NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, const LARGE_INTEGER *Timeout)
{
    DISPATCHER_HEADER *Header;
    PVOID Object;
    NTSTATUS Status;

    Status = KiReferenceWaitObject(Handle, &Object, &Header);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KeWaitForMultipleObjects(1, &Header, false, Alertable, Timeout);
    ObDereferenceObject(Object);
    return Status;
}

NTSTATUS NtWaitForMultipleObjects(ULONG Count, USER_ADDRESS Handles, ULONG WaitType,
                                  BOOLEAN Alertable, const LARGE_INTEGER *Timeout)
{
    HANDLE HandleArray[KE_MAXIMUM_WAIT_OBJECTS];
    PVOID Objects[KE_MAXIMUM_WAIT_OBJECTS];
    DISPATCHER_HEADER *Headers[KE_MAXIMUM_WAIT_OBJECTS];
    ULONG Referenced = 0;
    NTSTATUS Status;

    if (Count == 0 || Count > KE_MAXIMUM_WAIT_OBJECTS)
        return STATUS_INVALID_PARAMETER_1;
    if (WaitType != KI_WAIT_ALL && WaitType != KI_WAIT_ANY)
        return STATUS_INVALID_PARAMETER_3;
    Status = MmCopyFromUser(KeGetCurrentThread()->Process, HandleArray, Handles.Value,
                            Count * sizeof(HANDLE));
    if (!NT_SUCCESS(Status))
        goto out;
    for (; Referenced < Count; Referenced++) {
        Status = KiReferenceWaitObject(HandleArray[Referenced], &Objects[Referenced],
                                       &Headers[Referenced]);
        if (!NT_SUCCESS(Status))
            goto out;
    }
    Status = KeWaitForMultipleObjects(Count, Headers, WaitType == KI_WAIT_ALL, Alertable, Timeout);
out:
    while (Referenced > 0)
        ObDereferenceObject(Objects[--Referenced]);
    return Status;
}

NTSTATUS NtSignalAndWaitForSingleObject(HANDLE SignalHandle, HANDLE WaitHandle, BOOLEAN Alertable,
                                        const LARGE_INTEGER *Timeout)
{
    PETHREAD Thread = KeGetCurrentThread();
    PVOID SignalObject, WaitObject = NULL;
    DISPATCHER_HEADER *Header;
    ACCESS_MASK Granted = 0;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandleInProcess(Thread->Process, SignalHandle, NULL, 0,
                                                &SignalObject, &Granted, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KiReferenceWaitObject(WaitHandle, &WaitObject, &Header);
    if (!NT_SUCCESS(Status))
        goto out;
    /* Nothing runs between the two halves: only this request does. */
    Status = ExSignalObject(SignalObject, Granted);
    if (NT_SUCCESS(Status))
        Status = KeWaitForMultipleObjects(1, &Header, false, Alertable, Timeout);
    ObDereferenceObject(WaitObject);
out:
    ObDereferenceObject(SignalObject);
    return Status;
}

NTSTATUS NtDelayExecution(BOOLEAN Alertable, const LARGE_INTEGER *DelayInterval)
{
    NTSTATUS Status = KeWaitForMultipleObjects(0, NULL, false, Alertable, DelayInterval);

    return Status == STATUS_TIMEOUT ? STATUS_SUCCESS : Status;
}

NTSTATUS NtQueryTimerResolution(ULONG *MaximumTime, ULONG *MinimumTime, ULONG *CurrentTime)
{
    /* Windows' names: Maximum is the coarsest, Minimum the finest. */
    *MinimumTime = *CurrentTime = KeQueryTimerResolution(MaximumTime);
    return STATUS_SUCCESS;
}

/* ntos always runs its timers as finely as the PIT allows, so a request
 * changes nothing but is remembered, to refuse a release never asked for. */
NTSTATUS NtSetTimerResolution(ULONG DesiredTime, BOOLEAN SetResolution, ULONG *ActualTime)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;
    ULONG Coarsest;

    if (!SetResolution && !Process->TimerResolutionSet)
        return STATUS_TIMER_RESOLUTION_NOT_SET;
    Process->TimerResolutionSet = SetResolution;
    *ActualTime = KeQueryTimerResolution(&Coarsest);
    return STATUS_SUCCESS;
}
