/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object bodies and their reference counts. ObCreateObject allocates the
 * header and the body in one pool block; the last ObDereferenceObject runs
 * the type's delete procedure and frees the block. A handle holds one
 * reference, so an object lives while a handle or a pointer to it does.
 */

#include <string.h>
#include "obp.h"

NTSTATUS ObCreateObject(POBJECT_TYPE Type, SIZE_T BodySize, PVOID *Object)
{
    POBJECT_HEADER Header;

    ASSERT(Type != NULL);
    *Object = NULL;
    Header = ExAllocatePoolWithTag(sizeof(*Header) + BodySize, Type->TypeInfo.PoolTag);
    if (Header == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(Header, 0, sizeof(*Header));
    Header->PointerCount = 1;
    Header->Type = Type;
    Header->Magic = OBP_HEADER_MAGIC;
    Type->TotalNumberOfObjects++;
    ObpNoteTypeCounts(Type);
    *Object = Header + 1;
    return STATUS_SUCCESS;
}

void ObReferenceObject(PVOID Object)
{
    POBJECT_HEADER Header = ObpHeader(Object);

    ASSERT(Header->PointerCount > 0); /* a dead object cannot come back */
    Header->PointerCount++;
}

void ObDereferenceObject(PVOID Object)
{
    POBJECT_HEADER Header = ObpHeader(Object);
    POBJECT_TYPE Type = Header->Type;

    ASSERT(Header->PointerCount > 0);
    /* Every handle holds a reference, so handles never outnumber them. */
    ASSERT(Header->PointerCount > Header->HandleCount);
    if (--Header->PointerCount > 0)
        return;
    ASSERT(Header->Directory == NULL); /* a name holds a reference */
    if (Type->TypeInfo.DeleteProcedure != NULL)
        Type->TypeInfo.DeleteProcedure(Object);
    Type->TotalNumberOfObjects--;
    Header->Magic = 0;
    ExFreePoolWithTag(Header, Type->TypeInfo.PoolTag);
}

POBJECT_TYPE ObGetObjectType(PVOID Object)
{
    return ObpHeader(Object)->Type;
}

LONG_PTR ObGetObjectPointerCount(PVOID Object)
{
    return ObpHeader(Object)->PointerCount;
}

LONG_PTR ObGetObjectHandleCount(PVOID Object)
{
    return ObpHeader(Object)->HandleCount;
}
