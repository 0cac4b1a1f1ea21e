/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A driver for the hardware-access tests (base/ntapitest/hal.c), built
 * with the stock ddk headers. \Device\HalTest answers four control codes
 * (haltest.h), each running one test inside the driver and reporting a
 * HALTEST_RESULT:
 *
 *   RTC     HalGetInterruptVector for ISA IRQ 8, IoConnectInterrupt, the
 *           RTC's periodic interrupt enabled through ports 0x70/0x71 under
 *           KeSynchronizeExecution; the ISR reads register C (which lets
 *           the RTC interrupt again), counts, and queues a DPC
 *           (KeInsertQueueDpc) that sets an event after HALTEST_INTERRUPTS;
 *           a second object shares the line (ShareVector) and is called
 *           too, one that will not share is refused; then the interrupt is
 *           switched off and both are disconnected.
 *   VGA     NrQueryDisplayInfo (found with MmGetSystemRoutineAddress) says
 *           VGA text; MmMapIoSpace of the 96 bytes after the 80x25 screen,
 *           mapped twice: what one mapping writes the other reads;
 *           MmGetPhysicalAddress; MmUnmapIoSpace.
 *   CONTIG  MmAllocateContiguousMemory(SpecifyCache) of three pages below
 *           4 GiB, physically contiguous by MmGetPhysicalAddress, zeroed,
 *           written, freed.
 *   BUS     HalGetBusData of PCI 00:00.0 and of an empty slot,
 *           HalTranslateBusAddress, KeStallExecutionProcessor against the
 *           performance counter.
 */
#include <ntddk.h>
#include <nrdisplay.h>
#include "haltest.h"

#define CMOS_INDEX    0x70
#define CMOS_DATA     0x71
#define CMOS_STATUS_A 0x0a
#define CMOS_STATUS_B 0x0b
#define CMOS_STATUS_C 0x0c
#define CMOS_PIE      0x40
#define CMOS_1024HZ   0x26
#define VGA_SPARE     (0xb8000 + 4000)

/* Legacy HAL routines: mingw-w64's ddk hides them (NO_LEGACY_DRIVERS)
 * unless USE_DMA_MACROS is set; a legacy driver declares them itself. */
NTHALAPI ULONG NTAPI HalGetInterruptVector(INTERFACE_TYPE InterfaceType, ULONG BusNumber,
                                           ULONG BusInterruptLevel, ULONG BusInterruptVector,
                                           PKIRQL Irql, PKAFFINITY Affinity);
NTHALAPI ULONG NTAPI HalGetBusData(BUS_DATA_TYPE BusDataType, ULONG BusNumber, ULONG SlotNumber,
                                   PVOID Buffer, ULONG Length);

#define TRY(c)                                                                                     \
    do {                                                                                           \
        if (!(c) && Result->Failed == 0)                                                           \
            Result->Failed = __LINE__;                                                             \
    } while (0)

static PDEVICE_OBJECT Device;

/* ---- RTC interrupt ------------------------------------------------------------------------ */

typedef struct _RTC_TEST {
    PKINTERRUPT Interrupt, Sharer;
    volatile LONG SharerCalls;
    KDPC Dpc;
    KEVENT Done;
    volatile LONG Interrupts, DpcRuns;
    UCHAR StatusB;
} RTC_TEST;

static UCHAR ReadCmos(UCHAR Register)
{
    WRITE_PORT_UCHAR((PUCHAR)CMOS_INDEX, Register);
    return READ_PORT_UCHAR((PUCHAR)CMOS_DATA);
}

static VOID WriteCmos(UCHAR Register, UCHAR Value)
{
    WRITE_PORT_UCHAR((PUCHAR)CMOS_INDEX, Register);
    WRITE_PORT_UCHAR((PUCHAR)CMOS_DATA, Value);
}

static BOOLEAN NTAPI RtcIsr(PKINTERRUPT Interrupt, PVOID Context)
{
    RTC_TEST *Test = Context;

    (void)Interrupt;
    if (!(ReadCmos(CMOS_STATUS_C) & CMOS_PIE))
        return FALSE; /* not the periodic interrupt */
    if (InterlockedIncrement(&Test->Interrupts) <= HALTEST_INTERRUPTS)
        KeInsertQueueDpc(&Test->Dpc, NULL, NULL);
    return TRUE;
}

/* A second object on the line (ShareVector): called at every interrupt too. */
static BOOLEAN NTAPI SharerIsr(PKINTERRUPT Interrupt, PVOID Context)
{
    RTC_TEST *Test = Context;

    (void)Interrupt;
    InterlockedIncrement(&Test->SharerCalls);
    return FALSE;
}

static VOID NTAPI RtcDpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    RTC_TEST *Test = Context;

    (void)Dpc, (void)Argument1, (void)Argument2;
    if (InterlockedIncrement(&Test->DpcRuns) >= HALTEST_INTERRUPTS ||
        Test->Interrupts >= HALTEST_INTERRUPTS)
        KeSetEvent(&Test->Done, IO_NO_INCREMENT, FALSE);
}

/* Under the interrupt's lock: the ISR uses the index port too. */
static BOOLEAN NTAPI RtcEnable(PVOID Context)
{
    RTC_TEST *Test = Context;

    WriteCmos(CMOS_STATUS_A, CMOS_1024HZ);
    Test->StatusB = ReadCmos(CMOS_STATUS_B);
    ReadCmos(CMOS_STATUS_C);
    WriteCmos(CMOS_STATUS_B, Test->StatusB | CMOS_PIE);
    return TRUE;
}

static BOOLEAN NTAPI RtcDisable(PVOID Context)
{
    RTC_TEST *Test = Context;

    WriteCmos(CMOS_STATUS_B, Test->StatusB & ~CMOS_PIE);
    ReadCmos(CMOS_STATUS_C);
    return TRUE;
}

static VOID TestRtc(HALTEST_RESULT *Result)
{
    static RTC_TEST Test;
    LARGE_INTEGER Timeout = {.QuadPart = -20000000}; /* 2 s */
    KIRQL Irql = 0;
    KAFFINITY Affinity = 0;
    ULONG Vector = HalGetInterruptVector(Isa, 0, 8, 8, &Irql, &Affinity);
    NTSTATUS Status;

    RtlZeroMemory(&Test, sizeof(Test));
    Result->Vector = Vector;
    Result->Irql = Irql;
    TRY(Vector != 0 && Irql > DISPATCH_LEVEL && (Affinity & 1));
    KeInitializeDpc(&Test.Dpc, RtcDpc, &Test);
    KeInitializeEvent(&Test.Done, NotificationEvent, FALSE);
    Status = IoConnectInterrupt(&Test.Interrupt, RtcIsr, &Test, NULL, Vector, Irql, Irql, Latched,
                                TRUE, Affinity, FALSE);
    TRY(NT_SUCCESS(Status));
    if (!NT_SUCCESS(Status))
        return;
    /* A sharer joins the line; an object that will not share is refused. */
    TRY(IoConnectInterrupt(&Test.Sharer, SharerIsr, &Test, NULL, Vector, Irql, Irql, Latched, FALSE,
                           Affinity, FALSE) == STATUS_INVALID_PARAMETER);
    Status = IoConnectInterrupt(&Test.Sharer, SharerIsr, &Test, NULL, Vector, Irql, Irql, Latched,
                                TRUE, Affinity, FALSE);
    TRY(NT_SUCCESS(Status));
    KeSynchronizeExecution(Test.Interrupt, RtcEnable, &Test);
    TRY(KeWaitForSingleObject(&Test.Done, Executive, KernelMode, FALSE, &Timeout) ==
        STATUS_SUCCESS);
    KeSynchronizeExecution(Test.Interrupt, RtcDisable, &Test);
    if (NT_SUCCESS(Status))
        IoDisconnectInterrupt(Test.Sharer);
    IoDisconnectInterrupt(Test.Interrupt);
    Result->Count = (ULONG)Test.Interrupts;
    Result->DpcRuns = (ULONG)Test.DpcRuns;
    Result->SharerCalls = (ULONG)Test.SharerCalls;
    TRY(Test.Interrupts >= HALTEST_INTERRUPTS && Test.DpcRuns >= 1);
    TRY(Test.SharerCalls >= HALTEST_INTERRUPTS);
}

/* ---- memory ------------------------------------------------------------------------------------
 */

/* The runtime's Nereid export for the display, as the console driver
 * finds it: QEMU's -kernel boot leaves VGA text. */
static VOID TestDisplayInfo(HALTEST_RESULT *Result)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"NrQueryDisplayInfo");
    PNR_QUERY_DISPLAY_INFO Query = (PNR_QUERY_DISPLAY_INFO)MmGetSystemRoutineAddress(&Name);
    NR_DISPLAY_INFO Info;

    TRY(Query != NULL);
    if (Query == NULL)
        return;
    TRY(Query(&Info, sizeof(Info) - 1) == STATUS_INFO_LENGTH_MISMATCH);
    TRY(Query(&Info, sizeof(Info)) == STATUS_SUCCESS);
    TRY(Info.Kind == NR_DISPLAY_VGA_TEXT && Info.PhysicalAddress == 0xb8000 && Info.Width == 80);
}

static VOID TestVga(HALTEST_RESULT *Result)
{
    PHYSICAL_ADDRESS Spare = {.QuadPart = VGA_SPARE};
    volatile ULONG *First = MmMapIoSpace(Spare, 96, MmNonCached);
    volatile ULONG *Second = MmMapIoSpace(Spare, 96, MmNonCached);

    TRY(First != NULL && Second != NULL && First != Second);
    if (First == NULL || Second == NULL)
        return;
    First[0] = 0x1e481e48;
    Second[1] = 0x07690769;
    TRY(Second[0] == 0x1e481e48 && First[1] == 0x07690769);
    Result->Physical = (ULONG64)MmGetPhysicalAddress((PVOID)First).QuadPart;
    TRY(Result->Physical == VGA_SPARE);
    MmUnmapIoSpace((PVOID)Second, 96);
    MmUnmapIoSpace((PVOID)First, 96);
}

static VOID TestContiguous(HALTEST_RESULT *Result)
{
    PHYSICAL_ADDRESS Highest = {.QuadPart = 0xffffffff}, None = {.QuadPart = 0};
    PHYSICAL_ADDRESS Boundary = {.QuadPart = 0x10000};
    PUCHAR Block = MmAllocateContiguousMemory(3 * PAGE_SIZE, Highest);
    PVOID Small;

    TRY(Block != NULL);
    if (Block == NULL)
        return;
    Result->Count = 3;
    Result->Physical = (ULONG64)MmGetPhysicalAddress(Block).QuadPart;
    TRY(Result->Physical != 0 && Result->Physical + 3 * PAGE_SIZE - 1 <= 0xffffffff);
    for (ULONG i = 0; i < 3; i++) {
        TRY(Block[i * PAGE_SIZE + 7] == 0);
        Block[i * PAGE_SIZE + 7] = (UCHAR)(i + 1);
        TRY((ULONG64)MmGetPhysicalAddress(Block + i * PAGE_SIZE + 7).QuadPart ==
            Result->Physical + i * PAGE_SIZE + 7);
    }
    MmFreeContiguousMemory(Block);
    Small = MmAllocateContiguousMemorySpecifyCache(PAGE_SIZE, None, Highest, Boundary, MmCached);
    TRY(Small != NULL);
    if (Small != NULL)
        MmFreeContiguousMemorySpecifyCache(Small, PAGE_SIZE, MmCached);
}

/* ---- bus data, time ----------------------------------------------------------------------------
 */

static VOID TestBus(HALTEST_RESULT *Result)
{
    ULONG Id = 0;
    USHORT Empty = 0;
    PCI_SLOT_NUMBER Slot = {.u.AsULONG = 0};
    PHYSICAL_ADDRESS Bus = {.QuadPart = 0x3f8}, Translated = {.QuadPart = 0};
    ULONG Space = 1; /* port space */
    LARGE_INTEGER Frequency, Start, End;

    TRY(HalGetBusData(PCIConfiguration, 0, Slot.u.AsULONG, &Id, sizeof(Id)) == sizeof(Id));
    Result->Pci = Id;
    TRY((Id & 0xffff) == 0x8086);
    Slot.u.bits.DeviceNumber = 31;
    Slot.u.bits.FunctionNumber = 7;
    TRY(HalGetBusData(PCIConfiguration, 0, Slot.u.AsULONG, &Empty, sizeof(Empty)) == 2);
    TRY(Empty == 0xffff);
    TRY(HalGetBusData(PCIConfiguration, 256, 0, &Id, sizeof(Id)) == 0);
    TRY(HalTranslateBusAddress(Isa, 0, Bus, &Space, &Translated) && Space == 1 &&
        Translated.QuadPart == 0x3f8);
    Start = KeQueryPerformanceCounter(&Frequency);
    KeStallExecutionProcessor(2000);
    End = KeQueryPerformanceCounter(NULL);
    TRY(End.QuadPart - Start.QuadPart >= Frequency.QuadPart * 2 / 1000);
}

/* ---- the device
 * ---------------------------------------------------------------------------------- */

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS Control(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    HALTEST_RESULT *Result = Irp->AssociatedIrp.SystemBuffer;

    if (Stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(*Result))
        return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    RtlZeroMemory(Result, sizeof(*Result));
    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_HALTEST_RTC:
        TestRtc(Result);
        break;
    case IOCTL_HALTEST_VGA:
        TestDisplayInfo(Result);
        TestVga(Result);
        break;
    case IOCTL_HALTEST_CONTIG:
        TestContiguous(Result);
        break;
    case IOCTL_HALTEST_BUS:
        TestBus(Result);
        break;
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    return Complete(Irp, STATUS_SUCCESS, sizeof(*Result));
}

static NTSTATUS NTAPI Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    (void)DeviceObject;
    if (Stack->MajorFunction == IRP_MJ_DEVICE_CONTROL)
        return Control(Irp, Stack);
    if (Stack->MajorFunction == IRP_MJ_CREATE || Stack->MajorFunction == IRP_MJ_CLOSE ||
        Stack->MajorFunction == IRP_MJ_CLEANUP)
        return Complete(Irp, STATUS_SUCCESS, 0);
    return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

static VOID NTAPI Unload(PDRIVER_OBJECT DriverObject)
{
    (void)DriverObject;
    IoDeleteDevice(Device);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name;
    NTSTATUS Status;

    (void)RegistryPath;
    RtlInitUnicodeString(&Name, L"\\Device\\HalTest");
    Status = IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Device->Flags |= DO_BUFFERED_IO;
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = Dispatch;
    DriverObject->DriverUnload = Unload;
    return STATUS_SUCCESS;
}
