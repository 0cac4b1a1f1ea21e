/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtOpenProcess and NtOpenThread: a handle to a running process or thread
 * named by its client id. Processes and threads have no names yet, so an
 * object name is refused (FIXME: with the namespace). There is no security
 * yet either: any access asked for is granted (FIXME: with se/).
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>
#include <svc.h>

#include "ntsvc.h"

/* Windows' rules for the two ways of naming: exactly one of them. */
static NTSTATUS PspCheckOpenParameters(const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                                       const CLIENT_ID *ClientId)
{
    if (ObjectAttributes->ObjectName && ClientId)
        return STATUS_INVALID_PARAMETER_MIX;
    if (!ClientId)
        return STATUS_INVALID_PARAMETER; /* FIXME: by name, with the namespace */
    return STATUS_SUCCESS;
}

static NTSTATUS PspOpen(PVOID Object, ACCESS_MASK DesiredAccess,
                        const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, HANDLE *Handle)
{
    return ObCreateHandle(KeGetCurrentThread()->Process, Object, DesiredAccess,
                          ObjectAttributes->Attributes, Handle);
}

/* The live thread with client id Id, or NULL. */
static PETHREAD PspLookupThreadById(ULONG_PTR Id)
{
    PETHREAD Thread = Id ? KeLookupThread(Id) : NULL;

    return Thread && !Thread->Terminated ? Thread : NULL;
}

NTSTATUS NtOpenProcess(HANDLE *ProcessHandle, ACCESS_MASK DesiredAccess,
                       const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                       const CLIENT_ID *ClientId)
{
    PEPROCESS Process;
    PETHREAD Thread;
    NTSTATUS Status = PspCheckOpenParameters(ObjectAttributes, ClientId);

    if (!NT_SUCCESS(Status))
        return Status;
    Process = PspLookupProcessById((ULONG_PTR)ClientId->UniqueProcess);
    if (Process == NULL)
        return STATUS_INVALID_CID;
    if (ClientId->UniqueThread) {
        Thread = PspLookupThreadById((ULONG_PTR)ClientId->UniqueThread);
        if (Thread == NULL || Thread->Process != Process)
            return STATUS_INVALID_CID;
    }
    return PspOpen(Process, DesiredAccess, ObjectAttributes, ProcessHandle);
}

NTSTATUS NtOpenThread(HANDLE *ThreadHandle, ACCESS_MASK DesiredAccess,
                      const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, const CLIENT_ID *ClientId)
{
    PETHREAD Thread;
    NTSTATUS Status = PspCheckOpenParameters(ObjectAttributes, ClientId);

    if (!NT_SUCCESS(Status))
        return Status;
    Thread = PspLookupThreadById((ULONG_PTR)ClientId->UniqueThread);
    if (Thread == NULL)
        return STATUS_INVALID_CID;
    if (ClientId->UniqueProcess &&
        (ULONG_PTR)ClientId->UniqueProcess != Thread->Process->UniqueProcessId)
        return STATUS_INVALID_CID;
    return PspOpen(Thread, DesiredAccess, ObjectAttributes, ThreadHandle);
}
