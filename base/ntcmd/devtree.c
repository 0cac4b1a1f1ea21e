/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * devtree: the drivers and their devices, as Windows' device tree tools
 * show them. The drivers are the entries of \Driver (each with the process
 * it runs in and its image, from ps's reading of driver command lines);
 * under each one its device objects from NtQuerySystemInformation's
 * Nereid class SystemNereidDeviceInformation (name or "(unnamed)", type,
 * DO_* flags), and under a device the devices attached above it in its
 * stack, one indent a level. A device that is itself attached says onto
 * which device. Devices of a driver no longer in \Driver come last.
 */
#include "ntcmd.h"

typedef SYSTEM_NEREID_DEVICE_INFORMATION CMD_DEVICE;

typedef struct _CMD_DEVTREE {
    PUCHAR List; /* the records, chained */
    ULONG Drivers, Devices;
} CMD_DEVTREE;

#define DO_BUFFERED_IO 0x00000004u
#define DO_EXCLUSIVE   0x00000008u
#define DO_DIRECT_IO   0x00000010u

static NTSTATUS CmdQueryDevices(PUCHAR *List)
{
    ULONG Length = 0x2000, Needed = 0;
    NTSTATUS Status;

    /* Devices may come between the two calls: ask again with room to spare. */
    for (;;) {
        *List = RtlAllocateHeap(CmdPeb()->ProcessHeap, 0, Length);
        if (*List == NULL)
            return STATUS_NO_MEMORY;
        Status = NtQuerySystemInformation(SystemNereidDeviceInformation, *List, Length, &Needed);
        if (NT_SUCCESS(Status) && Needed == 0)
            ((CMD_DEVICE *)*List)->Index = 0; /* no device at all */
        if (NT_SUCCESS(Status))
            return Status;
        RtlFreeHeap(CmdPeb()->ProcessHeap, 0, *List);
        *List = NULL;
        if (Status != STATUS_INFO_LENGTH_MISMATCH)
            return Status;
        Length = Needed + 0x1000;
    }
}

static const CMD_DEVICE *CmdNextDevice(const UCHAR *List, const CMD_DEVICE *Device)
{
    if (Device == NULL)
        return ((const CMD_DEVICE *)List)->Index ? (const CMD_DEVICE *)List : NULL;
    if (Device->NextEntryOffset == 0)
        return NULL;
    return (const CMD_DEVICE *)((const UCHAR *)Device + Device->NextEntryOffset);
}

static const CMD_DEVICE *CmdDeviceByIndex(const UCHAR *List, ULONG Index)
{
    const CMD_DEVICE *Device = NULL;

    while ((Device = CmdNextDevice(List, Device)) != NULL)
        if (Device->Index == Index)
            return Device;
    return NULL;
}

/* FILE_DEVICE_* names of the types the drivers here use (ntddk.h values). */
static PCSTR CmdDeviceTypeName(ULONG Type)
{
    static const struct {
        ULONG Type;
        PCSTR Name;
    } Names[] = {
        {0x01, "beep"},     {0x04, "controller"}, {0x07, "disk"},  {0x08, "disk file system"},
        {0x0b, "keyboard"}, {0x0f, "mouse"},      {0x15, "null"},  {0x1b, "serial port"},
        {0x1c, "screen"},   {0x22, "unknown"},    {0x23, "video"}, {0x27, "8042 port"},
        {0x50, "console"}};

    for (ULONG i = 0; i < ARRAYSIZE(Names); i++)
        if (Names[i].Type == Type)
            return Names[i].Name;
    return NULL;
}

static VOID CmdDeviceName(const CMD_DEVICE *Device, PCHAR Out, ULONG Size)
{
    if (Device->DeviceName.Length)
        CmdNarrow(&Device->DeviceName, Out, Size);
    else
        _snprintf(Out, Size - 1, "(unnamed)"), Out[Size - 1] = 0;
}

/* "  \Device\Serial0  serial port, buffered, exclusive" at Depth. */
static VOID CmdPrintDevice(const UCHAR *List, const CMD_DEVICE *Device, ULONG Depth)
{
    CHAR Name[CMD_PATH_MAX], Type[32], Below[CMD_PATH_MAX];
    PCSTR TypeName = CmdDeviceTypeName(Device->DeviceType);
    const CMD_DEVICE *Lower = CmdDeviceByIndex(List, Device->AttachedTo);

    CmdDeviceName(Device, Name, sizeof(Name));
    _snprintf(Type, sizeof(Type) - 1, "type 0x%lx", Device->DeviceType);
    Type[sizeof(Type) - 1] = 0;
    CmdPrint("%*s%-*s %s%s%s%s", (int)(2 + 2 * Depth), "", (int)(Depth < 8 ? 26 - 2 * Depth : 10),
             Name, TypeName ? TypeName : Type, Device->Flags & DO_BUFFERED_IO ? ", buffered" : "",
             Device->Flags & DO_DIRECT_IO ? ", direct" : "",
             Device->Flags & DO_EXCLUSIVE ? ", exclusive" : "");
    if (Depth == 0 && Lower != NULL) {
        CHAR Driver[CMD_PATH_MAX];

        CmdDeviceName(Lower, Below, sizeof(Below));
        CmdNarrow(&Lower->DriverName, Driver, sizeof(Driver));
        CmdPrint(", attached to %s (%s)", Below, Driver);
    } else if (Depth > 0) {
        CHAR Driver[CMD_PATH_MAX];

        CmdNarrow(&Device->DriverName, Driver, sizeof(Driver));
        CmdPrint(" (%s)", Driver);
    }
    CmdPrint("\n");
}

/* A device; at the bottom of a stack, then the ones stacked above it,
 * each a level further in (a device attached onto another says onto what
 * instead: its stack shows under the bottom one). */
static VOID CmdPrintStack(const UCHAR *List, const CMD_DEVICE *Device)
{
    ULONG Depth = 0;

    CmdPrintDevice(List, Device, 0);
    if (Device->AttachedTo != 0)
        return;
    /* The chain ends: a stack holds each device once (Depth bounds a bad list). */
    while ((Device = CmdDeviceByIndex(List, Device->AttachedDevice)) != NULL && ++Depth < 16)
        CmdPrintDevice(List, Device, Depth);
}

/* The devices whose driver is Path ("\Driver\Serial"), each marked as
 * shown; Path NULL: those not shown yet, each with its driver's name. */
static ULONG CmdPrintDevicesOf(const UCHAR *List, PCSTR Path)
{
    const CMD_DEVICE *Device = NULL;
    ULONG Count = 0;

    while ((Device = CmdNextDevice(List, Device)) != NULL) {
        CHAR Driver[CMD_PATH_MAX];

        CmdNarrow(&Device->DriverName, Driver, sizeof(Driver));
        if (Path == NULL ? Device->Reserved == 0 : _stricmp(Driver, Path) == 0) {
            if (Path == NULL)
                CmdPrint("%s (not in \\Driver)\n", Driver);
            CmdPrintStack(List, Device);
            ((CMD_DEVICE *)Device)->Reserved = 1; /* our copy: shown */
            Count++;
        }
    }
    return Count;
}

/* The driver process that runs <Name>.sys, or 0. */
static ULONG CmdDriverProcess(PCSTR Name)
{
    const SYSTEM_PROCESS_INFORMATION *Process = NULL;
    CHAR Image[64], Wanted[64];
    ULONG Found = 0;
    PUCHAR List;

    if (!NT_SUCCESS(CmdQueryProcesses(&List)))
        return 0;
    _snprintf(Wanted, sizeof(Wanted) - 1, "%s.sys", Name);
    Wanted[sizeof(Wanted) - 1] = 0;
    while (!Found && (Process = CmdNextProcess(List, Process)) != NULL) {
        ULONG Pid = (ULONG)Process->UniqueProcessId;

        if (CmdDriverOfProcess(Pid, Image, sizeof(Image)) && _stricmp(Image, Wanted) == 0)
            Found = Pid;
    }
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, List);
    return Found;
}

static VOID CmdDriverEntry(PCSTR Directory, PCSTR Name, PCSTR Type, PVOID Context)
{
    CMD_DEVTREE *Tree = Context;
    CHAR Path[CMD_PATH_MAX];
    ULONG Pid;

    if (strcmp(Type, "Driver") != 0)
        return;
    Pid = CmdDriverProcess(Name);
    _snprintf(Path, sizeof(Path) - 1, "%s\\%s", Directory, Name);
    Path[sizeof(Path) - 1] = 0;
    Tree->Drivers++;
    if (Pid)
        CmdPrint("%s (%s.sys, process %lu)\n", Path, Name, Pid);
    else
        CmdPrint("%s (no process)\n", Path);
    Tree->Devices += CmdPrintDevicesOf(Tree->List, Path);
}

NTSTATUS CmdDevtree(CMD_ARGS *Args)
{
    CMD_DEVTREE Tree = {0};
    const CMD_DEVICE *Device = NULL;
    ULONG Total = 0;
    NTSTATUS Status;

    (void)Args;
    Status = CmdQueryDevices(&Tree.List);
    if (!NT_SUCCESS(Status)) {
        CmdPrintError("devtree", Status);
        return Status;
    }
    Status = CmdListDirectory("\\Driver", CmdDriverEntry, &Tree);
    if (!NT_SUCCESS(Status))
        CmdPrintError("devtree: \\Driver", Status);
    while ((Device = CmdNextDevice(Tree.List, Device)) != NULL)
        Total++;
    /* A driver gone from \Driver (its process is ending) may keep its
     * devices a moment: show them rather than lose them. */
    if (Total > Tree.Devices)
        CmdPrintDevicesOf(Tree.List, NULL);
    CmdPrint("%lu driver(s), %lu device(s)\n", Tree.Drivers, Total);
    RtlFreeHeap(CmdPeb()->ProcessHeap, 0, Tree.List);
    return Status;
}
