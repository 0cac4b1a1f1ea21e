/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Symbolic link objects (type "SymbolicLink"): a name whose lookup goes on
 * at another path (ob/obname.c follows them). Also the services
 * NtCreateSymbolicLinkObject, NtOpenSymbolicLinkObject (the link itself,
 * never followed at the last component) and NtQuerySymbolicLinkObject.
 */

#include <string.h>
#include <ntsvc.h>
#include <svc.h>
#include "obp.h"

POBJECT_TYPE ObpSymbolicLinkObjectType;

static void ObpDeleteSymbolicLink(PVOID Object)
{
    POBJECT_SYMBOLIC_LINK Link = Object;

    if (Link->Target.Buffer != NULL)
        ExFreePoolWithTag(Link->Target.Buffer, OBP_SYMLINK_TAG);
}

NTSTATUS ObpCreateSymbolicLinkType(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = SYMBOLIC_LINK_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | SYMBOLIC_LINK_QUERY, READ_CONTROL,
                           READ_CONTROL | SYMBOLIC_LINK_QUERY, SYMBOLIC_LINK_ALL_ACCESS},
        .PoolTag = OBP_SYMLINK_TAG,
        .DeleteProcedure = ObpDeleteSymbolicLink,
    };

    return ObCreateObjectType("SymbolicLink", &Init, &ObpSymbolicLinkObjectType);
}

/* A new, unnamed link to Target (copied). */
NTSTATUS ObpCreateSymbolicLink(const WCHAR *Target, USHORT Length, PVOID *Link)
{
    POBJECT_SYMBOLIC_LINK New;
    NTSTATUS Status;

    *Link = NULL;
    if (Length > 0xFFFC)
        return STATUS_INVALID_PARAMETER;
    Status = ObCreateObject(ObpSymbolicLinkObjectType, sizeof(*New), (PVOID *)&New);
    if (!NT_SUCCESS(Status))
        return Status;
    New->Target.Buffer = ExAllocatePoolWithTag(Length + sizeof(WCHAR), OBP_SYMLINK_TAG);
    if (New->Target.Buffer == NULL) {
        ObDereferenceObject(New);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memcpy(New->Target.Buffer, Target, Length);
    New->Target.Buffer[Length / sizeof(WCHAR)] = 0;
    New->Target.Length = Length;
    New->Target.MaximumLength = Length + sizeof(WCHAR);
    *Link = New;
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateSymbolicLinkObject(HANDLE *LinkHandle, ACCESS_MASK DesiredAccess,
                                    const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                                    const UNICODE_STRING *LinkTarget)
{
    PVOID Link;
    NTSTATUS Status;

    /* FIXME: Windows refuses MaximumLength 0 (INVALID_PARAMETER) but takes an
     * empty target with room; the capture keeps only Length, so an empty
     * target is refused whatever its MaximumLength. */
    if (LinkTarget->Length == 0)
        return STATUS_INVALID_PARAMETER;
    Status = ObpCreateSymbolicLink(LinkTarget->Buffer, LinkTarget->Length, &Link);
    if (!NT_SUCCESS(Status))
        return Status;
    return ObInsertObject(Link, ObjectAttributes, DesiredAccess, LinkHandle);
}

NTSTATUS NtOpenSymbolicLinkObject(HANDLE *LinkHandle, ACCESS_MASK DesiredAccess,
                                  const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    return ObOpenObjectByName(ObjectAttributes, ObpSymbolicLinkObjectType, DesiredAccess, NULL,
                              LinkHandle);
}

/*
 * The target and its NUL go to LinkTarget->Buffer if MaximumLength holds
 * both; else STATUS_BUFFER_TOO_SMALL. *ReturnedLength is the bytes the
 * target takes with its NUL either way (Windows' contract).
 */
NTSTATUS NtQuerySymbolicLinkObject(HANDLE LinkHandle, UNICODE_STRING *LinkTarget,
                                   ULONG *ReturnedLength)
{
    PETHREAD Thread = KeGetCurrentThread();
    POBJECT_SYMBOLIC_LINK Link = NULL;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(LinkHandle, ObpSymbolicLinkObjectType, SYMBOLIC_LINK_QUERY,
                                       (PVOID *)&Link);
    if (!NT_SUCCESS(Status))
        goto out;
    if (ReturnedLength != NULL)
        *ReturnedLength = Link->Target.MaximumLength;
    if (LinkTarget->MaximumLength < Link->Target.MaximumLength) {
        Status = STATUS_BUFFER_TOO_SMALL;
        goto out;
    }
    Status = MmCopyToUser(Thread->Process, (ULONG_PTR)LinkTarget->Buffer, Link->Target.Buffer,
                          Link->Target.MaximumLength);
    if (NT_SUCCESS(Status))
        LinkTarget->Length = Link->Target.Length;
out:
    if (Link != NULL)
        ObDereferenceObject(Link);
    return Status;
}
