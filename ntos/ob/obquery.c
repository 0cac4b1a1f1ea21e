/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQueryObject: what a handle says about its object. Only the basic class
 * exists yet; names (ObjectNameInformation) come with the namespace and type
 * information with the type list (FIXME).
 */

#include <string.h>
#include <ntsvc.h>
#include "obp.h"

static void ObpFillBasicInformation(PVOID Object, ACCESS_MASK Granted, ULONG Attributes,
                                    OBJECT_BASIC_INFORMATION *Info)
{
    POBJECT_HEADER Header = ObpHeader(Object);

    memset(Info, 0, sizeof(*Info));
    Info->Attributes = Attributes;
    Info->GrantedAccess = Granted;
    Info->HandleCount = (ULONG)Header->HandleCount;
    /* Less the reference this query holds. */
    Info->PointerCount = (ULONG)(Header->PointerCount - 1);
}

NTSTATUS NtQueryObject(HANDLE Handle, ULONG ObjectInformationClass, USER_BUFFER ObjectInformation,
                       ULONG ObjectInformationLength, ULONG *ReturnLength)
{
    NTSTATUS Status;
    PETHREAD Thread = KeGetCurrentThread();
    OBJECT_BASIC_INFORMATION Info;
    PVOID Object = NULL;
    ACCESS_MASK Granted;
    ULONG Attributes;

    if (ObjectInformationClass != ObjectBasicInformation) {
        Status = STATUS_INVALID_INFO_CLASS;
        goto out;
    }
    if (ReturnLength != NULL)
        *ReturnLength = sizeof(Info);
    if (ObjectInformationLength != sizeof(Info)) {
        Status = STATUS_INFO_LENGTH_MISMATCH;
        goto out;
    }
    Status = ObReferenceObjectByHandleInProcess(Thread->Process, Handle, NULL, 0, &Object, &Granted,
                                                &Attributes);
    if (!NT_SUCCESS(Status))
        goto out;
    ObpFillBasicInformation(Object, Granted, Attributes, &Info);
    Status = MmCopyToUser(Thread->Process, ObjectInformation.Address, &Info, sizeof(Info));
out:
    if (Object != NULL)
        ObDereferenceObject(Object);
    return Status;
}
