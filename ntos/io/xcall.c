/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRPs between driver processes (include/nt/iohost.h, "calls between
 * driver processes"): NtDriverCallDriver forwards an IRP a driver describes
 * to a device of another driver process, NtDriverQueryDevice tells the
 * runtime what its proxy DEVICE_OBJECT must show. The calling driver
 * plays the part a user caller plays for NtReadFile: its buffers are its
 * own pages, mapped into the target process for the forwarded IRP's life
 * (irp.c's direct-I/O mapping), never copied. The handler never waits: it
 * queues the IRP and returns STATUS_PENDING; the completion becomes an
 * IO_HOST_OP_CALL_DONE request on the caller's ring (IopXcallCompleted,
 * called from complete.c).
 *
 * Two lists, both small and walked linearly: the calls in flight
 * (IOP_XCALL: the caller, its name for the IRP, the forwarded IRP) and the
 * files opened below a filter (IOP_XFILE: the caller's PFILE_OBJECT paired
 * with the target driver's file cookie, made by a forwarded IRP_MJ_CREATE,
 * ended by a forwarded IRP_MJ_CLOSE or the caller's end).
 */
#include "iop.h"

#include "ntsvc.h"

#define IOP_XCALL_TAG 0x6c6c6358 /* 'XCll' */
#define IOP_XCALL_MAX 4096       /* calls in flight, and files paired, per caller */

#define IRP_NOCACHE 0x00000001u

typedef struct _IOP_XCALL {
    PDRIVER_OBJECT Caller; /* referenced */
    ULONG64 CallerIrp;     /* IO_HOST_CALL.Irp: what CALL_DONE carries back */
    ULONG64 CallerFile;    /* IO_HOST_CALL.File of a forwarded IRP_MJ_CREATE */
    PIOP_IRP Irp;          /* the forwarded IRP (this call holds one reference) */
    bool Dropped;          /* the caller ended: no CALL_DONE */
    struct _IOP_XCALL *Next;
} IOP_XCALL, *PIOP_XCALL;

typedef struct _IOP_XFILE {
    PDRIVER_OBJECT Caller; /* referenced */
    ULONG64 CallerFile;    /* the caller's PFILE_OBJECT */
    PDEVICE_OBJECT Target; /* referenced: the device the create went to */
    ULONG64 TargetFile;    /* the target driver's PFILE_OBJECT (the create's Cookie) */
    struct _IOP_XFILE *Next;
} IOP_XFILE, *PIOP_XFILE;

static PIOP_XCALL IopXcalls;
static PIOP_XFILE IopXfiles;

/* ---- the target ------------------------------------------------------------------------ */

/*
 * What Handle names for Caller (iohost.h): a file handle, the device the
 * file was opened on (*File: the file, referenced); a device handle of one
 * of the caller's devices, the device below it (*File NULL). The target is
 * referenced and has a running driver.
 */
static NTSTATUS IopXcallTarget(PDRIVER_OBJECT Caller, HANDLE Handle, PDEVICE_OBJECT *Target,
                               PFILE_OBJECT *File)
{
    PVOID Object;
    PDEVICE_OBJECT Device = NULL;
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, NULL, 0, &Object);

    *Target = NULL;
    *File = NULL;
    if (!NT_SUCCESS(Status))
        return Status;
    if (ObGetObjectType(Object) == IoFileObjectType && ((PFILE_OBJECT)Object)->DeviceObject) {
        *File = Object;
        Device = (*File)->DeviceObject;
    } else if (ObGetObjectType(Object) == IoDeviceObjectType) {
        if (((PDEVICE_OBJECT)Object)->DriverObject != Caller)
            Status = STATUS_ACCESS_DENIED; /* another driver's device */
        else
            Device = ((PDEVICE_OBJECT)Object)->AttachedTo;
        ObDereferenceObject(Object);
        if (NT_SUCCESS(Status) && Device == NULL)
            Status = STATUS_NO_SUCH_DEVICE; /* attached to nothing (any more) */
    } else {
        ObDereferenceObject(Object);
        Status = STATUS_OBJECT_TYPE_MISMATCH;
    }
    if (NT_SUCCESS(Status) &&
        (Device->Deleted || Device->DriverObject->Ended || Device->DriverObject->Host == NULL))
        Status = STATUS_NO_SUCH_DEVICE;
    if (!NT_SUCCESS(Status)) {
        if (*File)
            ObDereferenceObject(*File);
        *File = NULL;
        return Status;
    }
    ObReferenceObject(Device);
    *Target = Device;
    return STATUS_SUCCESS;
}

NTSTATUS NtDriverQueryDevice(HANDLE DeviceHandle, USER_BUFFER Info, ULONG Length)
{
    static DRIVER_DEVICE_INFO Answer; /* filled and copied without a wait */
    PDRIVER_OBJECT Caller;
    PDEVICE_OBJECT Target, Below;
    PFILE_OBJECT File;
    NTSTATUS Status = IopCurrentDriver(&Caller);

    if (!NT_SUCCESS(Status))
        return Status;
    if (Length != sizeof(DRIVER_DEVICE_INFO))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = IopXcallTarget(Caller, DeviceHandle, &Target, &File);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Answer, 0, sizeof(Answer));
    Answer.DeviceType = Target->DeviceType;
    Answer.Characteristics = Target->Characteristics;
    Answer.Flags = IopDeviceFlags(Target);
    Answer.AlignmentRequirement = Target->AlignmentRequirement;
    for (Below = Target; Below != NULL; Below = Below->AttachedTo)
        Answer.StackSize++;
    for (ULONG i = 0; i + 1 < IO_HOST_NAME_CHARS && Target->DriverObject->Name[i]; i++)
        Answer.DriverName[i] = Target->DriverObject->Name[i];
    Status = MmCopyToUser(KeGetCurrentThread()->Process, Info.Address, &Answer, sizeof(Answer));
    if (File)
        ObDereferenceObject(File);
    ObDereferenceObject(Target);
    return Status;
}

/* ---- files below a filter --------------------------------------------------------------- */

static PIOP_XFILE *IopFindXfile(PDRIVER_OBJECT Caller, ULONG64 CallerFile)
{
    PIOP_XFILE *Link;

    for (Link = &IopXfiles; *Link; Link = &(*Link)->Next)
        if ((*Link)->Caller == Caller && (*Link)->CallerFile == CallerFile)
            return Link;
    return NULL;
}

static ULONG IopCountCaller(PDRIVER_OBJECT Caller)
{
    ULONG Count = 0;

    for (PIOP_XCALL Call = IopXcalls; Call; Call = Call->Next)
        Count += Call->Caller == Caller;
    for (PIOP_XFILE Pair = IopXfiles; Pair; Pair = Pair->Next)
        Count += Pair->Caller == Caller;
    return Count;
}

/* A request without completion wait (cleanup, close) on the target's file. */
static void IopSendFileEnd(PIOP_XFILE Pair, UCHAR Major)
{
    PIOP_IRP Irp;

    if (Pair->Target->Deleted || Pair->Target->DriverObject->Ended)
        return;
    if (!NT_SUCCESS(IopAllocateIrp(Pair->Target->DriverObject, Pair->Target, NULL, Major, &Irp)))
        return; /* FIXME: no memory: the target keeps the file until it ends */
    Irp->Request.File = Pair->TargetFile;
    IopSendIrp(Irp);
}

/* Unlink and free *Link's pair; Close: the target's file gets CLEANUP and
 * CLOSE first (its opener will not send them any more). */
static void IopDropXfile(PIOP_XFILE *Link, bool Close)
{
    PIOP_XFILE Pair = *Link;

    *Link = Pair->Next;
    if (Close) {
        IopSendFileEnd(Pair, IRP_MJ_CLEANUP);
        IopSendFileEnd(Pair, IRP_MJ_CLOSE);
    }
    ObDereferenceObject(Pair->Target);
    ObDereferenceObject(Pair->Caller);
    ExFreePoolWithTag(Pair, IOP_XCALL_TAG);
}

static void IopPairFile(PDRIVER_OBJECT Caller, ULONG64 CallerFile, PDEVICE_OBJECT Target,
                        ULONG64 TargetFile)
{
    PIOP_XFILE *Stale = IopFindXfile(Caller, CallerFile);
    PIOP_XFILE Pair;

    if (Stale) /* the caller reused a file object it never closed below */
        IopDropXfile(Stale, true);
    Pair = ExAllocatePoolWithTag(sizeof(*Pair), IOP_XCALL_TAG);
    if (Pair == NULL) {
        IOP_XFILE Lost = {.Target = Target, .TargetFile = TargetFile};
        IopSendFileEnd(&Lost, IRP_MJ_CLOSE); /* the target's file must not stay open */
        return;
    }
    Pair->Caller = Caller;
    ObReferenceObject(Caller);
    Pair->CallerFile = CallerFile;
    Pair->Target = Target;
    ObReferenceObject(Target);
    Pair->TargetFile = TargetFile;
    Pair->Next = IopXfiles;
    IopXfiles = Pair;
}

/* The target's file for a forwarded IRP: the open of a file handle, or the
 * pair of the caller's file (0 when none: an IRP without a file). */
static NTSTATUS IopXcallFile(PDRIVER_OBJECT Caller, const IO_HOST_CALL *Call, PFILE_OBJECT Opened,
                             PDEVICE_OBJECT Target, ULONG64 *TargetFile)
{
    UCHAR Major = Call->MajorFunction;
    PIOP_XFILE *Link;

    *TargetFile = 0;
    if (Opened) {
        if (Major == IRP_MJ_CREATE || Major == IRP_MJ_CLEANUP || Major == IRP_MJ_CLOSE)
            return STATUS_INVALID_DEVICE_REQUEST; /* the open lives as long as the handle */
        *TargetFile = Opened->DriverCookie;
        return STATUS_SUCCESS;
    }
    if (Major == IRP_MJ_CREATE)
        return Call->File != 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    Link = Call->File ? IopFindXfile(Caller, Call->File) : NULL;
    if (Link == NULL || (*Link)->Target->DriverObject != Target->DriverObject)
        return STATUS_SUCCESS;
    *TargetFile = (*Link)->TargetFile;
    return STATUS_SUCCESS;
}

/* ---- buffers ----------------------------------------------------------------------------- */

typedef enum _IOP_XBUFFER { IopAsSystem, IopAsMdl, IopAsUser } IOP_XBUFFER;

/*
 * Map Length bytes of the caller's at Va into the target as As says. The
 * direct-I/O mapping (irp.c) does the work: it maps the caller's own pages
 * (faulted in, writable only when the target writes) and describes them as
 * the MDL; a system or user buffer is the same mapping moved to
 * Irp->System and named by its address. Call IopAsSystem / IopAsUser
 * before IopAsMdl (the mapping fills Irp->Mdl).
 */
static NTSTATUS IopXcallMap(PIOP_IRP Irp, ULONG64 Va, ULONG Length, bool Write, IOP_XBUFFER As)
{
    NTSTATUS Status;

    if (Length == 0)
        return STATUS_SUCCESS;
    ASSERT(Irp->Mdl.PageCount == 0);
    Status = IopMapCallerPages(Irp, (ULONG_PTR)Va, Length, Write);
    if (!NT_SUCCESS(Status) || As == IopAsMdl)
        return Status;
    IopMoveBuffer(&Irp->System, &Irp->Mdl); /* not Owned: the caller's pages */
    Irp->Request.MdlAddress = 0;
    Irp->Request.MdlByteOffset = Irp->Request.MdlByteCount = 0;
    if (As == IopAsUser) {
        Irp->Request.UserBuffer = Irp->System.DriverVa + Irp->System.Offset;
    } else {
        Irp->Request.SystemBuffer = Irp->System.DriverVa + Irp->System.Offset;
        Irp->Request.IrpFlags |= IRP_BUFFERED_IO;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS IopXcallControlBuffers(PIOP_IRP Irp, const IO_HOST_CALL *Call)
{
    ULONG Out = (ULONG)Call->Parameters[0], In = (ULONG)Call->Parameters[1];
    ULONG Method = (ULONG)Call->Parameters[2] & 3;
    NTSTATUS Status;

    Irp->Request.Parameters[3] = 0; /* Type3InputBuffer: an address of the caller's */
    if (Method == 3) /* METHOD_NEITHER: the target could not reach the caller's addresses */
        return In || Out ? STATUS_INVALID_DEVICE_REQUEST : STATUS_SUCCESS;
    if (Method == 0) {
        if (Out)
            Irp->Request.IrpFlags |= IRP_INPUT_OPERATION;
        return IopXcallMap(Irp, Call->SystemBuffer, In > Out ? In : Out, Out != 0, IopAsSystem);
    }
    Status = IopXcallMap(Irp, Call->SystemBuffer, In, false, IopAsSystem);
    if (NT_SUCCESS(Status) && Out && Call->MdlLength < Out)
        Status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(Status))
        Status = IopXcallMap(Irp, Call->MdlVa, Out, Method == 2, IopAsMdl);
    return Status;
}

/* The buffers of the described IRP, by its major function (Windows' rules
 * for what each one's parameters mean), as the target device expects. */
static NTSTATUS IopXcallBuffers(PIOP_IRP Irp, const IO_HOST_CALL *Call, PDEVICE_OBJECT Target)
{
    ULONG Length = (ULONG)Call->Parameters[0];
    ULONG Flags = IopDeviceFlags(Target);
    ULONG64 Va;

    switch (Call->MajorFunction) {
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        Va = Call->MdlVa ? Call->MdlVa : Call->SystemBuffer ? Call->SystemBuffer : Call->UserBuffer;
        if (Call->MdlVa && Call->MdlLength < Length)
            return STATUS_INVALID_PARAMETER;
        if (Call->MajorFunction == IRP_MJ_READ && !(Flags & DO_DIRECT_IO))
            Irp->Request.IrpFlags |= IRP_INPUT_OPERATION;
        return IopXcallMap(Irp, Va, Length, Call->MajorFunction == IRP_MJ_READ,
                           (Flags & DO_DIRECT_IO)     ? IopAsMdl
                           : (Flags & DO_BUFFERED_IO) ? IopAsSystem
                                                      : IopAsUser);
    case IRP_MJ_QUERY_INFORMATION:
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
        Irp->Request.IrpFlags |= IRP_INPUT_OPERATION;
        return IopXcallMap(Irp, Call->SystemBuffer, Length, true, IopAsSystem);
    case IRP_MJ_SET_INFORMATION:
        return IopXcallMap(Irp, Call->SystemBuffer, Length, false, IopAsSystem);
    case IRP_MJ_FILE_SYSTEM_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        return IopXcallControlBuffers(Irp, Call);
    default:
        return STATUS_SUCCESS; /* create, cleanup, close, flush: none */
    }
}

static bool IopXcallMajorAllowed(UCHAR Major)
{
    switch (Major) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLOSE:
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
    case IRP_MJ_QUERY_INFORMATION:
    case IRP_MJ_SET_INFORMATION:
    case IRP_MJ_FLUSH_BUFFERS:
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
    case IRP_MJ_FILE_SYSTEM_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
    case IRP_MJ_CLEANUP:
        return true;
    default:
        return false;
    }
}

/* IRP_MJ_CREATE: the name below the device, copied from the caller and
 * mapped read-only into the target as device.c does for opens. */
static NTSTATUS IopXcallCreateName(PIOP_IRP Irp, const IO_HOST_CALL *Call)
{
    PVOID Name;
    NTSTATUS Status;

    Irp->Request.Parameters[0] = 0; /* SecurityContext: the target's runtime supplies one */
    if (Call->FileNameLength == 0)
        return STATUS_SUCCESS;
    if (Call->FileNameLength & 1)
        return STATUS_INVALID_PARAMETER;
    Name = ExAllocatePoolWithTag(Call->FileNameLength, IOP_XCALL_TAG);
    if (Name == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status =
        MmCopyFromUser(KeGetCurrentThread()->Process, Name, Call->FileName, Call->FileNameLength);
    if (NT_SUCCESS(Status))
        Status = IopMapKernelData(Irp, Name, Call->FileNameLength);
    if (NT_SUCCESS(Status)) {
        Irp->Request.FileName = Irp->Name.DriverVa;
        Irp->Request.FileNameLength = Call->FileNameLength;
    }
    ExFreePoolWithTag(Name, IOP_XCALL_TAG);
    return Status;
}

/* ---- forwarding ------------------------------------------------------------------------ */

/* The IRP for Target, described by Call, with its buffers and file. */
static NTSTATUS IopBuildForwardedIrp(PDRIVER_OBJECT Caller, const IO_HOST_CALL *Call,
                                     PDEVICE_OBJECT Target, PFILE_OBJECT Opened, PIOP_IRP *Result)
{
    ULONG64 TargetFile;
    PIOP_IRP Irp;
    NTSTATUS Status = IopXcallFile(Caller, Call, Opened, Target, &TargetFile);

    *Result = NULL;
    if (!NT_SUCCESS(Status))
        return Status;
    /* A file handle's open stays referenced while its IRP is out. */
    Status = IopAllocateIrp(Target->DriverObject, Target, Opened, Call->MajorFunction, &Irp);
    if (!NT_SUCCESS(Status))
        return Status;
    Irp->Request.File = TargetFile;
    Irp->Request.MinorFunction = Call->MinorFunction;
    Irp->Request.StackFlags = Call->StackFlags;
    Irp->Request.IrpFlags = Call->IrpFlags & (IRP_NOCACHE | IRP_SYNCHRONOUS_API);
    memcpy(Irp->Request.Parameters, Call->Parameters, sizeof(Irp->Request.Parameters));
    Irp->Request.Thread = KeGetCurrentThread()->UniqueThreadId;
    if (Call->MajorFunction == IRP_MJ_CREATE)
        Status = IopXcallCreateName(Irp, Call);
    else
        Status = IopXcallBuffers(Irp, Call, Target);
    if (!NT_SUCCESS(Status)) {
        IopDereferenceIrp(Irp);
        return Status;
    }
    *Result = Irp;
    return STATUS_SUCCESS;
}

static NTSTATUS IopForwardIrp(PDRIVER_OBJECT Caller, HANDLE Handle, const IO_HOST_CALL *Call)
{
    PDEVICE_OBJECT Target;
    PFILE_OBJECT Opened;
    PIOP_XCALL Record = NULL;
    PIOP_IRP Irp = NULL;
    NTSTATUS Status;

    if (Call->Irp == 0)
        return STATUS_INVALID_PARAMETER;
    if (!IopXcallMajorAllowed(Call->MajorFunction))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (IopCountCaller(Caller) >= IOP_XCALL_MAX)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = IopXcallTarget(Caller, Handle, &Target, &Opened);
    if (!NT_SUCCESS(Status))
        return Status;
    Record = ExAllocatePoolWithTag(sizeof(*Record), IOP_XCALL_TAG);
    if (Record == NULL)
        Status = STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(Status))
        Status = IopBuildForwardedIrp(Caller, Call, Target, Opened, &Irp);
    if (NT_SUCCESS(Status)) {
        memset(Record, 0, sizeof(*Record));
        Record->Caller = Caller;
        ObReferenceObject(Caller);
        Record->CallerIrp = Call->Irp;
        Record->CallerFile = Call->MajorFunction == IRP_MJ_CREATE ? Call->File : 0;
        Record->Irp = Irp; /* the allocation's reference */
        Record->Next = IopXcalls;
        IopXcalls = Record;
        Irp->Xcall = Record;
        Irp->RefCount++; /* the target driver's, until the completion */
        IopQueueRequest(Target->DriverObject->Host, Irp);
        Record = NULL;
        if (Call->MajorFunction == IRP_MJ_CLOSE && Opened == NULL && Irp->Request.File) {
            PIOP_XFILE *Link = IopFindXfile(Caller, Call->File);
            if (Link)
                IopDropXfile(Link, false); /* this close ends the target's file */
        }
        Status = STATUS_PENDING;
    }
    if (Record)
        ExFreePoolWithTag(Record, IOP_XCALL_TAG);
    if (Opened)
        ObDereferenceObject(Opened);
    ObDereferenceObject(Target);
    return Status;
}

static NTSTATUS IopCancelForwarded(PDRIVER_OBJECT Caller, ULONG64 CallerIrp)
{
    for (PIOP_XCALL Call = IopXcalls; Call; Call = Call->Next)
        if (Call->Caller == Caller && Call->CallerIrp == CallerIrp && !Call->Dropped) {
            IopSendCancel(Call->Irp);
            return STATUS_SUCCESS;
        }
    return STATUS_INVALID_PARAMETER;
}

NTSTATUS NtDriverCallDriver(HANDLE DeviceHandle, USER_ADDRESS Request)
{
    IO_HOST_CALL Call;
    PDRIVER_OBJECT Caller;
    NTSTATUS Status = IopCurrentDriver(&Caller);

    if (!NT_SUCCESS(Status))
        return Status;
    if (Caller->Ended || Caller->Host == NULL)
        return STATUS_ACCESS_DENIED; /* no ring for the completion */
    Status = MmCopyFromUser(KeGetCurrentThread()->Process, &Call, Request.Value, sizeof(Call));
    if (!NT_SUCCESS(Status))
        return STATUS_ACCESS_VIOLATION;
    switch (Call.Operation) {
    case IO_HOST_CALL_IRP:
        return IopForwardIrp(Caller, DeviceHandle, &Call);
    case IO_HOST_CALL_CANCEL:
        return IopCancelForwarded(Caller, Call.Irp);
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

/* ---- completion and the end of a driver ------------------------------------------------ */

/* An IO_HOST_OP_CALL_DONE record for the caller (freed once in its ring). */
static void IopPostCallDone(PIOP_XCALL Call, PIOP_IRP Irp)
{
    PDRIVER_OBJECT Caller = Call->Caller;
    PIOP_IRP Done;

    if (Caller->Ended || Caller->Host == NULL)
        return;
    if (!NT_SUCCESS(IopAllocateIrp(Caller, NULL, NULL, 0, &Done))) {
        /* FIXME: no memory for the record: the caller's IRP stays pending. */
        KePrint("io: no memory for the completion of a call by %s\n", Caller->ImageName);
        return;
    }
    Done->NoCompletion = true;
    Done->Request.Id = Irp->Id;
    Done->Request.Operation = IO_HOST_OP_CALL_DONE;
    Done->Request.Parameters[0] = Call->CallerIrp;
    Done->Request.Parameters[1] = (ULONG)Irp->Status;
    Done->Request.Parameters[2] = Irp->Information;
    IopQueueRequest(Caller->Host, Done);
}

void IopXcallCompleted(PIOP_IRP Irp)
{
    PIOP_XCALL Call = Irp->Xcall, *Link;

    Irp->Xcall = NULL;
    for (Link = &IopXcalls; *Link && *Link != Call; Link = &(*Link)->Next)
        ;
    ASSERT(*Link == Call); /* a forwarded IRP stays on the list until it completes */
    if (*Link)
        *Link = Call->Next;
    if (Irp->Request.MajorFunction == IRP_MJ_CREATE && NT_SUCCESS(Irp->Status)) {
        IOP_XFILE Opened = {.Target = Irp->Device, .TargetFile = Irp->Cookie};
        /* Cookie 0: the target's runtime named no file to pair or close. */
        if (Irp->Cookie != 0 && Call->Dropped)
            IopSendFileEnd(&Opened, IRP_MJ_CLOSE); /* nobody will close it */
        else if (Irp->Cookie != 0)
            IopPairFile(Call->Caller, Call->CallerFile, Irp->Device, Irp->Cookie);
    }
    if (!Call->Dropped)
        IopPostCallDone(Call, Irp);
    ObDereferenceObject(Call->Caller);
    ExFreePoolWithTag(Call, IOP_XCALL_TAG);
    IopDereferenceIrp(Irp); /* the call's reference; the driver's goes after */
}

void IopXcallDriverEnded(PDRIVER_OBJECT Driver)
{
    PIOP_XCALL Call, Next;
    PIOP_XFILE *Link;

    for (Call = IopXcalls; Call; Call = Next) {
        Next = Call->Next; /* a cancel of a queued IRP completes (and frees) it now */
        if (Call->Caller == Driver && !Call->Dropped) {
            Call->Dropped = true;
            IopSendCancel(Call->Irp);
        }
    }
    for (Link = &IopXfiles; *Link;) {
        if ((*Link)->Caller == Driver)
            IopDropXfile(Link, (*Link)->Target->DriverObject != Driver);
        else if ((*Link)->Target->DriverObject == Driver)
            IopDropXfile(Link, false);
        else
            Link = &(*Link)->Next;
    }
}
