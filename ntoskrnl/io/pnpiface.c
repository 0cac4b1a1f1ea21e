/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/pnpiface.c: what a WDM driver asks about its root PDO. Device
 * interfaces: IoRegisterDeviceInterface names one as Windows does,
 * \??\<instance path with '\' as '#'>#{guid}[\<reference>], here
 * \??\ROOT#<SERVICE>#0000#{guid} with the GUID in lower case;
 * IoSetDeviceInterfaceState makes that name a symbolic link to the PDO's
 * name while enabled. The link is a temporary object held by the
 * runtime's handle, so it goes when the interface is disabled, when the
 * PDO is removed, or with the process whatever way it ends. Interfaces
 * are not kept anywhere else (no registry): a load registers them again.
 * IoGetDeviceProperty answers what the root bus knows without a
 * registry; IoOpenDeviceRegistryKey is NOT_IMPLEMENTED (no registry).
 */

#include "iop.h"

NTSYSAPI NTSTATUS NTAPI NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                   POBJECT_ATTRIBUTES ObjectAttributes,
                                                   PUNICODE_STRING LinkTarget);

typedef struct _IOP_INTERFACE {
    LIST_ENTRY Links;
    PDEVICE_OBJECT Pdo;
    HANDLE Link;         /* the symbolic link while enabled, else NULL */
    UNICODE_STRING Name; /* its characters follow */
} IOP_INTERFACE;

static LIST_ENTRY IopInterfaces = {&IopInterfaces, &IopInterfaces};

#define IOP_INTERFACE_CHARS 200

static VOID IopAppend(PWCHAR Text, PULONG Length, PCWSTR Part)
{
    while (*Part && *Length + 1 < IOP_INTERFACE_CHARS)
        Text[(*Length)++] = *Part++;
    Text[*Length] = 0;
}

static VOID IopAppendHex(PWCHAR Text, PULONG Length, ULONG Value, ULONG Digits)
{
    static const WCHAR Hex[] = L"0123456789abcdef";
    WCHAR Part[9];
    ULONG Index;

    for (Index = 0; Index < Digits; Index++)
        Part[Index] = Hex[(Value >> (4 * (Digits - 1 - Index))) & 0xF];
    Part[Digits] = 0;
    IopAppend(Text, Length, Part);
}

/* {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, lower case as in Windows' links. */
static VOID IopAppendGuid(PWCHAR Text, PULONG Length, CONST GUID *Guid)
{
    ULONG Index;

    IopAppend(Text, Length, L"{");
    IopAppendHex(Text, Length, Guid->Data1, 8);
    IopAppend(Text, Length, L"-");
    IopAppendHex(Text, Length, Guid->Data2, 4);
    IopAppend(Text, Length, L"-");
    IopAppendHex(Text, Length, Guid->Data3, 4);
    IopAppend(Text, Length, L"-");
    for (Index = 0; Index < 8; Index++) {
        if (Index == 2)
            IopAppend(Text, Length, L"-");
        IopAppendHex(Text, Length, Guid->Data4[Index], 2);
    }
    IopAppend(Text, Length, L"}");
}

static IOP_INTERFACE *IopFindInterface(PCUNICODE_STRING Name)
{
    PLIST_ENTRY Entry;

    for (Entry = IopInterfaces.Flink; Entry != &IopInterfaces; Entry = Entry->Flink) {
        IOP_INTERFACE *Interface = CONTAINING_RECORD(Entry, IOP_INTERFACE, Links);

        if (RtlEqualUnicodeString(&Interface->Name, Name, TRUE))
            return Interface;
    }
    return NULL;
}

/* A copy the caller frees with RtlFreeUnicodeString (the process heap). */
static NTSTATUS IopCopyName(PCUNICODE_STRING From, PUNICODE_STRING To)
{
    To->Buffer = IopAllocate(From->Length + sizeof(WCHAR));
    if (To->Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlCopyMemory(To->Buffer, From->Buffer, From->Length);
    To->Length = From->Length;
    To->MaximumLength = From->Length + sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI IoRegisterDeviceInterface(PDEVICE_OBJECT PhysicalDeviceObject,
                                                       CONST GUID *InterfaceClassGuid,
                                                       PUNICODE_STRING ReferenceString,
                                                       PUNICODE_STRING SymbolicLinkName)
{
    WCHAR Text[IOP_INTERFACE_CHARS], Service[IO_HOST_NAME_CHARS];
    UNICODE_STRING Name;
    IOP_INTERFACE *Interface;
    ULONG Length = 0;

    if (!IopIsRootPdo(PhysicalDeviceObject))
        return STATUS_INVALID_DEVICE_REQUEST; /* Windows: only a PDO has interfaces */
    IopServiceName(Service, ARRAYSIZE(Service));
    IopAppend(Text, &Length, L"\\??\\ROOT#");
    IopAppend(Text, &Length, Service);
    IopAppend(Text, &Length, L"#0000#");
    IopAppendGuid(Text, &Length, InterfaceClassGuid);
    if (ReferenceString != NULL && ReferenceString->Length != 0) {
        if (ReferenceString->Length / sizeof(WCHAR) + Length + 2 >= IOP_INTERFACE_CHARS)
            return STATUS_INVALID_PARAMETER;
        Text[Length++] = L'\\';
        RtlCopyMemory(Text + Length, ReferenceString->Buffer, ReferenceString->Length);
        Length += ReferenceString->Length / sizeof(WCHAR);
    }
    Name.Buffer = Text;
    Name.Length = Name.MaximumLength = (USHORT)(Length * sizeof(WCHAR));
    IopAcquireHostLock();
    Interface = IopFindInterface(&Name);
    IopReleaseHostLock();
    if (Interface == NULL) {
        Interface = IopAllocate(sizeof(*Interface) + Name.Length);
        if (Interface == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        Interface->Pdo = PhysicalDeviceObject;
        Interface->Name.Buffer = (PWCH)(Interface + 1);
        Interface->Name.Length = Interface->Name.MaximumLength = Name.Length;
        RtlCopyMemory(Interface->Name.Buffer, Text, Name.Length);
        IopAcquireHostLock();
        InsertTailList(&IopInterfaces, &Interface->Links);
        IopReleaseHostLock();
    }
    return IopCopyName(&Name, SymbolicLinkName);
}

/* Enabled: a temporary link to the PDO's name, held by our handle.
 * Windows' answers for the states that do not change: enabling an
 * enabled interface is OBJECT_NAME_EXISTS, disabling a disabled one
 * OBJECT_NAME_NOT_FOUND, an unknown name OBJECT_NAME_NOT_FOUND. */
NTKRNL_EXPORT NTSTATUS NTAPI IoSetDeviceInterfaceState(PUNICODE_STRING SymbolicLinkName,
                                                       BOOLEAN Enable)
{
    OBJECT_ATTRIBUTES Attributes;
    IOP_INTERFACE *Interface;
    HANDLE Link;
    NTSTATUS Status;

    IopAcquireHostLock();
    Interface = SymbolicLinkName != NULL ? IopFindInterface(SymbolicLinkName) : NULL;
    IopReleaseHostLock();
    if (Interface == NULL)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    if (!Enable) {
        Link = InterlockedExchangePointer(&Interface->Link, NULL);
        if (Link == NULL)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        NtClose(Link);
        return STATUS_SUCCESS;
    }
    if (Interface->Link != NULL)
        return STATUS_OBJECT_NAME_EXISTS;
    InitializeObjectAttributes(&Attributes, &Interface->Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtCreateSymbolicLinkObject(&Link, SYMBOLIC_LINK_ALL_ACCESS, &Attributes,
                                        &IopDevice(Interface->Pdo)->Name);
    if (NT_SUCCESS(Status) && InterlockedCompareExchangePointer(&Interface->Link, Link, NULL))
        NtClose(Link); /* another thread enabled it meanwhile */
    return Status;
}

VOID IopDisableDeviceInterfaces(PDEVICE_OBJECT Pdo)
{
    PLIST_ENTRY Entry;

    for (Entry = IopInterfaces.Flink; Entry != &IopInterfaces; Entry = Entry->Flink) {
        IOP_INTERFACE *Interface = CONTAINING_RECORD(Entry, IOP_INTERFACE, Links);
        HANDLE Link;

        if (Interface->Pdo == Pdo && (Link = InterlockedExchangePointer(&Interface->Link, NULL)))
            NtClose(Link);
    }
}

/* ---- device properties ------------------------------------------------------------------ */

static NTSTATUS IopReturnProperty(const VOID *Value, ULONG Size, ULONG BufferLength, PVOID Buffer,
                                  PULONG ResultLength)
{
    *ResultLength = Size;
    if (BufferLength < Size)
        return STATUS_BUFFER_TOO_SMALL;
    RtlCopyMemory(Buffer, Value, Size);
    return STATUS_SUCCESS;
}

/*
 * What the root bus can say without a registry: the PDO's name, its
 * hardware ID (REG_MULTI_SZ "ROOT\<SERVICE>"), the enumerator ("ROOT"),
 * the install state (installed) and the removal policy (a root device is
 * never removed by hardware). Properties kept in the registry on Windows
 * (description, class, driver key, manufacturer, friendly name, location,
 * boot configuration, compatible IDs, bus type, number and address, UI
 * number, resources): NOT_IMPLEMENTED. Not a PDO: INVALID_DEVICE_REQUEST;
 * an unknown property: INVALID_PARAMETER_2.
 */
NTKRNL_EXPORT NTSTATUS NTAPI IoGetDeviceProperty(PDEVICE_OBJECT DeviceObject,
                                                 DEVICE_REGISTRY_PROPERTY DeviceProperty,
                                                 ULONG BufferLength, PVOID PropertyBuffer,
                                                 PULONG ResultLength)
{
    WCHAR Text[IO_HOST_NAME_CHARS + 8];
    ULONG Length = 0, Value;

    *ResultLength = 0;
    if (!IopIsRootPdo(DeviceObject))
        return STATUS_INVALID_DEVICE_REQUEST;
    switch (DeviceProperty) {
    case DevicePropertyPhysicalDeviceObjectName:
        Length = min(IopDevice(DeviceObject)->Name.Length / sizeof(WCHAR), IO_HOST_NAME_CHARS);
        RtlCopyMemory(Text, IopDevice(DeviceObject)->Name.Buffer, Length * sizeof(WCHAR));
        Text[Length++] = 0;
        return IopReturnProperty(Text, Length * sizeof(WCHAR), BufferLength, PropertyBuffer,
                                 ResultLength);
    case DevicePropertyHardwareID:
        Length = 5;
        RtlCopyMemory(Text, L"ROOT\\", 5 * sizeof(WCHAR));
        Length += IopServiceName(Text + Length, IO_HOST_NAME_CHARS);
        Text[Length++] = 0;
        Text[Length++] = 0;
        return IopReturnProperty(Text, Length * sizeof(WCHAR), BufferLength, PropertyBuffer,
                                 ResultLength);
    case DevicePropertyEnumeratorName:
        return IopReturnProperty(L"ROOT", sizeof(L"ROOT"), BufferLength, PropertyBuffer,
                                 ResultLength);
    case DevicePropertyInstallState:
        Value = InstallStateInstalled;
        return IopReturnProperty(&Value, sizeof(Value), BufferLength, PropertyBuffer, ResultLength);
    case DevicePropertyRemovalPolicy:
        Value = RemovalPolicyExpectNoRemoval;
        return IopReturnProperty(&Value, sizeof(Value), BufferLength, PropertyBuffer, ResultLength);
    default:
        if ((ULONG)DeviceProperty > DevicePropertyContainerID)
            return STATUS_INVALID_PARAMETER_2;
        return STATUS_NOT_IMPLEMENTED;
    }
}

/* FIXME: no registry yet, so no device or driver keys. */
NTKRNL_EXPORT NTSTATUS NTAPI IoOpenDeviceRegistryKey(PDEVICE_OBJECT DeviceObject,
                                                     ULONG DevInstKeyType,
                                                     ACCESS_MASK DesiredAccess,
                                                     PHANDLE DevInstRegKey)
{
    *DevInstRegKey = NULL;
    return STATUS_NOT_IMPLEMENTED;
}
