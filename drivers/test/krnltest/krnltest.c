/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * krnltest.sys: the runtime's library (ntoskrnl/ke ex mm ob ps rtl) as a
 * stock-built driver meets it, in a real driver process. Built like every
 * driver (stock ddk headers, mingw-w64's libntoskrnl.a), so it uses the
 * ddk's inline forms: KeGetCurrentIrql / KeRaiseIrql as `mov cr8` (ntos
 * emulates them on the TEB byte the runtime's own routines use),
 * KeQuerySystemTime / KeQueryTickCount / KeQueryInterruptTime as loads from
 * KUSER_SHARED_DATA's kernel alias (the loader patches them), `*PsThreadType`
 * through mingw's import of the type variable, RtlStringCbPrintfW over the
 * runtime's _vsnwprintf. IOCTL_KRNLTEST_RUN runs every check and answers a
 * KRNLTEST_RESULT (Failed: the line of the first check that failed).
 */
#include <ntddk.h>
#include <ntstrsafe.h>

#include "krnltest.h"

#define KRNLTEST_TAG 0x74534B4Bu /* "KKSt" */

static PDEVICE_OBJECT Device;
static KEVENT DpcDone;
static volatile KIRQL DpcIrql = 0xFF;

#define KCHECK(Result, Cond)                                                                       \
    do {                                                                                           \
        if (!(Cond) && !(Result)->Failed)                                                          \
            (Result)->Failed = __LINE__;                                                           \
    } while (0)

/* The IRQL byte is one: written by the runtime, read by `mov cr8`, and back. */
static VOID TestIrql(KRNLTEST_RESULT *Result)
{
    KSPIN_LOCK Lock;
    KIRQL Old;

    KCHECK(Result, KeGetCurrentIrql() == PASSIVE_LEVEL);
    KeInitializeSpinLock(&Lock);
    KeAcquireSpinLock(&Lock, &Old); /* the runtime raises */
    KCHECK(Result, Old == PASSIVE_LEVEL);
    KCHECK(Result, KeGetCurrentIrql() == DISPATCH_LEVEL); /* read through cr8 */
    KeReleaseSpinLock(&Lock, Old);
    KCHECK(Result, KeGetCurrentIrql() == PASSIVE_LEVEL);
    KeRaiseIrql(APC_LEVEL, &Old);           /* written through cr8 */
    KCHECK(Result, KeAreAllApcsDisabled()); /* seen by the runtime */
    KeLowerIrql(Old);
    KCHECK(Result, !KeAreAllApcsDisabled());
}

static VOID NTAPI TimerDpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    DpcIrql = KeGetCurrentIrql();
    KeSetEvent(&DpcDone, IO_NO_INCREMENT, FALSE);
}

static VOID TestTimerDpc(KRNLTEST_RESULT *Result)
{
    LARGE_INTEGER Due = {.QuadPart = -200000}, Wait = {.QuadPart = -50000000};
    KTIMER Timer;
    KDPC Dpc;

    KeInitializeEvent(&DpcDone, NotificationEvent, FALSE);
    KeInitializeDpc(&Dpc, TimerDpc, NULL);
    KeInitializeTimer(&Timer);
    KeSetTimer(&Timer, Due, &Dpc);
    KCHECK(Result,
           KeWaitForSingleObject(&DpcDone, Executive, KernelMode, FALSE, &Wait) == STATUS_SUCCESS);
    KCHECK(Result, KeReadStateTimer(&Timer));
    Result->DpcIrql = DpcIrql;
}

/* The ddk's inline time routines, through the patched alias. */
static VOID TestTime(KRNLTEST_RESULT *Result)
{
    LARGE_INTEGER Ticks1, Ticks2, Time1, Time2, Delay = {.QuadPart = -2000000};
    ULONGLONG Interrupt1, Interrupt2;

    KeQueryTickCount(&Ticks1);
    KeQuerySystemTime(&Time1);
    Interrupt1 = KeQueryInterruptTime();
    KeDelayExecutionThread(KernelMode, FALSE, &Delay);
    KeQueryTickCount(&Ticks2);
    KeQuerySystemTime(&Time2);
    Interrupt2 = KeQueryInterruptTime();
    KCHECK(Result, Time1.QuadPart > 0 && Interrupt1 > 0 && Ticks1.QuadPart > 0);
    Result->Ticks = (unsigned int)(Ticks2.QuadPart - Ticks1.QuadPart);
    Result->SystemTimeDelta = Time2.QuadPart - Time1.QuadPart;
    Result->InterruptTimeDelta = (long long)(Interrupt2 - Interrupt1);
}

static VOID NTAPI ThreadRoutine(PVOID Context)
{
    PULONG Value = Context;

    *Value = 0x5151;
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID TestThread(KRNLTEST_RESULT *Result)
{
    LARGE_INTEGER Wait = {.QuadPart = -50000000};
    volatile ULONG Value = 0;
    HANDLE Handle;
    PVOID Thread = NULL;
    NTSTATUS Status;

    Status = PsCreateSystemThread(&Handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, ThreadRoutine,
                                  (PVOID)&Value);
    KCHECK(Result, NT_SUCCESS(Status));
    if (!NT_SUCCESS(Status))
        return;
    Status =
        ObReferenceObjectByHandle(Handle, SYNCHRONIZE, *PsThreadType, KernelMode, &Thread, NULL);
    ZwClose(Handle);
    KCHECK(Result, NT_SUCCESS(Status));
    if (!NT_SUCCESS(Status))
        return;
    if (KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, &Wait) == STATUS_SUCCESS)
        Result->ThreadDone = 1;
    KCHECK(Result, Value == 0x5151);
    ObDereferenceObject(Thread);
}

static VOID TestPoolAndText(KRNLTEST_RESULT *Result)
{
    PWCHAR Buffer = ExAllocatePoolWithTag(NonPagedPool, sizeof(Result->Text), KRNLTEST_TAG);

    KCHECK(Result, Buffer != NULL);
    if (!Buffer)
        return;
    KCHECK(Result,
           NT_SUCCESS(RtlStringCbPrintfW(Buffer, sizeof(Result->Text), L"%ws-%d", L"krnl", 42)));
    RtlCopyMemory(Result->Text, Buffer, sizeof(Result->Text));
    ExFreePoolWithTag(Buffer, KRNLTEST_TAG);
}

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS Control(PIRP Irp, PIO_STACK_LOCATION Stack)
{
    KRNLTEST_RESULT *Result = Irp->AssociatedIrp.SystemBuffer;

    if (Stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_KRNLTEST_RUN)
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (Stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(*Result))
        return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    RtlZeroMemory(Result, sizeof(*Result));
    TestIrql(Result);
    TestTimerDpc(Result);
    TestTime(Result);
    TestThread(Result);
    TestPoolAndText(Result);
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
    RtlInitUnicodeString(&Name, L"\\Device\\KrnlTest");
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
