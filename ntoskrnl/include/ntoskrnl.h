/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntoskrnl.h: the driver runtime's private header (docs/io.md,
 * ntoskrnl/README.md). Every file under ntoskrnl/ includes it first. It
 * brings in mingw-w64's stock ddk headers, so the runtime sees exactly the
 * structure layouts a stock-built driver assumes, the one contract with ntos
 * (include/nt/iohost.h), and the declarations the parts of the runtime
 * share. One section per owner: drvhost (start-up, loader, IRPs and
 * devices), krnlrt (Ke Ex Mm Ob Ps Rtl), hal (HAL, ports, interrupts, io
 * space). Keep each section short and add to your own only.
 */
#pragma once

/* libsel4 finds the IPC buffer through the TEB (sel4/syscalls.h). */
#define SEL4_IPC_BUFFER_GETTER                                                                     \
    ((struct seL4_IPCBuffer *)((ULONG_PTR)KrnlCurrentTeb() + KRNL_TEB_IPC_BUFFER))

#include <ntifs.h>
#include <nt/iohost.h>

#include "krnlrt.h"

/*
 * An exported definition: the runtime's export table carries it under its
 * own name, so a driver's import of ntoskrnl.exe!Name or hal.dll!Name binds
 * to it (ldr/import.c). Routines the runtime takes unchanged from ntdll
 * (most of Rtl) are forwarders in <comp>/forwards.txt instead.
 */
#define NTKRNL_EXPORT __declspec(dllexport)

/* The PEB and TEB are not in the ddk headers: the few fields the runtime
 * reads, at their x64 offsets (spec/nt-abi.md). */
#define KRNL_PEB_IMAGE_BASE_ADDRESS  0x10
#define KRNL_PEB_PROCESS_PARAMETERS  0x20
#define KRNL_PEB_PROCESS_HEAP        0x30
#define KRNL_PARAMETERS_COMMAND_LINE 0x70 /* RTL_USER_PROCESS_PARAMETERS.CommandLine */
#define KRNL_TEB_STACK_BASE          0x08 /* NT_TIB.StackBase */
#define KRNL_TEB_STACK_LIMIT         0x10 /* NT_TIB.StackLimit */
#define KRNL_TEB_SELF                0x30 /* NT_TIB.Self */
#define KRNL_TEB_PEB                 0x60
#define KRNL_TEB_IPC_BUFFER                                                                        \
    0x2000 /* the thread's seL4 IPC buffer follows its TEB (ntos/README.md) */

/* TEB access through GS (intrin.h's __readgs* trip gcc's array-bounds
 * check on small constant offsets). */
static inline ULONG64 KrnlReadTebQword(ULONG Offset)
{
    ULONG64 Value;

    __asm__ volatile("movq %%gs:(%1), %0" : "=r"(Value) : "r"((ULONG64)Offset));
    return Value;
}

static inline VOID KrnlWriteTebQword(ULONG Offset, ULONG64 Value)
{
    __asm__ volatile("movq %0, %%gs:(%1)" : : "r"(Value), "r"((ULONG64)Offset) : "memory");
}

static inline VOID KrnlWriteTebDword(ULONG Offset, ULONG Value)
{
    __asm__ volatile("movl %0, %%gs:(%1)" : : "r"(Value), "r"((ULONG64)Offset) : "memory");
}

static inline VOID KrnlWriteTebByte(ULONG Offset, UCHAR Value)
{
    __asm__ volatile("movb %0, %%gs:(%1)" : : "q"(Value), "r"((ULONG64)Offset) : "memory");
}

static inline PVOID KrnlCurrentTeb(VOID)
{
    return (PVOID)KrnlReadTebQword(KRNL_TEB_SELF);
}

static inline PVOID KrnlCurrentPeb(VOID)
{
    return (PVOID)KrnlReadTebQword(KRNL_TEB_PEB);
}

/* ==== drvhost: start-up (main.c), loader (ldr/), IRPs and devices (io/) ==== */

/* The driver this process hosts, set up by NtProcessStartup before
 * DriverEntry runs and never freed. IopHostInfo is what NtDriverInitialize
 * returned (ring location, notifications, names). IopDriverPrefix is the
 * driver's base name ("Null") that DbgPrint puts before each line. */
extern PDRIVER_OBJECT IopDriverObject;
extern DRIVER_HOST_INFO IopHostInfo;
extern CHAR IopDriverPrefix[32];

/* ldr/: map \SystemRoot\System32\drivers\<ImageName> as an image, relocate
 * it, bind its imports and protect its sections. On success *ImageBase,
 * *ImageSize and *EntryPoint (DriverEntry) describe the loaded image. The
 * failures are the loader's statuses (OBJECT_NAME_NOT_FOUND,
 * INVALID_IMAGE_FORMAT, DRIVER_ENTRYPOINT_NOT_FOUND, PROCEDURE_NOT_FOUND,
 * ...), each explained once on the debug output. */
NTSTATUS LdrpLoadDriverImage(PCUNICODE_STRING ImageName, PVOID *ImageBase, SIZE_T *ImageSize,
                             PDRIVER_INITIALIZE *EntryPoint);

/* io/: the runtime's own allocations (IRPs, device and file objects):
 * zeroed memory from the process heap; never fails silently (NULL). */
PVOID IopAllocate(SIZE_T Size);
VOID IopFree(PVOID Block);

/* io/ring.c: the runtime's ends of the rings. IopTakeRequest copies the
 * next request out of the ring (FALSE: none, or a corrupt header);
 * IopPostCompletion appends a completion and signals ntos (it yields while
 * the ring is full); IopWaitForRequests blocks on RequestNotification.
 * IopReportDriverEntry sends the device flags (IO_HOST_ID_DEVICE_FLAGS) of
 * the devices DriverEntry made, then the completion of Id 0 with its status. */
BOOLEAN IopTakeRequest(IO_HOST_REQUEST *Request);
VOID IopPostCompletion(ULONG64 Id, NTSTATUS Status, ULONG64 Information, ULONG64 Cookie);
VOID IopWaitForRequests(VOID);
VOID IopReportDriverEntry(NTSTATUS Status);

/* io/irploop.c: serve the ring until the driver is unloaded; returns the
 * status the process exits with. */
NTSTATUS IopRunIrpLoop(VOID);

/* io/driver.c: the DRIVER_OBJECT of the hosted driver with its MajorFunction
 * table defaulting to IopInvalidDeviceRequest. */
NTSTATUS IopCreateDriverObject(PDRIVER_OBJECT *DriverObject);
NTSTATUS NTAPI IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* io/driver.c: Driver's DriverStart, DriverSize, DriverInit and
 * DriverSection from the loaded image (ImageName: the name it was loaded
 * by, copied). */
/* io/misc.c: run the routines IoRegisterDriverReinitialization queued,
 * after DriverEntry succeeded. */
VOID IopRunReinitialization(PDRIVER_OBJECT DriverObject);
NTSTATUS IopDescribeDriverImage(PDRIVER_OBJECT Driver, PVOID Base, SIZE_T Size,
                                PDRIVER_INITIALIZE Entry, PCUNICODE_STRING ImageName);

/* ==== krnlrt: Ke Ex Mm Ob Ps Rtl (ke/ ex/ mm/ ob/ ps/ rtl/) ====
 * krnlrt's interface is include/krnlrt.h (included above). What the Io
 * part uses of it: KiInitializeHostThread (every thread's KTHREAD and TEB
 * fields), ObpCreateObject with ObpDriverType / ObpDeviceType /
 * ObpFileType (Io's objects are Ob objects: ObReferenceObject and
 * ObDereferenceObject count on them), KiGetCurrentProcess
 * (IoGetCurrentProcess), KeSetEvent, KeBugCheckEx, IoAllocateMdl /
 * IoFreeMdl, KiPatchSharedUserData (the loader, on every executable
 * section). KeInitializeDeviceQueue, KeInsert(ByKey)DeviceQueue,
 * KeRemove(ByKey|Entry)DeviceQueue are drvhost's (io/devqueue.c, with the
 * StartIo packet routines), not ke/'s. */

/* ==== hal: HAL, ports, interrupts, io space (hal/, io/interrupt.c, mm/iospace.c) ==== */
