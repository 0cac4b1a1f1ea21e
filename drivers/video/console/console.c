/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * console.sys's entry: learn what the boot loader left on the screen
 * (NrQueryDisplayInfo, a Nereid export of the runtime found with
 * MmGetSystemRoutineAddress; without it a PC's VGA text mode is assumed, as
 * a legacy VGA driver would), map the video memory (MmMapIoSpace), create
 * \Device\Console, clear the screen. Writes go to the terminal
 * (terminal.c); create, cleanup, close and flush succeed; reads and other
 * requests are STATUS_INVALID_DEVICE_REQUEST (no keyboard here: that is
 * kbdclass). IOCTL_CONSOLE_QUERY_SCREEN (drivers/include/nrconsole.h)
 * reads the screen back.
 */
#include "console.h"
#include <nrconsole.h>

#define VGA_TEXT_BASE    0xB8000
#define VGA_TEXT_COLUMNS 80
#define VGA_TEXT_ROWS    25

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD ConUnload;
static DRIVER_DISPATCH ConDispatch;

static VOID ConAssumeVgaText(PNR_DISPLAY_INFO D)
{
    RtlZeroMemory(D, sizeof(*D));
    D->Kind = NR_DISPLAY_VGA_TEXT;
    D->Width = VGA_TEXT_COLUMNS;
    D->Height = VGA_TEXT_ROWS;
    D->Pitch = VGA_TEXT_COLUMNS * 2;
    D->PhysicalAddress = VGA_TEXT_BASE;
    D->Size = VGA_TEXT_COLUMNS * VGA_TEXT_ROWS * 2;
}

static NTSTATUS ConQueryDisplay(PNR_DISPLAY_INFO D)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"NrQueryDisplayInfo");
    PNR_QUERY_DISPLAY_INFO Query = (PNR_QUERY_DISPLAY_INFO)MmGetSystemRoutineAddress(&Name);
    if (!Query) {
        ConAssumeVgaText(D);
        return STATUS_SUCCESS;
    }
    NTSTATUS Status = Query(D, sizeof(*D));
    if (!NT_SUCCESS(Status))
        return Status;
    switch (D->Kind) {
    case NR_DISPLAY_VGA_TEXT:
        return D->Width && D->Height && D->Size >= (ULONGLONG)D->Width * D->Height * 2
                   ? STATUS_SUCCESS
                   : STATUS_INVALID_PARAMETER;
    case NR_DISPLAY_FRAMEBUFFER:
        return ConFramebufferCheck(D);
    default:
        return STATUS_NO_SUCH_DEVICE;
    }
}

/* Map the screen and size the grid. */
static NTSTATUS ConAttach(PCON_EXTENSION Ext)
{
    PHYSICAL_ADDRESS Physical;
    BOOLEAN Text = Ext->Display.Kind == NR_DISPLAY_VGA_TEXT;
    Ext->Backend = Text ? &ConVgaTextBackend : &ConFramebufferBackend;
    Ext->Columns = Text ? Ext->Display.Width : Ext->Display.Width / 8;
    Ext->Rows = Text ? Ext->Display.Height : Ext->Display.Height / 16;
    Ext->ScreenSize = (SIZE_T)Ext->Display.Size;
    Physical.QuadPart = (LONGLONG)Ext->Display.PhysicalAddress;
    Ext->Screen = MmMapIoSpace(Physical, Ext->ScreenSize, Text ? MmNonCached : MmWriteCombined);
    if (!Ext->Screen && !Text)
        Ext->Screen = MmMapIoSpace(Physical, Ext->ScreenSize, MmNonCached);
    if (!Ext->Screen)
        return STATUS_INSUFFICIENT_RESOURCES;
    Ext->Cells =
        ExAllocatePoolWithTag(NonPagedPool, Ext->Rows * Ext->Columns * sizeof(USHORT), CON_TAG);
    if (!Ext->Cells)
        return STATUS_INSUFFICIENT_RESOURCES;
    ConReset(Ext);
    Ext->Backend->ShowCursor(Ext);
    return STATUS_SUCCESS;
}

static NTSTATUS ConQueryScreen(PCON_EXTENSION Ext, PIRP Irp)
{
    ULONG Out = IoGetCurrentIrpStackLocation(Irp)->Parameters.DeviceIoControl.OutputBufferLength;
    PCONSOLE_SCREEN_INFO Info = Irp->AssociatedIrp.SystemBuffer;
    if (Out < sizeof(*Info))
        return STATUS_BUFFER_TOO_SMALL;
    Info->Kind = Ext->Display.Kind;
    Info->Columns = Ext->Columns;
    Info->Rows = Ext->Rows;
    Info->CursorColumn = Ext->Column >= Ext->Columns ? Ext->Columns - 1 : Ext->Column;
    Info->CursorRow = Ext->Row;
    Info->Reserved = 0;
    PUSHORT Cells = (PUSHORT)(Info + 1);
    ULONG Room = (Out - sizeof(*Info)) / sizeof(USHORT), Total = Ext->Rows * Ext->Columns;
    ULONG Count = Room < Total ? Room : Total;
    for (ULONG i = 0; i < Count; i++)
        Cells[i] = Ext->Backend->ReadCell(Ext, i / Ext->Columns, i % Ext->Columns);
    Irp->IoStatus.Information = sizeof(*Info) + Count * sizeof(USHORT);
    return Count < Total ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static NTSTATUS ConDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PCON_EXTENSION Ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    switch (Stack->MajorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
    case IRP_MJ_FLUSH_BUFFERS:
        break;
    case IRP_MJ_WRITE:
        ConWrite(Ext, Irp->AssociatedIrp.SystemBuffer, Stack->Parameters.Write.Length);
        Irp->IoStatus.Information = Stack->Parameters.Write.Length;
        break;
    case IRP_MJ_DEVICE_CONTROL:
        if (Stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_CONSOLE_QUERY_SCREEN)
            Status = ConQueryScreen(Ext, Irp);
        else
            Status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    default:
        Status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static VOID ConDestroy(PDRIVER_OBJECT DriverObject)
{
    PDEVICE_OBJECT DeviceObject = DriverObject->DeviceObject;
    if (!DeviceObject)
        return;
    PCON_EXTENSION Ext = DeviceObject->DeviceExtension;
    if (Ext->Cells)
        ExFreePoolWithTag(Ext->Cells, CON_TAG);
    if (Ext->Screen)
        MmUnmapIoSpace(Ext->Screen, Ext->ScreenSize);
    IoDeleteDevice(DeviceObject);
}

static VOID ConUnload(PDRIVER_OBJECT DriverObject)
{
    ConDestroy(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\Console");
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS Status =
        IoCreateDevice(DriverObject, sizeof(CON_EXTENSION), &Name, FILE_DEVICE_CONSOLE,
                       FILE_DEVICE_SECURE_OPEN, FALSE, &DeviceObject);
    if (!NT_SUCCESS(Status))
        return Status;
    PCON_EXTENSION Ext = DeviceObject->DeviceExtension;
    RtlZeroMemory(Ext, sizeof(*Ext));
    Status = ConQueryDisplay(&Ext->Display);
    if (NT_SUCCESS(Status))
        Status = ConAttach(Ext);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("console: no usable display (status 0x%lx)\n", Status);
        ConDestroy(DriverObject);
        return Status;
    }
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = ConDispatch;
    DriverObject->DriverUnload = ConUnload;
    DeviceObject->Flags |= DO_BUFFERED_IO;
    DeviceObject->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
