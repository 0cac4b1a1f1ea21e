/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQueryObject and NtSetInformationObject: what a handle says about its
 * object, and the flags of the handle itself. The basic and handle-flag
 * classes exist; names (ObjectNameInformation) come with the namespace and
 * type information with the type list (FIXME).
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

/* The size of a class's record; 0 for a class we do not answer. */
static ULONG ObpInformationLength(ULONG Class)
{
    switch (Class) {
    case ObjectBasicInformation:
        return sizeof(OBJECT_BASIC_INFORMATION);
    case ObjectHandleFlagInformation:
        return sizeof(OBJECT_HANDLE_FLAG_INFORMATION);
    default:
        return 0;
    }
}

NTSTATUS NtQueryObject(HANDLE Handle, ULONG ObjectInformationClass, USER_BUFFER ObjectInformation,
                       ULONG ObjectInformationLength, ULONG *ReturnLength)
{
    NTSTATUS Status;
    PETHREAD Thread = KeGetCurrentThread();
    ULONG Length = ObpInformationLength(ObjectInformationClass);
    union {
        OBJECT_BASIC_INFORMATION Basic;
        OBJECT_HANDLE_FLAG_INFORMATION Flags;
    } Info;
    PVOID Object = NULL;
    ACCESS_MASK Granted;
    ULONG Attributes;

    if (Length == 0) {
        Status = STATUS_INVALID_INFO_CLASS;
        goto out;
    }
    if (ReturnLength != NULL)
        *ReturnLength = Length;
    if (ObjectInformationLength != Length) {
        Status = STATUS_INFO_LENGTH_MISMATCH;
        goto out;
    }
    Status = ObReferenceObjectByHandleInProcess(Thread->Process, Handle, NULL, 0, &Object, &Granted,
                                                &Attributes);
    if (!NT_SUCCESS(Status))
        goto out;
    if (ObjectInformationClass == ObjectBasicInformation) {
        ObpFillBasicInformation(Object, Granted, Attributes, &Info.Basic);
    } else {
        Info.Flags.Inherit = (Attributes & OBJ_INHERIT) != 0;
        Info.Flags.ProtectFromClose = (Attributes & OBJ_PROTECT_CLOSE) != 0;
    }
    Status = MmCopyToUser(Thread->Process, ObjectInformation.Address, &Info, Length);
out:
    if (Object != NULL)
        ObDereferenceObject(Object);
    return Status;
}

NTSTATUS NtSetInformationObject(HANDLE Handle, ULONG ObjectInformationClass,
                                USER_BUFFER ObjectInformation, ULONG ObjectInformationLength)
{
    NTSTATUS Status;
    PETHREAD Thread = KeGetCurrentThread();
    OBJECT_HANDLE_FLAG_INFORMATION Flags;
    ULONG Attributes = 0;

    if (ObjectInformationClass != ObjectHandleFlagInformation) {
        Status = STATUS_INVALID_INFO_CLASS;
        goto out;
    }
    if (ObjectInformationLength != sizeof(Flags)) {
        Status = STATUS_INFO_LENGTH_MISMATCH;
        goto out;
    }
    Status = MmCopyFromUser(Thread->Process, &Flags, ObjectInformation.Address, sizeof(Flags));
    if (!NT_SUCCESS(Status))
        goto out;
    if (Flags.Inherit)
        Attributes |= OBJ_INHERIT;
    if (Flags.ProtectFromClose)
        Attributes |= OBJ_PROTECT_CLOSE;
    Status = ObSetHandleAttributes(Thread->Process, Handle, Attributes);
out:
    return Status;
}
