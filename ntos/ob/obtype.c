/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object types: registration, and the generic-rights mapping every type
 * applies to the access a handle asks for. The process and thread type
 * variables live here (ps/ fills them, see ob.h) so that the pseudo-handles
 * can be resolved by ob without depending on ps.
 */

#include "obp.h"

POBJECT_TYPE PsProcessType, PsThreadType;

NTSTATUS ObCreateObjectType(const char *Name, const OBJECT_TYPE_INITIALIZER *Initializer,
                            POBJECT_TYPE *Type)
{
    POBJECT_TYPE New;

    ASSERT(Name != NULL && Initializer != NULL);
    New = ExAllocatePoolWithTag(sizeof(*New), OBP_TYPE_TAG);
    if (New == NULL)
        return STATUS_NO_MEMORY;
    New->Name = Name;
    New->TypeInfo = *Initializer;
    *Type = New;
    return STATUS_SUCCESS;
}

ACCESS_MASK ObpMapAccess(POBJECT_TYPE Type, ACCESS_MASK Access)
{
    const GENERIC_MAPPING *Map = &Type->TypeInfo.GenericMapping;
    ACCESS_MASK Valid = Type->TypeInfo.ValidAccessMask ? Type->TypeInfo.ValidAccessMask : ~0u;

    if (Access & GENERIC_READ)
        Access |= Map->GenericRead;
    if (Access & GENERIC_WRITE)
        Access |= Map->GenericWrite;
    if (Access & GENERIC_EXECUTE)
        Access |= Map->GenericExecute;
    if (Access & GENERIC_ALL)
        Access |= Map->GenericAll;
    if (Access & MAXIMUM_ALLOWED)
        Access |= Valid;
    Access &= ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
    return Access & Valid;
}
