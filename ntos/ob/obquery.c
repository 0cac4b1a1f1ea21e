/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQueryObject and NtSetInformationObject: what a handle says about its
 * object, and the flags of the handle itself. Classes: basic (0), name (1:
 * the full path, a UNICODE_STRING followed by the string), type (2:
 * OBJECT_TYPE_INFORMATION followed by the type's name) and handle flags
 * (4). The fixed classes want their exact length; the two variable ones
 * want at least what they need and report it (INFO_LENGTH_MISMATCH). As
 * on Windows the buffer is probed first, ULONG-aligned but for the handle
 * flags (two BOOLEANs); a NULL one fails at the copy.
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

/* OBJECT_TYPE_INFORMATION as Windows (8.1 and later) lays it out. */
typedef struct _OBP_TYPE_INFORMATION {
    UNICODE_STRING TypeName;
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    ULONG TotalPagedPoolUsage;
    ULONG TotalNonPagedPoolUsage;
    ULONG TotalNamePoolUsage;
    ULONG TotalHandleTableUsage;
    ULONG HighWaterNumberOfObjects;
    ULONG HighWaterNumberOfHandles;
    ULONG HighWaterPagedPoolUsage;
    ULONG HighWaterNonPagedPoolUsage;
    ULONG HighWaterNamePoolUsage;
    ULONG HighWaterHandleTableUsage;
    ULONG InvalidAttributes;
    GENERIC_MAPPING GenericMapping;
    ULONG ValidAccessMask;
    BOOLEAN SecurityRequired;
    BOOLEAN MaintainHandleCount;
    UCHAR TypeIndex;
    CHAR ReservedByte;
    ULONG PoolType;
    ULONG DefaultPagedPoolCharge;
    ULONG DefaultNonPagedPoolCharge;
} OBP_TYPE_INFORMATION;
_Static_assert(sizeof(OBP_TYPE_INFORMATION) == 0x68, "OBJECT_TYPE_INFORMATION");
_Static_assert(offsetof(OBP_TYPE_INFORMATION, GenericMapping) == 0x44, "GenericMapping");
_Static_assert(offsetof(OBP_TYPE_INFORMATION, TypeIndex) == 0x5a, "TypeIndex");

#define OBP_TYPE_NAME_MAX 128u /* bytes of a type's name with its NUL */

/* The record of a variable class in Out (ntos memory) for a caller buffer
 * at UserBase; returns the length Windows reports. */
static ULONG ObpFillNameInformation(PVOID Object, UCHAR *Out, ULONG_PTR UserBase)
{
    UNICODE_STRING *Name = (UNICODE_STRING *)Out;
    ULONG Length = ObpQueryFullName(Object, NULL, 0);

    memset(Name, 0, sizeof(*Name));
    if (Length == 0)
        return sizeof(*Name);
    ObpQueryFullName(Object, (WCHAR *)(Name + 1), Length);
    ((WCHAR *)(Name + 1))[Length / sizeof(WCHAR)] = 0;
    Name->Length = (USHORT)Length;
    Name->MaximumLength = (USHORT)(Length + sizeof(WCHAR));
    Name->Buffer = (PWSTR)(UserBase + sizeof(*Name));
    return sizeof(*Name) + Length + sizeof(WCHAR);
}

static ULONG ObpFillTypeInformation(PVOID Object, UCHAR *Out, ULONG_PTR UserBase)
{
    OBP_TYPE_INFORMATION *Info = (OBP_TYPE_INFORMATION *)Out;
    POBJECT_TYPE Type = ObGetObjectType(Object);
    ULONG Length = ObpTypeName(Type, (WCHAR *)(Info + 1), OBP_TYPE_NAME_MAX - sizeof(WCHAR));
    ULONG Index;

    ASSERT(Length <= OBP_TYPE_NAME_MAX - sizeof(WCHAR)); /* type names are short literals */

    memset(Info, 0, sizeof(*Info));
    ((WCHAR *)(Info + 1))[Length / sizeof(WCHAR)] = 0;
    Info->TypeName.Length = (USHORT)Length;
    Info->TypeName.MaximumLength = (USHORT)(Length + sizeof(WCHAR));
    Info->TypeName.Buffer = (PWSTR)(UserBase + sizeof(*Info));
    Info->TotalNumberOfObjects = Type->TotalNumberOfObjects;
    Info->TotalNumberOfHandles = Type->TotalNumberOfHandles;
    ObpQueryTypeCounts(Type, &Info->HighWaterNumberOfObjects, &Info->HighWaterNumberOfHandles,
                       &Index);
    Info->TypeIndex = (UCHAR)Index;
    Info->GenericMapping = Type->TypeInfo.GenericMapping;
    Info->ValidAccessMask = Type->TypeInfo.ValidAccessMask;
    /* The name is padded to a pointer's size, as Windows reports it. */
    return sizeof(*Info) + ((Length + sizeof(WCHAR) + 7) & ~7u);
}

/* ObjectNameInformation / ObjectTypeInformation: the record, then a string. */
static NTSTATUS ObpQueryVariableClass(PVOID Object, ULONG Class, USER_BUFFER Buffer, ULONG Length,
                                      ULONG *ReturnLength)
{
    PETHREAD Thread = KeGetCurrentThread();
    ULONG Needed = Class == ObjectNameInformation
                       ? sizeof(UNICODE_STRING) + ObpQueryFullName(Object, NULL, 0) + sizeof(WCHAR)
                       : sizeof(OBP_TYPE_INFORMATION) + OBP_TYPE_NAME_MAX;
    UCHAR *Out = ExAllocatePoolWithTag(Needed, OBP_NAME_TAG);
    NTSTATUS Status = STATUS_SUCCESS;

    if (Out == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (Class == ObjectNameInformation)
        Needed = ObpFillNameInformation(Object, Out, Buffer.Address);
    else
        Needed = ObpFillTypeInformation(Object, Out, Buffer.Address);
    if (ReturnLength != NULL)
        *ReturnLength = Needed;
    if (Length < Needed)
        Status = STATUS_INFO_LENGTH_MISMATCH;
    else
        Status = MmCopyToUser(Thread->Process, Buffer.Address, Out, Needed);
    ExFreePoolWithTag(Out, OBP_NAME_TAG);
    return Status;
}

/* The alignment Windows probes a class's buffer with (unknown classes too). */
static ULONG ObpInformationAlignment(ULONG Class)
{
    return Class == ObjectHandleFlagInformation ? sizeof(BOOLEAN) : sizeof(ULONG);
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

    Status = KiProbeClassBuffer(ObjectInformation, ObpInformationAlignment(ObjectInformationClass),
                                KI_PROBE_READ);
    if (!NT_SUCCESS(Status))
        goto out;
    if (ObjectInformationClass == ObjectNameInformation ||
        ObjectInformationClass == ObjectTypeInformation) {
        Status = ObReferenceObjectByHandleInProcess(Thread->Process, Handle, NULL, 0, &Object, NULL,
                                                    NULL);
        if (NT_SUCCESS(Status))
            Status = ObpQueryVariableClass(Object, ObjectInformationClass, ObjectInformation,
                                           ObjectInformationLength, ReturnLength);
        goto out;
    }
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
