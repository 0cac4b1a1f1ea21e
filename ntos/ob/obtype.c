/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object types: registration, and the generic-rights mapping every type
 * applies to the access a handle asks for. Each OBJECT_TYPE is itself an
 * object of the type "Type" (made by the first registration, its own type),
 * so that \ObjectTypes can list them as Windows does; the types are also
 * chained here in creation order so that the namespace, made later, can
 * name those registered before it. The process and thread type variables
 * live here (ps/ fills them, see ob.h) so that the pseudo-handles can be
 * resolved by ob without depending on ps.
 */

#include "obp.h"

POBJECT_TYPE PsProcessType, PsThreadType;
POBJECT_TYPE ObpTypeObjectType;

/* The body of a type object: the public OBJECT_TYPE first. */
typedef struct _OBP_TYPE {
    OBJECT_TYPE Type;
    struct _OBP_TYPE *Next;
    ULONG HighWaterObjects, HighWaterHandles;
    ULONG Index; /* 2, 3, ... in creation order (Windows' TypeIndex) */
} OBP_TYPE;

static OBP_TYPE *ObpTypeList, *ObpTypeListTail;

static void ObpLinkType(OBP_TYPE *Type)
{
    if (ObpTypeListTail != NULL)
        ObpTypeListTail->Next = Type;
    else
        ObpTypeList = Type;
    ObpTypeListTail = Type;
}

/* The type of types is its own type: made through a stand-in whose counts
 * move to the real one. */
static NTSTATUS ObpCreateTypeObjectType(void)
{
    static OBP_TYPE StandIn = {
        .Type = {.Name = "Type",
                 .TypeInfo = {.ValidAccessMask = STANDARD_RIGHTS_REQUIRED | 0x1u,
                              .GenericMapping = {READ_CONTROL, READ_CONTROL, READ_CONTROL,
                                                 STANDARD_RIGHTS_REQUIRED | 0x1u},
                              .PoolTag = OBP_TYPE_TAG}},
    };
    OBP_TYPE *New;
    NTSTATUS Status = ObCreateObject(&StandIn.Type, sizeof(OBP_TYPE), (PVOID *)&New);

    if (!NT_SUCCESS(Status))
        return STATUS_NO_MEMORY;
    *New = StandIn;
    New->Index = 2;
    StandIn.Type.TotalNumberOfObjects = 0;
    ObpHeader(New)->Type = &New->Type;
    ObpTypeObjectType = &New->Type;
    ObpLinkType(New);
    return STATUS_SUCCESS;
}

NTSTATUS ObCreateObjectType(const char *Name, const OBJECT_TYPE_INITIALIZER *Initializer,
                            POBJECT_TYPE *Type)
{
    OBP_TYPE *New;
    NTSTATUS Status = STATUS_SUCCESS;

    ASSERT(Name != NULL && Initializer != NULL);
    if (ObpTypeObjectType == NULL)
        Status = ObpCreateTypeObjectType();
    if (NT_SUCCESS(Status))
        Status = ObCreateObject(ObpTypeObjectType, sizeof(OBP_TYPE), (PVOID *)&New);
    if (!NT_SUCCESS(Status))
        return STATUS_NO_MEMORY;
    /* Types live for ever: the creation reference is never dropped. */
    New->Type.Name = Name;
    New->Type.TypeInfo = *Initializer;
    New->Index = ObpTypeListTail->Index + 1;
    ObpLinkType(New);
    ObpNameType(&New->Type);
    *Type = &New->Type;
    return STATUS_SUCCESS;
}

POBJECT_TYPE ObpFirstType(void)
{
    return ObpTypeList != NULL ? &ObpTypeList->Type : NULL;
}

POBJECT_TYPE ObpNextType(POBJECT_TYPE Type)
{
    OBP_TYPE *Next = ((OBP_TYPE *)Type)->Next;

    return Next != NULL ? &Next->Type : NULL;
}

void ObpNoteTypeCounts(POBJECT_TYPE Type)
{
    OBP_TYPE *Private = (OBP_TYPE *)Type;

    if (Private->HighWaterObjects < Type->TotalNumberOfObjects)
        Private->HighWaterObjects = Type->TotalNumberOfObjects;
    if (Private->HighWaterHandles < Type->TotalNumberOfHandles)
        Private->HighWaterHandles = Type->TotalNumberOfHandles;
}

void ObpQueryTypeCounts(POBJECT_TYPE Type, ULONG *HighWaterObjects, ULONG *HighWaterHandles,
                        ULONG *Index)
{
    OBP_TYPE *Private = (OBP_TYPE *)Type;

    *HighWaterObjects = Private->HighWaterObjects;
    *HighWaterHandles = Private->HighWaterHandles;
    *Index = Private->Index;
}

ULONG ObpTypeName(POBJECT_TYPE Type, WCHAR *Buffer, ULONG Capacity)
{
    ULONG Index, Length = 0;

    while (Type->Name[Length] != 0)
        Length++;
    for (Index = 0; Buffer != NULL && Index < Length && (Index + 1) * sizeof(WCHAR) <= Capacity;
         Index++)
        Buffer[Index] = (WCHAR)(UCHAR)Type->Name[Index];
    return Length * sizeof(WCHAR);
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
