/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Named objects (ob.h): inserting a new object under its name with a
 * handle, opening and referencing objects by name, the permanent names ntos
 * makes at start-up, and the lifetime of a name: it goes when the object's
 * last handle closes unless it is permanent (OBJ_PERMANENT, cleared by
 * NtMakeTemporaryObject). Also the full name of an object for
 * ObjectNameInformation, and the OBJ_EXCLUSIVE rule.
 */

#include <string.h>
#include <ntsvc.h>
#include <svc.h>
#include "obp.h"

/* OBJ_EXCLUSIVE as Windows defines it: only objects made exclusive may be
 * opened exclusively, by their creator's process; no one else opens them. */
static NTSTATUS ObpCheckExclusive(PVOID Object, ULONG Attributes)
{
    POBJECT_HEADER Header = ObpHeader(Object);
    ULONG_PTR Caller = KeGetCurrentThread()->Process->UniqueProcessId;

    if (Attributes & OBJ_EXCLUSIVE) {
        if ((Attributes & OBJ_INHERIT) || !(Header->Flags & OBP_FLAG_EXCLUSIVE))
            return STATUS_INVALID_PARAMETER;
        if (Header->ExclusiveProcessId != Caller)
            return STATUS_ACCESS_DENIED;
        return STATUS_SUCCESS;
    }
    if (Header->Flags & OBP_FLAG_EXCLUSIVE)
        return STATUS_ACCESS_DENIED;
    return STATUS_SUCCESS;
}

/* A handle to a new object: mark it exclusive / permanent as asked first. */
static NTSTATUS ObpHandleNewObject(PVOID Object, ULONG Attributes, ACCESS_MASK DesiredAccess,
                                   HANDLE *Handle)
{
    POBJECT_HEADER Header = ObpHeader(Object);
    PEPROCESS Process = KeGetCurrentThread()->Process;

    if (Attributes & OBJ_EXCLUSIVE) {
        if (Attributes & OBJ_INHERIT)
            return STATUS_INVALID_PARAMETER;
        Header->Flags |= OBP_FLAG_EXCLUSIVE;
        Header->ExclusiveProcessId = Process->UniqueProcessId;
    }
    if ((Attributes & OBJ_PERMANENT) && Header->Directory != NULL)
        Header->Flags |= OBP_FLAG_PERMANENT;
    return ObCreateHandle(Process, Object, DesiredAccess, Attributes, Handle);
}

NTSTATUS ObInsertObject(PVOID Object, const CAPTURED_OBJECT_ATTRIBUTES *Attributes,
                        ACCESS_MASK DesiredAccess, HANDLE *Handle)
{
    ULONG Flags = Attributes != NULL ? Attributes->Attributes : 0;
    OBP_LOOKUP Lookup = {0};
    PVOID Found = NULL;
    NTSTATUS Status;

    *Handle = NULL;
    /* A NULL name with a root is refused; an empty one makes an unnamed
     * object whatever the root (Windows). */
    if (Attributes != NULL && ((Attributes->ObjectName == NULL && Attributes->RootDirectory) ||
                               (Attributes->ObjectName != NULL &&
                                Attributes->ObjectName->Length > OBP_MAX_NAME_LENGTH))) {
        Status = STATUS_OBJECT_NAME_INVALID;
        goto out;
    }
    if (Attributes == NULL || Attributes->ObjectName == NULL ||
        Attributes->ObjectName->Length == 0) {
        Status = ObpHandleNewObject(Object, Flags & ~OBJ_PERMANENT, DesiredAccess, Handle);
        goto out;
    }
    Lookup.RootHandle = Attributes->RootDirectory;
    Lookup.Name = Attributes->ObjectName;
    Lookup.Attributes = Flags;
    Lookup.InsertObject = Object;
    Status = ObpLookupObjectName(&Lookup, &Found);
    if (Status == STATUS_OBJECT_NAME_EXISTS) {
        NTSTATUS Open = ObpCheckExclusive(Found, Flags);
        if (NT_SUCCESS(Open))
            Open =
                ObCreateHandle(KeGetCurrentThread()->Process, Found, DesiredAccess, Flags, Handle);
        if (!NT_SUCCESS(Open))
            Status = Open;
    } else if (NT_SUCCESS(Status)) {
        Status = ObpHandleNewObject(Object, Flags, DesiredAccess, Handle);
        if (!NT_SUCCESS(Status))
            ObpDeleteNameCheck(Object); /* no handle: the name goes again */
    }
out:
    if (Found != NULL)
        ObDereferenceObject(Found);
    ObDereferenceObject(Object);
    return Status;
}

/* Reference what a captured OBJECT_ATTRIBUTES names (any type). */
static NTSTATUS ObpReferenceByAttributes(const CAPTURED_OBJECT_ATTRIBUTES *Attributes,
                                         POBJECT_TYPE Type, ACCESS_MASK DesiredAccess,
                                         PVOID ParseContext, PVOID *Object)
{
    OBP_LOOKUP Lookup = {
        .RootHandle = Attributes->RootDirectory,
        .Name = Attributes->ObjectName,
        .Attributes = Attributes->Attributes,
        .Type = Type,
        .DesiredAccess = DesiredAccess,
        .ParseContext = ParseContext,
    };

    *Object = NULL;
    if (Attributes->ObjectName == NULL)
        return Attributes->RootDirectory ? STATUS_OBJECT_NAME_INVALID
                                         : STATUS_OBJECT_PATH_SYNTAX_BAD;
    if (Attributes->ObjectName->Length > OBP_MAX_NAME_LENGTH)
        return STATUS_OBJECT_NAME_INVALID;
    if (Attributes->ObjectName->Length == 0 && Attributes->RootDirectory == NULL)
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    return ObpLookupObjectName(&Lookup, Object);
}

NTSTATUS ObOpenObjectByName(const CAPTURED_OBJECT_ATTRIBUTES *Attributes, POBJECT_TYPE Type,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, HANDLE *Handle)
{
    PVOID Object = NULL;
    NTSTATUS Status;

    *Handle = NULL;
    if (Attributes == NULL) {
        Status = STATUS_INVALID_PARAMETER;
        goto out;
    }
    Status = ObpReferenceByAttributes(Attributes, Type, DesiredAccess, ParseContext, &Object);
    if (NT_SUCCESS(Status) && Type != NULL && ObGetObjectType(Object) != Type)
        Status = STATUS_OBJECT_TYPE_MISMATCH;
    if (NT_SUCCESS(Status))
        Status = ObpCheckExclusive(Object, Attributes->Attributes);
    if (NT_SUCCESS(Status))
        Status = ObCreateHandle(KeGetCurrentThread()->Process, Object, DesiredAccess,
                                Attributes->Attributes, Handle);
out:
    if (Object != NULL)
        ObDereferenceObject(Object);
    return Status;
}

NTSTATUS ObReferenceObjectByName(const UNICODE_STRING *Name, ULONG Attributes, POBJECT_TYPE Type,
                                 PVOID ParseContext, PVOID *Object)
{
    OBP_LOOKUP Lookup = {
        .Name = Name, .Attributes = Attributes, .Type = Type, .ParseContext = ParseContext};
    NTSTATUS Status;

    *Object = NULL;
    if (Name == NULL)
        return STATUS_OBJECT_NAME_INVALID;
    Status = ObpLookupObjectName(&Lookup, Object);
    if (NT_SUCCESS(Status) && Type != NULL && ObGetObjectType(*Object) != Type) {
        ObDereferenceObject(*Object);
        *Object = NULL;
        Status = STATUS_OBJECT_TYPE_MISMATCH;
    }
    return Status;
}

NTSTATUS ObInsertPermanentObject(PVOID Object, const char *Path)
{
    WCHAR Wide[256];
    UNICODE_STRING Name = {0, 0, Wide};
    OBP_LOOKUP Lookup = {.Name = &Name, .Attributes = OBJ_CASE_INSENSITIVE, .InsertObject = Object};
    PVOID Found = NULL;
    NTSTATUS Status;
    ULONG Index;

    for (Index = 0; Path[Index] != 0; Index++) {
        if (Index == ARRAYSIZE(Wide))
            return STATUS_OBJECT_NAME_INVALID;
        Wide[Index] = (WCHAR)(UCHAR)Path[Index];
    }
    Name.Length = Name.MaximumLength = (USHORT)(Index * sizeof(WCHAR));
    Status = ObpLookupObjectName(&Lookup, &Found);
    if (Found != NULL)
        ObDereferenceObject(Found);
    if (NT_SUCCESS(Status))
        ObpHeader(Object)->Flags |= OBP_FLAG_PERMANENT | OBP_FLAG_SYSTEM;
    return Status;
}

void ObpDeleteNameCheck(PVOID Object)
{
    POBJECT_HEADER Header = ObpHeader(Object);

    if (Header->HandleCount == 0 && Header->Directory != NULL &&
        !(Header->Flags & OBP_FLAG_PERMANENT))
        ObpRemoveDirectoryEntry(Object);
}

NTSTATUS NtMakeTemporaryObject(HANDLE Handle)
{
    PVOID Object;
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, NULL, DELETE, &Object);

    if (!NT_SUCCESS(Status))
        return Status;
    /* No security descriptors yet: ntos's own names stand in for the
     * protection Windows' default security gives them. */
    if (ObpHeader(Object)->Flags & OBP_FLAG_SYSTEM) {
        ObDereferenceObject(Object);
        return STATUS_ACCESS_DENIED;
    }
    ObpHeader(Object)->Flags &= ~OBP_FLAG_PERMANENT;
    ObpDeleteNameCheck(Object);
    ObDereferenceObject(Object);
    return STATUS_SUCCESS;
}

/* ---- full names ------------------------------------------------------------------------ */

ULONG ObpQueryFullName(PVOID Object, WCHAR *Buffer, ULONG Capacity)
{
    POBJECT_HEADER Header;
    PVOID At;
    ULONG Length = 0, End;

    if (Object == ObpRootDirectory) {
        if (Buffer != NULL && Capacity >= sizeof(WCHAR))
            Buffer[0] = L'\\';
        return sizeof(WCHAR);
    }
    for (At = Object; (Header = ObpHeader(At))->Directory != NULL; At = Header->Directory)
        Length += sizeof(WCHAR) + Header->Name.Length;
    if (Buffer == NULL || Length > Capacity)
        return Length;
    /* Fill from the end: the object's own component last. */
    End = Length;
    for (At = Object; (Header = ObpHeader(At))->Directory != NULL; At = Header->Directory) {
        End -= Header->Name.Length;
        memcpy((UCHAR *)Buffer + End, Header->Name.Buffer, Header->Name.Length);
        End -= sizeof(WCHAR);
        Buffer[End / sizeof(WCHAR)] = L'\\';
    }
    return Length;
}

ULONG ObQueryNameString(PVOID Object, WCHAR *Buffer, ULONG Capacity)
{
    return ObpQueryFullName(Object, Buffer, Capacity);
}

void ObMakeTemporaryObject(PVOID Object)
{
    POBJECT_HEADER Header = ObpHeader(Object);

    Header->Flags &= ~(OBP_FLAG_PERMANENT | OBP_FLAG_SYSTEM);
    if (Header->Directory != NULL)
        ObpRemoveDirectoryEntry(Object);
}
