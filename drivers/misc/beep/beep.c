/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * beep.sys: \Device\Beep, the PC speaker. IOCTL_BEEP_SET takes a
 * BEEP_SET_PARAMETERS {Frequency (Hz), Duration (ms)}: the tone is PIT
 * channel 2 in square-wave mode driving the speaker through the gate bits
 * of port 0x61; a timer's DPC turns it off after Duration. The request
 * completes as soon as the tone starts (Win32's Beep waits the duration
 * itself). As Windows' beep driver: a frequency other than 0 outside
 * BEEP_FREQUENCY_MINIMUM..MAXIMUM (0x25..0x7FFF) or a short input buffer
 * gives STATUS_INVALID_PARAMETER; Frequency 0 or Duration 0 stops the tone.
 *
 * The PIT's command port 0x43 is shared with channel 0, whose owner is the
 * kernel (it calibrates its clocks on channel 2 at boot and runs on the
 * local APIC timer afterwards): the driver writes only channel-2 commands
 * (0xB6) there, and leaves the other bits of port 0x61 as it finds them.
 */
#include <ntddk.h>
#include <ntddbeep.h>

#define PIT_HZ              1193182
#define PIT_CHANNEL2        ((PUCHAR)0x42)
#define PIT_COMMAND         ((PUCHAR)0x43)
#define PIT_CH2_SQUARE_WAVE 0xB6 /* channel 2, low then high byte, mode 3, binary */
#define SPEAKER_PORT        ((PUCHAR)0x61)
#define SPEAKER_GATE        0x03 /* bit 0: channel 2 gate, bit 1: speaker data enable */

typedef struct _BEEP_EXTENSION {
    KSPIN_LOCK Lock; /* the tone's ports: the IOCTL against the stop DPC */
    KTIMER Timer;
    KDPC Dpc;
} BEEP_EXTENSION, *PBEEP_EXTENSION;

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD BeepUnload;
static DRIVER_DISPATCH BeepDispatch;
static KDEFERRED_ROUTINE BeepStopDpc;

/* Tone on (Frequency != 0) or off; Lock held. */
static VOID BeepSpeaker(ULONG Frequency)
{
    UCHAR Gate = READ_PORT_UCHAR(SPEAKER_PORT);
    if (!Frequency) {
        WRITE_PORT_UCHAR(SPEAKER_PORT, Gate & ~SPEAKER_GATE);
        return;
    }
    ULONG Divisor = PIT_HZ / Frequency; /* 0x25 Hz gives 32248: fits 16 bits */
    WRITE_PORT_UCHAR(PIT_COMMAND, PIT_CH2_SQUARE_WAVE);
    WRITE_PORT_UCHAR(PIT_CHANNEL2, Divisor & 0xFF);
    WRITE_PORT_UCHAR(PIT_CHANNEL2, (Divisor >> 8) & 0xFF);
    WRITE_PORT_UCHAR(SPEAKER_PORT, Gate | SPEAKER_GATE);
}

static VOID BeepStopDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PBEEP_EXTENSION Ext = Context;
    KeAcquireSpinLockAtDpcLevel(&Ext->Lock);
    /* A newer tone re-armed the timer: its own expiry stops it. */
    if (KeReadStateTimer(&Ext->Timer))
        BeepSpeaker(0);
    KeReleaseSpinLockFromDpcLevel(&Ext->Lock);
}

static NTSTATUS BeepSet(PBEEP_EXTENSION Ext, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    const BEEP_SET_PARAMETERS *Params = Irp->AssociatedIrp.SystemBuffer;
    KIRQL Irql;
    if (Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(BEEP_SET_PARAMETERS))
        return STATUS_INVALID_PARAMETER;
    ULONG Frequency = Params->Frequency, Duration = Params->Duration;
    if (Frequency && (Frequency < BEEP_FREQUENCY_MINIMUM || Frequency > BEEP_FREQUENCY_MAXIMUM))
        return STATUS_INVALID_PARAMETER; /* checked before Duration, as beep.sys */
    BOOLEAN Stop = Frequency == 0 || Duration == 0;
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    KeCancelTimer(&Ext->Timer);
    BeepSpeaker(Stop ? 0 : Frequency);
    if (!Stop) {
        LARGE_INTEGER Due;
        Due.QuadPart = -(LONGLONG)Duration * 10000;
        KeSetTimer(&Ext->Timer, Due, &Ext->Dpc);
    }
    KeReleaseSpinLock(&Ext->Lock, Irql);
    return STATUS_SUCCESS;
}

static NTSTATUS BeepDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;
    switch (Stack->MajorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
        Status = STATUS_SUCCESS;
        break;
    case IRP_MJ_DEVICE_CONTROL:
        if (Stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_BEEP_SET)
            Status = BeepSet(DeviceObject->DeviceExtension, Irp);
        else
            Status = STATUS_INVALID_PARAMETER;
        break;
    default:
        Status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static VOID BeepUnload(PDRIVER_OBJECT DriverObject)
{
    PDEVICE_OBJECT DeviceObject = DriverObject->DeviceObject;
    PBEEP_EXTENSION Ext = DeviceObject->DeviceExtension;
    KIRQL Irql;
    KeAcquireSpinLock(&Ext->Lock, &Irql);
    KeCancelTimer(&Ext->Timer);
    BeepSpeaker(0);
    KeReleaseSpinLock(&Ext->Lock, Irql);
    IoDeleteDevice(DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(DD_BEEP_DEVICE_NAME_U);
    PDEVICE_OBJECT DeviceObject;
    NTSTATUS Status = IoCreateDevice(DriverObject, sizeof(BEEP_EXTENSION), &Name, FILE_DEVICE_BEEP,
                                     FILE_DEVICE_SECURE_OPEN, FALSE, &DeviceObject);
    if (!NT_SUCCESS(Status))
        return Status;
    PBEEP_EXTENSION Ext = DeviceObject->DeviceExtension;
    KeInitializeSpinLock(&Ext->Lock);
    KeInitializeTimer(&Ext->Timer);
    KeInitializeDpc(&Ext->Dpc, BeepStopDpc, Ext);
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        DriverObject->MajorFunction[i] = BeepDispatch;
    DriverObject->DriverUnload = BeepUnload;
    DeviceObject->Flags |= DO_BUFFERED_IO;
    DeviceObject->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
