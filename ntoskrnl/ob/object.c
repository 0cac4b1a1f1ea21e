/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Objects of the runtime. An object the runtime makes (ObpCreateObject)
 * is a pool block with an OBP_HEADER before its body: a magic value, the
 * reference count and the type. ObfReferenceObject/ObfDereferenceObject
 * count on it and free the object (after its type's Delete) at zero. An
 * object without the header (a driver's own KEVENT, a structure of another
 * allocator) is left alone: its references are not counted.
 *
 * Handles: the driver's handles are NT handles of its own process.
 * ObReferenceObjectByHandle turns a thread handle into the runtime's
 * thread block (by thread id) and NtCurrentProcess() into the process
 * object; other kinds are not wrapped yet (STATUS_NOT_IMPLEMENTED).
 *
 * The exported type variables follow mingw-w64's wdm.h, which declares
 * them `extern POBJECT_TYPE NTSYSAPI *PsThreadType;`: a driver reads the
 * variable (through its import slot) and dereferences it, so each
 * exported variable holds the address of a POBJECT_TYPE.
 */
#include "ntoskrnl.h"

#define OBP_MAGIC      0x6A624F4Bu /* "KObj" */
#define OBP_DEAD       0x64616544u
#define OBP_TYPE_MAGIC 0x65707954u

typedef struct __attribute__((aligned(16))) _OBP_HEADER {
    ULONG Magic;
    volatile LONG PointerCount;
    POBJECT_TYPE Type;
} OBP_HEADER;

#define OBP_TYPE(Name, Text) struct _OBJECT_TYPE Name = {OBP_TYPE_MAGIC, Text, NULL}
struct _OBJECT_TYPE ObpThreadType = {OBP_TYPE_MAGIC, L"Thread", KiDeleteThread};
OBP_TYPE(ObpProcessType, L"Process");
OBP_TYPE(ObpEventType, L"Event");
OBP_TYPE(ObpSemaphoreType, L"Semaphore");
OBP_TYPE(ObpFileType, L"File");
OBP_TYPE(ObpDeviceType, L"Device");
OBP_TYPE(ObpDriverType, L"Driver");

static POBJECT_TYPE ObpThreadTypePointer = &ObpThreadType;
static POBJECT_TYPE ObpProcessTypePointer = &ObpProcessType;
static POBJECT_TYPE ObpEventTypePointer = &ObpEventType;
static POBJECT_TYPE ObpSemaphoreTypePointer = &ObpSemaphoreType;
static POBJECT_TYPE ObpFileTypePointer = &ObpFileType;
static POBJECT_TYPE ObpDeviceTypePointer = &ObpDeviceType;
static POBJECT_TYPE ObpDriverTypePointer = &ObpDriverType;

NTKRNL_EXPORT POBJECT_TYPE *PsThreadType = &ObpThreadTypePointer;
NTKRNL_EXPORT POBJECT_TYPE *PsProcessType = &ObpProcessTypePointer;
NTKRNL_EXPORT POBJECT_TYPE *ExEventObjectType = &ObpEventTypePointer;
NTKRNL_EXPORT POBJECT_TYPE *ExSemaphoreObjectType = &ObpSemaphoreTypePointer;
NTKRNL_EXPORT POBJECT_TYPE *IoFileObjectType = &ObpFileTypePointer;
NTKRNL_EXPORT POBJECT_TYPE *IoDeviceObjectType = &ObpDeviceTypePointer;
NTKRNL_EXPORT POBJECT_TYPE *IoDriverObjectType = &ObpDriverTypePointer;

static OBP_HEADER *ObpHeader(PVOID Body)
{
    OBP_HEADER *Header;

    if (!Body || ((ULONG_PTR)Body & 15))
        return NULL;
    Header = (OBP_HEADER *)Body - 1;
    return Header->Magic == OBP_MAGIC ? Header : NULL;
}

NTSTATUS ObpCreateObject(POBJECT_TYPE Type, ULONG BodySize, PVOID *Body)
{
    OBP_HEADER *Header;

    Header = RtlAllocateHeap(KiProcessHeap(), KI_HEAP_ZERO_MEMORY, sizeof(*Header) + BodySize);
    if (!Header)
        return STATUS_INSUFFICIENT_RESOURCES;
    Header->Magic = OBP_MAGIC;
    Header->PointerCount = 1;
    Header->Type = Type;
    *Body = Header + 1;
    return STATUS_SUCCESS;
}

LONG_PTR ObpPointerCount(PVOID Body)
{
    OBP_HEADER *Header = ObpHeader(Body);

    return Header ? Header->PointerCount : -1;
}

POBJECT_TYPE ObpGetObjectType(PVOID Body)
{
    OBP_HEADER *Header = ObpHeader(Body);

    return Header ? Header->Type : NULL;
}

NTKRNL_EXPORT LONG_PTR FASTCALL ObfReferenceObject(PVOID Object)
{
    OBP_HEADER *Header = ObpHeader(Object);

    return Header ? InterlockedIncrement(&Header->PointerCount) : 1;
}

NTKRNL_EXPORT LONG_PTR FASTCALL ObfDereferenceObject(PVOID Object)
{
    OBP_HEADER *Header = ObpHeader(Object);
    LONG Count;

    if (!Header)
        return 1;
    Count = InterlockedDecrement(&Header->PointerCount);
    if (Count == 0) {
        if (Header->Type && Header->Type->Delete)
            Header->Type->Delete(Object);
        Header->Magic = OBP_DEAD;
        RtlFreeHeap(KiProcessHeap(), 0, Header);
    } else if (Count < 0) {
        KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)Header->Type, (ULONG_PTR)Object, 0, 0);
    }
    return Count;
}

NTKRNL_EXPORT LONG_PTR FASTCALL ObfReferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    return ObfReferenceObject(Object);
}

NTKRNL_EXPORT LONG_PTR FASTCALL ObfDereferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    return ObfDereferenceObject(Object);
}

#undef ObDereferenceObject
NTKRNL_EXPORT VOID NTAPI ObDereferenceObject(PVOID Object)
{
    ObfDereferenceObject(Object);
}

NTKRNL_EXPORT VOID NTAPI ObDereferenceObjectDeferDelete(PVOID Object)
{
    ObfDereferenceObject(Object);
}

NTKRNL_EXPORT POBJECT_TYPE NTAPI ObGetObjectType(PVOID Object)
{
    return ObpGetObjectType(Object);
}

NTKRNL_EXPORT NTSTATUS NTAPI ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess,
                                                        POBJECT_TYPE ObjectType,
                                                        KPROCESSOR_MODE AccessMode)
{
    OBP_HEADER *Header = ObpHeader(Object);

    if (ObjectType && Header && Header->Type != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    ObfReferenceObject(Object);
    return STATUS_SUCCESS;
}

/* The object behind Handle, referenced; what Type allows. */
static NTSTATUS ObpReferenceHandle(HANDLE Handle, POBJECT_TYPE Type, PVOID *Object)
{
    HANDLE ThreadId;
    PKTHREAD Thread;
    NTSTATUS Status;

    if (Handle == NtCurrentProcess()) {
        if (Type && Type != &ObpProcessType)
            return STATUS_OBJECT_TYPE_MISMATCH;
        *Object = KiGetCurrentProcess();
        ObfReferenceObject(*Object);
        return STATUS_SUCCESS;
    }
    if (Type && Type != &ObpThreadType)
        return STATUS_NOT_IMPLEMENTED; /* FIXME: events, files, ... are not wrapped yet */
    Status = KiQueryThreadId(Handle, &ThreadId);
    if (!NT_SUCCESS(Status))
        return Type ? Status : STATUS_NOT_IMPLEMENTED;
    Thread = KiLookupThread(ThreadId);
    if (!Thread)
        return STATUS_NOT_IMPLEMENTED; /* a thread the runtime does not know (FIXME) */
    *Object = Thread;
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                                       POBJECT_TYPE ObjectType,
                                                       KPROCESSOR_MODE AccessMode, PVOID *Object,
                                                       POBJECT_HANDLE_INFORMATION HandleInfo)
{
    NTSTATUS Status;

    if (!Object)
        return STATUS_INVALID_PARAMETER;
    *Object = NULL;
    if (!Handle)
        return STATUS_INVALID_HANDLE;
    Status = ObpReferenceHandle(Handle, ObjectType, Object);
    if (NT_SUCCESS(Status) && HandleInfo) {
        HandleInfo->HandleAttributes = 0;
        HandleInfo->GrantedAccess = DesiredAccess;
    }
    return Status;
}

NTKRNL_EXPORT NTSTATUS NTAPI ObReferenceObjectByHandleWithTag(
    HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
    ULONG Tag, PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInfo)
{
    return ObReferenceObjectByHandle(Handle, DesiredAccess, ObjectType, AccessMode, Object,
                                     HandleInfo);
}

NTKRNL_EXPORT NTSTATUS NTAPI ObCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode)
{
    return NtClose(Handle);
}
