/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A hostile driver for the tests of calls between driver processes
 * (base/ntapitest/xcall.c, nt.xcall_hostile_driver_calls): it calls
 * NtDriverCallDriver and NtDriverQueryDevice itself (imported from
 * ntdll.dll, ntdllxcall.def), as a broken or malicious driver could, with
 * bad requests, addresses, lengths, handles and major functions, and
 * returns what ntos said to each. ntos must refuse each with a status and
 * stay up; one valid call shows the tester itself can succeed (its
 * completion comes back as a call this runtime never made, which the
 * runtime ignores).
 */
#include <ntddk.h>
#include "xcallbad.h"
#include "../iotest/iotest.h"
#include "../../../include/nt/iohost.h"

NTSYSAPI NTSTATUS NTAPI NtDriverCallDriver(HANDLE DeviceHandle, PVOID Request);
NTSYSAPI NTSTATUS NTAPI NtDriverQueryDevice(HANDLE DeviceHandle, PVOID Info, ULONG Length);

static PDEVICE_OBJECT Control;
static const UCHAR ReadOnly[64] = "read-only data of the driver image";
static UCHAR Buffer[64];

static NTSTATUS Call(HANDLE Handle, UCHAR Major, ULONG64 A0, ULONG64 A1, ULONG64 A2,
                     ULONG64 SystemBuffer, ULONG64 MdlVa, ULONG MdlLength)
{
    IO_HOST_CALL Request;

    RtlZeroMemory(&Request, sizeof(Request));
    Request.Irp = 0x5151;
    Request.MajorFunction = Major;
    Request.Parameters[0] = A0;
    Request.Parameters[1] = A1;
    Request.Parameters[2] = A2;
    Request.SystemBuffer = SystemBuffer;
    Request.MdlVa = MdlVa;
    Request.MdlLength = MdlLength;
    return NtDriverCallDriver(Handle, &Request);
}

static VOID Run(HANDLE File, NTSTATUS *Results)
{
    ULONG64 Good = (ULONG64)(ULONG_PTR)Buffer;
    DRIVER_DEVICE_INFO Info;
    IO_HOST_CALL Request;
    ULONG i = 0;

    Results[i++] = NtDriverCallDriver(File, NULL);
    Results[i++] = NtDriverCallDriver(File, (PVOID)(ULONG_PTR)0xFFFF800000001000ull);
    RtlZeroMemory(&Request, sizeof(Request));
    Request.Irp = 1;
    Request.Operation = 9;
    Results[i++] = NtDriverCallDriver(File, &Request);
    Request.Operation = IO_HOST_CALL_IRP;
    Request.Irp = 0;
    Request.MajorFunction = IRP_MJ_READ;
    Results[i++] = NtDriverCallDriver(File, &Request);
    Results[i++] = Call((HANDLE)(ULONG_PTR)0x12340, IRP_MJ_READ, 0, 0, 0, 0, 0, 0);
    Results[i++] = Call(NtCurrentProcess(), IRP_MJ_READ, 0, 0, 0, 0, 0, 0);
    Results[i++] = Call(File, IRP_MJ_PNP, 0, 0, 0, 0, 0, 0);
    Results[i++] = Call(File, 0xFF, 0, 0, 0, 0, 0, 0);
    Results[i++] = Call(File, IRP_MJ_CREATE, 0, 0, 0, 0, 0, 0);
    Results[i++] = Call(File, IRP_MJ_READ, 16, 0, 0, 0x1000, 0, 0);
    Results[i++] = Call(File, IRP_MJ_READ, 0x80000000u, 0, 0, Good, 0, 0);
    Results[i++] = Call(File, IRP_MJ_READ, 16, 0, 0, 0, Good, 8);
    Results[i++] = Call(File, IRP_MJ_DEVICE_CONTROL, 0, 4, IOCTL_IOTEST_NEITHER, Good, 0, 0);
    Results[i++] = Call(File, IRP_MJ_DEVICE_CONTROL, 64, 0, IOCTL_IOTEST_FILL_OUT, 0, 0, 0);
    Results[i++] = Call(File, IRP_MJ_READ, 16, 0, 0, (ULONG64)(ULONG_PTR)ReadOnly, 0, 0);
    RtlZeroMemory(&Request, sizeof(Request));
    Request.Operation = IO_HOST_CALL_CANCEL;
    Request.Irp = 0x7777;
    Results[i++] = NtDriverCallDriver(File, &Request);
    Results[i++] = NtDriverQueryDevice(File, &Info, sizeof(Info) - 1);
    Results[i++] = NtDriverQueryDevice(File, (PVOID)(ULONG_PTR)0x1000, sizeof(Info));
    Results[i++] = NtDriverQueryDevice(File, &Info, sizeof(Info));
    /* The tester can succeed: a good read goes (its completion is a stray). */
    Results[i++] = Call(File, IRP_MJ_READ, 16, 0, 0, Good, 0, 0);
    ASSERT(i == XCALLBAD_CASES);
}

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS NTAPI Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    HANDLE File;
    NTSTATUS Status;

    (void)DeviceObject;
    if (Stack->MajorFunction != IRP_MJ_DEVICE_CONTROL)
        return Complete(Irp, STATUS_SUCCESS, 0);
    if (Stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_XCALLBAD_RUN ||
        Stack->Parameters.DeviceIoControl.OutputBufferLength < XCALLBAD_CASES * sizeof(NTSTATUS))
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    RtlInitUnicodeString(&Name, L"\\Device\\IoTestBuffered");
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL,
                               NULL);
    Status = ZwOpenFile(&File, FILE_READ_DATA, &Attributes, &Iosb, 0, FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        return Complete(Irp, Status, 0);
    Run(File, Irp->AssociatedIrp.SystemBuffer);
    ZwClose(File);
    return Complete(Irp, STATUS_SUCCESS, XCALLBAD_CASES * sizeof(NTSTATUS));
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name;
    NTSTATUS Status;

    (void)RegistryPath;
    RtlInitUnicodeString(&Name, L"\\Device\\XcallBad");
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Control);
    if (!NT_SUCCESS(Status))
        return Status;
    Control->Flags |= DO_BUFFERED_IO;
    Control->Flags &= ~DO_DEVICE_INITIALIZING;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = Dispatch;
    return STATUS_SUCCESS;
}
