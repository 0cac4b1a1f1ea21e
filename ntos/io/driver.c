/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Drivers (type "Driver", \Driver\<Name>) and their processes. NtLoadDriver
 * takes the last component of the service key as the driver's name, finds
 * <name>.sys (lower case) in the system archive, names the driver object,
 * starts the driver runtime (ntoskrnl.exe <image> <key>) as a process
 * flagged DriverHost, and waits until the runtime reports DriverEntry's
 * status (iohost.h: completion Id 0) or the process ends. A driver process
 * that ends for any reason (NtUnloadDriver, exit, crash) fails its
 * outstanding IRPs, loses its devices and its name: it can be loaded again.
 */
#include "iop.h"
#include <ps.h>

#define IOP_MAX_DRIVER_NAME 40 /* <name>.sys fits the archive's names */

POBJECT_TYPE IoDriverObjectType;
PDRIVER_OBJECT IopDriverList; /* shell branch: every driver object, in load order (Next) */

static void IopDeleteDriver(PVOID Object)
{
    PDRIVER_OBJECT Driver = Object;

    ASSERT(Driver->Host == NULL && Driver->DeviceList == NULL);
    for (PDRIVER_OBJECT *Link = &IopDriverList; *Link; Link = &(*Link)->Next)
        if (*Link == Driver) {
            *Link = Driver->Next;
            break;
        }
    if (Driver->Process)
        ObDereferenceObject(Driver->Process);
}

NTSTATUS IopCreateDriverTypes(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = STANDARD_RIGHTS_ALL | 1u,
        .GenericMapping = {READ_CONTROL | 1u, READ_CONTROL, READ_CONTROL | 1u,
                           STANDARD_RIGHTS_ALL | 1u},
        .PoolTag = IOP_DRIVER_TAG,
        .DeleteProcedure = IopDeleteDriver,
    };
    NTSTATUS Status = IoDriverObjectType ? STATUS_SUCCESS
                                         : ObCreateObjectType("Driver", &Init, &IoDriverObjectType);

    if (NT_SUCCESS(Status) && IoDeviceObjectType == NULL)
        Status = IopCreateDeviceType();
    return Status;
}

/* The driver's name from its service key: its last component, checked. */
static NTSTATUS IopDriverName(const UNICODE_STRING *Key, WCHAR *Name, char *Image)
{
    ULONG Length = Key->Length / sizeof(WCHAR), Start = Length, i;

    while (Start > 0 && Key->Buffer[Start - 1] != '\\')
        Start--;
    if (Start == Length || Length - Start > IOP_MAX_DRIVER_NAME)
        return STATUS_OBJECT_NAME_INVALID;
    for (i = 0; Start + i < Length; i++) {
        WCHAR c = Key->Buffer[Start + i];
        bool Ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        if (!Ok)
            return STATUS_OBJECT_NAME_INVALID;
        Name[i] = c;
        Image[i] = (char)(c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c);
    }
    Name[i] = 0;
    memcpy(Image + i, ".sys", 5);
    return STATUS_SUCCESS;
}

/* \Driver\<Name> as a char path and as the object's WCHAR name. */
static void IopDriverPath(PDRIVER_OBJECT Driver, const WCHAR *Name, char *Path)
{
    static const char Prefix[] = "\\Driver\\";
    ULONG n = 0;

    for (ULONG i = 0; Prefix[i]; i++)
        Path[n] = Prefix[i], Driver->Name[n] = Prefix[i], n++;
    for (ULONG i = 0; Name[i]; i++)
        Path[n] = (char)Name[i], Driver->Name[n] = Name[i], n++;
    Path[n] = 0;
    Driver->Name[n] = 0;
}

/* The running driver named by a service key, referenced. */
static NTSTATUS IopLookupDriver(const UNICODE_STRING *Key, PDRIVER_OBJECT *Driver)
{
    WCHAR Name[IOP_MAX_DRIVER_NAME + 1], Path[IOP_MAX_DRIVER_NAME + 16];
    char Image[IOP_MAX_NAME + 1];
    UNICODE_STRING Full = {0, 0, Path};
    static const char Prefix[] = "\\Driver\\";
    NTSTATUS Status = IopDriverName(Key, Name, Image);
    ULONG n = 0;

    if (!NT_SUCCESS(Status))
        return Status;
    for (ULONG i = 0; Prefix[i]; i++)
        Path[n++] = Prefix[i];
    for (ULONG i = 0; Name[i]; i++)
        Path[n++] = Name[i];
    Full.Length = Full.MaximumLength = (USHORT)(n * sizeof(WCHAR));
    return ObReferenceObjectByName(&Full, OBJ_CASE_INSENSITIVE, IoDriverObjectType, NULL,
                                   (PVOID *)Driver);
}

/* Start the runtime with the driver; DriverHost set before it runs. */
static NTSTATUS IopStartDriverProcess(PDRIVER_OBJECT Driver)
{
    WCHAR CommandLine[32 + 2 * IO_HOST_NAME_CHARS];
    static const char Runtime[] = "ntoskrnl.exe ";
    PEPROCESS Process;
    ULONG n = 0;
    NTSTATUS Status;

    for (ULONG i = 0; Runtime[i]; i++)
        CommandLine[n++] = Runtime[i];
    for (ULONG i = 0; Driver->ImageName[i]; i++)
        CommandLine[n++] = Driver->ImageName[i];
    CommandLine[n++] = ' ';
    for (ULONG i = 0; Driver->ServiceKey[i] && n + 1 < ARRAYSIZE(CommandLine); i++)
        CommandLine[n++] = Driver->ServiceKey[i];
    CommandLine[n] = 0;
    Status = PsCreateProcessFromArchive("ntoskrnl.exe", CommandLine, &Process);
    if (Status == STATUS_OBJECT_NAME_NOT_FOUND)
        return STATUS_DRIVER_UNABLE_TO_LOAD; /* no runtime in the archive */
    if (!NT_SUCCESS(Status))
        return Status;
    ObReferenceObject(Process);
    Driver->Process = Process;
    Process->DriverHost = true;
    Process->DriverObject = Driver;
    return STATUS_SUCCESS;
}

NTSTATUS NtLoadDriver(const UNICODE_STRING *DriverServiceName)
{
    WCHAR Name[IOP_MAX_DRIVER_NAME + 1];
    char Image[IOP_MAX_NAME + 1], Path[IOP_MAX_DRIVER_NAME + 16];
    PDRIVER_OBJECT Driver;
    DISPATCHER_HEADER *Loaded;
    const void *Data;
    SIZE_T Size;
    NTSTATUS Status = IoInitSystem();

    if (NT_SUCCESS(Status))
        Status = IopDriverName(DriverServiceName, Name, Image);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!KeFindArchiveFile(Image, &Data, &Size))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    if (NT_SUCCESS(IopLookupDriver(DriverServiceName, &Driver))) {
        ObDereferenceObject(Driver);
        return STATUS_IMAGE_ALREADY_LOADED;
    }
    Status = ObCreateObject(IoDriverObjectType, sizeof(*Driver), (PVOID *)&Driver);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeDispatcherHeader(&Driver->Loaded, KiNotificationObject, 0);
    for (PDRIVER_OBJECT *Link = &IopDriverList;; Link = &(*Link)->Next)
        if (*Link == NULL) {
            *Link = Driver; /* last: the list stays in load order */
            break;
        }
    memcpy(Driver->ImageName, Image, sizeof(Driver->ImageName));
    for (ULONG i = 0; i < DriverServiceName->Length / 2 && i + 1 < IO_HOST_NAME_CHARS; i++)
        Driver->ServiceKey[i] = DriverServiceName->Buffer[i];
    IopDriverPath(Driver, Name, Path);
    Status = ObInsertPermanentObject(Driver, Path);
    if (!NT_SUCCESS(Status))
        goto out;
    Driver->Named = true;
    Status = IopStartDriverProcess(Driver);
    if (!NT_SUCCESS(Status)) {
        ObMakeTemporaryObject(Driver);
        Driver->Named = false;
        goto out;
    }
    /* DriverEntry's status, or the process's end (IoDriverProcessEnded). */
    Loaded = &Driver->Loaded;
    Status = KeWaitForMultipleObjects(1, &Loaded, false, false, NULL);
    if (Status == STATUS_WAIT_0)
        Status = Driver->EntryStatus;
    /* pnp: a WDM driver gets its root PDO, AddDevice and START first; a
     * device that did not start takes its driver with it, also when the
     * caller's thread ends meanwhile (nothing could unload it later). */
    if (NT_SUCCESS(Status) && (Driver->EntryFlags & IO_HOST_ENTRY_ADD_DEVICE) && !Driver->Ended) {
        Status = IopPnpAddRootDevice(Driver);
        if (!NT_SUCCESS(Status) && !Driver->Ended)
            PsTerminateProcess(Driver->Process, Status);
    }
    if (NT_SUCCESS(Status))
        Driver->Started = true;
    else if (!Driver->Ended && Status != STATUS_THREAD_IS_TERMINATING)
        PsTerminateProcess(Driver->Process, Status); /* its end removes the rest */
out:
    ObDereferenceObject(Driver);
    return Status;
}

NTSTATUS NtUnloadDriver(const UNICODE_STRING *DriverServiceName)
{
    PDRIVER_OBJECT Driver;
    PIOP_IRP Irp;
    NTSTATUS Status = IoInitSystem();

    if (NT_SUCCESS(Status))
        Status = IopLookupDriver(DriverServiceName, &Driver);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!Driver->Started || Driver->Ended || Driver->Host == NULL) {
        ObDereferenceObject(Driver);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    Status = IopPnpRemoveDevices(Driver); /* pnp: QUERY_REMOVE may veto */
    if (NT_SUCCESS(Status))
        Status = IopAllocateIrp(Driver, NULL, NULL, 0, &Irp);
    if (NT_SUCCESS(Status)) {
        Irp->Request.Operation = IO_HOST_OP_UNLOAD;
        Status = IopCallDriver(Irp, true);
        IopDereferenceIrp(Irp);
    }
    /* The runtime refuses a driver without DriverUnload; a driver whose
     * process died meanwhile is gone already. */
    if (Status == STATUS_DRIVER_PROCESS_TERMINATED)
        Status = STATUS_SUCCESS;
    else if (NT_SUCCESS(Status) && !Driver->Ended)
        PsTerminateProcess(Driver->Process, STATUS_SUCCESS);
    ObDereferenceObject(Driver);
    return Status;
}

void IoDriverProcessEnded(PEPROCESS Process)
{
    PDRIVER_OBJECT Driver = Process->DriverObject;
    PIOP_HOST Host;

    if (Driver == NULL)
        return;
    ObReferenceObject(Driver);
    Driver->Ended = true;
    IopXcallDriverEnded(Driver); /* xcall */
    Host = Driver->Host;
    Driver->Host = NULL;
    if (Host)
        IopFailHost(Host);
    IopPnpDriverEnded(Driver); /* pnp: its PDOs */
    while (Driver->DeviceList)
        IopDeleteDevice(Driver->DeviceList);
    if (Driver->Named) {
        Driver->Named = false;
        ObMakeTemporaryObject(Driver);
    }
    if (Driver->Loaded.SignalState == 0) {
        Driver->EntryStatus = STATUS_DRIVER_UNABLE_TO_LOAD;
        KeSignalObject(&Driver->Loaded, 1);
    }
    Process->DriverObject = NULL;
    ObDereferenceObject(Driver);
}
