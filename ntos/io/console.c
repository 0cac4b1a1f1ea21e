/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtDisplayString's screen (docs/io.md, "The console"): once a driver has
 * made \Device\Console, the text a process displays goes there as well as
 * to the serial line, as an IRP_MJ_WRITE that ntos sends on a file object
 * of its own. The file is opened at the first display after the device
 * appeared and dropped when a write fails (its driver ended, the device
 * went), so a console driver that is loaded again is found again. Text
 * from a driver process stays on the serial line: the console driver's own
 * DbgPrint would otherwise wait for itself.
 */
#include "iop.h"

static PFILE_OBJECT IopConsoleFile;
static bool IopConsoleOpening; /* a display is opening it: the others skip */
/* IopDeviceGeneration at the last open that found no console: a display
 * looks it up again only after a driver made a device. */
static ULONG IopConsoleMissedAt = ~0u;

static MAY_WAIT void IopOpenConsole(void)
{
    static const WCHAR Path[] = u"\\Device\\Console";
    UNICODE_STRING Name = {sizeof(Path) - sizeof(WCHAR), sizeof(Path), (WCHAR *)Path};
    IOP_OPEN_PACKET Packet = {
        .DesiredAccess = FILE_WRITE_DATA | SYNCHRONIZE,
        .ShareAccess = FILE_SHARE_READ | FILE_SHARE_WRITE,
        .Disposition = FILE_OPEN,
        .Options = FILE_SYNCHRONOUS_IO_NONALERT,
    };
    PVOID File = NULL;
    ULONG Generation = IopDeviceGeneration;

    IopConsoleOpening = true;
    if (NT_SUCCESS(
            ObReferenceObjectByName(&Name, OBJ_CASE_INSENSITIVE, IoFileObjectType, &Packet, &File)))
        IopConsoleFile = File;
    else
        IopConsoleMissedAt = Generation;
    IopConsoleOpening = false;
}

static MAY_WAIT NTSTATUS IopWriteConsole(PFILE_OBJECT File, const char *Text, ULONG Length)
{
    PDEVICE_OBJECT Device = File->DeviceObject;
    PIOP_IRP Irp;
    NTSTATUS Status;

    if (Device == NULL || Device->Deleted)
        return STATUS_NO_SUCH_DEVICE;
    Status = IopAllocateIrp(Device->DriverObject, Device, File, IRP_MJ_WRITE, &Irp);
    if (!NT_SUCCESS(Status))
        return Status;
    Irp->Request.Parameters[0] = Length;
    Status = IopMapKernelData(Irp, Text, Length);
    if (NT_SUCCESS(Status)) {
        Irp->Request.SystemBuffer = Irp->Name.DriverVa + Irp->Name.Offset;
        Irp->Request.IrpFlags |= IRP_BUFFERED_IO;
        Status = IopCallDriver(Irp, true);
    }
    IopDereferenceIrp(Irp);
    return Status;
}

MAY_WAIT void IoDisplayOnConsole(const char *Text, ULONG Length)
{
    PETHREAD Thread = KeGetCurrentThread();
    PFILE_OBJECT File;

    if (Length == 0 || Thread == NULL || Thread->Process->DriverHost || IopConsoleOpening)
        return;
    if (IopConsoleFile == NULL && IopConsoleMissedAt != IopDeviceGeneration)
        IopOpenConsole();
    File = IopConsoleFile;
    if (File == NULL)
        return;
    ObReferenceObject(File); /* another display may drop it while this one waits */
    if (NT_ERROR(IopWriteConsole(File, Text, Length)) && IopConsoleFile == File) {
        IopConsoleFile = NULL;
        IopConsoleMissedAt = ~0u; /* look again at the next display */
        ObDereferenceObject(File);
    }
    ObDereferenceObject(File);
}
