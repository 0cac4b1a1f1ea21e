/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/driver.c: the DRIVER_OBJECT of the hosted driver (ddk layout), made
 * once by NtProcessStartup, and the runtime's memory for its own objects.
 */

#include "iop.h"

#include <ntimage.h>

/* Windows' DRIVER_EXTENSION continues past the ddk's four fields
 * (ClientDriverExtension, FsFilterCallbacks, ...): room for them, zeroed. */
#define IOP_DRIVER_EXTENSION_SIZE 0x80

PVOID IopAllocate(SIZE_T Size)
{
    PVOID Heap = *(PVOID *)((PUCHAR)KrnlCurrentPeb() + KRNL_PEB_PROCESS_HEAP);

    return RtlAllocateHeap(Heap, HEAP_ZERO_MEMORY, Size);
}

VOID IopFree(PVOID Block)
{
    PVOID Heap = *(PVOID *)((PUCHAR)KrnlCurrentPeb() + KRNL_PEB_PROCESS_HEAP);

    if (Block != NULL)
        RtlFreeHeap(Heap, 0, Block);
}

/* The dispatch routine of every major function the driver leaves alone:
 * Windows completes such IRPs with STATUS_INVALID_DEVICE_REQUEST. */
NTSTATUS NTAPI IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

/* The driver object with its extension in one block, an Ob object of
 * krnlrt's (ObpDriverType) that lives as long as the process; DriverName and
 * HardwareDatabase point into IopHostInfo / a constant, which live as long
 * as the process. */
NTSTATUS IopCreateDriverObject(PDRIVER_OBJECT *DriverObject)
{
    static WCHAR HardwareDatabase[] = L"\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM";
    static UNICODE_STRING HardwareDatabaseString;
    PDRIVER_OBJECT Driver;
    ULONG Index;

    if (!NT_SUCCESS(ObpCreateObject(
            &ObpDriverType, sizeof(DRIVER_OBJECT) + IOP_DRIVER_EXTENSION_SIZE, (PVOID *)&Driver)))
        return STATUS_INSUFFICIENT_RESOURCES;
    Driver->Type = IO_TYPE_DRIVER;
    Driver->Size = sizeof(DRIVER_OBJECT);
    Driver->Flags = DRVO_LEGACY_DRIVER;
    Driver->DriverExtension = (PDRIVER_EXTENSION)(Driver + 1);
    Driver->DriverExtension->DriverObject = Driver;
    RtlInitUnicodeString(&Driver->DriverName, (PCWSTR)IopHostInfo.DriverName);
    RtlInitUnicodeString(&HardwareDatabaseString, HardwareDatabase);
    Driver->HardwareDatabase = &HardwareDatabaseString;
    for (Index = 0; Index <= IRP_MJ_MAXIMUM_FUNCTION; Index++)
        Driver->MajorFunction[Index] = IopInvalidDeviceRequest;
    *DriverObject = Driver;
    return STATUS_SUCCESS;
}

/* The image's exception directory (.pdata), or none. */
static VOID IopFindExceptionTable(IOP_DRIVER_SECTION *Section, PUCHAR Base, SIZE_T Size)
{
    PIMAGE_NT_HEADERS64 Nt = (PIMAGE_NT_HEADERS64)(Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
    PIMAGE_DATA_DIRECTORY Directory;

    if (Nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXCEPTION)
        return;
    Directory = &Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXCEPTION];
    if (Directory->VirtualAddress == 0 || Directory->VirtualAddress >= Size ||
        Directory->Size > Size - Directory->VirtualAddress)
        return;
    Section->ExceptionTable = Base + Directory->VirtualAddress;
    Section->ExceptionTableSize = Directory->Size;
}

/* The loader checked the headers (ldr/image.c) before this runs. */
NTSTATUS IopDescribeDriverImage(PDRIVER_OBJECT Driver, PVOID Base, SIZE_T Size,
                                PDRIVER_INITIALIZE Entry, PCUNICODE_STRING ImageName)
{
    IOP_DRIVER_SECTION *Section = IopAllocate(sizeof(*Section) + ImageName->Length);
    USHORT Start = ImageName->Length / sizeof(WCHAR);

    if (Section == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    InitializeListHead(&Section->InLoadOrderLinks);
    Section->DllBase = Base;
    Section->EntryPoint = (PVOID)Entry;
    Section->SizeOfImage = (ULONG)Size;
    Section->FullDllName.Buffer = (PWCH)(Section + 1);
    Section->FullDllName.Length = Section->FullDllName.MaximumLength = ImageName->Length;
    RtlCopyMemory(Section->FullDllName.Buffer, ImageName->Buffer, ImageName->Length);
    while (Start > 0 && ImageName->Buffer[Start - 1] != L'\\')
        Start--;
    Section->BaseDllName.Buffer = Section->FullDllName.Buffer + Start;
    Section->BaseDllName.Length = Section->BaseDllName.MaximumLength =
        ImageName->Length - Start * sizeof(WCHAR);
    Section->LoadCount = 1;
    IopFindExceptionTable(Section, Base, Size);
    Driver->DriverStart = Base;
    Driver->DriverSize = (ULONG)Size;
    Driver->DriverInit = Entry;
    Driver->DriverSection = Section;
    return STATUS_SUCCESS;
}
