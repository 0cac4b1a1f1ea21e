/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * po/power.c: the power manager's routines a WDM driver calls (docs/io.md,
 * "Plug and Play"). Power IRPs travel like any other: PoCallDriver is
 * IoCallDriver, and PoStartNextPowerIrp has nothing to release because
 * power IRPs are not serialised per device here (Windows Vista and later
 * do not serialise them either; the routine is kept for drivers written
 * for earlier versions). PoSetPowerState records the state a driver says
 * its device is in and returns the one before. PoRequestPowerIrp builds a
 * power IRP for the top of a device's stack and calls the requester's
 * routine when it completes. No idle detection: PoRegisterDeviceFor-
 * IdleDetection gives NULL, which Windows' drivers must accept (they then
 * never call PoSetDeviceBusy).
 */

#include "../io/iop.h"

NTKRNL_EXPORT NTSTATUS NTAPI PoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IoCallDriver(DeviceObject, Irp);
}

NTKRNL_EXPORT VOID NTAPI PoStartNextPowerIrp(PIRP Irp)
{
    (void)Irp; /* nothing waits behind it: power IRPs are not serialised */
}

/* The device's recorded state (IOP_DEVICE); unspecified (0) until the
 * driver sets one. A state of the other type than Type is left alone. */
NTKRNL_EXPORT POWER_STATE NTAPI PoSetPowerState(PDEVICE_OBJECT DeviceObject, POWER_STATE_TYPE Type,
                                                POWER_STATE State)
{
    IOP_DEVICE *Device = IopDevice(DeviceObject);
    POWER_STATE Previous;

    if (Type == SystemPowerState) {
        Previous.SystemState = (SYSTEM_POWER_STATE)Device->SystemPowerState;
        Device->SystemPowerState = State.SystemState;
    } else {
        Previous.DeviceState = (DEVICE_POWER_STATE)Device->DevicePowerState;
        Device->DevicePowerState = State.DeviceState;
    }
    return Previous;
}

NTKRNL_EXPORT PULONG NTAPI PoRegisterDeviceForIdleDetection(PDEVICE_OBJECT DeviceObject,
                                                            ULONG ConservationIdleTime,
                                                            ULONG PerformanceIdleTime,
                                                            DEVICE_POWER_STATE State)
{
    return NULL; /* no idle detection (see above) */
}

/* ---- PoRequestPowerIrp ------------------------------------------------------------------ */

typedef struct _POP_REQUEST {
    PDEVICE_OBJECT Device; /* the one the caller named */
    PDEVICE_OBJECT Top;    /* referenced while the IRP travels */
    UCHAR MinorFunction;
    POWER_STATE State;
    PREQUEST_POWER_COMPLETE Routine;
    PVOID Context;
} POP_REQUEST;

/* The IRP went back up the whole stack: tell the requester, then free it
 * (Windows frees the IRP after the routine returns). */
static NTSTATUS NTAPI PopRequestDone(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    POP_REQUEST *Request = Context;

    if (Request->Routine != NULL)
        Request->Routine(Request->Device, Request->MinorFunction, Request->State, Request->Context,
                         &Irp->IoStatus);
    ObDereferenceObject(Request->Top);
    IopFree(Request);
    IoFreeIrp(Irp);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/*
 * SET_POWER and QUERY_POWER of a device power state, or WAIT_WAKE (the
 * system state it may wake); any other minor is INVALID_PARAMETER_2, as
 * on Windows. STATUS_PENDING once the IRP went (its result comes to
 * CompletionFunction), *Irp the IRP if asked.
 */
NTKRNL_EXPORT NTSTATUS NTAPI PoRequestPowerIrp(PDEVICE_OBJECT DeviceObject, UCHAR MinorFunction,
                                               POWER_STATE PowerState,
                                               PREQUEST_POWER_COMPLETE CompletionFunction,
                                               PVOID Context, PIRP *Irp)
{
    PIO_STACK_LOCATION Stack;
    POP_REQUEST *Request;
    PIRP Packet;

    if (MinorFunction != IRP_MN_SET_POWER && MinorFunction != IRP_MN_QUERY_POWER &&
        MinorFunction != IRP_MN_WAIT_WAKE)
        return STATUS_INVALID_PARAMETER_2;
    Request = IopAllocate(sizeof(*Request));
    if (Request == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Request->Top = IoGetAttachedDeviceReference(DeviceObject);
    Packet = IoAllocateIrp(Request->Top->StackSize, FALSE);
    if (Packet == NULL) {
        ObDereferenceObject(Request->Top);
        IopFree(Request);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Request->Device = DeviceObject;
    Request->MinorFunction = MinorFunction;
    Request->State = PowerState;
    Request->Routine = CompletionFunction;
    Request->Context = Context;
    Packet->IoStatus.Status = STATUS_NOT_SUPPORTED;
    Stack = IoGetNextIrpStackLocation(Packet);
    Stack->MajorFunction = IRP_MJ_POWER;
    Stack->MinorFunction = MinorFunction;
    if (MinorFunction == IRP_MN_WAIT_WAKE) {
        Stack->Parameters.WaitWake.PowerState = PowerState.SystemState;
    } else {
        Stack->Parameters.Power.Type = DevicePowerState;
        Stack->Parameters.Power.State = PowerState;
    }
    IoSetCompletionRoutine(Packet, PopRequestDone, Request, TRUE, TRUE, TRUE);
    if (Irp != NULL)
        *Irp = Packet;
    PoCallDriver(Request->Top, Packet);
    return STATUS_PENDING;
}
