/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inserting objects and opening them by name (ob.h). Until the namespace
 * exists, only unnamed objects can be inserted: a name gives
 * STATUS_NOT_IMPLEMENTED.
 */
#include "obp.h"
#include <svc.h>

NTSTATUS ObInsertObject(PVOID Object, const CAPTURED_OBJECT_ATTRIBUTES *Attributes,
                        ACCESS_MASK DesiredAccess, HANDLE *Handle)
{
    NTSTATUS Status = STATUS_NOT_IMPLEMENTED; /* FIXME: the namespace */
    ULONG HandleAttributes = Attributes ? Attributes->Attributes : 0;

    if (!Attributes || !Attributes->ObjectName)
        Status = ObCreateHandle(KeGetCurrentThread()->Process, Object, DesiredAccess,
                                HandleAttributes, Handle);
    ObDereferenceObject(Object);
    return Status;
}

NTSTATUS ObOpenObjectByName(const CAPTURED_OBJECT_ATTRIBUTES *Attributes, POBJECT_TYPE Type,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, HANDLE *Handle)
{
    (void)Attributes, (void)Type, (void)DesiredAccess, (void)ParseContext, (void)Handle;
    return STATUS_NOT_IMPLEMENTED; /* FIXME: the namespace */
}

NTSTATUS ObReferenceObjectByName(const UNICODE_STRING *Name, ULONG Attributes, POBJECT_TYPE Type,
                                 PVOID ParseContext, PVOID *Object)
{
    (void)Name, (void)Attributes, (void)Type, (void)ParseContext, (void)Object;
    return STATUS_NOT_IMPLEMENTED; /* FIXME: the namespace */
}

NTSTATUS ObInsertPermanentObject(PVOID Object, const char *Path)
{
    (void)Object, (void)Path;
    return STATUS_NOT_IMPLEMENTED; /* FIXME: the namespace */
}
